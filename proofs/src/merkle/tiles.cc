// C2SP tlog-tiles paths, tile sets, hash tiles and entry bundles.
#include "verun/proofs/merkle/tiles.h"

#include <algorithm>
#include <string>

namespace verun::proofs {
namespace {

constexpr std::uint64_t kMaxTileIndex = (std::uint64_t{1} << 56) - 1;
constexpr std::size_t kQuoteLimit = 64;

// The path for an error message: printable ASCII kept, the rest escaped,
// long input cut.
std::string quote(std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "\"";
  for (std::size_t i = 0; i < s.size() && i < kQuoteLimit; ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
      out.push_back(static_cast<char>(c));
    } else {
      out += "\\x";
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  if (s.size() > kQuoteLimit) out += "...";
  out += "\"";
  return out;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// A decimal number of 1..max_digits digits without leading zeros.
bool parse_small_decimal(std::string_view s, std::size_t max_digits, std::uint32_t& out) {
  if (s.empty() || s.size() > max_digits) return false;
  if (s.size() > 1 && s[0] == '0') return false;
  std::uint32_t v = 0;
  for (char c : s) {
    if (!is_digit(c)) return false;
    v = v * 10 + static_cast<std::uint32_t>(c - '0');
  }
  out = v;
  return true;
}

// "x001/x234/067" -> 1234067; no leading x000 group; below 2^56.
bool parse_index(std::string_view s, std::uint64_t& out) {
  std::uint64_t n = 0;
  bool first = true;
  while (true) {
    const std::size_t slash = s.find('/');
    const bool last = slash == std::string_view::npos;
    std::string_view group = last ? s : s.substr(0, slash);
    if (!last) {
      if (group.size() != 4 || group[0] != 'x') return false;
      group.remove_prefix(1);
    }
    if (group.size() != 3 || !is_digit(group[0]) || !is_digit(group[1]) || !is_digit(group[2])) return false;
    const auto d = static_cast<std::uint64_t>((group[0] - '0') * 100 + (group[1] - '0') * 10 + (group[2] - '0'));
    if (first && !last && d == 0) return false;  // x000/...: not canonical
    if (n > (kMaxTileIndex - d) / 1000) return false;
    n = n * 1000 + d;
    first = false;
    if (last) break;
    s.remove_prefix(slash + 1);
  }
  out = n;
  return true;
}

Error bad_bundle(std::string message) { return Error(ErrorCode::kTileBadBundle, std::move(message)); }

}  // namespace

std::string format_tile_index(std::uint64_t index) {
  std::string out;
  do {
    const auto d = static_cast<unsigned>(index % 1000);
    std::string group = {static_cast<char>('0' + d / 100), static_cast<char>('0' + d / 10 % 10),
                         static_cast<char>('0' + d % 10)};
    out = out.empty() ? group : "x" + group + "/" + out;
    index /= 1000;
  } while (index > 0);
  return out;
}

std::string format_tile_path(const Tile& tile) {
  std::string p = tile.kind == TileKind::kEntries ? "tile/entries/" : "tile/" + std::to_string(tile.level) + "/";
  p += format_tile_index(tile.index);
  if (tile.width < kTileWidth) p += ".p/" + std::to_string(tile.width);
  return p;
}

Result<Tile> parse_tile_path(std::string_view path) {
  const auto bad = [&](const char* why) {
    return Error(ErrorCode::kTileBadPath, quote(path) + " is not a tlog-tiles path: " + why);
  };
  constexpr std::string_view kPrefix = "tile/";
  constexpr std::string_view kEntries = "entries/";
  if (path.substr(0, kPrefix.size()) != kPrefix) return bad("it does not start with tile/");
  std::string_view rest = path.substr(kPrefix.size());

  Tile t;
  if (rest.substr(0, kEntries.size()) == kEntries) {
    t.kind = TileKind::kEntries;
    rest.remove_prefix(kEntries.size());
  } else {
    const std::size_t slash = rest.find('/');
    if (slash == std::string_view::npos) return bad("no level");
    if (!parse_small_decimal(rest.substr(0, slash), 2, t.level) || t.level > kMaxTileLevel) {
      return bad("the level is not a decimal 0..63 without leading zeros");
    }
    rest.remove_prefix(slash + 1);
  }

  std::string_view index_part = rest;
  const std::size_t dot = rest.find(".p/");
  if (dot != std::string_view::npos) {
    index_part = rest.substr(0, dot);
    if (!parse_small_decimal(rest.substr(dot + 3), 3, t.width) || t.width < 1 || t.width >= kTileWidth) {
      return bad("the partial width is not a decimal 1..255 without leading zeros");
    }
  }
  if (!parse_index(index_part, t.index)) return bad("the index is not in canonical 3-digit groups below 2^56");
  // Belt and braces: the canonical form must give back the same bytes.
  if (format_tile_path(t) != path) return bad("not in canonical form");
  return t;
}

std::uint32_t tile_width_at(std::uint32_t level, std::uint64_t index, std::uint64_t size) {
  if (level > kMaxTileLevel || index > kMaxTileIndex) return 0;
  const std::uint64_t shift = std::uint64_t{level} * kTileHeight;
  if (shift >= 64) return 0;
  const std::uint64_t level_size = size >> shift;  // nodes at tree level 8 * level
  const std::uint64_t start = index * kTileWidth;
  if (level_size <= start) return 0;
  return static_cast<std::uint32_t>(std::min<std::uint64_t>(level_size - start, kTileWidth));
}

std::vector<Tile> hash_tiles_for_size(std::uint64_t size) {
  std::vector<Tile> out;
  for (std::uint32_t level = 0; std::uint64_t{level} * kTileHeight < 64; ++level) {
    const std::uint64_t level_size = size >> (level * kTileHeight);
    if (level_size == 0) break;
    const std::uint64_t count = (level_size + kTileWidth - 1) / kTileWidth;
    for (std::uint64_t n = 0; n < count; ++n) {
      out.push_back(Tile{TileKind::kHash, level, n, tile_width_at(level, n, size)});
    }
  }
  return out;
}

std::vector<Tile> entry_bundles_for_size(std::uint64_t size) {
  std::vector<Tile> out;
  const std::uint64_t count = (size + kTileWidth - 1) / kTileWidth;
  out.reserve(count);
  for (std::uint64_t n = 0; n < count; ++n) {
    out.push_back(Tile{TileKind::kEntries, 0, n, tile_width_at(0, n, size)});
  }
  return out;
}

Result<Bytes> read_hash_tile(const HashSource& source, const Tile& tile) {
  if (tile.kind != TileKind::kHash || tile.level > kMaxTileLevel || tile.width < 1 || tile.width > kTileWidth ||
      tile.index > kMaxTileIndex || std::uint64_t{tile.level} * kTileHeight >= 64) {
    return Error(ErrorCode::kInvalidArgument, "not a readable hash tile: " + format_tile_path(tile));
  }
  std::vector<NodeId> ids(tile.width);
  for (std::uint32_t i = 0; i < tile.width; ++i) {
    ids[i] = NodeId{tile.level * kTileHeight, tile.index * kTileWidth + i};
  }
  std::vector<Hash32> hashes(tile.width);
  VERUN_TRY(source.get_hashes(ids, hashes));
  Bytes out;
  out.reserve(hashes.size() * 32);
  for (const Hash32& h : hashes) append(out, h);
  return out;
}

Result<std::vector<Hash32>> parse_hash_tile(ByteView data, std::uint32_t width) {
  if (width < 1 || width > kTileWidth || data.size() != std::size_t{width} * 32) {
    return Error(ErrorCode::kTileBadTile, "hash tile of " + std::to_string(data.size()) + " bytes for width " +
                                              std::to_string(width) + ", want " + std::to_string(width * 32));
  }
  std::vector<Hash32> out(width);
  for (std::size_t i = 0; i < width; ++i) std::copy_n(data.begin() + static_cast<std::ptrdiff_t>(i * 32), 32, out[i].begin());
  return out;
}

Result<void> append_bundle_entry(Bytes& bundle, ByteView entry) {
  if (entry.size() > kMaxEntrySize) {
    return bad_bundle("entry of " + std::to_string(entry.size()) + " bytes exceeds 65535");
  }
  bundle.push_back(static_cast<std::uint8_t>(entry.size() >> 8));
  bundle.push_back(static_cast<std::uint8_t>(entry.size()));
  append(bundle, entry);
  return ok();
}

Result<Bytes> format_entry_bundle(std::span<const Bytes> entries) {
  if (entries.empty() || entries.size() > kTileWidth) {
    return bad_bundle("a bundle holds 1 to 256 entries, not " + std::to_string(entries.size()));
  }
  Bytes out;
  for (const Bytes& e : entries) VERUN_TRY(append_bundle_entry(out, e));
  return out;
}

Result<std::vector<Bytes>> parse_entry_bundle(ByteView data) {
  std::vector<Bytes> out;
  std::size_t off = 0;
  while (off < data.size()) {
    if (out.size() == kTileWidth) {
      return bad_bundle("more than 256 entries; trailing bytes at offset " + std::to_string(off));
    }
    if (data.size() - off < 2) return bad_bundle("truncated length prefix at offset " + std::to_string(off));
    const std::size_t len = (std::size_t{data[off]} << 8) | data[off + 1];
    off += 2;
    if (data.size() - off < len) {
      return bad_bundle("entry " + std::to_string(out.size()) + " claims " + std::to_string(len) + " bytes, " +
                        std::to_string(data.size() - off) + " left");
    }
    out.emplace_back(data.begin() + static_cast<std::ptrdiff_t>(off),
                     data.begin() + static_cast<std::ptrdiff_t>(off + len));
    off += len;
  }
  if (out.empty()) return bad_bundle("empty bundle");
  return out;
}

Result<std::vector<Bytes>> parse_entry_bundle(ByteView data, std::size_t want_count) {
  VERUN_ASSIGN_OR_RETURN(std::vector<Bytes> entries, parse_entry_bundle(data));
  if (entries.size() != want_count) {
    return bad_bundle("bundle has " + std::to_string(entries.size()) + " entries, want " + std::to_string(want_count));
  }
  return entries;
}

}  // namespace verun::proofs
