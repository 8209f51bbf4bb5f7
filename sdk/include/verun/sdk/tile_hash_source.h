// TileHashSource: a proofs::HashSource that reads node hashes from a C2SP
// tlog-tiles log (https://c2sp.org/tlog-tiles) through a TileFetcher: a
// folder exported by `verun-log export-tiles` or `verun tlog build`, or (with
// the log client) the log's HTTP read API. It serves one tree size, fetching
// each tile at the width that size implies and caching it.
//
// The hashes it returns are NOT authenticated: callers MUST check every
// proof built from them against a signed checkpoint's root (the proofs
// library's verify_* functions do). Not thread-safe.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "verun/proofs/merkle/hash_source.h"
#include "verun/result.h"

namespace verun::sdk {

// Returns the bytes at a tile path such as "tile/0/x001/234.p/17", or
// not_found when the log does not have it.
using TileFetcher = std::function<Result<proofs::Bytes>(const std::string& path)>;

// A fetcher over a local folder holding the tlog-tiles layout. Paths are
// produced by proofs::format_tile_path, so they never escape the folder.
TileFetcher directory_tile_fetcher(std::filesystem::path root);

class TileHashSource final : public proofs::HashSource {
 public:
  TileHashSource(TileFetcher fetch, std::uint64_t tree_size) : fetch_(std::move(fetch)), size_(tree_size) {}

  std::uint64_t tree_size() const { return size_; }

  // Errors: proof.missing_hash for a node outside the tree, tile.bad_tile
  // for a tile of the wrong length, and the fetcher's errors.
  Result<void> get_hashes(std::span<const proofs::NodeId> ids, std::span<proofs::Hash32> out) const override;

 private:
  Result<const std::vector<proofs::Hash32>*> tile(std::uint32_t tile_level, std::uint64_t tile_index) const;

  TileFetcher fetch_;
  std::uint64_t size_;
  mutable std::map<std::pair<std::uint32_t, std::uint64_t>, std::vector<proofs::Hash32>> cache_;
};

}  // namespace verun::sdk
