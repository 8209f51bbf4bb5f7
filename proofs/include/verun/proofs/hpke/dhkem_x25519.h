// DHKEM(X25519, HKDF-SHA256), the KEM of RFC 9180 §4.1 with the X25519
// specifics of §7.1 (DeriveKeyPair §7.1.3, the all-zero check §7.1.4).
// HpkePrivateKey keeps the private key in SecureBytes (wiped when dropped)
// and a ready EVP_PKEY; const methods are safe to call from several threads.
#pragma once

#include <array>
#include <memory>

#include "verun/proofs/bytes.h"
#include "verun/proofs/crypto/secure_bytes.h"
#include "verun/result.h"

namespace verun::proofs {

// A serialized X25519 public key (SerializePublicKey: the 32 raw bytes).
using HpkePublicKey = std::array<std::uint8_t, 32>;

class HpkePrivateKey {
 public:
  // GenerateKeyPair(): a fresh key from the OS random source.
  static Result<HpkePrivateKey> generate();
  // DeriveKeyPair(ikm) of §7.1.3. kHpkeBadIkm when ikm is shorter than
  // Nsk = 32 bytes (§7.1.3 asks for at least Nsk bytes of entropy).
  static Result<HpkePrivateKey> derive(ByteView ikm);
  // DeserializePrivateKey(skXm): kHpkeBadKey unless 32 bytes.
  static Result<HpkePrivateKey> from_bytes(ByteView sk);

  HpkePrivateKey(HpkePrivateKey&&) noexcept;
  HpkePrivateKey& operator=(HpkePrivateKey&&) noexcept;
  ~HpkePrivateKey();

  const HpkePublicKey& public_key() const { return public_key_; }
  // SerializePrivateKey(): the secret bytes; never log them.
  const SecureBytes& private_bytes() const { return sk_; }

  // DH(sk, pk) = X25519(sk, pk). kHpkeBadKey unless peer is 32 bytes;
  // kHpkeLowOrderKey when the output is all zero (§7.1.4).
  Result<SecureBytes> dh(ByteView peer_public_key) const;

 private:
  HpkePrivateKey() = default;
  struct Impl;
  std::unique_ptr<Impl> impl_;
  SecureBytes sk_;
  HpkePublicKey public_key_{};
};

// DeserializePublicKey(pkXm): kHpkeBadKey unless 32 bytes. X25519 accepts
// any 32 bytes here; a low-order key is caught by the exchange (§7.1.4).
Result<HpkePublicKey> parse_hpke_public_key(ByteView pk);

struct HpkeEncapsulation {
  HpkePublicKey enc{};        // the serialized ephemeral public key
  SecureBytes shared_secret;  // Nsecret = 32 bytes
};

// Encap(pkR) of §4.1 with a fresh ephemeral key.
Result<HpkeEncapsulation> hpke_encap(ByteView pk_r);
// Encap(pkR) with the ephemeral key given: FOR TESTS ONLY (test vectors fix
// skE). Reusing an ephemeral key across messages breaks HPKE's security.
Result<HpkeEncapsulation> hpke_encap_for_testing(ByteView pk_r, const HpkePrivateKey& ephemeral);
// Decap(enc, skR) of §4.1: kHpkeBadKey unless enc is 32 bytes,
// kHpkeLowOrderKey for an enc that gives the all-zero DH output.
Result<SecureBytes> hpke_decap(ByteView enc, const HpkePrivateKey& sk_r);

}  // namespace verun::proofs
