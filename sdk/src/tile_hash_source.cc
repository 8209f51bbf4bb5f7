// Reading node hashes from C2SP hash tiles. A node at tree level l = 8T + k
// (k < 8) is the root of 2^k consecutive level-8T hashes, which all sit in
// one tile of tile level T; it is folded from them.
#include "verun/sdk/tile_hash_source.h"

#include <fstream>
#include <sstream>

#include "verun/proofs/merkle/hasher.h"
#include "verun/proofs/merkle/tiles.h"

namespace verun::sdk {

using proofs::Bytes;
using proofs::Hash32;
using proofs::NodeId;

TileFetcher directory_tile_fetcher(std::filesystem::path root) {
  return [root = std::move(root)](const std::string& path) -> Result<Bytes> {
    std::ifstream in(root / path, std::ios::binary);
    if (!in) return Error(ErrorCode::kNotFound, "no tile at " + (root / path).string());
    std::ostringstream ss;
    ss << in.rdbuf();
    std::string s = ss.str();
    return Bytes(s.begin(), s.end());
  };
}

Result<const std::vector<Hash32>*> TileHashSource::tile(std::uint32_t tile_level, std::uint64_t tile_index) const {
  auto key = std::make_pair(tile_level, tile_index);
  if (auto it = cache_.find(key); it != cache_.end()) return &it->second;
  std::uint32_t width = proofs::tile_width_at(tile_level, tile_index, size_);
  if (width == 0)
    return Error(ErrorCode::kProofMissingHash, "tile " + std::to_string(tile_level) + "/" + std::to_string(tile_index) +
                                                   " does not exist at tree size " + std::to_string(size_));
  proofs::Tile t{proofs::TileKind::kHash, tile_level, tile_index, width};
  VERUN_ASSIGN_OR_RETURN(Bytes data, fetch_(proofs::format_tile_path(t)));
  VERUN_ASSIGN_OR_RETURN(auto hashes, proofs::parse_hash_tile(data, width));
  return &cache_.emplace(key, std::move(hashes)).first->second;
}

Result<void> TileHashSource::get_hashes(std::span<const NodeId> ids, std::span<Hash32> out) const {
  if (ids.size() != out.size()) return Error(ErrorCode::kInvalidArgument, "ids and out differ in length");
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const NodeId& id = ids[i];
    if (id.level >= 64 || id.end() > size_ || id.end() <= id.begin())
      return Error(ErrorCode::kProofMissingHash, "node " + std::to_string(id.level) + "/" + std::to_string(id.index) +
                                                     " is not a complete subtree of a tree of size " + std::to_string(size_));
    std::uint32_t tile_level = id.level / proofs::kTileHeight;
    std::uint32_t k = id.level % proofs::kTileHeight;
    std::uint64_t first = id.index << k;  // first level-8T hash under the node
    std::uint64_t count = std::uint64_t{1} << k;
    VERUN_ASSIGN_OR_RETURN(const std::vector<Hash32>* t, tile(tile_level, first / proofs::kTileWidth));
    std::uint64_t pos = first % proofs::kTileWidth;
    if (pos + count > t->size())
      return Error(ErrorCode::kProofMissingHash, "tile too narrow for node " + std::to_string(id.level) + "/" +
                                                     std::to_string(id.index));
    std::vector<Hash32> row(t->begin() + static_cast<std::ptrdiff_t>(pos),
                            t->begin() + static_cast<std::ptrdiff_t>(pos + count));
    while (row.size() > 1) {
      for (std::size_t j = 0; j < row.size() / 2; ++j) row[j] = proofs::node_hash(row[2 * j], row[2 * j + 1]);
      row.resize(row.size() / 2);
    }
    out[i] = row[0];
  }
  return {};
}

}  // namespace verun::sdk
