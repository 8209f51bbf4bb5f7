// Loading the policy of DESIGN.md §5 under the rules of §10; see policy.h.
#include "verun/verifier/policy.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <string>

#include "verun/proofs/hex.h"
#include "verun/proofs/json/jcs.h"
#include "verun/proofs/note/tlog_policy.h"
#include "verun/proofs/schema/object_reader.h"
#include "verun/proofs/sha2.h"

namespace verun::verifier {
namespace {

using proofs::Bytes;
using proofs::ObjectReader;
using proofs::SchemaCodes;

constexpr SchemaCodes kPolicyCodes{ErrorCode::kPolicyUnknownField, ErrorCode::kPolicyMissingField,
                                   ErrorCode::kPolicyInvalid};
constexpr std::size_t kMaxWorkloadNameBytes = 256;

// The TCB status names of Intel's TCB info (PCS API v4).
constexpr std::array<std::string_view, 7> kIntelTcbStatuses = {
    "UpToDate",  "SWHardeningNeeded", "ConfigurationNeeded", "ConfigurationAndSWHardeningNeeded",
    "OutOfDate", "OutOfDateConfigurationNeeded", "Revoked"};

// ---- hex lowercasing (DESIGN.md §10: "policy values written by hand are
// lowercased on load"). Only the members that hold hex are touched; values of
// the wrong type are left for the reader to reject.

void lower_string(Json& v) {
  if (!v.is_string()) return;
  for (char& c : v.get_ref<std::string&>())
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
}

Json* member(Json& obj, const char* key) {
  if (!obj.is_object()) return nullptr;
  auto it = obj.find(key);
  return it == obj.end() ? nullptr : &*it;
}

void lower_array(Json& obj, const char* key) {
  Json* a = member(obj, key);
  if (!a || !a->is_array()) return;
  for (auto& e : *a) lower_string(e);
}

void lower_map_of_arrays(Json& obj, const char* key) {
  Json* m = member(obj, key);
  if (!m || !m->is_object()) return;
  for (auto& [k, v] : m->items())
    if (v.is_array())
      for (auto& e : v) lower_string(e);
}

void lowercase_hex_fields(Json& doc) {
  if (Json* p = member(doc, "platforms")) {
    if (Json* s = member(*p, "sim")) lower_array(*s, "measurements");
    if (Json* s = member(*p, "sev-snp")) {
      lower_array(*s, "measurements");
      lower_array(*s, "host_data");
    }
    if (Json* s = member(*p, "tdx")) {
      lower_array(*s, "mrtd");
      lower_map_of_arrays(*s, "rtmr");
    }
    if (Json* s = member(*p, "sgx")) {
      lower_array(*s, "mrenclave");
      lower_array(*s, "mrsigner");
    }
    if (Json* s = member(*p, "nitro")) lower_map_of_arrays(*s, "pcr");
  }
  if (Json* w = member(doc, "workloads"); w && w->is_array())
    for (auto& e : *w)
      if (Json* m = member(e, "measurement"))
        if (Json* h = member(*m, "sha256")) lower_string(*h);
  if (Json* r = member(doc, "revoked")) {
    lower_array(*r, "keys");
    lower_array(*r, "measurements");
  }
}

// ---- typed readers over ObjectReader.

// An optional array member; each element read by `read`.
template <typename T, typename F>
Result<AllowList<T>> read_list(ObjectReader& r, std::string_view name, F read) {
  const Json* v = r.find(name);
  if (!v) return AllowList<T>();
  if (!v->is_array()) return r.invalid(name, "must be an array");
  std::vector<T> out;
  out.reserve(v->size());
  for (std::size_t i = 0; i < v->size(); ++i) {
    VERUN_ASSIGN_OR_RETURN(T t, read((*v)[i], r.element_path(name, i)));
    out.push_back(std::move(t));
  }
  return AllowList<T>(std::move(out));
}

auto hex_of(std::size_t bytes) {
  return [bytes](const Json& e, const std::string& path) -> Result<std::string> {
    VERUN_ASSIGN_OR_RETURN(Bytes b, proofs::read_lower_hex(e, bytes, path, kPolicyCodes));
    return proofs::hex_encode(b);
  };
}

auto integer_in(std::uint64_t max) {
  return [max](const Json& e, const std::string& path) -> Result<std::uint64_t> {
    const bool in_range = e.is_number_unsigned() ? e.get<std::uint64_t>() <= max
                                                 : e.is_number_integer() && e.get<std::int64_t>() >= 0 &&
                                                       static_cast<std::uint64_t>(e.get<std::int64_t>()) <= max;
    if (!in_range)
      return Error(ErrorCode::kPolicyInvalid, "field " + path + " must be an integer in [0, " + std::to_string(max) + "]");
    return e.get<std::uint64_t>();
  };
}

Result<std::string> tcb_status_name(const Json& e, const std::string& path) {
  if (e.is_string()) {
    const auto& s = e.get_ref<const std::string&>();
    if (std::find(kIntelTcbStatuses.begin(), kIntelTcbStatuses.end(), s) != kIntelTcbStatuses.end()) return s;
  }
  return Error(ErrorCode::kPolicyInvalid, "field " + path + " must be an Intel TCB status name such as UpToDate");
}

Result<AllowList<std::string>> hex_list(ObjectReader& r, std::string_view name, std::size_t bytes) {
  return read_list<std::string>(r, name, hex_of(bytes));
}

// {"<index>": [hex, ...]} with decimal indexes 0..max_index, no leading zeros.
Result<std::map<int, std::vector<std::string>>> register_map(ObjectReader& r, std::string_view name, int max_index,
                                                             std::size_t bytes) {
  std::map<int, std::vector<std::string>> out;
  const Json* v = r.find(name);
  if (!v) return out;
  if (!v->is_object()) return r.invalid(name, "must be an object");
  for (auto it = v->begin(); it != v->end(); ++it) {
    const std::string& key = it.key();
    int index = -1;
    auto [end, ec] = std::from_chars(key.data(), key.data() + key.size(), index);
    const std::string path = r.field_path(name) + "." + key.substr(0, 16);
    if (ec != std::errc() || end != key.data() + key.size() || index < 0 || index > max_index ||
        (key.size() > 1 && key[0] == '0'))
      return Error(ErrorCode::kPolicyInvalid,
                   "field " + path + " must be a register index 0.." + std::to_string(max_index));
    if (!it->is_array()) return Error(ErrorCode::kPolicyInvalid, "field " + path + " must be an array");
    std::vector<std::string> list;
    for (std::size_t i = 0; i < it->size(); ++i) {
      VERUN_ASSIGN_OR_RETURN(std::string h, hex_of(bytes)((*it)[i], path + "[" + std::to_string(i) + "]"));
      list.push_back(std::move(h));
    }
    out.emplace(index, std::move(list));
  }
  return out;
}

Result<bool> flag(ObjectReader& r, std::string_view name) {
  VERUN_ASSIGN_OR_RETURN(std::optional<bool> b, r.optional_boolean(name));
  return b.value_or(false);
}

Result<SimPolicy> read_sim(ObjectReader& r) {
  SimPolicy p;
  VERUN_ASSIGN_OR_RETURN(p.allow_insecure_simulation, flag(r, "allow_insecure_simulation"));
  // DESIGN.md §5: without roots anyone could mint accepted sim evidence.
  if (!r.has("roots"))
    return Error(ErrorCode::kPolicySimRootsRequired, "field " + r.field_path("roots") + " is required");
  VERUN_ASSIGN_OR_RETURN(const Json* roots, r.array("roots"));
  for (std::size_t i = 0; i < roots->size(); ++i) {
    VERUN_ASSIGN_OR_RETURN(Bytes b, proofs::read_base64((*roots)[i], r.element_path("roots", i), kPolicyCodes, 32));
    proofs::Ed25519PublicKey k{};
    std::copy(b.begin(), b.end(), k.begin());
    p.roots.push_back(k);
  }
  VERUN_ASSIGN_OR_RETURN(p.measurements, hex_list(r, "measurements", 48));
  VERUN_ASSIGN_OR_RETURN(p.allow_debug, flag(r, "allow_debug"));
  VERUN_ASSIGN_OR_RETURN(auto min_tcb, r.optional_integer("min_tcb", 0));
  if (min_tcb) p.min_tcb = static_cast<std::uint64_t>(*min_tcb);
  VERUN_TRY(r.finish());
  return p;
}

Result<SevSnpPolicy> read_sev_snp(ObjectReader& r) {
  SevSnpPolicy p;
  VERUN_ASSIGN_OR_RETURN(p.measurements, hex_list(r, "measurements", 48));
  VERUN_ASSIGN_OR_RETURN(p.host_data, hex_list(r, "host_data", 32));
  VERUN_ASSIGN_OR_RETURN(p.allow_debug, flag(r, "allow_debug"));
  VERUN_ASSIGN_OR_RETURN(auto min_tcb, r.optional_object("min_tcb"));
  if (min_tcb) {
    for (const char* c : {"bootloader", "tee", "snp", "microcode", "fmc"}) {
      VERUN_ASSIGN_OR_RETURN(auto n, min_tcb->optional_integer(c, 0, 255));
      if (n) p.min_tcb[c] = static_cast<std::uint64_t>(*n);
    }
    VERUN_TRY(min_tcb->finish());
  }
  VERUN_TRY(r.finish());
  return p;
}

Result<TdxPolicy> read_tdx(ObjectReader& r) {
  TdxPolicy p;
  VERUN_ASSIGN_OR_RETURN(p.mrtd, hex_list(r, "mrtd", 48));
  VERUN_ASSIGN_OR_RETURN(p.rtmr, register_map(r, "rtmr", 3, 48));
  VERUN_ASSIGN_OR_RETURN(p.allow_debug, flag(r, "allow_debug"));
  VERUN_ASSIGN_OR_RETURN(p.tcb_status, read_list<std::string>(r, "tcb_status", tcb_status_name));
  VERUN_TRY(r.finish());
  return p;
}

Result<SgxPolicy> read_sgx(ObjectReader& r) {
  SgxPolicy p;
  VERUN_ASSIGN_OR_RETURN(p.mrenclave, hex_list(r, "mrenclave", 32));
  VERUN_ASSIGN_OR_RETURN(p.mrsigner, hex_list(r, "mrsigner", 32));
  VERUN_ASSIGN_OR_RETURN(p.isv_prod_id, read_list<std::uint64_t>(r, "isv_prod_id", integer_in(65535)));
  VERUN_ASSIGN_OR_RETURN(auto min_isv_svn, r.optional_integer("min_isv_svn", 0, 65535));
  if (min_isv_svn) p.min_isv_svn = static_cast<std::uint64_t>(*min_isv_svn);
  VERUN_ASSIGN_OR_RETURN(p.allow_debug, flag(r, "allow_debug"));
  VERUN_ASSIGN_OR_RETURN(p.tcb_status, read_list<std::string>(r, "tcb_status", tcb_status_name));
  VERUN_TRY(r.finish());
  return p;
}

Result<NitroPolicy> read_nitro(ObjectReader& r) {
  NitroPolicy p;
  VERUN_ASSIGN_OR_RETURN(p.pcr, register_map(r, "pcr", 31, 48));
  VERUN_ASSIGN_OR_RETURN(p.allow_debug, flag(r, "allow_debug"));
  VERUN_TRY(r.finish());
  return p;
}

// Reads an optional platform member with `read`.
template <typename T, typename F>
Result<std::optional<T>> platform(ObjectReader& platforms, std::string_view name, F read) {
  VERUN_ASSIGN_OR_RETURN(auto r, platforms.optional_object(name));
  if (!r) return std::optional<T>();
  VERUN_ASSIGN_OR_RETURN(T p, read(*r));
  return std::optional<T>(std::move(p));
}

Result<PlatformPolicies> read_platforms(ObjectReader& r) {
  PlatformPolicies p;
  VERUN_ASSIGN_OR_RETURN(p.sim, platform<SimPolicy>(r, "sim", read_sim));
  VERUN_ASSIGN_OR_RETURN(p.sev_snp, platform<SevSnpPolicy>(r, "sev-snp", read_sev_snp));
  VERUN_ASSIGN_OR_RETURN(p.tdx, platform<TdxPolicy>(r, "tdx", read_tdx));
  VERUN_ASSIGN_OR_RETURN(p.sgx, platform<SgxPolicy>(r, "sgx", read_sgx));
  VERUN_ASSIGN_OR_RETURN(p.nitro, platform<NitroPolicy>(r, "nitro", read_nitro));
  VERUN_TRY(r.finish());  // an unknown platform is an unknown field
  return p;
}

Result<WorkloadRule> read_workload(const Json& e, const std::string& path) {
  VERUN_ASSIGN_OR_RETURN(ObjectReader r, ObjectReader::make(e, path, kPolicyCodes));
  WorkloadRule w;
  VERUN_ASSIGN_OR_RETURN(w.name, r.optional_string("name", kMaxWorkloadNameBytes));
  VERUN_ASSIGN_OR_RETURN(w.measurement, r.digest_set("measurement"));
  VERUN_TRY(r.finish());
  return w;
}

Result<std::string> revoked_measurement(const Json& e, const std::string& path) {
  // Runner measurements are 48 bytes (SHA-384: sim, SNP, TDX, Nitro) or 32
  // (SGX MRENCLAVE); workload measurements are SHA-256.
  const std::size_t bytes = e.is_string() && e.get_ref<const std::string&>().size() == 96 ? 48 : 32;
  return hex_of(bytes)(e, path);
}

}  // namespace

Result<Policy> parse_policy(std::string_view text) {
  if (text.size() > kMaxPolicyTextBytes)
    return Error(ErrorCode::kPolicyTooLarge, "policy is " + std::to_string(text.size()) + " bytes, more than " +
                                                 std::to_string(kMaxPolicyTextBytes));
  auto parsed = proofs::parse_json(text, proofs::JsonProfile::kVerun, proofs::JsonLimits{32, kMaxPolicyTextBytes});
  if (!parsed) return Error(ErrorCode::kPolicyInvalid, "policy is not verun JSON: " + parsed.error().to_string());
  Json doc = std::move(*parsed);
  lowercase_hex_fields(doc);

  Policy p;
  VERUN_ASSIGN_OR_RETURN(ObjectReader top, ObjectReader::make(doc, "", kPolicyCodes));
  VERUN_ASSIGN_OR_RETURN(p.tlog_policy, top.optional_string("tlog_policy", kMaxPolicyTextBytes));
  if (p.tlog_policy) {
    auto tp = proofs::parse_tlog_policy(*p.tlog_policy);
    if (!tp) return Error(ErrorCode::kPolicyBadTlogPolicy, "field tlog_policy: " + tp.error().to_string());
  }
  VERUN_ASSIGN_OR_RETURN(ObjectReader platforms, top.object("platforms"));
  VERUN_ASSIGN_OR_RETURN(p.platforms, read_platforms(platforms));
  VERUN_ASSIGN_OR_RETURN(p.workloads, read_list<WorkloadRule>(top, "workloads", read_workload));
  VERUN_ASSIGN_OR_RETURN(auto revoked, top.optional_object("revoked"));
  if (revoked) {
    VERUN_ASSIGN_OR_RETURN(auto keys, hex_list(*revoked, "keys", 32));
    VERUN_ASSIGN_OR_RETURN(auto measurements, read_list<std::string>(*revoked, "measurements", revoked_measurement));
    VERUN_TRY(revoked->finish());
    if (keys) p.revoked_keys = std::move(*keys);
    if (measurements) p.revoked_measurements = std::move(*measurements);
  }
  VERUN_ASSIGN_OR_RETURN(p.max_evidence_age_seconds, top.optional_integer("max_evidence_age_seconds", 0));
  VERUN_ASSIGN_OR_RETURN(p.max_key_age_seconds, top.optional_integer("max_key_age_seconds", 0));
  VERUN_TRY(top.finish());

  // DESIGN.md §5, §10: the digest is SHA-256 of JCS of the policy as parsed,
  // after lowercasing.
  auto canonical = proofs::jcs_serialize(doc);
  if (!canonical) return Error(ErrorCode::kPolicyInvalid, "policy: " + canonical.error().to_string());
  p.digest = proofs::sha256(*canonical);
  p.normalized = std::move(doc);
  return p;
}

std::string policy_digest_hex(const Policy& policy) { return proofs::hex_encode(policy.digest); }

}  // namespace verun::verifier
