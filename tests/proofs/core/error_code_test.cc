// The error code table: unique, well-formed names that map back to codes.
#include <regex>
#include <set>

#include <gtest/gtest.h>

#include "verun/error_code.h"
#include "verun/result.h"

namespace verun {
namespace {

TEST(ErrorCode, NamesAreUniqueDottedLowercaseAndRoundTrip) {
  std::set<std::string_view> seen;
  std::regex shape("[a-z][a-z0-9_]*(\\.[a-z0-9_]+)*");
  ASSERT_FALSE(all_error_codes().empty());
  for (const auto& info : all_error_codes()) {
    EXPECT_TRUE(seen.insert(info.name).second) << "duplicate " << info.name;
    EXPECT_TRUE(std::regex_match(std::string(info.name), shape)) << info.name;
    EXPECT_FALSE(info.meaning.empty()) << info.name;
    EXPECT_EQ(to_string(info.code), info.name);
    EXPECT_EQ(error_code_from_string(info.name), info.code);
  }
  EXPECT_EQ(to_string(ErrorCode::kOk), "ok");
  EXPECT_FALSE(error_code_from_string("no.such_code").has_value());
}

Result<int> parse_positive(int v) {
  if (v <= 0) return Error(ErrorCode::kInvalidArgument, "not positive");
  return v;
}

Result<int> doubled(int v) {
  VERUN_ASSIGN_OR_RETURN(int x, parse_positive(v));
  return 2 * x;
}

TEST(Result, PropagatesAndThrowsOnBadAccess) {
  EXPECT_EQ(*doubled(4), 8);
  auto r = doubled(-1);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.code(), ErrorCode::kInvalidArgument);
  EXPECT_THROW(r.value(), BadResultAccess);
  EXPECT_EQ(r.value_or(7), 7);
}

}  // namespace
}  // namespace verun
