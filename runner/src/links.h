// The production implementations of the service's seams (seams.h): the log
// through sdk::LogClient, and the workloads through the workload library's
// Registry and run_workload. Thread-safe like what they wrap.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>

#include "seams.h"
#include "verun/result.h"

namespace verun::runner {

// A LogSubmitFn over sdk::LogClient for base_url (invalid_argument for a bad
// URL). sdk.log_unreachable, sdk.log_server_error and sdk.bad_response become
// runner.log_unavailable; sdk.log_rejected becomes runner.log_refused with
// the log's message (which starts with the log's code).
Result<LogSubmitFn> make_log_submit(const std::string& base_url, std::chrono::milliseconds timeout);

// Loads the registry file (workload.* codes) and runs its workloads with
// run_workload. job_timeout, when positive, lowers every manifest's
// timeout_ms to at most that many milliseconds.
Result<std::unique_ptr<WorkloadSet>> load_workload_set(const std::filesystem::path& registry_file,
                                                       std::chrono::milliseconds job_timeout = {});

}  // namespace verun::runner
