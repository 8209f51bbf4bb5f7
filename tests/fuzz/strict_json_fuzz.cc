// Fuzz target for parse_json (both profiles). Whatever parses must
// canonicalize, and the canonical text must parse back to an equal value
// whose canonical form is the same bytes (RFC 8785 output is a fixed point).
// In the general profile "equal" compares numbers as IEEE-754 doubles: RFC
// 8785 writes an integer beyond 2^53 as the double nearest to it.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "verun/proofs/json/jcs.h"
#include "verun/proofs/json/strict_json.h"

using verun::proofs::Json;
using verun::proofs::JsonLimits;
using verun::proofs::JsonProfile;

namespace {

bool equal_as_doubles(const Json& a, const Json& b) {
  if (a.is_number() && b.is_number()) return a.get<double>() == b.get<double>();
  if (a.type() != b.type()) return false;
  if (a.is_array()) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
      if (!equal_as_doubles(a[i], b[i])) return false;
    return true;
  }
  if (a.is_object()) {
    if (a.size() != b.size()) return false;
    for (auto it = a.begin(), jt = b.begin(); it != a.end(); ++it, ++jt)
      if (it.key() != jt.key() || !equal_as_doubles(*it, *jt)) return false;
    return true;
  }
  return a == b;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  for (auto profile : {JsonProfile::kVerun, JsonProfile::kGeneral}) {
    auto value = verun::proofs::parse_json(text, profile);
    if (!value) continue;
    auto canonical = verun::proofs::jcs_serialize(*value, profile);
    if (!canonical) __builtin_trap();  // a parsed value always has a JCS form
    // Canonical numbers can be a few bytes longer than their input spelling.
    const JsonLimits roomy{.max_depth = JsonLimits{}.max_depth, .max_bytes = 2 * size + 64};
    auto again = verun::proofs::parse_json(*canonical, profile, roomy);
    if (!again) __builtin_trap();
    if (profile == JsonProfile::kVerun ? *again != *value : !equal_as_doubles(*again, *value))
      __builtin_trap();
    auto canonical2 = verun::proofs::jcs_serialize(*again, profile);
    if (!canonical2 || *canonical2 != *canonical) __builtin_trap();
  }
  return 0;
}
