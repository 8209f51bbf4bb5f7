// COSE_Sign1 (RFC 9052 §4.2 structure, §4.4 Sig_structure) as AWS Nitro
// Enclaves attestation documents use it: [protected, unprotected, payload,
// signature], optionally under tag 18, protected header exactly {1: -35}
// (ES384, RFC 9053 §2.1), an empty unprotected header, an attached payload and
// a 96-byte r || s signature. Stateless and thread-safe.
#pragma once

#include <cstdint>

#include "verun/proofs/bytes.h"
#include "verun/proofs/evidence/cbor.h"
#include "verun/result.h"

namespace verun::proofs {

inline constexpr std::uint64_t kCoseSign1Tag = 18;
inline constexpr std::int64_t kCoseAlgEs384 = -35;
inline constexpr std::size_t kEs384SignatureSize = 96;

struct CoseSign1 {
  Bytes protected_header;  // the protected bstr's contents, exactly as carried
  Bytes payload;           // the payload bstr's contents
  Bytes signature;         // r || s, 48 bytes each, big-endian
};

// Errors: nitro.cbor_malformed / nitro.too_large from parse_cbor;
// nitro.cose_malformed (not a 4-element array of bstr, map, bstr, bstr; a tag
// other than 18; a non-empty unprotected header; an empty payload; a
// signature that is not 96 bytes); nitro.unsupported_algorithm (the protected
// header is not exactly the map {1: -35}).
Result<CoseSign1> parse_cose_sign1(ByteView data, const CborLimits& limits = {});

// The bytes that are signed: CBOR of ["Signature1", protected, external_aad,
// payload] (RFC 9052 §4.4), with definite, shortest-form lengths.
Bytes cose_sign1_to_be_signed(ByteView protected_header, ByteView payload, ByteView external_aad = {});

}  // namespace verun::proofs
