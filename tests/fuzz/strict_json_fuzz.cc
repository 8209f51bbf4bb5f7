// Fuzz target for parse_json (both profiles). Whatever parses must
// canonicalize, and the canonical text must parse back to an equal value
// whose canonical form is the same bytes (RFC 8785 output is a fixed point).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "verun/proofs/json/jcs.h"
#include "verun/proofs/json/strict_json.h"

using verun::proofs::JsonLimits;
using verun::proofs::JsonProfile;

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
    if (!again || *again != *value) __builtin_trap();
    auto canonical2 = verun::proofs::jcs_serialize(*again, profile);
    if (!canonical2 || *canonical2 != *canonical) __builtin_trap();
  }
  return 0;
}
