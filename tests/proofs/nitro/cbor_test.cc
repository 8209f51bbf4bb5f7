// The bounded CBOR reader and writer (cbor.h): RFC 8949 Appendix A examples
// that matter here, every limit, every rejected encoding, and a round trip
// property through the writer.
#include "verun/proofs/evidence/cbor.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "tests/support/matchers.h"
#include "verun/proofs/evidence/cose.h"
#include "verun/proofs/hex.h"

namespace verun::proofs {
namespace {

using ::verun::testing::HasCode;

Bytes hx(std::string_view h) { return hex_decode(h).value(); }

TEST(Cbor, ReadsRfc8949Examples) {
  EXPECT_EQ(parse_cbor(hx("00"))->number, 0u);
  EXPECT_EQ(parse_cbor(hx("1903e8"))->number, 1000u);
  EXPECT_EQ(parse_cbor(hx("1bffffffffffffffff"))->number, 0xFFFFFFFFFFFFFFFFu);
  Result<CborValue> neg = parse_cbor(hx("3903e7"));  // -1000
  ASSERT_OK(neg);
  EXPECT_EQ(neg->type, CborType::kNegative);
  EXPECT_EQ(neg->number, 999u);
  EXPECT_EQ(parse_cbor(hx("4401020304"))->bytes, (Bytes{1, 2, 3, 4}));
  EXPECT_TRUE(parse_cbor(hx("6449455446"))->is_text("IETF"));
  EXPECT_EQ(parse_cbor(hx("f4"))->type, CborType::kBool);
  EXPECT_EQ(parse_cbor(hx("f6"))->type, CborType::kNull);
  EXPECT_EQ(parse_cbor(hx("f7"))->type, CborType::kUndefined);
  EXPECT_EQ(parse_cbor(hx("f93c00"))->floating, 1.0);
  Result<CborValue> arr = parse_cbor(hx("8301820203820405"));  // [1, [2, 3], [4, 5]]
  ASSERT_OK(arr);
  ASSERT_EQ(arr->items.size(), 3u);
  EXPECT_EQ(arr->items[1].items[1].number, 3u);
  Result<CborValue> map = parse_cbor(hx("a201020304"));  // {1: 2, 3: 4}
  ASSERT_OK(map);
  ASSERT_EQ(map->entries.size(), 2u);
  EXPECT_EQ(map->entries[1].second.number, 4u);
  Result<CborValue> indef = parse_cbor(hx("bf61610161629f0203ffff"));  // {_ "a": 1, "b": [_ 2, 3]}
  ASSERT_OK(indef);
  EXPECT_TRUE(indef->indefinite);
  EXPECT_TRUE(indef->entries[1].second.indefinite);
  EXPECT_EQ(indef->entries[1].second.items.size(), 2u);
  Result<CborValue> tag = parse_cbor(hx("d82076687474703a2f2f7777772e6578616d706c652e636f6d"));
  ASSERT_OK(tag);
  EXPECT_EQ(tag->type, CborType::kTag);
  EXPECT_EQ(tag->number, 32u);
  EXPECT_EQ(tag->items.front().type, CborType::kText);
}

TEST(Cbor, RejectsMalformedEncodings) {
  for (std::string_view h : {"", "18", "1900", "42ff", "62ff", "83010203ff", "8301", "a1", "a20102", "ff",
                             "1c", "5c", "7d", "9e", "bd", "5f4101ff", "7f6161ff", "0000", "f818"}) {
    Result<CborValue> r = parse_cbor(hx(h));
    EXPECT_THAT(r, HasCode(ErrorCode::kNitroCborMalformed)) << h;
  }
}

TEST(Cbor, EnforcesLimits) {
  CborLimits l;
  l.max_input = 4;
  EXPECT_THAT(parse_cbor(hx("4401020304"), l), HasCode(ErrorCode::kNitroTooLarge));
  l = CborLimits{};
  l.max_depth = 2;
  EXPECT_OK(parse_cbor(hx("818100"), l));
  EXPECT_THAT(parse_cbor(hx("81818100"), l), HasCode(ErrorCode::kNitroTooLarge));
  EXPECT_THAT(parse_cbor(hx("d8208181f6"), l), HasCode(ErrorCode::kNitroTooLarge));  // a tag counts
  EXPECT_THAT(parse_cbor(hx("9f9f9fffffff"), l), HasCode(ErrorCode::kNitroTooLarge));
  l = CborLimits{};
  l.max_collection = 2;
  EXPECT_OK(parse_cbor(hx("820102"), l));
  EXPECT_THAT(parse_cbor(hx("83010203"), l), HasCode(ErrorCode::kNitroTooLarge));
  EXPECT_THAT(parse_cbor(hx("9f010203ff"), l), HasCode(ErrorCode::kNitroTooLarge));
  EXPECT_THAT(parse_cbor(hx("a3010203040506"), l), HasCode(ErrorCode::kNitroTooLarge));
  EXPECT_THAT(parse_cbor(hx("bf010203040506ff"), l), HasCode(ErrorCode::kNitroTooLarge));
  // A declared size far beyond the input is refused before any allocation.
  EXPECT_THAT(parse_cbor(hx("9bffffffffffffffff")), HasCode(ErrorCode::kNitroTooLarge));
  // Deep nesting at the default limit, then 10,000 levels: no recursion blow-up.
  EXPECT_THAT(parse_cbor(Bytes(10'000, 0x81)), HasCode(ErrorCode::kNitroTooLarge));
}

TEST(Cbor, WriterUsesShortestHeads) {
  Bytes b;
  append_cbor_head(b, 0, 23);
  append_cbor_head(b, 0, 24);
  append_cbor_head(b, 0, 256);
  append_cbor_head(b, 0, 65536);
  append_cbor_head(b, 0, 1ULL << 32);
  EXPECT_EQ(hex_encode(b), "171818190100" "1a00010000" "1b0000000100000000");
  // RFC 9052 Sig_structure for a tiny payload.
  const Bytes tbs = cose_sign1_to_be_signed(hx("a1013822"), hx("a0"));
  EXPECT_EQ(hex_encode(tbs), "846a5369676e61747572653144a1013822" "40" "41a0");
}

RC_GTEST_PROP(CborProperty, WrittenBytesAndTextRoundTrip, (const std::vector<std::uint8_t>& data, bool text)) {
  Bytes enc;
  if (text) append_cbor_text(enc, as_string_view(data));
  else append_cbor_bytes(enc, data);
  Result<CborValue> v = parse_cbor(enc, CborLimits{1 << 20, 8, 64});
  RC_ASSERT(static_cast<bool>(v));
  RC_ASSERT(v->type == (text ? CborType::kText : CborType::kBytes));
  RC_ASSERT(v->bytes == data);
}

RC_GTEST_PROP(CborProperty, ArbitraryInputNeverCrashes, (const std::vector<std::uint8_t>& data)) {
  Result<CborValue> v = parse_cbor(data);
  if (!v)
    RC_ASSERT(v.code() == ErrorCode::kNitroCborMalformed || v.code() == ErrorCode::kNitroTooLarge);
}

}  // namespace
}  // namespace verun::proofs
