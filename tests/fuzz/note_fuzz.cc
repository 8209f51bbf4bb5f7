// Fuzz target: signed-note parsing and opening (C2SP signed-note). Checks
// that a parsed note formats back to the same bytes and that an opened note
// has at least one verified signature. Keys: fixed seeds (see corpus/README).
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "verun/proofs/note/signed_note.h"

namespace {

using namespace verun::proofs;

const NoteVerifierSet& keys() {
  static const NoteVerifierSet set = [] {
    NoteVerifierSet s;
    const std::uint8_t log_seed[32] = {1};
    const std::uint8_t w_seed[32] = {2};
    (void)s.add(NoteSigner::from_seed("fuzz.example/log", log_seed)->verifier());
    (void)s.add(NoteSigner::from_seed("fuzz.example/w", w_seed, NoteKeyType::kCosignatureV1)->verifier());
    return s;
  }();
  return set;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  auto parsed = parse_signed_note(in);
  if (parsed) {
    if (format_signed_note(*parsed) != in) std::abort();
    if (parsed->signatures.empty() || parsed->signatures.size() > kMaxNoteSignatures) std::abort();
  }
  auto opened = open_note(in, keys());
  if (opened && (!parsed || opened->verified.empty() || opened->text != parsed->text)) std::abort();
  return 0;
}
