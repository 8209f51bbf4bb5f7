#include "src/http_call.h"

#include <httplib.h>

#include <string>
#include <utility>

#include "verun/proofs/json/strict_json.h"

namespace verun::sdk::detail {
namespace {

bool host_char_ok(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' ||
         c == '_' || c == '[' || c == ']' || c == ':';
}

bool path_char_ok(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' ||
         c == '_' || c == '/' || c == '~' || c == '%';
}

// Server messages go into ours verbatim, but bounded and on one line.
std::string printable(std::string_view s, std::size_t max) {
  std::string out;
  for (char c : s.substr(0, max)) out += (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ? ' ' : c;
  if (s.size() > max) out += "...";
  return out;
}

std::string failure_message(const HttpAnswer& a, std::string_view peer) {
  const std::string where = " (HTTP " + std::to_string(a.status) + " from the " + std::string(peer) + ")";
  auto json = proofs::parse_json(a.body, proofs::JsonProfile::kGeneral, {8, 64 * 1024});
  if (json && json->is_object() && json->contains("error") && (*json)["error"].is_object()) {
    const auto& e = (*json)["error"];
    if (e.contains("code") && e["code"].is_string()) {
      const std::string code = e["code"].get<std::string>();
      const std::string message = e.contains("message") && e["message"].is_string() ? e["message"].get<std::string>() : "";
      return printable(code, 128) + ": " + printable(message, 1024) + where;
    }
  }
  return "http." + std::to_string(a.status) + ": " + printable(a.body, 256) + where;
}

}  // namespace

Result<BaseUrl> parse_base_url(std::string_view url) {
  std::size_t scheme_end = 0;
  if (url.starts_with("http://")) {
    scheme_end = 7;
  } else if (url.starts_with("https://")) {
    scheme_end = 8;
  } else {
    return Error(ErrorCode::kInvalidArgument, "the URL '" + printable(url, 200) + "' does not start with http:// or https://");
  }
  const auto slash = url.find('/', scheme_end);
  const std::string_view host_port = url.substr(scheme_end, slash == std::string_view::npos ? url.npos : slash - scheme_end);
  std::string_view path = slash == std::string_view::npos ? std::string_view() : url.substr(slash);
  if (host_port.empty()) return Error(ErrorCode::kInvalidArgument, "the URL '" + printable(url, 200) + "' has no host");
  for (char c : host_port) {
    if (!host_char_ok(c)) {
      return Error(ErrorCode::kInvalidArgument, "the URL '" + printable(url, 200) + "' has an invalid host or port");
    }
  }
  for (char c : path) {
    if (!path_char_ok(c)) {
      return Error(ErrorCode::kInvalidArgument, "the URL '" + printable(url, 200) + "' has an invalid path");
    }
  }
  while (path.ends_with('/')) path.remove_suffix(1);
  return BaseUrl{std::string(url.substr(0, scheme_end)) + std::string(host_port), std::string(path)};
}

Result<HttpAnswer> http_call(const BaseUrl& base, const HttpCall& call, const PeerCodes& codes) {
  httplib::Client client(base.scheme_host_port);
  if (!client.is_valid()) {
    return Error(ErrorCode::kInvalidArgument, "cannot make an HTTP client for '" + base.scheme_host_port + "'");
  }
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(call.timeout);
  const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(call.timeout - seconds);
  client.set_connection_timeout(seconds.count(), micros.count());
  client.set_read_timeout(seconds.count(), micros.count());
  client.set_write_timeout(seconds.count(), micros.count());
  client.set_keep_alive(false);
  client.set_follow_location(false);

  HttpAnswer answer;
  bool too_large = false;
  httplib::Request req;
  req.method = call.method;
  req.path = base.prefix + call.path;
  req.set_header("Accept", "application/json, text/plain, application/octet-stream");
  if (!call.bearer_token.empty()) req.set_header("Authorization", "Bearer " + call.bearer_token);
  if (call.method == "POST") {
    req.body = call.body;
    req.set_header("Content-Type", call.content_type);
  }
  req.response_handler = [&](const httplib::Response& r) {
    answer.status = r.status;
    answer.content_type = r.get_header_value("Content-Type");
    return true;
  };
  req.content_receiver = [&](const char* data, std::size_t n, std::uint64_t, std::uint64_t) {
    if (answer.body.size() + n > call.max_answer_bytes) {
      too_large = true;
      return false;
    }
    answer.body.append(data, n);
    return true;
  };
  auto res = client.send(req);
  if (too_large) {
    return Error(ErrorCode::kSdkBadResponse, "the " + std::string(codes.peer) + "'s answer to " + call.path +
                                                 " is longer than " + std::to_string(call.max_answer_bytes) + " bytes");
  }
  if (!res) {
    return Error(codes.unreachable, "no answer from the " + std::string(codes.peer) + " at " + base.scheme_host_port +
                                        " for " + call.method + " " + call.path + ": " + httplib::to_string(res.error()));
  }
  answer.status = res->status;
  if (answer.status >= 200 && answer.status < 300) return answer;
  if (answer.status >= 400 && answer.status < 500) return Error(codes.rejected, failure_message(answer, codes.peer));
  if (answer.status >= 500 && answer.status < 600) return Error(codes.server_error, failure_message(answer, codes.peer));
  return Error(ErrorCode::kSdkBadResponse, "the " + std::string(codes.peer) + " answered " + call.method + " " + call.path +
                                               " with the unexpected status " + std::to_string(answer.status));
}

}  // namespace verun::sdk::detail
