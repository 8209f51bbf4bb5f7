// Where proof generation reads node hashes from: a HashSource answers, in one
// batch, the hashes of perfect subtrees of an RFC 9162 §2.1 tree. Also the
// tree head of any size computed from such a source (RFC 9162 §2.1.1 MTH).
// Implementations say their own thread-safety; the free functions are
// stateless.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "verun/proofs/bytes.h"
#include "verun/result.h"

namespace verun::proofs {

// A perfect subtree: level L, index N covers leaves [N * 2^L, (N+1) * 2^L).
// Level 0 nodes are leaf hashes.
struct NodeId {
  std::uint32_t level = 0;
  std::uint64_t index = 0;

  friend bool operator==(const NodeId&, const NodeId&) = default;
  // First leaf and one past the last leaf under the node.
  std::uint64_t begin() const { return index << level; }
  std::uint64_t end() const { return (index + 1) << level; }
};

// The storage-facing interface. A tile-backed store answers a whole batch
// with one read per tile it touches, so callers plan every NodeId first and
// fetch once.
class HashSource {
 public:
  virtual ~HashSource() = default;
  // Fills out[i] with the hash of ids[i]; ids.size() == out.size().
  // Errors: proof.missing_hash when a node is not stored; on error the
  // contents of out are unspecified.
  virtual Result<void> get_hashes(std::span<const NodeId> ids, std::span<Hash32> out) const = 0;
};

// The perfect subtrees that exactly cover leaves [begin, end), left to right
// (the compact range of transparency-dev/merkle). Empty when begin >= end.
std::vector<NodeId> range_nodes(std::uint64_t begin, std::uint64_t end);

// Folds the hashes of range_nodes(begin, end) from the right into the hash
// of the (possibly imperfect) subtree they form. Precondition: non-empty.
Hash32 fold_range(std::span<const Hash32> hashes);

// MTH of the first `size` leaves (RFC 9162 §2.1.1): empty_root() for 0, else
// fetched as range_nodes(0, size) in one batch and folded.
Result<Hash32> tree_hash(const HashSource& source, std::uint64_t size);

}  // namespace verun::proofs
