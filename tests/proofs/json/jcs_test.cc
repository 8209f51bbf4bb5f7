// RFC 8785 canonicalization: the reference vectors of the RFC's author, the
// ES6 number samples, the RFC's own examples, and properties over random
// JSON values.
#include "verun/proofs/json/jcs.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "tests/support/matchers.h"
#include "tests/support/vectors.h"
#include "verun/proofs/hex.h"

namespace verun::proofs {
namespace {

using verun::testing::HasCode;

const char* const kPairs[] = {"arrays", "french", "structures", "unicode", "values", "weird"};

std::string from_outhex(const std::string& text) {
  std::string out;
  std::istringstream in(text);
  std::string byte;
  while (in >> byte) {
    auto b = hex_decode(byte);
    EXPECT_TRUE(b.has_value()) << byte;
    if (b) out.append(reinterpret_cast<const char*>(b->data()), b->size());
  }
  return out;
}

TEST(JcsVectors, GeneralProfileReproducesEveryOutput) {
  VERUN_REQUIRE_VECTORS(dir, "crypto/jcs");
  auto expected = verun::testing::read_json(dir / "expected.json");
  ASSERT_EQ(expected["expected"]["pairs"].size(), 6u);
  std::size_t n = 0;
  for (const auto& name_json : expected["expected"]["pairs"]) {
    const std::string name = name_json.get<std::string>();
    const std::string input = verun::testing::read_file(dir / "input" / (name + ".json"));
    const std::string output = verun::testing::read_file(dir / "output" / (name + ".json"));
    const std::string outhex = from_outhex(verun::testing::read_file(dir / "outhex" / (name + ".txt")));
    EXPECT_EQ(output, outhex) << name;
    auto got = jcs_canonicalize(input, JsonProfile::kGeneral);
    ASSERT_OK(got) << name;
    EXPECT_EQ(*got, output) << name;
    // The canonical form is a fixed point.
    auto again = jcs_canonicalize(output, JsonProfile::kGeneral);
    ASSERT_OK(again) << name;
    EXPECT_EQ(*again, output) << name;
    ++n;
  }
  EXPECT_EQ(n, 6u);
  verun::testing::report_vector_count("jcs input/output pairs (general profile)", n);
}

TEST(JcsVectors, VerunProfileAcceptsOnlyIntegerDocuments) {
  VERUN_REQUIRE_VECTORS(dir, "crypto/jcs");
  // arrays holds null, structures 56.0, values fractions (before its null).
  const std::pair<const char*, ErrorCode> refused[] = {
      {"arrays", ErrorCode::kJsonNullNotAllowed},
      {"structures", ErrorCode::kJsonFloatNotAllowed},
      {"values", ErrorCode::kJsonFloatNotAllowed},
  };
  std::size_t n = 0;
  for (const char* name : {"french", "unicode", "weird"}) {
    const std::string input = verun::testing::read_file(dir / "input" / (std::string(name) + ".json"));
    const std::string output = verun::testing::read_file(dir / "output" / (std::string(name) + ".json"));
    auto got = jcs_canonicalize(input);
    ASSERT_OK(got) << name;
    EXPECT_EQ(*got, output) << name;
    ++n;
  }
  for (const auto& [name, code] : refused) {
    const std::string input = verun::testing::read_file(dir / "input" / (std::string(name) + ".json"));
    EXPECT_THAT(jcs_canonicalize(input), HasCode(code)) << name;
    ++n;
  }
  EXPECT_EQ(n, std::size(kPairs));
  verun::testing::report_vector_count("jcs input files (verun profile: 3 accepted, 3 refused)", n);
}

TEST(JcsVectors, Es6NumberSamples) {
  VERUN_REQUIRE_VECTORS(dir, "crypto/jcs");
  std::ifstream in(dir / "es6-number-samples.txt");
  std::string line;
  std::size_t n = 0;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    const auto comma = line.find(',');
    ASSERT_NE(comma, std::string::npos) << line;
    const std::uint64_t bits = std::stoull(line.substr(0, comma), nullptr, 16);
    const double d = std::bit_cast<double>(bits);
    EXPECT_EQ(es6_number_to_string(d), line.substr(comma + 1)) << line;
    ++n;
  }
  auto expected = verun::testing::read_json(dir / "expected.json");
  EXPECT_EQ(n, expected["expected"]["number_samples"].get<std::size_t>());
  EXPECT_EQ(n, 7u);
  verun::testing::report_vector_count("es6 number samples", n);
}


// ---- RFC 8785 examples ------------------------------------------------------

double from_bits(std::uint64_t bits) { return std::bit_cast<double>(bits); }

TEST(Jcs, Rfc8785AppendixBNumbers) {
  const std::pair<std::uint64_t, const char*> rows[] = {
      {0x0000000000000000, "0"},
      {0x8000000000000000, "0"},
      {0x0000000000000001, "5e-324"},
      {0x8000000000000001, "-5e-324"},
      {0x7fefffffffffffff, "1.7976931348623157e+308"},
      {0xffefffffffffffff, "-1.7976931348623157e+308"},
      {0x4340000000000000, "9007199254740992"},
      {0xc340000000000000, "-9007199254740992"},
      {0x4430000000000000, "295147905179352830000"},
      {0x44b52d02c7e14af5, "9.999999999999997e+22"},
      {0x44b52d02c7e14af6, "1e+23"},
      {0x44b52d02c7e14af7, "1.0000000000000001e+23"},
      {0x444b1ae4d6e2ef4e, "999999999999999700000"},
      {0x444b1ae4d6e2ef4f, "999999999999999900000"},
      {0x444b1ae4d6e2ef50, "1e+21"},
      {0x3eb0c6f7a0b5ed8c, "9.999999999999997e-7"},
      {0x3eb0c6f7a0b5ed8d, "0.000001"},
      {0x41b3de4355555553, "333333333.3333332"},
      {0x41b3de4355555554, "333333333.33333325"},
      {0x41b3de4355555555, "333333333.3333333"},
      {0x41b3de4355555556, "333333333.3333334"},
      {0x41b3de4355555557, "333333333.33333343"},
      {0xbecbf647612f3696, "-0.0000033333333333333333"},
      {0x43143ff3c1cb0959, "1424953923781206.2"},
  };
  for (const auto& [bits, text] : rows) {
    EXPECT_EQ(es6_number_to_string(from_bits(bits)), text) << std::hex << bits;
    auto j = jcs_serialize(Json(from_bits(bits)), JsonProfile::kGeneral);
    ASSERT_OK(j);
    EXPECT_EQ(*j, text);
  }
  EXPECT_EQ(std::size(rows), 24u);
}

TEST(Jcs, Rfc8785AppendixBNonFiniteNumbersFail) {
  for (std::uint64_t bits : {0x7fffffffffffffffULL, 0x7ff0000000000000ULL, 0xfff0000000000000ULL}) {
    const Json v = from_bits(bits);
    EXPECT_THAT(jcs_serialize(v, JsonProfile::kGeneral), HasCode(ErrorCode::kJsonNonFiniteNumber));
    EXPECT_THAT(jcs_serialize(v, JsonProfile::kVerun), HasCode(ErrorCode::kJsonNonFiniteNumber));
  }
  EXPECT_EQ(es6_number_to_string(std::numeric_limits<double>::quiet_NaN()), "NaN");
  EXPECT_EQ(es6_number_to_string(std::numeric_limits<double>::infinity()), "Infinity");
  EXPECT_EQ(es6_number_to_string(-std::numeric_limits<double>::infinity()), "-Infinity");
}

TEST(Jcs, Es6LayoutBoundaries) {
  EXPECT_EQ(es6_number_to_string(1e20), "100000000000000000000");
  EXPECT_EQ(es6_number_to_string(1e21), "1e+21");
  EXPECT_EQ(es6_number_to_string(1.5e21), "1.5e+21");
  EXPECT_EQ(es6_number_to_string(123456789012345680000.0), "123456789012345680000");
  EXPECT_EQ(es6_number_to_string(1e-6), "0.000001");
  EXPECT_EQ(es6_number_to_string(1e-7), "1e-7");
  EXPECT_EQ(es6_number_to_string(1.25e-7), "1.25e-7");
  EXPECT_EQ(es6_number_to_string(0.1), "0.1");
  EXPECT_EQ(es6_number_to_string(-0.5), "-0.5");
  EXPECT_EQ(es6_number_to_string(4.5), "4.5");
  EXPECT_EQ(es6_number_to_string(56.0), "56");
  EXPECT_EQ(es6_number_to_string(100.0), "100");
  EXPECT_EQ(es6_number_to_string(123.456), "123.456");
  EXPECT_EQ(es6_number_to_string(-0.0), "0");
  EXPECT_EQ(es6_number_to_string(1e100), "1e+100");
  EXPECT_EQ(es6_number_to_string(2.2250738585072014e-308), "2.2250738585072014e-308");
}

// RFC 8785 §3.2.3: the sorting example, whose names are ordered by UTF-16
// code units (U+1F600, stored as D83D DE00, sorts before U+FB33).
TEST(Jcs, Rfc8785SortingExample) {
  const std::string input = R"({
    "\u20ac": "Euro Sign",
    "\r": "Carriage Return",
    "\ufb33": "Hebrew Letter Dalet With Dagesh",
    "1": "One",
    "\ud83d\ude00": "Emoji: Grinning Face",
    "\u0080": "Control",
    "\u00f6": "Latin Small Letter O With Diaeresis"
  })";
  const std::string expected =
      "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\xC2\x80\":\"Control\","
      "\"\xC3\xB6\":\"Latin Small Letter O With Diaeresis\",\"\xE2\x82\xAC\":\"Euro Sign\","
      "\"\xF0\x9F\x98\x80\":\"Emoji: Grinning Face\","
      "\"\xEF\xAC\xB3\":\"Hebrew Letter Dalet With Dagesh\"}";
  auto got = jcs_canonicalize(input);
  ASSERT_OK(got);
  EXPECT_EQ(*got, expected);
}

// RFC 8785 §3.2.2.2: the strings of the "values" example.
TEST(Jcs, Rfc8785StringEscapes) {
  auto got = jcs_canonicalize(R"("\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/")");
  ASSERT_OK(got);
  EXPECT_EQ(*got, "\"\xE2\x82\xAC$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"");
}

TEST(Jcs, EscapesEveryControlCharacterMinimally) {
  std::string all;
  for (int c = 0; c < 0x20; ++c) all += static_cast<char>(c);
  all += "\x7F\"\\/<>&\xE2\x80\xA8";  // DEL, quote, backslash, and characters JSON need not escape
  auto got = jcs_serialize(Json(all));
  ASSERT_OK(got);
  EXPECT_EQ(*got,
            "\"\\u0000\\u0001\\u0002\\u0003\\u0004\\u0005\\u0006\\u0007\\b\\t\\n\\u000b\\f\\r"
            "\\u000e\\u000f\\u0010\\u0011\\u0012\\u0013\\u0014\\u0015\\u0016\\u0017\\u0018"
            "\\u0019\\u001a\\u001b\\u001c\\u001d\\u001e\\u001f\x7F\\\"\\\\/<>&\xE2\x80\xA8\"");
}

// ---- serializer rules -------------------------------------------------------

TEST(Jcs, WritesLiteralsIntegersAndNestedContainers) {
  Json v = {{"b", {1, -2, true, false, "x"}}, {"a", Json::object()}, {"c", Json::array()}};
  EXPECT_EQ(*jcs_serialize(v), R"({"a":{},"b":[1,-2,true,false,"x"],"c":[]})");
  EXPECT_EQ(*jcs_serialize(Json(nullptr), JsonProfile::kGeneral), "null");
  EXPECT_EQ(*jcs_serialize(Json(9007199254740991LL)), "9007199254740991");
  EXPECT_EQ(*jcs_serialize(Json(-9007199254740991LL)), "-9007199254740991");
  EXPECT_EQ(*jcs_serialize(Json(0)), "0");
}

TEST(Jcs, VerunRefusesWhatTheVerunParserRefuses) {
  EXPECT_THAT(jcs_serialize(Json(nullptr)), HasCode(ErrorCode::kJsonNullNotAllowed));
  EXPECT_THAT(jcs_serialize(Json{{"a", {1, nullptr}}}), HasCode(ErrorCode::kJsonNullNotAllowed));
  EXPECT_THAT(jcs_serialize(Json(56.0)), HasCode(ErrorCode::kJsonFloatNotAllowed));
  EXPECT_THAT(jcs_serialize(Json{{"a", 0.5}}), HasCode(ErrorCode::kJsonFloatNotAllowed));
  EXPECT_THAT(jcs_serialize(Json(9007199254740992ULL)), HasCode(ErrorCode::kJsonIntegerOutOfRange));
  EXPECT_THAT(jcs_serialize(Json(-9007199254740992LL)), HasCode(ErrorCode::kJsonIntegerOutOfRange));
  EXPECT_THAT(jcs_serialize(Json(std::numeric_limits<std::int64_t>::min())),
              HasCode(ErrorCode::kJsonIntegerOutOfRange));
  EXPECT_THAT(jcs_serialize(Json(std::numeric_limits<std::uint64_t>::max())),
              HasCode(ErrorCode::kJsonIntegerOutOfRange));
}

TEST(Jcs, GeneralWritesLargeIntegersAsDoubles) {
  // RFC 8785 numbers are IEEE-754 doubles: beyond 2^53 the value is rounded.
  EXPECT_EQ(*jcs_serialize(Json(9007199254740992ULL), JsonProfile::kGeneral), "9007199254740992");
  EXPECT_EQ(*jcs_serialize(Json(9007199254740993ULL), JsonProfile::kGeneral), "9007199254740992");
  EXPECT_EQ(*jcs_serialize(Json(std::numeric_limits<std::uint64_t>::max()), JsonProfile::kGeneral),
            "18446744073709552000");
  EXPECT_EQ(*jcs_serialize(Json(std::numeric_limits<std::int64_t>::min()), JsonProfile::kGeneral),
            "-9223372036854776000");
  EXPECT_EQ(*jcs_canonicalize("[56.0, 1e3, -0.0, 1E30]", JsonProfile::kGeneral), "[56,1000,0,1e+30]");
}

TEST(Jcs, RejectsValuesWithoutAJsonForm) {
  EXPECT_THAT(jcs_serialize(Json::binary({1, 2, 3}), JsonProfile::kGeneral),
              HasCode(ErrorCode::kJsonUnsupportedType));
  EXPECT_THAT(jcs_serialize(Json(Json::value_t::discarded), JsonProfile::kGeneral),
              HasCode(ErrorCode::kJsonUnsupportedType));
  EXPECT_THAT(jcs_serialize(Json{{"k", Json::binary({1})}}, JsonProfile::kGeneral),
              HasCode(ErrorCode::kJsonUnsupportedType));
}

TEST(Jcs, RejectsIllFormedUtf8InStringsAndNames) {
  EXPECT_THAT(jcs_serialize(Json("\xFF")), HasCode(ErrorCode::kJsonInvalidUtf8));
  EXPECT_THAT(jcs_serialize(Json("\xED\xA0\x80")), HasCode(ErrorCode::kJsonInvalidUtf8));
  EXPECT_THAT(jcs_serialize(Json{{"\xC0\x80", 1}}, JsonProfile::kGeneral), HasCode(ErrorCode::kJsonInvalidUtf8));
}

TEST(Jcs, SortsNamesByUtf16CodeUnitsNotBytes) {
  // U+10000 (F0 90 80 80) is D800 DC00 in UTF-16, below U+E000 and U+FFFF.
  Json v = {{"\xEF\xBF\xBF", 1}, {"\xF0\x90\x80\x80", 2}, {"\xEE\x80\x80", 3}, {"\xED\x9F\xBF", 4},
            {"z", 5}, {"\xF0\x90\x80\x80" "a", 6}};
  EXPECT_EQ(*jcs_serialize(v), "{\"z\":5,\"\xED\x9F\xBF\":4,\"\xF0\x90\x80\x80\":2,\"\xF0\x90\x80\x80"
                               "a\":6,\"\xEE\x80\x80\":3,\"\xEF\xBF\xBF\":1}");
}

TEST(Jcs, DeepValuesDoNotExhaustTheStack) {
  Json v = Json::array();
  for (int i = 0; i < 100000; ++i) v = Json::array({std::move(v)});
  auto got = jcs_serialize(v);
  ASSERT_OK(got);
  EXPECT_EQ(got->size(), 2u * 100001u);
}

TEST(Jcs, CanonicalizeUsesTheLimits) {
  EXPECT_THAT(jcs_canonicalize("[[1]]", JsonProfile::kVerun, JsonLimits{.max_depth = 1}),
              HasCode(ErrorCode::kJsonTooDeep));
  EXPECT_THAT(jcs_canonicalize("[1,2]", JsonProfile::kVerun, JsonLimits{.max_depth = 32, .max_bytes = 4}),
              HasCode(ErrorCode::kJsonTooLarge));
  EXPECT_THAT(jcs_canonicalize(R"({"a":1,"a":1})"), HasCode(ErrorCode::kJsonDuplicateKey));
}

// ---- properties -------------------------------------------------------------

constexpr std::int64_t kMaxSafe = (std::int64_t{1} << 53) - 1;

void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// Any Unicode scalar value, weighted toward the ranges where escaping and
// UTF-16 ordering are decided.
std::string random_unicode_string() {
  const auto n = *rc::gen::inRange(0, 8);
  std::string s;
  for (int i = 0; i < n; ++i) {
    char32_t cp = 0;
    switch (*rc::gen::inRange(0, 6)) {
      case 0: cp = *rc::gen::inRange<char32_t>(0, 0x20); break;        // controls
      case 1: cp = *rc::gen::inRange<char32_t>(0x20, 0x80); break;     // ASCII
      case 2: cp = *rc::gen::inRange<char32_t>(0x80, 0xD800); break;   // BMP below surrogates
      case 3: cp = *rc::gen::inRange<char32_t>(0xE000, 0x10000); break;  // BMP above surrogates
      case 4: cp = *rc::gen::inRange<char32_t>(0x10000, 0x110000); break;  // supplementary
      default: cp = *rc::gen::element<char32_t>('"', '\\', '/', 0x7F, 0xFFFF, 0x10FFFF); break;
    }
    append_utf8(s, cp);
  }
  return s;
}

// A random verun value: strings, booleans, safe integers, arrays, objects,
// nested at most `depth` more levels.
Json random_verun_value(int depth) {
  const int kind = *rc::gen::inRange(0, depth > 0 ? 6 : 3);
  switch (kind) {
    case 0: return *rc::gen::arbitrary<bool>();
    case 1: return *rc::gen::inRange<std::int64_t>(-kMaxSafe, kMaxSafe + 1);
    case 2: return random_unicode_string();
    case 3:
    case 4: {
      Json a = Json::array();
      const int n = *rc::gen::inRange(0, 4);
      for (int i = 0; i < n; ++i) a.push_back(random_verun_value(depth - 1));
      return a;
    }
    default: {
      Json o = Json::object();
      const int n = *rc::gen::inRange(0, 4);
      for (int i = 0; i < n; ++i) o[random_unicode_string()] = random_verun_value(depth - 1);
      return o;
    }
  }
}

// Wraps v in `levels` single-member arrays or objects, to reach the limit.
Json wrap(Json v, int levels) {
  for (int i = 0; i < levels; ++i) {
    if (*rc::gen::arbitrary<bool>())
      v = Json::array({std::move(v)});
    else
      v = Json{{random_unicode_string(), std::move(v)}};
  }
  return v;
}

int depth_of(const Json& v) {
  if (!v.is_structured()) return 0;
  int d = 0;
  for (const auto& e : v) d = std::max(d, depth_of(e));
  return d + 1;
}

RC_GTEST_PROP(JcsProperty, CanonicalFormIsAFixedPointAndKeepsTheValue, ()) {
  const Json base = random_verun_value(*rc::gen::inRange(0, 6));
  const int pad = *rc::gen::inRange(0, std::max(1, 33 - depth_of(base)));
  const Json v = wrap(base, pad);
  RC_PRE(depth_of(v) <= 32);
  auto c1 = jcs_serialize(v);
  RC_ASSERT(c1.has_value());
  for (auto profile : {JsonProfile::kVerun, JsonProfile::kGeneral}) {
    auto parsed = parse_json(*c1, profile);
    RC_ASSERT(parsed.has_value());
    RC_ASSERT(*parsed == v);
    auto c2 = jcs_serialize(*parsed, profile);
    RC_ASSERT(c2.has_value());
    RC_ASSERT(*c2 == *c1);
  }
  // Pretty-printed or not, any spelling of the value canonicalizes the same.
  RC_ASSERT(*jcs_canonicalize(v.dump(2)) == *c1);
  RC_ASSERT(*jcs_canonicalize(v.dump(-1, ' ', /*ensure_ascii=*/true)) == *c1);
}

std::u16string to_utf16(const std::string& s) {
  std::u16string out;
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    char32_t cp;
    int len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
    for (int k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    i += static_cast<std::size_t>(len);
    if (cp >= 0x10000) {
      out += static_cast<char16_t>(0xD800 + ((cp - 0x10000) >> 10));
      out += static_cast<char16_t>(0xDC00 + ((cp - 0x10000) & 0x3FF));
    } else {
      out += static_cast<char16_t>(cp);
    }
  }
  return out;
}

RC_GTEST_PROP(JcsProperty, MembersAreOrderedByUtf16CodeUnits, ()) {
  Json o = Json::object();
  const int n = *rc::gen::inRange(0, 12);
  for (int i = 0; i < n; ++i) o[random_unicode_string()] = i;
  std::vector<std::string> names;
  for (const auto& [k, v] : o.items()) names.push_back(k);
  std::sort(names.begin(), names.end(),
            [](const std::string& a, const std::string& b) { return to_utf16(a) < to_utf16(b); });
  std::string expected = "{";
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) expected += ',';
    expected += *jcs_serialize(Json(names[i])) + ":" + *jcs_serialize(o[names[i]]);
  }
  expected += "}";
  RC_ASSERT(*jcs_serialize(o) == expected);
}

RC_GTEST_PROP(JcsProperty, Es6NumbersRoundTrip, (std::uint64_t bits)) {
  const double d = std::bit_cast<double>(bits);
  RC_PRE(std::isfinite(d));
  const std::string text = es6_number_to_string(d);
  RC_ASSERT(std::strtod(text.c_str(), nullptr) == d);
  // JCS of the double re-parses (general profile) to the same double.
  auto c = jcs_serialize(Json(d), JsonProfile::kGeneral);
  RC_ASSERT(c.has_value());
  RC_ASSERT(*c == text);
  auto back = parse_json(*c, JsonProfile::kGeneral);
  RC_ASSERT(back.has_value());
  RC_ASSERT(back->get<double>() == d);
  RC_ASSERT(*jcs_serialize(*back, JsonProfile::kGeneral) == text);
}

RC_GTEST_PROP(JcsProperty, CanonicalizeNeverCrashesOnRandomBytes, (const std::string& bytes)) {
  for (auto profile : {JsonProfile::kVerun, JsonProfile::kGeneral}) {
    auto r = jcs_canonicalize(bytes, profile);
    if (r) RC_ASSERT(*jcs_canonicalize(*r, profile) == *r);
  }
}

}  // namespace
}  // namespace verun::proofs
