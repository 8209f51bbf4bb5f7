// Compact ranges and the tree head from a HashSource (RFC 9162 §2.1.1: the
// MTH of n leaves splits at the largest power of two below n, so the root of
// [0, n) folds the perfect subtrees of its binary decomposition from the
// right).
#include "verun/proofs/merkle/hash_source.h"

#include <algorithm>
#include <bit>

#include "verun/proofs/merkle/hasher.h"

namespace verun::proofs {

std::vector<NodeId> range_nodes(std::uint64_t begin, std::uint64_t end) {
  std::vector<NodeId> out;
  while (begin < end) {
    // The largest node aligned at begin that does not pass end.
    const unsigned align = begin == 0 ? 63u : static_cast<unsigned>(std::countr_zero(begin));
    const unsigned fit = static_cast<unsigned>(std::bit_width(end - begin)) - 1;
    const unsigned level = std::min(align, fit);
    out.push_back(NodeId{level, begin >> level});
    begin += std::uint64_t{1} << level;
  }
  return out;
}

Hash32 fold_range(std::span<const Hash32> hashes) {
  Hash32 r = hashes.back();
  for (std::size_t i = hashes.size() - 1; i-- > 0;) r = node_hash(hashes[i], r);
  return r;
}

Result<Hash32> tree_hash(const HashSource& source, std::uint64_t size) {
  if (size == 0) return empty_root();
  const std::vector<NodeId> ids = range_nodes(0, size);
  std::vector<Hash32> hashes(ids.size());
  VERUN_TRY(source.get_hashes(ids, hashes));
  return fold_range(hashes);
}

}  // namespace verun::proofs
