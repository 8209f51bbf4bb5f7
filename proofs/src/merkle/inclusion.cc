// RFC 9162 §2.1.3.2 inclusion proof verification, strict about the length.
#include "verun/proofs/merkle/inclusion.h"

#include <string>

#include "proof_math.h"
#include "verun/proofs/hex.h"
#include "verun/proofs/merkle/proof_plan.h"

namespace verun::proofs {

Result<Hash32> root_from_inclusion_proof(const Hash32& leaf_hash, std::uint64_t index, std::uint64_t size,
                                         std::span<const Hash32> proof) {
  if (index >= size) {
    return Error(ErrorCode::kProofIndexOutOfRange,
                 "leaf index " + std::to_string(index) + " is not below tree size " + std::to_string(size));
  }
  const detail::PathShape shape = detail::inclusion_shape(index, size);
  const std::size_t want = std::size_t{shape.inner} + shape.border;
  if (proof.size() != want) {
    return Error(ErrorCode::kProofBadLength, "inclusion proof for index " + std::to_string(index) + " in size " +
                                                 std::to_string(size) + " has " + std::to_string(proof.size()) +
                                                 " hashes, want " + std::to_string(want));
  }
  Hash32 r = detail::chain_inner(leaf_hash, proof.first(shape.inner), index);
  return detail::chain_border_right(r, proof.subspan(shape.inner));
}

Result<void> verify_inclusion(const Hash32& leaf_hash, std::uint64_t index, std::uint64_t size,
                              std::span<const Hash32> proof, const Hash32& root) {
  VERUN_ASSIGN_OR_RETURN(const Hash32 got, root_from_inclusion_proof(leaf_hash, index, size, proof));
  if (got != root) {
    return Error(ErrorCode::kProofRootMismatch, "inclusion proof for index " + std::to_string(index) + " in size " +
                                                    std::to_string(size) + " gives root " + hex_encode(got) +
                                                    ", want " + hex_encode(root));
  }
  return ok();
}

}  // namespace verun::proofs

namespace verun::proofs {

Result<std::vector<Hash32>> prove_inclusion(const HashSource& source, std::uint64_t index, std::uint64_t size) {
  VERUN_ASSIGN_OR_RETURN(const ProofPlan plan, plan_inclusion(index, size));
  return fetch_proof(source, plan);
}

}  // namespace verun::proofs
