// The runner service's two outside seams (DESIGN.md §2, §7): the log it
// submits registrations and receipts to (sdk::LogClient in production,
// log_link.cc), and the workloads it runs (the workload library,
// workload_link.cc). The service sees only these small types, so its logic
// is the same whichever log client or executor stands behind them.
// Implementations must be thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "verun/proofs/bytes.h"
#include "verun/proofs/dsse/envelope.h"
#include "verun/proofs/intoto/predicate_types.h"
#include "verun/proofs/intoto/receipt.h"
#include "verun/proofs/json/strict_json.h"
#include "verun/result.h"

namespace verun::runner {

// What the log answered for an admitted entry (DESIGN.md §6 POST /v1/entries).
struct LogAnswer {
  std::uint64_t index = 0;
  std::string proof;  // C2SP tlog-proof text, NOT yet verified
};

// Submits one envelope. Errors: runner.log_unavailable (unreachable, 5xx,
// unparsable answer: retry with back-off) or runner.log_refused (a 4xx; the
// message carries the log's code and message).
using LogSubmitFn = std::function<Result<LogAnswer>(const proofs::Envelope&)>;

// One workload of the registry, as the service needs it.
struct WorkloadInfo {
  proofs::WorkloadRef ref;          // name, version, measurement
  std::uint64_t max_input_bytes = 0;
  proofs::Json manifest;            // the manifest object, for GET /v1/workloads
};

// What running a workload gave.
struct WorkloadOutcome {
  proofs::JobResult result = proofs::JobResult::kOk;
  std::int64_t exit_code = 0;
  proofs::Bytes output;
};

class WorkloadSet {
 public:
  virtual ~WorkloadSet() = default;
  virtual const std::vector<WorkloadInfo>& list() const = 0;
  // Runs the named workload (listed) over input; never throws. Input above
  // max_input_bytes gives `rejected` without running.
  virtual WorkloadOutcome run(const std::string& name, proofs::ByteView input) const = 0;
};

}  // namespace verun::runner
