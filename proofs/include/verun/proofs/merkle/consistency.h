// RFC 9162 §2.1.4 consistency proofs between two tree sizes: verification
// (strict: the proof length must be exactly what the sizes imply) and
// generation from a HashSource. Stateless and thread-safe.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "verun/proofs/bytes.h"
#include "verun/proofs/merkle/hash_source.h"
#include "verun/result.h"

namespace verun::proofs {

// Checks that the tree of size2 with root2 extends the tree of size1 with
// root1 (RFC 9162 §2.1.4.2). size1 == size2 needs an empty proof and equal
// roots. size1 == 0 < size2 is rejected: a proof from the empty tree says
// nothing (as x/mod CheckTree and the shared vectors have it).
// Errors: proof.bad_size (size1 > size2, or size1 == 0 < size2),
// proof.bad_length (wrong number of hashes), proof.root_mismatch (root1 or
// root2 does not match what the proof yields).
Result<void> verify_consistency(std::uint64_t size1, std::uint64_t size2, std::span<const Hash32> proof,
                                const Hash32& root1, const Hash32& root2);

// Verifies the proof against root1 and returns the size2 root it implies
// (for a client that extends a trusted root). Errors as verify_consistency.
Result<Hash32> root_from_consistency_proof(std::uint64_t size1, std::uint64_t size2, std::span<const Hash32> proof,
                                           const Hash32& root1);

// The consistency proof from size1 to size2, from nodes fetched from source
// in one batch (see proof_plan.h). Errors: proof.bad_size,
// proof.missing_hash.
Result<std::vector<Hash32>> prove_consistency(const HashSource& source, std::uint64_t size1, std::uint64_t size2);

}  // namespace verun::proofs
