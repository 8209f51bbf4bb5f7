// nitro-cose against the shared corpus (vectors/attestation/nitro): every
// vector's verdict, the failing check's code and every extracted field as its
// expected.json says, verified at its verify_at with the root it names
// pinned; and the pinned AWS fingerprint against the corpus' root file.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "tests/support/matchers.h"
#include "tests/support/vectors.h"
#include "verun/proofs/crypto/x509.h"
#include "verun/proofs/evidence/evidence.h"
#include "verun/proofs/evidence/nitro.h"
#include "verun/proofs/hex.h"
#include "verun/proofs/sha2.h"

namespace verun::proofs {
namespace {

namespace fs = std::filesystem;
using ::verun::testing::HasCode;
using ::verun::testing::read_file_bytes;
using ::verun::testing::read_json;

Hash32 root_fingerprint(const fs::path& pem) {
  Result<Certificate> cert = parse_certificate(read_file_bytes(pem));
  EXPECT_TRUE(cert) << pem;
  return cert ? sha256(cert->der) : Hash32{};
}

std::vector<fs::path> vector_dirs(const fs::path& root) {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(root))
    if (e.is_directory() && fs::exists(e.path() / "expected.json")) out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

// The error code the corpus' first failing check stands for.
ErrorCode expected_code(const nlohmann::json& expected) {
  const auto& checks = expected["checks"];
  if (!checks["alg_es384"].get<bool>()) return ErrorCode::kNitroUnsupportedAlgorithm;
  if (!checks["root_pinned"].get<bool>()) return ErrorCode::kEvidenceRootNotPinned;
  if (!checks["chain"].get<bool>()) return ErrorCode::kEvidenceChainInvalid;
  if (!checks["time_valid"].get<bool>()) {
    const std::string reason = expected["reason"].get<std::string>();
    return reason.find("not yet valid") != std::string::npos ? ErrorCode::kEvidenceCertNotYetValid
                                                             : ErrorCode::kEvidenceCertExpired;
  }
  if (!checks["signature"].get<bool>()) return ErrorCode::kEvidenceBadSignature;
  return ErrorCode::kOk;
}

void expect_optional_hex(const nlohmann::json& want, const std::optional<Bytes>& got, const std::string& what) {
  if (want.is_null()) {
    EXPECT_FALSE(got.has_value()) << what;
  } else {
    ASSERT_TRUE(got.has_value()) << what;
    EXPECT_EQ(hex_encode(*got), want.get<std::string>()) << what;
  }
}

void expect_fields(const nlohmann::json& f, const NitroDocument& d, const std::string& name) {
  EXPECT_EQ(d.module_id, f["module_id"].get<std::string>()) << name;
  EXPECT_EQ(d.digest, f["digest"].get<std::string>()) << name;
  EXPECT_EQ(d.timestamp_ms, f["timestamp_ms"].get<std::uint64_t>()) << name;
  EXPECT_EQ(format_rfc3339(Timestamp{d.timestamp().seconds, 0}), f["timestamp"].get<std::string>()) << name;
  ASSERT_EQ(d.pcrs.size(), f["pcrs"].size()) << name;
  for (const auto& [index, value] : f["pcrs"].items()) {
    const auto it = d.pcrs.find(static_cast<std::uint32_t>(std::stoul(index)));
    ASSERT_NE(it, d.pcrs.end()) << name << " PCR" << index;
    EXPECT_EQ(hex_encode(it->second), value.get<std::string>()) << name << " PCR" << index;
  }
  expect_optional_hex(f["public_key"], d.public_key, name + " public_key");
  expect_optional_hex(f["user_data"], d.user_data, name + " user_data");
  expect_optional_hex(f["nonce"], d.nonce, name + " nonce");
  EXPECT_EQ(d.cabundle.size(), f["cabundle_len"].get<std::size_t>()) << name;
}

TEST(NitroVectors, PinnedRootIsTheCorpusAwsRoot) {
  VERUN_REQUIRE_VECTORS(dir, "attestation/roots/aws");
  EXPECT_EQ(root_fingerprint(dir / "aws-nitro-enclaves-root-g1.pem"), aws_nitro_root_fingerprint());
  EXPECT_EQ(hex_encode(aws_nitro_root_fingerprint()),
            "641a0321a3e244efe456463195d606317ed7cdcc3c1756e09893f3c68f79bb5b");
}

TEST(NitroVectors, EveryVectorAsExpected) {
  VERUN_REQUIRE_VECTORS(root, "attestation/nitro");
  const fs::path attestation = root.parent_path();
  std::size_t ran = 0, valid = 0;
  for (const fs::path& dir : vector_dirs(root)) {
    const std::string name = dir.filename().string();
    SCOPED_TRACE(name);
    const nlohmann::json j = read_json(dir / "expected.json");
    ASSERT_EQ(j["format"], "nitro");
    const nlohmann::json& expected = j["expected"];
    const Bytes doc = read_file_bytes(dir / j["inputs"]["doc"].get<std::string>());
    NitroOptions options;
    options.at = parse_rfc3339(j["verify_at"].get<std::string>()).value();
    options.roots = {root_fingerprint(attestation / j["inputs"]["root"].get<std::string>())};

    Result<ParsedNitro> parsed = parse_nitro_document(doc);
    ASSERT_OK(parsed);
    expect_fields(expected["fields"], parsed->document, name);

    Result<VerifiedNitro> v = verify_nitro_evidence_detailed(doc, options);
    const ErrorCode code = expected_code(expected);
    if (code != ErrorCode::kOk) {
      EXPECT_EQ(expected["verdict"], "invalid");
      EXPECT_THAT(v, HasCode(code));
    } else {
      ASSERT_OK(v);
      EXPECT_EQ(v->claims.debug, expected["fields"]["debug_mode"].get<bool>());
      EXPECT_EQ(v->claims.debug, !expected["checks"]["not_debug"].get<bool>());
      // The corpus' verdict: valid exactly when nothing failed and not debug.
      EXPECT_EQ(expected["verdict"] == "valid", !v->claims.debug);
      EXPECT_EQ(v->claims.platform, Platform::kNitro);
      EXPECT_EQ(v->claims.measurement, parsed->document.pcrs.at(0));
      EXPECT_EQ(v->claims.measurements.size(), parsed->document.pcrs.size());
      EXPECT_EQ(v->claims.chain_fingerprints.size(), 1 + parsed->document.cabundle.size());
      EXPECT_EQ(v->claims.chain_fingerprints.back(), aws_nitro_root_fingerprint());
      EXPECT_EQ(to_string(v->claims.instance_id), expected["fields"]["module_id"].get<std::string>());
      EXPECT_EQ(v->claims.timestamp, parsed->document.timestamp());
      // The shipped configuration (AWS root, the document's own time) agrees,
      // and so does the evidence dispatcher.
      Result<Claims> shipped = verify_nitro_evidence(doc);
      ASSERT_OK(shipped);
      EXPECT_EQ(*shipped, v->claims);
      Evidence e;
      e.format = EvidenceFormat::kNitroCose;
      e.data = doc;
      EvidenceOptions eo;
      eo.at = options.at;
      Result<Claims> dispatched = verify_evidence(e, eo);
      ASSERT_OK(dispatched);
      EXPECT_EQ(*dispatched, v->claims);
      // valid_window: the chain verifies at both ends.
      if (expected.contains("valid_window")) {
        for (const auto& t : expected["valid_window"]) {
          NitroOptions at_edge = options;
          at_edge.at = parse_rfc3339(t.get<std::string>()).value();
          EXPECT_OK(verify_nitro_evidence(doc, at_edge)) << t;
        }
      }
      if (!v->claims.debug) ++valid;
    }
    ++ran;
  }
  EXPECT_EQ(ran, 7u);
  EXPECT_EQ(valid, 1u);
  ::verun::testing::report_vector_count("attestation/nitro", ran);
}

}  // namespace
}  // namespace verun::proofs
