// The workload registry file (DESIGN.md §7, §10 "Workloads").
#include "verun/runner/workload/registry.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <utility>

#include "verun/proofs/hex.h"
#include "verun/proofs/schema/object_reader.h"
#include "verun/proofs/sha2.h"
#include "verun/runner/workload/builtins.h"

namespace verun::runner {
namespace {

using proofs::Json;
using proofs::ObjectReader;

constexpr proofs::SchemaCodes kCodes{ErrorCode::kWorkloadUnknownField, ErrorCode::kWorkloadMissingField,
                                     ErrorCode::kWorkloadInvalidField};
constexpr std::size_t kMaxPathBytes = 4096;

FileIdentity identity_of(const struct stat& st) {
  FileIdentity id;
  id.device = static_cast<std::uint64_t>(st.st_dev);
  id.inode = static_cast<std::uint64_t>(st.st_ino);
  id.size = static_cast<std::int64_t>(st.st_size);
  id.mtime_ns = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
  id.ctime_ns = static_cast<std::int64_t>(st.st_ctim.tv_sec) * 1000000000 + st.st_ctim.tv_nsec;
  return id;
}

Error missing_file(const std::filesystem::path& file, std::string_view why) {
  return Error(ErrorCode::kWorkloadExecutableMissing, "executable " + file.string() + " " + std::string(why));
}

// One registry entry: {"manifest": {...}, "path"?: "..."}.
Result<Workload> parse_entry(const Json& json, const std::string& where, const std::filesystem::path& base_dir) {
  VERUN_ASSIGN_OR_RETURN(ObjectReader r, ObjectReader::make(json, where, kCodes));
  VERUN_ASSIGN_OR_RETURN(const Json* mj, r.value("manifest"));
  VERUN_ASSIGN_OR_RETURN(Manifest manifest, parse_manifest(*mj, r.field_path("manifest")));
  VERUN_ASSIGN_OR_RETURN(std::optional<std::string> path, r.optional_string("path", kMaxPathBytes));
  VERUN_TRY(r.finish());

  Workload w;
  if (manifest.kind == WorkloadKind::kBuiltin) {
    if (path) return r.invalid("path", "is only allowed for exec workloads");
    VERUN_TRY(check_builtin_config(*manifest.builtin, manifest.config));
    w.manifest = std::move(manifest);
    return w;
  }
  if (!path) return r.missing("path");
  if (path->find('\0') != std::string::npos) return r.invalid("path", "contains a NUL character");
  std::filesystem::path exe(*path);
  if (exe.is_relative()) exe = base_dir / exe;
  exe = exe.lexically_normal();
  if (exe.is_relative()) {
    std::error_code ec;
    exe = std::filesystem::absolute(exe, ec);
    if (ec) return missing_file(exe, "has no absolute form");
  }
  VERUN_ASSIGN_OR_RETURN(HashedFile hashed, hash_file(exe));
  if (hashed.sha256 != *manifest.digest)
    return Error(ErrorCode::kWorkloadDigestMismatch, "executable " + exe.string() + " of workload " +
                                                         manifest.name + " has sha256 " +
                                                         proofs::hex_encode(hashed.sha256) + ", the manifest says " +
                                                         proofs::hex_encode(*manifest.digest));
  if (::access(exe.c_str(), X_OK) != 0) return missing_file(exe, "is not executable");
  w.manifest = std::move(manifest);
  w.executable = std::move(exe);
  w.executable_identity = hashed.identity;
  return w;
}

}  // namespace

Result<HashedFile> hash_file(const std::filesystem::path& file) {
  // O_NONBLOCK: opening a FIFO must not wait for a writer.
  int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (fd < 0) return missing_file(file, std::string("cannot be opened: ") + std::strerror(errno));
  struct stat before {};
  if (::fstat(fd, &before) != 0 || !S_ISREG(before.st_mode)) {
    ::close(fd);
    return missing_file(file, "is not a regular file");
  }
  proofs::Sha256 h;
  std::array<std::uint8_t, 1 << 16> buf{};
  while (true) {
    ssize_t n = ::read(fd, buf.data(), buf.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      ::close(fd);
      return missing_file(file, "cannot be read");
    }
    if (n == 0) break;
    h.update(proofs::ByteView(buf.data(), static_cast<std::size_t>(n)));
  }
  struct stat after {};
  int rc = ::fstat(fd, &after);
  ::close(fd);
  if (rc != 0 || identity_of(before) != identity_of(after)) return missing_file(file, "changed while it was hashed");
  return HashedFile{h.finish(), identity_of(after)};
}

const Workload* Registry::find(std::string_view name) const {
  for (const auto& w : workloads_)
    if (w.manifest.name == name) return &w;
  return nullptr;
}

Result<const Workload*> Registry::get(std::string_view name) const {
  if (const Workload* w = find(name)) return w;
  return Error(ErrorCode::kWorkloadNotFound, "no workload named " + std::string(name.substr(0, 256)));
}

std::vector<proofs::WorkloadRef> Registry::refs() const {
  std::vector<proofs::WorkloadRef> refs;
  refs.reserve(workloads_.size());
  for (const auto& w : workloads_) refs.push_back(to_workload_ref(w.manifest));
  return refs;
}

Result<Registry> parse_registry(std::string_view text, const std::filesystem::path& base_dir) {
  if (text.size() > kMaxRegistryBytes)
    return Error(ErrorCode::kWorkloadRegistryUnreadable, "registry is longer than 1 MiB");
  auto json = proofs::parse_json(text, proofs::JsonProfile::kVerun, {32, kMaxRegistryBytes});
  if (!json) return Error(ErrorCode::kWorkloadRegistryUnreadable, "registry is not verun JSON: " + json.error().message);
  VERUN_ASSIGN_OR_RETURN(ObjectReader r, ObjectReader::make(*json, "", kCodes));
  VERUN_ASSIGN_OR_RETURN(const Json* list, r.array("workloads"));
  VERUN_TRY(r.finish());
  if (list->size() > kMaxRegistryWorkloads)
    return r.invalid("workloads", "has more than " + std::to_string(kMaxRegistryWorkloads) + " workloads");
  Registry registry;
  for (std::size_t i = 0; i < list->size(); ++i) {
    VERUN_ASSIGN_OR_RETURN(Workload w, parse_entry((*list)[i], r.element_path("workloads", i), base_dir));
    if (registry.find(w.manifest.name))
      return Error(ErrorCode::kWorkloadDuplicateName, "workload name " + w.manifest.name + " appears twice");
    registry.workloads_.push_back(std::move(w));
  }
  return registry;
}

Result<Registry> load_registry(const std::filesystem::path& file) {
  int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
  if (fd < 0)
    return Error(ErrorCode::kWorkloadRegistryUnreadable,
                 "registry " + file.string() + " cannot be opened: " + std::strerror(errno));
  std::string text;
  std::array<char, 1 << 16> buf{};
  bool failed = false;
  while (text.size() <= kMaxRegistryBytes) {
    ssize_t n = ::read(fd, buf.data(), buf.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) failed = true;
    if (n <= 0) break;
    text.append(buf.data(), static_cast<std::size_t>(n));
  }
  ::close(fd);
  if (failed) return Error(ErrorCode::kWorkloadRegistryUnreadable, "registry " + file.string() + " cannot be read");
  std::error_code ec;
  std::filesystem::path dir = std::filesystem::absolute(file, ec).parent_path();
  if (ec) return Error(ErrorCode::kWorkloadRegistryUnreadable, "registry " + file.string() + " has no absolute path");
  return parse_registry(text, dir);
}

}  // namespace verun::runner
