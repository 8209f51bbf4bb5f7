// Byte buffers used across proofs: Bytes (owned), ByteView (borrowed),
// Hash32 (a SHA-256 digest), and small helpers to move between them and
// strings. No I/O, no allocation beyond what the caller asks for.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace verun::proofs {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;
using Hash32 = std::array<std::uint8_t, 32>;
using Hash64 = std::array<std::uint8_t, 64>;

inline ByteView as_bytes(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}
inline std::string_view as_string_view(ByteView b) {
  return {reinterpret_cast<const char*>(b.data()), b.size()};
}
inline Bytes to_bytes(std::string_view s) { return Bytes(s.begin(), s.end()); }
inline std::string to_string(ByteView b) { return std::string(as_string_view(b)); }

// Appends src to dst.
inline void append(Bytes& dst, ByteView src) { dst.insert(dst.end(), src.begin(), src.end()); }
inline void append(Bytes& dst, std::string_view src) { append(dst, as_bytes(src)); }

// Big-endian fixed-width integers.
inline void append_u64_be(Bytes& dst, std::uint64_t v) {
  for (int i = 7; i >= 0; --i) dst.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}
inline std::uint64_t read_u64_be(ByteView b) {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < 8; ++i) v = (v << 8) | b[i];
  return v;
}

}  // namespace verun::proofs
