// RFC 9162 §2.1.1 Merkle tree hashing with SHA-256: leaf hash
// SHA-256(0x00 || data), interior node SHA-256(0x01 || left || right), and
// the empty tree's root SHA-256(""). Stateless and thread-safe.
#pragma once

#include "verun/proofs/bytes.h"

namespace verun::proofs {

Hash32 leaf_hash(ByteView data);
Hash32 node_hash(const Hash32& left, const Hash32& right);
Hash32 empty_root();

}  // namespace verun::proofs
