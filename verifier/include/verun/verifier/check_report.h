// CheckReport: the ordered list of every check an appraisal or a bundle
// verification ran (DESIGN.md §5 "reports every check", §8 `checks`), each
// with its result (pass, fail, skip), a stable code and a plain sentence.
// first_failure() names the verdict's reason. A value type; not thread-safe
// while being built, safe to share once complete.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "verun/proofs/json/strict_json.h"
#include "verun/result.h"

namespace verun::verifier {

enum class CheckResult { kPass, kFail, kSkip };

// "pass", "fail", "skip".
std::string_view to_string(CheckResult result);

struct Check {
  std::string name;                 // e.g. "evidence.signature"
  CheckResult result = CheckResult::kPass;
  ErrorCode code = ErrorCode::kOk;  // kOk unless result is kFail
  std::string message;              // plain lowercase sentence
  bool operator==(const Check&) const = default;
};

class CheckReport {
 public:
  void pass(std::string name, std::string message);
  void fail(std::string name, Error error);
  void skip(std::string name, std::string reason);
  // Records r as a pass (with pass_message) or as a fail with its error.
  void record(std::string name, const Result<void>& r, std::string pass_message);
  // Appends every check of other, in order.
  void append(const CheckReport& other);

  const std::vector<Check>& checks() const { return checks_; }
  // The first failed check, or nullptr when none failed.
  const Check* first_failure() const;
  // The check with that name, or nullptr.
  const Check* find(std::string_view name) const;
  // True when no check failed (skips do not fail a report).
  bool passed() const { return first_failure() == nullptr; }

  // [{"check", "result": "pass"|"fail"|"skip", "code", "message"}, ...]; the
  // code of a pass or a skip is "ok".
  proofs::Json to_json() const;

 private:
  std::vector<Check> checks_;
};

}  // namespace verun::verifier
