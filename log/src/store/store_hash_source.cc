#include "store/store_hash_source.h"

#include <algorithm>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "verun/proofs/merkle/hasher.h"
#include "verun/proofs/merkle/tiles.h"

namespace verun::log {
namespace {

using proofs::Hash32;
using proofs::kTileHeight;
using proofs::kTileWidth;
using proofs::NodeId;

// Where a node's hashes live: tile (level, index) positions [begin, end) of
// the tile's own level, folded `fold` times.
struct Placement {
  std::uint32_t tile_level = 0;
  std::uint64_t tile_index = 0;
  std::uint32_t begin = 0;
  std::uint32_t end = 0;
};

Result<Placement> place(const NodeId& id) {
  const std::uint32_t k = id.level % kTileHeight;
  Placement p;
  p.tile_level = id.level / kTileHeight;
  if (p.tile_level > proofs::kMaxTileLevel || (k > 0 && (id.index >> (64 - k)) != 0)) {
    return Error(ErrorCode::kProofMissingHash, "node at level " + std::to_string(id.level) + " index " +
                                                   std::to_string(id.index) + " is outside any tile");
  }
  const std::uint64_t first = id.index << k;  // first node of the tile's level under id
  p.tile_index = first / kTileWidth;
  p.begin = static_cast<std::uint32_t>(first % kTileWidth);
  p.end = p.begin + (1u << k);  // k < 8 and begin is a multiple of 2^k, so end <= 256
  return p;
}

}  // namespace

Result<void> StoreHashSource::get_hashes(std::span<const NodeId> ids, std::span<Hash32> out) const {
  if (ids.size() != out.size()) return Error(ErrorCode::kInvalidArgument, "ids and out differ in length");
  std::vector<Placement> places;
  places.reserve(ids.size());
  std::map<std::pair<std::uint32_t, std::uint64_t>, std::uint32_t> widths;  // tile -> width needed
  for (const NodeId& id : ids) {
    VERUN_ASSIGN_OR_RETURN(Placement p, place(id));
    auto& w = widths[{p.tile_level, p.tile_index}];
    if (p.end > w) w = p.end;
    places.push_back(p);
  }
  std::map<std::pair<std::uint32_t, std::uint64_t>, proofs::Bytes> tiles;
  for (const auto& [tile, width] : widths) {
    auto data = store_.read_hash_tile(tile.first, tile.second, width);
    if (!data) {
      if (data.error().code == ErrorCode::kNotFound) {
        return Error(ErrorCode::kProofMissingHash, "hash tile " + std::to_string(tile.first) + "/" +
                                                       std::to_string(tile.second) + " lacks " +
                                                       std::to_string(width) + " hashes");
      }
      return std::move(data).error();
    }
    if (data->size() != std::size_t{width} * 32) {
      return Error(ErrorCode::kTileBadTile, "hash tile has " + std::to_string(data->size()) + " bytes");
    }
    tiles.emplace(tile, std::move(*data));
  }
  std::vector<Hash32> level;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const Placement& p = places[i];
    const proofs::Bytes& tile = tiles.at({p.tile_level, p.tile_index});
    level.assign(p.end - p.begin, Hash32{});
    for (std::uint32_t j = p.begin; j < p.end; ++j) {
      std::copy_n(tile.begin() + std::size_t{j} * 32, 32, level[j - p.begin].begin());
    }
    while (level.size() > 1) {  // fold k levels up to the node itself
      for (std::size_t j = 0; j < level.size() / 2; ++j) level[j] = proofs::node_hash(level[2 * j], level[2 * j + 1]);
      level.resize(level.size() / 2);
    }
    out[i] = level[0];
  }
  return ok();
}

}  // namespace verun::log
