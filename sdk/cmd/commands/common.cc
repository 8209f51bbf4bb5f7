#include "cmd/commands/common.h"

#include "verun/proofs/hex.h"

namespace verun::cli {

Result<verifier::Policy> load_policy(const std::string& path) {
  VERUN_ASSIGN_OR_RETURN(std::string text, read_file(path, verifier::kMaxPolicyTextBytes));
  return verifier::parse_policy(text);
}

Result<proofs::Bytes> hex_flag(const std::string& flag, const std::string& text, std::size_t bytes) {
  auto b = proofs::hex_decode_any_case(text);
  if (!b || b->size() != bytes) {
    return Error(ErrorCode::kInvalidArgument, "--" + flag + " must be " + std::to_string(2 * bytes) + " hex digits");
  }
  return b;
}

int exit_code_for(const Error& e) {
  switch (e.code) {
    case ErrorCode::kSdkRunnerUnreachable:
    case ErrorCode::kSdkRunnerServerError:
    case ErrorCode::kSdkLogUnreachable:
    case ErrorCode::kSdkLogServerError:
    case ErrorCode::kSdkJobTimeout:
      return kExitUnavailable;
    default:
      return kExitInvalid;
  }
}

Result<std::string> read_token_file(const std::string& path) {
  VERUN_ASSIGN_OR_RETURN(std::string text, read_file(path, 4096));
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  if (text.empty()) return Error(ErrorCode::kInvalidArgument, path + " holds no token");
  return text;
}

}  // namespace verun::cli
