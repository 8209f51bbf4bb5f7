// run_workload: builtin or exec, the same outcome shape (DESIGN.md §7).
#include "verun/runner/workload/run.h"

#include <sys/stat.h>

#include "exec_sandbox.h"
#include "verun/runner/workload/builtins.h"

namespace verun::runner {

std::string_view to_string(RunResult result) {
  switch (result) {
    case RunResult::kOk: return "ok";
    case RunResult::kFailed: return "failed";
    case RunResult::kTimeout: return "timeout";
    case RunResult::kRejected: return "rejected";
  }
  return "failed";
}

Result<RunOutcome> run_workload(const Workload& workload, proofs::ByteView input, const RunOptions& options) {
  const Manifest& m = workload.manifest;
  if (input.size() > static_cast<std::uint64_t>(m.limits.max_input_bytes)) {
    RunOutcome rejected;
    rejected.result = RunResult::kRejected;
    rejected.exit_code = 0;
    rejected.detail = "input of " + std::to_string(input.size()) + " bytes exceeds max_input_bytes " +
                      std::to_string(m.limits.max_input_bytes);
    return rejected;
  }
  if (m.kind == WorkloadKind::kBuiltin) {
    BuiltinOutput b = run_builtin(m.builtin.value_or(""), m.config, input);
    RunOutcome outcome;
    outcome.exit_code = b.exit_code;
    outcome.output = std::move(b.output);
    outcome.result = b.exit_code == 0 ? RunResult::kOk : RunResult::kFailed;
    if (outcome.output.size() > static_cast<std::uint64_t>(m.limits.max_output_bytes)) {
      outcome.output.resize(static_cast<std::size_t>(m.limits.max_output_bytes));
      outcome.result = RunResult::kFailed;
      outcome.detail = "output exceeded " + std::to_string(m.limits.max_output_bytes) + " bytes";
    } else if (b.exit_code != 0) {
      outcome.detail = "builtin " + m.builtin.value_or("") + " refused its input";
    }
    return outcome;
  }

  // Exec: the file must still be the one whose digest was checked at load.
  struct stat st {};
  if (::stat(workload.executable.c_str(), &st) != 0)
    return Error(ErrorCode::kWorkloadExecutableChanged, "executable " + workload.executable.string() + " is gone");
  FileIdentity now;
  now.device = static_cast<std::uint64_t>(st.st_dev);
  now.inode = static_cast<std::uint64_t>(st.st_ino);
  now.size = static_cast<std::int64_t>(st.st_size);
  now.mtime_ns = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
  now.ctime_ns = static_cast<std::int64_t>(st.st_ctim.tv_sec) * 1000000000 + st.st_ctim.tv_nsec;
  if (now != workload.executable_identity)
    return Error(ErrorCode::kWorkloadExecutableChanged,
                 "executable " + workload.executable.string() + " changed since the registry was loaded");
  detail::ExecJob job{workload.executable, m.args.value_or(std::vector<std::string>{}), m.limits};
  return detail::run_exec(job, input, options);
}

}  // namespace verun::runner
