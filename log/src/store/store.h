// The log's storage interface: what the sequencer and the read paths need,
// and nothing more (no premature abstraction, STYLE.md §3). Hashes follow
// RFC 9162 §2.1; tiles and entry bundles follow C2SP tlog-tiles.
// Implementations (store/sqlite/) MUST make append() atomic and durable
// before it returns. Every method is thread-safe; there is ONE writer (the
// sequencer) and any number of concurrent readers.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "verun/proofs/bytes.h"
#include "verun/proofs/merkle/hash_source.h"
#include "verun/result.h"

namespace verun::log {

// The current tree: everything the sequencer needs to resume, read in O(1)
// whatever the size.
struct TreeState {
  std::uint64_t size = 0;
  proofs::Hash32 root{};                    // MTH at size (empty_root() for 0)
  std::vector<proofs::Hash32> right_edge;   // range_nodes(0, size) hashes, left to right
  std::string checkpoint;                   // latest signed checkpoint note; empty before the first
};

// One entry to append, already admitted.
struct NewEntry {
  proofs::Bytes data;                 // the leaf data (at most 65,535 bytes)
  proofs::Hash32 leaf_hash{};         // leaf_hash(data), computed by the caller
  std::optional<std::string> key_id;  // set for a registration: indexed by key_id
};

// One write transaction: entries old_size.. appended, the tree nodes they
// complete, the new right edge and root, and the checkpoint signed over them.
struct AppendBatch {
  std::uint64_t old_size = 0;  // MUST equal the stored size (else log.store_conflict)
  std::vector<NewEntry> entries;
  // Every node the appends completed at levels 8, 16, ... (the nodes stored
  // in hash tiles of tile level >= 1), in the order CompactRange reports
  // them. Level-0 tiles are not stored: they are recomputed from entries.
  std::vector<std::pair<proofs::NodeId, proofs::Hash32>> tile_nodes;
  std::vector<proofs::Hash32> right_edge;  // after the batch
  proofs::Hash32 root{};                   // after the batch
  std::string checkpoint;                  // signed note for old_size + entries.size()
  std::vector<proofs::Bytes> blobs;        // collateral, stored by SHA-256
};

class Store {
 public:
  virtual ~Store() = default;

  virtual Result<TreeState> read_state() const = 0;

  // Writes the batch in ONE transaction and returns only once it is durable.
  // On any error nothing of the batch is visible. An empty batch (no
  // entries) just records a checkpoint. Errors: log.store_conflict (old_size
  // differs from the stored size), log.key_already_registered,
  // log.store_corrupt (a tile node out of order), log.store_error.
  virtual Result<void> append(const AppendBatch& batch) = 0;

  // Reads. not_found when the item does not exist (yet).
  virtual Result<proofs::Bytes> read_entry(std::uint64_t index) const = 0;
  // The index of the entry with this leaf hash, if any.
  virtual Result<std::optional<std::uint64_t>> find_leaf(const proofs::Hash32& leaf_hash) const = 0;
  // find_leaf for many hashes in one read snapshot (the sequencer's dedup).
  virtual Result<std::vector<std::optional<std::uint64_t>>> find_leaves(
      std::span<const proofs::Hash32> leaf_hashes) const = 0;
  // The index of the registration of key_id, if any.
  virtual Result<std::optional<std::uint64_t>> find_registration(std::string_view key_id) const = 0;
  // The C2SP hash tile (level, index) at `width` hashes (1..256): the first
  // width hashes of the stored tile. not_found when the tree does not yet
  // have width nodes in that tile.
  virtual Result<proofs::Bytes> read_hash_tile(std::uint32_t level, std::uint64_t index,
                                               std::uint32_t width) const = 0;
  // The C2SP entry bundle `index` with its first `width` entries.
  virtual Result<proofs::Bytes> read_entry_bundle(std::uint64_t index, std::uint32_t width) const = 0;
  // The signed checkpoint the log published at tree size `size`.
  virtual Result<std::string> read_checkpoint(std::uint64_t size) const = 0;
  // Every stored checkpoint size, ascending (auditing, tests).
  virtual Result<std::vector<std::uint64_t>> checkpoint_sizes() const = 0;

  // Content-addressed blobs (collateral): put is idempotent.
  virtual Result<proofs::Hash32> put_blob(proofs::ByteView data) = 0;
  virtual Result<proofs::Bytes> read_blob(const proofs::Hash32& sha256) const = 0;

  // Node hashes over the stored tiles, for prove_inclusion and
  // prove_consistency at any size up to the stored one. Valid as long as the
  // store; thread-safe.
  virtual const proofs::HashSource& hash_source() const = 0;
};

}  // namespace verun::log
