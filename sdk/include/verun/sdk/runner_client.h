// RunnerClient: the client side of verun-runner's HTTP API (DESIGN.md §7;
// schemas/runner-api.openapi.json): GET /v1/attestation, POST /v1/jobs
// (sync or ?async=true), GET /v1/jobs/<id>, GET /v1/workloads. It checks the
// shape of every answer and verifies nothing: Client (client.h) appraises
// the attestation, seals the job, opens the output and checks the receipt.
// Thread-safe: every call opens its own connection.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "verun/proofs/bytes.h"
#include "verun/proofs/hpke/dhkem_x25519.h"
#include "verun/proofs/intoto/predicate_types.h"
#include "verun/proofs/json/strict_json.h"
#include "verun/result.h"

namespace verun::sdk {

struct RunnerClientOptions {
  std::chrono::milliseconds timeout{120000};  // connect, read and write, each
  std::string bearer_token;                   // sent as Authorization: Bearer when set
};

// GET /v1/attestation?nonce= : {"identity", "evidence", "registration":
// {"index", "proof"[, "envelope"]}}, each part parsed strictly.
struct AttestationAnswer {
  proofs::Json identity_json;  // as sent (report_data binds its JCS)
  proofs::RunnerIdentity identity;
  proofs::Evidence evidence;
  std::uint64_t registration_index = 0;
  std::string registration_proof;              // C2SP tlog-proof text (parsed, not verified)
  std::optional<proofs::Json> registration_envelope;  // when the runner sends it
};

// The POST /v1/jobs body (DESIGN.md §7).
struct JobBody {
  std::string workload;
  std::string key_id;
  proofs::HpkePublicKey enc{};
  proofs::Bytes ciphertext;
};

// A job's answer: done (200: bundle and sealed output) or pending (202).
struct JobAnswer {
  std::string job_id;
  bool done = false;
  std::string state;            // "queued"/"running" while pending, "done" when done
  proofs::Json bundle;          // the §8 bundle object (shape not checked here)
  proofs::Bytes sealed_output;  // base64-decoded `output`
};

// Errors of every call: sdk.runner_unreachable (no answer), sdk.runner_rejected
// (a 4xx), sdk.runner_server_error (a 5xx: queue full, shutting down,
// receipt not logged), with the runner's own code at the start of the
// message (server_error_code() in log_client.h extracts it), and
// sdk.bad_response (an answer that does not parse).
class RunnerClient {
 public:
  // base_url like "http://127.0.0.1:8081"; invalid_argument otherwise.
  static Result<RunnerClient> make(std::string base_url, RunnerClientOptions options = {});

  const std::string& base_url() const { return base_url_; }

  Result<AttestationAnswer> attestation(const proofs::Hash32& nonce) const;
  // POST /v1/jobs (?async=true when async: the answer is then pending).
  Result<JobAnswer> submit_job(const JobBody& body, bool async) const;
  // GET /v1/jobs/<id>.
  Result<JobAnswer> poll_job(std::string_view job_id) const;
  // GET /v1/workloads: {"workloads": [{"name", "version", "measurement", "manifest"}]}.
  Result<proofs::Json> workloads() const;

  // The JSON POST body and the HPKE aad for it: JCS of the body without
  // `ciphertext` (DESIGN.md §7).
  static std::string job_aad(std::string_view workload, std::string_view key_id, const proofs::HpkePublicKey& enc);

 private:
  RunnerClient(std::string base_url, std::string host, std::string prefix, RunnerClientOptions options)
      : base_url_(std::move(base_url)), host_(std::move(host)), prefix_(std::move(prefix)),
        options_(std::move(options)) {}

  std::string base_url_;
  std::string host_;
  std::string prefix_;
  RunnerClientOptions options_;
};

// Parses a job answer body (200 done or 202 pending); sdk.bad_response when
// it is not one. Exposed for the fuzz target.
Result<JobAnswer> parse_job_answer(std::string_view body, bool done);
// Parses an attestation answer body; sdk.bad_response when it is not one.
Result<AttestationAnswer> parse_attestation_answer(std::string_view body);

}  // namespace verun::sdk
