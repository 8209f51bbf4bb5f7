// MemoryHashStore and range_nodes: ordered puts, gaps rejected, missing
// nodes reported, batch size checked, and the compact range of [begin, end).
#include <gtest/gtest.h>

#include "naive_tree.h"
#include "tests/support/matchers.h"
#include "verun/proofs/merkle/memory_hash_store.h"

namespace verun::proofs {
namespace {

using testing::make_leaf_hashes;
using verun::testing::HasCode;
using verun::testing::IsOk;

TEST(MemoryHashStore, PutsInOrderAndRejectsGaps) {
  MemoryHashStore s;
  const Hash32 h = leaf_hash(to_bytes("x"));
  EXPECT_THAT(s.put(NodeId{0, 0}, h), IsOk());
  EXPECT_THAT(s.put(NodeId{0, 2}, h), HasCode(ErrorCode::kInvalidArgument));
  EXPECT_THAT(s.put(NodeId{3, 1}, h), HasCode(ErrorCode::kInvalidArgument));
  EXPECT_THAT(s.put(NodeId{64, 0}, h), HasCode(ErrorCode::kInvalidArgument));
  EXPECT_THAT(s.put(NodeId{0, 0}, h), IsOk());  // overwrite
  EXPECT_EQ(s.size(), 1u);
}

TEST(MemoryHashStore, ReportsMissingNodesAndBadBatches) {
  MemoryHashStore s;
  const std::vector<Hash32> leaves = make_leaf_hashes(5);
  for (const Hash32& h : leaves) s.append_leaf(h);
  std::vector<NodeId> ids = {{0, 4}, {2, 0}, {1, 1}};
  std::vector<Hash32> out(3);
  ASSERT_THAT(s.get_hashes(ids, out), IsOk());
  EXPECT_EQ(out[0], leaves[4]);
  EXPECT_EQ(out[2], node_hash(leaves[2], leaves[3]));
  EXPECT_EQ(out[1], node_hash(node_hash(leaves[0], leaves[1]), out[2]));
  for (NodeId missing : {NodeId{0, 5}, NodeId{1, 2}, NodeId{2, 1}, NodeId{3, 0}, NodeId{63, 0}}) {
    std::vector<NodeId> one = {missing};
    std::vector<Hash32> o(1);
    EXPECT_THAT(s.get_hashes(one, o), HasCode(ErrorCode::kProofMissingHash));
  }
  std::vector<Hash32> small(2);
  EXPECT_THAT(s.get_hashes(ids, small), HasCode(ErrorCode::kInvalidArgument));
}

TEST(RangeNodes, DecomposesIntoMaximalAlignedSubtrees) {
  EXPECT_TRUE(range_nodes(5, 5).empty());
  EXPECT_TRUE(range_nodes(6, 5).empty());
  EXPECT_EQ(range_nodes(0, 7), (std::vector<NodeId>{{2, 0}, {1, 2}, {0, 6}}));
  EXPECT_EQ(range_nodes(3, 12), (std::vector<NodeId>{{0, 3}, {2, 1}, {2, 2}}));
  EXPECT_EQ(range_nodes(0, ~0ull).size(), 64u);
}

}  // namespace
}  // namespace verun::proofs
