// `verun verify`: a bundle under a policy, with the same checks, report and
// exit codes as `verun-verify bundle` (both call verifier::BundleVerifier);
// --online also fetches the log's current checkpoint and checks that it is
// consistent with the checkpoints the bundle carries (the log did not fork).
#include <iostream>

#include <nlohmann/json.hpp>

#include "cmd/cli.h"
#include "cmd/commands/commands.h"
#include "cmd/commands/common.h"
#include "verun/proofs/merkle/consistency.h"
#include "verun/proofs/note/checkpoint.h"
#include "verun/proofs/note/tlog_policy.h"
#include "verun/proofs/schema/rfc3339.h"
#include "verun/sdk/client.h"
#include "verun/sdk/log_client.h"
#include "verun/verifier/bundle.h"

namespace verun::cli {
namespace {

using proofs::Json;

const char* kVerifyUsage =
    "verun verify BUNDLE --policy P [--input F [--input-salt HEX]] [--output F [--output-salt HEX]]\n"
    "       [--job-nonce HEX] [--require-ok] [--at T] [--online LOG_URL] [--json]\n\n"
    "Verifies a bundle offline exactly as verun-verify bundle does (DESIGN.md §8, §10 check order).\n"
    "--online LOG_URL also fetches the log's current checkpoint (signed by the policy's log) and checks\n"
    "that both checkpoints in the bundle are consistent with it.\n"
    "Exit 0 valid; 1 invalid (or not consistent online); 2 usage error (unreadable file, invalid policy,\n"
    "bad flag, a salted-v1 commitment checked without its salt); 3 the log is unreachable (--online)";

// Checks that `note` (a checkpoint in the bundle) is consistent with the
// log's current checkpoint `current` (both opened with `key`).
Result<void> check_consistent(const sdk::LogClient& log, const proofs::NoteVerifier& key, std::string_view note,
                              const proofs::Checkpoint& current) {
  VERUN_ASSIGN_OR_RETURN(auto old, proofs::open_checkpoint(note, key, key.name()));
  const auto& o = old.checkpoint;
  if (o.size > current.size) {
    return Error(ErrorCode::kProofBadSize, "the bundle's checkpoint of size " + std::to_string(o.size) +
                                                    " is beyond the log's current size " + std::to_string(current.size));
  }
  VERUN_ASSIGN_OR_RETURN(auto proof, log.consistency_proof(o.size, current.size));
  return proofs::verify_consistency(o.size, current.size, proof, o.root, current.root);
}

int run_verify(const std::vector<std::string>& args) {
  po::options_description desc("options");
  desc.add_options()
      ("bundle", po::value<std::string>(), "the bundle file (positional)")
      ("policy", po::value<std::string>()->required(), "the policy JSON file (with tlog_policy)")
      ("input", po::value<std::string>(), "check the receipt's input commitment against this file")
      ("input-salt", po::value<std::string>(), "the input's salted-v1 salt (64 hex)")
      ("output", po::value<std::string>(), "check the receipt's output commitment against this file")
      ("output-salt", po::value<std::string>(), "the output's salted-v1 salt (64 hex)")
      ("job-nonce", po::value<std::string>(), "the job nonce the receipt must carry (64 hex)")
      ("require-ok", po::bool_switch(), "fail unless the job status is ok")
      ("at", po::value<std::string>(), "the verification time V (RFC 3339 UTC); default now")
      ("online", po::value<std::string>(), "the log's URL: check the bundle's checkpoints against its current one")
      ("json", po::bool_switch(), "print the JSON report (schemas/verify-report.schema.json)");
  po::positional_options_description pos;
  pos.add("bundle", 1);
  int code = 0;
  auto vm = parse_options(kVerifyUsage, desc, pos, args, code);
  if (!vm) return code;
  auto usage = [](const std::string& m) {
    std::cerr << "usage error: " << m << "\n";
    return kExitUsage;
  };
  if (!vm->count("bundle")) return usage("no BUNDLE given");
  const bool json = (*vm)["json"].as<bool>();
  auto policy = load_policy((*vm)["policy"].as<std::string>());
  if (!policy) return usage("invalid policy: " + policy.error().to_string());
  if (!policy->tlog_policy) return usage("the policy has no tlog_policy, so no log can be trusted");

  verifier::BundleOptions o;
  if (vm->count("at")) {
    auto t = proofs::parse_rfc3339((*vm)["at"].as<std::string>());
    if (!t) return usage("--at must be an RFC 3339 UTC time such as 2026-01-01T00:00:00Z");
    o.at = *t;
  }
  for (const std::string which : {"input", "output"}) {
    const std::string salt_flag = which + "-salt";
    std::optional<proofs::Bytes>& data = which == "input" ? o.input : o.output;
    std::optional<proofs::Bytes>& salt = which == "input" ? o.input_salt : o.output_salt;
    if (vm->count(salt_flag) && !vm->count(which)) return usage("--" + salt_flag + " needs --" + which);
    if (vm->count(which)) {
      auto text = read_file((*vm)[which].as<std::string>(), kMaxDataFileBytes);
      if (!text) return usage(text.error().to_string());
      data = proofs::to_bytes(*text);
    }
    if (vm->count(salt_flag)) {
      auto s = hex_flag(salt_flag, (*vm)[salt_flag].as<std::string>(), 32);
      if (!s) return usage(s.error().to_string());
      salt = std::move(*s);
    }
  }
  if (vm->count("job-nonce")) {
    auto n = hex_flag("job-nonce", (*vm)["job-nonce"].as<std::string>(), 32);
    if (!n) return usage(n.error().to_string());
    proofs::Hash32 h{};
    std::copy(n->begin(), n->end(), h.begin());
    o.job_nonce = h;
  }
  o.require_ok = (*vm)["require-ok"].as<bool>();

  const std::string path = (*vm)["bundle"].as<std::string>();
  auto text = read_file(path, verifier::kMaxBundleBytes + 1);
  if (!text) return usage(text.error().to_string());
  verifier::BundleReport r = sdk::Client::verify(*text, *policy, o);
  const verifier::Check* f = r.report.first_failure();
  int exit_code = kExitOk;
  if (f && (f->code == ErrorCode::kBundleSaltRequired || f->code == ErrorCode::kBundleBadSalt)) {
    exit_code = kExitUsage;
  } else if (f) {
    exit_code = kExitInvalid;
  }

  Json online;
  std::string online_text;
  if (vm->count("online") && exit_code == kExitOk) {
    auto run_online = [&]() -> Result<Json> {
      VERUN_ASSIGN_OR_RETURN(auto log, sdk::LogClient::make((*vm)["online"].as<std::string>()));
      VERUN_ASSIGN_OR_RETURN(auto bundle, verifier::parse_bundle(*text));
      VERUN_ASSIGN_OR_RETURN(auto tlog, proofs::parse_tlog_policy(*policy->tlog_policy));
      VERUN_ASSIGN_OR_RETURN(auto note, log.checkpoint());
      // The policy's log that signed the bundle's receipt checkpoint must
      // have signed the current one too.
      Error last(ErrorCode::kBundleLogNotTrusted, "no log of the policy signed the log's current checkpoint");
      for (const auto& l : tlog.logs) {
        if (!proofs::open_checkpoint(bundle.receipt.proof.checkpoint_note, l.key, l.key.name())) continue;
        auto current = proofs::open_checkpoint(note, l.key, l.key.name());
        if (!current) return current.error();
        VERUN_TRY(check_consistent(log, l.key, bundle.registration.proof.checkpoint_note, current->checkpoint));
        VERUN_TRY(check_consistent(log, l.key, bundle.receipt.proof.checkpoint_note, current->checkpoint));
        return Json{{"log", log.base_url()}, {"origin", current->checkpoint.origin},
                    {"size", current->checkpoint.size}, {"consistent", true}};
      }
      return last;
    };
    auto on = run_online();
    if (!on) {
      online = {{"consistent", false}, {"code", std::string(to_string(on.code()))}, {"message", on.error().message}};
      online_text = "online: FAILED: " + on.error().to_string() + "\n";
      exit_code = exit_code_for(on.error());
    } else {
      online = *on;
      online_text = "online: the log's current checkpoint (size " + std::to_string((*on)["size"].get<std::uint64_t>()) +
                    ") is consistent with both checkpoints in the bundle\n";
    }
  }

  if (json) {
    Json j = r.to_json();
    j["bundle"] = path;
    if (!online.is_null()) j["online"] = online;
    std::cout << j.dump() << "\n";
  } else {
    std::cout << r.to_text() << online_text;
  }
  if (exit_code == kExitUsage) {
    std::cerr << "usage error: a salted-v1 commitment needs its salt (--input-salt / --output-salt), "
                 "and a sha256 one takes none\n";
  }
  return exit_code;
}

}  // namespace

int run_verify_command(const std::vector<std::string>& args) { return run_verify(args); }

}  // namespace verun::cli
