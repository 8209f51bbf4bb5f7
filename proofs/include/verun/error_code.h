// verun::ErrorCode: every stable error code of verun, in one enum.
//
// Codes are lowercase dotted names that say what failed ("proof.bad_length"),
// listed per area in verun/error_codes/*.def as
//   VERUN_ERROR(kEnumerator, "dotted.name", "what it means")
// Once released a code is never renamed or reused; new ones are appended.
// docs/error-codes.md lists them all, and a test keeps the two in step.
#pragma once

#include <optional>
#include <span>
#include <string_view>

namespace verun {

enum class ErrorCode : int {
  kOk = 0,
#define VERUN_ERROR(e, name, meaning) e,
#include "verun/error_codes/all.def"
#undef VERUN_ERROR
};

// The stable dotted name, e.g. "json.duplicate_key". kOk is "ok".
std::string_view to_string(ErrorCode code);
// The one-line meaning documented for the code.
std::string_view describe(ErrorCode code);
// The code with that dotted name, if any.
std::optional<ErrorCode> error_code_from_string(std::string_view name);

struct ErrorCodeInfo {
  ErrorCode code;
  std::string_view name;
  std::string_view meaning;
};
// Every code except kOk, in declaration order.
std::span<const ErrorCodeInfo> all_error_codes();

}  // namespace verun
