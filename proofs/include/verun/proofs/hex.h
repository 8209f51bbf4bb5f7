// Lowercase hex encoding and strict decoding (DESIGN.md §3, §10: hex is
// lowercase; hand-written policy values are lowercased by the policy loader,
// not here).
#pragma once

#include <string>
#include <string_view>

#include "verun/proofs/bytes.h"
#include "verun/result.h"

namespace verun::proofs {

std::string hex_encode(ByteView data);

// Accepts only [0-9a-f] of even length. kHexInvalid otherwise.
Result<Bytes> hex_decode(std::string_view text);
// As hex_decode, and the result must be exactly N bytes (kHexBadLength).
Result<Hash32> hex_decode32(std::string_view text);
// Accepts upper and lower case (for hand-written input such as CLI flags).
Result<Bytes> hex_decode_any_case(std::string_view text);

}  // namespace verun::proofs
