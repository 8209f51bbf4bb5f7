// Fuzz target: parse_policy on arbitrary text. Never crashes or hangs; a
// policy that loads has digest SHA-256(JCS(normalized)), and loading its
// normalized form again gives the same policy digest (lowercasing is
// idempotent).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "verun/proofs/json/jcs.h"
#include "verun/proofs/sha2.h"
#include "verun/verifier/policy.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto p = verun::verifier::parse_policy(text);
  if (!p) return 0;
  auto canonical = verun::proofs::jcs_serialize(p->normalized);
  if (!canonical || verun::proofs::sha256(*canonical) != p->digest) std::abort();
  auto again = verun::verifier::parse_policy(*canonical);
  if (!again || again->digest != p->digest) std::abort();
  return 0;
}
