// Which node hashes an RFC 9162 §2.1.3 inclusion proof or §2.1.4
// consistency proof consists of: a pure function of (index, size) or
// (size1, size2), so a store can fetch them in one batch. The node layout
// follows transparency-dev/merkle's proof package. Stateless, thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "verun/proofs/merkle/hash_source.h"

namespace verun::proofs {

// ids in proof order (leaf to root), except that ids[ephemeral_begin,
// ephemeral_end) form one proof element together: the right-edge subtree
// that is not perfect, whose hash is fold_range() of those nodes' hashes.
// The proof therefore has ids.size() - (ephemeral_end - ephemeral_begin) +
// (ephemeral_end > ephemeral_begin ? 1 : 0) hashes.
struct ProofPlan {
  std::vector<NodeId> ids;
  std::size_t ephemeral_begin = 0;
  std::size_t ephemeral_end = 0;

  std::size_t proof_length() const {
    const std::size_t eph = ephemeral_end - ephemeral_begin;
    return ids.size() - eph + (eph > 0 ? 1 : 0);
  }
};

// The audit path of leaf `index` in a tree of `size` leaves.
// Errors: proof.index_out_of_range (index >= size).
Result<ProofPlan> plan_inclusion(std::uint64_t index, std::uint64_t size);

// The consistency proof between sizes size1 <= size2 (empty when equal).
// Errors: proof.bad_size (size1 > size2, or size1 == 0 < size2).
Result<ProofPlan> plan_consistency(std::uint64_t size1, std::uint64_t size2);

// Fetches a plan's nodes from source in one batch and assembles the proof.
Result<std::vector<Hash32>> fetch_proof(const HashSource& source, const ProofPlan& plan);

}  // namespace verun::proofs
