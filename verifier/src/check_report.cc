// The ordered check list of DESIGN.md §5 and §8; see check_report.h.
#include "verun/verifier/check_report.h"

namespace verun::verifier {

std::string_view to_string(CheckResult result) {
  switch (result) {
    case CheckResult::kPass: return "pass";
    case CheckResult::kFail: return "fail";
    case CheckResult::kSkip: return "skip";
  }
  return "fail";
}

void CheckReport::pass(std::string name, std::string message) {
  checks_.push_back(Check{std::move(name), CheckResult::kPass, ErrorCode::kOk, std::move(message)});
}

void CheckReport::fail(std::string name, Error error) {
  // A failure always carries a real code, so a verdict can be explained.
  ErrorCode code = error.code == ErrorCode::kOk ? ErrorCode::kInternal : error.code;
  checks_.push_back(Check{std::move(name), CheckResult::kFail, code, std::move(error.message)});
}

void CheckReport::skip(std::string name, std::string reason) {
  checks_.push_back(Check{std::move(name), CheckResult::kSkip, ErrorCode::kOk, std::move(reason)});
}

void CheckReport::record(std::string name, const Result<void>& r, std::string pass_message) {
  if (r)
    pass(std::move(name), std::move(pass_message));
  else
    fail(std::move(name), r.error());
}

void CheckReport::append(const CheckReport& other) {
  checks_.insert(checks_.end(), other.checks_.begin(), other.checks_.end());
}

const Check* CheckReport::first_failure() const {
  for (const auto& c : checks_)
    if (c.result == CheckResult::kFail) return &c;
  return nullptr;
}

const Check* CheckReport::find(std::string_view name) const {
  for (const auto& c : checks_)
    if (c.name == name) return &c;
  return nullptr;
}

proofs::Json CheckReport::to_json() const {
  proofs::Json out = proofs::Json::array();
  for (const auto& c : checks_) {
    proofs::Json j = proofs::Json::object();
    j["check"] = c.name;
    j["result"] = std::string(to_string(c.result));
    j["code"] = std::string(verun::to_string(c.code));
    j["message"] = c.message;
    out.push_back(std::move(j));
  }
  return out;
}

}  // namespace verun::verifier
