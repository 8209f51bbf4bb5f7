// WorkloadSet over the workload library (runner/src/workload/); see links.h.
#include <algorithm>

#include "links.h"
#include "verun/runner/workload/registry.h"
#include "verun/runner/workload/run.h"

namespace verun::runner {
namespace {

proofs::JobResult job_result(RunResult r) {
  switch (r) {
    case RunResult::kOk: return proofs::JobResult::kOk;
    case RunResult::kFailed: return proofs::JobResult::kFailed;
    case RunResult::kTimeout: return proofs::JobResult::kTimeout;
    case RunResult::kRejected: return proofs::JobResult::kRejected;
  }
  return proofs::JobResult::kFailed;
}

class RegistryWorkloads final : public WorkloadSet {
 public:
  RegistryWorkloads(Registry registry, std::chrono::milliseconds job_timeout)
      : registry_(std::move(registry)), job_timeout_(job_timeout) {
    for (const auto& w : registry_.workloads()) {
      WorkloadInfo info;
      info.ref = to_workload_ref(w.manifest);
      info.max_input_bytes = static_cast<std::uint64_t>(w.manifest.limits.max_input_bytes);
      info.manifest = to_json(w.manifest);
      infos_.push_back(std::move(info));
    }
  }

  const std::vector<WorkloadInfo>& list() const override { return infos_; }

  WorkloadOutcome run(const std::string& name, proofs::ByteView input) const override {
    const Workload* w = registry_.find(name);
    if (!w) return {proofs::JobResult::kRejected, 0, {}};
    Workload copy;
    const Workload* use = w;
    if (job_timeout_.count() > 0 && w->manifest.limits.timeout_ms > job_timeout_.count()) {
      copy = *w;
      copy.manifest.limits.timeout_ms = job_timeout_.count();
      use = &copy;
    }
    auto outcome = run_workload(*use, input);
    if (!outcome) {
      // The runner's own failure (sandbox, changed executable): the job is
      // still recorded, as failed, with no output.
      return {proofs::JobResult::kFailed, 1, {}};
    }
    return {job_result(outcome->result), outcome->exit_code, std::move(outcome->output)};
  }

 private:
  Registry registry_;
  std::chrono::milliseconds job_timeout_;
  std::vector<WorkloadInfo> infos_;
};

}  // namespace

Result<std::unique_ptr<WorkloadSet>> load_workload_set(const std::filesystem::path& registry_file,
                                                       std::chrono::milliseconds job_timeout) {
  VERUN_ASSIGN_OR_RETURN(auto registry, load_registry(registry_file));
  return std::unique_ptr<WorkloadSet>(new RegistryWorkloads(std::move(registry), job_timeout));
}

}  // namespace verun::runner
