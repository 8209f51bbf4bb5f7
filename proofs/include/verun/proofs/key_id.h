// key_id: how verun names an Ed25519 public key (DESIGN.md §3): the lowercase
// hex SHA-256 of the key's 32 raw bytes. It is the DSSE keyid of every verun
// envelope and the registration's subject digest. Stateless, thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "verun/proofs/bytes.h"
#include "verun/proofs/crypto/ed25519.h"

namespace verun::proofs {

// The raw SHA-256 of the 32 public-key bytes.
Hash32 key_id_digest(const Ed25519PublicKey& public_key);
// The key_id: 64 lowercase hex characters.
std::string key_id(const Ed25519PublicKey& public_key);
// Whether text has the shape of a key_id (64 lowercase hex characters).
bool is_key_id(std::string_view text);

}  // namespace verun::proofs
