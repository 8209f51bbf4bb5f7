// verun-log's HTTP server (DESIGN.md §6): the C2SP tlog-tiles read API
// (/checkpoint, /tile/...) and the JSON API (/v1/entries, /v1/keys,
// /v1/proofs, /v1/blobs, /healthz, /metrics) over cpp-httplib. Every error
// is {"error": {"code", "message"}} (http/error_mapping.h). Thread-safe:
// handlers run on httplib's pool; the store, sequencer and admission are.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "admission.h"
#include "http/metrics.h"
#include "sequencer.h"
#include "store/store.h"
#include "verun/result.h"

namespace verun::log::http {

struct HttpOptions {
  std::size_t max_body_bytes = 5u << 20;                // larger bodies get 413
  std::chrono::seconds read_timeout{10};
  std::chrono::seconds write_timeout{10};
  std::chrono::seconds submit_wait{60};                 // POST waits this long for sequencing
  int retry_after_seconds = 1;                          // Retry-After on 503
  // Handler threads: POST waits for its batch (up to the batch wait), so
  // concurrent submitters each hold one.
  std::size_t threads = 64;
};

class LogHttpServer {
 public:
  // store, sequencer and admission must outlive the server.
  LogHttpServer(const Store& store, Sequencer& sequencer, const Admission& admission, HttpOptions options = {});
  ~LogHttpServer();  // stop()
  LogHttpServer(const LogHttpServer&) = delete;
  LogHttpServer& operator=(const LogHttpServer&) = delete;

  // Binds host:port (port 0 picks a free one) and returns the bound port.
  // Errors: io.error when the address cannot be bound.
  Result<int> bind(const std::string& host, int port);
  // Serves until stop(); call after bind(), on any thread.
  void run();
  // Stops serving; idempotent, callable from any thread.
  void stop();

  const Metrics& metrics() const;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace verun::log::http
