// Test-only reference: RFC 9162 §2.1.1 MTH, §2.1.3.1 PATH and §2.1.4.1
// PROOF written as the RFC's recursive definitions, over leaf hashes, to
// check the fast code against. Quadratic-ish; keep trees small.
#pragma once

#include <bit>
#include <cstdint>
#include <span>
#include <vector>

#include "verun/proofs/merkle/hasher.h"

namespace verun::proofs::testing {

// The largest power of two smaller than n (n > 1).
inline std::uint64_t split_point(std::uint64_t n) { return std::bit_floor(n - 1); }

inline Hash32 naive_mth(std::span<const Hash32> leaves) {
  if (leaves.empty()) return empty_root();
  if (leaves.size() == 1) return leaves[0];
  const std::uint64_t k = split_point(leaves.size());
  return node_hash(naive_mth(leaves.first(k)), naive_mth(leaves.subspan(k)));
}

inline std::vector<Hash32> naive_path(std::uint64_t m, std::span<const Hash32> leaves) {
  if (leaves.size() <= 1) return {};
  const std::uint64_t k = split_point(leaves.size());
  std::vector<Hash32> out;
  if (m < k) {
    out = naive_path(m, leaves.first(k));
    out.push_back(naive_mth(leaves.subspan(k)));
  } else {
    out = naive_path(m - k, leaves.subspan(k));
    out.push_back(naive_mth(leaves.first(k)));
  }
  return out;
}

inline std::vector<Hash32> naive_subproof(std::uint64_t m, std::span<const Hash32> leaves, bool b) {
  const std::uint64_t n = leaves.size();
  if (m == n) {
    if (b) return {};
    return {naive_mth(leaves)};
  }
  const std::uint64_t k = split_point(n);
  std::vector<Hash32> out;
  if (m <= k) {
    out = naive_subproof(m, leaves.first(k), b);
    out.push_back(naive_mth(leaves.subspan(k)));
  } else {
    out = naive_subproof(m - k, leaves.subspan(k), false);
    out.push_back(naive_mth(leaves.first(k)));
  }
  return out;
}

// PROOF(m, D[n]) for 0 < m < n.
inline std::vector<Hash32> naive_consistency(std::uint64_t m, std::span<const Hash32> leaves) {
  return naive_subproof(m, leaves, true);
}

// Leaf hashes of n distinct leaves ("leaf <i>").
inline std::vector<Hash32> make_leaf_hashes(std::uint64_t n) {
  std::vector<Hash32> out;
  out.reserve(n);
  for (std::uint64_t i = 0; i < n; ++i) {
    const std::string s = "leaf " + std::to_string(i);
    out.push_back(leaf_hash(ByteView(reinterpret_cast<const std::uint8_t*>(s.data()), s.size())));
  }
  return out;
}

}  // namespace verun::proofs::testing
