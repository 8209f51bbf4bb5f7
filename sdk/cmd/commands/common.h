// Helpers shared by the `verun` commands that talk to runners and logs or
// read verun documents: loading a policy, hex flags, and the exit code an
// SDK error maps to (DESIGN.md §8 exit codes plus 3 for "could not reach").
#pragma once

#include <cstddef>
#include <string>

#include "cmd/cli.h"
#include "verun/proofs/bytes.h"
#include "verun/result.h"
#include "verun/verifier/policy.h"

namespace verun::cli {

// Exit 3: a runner or log could not be reached or failed (5xx, timeout);
// retrying later may work.
inline constexpr int kExitUnavailable = 3;

// The largest --input / --output file the commands read.
inline constexpr std::size_t kMaxDataFileBytes = std::size_t{1} << 30;

Result<verifier::Policy> load_policy(const std::string& path);

// Hex of exactly `bytes` bytes, either case (a hand-typed flag).
Result<proofs::Bytes> hex_flag(const std::string& flag, const std::string& text, std::size_t bytes);

// kExitUnavailable for unreachable / 5xx / job timeout codes, else kExitInvalid.
int exit_code_for(const Error& e);

// Reads a secret-free text file, trimming one trailing newline.
Result<std::string> read_token_file(const std::string& path);

}  // namespace verun::cli
