// Base64 (RFC 4648): standard alphabet with padding, and the URL-safe
// alphabet. Decoding is strict: no whitespace, no stray characters, padding
// exactly as the length requires, and non-zero trailing bits rejected, so
// one byte string has one accepted encoding per alphabet.
#pragma once

#include <string>
#include <string_view>

#include "verun/proofs/bytes.h"
#include "verun/result.h"

namespace verun::proofs {

std::string base64_encode(ByteView data);          // standard, padded
std::string base64url_encode(ByteView data);       // URL-safe, unpadded

// Standard alphabet, padded. kBase64Invalid on anything else.
Result<Bytes> base64_decode(std::string_view text);
// Standard alphabet, padded, exactly 32 bytes (kBase64BadLength otherwise).
Result<Hash32> base64_decode32(std::string_view text);

// What DSSE requires verifiers to accept for payload and sig: standard or
// URL-safe alphabet (not mixed), padded or unpadded.
Result<Bytes> base64_decode_lenient(std::string_view text);

}  // namespace verun::proofs
