// End to end with the real programs on 127.0.0.1 (DESIGN.md §4-§8): a
// verun-log and a verun-runner (sim) per test, jobs driven over HTTP with a
// test-side HPKE client, bundles checked by the real verun-verify, and the
// issue's negative cases, each with its stable code: policies that do not
// accept the runner, tampered receipt / registration / proof / checkpoint,
// a receipt signed by an unregistered key, replayed enc, wrong job nonce,
// unknown workload, tampered ciphertext, oversized input, exec workloads
// over their time or memory limit, and garbage to every endpoint.
#include <gtest/gtest.h>

#include <signal.h>

#include <functional>

#include <string>
#include <vector>

#include "tests/e2e/e2e_env.h"
#include "tests/support/process.h"
#include "verun/error_code.h"
#include "verun/proofs/base64.h"
#include "verun/proofs/crypto/ed25519.h"
#include "verun/proofs/dsse/envelope.h"
#include "verun/proofs/hex.h"
#include "verun/proofs/intoto/receipt.h"
#include "verun/proofs/key_id.h"
#include "verun/proofs/sha2.h"

namespace verun::e2e {
namespace {

std::string code_of(ErrorCode c) { return std::string(to_string(c)); }

// Starts the log and the runner, or skips when they are not built.
#define E2E_ENV(env, ...)                                                                        \
  if (programs().log.empty() || programs().runner.empty()) GTEST_SKIP() << "not built: " << programs().missing(); \
  Environment env{__VA_ARGS__};                                                                  \
  ASSERT_TRUE(env.ok()) << env.error()

// Skips when verun-verify (or the verun CLI) is not built.
#define REQUIRE_VERIFY() \
  if (programs().verify.empty()) GTEST_SKIP() << "not built: verun-verify"
#define REQUIRE_CLI() \
  if (programs().cli.empty() || programs().verify.empty()) GTEST_SKIP() << "not built: " << programs().missing()

// The error code of a JSON error answer ("" when it is not one).
std::string error_code(const httplib::Result& r) {
  if (!r) return "";
  auto body = Json::parse(r->body, nullptr, false);
  if (!body.is_object() || !body.contains("error") || !body["error"].is_object()) return "";
  const auto& e = body["error"];
  return e.contains("code") && e["code"].is_string() ? e["code"].get<std::string>() : "";
}

proofs::Bytes text_bytes(const std::string& s) { return proofs::Bytes(s.begin(), s.end()); }

std::string hex_of_file_digest(const std::string& text) { return proofs::hex_encode(proofs::sha256(text)); }

// Flips one bit of the base64 field's decoded bytes at `at`.
std::string flip_b64(const std::string& b64, std::size_t at) {
  auto raw = proofs::base64_decode(b64);
  if (!raw || raw->empty()) return b64;
  (*raw)[at % raw->size()] ^= 0x01;
  return proofs::base64_encode(*raw);
}

// Replaces the first hash line after the "index" line of a tlog-proof.
std::string tamper_proof_hash(const std::string& proof) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start <= proof.size()) {
    const auto nl = proof.find('\n', start);
    if (nl == std::string::npos) {
      lines.push_back(proof.substr(start));
      break;
    }
    lines.push_back(proof.substr(start, nl - start));
    start = nl + 1;
  }
  for (std::size_t i = 0; i + 1 < lines.size(); ++i) {
    if (lines[i].rfind("index ", 0) == 0) {
      for (std::size_t j = i + 1; j < lines.size(); ++j) {
        if (lines[j].size() == 44) {  // one base64 hash
          lines[j] = flip_b64(lines[j], 3);
          std::string out;
          for (std::size_t k = 0; k < lines.size(); ++k) out += lines[k] + (k + 1 < lines.size() ? "\n" : "");
          return out;
        }
      }
    }
  }
  return proofs::base64_encode(proofs::sha256(proof));  // not a proof at all
}

// Flips a bit of the log's signature on the checkpoint inside a tlog-proof
// (the last line that starts with an em dash).
std::string tamper_checkpoint_signature(const std::string& proof) {
  const std::string dash = "\xe2\x80\x94 ";
  const auto at = proof.rfind(dash);
  if (at == std::string::npos) return proof + "x";
  const auto eol = proof.find('\n', at);
  const std::string line = proof.substr(at, eol == std::string::npos ? std::string::npos : eol - at);
  const auto sp = line.rfind(' ');
  const std::string sig = line.substr(sp + 1);
  std::string out = proof;
  out.replace(at + sp + 1, sig.size(), flip_b64(sig, 20));
  return out;
}

class E2e : public ::testing::Test {};

TEST(E2e, PublicAndPrivateJobsOverHttpVerifyOffline) {
  REQUIRE_VERIFY();
  E2E_ENV(env);
  const std::string text = "hello verun\nend to end\n";
  SealedJob pub_job;
  JobResult pub = env.run_job("sha256sum", text_bytes(text), /*salted=*/false, &pub_job);
  ASSERT_TRUE(pub.opened);
  EXPECT_EQ(std::string(pub.output.begin(), pub.output.end()), hex_of_file_digest(text) + "  -\n");
  const Json pred = receipt_predicate(pub.bundle);
  ASSERT_TRUE(pred.is_object()) << pub.bundle.dump();
  EXPECT_EQ(pred["status"]["result"], "ok");
  EXPECT_EQ(pred["input"]["scheme"], "sha256");
  EXPECT_EQ(pred["input"]["commitment"]["sha256"], hex_of_file_digest(text));
  EXPECT_EQ(pred["job"]["nonce"], proofs::hex_encode(pub_job.job_nonce));

  const auto bundle = env.write_json("public.bundle.json", pub.bundle);
  const auto input = env.write_bytes("public.in", text_bytes(text));
  const auto output = env.write_bytes("public.out", pub.output);
  const auto policy = env.write_json("policy.json", env.policy());
  auto v = env.verify(bundle, policy,
                      {"--input", input.string(), "--output", output.string(), "--job-nonce",
                       proofs::hex_encode(pub_job.job_nonce), "--require-ok"});
  EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
  EXPECT_EQ(v.report.value("verdict", ""), "valid") << v.out;
  EXPECT_EQ(v.report.value("simulated", false), true) << v.out;

  // Private: salted-v1 both ways; the salts reveal the commitments.
  SealedJob priv_job;
  JobResult priv = env.run_job("credit-score", text_bytes(kCreditCsv), /*salted=*/true, &priv_job);
  ASSERT_TRUE(priv.opened);
  ASSERT_EQ(priv.output_salt.size(), 32u);
  const Json ppred = receipt_predicate(priv.bundle);
  EXPECT_EQ(ppred["status"]["result"], "ok") << ppred.dump();
  EXPECT_EQ(ppred["input"]["scheme"], "salted-v1");
  EXPECT_EQ(ppred["output"]["scheme"], "salted-v1");
  const auto pbundle = env.write_json("private.bundle.json", priv.bundle);
  const auto pin = env.write_bytes("private.in", text_bytes(kCreditCsv));
  const auto pout = env.write_bytes("private.out", priv.output);
  v = env.verify(pbundle, policy,
                 {"--input", pin.string(), "--input-salt", proofs::hex_encode(priv_job.input_salt), "--output",
                  pout.string(), "--output-salt", proofs::hex_encode(priv.output_salt)});
  EXPECT_EQ(v.exit_code, 0) << v.out << v.err;

  // The wrong salt, the wrong output, and a salted commitment without its salt.
  v = env.verify(pbundle, policy, {"--output", pout.string(), "--output-salt", proofs::hex_encode(priv_job.input_salt)});
  EXPECT_EQ(v.exit_code, 1) << v.out << v.err;
  EXPECT_EQ(v.code, code_of(ErrorCode::kBundleOutputMismatch)) << v.out;
  const auto other = env.write_bytes("other.out", text_bytes("{\"score\":\"0.9999\",\"approved\":true}"));
  v = env.verify(pbundle, policy, {"--output", other.string(), "--output-salt", proofs::hex_encode(priv.output_salt)});
  EXPECT_EQ(v.exit_code, 1) << v.out << v.err;
  EXPECT_EQ(v.code, code_of(ErrorCode::kBundleOutputMismatch)) << v.out;
  v = env.verify(pbundle, policy, {"--input", pin.string()});
  EXPECT_EQ(v.exit_code, 2) << v.out << v.err;
}

TEST(E2e, CliSubmitVerifyAndInspect) {
  REQUIRE_CLI();
  E2E_ENV(env);
  const auto& bins = env.bins();
  auto help = testing::run_program({bins.cli, "submit", "--help"});
  if (help.exit_code != 0) GTEST_SKIP() << "verun submit is not built yet: " << help.err;
  const auto policy = env.write_json("policy.json", env.policy());
  const auto input = env.write_bytes("notes.txt", text_bytes("one two three\nfour\n"));
  const auto d = env.dir();
  auto r = testing::run_program({bins.cli, "submit", "--runner", env.runner_url(), "--policy", policy.string(),
                                 "--workload", "wordcount", "--input", input.string(), "-o", (d / "wc.out").string(),
                                 "--bundle", (d / "wc.bundle.json").string(), "--public", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(testing::read_text(d / "wc.out"), "2 4 19\n");
  auto v = env.verify(d / "wc.bundle.json", policy, {"--input", input.string(), "--output", (d / "wc.out").string()});
  EXPECT_EQ(v.exit_code, 0) << v.out << v.err;

  // Private: the CLI prints both salts; verun verify (the SDK's verifier) agrees with verun-verify.
  const auto csv = env.write_bytes("record.csv", text_bytes(kCreditCsv));
  r = testing::run_program({bins.cli, "submit", "--runner", env.runner_url(), "--policy", policy.string(),
                            "--workload", "credit-score", "--input", csv.string(), "-o", (d / "cs.out").string(),
                            "--bundle", (d / "cs.bundle.json").string(), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  const Json out = Json::parse(r.out, nullptr, false);
  ASSERT_TRUE(out.is_object()) << r.out;
  const std::string in_salt = out.value("input_salt", ""), out_salt = out.value("output_salt", "");
  ASSERT_EQ(in_salt.size(), 64u) << r.out;
  ASSERT_EQ(out_salt.size(), 64u) << r.out;
  const std::vector<std::string> reveal = {"--input", csv.string(), "--input-salt", in_salt,
                                           "--output", (d / "cs.out").string(), "--output-salt", out_salt};
  v = env.verify(d / "cs.bundle.json", policy, reveal);
  EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
  std::vector<std::string> cli_verify = {bins.cli, "verify", (d / "cs.bundle.json").string(), "--policy",
                                         policy.string()};
  cli_verify.insert(cli_verify.end(), reveal.begin(), reveal.end());
  r = testing::run_program(cli_verify);
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;

  r = testing::run_program({bins.cli, "inspect", (d / "cs.bundle.json").string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("SIMULATED"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("credit-score"), std::string::npos) << r.out;

  // The submitter refuses a runner its policy does not accept, before sending data.
  Json bad = env.policy();
  bad["platforms"]["sim"]["measurements"] = {std::string(96, '0')};
  const auto bad_policy = env.write_json("bad-policy.json", bad);
  r = testing::run_program({bins.cli, "submit", "--runner", env.runner_url(), "--policy", bad_policy.string(),
                            "--workload", "wordcount", "--input", input.string(), "-o", (d / "x.out").string(),
                            "--bundle", (d / "x.bundle.json").string(), "--public"});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_FALSE(fs::exists(d / "x.out"));
}

// A bundle made by the real runner, for the relying-party negative cases.
struct MadeBundle {
  Json bundle;
  SealedJob job;
};

MadeBundle make_bundle(Environment& env) {
  MadeBundle m;
  JobResult r = env.run_job("sha256sum", text_bytes("abc"), false, &m.job);
  m.bundle = r.bundle;
  return m;
}

TEST(E2e, PolicyMustAcceptTheRunner) {
  REQUIRE_VERIFY();
  E2E_ENV(env);
  auto made = make_bundle(env);
  ASSERT_TRUE(made.bundle.is_object());
  const auto bundle = env.write_json("b.json", made.bundle);

  Json p = env.policy();
  p["platforms"]["sim"]["measurements"] = {std::string(96, 'a')};
  auto v = env.verify(bundle, env.write_json("wrong-measurement.json", p));
  EXPECT_EQ(v.exit_code, 1) << v.out << v.err;
  EXPECT_EQ(v.code, code_of(ErrorCode::kPolicyMeasurementNotAllowed)) << v.out;

  p = env.policy();
  p["platforms"] = Json::object();
  v = env.verify(bundle, env.write_json("no-sim.json", p));
  EXPECT_EQ(v.exit_code, 1) << v.out << v.err;
  EXPECT_EQ(v.code, code_of(ErrorCode::kPolicyPlatformNotAllowed)) << v.out;

  p = env.policy();
  p["platforms"]["sim"]["allow_insecure_simulation"] = false;
  v = env.verify(bundle, env.write_json("sim-off.json", p));
  EXPECT_EQ(v.exit_code, 1) << v.out << v.err;
  EXPECT_EQ(v.code, code_of(ErrorCode::kPolicySimulationNotAllowed)) << v.out;

  p = env.policy();
  p["platforms"]["sim"]["roots"] = {proofs::base64_encode(proofs::Bytes(32, 7))};
  v = env.verify(bundle, env.write_json("other-root.json", p));
  EXPECT_EQ(v.exit_code, 1) << v.out << v.err;
  EXPECT_EQ(v.code, code_of(ErrorCode::kPolicyRootNotTrusted)) << v.out;

  p = env.policy();
  p["workloads"] = Json::array({{{"name", "wordcount"}, {"measurement", {{"sha256", env.workload_measurement("wordcount")}}}}});
  v = env.verify(bundle, env.write_json("no-sha256sum.json", p));
  EXPECT_EQ(v.exit_code, 1) << v.out << v.err;
  EXPECT_EQ(v.code, code_of(ErrorCode::kPolicyWorkloadNotAllowed)) << v.out;

  p = env.policy();
  p["revoked"] = {{"keys", {made.bundle["receipt"].is_object() ? receipt_predicate(made.bundle)["runner"]["key_id"] : Json("")}}};
  v = env.verify(bundle, env.write_json("revoked.json", p));
  EXPECT_EQ(v.exit_code, 1) << v.out << v.err;
  EXPECT_EQ(v.code, code_of(ErrorCode::kPolicyRevoked)) << v.out;

  // Another log's key with the same name: no checkpoint is trusted.
  auto other = testing::run_program({env.bins().log, "keygen", "--name", "e2e.verun.dev/log", "--out",
                                     (env.dir() / "other.key").string()});
  ASSERT_EQ(other.exit_code, 0);
  std::string other_vkey = other.out;
  while (!other_vkey.empty() && other_vkey.back() == '\n') other_vkey.pop_back();
  p = env.policy();
  p["tlog_policy"] = "log " + other_vkey + "\nquorum none\n";
  v = env.verify(bundle, env.write_json("other-log.json", p));
  EXPECT_EQ(v.exit_code, 1) << v.out << v.err;
  EXPECT_EQ(v.code, code_of(ErrorCode::kBundleLogNotTrusted)) << v.out;

  v = env.verify(bundle, env.write_json("ok.json", env.policy()));
  EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
}

TEST(E2e, TamperedBundlesAreRejected) {
  REQUIRE_VERIFY();
  E2E_ENV(env);
  auto made = make_bundle(env);
  ASSERT_TRUE(made.bundle.is_object());
  const auto policy = env.write_json("policy.json", env.policy());
  // Each change is caught by the first check it breaks (DESIGN.md §10
  // order): an envelope change alters the leaf, so inclusion fails before
  // any signature is looked at.
  struct Case {
    const char* what;
    std::function<void(Json&)> tamper;
    ErrorCode code;
  };
  const std::vector<Case> cases = {
      {"receipt payload", [](Json& b) {
         auto& e = b["receipt"]["envelope"];
         e["payload"] = flip_b64(e["payload"].get<std::string>(), 40);
       }, ErrorCode::kProofRootMismatch},
      {"receipt signature", [](Json& b) {
         auto& s = b["receipt"]["envelope"]["signatures"][0];
         s["sig"] = flip_b64(s["sig"].get<std::string>(), 10);
       }, ErrorCode::kProofRootMismatch},
      {"registration payload", [](Json& b) {
         auto& e = b["registration"]["envelope"];
         e["payload"] = flip_b64(e["payload"].get<std::string>(), 40);
       }, ErrorCode::kProofRootMismatch},
      {"registration signature", [](Json& b) {
         auto& s = b["registration"]["envelope"]["signatures"][0];
         s["sig"] = flip_b64(s["sig"].get<std::string>(), 10);
       }, ErrorCode::kProofRootMismatch},
      {"receipt proof hash", [](Json& b) { b["receipt"]["proof"] = tamper_proof_hash(b["receipt"]["proof"]); },
       ErrorCode::kProofRootMismatch},
      // The registration is entry 0 of a one-entry tree: its proof has no
      // hash lines, so the first hash is the checkpoint's root.
      {"registration checkpoint root",
       [](Json& b) { b["registration"]["proof"] = tamper_proof_hash(b["registration"]["proof"]); },
       ErrorCode::kNoteBadSignature},
      {"receipt checkpoint signature",
       [](Json& b) { b["receipt"]["proof"] = tamper_checkpoint_signature(b["receipt"]["proof"]); },
       ErrorCode::kNoteBadSignature},
      {"registration checkpoint signature",
       [](Json& b) { b["registration"]["proof"] = tamper_checkpoint_signature(b["registration"]["proof"]); },
       ErrorCode::kNoteBadSignature},
      {"mediaType", [](Json& b) { b["mediaType"] = "application/json"; }, ErrorCode::kBundleBadMediaType},
  };
  for (const auto& c : cases) {
    Json b = made.bundle;
    c.tamper(b);
    ASSERT_NE(b, made.bundle) << c.what;
    auto v = env.verify(env.write_json("tampered.json", b), policy);
    EXPECT_EQ(v.exit_code, 1) << c.what << ": " << v.out << v.err;
    EXPECT_EQ(v.code, code_of(c.code)) << c.what << ": " << v.out;
    EXPECT_EQ(v.report.value("verdict", ""), "invalid") << c.what;
    std::cout << "[ tampered ] " << c.what << " -> " << v.code << "\n";
  }
  // A wrong job nonce.
  auto v = env.verify(env.write_json("b.json", made.bundle), policy, {"--job-nonce", std::string(64, 'e')});
  EXPECT_EQ(v.exit_code, 1) << v.out;
  EXPECT_EQ(v.code, code_of(ErrorCode::kBundleJobNonceMismatch)) << v.out;
  v = env.verify(env.write_json("b.json", made.bundle), policy,
                 {"--job-nonce", proofs::hex_encode(made.job.job_nonce)});
  EXPECT_EQ(v.exit_code, 0) << v.out;
}

TEST(E2e, ReceiptByUnregisteredKeyIsRefusedByLogAndVerifier) {
  REQUIRE_VERIFY();
  E2E_ENV(env);
  auto made = make_bundle(env);
  ASSERT_TRUE(made.bundle.is_object());
  // The same receipt predicate, signed by a key the log never registered.
  auto payload = proofs::base64_decode(made.bundle["receipt"]["envelope"]["payload"].get<std::string>());
  ASSERT_TRUE(payload.has_value());
  Json statement = Json::parse(std::string(payload->begin(), payload->end()));
  auto rogue = proofs::Ed25519PrivateKey::generate();
  ASSERT_TRUE(rogue.has_value());
  statement["predicate"]["runner"]["key_id"] = proofs::key_id(rogue->public_key());
  auto pred = proofs::parse_receipt_predicate(statement["predicate"]);
  ASSERT_TRUE(pred.has_value()) << pred.error().message;
  auto env_rogue = proofs::make_receipt_envelope(*pred, *rogue);
  ASSERT_TRUE(env_rogue.has_value());
  auto r = env.log_client().Post("/v1/entries", Json{{"envelope", proofs::serialize_envelope(*env_rogue)}}.dump(),
                                 "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 403) << r->body;
  EXPECT_EQ(error_code(r), code_of(ErrorCode::kAdmissionUnregisteredSigner)) << r->body;

  // A bundle carrying it (with the genuine receipt's proof) fails.
  Json b = made.bundle;
  b["receipt"]["envelope"] = proofs::serialize_envelope(*env_rogue);
  auto v = env.verify(env.write_json("rogue.json", b), env.write_json("policy.json", env.policy()));
  EXPECT_EQ(v.exit_code, 1) << v.out << v.err;
  // Its leaf is not the logged one, so the receipt's inclusion proof fails
  // first (DESIGN.md §10 order).
  EXPECT_EQ(v.code, code_of(ErrorCode::kProofRootMismatch)) << v.out;
}

TEST(E2e, RunnerRefusesReplaysTamperingAndUnknowns) {
  E2E_ENV(env);
  auto att = env.attest();
  ASSERT_TRUE(att.has_value());
  SealedJob job = env.seal(*att, "sha256sum", text_bytes("replay me"), false, false);
  auto first = env.post_job(job.body);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->status, 200) << first->body;
  auto again = env.post_job(job.body);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 409) << again->body;
  EXPECT_EQ(error_code(again), code_of(ErrorCode::kRunnerReplayedEnc)) << again->body;

  SealedJob t = env.seal(*att, "sha256sum", text_bytes("tamper me"), false, false);
  t.body["ciphertext"] = flip_b64(t.body["ciphertext"].get<std::string>(), 5);
  auto tampered = env.post_job(t.body);
  ASSERT_TRUE(tampered);
  EXPECT_EQ(tampered->status, 400) << tampered->body;
  EXPECT_EQ(error_code(tampered), code_of(ErrorCode::kRunnerUndecryptable)) << tampered->body;

  // The workload name is in the aad: changing it after sealing does not open either.
  SealedJob w = env.seal(*att, "sha256sum", text_bytes("x"), false, false);
  w.body["workload"] = "wordcount";
  auto swapped = env.post_job(w.body);
  ASSERT_TRUE(swapped);
  EXPECT_EQ(swapped->status, 400) << swapped->body;
  EXPECT_EQ(error_code(swapped), code_of(ErrorCode::kRunnerUndecryptable)) << swapped->body;

  SealedJob k = env.seal(*att, "sha256sum", text_bytes("x"), false, false);
  k.body["key_id"] = std::string(64, 'a');
  auto wrong_key = env.post_job(k.body);
  ASSERT_TRUE(wrong_key);
  EXPECT_GE(wrong_key->status, 400);
  EXPECT_LT(wrong_key->status, 500);
  EXPECT_EQ(error_code(wrong_key), code_of(ErrorCode::kRunnerUnknownKey)) << wrong_key->body;

  SealedJob u = env.seal(*att, "no-such-workload", text_bytes("x"), false, false);
  auto unknown = env.post_job(u.body);
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 404) << unknown->body;
  EXPECT_EQ(error_code(unknown), code_of(ErrorCode::kRunnerUnknownWorkload)) << unknown->body;

  // The runner still works.
  JobResult ok = env.run_job("sha256sum", text_bytes("still alive"), false);
  EXPECT_TRUE(ok.opened);
}

TEST(E2e, OversizedInputGivesARejectedReceipt) {
  E2E_ENV(env);
  JobResult r = env.run_job("small-sha256sum", proofs::Bytes(2048, 'x'), false);
  ASSERT_TRUE(r.opened);
  const Json pred = receipt_predicate(r.bundle);
  EXPECT_EQ(pred["status"]["result"], "rejected") << pred.dump();
  EXPECT_EQ(pred["output"]["size"], 0) << pred.dump();
  REQUIRE_VERIFY();
  const auto bundle = env.write_json("rejected.json", r.bundle);
  const auto policy = env.write_json("policy.json", env.policy());
  auto v = env.verify(bundle, policy);
  EXPECT_EQ(v.exit_code, 0) << "a rejected job is still a proven fact: " << v.out << v.err;
  v = env.verify(bundle, policy, {"--require-ok"});
  EXPECT_EQ(v.exit_code, 1) << v.out;
  EXPECT_EQ(v.code, code_of(ErrorCode::kBundleStatusNotOk)) << v.out;
}

TEST(E2e, ExecOverItsLimitsIsStoppedAndTheRunnerSurvives) {
  E2E_ENV(env);
  const auto policy = env.write_json("policy.json", env.policy());
  JobResult spin = env.run_job("spin", text_bytes(""), false);
  ASSERT_TRUE(spin.opened);
  Json pred = receipt_predicate(spin.bundle);
  EXPECT_EQ(pred["status"]["result"], "timeout") << pred.dump();
  EXPECT_EQ(pred["status"]["exit_code"], 128 + SIGKILL) << pred.dump();
  if (!env.bins().verify.empty()) {
    auto v = env.verify(env.write_json("spin.json", spin.bundle), policy, {"--require-ok"});
    EXPECT_EQ(v.code, code_of(ErrorCode::kBundleStatusNotOk)) << v.out;
  }

  JobResult hog = env.run_job("hog", text_bytes(""), false);
  ASSERT_TRUE(hog.opened);
  pred = receipt_predicate(hog.bundle);
  EXPECT_EQ(pred["status"]["result"], "failed") << pred.dump();
  EXPECT_NE(pred["status"]["exit_code"], 0) << pred.dump();

  JobResult echo = env.run_job("echo", text_bytes("after the limits"), false);
  ASSERT_TRUE(echo.opened);
  EXPECT_EQ(std::string(echo.output.begin(), echo.output.end()), "after the limits");
  EXPECT_EQ(receipt_predicate(echo.bundle)["status"]["result"], "ok");
  EXPECT_TRUE(env.runner().running());
}

// Sends each request; every answer is a 4xx (or 404/405) JSON error, and the
// server still answers /healthz afterwards.
void expect_garbage_refused(httplib::Client& c, const std::string& who, bool runner) {
  struct Req {
    std::string method, path, body;
  };
  const std::string junk = std::string("\x00\xff{\"a\":", 7) + std::string(300, '[');
  std::vector<Req> reqs = {
      {"POST", "/v1/entries", "not json"},
      {"POST", "/v1/entries", junk},
      {"POST", "/v1/entries", "{\"envelope\": 1}"},
      {"POST", "/v1/entries", "{\"envelope\": {\"payload\": \"\", \"payloadType\": \"x\", \"signatures\": []}}"},
      {"GET", "/v1/entries/abc", ""},
      {"GET", "/v1/entries/99999999999999999999999", ""},
      {"GET", "/v1/entries?leaf_hash=zz", ""},
      {"GET", "/v1/keys/xyz", ""},
      {"GET", "/v1/proofs/inclusion?index=a&size=b", ""},
      {"GET", "/v1/proofs/inclusion?index=5&size=1", ""},
      {"GET", "/v1/proofs/consistency?old=9&new=1", ""},
      {"GET", "/v1/blobs/not-hex", ""},
      {"GET", "/tile/0/x99", ""},
      {"GET", "/tile/entries/000.p/0", ""},
      {"GET", "/tile/99/000", ""},
  };
  if (runner) {
    reqs = {
        {"GET", "/v1/attestation", ""},
        {"GET", "/v1/attestation?nonce=zz", ""},
        {"GET", "/v1/attestation?nonce=" + std::string(63, 'a'), ""},
        {"GET", "/v1/attestation?nonce=" + std::string(64, 'A'), ""},
        {"POST", "/v1/jobs", "not json"},
        {"POST", "/v1/jobs", junk},
        {"POST", "/v1/jobs", "{}"},
        {"POST", "/v1/jobs", "{\"workload\":\"sha256sum\",\"key_id\":1,\"enc\":\"\",\"ciphertext\":\"\"}"},
        {"POST", "/v1/jobs", "{\"workload\":\"sha256sum\",\"key_id\":\"" + std::string(64, 'a') +
                                 "\",\"enc\":\"AAAA\",\"ciphertext\":\"AAAA\",\"extra\":1}"},
        {"POST", "/v1/jobs?async=maybe", "{}"},
        {"GET", "/v1/jobs/does-not-exist", ""},
        {"GET", "/v1/jobs/" + std::string(5000, 'a'), ""},
        {"DELETE", "/v1/jobs", ""},
        {"GET", "/v1/nothing-here", ""},
    };
  }
  for (const auto& q : reqs) {
    httplib::Result r = q.method == "POST"   ? c.Post(q.path.c_str(), q.body, "application/json")
                        : q.method == "GET"  ? c.Get(q.path.c_str())
                                             : c.Delete(q.path.c_str());
    ASSERT_TRUE(r) << who << " " << q.method << " " << q.path << ": no answer";
    EXPECT_GE(r->status, 400) << who << " " << q.method << " " << q.path << ": " << r->body;
    EXPECT_LT(r->status, 500) << who << " " << q.method << " " << q.path << ": " << r->body;
    EXPECT_FALSE(error_code(r).empty()) << who << " " << q.method << " " << q.path << ": " << r->body;
  }
  // Random bodies of random sizes to every POST endpoint.
  std::uint64_t x = 0x243f6a8885a308d3ull;
  const std::vector<std::string> posts = runner ? std::vector<std::string>{"/v1/jobs", "/v1/jobs?async=true"}
                                                : std::vector<std::string>{"/v1/entries", "/v1/entries?wait=false"};
  for (const auto& path : posts) {
    for (int i = 0; i < 40; ++i) {
      std::string body(static_cast<std::size_t>(x % 3000), '\0');
      for (auto& ch : body) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        ch = static_cast<char>(x);
      }
      if (i % 2 == 1 && !body.empty()) body[0] = '{';
      auto r = c.Post(path.c_str(), body, "application/json");
      ASSERT_TRUE(r) << who << " POST " << path << " random body " << i << ": no answer";
      EXPECT_GE(r->status, 400) << who << " " << path << ": " << r->body;
      EXPECT_LT(r->status, 500) << who << " " << path << ": " << r->body;
    }
  }
  auto h = c.Get("/healthz");
  ASSERT_TRUE(h) << who << " died";
  EXPECT_EQ(h->status, 200) << who;
}

TEST(E2e, GarbageToEveryEndpointIsRefusedCleanly) {
  // No rate limit: the next real job must not be refused for the burst.
  E2E_ENV(env, std::vector<std::string>{"--rate-limit", "0"});
  auto log = env.log_client();
  expect_garbage_refused(log, "verun-log", false);
  auto runner = env.runner_client();
  expect_garbage_refused(runner, "verun-runner", true);
  // Both still do real work.
  JobResult ok = env.run_job("sha256sum", text_bytes("after the garbage"), false);
  EXPECT_TRUE(ok.opened);
  EXPECT_TRUE(env.runner().running());
  EXPECT_TRUE(env.log().running());
}

}  // namespace
}  // namespace verun::e2e
