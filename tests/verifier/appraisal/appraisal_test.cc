// appraise_evidence over sim-v1 evidence (DESIGN.md §5, §10): every check
// passes together, and each one fails on its own.
#include "verun/verifier/appraisal.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/support/matchers.h"
#include "verun/proofs/base64.h"
#include "verun/proofs/evidence/sim.h"
#include "verun/proofs/hex.h"
#include "verun/proofs/json/jcs.h"
#include "verun/proofs/report_data.h"
#include "verun/proofs/sha2.h"

namespace verun::verifier {
namespace {

using proofs::Bytes;
using proofs::Ed25519PrivateKey;
using proofs::Evidence;
using proofs::EvidenceFormat;
using proofs::SimReport;

Ed25519PrivateKey key_from(std::uint8_t fill) { return Ed25519PrivateKey::from_seed(Bytes(32, fill)).value(); }

Json identity_json(const std::string& version = "0.1.0") {
  return Json::parse(R"({"platform": "sim", "signing_key": "iojj3XQJ8ZX9UtstPLpdcspnCb8dlBIb83SIAbQPb1w=",
    "hpke_key": "gTl3Dqh9F19Wo1Rmw0x+zMuNipG07jeiXfYPW4/Js5Q=", "runner_version": ")" +
                     version + R"(", "boot_id": "00112233445566778899aabbccddeeff", "workloads": []})");
}

Hash32 nonce_of(std::uint8_t b) {
  Hash32 n{};
  n.fill(b);
  return n;
}

const std::string kMeasurementHex(96, 'a');

SimReport report_for(const Json& identity, const Hash32& nonce) {
  SimReport r;
  r.measurement.fill(0xaa);
  r.report_data = proofs::make_report_data(identity, nonce).value();
  r.debug = false;
  r.tcb = 3;
  r.instance_id.fill(0x11);
  return r;
}

Evidence sim_evidence(const SimReport& r, std::uint8_t root_seed = 1) {
  Evidence e;
  e.format = EvidenceFormat::kSimV1;
  e.data = proofs::make_sim_evidence(key_from(root_seed), r).value();
  return e;
}

// The policy text: sim allowed, root of seed 1 trusted, the measurement
// listed, min_tcb 3; `edit` changes it first.
template <typename F>
Policy policy_with(F edit) {
  Json p = Json::parse(R"({"platforms": {"sim": {"allow_insecure_simulation": true,
      "roots": [], "measurements": [], "allow_debug": false, "min_tcb": 3}}})");
  p["platforms"]["sim"]["roots"].push_back(proofs::base64_encode(key_from(1).public_key()));
  p["platforms"]["sim"]["measurements"].push_back(kMeasurementHex);
  edit(p);
  return parse_policy(p.dump()).value();
}
Policy default_policy() {
  return policy_with([](Json&) {});
}

const std::vector<std::string> kOrder = {
    "evidence.format_known",     "evidence.signature", "evidence.report_data_binding", "policy.platform_allowed",
    "policy.sim_allowed",        "policy.measurement_allowed", "policy.debug",          "policy.min_tcb",
    "policy.tcb_status",         "policy.revoked_measurement", "policy.evidence_age"};

std::vector<std::string> names(const CheckReport& r) {
  std::vector<std::string> out;
  for (const auto& c : r.checks()) out.push_back(c.name);
  return out;
}

CheckResult result_of(const Appraisal& a, std::string_view check) { return a.report.find(check)->result; }
ErrorCode code_of(const Appraisal& a, std::string_view check) { return a.report.find(check)->code; }

// Appraises evidence built from `report` (bound to identity_json() and nonce 7).
Appraisal appraise(const SimReport& report, const Policy& policy, std::uint8_t root_seed = 1) {
  return appraise_evidence(sim_evidence(report, root_seed), identity_json(), nonce_of(7), policy);
}
SimReport good_report() { return report_for(identity_json(), nonce_of(7)); }

// The only failing check of a, and its code.
void expect_only_failure(const Appraisal& a, std::string_view check, ErrorCode code) {
  EXPECT_EQ(names(a.report), kOrder);
  ASSERT_NE(a.report.first_failure(), nullptr);
  EXPECT_EQ(a.report.first_failure()->name, check);
  EXPECT_EQ(a.report.first_failure()->code, code);
  int failures = 0;
  for (const auto& c : a.report.checks()) failures += c.result == CheckResult::kFail ? 1 : 0;
  EXPECT_EQ(failures, 1);
  EXPECT_FALSE(a.passed());
}

TEST(AppraiseEvidence, MatchingSimEvidencePassesEveryCheckInOrder) {
  Policy policy = default_policy();
  Appraisal a = appraise(good_report(), policy);
  EXPECT_TRUE(a.passed()) << a.to_json().dump();
  EXPECT_EQ(names(a.report), kOrder);
  for (const char* passing : {"evidence.format_known", "evidence.signature", "evidence.report_data_binding",
                              "policy.platform_allowed", "policy.sim_allowed", "policy.measurement_allowed",
                              "policy.debug", "policy.min_tcb", "policy.revoked_measurement"})
    EXPECT_EQ(result_of(a, passing), CheckResult::kPass) << passing;
  EXPECT_EQ(result_of(a, "policy.tcb_status"), CheckResult::kSkip);
  EXPECT_EQ(result_of(a, "policy.evidence_age"), CheckResult::kSkip);
  EXPECT_TRUE(a.simulated);
  ASSERT_TRUE(a.claims.has_value());
  EXPECT_EQ(a.claims->tcb.at("tcb"), 3u);
  EXPECT_EQ(a.policy_digest, policy.digest);
  EXPECT_TRUE(a.collateral_digests.empty());
  EXPECT_NE(a.report.find("policy.sim_allowed")->message.find("SIMULATED"), std::string::npos);
}

TEST(AppraiseEvidence, IdentityMayBeGivenAsItsDigest) {
  Hash32 digest = proofs::identity_digest(identity_json()).value();
  Appraisal a = appraise_evidence(sim_evidence(good_report()), digest, nonce_of(7), default_policy());
  EXPECT_TRUE(a.passed());
  Appraisal b = appraise_evidence(sim_evidence(good_report()), Hash32{}, nonce_of(7), default_policy());
  expect_only_failure(b, "evidence.report_data_binding", ErrorCode::kAppraisalReportDataMismatch);
}

TEST(AppraiseEvidence, ReportDataOfAnotherIdentityFails) {
  SimReport r = report_for(identity_json("0.2.0"), nonce_of(7));
  expect_only_failure(appraise(r, default_policy()), "evidence.report_data_binding",
                      ErrorCode::kAppraisalReportDataMismatch);
}

TEST(AppraiseEvidence, ReportDataOfAnotherNonceFails) {
  SimReport r = report_for(identity_json(), nonce_of(8));
  expect_only_failure(appraise(r, default_policy()), "evidence.report_data_binding",
                      ErrorCode::kAppraisalReportDataMismatch);
  // The registration binds the all-zero nonce, and that works too.
  SimReport boot = report_for(identity_json(), proofs::kZeroNonce);
  EXPECT_TRUE(appraise_evidence(sim_evidence(boot), identity_json(), proofs::kZeroNonce, default_policy()).passed());
}

TEST(AppraiseEvidence, IdentityOutsideVerunJsonFailsTheBinding) {
  Json bad = identity_json();
  bad["weight"] = 0.5;
  Appraisal a = appraise_evidence(sim_evidence(good_report()), bad, nonce_of(7), default_policy());
  EXPECT_EQ(a.report.first_failure()->name, "evidence.report_data_binding");
}

TEST(AppraiseEvidence, DebugReportFailsUnlessAllowed) {
  SimReport r = good_report();
  r.debug = true;
  expect_only_failure(appraise(r, default_policy()), "policy.debug", ErrorCode::kPolicyDebugNotAllowed);
  Policy allow = policy_with([](Json& p) { p["platforms"]["sim"]["allow_debug"] = true; });
  EXPECT_TRUE(appraise(r, allow).passed());
  Policy absent = policy_with([](Json& p) { p["platforms"]["sim"].erase("allow_debug"); });
  expect_only_failure(appraise(r, absent), "policy.debug", ErrorCode::kPolicyDebugNotAllowed);
}

TEST(AppraiseEvidence, TcbBelowMinimumFails) {
  SimReport r = good_report();
  r.tcb = 2;
  expect_only_failure(appraise(r, default_policy()), "policy.min_tcb", ErrorCode::kPolicyTcbTooLow);
  r.tcb = 3;
  EXPECT_TRUE(appraise(r, default_policy()).passed());
  Policy none = policy_with([](Json& p) { p["platforms"]["sim"].erase("min_tcb"); });
  r.tcb = 0;
  Appraisal a = appraise(r, none);
  EXPECT_TRUE(a.passed());
  EXPECT_EQ(result_of(a, "policy.min_tcb"), CheckResult::kSkip);
}

TEST(AppraiseEvidence, MeasurementNotListedFails) {
  SimReport r = good_report();
  r.measurement[47] ^= 1;
  expect_only_failure(appraise(r, default_policy()), "policy.measurement_allowed",
                      ErrorCode::kPolicyMeasurementNotAllowed);
  Policy empty = policy_with([](Json& p) { p["platforms"]["sim"]["measurements"] = Json::array(); });
  expect_only_failure(appraise(good_report(), empty), "policy.measurement_allowed",
                      ErrorCode::kPolicyMeasurementNotAllowed);
  Policy absent = policy_with([](Json& p) { p["platforms"]["sim"].erase("measurements"); });
  EXPECT_TRUE(appraise(r, absent).passed());
  // Listed in uppercase by hand: lowercased on load, so it matches.
  Policy upper = policy_with([](Json& p) { p["platforms"]["sim"]["measurements"][0] = std::string(96, 'A'); });
  EXPECT_TRUE(appraise(good_report(), upper).passed());
}

TEST(AppraiseEvidence, SimulationNotAllowedFails) {
  Policy off = policy_with([](Json& p) { p["platforms"]["sim"]["allow_insecure_simulation"] = false; });
  expect_only_failure(appraise(good_report(), off), "policy.sim_allowed", ErrorCode::kPolicySimulationNotAllowed);
  Policy absent = policy_with([](Json& p) { p["platforms"]["sim"].erase("allow_insecure_simulation"); });
  expect_only_failure(appraise(good_report(), absent), "policy.sim_allowed",
                      ErrorCode::kPolicySimulationNotAllowed);
}

TEST(AppraiseEvidence, RootNotInRootsFails) {
  expect_only_failure(appraise(good_report(), default_policy(), /*root_seed=*/2), "policy.sim_allowed",
                      ErrorCode::kPolicyRootNotTrusted);
  Policy none = policy_with([](Json& p) { p["platforms"]["sim"]["roots"] = Json::array(); });
  expect_only_failure(appraise(good_report(), none), "policy.sim_allowed", ErrorCode::kPolicyRootNotTrusted);
  Policy both = policy_with([](Json& p) {
    p["platforms"]["sim"]["roots"].push_back(proofs::base64_encode(key_from(2).public_key()));
  });
  EXPECT_TRUE(appraise(good_report(), both, 2).passed());
}

TEST(AppraiseEvidence, RevokedMeasurementFails) {
  Policy revoked = policy_with([](Json& p) { p["revoked"] = Json{{"measurements", Json::array({kMeasurementHex})}}; });
  expect_only_failure(appraise(good_report(), revoked), "policy.revoked_measurement", ErrorCode::kPolicyRevoked);
  Policy other = policy_with([](Json& p) { p["revoked"] = Json{{"measurements", Json::array({std::string(96, 'b')})}}; });
  EXPECT_TRUE(appraise(good_report(), other).passed());
}

TEST(AppraiseEvidence, PlatformAbsentFromPolicyFails) {
  Policy snp_only = parse_policy(R"({"platforms": {"sev-snp": {}}})").value();
  Appraisal a = appraise(good_report(), snp_only);
  expect_only_failure(a, "policy.platform_allowed", ErrorCode::kPolicyPlatformNotAllowed);
  for (const char* skipped : {"policy.sim_allowed", "policy.measurement_allowed", "policy.debug", "policy.min_tcb",
                              "policy.tcb_status"})
    EXPECT_EQ(result_of(a, skipped), CheckResult::kSkip) << skipped;
  EXPECT_EQ(result_of(a, "policy.revoked_measurement"), CheckResult::kPass);
}

TEST(AppraiseEvidence, BadSignatureSkipsEverythingAfter) {
  Evidence e = sim_evidence(good_report());
  e.data[e.data.size() / 2] ^= 0x01;
  Appraisal a = appraise_evidence(e, identity_json(), nonce_of(7), default_policy());
  EXPECT_EQ(names(a.report), kOrder);
  EXPECT_EQ(a.report.first_failure()->name, "evidence.signature");
  for (std::size_t i = 2; i < kOrder.size(); ++i) EXPECT_EQ(a.report.checks()[i].result, CheckResult::kSkip);
  EXPECT_FALSE(a.claims.has_value());
  EXPECT_TRUE(a.simulated);

  Policy policy = default_policy();
  Json doc = Json::parse(proofs::as_string_view(sim_evidence(good_report()).data));
  Bytes sig = proofs::base64_decode(doc["signature"].get<std::string>()).value();
  sig[0] ^= 0x80;
  doc["signature"] = proofs::base64_encode(sig);
  Evidence flipped;
  flipped.data = proofs::to_bytes(proofs::jcs_serialize(doc).value());
  Appraisal b = appraise_evidence(flipped, identity_json(), nonce_of(7), policy);
  EXPECT_EQ(b.report.first_failure()->name, "evidence.signature");
  EXPECT_EQ(b.report.first_failure()->code, ErrorCode::kEvidenceBadSignature);
}

TEST(AppraiseEvidence, SimEvidenceWithCertsFailsTheSignatureCheck) {
  Evidence e = sim_evidence(good_report());
  e.collateral["tcb_info"] = Hash32{};
  Appraisal a = appraise_evidence(e, identity_json(), nonce_of(7), default_policy());
  EXPECT_EQ(a.report.first_failure()->code, ErrorCode::kEvidenceUnexpectedMaterial);
  EXPECT_EQ(a.collateral_digests.size(), 1u);
}

// Every format has a verifier now; sim data labelled as a TDX quote fails
// in the TDX verifier (it is no DCAP quote), not as an unknown format.
TEST(AppraiseEvidence, MislabelledFormatFailsEvidence) {
  Evidence e = sim_evidence(good_report());
  e.format = EvidenceFormat::kTdxQuote;
  Appraisal a = appraise_evidence(e, identity_json(), nonce_of(7), default_policy());
  EXPECT_EQ(names(a.report), kOrder);
  ASSERT_NE(a.report.first_failure(), nullptr);
  EXPECT_EQ(a.report.first_failure()->code, ErrorCode::kIntelQuoteUnsupported);
  EXPECT_EQ(a.report.checks().back().result, CheckResult::kSkip);
  EXPECT_FALSE(a.simulated);
}

TEST(AppraiseEvidence, ReportsEveryFailureAndNamesTheFirst) {
  SimReport r = report_for(identity_json(), nonce_of(9));
  r.debug = true;
  r.tcb = 0;
  Appraisal a = appraise(r, default_policy());
  EXPECT_EQ(a.report.first_failure()->name, "evidence.report_data_binding");
  EXPECT_EQ(code_of(a, "policy.debug"), ErrorCode::kPolicyDebugNotAllowed);
  EXPECT_EQ(code_of(a, "policy.min_tcb"), ErrorCode::kPolicyTcbTooLow);
}

TEST(AppraiseEvidence, EvidenceAgeUsesTheAsOfTimeWhenGiven) {
  Policy policy = policy_with([](Json& p) { p["max_evidence_age_seconds"] = 60; });
  AppraisalOptions o;
  o.time = proofs::Timestamp{1'000'000, 0};
  Appraisal no_time = appraise_evidence(sim_evidence(good_report()), identity_json(), nonce_of(7), policy, o);
  EXPECT_EQ(result_of(no_time, "policy.evidence_age"), CheckResult::kSkip);
  o.as_of = proofs::Timestamp{1'000'000 - 60, 0};
  EXPECT_TRUE(appraise_evidence(sim_evidence(good_report()), identity_json(), nonce_of(7), policy, o).passed());
  o.as_of = proofs::Timestamp{1'000'000 - 61, 0};
  expect_only_failure(appraise_evidence(sim_evidence(good_report()), identity_json(), nonce_of(7), policy, o),
                      "policy.evidence_age", ErrorCode::kPolicyEvidenceTooOld);
}

TEST(AppraisalJson, HasTheVerifyReportFields) {
  SimReport r = good_report();
  r.debug = true;
  Appraisal a = appraise(r, default_policy());
  Json j = a.to_json();
  EXPECT_EQ(j["verdict"], "invalid");
  EXPECT_EQ(j["checks"].size(), kOrder.size());
  EXPECT_EQ(j["first_failure"]["check"], "policy.debug");
  EXPECT_EQ(j["first_failure"]["code"], "policy.debug_not_allowed");
  EXPECT_EQ(j["policy_digest"], proofs::hex_encode(default_policy().digest));
  EXPECT_TRUE(j["collateral_digests"].is_object());
  EXPECT_EQ(j["claims"]["format"], "sim-v1");
  EXPECT_EQ(j["simulated"], true);
  Json ok = appraise(good_report(), default_policy()).to_json();
  EXPECT_EQ(ok["verdict"], "valid");
  EXPECT_FALSE(ok.contains("first_failure"));
}

}  // namespace
}  // namespace verun::verifier
