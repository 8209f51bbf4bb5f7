// TileHashSource reads the same node hashes from C2SP tiles as the in-memory
// store holds, so proofs built from tiles equal proofs built from memory and
// verify; a missing or corrupted tile is caught.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <map>

#include "tests/support/matchers.h"
#include "verun/proofs/merkle/consistency.h"
#include "verun/proofs/merkle/hasher.h"
#include "verun/proofs/merkle/inclusion.h"
#include "verun/proofs/merkle/memory_hash_store.h"
#include "verun/proofs/merkle/tiles.h"
#include "verun/sdk/tile_hash_source.h"

namespace verun::sdk {
namespace {

using namespace verun::proofs;
using verun::testing::HasCode;

struct TiledTree {
  MemoryHashStore store;
  std::map<std::string, Bytes> files;

  explicit TiledTree(std::uint64_t n) {
    for (std::uint64_t i = 0; i < n; ++i) store.append_leaf(leaf_hash(as_bytes("leaf " + std::to_string(i))));
    for (const Tile& t : hash_tiles_for_size(n)) files[format_tile_path(t)] = *read_hash_tile(store, t);
  }
  TileFetcher fetcher() const {
    return [this](const std::string& path) -> Result<Bytes> {
      auto it = files.find(path);
      if (it == files.end()) return Error(ErrorCode::kNotFound, "no " + path);
      return it->second;
    };
  }
};

RC_GTEST_PROP(TileHashSourceProperty, ProofsFromTilesEqualProofsFromMemory, ()) {
  const auto n = *rc::gen::inRange<std::uint64_t>(1, 2100);
  const auto index = *rc::gen::inRange<std::uint64_t>(0, n);
  const auto old_size = *rc::gen::inRange<std::uint64_t>(1, n + 1);
  TiledTree tree(n);
  TileHashSource tiles(tree.fetcher(), n);
  auto root = tree_hash(tiles, n);
  RC_ASSERT(root.has_value());
  RC_ASSERT(*root == *tree_hash(tree.store, n));
  auto from_tiles = prove_inclusion(tiles, index, n);
  RC_ASSERT(from_tiles.has_value());
  RC_ASSERT(*from_tiles == *prove_inclusion(tree.store, index, n));
  Hash32 leaf{};
  RC_ASSERT(tree.store.get_hashes(std::vector<NodeId>{{0, index}}, std::span<Hash32>(&leaf, 1)).has_value());
  RC_ASSERT(verify_inclusion(leaf, index, n, *from_tiles, *root).has_value());
  auto cons = prove_consistency(tiles, old_size, n);
  RC_ASSERT(cons.has_value());
  RC_ASSERT(*cons == *prove_consistency(tree.store, old_size, n));
}

TEST(TileHashSource, MissingTileIsAnError) {
  TiledTree tree(600);
  tree.files.erase("tile/0/001");
  TileHashSource tiles(tree.fetcher(), 600);
  EXPECT_THAT(prove_inclusion(tiles, 300, 600), HasCode(ErrorCode::kNotFound));
}

TEST(TileHashSource, NodesBeyondTheTreeAreMissing) {
  TiledTree tree(10);
  TileHashSource tiles(tree.fetcher(), 10);
  Hash32 h{};
  EXPECT_THAT(tiles.get_hashes(std::vector<NodeId>{{0, 10}}, std::span<Hash32>(&h, 1)), HasCode(ErrorCode::kProofMissingHash));
  EXPECT_THAT(tiles.get_hashes(std::vector<NodeId>{{4, 0}}, std::span<Hash32>(&h, 1)), HasCode(ErrorCode::kProofMissingHash));
}

TEST(TileHashSource, WrongTileLengthIsAnError) {
  TiledTree tree(300);
  tree.files["tile/0/001.p/44"].pop_back();
  TileHashSource tiles(tree.fetcher(), 300);
  auto r = prove_inclusion(tiles, 290, 300);
  ASSERT_FALSE(r.has_value());
}

TEST(TileHashSource, CorruptedTileGivesAProofThatFailsVerification) {
  TiledTree tree(1000);
  auto root = *tree_hash(tree.store, 1000);
  tree.files["tile/0/000"][5 * 32] ^= 0x01;  // hash of leaf 5
  TileHashSource tiles(tree.fetcher(), 1000);
  auto proof = prove_inclusion(tiles, 4, 1000);  // leaf 5 is leaf 4's sibling
  ASSERT_OK(proof);
  Hash32 leaf = leaf_hash(as_bytes("leaf 4"));
  EXPECT_THAT(verify_inclusion(leaf, 4, 1000, *proof, root), HasCode(ErrorCode::kProofRootMismatch));
}

}  // namespace
}  // namespace verun::sdk
