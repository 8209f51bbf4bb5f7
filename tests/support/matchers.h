// GoogleTest matchers for verun::Result: EXPECT_THAT(r, IsOk()),
// EXPECT_THAT(r, HasCode(ErrorCode::kProofBadLength)). On a mismatch they
// print the actual code and message.
#pragma once

#include <gmock/gmock.h>

#include "verun/result.h"

namespace verun::testing {

MATCHER(IsOk, "is ok") {
  if (arg.has_value()) return true;
  *result_listener << "error " << arg.error().to_string();
  return false;
}

MATCHER_P(HasCode, code, std::string("fails with code ") + std::string(::verun::to_string(code))) {
  if (arg.has_value()) {
    *result_listener << "succeeded";
    return false;
  }
  *result_listener << "error " << arg.error().to_string();
  return arg.error().code == code;
}

}  // namespace verun::testing

#define ASSERT_OK(expr) ASSERT_THAT((expr), ::verun::testing::IsOk())
#define EXPECT_OK(expr) EXPECT_THAT((expr), ::verun::testing::IsOk())
