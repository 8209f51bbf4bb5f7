// One HTTP request from the SDK's clients to a log or a runner: base URL
// parsing, timeouts, a cap on the answer's size, and the mapping of
// transport failures and `{"error": {"code", "message"}}` answers to sdk.*
// codes (DESIGN.md §6, §7). Private to sdk/src (cpp-httplib lives only here).
// Stateless; every call uses its own connection, so it is thread-safe.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

#include "verun/error_code.h"
#include "verun/result.h"

namespace verun::sdk::detail {

// "http://host:port/prefix" split into what httplib connects to and the path
// prefix every request path is appended to (without a trailing slash).
struct BaseUrl {
  std::string scheme_host_port;
  std::string prefix;
};

// Accepts http:// and https:// URLs with a host, an optional port and an
// optional path; invalid_argument otherwise.
Result<BaseUrl> parse_base_url(std::string_view url);

// Which codes a failure maps to: the log's or the runner's.
struct PeerCodes {
  std::string_view peer;      // "log" or "runner", for messages
  ErrorCode unreachable;      // no answer at all
  ErrorCode rejected;         // 4xx
  ErrorCode server_error;     // 5xx
};

struct HttpCall {
  std::string method = "GET";  // GET or POST
  std::string path;            // starts with '/', query included
  std::string body;            // POST only
  std::string content_type = "application/json";
  std::string bearer_token;    // Authorization: Bearer <token> when set
  std::chrono::milliseconds timeout{30000};
  std::size_t max_answer_bytes = 16 * 1024 * 1024;
};

struct HttpAnswer {
  int status = 0;
  std::string body;
  std::string content_type;
};

// Sends the request. A 2xx answer is returned; a 4xx becomes codes.rejected
// and a 5xx codes.server_error, with the message "<server code>: <server
// message> (HTTP <status> from the <peer>)" when the body is verun's JSON
// error (or "http.<status>: ..." when it is not); no answer at all is
// codes.unreachable; an answer longer than max_answer_bytes, or any other
// status, is sdk.bad_response.
Result<HttpAnswer> http_call(const BaseUrl& base, const HttpCall& call, const PeerCodes& codes);

}  // namespace verun::sdk::detail
