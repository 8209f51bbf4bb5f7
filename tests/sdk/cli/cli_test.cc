// The real `verun` binary: --help and usage errors on every verb, `inspect`
// on each kind of file, `submit` / `verify` / `log` against the real
// verun-log and verun-runner (the e2e environment), and every exit code
// (0 valid, 1 invalid, 2 usage, 3 unavailable).
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "sim_runner.h"
#include "tests/e2e/e2e_env.h"
#include "tests/support/matchers.h"
#include "tests/support/process.h"
#include "tests/support/temp_dir.h"
#include "verun/proofs/base64.h"
#include "verun/proofs/hex.h"
#include "verun/proofs/intoto/registration.h"
#include "verun/proofs/key_id.h"
#include "verun/proofs/note/note_key.h"

namespace verun::sdk {
namespace {

namespace fs = std::filesystem;
using proofs::Json;
using ::verun::testing::RunResult;

RunResult verun(std::vector<std::string> args, const std::string& input = "") {
  args.insert(args.begin(), VERUN_CLI_BIN);
  return ::verun::testing::run_program(args, input);
}

TEST(VerunCli, HelpOnEveryVerbAndUsageErrors) {
  auto r = verun({"--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("Exit codes"), std::string::npos) << r.out;
  for (const auto& verb : std::vector<std::vector<std::string>>{
           {"submit"}, {"verify"}, {"inspect"}, {"tlog"}, {"log"}, {"log", "checkpoint"}, {"log", "entry"},
           {"log", "proof"}, {"log", "consistency"}, {"log", "key"}, {"log", "blob"}}) {
    auto args = verb;
    args.push_back("--help");
    auto h = verun(args);
    EXPECT_EQ(h.exit_code, 0) << verb.back() << ": " << h.err;
    EXPECT_NE(h.out.find("usage"), std::string::npos) << verb.back();
  }
  EXPECT_EQ(verun({}).exit_code, 2);
  EXPECT_EQ(verun({"bogus"}).exit_code, 2);
  EXPECT_EQ(verun({"submit"}).exit_code, 2);
  EXPECT_EQ(verun({"submit", "--runner", "http://127.0.0.1:1", "--policy", "/nonexistent", "--workload", "w",
                   "--input", "/nonexistent"}).exit_code, 2);
  EXPECT_EQ(verun({"verify"}).exit_code, 2);
  EXPECT_EQ(verun({"verify", "/nonexistent", "--policy", "/nonexistent"}).exit_code, 2);
  EXPECT_EQ(verun({"inspect"}).exit_code, 2);
  EXPECT_EQ(verun({"inspect", "/nonexistent"}).exit_code, 2);
  EXPECT_EQ(verun({"log", "checkpoint", "--log", "ftp://x"}).exit_code, 2);
  EXPECT_EQ(verun({"log", "nope"}).exit_code, 2);
}

TEST(VerunCli, InspectsOfflineDocuments) {
  ::verun::testing::TempDir dir;
  const log::testing::SimRunner runner(0x51);
  const auto reg = runner.registration();
  auto write = [&](const std::string& name, const std::string& text) {
    const fs::path p = dir.path() / name;
    ::verun::testing::write_text(p, text);
    return p.string();
  };
  struct Case {
    std::string file, kind;
    bool simulated;
  };
  const auto predicate = runner.predicate();
  const std::vector<Case> cases = {
      {write("reg.json", log::testing::envelope_text(reg)), "envelope", true},
      {write("evidence.json", proofs::to_json(predicate.evidence).dump()), "evidence", true},
      {write("sim.json", proofs::to_string(predicate.evidence.data)), "sim-v1-data", true},
      {write("policy.json", log::testing::sim_policy_json()), "policy", true},
  };
  for (const auto& c : cases) {
    auto r = verun({"inspect", c.file});
    EXPECT_EQ(r.exit_code, 0) << c.kind << ": " << r.err;
    EXPECT_EQ(r.out.rfind(c.kind, 0), 0u) << r.out;
    EXPECT_EQ(r.out.find("SIMULATED") != std::string::npos, c.simulated) << r.out;
    auto j = verun({"inspect", c.file, "--json"});
    ASSERT_EQ(j.exit_code, 0) << j.err;
    auto parsed = Json::parse(j.out, nullptr, false);
    ASSERT_TRUE(parsed.is_object()) << j.out;
    EXPECT_EQ(parsed["kind"], c.kind);
    EXPECT_EQ(parsed["simulated"], c.simulated);
  }
  // The registration's statement is decoded; its signature checked.
  auto r = verun({"inspect", cases[0].file});
  EXPECT_NE(r.out.find("RunnerRegistration/v1"), std::string::npos);
  EXPECT_NE(r.out.find("proof of possession"), std::string::npos);
  EXPECT_NE(r.out.find(runner.key_id), std::string::npos);
  // From stdin too.
  r = verun({"inspect", "-"}, log::testing::envelope_text(reg));
  EXPECT_EQ(r.exit_code, 0);

  // Not verun documents: exit 1 with a code.
  for (const std::string& text : {std::string("hello\n"), std::string("[1,2]"), std::string("{}"),
                                  std::string("{\"payload\":1}"), std::string("{\"mediaType\":\"x\"}"),
                                  std::string("c2sp.org/tlog-proof@v1\nindex x\n")}) {
    auto bad = verun({"inspect", write("bad.txt", text)});
    EXPECT_EQ(bad.exit_code, 1) << text << bad.out;
    EXPECT_NE(bad.err.find("error: "), std::string::npos);
  }
}

class VerunCliLive : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { env_ = new e2e::Environment(); }
  static void TearDownTestSuite() {
    delete env_;
    env_ = nullptr;
  }
  void SetUp() override {
    if (!env_->ok()) GTEST_SKIP() << "the log and runner did not start: " << env_->error();
  }
  static std::string path(const std::string& name) { return (env_->dir() / name).string(); }
  static std::string policy() { return env_->write_json("cli-policy.json", env_->policy()).string(); }
  static e2e::Environment* env_;
};
e2e::Environment* VerunCliLive::env_ = nullptr;

TEST_F(VerunCliLive, SubmitVerifyInspect) {
  const std::string input = env_->write_bytes("in.txt", proofs::to_bytes("one two three\nfour\n")).string();
  // Public.
  auto r = verun({"submit", "--runner", env_->runner_url(), "--policy", policy(), "--workload", "wordcount", "--input",
                  input, "-o", path("pub.out"), "--bundle", path("pub.bundle.json"), "--public"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(::verun::testing::read_text(path("pub.out")), "2 4 19\n");
  EXPECT_NE(r.err.find("SIMULATED"), std::string::npos) << r.err;
  EXPECT_EQ(r.out.find("salt"), std::string::npos) << r.out;
  EXPECT_EQ(verun({"verify", path("pub.bundle.json"), "--policy", policy(), "--input", input, "--output", path("pub.out"),
                   "--require-ok"}).exit_code, 0);

  // Private, JSON: both salts printed; async.
  r = verun({"submit", "--runner", env_->runner_url(), "--policy", policy(), "--workload", "sha256sum", "--input", input,
             "-o", path("priv.out"), "--bundle", path("priv.bundle.json"), "--json", "--async", "--log", env_->log_url()});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  const Json out = Json::parse(r.out, nullptr, false);
  ASSERT_TRUE(out.is_object()) << r.out;
  EXPECT_EQ(out["status"], "ok");
  EXPECT_EQ(out["simulated"], true);
  const std::string in_salt = out.value("input_salt", ""), out_salt = out.value("output_salt", "");
  ASSERT_EQ(in_salt.size(), 64u);
  ASSERT_EQ(out_salt.size(), 64u);
  const std::vector<std::string> reveal = {"--input", input, "--input-salt", in_salt, "--output", path("priv.out"),
                                           "--output-salt", out_salt, "--job-nonce", out["job_nonce"]};
  auto args = std::vector<std::string>{"verify", path("priv.bundle.json"), "--policy", policy(), "--json"};
  args.insert(args.end(), reveal.begin(), reveal.end());
  auto v = verun(args);
  EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
  EXPECT_EQ(Json::parse(v.out, nullptr, false)["verdict"], "valid") << v.out;
  // --online: consistent with the log's current checkpoint.
  args.push_back("--online");
  args.push_back(env_->log_url());
  v = verun(args);
  EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
  EXPECT_EQ(Json::parse(v.out, nullptr, false)["online"]["consistent"], true) << v.out;
  args.back() = "http://127.0.0.1:1";
  EXPECT_EQ(verun(args).exit_code, 3);
  // Wrong salt: invalid; salted commitment without salt: usage.
  v = verun({"verify", path("priv.bundle.json"), "--policy", policy(), "--output", path("priv.out"), "--output-salt",
             in_salt});
  EXPECT_EQ(v.exit_code, 1) << v.out;
  EXPECT_EQ(verun({"verify", path("priv.bundle.json"), "--policy", policy(), "--output", path("priv.out")}).exit_code, 2);

  // inspect the bundle.
  auto i = verun({"inspect", path("priv.bundle.json")});
  EXPECT_EQ(i.exit_code, 0) << i.err;
  EXPECT_EQ(i.out.rfind("bundle", 0), 0u);
  EXPECT_NE(i.out.find("SIMULATED"), std::string::npos);
  EXPECT_NE(i.out.find("sha256sum"), std::string::npos);

  // A policy that refuses the runner: exit 1, nothing written.
  Json bad = env_->policy();
  bad["platforms"]["sim"]["measurements"] = {std::string(96, '0')};
  r = verun({"submit", "--runner", env_->runner_url(), "--policy", env_->write_json("bad.json", bad).string(),
             "--workload", "wordcount", "--input", input, "-o", path("x.out"), "--bundle", path("x.bundle.json")});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("sdk.attestation_failed"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(path("x.out")));
  EXPECT_FALSE(fs::exists(path("x.bundle.json")));
  // Unknown workload: 1; unreachable runner: 3.
  r = verun({"submit", "--runner", env_->runner_url(), "--policy", policy(), "--workload", "nope", "--input", input});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("sdk.workload_not_offered"), std::string::npos) << r.err;
  r = verun({"submit", "--runner", "http://127.0.0.1:1", "--policy", policy(), "--workload", "wordcount", "--input", input});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  // A job that times out: exit 1, but the proven failure is written.
  r = verun({"submit", "--runner", env_->runner_url(), "--policy", policy(), "--workload", "spin", "--input", input,
             "-o", path("spin.out"), "--bundle", path("spin.bundle.json")});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("status timeout"), std::string::npos) << r.out;
  EXPECT_EQ(verun({"verify", path("spin.bundle.json"), "--policy", policy()}).exit_code, 0);
  EXPECT_EQ(verun({"verify", path("spin.bundle.json"), "--policy", policy(), "--require-ok"}).exit_code, 1);
}

TEST_F(VerunCliLive, LogVerbs) {
  const std::string log = env_->log_url();
  auto r = verun({"log", "checkpoint", "--log", log, "--vkey", env_->log_vkey()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  Json cp = Json::parse(r.out, nullptr, false);
  EXPECT_EQ(cp["verified"], true);
  const auto size = cp["size"].get<std::uint64_t>();
  ASSERT_GE(size, 1u);
  ::verun::testing::write_text(path("checkpoint.txt"), cp["checkpoint"].get<std::string>());
  auto i = verun({"inspect", path("checkpoint.txt")});
  EXPECT_EQ(i.exit_code, 0);
  EXPECT_EQ(i.out.rfind("checkpoint", 0), 0u) << i.out;

  r = verun({"log", "entry", "--log", log, "--index", "0"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const Json entry = Json::parse(r.out, nullptr, false);
  EXPECT_TRUE(entry["envelope"].is_object());
  r = verun({"log", "proof", "--log", log, "--index", "0", "--raw"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ::verun::testing::write_text(path("proof.txt"), r.out);
  i = verun({"inspect", path("proof.txt"), "--json"});
  EXPECT_EQ(i.exit_code, 0);
  EXPECT_EQ(Json::parse(i.out, nullptr, false)["kind"], "tlog-proof") << i.out;
  r = verun({"log", "proof", "--log", log, "--index", "0", "--size", std::to_string(size)});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  r = verun({"log", "consistency", "--log", log, "--old", "1", "--new", std::to_string(size)});
  EXPECT_EQ(r.exit_code, 0) << r.err;

  // The registration of the runner's key (entry 0 is the first registration).
  auto payload = *proofs::base64_decode(entry["envelope"]["payload"].get<std::string>());
  auto reg = proofs::parse_registration_statement(payload);
  ASSERT_OK(reg);
  const std::string key_id = proofs::key_id(reg->identity.signing_key);
  r = verun({"log", "key", "--log", log, "--key-id", key_id});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Json::parse(r.out, nullptr, false)["index"], 0);

  // Refusals: 1 with the log's code; unreachable: 3.
  r = verun({"log", "blob", "--log", log, "--sha256", std::string(64, 'a')});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("sdk.log_rejected"), std::string::npos) << r.err;
  r = verun({"log", "entry", "--log", log, "--index", "999999"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(verun({"log", "checkpoint", "--log", "http://127.0.0.1:1"}).exit_code, 3);
  // A checkpoint checked with another log's key: 1.
  auto other = proofs::NoteSigner::generate("e2e.verun.dev/log");
  ASSERT_OK(other);
  r = verun({"log", "checkpoint", "--log", log, "--vkey", proofs::format_verifier_key(other->verifier())});
  EXPECT_EQ(r.exit_code, 1) << r.out;
}

}  // namespace
}  // namespace verun::sdk
