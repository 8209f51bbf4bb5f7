// An in-memory HashSource for tests, benchmarks and small logs: every
// perfect-subtree hash, per level, in append order. Feed it from a
// CompactRange's node callback (put) or with append_leaf. Not thread-safe
// for writes; concurrent get_hashes without writers are fine.
#pragma once

#include <cstdint>
#include <vector>

#include "verun/proofs/merkle/hash_source.h"

namespace verun::proofs {

class MemoryHashStore final : public HashSource {
 public:
  MemoryHashStore() = default;

  // Stores the hash of a node. Nodes of a level must arrive in index order
  // (index == number already stored at that level); re-putting a stored
  // node overwrites it. Errors: invalid_argument for a gap.
  Result<void> put(NodeId id, const Hash32& hash);

  // Appends a leaf hash and every node it completes, as CompactRange does.
  void append_leaf(const Hash32& leaf_hash);

  // Number of leaves stored.
  std::uint64_t size() const { return levels_.empty() ? 0 : levels_[0].size(); }
  // Reserves room for n leaves (and their interior nodes).
  void reserve(std::uint64_t n);

  Result<void> get_hashes(std::span<const NodeId> ids, std::span<Hash32> out) const override;

 private:
  std::vector<std::vector<Hash32>> levels_;
};

}  // namespace verun::proofs
