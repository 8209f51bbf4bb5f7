// run_workload: runs a registered workload, builtin or exec, under its
// manifest's limits and reports {result, exit_code, output} (DESIGN.md §7
// "status"). Exec workloads run in the sandbox described in
// runner/src/workload/README.md (fork + rlimits + timeout killing the
// process group + clean env + fresh temp cwd + no network). Safe to call
// from several threads at once.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "verun/proofs/bytes.h"
#include "verun/result.h"
#include "verun/runner/workload/registry.h"

namespace verun::runner {

// DESIGN.md §7 status.result.
enum class RunResult { kOk, kFailed, kTimeout, kRejected };
// "ok", "failed", "timeout", "rejected".
std::string_view to_string(RunResult result);

// Which protections applied to an exec run (all false for builtins).
struct SandboxProtections {
  bool rlimits = false;            // CPU, AS, FSIZE, NOFILE, CORE=0, NPROC
  bool dropped_privileges = false; // a root runner ran the workload as unprivileged_uid/gid
  bool user_namespace = false;     // a non-root runner: unshare(CLONE_NEWUSER) succeeded
  bool network_namespace = false;  // unshare(CLONE_NEWNET) succeeded: no interfaces but a down lo
  bool seccomp = false;            // socket(AF_INET/AF_INET6) -> EACCES, setsid/setpgid -> EPERM
  bool nproc_enforced = false;     // RLIMIT_NPROC binds (the workload is not root)
};

struct RunOutcome {
  RunResult result = RunResult::kFailed;
  // The exit status (0..255), 128+signal when killed; 0 or 1 for builtins;
  // 0 when rejected (nothing ran).
  int exit_code = 0;
  // What the workload wrote to stdout, at most max_output_bytes (the prefix
  // when it wrote more).
  proofs::Bytes output;
  SandboxProtections protections;
  std::int64_t stderr_bytes = 0;  // stderr is counted and discarded
  // A plain sentence for logs when the result is not ok ("timed out after
  // 1000 ms", "output exceeded 4096 bytes"); never holds workload data.
  std::string detail;
};

struct RunOptions {
  // Parent of each job's fresh working directory; empty: /dev/shm when it
  // is a writable folder (tmpfs), else the system temp folder.
  std::filesystem::path work_root;
  std::int64_t max_processes = 64;          // RLIMIT_NPROC
  std::int64_t max_open_files = 64;         // RLIMIT_NOFILE
  std::int64_t max_file_bytes = 64 << 20;   // RLIMIT_FSIZE
  std::int64_t max_stderr_bytes = 1 << 20;  // read and dropped; beyond it stderr is closed
  bool use_namespaces = true;               // try unshare(CLONE_NEWNET) (and CLONE_NEWUSER when not root)
  // When the runner is root, the workload runs as this user and group (the
  // executable and its folders must then be readable and executable by it).
  std::uint32_t unprivileged_uid = 65534;
  std::uint32_t unprivileged_gid = 65534;
};

// Runs `workload` on `input`. Input over max_input_bytes: result rejected.
// Errors are the runner's own failures, not the workload's:
// workload.executable_changed (the exec file differs from the one hashed at
// load), workload.sandbox_failed (pipe, fork, temp dir, exec failed).
Result<RunOutcome> run_workload(const Workload& workload, proofs::ByteView input, const RunOptions& options = {});

}  // namespace verun::runner
