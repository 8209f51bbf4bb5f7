// key_id = lowercase hex SHA-256 of the 32 raw Ed25519 public-key bytes
// (DESIGN.md §3).
#include "verun/proofs/key_id.h"

#include "verun/proofs/hex.h"
#include "verun/proofs/sha2.h"

namespace verun::proofs {

Hash32 key_id_digest(const Ed25519PublicKey& public_key) { return sha256(ByteView(public_key)); }

std::string key_id(const Ed25519PublicKey& public_key) { return hex_encode(key_id_digest(public_key)); }

bool is_key_id(std::string_view text) {
  if (text.size() != 64) return false;
  for (char c : text)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

}  // namespace verun::proofs
