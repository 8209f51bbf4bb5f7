// verun-log's HTTP handlers: C2SP tlog-tiles read API and the JSON API of
// DESIGN.md §6, on cpp-httplib (allowed only in log/src/http and log/cmd).
#include "http/server.h"

#include <httplib.h>

#include <sys/socket.h>

#include <atomic>
#include <charconv>
#include <exception>
#include <functional>
#include <optional>
#include <string_view>
#include <utility>

#include "http/error_mapping.h"
#include "verun/proofs/base64.h"
#include "verun/proofs/hex.h"
#include "verun/proofs/json/strict_json.h"
#include "verun/proofs/key_id.h"
#include "verun/proofs/merkle/consistency.h"
#include "verun/proofs/merkle/hasher.h"
#include "verun/proofs/merkle/inclusion.h"
#include "verun/proofs/merkle/tiles.h"
#include "verun/proofs/note/checkpoint.h"
#include "verun/proofs/note/signed_note.h"
#include "verun/proofs/note/tlog_proof.h"

namespace verun::log::http {
namespace {

using proofs::Json;

constexpr std::string_view kJson = "application/json";
constexpr std::string_view kText = "text/plain; charset=utf-8";
constexpr const char* kImmutable = "public, max-age=31536000, immutable";
constexpr const char* kShortLived = "public, max-age=2";

// A decimal uint64 without sign, leading zeros or trailing bytes.
std::optional<std::uint64_t> parse_u64(std::string_view s) {
  if (s.empty() || s.size() > 20 || (s.size() > 1 && s[0] == '0')) return std::nullopt;
  std::uint64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

Result<std::uint64_t> query_u64(const httplib::Request& req, const char* name) {
  if (!req.has_param(name)) return Error(ErrorCode::kHttpBadRequest, std::string("query parameter ") + name + " is required");
  if (req.get_param_value_count(name) != 1) {
    return Error(ErrorCode::kHttpBadRequest, std::string("query parameter ") + name + " is given more than once");
  }
  auto v = parse_u64(req.get_param_value(name));
  if (!v) return Error(ErrorCode::kHttpBadRequest, std::string("query parameter ") + name + " is not a decimal integer");
  return *v;
}

std::string bytes_string(proofs::ByteView b) { return std::string(reinterpret_cast<const char*>(b.data()), b.size()); }

// The latest stored checkpoint and its size (store state: what is durable).
struct Head {
  std::string note;
  std::uint64_t size = 0;
};

Result<Head> read_head(const Store& store) {
  VERUN_ASSIGN_OR_RETURN(auto state, store.read_state());
  return Head{std::move(state.checkpoint), state.size};
}

// not_found unless the log has reached `size` (the proof endpoints' check).
Result<void> require_size_in_tree(const Store& store, std::uint64_t size) {
  VERUN_ASSIGN_OR_RETURN(auto head, read_head(store));
  if (size > head.size)
    return Error(ErrorCode::kNotFound,
                 "size " + std::to_string(size) + " is beyond the tree of size " + std::to_string(head.size));
  return {};
}

Result<std::string> tlog_proof(const Store& store, std::uint64_t index, const std::string& note, std::uint64_t size) {
  VERUN_ASSIGN_OR_RETURN(auto hashes, proofs::prove_inclusion(store.hash_source(), index, size));
  proofs::TlogProof p;
  p.index = index;
  p.hashes = std::move(hashes);
  p.checkpoint_note = note;
  return proofs::format_tlog_proof(p);
}

// {"index", "leaf_hash", "envelope"} for a stored entry.
Result<Json> entry_json(const Store& store, std::uint64_t index) {
  VERUN_ASSIGN_OR_RETURN(auto data, store.read_entry(index));
  VERUN_ASSIGN_OR_RETURN(auto envelope, proofs::parse_json(bytes_string(data)));
  return Json{{"index", index}, {"leaf_hash", proofs::hex_encode(proofs::leaf_hash(data))},
              {"envelope", std::move(envelope)}};
}

}  // namespace

struct LogHttpServer::Impl {
  const Store& store;
  Sequencer& sequencer;
  const Admission& admission;
  HttpOptions options;
  httplib::Server server;
  Metrics metrics;
  std::atomic<socket_t> listen_fd{INVALID_SOCKET};

  void send_json(httplib::Response& res, int status, const Json& body) {
    res.status = status;
    res.set_content(body.dump(), std::string(kJson).c_str());
  }

  void send_error(httplib::Response& res, const Error& e) {
    res.status = http_status(e.code);
    if (res.status == 503) res.set_header("Retry-After", std::to_string(options.retry_after_seconds));
    res.set_header("Cache-Control", "no-store");
    res.set_content(error_body(e), std::string(kJson).c_str());
  }

  // One catch-all per handler: an exception becomes 500 internal.
  httplib::Server::Handler guarded(std::function<Result<void>(const httplib::Request&, httplib::Response&)> fn) {
    return [this, fn = std::move(fn)](const httplib::Request& req, httplib::Response& res) {
      try {
        if (auto r = fn(req, res); !r) send_error(res, r.error());
      } catch (const std::exception&) {
        send_error(res, Error(ErrorCode::kInternal, "the server failed while handling the request"));
      } catch (...) {
        send_error(res, Error(ErrorCode::kInternal, "the server failed while handling the request"));
      }
    };
  }

  // --- C2SP tlog-tiles read API ---

  Result<void> checkpoint(const httplib::Request&, httplib::Response& res) {
    VERUN_ASSIGN_OR_RETURN(auto head, read_head(store));
    res.set_header("Cache-Control", kShortLived);
    res.set_content(head.note, std::string(kText).c_str());
    return {};
  }

  Result<void> tile(const httplib::Request& req, httplib::Response& res) {
    std::string_view path = req.path;
    path.remove_prefix(1);  // the leading '/'
    VERUN_ASSIGN_OR_RETURN(auto t, proofs::parse_tile_path(path));
    VERUN_ASSIGN_OR_RETURN(auto head, read_head(store));
    const std::uint32_t have = proofs::tile_width_at(t.kind == proofs::TileKind::kHash ? t.level : 0, t.index, head.size);
    if (have < t.width) {
      return Error(ErrorCode::kNotFound, "tile " + std::string(path) + " is beyond the tree of size " +
                                             std::to_string(head.size));
    }
    proofs::Bytes data;
    if (t.kind == proofs::TileKind::kHash) {
      VERUN_ASSIGN_OR_RETURN(data, store.read_hash_tile(t.level, t.index, t.width));
    } else {
      VERUN_ASSIGN_OR_RETURN(data, store.read_entry_bundle(t.index, t.width));
    }
    res.set_header("Cache-Control", t.partial() ? kShortLived : kImmutable);
    res.set_content(bytes_string(data), "application/octet-stream");
    return {};
  }

  // --- JSON API ---

  Result<void> post_entry(const httplib::Request& req, httplib::Response& res) {
    const auto start = std::chrono::steady_clock::now();
    auto r = post_entry_inner(req, res);
    if (!r) metrics.count_rejection(std::string(to_string(r.code())));
    metrics.observe_submit_latency(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    return r;
  }

  Result<void> post_entry_inner(const httplib::Request& req, httplib::Response& res) {
    bool wait = true;
    if (req.has_param("wait")) {
      const auto w = req.get_param_value("wait");
      if (w == "false") {
        wait = false;
      } else if (w != "true") {
        return Error(ErrorCode::kHttpBadRequest, "query parameter wait is neither true nor false");
      }
    }
    VERUN_ASSIGN_OR_RETURN(auto body, proofs::parse_json(req.body));
    if (!body.is_object()) return Error(ErrorCode::kHttpBadRequest, "the body is not a JSON object");
    for (const auto& [k, v] : body.items()) {
      if (k != "envelope" && k != "blobs") {
        return Error(ErrorCode::kHttpBadRequest, "the body has an unknown field '" + k.substr(0, 64) + "'");
      }
    }
    if (!body.contains("envelope")) return Error(ErrorCode::kHttpBadRequest, "the body has no envelope");
    VERUN_ASSIGN_OR_RETURN(auto submission,
                           admission.prepare(body["envelope"], body.contains("blobs") ? body["blobs"] : Json()));
    const auto leaf = proofs::leaf_hash(submission.entry);
    auto future = sequencer.submit(std::move(submission));
    if (!wait) {
      // Admission runs inside submit(): a refusal is ready at once.
      if (future.wait_for(std::chrono::seconds(0)) == std::future_status::ready) {
        VERUN_TRY(future.get());
      }
      metrics.count_submission("queued");
      send_json(res, 202, Json{{"leaf_hash", proofs::hex_encode(leaf)}});
      return {};
    }
    if (future.wait_for(options.submit_wait) != std::future_status::ready) {
      return Error(ErrorCode::kLogQueueFull, "the entry was not sequenced within the wait; it may still be");
    }
    VERUN_ASSIGN_OR_RETURN(auto seq, future.get());
    VERUN_ASSIGN_OR_RETURN(auto head, read_head(store));
    VERUN_ASSIGN_OR_RETURN(auto proof, tlog_proof(store, seq.index, head.note, head.size));
    metrics.count_submission(seq.duplicate ? "duplicate" : "new");
    send_json(res, seq.duplicate ? 200 : 201,
              Json{{"index", seq.index}, {"leaf_hash", proofs::hex_encode(seq.leaf_hash)}, {"proof", proof}});
    return {};
  }

  Result<void> get_entry(const httplib::Request& req, httplib::Response& res) {
    auto index = parse_u64(req.matches[1].str());
    if (!index) return Error(ErrorCode::kHttpBadRequest, "the entry index is not a decimal integer");
    VERUN_ASSIGN_OR_RETURN(auto head, read_head(store));
    if (*index >= head.size) {
      return Error(ErrorCode::kNotFound, "entry " + std::to_string(*index) + " is beyond the tree of size " +
                                             std::to_string(head.size));
    }
    VERUN_ASSIGN_OR_RETURN(auto body, entry_json(store, *index));
    res.set_header("Cache-Control", kImmutable);
    send_json(res, 200, body);
    return {};
  }

  Result<void> find_entry(const httplib::Request& req, httplib::Response& res) {
    if (!req.has_param("leaf_hash")) return Error(ErrorCode::kHttpBadRequest, "query parameter leaf_hash is required");
    auto hash = proofs::hex_decode32(req.get_param_value("leaf_hash"));
    if (!hash) return Error(ErrorCode::kHttpBadRequest, "leaf_hash is not 64 lowercase hex");
    VERUN_ASSIGN_OR_RETURN(auto index, store.find_leaf(*hash));
    if (!index) return Error(ErrorCode::kNotFound, "no entry has leaf hash " + proofs::hex_encode(*hash));
    VERUN_ASSIGN_OR_RETURN(auto body, entry_json(store, *index));
    send_json(res, 200, body);
    return {};
  }

  Result<void> get_key(const httplib::Request& req, httplib::Response& res) {
    const std::string kid = req.matches[1].str();
    if (!proofs::is_key_id(kid)) return Error(ErrorCode::kHttpBadRequest, "the key_id is not 64 lowercase hex");
    VERUN_ASSIGN_OR_RETURN(auto index, store.find_registration(kid));
    if (!index) return Error(ErrorCode::kNotFound, "key " + kid + " is not registered in this log");
    VERUN_ASSIGN_OR_RETURN(auto body, entry_json(store, *index));
    body["key_id"] = kid;
    send_json(res, 200, body);
    return {};
  }

  Result<void> inclusion(const httplib::Request& req, httplib::Response& res) {
    VERUN_ASSIGN_OR_RETURN(auto index, query_u64(req, "index"));
    VERUN_ASSIGN_OR_RETURN(auto size, query_u64(req, "size"));
    VERUN_TRY(require_size_in_tree(store, size));
    if (index >= size) return Error(ErrorCode::kHttpBadRequest, "index must be below size");
    VERUN_ASSIGN_OR_RETURN(auto note, store.read_checkpoint(size));
    VERUN_ASSIGN_OR_RETURN(auto proof, tlog_proof(store, index, note, size));
    send_json(res, 200, Json{{"index", index}, {"size", size}, {"proof", proof}});
    return {};
  }

  Result<void> consistency(const httplib::Request& req, httplib::Response& res) {
    VERUN_ASSIGN_OR_RETURN(auto old_size, query_u64(req, "old"));
    VERUN_ASSIGN_OR_RETURN(auto new_size, query_u64(req, "new"));
    VERUN_TRY(require_size_in_tree(store, new_size));
    if (old_size > new_size) return Error(ErrorCode::kHttpBadRequest, "old must not be above new");
    Json hashes = Json::array();
    if (old_size > 0 && old_size < new_size) {
      VERUN_ASSIGN_OR_RETURN(auto proof, proofs::prove_consistency(store.hash_source(), old_size, new_size));
      for (const auto& h : proof) hashes.push_back(proofs::base64_encode(h));
    }
    send_json(res, 200, Json{{"proof", std::move(hashes)}});
    return {};
  }

  Result<void> blob(const httplib::Request& req, httplib::Response& res) {
    auto digest = proofs::hex_decode32(req.matches[1].str());
    if (!digest) return Error(ErrorCode::kHttpBadRequest, "the blob name is not 64 lowercase hex");
    VERUN_ASSIGN_OR_RETURN(auto data, store.read_blob(*digest));
    res.set_header("Cache-Control", kImmutable);
    res.set_content(bytes_string(data), "application/octet-stream");
    return {};
  }

  Result<void> healthz(const httplib::Request&, httplib::Response& res) {
    VERUN_ASSIGN_OR_RETURN(auto head, read_head(store));
    send_json(res, 200, Json{{"status", "ok"}, {"size", head.size}});
    return {};
  }

  Result<void> metrics_text(const httplib::Request&, httplib::Response& res) {
    VERUN_ASSIGN_OR_RETURN(auto head, read_head(store));
    res.set_content(metrics.render(head.size, sequencer.stats()), "text/plain; version=0.0.4; charset=utf-8");
    return {};
  }

  void routes() {
    using Fn = Result<void> (Impl::*)(const httplib::Request&, httplib::Response&);
    auto h = [this](Fn fn) {
      return guarded([this, fn](const httplib::Request& q, httplib::Response& s) { return (this->*fn)(q, s); });
    };
    server.Get("/checkpoint", h(&Impl::checkpoint));
    server.Get(R"(/tile/.*)", h(&Impl::tile));
    server.Post("/v1/entries", h(&Impl::post_entry));
    server.Get("/v1/entries", h(&Impl::find_entry));
    server.Get(R"(/v1/entries/([^/]*))", h(&Impl::get_entry));
    server.Get(R"(/v1/keys/([^/]*))", h(&Impl::get_key));
    server.Get("/v1/proofs/inclusion", h(&Impl::inclusion));
    server.Get("/v1/proofs/consistency", h(&Impl::consistency));
    server.Get(R"(/v1/blobs/([^/]*))", h(&Impl::blob));
    server.Get("/healthz", h(&Impl::healthz));
    server.Get("/metrics", h(&Impl::metrics_text));

    // Whatever httplib answers itself (no route, body too large, a request
    // it cannot parse) still gets the JSON error body.
    server.set_error_handler([this](const httplib::Request&, httplib::Response& res) {
      if (!res.body.empty()) return;
      const int status = res.status;
      ErrorCode code = ErrorCode::kHttpBadRequest;
      std::string message = "the request is not valid HTTP for this server";
      if (status == 404) {
        code = ErrorCode::kHttpNotFound;
        message = "no endpoint has this path and method";
      } else if (status == 413) {
        code = ErrorCode::kHttpBodyTooLarge;
        message = "the request body is above " + std::to_string(options.max_body_bytes) + " bytes";
      } else if (status == 405) {
        code = ErrorCode::kHttpMethodNotAllowed;
        message = "the endpoint does not accept this method";
      } else if (status >= 500) {
        code = ErrorCode::kInternal;
        message = "the server failed while handling the request";
      }
      res.set_content(error_body(Error(code, std::move(message))), std::string(kJson).c_str());
    });
    server.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
      res.status = 500;
      res.set_content(error_body(Error(ErrorCode::kInternal, "the server failed while handling the request")),
                      std::string(kJson).c_str());
    });
    server.set_post_routing_handler([this](const httplib::Request&, httplib::Response& res) {
      metrics.count_response(res.status);
    });
    server.set_payload_max_length(options.max_body_bytes);
    server.new_task_queue = [n = options.threads] { return new httplib::ThreadPool(n); };
    server.set_tcp_nodelay(true);
    // Remember the listening socket: bind() raises its backlog (httplib's
    // compiled-in backlog of 5 drops SYNs under a burst of submitters).
    server.set_socket_options([this](socket_t sock) {
      httplib::default_socket_options(sock);
      listen_fd = sock;
    });
    server.set_read_timeout(options.read_timeout);
    server.set_write_timeout(options.write_timeout);
  }
};

LogHttpServer::LogHttpServer(const Store& store, Sequencer& sequencer, const Admission& admission,
                             HttpOptions options)
    : impl_(new Impl{store, sequencer, admission, options, {}, {}, {INVALID_SOCKET}}) {
  impl_->routes();
}

LogHttpServer::~LogHttpServer() { stop(); }

Result<int> LogHttpServer::bind(const std::string& host, int port) {
  int bound = -1;
  if (port == 0) {
    bound = impl_->server.bind_to_any_port(host.c_str());
  } else if (impl_->server.bind_to_port(host.c_str(), port)) {
    bound = port;
  }
  if (bound <= 0) return Error(ErrorCode::kIoError, "cannot listen on " + host + ":" + std::to_string(port));
  if (const socket_t fd = impl_->listen_fd; fd != INVALID_SOCKET) ::listen(fd, SOMAXCONN);
  return bound;
}

void LogHttpServer::run() { impl_->server.listen_after_bind(); }

void LogHttpServer::stop() { impl_->server.stop(); }

const Metrics& LogHttpServer::metrics() const { return impl_->metrics; }

}  // namespace verun::log::http
