// The strict object reader and RFC 3339 times (DESIGN.md §10).
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "tests/support/matchers.h"
#include "verun/proofs/hex.h"
#include "verun/proofs/schema/object_reader.h"
#include "verun/proofs/schema/rfc3339.h"

namespace verun::proofs {
namespace {

using verun::testing::HasCode;

Json js(const char* text) { return parse_json(text).value(); }

TEST(ObjectReader, ReadsEveryKindAndRejectsUnknownFields) {
  Json j = js(R"({"s":"text","i":7,"b":true,"o":{"x":1},"a":[1,2],
    "h":"00ff","d":{"sha256":"0101010101010101010101010101010101010101010101010101010101010101"},
    "k":"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=","t":"2026-01-02T03:04:05Z"})");
  auto r = ObjectReader::make(j, "doc");
  ASSERT_OK(r);
  EXPECT_EQ(*r->string("s"), "text");
  EXPECT_EQ(*r->integer("i", 0, 10), 7);
  EXPECT_TRUE(*r->boolean("b"));
  auto o = r->object("o");
  ASSERT_OK(o);
  EXPECT_EQ(o->path(), "doc.o");
  EXPECT_EQ(*o->integer("x"), 1);
  EXPECT_OK(o->finish());
  EXPECT_EQ((*r->array("a"))->size(), 2u);
  EXPECT_EQ(*r->hex("h", 2), (Bytes{0x00, 0xff}));
  EXPECT_EQ((*r->digest_set("d"))[0], 1);
  EXPECT_EQ((*r->base64_32("k"))[31], 31);
  EXPECT_EQ(r->time("t")->seconds, 1767323045);
  EXPECT_OK(r->finish());
  EXPECT_FALSE(*r->optional_string("absent"));
  EXPECT_FALSE(*r->optional_integer("absent"));
  EXPECT_FALSE(*r->optional_boolean("absent"));
  EXPECT_FALSE(*r->optional_object("absent"));

  auto r2 = ObjectReader::make(j, "doc");
  EXPECT_OK(r2->string("s"));
  auto unknown = r2->finish();
  ASSERT_THAT(unknown, HasCode(ErrorCode::kSchemaUnknownField));
  EXPECT_NE(unknown.error().message.find("doc."), std::string::npos);
}

TEST(ObjectReader, EveryFailure) {
  Json j = js(R"({"s":"","i":11,"neg":-3,"big":9007199254740991,"b":"true","o":[],"a":{},
    "H":"00FF","h3":"000","d2":{"sha256":"01","x":"y"},"k":"AAEC","url":"-_8=","t":"2026-01-02T03:04:05+01:00"})");
  auto r = *ObjectReader::make(j, "p");
  const ErrorCode kInvalid = ErrorCode::kSchemaInvalidField, kMissing = ErrorCode::kSchemaMissingField;
  EXPECT_THAT(r.string("s"), HasCode(kInvalid));
  EXPECT_EQ(*r.string("s", 10, true), "");
  EXPECT_THAT(r.string("i"), HasCode(kInvalid));
  EXPECT_THAT(r.integer("i", 0, 10), HasCode(kInvalid));
  EXPECT_THAT(r.integer("neg", 0), HasCode(kInvalid));
  EXPECT_EQ(*r.integer("neg"), -3);
  EXPECT_EQ(*r.integer("big"), kMaxJsonInteger);
  EXPECT_THAT(r.boolean("b"), HasCode(kInvalid));
  EXPECT_THAT(r.object("o"), HasCode(kInvalid));
  EXPECT_THAT(r.array("a"), HasCode(kInvalid));
  EXPECT_THAT(r.hex("H", 2), HasCode(kInvalid));
  EXPECT_THAT(r.hex("h3", 2), HasCode(kInvalid));
  EXPECT_THAT(r.digest_set("d2"), HasCode(kInvalid));
  EXPECT_THAT(r.base64_32("k"), HasCode(kInvalid));
  EXPECT_EQ(*r.base64("k"), (Bytes{0, 1, 2}));
  EXPECT_THAT(r.base64("k", 4), HasCode(kInvalid));
  EXPECT_THAT(r.base64("url"), HasCode(kInvalid));
  EXPECT_THAT(r.time("t"), HasCode(kInvalid));
  EXPECT_THAT(r.string("absent"), HasCode(kMissing));
  EXPECT_THAT(r.digest_set("absent"), HasCode(kMissing));
  EXPECT_OK(r.finish());
  // Not an object at all; custom codes.
  EXPECT_THAT(ObjectReader::make(js("[]"), "p"), HasCode(kInvalid));
  SchemaCodes codes{ErrorCode::kPredicateUnknownField, ErrorCode::kPredicateMissingField,
                    ErrorCode::kPredicateInvalidField};
  auto c = *ObjectReader::make(j, "p", codes);
  EXPECT_THAT(c.string("absent"), HasCode(ErrorCode::kPredicateMissingField));
  EXPECT_THAT(c.hex("H", 2), HasCode(ErrorCode::kPredicateInvalidField));
  EXPECT_THAT(c.finish(), HasCode(ErrorCode::kPredicateUnknownField));
}

TEST(ObjectReader, DigestSetIsExactlySha256) {
  std::string hex(64, 'a');
  EXPECT_OK(read_digest_set(Json{{"sha256", hex}}, "d"));
  EXPECT_THAT(read_digest_set(Json::object(), "d"), HasCode(ErrorCode::kSchemaMissingField));
  EXPECT_THAT(read_digest_set(Json{{"sha256", hex}, {"sha512", hex}}, "d"), HasCode(ErrorCode::kSchemaUnknownField));
  EXPECT_THAT(read_digest_set(Json{{"sha512", hex}}, "d"), HasCode(ErrorCode::kSchemaMissingField));
  EXPECT_THAT(read_digest_set(Json{{"sha256", std::string(64, 'A')}}, "d"), HasCode(ErrorCode::kSchemaInvalidField));
  EXPECT_THAT(read_digest_set(Json(hex), "d"), HasCode(ErrorCode::kSchemaInvalidField));
  EXPECT_EQ(digest_set_json(*hex_decode32(hex)), (Json{{"sha256", hex}}));
}

TEST(Rfc3339, AcceptsTheRestrictedForm) {
  struct Case {
    const char* text;
    std::int64_t seconds;
    std::uint32_t nanos;
  };
  for (const auto& c : std::vector<Case>{
           {"1970-01-01T00:00:00Z", 0, 0},
           {"1970-01-01T00:00:00.5Z", 0, 500000000},
           {"1969-12-31T23:59:59.5Z", -1, 500000000},
           {"2000-02-29T12:00:00Z", 951825600, 0},
           {"2024-02-29T23:59:59.999999999Z", 1709251199, 999999999},
           {"2026-11-23T12:00:01.25Z", 1795435201, 250000000},
           {"0000-01-01T00:00:00Z", -62167219200, 0},
           {"9999-12-31T23:59:59Z", 253402300799, 0},
       }) {
    auto t = parse_rfc3339(c.text);
    ASSERT_OK(t) << c.text;
    EXPECT_EQ(t->seconds, c.seconds) << c.text;
    EXPECT_EQ(t->nanos, c.nanos) << c.text;
  }
  EXPECT_EQ(format_rfc3339(*parse_rfc3339("2026-11-23T12:00:01.250Z")), "2026-11-23T12:00:01.25Z");
  EXPECT_EQ(format_rfc3339(*parse_rfc3339("2026-11-23T12:00:01.000Z")), "2026-11-23T12:00:01Z");
  EXPECT_EQ(format_rfc3339(Timestamp{-1, 500000000}), "1969-12-31T23:59:59.5Z");
  EXPECT_EQ(format_rfc3339(*parse_rfc3339("0000-01-01T00:00:00Z")), "0000-01-01T00:00:00Z");
  EXPECT_LT(*parse_rfc3339("2026-01-01T00:00:00.1Z"), *parse_rfc3339("2026-01-01T00:00:00.11Z"));
}

TEST(Rfc3339, RejectsEverythingElse) {
  for (const char* bad : {
           "", "2026-01-01", "2026-01-01T00:00:00", "2026-01-01T00:00:00z", "2026-01-01t00:00:00Z",
           "2026-01-01 00:00:00Z", "2026-01-01T00:00:00+00:00", "2026-01-01T00:00:00-01:00",
           "2026-01-01T00:00Z", "2026-1-01T00:00:00Z", "26-01-01T00:00:00Z", "+2026-01-01T00:00:00Z",
           "2023-02-29T00:00:00Z", "1900-02-29T00:00:00Z", "2026-04-31T00:00:00Z", "2026-13-01T00:00:00Z",
           "2026-00-01T00:00:00Z", "2026-01-00T00:00:00Z", "2026-01-01T24:00:00Z", "2026-01-01T23:60:00Z",
           "2026-12-31T23:59:60Z", "2026-01-01T00:00:00.Z", "2026-01-01T00:00:00.1234567890Z",
           "2026-01-01T00:00:00,5Z", "2026-01-01T00:00:00ZZ", "2026-01-01T00:00:00Z ", " 2026-01-01T00:00:00Z",
           "2026-01-01T00:00:00.-1Z", "2026-01-01T0a:00:00Z", "2026-01-01T00:00:00.5",
       }) {
    EXPECT_THAT(parse_rfc3339(bad), HasCode(ErrorCode::kTimeInvalid)) << "'" << bad << "'";
  }
}

TEST(Rfc3339, TimePointsRoundTrip) {
  auto now = std::chrono::system_clock::now();
  Timestamp t = Timestamp::from_time_point(now);
  EXPECT_EQ(t.to_time_point(), now);
  EXPECT_EQ(parse_rfc3339(format_rfc3339(now))->to_time_point(), now);
  auto before_epoch = std::chrono::system_clock::time_point(std::chrono::nanoseconds(-1));
  EXPECT_EQ(Timestamp::from_time_point(before_epoch), (Timestamp{-1, 999999999}));
  EXPECT_EQ(Timestamp{253402300799}.to_time_point(), std::chrono::system_clock::time_point::max());
}

RC_GTEST_PROP(Rfc3339Property, FormatThenParseIsIdentity, ()) {
  const auto seconds = *rc::gen::inRange<std::int64_t>(-62167219200, 253402300800);
  const auto nanos = *rc::gen::inRange<std::uint32_t>(0, 1000000000);
  Timestamp t{seconds, nanos};
  std::string text = format_rfc3339(t);
  auto back = parse_rfc3339(text);
  RC_ASSERT(back.has_value());
  RC_ASSERT(*back == t);
  RC_ASSERT(format_rfc3339(*back) == text);
}

}  // namespace
}  // namespace verun::proofs
