// The workload registry file (DESIGN.md §7, §10 "Workloads"; schema in
// schemas/registry.schema.json): {"workloads": [{"manifest": {...},
// "path"?: "<exe>"}]}. Loading checks unique names, that builtins exist with
// a valid config, and that every exec file exists and hashes to its
// manifest's digest. A Registry is immutable after loading: thread-safe.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string_view>
#include <vector>

#include "verun/proofs/intoto/predicate_types.h"
#include "verun/result.h"
#include "verun/runner/workload/manifest.h"

namespace verun::runner {

// Limits on the registry file.
inline constexpr std::size_t kMaxRegistryBytes = 1024 * 1024;
inline constexpr std::size_t kMaxRegistryWorkloads = 1024;

// What the file looked like when its digest was checked; run_workload
// refuses to exec a file whose identity changed since (workload.executable_changed).
struct FileIdentity {
  std::uint64_t device = 0;
  std::uint64_t inode = 0;
  std::int64_t size = 0;
  std::int64_t mtime_ns = 0;
  std::int64_t ctime_ns = 0;
  bool operator==(const FileIdentity&) const = default;
};

// One registered workload. `executable` (exec only) is absolute, resolved
// against the registry file's folder when written relative; it is not measured.
struct Workload {
  Manifest manifest;
  std::filesystem::path executable;
  FileIdentity executable_identity;

  const std::string& name() const { return manifest.name; }
};

class Registry {
 public:
  Registry() = default;
  // nullptr when no workload has that name.
  const Workload* find(std::string_view name) const;
  // As find, or workload.not_found naming it.
  Result<const Workload*> get(std::string_view name) const;
  const std::vector<Workload>& workloads() const { return workloads_; }
  // The identity's `workloads` list, in registry order.
  std::vector<proofs::WorkloadRef> refs() const;

 private:
  friend Result<Registry> parse_registry(std::string_view, const std::filesystem::path&);
  std::vector<Workload> workloads_;
};

// Parses registry text; relative `path`s resolve against base_dir. Codes:
// workload.registry_unreadable (not verun JSON, over 1 MiB),
// workload.unknown_field / missing_field / invalid_field (shape; `path` is
// required for exec and refused for builtin), workload.duplicate_name,
// workload.unknown_builtin, workload.bad_config,
// workload.executable_missing, workload.digest_mismatch.
Result<Registry> parse_registry(std::string_view text, const std::filesystem::path& base_dir);
// Reads the file (workload.registry_unreadable) and parses it against its folder.
Result<Registry> load_registry(const std::filesystem::path& file);

// SHA-256 of a file's bytes with the identity it had while read (streams;
// workload.executable_missing when it is not a readable regular file).
struct HashedFile {
  proofs::Hash32 sha256{};
  FileIdentity identity;
};
Result<HashedFile> hash_file(const std::filesystem::path& file);

}  // namespace verun::runner
