// Bounded CBOR decoding over libcbor's streaming decoder (one head at a
// time, no libcbor item tree), and the shortest-form writer; see cbor.h.
#include "verun/proofs/evidence/cbor.h"

#include <cbor.h>

#include <string>

namespace verun::proofs {
namespace {

enum class HeadKind {
  kUnsigned, kNegative, kBytes, kText, kBytesIndefinite, kTextIndefinite, kArray, kArrayIndefinite,
  kMap, kMapIndefinite, kTag, kBool, kNull, kUndefined, kFloat, kBreak,
  kNone,  // the decoder returned without calling back (an unassigned simple value)
};

// What one call of cbor_stream_decode reported.
struct Head {
  HeadKind kind = HeadKind::kNone;
  std::uint64_t value = 0;  // integer, tag, or definite collection size
  const std::uint8_t* data = nullptr;
  std::size_t size = 0;  // definite string length
  bool boolean = false;
  double floating = 0;
};

Head& head(void* ctx) { return *static_cast<Head*>(ctx); }
void set(void* ctx, HeadKind kind, std::uint64_t value = 0) {
  Head& h = head(ctx);
  h = Head{};
  h.kind = kind;
  h.value = value;
}
void set_string(void* ctx, HeadKind kind, const std::uint8_t* data, std::size_t size) {
  set(ctx, kind);
  head(ctx).data = data;
  head(ctx).size = size;
}
void on_uint8(void* c, std::uint8_t v) { set(c, HeadKind::kUnsigned, v); }
void on_uint16(void* c, std::uint16_t v) { set(c, HeadKind::kUnsigned, v); }
void on_uint32(void* c, std::uint32_t v) { set(c, HeadKind::kUnsigned, v); }
void on_uint64(void* c, std::uint64_t v) { set(c, HeadKind::kUnsigned, v); }
void on_negint8(void* c, std::uint8_t v) { set(c, HeadKind::kNegative, v); }
void on_negint16(void* c, std::uint16_t v) { set(c, HeadKind::kNegative, v); }
void on_negint32(void* c, std::uint32_t v) { set(c, HeadKind::kNegative, v); }
void on_negint64(void* c, std::uint64_t v) { set(c, HeadKind::kNegative, v); }
void on_bytes(void* c, cbor_data d, std::size_t n) { set_string(c, HeadKind::kBytes, d, n); }
void on_bytes_start(void* c) { set(c, HeadKind::kBytesIndefinite); }
void on_text(void* c, cbor_data d, std::size_t n) { set_string(c, HeadKind::kText, d, n); }
void on_text_start(void* c) { set(c, HeadKind::kTextIndefinite); }
void on_array(void* c, std::size_t n) { set(c, HeadKind::kArray, n); }
void on_array_start(void* c) { set(c, HeadKind::kArrayIndefinite); }
void on_map(void* c, std::size_t n) { set(c, HeadKind::kMap, n); }
void on_map_start(void* c) { set(c, HeadKind::kMapIndefinite); }
void on_tag(void* c, std::uint64_t v) { set(c, HeadKind::kTag, v); }
void on_float(void* c, float v) {
  set(c, HeadKind::kFloat);
  head(c).floating = v;
}
void on_double(void* c, double v) {
  set(c, HeadKind::kFloat);
  head(c).floating = v;
}
void on_undefined(void* c) { set(c, HeadKind::kUndefined); }
void on_null(void* c) { set(c, HeadKind::kNull); }
void on_bool(void* c, bool v) {
  set(c, HeadKind::kBool);
  head(c).boolean = v;
}
void on_break(void* c) { set(c, HeadKind::kBreak); }

// libcbor's field comments are swapped for strings and collections; the
// names below are what the decoder actually calls.
const cbor_callbacks kCallbacks = [] {
  cbor_callbacks cb{};
  cb.uint8 = on_uint8;
  cb.uint16 = on_uint16;
  cb.uint32 = on_uint32;
  cb.uint64 = on_uint64;
  cb.negint8 = on_negint8;
  cb.negint16 = on_negint16;
  cb.negint32 = on_negint32;
  cb.negint64 = on_negint64;
  cb.byte_string = on_bytes;
  cb.byte_string_start = on_bytes_start;
  cb.string = on_text;
  cb.string_start = on_text_start;
  cb.array_start = on_array;
  cb.indef_array_start = on_array_start;
  cb.map_start = on_map;
  cb.indef_map_start = on_map_start;
  cb.tag = on_tag;
  cb.float2 = on_float;
  cb.float4 = on_float;
  cb.float8 = on_double;
  cb.undefined = on_undefined;
  cb.null = on_null;
  cb.boolean = on_bool;
  cb.indef_break = on_break;
  return cb;
}();

Error malformed(const std::string& why) { return Error(ErrorCode::kNitroCborMalformed, "CBOR " + why); }
Error too_large(const std::string& why) { return Error(ErrorCode::kNitroTooLarge, "CBOR " + why); }

class Decoder {
 public:
  Decoder(ByteView in, const CborLimits& limits) : in_(in), limits_(limits) {}

  Result<CborValue> top() {
    VERUN_ASSIGN_OR_RETURN(CborValue v, item(0));
    if (pos_ != in_.size())
      return malformed("item is followed by " + std::to_string(in_.size() - pos_) + " trailing bytes");
    return v;
  }

 private:
  Result<Head> next_head() {
    if (pos_ >= in_.size()) return malformed("is truncated at offset " + std::to_string(pos_));
    Head h;
    // libcbor 0.8 refuses one-byte tag heads 6..20 (0xC6..0xD4), unassigned
    // in RFC 7049 but not today: COSE_Sign1 is tag 18 (0xD2). Read those here.
    const std::uint8_t initial = in_[pos_];
    if ((initial >> 5) == 6 && (initial & 0x1F) < 24) {
      h.kind = HeadKind::kTag;
      h.value = initial & 0x1F;
      ++pos_;
      return h;
    }
    const cbor_decoder_result r = cbor_stream_decode(in_.data() + pos_, in_.size() - pos_, &kCallbacks, &h);
    if (r.status == CBOR_DECODER_NEDATA) return malformed("is truncated at offset " + std::to_string(pos_));
    if (r.status != CBOR_DECODER_FINISHED || r.read == 0 || r.read > in_.size() - pos_)
      return malformed("has a reserved or invalid encoding at offset " + std::to_string(pos_));
    pos_ += r.read;
    return h;
  }

  Result<CborValue> item(std::size_t depth) {
    VERUN_ASSIGN_OR_RETURN(Head h, next_head());
    return item_from(h, depth);
  }

  Result<void> enter(std::size_t depth) const {
    if (depth + 1 > limits_.max_depth)
      return too_large("nesting is deeper than " + std::to_string(limits_.max_depth) + " at offset " +
                       std::to_string(pos_));
    return {};
  }

  Result<void> check_count(std::uint64_t n) const {
    if (n > limits_.max_collection)
      return too_large("array or map has more than " + std::to_string(limits_.max_collection) +
                       " elements at offset " + std::to_string(pos_));
    return {};
  }

  // The item whose head `h` was just read, at nesting `depth` (0 = top).
  Result<CborValue> item_from(const Head& h, std::size_t depth) {
    CborValue v;
    switch (h.kind) {
      case HeadKind::kUnsigned: v.type = CborType::kUnsigned; v.number = h.value; return v;
      case HeadKind::kNegative: v.type = CborType::kNegative; v.number = h.value; return v;
      case HeadKind::kBytes:
      case HeadKind::kText:
        v.type = h.kind == HeadKind::kBytes ? CborType::kBytes : CborType::kText;
        v.bytes.assign(h.data, h.data + h.size);
        return v;
      case HeadKind::kBytesIndefinite:
      case HeadKind::kTextIndefinite:
        return malformed("indefinite-length string at offset " + std::to_string(pos_ - 1) + " is not accepted");
      case HeadKind::kArray:
        VERUN_TRY(enter(depth));
        VERUN_TRY(check_count(h.value));
        v.type = CborType::kArray;
        v.items.reserve(h.value);
        for (std::uint64_t i = 0; i < h.value; ++i) {
          VERUN_ASSIGN_OR_RETURN(CborValue e, item(depth + 1));
          v.items.push_back(std::move(e));
        }
        return v;
      case HeadKind::kArrayIndefinite:
        VERUN_TRY(enter(depth));
        v.type = CborType::kArray;
        v.indefinite = true;
        for (;;) {
          VERUN_ASSIGN_OR_RETURN(Head e, next_head());
          if (e.kind == HeadKind::kBreak) return v;
          VERUN_TRY(check_count(v.items.size() + 1));
          VERUN_ASSIGN_OR_RETURN(CborValue ev, item_from(e, depth + 1));
          v.items.push_back(std::move(ev));
        }
      case HeadKind::kMap:
        VERUN_TRY(enter(depth));
        VERUN_TRY(check_count(h.value));
        v.type = CborType::kMap;
        v.entries.reserve(h.value);
        for (std::uint64_t i = 0; i < h.value; ++i) {
          VERUN_ASSIGN_OR_RETURN(CborValue key, item(depth + 1));
          VERUN_ASSIGN_OR_RETURN(CborValue value, item(depth + 1));
          v.entries.push_back(CborEntry{std::move(key), std::move(value)});
        }
        return v;
      case HeadKind::kMapIndefinite:
        VERUN_TRY(enter(depth));
        v.type = CborType::kMap;
        v.indefinite = true;
        for (;;) {
          VERUN_ASSIGN_OR_RETURN(Head k, next_head());
          if (k.kind == HeadKind::kBreak) return v;
          VERUN_TRY(check_count(v.entries.size() + 1));
          VERUN_ASSIGN_OR_RETURN(CborValue key, item_from(k, depth + 1));
          VERUN_ASSIGN_OR_RETURN(CborValue value, item(depth + 1));
          v.entries.push_back(CborEntry{std::move(key), std::move(value)});
        }
      case HeadKind::kTag: {
        VERUN_TRY(enter(depth));
        v.type = CborType::kTag;
        v.number = h.value;
        VERUN_ASSIGN_OR_RETURN(CborValue inner, item(depth + 1));
        v.items.push_back(std::move(inner));
        return v;
      }
      case HeadKind::kBool: v.type = CborType::kBool; v.boolean = h.boolean; return v;
      case HeadKind::kNull: v.type = CborType::kNull; return v;
      case HeadKind::kUndefined: v.type = CborType::kUndefined; return v;
      case HeadKind::kFloat: v.type = CborType::kFloat; v.floating = h.floating; return v;
      case HeadKind::kBreak: break;
      case HeadKind::kNone:
        return malformed("has an unassigned simple value before offset " + std::to_string(pos_));
    }
    return malformed("break at offset " + std::to_string(pos_ - 1) + " is outside an indefinite-length item");
  }

  ByteView in_;
  const CborLimits& limits_;
  std::size_t pos_ = 0;
};

}  // namespace

Result<CborValue> parse_cbor(ByteView data, const CborLimits& limits) {
  if (data.size() > limits.max_input)
    return too_large("item of " + std::to_string(data.size()) + " bytes exceeds the limit of " +
                     std::to_string(limits.max_input));
  if (data.empty()) return malformed("input is empty");
  Decoder d(data, limits);
  return d.top();
}

void append_cbor_head(Bytes& out, std::uint8_t major_type, std::uint64_t value) {
  const auto mt = static_cast<std::uint8_t>(major_type << 5);
  if (value < 24) {
    out.push_back(static_cast<std::uint8_t>(mt | value));
    return;
  }
  int width = 8;
  std::uint8_t ai = 27;
  if (value <= 0xFF) { width = 1; ai = 24; }
  else if (value <= 0xFFFF) { width = 2; ai = 25; }
  else if (value <= 0xFFFFFFFF) { width = 4; ai = 26; }
  out.push_back(static_cast<std::uint8_t>(mt | ai));
  for (int i = width - 1; i >= 0; --i) out.push_back(static_cast<std::uint8_t>(value >> (8 * i)));
}

void append_cbor_bytes(Bytes& out, ByteView bytes) {
  append_cbor_head(out, 2, bytes.size());
  append(out, bytes);
}

void append_cbor_text(Bytes& out, std::string_view text) {
  append_cbor_head(out, 3, text.size());
  append(out, text);
}

}  // namespace verun::proofs
