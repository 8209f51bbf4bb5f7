// RFC 9162 §2.1.4.2 consistency proof verification, strict about the length,
// in the decomposed form of transparency-dev/merkle's VerifyConsistency.
#include "verun/proofs/merkle/consistency.h"

#include <bit>
#include <string>

#include "proof_math.h"
#include "verun/proofs/hex.h"
#include "verun/proofs/merkle/proof_plan.h"

namespace verun::proofs {
namespace {

struct BothRoots {
  Hash32 root1{};
  Hash32 root2{};
};

// Precondition: 0 < size1 < size2, proof non-empty is checked here.
Result<BothRoots> roots_from_proof(std::uint64_t size1, std::uint64_t size2, std::span<const Hash32> proof,
                                   const Hash32& root1) {
  // The inclusion path of the last leaf of size1, minus the levels covered
  // by the largest perfect subtree ending at size1 (its root is the seed).
  const detail::PathShape shape = detail::inclusion_shape(size1 - 1, size2);
  const unsigned shift = static_cast<unsigned>(std::countr_zero(size1));
  const unsigned inner = shape.inner - shift;
  const bool power_of_two = size1 == (std::uint64_t{1} << shift);
  const std::size_t start = power_of_two ? 0 : 1;
  const std::size_t want = start + inner + shape.border;
  if (proof.size() != want) {
    return Error(ErrorCode::kProofBadLength, "consistency proof from size " + std::to_string(size1) + " to " +
                                                 std::to_string(size2) + " has " + std::to_string(proof.size()) +
                                                 " hashes, want " + std::to_string(want));
  }
  const Hash32 seed = power_of_two ? root1 : proof[0];
  const std::span<const Hash32> rest = proof.subspan(start);
  const std::uint64_t mask = (size1 - 1) >> shift;
  BothRoots r;
  r.root1 = detail::chain_border_right(detail::chain_inner_right(seed, rest.first(inner), mask), rest.subspan(inner));
  r.root2 = detail::chain_border_right(detail::chain_inner(seed, rest.first(inner), mask), rest.subspan(inner));
  return r;
}

Error mismatch(const char* which, std::uint64_t size, const Hash32& got, const Hash32& want) {
  return Error(ErrorCode::kProofRootMismatch, std::string("consistency proof gives ") + which + " " + hex_encode(got) +
                                                  " for size " + std::to_string(size) + ", want " + hex_encode(want));
}

Result<void> check_sizes(std::uint64_t size1, std::uint64_t size2, std::span<const Hash32> proof) {
  if (size1 > size2) {
    return Error(ErrorCode::kProofBadSize,
                 "old size " + std::to_string(size1) + " is above new size " + std::to_string(size2));
  }
  if (size1 == size2) {
    if (!proof.empty()) {
      return Error(ErrorCode::kProofBadLength, "consistency proof between equal sizes " + std::to_string(size1) +
                                                   " has " + std::to_string(proof.size()) + " hashes, want 0");
    }
    return ok();
  }
  if (size1 == 0) {
    return Error(ErrorCode::kProofBadSize, "no consistency proof from the empty tree to size " + std::to_string(size2));
  }
  return ok();
}

}  // namespace

Result<Hash32> root_from_consistency_proof(std::uint64_t size1, std::uint64_t size2, std::span<const Hash32> proof,
                                           const Hash32& root1) {
  VERUN_TRY(check_sizes(size1, size2, proof));
  if (size1 == size2) return root1;
  VERUN_ASSIGN_OR_RETURN(const BothRoots r, roots_from_proof(size1, size2, proof, root1));
  if (r.root1 != root1) return mismatch("root1", size1, r.root1, root1);
  return r.root2;
}

Result<void> verify_consistency(std::uint64_t size1, std::uint64_t size2, std::span<const Hash32> proof,
                                const Hash32& root1, const Hash32& root2) {
  VERUN_ASSIGN_OR_RETURN(const Hash32 got2, root_from_consistency_proof(size1, size2, proof, root1));
  if (got2 != root2) return mismatch("root2", size2, got2, root2);
  return ok();
}

Result<std::vector<Hash32>> prove_consistency(const HashSource& source, std::uint64_t size1, std::uint64_t size2) {
  VERUN_ASSIGN_OR_RETURN(const ProofPlan plan, plan_consistency(size1, size2));
  return fetch_proof(source, plan);
}

}  // namespace verun::proofs
