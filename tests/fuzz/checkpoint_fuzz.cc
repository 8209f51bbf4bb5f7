// Fuzz target: checkpoint bodies (C2SP tlog-checkpoint) and opening signed
// checkpoints with a fixed log key and witness. A parsed body must format
// back to the same bytes.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "verun/proofs/note/checkpoint.h"

namespace {

using namespace verun::proofs;

struct Keys {
  NoteVerifier log;
  std::vector<NoteVerifier> witnesses;
};

const Keys& keys() {
  static const Keys k = [] {
    const std::uint8_t log_seed[32] = {1};
    const std::uint8_t w_seed[32] = {2};
    return Keys{NoteSigner::from_seed("fuzz.example/log", log_seed)->verifier(),
                {NoteSigner::from_seed("fuzz.example/w", w_seed, NoteKeyType::kCosignatureV1)->verifier()}};
  }();
  return k;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  auto body = parse_checkpoint(in);
  if (body) {
    auto text = format_checkpoint(*body);
    if (!text || *text != in) std::abort();
  }
  auto cp = open_checkpoint(in, keys().log, keys().witnesses);
  if (cp) {
    auto again = parse_checkpoint(cp->text);
    if (!again || !(*again == cp->checkpoint)) std::abort();
    if (cp->cosignatures.size() > 1) std::abort();  // one witness counts once
  }
  return 0;
}
