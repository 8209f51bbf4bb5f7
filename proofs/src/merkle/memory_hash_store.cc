// MemoryHashStore: one vector of hashes per tree level.
#include "verun/proofs/merkle/memory_hash_store.h"

#include <string>

#include "verun/proofs/merkle/hasher.h"

namespace verun::proofs {

Result<void> MemoryHashStore::put(NodeId id, const Hash32& hash) {
  if (id.level >= 64) {
    return Error(ErrorCode::kInvalidArgument, "node level " + std::to_string(id.level) + " is above 63");
  }
  if (levels_.size() <= id.level) levels_.resize(id.level + 1);
  std::vector<Hash32>& level = levels_[id.level];
  if (id.index < level.size()) {
    level[id.index] = hash;
  } else if (id.index == level.size()) {
    level.push_back(hash);
  } else {
    return Error(ErrorCode::kInvalidArgument, "node " + std::to_string(id.index) + " at level " +
                                                  std::to_string(id.level) + " leaves a gap after " +
                                                  std::to_string(level.size()) + " stored nodes");
  }
  return ok();
}

void MemoryHashStore::append_leaf(const Hash32& leaf_hash) {
  if (levels_.empty()) levels_.resize(1);
  levels_[0].push_back(leaf_hash);
  std::uint64_t index = levels_[0].size() - 1;
  Hash32 h = leaf_hash;
  for (std::size_t level = 0; index & 1; ++level, index >>= 1) {
    h = node_hash(levels_[level][index - 1], h);
    if (levels_.size() <= level + 1) levels_.resize(level + 2);
    levels_[level + 1].push_back(h);
  }
}

void MemoryHashStore::reserve(std::uint64_t n) {
  for (std::size_t level = 0; (n >> level) > 0; ++level) {
    if (levels_.size() <= level) levels_.resize(level + 1);
    levels_[level].reserve(n >> level);
  }
}

Result<void> MemoryHashStore::get_hashes(std::span<const NodeId> ids, std::span<Hash32> out) const {
  if (ids.size() != out.size()) {
    return Error(ErrorCode::kInvalidArgument, "asked for " + std::to_string(ids.size()) + " hashes into room for " +
                                                  std::to_string(out.size()));
  }
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const NodeId id = ids[i];
    if (id.level >= levels_.size() || id.index >= levels_[id.level].size()) {
      return Error(ErrorCode::kProofMissingHash,
                   "no hash stored for node " + std::to_string(id.index) + " at level " + std::to_string(id.level));
    }
    out[i] = levels_[id.level][id.index];
  }
  return ok();
}

}  // namespace verun::proofs
