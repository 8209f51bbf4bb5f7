// Workload manifests (DESIGN.md §10 "Workloads").
#include "verun/runner/workload/manifest.h"

#include <utility>

#include "verun/proofs/hex.h"
#include "verun/proofs/json/jcs.h"
#include "verun/proofs/schema/object_reader.h"
#include "verun/proofs/sha2.h"

namespace verun::runner {
namespace {

using proofs::Json;
using proofs::ObjectReader;

constexpr proofs::SchemaCodes kCodes{ErrorCode::kWorkloadUnknownField, ErrorCode::kWorkloadMissingField,
                                     ErrorCode::kWorkloadInvalidField};
constexpr std::size_t kMaxManifestBytes = 1024 * 1024;

bool valid_name(std::string_view s) {
  if (s.empty() || s.size() > proofs::kMaxNameBytes) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!alnum && (i == 0 || (c != '.' && c != '_' && c != '-'))) return false;
  }
  return true;
}

Result<WorkloadLimits> parse_limits(ObjectReader& parent) {
  VERUN_ASSIGN_OR_RETURN(ObjectReader r, parent.object("limits"));
  WorkloadLimits l;
  VERUN_ASSIGN_OR_RETURN(l.timeout_ms, r.integer("timeout_ms", 1));
  VERUN_ASSIGN_OR_RETURN(l.max_input_bytes, r.integer("max_input_bytes", 1));
  VERUN_ASSIGN_OR_RETURN(l.max_output_bytes, r.integer("max_output_bytes", 1));
  VERUN_ASSIGN_OR_RETURN(l.memory_bytes, r.integer("memory_bytes", 1));
  VERUN_TRY(r.finish());
  return l;
}

Result<std::vector<std::string>> parse_args(ObjectReader& r) {
  VERUN_ASSIGN_OR_RETURN(const Json* a, r.array("args"));
  if (a->size() > kMaxWorkloadArgs)
    return r.invalid("args", "has more than " + std::to_string(kMaxWorkloadArgs) + " elements");
  std::vector<std::string> args;
  for (std::size_t i = 0; i < a->size(); ++i) {
    const Json& e = (*a)[i];
    std::string where = r.element_path("args", i);
    if (!e.is_string())
      return Error(ErrorCode::kWorkloadInvalidField, where + " must be a string");
    const auto& s = e.get_ref<const std::string&>();
    if (s.size() > kMaxWorkloadArgBytes)
      return Error(ErrorCode::kWorkloadInvalidField,
                   where + " is longer than " + std::to_string(kMaxWorkloadArgBytes) + " bytes");
    if (s.find('\0') != std::string::npos)
      return Error(ErrorCode::kWorkloadInvalidField, where + " contains a NUL character");
    args.push_back(s);
  }
  return args;
}

}  // namespace

std::string_view to_string(WorkloadKind kind) { return kind == WorkloadKind::kExec ? "exec" : "builtin"; }

Result<Manifest> parse_manifest(const Json& json, const std::string& path) {
  VERUN_ASSIGN_OR_RETURN(ObjectReader r, ObjectReader::make(json, path, kCodes));
  Manifest m;
  VERUN_ASSIGN_OR_RETURN(m.name, r.string("name", proofs::kMaxNameBytes));
  if (!valid_name(m.name))
    return r.invalid("name", "must be letters, digits, '.', '_' or '-' starting with a letter or digit");
  VERUN_ASSIGN_OR_RETURN(m.version, r.string("version", proofs::kMaxNameBytes));
  VERUN_ASSIGN_OR_RETURN(std::string kind, r.string("kind", 16));
  if (kind == "builtin") {
    m.kind = WorkloadKind::kBuiltin;
  } else if (kind == "exec") {
    m.kind = WorkloadKind::kExec;
  } else {
    return r.invalid("kind", "must be \"builtin\" or \"exec\", not \"" + kind + "\"");
  }
  if (m.kind == WorkloadKind::kBuiltin) {
    VERUN_ASSIGN_OR_RETURN(std::string b, r.string("builtin", proofs::kMaxNameBytes));
    m.builtin = std::move(b);
    if (r.has("digest")) return r.invalid("digest", "is only allowed for exec workloads");
    if (r.has("args")) return r.invalid("args", "is only allowed for exec workloads");
  } else {
    VERUN_ASSIGN_OR_RETURN(proofs::Hash32 d, r.digest_set("digest"));
    m.digest = d;
    if (r.has("builtin")) return r.invalid("builtin", "is only allowed for builtin workloads");
    if (r.has("args")) {
      VERUN_ASSIGN_OR_RETURN(auto args, parse_args(r));
      m.args = std::move(args);
    }
  }
  VERUN_ASSIGN_OR_RETURN(m.limits, parse_limits(r));
  if (const Json* c = r.find("config")) {
    if (!c->is_object()) return r.invalid("config", "must be an object");
    m.config = *c;
  }
  VERUN_TRY(r.finish());
  // The JSON was parsed in the verun profile, so JCS cannot fail here; a
  // caller handing in a float-bearing config is told so.
  VERUN_ASSIGN_OR_RETURN(std::string canonical, proofs::jcs_serialize(to_json(m)));
  m.measurement = proofs::sha256(canonical);
  return m;
}

Result<Manifest> parse_manifest_text(std::string_view text) {
  auto json = proofs::parse_json(text, proofs::JsonProfile::kVerun, {32, kMaxManifestBytes});
  if (!json) return Error(ErrorCode::kWorkloadInvalidField, "manifest is not verun JSON: " + json.error().message);
  return parse_manifest(*json);
}

Json to_json(const Manifest& m) {
  Json j = Json::object();
  j["name"] = m.name;
  j["version"] = m.version;
  j["kind"] = std::string(to_string(m.kind));
  if (m.builtin) j["builtin"] = *m.builtin;
  if (m.digest) j["digest"] = proofs::digest_set_json(*m.digest);
  if (m.args) j["args"] = *m.args;
  Json limits = Json::object();
  limits["timeout_ms"] = m.limits.timeout_ms;
  limits["max_input_bytes"] = m.limits.max_input_bytes;
  limits["max_output_bytes"] = m.limits.max_output_bytes;
  limits["memory_bytes"] = m.limits.memory_bytes;
  j["limits"] = std::move(limits);
  if (m.config) j["config"] = *m.config;
  return j;
}

proofs::Hash32 compute_measurement(const Manifest& manifest) {
  auto canonical = proofs::jcs_serialize(to_json(manifest));
  // Only a hand-built manifest with a float or null in config gets here;
  // it then measures as its general-profile JCS.
  if (!canonical) canonical = proofs::jcs_serialize(to_json(manifest), proofs::JsonProfile::kGeneral);
  return proofs::sha256(canonical ? *canonical : std::string());
}

proofs::WorkloadRef to_workload_ref(const Manifest& manifest) {
  return proofs::WorkloadRef{manifest.name, manifest.version, manifest.measurement};
}

}  // namespace verun::runner
