// Appraisal of evidence, workloads and keys against a policy (DESIGN.md §5,
// §10; docs/decisions/0004-appraisal-checks.md); see appraisal.h.
#include "verun/verifier/appraisal.h"

#include <algorithm>
#include <array>
#include <chrono>

#include "verun/proofs/hex.h"
#include "verun/proofs/report_data.h"
#include "verun/proofs/sha2.h"

namespace verun::verifier {
namespace {

using proofs::EvidenceFormat;
using proofs::Platform;

constexpr std::array<std::string_view, 11> kEvidenceChecks = {
    kCheckFormatKnown,        kCheckSignature, kCheckReportDataBinding, kCheckPlatformAllowed,
    kCheckSimAllowed,         kCheckMeasurementAllowed, kCheckDebug,     kCheckMinTcb,
    kCheckTcbStatus,          kCheckRevokedMeasurement, kCheckEvidenceAge};

// Reports every check after `after` as skipped, with the reason.
void skip_after(CheckReport& report, std::string_view after, const std::string& reason) {
  auto it = std::find(kEvidenceChecks.begin(), kEvidenceChecks.end(), after);
  for (++it; it != kEvidenceChecks.end(); ++it) report.skip(std::string(*it), reason);
}

std::string platform_name(Platform p) { return std::string(proofs::to_string(p)); }

// ---- policy.measurement_allowed

// ok unless the list is present and the named register is absent or not in it.
Result<void> require_in(const AllowList<std::string>& list, const Claims& claims, const std::string& reg,
                        const std::string& field) {
  if (!list) return ok();
  auto it = claims.measurements.find(reg);
  if (it == claims.measurements.end())
    return Error(ErrorCode::kPolicyMeasurementNotAllowed,
                 "the policy lists " + field + " values but the evidence has no " + reg);
  std::string value = proofs::hex_encode(it->second);
  if (!allows(list, value))
    return Error(ErrorCode::kPolicyMeasurementNotAllowed, reg + " " + value + " is not in the policy's " + field);
  return ok();
}

Result<void> require_in_map(const std::map<int, std::vector<std::string>>& registers, const Claims& claims,
                            const std::string& prefix, const std::string& field) {
  for (const auto& [index, list] : registers) {
    const std::string i = std::to_string(index);
    VERUN_TRY(require_in(AllowList<std::string>(list), claims, prefix + i, field + "." + i));
  }
  return ok();
}

Result<void> measurement_allowed(const Claims& c, const Policy& p) {
  const auto& pl = p.platforms;
  switch (c.platform) {
    case Platform::kSim:
      return require_in(pl.sim->measurements, c, proofs::kMeasurementKey, "sim.measurements");
    case Platform::kSevSnp:
      VERUN_TRY(require_in(pl.sev_snp->measurements, c, proofs::kMeasurementKey, "sev-snp.measurements"));
      return require_in(pl.sev_snp->host_data, c, "host_data", "sev-snp.host_data");
    case Platform::kTdx:
      VERUN_TRY(require_in(pl.tdx->mrtd, c, "mrtd", "tdx.mrtd"));
      return require_in_map(pl.tdx->rtmr, c, "rtmr", "tdx.rtmr");
    case Platform::kSgx: {
      VERUN_TRY(require_in(pl.sgx->mrenclave, c, "mrenclave", "sgx.mrenclave"));
      VERUN_TRY(require_in(pl.sgx->mrsigner, c, "mrsigner", "sgx.mrsigner"));
      if (pl.sgx->isv_prod_id) {
        auto it = c.tcb.find("isv_prod_id");
        if (it == c.tcb.end() || !allows(pl.sgx->isv_prod_id, it->second))
          return Error(ErrorCode::kPolicyMeasurementNotAllowed, "isv_prod_id is not in the policy's sgx.isv_prod_id");
      }
      return ok();
    }
    case Platform::kNitro:
      return require_in_map(pl.nitro->pcr, c, "pcr", "nitro.pcr");
  }
  return Error(ErrorCode::kInternal, "unknown platform");
}

bool allow_debug(const Claims& c, const Policy& p) {
  const auto& pl = p.platforms;
  switch (c.platform) {
    case Platform::kSim: return pl.sim->allow_debug;
    case Platform::kSevSnp: return pl.sev_snp->allow_debug;
    case Platform::kTdx: return pl.tdx->allow_debug;
    case Platform::kSgx: return pl.sgx->allow_debug;
    case Platform::kNitro: return pl.nitro->allow_debug;
  }
  return false;
}

bool platform_present(Platform platform, const Policy& p) {
  const auto& pl = p.platforms;
  switch (platform) {
    case Platform::kSim: return pl.sim.has_value();
    case Platform::kSevSnp: return pl.sev_snp.has_value();
    case Platform::kTdx: return pl.tdx.has_value();
    case Platform::kSgx: return pl.sgx.has_value();
    case Platform::kNitro: return pl.nitro.has_value();
  }
  return false;
}

// ---- policy.min_tcb: the minimums a platform policy sets, by claims name.
std::map<std::string, std::uint64_t> tcb_minimums(const Claims& c, const Policy& p) {
  std::map<std::string, std::uint64_t> m;
  const auto& pl = p.platforms;
  if (c.platform == Platform::kSim && pl.sim->min_tcb) m[proofs::kSimTcbKey] = *pl.sim->min_tcb;
  if (c.platform == Platform::kSevSnp) m = pl.sev_snp->min_tcb;
  if (c.platform == Platform::kSgx && pl.sgx->min_isv_svn) m["isv_svn"] = *pl.sgx->min_isv_svn;
  return m;
}

Result<void> min_tcb_met(const Claims& c, const std::map<std::string, std::uint64_t>& minimums) {
  for (const auto& [name, min] : minimums) {
    auto it = c.tcb.find(name);
    if (it == c.tcb.end()) {
      // DESIGN.md §5: SNP's fmc component exists only on Turin.
      if (c.platform == Platform::kSevSnp && name == "fmc") continue;
      return Error(ErrorCode::kPolicyTcbTooLow, "the policy sets a minimum " + name + " but the evidence has none");
    }
    if (it->second < min)
      return Error(ErrorCode::kPolicyTcbTooLow, "tcb " + name + " is " + std::to_string(it->second) +
                                                    ", below the policy's minimum " + std::to_string(min));
  }
  return ok();
}

const AllowList<std::string>* tcb_status_list(const Claims& c, const Policy& p) {
  if (c.platform == Platform::kTdx && p.platforms.tdx->tcb_status) return &p.platforms.tdx->tcb_status;
  if (c.platform == Platform::kSgx && p.platforms.sgx->tcb_status) return &p.platforms.sgx->tcb_status;
  return nullptr;
}

Timestamp now() { return Timestamp::from_time_point(std::chrono::system_clock::now()); }

// Whether `later` is more than `seconds` after `earlier`.
bool more_than_after(const Timestamp& earlier, const Timestamp& later, std::int64_t seconds) {
  Timestamp limit{earlier.seconds + seconds, earlier.nanos};
  return later > limit;
}

}  // namespace

CheckReport appraise_claims(const Claims& c, const Policy& p, const AppraisalOptions& options) {
  CheckReport r;
  const std::string pname = platform_name(c.platform);
  const bool present = platform_present(c.platform, p);
  if (present)
    r.pass(std::string(kCheckPlatformAllowed), "the policy accepts platform " + pname);
  else
    r.fail(std::string(kCheckPlatformAllowed),
           Error(ErrorCode::kPolicyPlatformNotAllowed, "the policy has no entry for platform " + pname));

  const std::string no_platform = "the policy has no entry for platform " + pname;
  // policy.sim_allowed: allow_insecure_simulation AND the root in sim.roots.
  if (c.platform != Platform::kSim) {
    r.skip(std::string(kCheckSimAllowed), "the evidence is not simulated");
  } else if (!present) {
    r.skip(std::string(kCheckSimAllowed), no_platform);
  } else if (!p.platforms.sim->allow_insecure_simulation) {
    r.fail(std::string(kCheckSimAllowed),
           Error(ErrorCode::kPolicySimulationNotAllowed,
                 "SIMULATED evidence and the policy does not set allow_insecure_simulation"));
  } else {
    bool trusted = false;
    if (!c.chain_fingerprints.empty())
      for (const auto& root : p.platforms.sim->roots)
        if (proofs::sha256(proofs::ByteView(root)) == c.chain_fingerprints.back()) trusted = true;
    if (trusted)
      r.pass(std::string(kCheckSimAllowed), "SIMULATED evidence signed by a sim root the policy trusts");
    else
      r.fail(std::string(kCheckSimAllowed),
             Error(ErrorCode::kPolicyRootNotTrusted,
                   "SIMULATED evidence signed by a sim root that is not in the policy's sim.roots"));
  }

  if (!present) {
    for (auto n : {kCheckMeasurementAllowed, kCheckDebug, kCheckMinTcb, kCheckTcbStatus})
      r.skip(std::string(n), no_platform);
  } else {
    r.record(std::string(kCheckMeasurementAllowed), measurement_allowed(c, p),
             "every measurement the policy lists for " + pname + " matches");
    if (c.debug && !allow_debug(c, p))
      r.fail(std::string(kCheckDebug),
             Error(ErrorCode::kPolicyDebugNotAllowed, "the evidence comes from a debug TEE and " + pname +
                                                          ".allow_debug is not true"));
    else
      r.pass(std::string(kCheckDebug), c.debug ? "debug TEE, allowed by the policy" : "not a debug TEE");
    auto minimums = tcb_minimums(c, p);
    if (minimums.empty())
      r.skip(std::string(kCheckMinTcb), "the policy sets no minimum TCB for " + pname);
    else
      r.record(std::string(kCheckMinTcb), min_tcb_met(c, minimums), "the TCB meets the policy's minimum");
    const AllowList<std::string>* statuses = tcb_status_list(c, p);
    if (!statuses) {
      r.skip(std::string(kCheckTcbStatus), "the policy sets no tcb_status for " + pname);
    } else if (!c.tcb_status) {
      // DESIGN.md §5: tcb_status needs collateral.
      r.fail(std::string(kCheckTcbStatus), Error(ErrorCode::kPolicyTcbStatusNotAllowed,
                                                 "the policy sets tcb_status but the evidence has no collateral status"));
    } else if (!allows(*statuses, *c.tcb_status)) {
      r.fail(std::string(kCheckTcbStatus),
             Error(ErrorCode::kPolicyTcbStatusNotAllowed, "TCB status " + *c.tcb_status + " is not in the policy's list"));
    } else {
      r.pass(std::string(kCheckTcbStatus), "TCB status " + *c.tcb_status + " is allowed");
    }
  }

  // policy.revoked_measurement: revoked.measurements applies to every
  // runner measurement (DESIGN.md §10 "Links").
  Result<void> revoked = ok();
  for (const auto& [reg, value] : c.measurements) {
    std::string h = proofs::hex_encode(value);
    if (std::find(p.revoked_measurements.begin(), p.revoked_measurements.end(), h) != p.revoked_measurements.end()) {
      revoked = Error(ErrorCode::kPolicyRevoked, reg + " " + h + " is revoked by the policy");
      break;
    }
  }
  r.record(std::string(kCheckRevokedMeasurement), revoked, "no measurement of the evidence is revoked");

  // policy.evidence_age: V minus the as-of time (DESIGN.md §5).
  std::optional<Timestamp> as_of = options.as_of ? options.as_of : c.timestamp;
  if (!p.max_evidence_age_seconds) {
    r.skip(std::string(kCheckEvidenceAge), "the policy sets no max_evidence_age_seconds");
  } else if (!as_of) {
    r.skip(std::string(kCheckEvidenceAge), "the evidence has no timestamp and no as-of time was given");
  } else {
    const Timestamp v = options.time.value_or(now());
    if (*as_of > v)
      r.fail(std::string(kCheckEvidenceAge),
             Error(ErrorCode::kPolicyEvidenceFromFuture,
                   "the evidence time " + proofs::format_rfc3339(*as_of) + " is after the verification time " +
                       proofs::format_rfc3339(v)));
    else if (more_than_after(*as_of, v, *p.max_evidence_age_seconds))
      r.fail(std::string(kCheckEvidenceAge),
             Error(ErrorCode::kPolicyEvidenceTooOld, "the evidence time " + proofs::format_rfc3339(*as_of) +
                                                         " is more than " +
                                                         std::to_string(*p.max_evidence_age_seconds) +
                                                         " seconds before " + proofs::format_rfc3339(v)));
    else
      r.pass(std::string(kCheckEvidenceAge), "the evidence is within max_evidence_age_seconds");
  }
  return r;
}

Appraisal appraise_evidence(const proofs::Evidence& evidence, const IdentityRef& identity, const Hash32& nonce,
                            const Policy& policy, const AppraisalOptions& options) {
  Appraisal a;
  a.policy_digest = policy.digest;
  a.collateral_digests = evidence.collateral;
  a.simulated = evidence.format == EvidenceFormat::kSimV1;
  const std::string format(proofs::to_string(evidence.format));

  if (!proofs::evidence_format_supported(evidence.format)) {
    a.report.fail(std::string(kCheckFormatKnown), Error(ErrorCode::kEvidenceUnsupportedFormat,
                                                        "no verifier for evidence format " + format + " in this build"));
    skip_after(a.report, kCheckFormatKnown, "the evidence format is not supported");
    return a;
  }
  a.report.pass(std::string(kCheckFormatKnown), "evidence format " + format);

  auto claims = proofs::verify_evidence(evidence, options.evidence);
  if (!claims) {
    a.report.fail(std::string(kCheckSignature), claims.error());
    skip_after(a.report, kCheckSignature, "the evidence did not verify");
    return a;
  }
  a.report.pass(std::string(kCheckSignature), a.simulated ? "SIMULATED evidence: the sim-v1 signature verifies"
                                                          : "the evidence signature and chain verify");

  // DESIGN.md §4, §10: report_data = SHA-512(prefix || SHA-256(JCS(identity)) || nonce).
  Result<Hash32> digest = std::holds_alternative<Hash32>(identity)
                              ? Result<Hash32>(std::get<Hash32>(identity))
                              : proofs::identity_digest(std::get<proofs::Json>(identity));
  if (!digest) {
    a.report.fail(std::string(kCheckReportDataBinding), digest.error());
  } else if (proofs::make_report_data(*digest, nonce) != claims->report_data) {
    a.report.fail(std::string(kCheckReportDataBinding),
                  Error(ErrorCode::kAppraisalReportDataMismatch,
                        "report_data does not bind this identity and nonce"));
  } else {
    a.report.pass(std::string(kCheckReportDataBinding), "report_data binds the identity and the nonce");
  }

  // The claims verified, so the policy checks run even if the binding failed:
  // the report then explains everything that is wrong, not only the first.
  a.report.append(appraise_claims(*claims, policy, options));
  a.claims = std::move(*claims);
  return a;
}

CheckReport appraise_workload(const WorkloadClaim& w, const Policy& p) {
  CheckReport r;
  const std::string m = proofs::hex_encode(w.measurement);
  if (!p.workloads) {
    r.pass(std::string(kCheckWorkloadAllowed), "the policy lists no workloads, so any is allowed");
  } else {
    bool found = false;
    for (const auto& rule : *p.workloads)
      if (rule.measurement == w.measurement && (!rule.name || (w.name && *rule.name == *w.name))) found = true;
    if (found)
      r.pass(std::string(kCheckWorkloadAllowed), "workload measurement " + m + " is allowed");
    else
      r.fail(std::string(kCheckWorkloadAllowed),
             Error(ErrorCode::kPolicyWorkloadNotAllowed,
                   "workload " + w.name.value_or("(unnamed)") + " with measurement " + m + " is not in the policy"));
  }
  if (std::find(p.revoked_measurements.begin(), p.revoked_measurements.end(), m) != p.revoked_measurements.end())
    r.fail(std::string(kCheckWorkloadRevoked),
           Error(ErrorCode::kPolicyRevoked, "workload measurement " + m + " is revoked by the policy"));
  else
    r.pass(std::string(kCheckWorkloadRevoked), "the workload measurement is not revoked");
  return r;
}

Result<void> check_key_revoked(std::string_view key_id, const Policy& p) {
  for (const auto& k : p.revoked_keys)
    if (k == key_id) return Error(ErrorCode::kPolicyRevoked, "runner key " + std::string(key_id) + " is revoked");
  return ok();
}

Result<void> check_key_age(const Timestamp& registration_as_of, const Timestamp& receipt_as_of, const Policy& p) {
  if (!p.max_key_age_seconds) return ok();
  if (more_than_after(registration_as_of, receipt_as_of, *p.max_key_age_seconds))
    return Error(ErrorCode::kPolicyKeyTooOld, "the receipt is more than " + std::to_string(*p.max_key_age_seconds) +
                                                  " seconds after its registration");
  return ok();
}

proofs::Json Appraisal::to_json() const {
  proofs::Json j = proofs::Json::object();
  j["verdict"] = passed() ? "valid" : "invalid";
  j["checks"] = report.to_json();
  if (const Check* f = report.first_failure()) {
    proofs::Json ff = proofs::Json::object();
    ff["check"] = f->name;
    ff["code"] = std::string(verun::to_string(f->code));
    ff["message"] = f->message;
    j["first_failure"] = std::move(ff);
  }
  j["policy_digest"] = proofs::hex_encode(policy_digest);
  proofs::Json coll = proofs::Json::object();
  for (const auto& [name, d] : collateral_digests) coll[name] = proofs::hex_encode(d);
  j["collateral_digests"] = std::move(coll);
  if (claims) j["claims"] = proofs::claims_to_json(*claims);
  j["simulated"] = simulated;
  return j;
}

}  // namespace verun::verifier
