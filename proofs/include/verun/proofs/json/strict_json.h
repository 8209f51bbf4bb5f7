// Strict JSON parsing (RFC 8259 plus verun's rules, DESIGN.md §10).
//
// parse_json() reads exactly one JSON value and rejects: duplicate object
// keys, nesting deeper than max_depth (a top-level object or array is depth
// 1), input longer than max_bytes, invalid UTF-8, lone surrogates in \u
// escapes, and trailing non-whitespace. In the kVerun profile it also
// rejects floats (any number with a fraction or exponent, even 56.0 or 1e3),
// integers with |n| > 2^53-1, and null. The kGeneral profile accepts floats
// and null (for RFC 8785 vectors and other people's documents).
// Stateless and thread-safe.
#pragma once

#include <cstddef>
#include <string_view>

#include <nlohmann/json.hpp>

#include "verun/result.h"

namespace verun::proofs {

enum class JsonProfile {
  kGeneral,  // RFC 8259 + no duplicate keys + limits
  kVerun,    // kGeneral + no floats, no null, |integer| <= 2^53-1
};

struct JsonLimits {
  std::size_t max_depth = 32;
  std::size_t max_bytes = 4 * 1024 * 1024;  // a bundle's limit; callers tighten it
};

using Json = nlohmann::json;

Result<Json> parse_json(std::string_view text, JsonProfile profile = JsonProfile::kVerun,
                        const JsonLimits& limits = {});

}  // namespace verun::proofs
