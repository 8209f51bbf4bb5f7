// RFC 8785 JSON Canonicalization Scheme (JCS).
//
// jcs_serialize() writes a value canonically: object members sorted by the
// UTF-16 code units of their names, no insignificant whitespace, strings
// with the minimal RFC 8785 §3.2.2.2 escaping, numbers in ECMAScript (ES6)
// Number.prototype.toString form. Fails (json.float_not_allowed /
// json.null_not_allowed ...) only in the kVerun profile, which refuses what
// parse_json(kVerun) refuses. Non-finite numbers always fail.
// Stateless and thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "verun/proofs/json/strict_json.h"

namespace verun::proofs {

Result<std::string> jcs_serialize(const Json& value, JsonProfile profile = JsonProfile::kVerun);

// parse_json + jcs_serialize in one call.
Result<std::string> jcs_canonicalize(std::string_view text, JsonProfile profile = JsonProfile::kVerun,
                                     const JsonLimits& limits = {});

// ES6 Number.prototype.toString of a finite double (RFC 8785 §3.2.2.3).
std::string es6_number_to_string(double value);

}  // namespace verun::proofs
