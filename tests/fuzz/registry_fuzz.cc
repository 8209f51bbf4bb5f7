// Fuzz target: workload registry and manifest parsing, and the credit-score
// builtin's CSV reader, on arbitrary text. Never crashes or hangs; a
// manifest that parses round-trips through to_json with the same
// measurement; a builtin always exits 0 or 1.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "verun/proofs/json/strict_json.h"
#include "verun/runner/workload/builtins.h"
#include "verun/runner/workload/manifest.h"
#include "verun/runner/workload/registry.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  // Relative paths resolve in a folder that does not exist.
  auto registry = verun::runner::parse_registry(text, "/nonexistent-verun-fuzz");
  if (registry) {
    for (const auto& w : registry->workloads())
      if (registry->find(w.name()) != &w) std::abort();
  }
  auto manifest = verun::runner::parse_manifest_text(text);
  if (manifest) {
    auto again = verun::runner::parse_manifest(verun::runner::to_json(*manifest));
    if (!again || *again != *manifest || again->measurement != verun::runner::compute_measurement(*manifest))
      std::abort();
  }
  static const verun::proofs::Json model =
      verun::proofs::parse_json(R"({"model": {"features": [{"name": "a", "weight": "0.5"},
          {"name": "b", "weight": "-1.25"}], "bias": "0.1", "threshold": "0.5"}})")
          .value();
  auto scored = verun::runner::credit_score(model, verun::proofs::as_bytes(text));
  if (scored.exit_code != 0 && scored.exit_code != 1) std::abort();
  auto wc = verun::runner::run_builtin("wordcount", std::nullopt, verun::proofs::as_bytes(text));
  if (wc.exit_code != 0) std::abort();
  return 0;
}
