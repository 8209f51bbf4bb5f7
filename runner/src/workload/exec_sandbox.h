// The exec sandbox (DESIGN.md §7 "Hygiene"): runs one executable with fork +
// setrlimit + execve, a wall-clock timeout killing its process group, a clean
// environment, a fresh working directory, no network, and stdin/stdout
// pumped by a poll loop. See README.md beside this file for what is and is
// not isolated. Safe to call from several threads at once.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "verun/proofs/bytes.h"
#include "verun/result.h"
#include "verun/runner/workload/manifest.h"
#include "verun/runner/workload/run.h"

namespace verun::runner::detail {

struct ExecJob {
  std::filesystem::path executable;  // absolute
  std::vector<std::string> args;     // argv[1...]
  WorkloadLimits limits;
};

// Runs the job on `input` (the caller has checked max_input_bytes).
// workload.sandbox_failed when the sandbox cannot be set up or exec fails.
Result<RunOutcome> run_exec(const ExecJob& job, proofs::ByteView input, const RunOptions& options);

}  // namespace verun::runner::detail
