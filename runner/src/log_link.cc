// LogSubmitFn over sdk::LogClient (DESIGN.md §2: the runner talks to the log
// only through the sdk); see links.h.
#include <memory>

#include "links.h"
#include "verun/sdk/log_client.h"

namespace verun::runner {

Result<LogSubmitFn> make_log_submit(const std::string& base_url, std::chrono::milliseconds timeout) {
  sdk::LogClientOptions options;
  options.timeout = timeout;
  VERUN_ASSIGN_OR_RETURN(auto client, sdk::LogClient::make(base_url, options));
  auto shared = std::make_shared<const sdk::LogClient>(std::move(client));
  return LogSubmitFn([shared](const proofs::Envelope& envelope) -> Result<LogAnswer> {
    auto r = shared->submit(envelope);
    if (r) return LogAnswer{r->index, std::move(r->proof)};
    const Error& e = r.error();
    if (e.code == ErrorCode::kSdkLogRejected) return Error(ErrorCode::kRunnerLogRefused, e.message);
    return Error(ErrorCode::kRunnerLogUnavailable, e.to_string());
  });
}

}  // namespace verun::runner
