// AMD's KDS certificate revocation list (`amd_crl` collateral, DESIGN.md §5;
// AMD pub. 57230 "VCEK Certificate and KDS Interface Specification", the
// crl endpoint): an X.509 v2 CRL (RFC 5280 §5) issued by the product's ARK
// with RSASSA-PSS SHA-384, current at the as-of time, revoking none of the
// chain's certificates. Stateless and thread-safe.
#pragma once

#include <span>

#include "verun/proofs/bytes.h"
#include "verun/proofs/crypto/x509_chain.h"
#include "verun/proofs/schema/rfc3339.h"
#include "verun/result.h"

namespace verun::proofs {

inline constexpr std::size_t kAmdCrlMaxSize = 64 * 1024;

// Checks, in this order: the CRL is exact DER of at most kAmdCrlMaxSize bytes
// with a nextUpdate (amd_crl.malformed); its issuer is the ARK's subject, its
// algorithm RSASSA-PSS with SHA-384 and its signature verifies under the ARK
// (amd_crl.bad_signature); thisUpdate <= at (amd_crl.not_yet_valid) and
// at <= nextUpdate (amd_crl.expired: a stale CRL); no certificate of
// `revocable` is listed by serial number (amd_crl.revoked). `revocable` is
// the ASK/ASVK, and the VCEK/VLEK when its serial is not 0 (AMD issues VCEKs
// with serial 0, which cannot name one certificate).
Result<void> verify_amd_crl(ByteView crl_der, const X509Cert& ark, const Timestamp& at,
                            std::span<const X509Cert> revocable);

}  // namespace verun::proofs
