// The log's embedded store on SQLite (DESIGN.md §6, §9): WAL journal with
// synchronous=FULL, so an acknowledged append survives kill -9 and power
// loss; one writer connection, readers on their own pooled connections;
// prepared statements reused; a versioned schema (store/sqlite/schema.h).
// Layout and per-entry cost: docs/decisions/0005-log-storage-layout.md.
// Thread-safe: append()/put_blob() serialize on the writer, reads run in
// parallel on snapshots.
#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <string_view>

#include "store/store.h"

namespace verun::log {

struct SqliteStoreOptions {
  // Create or migrate the schema only up to this version (tests of migration).
  int schema_version = 0;  // 0: the latest
  // Full level-0 hash tiles kept in memory (they are recomputed from entries
  // otherwise; full tiles never change). 0 disables the cache.
  std::size_t level0_cache_tiles = 64;
  // Other hash tiles kept in memory, keyed by (level, index, width): tiles
  // of level >= 1 (the upper levels every proof reads) and partial level-0
  // tiles (the right edge). A tile at a given width never changes, so the
  // cache needs no invalidation. At most 8 KiB each; 0 disables it.
  std::size_t tile_cache_tiles = 4096;
  // Copy the WAL into the database file on a background connection
  // (PASSIVE checkpoints, every checkpoint_interval) instead of inside the
  // commit that crosses wal_autocheckpoint: a commit then never waits for
  // the copy and its database fsync. Durability is unchanged (every commit
  // syncs the WAL). Off: SQLite's auto-checkpoint every 32 MiB.
  bool background_checkpoint = true;
  std::chrono::milliseconds checkpoint_interval{250};
  // Fault injection for tests: called inside append()'s transaction before
  // each step ("entries", "tiles", "blobs", "checkpoint", "state",
  // "commit"); an error aborts the transaction with that error.
  std::function<Result<void>(std::string_view step)> fault_injection;
};

class SqliteStore final : public Store {
 public:
  // Opens or creates the database at path (its -wal and -shm files sit
  // beside it). Never scans: the cost does not depend on the log's size.
  // Errors: log.store_too_new (a newer schema; the file is left untouched),
  // log.store_corrupt, log.store_error.
  static Result<std::unique_ptr<SqliteStore>> open(const std::filesystem::path& path,
                                                   SqliteStoreOptions options = {});
  ~SqliteStore() override;

  int schema_version() const;

  Result<TreeState> read_state() const override;
  Result<void> append(const AppendBatch& batch) override;
  Result<proofs::Bytes> read_entry(std::uint64_t index) const override;
  Result<std::optional<std::uint64_t>> find_leaf(const proofs::Hash32& leaf_hash) const override;
  Result<std::vector<std::optional<std::uint64_t>>> find_leaves(
      std::span<const proofs::Hash32> leaf_hashes) const override;
  Result<std::optional<std::uint64_t>> find_registration(std::string_view key_id) const override;
  Result<proofs::Bytes> read_hash_tile(std::uint32_t level, std::uint64_t index,
                                       std::uint32_t width) const override;
  Result<proofs::Bytes> read_entry_bundle(std::uint64_t index, std::uint32_t width) const override;
  Result<std::string> read_checkpoint(std::uint64_t size) const override;
  Result<std::vector<std::uint64_t>> checkpoint_sizes() const override;
  Result<proofs::Hash32> put_blob(proofs::ByteView data) override;
  Result<proofs::Bytes> read_blob(const proofs::Hash32& sha256) const override;
  const proofs::HashSource& hash_source() const override;

  struct Impl;

 private:
  explicit SqliteStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace verun::log
