// Strict JSON parsing: every rule of DESIGN.md §10 has a test here that
// fails when the rule is removed, in both profiles where they differ.
#include "verun/proofs/json/strict_json.h"

#include <cstdint>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "tests/support/matchers.h"

namespace verun::proofs {
namespace {

using verun::testing::HasCode;
using verun::testing::IsOk;

constexpr JsonProfile kGeneral = JsonProfile::kGeneral;
constexpr JsonProfile kVerun = JsonProfile::kVerun;

std::string nested_arrays(std::size_t depth) {
  return std::string(depth, '[') + std::string(depth, ']');
}

std::string nested_objects(std::size_t depth) {
  std::string s;
  for (std::size_t i = 0; i < depth; ++i) s += "{\"k\":";
  s += "1";
  s.append(depth, '}');
  return s;
}

TEST(StrictJson, ParsesADocumentLikeNlohmann) {
  const std::string text = R"({"a": [1, -2, "x", true, false, {}], "b": {"c": ""}})";
  auto r = parse_json(text);
  ASSERT_OK(r);
  EXPECT_EQ(*r, Json::parse(text));
  EXPECT_EQ((*r)["a"][1].get<std::int64_t>(), -2);
  // Non-negative integers are unsigned, as nlohmann's own parser makes them.
  EXPECT_TRUE((*r)["a"][0].is_number_unsigned());
  EXPECT_TRUE((*r)["a"][1].is_number_integer());
}

TEST(StrictJson, AcceptsTopLevelScalarsAndSurroundingWhitespace) {
  EXPECT_EQ(*parse_json(" \t\r\n\"s\"\n "), Json("s"));
  EXPECT_EQ(*parse_json("7"), Json(7));
  EXPECT_EQ(*parse_json("true"), Json(true));
  EXPECT_EQ(*parse_json("[]"), Json::array());
}

TEST(StrictJson, DecodesEscapesAndSurrogatePairs) {
  auto r = parse_json(R"(["\u0061\n\/\"\\", "\ud83d\ude02", "\u0000"])");
  ASSERT_OK(r);
  EXPECT_EQ((*r)[0], "a\n/\"\\");
  EXPECT_EQ((*r)[1], "\xF0\x9F\x98\x82");  // U+1F602
  EXPECT_EQ((*r)[2].get<std::string>(), std::string(1, '\0'));
}

// ---- syntax ---------------------------------------------------------------

TEST(StrictJson, RejectsEmptyAndWhitespaceOnlyInput) {
  EXPECT_THAT(parse_json(""), HasCode(ErrorCode::kJsonSyntax));
  EXPECT_THAT(parse_json("  \n"), HasCode(ErrorCode::kJsonSyntax));
}

TEST(StrictJson, RejectsTrailingData) {
  for (const char* bad : {"{} x", "1 2", "{}{}", "[]]", "\"a\"\"b\"", "true false"}) {
    EXPECT_THAT(parse_json(bad), HasCode(ErrorCode::kJsonSyntax)) << bad;
    EXPECT_THAT(parse_json(bad, kGeneral), HasCode(ErrorCode::kJsonSyntax)) << bad;
  }
  // nlohmann's lexer reads a NUL byte as the end of input; here it is an
  // error wherever it appears.
  EXPECT_THAT(parse_json(std::string_view("{}\0", 3)), HasCode(ErrorCode::kJsonSyntax));
  EXPECT_THAT(parse_json(std::string_view("{}\0garbage", 10)), HasCode(ErrorCode::kJsonSyntax));
  EXPECT_THAT(parse_json(std::string_view("\0", 1)), HasCode(ErrorCode::kJsonSyntax));
  EXPECT_THAT(parse_json(std::string_view("[\"a\0\"]", 6)), HasCode(ErrorCode::kJsonSyntax));
  EXPECT_OK(parse_json("{}  \n"));
}

TEST(StrictJson, RejectsByteOrderMark) {
  EXPECT_THAT(parse_json("\xEF\xBB\xBF{}"), HasCode(ErrorCode::kJsonSyntax));
  EXPECT_THAT(parse_json("\xEF\xBB\xBF{}", kGeneral), HasCode(ErrorCode::kJsonSyntax));
  EXPECT_THAT(parse_json("\xEF\xBB\xBF"), HasCode(ErrorCode::kJsonSyntax));
}

TEST(StrictJson, RejectsNonJsonSyntax) {
  for (const char* bad :
       {"{", "[", "[1,]", "{\"a\":1,}", "{'a':1}", "{a:1}", "01", "+1", ".5", "1.", "1e", "-",
        "0x10", "NaN", "Infinity", "-Infinity", "tru", "nul", "/* c */ 1", "1 // c", "[1 2]",
        "{\"a\" 1}", "{\"a\":}", "\"unterminated", "\"\t\"", "\"\x01\"", "\"\\x41\"", "\"\\u12\"",
        "\"\\uZZZZ\""}) {
    EXPECT_THAT(parse_json(bad, kGeneral), HasCode(ErrorCode::kJsonSyntax)) << bad;
  }
}

// ---- limits ---------------------------------------------------------------

TEST(StrictJson, DepthLimitIs32ByDefault) {
  EXPECT_OK(parse_json(nested_arrays(32)));
  EXPECT_THAT(parse_json(nested_arrays(33)), HasCode(ErrorCode::kJsonTooDeep));
  EXPECT_OK(parse_json(nested_objects(32)));
  EXPECT_THAT(parse_json(nested_objects(33)), HasCode(ErrorCode::kJsonTooDeep));
  EXPECT_THAT(parse_json(nested_objects(33), kGeneral), HasCode(ErrorCode::kJsonTooDeep));
  // A scalar has depth 0; a top-level container depth 1.
  EXPECT_OK(parse_json("1", kVerun, JsonLimits{.max_depth = 0}));
  EXPECT_THAT(parse_json("[]", kVerun, JsonLimits{.max_depth = 0}), HasCode(ErrorCode::kJsonTooDeep));
  EXPECT_OK(parse_json("[]", kVerun, JsonLimits{.max_depth = 1}));
  EXPECT_THAT(parse_json("[[]]", kVerun, JsonLimits{.max_depth = 1}), HasCode(ErrorCode::kJsonTooDeep));
}

TEST(StrictJson, DepthCountsOpenContainersNotSiblings) {
  // 32 levels twice in a row is still depth 32.
  const std::string twice = "[" + nested_arrays(31) + "," + nested_arrays(31) + "]";
  EXPECT_OK(parse_json(twice));
  EXPECT_THAT(parse_json("[" + nested_arrays(31) + "," + nested_arrays(32) + "]"),
              HasCode(ErrorCode::kJsonTooDeep));
}

TEST(StrictJson, VeryDeepInputFailsWithoutExhaustingTheStack) {
  const std::string deep(1'000'000, '[');
  EXPECT_THAT(parse_json(deep, kGeneral), HasCode(ErrorCode::kJsonTooDeep));
  const JsonLimits generous{.max_depth = 100'000, .max_bytes = 4 * 1024 * 1024};
  auto r = parse_json(nested_arrays(100'000), kGeneral, generous);
  EXPECT_OK(r);  // nlohmann's parser and value destructor are iterative
}

TEST(StrictJson, SizeLimitIsCheckedBeforeParsing) {
  const JsonLimits small{.max_depth = 32, .max_bytes = 8};
  EXPECT_OK(parse_json("[1,2,30]", kVerun, small));  // exactly 8 bytes
  EXPECT_THAT(parse_json("[1,2,300]", kVerun, small), HasCode(ErrorCode::kJsonTooLarge));
  // Checked first: a too-long text is too large even when it is also invalid.
  EXPECT_THAT(parse_json("\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF", kVerun, small),
              HasCode(ErrorCode::kJsonTooLarge));
  EXPECT_THAT(parse_json(std::string(4 * 1024 * 1024 + 1, ' ')), HasCode(ErrorCode::kJsonTooLarge));
}

// ---- duplicate keys -------------------------------------------------------

TEST(StrictJson, RejectsDuplicateKeys) {
  EXPECT_THAT(parse_json(R"({"a":1,"a":2})"), HasCode(ErrorCode::kJsonDuplicateKey));
  EXPECT_THAT(parse_json(R"({"a":1,"a":1})", kGeneral), HasCode(ErrorCode::kJsonDuplicateKey));
  EXPECT_THAT(parse_json(R"({"a":1,"b":2,"a":{}})"), HasCode(ErrorCode::kJsonDuplicateKey));
  EXPECT_THAT(parse_json(R"({"x":{"a":1,"a":2}})"), HasCode(ErrorCode::kJsonDuplicateKey));
  EXPECT_THAT(parse_json(R"([{"a":1,"a":2}])"), HasCode(ErrorCode::kJsonDuplicateKey));
  EXPECT_THAT(parse_json(R"({"":1,"":2})"), HasCode(ErrorCode::kJsonDuplicateKey));
}

TEST(StrictJson, ComparesKeysAfterDecodingEscapes) {
  EXPECT_THAT(parse_json(R"({"a":1,"\u0061":2})"), HasCode(ErrorCode::kJsonDuplicateKey));
  EXPECT_THAT(parse_json(R"({"\/":1,"/":2})"), HasCode(ErrorCode::kJsonDuplicateKey));
  EXPECT_THAT(parse_json("{\"\\u00e9\":1,\"\xC3\xA9\":2}"), HasCode(ErrorCode::kJsonDuplicateKey));
  EXPECT_THAT(parse_json("{\"\\ud83d\\ude02\":1,\"\xF0\x9F\x98\x82\":2}"),
              HasCode(ErrorCode::kJsonDuplicateKey));
  // No Unicode normalization: e + combining acute differs from U+00E9.
  EXPECT_OK(parse_json("{\"e\\u0301\":1,\"\\u00e9\":2}"));
}

TEST(StrictJson, SameKeyInDifferentObjectsIsFine) {
  EXPECT_OK(parse_json(R"({"a":{"a":1},"b":{"a":2}})"));
  EXPECT_OK(parse_json(R"([{"a":1},{"a":2}])"));
  EXPECT_OK(parse_json(R"({"a":1,"A":2})"));
}

// ---- numbers --------------------------------------------------------------

TEST(StrictJson, VerunAcceptsSafeIntegers) {
  EXPECT_EQ(*parse_json("9007199254740991"), Json(9007199254740991ULL));
  EXPECT_EQ(*parse_json("-9007199254740991"), Json(-9007199254740991LL));
  EXPECT_EQ(*parse_json("0"), Json(0));
  EXPECT_EQ(*parse_json("-0"), Json(0));  // an integer, not a float
}

TEST(StrictJson, VerunRejectsIntegersBeyond2To53Minus1) {
  for (const char* bad : {"9007199254740992", "-9007199254740992", "9223372036854775807",
                          "-9223372036854775808", "18446744073709551615", "18446744073709551616",
                          "-9223372036854775809", "123456789012345678901234567890", "[1,9007199254740993]"}) {
    EXPECT_THAT(parse_json(bad), HasCode(ErrorCode::kJsonIntegerOutOfRange)) << bad;
  }
  // So many digits that even a double overflows: still an integer.
  EXPECT_THAT(parse_json("1" + std::string(400, '0')), HasCode(ErrorCode::kJsonIntegerOutOfRange));
  EXPECT_THAT(parse_json("-1" + std::string(400, '0')), HasCode(ErrorCode::kJsonIntegerOutOfRange));
}

TEST(StrictJson, VerunRejectsEveryFractionOrExponent) {
  for (const char* bad : {"56.0", "1e3", "1E3", "1e+3", "1e-3", "-0.0", "0.5", "-1.5", "1.0e0",
                          "0e0", "[1, 2.5]", "{\"a\": 3.0}", "1e400", "-1e400"}) {
    EXPECT_THAT(parse_json(bad), HasCode(ErrorCode::kJsonFloatNotAllowed)) << bad;
  }
}

TEST(StrictJson, GeneralKeepsFloatsAndLargeIntegers) {
  EXPECT_EQ(*parse_json("56.0", kGeneral), Json(56.0));
  EXPECT_EQ(*parse_json("1e3", kGeneral), Json(1000.0));
  auto neg_zero = parse_json("-0.0", kGeneral);
  ASSERT_OK(neg_zero);
  EXPECT_TRUE(neg_zero->is_number_float());
  EXPECT_TRUE(std::signbit(neg_zero->get<double>()));
  EXPECT_EQ(*parse_json("9007199254740993", kGeneral), Json(9007199254740993ULL));
  EXPECT_EQ(*parse_json("18446744073709551615", kGeneral), Json(18446744073709551615ULL));
  auto huge = parse_json("18446744073709551616", kGeneral);
  ASSERT_OK(huge);
  EXPECT_TRUE(huge->is_number_float());
  EXPECT_EQ(huge->get<double>(), 18446744073709551616.0);
}

TEST(StrictJson, GeneralRejectsNumbersBeyondDoubleRange) {
  EXPECT_THAT(parse_json("1e400", kGeneral), HasCode(ErrorCode::kJsonNonFiniteNumber));
  EXPECT_THAT(parse_json("[-1e309]", kGeneral), HasCode(ErrorCode::kJsonNonFiniteNumber));
  EXPECT_THAT(parse_json("1" + std::string(400, '0'), kGeneral), HasCode(ErrorCode::kJsonNonFiniteNumber));
  EXPECT_OK(parse_json("1e-400", kGeneral));  // underflows to 0, which is finite
}

// ---- null -----------------------------------------------------------------

TEST(StrictJson, VerunRejectsNullGeneralKeepsIt) {
  EXPECT_THAT(parse_json("null"), HasCode(ErrorCode::kJsonNullNotAllowed));
  EXPECT_THAT(parse_json(R"({"a":null})"), HasCode(ErrorCode::kJsonNullNotAllowed));
  EXPECT_THAT(parse_json("[1,[null]]"), HasCode(ErrorCode::kJsonNullNotAllowed));
  auto r = parse_json(R"({"a":null})", kGeneral);
  ASSERT_OK(r);
  EXPECT_TRUE((*r)["a"].is_null());
}

// ---- UTF-8 and surrogates ---------------------------------------------------

TEST(StrictJson, RejectsIllFormedUtf8Anywhere) {
  for (const char* bad : {
           "\"\xFF\"",              // never valid
           "\"\xC0\x80\"",          // overlong NUL
           "\"\xC1\xBF\"",          // overlong
           "\"\xE0\x80\xAF\"",      // overlong '/'
           "\"\xED\xA0\x80\"",      // encoded surrogate U+D800
           "\"\xED\xBF\xBF\"",      // encoded surrogate U+DFFF
           "\"\xF4\x90\x80\x80\"",  // above U+10FFFF
           "\"\xF5\x80\x80\x80\"",  // lead byte beyond F4
           "\"\xC3\"",              // truncated 2-byte sequence
           "\"\xE2\x82\"",          // truncated 3-byte sequence
           "\"\xF0\x9F\x98\"",      // truncated 4-byte sequence
           "\"\x80\"",              // lone continuation byte
           "\"\xC3\x28\"",          // bad continuation
           "{\"\xFF\":1}",          // in a key
           "\xFF",                  // outside any string
           "[1]\xC3",               // truncated, at the very end
       }) {
    EXPECT_THAT(parse_json(bad, kGeneral), HasCode(ErrorCode::kJsonInvalidUtf8)) << ::testing::PrintToString(bad);
  }
}

TEST(StrictJson, AcceptsWellFormedUtf8AtEveryLength) {
  auto r = parse_json("\"\x7F \xC2\x80 \xDF\xBF \xE0\xA0\x80 \xED\x9F\xBF \xEE\x80\x80 \xEF\xBF\xBF "
                      "\xF0\x90\x80\x80 \xF4\x8F\xBF\xBF\"");
  EXPECT_OK(r);
}

TEST(StrictJson, RejectsLoneSurrogateEscapes) {
  for (const char* bad : {R"("\ud800")", R"("\udbff")", R"("\udc00")", R"("\udfff")",
                          R"("\ud800\u0041")", R"("\ud800x")", R"("\ud800\ud800")",
                          R"("\ude02\ud83d")", R"({"\ud800":1})", R"("a\ud83d")"}) {
    EXPECT_THAT(parse_json(bad, kGeneral), HasCode(ErrorCode::kJsonLoneSurrogate)) << bad;
  }
  EXPECT_OK(parse_json(R"("\uD83D\uDE02")"));  // upper-case hex pair is fine
}

// What nlohmann's own parser lets through, which is why parse_json checks
// these itself. If a nlohmann upgrade changes any of them, this test says so.
TEST(StrictJson, NlohmannBaselineAcceptsWhatWeRefuse) {
  auto lenient = [](std::string_view text) { return !Json::parse(text, nullptr, false).is_discarded(); };
  EXPECT_TRUE(lenient("\xEF\xBB\xBF{}"));                       // skips a byte order mark
  EXPECT_TRUE(lenient(std::string_view("{}\0garbage", 10)));     // stops at a NUL byte
  EXPECT_TRUE(lenient(R"({"a":1,"a":2})"));                     // keeps the last duplicate
  EXPECT_TRUE(lenient(nested_arrays(1000)));                    // no depth limit
  EXPECT_TRUE(lenient("[56.0, 1e3, null, 9007199254740992]"));  // no number profile
  // ...and what it already refuses, with our codes on top.
  EXPECT_FALSE(lenient("\"\xFF\""));
  EXPECT_FALSE(lenient("\"\xED\xA0\x80\""));
  EXPECT_FALSE(lenient(R"("\ud800")"));
  EXPECT_FALSE(lenient("{} x"));
}

TEST(StrictJson, InvalidUtf8MessageNamesTheOffset) {
  auto r = parse_json("[\"ok\", \"\xC3\x28\"]");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("byte 8"), std::string::npos) << r.error().message;
}

// ---- profiles and no partial state ----------------------------------------

TEST(StrictJson, FirstViolationDecidesTheCode) {
  EXPECT_THAT(parse_json(R"([null, 1.5])"), HasCode(ErrorCode::kJsonNullNotAllowed));
  EXPECT_THAT(parse_json(R"([1.5, null])"), HasCode(ErrorCode::kJsonFloatNotAllowed));
  EXPECT_THAT(parse_json(R"({"a":1,"a":null})"), HasCode(ErrorCode::kJsonDuplicateKey));
}

TEST(StrictJson, ErrorMessagesNameTheKeyOrNumber) {
  auto dup = parse_json(R"({"keyname":1,"keyname":2})");
  ASSERT_FALSE(dup);
  EXPECT_NE(dup.error().message.find("keyname"), std::string::npos) << dup.error().message;
  auto fl = parse_json(R"([56.0])");
  ASSERT_FALSE(fl);
  EXPECT_NE(fl.error().message.find("56.0"), std::string::npos) << fl.error().message;
  auto syn = parse_json("[1,]");
  ASSERT_FALSE(syn);
  EXPECT_NE(syn.error().message.find("byte 3"), std::string::npos) << syn.error().message;
  // Syntax errors do not echo the input.
  auto secret = parse_json(R"({"k": "s3cr3t-value)");
  ASSERT_FALSE(secret);
  EXPECT_EQ(secret.error().message.find("s3cr3t"), std::string::npos) << secret.error().message;
}

// ---- properties -----------------------------------------------------------

RC_GTEST_PROP(StrictJsonProperty, NeverCrashesOnRandomBytes, (const std::string& bytes)) {
  for (auto profile : {kVerun, kGeneral}) {
    auto r = parse_json(bytes, profile);
    if (!r) RC_ASSERT(r.error().code != ErrorCode::kOk);
  }
}

RC_GTEST_PROP(StrictJsonProperty, NeverCrashesOnRandomJsonLikeText, ()) {
  // Tokens that make random text likely to go deep into the grammar.
  static const std::vector<std::string> kTokens = {
      "{", "}", "[", "]", ",", ":", "\"a\"", "\"\\u0061\"", "\"\\ud800\"", "\"\\udc00\"", "1", "-0",
      "1.5", "1e3", "9007199254740992", "null", "true", "false", " ", "\"", "\\", "\xC3\xA9", "\xFF"};
  const auto picks = *rc::gen::container<std::vector<std::size_t>>(
      rc::gen::inRange<std::size_t>(0, kTokens.size()));
  std::string text;
  for (auto i : picks) text += kTokens[i];
  for (auto profile : {kVerun, kGeneral}) {
    auto r = parse_json(text, profile, JsonLimits{.max_depth = 4, .max_bytes = 1 << 20});
    if (r) RC_ASSERT(*r == Json::parse(text));  // whatever we accept, nlohmann reads the same
  }
}

}  // namespace
}  // namespace verun::proofs
