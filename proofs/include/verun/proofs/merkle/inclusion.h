// RFC 9162 §2.1.3 inclusion proofs: verification (strict: the proof length
// must be exactly what (index, size) implies) and generation from a
// HashSource. Stateless and thread-safe.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "verun/proofs/bytes.h"
#include "verun/proofs/merkle/hash_source.h"
#include "verun/result.h"

namespace verun::proofs {

// Recomputes the root from a leaf hash and its audit path (RFC 9162
// §2.1.3.2). Errors: proof.index_out_of_range (index >= size),
// proof.bad_length (wrong number of hashes).
Result<Hash32> root_from_inclusion_proof(const Hash32& leaf_hash, std::uint64_t index, std::uint64_t size,
                                         std::span<const Hash32> proof);

// As above, then compares with root: proof.root_mismatch on difference.
Result<void> verify_inclusion(const Hash32& leaf_hash, std::uint64_t index, std::uint64_t size,
                              std::span<const Hash32> proof, const Hash32& root);

// The audit path of leaf `index` in the tree of `size` leaves, from nodes
// fetched from source in one batch (see proof_plan.h). Errors:
// proof.index_out_of_range, proof.missing_hash.
Result<std::vector<Hash32>> prove_inclusion(const HashSource& source, std::uint64_t index, std::uint64_t size);

}  // namespace verun::proofs
