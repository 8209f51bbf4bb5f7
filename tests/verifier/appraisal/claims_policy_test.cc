// appraise_claims over claims that the hardware verifiers will produce
// (synthetic here): each platform's lists, minimums, TCB status, and the
// evidence age of DESIGN.md §5.
#include <gtest/gtest.h>

#include <string>

#include "verun/proofs/hex.h"
#include "verun/verifier/appraisal.h"

namespace verun::verifier {
namespace {

using proofs::Bytes;
using proofs::Platform;

Bytes bytes_of(std::size_t n, std::uint8_t fill) { return Bytes(n, fill); }

const Check& check(const CheckReport& r, std::string_view name) {
  const Check* c = r.find(name);
  EXPECT_NE(c, nullptr) << name;
  static const Check kMissing{};
  return c ? *c : kMissing;
}

Claims snp_claims() {
  Claims c;
  c.format = "sev-snp-report";
  c.platform = Platform::kSevSnp;
  c.measurement = bytes_of(48, 0x11);
  c.measurements["measurement"] = c.measurement;
  c.measurements["host_data"] = bytes_of(32, 0x00);
  c.tcb = {{"bootloader", 10}, {"tee", 0}, {"snp", 23}, {"microcode", 84}};
  return c;
}

Policy snp_policy(const std::string& extra = "") {
  return parse_policy(R"({"platforms": {"sev-snp": {"measurements": [")" + std::string(96, '1') +
                      R"("], "host_data": [")" + std::string(64, '0') +
                      R"("], "min_tcb": {"bootloader": 10, "snp": 23, "microcode": 84, "fmc": 1})" + extra + "}}}")
      .value();
}

TEST(AppraiseClaims, SevSnpMatchesListsAndReportedTcb) {
  CheckReport r = appraise_claims(snp_claims(), snp_policy());
  EXPECT_TRUE(r.passed()) << r.to_json().dump();
  EXPECT_EQ(check(r, kCheckSimAllowed).result, CheckResult::kSkip);
  EXPECT_EQ(check(r, kCheckMinTcb).result, CheckResult::kPass);  // fmc absent before Turin: not compared
}

TEST(AppraiseClaims, SevSnpFailsOnEachRule) {
  Claims low = snp_claims();
  low.tcb["microcode"] = 83;
  EXPECT_EQ(check(appraise_claims(low, snp_policy()), kCheckMinTcb).code, ErrorCode::kPolicyTcbTooLow);
  Claims turin = snp_claims();
  turin.tcb["fmc"] = 0;
  EXPECT_EQ(check(appraise_claims(turin, snp_policy()), kCheckMinTcb).code, ErrorCode::kPolicyTcbTooLow);
  Claims host = snp_claims();
  host.measurements["host_data"] = bytes_of(32, 0x01);
  EXPECT_EQ(check(appraise_claims(host, snp_policy()), kCheckMeasurementAllowed).code,
            ErrorCode::kPolicyMeasurementNotAllowed);
  Claims no_snp = snp_claims();
  no_snp.tcb.erase("snp");
  EXPECT_EQ(check(appraise_claims(no_snp, snp_policy()), kCheckMinTcb).code, ErrorCode::kPolicyTcbTooLow);
  Claims debug = snp_claims();
  debug.debug = true;
  EXPECT_EQ(check(appraise_claims(debug, snp_policy()), kCheckDebug).code, ErrorCode::kPolicyDebugNotAllowed);
  EXPECT_TRUE(appraise_claims(debug, snp_policy(R"(, "allow_debug": true)")).passed());
}

Claims tdx_claims() {
  Claims c;
  c.format = "tdx-quote";
  c.platform = Platform::kTdx;
  c.measurement = bytes_of(48, 0x22);
  c.measurements["mrtd"] = c.measurement;
  c.measurements["rtmr1"] = bytes_of(48, 0x33);
  return c;
}

TEST(AppraiseClaims, TdxTcbStatusNeedsCollateral) {
  Policy p = parse_policy(R"({"platforms": {"tdx": {"mrtd": [")" + std::string(96, '2') + R"("], "rtmr": {"1": [")" +
                          std::string(96, '3') + R"("]}, "tcb_status": ["UpToDate"]}}})")
                 .value();
  Claims c = tdx_claims();
  EXPECT_EQ(check(appraise_claims(c, p), kCheckTcbStatus).code, ErrorCode::kPolicyTcbStatusNotAllowed);
  c.tcb_status = "OutOfDate";
  EXPECT_EQ(check(appraise_claims(c, p), kCheckTcbStatus).code, ErrorCode::kPolicyTcbStatusNotAllowed);
  c.tcb_status = "UpToDate";
  EXPECT_TRUE(appraise_claims(c, p).passed());
  c.measurements["rtmr1"] = bytes_of(48, 0x34);
  EXPECT_EQ(check(appraise_claims(c, p), kCheckMeasurementAllowed).code, ErrorCode::kPolicyMeasurementNotAllowed);
  c = tdx_claims();
  c.tcb_status = "UpToDate";
  c.measurements.erase("rtmr1");
  EXPECT_EQ(check(appraise_claims(c, p), kCheckMeasurementAllowed).code, ErrorCode::kPolicyMeasurementNotAllowed);
}

TEST(AppraiseClaims, SgxIdentityAndSvn) {
  Policy p = parse_policy(R"({"platforms": {"sgx": {"mrsigner": [")" + std::string(64, '5') +
                          R"("], "isv_prod_id": [1], "min_isv_svn": 2}}})")
                 .value();
  Claims c;
  c.format = "sgx-quote";
  c.platform = Platform::kSgx;
  c.measurements["mrenclave"] = bytes_of(32, 0x44);
  c.measurements["mrsigner"] = bytes_of(32, 0x55);
  c.tcb = {{"isv_prod_id", 1}, {"isv_svn", 2}};
  EXPECT_TRUE(appraise_claims(c, p).passed());
  EXPECT_EQ(check(appraise_claims(c, p), kCheckTcbStatus).result, CheckResult::kSkip);
  c.tcb["isv_svn"] = 1;
  EXPECT_EQ(check(appraise_claims(c, p), kCheckMinTcb).code, ErrorCode::kPolicyTcbTooLow);
  c.tcb["isv_svn"] = 2;
  c.tcb["isv_prod_id"] = 0;
  EXPECT_EQ(check(appraise_claims(c, p), kCheckMeasurementAllowed).code, ErrorCode::kPolicyMeasurementNotAllowed);
}

TEST(AppraiseClaims, NitroPcrsAndRevocation) {
  Policy p = parse_policy(R"({"platforms": {"nitro": {"pcr": {"0": [")" + std::string(96, '6') +
                          R"("]}}}, "revoked": {"measurements": [")" + std::string(96, '7') + R"("]}})")
                 .value();
  Claims c;
  c.format = "nitro-cose";
  c.platform = Platform::kNitro;
  c.measurements["pcr0"] = bytes_of(48, 0x66);
  c.measurements["pcr1"] = bytes_of(48, 0x01);
  EXPECT_TRUE(appraise_claims(c, p).passed());
  c.measurements["pcr2"] = bytes_of(48, 0x77);  // any register that is revoked fails
  EXPECT_EQ(check(appraise_claims(c, p), kCheckRevokedMeasurement).code, ErrorCode::kPolicyRevoked);
  c.measurements.erase("pcr2");
  c.measurements["pcr0"] = bytes_of(48, 0x67);
  EXPECT_EQ(check(appraise_claims(c, p), kCheckMeasurementAllowed).code, ErrorCode::kPolicyMeasurementNotAllowed);
}

TEST(AppraiseClaims, EvidenceAgeFromTheEvidenceTimestamp) {
  Policy p = parse_policy(R"({"platforms": {"nitro": {}}, "max_evidence_age_seconds": 100})").value();
  Claims c;
  c.format = "nitro-cose";
  c.platform = Platform::kNitro;
  AppraisalOptions o;
  o.time = Timestamp{5000, 0};
  EXPECT_EQ(check(appraise_claims(c, p, o), kCheckEvidenceAge).result, CheckResult::kSkip);  // no timestamp
  c.timestamp = Timestamp{4900, 0};
  EXPECT_EQ(check(appraise_claims(c, p, o), kCheckEvidenceAge).result, CheckResult::kPass);
  c.timestamp = Timestamp{4899, 999'999'999};
  EXPECT_EQ(check(appraise_claims(c, p, o), kCheckEvidenceAge).code, ErrorCode::kPolicyEvidenceTooOld);
  c.timestamp = Timestamp{5001, 0};
  EXPECT_EQ(check(appraise_claims(c, p, o), kCheckEvidenceAge).code, ErrorCode::kPolicyEvidenceFromFuture);
  // A given as-of time wins over the evidence's own timestamp.
  o.as_of = Timestamp{4950, 0};
  EXPECT_EQ(check(appraise_claims(c, p, o), kCheckEvidenceAge).result, CheckResult::kPass);
  Policy unlimited = parse_policy(R"({"platforms": {"nitro": {}}})").value();
  EXPECT_EQ(check(appraise_claims(c, unlimited, o), kCheckEvidenceAge).result, CheckResult::kSkip);
}

TEST(AppraiseClaims, EveryCheckIsReportedInOrder) {
  CheckReport r = appraise_claims(snp_claims(), parse_policy(R"({"platforms": {}})").value());
  std::vector<std::string> names;
  for (const auto& c : r.checks()) names.push_back(c.name);
  EXPECT_EQ(names, (std::vector<std::string>{"policy.platform_allowed", "policy.sim_allowed",
                                             "policy.measurement_allowed", "policy.debug", "policy.min_tcb",
                                             "policy.tcb_status", "policy.revoked_measurement",
                                             "policy.evidence_age"}));
  EXPECT_EQ(r.first_failure()->code, ErrorCode::kPolicyPlatformNotAllowed);
}

}  // namespace
}  // namespace verun::verifier
