// C2SP tlog-tiles: path format and strict parsing, tile sets per size, hash
// tile contents, entry bundle encoding and rejection.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "naive_tree.h"
#include "tests/support/matchers.h"
#include "verun/proofs/merkle/memory_hash_store.h"
#include "verun/proofs/merkle/tiles.h"

namespace verun::proofs {
namespace {

using testing::make_leaf_hashes;
using testing::naive_mth;
using verun::testing::HasCode;
using verun::testing::IsOk;

TEST(TilePath, FormatsIndexInGroupsOfThree) {
  EXPECT_EQ(format_tile_index(0), "000");
  EXPECT_EQ(format_tile_index(5), "005");
  EXPECT_EQ(format_tile_index(999), "999");
  EXPECT_EQ(format_tile_index(1000), "x001/000");
  EXPECT_EQ(format_tile_index(1234067), "x001/x234/067");
  EXPECT_EQ(format_tile_path(Tile{TileKind::kHash, 0, 1234067, 256}), "tile/0/x001/x234/067");
  EXPECT_EQ(format_tile_path(Tile{TileKind::kHash, 1, 1234067, 8}), "tile/1/x001/x234/067.p/8");
  EXPECT_EQ(format_tile_path(Tile{TileKind::kEntries, 0, 3, 232}), "tile/entries/003.p/232");
  EXPECT_EQ(format_tile_path(Tile{TileKind::kEntries, 0, 1, 256}), "tile/entries/001");
}

TEST(TilePath, ParsesCanonicalPaths) {
  auto t = parse_tile_path("tile/2/x001/x234/067.p/8");
  ASSERT_THAT(t, IsOk());
  EXPECT_EQ(*t, (Tile{TileKind::kHash, 2, 1234067, 8}));
  t = parse_tile_path("tile/entries/000");
  ASSERT_THAT(t, IsOk());
  EXPECT_EQ(*t, (Tile{TileKind::kEntries, 0, 0, 256}));
  t = parse_tile_path("tile/63/x072/x057/x594/x037/x927/935.p/255");
  ASSERT_THAT(t, IsOk());
  EXPECT_EQ(t->index, (std::uint64_t{1} << 56) - 1);
  EXPECT_EQ(t->level, 63u);
  EXPECT_EQ(t->width, 255u);
}

TEST(TilePath, RejectsEverythingElse) {
  for (const char* p : {
           "", "tile", "tile/", "tile/0", "tile/0/", "/tile/0/000", "tiles/0/000", "Tile/0/000",
           "tile/00/000",              // leading zero in the level
           "tile/64/000",              // level above 63
           "tile/-1/000", "tile/+1/000", "tile/ 1/000", "tile/a/000",
           "tile/0/00", "tile/0/0000", "tile/0/1", "tile/0/abc", "tile/0/00a",
           "tile/0/001/002",           // missing x
           "tile/0/x001",              // x on the last group
           "tile/0/x000/001",          // leading zero group
           "tile/0/x1/001", "tile/0/y001/002", "tile/0/x001//002", "tile/0/x0010/002",
           "tile/0/000.p/0",           // width 0
           "tile/0/000.p/256",         // a full tile has no .p
           "tile/0/000.p/300", "tile/0/000.p/08", "tile/0/000.p/", "tile/0/000.p", "tile/0/000.p/8/",
           "tile/0/000.p/8x", "tile/0/000.q/8", "tile/0/000/", "tile/0/000 ", "tile/0/000\n",
           "tile/entries/", "tile/entries/00", "tile/entries/000.p/256", "tile/entries/x000/000",
           "tile/entry/000", "tile/data/000",
           "tile/0/x072/x057/x594/x037/x927/936",  // 2^56: index out of range
           "tile/0/x999/x999/x999/x999/x999/x999/999",
       }) {
    EXPECT_THAT(parse_tile_path(p), HasCode(ErrorCode::kTileBadPath)) << '"' << p << '"';
  }
  EXPECT_THAT(parse_tile_path(std::string_view("tile/0/000\0", 11)), HasCode(ErrorCode::kTileBadPath));
}

RC_GTEST_PROP(TileProperty, PathsRoundTrip, ()) {
  Tile t;
  t.kind = *rc::gen::element(TileKind::kHash, TileKind::kEntries);
  t.level = t.kind == TileKind::kHash ? *rc::gen::inRange(0u, 64u) : 0u;
  t.index = *rc::gen::oneOf(rc::gen::inRange<std::uint64_t>(0, 2000),
                            rc::gen::inRange<std::uint64_t>(0, std::uint64_t{1} << 56));
  t.width = *rc::gen::inRange(1u, 257u);
  const std::string p = format_tile_path(t);
  auto back = parse_tile_path(p);
  RC_ASSERT(back.has_value());
  RC_ASSERT(*back == t);
}

TEST(TileSet, TilesAndWidthsForSizes) {
  EXPECT_TRUE(hash_tiles_for_size(0).empty());
  EXPECT_TRUE(entry_bundles_for_size(0).empty());
  auto paths = [](const std::vector<Tile>& ts) {
    std::vector<std::string> out;
    for (const Tile& t : ts) out.push_back(format_tile_path(t));
    return out;
  };
  EXPECT_EQ(paths(hash_tiles_for_size(1)), (std::vector<std::string>{"tile/0/000.p/1"}));
  EXPECT_EQ(paths(hash_tiles_for_size(256)), (std::vector<std::string>{"tile/0/000", "tile/1/000.p/1"}));
  EXPECT_EQ(paths(hash_tiles_for_size(1000)),
            (std::vector<std::string>{"tile/0/000", "tile/0/001", "tile/0/002", "tile/0/003.p/232", "tile/1/000.p/3"}));
  EXPECT_EQ(paths(entry_bundles_for_size(1000)),
            (std::vector<std::string>{"tile/entries/000", "tile/entries/001", "tile/entries/002",
                                      "tile/entries/003.p/232"}));
  EXPECT_EQ(hash_tiles_for_size(1000000).size(), 3924u);  // as tlogbench counts
  EXPECT_EQ(hash_tiles_for_size(65536).back(), (Tile{TileKind::kHash, 2, 0, 1}));
  EXPECT_EQ(tile_width_at(0, 3, 1000), 232u);
  EXPECT_EQ(tile_width_at(0, 4, 1000), 0u);
  EXPECT_EQ(tile_width_at(1, 0, 1000), 3u);
  EXPECT_EQ(tile_width_at(2, 0, 1000), 0u);
  EXPECT_EQ(tile_width_at(7, 0, ~0ull), 255u);
  EXPECT_EQ(tile_width_at(8, 0, ~0ull), 0u);
}

TEST(HashTile, ContentsAreNodeHashesAtEightTimesTheLevel) {
  const std::vector<Hash32> leaves = make_leaf_hashes(1000);
  MemoryHashStore store;
  for (const Hash32& h : leaves) store.append_leaf(h);
  auto t0 = read_hash_tile(store, Tile{TileKind::kHash, 0, 1, 256});
  ASSERT_THAT(t0, IsOk());
  auto hashes0 = parse_hash_tile(*t0, 256);
  ASSERT_THAT(hashes0, IsOk());
  EXPECT_EQ((*hashes0)[0], leaves[256]);
  EXPECT_EQ((*hashes0)[255], leaves[511]);
  auto t1 = read_hash_tile(store, Tile{TileKind::kHash, 1, 0, 3});
  ASSERT_THAT(t1, IsOk());
  auto hashes1 = parse_hash_tile(*t1, 3);
  ASSERT_THAT(hashes1, IsOk());
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ((*hashes1)[i], naive_mth(std::span(leaves).subspan(i * 256, 256)));
  }
  EXPECT_THAT(read_hash_tile(store, Tile{TileKind::kHash, 1, 0, 4}), HasCode(ErrorCode::kProofMissingHash));
  EXPECT_THAT(read_hash_tile(store, Tile{TileKind::kEntries, 0, 0, 4}), HasCode(ErrorCode::kInvalidArgument));
  EXPECT_THAT(read_hash_tile(store, Tile{TileKind::kHash, 8, 0, 1}), HasCode(ErrorCode::kInvalidArgument));
  EXPECT_THAT(parse_hash_tile(ByteView(t1->data(), t1->size() - 1), 3), HasCode(ErrorCode::kTileBadTile));
  EXPECT_THAT(parse_hash_tile(*t1, 4), HasCode(ErrorCode::kTileBadTile));
  EXPECT_THAT(parse_hash_tile({}, 0), HasCode(ErrorCode::kTileBadTile));
}

TEST(EntryBundle, EncodesLengthPrefixedEntries) {
  const std::vector<Bytes> entries = {to_bytes("ab"), Bytes{}, Bytes(300, 7)};
  auto b = format_entry_bundle(entries);
  ASSERT_THAT(b, IsOk());
  ASSERT_EQ(b->size(), 2 + 2 + 2 + 2 + 300u);
  EXPECT_EQ((*b)[0], 0);
  EXPECT_EQ((*b)[1], 2);
  EXPECT_EQ((*b)[6], 0x01);
  EXPECT_EQ((*b)[7], 0x2c);
  auto back = parse_entry_bundle(*b, 3);
  ASSERT_THAT(back, IsOk());
  EXPECT_EQ(*back, entries);
  EXPECT_THAT(parse_entry_bundle(*b, 4), HasCode(ErrorCode::kTileBadBundle));
}

TEST(EntryBundle, RejectsTruncationTrailingBytesAndOversize) {
  const std::vector<Bytes> entries = {to_bytes("first"), to_bytes("second entry"), to_bytes("3")};
  const Bytes b = *format_entry_bundle(entries);
  // Cutting anywhere but at an entry boundary breaks the bundle; at a
  // boundary it is a shorter bundle that the count check rejects.
  for (std::size_t cut = 0; cut < b.size(); ++cut) {
    EXPECT_THAT(parse_entry_bundle(ByteView(b.data(), cut), 3), HasCode(ErrorCode::kTileBadBundle)) << cut;
  }
  Bytes trailing = b;
  trailing.push_back(0);
  EXPECT_THAT(parse_entry_bundle(trailing), HasCode(ErrorCode::kTileBadBundle));
  trailing.push_back(5);
  EXPECT_THAT(parse_entry_bundle(trailing), HasCode(ErrorCode::kTileBadBundle));

  Bytes bundle;
  EXPECT_THAT(append_bundle_entry(bundle, Bytes(65536, 1)), HasCode(ErrorCode::kTileBadBundle));
  EXPECT_TRUE(bundle.empty());
  EXPECT_THAT(append_bundle_entry(bundle, Bytes(65535, 1)), IsOk());
  EXPECT_EQ(bundle.size(), 65537u);
  EXPECT_THAT(parse_entry_bundle(bundle, 1), IsOk());

  EXPECT_THAT(format_entry_bundle({}), HasCode(ErrorCode::kTileBadBundle));
  EXPECT_THAT(format_entry_bundle(std::vector<Bytes>(257)), HasCode(ErrorCode::kTileBadBundle));
  EXPECT_THAT(format_entry_bundle(std::vector<Bytes>(256)), IsOk());
  Bytes too_many(2 * 257, 0);  // 257 empty entries
  EXPECT_THAT(parse_entry_bundle(too_many), HasCode(ErrorCode::kTileBadBundle));
  EXPECT_THAT(parse_entry_bundle(ByteView(too_many.data(), 2 * 256)), IsOk());
  EXPECT_THAT(parse_entry_bundle({}), HasCode(ErrorCode::kTileBadBundle));
}

RC_GTEST_PROP(TileProperty, EntryBundlesRoundTripAndTruncationFails, ()) {
  const auto entries = *rc::gen::resize(
      40, rc::gen::nonEmpty(rc::gen::container<std::vector<Bytes>>(rc::gen::arbitrary<Bytes>())));
  RC_PRE(entries.size() <= kTileWidth);
  auto b = format_entry_bundle(entries);
  RC_ASSERT(b.has_value());
  auto back = parse_entry_bundle(*b, entries.size());
  RC_ASSERT(back.has_value());
  RC_ASSERT(*back == entries);
  const auto cut = *rc::gen::inRange<std::size_t>(0, b->size());
  RC_ASSERT(!parse_entry_bundle(ByteView(b->data(), cut), entries.size()));
}

}  // namespace
}  // namespace verun::proofs
