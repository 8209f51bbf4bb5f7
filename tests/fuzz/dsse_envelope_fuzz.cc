// Fuzzes DSSE envelope parsing in both modes (DESIGN.md §6, §10) and the
// invariants between them: whatever the log admits the verifier reads the
// same way, and a parsed envelope survives serialize -> parse unchanged.
// Registration verification runs on whatever parses, for depth.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "verun/proofs/dsse/envelope.h"
#include "verun/proofs/intoto/registration.h"

using namespace verun::proofs;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto log = parse_envelope(text, EnvelopeMode::kLogAdmission);
  auto ver = parse_envelope(text, EnvelopeMode::kVerifier);
  if (log) {
    if (!ver || !(*ver == *log)) std::abort();  // log admission is the stricter mode
    auto again = parse_envelope(serialize_envelope(*log), EnvelopeMode::kLogAdmission);
    if (!again || !(*again == *log)) std::abort();
    auto leaf = envelope_leaf(*log);
    if (!leaf || leaf->size() > kMaxEnvelopeJcsBytes) std::abort();
  }
  if (ver) {
    auto again = parse_envelope(serialize_envelope(*ver), EnvelopeMode::kVerifier);
    if (!again || !(*again == *ver)) std::abort();
    (void)verify_registration_envelope(*ver);
  }
  return 0;
}
