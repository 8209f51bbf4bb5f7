// Builtin workloads (DESIGN.md §7): pure C++ functions compiled into the
// runner, bytes in -> bytes out and exit code 0 (success) or 1 (bad input,
// with a one-line message as output). Never throw, never crash on any input.
// Stateless, thread-safe.
//   sha256sum     "<64 hex>  -\n" like coreutils reading stdin
//   wordcount     "<lines> <words> <bytes>\n" (wc's counts, single spaces;
//                 a word is any run of bytes other than ASCII whitespace, as
//                 POSIX says: GNU wc 9 skips runs with no printable character)
//   credit-score  logistic regression over one CSV record (see credit_score below)
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "verun/proofs/bytes.h"
#include "verun/proofs/json/strict_json.h"
#include "verun/result.h"

namespace verun::runner {

struct BuiltinOutput {
  int exit_code = 0;  // 0 or 1
  proofs::Bytes output;
};

// The builtin function names, sorted.
std::vector<std::string_view> builtin_names();
bool is_builtin(std::string_view name);

// Whether `config` suits the builtin (registry load time): sha256sum and
// wordcount take no config; credit-score requires its model. Codes:
// workload.unknown_builtin, workload.bad_config.
Result<void> check_builtin_config(std::string_view name, const std::optional<proofs::Json>& config);

// Runs a builtin. An unknown name or a bad config gives exit 1 with a message.
BuiltinOutput run_builtin(std::string_view name, const std::optional<proofs::Json>& config, proofs::ByteView input);

// credit-score
// config: {"model": {"features": [{"name": "<column>", "weight": "<decimal>"}, ...],
//                    "bias": "<decimal>", "threshold": "<decimal>"}}
// A decimal is -?(0|[1-9][0-9]*)(\.[0-9]+)? of at most 40 characters, read as
// the nearest double. Feature names are unique, [A-Za-z0-9_]{1,64}, at most
// 256 features; threshold in [0, 1].
// input: CSV, a header line and one data line ("\n" separated, an optional
// final "\n", no quoting, no spaces); columns in any order, each model
// feature exactly once, extra columns ignored, values are decimals.
// output: {"score":"0.8123","approved":true} where score = 1/(1+e^-z),
// z = bias + sum(weight*value), printed with exactly 4 decimals (rounded half
// to even on the double), and approved = printed score >= threshold.
BuiltinOutput credit_score(const proofs::Json& config, proofs::ByteView input);

}  // namespace verun::runner
