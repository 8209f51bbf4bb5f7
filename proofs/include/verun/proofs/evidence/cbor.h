// A small, bounded CBOR (RFC 8949) reader and writer for attestation
// documents (AWS Nitro, DESIGN.md §5): one data item is decoded into a
// CborValue tree with libcbor's streaming decoder under explicit limits on
// size, nesting depth and collection sizes; the writer emits the few heads
// the COSE Sig_structure needs. Stateless and thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "verun/proofs/bytes.h"
#include "verun/result.h"

namespace verun::proofs {

enum class CborType { kUnsigned, kNegative, kBytes, kText, kArray, kMap, kTag, kBool, kNull, kUndefined, kFloat };

struct CborEntry;

// One decoded data item. Which members are meaningful depends on `type`.
struct CborValue {
  CborType type = CborType::kNull;
  // kUnsigned: the value; kNegative: n where the value is -1 - n; kTag: the tag number.
  std::uint64_t number = 0;
  Bytes bytes;                                           // kBytes, kText (UTF-8 not checked)
  std::vector<CborValue> items;                          // kArray; kTag: the one tagged item
  std::vector<CborEntry> entries;                        // kMap, in document order
  bool boolean = false;                                  // kBool
  double floating = 0;                                   // kFloat
  bool indefinite = false;                               // kArray/kMap encoded with indefinite length

  bool is_text(std::string_view text) const {
    return type == CborType::kText && as_string_view(bytes) == text;
  }
};

// One key/value pair of a map.
struct CborEntry {
  CborValue first;   // the key
  CborValue second;  // the value
};

struct CborLimits {
  std::size_t max_input = 16 * 1024;  // bytes of the whole item
  std::size_t max_depth = 8;          // a top-level array or map is depth 1
  std::size_t max_collection = 64;    // elements of one array, entries of one map
};

// Decodes exactly one data item (no trailing bytes). Arrays and maps may use
// definite or indefinite length (AWS documents are seen with both); byte and
// text strings must be definite. Errors: nitro.too_large (input, depth or a
// collection over the limits), nitro.cbor_malformed (truncated, trailing
// bytes, reserved encodings, indefinite-length strings, a break outside an
// indefinite collection).
Result<CborValue> parse_cbor(ByteView data, const CborLimits& limits = {});

// Writer: the head of a data item of major type 0..7 with argument `value`,
// in the shortest form (RFC 8949 §4.2.1 preferred serialization).
void append_cbor_head(Bytes& out, std::uint8_t major_type, std::uint64_t value);
void append_cbor_bytes(Bytes& out, ByteView bytes);
void append_cbor_text(Bytes& out, std::string_view text);

}  // namespace verun::proofs
