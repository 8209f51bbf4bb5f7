// Bundle parsing (DESIGN.md §8, §10); see bundle.h.
#include "verun/verifier/bundle.h"

#include <optional>
#include <utility>

#include "verun/proofs/base64.h"
#include "verun/proofs/hex.h"
#include "verun/proofs/json/jcs.h"
#include "verun/proofs/schema/object_reader.h"
#include "verun/proofs/sha2.h"

namespace verun::verifier {
namespace {

constexpr proofs::SchemaCodes kBundleCodes{ErrorCode::kBundleUnknownField, ErrorCode::kBundleMissingField,
                                           ErrorCode::kBundleMalformed};
// A tlog-proof is at most 64 hashes and a checkpoint note of at most 100
// signature lines: far below this.
constexpr std::size_t kMaxProofTextBytes = std::size_t{256} << 10;

Result<BundleEntry> parse_entry(proofs::ObjectReader& parent, std::string_view name) {
  VERUN_ASSIGN_OR_RETURN(auto r, parent.object(name));
  BundleEntry e;
  VERUN_ASSIGN_OR_RETURN(const proofs::Json* env, r.value("envelope"));
  if (!env->is_object()) return r.invalid("envelope", "is not an object");
  VERUN_ASSIGN_OR_RETURN(e.envelope, proofs::parse_envelope(*env, proofs::EnvelopeMode::kVerifier));
  VERUN_ASSIGN_OR_RETURN(e.leaf, proofs::jcs_serialize(*env));
  if (e.leaf.size() > proofs::kMaxEnvelopeJcsBytes)
    return Error(ErrorCode::kDsseTooLarge, "the " + std::string(name) + " envelope's canonical form is " +
                                               std::to_string(e.leaf.size()) + " bytes, more than 65535");
  VERUN_ASSIGN_OR_RETURN(e.proof_text, r.string("proof", kMaxProofTextBytes));
  VERUN_ASSIGN_OR_RETURN(e.proof, proofs::parse_tlog_proof(e.proof_text));
  VERUN_TRY(r.finish());
  return e;
}

// The body of parse_bundle_json; `registration` (when set) is the already
// parsed registration half, whose JSON is then only required to be present.
Result<Bundle> parse_bundle_object(const proofs::Json& json, const BundleEntry* registration) {
  VERUN_ASSIGN_OR_RETURN(auto r, proofs::ObjectReader::make(json, "", kBundleCodes));
  VERUN_ASSIGN_OR_RETURN(std::string media_type, r.string("mediaType", 256));
  if (media_type != kBundleMediaType)
    return Error(ErrorCode::kBundleBadMediaType, "the bundle mediaType is '" + media_type + "', not " +
                                                     std::string(kBundleMediaType));
  Bundle b;
  VERUN_ASSIGN_OR_RETURN(b.receipt, parse_entry(r, "receipt"));
  if (registration) {
    VERUN_TRY(r.value("registration"));
    b.registration = *registration;
  } else {
    VERUN_ASSIGN_OR_RETURN(b.registration, parse_entry(r, "registration"));
  }
  if (const proofs::Json* coll = r.find("collateral")) {
    if (!coll->is_object()) return r.invalid("collateral", "is not an object");
    for (auto it = coll->begin(); it != coll->end(); ++it) {
      const std::string& key = it.key();
      auto digest = proofs::hex_decode32(key);
      if (!digest)
        return Error(ErrorCode::kBundleMalformed,
                     "collateral key '" + key.substr(0, 80) + "' is not 64 lowercase hex characters");
      if (!it.value().is_string())
        return Error(ErrorCode::kBundleMalformed, "collateral." + key + " is not a base64 string");
      auto bytes = proofs::base64_decode(it.value().get_ref<const std::string&>());
      if (!bytes) return Error(ErrorCode::kBundleMalformed, "collateral." + key + " is not standard padded base64");
      if (proofs::sha256(*bytes) != *digest)
        return Error(ErrorCode::kBundleCollateralDigestMismatch,
                     "collateral." + key + " holds bytes whose SHA-256 is " + proofs::hex_encode(proofs::sha256(*bytes)));
      b.collateral.emplace(key, std::move(*bytes));
    }
  }
  VERUN_TRY(r.finish());
  return b;
}

// Where the value of the top-level member "registration" (spelt without
// escapes) lies in text, if the text is an object that has one whose value
// is an object. A plain scan (strings, escapes, nesting); the strict parser
// still reads the rest of the text, so a scan fooled by malformed input only
// loses the shortcut, never changes a result.
std::optional<std::pair<std::size_t, std::size_t>> find_registration(std::string_view text) {
  std::size_t i = 0;
  auto skip_ws = [&] {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r')) ++i;
  };
  // Moves i past the string starting at text[i] == '"'.
  auto skip_string = [&]() -> bool {
    for (++i; i < text.size(); ++i) {
      if (text[i] == '\\') {
        ++i;
      } else if (text[i] == '"') {
        ++i;
        return true;
      }
    }
    return false;
  };
  // Moves i past the value starting at text[i].
  auto skip_value = [&]() -> bool {
    if (i >= text.size()) return false;
    if (text[i] == '"') return skip_string();
    if (text[i] != '{' && text[i] != '[') {
      while (i < text.size() && text[i] != ',' && text[i] != '}' && text[i] != ']') ++i;
      return i < text.size();
    }
    std::size_t depth = 0;
    while (i < text.size()) {
      char c = text[i];
      if (c == '"') {
        if (!skip_string()) return false;
        continue;
      }
      if (c == '{' || c == '[') ++depth;
      if (c == '}' || c == ']') {
        if (--depth == 0) {
          ++i;
          return true;
        }
      }
      ++i;
    }
    return false;
  };
  skip_ws();
  if (i >= text.size() || text[i] != '{') return std::nullopt;
  ++i;
  while (true) {
    skip_ws();
    if (i >= text.size() || text[i] != '"') return std::nullopt;
    const std::size_t key_start = i;
    if (!skip_string()) return std::nullopt;
    const std::string_view key = text.substr(key_start, i - key_start);
    skip_ws();
    if (i >= text.size() || text[i] != ':') return std::nullopt;
    ++i;
    skip_ws();
    const std::size_t value_start = i;
    if (!skip_value()) return std::nullopt;
    if (key == "\"registration\"") {
      if (text[value_start] != '{') return std::nullopt;
      return std::make_pair(value_start, i - value_start);
    }
    skip_ws();
    if (i >= text.size() || text[i] != ',') return std::nullopt;
    ++i;
  }
}

}  // namespace

Result<Bundle> BundleParser::parse(std::string_view text) {
  if (text.size() > kMaxBundleBytes) return parse_bundle(text);
  auto where = find_registration(text);
  if (where) {
    const std::string_view raw = text.substr(where->first, where->second);
    // The last registration seen first (a batch is mostly one), compared by
    // its bytes; then the map.
    const BundleEntry* known = nullptr;
    if (last_ && last_->first == raw) {
      known = &last_->second;
    } else if (auto it = registrations_.find(std::string(raw)); it != registrations_.end()) {
      last_ = &*it;
      known = &it->second;
    }
    if (known) {
      // The rest of the text, with the known registration replaced by {}.
      std::string rest;
      rest.reserve(text.size() - raw.size() + 2);
      rest.append(text.substr(0, where->first)).append("{}").append(text.substr(where->first + where->second));
      auto json = proofs::parse_json(rest, proofs::JsonProfile::kVerun, proofs::JsonLimits{32, kMaxBundleBytes});
      if (!json) return Error(ErrorCode::kBundleMalformed, "the bundle is not verun JSON: " + json.error().message);
      return parse_bundle_object(*json, known);
    }
  }
  auto b = parse_bundle(text);
  if (b && where) {
    if (registrations_.size() >= 1024) {
      registrations_.clear();
      last_ = nullptr;
    }
    last_ = &*registrations_.emplace(std::string(text.substr(where->first, where->second)), b->registration).first;
  }
  return b;
}

Result<Bundle> parse_bundle(std::string_view text) {
  if (text.size() > kMaxBundleBytes)
    return Error(ErrorCode::kBundleTooLarge,
                 "the bundle is " + std::to_string(text.size()) + " bytes, more than 4 MiB");
  auto json = proofs::parse_json(text, proofs::JsonProfile::kVerun, proofs::JsonLimits{32, kMaxBundleBytes});
  if (!json) return Error(ErrorCode::kBundleMalformed, "the bundle is not verun JSON: " + json.error().message);
  return parse_bundle_json(*json);
}

Result<Bundle> parse_bundle_json(const proofs::Json& json) { return parse_bundle_object(json, nullptr); }

proofs::Json bundle_to_json(const Bundle& bundle) {
  auto entry = [](const BundleEntry& e) {
    proofs::Json j = proofs::Json::object();
    auto env = proofs::parse_json(e.leaf);
    j["envelope"] = env ? std::move(*env) : proofs::serialize_envelope(e.envelope);
    j["proof"] = e.proof_text;
    return j;
  };
  proofs::Json j = proofs::Json::object();
  j["mediaType"] = std::string(kBundleMediaType);
  j["receipt"] = entry(bundle.receipt);
  j["registration"] = entry(bundle.registration);
  proofs::Json coll = proofs::Json::object();
  for (const auto& [digest, bytes] : bundle.collateral) coll[digest] = proofs::base64_encode(bytes);
  j["collateral"] = std::move(coll);
  return j;
}

std::string format_bundle(const Bundle& bundle) { return bundle_to_json(bundle).dump(); }

}  // namespace verun::verifier
