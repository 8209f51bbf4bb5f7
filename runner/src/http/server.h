// verun-runner's HTTP API (DESIGN.md §7, schemas/runner-api.openapi.json)
// over cpp-httplib: /v1/attestation, /v1/jobs, /v1/jobs/<id>,
// /v1/workloads, /metrics, /healthz. Adds what is HTTP's: bearer tokens
// (constant-time compare), a per-client rate limit, the body size limit,
// 503 + Retry-After, and the JSON error shape {"error": {"code", "message"}}.
// Thread-safe: handlers run on httplib's pool; the service is thread-safe.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "service.h"
#include "verun/result.h"

namespace verun::runner::http {

struct HttpOptions {
  std::vector<std::string> auth_tokens;  // empty: no authentication
  double rate_per_second = 50;           // per client address, POST /v1/jobs and attestation
  double rate_burst = 100;
  std::size_t threads = 64;              // sync jobs hold a handler thread while they run
  std::chrono::seconds read_timeout{30};
  std::chrono::seconds write_timeout{30};
};

class RunnerHttpServer {
 public:
  // service must outlive the server.
  RunnerHttpServer(RunnerService& service, HttpOptions options);
  ~RunnerHttpServer();  // stop()
  RunnerHttpServer(const RunnerHttpServer&) = delete;
  RunnerHttpServer& operator=(const RunnerHttpServer&) = delete;

  // Binds host:port (0: any free port); returns the port. io.error otherwise.
  Result<int> bind(const std::string& host, int port);
  // Serves until stop().
  void run();
  // Stops a running server (a no-op before run() has started listening).
  void stop();
  // Whether run() is listening.
  bool running() const;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace verun::runner::http
