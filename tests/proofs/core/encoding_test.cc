// Hex and base64: round trips, and strict rejection of every malformed form.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "tests/support/matchers.h"
#include "verun/proofs/base64.h"
#include "verun/proofs/hex.h"

namespace verun::proofs {
namespace {

using verun::testing::HasCode;

TEST(Hex, EncodesLowercase) { EXPECT_EQ(hex_encode(Bytes{0x00, 0xab, 0xff}), "00abff"); }

TEST(Hex, RejectsUppercaseOddLengthAndStrayCharacters) {
  EXPECT_THAT(hex_decode("AB"), HasCode(ErrorCode::kHexInvalid));
  EXPECT_THAT(hex_decode("abc"), HasCode(ErrorCode::kHexInvalid));
  EXPECT_THAT(hex_decode("0g"), HasCode(ErrorCode::kHexInvalid));
  EXPECT_THAT(hex_decode(" 00"), HasCode(ErrorCode::kHexInvalid));
  EXPECT_EQ(*hex_decode_any_case("AB"), (Bytes{0xab}));
}

TEST(Hex, Decode32ChecksLength) {
  EXPECT_THAT(hex_decode32(std::string(62, 'a')), HasCode(ErrorCode::kHexBadLength));
  EXPECT_TRUE(hex_decode32(std::string(64, 'a')).has_value());
}

TEST(Base64, Rfc4648Examples) {
  const char* in[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
  const char* out[] = {"", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"};
  for (int i = 0; i < 7; ++i) {
    EXPECT_EQ(base64_encode(as_bytes(in[i])), out[i]);
    EXPECT_EQ(to_string(*base64_decode(out[i])), in[i]);
  }
}

TEST(Base64, RejectsMalformed) {
  for (const char* bad : {"Zg", "Zg=", "Zg===", "Z===", "Zm9v\n", " Zm9v", "Zh==", "Zm9=", "Zm-v", "Zm_v", "====", "Zg==Zg=="})
    EXPECT_THAT(base64_decode(bad), HasCode(ErrorCode::kBase64Invalid)) << bad;
}

TEST(Base64, LenientAcceptsUrlSafeAndUnpadded) {
  EXPECT_EQ(*base64_decode_lenient("-_8"), (Bytes{0xfb, 0xff}));
  EXPECT_EQ(*base64_decode_lenient("-_8="), (Bytes{0xfb, 0xff}));
  EXPECT_EQ(*base64_decode_lenient("Zg"), (Bytes{'f'}));
  EXPECT_THAT(base64_decode_lenient("+_8="), HasCode(ErrorCode::kBase64Invalid));
}

TEST(Base64, Decode32ChecksLength) {
  EXPECT_THAT(base64_decode32("Zg=="), HasCode(ErrorCode::kBase64BadLength));
}

RC_GTEST_PROP(EncodingProperty, RoundTrips, (const std::vector<std::uint8_t>& data)) {
  RC_ASSERT(*hex_decode(hex_encode(data)) == data);
  RC_ASSERT(*base64_decode(base64_encode(data)) == data);
  RC_ASSERT(*base64_decode_lenient(base64url_encode(data)) == data);
}

}  // namespace
}  // namespace verun::proofs
