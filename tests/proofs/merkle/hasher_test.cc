// RFC 9162 §2.1.1 hashing: known answers for the leaf, node and empty hashes.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "verun/proofs/hex.h"
#include "verun/proofs/merkle/hasher.h"
#include "verun/proofs/sha2.h"

namespace verun::proofs {
namespace {

TEST(MerkleHasher, EmptyRootIsSha256OfNothing) {
  EXPECT_EQ(hex_encode(empty_root()), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(MerkleHasher, LeafHashPrefixesZeroByte) {
  // RFC 6962 test tree: the hash of the empty leaf.
  EXPECT_EQ(hex_encode(leaf_hash(ByteView{})), "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d");
  const Bytes data = to_bytes("hello");
  Bytes prefixed{0x00};
  append(prefixed, data);
  EXPECT_EQ(leaf_hash(data), sha256(prefixed));
  EXPECT_NE(leaf_hash(data), sha256(data));
}

TEST(MerkleHasher, NodeHashPrefixesOneByteAndOrders) {
  const Hash32 a = leaf_hash(to_bytes("a"));
  const Hash32 b = leaf_hash(to_bytes("b"));
  Bytes buf{0x01};
  append(buf, a);
  append(buf, b);
  EXPECT_EQ(node_hash(a, b), sha256(buf));
  EXPECT_NE(node_hash(a, b), node_hash(b, a));
}

TEST(MerkleHasher, LargeLeafMatchesOneShot) {
  Bytes data(1 << 20, 0xab);
  Bytes prefixed{0x00};
  append(prefixed, data);
  EXPECT_EQ(leaf_hash(data), sha256(prefixed));
  EXPECT_EQ(leaf_hash(data), leaf_hash(data));  // the thread's context resets
}

// Around the 63-byte head block and beyond: always SHA-256(0x00 || data).
RC_GTEST_PROP(MerkleHasherProperty, LeafHashIsSha256OfPrefixedData, ()) {
  const auto len = *rc::gen::oneOf(rc::gen::inRange<std::size_t>(0, 200), rc::gen::inRange<std::size_t>(0, 5000));
  const auto data = *rc::gen::container<Bytes>(len, rc::gen::arbitrary<std::uint8_t>());
  Bytes prefixed{0x00};
  append(prefixed, data);
  RC_ASSERT(leaf_hash(data) == sha256(prefixed));
}

}  // namespace
}  // namespace verun::proofs
