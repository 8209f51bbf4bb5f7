// RFC 8785 canonicalization: the reference vectors of the RFC's author, the
// ES6 number samples, the RFC's own examples, and properties over random
// JSON values.
#include "verun/proofs/json/jcs.h"

#include <bit>
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

}  // namespace
}  // namespace verun::proofs
