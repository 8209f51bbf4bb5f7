// Fuzz target: the SDK's readers of untrusted text: inspect_document's
// auto-detection (every verun document kind), and the runner answers
// (parse_attestation_answer, parse_job_answer done and pending). Never
// crashes or hangs; a recognized document has a known kind and renders as
// text and JSON; a parsed answer is self-consistent.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <set>
#include <string>
#include <string_view>

#include "verun/sdk/inspect.h"
#include "verun/sdk/runner_client.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  static const std::set<std::string> kinds = {"envelope",    "bundle",   "checkpoint", "signed-note",
                                              "tlog-proof",  "evidence", "sim-v1-data", "attestation",
                                              "policy",      "statement"};
  auto inspection = verun::sdk::inspect_document(text);
  if (inspection) {
    if (!kinds.count(inspection->kind)) std::abort();
    const std::string rendered = inspection->to_text();
    if (rendered.rfind(inspection->kind, 0) != 0) std::abort();
    (void)inspection->to_json().dump(-1, ' ', false, verun::proofs::Json::error_handler_t::replace);
  }
  auto attestation = verun::sdk::parse_attestation_answer(text);
  if (attestation && attestation->registration_proof.empty()) std::abort();
  for (bool done : {true, false}) {
    auto job = verun::sdk::parse_job_answer(text, done);
    if (job && (job->job_id.empty() || job->done != done)) std::abort();
  }
  return 0;
}
