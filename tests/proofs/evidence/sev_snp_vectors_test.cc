// sev-snp-report against the shared corpus (vectors/attestation/sev-snp):
// every vector's verdict, each individual check and every extracted field
// as its expected.json says, verified at its verify_at time with AMD's
// pinned roots only.
#include <gtest/gtest.h>

#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "tests/support/matchers.h"
#include "tests/support/vectors.h"
#include "verun/proofs/evidence/azure_hcl.h"
#include "verun/proofs/evidence/evidence.h"
#include "verun/proofs/evidence/sev_snp.h"
#include "verun/proofs/hex.h"
#include "verun/proofs/sha2.h"

namespace verun::proofs {
namespace {

namespace fs = std::filesystem;
using ::verun::testing::HasCode;
using ::verun::testing::read_file;
using ::verun::testing::read_file_bytes;
using ::verun::testing::read_json;

// Every certificate of a PEM file (DER each), or the file itself when DER.
std::vector<Bytes> read_certs(const fs::path& p) {
  Bytes raw = read_file_bytes(p);
  std::string_view text = as_string_view(raw);
  if (text.find("-----BEGIN") == std::string_view::npos) return {raw};
  std::vector<Bytes> out;
  BIO* bio = BIO_new_mem_buf(raw.data(), static_cast<int>(raw.size()));
  while (X509* x = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr)) {
    unsigned char* der = nullptr;
    int len = i2d_X509(x, &der);
    out.emplace_back(der, der + len);
    OPENSSL_free(der);
    X509_free(x);
  }
  BIO_free(bio);
  return out;
}

std::string hex_u64(std::uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

std::string tcb_raw_hex(std::uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

std::string fw(std::uint8_t major, std::uint8_t minor, std::uint8_t build) {
  return std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(build);
}

struct Loaded {
  Bytes report;
  std::vector<Bytes> certs;  // leaf first, as DESIGN.md §5 carries them
  Bytes leaf;
  std::optional<SnpProduct> root_product;
  Bytes hcl;  // the whole Azure HCL report, when the vector is one
};

Loaded load(const fs::path& dir, const fs::path& attestation_dir, const nlohmann::json& inputs) {
  Loaded l;
  if (inputs.contains("hcl_report")) {
    l.hcl = read_file_bytes(dir / inputs["hcl_report"].get<std::string>());
    l.report.assign(l.hcl.begin() + 0x20, l.hcl.begin() + 0x20 + static_cast<std::ptrdiff_t>(kSnpReportSize));
  } else {
    l.report = read_file_bytes(dir / inputs["report"].get<std::string>());
  }
  l.leaf = read_certs(dir / inputs["vcek"].get<std::string>()).at(0);
  l.certs.push_back(l.leaf);
  if (inputs.contains("chain")) {
    for (Bytes& c : read_certs(dir / inputs["chain"].get<std::string>()))
      if (c != l.leaf) l.certs.push_back(std::move(c));
  }
  Bytes root = read_certs(attestation_dir / inputs["root"].get<std::string>()).at(0);
  for (const SnpTrustedRoot& r : amd_snp_roots())
    if (r.fingerprint == sha256(root)) l.root_product = r.product;
  return l;
}

// Azure HCL binding through the library (azure_hcl.h).
bool hcl_runtime_data_bound(const Bytes& hcl) {
  Result<AzureHclReport> parsed = parse_azure_hcl_report(hcl);
  return parsed.has_value() && verify_azure_hcl_binding(*parsed).has_value();
}

TEST(SevSnpVectors, EveryVectorMatchesExpected) {
  VERUN_REQUIRE_VECTORS(dir, "attestation/sev-snp");
  const fs::path attestation_dir = dir.parent_path();
  std::vector<fs::path> dirs;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.is_directory() && fs::exists(e.path() / "expected.json")) dirs.push_back(e.path());
  std::sort(dirs.begin(), dirs.end());
  std::size_t ran = 0, valid = 0, checks_compared = 0;
  for (const fs::path& d : dirs) {
    SCOPED_TRACE(d.filename().string());
    nlohmann::json ex = read_json(d / "expected.json");
    Loaded l = load(d, attestation_dir, ex["inputs"]);
    Timestamp at = parse_rfc3339(ex["verify_at"].get<std::string>()).value();
    const nlohmann::json& expected = ex["expected"];
    const nlohmann::json& f = expected["fields"];

    // Fields, from the parser alone.
    Result<SnpReport> parsed = parse_sev_snp_report(l.report);
    ASSERT_OK(parsed);
    const SnpReport& r = *parsed;
    std::optional<SnpProduct> product = snp_product_from_cpuid(r);
    if (!product) product = snp_product_from_certificate(X509Cert::parse_der(l.leaf).value());
    ASSERT_TRUE(product.has_value());
    EXPECT_EQ(to_string(*product), f["product"].get<std::string>());
    EXPECT_EQ(r.version, f["version"].get<std::uint32_t>());
    EXPECT_EQ(r.guest_svn, f["guest_svn"].get<std::uint32_t>());
    EXPECT_EQ(hex_u64(r.policy), f["policy"].get<std::string>());
    EXPECT_EQ(r.debug(), f["debug"].get<bool>());
    EXPECT_EQ(r.vmpl, f["vmpl"].get<std::uint32_t>());
    EXPECT_EQ(r.signature_algo, f["signature_algo"].get<std::uint32_t>());
    EXPECT_EQ(r.signing_key == SnpSigningKey::kVlek ? "vlek" : "vcek", f["signing_key"].get<std::string>());
    EXPECT_EQ(r.mask_chip_key, f["mask_chip_key"].get<bool>());
    EXPECT_EQ(hex_encode(r.measurement), f["measurement"].get<std::string>());
    EXPECT_EQ(hex_encode(r.report_data), f["report_data"].get<std::string>());
    EXPECT_EQ(hex_encode(r.host_data), f["host_data"].get<std::string>());
    EXPECT_EQ(hex_encode(r.id_key_digest), f["id_key_digest"].get<std::string>());
    EXPECT_EQ(hex_encode(r.author_key_digest), f["author_key_digest"].get<std::string>());
    EXPECT_EQ(hex_encode(r.family_id), f["family_id"].get<std::string>());
    EXPECT_EQ(hex_encode(r.image_id), f["image_id"].get<std::string>());
    EXPECT_EQ(hex_encode(r.chip_id), f["chip_id"].get<std::string>());
    EXPECT_EQ(tcb_raw_hex(r.reported_tcb), f["reported_tcb_raw"].get<std::string>());
    EXPECT_EQ(tcb_raw_hex(r.current_tcb), f["current_tcb_raw"].get<std::string>());
    EXPECT_EQ(tcb_raw_hex(r.committed_tcb), f["committed_tcb_raw"].get<std::string>());
    EXPECT_EQ(tcb_raw_hex(r.launch_tcb), f["launch_tcb_raw"].get<std::string>());
    EXPECT_EQ(fw(r.current_major, r.current_minor, r.current_build), f["current_fw"].get<std::string>());
    EXPECT_EQ(fw(r.committed_major, r.committed_minor, r.committed_build), f["committed_fw"].get<std::string>());
    EXPECT_EQ(hex_u64(r.platform_info), f["platform_info"].get<std::string>());
    EXPECT_EQ(f.contains("cpuid_fam_id"), r.cpuid_fam_id.has_value());
    if (f.contains("cpuid_fam_id")) {
      EXPECT_EQ(*r.cpuid_fam_id, f["cpuid_fam_id"].get<int>());
      EXPECT_EQ(*r.cpuid_mod_id, f["cpuid_mod_id"].get<int>());
      EXPECT_EQ(*r.cpuid_step, f["cpuid_step"].get<int>());
    }
    if (f.contains("launch_mit_vector")) {
      ASSERT_TRUE(r.launch_mit_vector && r.current_mit_vector);
      EXPECT_EQ(hex_u64(*r.launch_mit_vector), f["launch_mit_vector"].get<std::string>());
      EXPECT_EQ(hex_u64(*r.current_mit_vector), f["current_mit_vector"].get<std::string>());
    }
    SnpTcb tcb = decode_snp_tcb(r.reported_tcb, *product);
    const nlohmann::json& et = f["reported_tcb"];
    EXPECT_EQ(tcb.bootloader, et["bootloader"].get<int>());
    EXPECT_EQ(tcb.tee, et["tee"].get<int>());
    EXPECT_EQ(tcb.snp, et["snp"].get<int>());
    EXPECT_EQ(tcb.microcode, et["microcode"].get<int>());
    EXPECT_EQ(tcb.fmc.has_value(), et.contains("fmc"));
    if (et.contains("fmc")) {
      EXPECT_EQ(*tcb.fmc, et["fmc"].get<int>());
    }

    // Each check of the reference checker, one by one.
    X509Cert leaf = X509Cert::parse_der(l.leaf).value();
    Result<SevSnpChain> chain = verify_sev_snp_chain(l.certs);
    std::map<std::string, bool> got;
    got["report_signature"] = verify_sev_snp_report_signature(r, l.report, leaf).has_value();
    got["chain"] = chain.has_value();
    got["ark_pinned"] = l.certs.size() == 3 && l.root_product.has_value() &&
                        X509Cert::parse_der(l.certs[2]).value().fingerprint() ==
                            sha256(read_certs(attestation_dir / ex["inputs"]["root"].get<std::string>()).at(0));
    if (chain) {
      EXPECT_EQ(verify_sev_snp_chain_validity(*chain, at).has_value(), expected["checks"]["time_valid"].get<bool>());
    }
    got["time_valid"] = true;
    for (const Bytes& c : l.certs) got["time_valid"] = got["time_valid"] && X509Cert::parse_der(c)->verify_valid_at(at).has_value();
    got["tcb_matches_cert"] = verify_sev_snp_tcb_binding(r, *product, leaf).has_value();
    got["chip_id_matches_hwid"] =
        verify_sev_snp_chip_id(r, *product, leaf, leaf.subject_common_name() == "SEV-VLEK").has_value();
    got["debug_clear"] = !r.debug();
    if (!l.hcl.empty()) got["hcl_runtime_data_bound"] = hcl_runtime_data_bound(l.hcl);
    for (const auto& [name, want] : expected["checks"].items()) {
      ASSERT_TRUE(got.count(name)) << "no such check: " << name;
      EXPECT_EQ(got[name], want.get<bool>()) << name;
      ++checks_compared;
    }

    // The whole verifier: the verdict is "valid" exactly when it succeeds
    // and the guest is not in debug mode (and, for HCL, the binding holds).
    SevSnpOptions opts;
    opts.at = at;
    Result<VerifiedSevSnp> v = verify_sev_snp_evidence_detailed(l.report, l.certs, opts);
    bool verdict = v.has_value() && !v->claims.debug && (l.hcl.empty() || got["hcl_runtime_data_bound"]);
    EXPECT_EQ(verdict ? "valid" : "invalid", expected["verdict"].get<std::string>());
    if (v) {
      const Claims& c = v->claims;
      EXPECT_EQ(c.format, "sev-snp-report");
      EXPECT_EQ(c.platform, Platform::kSevSnp);
      EXPECT_EQ(hex_encode(c.measurement), f["measurement"].get<std::string>());
      EXPECT_EQ(hex_encode(c.measurements.at("host_data")), f["host_data"].get<std::string>());
      EXPECT_EQ(hex_encode(c.report_data), f["report_data"].get<std::string>());
      EXPECT_EQ(hex_encode(c.instance_id), f["chip_id"].get<std::string>());
      EXPECT_EQ(c.debug, f["debug"].get<bool>());
      EXPECT_EQ(c.tcb.size(), et.size());
      for (const auto& [k, val] : et.items()) EXPECT_EQ(c.tcb.at(k), val.get<std::uint64_t>()) << k;
      ASSERT_EQ(c.chain_fingerprints.size(), 3u);
      EXPECT_EQ(c.chain_fingerprints[0], sha256(l.leaf));
      // Through the dispatcher too (AMD roots only).
      Evidence e;
      e.format = EvidenceFormat::kSevSnpReport;
      e.data = l.report;
      e.certs = l.certs;
      EvidenceOptions eo;
      eo.at = at;
      Result<Claims> viaDispatch = verify_evidence(e, eo);
      ASSERT_OK(viaDispatch);
      EXPECT_EQ(*viaDispatch, c);
    }
    if (verdict) ++valid;
    ++ran;
  }
  EXPECT_EQ(ran, 13u);    // vectors/attestation/README.md: 5 public + 8 negative SNP vectors
  EXPECT_EQ(valid, 4u);   // virtee, vlek-aws, turin-oak, genoa-azure-hcl
  ::verun::testing::report_vector_count("sev-snp vectors", ran);
  ::verun::testing::report_vector_count("sev-snp individual checks compared", checks_compared);
}

// The error code each invalid vector's first failure has.
TEST(SevSnpVectors, NegativeVectorsFailWithTheirCode) {
  VERUN_REQUIRE_VECTORS(dir, "attestation/sev-snp");
  const fs::path attestation_dir = dir.parent_path();
  const std::vector<std::pair<std::string, ErrorCode>> cases = {
      {"snp-neg-measurement-flip", ErrorCode::kEvidenceBadSignature},
      {"snp-neg-debug-bit-set", ErrorCode::kEvidenceBadSignature},
      {"snp-neg-wrong-product-chain", ErrorCode::kEvidenceChainInvalid},
      {"snp-neg-missing-chain", ErrorCode::kEvidenceChainInvalid},
      {"snp-neg-wrong-vcek", ErrorCode::kEvidenceBadSignature},
      {"snp-neg-vlek-expired", ErrorCode::kEvidenceCertExpired},
      {"snp-neg-turin-reportdata-flip", ErrorCode::kEvidenceBadSignature},
  };
  for (const auto& [name, code] : cases) {
    SCOPED_TRACE(name);
    nlohmann::json ex = read_json(dir / name / "expected.json");
    Loaded l = load(dir / name, attestation_dir, ex["inputs"]);
    SevSnpOptions opts;
    opts.at = parse_rfc3339(ex["verify_at"].get<std::string>()).value();
    EXPECT_THAT(verify_sev_snp_evidence(l.report, l.certs, opts), HasCode(code));
  }
  ::verun::testing::report_vector_count("sev-snp negative vectors by code", cases.size());
}

// Genuine evidence, checked at times outside the chain's validity window.
TEST(SevSnpVectors, ValidVectorFailsOutsideItsWindow) {
  VERUN_REQUIRE_VECTORS(dir, "attestation/sev-snp");
  nlohmann::json ex = read_json(dir / "snp-turin-v5-oak" / "expected.json");
  Loaded l = load(dir / "snp-turin-v5-oak", dir.parent_path(), ex["inputs"]);
  SevSnpOptions opts;
  opts.at = parse_rfc3339(ex["expected"]["valid_window"][0].get<std::string>()).value();
  EXPECT_OK(verify_sev_snp_evidence(l.report, l.certs, opts));
  opts.at->seconds -= 1;
  EXPECT_THAT(verify_sev_snp_evidence(l.report, l.certs, opts), HasCode(ErrorCode::kEvidenceCertNotYetValid));
  opts.at = parse_rfc3339(ex["expected"]["valid_window"][1].get<std::string>()).value();
  EXPECT_OK(verify_sev_snp_evidence(l.report, l.certs, opts));
  opts.at->nanos = 1;
  EXPECT_THAT(verify_sev_snp_evidence(l.report, l.certs, opts), HasCode(ErrorCode::kEvidenceCertExpired));
  // Reordered or shortened chains fail; so does a chain without the ARK.
  std::vector<Bytes> swapped = {l.certs[1], l.certs[0], l.certs[2]};
  opts.at = parse_rfc3339(ex["verify_at"].get<std::string>()).value();
  EXPECT_FALSE(verify_sev_snp_evidence(l.report, swapped, opts).has_value());
  std::vector<Bytes> two = {l.certs[0], l.certs[1]};
  EXPECT_THAT(verify_sev_snp_evidence(l.report, two, opts), HasCode(ErrorCode::kEvidenceChainInvalid));
  std::vector<Bytes> no_root_pin = {l.certs[0], l.certs[1], l.certs[1]};
  EXPECT_THAT(verify_sev_snp_evidence(l.report, no_root_pin, opts), HasCode(ErrorCode::kEvidenceRootNotPinned));
}

// The pinned fingerprints are those of the corpus' root files.
TEST(SevSnpVectors, PinnedRootsAreTheCorpusRoots) {
  VERUN_REQUIRE_VECTORS(dir, "attestation/roots/amd");
  const std::vector<std::pair<std::string, SnpProduct>> files = {
      {"ark-milan.pem", SnpProduct::kMilan}, {"ark-genoa.pem", SnpProduct::kGenoa}, {"ark-turin.pem", SnpProduct::kTurin}};
  ASSERT_EQ(amd_snp_roots().size(), files.size());
  for (const auto& [file, product] : files) {
    Hash32 fp = sha256(read_certs(dir / file).at(0));
    bool found = false;
    for (const SnpTrustedRoot& r : amd_snp_roots()) found = found || (r.fingerprint == fp && r.product == product);
    EXPECT_TRUE(found) << file;
  }
  ::verun::testing::report_vector_count("amd roots", files.size());
}

}  // namespace
}  // namespace verun::proofs
