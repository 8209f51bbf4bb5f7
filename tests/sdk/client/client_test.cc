// sdk::Client against the real `verun-log serve` and `verun-runner serve
// --platform sim` on 127.0.0.1 (the e2e environment): live attestation,
// refusals before any data leaves, jobs with both commitment schemes (sync
// and async), and an in-test HTTP proxy that tampers the runner's answers
// (receipt, sealed output, attestation) to show each check fails with its code.
#include "verun/sdk/client.h"

#include <httplib.h>

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <thread>

#include "tests/e2e/e2e_env.h"
#include "tests/support/matchers.h"
#include "verun/proofs/base64.h"
#include "verun/proofs/commitment.h"
#include "verun/proofs/hex.h"
#include "verun/proofs/sha2.h"
#include "verun/sdk/log_client.h"

namespace verun::sdk {
namespace {

using ::verun::testing::HasCode;
using proofs::Json;

class ClientTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { env_ = new e2e::Environment(); }
  static void TearDownTestSuite() {
    delete env_;
    env_ = nullptr;
  }
  void SetUp() override {
    if (!env_->ok()) GTEST_SKIP() << "the log and runner did not start: " << env_->error();
  }

  static verifier::Policy policy(const Json& j) {
    auto p = verifier::parse_policy(j.dump());
    EXPECT_OK(p);
    return *p;
  }
  static verifier::Policy good_policy() { return policy(env_->policy()); }
  static Client client(const std::string& url, verifier::Policy p, ClientOptions o = {}) {
    auto c = Client::make(url, std::move(p), std::move(o));
    EXPECT_OK(c);
    return std::move(*c);
  }
  static Client client(ClientOptions o = {}) { return client(env_->runner_url(), good_policy(), std::move(o)); }

  static e2e::Environment* env_;
};
e2e::Environment* ClientTest::env_ = nullptr;

proofs::Bytes bytes(std::string_view s) { return proofs::to_bytes(s); }

TEST_F(ClientTest, AttestsTheSimRunner) {
  auto c = client();
  auto a = c.attest();
  ASSERT_OK(a);
  EXPECT_TRUE(a->simulated);
  EXPECT_EQ(a->identity.platform, proofs::Platform::kSim);
  EXPECT_EQ(a->key_id.size(), 64u);
  EXPECT_TRUE(a->appraisal.passed());
  EXPECT_FALSE(a->registration_included);  // the policy's log line has no URL
  ASSERT_NE(c.attested(), nullptr);
  EXPECT_EQ(c.attested()->key_id, a->key_id);

  // With the log's URL the registration's inclusion is checked before sending.
  ClientOptions o;
  o.log_url = env_->log_url();
  auto with_log = client(o).attest();
  ASSERT_OK(with_log);
  EXPECT_TRUE(with_log->registration_included);

  // The same through the policy's `log <vkey> <url>` line.
  Json p = env_->policy();
  p["tlog_policy"] = "log " + env_->log_vkey() + " " + env_->log_url() + "\nquorum none\n";
  auto via_policy = client(env_->runner_url(), policy(p)).attest();
  ASSERT_OK(via_policy);
  EXPECT_TRUE(via_policy->registration_included);
}

TEST_F(ClientTest, RefusesARunnerThePolicyDoesNotAccept) {
  Json p = env_->policy();
  p["platforms"]["sim"]["measurements"] = {std::string(96, '0')};
  auto c = client(env_->runner_url(), policy(p));
  auto a = c.attest();
  EXPECT_THAT(a, HasCode(ErrorCode::kSdkAttestationFailed));
  EXPECT_EQ(a.error().message.rfind("policy.measurement_not_allowed", 0), 0u) << a.error().message;
  // submit attests first and sends nothing.
  EXPECT_THAT(c.submit("sha256sum", bytes("x")), HasCode(ErrorCode::kSdkAttestationFailed));

  p = env_->policy();
  p["platforms"]["sim"]["allow_insecure_simulation"] = false;
  EXPECT_THAT(client(env_->runner_url(), policy(p)).attest(), HasCode(ErrorCode::kSdkAttestationFailed));

  p = env_->policy();
  p["revoked"] = {{"keys", {client().attest()->key_id}}};
  EXPECT_THAT(client(env_->runner_url(), policy(p)).attest(), HasCode(ErrorCode::kSdkAttestationFailed));

  // Another log's key: the registration proof's checkpoint is not trusted.
  auto other = proofs::NoteSigner::generate("e2e.verun.dev/log");
  ASSERT_OK(other);
  p = env_->policy();
  p["tlog_policy"] = "log " + proofs::format_verifier_key(other->verifier()) + "\nquorum none\n";
  EXPECT_THAT(client(env_->runner_url(), policy(p)).attest(), HasCode(ErrorCode::kSdkAttestationFailed));

  // A policy without tlog_policy cannot make a client.
  p = env_->policy();
  p.erase("tlog_policy");
  EXPECT_THAT(Client::make(env_->runner_url(), policy(p)), HasCode(ErrorCode::kInvalidArgument));
}

TEST_F(ClientTest, SubmitsWithSaltedCommitmentsAndTheBundleVerifies) {
  auto c = client();
  const auto input = bytes("hello, verun\n");
  auto r = c.submit("sha256sum", input);
  ASSERT_OK(r);
  EXPECT_NE(proofs::to_string(r->output).find(proofs::hex_encode(proofs::sha256(input))), std::string::npos)
      << proofs::to_string(r->output);
  EXPECT_EQ(r->input_salt.size(), 32u);
  EXPECT_EQ(r->output_salt.size(), 32u);
  EXPECT_EQ(r->receipt.input.scheme, proofs::CommitmentScheme::kSaltedV1);
  EXPECT_EQ(r->receipt.job.nonce, r->job_nonce);
  EXPECT_EQ(r->receipt.status.result, proofs::JobResult::kOk);
  EXPECT_TRUE(r->report.passed());
  EXPECT_TRUE(r->report.simulated);

  verifier::BundleOptions o;
  o.input = input;
  o.input_salt = r->input_salt;
  o.output = r->output;
  o.output_salt = r->output_salt;
  o.job_nonce = r->job_nonce;
  EXPECT_TRUE(Client::verify(r->bundle, c.policy(), o).passed());
  o.output_salt = r->input_salt;  // the wrong salt
  EXPECT_FALSE(Client::verify(r->bundle, c.policy(), o).passed());
  EXPECT_FALSE(Client::verify("{}", c.policy()).passed());
}

TEST_F(ClientTest, SubmitsPublicDataAndAsync) {
  auto c = client();
  SubmitOptions o;
  o.input_scheme = proofs::CommitmentScheme::kSha256;
  o.output_scheme = proofs::CommitmentScheme::kSha256;
  const auto input = bytes("one two three\nfour\n");
  auto r = c.submit("wordcount", input, o);
  ASSERT_OK(r);
  EXPECT_EQ(proofs::to_string(r->output), "2 4 19\n");
  EXPECT_TRUE(r->input_salt.empty());
  EXPECT_TRUE(r->output_salt.empty());
  EXPECT_EQ(r->receipt.input.commitment, proofs::sha256(input));
  EXPECT_EQ(r->receipt.output.commitment, proofs::sha256(r->output));

  o.async = true;
  o.poll_interval = std::chrono::milliseconds(20);
  auto a = c.submit("wordcount", input, o);
  ASSERT_OK(a);
  EXPECT_EQ(proofs::to_string(a->output), "2 4 19\n");
  EXPECT_NE(a->job_id, r->job_id);

  // A job that fails still comes back, its status proven.
  auto spin = c.submit("spin", bytes("x"));
  ASSERT_OK(spin);
  EXPECT_EQ(spin->receipt.status.result, proofs::JobResult::kTimeout);
}

TEST_F(ClientTest, RefusesWorkloadsBeforeSending) {
  auto c = client();
  EXPECT_THAT(c.submit("no-such-workload", bytes("x")), HasCode(ErrorCode::kSdkWorkloadNotOffered));
  Json p = env_->policy();
  p["workloads"] = Json::array({{{"name", "wordcount"}, {"measurement", {{"sha256", env_->workload_measurement("wordcount")}}}}});
  auto narrow = client(env_->runner_url(), policy(p));
  EXPECT_THAT(narrow.submit("sha256sum", bytes("x")), HasCode(ErrorCode::kSdkWorkloadNotOffered));
  EXPECT_OK(narrow.submit("wordcount", bytes("x")));
}

TEST_F(ClientTest, UnreachableRunner) {
  auto c = client("http://127.0.0.1:1", good_policy());
  EXPECT_THAT(c.attest(), HasCode(ErrorCode::kSdkRunnerUnreachable));
  auto rc = RunnerClient::make(env_->runner_url());
  ASSERT_OK(rc);
  auto w = rc->workloads();
  ASSERT_OK(w);
  EXPECT_GE((*w)["workloads"].size(), 3u);
  auto unknown = rc->poll_job("0123");
  EXPECT_THAT(unknown, HasCode(ErrorCode::kSdkRunnerRejected));
  EXPECT_EQ(server_error_code(unknown.error()), "runner.unknown_job");
}

// A proxy between the client and the runner that can tamper its answers.
class TamperingProxy {
 public:
  enum Mode { kPass, kSwapBundle, kFlipReceipt, kFlipOutput, kFlipIdentity, kWrongJobId };

  explicit TamperingProxy(int runner_port) : runner_port_(runner_port) {
    server_.Get(R"(/.*)", [this](const httplib::Request& req, httplib::Response& res) { forward(req, res); });
    server_.Post(R"(/.*)", [this](const httplib::Request& req, httplib::Response& res) { forward(req, res); });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  ~TamperingProxy() {
    server_.stop();
    thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::atomic<Mode> mode{kPass};

 private:
  void forward(const httplib::Request& req, httplib::Response& res) {
    httplib::Client c("127.0.0.1", runner_port_);
    c.set_read_timeout(std::chrono::seconds(60));
    std::string target = req.path;
    if (!req.params.empty()) {
      target += "?";
      for (const auto& [k, v] : req.params) target += k + "=" + v + "&";
      target.pop_back();
    }
    auto r = req.method == "POST" ? c.Post(target.c_str(), req.body, "application/json") : c.Get(target.c_str());
    if (!r) {
      res.status = 502;
      return;
    }
    res.status = r->status;
    std::string body = r->body;
    auto j = Json::parse(body, nullptr, false);
    if (r->status == 200 && j.is_object()) {
      if (j.contains("bundle")) {
        std::lock_guard lock(mu_);
        if (mode == kSwapBundle && !last_bundle_.is_null()) {
          const Json mine = j["bundle"];
          j["bundle"] = last_bundle_;
          last_bundle_ = mine;
        } else {
          last_bundle_ = j["bundle"];
        }
        if (mode == kFlipReceipt) {
          auto payload = *proofs::base64_decode(j["bundle"]["receipt"]["envelope"]["payload"].get<std::string>());
          auto at = proofs::to_string(payload).find("\"input\":{\"commitment\":{\"sha256\":\"");
          payload[at + 40] = payload[at + 40] == 'a' ? 'b' : 'a';
          j["bundle"]["receipt"]["envelope"]["payload"] = proofs::base64_encode(payload);
        }
        if (mode == kFlipOutput) {
          auto sealed = *proofs::base64_decode(j["output"].get<std::string>());
          sealed[sealed.size() / 2] ^= 1;
          j["output"] = proofs::base64_encode(sealed);
        }
        if (mode == kWrongJobId) j["job_id"] = std::string(32, 'f');
      }
      if (mode == kFlipIdentity && j.contains("identity")) j["identity"]["runner_version"] = "9.9.9";
      body = j.dump();
    }
    res.set_content(body, "application/json");
  }

  int runner_port_;
  int port_ = 0;
  httplib::Server server_;
  std::thread thread_;
  std::mutex mu_;
  Json last_bundle_;
};

TEST_F(ClientTest, TamperedAnswersFailWithTheirCodes) {
  TamperingProxy proxy(env_->runner_port());
  auto c = client(proxy.url(), good_policy());
  ASSERT_OK(c.submit("sha256sum", bytes("first")));  // passes through; remembered for the swap

  // Another job's valid receipt (right signer, wrong commitments and nonce).
  proxy.mode = TamperingProxy::kSwapBundle;
  EXPECT_THAT(c.submit("sha256sum", bytes("second")), HasCode(ErrorCode::kSdkReceiptMismatch));
  // A receipt whose input commitment was changed (its signature breaks).
  proxy.mode = TamperingProxy::kFlipReceipt;
  EXPECT_THAT(c.submit("sha256sum", bytes("third")), HasCode(ErrorCode::kSdkReceiptMismatch));
  // One bit of the sealed output.
  proxy.mode = TamperingProxy::kFlipOutput;
  EXPECT_THAT(c.submit("sha256sum", bytes("fourth")), HasCode(ErrorCode::kSdkOutputUndecryptable));
  // Another job id: the output's aad differs, so it does not open.
  proxy.mode = TamperingProxy::kWrongJobId;
  EXPECT_THAT(c.submit("sha256sum", bytes("fifth")), HasCode(ErrorCode::kSdkOutputUndecryptable));
  // An identity changed in the attestation: report_data no longer binds it.
  proxy.mode = TamperingProxy::kFlipIdentity;
  auto a = c.attest();
  EXPECT_THAT(a, HasCode(ErrorCode::kSdkAttestationFailed));
  EXPECT_EQ(a.error().message.rfind("appraisal.report_data_mismatch", 0), 0u) << a.error().message;
  proxy.mode = TamperingProxy::kPass;
  EXPECT_OK(c.submit("sha256sum", bytes("sixth")));
}

}  // namespace
}  // namespace verun::sdk
