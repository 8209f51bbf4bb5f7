// SqliteStore: round trips, tiles equal to a MemoryHashStore's across tile
// boundaries, proofs from stored tiles, reopen, migration, newer-version
// refusal, conflicts, registrations, blobs, and fault injection proving that
// a failed append writes nothing.
#include "store/sqlite/sqlite_store.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>
#include <sqlite3.h>

#include <string>
#include <vector>

#include "tests/log/log_testing.h"
#include "tests/support/matchers.h"
#include "tests/support/temp_dir.h"
#include "verun/proofs/merkle/consistency.h"
#include "verun/proofs/merkle/inclusion.h"
#include "verun/proofs/merkle/memory_hash_store.h"
#include "verun/proofs/sha2.h"

namespace verun::log {
namespace {

using proofs::Bytes;
using proofs::CompactRange;
using proofs::Hash32;
using testing::entry_bytes;
using testing::log_signer;
using testing::make_batch;
using verun::testing::HasCode;
using verun::testing::IsOk;
using verun::testing::TempDir;

std::unique_ptr<SqliteStore> open_store(const TempDir& dir, SqliteStoreOptions o = {}) {
  auto s = SqliteStore::open(dir.path() / "log.db", std::move(o));
  EXPECT_THAT(s, IsOk());
  return s ? std::move(*s) : nullptr;
}

// A store and the same leaves in memory, grown together.
struct Twin {
  std::unique_ptr<SqliteStore> store;
  proofs::MemoryHashStore memory;
  CompactRange range;
  std::vector<Bytes> entries;
  proofs::NoteSigner signer = log_signer();

  void grow(std::uint64_t n, std::size_t entry_size = 0) {
    std::vector<Bytes> batch;
    for (std::uint64_t i = 0; i < n; ++i) {
      batch.push_back(entry_bytes(entries.size() + i, entry_size));
    }
    AppendBatch b = make_batch(range, batch, signer);
    ASSERT_OK(store->append(b));
    for (auto& e : batch) {
      memory.append_leaf(proofs::leaf_hash(e));
      entries.push_back(std::move(e));
    }
  }

  // Every hash tile and entry bundle of size `size` (<= the stored size),
  // read from the store, equals the in-memory one.
  void expect_tiles_at(std::uint64_t size) const {
    for (const proofs::Tile& t : proofs::hash_tiles_for_size(size)) {
      auto want = proofs::read_hash_tile(memory, t);
      ASSERT_OK(want);
      auto got = store->read_hash_tile(t.level, t.index, t.width);
      ASSERT_OK(got);
      EXPECT_EQ(*got, *want) << proofs::format_tile_path(t) << " at size " << size;
    }
    for (const proofs::Tile& t : proofs::entry_bundles_for_size(size)) {
      std::vector<Bytes> in(entries.begin() + static_cast<std::ptrdiff_t>(t.index * 256),
                            entries.begin() + static_cast<std::ptrdiff_t>(t.index * 256 + t.width));
      auto got = store->read_entry_bundle(t.index, t.width);
      ASSERT_OK(got);
      EXPECT_EQ(*got, *proofs::format_entry_bundle(in)) << proofs::format_tile_path(t);
    }
  }
};

TEST(SqliteStore, EmptyStoreHasEmptyTreeAndNoCheckpoint) {
  TempDir dir;
  auto store = open_store(dir);
  auto st = store->read_state();
  ASSERT_OK(st);
  EXPECT_EQ(st->size, 0u);
  EXPECT_EQ(st->root, proofs::empty_root());
  EXPECT_TRUE(st->right_edge.empty());
  EXPECT_TRUE(st->checkpoint.empty());
  EXPECT_EQ(store->schema_version(), 2);
  EXPECT_THAT(store->read_entry(0), HasCode(ErrorCode::kNotFound));
  EXPECT_THAT(store->read_hash_tile(0, 0, 1), HasCode(ErrorCode::kNotFound));
  EXPECT_THAT(store->read_entry_bundle(0, 1), HasCode(ErrorCode::kNotFound));
  EXPECT_THAT(store->read_checkpoint(0), HasCode(ErrorCode::kNotFound));
}

TEST(SqliteStore, EntriesRoundTripAndAreFoundByLeafHash) {
  TempDir dir;
  Twin t{open_store(dir)};
  t.grow(3);
  t.grow(300);  // crosses the first bundle boundary mid-batch
  t.grow(1);
  for (std::uint64_t i = 0; i < t.entries.size(); ++i) {
    auto e = t.store->read_entry(i);
    ASSERT_OK(e);
    EXPECT_EQ(*e, t.entries[i]) << i;
    auto found = t.store->find_leaf(proofs::leaf_hash(t.entries[i]));
    ASSERT_OK(found);
    ASSERT_TRUE(found->has_value());
    EXPECT_EQ(**found, i);
  }
  EXPECT_THAT(t.store->read_entry(t.entries.size()), HasCode(ErrorCode::kNotFound));
  const std::vector<Hash32> probe = {proofs::leaf_hash(t.entries[300]), proofs::leaf_hash(entry_bytes(999999)),
                                     proofs::leaf_hash(t.entries[2])};
  auto many = t.store->find_leaves(probe);
  ASSERT_OK(many);
  ASSERT_EQ(many->size(), 3u);
  EXPECT_EQ((*many)[0], std::optional<std::uint64_t>(300));
  EXPECT_EQ((*many)[1], std::nullopt);
  EXPECT_EQ((*many)[2], std::optional<std::uint64_t>(2));
  auto missing = t.store->find_leaf(proofs::leaf_hash(entry_bytes(999999)));
  ASSERT_OK(missing);
  EXPECT_FALSE(missing->has_value());
  auto st = t.store->read_state();
  ASSERT_OK(st);
  EXPECT_EQ(st->size, 304u);
  EXPECT_EQ(st->root, t.range.root());
  EXPECT_EQ(st->right_edge, std::vector<Hash32>(t.range.right_edge().begin(), t.range.right_edge().end()));
}

TEST(SqliteStore, TilesEqualMemoryStoreAcrossTileBoundaries) {
  TempDir dir;
  Twin t{open_store(dir)};
  std::vector<std::uint64_t> seen;
  // Sizes 1, 255, 256, 257, 511, 512, 513, 1000, then past a level-1 tile boundary.
  for (std::uint64_t target : {1ull, 255ull, 256ull, 257ull, 511ull, 512ull, 513ull, 1000ull}) {
    t.grow(target - t.entries.size());
    t.expect_tiles_at(target);
    seen.push_back(target);
  }
  // Tiles of earlier sizes (partial widths) are prefixes of today's tiles.
  for (std::uint64_t s : seen) t.expect_tiles_at(s);
  t.expect_tiles_at(0);
}

TEST(SqliteStore, TilesEqualMemoryStoreAtLevelTwo) {
  // 65,536 + 3 leaves: full level-0 and level-1 tiles, a level-2 tile.
  TempDir dir;
  Twin t{open_store(dir)};
  while (t.entries.size() < 65536 + 3) {
    t.grow(std::min<std::uint64_t>(4093, 65536 + 3 - t.entries.size()), 16);
  }
  t.expect_tiles_at(65536 + 3);
  // Leaf lookups on both sides of the leaf_recent -> leaf_index merge.
  for (std::uint64_t i : {0ull, 4092ull, 65535ull, 65536ull, 65538ull}) {
    auto found = t.store->find_leaf(proofs::leaf_hash(t.entries[i]));
    ASSERT_OK(found);
    ASSERT_TRUE(found->has_value()) << i;
    EXPECT_EQ(**found, i);
  }
  t.expect_tiles_at(65536);
  t.expect_tiles_at(65535);
  auto tile = t.store->read_hash_tile(2, 0, 1);
  ASSERT_OK(tile);
  EXPECT_THAT(t.store->read_hash_tile(2, 0, 2), HasCode(ErrorCode::kNotFound));
  EXPECT_THAT(t.store->read_hash_tile(1, 1, 1), HasCode(ErrorCode::kNotFound));
}

// The tile cache: a tile that does not exist yet is not cached as missing,
// cached partial and upper tiles stay right as the tree grows, and a store
// without caches reads the same bytes.
TEST(SqliteStore, TileCacheNeverServesStaleOrMissingTiles) {
  TempDir dir, plain_dir;
  Twin t{open_store(dir)};
  SqliteStoreOptions no_cache;
  no_cache.tile_cache_tiles = 0;
  no_cache.level0_cache_tiles = 0;
  Twin plain{open_store(plain_dir, no_cache)};
  t.grow(300);
  plain.grow(300);
  EXPECT_THAT(t.store->read_hash_tile(0, 1, 45), HasCode(ErrorCode::kNotFound));
  EXPECT_THAT(t.store->read_hash_tile(1, 0, 2), HasCode(ErrorCode::kNotFound));
  auto partial = t.store->read_hash_tile(0, 1, 44);
  ASSERT_OK(partial);
  t.grow(300);
  plain.grow(300);
  EXPECT_OK(t.store->read_hash_tile(0, 1, 45));
  EXPECT_OK(t.store->read_hash_tile(1, 0, 2));
  EXPECT_EQ(*t.store->read_hash_tile(0, 1, 44), *partial);
  for (std::uint64_t size : {300ull, 512ull, 600ull}) {
    t.expect_tiles_at(size);
    for (const proofs::Tile& tile : proofs::hash_tiles_for_size(size)) {
      EXPECT_EQ(*t.store->read_hash_tile(tile.level, tile.index, tile.width),
                *plain.store->read_hash_tile(tile.level, tile.index, tile.width));
    }
  }
}

TEST(SqliteStore, ProofsFromStoredTilesVerifyAgainstStoredCheckpoints) {
  TempDir dir;
  Twin t{open_store(dir)};
  std::vector<std::pair<std::uint64_t, Hash32>> roots;
  for (std::uint64_t n : {1ull, 6ull, 250ull, 300ull, 1ull, 700ull}) {
    t.grow(n);
    roots.emplace_back(t.range.size(), t.range.root());
  }
  auto verifier = t.signer.verifier();
  for (const auto& [size, root] : roots) {
    auto text = t.store->read_checkpoint(size);
    ASSERT_OK(text);
    auto cp = proofs::open_checkpoint(*text, verifier);
    ASSERT_OK(cp);
    EXPECT_EQ(cp->checkpoint.size, size);
    EXPECT_EQ(cp->checkpoint.root, root);
    for (std::uint64_t i : {std::uint64_t{0}, size / 2, size - 1}) {
      auto proof = proofs::prove_inclusion(t.store->hash_source(), i, size);
      ASSERT_OK(proof);
      EXPECT_OK(proofs::verify_inclusion(proofs::leaf_hash(t.entries[i]), i, size, *proof, cp->checkpoint.root));
      // Negative: the proof does not hold for a leaf hash with one bit flipped.
      Hash32 flipped = proofs::leaf_hash(t.entries[i]);
      flipped[31] ^= 1;
      EXPECT_THAT(proofs::verify_inclusion(flipped, i, size, *proof, cp->checkpoint.root),
                  HasCode(ErrorCode::kProofRootMismatch));
    }
  }
  for (std::size_t a = 0; a < roots.size(); ++a) {
    for (std::size_t b = a; b < roots.size(); ++b) {
      auto proof = proofs::prove_consistency(t.store->hash_source(), roots[a].first, roots[b].first);
      ASSERT_OK(proof);
      EXPECT_OK(proofs::verify_consistency(roots[a].first, roots[b].first, *proof, roots[a].second, roots[b].second));
    }
  }
  auto sizes = t.store->checkpoint_sizes();
  ASSERT_OK(sizes);
  EXPECT_EQ(sizes->size(), roots.size());
  // A proof for a size beyond the stored tree cannot be built.
  EXPECT_THAT(proofs::prove_inclusion(t.store->hash_source(), 0, t.range.size() + 1),
              HasCode(ErrorCode::kProofMissingHash));
}

TEST(SqliteStore, ReopenGivesTheSameState) {
  TempDir dir;
  TreeState before;
  std::vector<Bytes> entries;
  {
    Twin t{open_store(dir)};
    t.grow(300);
    t.grow(7);
    before = *t.store->read_state();
    entries = t.entries;
  }
  auto store = open_store(dir);
  auto after = store->read_state();
  ASSERT_OK(after);
  EXPECT_EQ(after->size, before.size);
  EXPECT_EQ(after->root, before.root);
  EXPECT_EQ(after->right_edge, before.right_edge);
  EXPECT_EQ(after->checkpoint, before.checkpoint);
  EXPECT_EQ(*store->read_entry(301), entries[301]);
  EXPECT_EQ(*store->read_entry(5), entries[5]);
}

TEST(SqliteStore, AppendOnAStaleSizeIsAConflict) {
  TempDir dir;
  Twin t{open_store(dir)};
  t.grow(5);
  CompactRange stale;
  AppendBatch b = make_batch(stale, {entry_bytes(100)}, t.signer);
  EXPECT_THAT(t.store->append(b), HasCode(ErrorCode::kLogStoreConflict));
  EXPECT_EQ(t.store->read_state()->size, 5u);
}

TEST(SqliteStore, RejectsOversizeEntriesAndBadRightEdge) {
  TempDir dir;
  Twin t{open_store(dir)};
  CompactRange r;
  AppendBatch big = make_batch(r, {Bytes(65536, 1)}, t.signer);
  EXPECT_THAT(t.store->append(big), HasCode(ErrorCode::kLogEntryTooLarge));
  CompactRange r2;
  AppendBatch bad = make_batch(r2, {entry_bytes(1), entry_bytes(2)}, t.signer);
  bad.right_edge.push_back(Hash32{});
  EXPECT_THAT(t.store->append(bad), HasCode(ErrorCode::kInvalidArgument));
  EXPECT_EQ(t.store->read_state()->size, 0u);
}

TEST(SqliteStore, RegistrationsAreIndexedAndUnique) {
  TempDir dir;
  Twin t{open_store(dir)};
  t.grow(2);
  AppendBatch b = make_batch(t.range, {entry_bytes(10), entry_bytes(11)}, t.signer);
  b.entries[1].key_id = "runner-key-1";
  ASSERT_OK(t.store->append(b));
  auto idx = t.store->find_registration("runner-key-1");
  ASSERT_OK(idx);
  ASSERT_TRUE(idx->has_value());
  EXPECT_EQ(**idx, 3u);
  EXPECT_FALSE(t.store->find_registration("runner-key-2")->has_value());

  CompactRange r = t.range;
  AppendBatch again = make_batch(r, {entry_bytes(12)}, t.signer);
  again.entries[0].key_id = "runner-key-1";
  EXPECT_THAT(t.store->append(again), HasCode(ErrorCode::kLogKeyAlreadyRegistered));
  EXPECT_EQ(t.store->read_state()->size, 4u);
  EXPECT_THAT(t.store->read_entry(4), HasCode(ErrorCode::kNotFound));
}

TEST(SqliteStore, BlobsAreContentAddressed) {
  TempDir dir;
  Twin t{open_store(dir)};
  const Bytes vcek = proofs::to_bytes("collateral: a VCEK certificate");
  auto digest = t.store->put_blob(vcek);
  ASSERT_OK(digest);
  EXPECT_EQ(*digest, proofs::sha256(vcek));
  EXPECT_OK(t.store->put_blob(vcek));  // idempotent
  EXPECT_EQ(*t.store->read_blob(*digest), vcek);
  Hash32 other = *digest;
  other[0] ^= 1;
  EXPECT_THAT(t.store->read_blob(other), HasCode(ErrorCode::kNotFound));

  AppendBatch b = make_batch(t.range, {entry_bytes(1)}, t.signer);
  b.blobs.push_back(proofs::to_bytes("crl"));
  ASSERT_OK(t.store->append(b));
  EXPECT_EQ(*t.store->read_blob(proofs::sha256(proofs::to_bytes("crl"))), proofs::to_bytes("crl"));
}

TEST(SqliteStore, LeafPrefixCollisionsAreResolvedAgainstTheEntry) {
  TempDir dir;
  const auto path = dir.path() / "log.db";
  Twin t{open_store(dir)};
  t.grow(10);
  const Hash32 target = proofs::leaf_hash(t.entries[7]);
  const Hash32 absent = proofs::leaf_hash(entry_bytes(5555));
  {
    // Plant colliding prefixes: entry 2 under entry 7's prefix, and entry 3
    // under the prefix of a leaf that is not in the log.
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    auto prefix = [](const Hash32& h) { return static_cast<sqlite3_int64>(proofs::read_u64_be(proofs::ByteView(h).first(8))); };
    const std::string sql = "INSERT INTO leaf_recent VALUES (" + std::to_string(prefix(target)) + ", 2), (" +
                            std::to_string(prefix(absent)) + ", 3)";
    ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);
  }
  auto found = t.store->find_leaf(target);
  ASSERT_OK(found);
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ(**found, 7u);
  auto none = t.store->find_leaf(absent);
  ASSERT_OK(none);
  EXPECT_FALSE(none->has_value());
}

TEST(SqliteStore, MigratesFromVersionOne) {
  TempDir dir;
  std::vector<Bytes> entries;
  TreeState before;
  {
    SqliteStoreOptions v1;
    v1.schema_version = 1;
    Twin t{open_store(dir, v1)};
    ASSERT_EQ(t.store->schema_version(), 1);
    t.grow(260);
    // Version 1 has no registrations table.
    CompactRange r = t.range;
    AppendBatch reg = make_batch(r, {entry_bytes(1000)}, t.signer);
    reg.entries[0].key_id = "k";
    EXPECT_THAT(t.store->append(reg), HasCode(ErrorCode::kLogStoreError));
    entries = t.entries;
    before = *t.store->read_state();
  }
  Twin t{open_store(dir)};
  EXPECT_EQ(t.store->schema_version(), 2);
  auto st = t.store->read_state();
  ASSERT_OK(st);
  EXPECT_EQ(st->size, before.size);
  EXPECT_EQ(st->root, before.root);
  EXPECT_EQ(*t.store->read_entry(259), entries[259]);
  t.range = *CompactRange::make(st->size, st->right_edge);
  AppendBatch reg = make_batch(t.range, {entry_bytes(1000)}, t.signer);
  reg.entries[0].key_id = "k";
  EXPECT_OK(t.store->append(reg));
  EXPECT_EQ(**t.store->find_registration("k"), 260u);
}

TEST(SqliteStore, RefusesANewerSchemaVersionAndLeavesItUntouched) {
  TempDir dir;
  const auto path = dir.path() / "log.db";
  { open_store(dir); }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "PRAGMA user_version = 3", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  EXPECT_THAT(SqliteStore::open(path), HasCode(ErrorCode::kLogStoreTooNew));
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* s = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &s, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(s), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int(s, 0), 3);
  sqlite3_finalize(s);
  sqlite3_close(db);
}

TEST(SqliteStore, RejectsOutOfRangeTileRequests) {
  TempDir dir;
  auto store = open_store(dir);
  EXPECT_THAT(store->read_hash_tile(0, 0, 0), HasCode(ErrorCode::kInvalidArgument));
  EXPECT_THAT(store->read_hash_tile(0, 0, 257), HasCode(ErrorCode::kInvalidArgument));
  EXPECT_THAT(store->read_hash_tile(64, 0, 1), HasCode(ErrorCode::kInvalidArgument));
  EXPECT_THAT(store->read_entry_bundle(0, 0), HasCode(ErrorCode::kInvalidArgument));
}

// Any sequence of batch sizes: tiles, bundles, entries and the root read
// back from the store equal those of a MemoryHashStore with the same leaves,
// and a reopened store resumes at the same right edge.
RC_GTEST_PROP(SqliteStoreProperty, RandomBatchesMatchMemoryStore, ()) {
  const auto sizes = *rc::gen::container<std::vector<int>>(rc::gen::inRange(0, 300));
  TempDir dir;
  Twin t{open_store(dir)};
  for (int n : sizes) {
    if (t.entries.size() > 1500) break;
    t.grow(static_cast<std::uint64_t>(n), 5);
  }
  t.expect_tiles_at(t.entries.size());
  const auto st = t.store->read_state();
  RC_ASSERT(st.has_value());
  RC_ASSERT(st->size == t.entries.size());
  RC_ASSERT(st->root == t.range.root());
  t.store.reset();
  auto again = SqliteStore::open(dir.path() / "log.db");
  RC_ASSERT(again.has_value());
  RC_ASSERT((*again)->read_state()->right_edge == st->right_edge);
  if (!t.entries.empty()) {
    const std::uint64_t i = *rc::gen::inRange<std::uint64_t>(0, t.entries.size());
    RC_ASSERT(*(*again)->read_entry(i) == t.entries[i]);
  }
}

// A failure at any step of append() leaves no trace: state, entries, leaf
// index, tiles, checkpoints, registrations and blobs are as before.
class SqliteStoreFault : public ::testing::TestWithParam<const char*> {};

TEST_P(SqliteStoreFault, FailedAppendWritesNothing) {
  TempDir dir;
  std::string fail_at;
  SqliteStoreOptions o;
  o.fault_injection = [&](std::string_view step) -> Result<void> {
    if (step == fail_at) return Error(ErrorCode::kIoError, "injected failure at " + std::string(step));
    return ok();
  };
  Twin t{open_store(dir, o)};
  t.grow(250);
  const TreeState before = *t.store->read_state();
  const auto tiles_before = *t.store->read_hash_tile(0, 0, 250);

  fail_at = GetParam();
  CompactRange r = t.range;
  std::vector<Bytes> more;
  for (int i = 0; i < 70000 / 256 + 300; ++i) more.push_back(entry_bytes(250 + i, 8));  // completes bundles and a level-1 node
  AppendBatch b = make_batch(r, more, t.signer);
  b.entries[3].key_id = "fault-key";
  b.blobs.push_back(proofs::to_bytes("fault-blob"));
  EXPECT_THAT(t.store->append(b), HasCode(ErrorCode::kIoError));

  const TreeState after = *t.store->read_state();
  EXPECT_EQ(after.size, before.size);
  EXPECT_EQ(after.root, before.root);
  EXPECT_EQ(after.right_edge, before.right_edge);
  EXPECT_EQ(after.checkpoint, before.checkpoint);
  EXPECT_THAT(t.store->read_entry(250), HasCode(ErrorCode::kNotFound));
  EXPECT_THAT(t.store->read_entry_bundle(0, 256), HasCode(ErrorCode::kNotFound));
  EXPECT_EQ(*t.store->read_hash_tile(0, 0, 250), tiles_before);
  EXPECT_THAT(t.store->read_hash_tile(0, 0, 251), HasCode(ErrorCode::kNotFound));
  EXPECT_THAT(t.store->read_hash_tile(1, 0, 1), HasCode(ErrorCode::kNotFound));
  EXPECT_FALSE(t.store->find_leaf(b.entries[0].leaf_hash)->has_value());
  EXPECT_FALSE(t.store->find_registration("fault-key")->has_value());
  EXPECT_THAT(t.store->read_blob(proofs::sha256(proofs::to_bytes("fault-blob"))), HasCode(ErrorCode::kNotFound));
  EXPECT_THAT(t.store->read_checkpoint(r.size()), HasCode(ErrorCode::kNotFound));

  // The same batch goes through once the fault is gone.
  fail_at.clear();
  ASSERT_OK(t.store->append(b));
  EXPECT_EQ(t.store->read_state()->size, r.size());
  EXPECT_EQ(**t.store->find_registration("fault-key"), 253u);
}

INSTANTIATE_TEST_SUITE_P(EveryStep, SqliteStoreFault,
                         ::testing::Values("entries", "tiles", "blobs", "checkpoint", "state", "commit"));

}  // namespace
}  // namespace verun::log
