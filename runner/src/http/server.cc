// verun-runner's HTTP API (DESIGN.md §7); see server.h.
#include "http/server.h"

#include <httplib.h>
#include <sys/socket.h>

#include <atomic>
#include <mutex>
#include <unordered_map>

#include "verun/proofs/bytes.h"
#include "verun/proofs/ct_compare.h"

namespace verun::runner::http {
namespace {

constexpr const char* kJson = "application/json";
constexpr std::size_t kMaxRateClients = 10000;

struct Bucket {
  double tokens = 0;
  std::chrono::steady_clock::time_point at{};
};

}  // namespace

struct RunnerHttpServer::Impl {
  RunnerService& service;
  HttpOptions options;
  httplib::Server server;
  std::atomic<socket_t> listen_fd{INVALID_SOCKET};
  std::mutex rate_mu;
  std::unordered_map<std::string, Bucket> buckets;

  Impl(RunnerService& s, HttpOptions o) : service(s), options(std::move(o)) {}

  void send(httplib::Response& res, const Answer& a) {
    res.status = a.status;
    if (a.retry_after_seconds > 0) res.set_header("Retry-After", std::to_string(a.retry_after_seconds));
    if (a.status >= 400) res.set_header("Cache-Control", "no-store");
    res.set_content(a.body.dump(-1, ' ', false, proofs::Json::error_handler_t::replace), kJson);
  }

  void send_error(httplib::Response& res, const Error& e) {
    Answer a;
    a.status = status_for(e.code);
    a.body = error_json(e);
    if (a.status == 503 || a.status == 429) a.retry_after_seconds = 1;
    send(res, a);
  }

  // Whether the request carries one of the bearer tokens (all compared).
  bool authorized(const httplib::Request& req) const {
    if (options.auth_tokens.empty()) return true;
    const std::string header = req.get_header_value("Authorization");
    constexpr std::string_view kBearer = "Bearer ";
    if (header.size() <= kBearer.size() || header.compare(0, kBearer.size(), kBearer) != 0) return false;
    const std::string_view given = std::string_view(header).substr(kBearer.size());
    bool match = false;
    for (const auto& t : options.auth_tokens) {
      match |= proofs::ct_equal(proofs::as_bytes(given), proofs::as_bytes(t));
    }
    return match;
  }

  // A token bucket per client address.
  bool allow(const httplib::Request& req) {
    if (options.rate_per_second <= 0) return true;
    const auto now = std::chrono::steady_clock::now();
    std::lock_guard lock(rate_mu);
    if (buckets.size() > kMaxRateClients) buckets.clear();
    auto [it, fresh] = buckets.try_emplace(req.remote_addr, Bucket{options.rate_burst, now});
    Bucket& b = it->second;
    if (!fresh) {
      const double dt = std::chrono::duration<double>(now - b.at).count();
      b.tokens = std::min(options.rate_burst, b.tokens + dt * options.rate_per_second);
      b.at = now;
    }
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }

  // Every handler runs inside one guard: an exception becomes 500 internal.
  httplib::Server::Handler guarded(std::function<void(const httplib::Request&, httplib::Response&)> fn,
                                   bool needs_auth, bool limited) {
    return [this, fn = std::move(fn), needs_auth, limited](const httplib::Request& req, httplib::Response& res) {
      try {
        if (needs_auth && !authorized(req)) {
          res.set_header("WWW-Authenticate", "Bearer");
          return send_error(res, Error(ErrorCode::kRunnerUnauthorized, "a valid bearer token is required"));
        }
        if (limited && !allow(req)) {
          return send_error(res, Error(ErrorCode::kRunnerRateLimited, "too many requests from this client"));
        }
        fn(req, res);
      } catch (...) {
        send_error(res, Error(ErrorCode::kInternal, "the runner failed while handling the request"));
      }
    };
  }

  void routes() {
    const bool auth = !options.auth_tokens.empty();
    server.Get("/v1/attestation", guarded(
                                      [this](const httplib::Request& req, httplib::Response& res) {
                                        if (!req.has_param("nonce")) {
                                          return send_error(res, Error(ErrorCode::kRunnerBadRequest,
                                                                       "the nonce query parameter is required"));
                                        }
                                        send(res, service.attestation(req.get_param_value("nonce")));
                                      },
                                      false, true));
    server.Post("/v1/jobs", guarded(
                                [this](const httplib::Request& req, httplib::Response& res) {
                                  bool async = false;
                                  if (req.has_param("async")) {
                                    const auto v = req.get_param_value("async");
                                    if (v != "true" && v != "false") {
                                      return send_error(res, Error(ErrorCode::kRunnerBadRequest,
                                                                   "async must be true or false"));
                                    }
                                    async = v == "true";
                                  }
                                  send(res, service.submit_job(req.body, async));
                                },
                                auth, true));
    server.Get(R"(/v1/jobs/([^/]+))", guarded(
                                         [this](const httplib::Request& req, httplib::Response& res) {
                                           send(res, service.job(req.matches[1].str()));
                                         },
                                         auth, false));
    server.Get("/v1/workloads", guarded([this](const httplib::Request&, httplib::Response& res) {
      send(res, service.workloads());
    }, false, false));
    server.Get("/metrics", guarded([this](const httplib::Request&, httplib::Response& res) {
      res.set_content(service.metrics(), "text/plain; version=0.0.4");
    }, false, false));
    server.Get("/healthz", guarded([this](const httplib::Request&, httplib::Response& res) {
      const std::string key_id = service.key_id();
      proofs::Json body = {{"status", key_id.empty() ? "starting" : "ok"}, {"key_id", key_id},
                           {"registration_index", service.registration_index()}};
      if (service.simulated()) body["platform"] = "sim (SIMULATED)";
      res.status = key_id.empty() ? 503 : 200;
      res.set_content(body.dump(), kJson);
    }, false, false));

    // Everything else: 405 on a known path, 404 otherwise.
    auto fallback = [this](const httplib::Request& req, httplib::Response& res) {
      const std::string& p = req.path;
      const bool known = p == "/v1/attestation" || p == "/v1/jobs" || p.rfind("/v1/jobs/", 0) == 0 ||
                         p == "/v1/workloads" || p == "/metrics" || p == "/healthz";
      if (known) return send_error(res, Error(ErrorCode::kRunnerMethodNotAllowed, req.method + " is not allowed here"));
      send_error(res, Error(ErrorCode::kRunnerNotFound, "no endpoint has this path"));
    };
    server.Get(".*", guarded(fallback, false, false));
    server.Post(".*", guarded(fallback, false, false));
    server.Put(".*", guarded(fallback, false, false));
    server.Delete(".*", guarded(fallback, false, false));
    server.Patch(".*", guarded(fallback, false, false));
    server.Options(".*", guarded(fallback, false, false));

    // httplib's own refusals (413, 400 on a broken request): the JSON shape.
    server.set_error_handler(httplib::Server::HandlerWithResponse([this](const httplib::Request&,
                                                                          httplib::Response& res) {
      if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
      ErrorCode code = ErrorCode::kRunnerBadRequest;
      std::string msg = "the request could not be read";
      if (res.status == 413) {
        code = ErrorCode::kRunnerBodyTooLarge;
        msg = "the request body is larger than " + std::to_string(service.max_body_bytes()) + " bytes";
      } else if (res.status == 404) {
        code = ErrorCode::kRunnerNotFound;
        msg = "no endpoint has this path";
      }
      res.set_content(error_json(Error(code, msg)).dump(), kJson);
      return httplib::Server::HandlerResponse::Handled;
    }));
    server.set_payload_max_length(service.max_body_bytes());
    server.new_task_queue = [n = options.threads] { return new httplib::ThreadPool(n); };
    server.set_tcp_nodelay(true);
    server.set_socket_options([this](socket_t sock) {
      httplib::default_socket_options(sock);
      listen_fd = sock;
    });
    server.set_read_timeout(options.read_timeout);
    server.set_write_timeout(options.write_timeout);
  }
};

RunnerHttpServer::RunnerHttpServer(RunnerService& service, HttpOptions options)
    : impl_(std::make_unique<Impl>(service, std::move(options))) {
  impl_->routes();
}

RunnerHttpServer::~RunnerHttpServer() { stop(); }

Result<int> RunnerHttpServer::bind(const std::string& host, int port) {
  int bound = -1;
  if (port == 0) {
    bound = impl_->server.bind_to_any_port(host.c_str());
  } else if (impl_->server.bind_to_port(host.c_str(), port)) {
    bound = port;
  }
  if (bound <= 0) return Error(ErrorCode::kIoError, "cannot listen on " + host + ":" + std::to_string(port));
  // httplib's compiled-in backlog of 5 drops SYNs under bursts.
  if (const socket_t fd = impl_->listen_fd; fd != INVALID_SOCKET) ::listen(fd, SOMAXCONN);
  return bound;
}

void RunnerHttpServer::run() { impl_->server.listen_after_bind(); }

void RunnerHttpServer::stop() { impl_->server.stop(); }

bool RunnerHttpServer::running() const { return impl_->server.is_running(); }

}  // namespace verun::runner::http
