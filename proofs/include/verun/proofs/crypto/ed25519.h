// Ed25519 (RFC 8032) through OpenSSL's EVP API: everything verun signs.
//
// Ed25519PrivateKey holds the 32-byte seed in SecureBytes (wiped when
// dropped) and a ready EVP_PKEY; sign() is safe to call from several
// threads at once (each call uses its own EVP_MD_CTX). Ed25519Verifier
// caches the EVP_PKEY of one public key for repeated verification.
#pragma once

#include <memory>

#include "verun/proofs/bytes.h"
#include "verun/proofs/crypto/secure_bytes.h"
#include "verun/result.h"

namespace verun::proofs {

using Ed25519PublicKey = std::array<std::uint8_t, 32>;
using Ed25519Signature = std::array<std::uint8_t, 64>;

class Ed25519PrivateKey {
 public:
  // A fresh key from the OS random source.
  static Result<Ed25519PrivateKey> generate();
  // The key for a 32-byte RFC 8032 seed (kCryptoBadKey on another length).
  static Result<Ed25519PrivateKey> from_seed(ByteView seed);

  Ed25519PrivateKey(Ed25519PrivateKey&&) noexcept;
  Ed25519PrivateKey& operator=(Ed25519PrivateKey&&) noexcept;
  ~Ed25519PrivateKey();

  const Ed25519PublicKey& public_key() const { return public_key_; }
  // The secret seed; handle with care (never log it).
  const SecureBytes& seed() const { return seed_; }
  Ed25519Signature sign(ByteView message) const;

 private:
  Ed25519PrivateKey() = default;
  struct Impl;
  std::unique_ptr<Impl> impl_;
  SecureBytes seed_;
  Ed25519PublicKey public_key_{};
};

class Ed25519Verifier {
 public:
  // kCryptoBadKey unless public_key is 32 bytes.
  static Result<Ed25519Verifier> make(ByteView public_key);

  Ed25519Verifier(Ed25519Verifier&&) noexcept;
  Ed25519Verifier& operator=(Ed25519Verifier&&) noexcept;
  ~Ed25519Verifier();

  const Ed25519PublicKey& public_key() const { return public_key_; }
  // kCryptoBadSignatureEncoding unless signature is 64 bytes;
  // kCryptoBadSignature if it does not verify. Thread-safe.
  Result<void> verify(ByteView message, ByteView signature) const;

 private:
  Ed25519Verifier() = default;
  struct Impl;
  std::unique_ptr<Impl> impl_;
  Ed25519PublicKey public_key_{};
};

// One-shot verification (builds the key each call).
Result<void> ed25519_verify(ByteView public_key, ByteView message, ByteView signature);

}  // namespace verun::proofs
