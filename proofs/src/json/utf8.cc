// UTF-8 validation per the well-formed byte sequence table of RFC 3629 §4
// (also Unicode 15 Table 3-7).
#include "utf8.h"

#include <cstdint>
#include <cstring>

namespace verun::proofs::json_detail {
namespace {

bool in(unsigned char c, unsigned char lo, unsigned char hi) { return c >= lo && c <= hi; }

}  // namespace

std::optional<std::size_t> find_invalid_utf8(std::string_view text) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  std::size_t i = 0;
  while (i < n) {
    // ASCII fast path, eight bytes at a time.
    if (i + 8 <= n) {
      std::uint64_t word;
      std::memcpy(&word, p + i, 8);
      if ((word & 0x8080808080808080ULL) == 0) {
        i += 8;
        continue;
      }
    }
    const unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len = 0;
    bool ok = false;
    if (in(c, 0xC2, 0xDF)) {
      len = 2;
      ok = i + 1 < n && in(p[i + 1], 0x80, 0xBF);
    } else if (c == 0xE0) {
      len = 3;
      ok = i + 2 < n && in(p[i + 1], 0xA0, 0xBF) && in(p[i + 2], 0x80, 0xBF);
    } else if (in(c, 0xE1, 0xEC) || in(c, 0xEE, 0xEF)) {
      len = 3;
      ok = i + 2 < n && in(p[i + 1], 0x80, 0xBF) && in(p[i + 2], 0x80, 0xBF);
    } else if (c == 0xED) {  // excludes the surrogates U+D800..U+DFFF
      len = 3;
      ok = i + 2 < n && in(p[i + 1], 0x80, 0x9F) && in(p[i + 2], 0x80, 0xBF);
    } else if (c == 0xF0) {
      len = 4;
      ok = i + 3 < n && in(p[i + 1], 0x90, 0xBF) && in(p[i + 2], 0x80, 0xBF) &&
           in(p[i + 3], 0x80, 0xBF);
    } else if (in(c, 0xF1, 0xF3)) {
      len = 4;
      ok = i + 3 < n && in(p[i + 1], 0x80, 0xBF) && in(p[i + 2], 0x80, 0xBF) &&
           in(p[i + 3], 0x80, 0xBF);
    } else if (c == 0xF4) {  // nothing above U+10FFFF
      len = 4;
      ok = i + 3 < n && in(p[i + 1], 0x80, 0x8F) && in(p[i + 2], 0x80, 0xBF) &&
           in(p[i + 3], 0x80, 0xBF);
    }
    if (!ok) return i;
    i += len;
  }
  return std::nullopt;
}

}  // namespace verun::proofs::json_detail
