#include "verun/proofs/hex.h"

#include <cctype>

namespace verun::proofs {
namespace {

int nibble(char c, bool any_case) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (any_case && c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

Result<Bytes> decode(std::string_view text, bool any_case) {
  if (text.size() % 2 != 0)
    return Error(ErrorCode::kHexInvalid, "hex text has an odd length " + std::to_string(text.size()));
  Bytes out(text.size() / 2);
  for (std::size_t i = 0; i < out.size(); ++i) {
    int hi = nibble(text[2 * i], any_case), lo = nibble(text[2 * i + 1], any_case);
    if (hi < 0 || lo < 0)
      return Error(ErrorCode::kHexInvalid,
                   "hex text has a character outside [0-9a-f] at offset " + std::to_string(hi < 0 ? 2 * i : 2 * i + 1));
    out[i] = static_cast<std::uint8_t>(hi << 4 | lo);
  }
  return out;
}

}  // namespace

std::string hex_encode(ByteView data) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string s(data.size() * 2, '\0');
  for (std::size_t i = 0; i < data.size(); ++i) {
    s[2 * i] = kDigits[data[i] >> 4];
    s[2 * i + 1] = kDigits[data[i] & 0xf];
  }
  return s;
}

Result<Bytes> hex_decode(std::string_view text) { return decode(text, false); }
Result<Bytes> hex_decode_any_case(std::string_view text) { return decode(text, true); }

Result<Hash32> hex_decode32(std::string_view text) {
  if (text.size() != 64)
    return Error(ErrorCode::kHexBadLength, "expected 64 hex characters, got " + std::to_string(text.size()));
  VERUN_ASSIGN_OR_RETURN(Bytes b, hex_decode(text));
  Hash32 h{};
  std::copy(b.begin(), b.end(), h.begin());
  return h;
}

}  // namespace verun::proofs
