// The table behind verun::ErrorCode (see verun/error_code.h).
#include "verun/error_code.h"

#include <array>
#include <string>

#include "verun/result.h"

namespace verun {
namespace {

constexpr ErrorCodeInfo kTable[] = {
#define VERUN_ERROR(e, name, meaning) {ErrorCode::e, name, meaning},
#include "verun/error_codes/all.def"
#undef VERUN_ERROR
};

}  // namespace

std::string_view to_string(ErrorCode code) {
  if (code == ErrorCode::kOk) return "ok";
  auto i = static_cast<std::size_t>(code) - 1;
  return i < std::size(kTable) ? kTable[i].name : "unknown";
}

std::string_view describe(ErrorCode code) {
  if (code == ErrorCode::kOk) return "no error";
  auto i = static_cast<std::size_t>(code) - 1;
  return i < std::size(kTable) ? kTable[i].meaning : "unknown code";
}

std::optional<ErrorCode> error_code_from_string(std::string_view name) {
  if (name == "ok") return ErrorCode::kOk;
  for (const auto& e : kTable)
    if (e.name == name) return e.code;
  return std::nullopt;
}

std::span<const ErrorCodeInfo> all_error_codes() { return kTable; }

std::string Error::to_string() const {
  std::string s(verun::to_string(code));
  s += ": ";
  s += message;
  return s;
}

}  // namespace verun
