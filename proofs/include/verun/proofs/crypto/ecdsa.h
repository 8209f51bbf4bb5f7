// ECDSA verification (P-256 with SHA-256, P-384 with SHA-384) through
// OpenSSL's EVP API, so that proofs can read other logs' material (Rekor v1
// checkpoints, Sigstore DSSE envelopes) and vendor attestation signatures.
// verun itself never signs with ECDSA.
#pragma once

#include <memory>

#include "verun/proofs/bytes.h"
#include "verun/result.h"

namespace verun::proofs {

enum class EcdsaCurve { kP256, kP384 };
enum class EcdsaSignatureFormat { kDer, kP1363 };  // P1363: r || s, fixed width

class EcdsaVerifier {
 public:
  // From a DER SubjectPublicKeyInfo of a P-256 or P-384 key.
  static Result<EcdsaVerifier> from_spki_der(ByteView spki);
  // From an uncompressed SEC 1 point (0x04 || X || Y) or raw X || Y.
  static Result<EcdsaVerifier> from_point(EcdsaCurve curve, ByteView point);

  EcdsaVerifier(EcdsaVerifier&&) noexcept;
  EcdsaVerifier& operator=(EcdsaVerifier&&) noexcept;
  ~EcdsaVerifier();

  EcdsaCurve curve() const { return curve_; }
  // Hashes message with the curve's hash (SHA-256 / SHA-384) and verifies.
  Result<void> verify(ByteView message, ByteView signature, EcdsaSignatureFormat format) const;
  // Verifies a signature over a digest the caller computed.
  Result<void> verify_digest(ByteView digest, ByteView signature, EcdsaSignatureFormat format) const;

 private:
  EcdsaVerifier() = default;
  struct Impl;
  std::unique_ptr<Impl> impl_;
  EcdsaCurve curve_ = EcdsaCurve::kP256;
};

}  // namespace verun::proofs
