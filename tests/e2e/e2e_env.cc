#include "tests/e2e/e2e_env.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "verun/proofs/base64.h"
#include "verun/proofs/crypto/random.h"
#include "verun/proofs/hex.h"
#include "verun/proofs/json/jcs.h"
#include "verun/proofs/sha2.h"

namespace verun::e2e {
namespace {

constexpr const char* kOrigin = "e2e.verun.dev/log";

std::string last_line(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  const auto nl = text.rfind('\n');
  return nl == std::string::npos ? text : text.substr(nl + 1);
}

std::string last_word(const std::string& line) {
  const auto sp = line.rfind(' ');
  return sp == std::string::npos ? line : line.substr(sp + 1);
}

proofs::Bytes file_bytes(const fs::path& p) {
  const std::string s = testing::read_text(p);
  return proofs::Bytes(s.begin(), s.end());
}

std::string jcs(const Json& j) {
  auto s = proofs::jcs_serialize(j);
  return s ? *s : std::string();
}

Json limits(std::int64_t timeout_ms, std::int64_t max_input, std::int64_t max_output, std::int64_t memory) {
  return {{"timeout_ms", timeout_ms},
          {"max_input_bytes", max_input},
          {"max_output_bytes", max_output},
          {"memory_bytes", memory}};
}

Json builtin(const std::string& name, const std::string& function, Json lim) {
  return {{"name", name}, {"version", "1"}, {"kind", "builtin"}, {"builtin", function}, {"limits", std::move(lim)}};
}

Json exec(const std::string& name, const proofs::Hash32& digest, std::vector<std::string> args, Json lim) {
  return {{"name", name},
          {"version", "1"},
          {"kind", "exec"},
          {"digest", {{"sha256", proofs::hex_encode(digest)}}},
          {"args", std::move(args)},
          {"limits", std::move(lim)}};
}

}  // namespace

std::string Programs::missing() const {
  std::string m;
  if (log.empty()) m += " verun-log";
  if (runner.empty()) m += " verun-runner";
  if (cli.empty()) m += " verun";
  if (verify.empty()) m += " verun-verify";
  return m.empty() ? m : m.substr(1);
}

Programs programs() {
  Programs p{VERUN_E2E_LOG_BIN, VERUN_E2E_RUNNER_BIN, VERUN_E2E_CLI_BIN, VERUN_E2E_VERIFY_BIN};
  for (std::string* s : {&p.log, &p.runner, &p.cli, &p.verify}) {
    if (!s->empty() && !fs::exists(*s)) s->clear();
  }
  return p;
}

Json receipt_predicate(const Json& bundle) {
  try {
    auto payload = proofs::base64_decode(bundle.at("receipt").at("envelope").at("payload").get<std::string>());
    if (!payload) return nullptr;
    auto statement = Json::parse(std::string(payload->begin(), payload->end()), nullptr, false);
    if (!statement.is_object() || !statement.contains("predicate")) return nullptr;
    return statement["predicate"];
  } catch (const std::exception&) {
    return nullptr;
  }
}

Environment::Environment(const std::vector<std::string>& runner_args)
    : bins_(programs()), dir_(std::make_unique<testing::TempDir>()), runner_args_(runner_args) {
  error_ = start();
}

Environment::~Environment() {
  runner_.stop();
  log_.stop();
}

std::string Environment::start() {
  if (bins_.log.empty() || bins_.runner.empty()) return "not built: " + bins_.missing();
  const fs::path d = dir();

  auto r = testing::run_program({bins_.log, "keygen", "--name", kOrigin, "--out", (d / "log.key").string()});
  if (r.exit_code != 0) return "verun-log keygen failed: " + r.err;
  log_vkey_ = last_line(r.out);
  r = testing::run_program({bins_.runner, "sim-root", "init", "--out", (d / "sim-root.key").string()});
  if (r.exit_code != 0) return "verun-runner sim-root init failed: " + r.err;
  sim_root_ = last_word(last_line(r.out));
  runner_measurement_ = proofs::hex_encode(proofs::sha384(file_bytes(bins_.runner)));

  // The registry: builtins (one with a 1 KiB input limit) and exec workloads
  // that spin forever or allocate far beyond their memory limit.
  const fs::path sh = fs::canonical("/bin/sh");
  const auto sh_digest = proofs::sha256(file_bytes(sh));
  Json credit = builtin("credit-score", "credit-score", limits(10000, 1 << 20, 4096, 256 << 20));
  credit["config"] = {{"model",
                       {{"features",
                         Json::array({{{"name", "income"}, {"weight", "0.00004"}},
                                      {{"name", "debt_ratio"}, {"weight", "-3.5"}},
                                      {{"name", "late_payments"}, {"weight", "-0.8"}}})},
                        {"bias", "-0.25"},
                        {"threshold", "0.5"}}}};
  const std::vector<Json> manifests = {
      builtin("sha256sum", "sha256sum", limits(10000, 4 << 20, 4096, 256 << 20)),
      builtin("wordcount", "wordcount", limits(10000, 4 << 20, 4096, 256 << 20)),
      builtin("small-sha256sum", "sha256sum", limits(10000, 1024, 4096, 256 << 20)),
      credit,
      exec("spin", sh_digest, {"-c", "while :; do :; done"}, limits(700, 4096, 4096, 64 << 20)),
      exec("hog", sh_digest, {"-c", "x=$(head -c 400000000 /dev/zero | tr '\\0' a); echo ${#x}"},
           limits(20000, 4096, 4096, 48 << 20)),
      exec("echo", sh_digest, {"-c", "cat"}, limits(5000, 4096, 4096, 64 << 20)),
  };
  Json registry = {{"workloads", Json::array()}};
  manifests_ = Json::object();
  for (const auto& m : manifests) {
    Json w = {{"manifest", m}};
    if (m["kind"] == "exec") w["path"] = sh.string();
    registry["workloads"].push_back(w);
    manifests_[m["name"].get<std::string>()] = m;
  }
  write_json("registry.json", registry);

  Json admission = policy();
  admission.erase("tlog_policy");
  admission.erase("max_evidence_age_seconds");
  admission.erase("max_key_age_seconds");
  write_json("admission.json", admission);
  write_json("policy.json", policy());

  log_ = testing::ChildProcess::start({bins_.log, "serve", "--db", (d / "log.db").string(), "--key",
                                       (d / "log.key").string(), "--listen", "127.0.0.1:0", "--admission-policy",
                                       (d / "admission.json").string(), "--batch-wait-ms", "5"},
                                      d / "log");
  log_port_ = log_.wait_for_port();
  if (log_port_ == 0) return "verun-log serve did not start: " + log_.err();

  std::vector<std::string> args = {bins_.runner, "serve", "--platform", "sim", "--log", log_url(), "--log-vkey",
                                   log_vkey_, "--registry", (d / "registry.json").string(), "--sim-root",
                                   (d / "sim-root.key").string(), "--listen", "127.0.0.1:0"};
  args.insert(args.end(), runner_args_.begin(), runner_args_.end());
  runner_ = testing::ChildProcess::start(args, d / "runner");
  runner_port_ = runner_.wait_for_port(std::chrono::milliseconds(60000));
  if (runner_port_ == 0) return "verun-runner serve did not start: " + runner_.out() + runner_.err();
  return "";
}

std::string Environment::workload_measurement(const std::string& name) const {
  if (!manifests_.contains(name)) return "";
  return proofs::hex_encode(proofs::sha256(jcs(manifests_[name])));
}

Json Environment::policy() const {
  Json workloads = Json::array();
  for (const auto& [name, m] : manifests_.items()) {
    workloads.push_back({{"name", name}, {"measurement", {{"sha256", workload_measurement(name)}}}});
  }
  return {{"tlog_policy", "log " + log_vkey_ + "\nquorum none\n"},
          {"platforms",
           {{"sim",
             {{"allow_insecure_simulation", true},
              {"roots", {sim_root_}},
              {"measurements", {runner_measurement_}},
              {"allow_debug", false},
              {"min_tcb", 1}}}}},
          {"workloads", workloads},
          {"max_evidence_age_seconds", 86400},
          {"max_key_age_seconds", 604800}};
}

fs::path Environment::write_json(const std::string& name, const Json& value) const {
  const fs::path p = dir() / name;
  testing::write_text(p, value.dump(2));
  return p;
}

fs::path Environment::write_bytes(const std::string& name, proofs::ByteView data) const {
  const fs::path p = dir() / name;
  testing::write_text(p, std::string(data.begin(), data.end()));
  return p;
}

httplib::Client Environment::runner_client() const {
  httplib::Client c("127.0.0.1", runner_port_);
  c.set_read_timeout(std::chrono::seconds(60));
  return c;
}

httplib::Client Environment::log_client() const {
  httplib::Client c("127.0.0.1", log_port_);
  c.set_read_timeout(std::chrono::seconds(60));
  return c;
}

std::optional<Attested> Environment::attest() {
  const auto nonce = proofs::random32();
  if (!nonce) return std::nullopt;
  auto r = runner_client().Get(("/v1/attestation?nonce=" + proofs::hex_encode(*nonce)).c_str());
  if (!r) {
    ADD_FAILURE() << "attestation: no answer";
    return std::nullopt;
  }
  if (r->status != 200) {
    ADD_FAILURE() << "attestation: " << r->status << " " << r->body;
    return std::nullopt;
  }
  Attested a;
  a.body = Json::parse(r->body, nullptr, false);
  try {
    const auto& id = a.body.at("identity");
    auto key = proofs::base64_decode(id.at("hpke_key").get<std::string>());
    auto signing = proofs::base64_decode(id.at("signing_key").get<std::string>());
    if (!key || !signing) throw std::runtime_error("bad key encoding");
    a.hpke_key = *key;
    a.key_id = proofs::hex_encode(proofs::sha256(*signing));
  } catch (const std::exception& e) {
    ADD_FAILURE() << "attestation answer: " << e.what() << ": " << r->body;
    return std::nullopt;
  }
  return a;
}

SealedJob Environment::seal(const Attested& att, const std::string& workload, proofs::ByteView input, bool salted,
                            bool output_salted) {
  SealedJob job;
  job.job_nonce = *proofs::random32();
  Json pt = {{"input", proofs::base64_encode(input)},
             {"input_scheme", salted ? "salted-v1" : "sha256"},
             {"output_scheme", output_salted ? "salted-v1" : "sha256"},
             {"job_nonce", proofs::hex_encode(job.job_nonce)}};
  if (salted) {
    job.input_salt = *proofs::random_bytes(32);
    pt["input_salt"] = proofs::hex_encode(job.input_salt);
  }
  auto setup = proofs::hpke_setup_base_sender(proofs::kVerunJobSuite, att.hpke_key, proofs::as_bytes(proofs::kVerunJobInfo));
  if (!setup) {
    ADD_FAILURE() << "hpke setup: " << setup.error().message;
    return job;
  }
  job.body = {{"workload", workload}, {"key_id", att.key_id}, {"enc", proofs::base64_encode(setup->enc)}};
  const std::string aad = jcs(job.body);
  auto ct = setup->context.seal(proofs::as_bytes(aad), proofs::as_bytes(jcs(pt)));
  if (!ct) {
    ADD_FAILURE() << "hpke seal: " << ct.error().message;
    return job;
  }
  job.body["ciphertext"] = proofs::base64_encode(*ct);
  job.setup.emplace(std::move(*setup));
  return job;
}

httplib::Result Environment::post_job(const Json& body, const std::string& query) {
  return runner_client().Post(("/v1/jobs" + query).c_str(), body.dump(), "application/json");
}

JobResult Environment::open(const SealedJob& job, const std::string& answer) const {
  JobResult res;
  auto body = Json::parse(answer, nullptr, false);
  if (!body.is_object() || !job.setup) return res;
  try {
    res.job_id = body.at("job_id").get<std::string>();
    res.bundle = body.at("bundle");
    auto sealed = proofs::base64_decode(body.at("output").get<std::string>());
    if (!sealed) return res;
    const auto& ctx = job.setup->context;
    auto key = ctx.export_secret(proofs::as_bytes(proofs::kVerunJobOutputKeyLabel), 32);
    auto nonce = ctx.export_secret(proofs::as_bytes(proofs::kVerunJobOutputNonceLabel), 12);
    if (!key || !nonce) return res;
    auto pt = proofs::aead_open(proofs::HpkeAead::kChaCha20Poly1305, key->view(), nonce->view(), proofs::as_bytes(res.job_id),
                                *sealed);
    if (!pt) return res;
    const auto ptv = pt->view();
    auto out = Json::parse(std::string(ptv.begin(), ptv.end()), nullptr, false);
    if (!out.is_object()) return res;
    auto output = proofs::base64_decode(out.at("output").get<std::string>());
    if (!output) return res;
    res.output = *output;
    if (out.contains("output_salt")) {
      auto salt = proofs::hex_decode(out["output_salt"].get<std::string>());
      if (!salt) return res;
      res.output_salt = *salt;
    }
    res.opened = true;
  } catch (const std::exception&) {
    res.opened = false;
  }
  return res;
}

JobResult Environment::run_job(const std::string& workload, proofs::ByteView input, bool salted,
                               SealedJob* job_out) {
  auto att = attest();
  if (!att) return {};
  SealedJob job = seal(*att, workload, input, salted, salted);
  auto r = post_job(job.body);
  if (!r) {
    ADD_FAILURE() << workload << ": no answer";
    return {};
  }
  if (r->status != 200) {
    ADD_FAILURE() << workload << ": " << r->status << " " << r->body;
    return {};
  }
  JobResult res = open(job, r->body);
  EXPECT_TRUE(res.opened) << workload << ": the sealed output does not open: " << r->body.substr(0, 400);
  if (job_out) *job_out = std::move(job);
  return res;
}

Verdict Environment::verify(const fs::path& bundle, const fs::path& policy,
                            const std::vector<std::string>& extra) const {
  Verdict v;
  std::vector<std::string> argv = {bins_.verify, "bundle", bundle.string(), "--policy", policy.string(), "--json"};
  argv.insert(argv.end(), extra.begin(), extra.end());
  auto r = testing::run_program(argv);
  v.exit_code = r.exit_code;
  v.out = r.out;
  v.err = r.err;
  v.report = Json::parse(r.out, nullptr, false);
  if (v.report.is_object() && v.report.contains("first_failure")) {
    const auto& f = v.report["first_failure"];
    if (f.is_object() && f.contains("code") && f["code"].is_string()) v.code = f["code"];
    if (f.is_string()) v.code = f;
  }
  return v;
}

}  // namespace verun::e2e
