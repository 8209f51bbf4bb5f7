// The SQLite schema of the log's store, versioned through PRAGMA
// user_version, with one migration per version step. Layout and its costs:
// docs/decisions/0005-log-storage-layout.md. Stateless; run under the
// writer connection only.
#pragma once

#include "store/sqlite/connection.h"

namespace verun::log::sqlite {

// The version this program writes. History:
//   1: state, checkpoints, bundles, tail, tiles, leaf_index, leaf_recent
//   2: registrations (key_id -> index) and blobs (collateral by SHA-256)
inline constexpr int kSchemaVersion = 2;

// Brings the database from its user_version up to `target` (<= kSchemaVersion),
// one transaction per step. Errors: log.store_too_new when the database's
// version is above kSchemaVersion (it is left untouched), log.store_error.
// Returns the version the database is now at.
Result<int> migrate(Connection& c, int target = kSchemaVersion);

}  // namespace verun::log::sqlite
