// Minimal X.509 (RFC 5280 §4.1) helpers through OpenSSL: read one PEM or DER
// certificate and hand out its DER encoding and its SubjectPublicKeyInfo
// DER (for EcdsaVerifier::from_spki_der). No path building and no validity
// checks here; the evidence verifiers extend this. Stateless, thread-safe.
#pragma once

#include "verun/proofs/bytes.h"
#include "verun/result.h"

namespace verun::proofs {

struct Certificate {
  Bytes der;       // the certificate, DER
  Bytes spki_der;  // its SubjectPublicKeyInfo, DER
};

// Accepts one DER certificate (exactly, no trailing bytes) or PEM text whose
// first "CERTIFICATE" block is taken. kX509Malformed otherwise.
Result<Certificate> parse_certificate(ByteView pem_or_der);

}  // namespace verun::proofs
