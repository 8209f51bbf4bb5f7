// Inclusion and consistency proofs (RFC 9162 §2.1.3, §2.1.4): known roots of
// the RFC 6962 test tree, generation against the RFC's recursive
// definitions, and the transparency-dev mutation list (flipped bits, index
// and size changes, truncation, extension) as unit tests and properties.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "naive_tree.h"
#include "tests/support/matchers.h"
#include "verun/proofs/hex.h"
#include "verun/proofs/merkle/consistency.h"
#include "verun/proofs/merkle/inclusion.h"
#include "verun/proofs/merkle/memory_hash_store.h"
#include "verun/proofs/merkle/proof_plan.h"

namespace verun::proofs {
namespace {

using testing::make_leaf_hashes;
using testing::naive_consistency;
using testing::naive_mth;
using testing::naive_path;
using verun::testing::HasCode;
using verun::testing::IsOk;

// The RFC 6962 test tree's leaves (as in certificate-transparency and
// transparency-dev/merkle) and its roots at sizes 1..8.
std::vector<Hash32> rfc6962_leaves() {
  const char* data[] = {"", "00", "10", "2021", "3031", "40414243", "5051525354555657",
                        "606162636465666768696a6b6c6d6e6f"};
  std::vector<Hash32> out;
  for (const char* d : data) out.push_back(leaf_hash(*hex_decode(d)));
  return out;
}

const char* const kRfc6962Roots[] = {
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
};

MemoryHashStore store_of(const std::vector<Hash32>& leaves) {
  MemoryHashStore s;
  s.reserve(leaves.size());
  for (const Hash32& h : leaves) s.append_leaf(h);
  return s;
}

Hash32 flip(Hash32 h, unsigned bit) {
  h[bit / 8] ^= static_cast<std::uint8_t>(1u << (bit % 8));
  return h;
}

TEST(MerkleTreeHash, KnownRootsOfTheRfc6962TestTree) {
  const std::vector<Hash32> leaves = rfc6962_leaves();
  const MemoryHashStore store = store_of(leaves);
  for (std::uint64_t n = 1; n <= 8; ++n) {
    SCOPED_TRACE(n);
    EXPECT_EQ(hex_encode(*tree_hash(store, n)), kRfc6962Roots[n - 1]);
    EXPECT_EQ(hex_encode(naive_mth(std::span(leaves).first(n))), kRfc6962Roots[n - 1]);
  }
  EXPECT_EQ(*tree_hash(store, 0), empty_root());
  EXPECT_THAT(tree_hash(store, 9), HasCode(ErrorCode::kProofMissingHash));
}

TEST(InclusionVerify, EveryLeafOfEverySmallTree) {
  const std::vector<Hash32> leaves = make_leaf_hashes(70);
  const MemoryHashStore store = store_of(leaves);
  for (std::uint64_t size = 1; size <= leaves.size(); ++size) {
    const Hash32 root = naive_mth(std::span(leaves).first(size));
    for (std::uint64_t i = 0; i < size; ++i) {
      auto proof = prove_inclusion(store, i, size);
      ASSERT_OK(proof);
      ASSERT_EQ(*proof, naive_path(i, std::span(leaves).first(size))) << i << " of " << size;
      ASSERT_OK(verify_inclusion(leaves[i], i, size, *proof, root));
    }
  }
}

TEST(InclusionVerify, RejectsEveryFlippedBit) {
  const std::vector<Hash32> leaves = make_leaf_hashes(1000);
  const MemoryHashStore store = store_of(leaves);
  const Hash32 root = *tree_hash(store, 1000);
  for (std::uint64_t index : {0ull, 1ull, 511ull, 998ull, 999ull}) {
    std::vector<Hash32> proof = *prove_inclusion(store, index, 1000);
    ASSERT_OK(verify_inclusion(leaves[index], index, 1000, proof, root));
    for (std::size_t e = 0; e < proof.size(); ++e) {
      for (unsigned bit = 0; bit < 256; ++bit) {
        std::vector<Hash32> bad = proof;
        bad[e] = flip(bad[e], bit);
        ASSERT_THAT(verify_inclusion(leaves[index], index, 1000, bad, root), HasCode(ErrorCode::kProofRootMismatch));
      }
    }
    for (unsigned bit = 0; bit < 256; ++bit) {
      ASSERT_THAT(verify_inclusion(flip(leaves[index], bit), index, 1000, proof, root),
                  HasCode(ErrorCode::kProofRootMismatch));
      ASSERT_THAT(verify_inclusion(leaves[index], index, 1000, proof, flip(root, bit)),
                  HasCode(ErrorCode::kProofRootMismatch));
    }
  }
}

TEST(InclusionVerify, RejectsWrongLengthIndexAndSize) {
  const std::vector<Hash32> leaves = make_leaf_hashes(13);
  const MemoryHashStore store = store_of(leaves);
  const Hash32 root = *tree_hash(store, 13);
  const std::vector<Hash32> proof = *prove_inclusion(store, 5, 13);
  ASSERT_OK(verify_inclusion(leaves[5], 5, 13, proof, root));

  std::vector<Hash32> longer = proof;
  longer.push_back(root);
  EXPECT_THAT(verify_inclusion(leaves[5], 5, 13, longer, root), HasCode(ErrorCode::kProofBadLength));
  std::vector<Hash32> prepended = proof;
  prepended.insert(prepended.begin(), leaves[0]);
  EXPECT_THAT(verify_inclusion(leaves[5], 5, 13, prepended, root), HasCode(ErrorCode::kProofBadLength));
  EXPECT_THAT(verify_inclusion(leaves[5], 5, 13, std::span(proof).first(proof.size() - 1), root),
              HasCode(ErrorCode::kProofBadLength));
  EXPECT_THAT(verify_inclusion(leaves[5], 5, 13, {}, root), HasCode(ErrorCode::kProofBadLength));

  EXPECT_FALSE(verify_inclusion(leaves[5], 4, 13, proof, root));
  EXPECT_FALSE(verify_inclusion(leaves[5], 6, 13, proof, root));
  EXPECT_FALSE(verify_inclusion(leaves[5], 5 ^ 2, 13, proof, root));
  EXPECT_FALSE(verify_inclusion(leaves[5], 5, 26, proof, root));
  EXPECT_FALSE(verify_inclusion(leaves[5], 5, 6, proof, root));
  EXPECT_THAT(verify_inclusion(leaves[5], 13, 13, proof, root), HasCode(ErrorCode::kProofIndexOutOfRange));
  EXPECT_THAT(verify_inclusion(leaves[5], 5, 0, proof, root), HasCode(ErrorCode::kProofIndexOutOfRange));
  EXPECT_THAT(verify_inclusion(leaves[5], ~0ull, 13, proof, root), HasCode(ErrorCode::kProofIndexOutOfRange));
  // Swapping two proof elements changes the root.
  std::vector<Hash32> swapped = proof;
  std::swap(swapped[0], swapped[1]);
  EXPECT_THAT(verify_inclusion(leaves[5], 5, 13, swapped, root), HasCode(ErrorCode::kProofRootMismatch));
}

TEST(InclusionVerify, SingleLeafTreeNeedsEmptyProofAndLeafAsRoot) {
  const Hash32 leaf = leaf_hash(to_bytes("only"));
  EXPECT_OK(verify_inclusion(leaf, 0, 1, {}, leaf));
  EXPECT_THAT(root_from_inclusion_proof(leaf, 0, 1, {}), IsOk());
  EXPECT_THAT(verify_inclusion(leaf, 0, 1, {}, empty_root()), HasCode(ErrorCode::kProofRootMismatch));
  std::vector<Hash32> one{leaf};
  EXPECT_THAT(verify_inclusion(leaf, 0, 1, one, leaf), HasCode(ErrorCode::kProofBadLength));
}

TEST(InclusionVerify, HugeSizesDoNotOverflow) {
  const Hash32 leaf = leaf_hash(to_bytes("x"));
  std::vector<Hash32> proof(64, leaf);
  // 2^64 - 1 leaves: the last leaf's path has 64 hashes... minus the
  // levels where it has no sibling; the length check must not crash.
  for (std::uint64_t index : {0ull, ~0ull - 1, (1ull << 63)}) {
    auto r = root_from_inclusion_proof(leaf, index, ~0ull, proof);
    EXPECT_TRUE(r.has_value() || r.code() == ErrorCode::kProofBadLength);
  }
}

TEST(InclusionProve, MissingHashesAndBadIndexAreErrors) {
  const MemoryHashStore store = store_of(make_leaf_hashes(10));
  EXPECT_THAT(prove_inclusion(store, 3, 20), HasCode(ErrorCode::kProofMissingHash));
  EXPECT_THAT(prove_inclusion(store, 10, 10), HasCode(ErrorCode::kProofIndexOutOfRange));
  EXPECT_THAT(plan_inclusion(0, 0), HasCode(ErrorCode::kProofIndexOutOfRange));
}

TEST(ConsistencyVerify, EveryPairOfSmallSizesMatchesTheRfc) {
  const std::vector<Hash32> leaves = make_leaf_hashes(40);
  const MemoryHashStore store = store_of(leaves);
  for (std::uint64_t size2 = 1; size2 <= leaves.size(); ++size2) {
    const Hash32 root2 = naive_mth(std::span(leaves).first(size2));
    for (std::uint64_t size1 = 1; size1 <= size2; ++size1) {
      const Hash32 root1 = naive_mth(std::span(leaves).first(size1));
      auto proof = prove_consistency(store, size1, size2);
      ASSERT_OK(proof);
      if (size1 < size2) {
        ASSERT_EQ(*proof, naive_consistency(size1, std::span(leaves).first(size2))) << size1 << " -> " << size2;
      } else {
        ASSERT_TRUE(proof->empty());
      }
      ASSERT_OK(verify_consistency(size1, size2, *proof, root1, root2)) << size1 << " -> " << size2;
      auto got2 = root_from_consistency_proof(size1, size2, *proof, root1);
      ASSERT_OK(got2);
      ASSERT_EQ(*got2, root2);
    }
  }
}

TEST(ConsistencyVerify, RejectsEveryFlippedBitAndBadShapes) {
  const std::vector<Hash32> leaves = make_leaf_hashes(1000);
  const MemoryHashStore store = store_of(leaves);
  const Hash32 root2 = *tree_hash(store, 1000);
  for (std::uint64_t size1 : {1ull, 3ull, 256ull, 257ull, 999ull}) {
    SCOPED_TRACE(size1);
    const Hash32 root1 = *tree_hash(store, size1);
    const std::vector<Hash32> proof = *prove_consistency(store, size1, 1000);
    ASSERT_OK(verify_consistency(size1, 1000, proof, root1, root2));
    for (std::size_t e = 0; e < proof.size(); ++e) {
      for (unsigned bit = 0; bit < 256; ++bit) {
        std::vector<Hash32> bad = proof;
        bad[e] = flip(bad[e], bit);
        ASSERT_THAT(verify_consistency(size1, 1000, bad, root1, root2), HasCode(ErrorCode::kProofRootMismatch));
      }
    }
    for (unsigned bit = 0; bit < 256; ++bit) {
      ASSERT_THAT(verify_consistency(size1, 1000, proof, flip(root1, bit), root2),
                  HasCode(ErrorCode::kProofRootMismatch));
      ASSERT_THAT(verify_consistency(size1, 1000, proof, root1, flip(root2, bit)),
                  HasCode(ErrorCode::kProofRootMismatch));
    }
    std::vector<Hash32> longer = proof;
    longer.push_back(root2);
    EXPECT_THAT(verify_consistency(size1, 1000, longer, root1, root2), HasCode(ErrorCode::kProofBadLength));
    EXPECT_THAT(verify_consistency(size1, 1000, std::span(proof).first(proof.size() - 1), root1, root2),
                HasCode(ErrorCode::kProofBadLength));
    EXPECT_FALSE(verify_consistency(size1 + 1, 1000, proof, root1, root2));
    EXPECT_FALSE(verify_consistency(size1, 2000, proof, root1, root2));
    // Size mutations as transparency-dev's proofgen makes them (x2, /2): a
    // nearby size2 of the same proof shape gives the same roots, which is why
    // checkpoints sign the size along with the root.
    if (size1 <= 500) {
      EXPECT_FALSE(verify_consistency(size1, 500, proof, root1, root2));
    }
    EXPECT_FALSE(verify_consistency(size1, 1000, proof, root2, root1));
  }
}

TEST(ConsistencyVerify, EqualSizesEmptyTreeAndOrder) {
  const Hash32 a = leaf_hash(to_bytes("a"));
  const Hash32 b = leaf_hash(to_bytes("b"));
  EXPECT_OK(verify_consistency(5, 5, {}, a, a));
  EXPECT_THAT(verify_consistency(5, 5, {}, a, b), HasCode(ErrorCode::kProofRootMismatch));
  std::vector<Hash32> one{a};
  EXPECT_THAT(verify_consistency(5, 5, one, a, a), HasCode(ErrorCode::kProofBadLength));
  EXPECT_OK(verify_consistency(0, 0, {}, empty_root(), empty_root()));
  EXPECT_THAT(verify_consistency(0, 8, {}, empty_root(), b), HasCode(ErrorCode::kProofBadSize));
  EXPECT_THAT(verify_consistency(0, 8, one, empty_root(), b), HasCode(ErrorCode::kProofBadSize));
  EXPECT_THAT(verify_consistency(8, 4, one, a, b), HasCode(ErrorCode::kProofBadSize));
  EXPECT_THAT(verify_consistency(3, 8, {}, a, b), HasCode(ErrorCode::kProofBadLength));
  EXPECT_THAT(plan_consistency(9, 8), HasCode(ErrorCode::kProofBadSize));
  EXPECT_THAT(plan_consistency(0, 8), HasCode(ErrorCode::kProofBadSize));
}

// --- Properties: random trees up to 10,000 leaves ---------------------------

rc::Gen<std::uint64_t> tree_size() { return rc::gen::inRange<std::uint64_t>(1, 10001); }

RC_GTEST_PROP(MerkleProperty, GeneratedInclusionVerifiesAndMutationsFail, ()) {
  const std::uint64_t size = *tree_size();
  const std::uint64_t index = *rc::gen::inRange<std::uint64_t>(0, size);
  const std::vector<Hash32> leaves = make_leaf_hashes(size);
  const MemoryHashStore store = store_of(leaves);
  const Hash32 root = naive_mth(leaves);
  RC_ASSERT(*tree_hash(store, size) == root);
  const std::vector<Hash32> proof = *prove_inclusion(store, index, size);
  RC_ASSERT(proof == naive_path(index, leaves));
  RC_ASSERT(verify_inclusion(leaves[index], index, size, proof, root).has_value());

  const unsigned bit = *rc::gen::inRange(0u, 256u);
  RC_ASSERT(!verify_inclusion(flip(leaves[index], bit), index, size, proof, root));
  RC_ASSERT(!verify_inclusion(leaves[index], index, size, proof, flip(root, bit)));
  if (!proof.empty()) {
    std::vector<Hash32> bad = proof;
    const std::size_t e = *rc::gen::inRange<std::size_t>(0, proof.size());
    bad[e] = flip(bad[e], bit);
    RC_ASSERT(!verify_inclusion(leaves[index], index, size, bad, root));
  }
  std::vector<Hash32> longer = proof;
  longer.push_back(root);
  RC_ASSERT(!verify_inclusion(leaves[index], index, size, longer, root));
  if (index > 0) RC_ASSERT(!verify_inclusion(leaves[index], index - 1, size, proof, root));
  if (index + 1 < size) RC_ASSERT(!verify_inclusion(leaves[index], index + 1, size, proof, root));
  if ((index ^ 2) < size) RC_ASSERT(!verify_inclusion(leaves[index], index ^ 2, size, proof, root));
  RC_ASSERT(!verify_inclusion(leaves[index], index, size * 2, proof, root));
  RC_ASSERT(!verify_inclusion(leaves[index], index, size / 2, proof, root));
  RC_ASSERT(!verify_inclusion(leaves[index], index, index, proof, root));
}

RC_GTEST_PROP(MerkleProperty, GeneratedConsistencyVerifiesAndMutationsFail, ()) {
  const std::uint64_t size2 = *tree_size();
  const std::uint64_t size1 = *rc::gen::inRange<std::uint64_t>(1, size2 + 1);
  const std::vector<Hash32> leaves = make_leaf_hashes(size2);
  const MemoryHashStore store = store_of(leaves);
  const Hash32 root1 = naive_mth(std::span(leaves).first(size1));
  const Hash32 root2 = naive_mth(leaves);
  const std::vector<Hash32> proof = *prove_consistency(store, size1, size2);
  if (size1 < size2) RC_ASSERT(proof == naive_consistency(size1, leaves));
  RC_ASSERT(verify_consistency(size1, size2, proof, root1, root2).has_value());

  const unsigned bit = *rc::gen::inRange(0u, 256u);
  RC_ASSERT(!verify_consistency(size1, size2, proof, flip(root1, bit), root2));
  RC_ASSERT(!verify_consistency(size1, size2, proof, root1, flip(root2, bit)));
  if (!proof.empty()) {
    std::vector<Hash32> bad = proof;
    const std::size_t e = *rc::gen::inRange<std::size_t>(0, proof.size());
    bad[e] = flip(bad[e], bit);
    RC_ASSERT(!verify_consistency(size1, size2, bad, root1, root2));
    RC_ASSERT(!verify_consistency(size1, size2, std::span(proof).first(proof.size() - 1), root1, root2));
  }
  std::vector<Hash32> longer = proof;
  longer.push_back(root2);
  RC_ASSERT(!verify_consistency(size1, size2, longer, root1, root2));
  if (size1 < size2) {
    RC_ASSERT(!verify_consistency(size1, size2 * 2, proof, root1, root2));
    RC_ASSERT(!verify_consistency(size1 + 1, size2, proof, root1, root2));
    if (size1 > 1) RC_ASSERT(!verify_consistency(size1 - 1, size2, proof, root1, root2));
    RC_ASSERT(!verify_consistency(size1, size2, proof, root2, root1));
  }
}

// Any 64-bit sizes and any proof length: a value or a clean error, never
// undefined behaviour (UBSan checks the shifts in the asan preset).
RC_GTEST_PROP(MerkleProperty, VerifiersTakeAnySizesWithoutOverflow, ()) {
  const auto big = rc::gen::oneOf(rc::gen::arbitrary<std::uint64_t>(),
                                  rc::gen::map(rc::gen::inRange(0, 64), [](int b) { return std::uint64_t{1} << b; }),
                                  rc::gen::just(~std::uint64_t{0}));
  const std::uint64_t a = *big;
  const std::uint64_t b = *big;
  const auto len = *rc::gen::inRange<std::size_t>(0, 70);
  const std::vector<Hash32> proof(len, leaf_hash(to_bytes("p")));
  const Hash32 h = leaf_hash(to_bytes("h"));
  const auto r1 = root_from_inclusion_proof(h, a, b, proof);
  RC_ASSERT(r1.has_value() || r1.code() == ErrorCode::kProofBadLength || r1.code() == ErrorCode::kProofIndexOutOfRange);
  const auto r2 = verify_consistency(a, b, proof, h, h);
  RC_ASSERT(r2.has_value() || r2.code() == ErrorCode::kProofBadLength || r2.code() == ErrorCode::kProofBadSize ||
            r2.code() == ErrorCode::kProofRootMismatch);
  if (a < b && a > 0) {
    const auto plan = plan_consistency(a, b);
    RC_ASSERT(plan.has_value());
    RC_ASSERT(plan->proof_length() <= 128u);
  }
  if (a < b) {
    const auto plan = plan_inclusion(a, b);
    RC_ASSERT(plan.has_value());
    // The planned proof has exactly the length the verifier demands.
    const std::vector<Hash32> sized(plan->proof_length(), h);
    RC_ASSERT(root_from_inclusion_proof(h, a, b, sized).has_value());
  }
}

}  // namespace
}  // namespace verun::proofs
