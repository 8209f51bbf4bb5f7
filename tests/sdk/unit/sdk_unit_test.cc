// Unit tests of the SDK's offline parts: the runner answer parsers, the
// inspect auto-detection on every kind (the fuzz seed corpus, read by path),
// the clients' argument checks, job_aad and server_error_code. Every
// refusal asserts its code.
#include <gtest/gtest.h>

#include <string>

#include "tests/support/matchers.h"
#include "tests/support/process.h"
#include "verun/proofs/base64.h"
#include "verun/proofs/json/strict_json.h"
#include "verun/sdk/inspect.h"
#include "verun/sdk/log_client.h"
#include "verun/sdk/runner_client.h"

namespace verun::sdk {
namespace {

using ::verun::testing::HasCode;
using proofs::Json;

std::string corpus(const std::string& name) {
  return ::verun::testing::read_text(std::string(VERUN_SOURCE_DIR) + "/tests/fuzz/corpus/sdk_inspect/" + name);
}

TEST(SdkInspect, RecognizesEveryKind) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"bundle.json", "bundle"},       {"envelope.json", "envelope"},   {"tlog-proof.txt", "tlog-proof"},
      {"checkpoint.txt", "checkpoint"}, {"evidence.json", "evidence"},   {"sim-v1-data.json", "sim-v1-data"},
      {"attestation.json", "attestation"}, {"policy.json", "policy"}};
  for (const auto& [file, kind] : cases) {
    const std::string text = corpus(file);
    ASSERT_FALSE(text.empty()) << file;
    auto i = inspect_document(text);
    ASSERT_OK(i) << file;
    EXPECT_EQ(i->kind, kind) << file;
    // The corpus comes from the sim demo; proofs and checkpoints carry no evidence.
    const bool simulated = kind != "tlog-proof" && kind != "checkpoint";
    EXPECT_EQ(i->simulated, simulated) << file;
    EXPECT_TRUE(i->problems.empty()) << file << ": " << i->problems.front();
    EXPECT_EQ(i->to_text().rfind(kind, 0), 0u);
    EXPECT_EQ(i->to_text().find("SIMULATED") != std::string::npos, simulated) << file;
    EXPECT_EQ(i->to_json()["kind"], kind);
  }
  auto checkpoint = inspect_document(corpus("checkpoint.txt"));
  EXPECT_EQ(checkpoint->details["origin"], "demo.verun.dev/log");
  EXPECT_EQ(inspect_document(corpus("sim-v1-data.json"))->details["signature"],
            "verifies under its own (untrusted) sim root");
  auto st = inspect_document(R"({"_type":"https://in-toto.io/Statement/v1","subject":[{"digest":{"sha256":"00"}}],"predicateType":"x","predicate":{}})");
  ASSERT_OK(st);
  EXPECT_EQ(st->kind, "statement");
  EXPECT_FALSE(st->simulated);
}

TEST(SdkInspect, RefusesWhatItDoesNotKnow) {
  EXPECT_THAT(inspect_document(""), HasCode(ErrorCode::kSdkUnknownDocument));
  EXPECT_THAT(inspect_document("hello\n"), HasCode(ErrorCode::kSdkUnknownDocument));
  EXPECT_THAT(inspect_document("[1]"), HasCode(ErrorCode::kSdkUnknownDocument));
  EXPECT_THAT(inspect_document("{}"), HasCode(ErrorCode::kSdkUnknownDocument));
  EXPECT_THAT(inspect_document(std::string(9u << 20, ' ')), HasCode(ErrorCode::kSdkUnknownDocument));
  EXPECT_THAT(inspect_document("{\"a\":1,\"a\":2}"), HasCode(ErrorCode::kJsonDuplicateKey));
  EXPECT_THAT(inspect_document(R"({"payload":"!","payloadType":"x","signatures":[]})"), HasCode(ErrorCode::kDsseBadEncoding));
  EXPECT_THAT(inspect_document(R"({"mediaType":"nope"})"), HasCode(ErrorCode::kBundleBadMediaType));
  EXPECT_FALSE(inspect_document("c2sp.org/tlog-proof@v1\nindex 01\n"));
  // A bundle with a tampered registration payload: described, with a problem.
  Json b = Json::parse(corpus("bundle.json"));
  auto payload = *proofs::base64_decode(b["registration"]["envelope"]["payload"].get<std::string>());
  payload[payload.size() / 2] = payload[payload.size() / 2] == 'a' ? 'b' : 'a';
  b["registration"]["envelope"]["payload"] = proofs::base64_encode(payload);
  auto t = inspect_document(b.dump());
  if (t) {
    EXPECT_FALSE(t->problems.empty() && t->to_text().find("does not verify") == std::string::npos) << t->to_text();
  }
}

TEST(SdkRunnerAnswers, ParsesTheAttestation) {
  auto a = parse_attestation_answer(corpus("attestation.json"));
  ASSERT_OK(a);
  EXPECT_EQ(a->identity.platform, proofs::Platform::kSim);
  EXPECT_EQ(a->registration_index, 0u);
  EXPECT_FALSE(a->registration_envelope);

  const Json good = Json::parse(corpus("attestation.json"));
  auto with = [&](auto change) {
    Json j = good;
    change(j);
    return parse_attestation_answer(j.dump());
  };
  EXPECT_THAT(parse_attestation_answer("nope"), HasCode(ErrorCode::kSdkBadResponse));
  EXPECT_THAT(parse_attestation_answer("[]"), HasCode(ErrorCode::kSdkBadResponse));
  EXPECT_THAT(with([](Json& j) { j.erase("identity"); }), HasCode(ErrorCode::kSdkBadResponse));
  EXPECT_THAT(with([](Json& j) { j["extra"] = 1; }), HasCode(ErrorCode::kSdkBadResponse));
  EXPECT_THAT(with([](Json& j) { j["identity"]["platform"] = "mars"; }), HasCode(ErrorCode::kSdkBadResponse));
  EXPECT_THAT(with([](Json& j) { j["evidence"]["format"] = 1; }), HasCode(ErrorCode::kSdkBadResponse));
  EXPECT_THAT(with([](Json& j) { j["registration"]["index"] = 5; }), HasCode(ErrorCode::kSdkBadResponse));
  EXPECT_THAT(with([](Json& j) { j["registration"]["index"] = -1; }), HasCode(ErrorCode::kSdkBadResponse));
  EXPECT_THAT(with([](Json& j) { j["registration"]["proof"] = "x"; }), HasCode(ErrorCode::kSdkBadResponse));
  EXPECT_THAT(with([](Json& j) { j["registration"]["envelope"] = "x"; }), HasCode(ErrorCode::kSdkBadResponse));
  EXPECT_THAT(with([](Json& j) { j["registration"]["more"] = 1; }), HasCode(ErrorCode::kSdkBadResponse));
  auto e = with([](Json& j) { j["registration"]["envelope"] = Json::object(); });
  ASSERT_OK(e);
  EXPECT_TRUE(e->registration_envelope);
}

TEST(SdkRunnerAnswers, ParsesJobAnswers) {
  auto done = parse_job_answer(corpus("job-done.json"), true);
  ASSERT_OK(done);
  EXPECT_TRUE(done->done);
  EXPECT_EQ(done->sealed_output, proofs::Bytes({0, 0, 0}));
  auto pending = parse_job_answer(corpus("job-pending.json"), false);
  ASSERT_OK(pending);
  EXPECT_FALSE(pending->done);
  EXPECT_EQ(pending->state, "running");
  EXPECT_THAT(parse_job_answer(corpus("job-pending.json"), true), HasCode(ErrorCode::kSdkBadResponse));
  EXPECT_THAT(parse_job_answer(corpus("job-done.json"), false), HasCode(ErrorCode::kSdkBadResponse));
  EXPECT_THAT(parse_job_answer(R"({"job_id":"../x","state":"queued"})", false), HasCode(ErrorCode::kSdkBadResponse));
  EXPECT_THAT(parse_job_answer(R"({"job_id":"","state":"queued"})", false), HasCode(ErrorCode::kSdkBadResponse));
  EXPECT_THAT(parse_job_answer(R"({"job_id":"a","bundle":{},"output":"!!"})", true), HasCode(ErrorCode::kSdkBadResponse));
  EXPECT_THAT(parse_job_answer(R"({"job_id":"a","bundle":[],"output":""})", true), HasCode(ErrorCode::kSdkBadResponse));
  EXPECT_THAT(parse_job_answer(R"({"job_id":"a","output":""})", true), HasCode(ErrorCode::kSdkBadResponse));
  EXPECT_THAT(parse_job_answer(R"({"job_id":"a","state":"queued","x":1})", false), HasCode(ErrorCode::kSdkBadResponse));
  EXPECT_THAT(parse_job_answer(R"({"job_id":"a","state":1.5})", false), HasCode(ErrorCode::kSdkBadResponse));
}

TEST(SdkClients, ArgumentChecksAndHelpers) {
  EXPECT_THAT(RunnerClient::make("ftp://x"), HasCode(ErrorCode::kInvalidArgument));
  RunnerClientOptions o;
  o.bearer_token = "a b";
  EXPECT_THAT(RunnerClient::make("http://127.0.0.1:1", o), HasCode(ErrorCode::kInvalidArgument));
  o.bearer_token = "token";
  o.timeout = std::chrono::milliseconds(0);
  EXPECT_THAT(RunnerClient::make("http://127.0.0.1:1", o), HasCode(ErrorCode::kInvalidArgument));
  auto rc = RunnerClient::make("http://127.0.0.1:1/base/");
  ASSERT_OK(rc);
  EXPECT_THAT(rc->poll_job("a/b"), HasCode(ErrorCode::kInvalidArgument));

  proofs::HpkePublicKey enc{};
  enc.fill(1);
  EXPECT_EQ(RunnerClient::job_aad("wc", "00", enc),
            R"({"enc":")" + proofs::base64_encode(enc) + R"(","key_id":"00","workload":"wc"})");

  EXPECT_EQ(server_error_code(Error(ErrorCode::kSdkRunnerRejected, "runner.unknown_job: no job (HTTP 404 from the runner)")),
            "runner.unknown_job");
  EXPECT_EQ(server_error_code(Error(ErrorCode::kSdkLogServerError, "log.queue_full: full (HTTP 503 from the log)")),
            "log.queue_full");
  EXPECT_EQ(server_error_code(Error(ErrorCode::kSdkLogUnreachable, "x: y")), "");
  EXPECT_EQ(server_error_code(Error(ErrorCode::kSdkLogRejected, "no colon")), "");
}

}  // namespace
}  // namespace verun::sdk
