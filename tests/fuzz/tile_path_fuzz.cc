// Fuzz target: the C2SP tlog-tiles path parser. Any input must parse or be
// rejected with tile.bad_path, never crash; a parsed path must format back
// to exactly the input (the parser accepts canonical paths only).
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "verun/proofs/merkle/tiles.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace verun::proofs;
  const std::string_view path(reinterpret_cast<const char*>(data), size);
  auto t = parse_tile_path(path);
  if (!t) {
    if (t.code() != verun::ErrorCode::kTileBadPath) std::abort();
    return 0;
  }
  if (format_tile_path(*t) != path) std::abort();
  if (t->width < 1 || t->width > kTileWidth || t->level > kMaxTileLevel) std::abort();
  if (t->kind == TileKind::kEntries && t->level != 0) std::abort();
  return 0;
}
