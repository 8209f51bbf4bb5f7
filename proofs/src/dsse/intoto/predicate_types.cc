// Shared predicate types (DESIGN.md §4, §5, §10): strict readers and writers.
#include "verun/proofs/intoto/predicate_types.h"

#include <algorithm>

#include "verun/proofs/base64.h"
#include "verun/proofs/hex.h"

namespace verun::proofs {
namespace {

struct PlatformName {
  Platform platform;
  std::string_view name;
};
constexpr PlatformName kPlatforms[] = {
    {Platform::kSim, "sim"}, {Platform::kSevSnp, "sev-snp"}, {Platform::kTdx, "tdx"},
    {Platform::kSgx, "sgx"}, {Platform::kNitro, "nitro"},
};

struct FormatName {
  EvidenceFormat format;
  std::string_view name;
  Platform platform;
};
constexpr FormatName kFormats[] = {
    {EvidenceFormat::kSimV1, "sim-v1", Platform::kSim},
    {EvidenceFormat::kSevSnpReport, "sev-snp-report", Platform::kSevSnp},
    {EvidenceFormat::kTdxQuote, "tdx-quote", Platform::kTdx},
    {EvidenceFormat::kSgxQuote, "sgx-quote", Platform::kSgx},
    {EvidenceFormat::kNitroCose, "nitro-cose", Platform::kNitro},
};

constexpr std::size_t kMaxCollateralName = 64;

bool is_collateral_name(std::string_view s) {
  if (s.empty() || s.size() > kMaxCollateralName) return false;
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; });
}

std::string shown(std::string_view s) {
  return s.size() > 64 ? std::string(s.substr(0, 64)) + "..." : std::string(s);
}

template <std::size_t N>
std::array<std::uint8_t, N> to_array(const Bytes& b) {
  std::array<std::uint8_t, N> a{};
  std::copy_n(b.begin(), N, a.begin());
  return a;
}

}  // namespace

std::string_view to_string(Platform platform) {
  for (const auto& p : kPlatforms)
    if (p.platform == platform) return p.name;
  return "unknown";
}

std::optional<Platform> platform_from_string(std::string_view name) {
  for (const auto& p : kPlatforms)
    if (p.name == name) return p.platform;
  return std::nullopt;
}

std::string_view to_string(EvidenceFormat format) {
  for (const auto& f : kFormats)
    if (f.format == format) return f.name;
  return "unknown";
}

std::optional<EvidenceFormat> evidence_format_from_string(std::string_view name) {
  for (const auto& f : kFormats)
    if (f.name == name) return f.format;
  return std::nullopt;
}

Platform platform_of(EvidenceFormat format) {
  for (const auto& f : kFormats)
    if (f.format == format) return f.platform;
  return Platform::kSim;  // unreachable for valid enumerators
}

Result<WorkloadRef> parse_workload_ref(const Json& json, const std::string& path, SchemaCodes codes) {
  VERUN_ASSIGN_OR_RETURN(ObjectReader r, ObjectReader::make(json, path, codes));
  WorkloadRef w;
  VERUN_ASSIGN_OR_RETURN(w.name, r.string("name", kMaxNameBytes));
  VERUN_ASSIGN_OR_RETURN(w.version, r.string("version", kMaxNameBytes));
  VERUN_ASSIGN_OR_RETURN(w.measurement, r.digest_set("measurement"));
  VERUN_TRY(r.finish());
  return w;
}

Result<RunnerIdentity> parse_runner_identity(const Json& json, const std::string& path, SchemaCodes codes) {
  VERUN_ASSIGN_OR_RETURN(ObjectReader r, ObjectReader::make(json, path, codes));
  RunnerIdentity id;
  VERUN_ASSIGN_OR_RETURN(std::string platform, r.string("platform", kMaxNameBytes));
  auto p = platform_from_string(platform);
  if (!p) return r.invalid("platform", "names unknown platform '" + shown(platform) + "'");
  id.platform = *p;
  VERUN_ASSIGN_OR_RETURN(id.signing_key, r.base64_32("signing_key"));
  VERUN_ASSIGN_OR_RETURN(id.hpke_key, r.base64_32("hpke_key"));
  VERUN_ASSIGN_OR_RETURN(id.runner_version, r.string("runner_version", kMaxNameBytes));
  VERUN_ASSIGN_OR_RETURN(Bytes boot_id, r.hex("boot_id", 16));
  id.boot_id = to_array<16>(boot_id);
  VERUN_ASSIGN_OR_RETURN(const Json* workloads, r.array("workloads"));
  for (std::size_t i = 0; i < workloads->size(); ++i) {
    VERUN_ASSIGN_OR_RETURN(WorkloadRef w, parse_workload_ref((*workloads)[i], r.element_path("workloads", i), codes));
    id.workloads.push_back(std::move(w));
  }
  VERUN_TRY(r.finish());
  return id;
}

Result<Evidence> parse_evidence(const Json& json, const std::string& path, SchemaCodes codes) {
  VERUN_ASSIGN_OR_RETURN(ObjectReader r, ObjectReader::make(json, path, codes));
  Evidence ev;
  VERUN_ASSIGN_OR_RETURN(std::string format, r.string("format", kMaxNameBytes));
  auto f = evidence_format_from_string(format);
  if (!f) return r.invalid("format", "names unknown evidence format '" + shown(format) + "'");
  ev.format = *f;
  VERUN_ASSIGN_OR_RETURN(ev.data, r.base64("data"));
  if (const Json* certs = r.find("certs")) {
    if (!certs->is_array()) return r.invalid("certs", "must be an array");
    for (std::size_t i = 0; i < certs->size(); ++i) {
      VERUN_ASSIGN_OR_RETURN(Bytes der, read_base64((*certs)[i], r.element_path("certs", i), codes));
      ev.certs.push_back(std::move(der));
    }
  }
  VERUN_ASSIGN_OR_RETURN(auto collateral, r.optional_object("collateral"));
  if (collateral) {
    const Json* obj = r.find("collateral");
    for (auto it = obj->begin(); it != obj->end(); ++it) {
      if (!is_collateral_name(it.key()))
        return Error(codes.invalid_field, "collateral name '" + shown(it.key()) + "' in " + r.field_path("collateral") +
                                              " is not 1-64 characters of [a-z0-9_]");
      VERUN_ASSIGN_OR_RETURN(Hash32 d, read_digest_set(*it, collateral->field_path(it.key()), codes));
      ev.collateral.emplace(it.key(), d);
    }
  }
  VERUN_TRY(r.finish());
  return ev;
}

Json to_json(const WorkloadRef& w) {
  Json j = Json::object();
  j["name"] = w.name;
  j["version"] = w.version;
  j["measurement"] = digest_set_json(w.measurement);
  return j;
}

Json to_json(const RunnerIdentity& id) {
  Json workloads = Json::array();
  for (const auto& w : id.workloads) workloads.push_back(to_json(w));
  Json j = Json::object();
  j["platform"] = std::string(to_string(id.platform));
  j["signing_key"] = base64_encode(id.signing_key);
  j["hpke_key"] = base64_encode(id.hpke_key);
  j["runner_version"] = id.runner_version;
  j["boot_id"] = hex_encode(id.boot_id);
  j["workloads"] = std::move(workloads);
  return j;
}

Json to_json(const Evidence& ev) {
  Json j = Json::object();
  j["format"] = std::string(to_string(ev.format));
  j["data"] = base64_encode(ev.data);
  if (!ev.certs.empty()) {
    Json certs = Json::array();
    for (const auto& c : ev.certs) certs.push_back(base64_encode(c));
    j["certs"] = std::move(certs);
  }
  if (!ev.collateral.empty()) {
    Json c = Json::object();
    for (const auto& [name, digest] : ev.collateral) c[name] = digest_set_json(digest);
    j["collateral"] = std::move(c);
  }
  return j;
}

}  // namespace verun::proofs
