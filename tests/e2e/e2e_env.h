// The end-to-end test environment: keys, a registry, policies, and the real
// `verun-log serve` and `verun-runner serve --platform sim` processes on
// 127.0.0.1 (ephemeral ports), plus a test-side job client built from
// proofs/ only (HPKE seal of DESIGN.md §7, the sealed output opened with the
// HPKE exports), so every runner answer can be driven and tampered with.
// Test-only; one environment per test; not thread-safe.
#pragma once

#include <httplib.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tests/support/process.h"
#include "tests/support/temp_dir.h"
#include "verun/proofs/bytes.h"
#include "verun/proofs/hpke/hpke.h"
#include "verun/proofs/json/strict_json.h"

namespace verun::e2e {

namespace fs = std::filesystem;
using proofs::Json;

// The programs under test ("" when the target was not built).
struct Programs {
  std::string log, runner, cli, verify;
  // The names of the missing ones, space-separated ("" when all exist).
  std::string missing() const;
};
Programs programs();

// What GET /v1/attestation answered.
struct Attested {
  Json body;
  proofs::Bytes hpke_key;
  std::string key_id;
};

// A sealed job: the POST /v1/jobs body and what the client keeps to check
// and open the answer.
struct SealedJob {
  Json body;
  std::optional<proofs::HpkeSenderSetup> setup;
  proofs::Hash32 job_nonce{};
  proofs::Bytes input_salt;  // empty for sha256
};

// The opened answer of a job.
struct JobResult {
  std::string job_id;
  Json bundle;
  proofs::Bytes output;
  proofs::Bytes output_salt;  // empty for sha256
  bool opened = false;
};

// The decoded receipt predicate of a bundle (null when it does not decode).
Json receipt_predicate(const Json& bundle);

// Runs `verun-verify bundle FILE --policy P --json EXTRA...`.
struct Verdict {
  int exit_code = -1;
  Json report;       // the parsed --json output (discarded when not JSON)
  std::string code;  // first_failure's code, "" when none
  std::string out, err;
};

class Environment {
 public:
  // Starts everything; ok() says whether it worked, error() why not.
  // `runner_args` are appended to verun-runner serve's arguments.
  explicit Environment(const std::vector<std::string>& runner_args = {});
  ~Environment();

  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }

  const fs::path& dir() const { return dir_->path(); }
  const Programs& bins() const { return bins_; }
  int log_port() const { return log_port_; }
  int runner_port() const { return runner_port_; }
  std::string log_url() const { return "http://127.0.0.1:" + std::to_string(log_port_); }
  std::string runner_url() const { return "http://127.0.0.1:" + std::to_string(runner_port_); }
  const std::string& log_vkey() const { return log_vkey_; }
  const std::string& runner_measurement() const { return runner_measurement_; }
  std::string workload_measurement(const std::string& name) const;
  testing::ChildProcess& runner() { return runner_; }
  testing::ChildProcess& log() { return log_; }

  // The relying party's policy (accepts this runner and every workload);
  // tests change it and write it with write_json.
  Json policy() const;
  fs::path write_json(const std::string& name, const Json& value) const;
  fs::path write_bytes(const std::string& name, proofs::ByteView data) const;

  httplib::Client runner_client() const;
  httplib::Client log_client() const;

  // GET /v1/attestation with a fresh nonce; nullopt (and a gtest failure) on error.
  std::optional<Attested> attest();
  SealedJob seal(const Attested& att, const std::string& workload, proofs::ByteView input, bool salted,
                 bool output_salted);
  httplib::Result post_job(const Json& body, const std::string& query = "");
  // Opens a 200 answer of POST /v1/jobs (opened = false when it does not open).
  JobResult open(const SealedJob& job, const std::string& answer) const;
  // attest + seal + post + open, expecting 200.
  JobResult run_job(const std::string& workload, proofs::ByteView input, bool salted, SealedJob* job_out = nullptr);

  Verdict verify(const fs::path& bundle, const fs::path& policy, const std::vector<std::string>& extra = {}) const;

 private:
  std::string start();

  Programs bins_;
  std::unique_ptr<testing::TempDir> dir_;
  std::string error_;
  std::string log_vkey_, sim_root_, runner_measurement_;
  Json manifests_;  // name -> manifest
  testing::ChildProcess log_, runner_;
  int log_port_ = 0, runner_port_ = 0;
  std::vector<std::string> runner_args_;
};

// The credit record the credit-score workload of the e2e registry scores.
inline constexpr const char* kCreditCsv = "income,debt_ratio,late_payments\n52000,0.31,1\n";

}  // namespace verun::e2e
