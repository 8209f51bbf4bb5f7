// CompactRange: roots equal the RFC's recursive MTH, the visitor reports
// exactly the perfect subtrees, and a resumed range continues identically.
#include <bit>

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "naive_tree.h"
#include "tests/support/matchers.h"
#include "verun/proofs/merkle/compact_range.h"
#include "verun/proofs/merkle/memory_hash_store.h"

namespace verun::proofs {
namespace {

using testing::make_leaf_hashes;
using testing::naive_mth;
using verun::testing::HasCode;

TEST(CompactRange, EmptyAndSmallTrees) {
  CompactRange r;
  EXPECT_EQ(r.size(), 0u);
  EXPECT_EQ(r.root(), empty_root());
  const std::vector<Hash32> leaves = make_leaf_hashes(300);
  for (std::size_t i = 0; i < leaves.size(); ++i) {
    r.append(leaves[i]);
    ASSERT_EQ(r.size(), i + 1);
    ASSERT_EQ(r.root(), naive_mth(std::span(leaves).first(i + 1))) << i + 1;
    ASSERT_EQ(r.right_edge().size(), static_cast<std::size_t>(std::popcount(i + 1)));
  }
}

TEST(CompactRange, VisitorReportsLeafThenCompletedParentsInOrder) {
  CompactRange r;
  std::vector<NodeId> seen;
  const auto visit = [&](NodeId id, const Hash32&) { seen.push_back(id); };
  const std::vector<Hash32> leaves = make_leaf_hashes(4);
  for (const Hash32& h : leaves) r.append(h, visit);
  const std::vector<NodeId> want = {{0, 0}, {0, 1}, {1, 0}, {0, 2}, {0, 3}, {1, 1}, {2, 0}};
  EXPECT_EQ(seen, want);
}

TEST(CompactRange, MakeChecksTheHashCount) {
  const Hash32 h = leaf_hash(to_bytes("x"));
  EXPECT_THAT(CompactRange::make(3, {h}), HasCode(ErrorCode::kProofBadLength));
  EXPECT_THAT(CompactRange::make(3, {h, h, h}), HasCode(ErrorCode::kProofBadLength));
  EXPECT_THAT(CompactRange::make(0, {h}), HasCode(ErrorCode::kProofBadLength));
  auto r = CompactRange::make(0, {});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->root(), empty_root());
}

RC_GTEST_PROP(MerkleProperty, AppenderRootEqualsRecursiveMth, ()) {
  const auto n = *rc::gen::inRange<std::uint64_t>(0, 10001);
  const auto cut = *rc::gen::inRange<std::uint64_t>(0, n + 1);
  const std::vector<Hash32> leaves = make_leaf_hashes(n);

  CompactRange r;
  MemoryHashStore fed;
  std::uint64_t visited = 0;
  const auto visit = [&](NodeId id, const Hash32& h) {
    ++visited;
    RC_ASSERT(fed.put(id, h).has_value());
  };
  for (std::uint64_t i = 0; i < cut; ++i) r.append(leaves[i], visit);
  RC_ASSERT(r.root() == naive_mth(std::span(leaves).first(cut)));

  // Resume from the size and right edge, as a log does after a restart.
  auto resumed = CompactRange::make(cut, std::vector<Hash32>(r.right_edge().begin(), r.right_edge().end()));
  RC_ASSERT(resumed.has_value());
  for (std::uint64_t i = cut; i < n; ++i) resumed->append(leaves[i], visit);
  RC_ASSERT(resumed->size() == n);
  RC_ASSERT(resumed->root() == naive_mth(leaves));
  // Every perfect subtree was reported exactly once: 2n - popcount(n).
  RC_ASSERT(visited == 2 * n - static_cast<std::uint64_t>(std::popcount(n)));
  RC_ASSERT(*tree_hash(fed, n) == resumed->root());

  MemoryHashStore direct;
  for (const Hash32& h : leaves) direct.append_leaf(h);
  RC_ASSERT(*tree_hash(direct, n) == resumed->root());
  if (n > 0) {
    const auto at = *rc::gen::inRange<std::uint64_t>(1, n + 1);
    RC_ASSERT(*tree_hash(fed, at) == naive_mth(std::span(leaves).first(at)));
  }
}

RC_GTEST_PROP(MerkleProperty, RangeNodesCoverTheRangeContiguously, ()) {
  const auto begin = *rc::gen::arbitrary<std::uint64_t>();
  const auto end = *rc::gen::arbitrary<std::uint64_t>();
  std::uint64_t at = begin;
  for (const NodeId& n : range_nodes(begin, end)) {
    RC_ASSERT(n.level < 64u);
    RC_ASSERT(n.begin() == at);
    at += std::uint64_t{1} << n.level;  // may wrap only at the very end
  }
  if (begin < end) RC_ASSERT(at == end);
}

}  // namespace
}  // namespace verun::proofs
