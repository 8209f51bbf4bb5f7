// Private helpers shared by inclusion and consistency proofs: the split of an
// audit path into its inner part (below the point where the paths to the leaf
// and to the last leaf diverge) and its right-border part (RFC 9162 §2.1.3,
// as decomposed by transparency-dev/merkle). Pure functions, thread-safe.
#pragma once

#include <bit>
#include <cstdint>
#include <span>

#include "verun/proofs/bytes.h"
#include "verun/proofs/merkle/hasher.h"

namespace verun::proofs::detail {

struct PathShape {
  unsigned inner = 0;   // hashes of siblings below the divergence level
  unsigned border = 0;  // hashes of left-side perfect subtrees above it
};

// Shape of the audit path for leaf `index` in a tree of `size` leaves.
// Precondition: index < size.
inline PathShape inclusion_shape(std::uint64_t index, std::uint64_t size) {
  PathShape s;
  s.inner = static_cast<unsigned>(std::bit_width(index ^ (size - 1)));
  // inner is 64 when index and size - 1 differ in the top bit; shifting by
  // 64 is undefined, and no bits remain above it anyway.
  s.border = s.inner >= 64 ? 0u : static_cast<unsigned>(std::popcount(index >> s.inner));
  return s;
}

// Hashes seed up through the inner path: bit i of index tells whether the
// running hash is the right (1) or left (0) child at level i.
inline Hash32 chain_inner(Hash32 seed, std::span<const Hash32> path, std::uint64_t index) {
  for (std::size_t i = 0; i < path.size(); ++i) {
    if ((index >> i) & 1) {
      seed = node_hash(path[i], seed);
    } else {
      seed = node_hash(seed, path[i]);
    }
  }
  return seed;
}

// As chain_inner, but only the levels where the running hash is a right
// child: reconstructs the root of the smaller tree in a consistency proof.
inline Hash32 chain_inner_right(Hash32 seed, std::span<const Hash32> path, std::uint64_t index) {
  for (std::size_t i = 0; i < path.size(); ++i) {
    if ((index >> i) & 1) seed = node_hash(path[i], seed);
  }
  return seed;
}

// Folds left-side border hashes: every one is a left sibling.
inline Hash32 chain_border_right(Hash32 seed, std::span<const Hash32> path) {
  for (const Hash32& h : path) seed = node_hash(h, seed);
  return seed;
}

}  // namespace verun::proofs::detail
