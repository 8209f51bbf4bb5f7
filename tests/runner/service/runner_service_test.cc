// verun-runner end to end on the sim platform (DESIGN.md §7, §8): a real
// `verun-log serve` and real `verun-runner serve` processes on 127.0.0.1,
// driven over HTTP with a test-side HPKE sealer built from proofs/hpke (not
// the sdk). Checks attestation binding, job round trips whose receipts,
// proofs and commitments verify with proofs/, async jobs, every refusal with
// its code (replay, tampering, wrong key, unknown workload, oversize input,
// garbage, full queue, auth, rate limit), boot retries while the log is
// down, a refused registration, and key rotation.
#include <httplib.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "runner_process.h"
#include "tests/support/matchers.h"
#include "tests/support/temp_dir.h"
#include "verun/proofs/base64.h"
#include "verun/proofs/commitment.h"
#include "verun/proofs/crypto/random.h"
#include "verun/proofs/dsse/envelope.h"
#include "verun/proofs/evidence/sim.h"
#include "verun/proofs/hex.h"
#include "verun/proofs/hpke/hpke.h"
#include "verun/proofs/intoto/receipt.h"
#include "verun/proofs/intoto/registration.h"
#include "verun/proofs/json/jcs.h"
#include "verun/proofs/key_id.h"
#include "verun/proofs/note/tlog_proof.h"
#include "verun/proofs/report_data.h"
#include "verun/proofs/sha2.h"
#include "verun/runner/job_wire.h"

namespace verun::runner {
namespace {

namespace fs = std::filesystem;
using proofs::Bytes;
using proofs::Json;
using testing::Proc;

constexpr std::int64_t kMaxInput = 4096;

std::string hex_of_file_sha384(const std::string& path) {
  const std::string bytes = testing::slurp(path);
  return proofs::hex_encode(proofs::sha384(proofs::as_bytes(bytes)));
}

Json builtin_manifest(const std::string& name) {
  return {{"name", name},
          {"version", "1"},
          {"kind", "builtin"},
          {"builtin", name},
          {"limits", {{"timeout_ms", 10000}, {"max_input_bytes", kMaxInput}, {"max_output_bytes", 65536},
                      {"memory_bytes", 268435456}}}};
}

// A client's sealed job: the body to post and the context that opens the output.
struct SealedJob {
  std::string body;
  std::optional<proofs::HpkeSenderSetup> sender;
  JobPlaintext plaintext;
};

SealedJob seal_job(const std::string& workload, const std::string& key_id, const proofs::HpkePublicKey& hpke_key,
                   const std::string& input, proofs::CommitmentScheme in_scheme = proofs::CommitmentScheme::kSaltedV1,
                   proofs::CommitmentScheme out_scheme = proofs::CommitmentScheme::kSaltedV1) {
  SealedJob job;
  job.plaintext.input = proofs::SecureBytes(proofs::as_bytes(input));
  job.plaintext.input_scheme = in_scheme;
  if (in_scheme == proofs::CommitmentScheme::kSaltedV1) job.plaintext.input_salt = *proofs::random_bytes(32);
  job.plaintext.output_scheme = out_scheme;
  job.plaintext.job_nonce = *proofs::random32();
  auto sender = proofs::hpke_setup_base_sender(proofs::kVerunJobSuite, hpke_key, proofs::as_bytes(proofs::kVerunJobInfo));
  EXPECT_TRUE(sender.has_value());
  Json body = {{"workload", workload}, {"key_id", key_id}, {"enc", proofs::base64_encode(sender->enc)}};
  const std::string aad = *proofs::jcs_serialize(body);
  auto pt = format_job_plaintext(job.plaintext);
  EXPECT_TRUE(pt.has_value());
  auto ct = sender->context.seal(proofs::as_bytes(aad), pt->view());
  EXPECT_TRUE(ct.has_value());
  body["ciphertext"] = proofs::base64_encode(*ct);
  job.body = body.dump();
  job.sender.emplace(std::move(*sender));
  return job;
}

class RunnerService : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new verun::testing::TempDir();
    const fs::path d = dir_->path();
    auto keygen = testing::run_to_end({VERUN_LOG_BIN, "keygen", "--name", kOrigin, "--out", (d / "log.key").string()},
                                      d / "keygen");
    ASSERT_EQ(keygen.code, 0) << keygen.err;
    vkey_ = keygen.out.substr(0, keygen.out.find('\n'));
    auto root = testing::run_to_end({VERUN_RUNNER_BIN, "sim-root", "init", "--out", (d / "sim-root.key").string()},
                                    d / "simroot");
    ASSERT_EQ(root.code, 0) << root.err;
    root_pub_ = root.out.substr(0, root.out.find('\n'));
    measurement_ = hex_of_file_sha384(VERUN_RUNNER_BIN);

    // The registry: two builtins and an exec workload that sleeps (/bin/sleep 2).
    const std::string sleep_bin = fs::canonical("/bin/sleep").string();
    Json sleeper = {{"name", "sleeper"},
                    {"version", "1"},
                    {"kind", "exec"},
                    {"digest", {{"sha256", proofs::hex_encode(proofs::sha256(proofs::as_bytes(testing::slurp(sleep_bin))))}}},
                    {"args", {"2"}},
                    {"limits", {{"timeout_ms", 20000}, {"max_input_bytes", kMaxInput}, {"max_output_bytes", 65536},
                                {"memory_bytes", 268435456}}}};
    Json registry = {{"workloads",
                      {{{"manifest", builtin_manifest("sha256sum")}},
                       {{"manifest", builtin_manifest("wordcount")}},
                       {{"manifest", sleeper}, {"path", sleep_bin}}}}};
    std::ofstream(d / "registry.json") << registry.dump(2);
    write_policy(d / "policy.json", measurement_);
    write_policy(d / "wrong-policy.json", std::string(96, '0'));

    log_port_ = start_log(log_, d / "log.db", d / "policy.json", "log");
    ASSERT_NE(log_port_, 0) << log_.err();
    runner_port_ = start_runner(runner_, "runner", {"--rate-limit", "0"});
    ASSERT_NE(runner_port_, 0) << runner_.err() << runner_.out();
  }

  static void TearDownTestSuite() {
    EXPECT_EQ(runner_.stop(), 0) << runner_.err();
    EXPECT_EQ(log_.stop(), 0) << log_.err();
    delete dir_;
  }

  static void write_policy(const fs::path& path, const std::string& measurement) {
    Json policy = {{"platforms",
                    {{"sim",
                      {{"allow_insecure_simulation", true},
                       {"roots", {root_pub_}},
                       {"measurements", {measurement}},
                       {"allow_debug", false},
                       {"min_tcb", 1}}}}}};
    std::ofstream(path) << policy.dump();
  }

  static int start_log(Proc& p, const fs::path& db, const fs::path& policy, const std::string& tag,
                       const std::string& listen = "127.0.0.1:0") {
    const fs::path d = dir_->path();
    p.start({VERUN_LOG_BIN, "serve", "--db", db.string(), "--key", (d / "log.key").string(), "--listen", listen,
             "--admission-policy", policy.string(), "--batch-wait-ms", "5"},
            d / tag);
    return p.wait_for_port();
  }

  static std::vector<std::string> runner_argv(int log_port, std::vector<std::string> extra) {
    const fs::path d = dir_->path();
    std::vector<std::string> argv = {VERUN_RUNNER_BIN, "serve", "--platform", "sim",
                                     "--log", "http://127.0.0.1:" + std::to_string(log_port),
                                     "--log-vkey", vkey_, "--registry", (d / "registry.json").string(),
                                     "--listen", "127.0.0.1:0", "--sim-root", (d / "sim-root.key").string()};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return argv;
  }

  static int start_runner(Proc& p, const std::string& tag, std::vector<std::string> extra = {}) {
    p.start(runner_argv(log_port_, std::move(extra)), dir_->path() / tag);
    return p.wait_for_port();
  }

  static httplib::Client client(int port = 0) {
    httplib::Client c("127.0.0.1", port ? port : runner_port_);
    c.set_read_timeout(std::chrono::seconds(60));
    return c;
  }

  static proofs::NoteVerifier log_key() { return *proofs::parse_verifier_key(vkey_); }

  struct Attested {
    proofs::RunnerIdentity identity;
    std::string key_id;
    std::uint64_t index = 0;
    Json body;
  };

  static Attested attest(int port = 0) {
    const std::string nonce = proofs::hex_encode(*proofs::random32());
    auto r = client(port).Get(("/v1/attestation?nonce=" + nonce).c_str());
    Attested a;
    EXPECT_TRUE(r);
    if (!r) return a;
    EXPECT_EQ(r->status, 200) << r->body;
    a.body = Json::parse(r->body);
    a.identity = *proofs::parse_runner_identity(a.body["identity"], "identity");
    a.key_id = proofs::key_id(a.identity.signing_key);
    a.index = a.body["registration"]["index"].get<std::uint64_t>();
    return a;
  }

  static void expect_error(const httplib::Result& r, int status, ErrorCode code, const std::string& what) {
    ASSERT_TRUE(r) << what << ": no response";
    EXPECT_EQ(r->status, status) << what << ": " << r->body;
    auto body = Json::parse(r->body, nullptr, false);
    ASSERT_TRUE(body.is_object() && body.contains("error")) << what << ": " << r->body;
    EXPECT_EQ(body["error"]["code"], std::string(to_string(code))) << what << ": " << r->body;
    EXPECT_TRUE(body["error"]["message"].is_string()) << what;
  }

  // Verifies a 200 job answer end to end; returns the receipt and the output.
  struct Checked {
    proofs::ReceiptPredicate receipt;
    std::string output;
    Bytes output_salt;
  };
  static Checked check_answer(const Json& answer, SealedJob& job, const Attested& a) {
    Checked c;
    const std::string job_id = answer.at("job_id").get<std::string>();
    const Json& bundle = answer.at("bundle");
    EXPECT_EQ(bundle.at("mediaType"), "application/vnd.verun.bundle.v1+json");
    EXPECT_EQ(bundle.at("collateral"), Json::object());
    EXPECT_EQ(bundle.size(), 4u);

    // Registration: signature, identity, inclusion under the log key.
    auto reg_env = proofs::parse_envelope(bundle["registration"]["envelope"], proofs::EnvelopeMode::kLogAdmission);
    EXPECT_TRUE(reg_env.has_value());
    auto reg = proofs::verify_registration_envelope(*reg_env);
    EXPECT_TRUE(reg.has_value());
    EXPECT_EQ(reg->identity, a.identity);
    const auto reg_leaf = *proofs::envelope_leaf(*reg_env);
    auto reg_proof = proofs::parse_tlog_proof(bundle["registration"]["proof"].get<std::string>());
    EXPECT_TRUE(reg_proof.has_value());
    auto reg_ok = proofs::verify_tlog_proof_for_entry(*reg_proof, proofs::as_bytes(reg_leaf), log_key(), kOrigin);
    EXPECT_TRUE(reg_ok.has_value()) << (reg_ok ? "" : reg_ok.error().to_string());
    EXPECT_EQ(reg_ok->index, a.index);

    // Receipt: signed by the registered key, included after the registration.
    auto env = proofs::parse_envelope(bundle["receipt"]["envelope"], proofs::EnvelopeMode::kLogAdmission);
    EXPECT_TRUE(env.has_value());
    auto verifier = *proofs::Ed25519Verifier::make(a.identity.signing_key);
    auto receipt = proofs::verify_receipt_envelope(*env, verifier);
    EXPECT_TRUE(receipt.has_value()) << (receipt ? "" : receipt.error().to_string());
    c.receipt = *receipt;
    auto proof = proofs::parse_tlog_proof(bundle["receipt"]["proof"].get<std::string>());
    EXPECT_TRUE(proof.has_value());
    auto inc = proofs::verify_tlog_proof_for_entry(*proof, proofs::as_bytes(*proofs::envelope_leaf(*env)), log_key(),
                                                   kOrigin);
    EXPECT_TRUE(inc.has_value()) << (inc ? "" : inc.error().to_string());
    EXPECT_GT(inc->index, a.index);
    EXPECT_EQ(receipt->runner.key_id, a.key_id);
    EXPECT_EQ(receipt->runner.registration_index, a.index);
    EXPECT_EQ(receipt->job.id, job_id);
    EXPECT_EQ(receipt->job.nonce, job.plaintext.job_nonce);
    EXPECT_NE(std::find(a.identity.workloads.begin(), a.identity.workloads.end(), receipt->workload),
              a.identity.workloads.end());
    EXPECT_LE(receipt->started_at, receipt->finished_at);

    // Commitments over the input (our salt) and the decrypted output.
    EXPECT_EQ(receipt->input.scheme, job.plaintext.input_scheme);
    EXPECT_EQ(receipt->input.size, job.plaintext.input.size());
    EXPECT_OK(proofs::verify_commitment(job.plaintext.input_scheme, receipt->input.commitment,
                                        job.plaintext.input.view(), job.plaintext.input_salt));
    auto sealed = proofs::base64_decode(answer.at("output").get<std::string>());
    EXPECT_TRUE(sealed.has_value());
    auto out = open_job_output(job.sender->context, job_id, *sealed);
    EXPECT_TRUE(out.has_value()) << (out ? "" : out.error().to_string());
    c.output = proofs::to_string(out->output.view());
    c.output_salt = out->output_salt;
    EXPECT_EQ(receipt->output.scheme, job.plaintext.output_scheme);
    EXPECT_EQ(receipt->output.size, c.output.size());
    EXPECT_EQ(c.output_salt.size(), job.plaintext.output_scheme == proofs::CommitmentScheme::kSaltedV1 ? 32u : 0u);
    EXPECT_OK(proofs::verify_commitment(receipt->output.scheme, receipt->output.commitment,
                                        proofs::as_bytes(c.output), c.output_salt));
    return c;
  }

  static constexpr const char* kOrigin = "example.com/verun-runner-test";
  static inline verun::testing::TempDir* dir_ = nullptr;
  static inline std::string vkey_, root_pub_, measurement_;
  static inline Proc log_, runner_;
  static inline int log_port_ = 0, runner_port_ = 0;
};

TEST_F(RunnerService, StartupSaysSimulatedAndTheBinaryMeasurement) {
  const std::string out = runner_.out();
  EXPECT_NE(out.find("SIMULATED"), std::string::npos) << out;
  EXPECT_NE(out.find(measurement_), std::string::npos) << out;
  EXPECT_NE(out.find("listening on 127.0.0.1:" + std::to_string(runner_port_)), std::string::npos) << out;
}

TEST_F(RunnerService, MeasureMatchesTheBinaryAndListsWorkloads) {
  auto r = testing::run_to_end({VERUN_RUNNER_BIN, "measure", "--registry", (dir_->path() / "registry.json").string(),
                                "--json"},
                               dir_->path() / "measure");
  ASSERT_EQ(r.code, 0) << r.err;
  auto j = Json::parse(r.out);
  EXPECT_EQ(j["runner"]["measurement"], measurement_);
  EXPECT_EQ(j["runner"]["simulated"], true);
  ASSERT_EQ(j["workloads"].size(), 3u);
  EXPECT_EQ(j["workloads"][0]["name"], "sha256sum");
  auto text = testing::run_to_end({VERUN_RUNNER_BIN, "measure"}, dir_->path() / "measure-text");
  EXPECT_EQ(text.code, 0);
  EXPECT_NE(text.out.find("SIMULATED"), std::string::npos);
  for (const char* cmd : {"serve", "measure", "sim-root"}) {
    auto h = testing::run_to_end({VERUN_RUNNER_BIN, cmd, "--help"}, dir_->path() / "help");
    EXPECT_EQ(h.code, 0) << cmd;
    EXPECT_NE(h.out.find("usage"), std::string::npos) << cmd;
  }
  EXPECT_EQ(testing::run_to_end({VERUN_RUNNER_BIN, "nope"}, dir_->path() / "nope").code, 2);
  EXPECT_EQ(testing::run_to_end({VERUN_RUNNER_BIN, "serve", "--platform", "sim"}, dir_->path() / "usage").code, 2);
}

TEST_F(RunnerService, SimRootInitRefusesToOverwrite) {
  auto r = testing::run_to_end({VERUN_RUNNER_BIN, "sim-root", "init", "--out", (dir_->path() / "sim-root.key").string()},
                               dir_->path() / "simroot2");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("runner.key_file_exists"), std::string::npos) << r.err;
}

TEST_F(RunnerService, AttestationIsFreshAndBindsIdentityAndNonce) {
  const auto nonce = *proofs::random32();
  auto r = client().Get(("/v1/attestation?nonce=" + proofs::hex_encode(nonce)).c_str());
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  auto body = Json::parse(r->body);
  EXPECT_EQ(body.size(), 3u);
  auto identity = proofs::parse_runner_identity(body["identity"], "identity");
  ASSERT_OK(identity);
  EXPECT_EQ(identity->platform, proofs::Platform::kSim);
  EXPECT_EQ(identity->runner_version, "0.1.0");
  ASSERT_EQ(identity->workloads.size(), 3u);
  auto evidence = proofs::parse_evidence(body["evidence"], "evidence");
  ASSERT_OK(evidence);
  EXPECT_EQ(evidence->format, proofs::EvidenceFormat::kSimV1);
  auto sim = proofs::verify_sim_evidence_detailed(evidence->data);
  ASSERT_OK(sim);
  EXPECT_EQ(sim->report.report_data, *proofs::make_report_data(*identity, nonce));
  EXPECT_EQ(proofs::hex_encode(sim->report.measurement), measurement_);
  EXPECT_EQ(proofs::base64_encode(sim->root), root_pub_);
  EXPECT_FALSE(sim->report.debug);
  EXPECT_EQ(sim->report.tcb, 1u);
  // The registration proof verifies under the log key (its index matches).
  auto proof = proofs::parse_tlog_proof(body["registration"]["proof"].get<std::string>());
  ASSERT_OK(proof);
  EXPECT_EQ(proof->index, body["registration"]["index"].get<std::uint64_t>());

  // Another nonce: other report_data, same identity.
  const auto nonce2 = *proofs::random32();
  auto r2 = client().Get(("/v1/attestation?nonce=" + proofs::hex_encode(nonce2)).c_str());
  ASSERT_TRUE(r2);
  auto sim2 = proofs::verify_sim_evidence_detailed(
      proofs::parse_evidence(Json::parse(r2->body)["evidence"], "evidence")->data);
  ASSERT_OK(sim2);
  EXPECT_EQ(sim2->report.report_data, *proofs::make_report_data(*identity, nonce2));

  expect_error(client().Get("/v1/attestation"), 400, ErrorCode::kRunnerBadRequest, "no nonce");
  expect_error(client().Get("/v1/attestation?nonce=abc"), 400, ErrorCode::kRunnerBadRequest, "short nonce");
  expect_error(client().Get(("/v1/attestation?nonce=" + std::string(64, 'G')).c_str()), 400,
               ErrorCode::kRunnerBadRequest, "not hex");
}

TEST_F(RunnerService, JobRoundTripSaltedVerifiesEndToEnd) {
  const auto a = attest();
  const std::string input = "hello verun\n";
  auto job = seal_job("sha256sum", a.key_id, a.identity.hpke_key, input);
  auto r = client().Post("/v1/jobs", job.body, "application/json");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  auto answer = Json::parse(r->body);
  EXPECT_EQ(answer.size(), 3u);
  auto c = check_answer(answer, job, a);
  EXPECT_EQ(c.output, proofs::hex_encode(proofs::sha256(proofs::as_bytes(input))) + "  -\n");
  EXPECT_EQ(c.receipt.status.result, proofs::JobResult::kOk);
  EXPECT_EQ(c.receipt.status.exit_code, 0);
  EXPECT_EQ(c.receipt.workload.name, "sha256sum");
  EXPECT_EQ(c.receipt.input.scheme, proofs::CommitmentScheme::kSaltedV1);
}

TEST_F(RunnerService, JobRoundTripPublicSchemesHasNoOutputSalt) {
  const auto a = attest();
  auto job = seal_job("wordcount", a.key_id, a.identity.hpke_key, "one two\nthree\n", proofs::CommitmentScheme::kSha256,
                      proofs::CommitmentScheme::kSha256);
  auto r = client().Post("/v1/jobs", job.body, "application/json");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  auto c = check_answer(Json::parse(r->body), job, a);
  EXPECT_EQ(c.output, "2 3 14\n");
  EXPECT_TRUE(c.output_salt.empty());
  EXPECT_EQ(c.receipt.output.commitment, proofs::sha256(proofs::as_bytes(c.output)));
  EXPECT_EQ(c.receipt.input.commitment, proofs::sha256(proofs::as_bytes("one two\nthree\n")));
}

TEST_F(RunnerService, AsyncJobIsPolledUntilDone) {
  const auto a = attest();
  auto job = seal_job("sha256sum", a.key_id, a.identity.hpke_key, "async input");
  auto r = client().Post("/v1/jobs?async=true", job.body, "application/json");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 202) << r->body;
  const std::string id = Json::parse(r->body)["job_id"];
  Json done;
  for (int i = 0; i < 600; ++i) {
    auto g = client().Get(("/v1/jobs/" + id).c_str());
    ASSERT_TRUE(g);
    ASSERT_TRUE(g->status == 200 || g->status == 202) << g->body;
    if (g->status == 200) {
      done = Json::parse(g->body);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_TRUE(done.is_object());
  EXPECT_EQ(done["job_id"], id);
  auto c = check_answer(done, job, a);
  EXPECT_EQ(c.output, proofs::hex_encode(proofs::sha256(proofs::as_bytes("async input"))) + "  -\n");
  // Fetching again gives the same answer; unknown ids are 404.
  auto again = client().Get(("/v1/jobs/" + id).c_str());
  ASSERT_TRUE(again);
  EXPECT_EQ(Json::parse(again->body), done);
  expect_error(client().Get("/v1/jobs/0123456789abcdef"), 404, ErrorCode::kRunnerUnknownJob, "unknown job");
  expect_error(client().Post("/v1/jobs?async=maybe", job.body, "application/json"), 400, ErrorCode::kRunnerBadRequest,
               "bad async");
}

TEST_F(RunnerService, ReplayedEncIsRefusedWith409) {
  const auto a = attest();
  auto job = seal_job("sha256sum", a.key_id, a.identity.hpke_key, "once");
  auto r = client().Post("/v1/jobs", job.body, "application/json");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  expect_error(client().Post("/v1/jobs", job.body, "application/json"), 409, ErrorCode::kRunnerReplayedEnc, "replay");
  expect_error(client().Post("/v1/jobs?async=true", job.body, "application/json"), 409, ErrorCode::kRunnerReplayedEnc,
               "async replay");
}

TEST_F(RunnerService, TamperedWrongKeyUnknownWorkloadAreRefused) {
  const auto a = attest();
  // Tampered ciphertext: one bit flipped.
  {
    auto job = seal_job("sha256sum", a.key_id, a.identity.hpke_key, "secret");
    auto body = Json::parse(job.body);
    auto ct = *proofs::base64_decode(body["ciphertext"].get<std::string>());
    ct[3] ^= 0x01;
    body["ciphertext"] = proofs::base64_encode(ct);
    expect_error(client().Post("/v1/jobs", body.dump(), "application/json"), 400, ErrorCode::kRunnerUndecryptable,
                 "tampered ciphertext");
    // The untampered request still works afterwards (the enc was not burnt).
    auto r = client().Post("/v1/jobs", job.body, "application/json");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200) << r->body;
  }
  // The aad binds the workload name: changing it after sealing fails to open.
  {
    auto job = seal_job("sha256sum", a.key_id, a.identity.hpke_key, "secret");
    auto body = Json::parse(job.body);
    body["workload"] = "wordcount";
    expect_error(client().Post("/v1/jobs", body.dump(), "application/json"), 400, ErrorCode::kRunnerUndecryptable,
                 "workload swapped");
  }
  // Sealed to another key: does not open.
  {
    auto other = *proofs::HpkePrivateKey::generate();
    auto job = seal_job("sha256sum", a.key_id, other.public_key(), "secret");
    expect_error(client().Post("/v1/jobs", job.body, "application/json"), 400, ErrorCode::kRunnerUndecryptable,
                 "other hpke key");
  }
  {
    auto job = seal_job("sha256sum", std::string(64, 'c'), a.identity.hpke_key, "secret");
    expect_error(client().Post("/v1/jobs", job.body, "application/json"), 400, ErrorCode::kRunnerUnknownKey,
                 "wrong key_id");
  }
  {
    auto job = seal_job("no-such-workload", a.key_id, a.identity.hpke_key, "secret");
    expect_error(client().Post("/v1/jobs", job.body, "application/json"), 404, ErrorCode::kRunnerUnknownWorkload,
                 "unknown workload");
  }
}

TEST_F(RunnerService, OversizedInputGetsARejectedReceipt) {
  const auto a = attest();
  auto job = seal_job("sha256sum", a.key_id, a.identity.hpke_key, std::string(kMaxInput + 1, 'x'));
  auto r = client().Post("/v1/jobs", job.body, "application/json");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  auto c = check_answer(Json::parse(r->body), job, a);
  EXPECT_EQ(c.receipt.status.result, proofs::JobResult::kRejected);
  EXPECT_EQ(c.receipt.input.size, static_cast<std::uint64_t>(kMaxInput + 1));
  EXPECT_EQ(c.output, "");
  EXPECT_EQ(c.receipt.output.size, 0u);
  // Far beyond the body limit: 413 before anything is read.
  const std::string huge(3 * 1024 * 1024, 'a');
  expect_error(client().Post("/v1/jobs", huge, "application/json"), 413, ErrorCode::kRunnerBodyTooLarge, "huge body");
}

TEST_F(RunnerService, GarbageToEveryEndpointNeverCrashes) {
  const std::vector<std::string> bodies = {"", "{", "null", "[]", "{\"workload\":\"sha256sum\"}", std::string(1000, '{'),
                                           "\xff\xfe", "{\"workload\":\"a\",\"key_id\":1,\"enc\":[],\"ciphertext\":{}}"};
  for (const auto& b : bodies) {
    expect_error(client().Post("/v1/jobs", b, "application/json"), 400, ErrorCode::kRunnerBadRequest, "garbage job");
  }
  expect_error(client().Get("/v1/nothing"), 404, ErrorCode::kRunnerNotFound, "unknown path");
  expect_error(client().Get("/"), 404, ErrorCode::kRunnerNotFound, "root");
  expect_error(client().Put("/v1/jobs", "x", "text/plain"), 405, ErrorCode::kRunnerMethodNotAllowed, "PUT jobs");
  expect_error(client().Delete("/v1/workloads"), 405, ErrorCode::kRunnerMethodNotAllowed, "DELETE workloads");
  expect_error(client().Post("/v1/attestation", "x", "text/plain"), 405, ErrorCode::kRunnerMethodNotAllowed,
               "POST attestation");
  expect_error(client().Get("/v1/jobs/%00%ff"), 404, ErrorCode::kRunnerUnknownJob, "odd job id");
  expect_error(client().Get(("/v1/jobs/" + std::string(5000, 'a')).c_str()), 404, ErrorCode::kRunnerUnknownJob,
               "long job id");
  // Raw bytes that are not HTTP at all, and a request cut short.
  static const char kBinary[] = "\x00\x01\x02garbage\r\n\r\n";
  for (const std::string& raw : {std::string(kBinary, sizeof kBinary - 1), std::string(70000, 'A'),
                                std::string("POST /v1/jobs HTTP/1.1\r\nContent-Length: 100\r\n\r\n{\"a\"")}) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(static_cast<std::uint16_t>(runner_port_));
    ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    (void)!::write(fd, raw.data(), raw.size());
    ::shutdown(fd, SHUT_WR);
    char buf[512];
    while (::read(fd, buf, sizeof buf) > 0) {
    }
    ::close(fd);
  }
  auto h = client().Get("/healthz");
  ASSERT_TRUE(h);
  EXPECT_EQ(h->status, 200);
  EXPECT_TRUE(runner_.running());
}

TEST_F(RunnerService, WorkloadsMetricsAndHealth) {
  auto w = client().Get("/v1/workloads");
  ASSERT_TRUE(w);
  ASSERT_EQ(w->status, 200);
  auto list = Json::parse(w->body)["workloads"];
  ASSERT_EQ(list.size(), 3u);
  EXPECT_EQ(list[0]["name"], "sha256sum");
  EXPECT_EQ(list[0]["manifest"], builtin_manifest("sha256sum"));
  EXPECT_EQ(list[0]["measurement"]["sha256"],
            proofs::hex_encode(proofs::sha256(proofs::as_bytes(*proofs::jcs_serialize(builtin_manifest("sha256sum"))))));
  // A job, then its count in /metrics.
  const auto a = attest();
  auto job = seal_job("sha256sum", a.key_id, a.identity.hpke_key, "m");
  ASSERT_EQ(client().Post("/v1/jobs", job.body, "application/json")->status, 200);
  auto m = client().Get("/metrics");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->status, 200);
  EXPECT_NE(m->body.find("verun_runner_jobs_total{status=\"ok\"}"), std::string::npos);
  EXPECT_EQ(m->body.find("verun_runner_jobs_total{status=\"ok\"} 0\n"), std::string::npos);
  EXPECT_NE(m->body.find("verun_runner_queue_depth"), std::string::npos);
  EXPECT_NE(m->body.find("verun_runner_log_roundtrip_seconds_count"), std::string::npos);
  EXPECT_NE(m->body.find("verun_runner_job_seconds_bucket"), std::string::npos);
  auto h = Json::parse(client().Get("/healthz")->body);
  EXPECT_EQ(h["status"], "ok");
  EXPECT_EQ(h["key_id"], a.key_id);
}

TEST_F(RunnerService, ConcurrentClientsAllGetVerifiedBundles) {
  const auto a = attest();
  constexpr int kThreads = 12, kJobsEach = 3;
  std::vector<std::thread> threads;
  std::vector<int> ok(kThreads, 0);
  const auto t0 = std::chrono::steady_clock::now();
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kJobsEach; ++i) {
        const std::string input = "client " + std::to_string(t) + " job " + std::to_string(i);
        auto job = seal_job("sha256sum", a.key_id, a.identity.hpke_key, input);
        auto r = client().Post("/v1/jobs", job.body, "application/json");
        if (!r || r->status != 200) continue;
        auto c = check_answer(Json::parse(r->body), job, a);
        if (c.output == proofs::hex_encode(proofs::sha256(proofs::as_bytes(input))) + "  -\n") ++ok[t];
      }
    });
  }
  for (auto& th : threads) th.join();
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  int total = 0;
  for (int n : ok) total += n;
  EXPECT_EQ(total, kThreads * kJobsEach);
  std::cout << "[ runner ] " << total << " concurrent jobs in " << secs << " s (" << total / secs << " jobs/s, "
            << "2 workers)\n";
}

TEST_F(RunnerService, FullQueueAnswers503WithRetryAfter) {
  Proc busy;
  const int port = start_runner(busy, "busy", {"--workers", "1", "--queue", "1", "--rate-limit", "0"});
  ASSERT_NE(port, 0) << busy.err();
  const auto a = attest(port);
  // One sleeper runs (2 s), one waits, the third is refused.
  std::vector<int> statuses;
  for (int i = 0; i < 3; ++i) {
    auto job = seal_job("sleeper", a.key_id, a.identity.hpke_key, "");
    auto r = client(port).Post("/v1/jobs?async=true", job.body, "application/json");
    ASSERT_TRUE(r);
    statuses.push_back(r->status);
    if (r->status == 503) {
      EXPECT_EQ(r->get_header_value("Retry-After"), "1");
      EXPECT_EQ(Json::parse(r->body)["error"]["code"], "runner.queue_full");
    }
    if (i == 0) std::this_thread::sleep_for(std::chrono::milliseconds(300));  // let the worker take it
  }
  EXPECT_EQ(statuses, (std::vector<int>{202, 202, 503}));
  auto m = client(port).Get("/metrics");
  ASSERT_TRUE(m);
  EXPECT_NE(m->body.find("verun_runner_jobs_refused_busy_total 1"), std::string::npos);
  EXPECT_EQ(busy.stop(), 0) << busy.err();
}

TEST_F(RunnerService, BearerTokensAndRateLimit) {
  std::ofstream(dir_->path() / "tokens") << "# tokens\ns3cret-one\ns3cret-two\n";
  Proc guarded;
  const int port = start_runner(guarded, "guarded",
                                {"--auth-tokens", (dir_->path() / "tokens").string(), "--rate-limit", "1"});
  ASSERT_NE(port, 0) << guarded.err();
  const auto a = attest(port);
  auto job = seal_job("sha256sum", a.key_id, a.identity.hpke_key, "auth");
  expect_error(client(port).Post("/v1/jobs", job.body, "application/json"), 401, ErrorCode::kRunnerUnauthorized,
               "no token");
  httplib::Headers wrong = {{"Authorization", "Bearer s3cret-three"}};
  expect_error(client(port).Post("/v1/jobs", wrong, job.body, "application/json"), 401, ErrorCode::kRunnerUnauthorized,
               "wrong token");
  httplib::Headers right = {{"Authorization", "Bearer s3cret-two"}};
  auto r = client(port).Post("/v1/jobs", right, job.body, "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200) << r->body;
  // Rate limit: 1/s, burst 2; several quick requests hit 429.
  int limited = 0;
  for (int i = 0; i < 5; ++i) {
    auto g = client(port).Get(("/v1/attestation?nonce=" + std::string(64, '0')).c_str());
    ASSERT_TRUE(g);
    if (g->status == 429) {
      ++limited;
      EXPECT_EQ(Json::parse(g->body)["error"]["code"], "runner.rate_limited");
    }
  }
  EXPECT_GE(limited, 3);
  EXPECT_EQ(guarded.stop(), 0);
}

TEST_F(RunnerService, BootRetriesUntilTheLogComesUp) {
  const int port = testing::free_port();
  Proc late_runner;
  late_runner.start(runner_argv(port, {}), dir_->path() / "late-runner");
  // Wait for at least two failed attempts.
  for (int i = 0; i < 300; ++i) {
    const std::string out = late_runner.out();
    if (out.find("attempt 2") != std::string::npos) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_NE(late_runner.out().find("retrying"), std::string::npos) << late_runner.out();
  ASSERT_TRUE(late_runner.running());
  Proc late_log;
  ASSERT_EQ(start_log(late_log, dir_->path() / "late.db", dir_->path() / "policy.json", "late-log",
                      "127.0.0.1:" + std::to_string(port)),
            port)
      << late_log.err();
  const int rport = late_runner.wait_for_port();
  ASSERT_NE(rport, 0) << late_runner.out() << late_runner.err();
  const auto a = attest(rport);
  auto job = seal_job("sha256sum", a.key_id, a.identity.hpke_key, "late");
  auto r = client(rport).Post("/v1/jobs", job.body, "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(late_runner.stop(), 0);
  EXPECT_EQ(late_log.stop(), 0);
}

TEST_F(RunnerService, RegistrationRefusedByTheLogExitsWithItsCode) {
  Proc strict_log;
  const int lport = start_log(strict_log, dir_->path() / "strict.db", dir_->path() / "wrong-policy.json", "strict-log");
  ASSERT_NE(lport, 0) << strict_log.err();
  auto r = testing::run_to_end(runner_argv(lport, {}), dir_->path() / "refused-runner");
  EXPECT_EQ(r.code, 3) << r.out << r.err;
  EXPECT_NE(r.err.find("runner.registration_rejected"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("admission.evidence_rejected"), std::string::npos) << r.err;
  EXPECT_EQ(strict_log.stop(), 0);
}

TEST_F(RunnerService, UnbuiltPlatformAndBadFlagsFailClearly) {
  auto argv = runner_argv(log_port_, {});
  argv[3] = "nitro";
  auto r = testing::run_to_end(argv, dir_->path() / "nitro");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("runner.platform_not_built"), std::string::npos) << r.err;
  auto bad = runner_argv(log_port_, {"--workers", "0"});
  EXPECT_EQ(testing::run_to_end(bad, dir_->path() / "badflag").code, 2);
  auto vk = runner_argv(log_port_, {});
  vk[7] = "not-a-vkey";
  auto v = testing::run_to_end(vk, dir_->path() / "badvkey");
  EXPECT_EQ(v.code, 1);
  EXPECT_NE(v.err.find("note."), std::string::npos) << v.err;
}

TEST_F(RunnerService, KeyRotationKeepsThePreviousKeyForInFlightClients) {
  Proc rot;
  const int port = start_runner(rot, "rotating", {"--max-key-age", "2", "--rate-limit", "0"});
  ASSERT_NE(port, 0) << rot.err();
  const auto first = attest(port);
  std::string rotated_key;
  for (int i = 0; i < 200 && rotated_key.empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    const std::string k = Json::parse(client(port).Get("/healthz")->body)["key_id"];
    if (k != first.key_id) rotated_key = k;
  }
  ASSERT_FALSE(rotated_key.empty()) << rot.out();
  EXPECT_NE(rot.out().find("rotated runner key"), std::string::npos);
  // A client that attested the old key still gets its job done under it.
  auto job = seal_job("sha256sum", first.key_id, first.identity.hpke_key, "old key");
  auto r = client(port).Post("/v1/jobs", job.body, "application/json");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  auto c = check_answer(Json::parse(r->body), job, first);
  EXPECT_EQ(c.receipt.runner.key_id, first.key_id);
  // The new key is attested and works too.
  const auto second = attest(port);
  EXPECT_EQ(second.key_id, rotated_key);
  EXPECT_GT(second.index, first.index);
  EXPECT_EQ(rot.stop(), 0);
}

}  // namespace
}  // namespace verun::runner
