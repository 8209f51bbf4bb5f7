// Proof node planning (RFC 9162 §2.1.3.1 PATH and §2.1.4.1 SUBPROOF, in the
// node-id form of transparency-dev/merkle's proof package).
#include "verun/proofs/merkle/proof_plan.h"

#include <algorithm>
#include <bit>
#include <string>

#include "verun/proofs/merkle/hasher.h"

namespace verun::proofs {
namespace {

// Proof nodes for the perfect node (level, index) in a tree of `size`
// leaves. Precondition: the node ends at or before size.
ProofPlan plan_node(std::uint32_t level, std::uint64_t index, std::uint64_t size) {
  // The fork is where the path from the root to the node parts from the path
  // to leaf `size` (one past the end): below it every sibling is perfect;
  // the fork's right sibling is the ephemeral node [end, size); above it the
  // path runs along the right edge, so only left siblings remain.
  const unsigned inner = static_cast<unsigned>(std::bit_width(index ^ (size >> level))) - 1;
  const NodeId fork{level + inner, index >> inner};
  const std::uint64_t begin = fork.begin();
  const std::uint64_t end = fork.end();

  ProofPlan plan;
  std::vector<NodeId> right = range_nodes(end, size);
  std::vector<NodeId> left = range_nodes(0, begin);
  plan.ids.reserve(inner + right.size() + left.size());
  for (NodeId n{level, index}; n.level < fork.level; n = NodeId{n.level + 1, n.index >> 1}) {
    plan.ids.push_back(NodeId{n.level, n.index ^ 1});
  }
  plan.ephemeral_begin = plan.ids.size();
  plan.ids.insert(plan.ids.end(), right.begin(), right.end());
  plan.ephemeral_end = plan.ids.size();
  plan.ids.insert(plan.ids.end(), left.rbegin(), left.rend());
  return plan;
}

}  // namespace

Result<ProofPlan> plan_inclusion(std::uint64_t index, std::uint64_t size) {
  if (index >= size) {
    return Error(ErrorCode::kProofIndexOutOfRange,
                 "leaf index " + std::to_string(index) + " is not below tree size " + std::to_string(size));
  }
  return plan_node(0, index, size);
}

Result<ProofPlan> plan_consistency(std::uint64_t size1, std::uint64_t size2) {
  if (size1 > size2) {
    return Error(ErrorCode::kProofBadSize,
                 "old size " + std::to_string(size1) + " is above new size " + std::to_string(size2));
  }
  if (size1 == size2) return ProofPlan{};
  if (size1 == 0) {
    return Error(ErrorCode::kProofBadSize, "no consistency proof from the empty tree to size " + std::to_string(size2));
  }
  // The largest perfect subtree that ends at size1. Its inclusion path in
  // size2 is the proof; the node itself leads unless size1 is a power of
  // two (then the client's root1 is that node).
  const std::uint32_t level = static_cast<std::uint32_t>(std::countr_zero(size1));
  const std::uint64_t index = (size1 - 1) >> level;
  ProofPlan plan = plan_node(level, index, size2);
  if (index != 0) {
    plan.ids.insert(plan.ids.begin(), NodeId{level, index});
    ++plan.ephemeral_begin;
    ++plan.ephemeral_end;
  }
  return plan;
}

Result<std::vector<Hash32>> fetch_proof(const HashSource& source, const ProofPlan& plan) {
  std::vector<Hash32> hashes(plan.ids.size());
  VERUN_TRY(source.get_hashes(plan.ids, hashes));
  if (plan.ephemeral_end == plan.ephemeral_begin) return hashes;
  std::vector<Hash32> proof;
  proof.reserve(plan.proof_length());
  const auto first = hashes.begin();
  proof.insert(proof.end(), first, first + static_cast<std::ptrdiff_t>(plan.ephemeral_begin));
  proof.push_back(fold_range(std::span<const Hash32>(hashes).subspan(
      plan.ephemeral_begin, plan.ephemeral_end - plan.ephemeral_begin)));
  proof.insert(proof.end(), first + static_cast<std::ptrdiff_t>(plan.ephemeral_end), hashes.end());
  return proof;
}

}  // namespace verun::proofs
