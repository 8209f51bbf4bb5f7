// CheckReport (DESIGN.md §5, §8 `checks`).
#include "verun/verifier/check_report.h"

#include <gtest/gtest.h>

namespace verun::verifier {
namespace {

TEST(CheckReport, EmptyReportPasses) {
  CheckReport r;
  EXPECT_TRUE(r.passed());
  EXPECT_EQ(r.first_failure(), nullptr);
  EXPECT_EQ(r.to_json(), proofs::Json::array());
}

TEST(CheckReport, SkipsDoNotFailButFailuresDo) {
  CheckReport r;
  r.pass("a", "fine");
  r.skip("b", "not applicable");
  EXPECT_TRUE(r.passed());
  r.fail("c", Error(ErrorCode::kPolicyDebugNotAllowed, "debug"));
  r.fail("d", Error(ErrorCode::kPolicyTcbTooLow, "low"));
  EXPECT_FALSE(r.passed());
  ASSERT_NE(r.first_failure(), nullptr);
  EXPECT_EQ(r.first_failure()->name, "c");
  EXPECT_EQ(r.first_failure()->code, ErrorCode::kPolicyDebugNotAllowed);
  EXPECT_EQ(r.checks().size(), 4u);
  EXPECT_EQ(r.find("d")->code, ErrorCode::kPolicyTcbTooLow);
  EXPECT_EQ(r.find("zz"), nullptr);
}

TEST(CheckReport, RecordAndAppendKeepOrder) {
  CheckReport r;
  r.record("one", ok(), "passed");
  r.record("two", Error(ErrorCode::kPolicyRevoked, "revoked"), "unused");
  CheckReport more;
  more.skip("three", "later");
  r.append(more);
  ASSERT_EQ(r.checks().size(), 3u);
  EXPECT_EQ(r.checks()[0].result, CheckResult::kPass);
  EXPECT_EQ(r.checks()[0].message, "passed");
  EXPECT_EQ(r.checks()[1].result, CheckResult::kFail);
  EXPECT_EQ(r.checks()[1].code, ErrorCode::kPolicyRevoked);
  EXPECT_EQ(r.checks()[2].name, "three");
}

TEST(CheckReport, AFailureWithoutACodeBecomesInternal) {
  CheckReport r;
  r.fail("x", Error(ErrorCode::kOk, "no code"));
  EXPECT_EQ(r.first_failure()->code, ErrorCode::kInternal);
}

TEST(CheckReport, JsonHasTheShapeOfTheVerifyReport) {
  CheckReport r;
  r.pass("evidence.signature", "ok");
  r.fail("policy.debug", Error(ErrorCode::kPolicyDebugNotAllowed, "debug TEE"));
  r.skip("policy.evidence_age", "no timestamp");
  proofs::Json j = r.to_json();
  ASSERT_EQ(j.size(), 3u);
  EXPECT_EQ(j[0], proofs::Json::parse(R"({"check":"evidence.signature","result":"pass","code":"ok","message":"ok"})"));
  EXPECT_EQ(j[1]["result"], "fail");
  EXPECT_EQ(j[1]["code"], "policy.debug_not_allowed");
  EXPECT_EQ(j[2]["result"], "skip");
  EXPECT_EQ(j[2]["code"], "ok");
  EXPECT_EQ(j[2].size(), 4u);
}

}  // namespace
}  // namespace verun::verifier
