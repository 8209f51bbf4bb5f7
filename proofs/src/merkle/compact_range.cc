// CompactRange: the right-edge perfect subtrees of [0, size), largest first;
// their count is popcount(size) and their levels are size's set bits.
#include "verun/proofs/merkle/compact_range.h"

#include <bit>
#include <string>

#include "verun/proofs/merkle/hasher.h"

namespace verun::proofs {

Result<CompactRange> CompactRange::make(std::uint64_t size, std::vector<Hash32> right_edge) {
  const auto want = static_cast<std::size_t>(std::popcount(size));
  if (right_edge.size() != want) {
    return Error(ErrorCode::kProofBadLength, "compact range of size " + std::to_string(size) + " needs " +
                                                 std::to_string(want) + " hashes, got " +
                                                 std::to_string(right_edge.size()));
  }
  CompactRange r;
  r.size_ = size;
  r.hashes_ = std::move(right_edge);
  return r;
}

void CompactRange::append(const Hash32& leaf_hash, const NodeVisitor& visit) {
  std::uint64_t index = size_;
  Hash32 h = leaf_hash;
  if (visit) visit(NodeId{0, index}, h);
  // Each trailing one bit of the old size is a left sibling that the new
  // node completes.
  for (std::uint32_t level = 1; index & 1; ++level) {
    h = node_hash(hashes_.back(), h);
    hashes_.pop_back();
    index >>= 1;
    if (visit) visit(NodeId{level, index}, h);
  }
  hashes_.push_back(h);
  ++size_;
}

Hash32 CompactRange::root() const {
  if (hashes_.empty()) return empty_root();
  return fold_range(hashes_);
}

}  // namespace verun::proofs
