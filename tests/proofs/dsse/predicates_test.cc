// verun's Registration and Receipt predicates: round trips, a negative test
// for every field rule (a mutation table over the Statement JSON), envelope
// signing and verification, and report_data known answers.
#include <functional>

#include "tests/support/matchers.h"
#include "verun/proofs/base64.h"
#include "verun/proofs/hex.h"
#include "verun/proofs/intoto/receipt.h"
#include "verun/proofs/intoto/registration.h"
#include "verun/proofs/json/jcs.h"
#include "verun/proofs/key_id.h"
#include "verun/proofs/report_data.h"

namespace verun::proofs {
namespace {

using verun::testing::HasCode;

Ed25519PrivateKey test_key(std::uint8_t fill) { return *Ed25519PrivateKey::from_seed(Bytes(32, fill)); }

Hash32 filled(std::uint8_t v) {
  Hash32 h{};
  h.fill(v);
  return h;
}

RegistrationPredicate sample_registration(const Ed25519PrivateKey& key) {
  RegistrationPredicate p;
  p.identity.platform = Platform::kSevSnp;
  p.identity.signing_key = key.public_key();
  p.identity.hpke_key = filled(0x22);
  p.identity.runner_version = "0.1.0";
  for (std::uint8_t i = 0; i < 16; ++i) p.identity.boot_id[i] = i;
  p.identity.workloads = {{"wordcount", "1", filled(0xab)}, {"sum", "2", filled(0xcd)}};
  p.evidence.format = EvidenceFormat::kSevSnpReport;
  p.evidence.data = Bytes(1184, 0x5a);
  p.evidence.certs = {Bytes{0x30, 0x82, 0x01}, Bytes{0x30, 0x82, 0x02}};
  p.evidence.collateral = {{"amd_crl", filled(0x01)}};
  return p;
}

ReceiptPredicate sample_receipt(const Ed25519PrivateKey& key) {
  ReceiptPredicate p;
  p.runner = {key_id(key.public_key()), 12};
  p.workload = {"wordcount", "1", filled(0xab)};
  p.input = {filled(0x10), CommitmentScheme::kSaltedV1, 1234};
  p.output = {filled(0x20), CommitmentScheme::kSha256, 56};
  p.job = {"job-0001", filled(0x77)};
  p.started_at = *parse_rfc3339("2026-11-23T12:00:00Z");
  p.finished_at = *parse_rfc3339("2026-11-23T12:00:01.25Z");
  p.status = {JobResult::kOk, 0};
  return p;
}

std::string jcs(const Json& j) { return jcs_serialize(j, JsonProfile::kGeneral).value(); }

// One row of a mutation table: change the Statement JSON, expect a code (kOk: accepted).
struct Mutation {
  std::string what;
  std::function<void(Json&)> change;
  ErrorCode code;
};

std::string b64(std::size_t n, std::uint8_t v = 0x41) { return base64_encode(Bytes(n, v)); }

TEST(Registration, RoundTrips) {
  auto key = test_key(1);
  auto p = sample_registration(key);
  auto st = make_registration_statement(p);
  ASSERT_OK(st);
  EXPECT_EQ((*st)["subject"][0]["digest"]["sha256"], key_id(key.public_key()));
  EXPECT_EQ((*st)["subject"][0]["name"], "runner-key");
  EXPECT_EQ((*st)["predicateType"], "https://verun.dev/RunnerRegistration/v1");
  std::string payload = jcs(*st);
  auto back = parse_registration_statement(as_bytes(payload));
  ASSERT_OK(back);
  EXPECT_EQ(*back, p);
  EXPECT_EQ(jcs(*make_registration_statement(*back)), payload);
  // Exactly the fields of DESIGN.md §4.
  const Json& pred = (*st)["predicate"];
  std::vector<std::string> keys;
  for (auto it = pred["identity"].begin(); it != pred["identity"].end(); ++it) keys.push_back(it.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"boot_id", "hpke_key", "platform", "runner_version", "signing_key",
                                            "workloads"}));
  keys.clear();
  for (auto it = pred["evidence"].begin(); it != pred["evidence"].end(); ++it) keys.push_back(it.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"certs", "collateral", "data", "format"}));

  // Without certs and collateral (both optional, absent means empty).
  p.evidence.certs.clear();
  p.evidence.collateral.clear();
  st = make_registration_statement(p);
  ASSERT_OK(st);
  EXPECT_FALSE((*st)["predicate"]["evidence"].contains("certs"));
  back = parse_registration_statement(as_bytes(jcs(*st)));
  ASSERT_OK(back);
  EXPECT_EQ(*back, p);
}

TEST(Registration, EveryFieldRule) {
  auto key = test_key(1);
  Json good = *make_registration_statement(sample_registration(key));
  const ErrorCode kOk = ErrorCode::kOk, kUnknown = ErrorCode::kPredicateUnknownField,
                  kMissing = ErrorCode::kPredicateMissingField, kInvalid = ErrorCode::kPredicateInvalidField;
  auto id = [](Json& j) -> Json& { return j["predicate"]["identity"]; };
  auto ev = [](Json& j) -> Json& { return j["predicate"]["evidence"]; };
  std::vector<Mutation> table = {
      {"unchanged", [](Json&) {}, kOk},
      {"unknown top-level statement field", [](Json& j) { j["x"] = 1; }, kOk},
      {"no certs", [&](Json& j) { ev(j).erase("certs"); }, kOk},
      {"no collateral", [&](Json& j) { ev(j).erase("collateral"); }, kOk},
      {"empty certs", [&](Json& j) { ev(j)["certs"] = Json::array(); }, kOk},
      {"empty workloads", [&](Json& j) { id(j)["workloads"] = Json::array(); }, kOk},
      // Unknown fields at every level.
      {"predicate.foo", [](Json& j) { j["predicate"]["foo"] = 1; }, kUnknown},
      {"identity.foo", [&](Json& j) { id(j)["foo"] = "x"; }, kUnknown},
      {"workloads[0].foo", [&](Json& j) { id(j)["workloads"][0]["foo"] = true; }, kUnknown},
      {"measurement.sha512", [&](Json& j) { id(j)["workloads"][1]["measurement"]["sha512"] = std::string(128, 'a'); },
       kUnknown},
      {"evidence.foo", [&](Json& j) { ev(j)["foo"] = Json::object(); }, kUnknown},
      {"collateral digest extra", [&](Json& j) { ev(j)["collateral"]["amd_crl"]["md5"] = "00"; }, kUnknown},
      // Missing fields.
      {"no identity", [](Json& j) { j["predicate"].erase("identity"); }, kMissing},
      {"no evidence", [](Json& j) { j["predicate"].erase("evidence"); }, kMissing},
      {"no platform", [&](Json& j) { id(j).erase("platform"); }, kMissing},
      {"no signing_key", [&](Json& j) { id(j).erase("signing_key"); }, kMissing},
      {"no hpke_key", [&](Json& j) { id(j).erase("hpke_key"); }, kMissing},
      {"no runner_version", [&](Json& j) { id(j).erase("runner_version"); }, kMissing},
      {"no boot_id", [&](Json& j) { id(j).erase("boot_id"); }, kMissing},
      {"no workloads", [&](Json& j) { id(j).erase("workloads"); }, kMissing},
      {"no workload name", [&](Json& j) { id(j)["workloads"][0].erase("name"); }, kMissing},
      {"no workload version", [&](Json& j) { id(j)["workloads"][0].erase("version"); }, kMissing},
      {"no workload measurement", [&](Json& j) { id(j)["workloads"][0].erase("measurement"); }, kMissing},
      {"no measurement sha256", [&](Json& j) { id(j)["workloads"][0]["measurement"].erase("sha256"); }, kMissing},
      {"no evidence format", [&](Json& j) { ev(j).erase("format"); }, kMissing},
      {"no evidence data", [&](Json& j) { ev(j).erase("data"); }, kMissing},
      // Invalid values.
      {"identity not an object", [&](Json& j) { id(j) = "x"; }, kInvalid},
      {"platform unknown", [&](Json& j) { id(j)["platform"] = "sev"; }, kInvalid},
      {"platform uppercase", [&](Json& j) { id(j)["platform"] = "SEV-SNP"; }, kInvalid},
      {"platform integer", [&](Json& j) { id(j)["platform"] = 1; }, kInvalid},
      {"signing_key 31 bytes", [&](Json& j) { id(j)["signing_key"] = b64(31); }, kInvalid},
      {"signing_key 33 bytes", [&](Json& j) { id(j)["signing_key"] = b64(33); }, kInvalid},
      {"signing_key url-safe", [&](Json& j) { id(j)["signing_key"] = base64url_encode(Bytes(32, 0xfb)); }, kInvalid},
      {"signing_key unpadded",
       [&](Json& j) {
         std::string s = id(j)["signing_key"];
         id(j)["signing_key"] = s.substr(0, s.size() - 1);
       },
       kInvalid},
      {"hpke_key 16 bytes", [&](Json& j) { id(j)["hpke_key"] = b64(16); }, kInvalid},
      {"hpke_key not base64", [&](Json& j) { id(j)["hpke_key"] = "not base64!"; }, kInvalid},
      {"runner_version empty", [&](Json& j) { id(j)["runner_version"] = ""; }, kInvalid},
      {"runner_version integer", [&](Json& j) { id(j)["runner_version"] = 1; }, kInvalid},
      {"runner_version too long", [&](Json& j) { id(j)["runner_version"] = std::string(257, 'v'); }, kInvalid},
      {"boot_id uppercase", [&](Json& j) { id(j)["boot_id"] = "000102030405060708090A0B0C0D0E0F"; }, kInvalid},
      {"boot_id 30 hex", [&](Json& j) { id(j)["boot_id"] = std::string(30, '0'); }, kInvalid},
      {"boot_id 34 hex", [&](Json& j) { id(j)["boot_id"] = std::string(34, '0'); }, kInvalid},
      {"boot_id not hex", [&](Json& j) { id(j)["boot_id"] = std::string(32, 'g'); }, kInvalid},
      {"workloads object", [&](Json& j) { id(j)["workloads"] = Json::object(); }, kInvalid},
      {"workload string", [&](Json& j) { id(j)["workloads"][0] = "wordcount"; }, kInvalid},
      {"workload name empty", [&](Json& j) { id(j)["workloads"][0]["name"] = ""; }, kInvalid},
      {"measurement uppercase", [&](Json& j) { id(j)["workloads"][0]["measurement"]["sha256"] = std::string(64, 'A'); },
       kInvalid},
      {"measurement 62 hex", [&](Json& j) { id(j)["workloads"][0]["measurement"]["sha256"] = std::string(62, 'a'); },
       kInvalid},
      {"measurement plain hex", [&](Json& j) { id(j)["workloads"][0]["measurement"] = std::string(64, 'a'); },
       kInvalid},
      {"evidence format unknown", [&](Json& j) { ev(j)["format"] = "tdx-quote-v4"; }, kInvalid},
      {"evidence format nvidia", [&](Json& j) { ev(j)["format"] = "nvidia-gpu"; }, kInvalid},
      {"evidence data empty", [&](Json& j) { ev(j)["data"] = ""; }, kInvalid},
      {"evidence data not base64", [&](Json& j) { ev(j)["data"] = "AA=A"; }, kInvalid},
      {"evidence data url-safe", [&](Json& j) { ev(j)["data"] = "-_-_"; }, kInvalid},
      {"certs not array", [&](Json& j) { ev(j)["certs"] = "MII="; }, kInvalid},
      {"cert empty", [&](Json& j) { ev(j)["certs"][1] = ""; }, kInvalid},
      {"cert not base64", [&](Json& j) { ev(j)["certs"][0] = "MII"; }, kInvalid},
      {"collateral array", [&](Json& j) { ev(j)["collateral"] = Json::array(); }, kInvalid},
      {"collateral name uppercase", [&](Json& j) { ev(j)["collateral"]["TCB"] = ev(j)["collateral"]["amd_crl"]; },
       kInvalid},
      {"collateral digest uppercase",
       [&](Json& j) { ev(j)["collateral"]["amd_crl"]["sha256"] = std::string(64, 'F'); }, kInvalid},
      // Links and subject.
      {"platform/format mismatch", [&](Json& j) { id(j)["platform"] = "sim"; },
       ErrorCode::kPredicatePlatformMismatch},
      {"format/platform mismatch", [&](Json& j) { ev(j)["format"] = "tdx-quote"; },
       ErrorCode::kPredicatePlatformMismatch},
      {"subject digest not key_id", [](Json& j) { j["subject"][0]["digest"]["sha256"] = std::string(64, '0'); },
       ErrorCode::kPredicateSubjectMismatch},
      {"signing_key not the subject",
       [&](Json& j) { id(j)["signing_key"] = base64_encode(test_key(2).public_key()); },
       ErrorCode::kPredicateSubjectMismatch},
      {"subject name", [](Json& j) { j["subject"][0]["name"] = "output"; }, ErrorCode::kStatementBadSubject},
      {"two subjects", [](Json& j) { j["subject"].push_back(j["subject"][0]); }, ErrorCode::kStatementBadSubject},
      {"receipt predicateType", [](Json& j) { j["predicateType"] = std::string(kReceiptPredicateType); },
       ErrorCode::kStatementBadPredicateType},
      {"_type", [](Json& j) { j["_type"] = "https://in-toto.io/Statement/v0.1"; }, ErrorCode::kStatementBadType},
      {"no predicate", [](Json& j) { j.erase("predicate"); }, ErrorCode::kStatementMissingPredicate},
      {"float", [&](Json& j) { id(j)["x"] = 1.5; }, ErrorCode::kJsonFloatNotAllowed},
      {"null", [&](Json& j) { ev(j)["certs"] = nullptr; }, ErrorCode::kJsonNullNotAllowed},
  };
  for (const auto& m : table) {
    Json j = good;
    m.change(j);
    auto r = parse_registration_statement(as_bytes(jcs(j)));
    if (m.code == kOk)
      EXPECT_OK(r) << m.what;
    else
      EXPECT_THAT(r, HasCode(m.code)) << m.what;
  }
  EXPECT_GE(table.size(), 60u);
}

TEST(Registration, UnknownFieldErrorNamesItsPath) {
  auto key = test_key(1);
  Json j = *make_registration_statement(sample_registration(key));
  j["predicate"]["identity"]["workloads"][1]["foo"] = 1;
  auto r = parse_registration_statement(as_bytes(jcs(j)));
  ASSERT_THAT(r, HasCode(ErrorCode::kPredicateUnknownField));
  EXPECT_NE(r.error().message.find("predicate.identity.workloads[1].foo"), std::string::npos) << r.error().message;
}

TEST(Registration, EnvelopeIsSignedByTheIdentityKey) {
  auto key = test_key(1);
  auto other = test_key(2);
  auto p = sample_registration(key);
  auto env = make_registration_envelope(p, key);
  ASSERT_OK(env);
  EXPECT_EQ(env->signatures[0].keyid, key_id(key.public_key()));
  // Through the log's parser and back.
  auto admitted = parse_envelope(serialize_envelope(*env), EnvelopeMode::kLogAdmission);
  ASSERT_OK(admitted);
  auto verified = verify_registration_envelope(*admitted);
  ASSERT_OK(verified);
  EXPECT_EQ(*verified, p);
  EXPECT_EQ(to_string(admitted->payload), jcs(*make_registration_statement(p)));

  EXPECT_THAT(make_registration_envelope(p, other), HasCode(ErrorCode::kPredicateKeyMismatch));
  // Signed by another key (proof of possession fails): keyid, then signature.
  Envelope forged = sign_envelope(kInTotoPayloadType, env->payload, other);
  EXPECT_THAT(verify_registration_envelope(forged), HasCode(ErrorCode::kDsseKeyidMismatch));
  forged.signatures[0].keyid = key_id(key.public_key());
  EXPECT_THAT(verify_registration_envelope(forged), HasCode(ErrorCode::kDsseBadSignature));
  // A changed payload that is still a valid registration.
  Envelope changed = *env;
  std::string text = to_string(changed.payload);
  auto pos = text.find("0.1.0");
  ASSERT_NE(pos, std::string::npos);
  text[pos + 4] = '1';
  changed.payload = to_bytes(text);
  ASSERT_OK(parse_registration_statement(changed.payload));
  EXPECT_THAT(verify_registration_envelope(changed), HasCode(ErrorCode::kDsseBadSignature));
  // Extra signature, wrong payloadType.
  Envelope extra = *env;
  extra.signatures.push_back(forged.signatures[0]);
  EXPECT_THAT(verify_registration_envelope(extra), HasCode(ErrorCode::kDsseSignatureCount));
  Envelope wrong_type = *env;
  wrong_type.payload_type = "application/json";
  EXPECT_THAT(verify_registration_envelope(wrong_type), HasCode(ErrorCode::kDsseWrongPayloadType));
  // Invalid predicates are never produced.
  auto bad = p;
  bad.identity.platform = Platform::kNitro;
  EXPECT_THAT(make_registration_envelope(bad, key), HasCode(ErrorCode::kPredicatePlatformMismatch));
  bad = p;
  bad.identity.runner_version = "";
  EXPECT_THAT(make_registration_statement(bad), HasCode(ErrorCode::kPredicateInvalidField));
}

TEST(Registration, EveryPlatformHasItsFormat) {
  auto key = test_key(1);
  std::size_t n = 0;
  for (auto f : {EvidenceFormat::kSimV1, EvidenceFormat::kSevSnpReport, EvidenceFormat::kTdxQuote,
                 EvidenceFormat::kSgxQuote, EvidenceFormat::kNitroCose}) {
    for (auto pl : {Platform::kSim, Platform::kSevSnp, Platform::kTdx, Platform::kSgx, Platform::kNitro}) {
      auto p = sample_registration(key);
      p.evidence.format = f;
      p.identity.platform = pl;
      auto st = make_registration_statement(p);
      bool linked = (f == EvidenceFormat::kSimV1 && pl == Platform::kSim) ||
                    (f == EvidenceFormat::kSevSnpReport && pl == Platform::kSevSnp) ||
                    (f == EvidenceFormat::kTdxQuote && pl == Platform::kTdx) ||
                    (f == EvidenceFormat::kSgxQuote && pl == Platform::kSgx) ||
                    (f == EvidenceFormat::kNitroCose && pl == Platform::kNitro);
      if (linked) {
        ASSERT_OK(st);
        auto back = parse_registration_statement(as_bytes(jcs(*st)));
        ASSERT_OK(back);
        EXPECT_EQ(*back, p);
        ++n;
      } else {
        EXPECT_THAT(st, HasCode(ErrorCode::kPredicatePlatformMismatch));
      }
      EXPECT_EQ(platform_from_string(to_string(pl)), pl);
    }
    EXPECT_EQ(evidence_format_from_string(to_string(f)), f);
  }
  EXPECT_EQ(n, 5u);
}

TEST(Receipt, RoundTrips) {
  auto key = test_key(1);
  auto p = sample_receipt(key);
  auto st = make_receipt_statement(p);
  ASSERT_OK(st);
  EXPECT_EQ((*st)["subject"][0]["digest"]["sha256"], hex_encode(p.output.commitment));
  EXPECT_EQ((*st)["subject"][0]["name"], "output");
  EXPECT_EQ((*st)["predicateType"], "https://verun.dev/ExecutionReceipt/v1");
  // The predicate, byte for byte (DESIGN.md §4 field set).
  EXPECT_EQ(jcs((*st)["predicate"]),
            R"({"finished_at":"2026-11-23T12:00:01.25Z",)"
            R"("input":{"commitment":{"sha256":"1010101010101010101010101010101010101010101010101010101010101010"},)"
            R"("scheme":"salted-v1","size":1234},)"
            R"("job":{"id":"job-0001","nonce":"7777777777777777777777777777777777777777777777777777777777777777"},)"
            R"("output":{"commitment":{"sha256":"2020202020202020202020202020202020202020202020202020202020202020"},)"
            R"("scheme":"sha256","size":56},)"
            R"("runner":{"key_id":")" + key_id(key.public_key()) + R"(","registration_index":12},)"
            R"("started_at":"2026-11-23T12:00:00Z","status":{"exit_code":0,"result":"ok"},)"
            R"("workload":{"measurement":{"sha256":"abababababababababababababababababababababababababababababababab"},)"
            R"("name":"wordcount","version":"1"}})");
  auto back = parse_receipt_statement(as_bytes(jcs(*st)));
  ASSERT_OK(back);
  EXPECT_EQ(*back, p);
  for (auto r : {JobResult::kOk, JobResult::kFailed, JobResult::kTimeout, JobResult::kRejected})
    EXPECT_EQ(job_result_from_string(to_string(r)), r);
  EXPECT_FALSE(job_result_from_string("OK").has_value());
}

TEST(Receipt, EveryFieldRule) {
  auto key = test_key(1);
  Json good = *make_receipt_statement(sample_receipt(key));
  const ErrorCode kOk = ErrorCode::kOk, kUnknown = ErrorCode::kPredicateUnknownField,
                  kMissing = ErrorCode::kPredicateMissingField, kInvalid = ErrorCode::kPredicateInvalidField;
  auto pr = [](Json& j) -> Json& { return j["predicate"]; };
  std::vector<Mutation> table = {
      {"unchanged", [](Json&) {}, kOk},
      {"unknown top-level statement field", [](Json& j) { j["y"] = "z"; }, kOk},
      {"failed with exit 1", [&](Json& j) { pr(j)["status"] = Json{{"result", "failed"}, {"exit_code", 1}}; }, kOk},
      {"timeout with 137", [&](Json& j) { pr(j)["status"] = Json{{"result", "timeout"}, {"exit_code", 137}}; }, kOk},
      {"rejected with 0", [&](Json& j) { pr(j)["status"] = Json{{"result", "rejected"}, {"exit_code", 0}}; }, kOk},
      {"finished == started", [&](Json& j) { pr(j)["finished_at"] = pr(j)["started_at"]; }, kOk},
      {"index 0, size 0", [&](Json& j) { pr(j)["runner"]["registration_index"] = 0; pr(j)["input"]["size"] = 0; }, kOk},
      {"nanosecond times",
       [&](Json& j) {
         pr(j)["started_at"] = "2026-11-23T12:00:00.000000001Z";
         pr(j)["finished_at"] = "2026-11-23T12:00:00.000000002Z";
       },
       kOk},
      // Unknown fields at every level.
      {"predicate.foo", [&](Json& j) { pr(j)["foo"] = 1; }, kUnknown},
      {"runner.foo", [&](Json& j) { pr(j)["runner"]["foo"] = 1; }, kUnknown},
      {"workload.foo", [&](Json& j) { pr(j)["workload"]["foo"] = 1; }, kUnknown},
      {"workload.measurement.foo", [&](Json& j) { pr(j)["workload"]["measurement"]["foo"] = "1"; }, kUnknown},
      {"input.foo", [&](Json& j) { pr(j)["input"]["foo"] = 1; }, kUnknown},
      {"input.commitment.sha512", [&](Json& j) { pr(j)["input"]["commitment"]["sha512"] = "00"; }, kUnknown},
      {"output.foo", [&](Json& j) { pr(j)["output"]["salt"] = "00"; }, kUnknown},
      {"job.foo", [&](Json& j) { pr(j)["job"]["foo"] = 1; }, kUnknown},
      {"status.foo", [&](Json& j) { pr(j)["status"]["signal"] = 9; }, kUnknown},
      // Missing fields.
      {"no runner", [&](Json& j) { pr(j).erase("runner"); }, kMissing},
      {"no workload", [&](Json& j) { pr(j).erase("workload"); }, kMissing},
      {"no input", [&](Json& j) { pr(j).erase("input"); }, kMissing},
      {"no output", [&](Json& j) { pr(j).erase("output"); }, kMissing},
      {"no job", [&](Json& j) { pr(j).erase("job"); }, kMissing},
      {"no started_at", [&](Json& j) { pr(j).erase("started_at"); }, kMissing},
      {"no finished_at", [&](Json& j) { pr(j).erase("finished_at"); }, kMissing},
      {"no status", [&](Json& j) { pr(j).erase("status"); }, kMissing},
      {"no runner.key_id", [&](Json& j) { pr(j)["runner"].erase("key_id"); }, kMissing},
      {"no registration_index", [&](Json& j) { pr(j)["runner"].erase("registration_index"); }, kMissing},
      {"no input.commitment", [&](Json& j) { pr(j)["input"].erase("commitment"); }, kMissing},
      {"no input.scheme", [&](Json& j) { pr(j)["input"].erase("scheme"); }, kMissing},
      {"no output.size", [&](Json& j) { pr(j)["output"].erase("size"); }, kMissing},
      {"no job.id", [&](Json& j) { pr(j)["job"].erase("id"); }, kMissing},
      {"no job.nonce", [&](Json& j) { pr(j)["job"].erase("nonce"); }, kMissing},
      {"no status.result", [&](Json& j) { pr(j)["status"].erase("result"); }, kMissing},
      {"no status.exit_code", [&](Json& j) { pr(j)["status"].erase("exit_code"); }, kMissing},
      // Invalid values.
      {"key_id uppercase", [&](Json& j) { pr(j)["runner"]["key_id"] = std::string(64, 'A'); }, kInvalid},
      {"key_id 63 hex", [&](Json& j) { pr(j)["runner"]["key_id"] = std::string(63, 'a'); }, kInvalid},
      {"key_id 65 hex", [&](Json& j) { pr(j)["runner"]["key_id"] = std::string(65, 'a'); }, kInvalid},
      {"key_id not hex", [&](Json& j) { pr(j)["runner"]["key_id"] = std::string(64, 'x'); }, kInvalid},
      {"registration_index -1", [&](Json& j) { pr(j)["runner"]["registration_index"] = -1; }, kInvalid},
      {"registration_index string", [&](Json& j) { pr(j)["runner"]["registration_index"] = "12"; }, kInvalid},
      {"runner not object", [&](Json& j) { pr(j)["runner"] = Json::array(); }, kInvalid},
      {"workload measurement 62 hex",
       [&](Json& j) { pr(j)["workload"]["measurement"]["sha256"] = std::string(62, 'a'); }, kInvalid},
      {"workload version integer", [&](Json& j) { pr(j)["workload"]["version"] = 1; }, kInvalid},
      {"input scheme sha512", [&](Json& j) { pr(j)["input"]["scheme"] = "sha512"; }, kInvalid},
      {"input scheme uppercase", [&](Json& j) { pr(j)["input"]["scheme"] = "SHA256"; }, kInvalid},
      {"input size -1", [&](Json& j) { pr(j)["input"]["size"] = -1; }, kInvalid},
      {"input size string", [&](Json& j) { pr(j)["input"]["size"] = "1234"; }, kInvalid},
      {"input commitment uppercase",
       [&](Json& j) { pr(j)["input"]["commitment"]["sha256"] = std::string(64, 'B'); }, kInvalid},
      {"output commitment bare hex", [&](Json& j) { pr(j)["output"]["commitment"] = std::string(64, 'b'); }, kInvalid},
      {"job id empty", [&](Json& j) { pr(j)["job"]["id"] = ""; }, kInvalid},
      {"job id integer", [&](Json& j) { pr(j)["job"]["id"] = 7; }, kInvalid},
      {"job nonce 62 hex", [&](Json& j) { pr(j)["job"]["nonce"] = std::string(62, '7'); }, kInvalid},
      {"job nonce uppercase", [&](Json& j) { pr(j)["job"]["nonce"] = std::string(64, 'C'); }, kInvalid},
      {"status result unknown", [&](Json& j) { pr(j)["status"]["result"] = "success"; }, kInvalid},
      {"status result uppercase", [&](Json& j) { pr(j)["status"]["result"] = "OK"; }, kInvalid},
      {"exit_code -1", [&](Json& j) { pr(j)["status"] = Json{{"result", "failed"}, {"exit_code", -1}}; }, kInvalid},
      {"exit_code boolean", [&](Json& j) { pr(j)["status"]["exit_code"] = false; }, kInvalid},
      {"exit_code string", [&](Json& j) { pr(j)["status"]["exit_code"] = "0"; }, kInvalid},
      // Times.
      {"started_at not a date", [&](Json& j) { pr(j)["started_at"] = "2026-02-30T00:00:00Z"; }, kInvalid},
      {"started_at offset", [&](Json& j) { pr(j)["started_at"] = "2026-11-23T12:00:00+00:00"; }, kInvalid},
      {"started_at space", [&](Json& j) { pr(j)["started_at"] = "2026-11-23 12:00:00Z"; }, kInvalid},
      {"started_at lowercase z", [&](Json& j) { pr(j)["started_at"] = "2026-11-23T12:00:00z"; }, kInvalid},
      {"started_at integer", [&](Json& j) { pr(j)["started_at"] = 1700000000; }, kInvalid},
      {"finished_at hour 24", [&](Json& j) { pr(j)["finished_at"] = "2026-11-23T24:00:00Z"; }, kInvalid},
      {"finished_at no seconds", [&](Json& j) { pr(j)["finished_at"] = "2026-11-23T12:00Z"; }, kInvalid},
      // Cross-field rules.
      {"ok with exit 1", [&](Json& j) { pr(j)["status"]["exit_code"] = 1; }, ErrorCode::kPredicateStatusInconsistent},
      {"finished before started", [&](Json& j) { pr(j)["finished_at"] = "2026-11-23T11:59:59Z"; },
       ErrorCode::kPredicateTimeOrder},
      {"finished a fraction before started",
       [&](Json& j) {
         pr(j)["started_at"] = "2026-11-23T12:00:00.5Z";
         pr(j)["finished_at"] = "2026-11-23T12:00:00.25Z";
       },
       ErrorCode::kPredicateTimeOrder},
      {"subject digest not output commitment",
       [](Json& j) { j["subject"][0]["digest"]["sha256"] = j["predicate"]["input"]["commitment"]["sha256"]; },
       ErrorCode::kPredicateSubjectMismatch},
      {"output commitment changed",
       [&](Json& j) { pr(j)["output"]["commitment"]["sha256"] = std::string(64, '3'); },
       ErrorCode::kPredicateSubjectMismatch},
      {"subject name", [](Json& j) { j["subject"][0]["name"] = "runner-key"; }, ErrorCode::kStatementBadSubject},
      {"registration predicateType", [](Json& j) { j["predicateType"] = std::string(kRegistrationPredicateType); },
       ErrorCode::kStatementBadPredicateType},
      {"integer too large", [&](Json& j) { pr(j)["input"]["size"] = std::uint64_t{1} << 53; },
       ErrorCode::kJsonIntegerOutOfRange},
  };
  for (const auto& m : table) {
    Json j = good;
    m.change(j);
    auto r = parse_receipt_statement(as_bytes(jcs(j)));
    if (m.code == kOk)
      EXPECT_OK(r) << m.what;
    else
      EXPECT_THAT(r, HasCode(m.code)) << m.what;
  }
  EXPECT_GE(table.size(), 70u);
}

TEST(Receipt, EnvelopeIsSignedByTheRegisteredKey) {
  auto key = test_key(1);
  auto other = test_key(2);
  auto p = sample_receipt(key);
  auto env = make_receipt_envelope(p, key);
  ASSERT_OK(env);
  auto registered = *Ed25519Verifier::make(key.public_key());
  auto wrong = *Ed25519Verifier::make(other.public_key());
  auto admitted = parse_envelope(serialize_envelope(*env), EnvelopeMode::kLogAdmission);
  ASSERT_OK(admitted);
  auto verified = verify_receipt_envelope(*admitted, registered);
  ASSERT_OK(verified);
  EXPECT_EQ(*verified, p);

  EXPECT_THAT(make_receipt_envelope(p, other), HasCode(ErrorCode::kPredicateKeyMismatch));
  EXPECT_THAT(verify_receipt_envelope(*env, wrong), HasCode(ErrorCode::kPredicateKeyMismatch));
  // The runner.key_id names the registered key, but another key signed.
  Envelope forged = sign_envelope(kInTotoPayloadType, env->payload, other);
  EXPECT_THAT(verify_receipt_envelope(forged, registered), HasCode(ErrorCode::kDsseKeyidMismatch));
  forged.signatures[0].keyid = key_id(key.public_key());
  EXPECT_THAT(verify_receipt_envelope(forged, registered), HasCode(ErrorCode::kDsseBadSignature));
  // A flipped byte that keeps the receipt valid: the job id.
  Envelope changed = *env;
  std::string text = to_string(changed.payload);
  auto pos = text.find("job-0001");
  ASSERT_NE(pos, std::string::npos);
  text[pos + 7] = '2';
  changed.payload = to_bytes(text);
  ASSERT_OK(parse_receipt_statement(changed.payload));
  EXPECT_THAT(verify_receipt_envelope(changed, registered), HasCode(ErrorCode::kDsseBadSignature));
  Envelope extra = *env;
  extra.signatures.push_back(env->signatures[0]);
  EXPECT_THAT(verify_receipt_envelope(extra, registered), HasCode(ErrorCode::kDsseSignatureCount));

  auto bad = p;
  bad.status = {JobResult::kOk, 1};
  EXPECT_THAT(make_receipt_envelope(bad, key), HasCode(ErrorCode::kPredicateStatusInconsistent));
  bad = p;
  bad.finished_at.seconds = bad.started_at.seconds - 1;
  EXPECT_THAT(make_receipt_statement(bad), HasCode(ErrorCode::kPredicateTimeOrder));
}

// report_data known answers, computed independently (Python hashlib and
// json.dumps(sort_keys=True, separators=(",", ":")), which equals JCS here).
RunnerIdentity kat_identity() {
  RunnerIdentity id;
  id.platform = Platform::kSim;
  Bytes pk = *hex_decode("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
  std::copy(pk.begin(), pk.end(), id.signing_key.begin());
  id.hpke_key = filled(0x22);
  id.runner_version = "0.1.0";
  for (std::uint8_t i = 0; i < 16; ++i) id.boot_id[i] = i;
  id.workloads = {{"wordcount", "1", filled(0xab)}};
  return id;
}

TEST(ReportData, KnownAnswers) {
  RunnerIdentity id = kat_identity();
  EXPECT_EQ(jcs(to_json(id)),
            R"({"boot_id":"000102030405060708090a0b0c0d0e0f","hpke_key":"IiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiI=",)"
            R"("platform":"sim","runner_version":"0.1.0","signing_key":"11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=",)"
            R"("workloads":[{"measurement":{"sha256":"abababababababababababababababababababababababababababababababab"},)"
            R"("name":"wordcount","version":"1"}]})");
  EXPECT_EQ(kReportDataPrefix.size(), 21u);
  auto digest = identity_digest(id);
  ASSERT_OK(digest);
  EXPECT_EQ(hex_encode(*digest), "b32c4e148fa76361bfedcb4eec3166a498ec6ded8178adc6c0614868c1c2f954");
  auto zero = make_report_data(id, kZeroNonce);
  ASSERT_OK(zero);
  EXPECT_EQ(hex_encode(*zero),
            "199d777a3515205bd98274d6095fb90c6375cf4f98dbadb489e70f9bd6dd82c7"
            "d720a2b001391e66ed2c4fe8ab41acb10a0e8b359f6e333c259dcc00ca96dccb");
  Hash32 nonce{};
  for (std::uint8_t i = 0; i < 32; ++i) nonce[i] = static_cast<std::uint8_t>(0x40 + i);
  auto live = make_report_data(to_json(id), nonce);
  ASSERT_OK(live);
  EXPECT_EQ(hex_encode(*live),
            "a2ad1a082f2d520a95c80455b62e844045660a6646590bf462ae8c9e441a6615"
            "a30a82d5c10a51e779d15623b558dad6a1788f7e9b148cba7e51ed4199860172");
  // The same from explicit bytes: prefix || digest || nonce.
  Bytes concat = to_bytes("verun/report-data/v1\n");
  append(concat, *digest);
  append(concat, nonce);
  EXPECT_EQ(make_report_data(*digest, nonce), sha512(concat));
  // Any change to the identity or the nonce changes it.
  nonce[31] ^= 1;
  EXPECT_NE(make_report_data(*digest, nonce), *live);
  id.runner_version = "0.1.1";
  EXPECT_NE(*make_report_data(id, kZeroNonce), *zero);
  // Outside verun's JSON profile: refused, not hashed.
  Json with_float = to_json(kat_identity());
  with_float["x"] = 0.5;
  EXPECT_THAT(identity_digest(with_float), HasCode(ErrorCode::kJsonFloatNotAllowed));
}

}  // namespace
}  // namespace verun::proofs
