// verify_evidence: the format dispatcher (DESIGN.md §5).
#include "verun/proofs/evidence/evidence.h"

#include <gtest/gtest.h>

#include "tests/support/matchers.h"
#include "verun/proofs/evidence/sim.h"

namespace verun::proofs {
namespace {

using ::verun::testing::HasCode;

Evidence sim_evidence() {
  auto key = Ed25519PrivateKey::from_seed(Bytes(32, 9)).value();
  Evidence e;
  e.format = EvidenceFormat::kSimV1;
  e.data = make_sim_evidence(key, SimReport{}).value();
  return e;
}

TEST(VerifyEvidence, DispatchesSimV1) {
  auto c = verify_evidence(sim_evidence());
  ASSERT_OK(c);
  EXPECT_EQ(c->format, "sim-v1");
  EXPECT_TRUE(evidence_format_supported(EvidenceFormat::kSimV1));
}

TEST(VerifyEvidence, SimV1PassesOnErrorsOfTheFormat) {
  Evidence e = sim_evidence();
  e.data.push_back(' ');
  EXPECT_THAT(verify_evidence(e), HasCode(ErrorCode::kEvidenceNotCanonical));
}

TEST(VerifyEvidence, SimV1TakesNoCertsOrCollateral) {
  Evidence with_certs = sim_evidence();
  with_certs.certs.push_back(Bytes{0x30, 0x00});
  EXPECT_THAT(verify_evidence(with_certs), HasCode(ErrorCode::kEvidenceUnexpectedMaterial));
  Evidence with_collateral = sim_evidence();
  with_collateral.collateral["tcb_info"] = Hash32{};
  EXPECT_THAT(verify_evidence(with_collateral), HasCode(ErrorCode::kEvidenceUnexpectedMaterial));
}

TEST(VerifyEvidence, EveryFormatHasAVerifier) {
  for (auto f : {EvidenceFormat::kSimV1, EvidenceFormat::kSevSnpReport, EvidenceFormat::kTdxQuote,
                 EvidenceFormat::kSgxQuote, EvidenceFormat::kNitroCose})
    EXPECT_TRUE(evidence_format_supported(f)) << to_string(f);
}

TEST(ClaimsJson, NamesEveryPartInHex) {
  auto c = verify_evidence(sim_evidence()).value();
  Json j = claims_to_json(c);
  EXPECT_EQ(j["format"], "sim-v1");
  EXPECT_EQ(j["platform"], "sim");
  EXPECT_EQ(j["measurement"].get<std::string>().size(), 96u);
  EXPECT_EQ(j["report_data"].get<std::string>().size(), 128u);
  EXPECT_EQ(j["instance_id"].get<std::string>().size(), 32u);
  EXPECT_EQ(j["tcb"]["tcb"], 0);
  EXPECT_EQ(j["chain_fingerprints"].size(), 1u);
  EXPECT_FALSE(j.contains("timestamp"));
  c.timestamp = Timestamp{1700000000, 0};
  EXPECT_EQ(claims_to_json(c)["timestamp"], "2023-11-14T22:13:20Z");
}

}  // namespace
}  // namespace verun::proofs
