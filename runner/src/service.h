// The runner service (DESIGN.md §7): boot registration with retries, key
// rotation before max_key_age, attestation, the job pipeline (decrypt,
// replay cache, bounded queue and worker pool, workload, commitments,
// receipt, log inclusion, bundle of §8, sealed output), the job table and
// the metrics. HTTP-free: runner/src/http/ maps its answers to HTTP.
// Thread-safe: every public method may be called from any thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <iosfwd>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "seams.h"
#include "verun/proofs/json/strict_json.h"
#include "verun/proofs/note/note_key.h"
#include "verun/result.h"
#include "verun/runner/platform.h"

namespace verun::runner {

inline constexpr std::string_view kRunnerVersion = "0.1.0";

struct ServiceOptions {
  std::size_t workers = 2;                          // jobs run at once
  std::size_t queue = 64;                           // jobs waiting beyond those
  std::chrono::seconds max_key_age{24 * 3600};      // re-register before this
  std::chrono::milliseconds boot_backoff_start{250};
  std::chrono::milliseconds boot_backoff_max{8000};
  int receipt_attempts = 5;                         // log submissions per receipt
  std::size_t max_finished_jobs = 10000;            // kept for GET /v1/jobs/<id>
};

// An HTTP-shaped answer: status and JSON body ({"error": ...} for errors).
struct Answer {
  int status = 200;
  proofs::Json body;
  int retry_after_seconds = 0;  // set with 503
};

// The JSON error body {"error": {"code", "message"}}.
proofs::Json error_json(const Error& error);
// The HTTP status for a runner error code (400 by default).
int status_for(ErrorCode code);

class RunnerService {
 public:
  // `out` receives progress lines (registration attempts, rotations); it
  // must outlive the service and is written under the service's lock.
  RunnerService(std::unique_ptr<Platform> platform, std::unique_ptr<WorkloadSet> workloads, LogSubmitFn submit,
                proofs::NoteVerifier log_key, ServiceOptions options, std::ostream& out);
  ~RunnerService();  // stop()
  RunnerService(const RunnerService&) = delete;
  RunnerService& operator=(const RunnerService&) = delete;

  // Makes the first key and registers it, retrying while the log is
  // unavailable (each attempt printed); runner.registration_rejected (with
  // the log's code in the message) or runner.bad_log_proof are final.
  // Then starts the workers and the rotation thread.
  Result<void> start();
  // Stops taking jobs, finishes queued ones, joins the threads. Idempotent.
  void stop();

  // GET /v1/attestation?nonce=<64 hex>.
  Answer attestation(std::string_view nonce_hex) const;
  // POST /v1/jobs (async: 202 {"job_id"} at once).
  Answer submit_job(std::string_view body, bool async);
  // GET /v1/jobs/<id>: 200 when done, 202 while queued or running.
  Answer job(std::string_view id) const;
  // GET /v1/workloads.
  Answer workloads() const;
  // /metrics (Prometheus text format).
  std::string metrics() const;
  // The largest body POST /v1/jobs accepts (from the workloads' input limits).
  std::size_t max_body_bytes() const;

  bool simulated() const;
  // The current key_id and registration index (for the startup line and tests).
  std::string key_id() const;
  std::uint64_t registration_index() const;
  // Makes and registers a fresh key now (the rotation thread's step).
  Result<void> rotate_key();

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace verun::runner
