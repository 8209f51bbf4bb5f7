// verun-verify: the standalone offline verifier (DESIGN.md §8). `bundle`
// checks bundles (many files, or `-` for one per line on stdin) as a batch
// with a cache; `evidence` appraises one evidence object. Links proofs and
// verifier only (a test checks) and never touches the network.
// Exit codes: 0 valid, 1 invalid, 2 usage error (unreadable file, invalid
// policy, bad flag, a salted commitment checked without its salt).
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <boost/program_options.hpp>

#include "verun/proofs/base64.h"
#include "verun/proofs/evidence/evidence.h"
#include "verun/proofs/evidence/trust_dir.h"
#include "verun/proofs/hex.h"
#include "verun/proofs/sha2.h"
#include "verun/verifier/appraisal.h"
#include "verun/verifier/verify_bundle.h"

namespace {

namespace fs = std::filesystem;
namespace po = boost::program_options;
using verun::Error;
using verun::ErrorCode;
using verun::Result;
using verun::proofs::Bytes;
using verun::proofs::Json;

constexpr int kExitValid = 0;
constexpr int kExitInvalid = 1;
constexpr int kExitUsage = 2;

constexpr std::size_t kMaxDataFileBytes = std::size_t{1} << 30;

// Parses args against desc (pos: positional names). Returns nullopt with
// exit_code set after --help (0) or a usage error (2).
std::optional<po::variables_map> parse_options(const std::string& usage, const po::options_description& desc,
                                               const po::positional_options_description& pos,
                                               const std::vector<std::string>& args, int& exit_code) {
  po::options_description all(desc);
  all.add_options()("help,h", "show this help");
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(all).positional(pos).run(), vm);
    if (vm.count("help")) {
      std::cout << "usage: " << usage << "\n\n" << all << "\n";
      exit_code = kExitValid;
      return std::nullopt;
    }
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "usage error: " << e.what() << "\nusage: " << usage << "\n\n" << all << "\n";
    exit_code = kExitUsage;
    return std::nullopt;
  }
  return vm;
}

Result<std::string> read_file(const fs::path& path, std::size_t max_bytes) {
  std::error_code ec;
  auto size = fs::file_size(path, ec);
  if (ec) return Error(ErrorCode::kIoError, "cannot read " + path.string() + ": " + ec.message());
  if (size > max_bytes)
    return Error(ErrorCode::kIoError, path.string() + " is larger than " + std::to_string(max_bytes) + " bytes");
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error(ErrorCode::kIoError, "cannot open " + path.string());
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return Error(ErrorCode::kIoError, "cannot read " + path.string());
  return ss.str();
}

int usage_error(const std::string& message) {
  std::cerr << "usage error: " << message << "\n";
  return kExitUsage;
}
int usage_error(const Error& e) { return usage_error(e.to_string()); }

// Hex of exactly `bytes` bytes, either case (a hand-typed flag).
Result<Bytes> hex_flag(const std::string& flag, const std::string& text, std::size_t bytes) {
  auto b = verun::proofs::hex_decode_any_case(text);
  if (!b || b->size() != bytes)
    return Error(ErrorCode::kInvalidArgument, "--" + flag + " must be " + std::to_string(2 * bytes) + " hex digits");
  return b;
}

Result<verun::verifier::Policy> load_policy(const std::string& path) {
  VERUN_ASSIGN_OR_RETURN(std::string text, read_file(path, verun::verifier::kMaxPolicyTextBytes));
  return verun::verifier::parse_policy(text);
}

Result<std::optional<verun::proofs::Timestamp>> at_flag(const po::variables_map& vm) {
  if (!vm.count("at")) return std::optional<verun::proofs::Timestamp>{};
  auto t = verun::proofs::parse_rfc3339(vm["at"].as<std::string>());
  if (!t) return Error(ErrorCode::kInvalidArgument, "--at must be an RFC 3339 UTC time such as 2026-01-01T00:00:00Z");
  return std::optional<verun::proofs::Timestamp>(*t);
}

Result<std::vector<Bytes>> trust_dir_flag(const po::variables_map& vm) {
  if (!vm.count("trust-dir")) return std::vector<Bytes>{};
  return verun::proofs::load_trust_dir(vm["trust-dir"].as<std::string>());
}

const char* kBundleUsage =
    "verun-verify bundle FILE... --policy P [--input F [--input-salt HEX]] [--output F [--output-salt HEX]]\n"
    "       [--job-nonce HEX] [--require-ok] [--at T] [--trust-dir D] [--json]\n\n"
    "Verifies bundles offline (DESIGN.md §8), in the check order of §10. FILE '-' reads one bundle per\n"
    "line from stdin. Many bundles verify as a batch (checkpoints and registrations are cached).\n"
    "Exit 0: every bundle valid; 1: a bundle invalid; 2: usage error (unreadable file, invalid policy,\n"
    "bad flag, a salted-v1 commitment checked without its salt)";

int run_bundle(const std::vector<std::string>& args) {
  po::options_description desc("options");
  desc.add_options()
      ("file", po::value<std::vector<std::string>>()->multitoken(), "bundle files ('-': one bundle per line on stdin)")
      ("policy", po::value<std::string>()->required(), "the policy JSON file (with tlog_policy)")
      ("input", po::value<std::string>(), "check the receipt's input commitment against this file")
      ("input-salt", po::value<std::string>(), "the input's salted-v1 salt (64 hex)")
      ("output", po::value<std::string>(), "check the receipt's output commitment against this file")
      ("output-salt", po::value<std::string>(), "the output's salted-v1 salt (64 hex)")
      ("job-nonce", po::value<std::string>(), "the job nonce the receipt must carry (64 hex)")
      ("require-ok", po::bool_switch(), "fail unless the job status is ok")
      ("at", po::value<std::string>(), "the verification time V (RFC 3339 UTC); default now")
      ("trust-dir", po::value<std::string>(), "a folder of *.pem/*.crt/*.der certificates completing chains")
      ("json", po::bool_switch(), "print one JSON report per line (schemas/verify-report.schema.json)");
  po::positional_options_description pos;
  pos.add("file", -1);
  int code = 0;
  auto vm = parse_options(kBundleUsage, desc, pos, args, code);
  if (!vm) return code;
  if (!vm->count("file")) return usage_error("no bundle FILE given");
  const bool json = (*vm)["json"].as<bool>();

  auto policy = load_policy((*vm)["policy"].as<std::string>());
  if (!policy) return usage_error("invalid policy: " + policy.error().to_string());
  if (!policy->tlog_policy) return usage_error("the policy has no tlog_policy, so no log can be trusted");

  verun::verifier::BundleOptions o;
  auto at = at_flag(*vm);
  if (!at) return usage_error(at.error());
  o.at = *at;
  auto certs = trust_dir_flag(*vm);
  if (!certs) return usage_error(certs.error());
  o.evidence.trusted_certs = std::move(*certs);
  for (const char* which : {"input", "output"}) {
    const std::string salt_flag = std::string(which) + "-salt";
    std::optional<Bytes>& data = std::string(which) == "input" ? o.input : o.output;
    std::optional<Bytes>& salt = std::string(which) == "input" ? o.input_salt : o.output_salt;
    if (vm->count(salt_flag) && !vm->count(which)) return usage_error("--" + salt_flag + " needs --" + which);
    if (vm->count(which)) {
      auto text = read_file((*vm)[which].as<std::string>(), kMaxDataFileBytes);
      if (!text) return usage_error(text.error());
      data = verun::proofs::to_bytes(*text);
    }
    if (vm->count(salt_flag)) {
      auto s = hex_flag(salt_flag, (*vm)[salt_flag].as<std::string>(), 32);
      if (!s) return usage_error(s.error());
      salt = std::move(*s);
    }
  }
  if (vm->count("job-nonce")) {
    auto n = hex_flag("job-nonce", (*vm)["job-nonce"].as<std::string>(), 32);
    if (!n) return usage_error(n.error());
    verun::proofs::Hash32 h{};
    std::copy(n->begin(), n->end(), h.begin());
    o.job_nonce = h;
  }
  o.require_ok = (*vm)["require-ok"].as<bool>();

  // Read every bundle first: an unreadable file is a usage error.
  std::vector<std::pair<std::string, std::string>> bundles;  // name, text
  for (const auto& f : (*vm)["file"].as<std::vector<std::string>>()) {
    if (f == "-") {
      std::string line;
      std::size_t n = 0;
      while (std::getline(std::cin, line)) {
        ++n;
        if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
        bundles.emplace_back("-:" + std::to_string(n), std::move(line));
      }
      continue;
    }
    // Beyond 4 MiB the parser says bundle.too_large; do not read gigabytes.
    auto text = read_file(f, verun::verifier::kMaxBundleBytes + 1);
    if (!text) {
      std::error_code ec;
      if (fs::is_regular_file(f, ec) && fs::file_size(f, ec) > verun::verifier::kMaxBundleBytes)
        text = std::string(verun::verifier::kMaxBundleBytes + 1, ' ');
      else
        return usage_error(text.error());
    }
    bundles.emplace_back(f, std::move(*text));
  }
  if (bundles.empty()) return usage_error("no bundle was read");

  verun::verifier::BundleVerifier verifier(*policy, o);
  int exit_code = kExitValid;
  for (const auto& [name, text] : bundles) {
    verun::verifier::BundleReport r = verifier.verify_text(text);
    const verun::verifier::Check* f = r.report.first_failure();
    if (f && (f->code == ErrorCode::kBundleSaltRequired || f->code == ErrorCode::kBundleBadSalt))
      exit_code = kExitUsage;
    else if (f && exit_code == kExitValid)
      exit_code = kExitInvalid;
    if (json) {
      std::cout << r.to_json_line(name) << "\n";
    } else {
      std::cout << "== " << name << "\n" << r.to_text();
    }
  }
  if (exit_code == kExitUsage)
    std::cerr << "usage error: a salted-v1 commitment needs its salt (--input-salt / --output-salt), "
                 "and a sha256 one takes none\n";
  return exit_code;
}

const char* kEvidenceUsage =
    "verun-verify evidence FILE [--policy P] [--format F [--certs PEM] [--collateral DIR]] [--at T]\n"
    "       [--trust-dir D] [--json]\n\n"
    "Verifies one evidence object {\"format\", \"data\", \"certs\", \"collateral\"} (collateral inline as\n"
    "base64 by name), or raw evidence bytes with --format (auto: detected from the bytes). Without --policy only signatures and chains\n"
    "are checked and the claims printed; with it the claims are appraised (report_data binding needs an\n"
    "identity, which a bundle carries: it is skipped here). Exit 0 valid, 1 invalid, 2 usage error";

struct LoadedEvidence {
  verun::proofs::Evidence evidence;
  std::map<std::string, Bytes> collateral;
};

Result<LoadedEvidence> load_evidence_object(const std::string& text) {
  VERUN_ASSIGN_OR_RETURN(Json j, verun::proofs::parse_json(text));
  LoadedEvidence out;
  if (j.is_object() && j.contains("collateral") && j["collateral"].is_object()) {
    for (auto& [name, value] : j["collateral"].items()) {
      if (!value.is_string()) continue;  // a DigestSet: no bytes given
      VERUN_ASSIGN_OR_RETURN(Bytes bytes, verun::proofs::base64_decode(value.get<std::string>()));
      value = Json{{"sha256", verun::proofs::hex_encode(verun::proofs::sha256(bytes))}};
      out.collateral.emplace(name, std::move(bytes));
    }
  }
  VERUN_ASSIGN_OR_RETURN(out.evidence, verun::proofs::parse_evidence(j, "evidence", verun::proofs::SchemaCodes{}));
  return out;
}

// --format auto: recognise raw evidence bytes by their fixed headers. SEV-SNP
// report: 1184 bytes, u32 LE version 2, 3 or 5; DCAP quote: u16 version
// 3/4/5, u16 attestation key type 2, u32 TEE type 0 (SGX) or 0x81 (TDX);
// Nitro: a COSE_Sign1 array (0x84), optionally tagged 18 (0xD2).
std::optional<verun::proofs::EvidenceFormat> detect_evidence_format(const std::string& data) {
  using verun::proofs::EvidenceFormat;
  auto byte = [&](std::size_t i) { return static_cast<std::uint32_t>(static_cast<unsigned char>(data[i])); };
  auto le16 = [&](std::size_t i) { return byte(i) | byte(i + 1) << 8; };
  auto le32 = [&](std::size_t i) { return le16(i) | le16(i + 2) << 16; };
  if (data.size() == 1184) {
    const std::uint32_t version = le32(0);
    if (version == 2 || version == 3 || version == 5) return EvidenceFormat::kSevSnpReport;
  }
  if (data.size() >= 48) {  // the DCAP quote header is 48 bytes
    const std::uint32_t version = le16(0);
    if ((version == 3 || version == 4 || version == 5) && le16(2) == 2) {
      if (le32(4) == 0x00000000) return EvidenceFormat::kSgxQuote;
      if (le32(4) == 0x00000081) return EvidenceFormat::kTdxQuote;
    }
  }
  if (data.size() >= 2 && byte(0) == 0xD2 && byte(1) == 0x84) return EvidenceFormat::kNitroCose;
  if (!data.empty() && byte(0) == 0x84) return EvidenceFormat::kNitroCose;
  return std::nullopt;
}

int run_evidence(const std::vector<std::string>& args) {
  po::options_description desc("options");
  desc.add_options()
      ("file", po::value<std::string>(), "the evidence JSON object (or raw bytes with --format)")
      ("policy", po::value<std::string>(), "appraise the claims under this policy")
      ("format", po::value<std::string>(),
       "FILE holds raw evidence bytes of this format (sim-v1, sev-snp-report, ...; auto detects "
       "sev-snp-report, tdx-quote, sgx-quote, nitro-cose)")
      ("certs", po::value<std::string>(), "with --format: a PEM file of the evidence certificates, leaf first")
      ("collateral", po::value<std::string>(), "with --format: a folder of collateral files named by collateral name")
      ("at", po::value<std::string>(), "check certificates and collateral as of this time (RFC 3339 UTC)")
      ("trust-dir", po::value<std::string>(), "a folder of *.pem/*.crt/*.der certificates completing chains")
      ("json", po::bool_switch(), "print a JSON report");
  po::positional_options_description pos;
  pos.add("file", 1);
  int code = 0;
  auto vm = parse_options(kEvidenceUsage, desc, pos, args, code);
  if (!vm) return code;
  if (!vm->count("file")) return usage_error("no evidence FILE given");
  auto text = read_file((*vm)["file"].as<std::string>(), verun::verifier::kMaxBundleBytes);
  if (!text) return usage_error(text.error());

  LoadedEvidence loaded;
  std::optional<std::string> detected;  // the format --format auto found
  if (vm->count("format")) {
    std::optional<verun::proofs::EvidenceFormat> format;
    if ((*vm)["format"].as<std::string>() == "auto") {
      format = detect_evidence_format(*text);
      if (!format)
        return usage_error("--format auto: could not detect the evidence format (not an SEV-SNP report, "
                           "DCAP quote or COSE_Sign1 document)");
      detected = std::string(verun::proofs::to_string(*format));
    } else {
      format = verun::proofs::evidence_format_from_string((*vm)["format"].as<std::string>());
    }
    if (!format)
      return usage_error("--format must be one of auto, sim-v1, sev-snp-report, tdx-quote, sgx-quote, nitro-cose");
    loaded.evidence.format = *format;
    loaded.evidence.data = verun::proofs::to_bytes(*text);
    if (vm->count("certs")) {
      auto pem = read_file((*vm)["certs"].as<std::string>(), verun::proofs::kTrustDirMaxFileSize);
      if (!pem) return usage_error(pem.error());
      auto certs = verun::proofs::parse_trust_file(verun::proofs::as_bytes(*pem), (*vm)["certs"].as<std::string>());
      if (!certs) return usage_error(certs.error());
      loaded.evidence.certs = std::move(*certs);
    }
    if (vm->count("collateral")) {
      std::error_code ec;
      for (const auto& entry : fs::directory_iterator((*vm)["collateral"].as<std::string>(), ec)) {
        if (!entry.is_regular_file()) continue;
        auto bytes = read_file(entry.path(), verun::proofs::kTrustDirMaxFileSize * 16);
        if (!bytes) return usage_error(bytes.error());
        std::string name = entry.path().stem().string();
        loaded.evidence.collateral[name] = verun::proofs::sha256(*bytes);
        loaded.collateral[name] = verun::proofs::to_bytes(*bytes);
      }
      if (ec) return usage_error("cannot read --collateral folder: " + ec.message());
    }
  } else {
    if (vm->count("certs") || vm->count("collateral")) return usage_error("--certs and --collateral need --format");
    auto e = load_evidence_object(*text);
    if (!e) return usage_error("not an evidence object: " + e.error().to_string());
    loaded = std::move(*e);
  }

  std::optional<verun::verifier::Policy> policy;
  if (vm->count("policy")) {
    auto p = load_policy((*vm)["policy"].as<std::string>());
    if (!p) return usage_error("invalid policy: " + p.error().to_string());
    policy = std::move(*p);
  }
  auto at = at_flag(*vm);
  if (!at) return usage_error(at.error());
  auto certs = trust_dir_flag(*vm);
  if (!certs) return usage_error(certs.error());

  verun::proofs::EvidenceOptions eo;
  eo.at = *at;
  eo.trusted_certs = std::move(*certs);
  eo.collateral_bytes = loaded.collateral;
  verun::verifier::CheckReport report;
  const bool known = verun::proofs::evidence_format_supported(loaded.evidence.format);
  std::optional<verun::proofs::Claims> claims;
  if (!known) {
    report.fail(std::string(verun::verifier::kCheckFormatKnown),
                Error(ErrorCode::kEvidenceUnsupportedFormat, "this build has no verifier for the evidence format"));
  } else {
    report.pass(std::string(verun::verifier::kCheckFormatKnown), "the evidence format is supported");
    auto c = verun::proofs::verify_evidence(loaded.evidence, eo);
    report.record(std::string(verun::verifier::kCheckSignature), c.has_value() ? Result<void>() : Result<void>(c.error()),
                  "the evidence signature and chain verify");
    if (c) claims = std::move(*c);
  }
  if (policy && claims) {
    report.skip(std::string(verun::verifier::kCheckReportDataBinding),
                "a lone evidence object has no identity to bind (a bundle checks it)");
    verun::verifier::AppraisalOptions ao;
    ao.time = *at;
    report.append(verun::verifier::appraise_claims(*claims, *policy, ao));
  }
  const bool simulated = loaded.evidence.format == verun::proofs::EvidenceFormat::kSimV1;
  const bool valid = report.passed();
  if ((*vm)["json"].as<bool>()) {
    Json j = Json::object();
    j["verdict"] = valid ? "valid" : "invalid";
    if (const auto* f = report.first_failure())
      j["first_failure"] = Json{{"check", f->name}, {"code", std::string(verun::to_string(f->code))}, {"message", f->message}};
    else
      j["first_failure"] = nullptr;
    j["checks"] = report.to_json();
    if (policy) j["policy_digest"] = verun::verifier::policy_digest_hex(*policy);
    Json coll = Json::object();
    for (const auto& [name, d] : loaded.evidence.collateral) coll[name] = verun::proofs::hex_encode(d);
    j["collateral_digests"] = std::move(coll);
    if (claims) j["claims"] = verun::proofs::claims_to_json(*claims);
    j["simulated"] = simulated;
    if (detected) j["detected_format"] = *detected;
    std::cout << j.dump() << "\n";
  } else {
    std::cout << "verdict: " << (valid ? "VALID" : "INVALID") << (policy ? "" : " (signatures and chain only, no policy)") << "\n";
    if (detected) std::cout << "detected format: " << *detected << "\n";
    if (simulated) std::cout << "SIMULATED: sim-v1 evidence is software only, no hardware TEE backs it\n";
    if (const auto* f = report.first_failure())
      std::cout << "first failure: " << f->name << ": " << verun::to_string(f->code) << ": " << f->message << "\n";
    if (claims) std::cout << "claims: " << verun::proofs::claims_to_json(*claims).dump(2) << "\n";
  }
  return valid ? kExitValid : kExitInvalid;
}

void list_commands(std::ostream& os) {
  os << "usage: verun-verify <command> [options]\n\ncommands:\n"
        "  bundle      verify bundles offline (receipt, registration, proofs, policy)\n"
        "  evidence    verify one attestation evidence object\n\n"
        "Run 'verun-verify <command> --help' for a command's options.\n"
        "Exit codes: 0 valid, 1 invalid, 2 usage error.\n";
}

}  // namespace

int main(int argc, char** argv) {
  // Only iostreams are used: unsynchronised, `bundle -` reads stdin in
  // blocks instead of a character at a time through stdio.
  std::ios::sync_with_stdio(false);
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) {
    list_commands(std::cerr);
    return kExitUsage;
  }
  if (args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    list_commands(std::cout);
    return kExitValid;
  }
  std::vector<std::string> rest(args.begin() + 1, args.end());
  if (args[0] == "bundle") return run_bundle(rest);
  if (args[0] == "evidence") return run_evidence(rest);
  std::cerr << "verun-verify: unknown command '" << args[0] << "'\n\n";
  list_commands(std::cerr);
  return kExitUsage;
}
