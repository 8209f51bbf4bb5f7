// HKDF-SHA256 Extract and Expand (RFC 5869 §2.2, §2.3) through OpenSSL's
// EVP_KDF "HKDF" in EXTRACT_ONLY / EXPAND_ONLY mode: the KDF 0x0001 of
// RFC 9180 §7.2. Private to proofs/src/hpke. Thread-safe.
#pragma once

#include <cstddef>

#include "verun/proofs/bytes.h"
#include "verun/proofs/crypto/secure_bytes.h"
#include "verun/result.h"

namespace verun::proofs::hpke_detail {

// OpenSSL 3.0's HKDF keeps the expand info in a fixed 1024-byte buffer, so
// longer info is refused up front (RFC 9180 §7.2.1 lets an implementation
// set lower input limits than HKDF's own).
inline constexpr std::size_t kHkdfMaxInfo = 1024;

// PRK = HMAC-SHA256(salt, ikm); an empty salt means Nh zero bytes.
Result<SecureBytes> hkdf_sha256_extract(ByteView salt, ByteView ikm);
// OKM of `length` bytes (1..255*32); kHpkeBadExportLength outside it,
// kInvalidArgument when info is longer than kHkdfMaxInfo.
Result<SecureBytes> hkdf_sha256_expand(ByteView prk, ByteView info, std::size_t length);

}  // namespace verun::proofs::hpke_detail
