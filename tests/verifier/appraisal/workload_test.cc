// appraise_workload, check_key_revoked and check_key_age (DESIGN.md §5, §10
// "Links": a workload entry matches by measurement, and by name when given;
// revoked.measurements also applies to workloads; revoked.keys to runner keys).
#include <gtest/gtest.h>

#include "tests/support/matchers.h"
#include "verun/proofs/hex.h"
#include "verun/verifier/appraisal.h"

namespace verun::verifier {
namespace {

using ::verun::testing::HasCode;

Hash32 digest_of(std::uint8_t b) {
  Hash32 h{};
  h.fill(b);
  return h;
}

Policy policy(const std::string& rest) { return parse_policy(R"({"platforms": {})" + rest + "}").value(); }

const std::string kWordcount = R"({"name": "wordcount", "measurement": {"sha256": ")" + std::string(64, '1') + R"("}})";
const std::string kAnyName = R"({"measurement": {"sha256": ")" + std::string(64, '2') + R"("}})";

ErrorCode allowed_code(const WorkloadClaim& w, const Policy& p) {
  return appraise_workload(w, p).find(kCheckWorkloadAllowed)->code;
}

TEST(AppraiseWorkload, AbsentWorkloadsAllowAny) {
  CheckReport r = appraise_workload({"anything", digest_of(9)}, policy(""));
  EXPECT_TRUE(r.passed());
  EXPECT_EQ(r.checks().size(), 2u);
}

TEST(AppraiseWorkload, EmptyWorkloadsAllowNone) {
  EXPECT_EQ(allowed_code({"wordcount", digest_of(0x11)}, policy(R"(, "workloads": [])")),
            ErrorCode::kPolicyWorkloadNotAllowed);
}

TEST(AppraiseWorkload, MatchesByMeasurementAndNameWhenGiven) {
  Policy p = policy(R"(, "workloads": [)" + kWordcount + ", " + kAnyName + "]");
  EXPECT_TRUE(appraise_workload({"wordcount", digest_of(0x11)}, p).passed());
  EXPECT_EQ(allowed_code({"grep", digest_of(0x11)}, p), ErrorCode::kPolicyWorkloadNotAllowed);
  EXPECT_EQ(allowed_code({std::nullopt, digest_of(0x11)}, p), ErrorCode::kPolicyWorkloadNotAllowed);
  EXPECT_EQ(allowed_code({"wordcount", digest_of(0x12)}, p), ErrorCode::kPolicyWorkloadNotAllowed);
  // An entry without a name matches any name.
  EXPECT_TRUE(appraise_workload({"grep", digest_of(0x22)}, p).passed());
  EXPECT_TRUE(appraise_workload({std::nullopt, digest_of(0x22)}, p).passed());
}

TEST(AppraiseWorkload, RevokedMeasurementFailsEvenIfAllowed) {
  Policy p = policy(R"(, "workloads": [)" + kWordcount + R"(], "revoked": {"measurements": [")" +
                    std::string(64, '1') + R"("]})");
  CheckReport r = appraise_workload({"wordcount", digest_of(0x11)}, p);
  EXPECT_EQ(r.find(kCheckWorkloadAllowed)->result, CheckResult::kPass);
  EXPECT_EQ(r.find(kCheckWorkloadRevoked)->code, ErrorCode::kPolicyRevoked);
  EXPECT_EQ(r.first_failure()->name, kCheckWorkloadRevoked);
}

TEST(CheckKeyRevoked, RevokedKeysFail) {
  const std::string key(64, 'c');
  Policy p = policy(R"(, "revoked": {"keys": [")" + std::string(64, 'C') + R"("]})");
  EXPECT_THAT(check_key_revoked(key, p), HasCode(ErrorCode::kPolicyRevoked));
  EXPECT_OK(check_key_revoked(std::string(64, 'd'), p));
  EXPECT_OK(check_key_revoked(key, policy("")));
}

TEST(CheckKeyAge, ReceiptTooLongAfterRegistrationFails) {
  Policy p = policy(R"(, "max_key_age_seconds": 3600)");
  EXPECT_OK(check_key_age(Timestamp{1000, 0}, Timestamp{4600, 0}, p));
  EXPECT_THAT(check_key_age(Timestamp{1000, 0}, Timestamp{4600, 1}, p), HasCode(ErrorCode::kPolicyKeyTooOld));
  EXPECT_OK(check_key_age(Timestamp{1000, 0}, Timestamp{999999, 0}, policy("")));
}

}  // namespace
}  // namespace verun::verifier
