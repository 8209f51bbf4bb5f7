// Strict RFC 4648 base64: see verun/proofs/base64.h for the rules.
#include "verun/proofs/base64.h"

#include <algorithm>

namespace verun::proofs {
namespace {

constexpr char kStd[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr char kUrl[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::string encode(ByteView data, const char* alphabet, bool pad) {
  std::string out;
  out.reserve((data.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= data.size(); i += 3) {
    std::uint32_t v = data[i] << 16 | data[i + 1] << 8 | data[i + 2];
    out += alphabet[v >> 18 & 63];
    out += alphabet[v >> 12 & 63];
    out += alphabet[v >> 6 & 63];
    out += alphabet[v & 63];
  }
  std::size_t rest = data.size() - i;
  if (rest == 1) {
    std::uint32_t v = data[i] << 16;
    out += alphabet[v >> 18 & 63];
    out += alphabet[v >> 12 & 63];
    if (pad) out += "==";
  } else if (rest == 2) {
    std::uint32_t v = data[i] << 16 | data[i + 1] << 8;
    out += alphabet[v >> 18 & 63];
    out += alphabet[v >> 12 & 63];
    out += alphabet[v >> 6 & 63];
    if (pad) out += '=';
  }
  return out;
}

int value_of(char c, bool url) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (!url && c == '+') return 62;
  if (!url && c == '/') return 63;
  if (url && c == '-') return 62;
  if (url && c == '_') return 63;
  return -1;
}

Error invalid(const std::string& why) { return Error(ErrorCode::kBase64Invalid, "base64 " + why); }

// Decodes unpadded text (padding already stripped and checked by the caller).
Result<Bytes> decode_body(std::string_view t, bool url) {
  if (t.size() % 4 == 1) return invalid("text has an impossible length");
  Bytes out;
  out.reserve(t.size() * 3 / 4);
  std::uint32_t acc = 0;
  int bits = 0;
  for (std::size_t i = 0; i < t.size(); ++i) {
    int v = value_of(t[i], url);
    if (v < 0) return invalid("text has an invalid character at offset " + std::to_string(i));
    acc = acc << 6 | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<std::uint8_t>(acc >> bits));
      acc &= (1u << bits) - 1;
    }
  }
  if (acc != 0) return invalid("text has non-zero trailing bits");
  return out;
}

Result<Bytes> decode(std::string_view text, bool url, bool require_padding, bool allow_padding) {
  std::size_t pads = 0;
  while (pads < text.size() && pads < 2 && text[text.size() - 1 - pads] == '=') ++pads;
  if (pads > 0 && !allow_padding) return invalid("text must not be padded");
  if (require_padding && text.size() % 4 != 0) return invalid("text length is not a multiple of 4");
  if (pads > 0 && text.size() % 4 != 0) return invalid("padding does not end a 4-character group");
  std::string_view body = text.substr(0, text.size() - pads);
  if (pads > 0 && (body.size() % 4) + pads != 4) return invalid("has the wrong amount of padding");
  return decode_body(body, url);
}

}  // namespace

std::string base64_encode(ByteView data) { return encode(data, kStd, true); }
std::string base64url_encode(ByteView data) { return encode(data, kUrl, false); }

Result<Bytes> base64_decode(std::string_view text) { return decode(text, false, true, true); }

Result<Hash32> base64_decode32(std::string_view text) {
  VERUN_ASSIGN_OR_RETURN(Bytes b, base64_decode(text));
  if (b.size() != 32)
    return Error(ErrorCode::kBase64BadLength, "expected 32 bytes of base64, got " + std::to_string(b.size()));
  Hash32 h{};
  std::copy(b.begin(), b.end(), h.begin());
  return h;
}

Result<Bytes> base64_decode_lenient(std::string_view text) {
  bool url = text.find_first_of("-_") != std::string_view::npos;
  if (url && text.find_first_of("+/") != std::string_view::npos)
    return invalid("text mixes the standard and URL-safe alphabets");
  return decode(text, url, false, true);
}

}  // namespace verun::proofs
