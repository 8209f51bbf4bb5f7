#include "store/sqlite/schema.h"

#include <string>

#include "verun/proofs/merkle/hasher.h"

namespace verun::log::sqlite {
namespace {

// Version 1: the tree.
//  state        one row: size, root, right edge (popcount(size) hashes), the
//               latest signed checkpoint; read on open in O(1).
//  checkpoints  every signed checkpoint by tree size.
//  bundles      full C2SP entry bundles (256 entries), the entries' only copy.
//  tail         entries of the right-edge partial bundle, one row each (at
//               most 255 rows); moved into a bundle when it fills.
//  tiles        C2SP hash tiles of tile level >= 1, one row per tile, id =
//               level << 56 | index; rewritten as the right-edge tile grows.
//               Level-0 tiles are recomputed from the entries.
//  leaf_index   first 8 bytes of each leaf hash -> index, verified against
//               the entry on lookup (prefixes may collide). Two levels:
//               leaf_recent takes the entries since the last multiple of
//               65,536 (a small b-tree, so a batch touches few pages) and is
//               merged, in key order, into leaf_index when the tree crosses
//               the next multiple; lookups probe both.
Result<void> to_v1(Connection& c) {
  VERUN_TRY(c.exec(
      "CREATE TABLE state(id INTEGER PRIMARY KEY CHECK (id = 0), size INTEGER NOT NULL,"
      " root BLOB NOT NULL, right_edge BLOB NOT NULL, checkpoint TEXT NOT NULL);"
      "CREATE TABLE checkpoints(size INTEGER PRIMARY KEY, note TEXT NOT NULL);"
      "CREATE TABLE bundles(idx INTEGER PRIMARY KEY, data BLOB NOT NULL);"
      "CREATE TABLE tail(idx INTEGER PRIMARY KEY, data BLOB NOT NULL);"
      "CREATE TABLE tiles(id INTEGER PRIMARY KEY, data BLOB NOT NULL);"
      "CREATE TABLE leaf_index(prefix INTEGER NOT NULL, idx INTEGER NOT NULL,"
      " PRIMARY KEY (prefix, idx)) WITHOUT ROWID;"
      "CREATE TABLE leaf_recent(prefix INTEGER NOT NULL, idx INTEGER NOT NULL,"
      " PRIMARY KEY (prefix, idx)) WITHOUT ROWID;"));
  VERUN_ASSIGN_OR_RETURN(Statement * s, c.prepare("INSERT INTO state VALUES (0, 0, ?1, ?2, '')"));
  StatementScope scope(*s);
  const proofs::Hash32 empty = proofs::empty_root();
  s->bind(1, proofs::ByteView(empty)).bind(2, proofs::ByteView());
  return s->run();
}

// Version 2: registrations and collateral.
Result<void> to_v2(Connection& c) {
  return c.exec(
      "CREATE TABLE registrations(key_id TEXT PRIMARY KEY, idx INTEGER NOT NULL) WITHOUT ROWID;"
      "CREATE TABLE blobs(sha256 BLOB PRIMARY KEY, data BLOB NOT NULL);");
}

using Migration = Result<void> (*)(Connection&);
constexpr Migration kMigrations[] = {to_v1, to_v2};
static_assert(std::size(kMigrations) == kSchemaVersion);

}  // namespace

Result<int> migrate(Connection& c, int target) {
  if (target < 1 || target > kSchemaVersion) {
    return Error(ErrorCode::kInvalidArgument, "schema version " + std::to_string(target) + " is not known");
  }
  VERUN_ASSIGN_OR_RETURN(std::int64_t version, c.query_int("PRAGMA user_version"));
  if (version > kSchemaVersion) {
    return Error(ErrorCode::kLogStoreTooNew, "database schema version " + std::to_string(version) +
                                                 " is newer than this program's " +
                                                 std::to_string(kSchemaVersion));
  }
  if (version < 0) return Error(ErrorCode::kLogStoreCorrupt, "negative schema version");
  while (version < target) {
    VERUN_ASSIGN_OR_RETURN(Transaction tx, Transaction::begin(c, /*write=*/true));
    // Re-read inside the write lock: another process may have migrated.
    VERUN_ASSIGN_OR_RETURN(std::int64_t now, c.query_int("PRAGMA user_version"));
    if (now != version) {
      version = now;
      continue;  // tx rolls back
    }
    VERUN_TRY(kMigrations[version](c));
    VERUN_TRY(c.exec("PRAGMA user_version = " + std::to_string(version + 1)));
    VERUN_TRY(tx.commit());
    ++version;
  }
  return static_cast<int>(version);
}

}  // namespace verun::log::sqlite
