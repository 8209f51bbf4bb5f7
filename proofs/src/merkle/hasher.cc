// RFC 9162 §2.1.1 hashing. Each thread keeps one SHA-256 context (the core
// Sha256 wrapper over EVP), so hashing a leaf or a node allocates nothing:
// the context is reset by finish() and reused.
#include "verun/proofs/merkle/hasher.h"

#include <algorithm>
#include <cstring>

#include "verun/proofs/sha2.h"

namespace verun::proofs {
namespace {

constexpr std::uint8_t kLeafPrefix = 0x00;
constexpr std::uint8_t kNodePrefix = 0x01;

Sha256& thread_hasher() {
  thread_local Sha256 h;
  return h;
}

}  // namespace

Hash32 leaf_hash(ByteView data) {
  // The prefix and the first 63 data bytes go in as one 64-byte block, so a
  // short leaf is a single update and a long one continues block-aligned.
  std::uint8_t head[64];
  head[0] = kLeafPrefix;
  const std::size_t n = std::min<std::size_t>(data.size(), sizeof head - 1);
  if (n > 0) std::memcpy(head + 1, data.data(), n);
  Sha256& h = thread_hasher();
  h.update(ByteView(head, n + 1));
  if (data.size() > n) h.update(data.subspan(n));
  return h.finish();
}

Hash32 node_hash(const Hash32& left, const Hash32& right) {
  std::uint8_t buf[1 + 32 + 32];
  buf[0] = kNodePrefix;
  std::memcpy(buf + 1, left.data(), 32);
  std::memcpy(buf + 33, right.data(), 32);
  Sha256& h = thread_hasher();
  h.update(ByteView(buf, sizeof buf));
  return h.finish();
}

Hash32 empty_root() {
  static const Hash32 kEmpty = sha256(ByteView{});
  return kEmpty;
}

}  // namespace verun::proofs
