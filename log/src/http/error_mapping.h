// How the log's HTTP API turns an Error into a response (DESIGN.md §6
// "Errors everywhere"): one table from ErrorCode to HTTP status, and the
// body {"error": {"code": "<stable code>", "message": "<sentence>"}}.
// Stateless, thread-safe.
#pragma once

#include <string>

#include "verun/result.h"

namespace verun::log::http {

// 4xx for what the client can fix (400 shape, 403 refused by policy or
// signature, 404, 409 key registered, 413 too large), 503 for back-pressure
// (queue full, shutting down), 500 for everything else (store, internal).
int http_status(ErrorCode code);

// The JSON error body (one line, no trailing newline).
std::string error_body(const Error& error);

}  // namespace verun::log::http
