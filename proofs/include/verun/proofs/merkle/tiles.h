// C2SP tlog-tiles (https://c2sp.org/tlog-tiles): tile height 8, width 256.
// Paths of hash tiles `tile/<L>/<N>[.p/<W>]` and entry bundles
// `tile/entries/<N>[.p/<W>]` (N in 3-digit groups, `x001/x234/067`), a
// strict path parser, which tiles a tree size has, hash tile contents from a
// HashSource, and the entry bundle encoding (uint16 big-endian length, then
// the entry). Stateless and thread-safe.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "verun/proofs/bytes.h"
#include "verun/proofs/merkle/hash_source.h"
#include "verun/result.h"

namespace verun::proofs {

inline constexpr std::uint32_t kTileHeight = 8;
inline constexpr std::uint32_t kTileWidth = 256;
inline constexpr std::uint32_t kMaxTileLevel = 63;
inline constexpr std::size_t kMaxEntrySize = 65535;

enum class TileKind { kHash, kEntries };

// A hash tile or an entry bundle. A hash tile at level L holds the hashes of
// tree nodes at level 8 * L, indices [index * 256, index * 256 + width); an
// entry bundle holds entries [index * 256, index * 256 + width).
struct Tile {
  TileKind kind = TileKind::kHash;
  std::uint32_t level = 0;  // 0..63 for hash tiles; 0 for entry bundles
  std::uint64_t index = 0;  // below 2^56
  std::uint32_t width = kTileWidth;  // 1..256; 256 is a full tile

  friend bool operator==(const Tile&, const Tile&) = default;
  bool partial() const { return width < kTileWidth; }
};

// N in 3-digit groups, every group but the last prefixed with 'x':
// 1234067 -> "x001/x234/067", 5 -> "005".
std::string format_tile_index(std::uint64_t index);

// The C2SP path of the tile, without a leading slash. Precondition: the
// fields are in range (as parse_tile_path guarantees).
std::string format_tile_path(const Tile& tile);

// Parses a canonical tile or entry bundle path (no leading slash, no URL
// prefix). Rejects, with tile.bad_path: leading zeros in L or W, L above 63,
// W outside 1..255 (a full tile has no .p suffix), a group not of exactly
// three digits, a missing or extra 'x', a leading x000 group, an index of
// 2^56 or more, and any other byte.
Result<Tile> parse_tile_path(std::string_view path);

// Width of hash tile `index` at tile level `level` in a tree of `size`
// leaves: 256 when full, 1..255 for the right-edge partial tile, 0 when the
// tile does not exist. For level 0 this is also the entry bundle's width.
std::uint32_t tile_width_at(std::uint32_t level, std::uint64_t index, std::uint64_t size);

// Every hash tile of a tree of `size` leaves, with the width at that size,
// level by level, left to right (a C2SP log serves these for a checkpoint).
std::vector<Tile> hash_tiles_for_size(std::uint64_t size);
// Every entry bundle of a tree of `size` leaves, left to right.
std::vector<Tile> entry_bundles_for_size(std::uint64_t size);

// The contents of a hash tile: its width hashes concatenated, fetched from
// source in one batch. Errors: invalid_argument for an entry bundle or a
// width out of range, proof.missing_hash.
Result<Bytes> read_hash_tile(const HashSource& source, const Tile& tile);

// Splits hash tile contents into hashes; the length must be exactly
// width * 32 (tile.bad_tile).
Result<std::vector<Hash32>> parse_hash_tile(ByteView data, std::uint32_t width);

// Appends one entry to an entry bundle. Errors: tile.bad_bundle for an entry
// above 65,535 bytes (bundle unchanged).
Result<void> append_bundle_entry(Bytes& bundle, ByteView entry);

// Encodes entries as one bundle. Errors: tile.bad_bundle (an entry too
// long, or more than 256 entries).
Result<Bytes> format_entry_bundle(std::span<const Bytes> entries);

// Decodes a bundle strictly: 1 to 256 entries, each length prefix complete
// and within the data, no trailing bytes. Errors: tile.bad_bundle.
Result<std::vector<Bytes>> parse_entry_bundle(ByteView data);
// As above, and the bundle must hold exactly want_count entries.
Result<std::vector<Bytes>> parse_entry_bundle(ByteView data, std::size_t want_count);

}  // namespace verun::proofs
