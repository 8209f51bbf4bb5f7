// The smallest program built against the installed verun package: it signs
// a message with a fresh Ed25519 key, verifies it, and checks that a
// changed message is rejected. Prints "ok" and exits 0 when all holds.
#include <iostream>

#include "verun/proofs/crypto/ed25519.h"
#include "verun/proofs/hex.h"
#include "verun/proofs/sha2.h"

int main() {
  using namespace verun::proofs;
  auto key = Ed25519PrivateKey::generate();
  if (!key) {
    std::cerr << key.error().to_string() << "\n";
    return 1;
  }
  auto digest = sha256(std::string_view("hello, verun"));
  auto sig = key->sign(digest);
  bool good = ed25519_verify(key->public_key(), digest, sig).has_value();
  digest[0] ^= 1;
  bool tampered = ed25519_verify(key->public_key(), digest, sig).has_value();
  std::cout << (good && !tampered ? "ok" : "FAILED") << " key " << hex_encode(key->public_key()) << "\n";
  return good && !tampered ? 0 : 1;
}
