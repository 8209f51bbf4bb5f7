// verify_bundle (DESIGN.md §5, §8, §10 "Verdicts"): a factory-built bundle
// passes every check in order; each check fails on its own with its stable
// code, and every later check is then skipped.
#include "verun/verifier/verify_bundle.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/support/bundle_factory.h"
#include "tests/support/matchers.h"
#include "verun/proofs/base64.h"
#include "verun/proofs/hex.h"
#include "verun/proofs/key_id.h"

namespace verun::verifier {
namespace {

using proofs::Json;
using proofs::Timestamp;
using testing::BundleFactory;
using testing::kFactoryEpoch;

std::vector<std::string> names(const CheckReport& r) {
  std::vector<std::string> out;
  for (const auto& c : r.checks()) out.push_back(c.name);
  return out;
}

std::vector<std::string> expected_order() {
  std::vector<std::string> out;
  for (auto n : bundle_check_order()) out.emplace_back(n);
  return out;
}

BundleReport verify_json(const Json& bundle, const Policy& policy, const BundleOptions& options = {}) {
  BundleVerifier v(policy, options);
  return v.verify_text(bundle.dump());
}

BundleReport verify(const BundleFactory& f, const Policy& policy, const BundleOptions& options = {}) {
  auto j = f.build_json();
  EXPECT_OK(j);
  return verify_json(*j, policy, options);
}
BundleReport verify(const BundleFactory& f, const BundleOptions& options = {}) {
  return verify(f, f.policy(), options);
}

template <typename F>
Policy policy_with(const BundleFactory& f, F edit) {
  Json p = f.policy_json();
  edit(p);
  auto policy = parse_policy(p.dump());
  EXPECT_OK(policy);
  return std::move(*policy);
}

const Check& row(const BundleReport& r, std::string_view name) {
  const Check* c = r.report.find(name);
  EXPECT_NE(c, nullptr) << name;
  static const Check kNone;
  return c ? *c : kNone;
}

// The first failure is `check` with `code`, and every later row is a skip.
void expect_failure(const BundleReport& r, std::string_view check, ErrorCode code) {
  EXPECT_EQ(names(r.report), expected_order());
  ASSERT_NE(r.report.first_failure(), nullptr) << r.to_json().dump(1);
  EXPECT_EQ(r.report.first_failure()->name, check) << r.to_json().dump(1);
  EXPECT_EQ(to_string(r.report.first_failure()->code), to_string(code)) << r.report.first_failure()->message;
  bool after = false;
  for (const auto& c : r.report.checks()) {
    if (after) {
      EXPECT_EQ(c.result, CheckResult::kSkip) << c.name;
    }
    if (c.name == check) after = true;
  }
  EXPECT_FALSE(r.passed());
  EXPECT_EQ(r.to_json()["verdict"], "invalid");
  EXPECT_EQ(r.to_json()["first_failure"]["code"], std::string(to_string(code)));
}

TEST(VerifyBundle, FactoryBundlePassesEveryCheckInOrder) {
  BundleFactory f;
  BundleReport r = verify(f);
  ASSERT_TRUE(r.passed()) << r.to_json().dump(1);
  EXPECT_EQ(names(r.report), expected_order());
  EXPECT_EQ(r.report.checks().size(), 36u);
  for (const char* skipped : {"policy.tcb_status", "policy.evidence_age", "policy.key_age", "receipt.job_nonce",
                              "commitment.input", "commitment.output"})
    EXPECT_EQ(row(r, skipped).result, CheckResult::kSkip) << skipped;
  EXPECT_TRUE(r.simulated);
  EXPECT_EQ(r.as_of.source, AsOfSource::kWitness);
  // Quorum "both": the registration's checkpoint has both at epoch+10.
  EXPECT_EQ(r.as_of.time, (Timestamp{static_cast<std::int64_t>(kFactoryEpoch) + 10, 0}));
  ASSERT_TRUE(r.receipt_as_of.has_value());
  EXPECT_EQ(r.receipt_as_of->time, (Timestamp{static_cast<std::int64_t>(kFactoryEpoch) + 3610, 0}));
  EXPECT_EQ(r.key_id, f.runner_key_id());
  EXPECT_EQ(r.registration_index, 2u);
  EXPECT_EQ(r.receipt_index, 4u);
  EXPECT_EQ(r.policy_digest, f.policy().digest);
  Json j = r.to_json();
  EXPECT_EQ(j["verdict"], "valid");
  EXPECT_TRUE(j["first_failure"].is_null());
  EXPECT_EQ(j["as_of"]["source"], "witness");
  EXPECT_EQ(j["as_of"]["time"], "2026-01-01T00:00:10Z");
  EXPECT_EQ(j["simulated"], true);
  EXPECT_EQ(j["status"]["result"], "ok");
  EXPECT_EQ(j["workload"]["name"], "wordcount");
  EXPECT_EQ(j["claims"]["format"], "sim-v1");
  EXPECT_NE(r.to_text().find("SIMULATED"), std::string::npos);
  EXPECT_NE(r.to_text().find("VALID"), std::string::npos);
}

TEST(VerifyBundle, SaltedCommitmentsNonceAndRequireOkPass) {
  BundleFactory f;
  BundleOptions o;
  o.input = f.input;
  o.input_salt = proofs::Bytes(f.input_salt.begin(), f.input_salt.end());
  o.output = f.output;
  o.output_salt = proofs::Bytes(f.output_salt.begin(), f.output_salt.end());
  o.job_nonce = f.receipt.job.nonce;
  o.require_ok = true;
  BundleReport r = verify(f, o);
  ASSERT_TRUE(r.passed()) << r.to_json().dump(1);
  for (const char* passing : {"receipt.job_nonce", "commitment.input", "commitment.output", "receipt.status"})
    EXPECT_EQ(row(r, passing).result, CheckResult::kPass) << passing;
}

TEST(VerifyBundle, Sha256CommitmentsPass) {
  BundleFactory f;
  f.receipt.input.scheme = proofs::CommitmentScheme::kSha256;
  f.receipt.output.scheme = proofs::CommitmentScheme::kSha256;
  BundleOptions o;
  o.input = f.input;
  o.output = f.output;
  BundleReport r = verify(f, o);
  ASSERT_TRUE(r.passed()) << r.to_json().dump(1);
  EXPECT_EQ(row(r, "commitment.input").result, CheckResult::kPass);
  EXPECT_EQ(row(r, "commitment.output").result, CheckResult::kPass);
  // A salt for a sha256 commitment is a usage error.
  o.input_salt = proofs::Bytes(32, 1);
  expect_failure(verify(f, o), "commitment.input", ErrorCode::kBundleBadSalt);
}

TEST(VerifyBundle, FailedStatusVerifiesAndFailsWithRequireOk) {
  BundleFactory f;
  f.receipt.status = proofs::JobStatus{proofs::JobResult::kFailed, 3};
  BundleReport r = verify(f);
  ASSERT_TRUE(r.passed()) << r.to_json().dump(1);
  EXPECT_EQ(r.to_json()["status"]["result"], "failed");
  EXPECT_EQ(r.to_json()["status"]["exit_code"], 3);
  EXPECT_NE(r.to_text().find("STATUS: failed (exit code 3)"), std::string::npos) << r.to_text();
  BundleOptions o;
  o.require_ok = true;
  expect_failure(verify(f, o), "receipt.status", ErrorCode::kBundleStatusNotOk);
}

TEST(VerifyBundle, MeasurementNotInPolicyFails) {
  BundleFactory f;
  Policy p = policy_with(f, [](Json& j) { j["platforms"]["sim"]["measurements"] = Json::array({std::string(96, 'b')}); });
  expect_failure(verify(f, p), "policy.measurement_allowed", ErrorCode::kPolicyMeasurementNotAllowed);
}

TEST(VerifyBundle, SimNotAllowedFails) {
  BundleFactory f;
  Policy p = policy_with(f, [](Json& j) { j["platforms"]["sim"]["allow_insecure_simulation"] = false; });
  BundleReport r = verify(f, p);
  expect_failure(r, "policy.sim_allowed", ErrorCode::kPolicySimulationNotAllowed);
  EXPECT_TRUE(r.simulated);
  EXPECT_NE(r.to_text().find("SIMULATED"), std::string::npos);
}

TEST(VerifyBundle, SimRootNotTrustedFails) {
  BundleFactory f;
  f.sim_root = proofs::Ed25519PrivateKey::from_seed(proofs::Bytes(32, 9)).value();
  expect_failure(verify(f, BundleFactory().policy()), "policy.sim_allowed", ErrorCode::kPolicyRootNotTrusted);
}

TEST(VerifyBundle, ReportDataNotBoundFails) {
  BundleFactory f;
  f.bind_report_data = false;
  expect_failure(verify(f), "evidence.report_data_binding", ErrorCode::kAppraisalReportDataMismatch);
}

TEST(VerifyBundle, TamperedReceiptFailsItsInclusion) {
  BundleFactory f;
  Json j = f.build_json().value();
  testing::edit_payload(j, "receipt", [](Json& s) { s["predicate"]["output"]["size"] = 99; });
  expect_failure(verify_json(j, f.policy()), "inclusion.receipt", ErrorCode::kProofRootMismatch);
}

TEST(VerifyBundle, TamperedRegistrationFailsItsInclusion) {
  BundleFactory f;
  Json j = f.build_json().value();
  testing::edit_payload(j, "registration", [](Json& s) { s["predicate"]["identity"]["runner_version"] = "6.6.6"; });
  expect_failure(verify_json(j, f.policy()), "inclusion.registration", ErrorCode::kProofRootMismatch);
}

TEST(VerifyBundle, LoggedBadReceiptSignatureFails) {
  BundleFactory f;
  f.corrupt_receipt_signature = true;
  expect_failure(verify(f), "receipt.signature", ErrorCode::kDsseBadSignature);
}

TEST(VerifyBundle, LoggedBadRegistrationSignatureFails) {
  BundleFactory f;
  f.corrupt_registration_signature = true;
  expect_failure(verify(f), "registration.signature", ErrorCode::kDsseBadSignature);
}

TEST(VerifyBundle, TamperedProofFails) {
  BundleFactory f;
  Json j = f.build_json().value();
  std::string proof = j["receipt"]["proof"];
  // The first audit-path hash is the line after "index N".
  auto start = proof.find('\n', proof.find("index ")) + 1;
  proof[start] = proof[start] == 'A' ? 'B' : 'A';
  j["receipt"]["proof"] = proof;
  expect_failure(verify_json(j, f.policy()), "inclusion.receipt", ErrorCode::kProofRootMismatch);

  // Another index in the registration's proof (1 of 3 needs two hashes, 2 of 3 one).
  Json k = f.build_json().value();
  std::string rp = k["registration"]["proof"];
  rp.replace(rp.find("index 2"), 7, "index 1");
  k["registration"]["proof"] = rp;
  expect_failure(verify_json(k, f.policy()), "inclusion.registration", ErrorCode::kProofBadLength);
}

TEST(VerifyBundle, TamperedCheckpointFails) {
  BundleFactory f;
  Json j = f.build_json().value();
  std::string proof = j["registration"]["proof"];
  // The checkpoint's size line: "verun.test/log\n3\n".
  auto pos = proof.find("verun.test/log\n3\n");
  ASSERT_NE(pos, std::string::npos) << proof;
  proof.replace(pos, 17, "verun.test/log\n4\n");
  j["registration"]["proof"] = proof;
  expect_failure(verify_json(j, f.policy()), "checkpoint.registration", ErrorCode::kNoteBadSignature);
}

TEST(VerifyBundle, KnownWitnessBadCosignatureRejectsTheCheckpoint) {
  BundleFactory f;
  Json j = f.build_json().value();
  std::string proof = j["receipt"]["proof"];
  auto line = proof.find("\u2014 w1 ");
  ASSERT_NE(line, std::string::npos);
  auto b64 = line + std::string("\u2014 w1 ").size() + 10;  // inside the timestamp/signature bytes
  proof[b64] = proof[b64] == 'A' ? 'B' : 'A';
  j["receipt"]["proof"] = proof;
  BundleReport r = verify_json(j, f.policy());
  ASSERT_NE(r.report.first_failure(), nullptr);
  EXPECT_EQ(r.report.first_failure()->name, "checkpoint.receipt");
  EXPECT_TRUE(r.report.first_failure()->code == ErrorCode::kNoteBadSignature ||
              r.report.first_failure()->code == ErrorCode::kCosignatureBadTimestamp)
      << to_string(r.report.first_failure()->code);
}

TEST(VerifyBundle, UnknownWitnessLinesAreIgnored) {
  BundleFactory f;
  // A policy that knows only w1 (quorum w1): w2's lines are unknown, ignored.
  Policy p = policy_with(f, [&](Json& j) {
    j["tlog_policy"] = "log " + proofs::format_verifier_key(f.log_key.verifier()) + "\nwitness w1 " +
                       proofs::format_verifier_key(f.witnesses[0].verifier()) + "\nquorum w1\n";
  });
  BundleReport r = verify(f, p);
  ASSERT_TRUE(r.passed()) << r.to_json().dump(1);
  EXPECT_EQ(r.as_of.time, (Timestamp{static_cast<std::int64_t>(kFactoryEpoch), 0}));
}

TEST(VerifyBundle, ReceiptSignedByUnregisteredKeyFails) {
  BundleFactory f;
  auto other = proofs::Ed25519PrivateKey::from_seed(proofs::Bytes(32, 0x33)).value();
  f.receipt_signer = &other;
  expect_failure(verify(f), "receipt.signature", ErrorCode::kDsseKeyidMismatch);
  // Naming the unregistered key in runner.key_id fails the link first.
  f.link_runner = false;
  f.receipt.runner.key_id = proofs::key_id(other.public_key());
  f.receipt.runner.registration_index = 2;
  expect_failure(verify(f), "receipt.link", ErrorCode::kBundleKeyMismatch);
}

TEST(VerifyBundle, WrongRegistrationIndexFails) {
  BundleFactory f;
  f.link_runner = false;
  f.receipt.runner.key_id = f.runner_key_id();
  f.receipt.runner.registration_index = 1;
  expect_failure(verify(f), "receipt.link", ErrorCode::kBundleRegistrationIndexMismatch);
}

TEST(VerifyBundle, WrongJobNonceFails) {
  BundleFactory f;
  BundleOptions o;
  o.job_nonce = proofs::Hash32{};
  expect_failure(verify(f, o), "receipt.job_nonce", ErrorCode::kBundleJobNonceMismatch);
}

TEST(VerifyBundle, WorkloadMissingFromIdentityFails) {
  BundleFactory f;
  f.receipt.workload.version = "9";  // same name and measurement: the policy allows it
  expect_failure(verify(f), "receipt.workload_in_identity", ErrorCode::kBundleWorkloadNotInIdentity);
}

TEST(VerifyBundle, WorkloadNotInPolicyFails) {
  BundleFactory f;
  Policy p = policy_with(f, [](Json& j) { j["workloads"].erase(0); });
  expect_failure(verify(f, p), "policy.workload_allowed", ErrorCode::kPolicyWorkloadNotAllowed);
}

TEST(VerifyBundle, RevokedWorkloadFails) {
  BundleFactory f;
  Policy p = policy_with(f, [&](Json& j) {
    j["revoked"] = Json{{"measurements", Json::array({proofs::hex_encode(f.receipt.workload.measurement)})}};
  });
  expect_failure(verify(f, p), "policy.revoked_workload", ErrorCode::kPolicyRevoked);
}

TEST(VerifyBundle, RevokedRunnerKeyFails) {
  BundleFactory f;
  Policy p = policy_with(f, [&](Json& j) { j["revoked"] = Json{{"keys", Json::array({f.runner_key_id()})}}; });
  expect_failure(verify(f, p), "policy.revoked_key", ErrorCode::kPolicyRevoked);
}

TEST(VerifyBundle, RevokedRunnerMeasurementFails) {
  BundleFactory f;
  Policy p = policy_with(f, [&](Json& j) {
    j["revoked"] = Json{{"measurements", Json::array({proofs::hex_encode(f.sim_report.measurement)})}};
  });
  expect_failure(verify(f, p), "policy.revoked_measurement", ErrorCode::kPolicyRevoked);
}

TEST(VerifyBundle, StaleKeyFailsKeyAge) {
  BundleFactory f;  // registration as of epoch+10, receipt as of epoch+3610
  Policy p = policy_with(f, [](Json& j) { j["max_key_age_seconds"] = 3599; });
  expect_failure(verify(f, p), "policy.key_age", ErrorCode::kPolicyKeyTooOld);
  Policy ok = policy_with(f, [](Json& j) { j["max_key_age_seconds"] = 3600; });
  EXPECT_TRUE(verify(f, ok).passed());
}

TEST(VerifyBundle, EvidenceTooOldFails) {
  BundleFactory f;
  Policy p = policy_with(f, [](Json& j) { j["max_evidence_age_seconds"] = 86400; });
  BundleOptions at;
  at.at = Timestamp{static_cast<std::int64_t>(kFactoryEpoch) + 86400 + 11, 0};
  expect_failure(verify(f, p, at), "policy.evidence_age", ErrorCode::kPolicyEvidenceTooOld);
  // Now (after 2026-01-02) is too late as well.
  expect_failure(verify(f, p), "policy.evidence_age", ErrorCode::kPolicyEvidenceTooOld);
  at.at = Timestamp{static_cast<std::int64_t>(kFactoryEpoch) + 86400 + 10, 0};
  BundleReport r = verify(f, p, at);
  EXPECT_TRUE(r.passed()) << r.to_json().dump(1);
  EXPECT_EQ(row(r, "policy.evidence_age").result, CheckResult::kPass);
}

TEST(VerifyBundle, CheckpointFromAnotherLogFails) {
  BundleFactory f;
  f.receipt_in_other_log = true;
  expect_failure(verify(f), "checkpoint.receipt", ErrorCode::kBundleLogNotTrusted);
  // Both logs trusted: the halves are still from different logs.
  Policy both = policy_with(f, [&](Json& j) {
    j["tlog_policy"] = "log " + proofs::format_verifier_key(f.other_log_key.verifier()) + "\n" + f.tlog_policy_text();
  });
  expect_failure(verify(f, both), "inclusion.same_log", ErrorCode::kBundleDifferentLogs);
}

TEST(VerifyBundle, OriginOtherThanTheKeyNameFails) {
  BundleFactory f;
  Json j = f.build_json().value();
  // Re-sign the registration checkpoint body with another origin under the log key.
  std::string proof = j["registration"]["proof"];
  auto pos = proof.find("verun.test/log\n3\n");
  ASSERT_NE(pos, std::string::npos);
  auto cp_text_end = proof.find("\n\n", pos);
  std::string body = proof.substr(pos, cp_text_end + 1 - pos);
  std::string other_body = "example.com/log" + body.substr(std::string("verun.test/log").size());
  auto sig = proofs::sign_note_text(other_body, f.log_key).value();
  std::string note = other_body + "\n" + proofs::format_signature_line(sig);
  j["registration"]["proof"] = proof.substr(0, pos) + note;
  expect_failure(verify_json(j, f.policy()), "checkpoint.registration", ErrorCode::kCheckpointOriginMismatch);
}

TEST(VerifyBundle, ReceiptNotAfterRegistrationFails) {
  BundleFactory f;
  f.receipt_first = true;
  f.one_checkpoint = true;
  expect_failure(verify(f), "inclusion.index_order", ErrorCode::kBundleReceiptNotAfterRegistration);
}

TEST(VerifyBundle, WitnessQuorumUnmetFails) {
  BundleFactory f;
  f.registration_cosign_times = {kFactoryEpoch, std::nullopt};
  expect_failure(verify(f), "checkpoint.registration_quorum", ErrorCode::kTlogPolicyQuorumNotMet);
  BundleFactory g;
  g.receipt_cosign_times = {};
  expect_failure(verify(g), "checkpoint.receipt_quorum", ErrorCode::kTlogPolicyQuorumNotMet);
}

TEST(VerifyBundle, AsOfIsTheEarliestQuorumOverCheckpointsCoveringTheEntry) {
  BundleFactory f;
  f.one_checkpoint = true;  // one checkpoint covers both entries
  f.registration_cosign_times = {kFactoryEpoch + 50, kFactoryEpoch + 20};
  BundleReport r = verify(f);
  ASSERT_TRUE(r.passed()) << r.to_json().dump(1);
  EXPECT_EQ(r.as_of.time, (Timestamp{static_cast<std::int64_t>(kFactoryEpoch) + 50, 0}));
  EXPECT_EQ(r.receipt_as_of->time, r.as_of.time);
  // Quorum w1 alone: its time.
  Policy w1 = policy_with(f, [&](Json& j) { j["tlog_policy"] = f.tlog_policy_text("w1"); });
  BundleReport s = verify(f, w1);
  EXPECT_EQ(s.as_of.time, (Timestamp{static_cast<std::int64_t>(kFactoryEpoch) + 50, 0}));
  Policy w2 = policy_with(f, [&](Json& j) { j["tlog_policy"] = f.tlog_policy_text("w2"); });
  EXPECT_EQ(verify(f, w2).as_of.time, (Timestamp{static_cast<std::int64_t>(kFactoryEpoch) + 20, 0}));
}

TEST(VerifyBundle, WithoutWitnessesAsOfIsTheVerificationTime) {
  BundleFactory f;
  f.registration_cosign_times = {};
  f.receipt_cosign_times = {};
  Policy none = policy_with(f, [&](Json& j) { j["tlog_policy"] = f.tlog_policy_text("none"); });
  BundleOptions o;
  o.at = Timestamp{static_cast<std::int64_t>(kFactoryEpoch) + 999, 0};
  BundleReport r = verify(f, none, o);
  ASSERT_TRUE(r.passed()) << r.to_json().dump(1);
  EXPECT_EQ(r.as_of.source, AsOfSource::kFlag);
  EXPECT_EQ(r.as_of.time, *o.at);
  EXPECT_EQ(r.to_json()["as_of"]["source"], "flag");
  EXPECT_EQ(verify(f, none).as_of.source, AsOfSource::kNow);
}

TEST(VerifyBundle, PolicyWithoutTlogPolicyFails) {
  BundleFactory f;
  Policy p = policy_with(f, [](Json& j) { j.erase("tlog_policy"); });
  expect_failure(verify(f, p), "checkpoint.registration", ErrorCode::kBundleNoTlogPolicy);
}

TEST(VerifyBundle, WrongCommitmentsFail) {
  BundleFactory f;
  BundleOptions o;
  o.input = proofs::to_bytes("the quick brown fox!");
  o.input_salt = proofs::Bytes(f.input_salt.begin(), f.input_salt.end());
  expect_failure(verify(f, o), "commitment.input", ErrorCode::kBundleInputMismatch);
  BundleOptions q;
  q.output = f.output;
  q.output_salt = proofs::Bytes(32, 0);
  expect_failure(verify(f, q), "commitment.output", ErrorCode::kBundleOutputMismatch);
}

TEST(VerifyBundle, SaltedCommitmentWithoutSaltIsAUsageError) {
  BundleFactory f;
  BundleOptions o;
  o.input = f.input;
  expect_failure(verify(f, o), "commitment.input", ErrorCode::kBundleSaltRequired);
  BundleOptions q;
  q.output = f.output;
  expect_failure(verify(f, q), "commitment.output", ErrorCode::kBundleSaltRequired);
}

TEST(VerifyBundle, CollateralNamedButNotCarriedFails) {
  BundleFactory f;
  f.collateral["tcb_info"] = proofs::to_bytes("{\"tcbInfo\": {}}");
  Json j = f.build_json().value();
  j["collateral"] = Json::object();
  expect_failure(verify_json(j, f.policy()), "registration.collateral", ErrorCode::kBundleCollateralMissing);
  // Carried: sim-v1 then refuses collateral (nothing could check it).
  expect_failure(verify(f), "evidence.signature", ErrorCode::kEvidenceUnexpectedMaterial);
}

TEST(VerifyBundle, UnparsableBundleFailsShapeAndSkipsTheRest) {
  BundleFactory f;
  BundleVerifier v(f.policy(), {});
  BundleReport r = v.verify_text("{\"mediaType\": 1}");
  expect_failure(r, "bundle.shape", ErrorCode::kBundleMalformed);
  EXPECT_EQ(r.report.checks().size(), 36u);
}

TEST(VerifyBundle, BatchCachesRegistrationAndCheckpoints) {
  BundleFactory f;
  Policy p = f.policy();
  BundleVerifier v(p, {});
  for (int i = 0; i < 10; ++i) {
    f.receipt.job.id = "job-" + std::to_string(i);
    BundleReport r = v.verify_text(f.build_text().value());
    ASSERT_TRUE(r.passed()) << i << r.to_json().dump(1);
  }
  auto s = v.cache_stats();
  EXPECT_EQ(s.registration_misses, 1u);
  EXPECT_EQ(s.registration_hits, 9u);
  EXPECT_EQ(s.checkpoint_misses, 11u);  // the registration's once, each receipt's checkpoint
  EXPECT_EQ(s.checkpoint_hits, 9u);
  // A cached failing registration reports the same failure every time.
  BundleFactory g;
  g.bind_report_data = false;
  for (int i = 0; i < 3; ++i)
    expect_failure(v.verify_text(g.build_text().value()), "evidence.report_data_binding",
                   ErrorCode::kAppraisalReportDataMismatch);
}

TEST(VerifyBundle, BatchOfOneRunnerOpensEachCheckpointOnce) {
  BundleFactory f;
  auto batch = f.build_batch_json(50);
  ASSERT_OK(batch);
  ASSERT_EQ(batch->size(), 50u);
  Policy p = f.policy();
  BundleVerifier v(p, {});
  for (std::size_t i = 0; i < batch->size(); ++i) {
    BundleReport r = v.verify_text((*batch)[i].dump());
    ASSERT_TRUE(r.passed()) << i << r.to_json().dump(1);
    EXPECT_EQ(r.receipt_index, 4u + i);
  }
  auto s = v.cache_stats();
  EXPECT_EQ(s.checkpoint_misses, 2u);
  EXPECT_EQ(s.checkpoint_hits, 98u);
  EXPECT_EQ(s.registration_misses, 1u);
  EXPECT_EQ(s.registration_hits, 49u);
  EXPECT_THAT(f.build_batch_json(0), testing::HasCode(ErrorCode::kInvalidArgument));
}

}  // namespace
}  // namespace verun::verifier
