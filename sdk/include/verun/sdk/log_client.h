// LogClient: the client side of verun-log's HTTP API (DESIGN.md §6): submit
// an envelope (POST /v1/entries), read checkpoints, proofs, entries, keys,
// blobs and C2SP tlog-tiles. It parses answers but does NOT verify proofs:
// callers check them with proofs::verify_tlog_proof and the log's key.
// Thread-safe: every call opens its own connection.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "verun/proofs/bytes.h"
#include "verun/proofs/dsse/envelope.h"
#include "verun/proofs/json/strict_json.h"
#include "verun/result.h"
#include "verun/sdk/tile_hash_source.h"

namespace verun::sdk {

struct LogClientOptions {
  std::chrono::milliseconds timeout{30000};  // connect, read and write, each
};

// The answer of POST /v1/entries (DESIGN.md §6).
struct LoggedEntry {
  std::uint64_t index = 0;
  proofs::Hash32 leaf_hash{};
  std::string proof;       // C2SP tlog-proof text (parsed, not verified)
  bool duplicate = false;  // the log answered 200 (already held) instead of 201
};

// Errors of every call: sdk.log_unreachable (no answer: refused, reset,
// timed out; retry with back-off), sdk.log_rejected (a 4xx), sdk.log_server_error
// (a 5xx, including 503 when the log's queue is full; retry), sdk.bad_response
// (the answer did not parse or does not match the request). The messages of
// log_rejected and log_server_error start with the log's own error code
// ("admission.bad_signature: <the log's message> (HTTP 400 from the log)");
// server_error_code() extracts it.
class LogClient {
 public:
  // base_url like "http://127.0.0.1:8080" or "https://log.example/prefix"
  // (a trailing slash is fine). invalid_argument for anything else.
  static Result<LogClient> make(std::string base_url, LogClientOptions options = {});

  const std::string& base_url() const { return base_url_; }

  // POST /v1/entries and wait for the entry to be sequenced. blobs: sha256
  // hex -> bytes (the collateral a registration names). The answer's leaf
  // hash must be the envelope's and its proof must parse and name its index.
  Result<LoggedEntry> submit(const proofs::Envelope& envelope,
                             const std::map<std::string, proofs::Bytes>& blobs = {}) const;

  // GET /checkpoint: the signed note text.
  Result<std::string> checkpoint() const;

  // GET /v1/proofs/inclusion: a C2SP tlog-proof for entry `index` against the
  // checkpoint of tree size `size`.
  Result<std::string> inclusion_proof(std::uint64_t index, std::uint64_t size) const;

  // GET /v1/proofs/consistency: the RFC 9162 proof from old_size to new_size
  // (empty when old_size is 0 or equals new_size).
  Result<std::vector<proofs::Hash32>> consistency_proof(std::uint64_t old_size, std::uint64_t new_size) const;

  // GET /v1/entries/<index>: the leaf bytes (JCS of the envelope); the
  // answer's leaf hash must be theirs.
  Result<proofs::Bytes> entry(std::uint64_t index) const;

  // GET /v1/keys/<key_id>: {"key_id", "index", "leaf_hash", "envelope"} of
  // the key's registration (sdk.log_rejected carrying not_found when absent).
  Result<proofs::Json> key(std::string_view key_id) const;

  // GET /v1/blobs/<sha256 hex>: the bytes, which must hash to the name.
  Result<proofs::Bytes> blob(std::string_view sha256_hex) const;

  // GET /<path>: a tlog-tiles resource: "checkpoint", "tile/0/000",
  // "tile/entries/001.p/5" (letters, digits, '.', '/', '_', '-'; no "..").
  Result<proofs::Bytes> tile(std::string_view path) const;

  // A TileFetcher over tile() for TileHashSource: a 404 becomes not_found.
  TileFetcher tile_fetcher() const;

 private:
  LogClient(std::string base_url, std::string scheme_host_port, std::string prefix, LogClientOptions options)
      : base_url_(std::move(base_url)), host_(std::move(scheme_host_port)), prefix_(std::move(prefix)),
        options_(options) {}

  std::string base_url_;
  std::string host_;
  std::string prefix_;
  LogClientOptions options_;
};

// The log's (or runner's) own error code carried at the start of an
// sdk.log_rejected / sdk.log_server_error / sdk.runner_rejected /
// sdk.runner_server_error message ("admission.bad_signature"), or "" when
// the error carries none.
std::string_view server_error_code(const Error& error);

}  // namespace verun::sdk
