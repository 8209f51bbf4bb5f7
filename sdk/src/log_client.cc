#include "verun/sdk/log_client.h"

#include <utility>

#include "src/http_call.h"
#include "verun/proofs/base64.h"
#include "verun/proofs/hex.h"
#include "verun/proofs/json/jcs.h"
#include "verun/proofs/key_id.h"
#include "verun/proofs/merkle/hasher.h"
#include "verun/proofs/note/tlog_proof.h"
#include "verun/proofs/sha2.h"

namespace verun::sdk {
namespace {

constexpr detail::PeerCodes kLogCodes{"log", ErrorCode::kSdkLogUnreachable, ErrorCode::kSdkLogRejected,
                                      ErrorCode::kSdkLogServerError};
// JSON answers (a key's registration with its collateral names, a proof) are
// small; blobs and tiles are bounded by what the log stores.
constexpr std::size_t kMaxJsonAnswer = 4 * 1024 * 1024;
constexpr std::size_t kMaxBinaryAnswer = 16 * 1024 * 1024;

Error bad(std::string message) { return Error(ErrorCode::kSdkBadResponse, std::move(message)); }

Result<proofs::Json> parse_answer(const detail::HttpAnswer& a, std::string_view what) {
  auto json = proofs::parse_json(a.body, proofs::JsonProfile::kVerun, {32, kMaxJsonAnswer});
  if (!json) return bad("the log's answer to " + std::string(what) + " is not JSON: " + json.error().message);
  if (!json->is_object()) return bad("the log's answer to " + std::string(what) + " is not a JSON object");
  return std::move(*json);
}

Result<std::uint64_t> get_u64(const proofs::Json& j, const char* field, std::string_view what) {
  if (!j.contains(field) || !j[field].is_number_unsigned()) {
    return bad("the log's answer to " + std::string(what) + " has no unsigned integer '" + field + "'");
  }
  return j[field].get<std::uint64_t>();
}

Result<std::string> get_string(const proofs::Json& j, const char* field, std::string_view what) {
  if (!j.contains(field) || !j[field].is_string()) {
    return bad("the log's answer to " + std::string(what) + " has no string '" + field + "'");
  }
  return j[field].get<std::string>();
}

Result<proofs::Hash32> get_hash(const proofs::Json& j, const char* field, std::string_view what) {
  VERUN_ASSIGN_OR_RETURN(auto text, get_string(j, field, what));
  auto h = proofs::hex_decode32(text);
  if (!h) return bad("the log's answer to " + std::string(what) + " has a '" + field + "' that is not 64 lowercase hex");
  return *h;
}

// A tlog-proof text that parses and names the expected index.
Result<void> check_proof_text(const std::string& text, std::uint64_t index, std::string_view what) {
  auto proof = proofs::parse_tlog_proof(text);
  if (!proof) return bad("the log's proof in its answer to " + std::string(what) + " does not parse: " + proof.error().message);
  if (proof->index != index) {
    return bad("the log's proof in its answer to " + std::string(what) + " is for index " +
               std::to_string(proof->index) + ", not " + std::to_string(index));
  }
  return {};
}

bool tile_path_ok(std::string_view path) {
  if (path.empty() || path.size() > 256 || path.front() == '/' || path.find("..") != path.npos) return false;
  for (char c : path) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                    c == '/' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

Result<LogClient> LogClient::make(std::string base_url, LogClientOptions options) {
  VERUN_ASSIGN_OR_RETURN(auto base, detail::parse_base_url(base_url));
  if (options.timeout.count() <= 0) return Error(ErrorCode::kInvalidArgument, "the log client's timeout must be positive");
  return LogClient(std::move(base_url), std::move(base.scheme_host_port), std::move(base.prefix), options);
}

Result<LoggedEntry> LogClient::submit(const proofs::Envelope& envelope,
                                      const std::map<std::string, proofs::Bytes>& blobs) const {
  VERUN_ASSIGN_OR_RETURN(auto leaf, proofs::envelope_leaf(envelope));
  proofs::Json body = {{"envelope", proofs::serialize_envelope(envelope)}};
  if (!blobs.empty()) {
    proofs::Json b = proofs::Json::object();
    for (const auto& [name, bytes] : blobs) b[name] = proofs::base64_encode(bytes);
    body["blobs"] = std::move(b);
  }
  detail::HttpCall call;
  call.method = "POST";
  call.path = "/v1/entries";
  call.body = body.dump();
  call.timeout = options_.timeout;
  call.max_answer_bytes = kMaxJsonAnswer;
  VERUN_ASSIGN_OR_RETURN(auto answer, detail::http_call({host_, prefix_}, call, kLogCodes));
  if (answer.status != 200 && answer.status != 201) {
    return bad("the log answered POST /v1/entries with status " + std::to_string(answer.status) + ", not 200 or 201");
  }
  constexpr std::string_view kWhat = "POST /v1/entries";
  VERUN_ASSIGN_OR_RETURN(auto json, parse_answer(answer, kWhat));
  LoggedEntry out;
  VERUN_ASSIGN_OR_RETURN(out.index, get_u64(json, "index", kWhat));
  VERUN_ASSIGN_OR_RETURN(out.leaf_hash, get_hash(json, "leaf_hash", kWhat));
  VERUN_ASSIGN_OR_RETURN(out.proof, get_string(json, "proof", kWhat));
  if (out.leaf_hash != proofs::leaf_hash(proofs::as_bytes(leaf))) {
    return bad("the log's leaf hash " + proofs::hex_encode(out.leaf_hash) + " is not the submitted envelope's");
  }
  VERUN_TRY(check_proof_text(out.proof, out.index, kWhat));
  out.duplicate = answer.status == 200;
  return out;
}

Result<std::string> LogClient::checkpoint() const {
  VERUN_ASSIGN_OR_RETURN(auto bytes, tile("checkpoint"));
  return proofs::to_string(bytes);
}

Result<std::string> LogClient::inclusion_proof(std::uint64_t index, std::uint64_t size) const {
  detail::HttpCall call;
  call.path = "/v1/proofs/inclusion?index=" + std::to_string(index) + "&size=" + std::to_string(size);
  call.timeout = options_.timeout;
  call.max_answer_bytes = kMaxJsonAnswer;
  VERUN_ASSIGN_OR_RETURN(auto answer, detail::http_call({host_, prefix_}, call, kLogCodes));
  VERUN_ASSIGN_OR_RETURN(auto json, parse_answer(answer, call.path));
  VERUN_ASSIGN_OR_RETURN(auto proof, get_string(json, "proof", call.path));
  VERUN_TRY(check_proof_text(proof, index, call.path));
  return proof;
}

Result<std::vector<proofs::Hash32>> LogClient::consistency_proof(std::uint64_t old_size, std::uint64_t new_size) const {
  detail::HttpCall call;
  call.path = "/v1/proofs/consistency?old=" + std::to_string(old_size) + "&new=" + std::to_string(new_size);
  call.timeout = options_.timeout;
  call.max_answer_bytes = kMaxJsonAnswer;
  VERUN_ASSIGN_OR_RETURN(auto answer, detail::http_call({host_, prefix_}, call, kLogCodes));
  VERUN_ASSIGN_OR_RETURN(auto json, parse_answer(answer, call.path));
  if (!json.contains("proof") || !json["proof"].is_array()) return bad("the log's answer to " + call.path + " has no proof array");
  if (json["proof"].size() > 2 * proofs::kMaxTlogProofHashes) {
    return bad("the log's consistency proof has " + std::to_string(json["proof"].size()) + " hashes, more than any tree needs");
  }
  std::vector<proofs::Hash32> out;
  for (const auto& h : json["proof"]) {
    if (!h.is_string()) return bad("the log's consistency proof holds a non-string hash");
    auto hash = proofs::base64_decode32(h.get<std::string>());
    if (!hash) return bad("the log's consistency proof holds a hash that is not 32 bytes of base64");
    out.push_back(*hash);
  }
  return out;
}

Result<proofs::Bytes> LogClient::entry(std::uint64_t index) const {
  detail::HttpCall call;
  call.path = "/v1/entries/" + std::to_string(index);
  call.timeout = options_.timeout;
  call.max_answer_bytes = kMaxJsonAnswer;
  VERUN_ASSIGN_OR_RETURN(auto answer, detail::http_call({host_, prefix_}, call, kLogCodes));
  VERUN_ASSIGN_OR_RETURN(auto json, parse_answer(answer, call.path));
  VERUN_ASSIGN_OR_RETURN(auto got_index, get_u64(json, "index", call.path));
  VERUN_ASSIGN_OR_RETURN(auto leaf_hash, get_hash(json, "leaf_hash", call.path));
  if (got_index != index) return bad("the log answered " + call.path + " with entry " + std::to_string(got_index));
  if (!json.contains("envelope")) return bad("the log's answer to " + call.path + " has no envelope");
  auto leaf = proofs::jcs_serialize(json["envelope"]);
  if (!leaf) return bad("the log's envelope for entry " + std::to_string(index) + " does not canonicalize: " + leaf.error().message);
  proofs::Bytes bytes = proofs::to_bytes(*leaf);
  if (proofs::leaf_hash(bytes) != leaf_hash) {
    return bad("the log's envelope for entry " + std::to_string(index) + " does not hash to its leaf hash");
  }
  return bytes;
}

Result<proofs::Json> LogClient::key(std::string_view key_id) const {
  if (!proofs::is_key_id(key_id)) return Error(ErrorCode::kInvalidArgument, "the key_id is not 64 lowercase hex");
  detail::HttpCall call;
  call.path = "/v1/keys/" + std::string(key_id);
  call.timeout = options_.timeout;
  call.max_answer_bytes = kMaxJsonAnswer;
  VERUN_ASSIGN_OR_RETURN(auto answer, detail::http_call({host_, prefix_}, call, kLogCodes));
  VERUN_ASSIGN_OR_RETURN(auto json, parse_answer(answer, call.path));
  VERUN_TRY(get_u64(json, "index", call.path));
  if (!json.contains("envelope") || !json["envelope"].is_object()) {
    return bad("the log's answer to " + call.path + " has no envelope object");
  }
  return json;
}

Result<proofs::Bytes> LogClient::blob(std::string_view sha256_hex) const {
  auto digest = proofs::hex_decode32(sha256_hex);
  if (!digest) return Error(ErrorCode::kInvalidArgument, "the blob name is not 64 lowercase hex");
  detail::HttpCall call;
  call.path = "/v1/blobs/" + std::string(sha256_hex);
  call.timeout = options_.timeout;
  call.max_answer_bytes = kMaxBinaryAnswer;
  VERUN_ASSIGN_OR_RETURN(auto answer, detail::http_call({host_, prefix_}, call, kLogCodes));
  proofs::Bytes bytes = proofs::to_bytes(answer.body);
  if (proofs::sha256(bytes) != *digest) {
    return bad("the log's blob " + std::string(sha256_hex) + " does not hash to its name");
  }
  return bytes;
}

Result<proofs::Bytes> LogClient::tile(std::string_view path) const {
  if (!tile_path_ok(path)) {
    return Error(ErrorCode::kInvalidArgument, "the tile path '" + std::string(path.substr(0, 64)) + "' is not a tlog-tiles path");
  }
  detail::HttpCall call;
  call.path = "/" + std::string(path);
  call.timeout = options_.timeout;
  call.max_answer_bytes = kMaxBinaryAnswer;
  VERUN_ASSIGN_OR_RETURN(auto answer, detail::http_call({host_, prefix_}, call, kLogCodes));
  return proofs::to_bytes(answer.body);
}

TileFetcher LogClient::tile_fetcher() const {
  return [client = *this](const std::string& path) -> Result<proofs::Bytes> {
    auto bytes = client.tile(path);
    if (!bytes && bytes.code() == ErrorCode::kSdkLogRejected && server_error_code(bytes.error()) == "not_found") {
      return Error(ErrorCode::kNotFound, "the log has no " + path);
    }
    return bytes;
  };
}

std::string_view server_error_code(const Error& error) {
  if (error.code != ErrorCode::kSdkLogRejected && error.code != ErrorCode::kSdkLogServerError &&
      error.code != ErrorCode::kSdkRunnerRejected && error.code != ErrorCode::kSdkRunnerServerError) {
    return {};
  }
  const std::string_view m = error.message;
  const auto colon = m.find(": ");
  if (colon == std::string_view::npos) return {};
  return m.substr(0, colon);
}

}  // namespace verun::sdk
