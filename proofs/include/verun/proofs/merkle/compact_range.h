// An incremental RFC 9162 §2.1 tree appender in O(log n) memory: the compact
// range [0, size) of transparency-dev/merkle's compact package. It reports
// every node each append completes, so a log can store them (in tiles), and
// resumes from a size plus its right-edge hashes. Not thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "verun/proofs/merkle/hash_source.h"

namespace verun::proofs {

class CompactRange {
 public:
  // Called with each node an append completes: the leaf (level 0) first,
  // then each parent it completes, bottom up.
  using NodeVisitor = std::function<void(NodeId, const Hash32&)>;

  // The empty tree.
  CompactRange() = default;

  // Resumes a tree of `size` leaves from the hashes of range_nodes(0, size),
  // left to right (largest subtree first). Errors: proof.bad_length when the
  // count is not popcount(size).
  static Result<CompactRange> make(std::uint64_t size, std::vector<Hash32> right_edge);

  // Appends one leaf hash; visit (may be empty) sees every completed node.
  void append(const Hash32& leaf_hash, const NodeVisitor& visit = {});

  std::uint64_t size() const { return size_; }
  // MTH of the leaves so far (empty_root() for none).
  Hash32 root() const;
  // The right-edge perfect subtree hashes, as make() takes them.
  std::span<const Hash32> right_edge() const { return hashes_; }

 private:
  std::uint64_t size_ = 0;
  std::vector<Hash32> hashes_;
};

}  // namespace verun::proofs
