// Fuzz target: the C2SP tlog-tiles entry bundle decoder. Any input must
// decode or be rejected with tile.bad_bundle, never crash; a decoded bundle
// must re-encode to exactly the input (the decoder rejects trailing bytes).
#include <cstdint>
#include <cstdlib>

#include "verun/proofs/merkle/tiles.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace verun::proofs;
  const ByteView input(data, size);
  auto entries = parse_entry_bundle(input);
  if (!entries) {
    if (entries.code() != verun::ErrorCode::kTileBadBundle) std::abort();
    return 0;
  }
  if (entries->empty() || entries->size() > kTileWidth) std::abort();
  auto again = format_entry_bundle(*entries);
  if (!again || *again != Bytes(input.begin(), input.end())) std::abort();
  return 0;
}
