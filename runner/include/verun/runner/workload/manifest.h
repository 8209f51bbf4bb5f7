// A workload manifest (DESIGN.md §7, §10 "Workloads"): what a workload is,
// its limits and its measurement = SHA-256(JCS(manifest)). parse_manifest is
// strict (unknown fields rejected, limits required positive integers,
// `builtin` exactly for builtin workloads, `digest` exactly for exec ones)
// and returns no partial state. Stateless, thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "verun/proofs/bytes.h"
#include "verun/proofs/intoto/predicate_types.h"
#include "verun/proofs/json/strict_json.h"
#include "verun/result.h"

namespace verun::runner {

enum class WorkloadKind { kBuiltin, kExec };
// "builtin", "exec".
std::string_view to_string(WorkloadKind kind);

// The four limits; each a positive integer (at most 2^53-1).
struct WorkloadLimits {
  std::int64_t timeout_ms = 0;        // wall clock (exec only; builtins are not interrupted)
  std::int64_t max_input_bytes = 0;   // larger input: result `rejected`, nothing runs
  std::int64_t max_output_bytes = 0;  // more output: the job is stopped, result `failed`
  std::int64_t memory_bytes = 0;      // RLIMIT_AS of an exec workload
  bool operator==(const WorkloadLimits&) const = default;
};

// Limits on the manifest's own shape.
inline constexpr std::size_t kMaxWorkloadArgs = 256;
inline constexpr std::size_t kMaxWorkloadArgBytes = 4096;

// {"name", "version", "kind", "builtin"?, "digest"?: {"sha256"}, "args"?,
//  "limits": {...}, "config"?: {...}}.
// name: 1-256 bytes of [A-Za-z0-9._-] starting with a letter or digit.
// version: 1-256 bytes. args (exec only): at most 256 strings of at most
// 4096 bytes, no NUL. config: an object (any verun JSON inside).
struct Manifest {
  std::string name;
  std::string version;
  WorkloadKind kind = WorkloadKind::kBuiltin;
  std::optional<std::string> builtin;            // builtin only
  std::optional<proofs::Hash32> digest;          // exec only: SHA-256 of the executable
  std::optional<std::vector<std::string>> args;  // exec only; absent and [] differ in JCS
  WorkloadLimits limits;
  std::optional<proofs::Json> config;
  proofs::Hash32 measurement{};  // SHA-256(JCS(manifest)), set by parse_manifest

  bool operator==(const Manifest&) const = default;
};

// Reads a manifest from parsed verun JSON. `path` names it in errors
// ("workloads[0].manifest"). Codes: workload.unknown_field,
// workload.missing_field, workload.invalid_field. Does not check that a
// builtin exists or that a digest matches a file (the registry does).
Result<Manifest> parse_manifest(const proofs::Json& json, const std::string& path = "manifest");
// parse_json (verun profile, 1 MiB) + parse_manifest; invalid JSON is
// workload.invalid_field.
Result<Manifest> parse_manifest_text(std::string_view text);

// The manifest as JSON (equal, member for member, to what was parsed).
proofs::Json to_json(const Manifest& manifest);
// SHA-256(JCS(to_json(manifest))).
proofs::Hash32 compute_measurement(const Manifest& manifest);
// {"name", "version", "measurement"}: the identity's and receipt's workload.
proofs::WorkloadRef to_workload_ref(const Manifest& manifest);

}  // namespace verun::runner
