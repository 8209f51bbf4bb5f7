// X.509 certificates for vendor attestation chains (RFC 5280 §4.1, §6.1
// reduced to what a pinned, fixed-length vendor chain needs): exact DER
// parsing, issuer links with a required signature algorithm (RSASSA-PSS
// RFC 4055 §3 for AMD), validity at a given time, raw extension values.
// No path building, no revocation. A parsed X509Cert is immutable and safe to
// share between threads for reading.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "verun/proofs/bytes.h"
#include "verun/proofs/schema/rfc3339.h"
#include "verun/result.h"

namespace verun::proofs {

// The signature algorithm an issuer must have used for a link.
enum class CertSignatureAlgorithm {
  kRsaPssSha384,    // RSASSA-PSS with SHA-384 (AMD ARK, ASK, ASVK)
  kEcdsaSha384,     // ECDSA with SHA-384
  kEcdsaSha256,     // ECDSA with SHA-256
};

class X509Cert {
 public:
  // Exactly one DER certificate, no trailing bytes. x509.malformed otherwise.
  static Result<X509Cert> parse_der(ByteView der);

  X509Cert(const X509Cert&);
  X509Cert& operator=(const X509Cert&);
  X509Cert(X509Cert&&) noexcept;
  X509Cert& operator=(X509Cert&&) noexcept;
  ~X509Cert();

  const Bytes& der() const { return der_; }
  // SHA-256 of the DER encoding (what `openssl x509 -fingerprint -sha256` prints).
  Hash32 fingerprint() const;
  // The DER SubjectPublicKeyInfo.
  Bytes spki_der() const;
  // The subject's commonName, empty when there is none.
  std::string subject_common_name() const;
  // Whether basicConstraints says cA = TRUE.
  bool is_ca() const;

  // Checks that this certificate was issued by `issuer`: the issuer name
  // equals issuer's subject name, issuer is a CA (evidence.chain_invalid
  // otherwise), the signature algorithm is `algorithm` and the signature
  // verifies under issuer's key (evidence.chain_invalid). A self-signed
  // certificate passes itself as issuer.
  Result<void> verify_issued_by(const X509Cert& issuer, CertSignatureAlgorithm algorithm) const;

  // notBefore <= at <= notAfter; evidence.cert_not_yet_valid /
  // evidence.cert_expired otherwise.
  Result<void> verify_valid_at(const Timestamp& at) const;

  // The contents of the extnValue OCTET STRING of the extension with this
  // dotted OID, or nullopt when absent. x509.malformed when the OID text is
  // invalid or the extension occurs more than once.
  Result<std::optional<Bytes>> extension_value(std::string_view dotted_oid) const;

 private:
  X509Cert() = default;
  struct Impl;
  std::shared_ptr<const Impl> impl_;  // immutable after parsing
  Bytes der_;
};

// Reads the DER INTEGER `der` (exactly, no trailing bytes) as a non-negative
// value below 2^64. nullopt on anything else.
std::optional<std::uint64_t> parse_der_uint(ByteView der);

}  // namespace verun::proofs
