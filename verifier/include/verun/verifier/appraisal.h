// Appraisal = evidence verification + report_data binding + policy match
// (DESIGN.md §5, §10; docs/decisions/0004-appraisal-checks.md). Every check
// is reported, in a fixed order, with a stable code on failure, together
// with the policy digest and the collateral digests used, so a verdict can
// be explained and reproduced. proofs/evidence verifies; this file
// validates against policy (STYLE.md §4.2). Stateless and thread-safe.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "verun/proofs/evidence/claims.h"
#include "verun/proofs/evidence/evidence.h"
#include "verun/proofs/intoto/predicate_types.h"
#include "verun/proofs/schema/rfc3339.h"
#include "verun/verifier/check_report.h"
#include "verun/verifier/policy.h"

namespace verun::verifier {

using proofs::Claims;
using proofs::Timestamp;

// Check names, in the order appraise_evidence reports them.
inline constexpr std::string_view kCheckFormatKnown = "evidence.format_known";
inline constexpr std::string_view kCheckSignature = "evidence.signature";
inline constexpr std::string_view kCheckReportDataBinding = "evidence.report_data_binding";
inline constexpr std::string_view kCheckPlatformAllowed = "policy.platform_allowed";
inline constexpr std::string_view kCheckSimAllowed = "policy.sim_allowed";
inline constexpr std::string_view kCheckMeasurementAllowed = "policy.measurement_allowed";
inline constexpr std::string_view kCheckDebug = "policy.debug";
inline constexpr std::string_view kCheckMinTcb = "policy.min_tcb";
inline constexpr std::string_view kCheckTcbStatus = "policy.tcb_status";
inline constexpr std::string_view kCheckRevokedMeasurement = "policy.revoked_measurement";
inline constexpr std::string_view kCheckEvidenceAge = "policy.evidence_age";
// appraise_workload's checks.
inline constexpr std::string_view kCheckWorkloadAllowed = "policy.workload_allowed";
inline constexpr std::string_view kCheckWorkloadRevoked = "policy.revoked_workload";

// What report_data must bind: the identity JSON object (its digest is taken
// here) or SHA-256(JCS(identity)) already computed.
using IdentityRef = std::variant<proofs::Json, proofs::Hash32>;

struct AppraisalOptions {
  // The verification time V (DESIGN.md §5); now when absent.
  std::optional<Timestamp> time;
  // The evidence's as-of time when the caller knows it from the log
  // (witness cosignatures); otherwise the evidence's own timestamp is used,
  // and without either the evidence age check is skipped.
  std::optional<Timestamp> as_of;
  proofs::EvidenceOptions evidence;
};

struct Appraisal {
  CheckReport report;
  std::optional<Claims> claims;           // set once the evidence verified
  Hash32 policy_digest{};
  std::map<std::string, Hash32> collateral_digests;  // the evidence's collateral, by name
  bool simulated = false;                 // sim evidence was involved (say SIMULATED)

  bool passed() const { return report.passed(); }
  // {"checks", "first_failure", "policy_digest", "collateral_digests",
  //  "claims", "simulated"} (DESIGN.md §8 field names).
  proofs::Json to_json() const;
};

// Runs, in order: evidence.format_known, evidence.signature,
// evidence.report_data_binding, then appraise_claims's checks. After a
// failure that leaves no trustworthy claims, the remaining checks are
// reported as skipped with the reason.
Appraisal appraise_evidence(const proofs::Evidence& evidence, const IdentityRef& identity,
                            const Hash32& nonce, const Policy& policy, const AppraisalOptions& options = {});

// The policy checks over verified claims: policy.platform_allowed,
// policy.sim_allowed, policy.measurement_allowed, policy.debug,
// policy.min_tcb, policy.tcb_status, policy.revoked_measurement,
// policy.evidence_age.
CheckReport appraise_claims(const Claims& claims, const Policy& policy, const AppraisalOptions& options = {});

// A workload as a receipt names it.
struct WorkloadClaim {
  std::optional<std::string> name;
  Hash32 measurement{};
};

// policy.workload_allowed (an entry whose measurement matches, and whose
// name matches when the entry gives one; an absent `workloads` allows any)
// and policy.revoked_workload (revoked.measurements).
CheckReport appraise_workload(const WorkloadClaim& workload, const Policy& policy);

// policy.revoked when key_id (lowercase hex) is in revoked.keys.
Result<void> check_key_revoked(std::string_view key_id, const Policy& policy);

// policy.key_too_old when receipt_as_of is more than max_key_age_seconds
// after registration_as_of (DESIGN.md §5); ok when the policy sets no limit.
Result<void> check_key_age(const Timestamp& registration_as_of, const Timestamp& receipt_as_of, const Policy& policy);

}  // namespace verun::verifier
