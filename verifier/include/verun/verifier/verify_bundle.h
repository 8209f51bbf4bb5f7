// Bundle verification (DESIGN.md §5 as-of times, §8, §10 "Verdicts"): every
// check in the fixed order of docs/decisions/0006-bundle-checks.md, the
// first failure named with a stable code and every later check reported as
// skipped, the as-of time and its source, the policy and collateral digests,
// the claims and `simulated`. BundleVerifier verifies a batch and caches what
// repeats (checkpoint signatures, registration appraisals) keyed by their
// bytes; one BundleVerifier per thread. verify_bundle is stateless.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "verun/proofs/evidence/claims.h"
#include "verun/proofs/evidence/evidence.h"
#include "verun/proofs/intoto/receipt.h"
#include "verun/proofs/schema/rfc3339.h"
#include "verun/verifier/bundle.h"
#include "verun/verifier/check_report.h"
#include "verun/verifier/policy.h"

namespace verun::verifier {

// Check names, in report order (the appraisal rows of appraisal.h sit between
// registration.collateral and receipt.statement, with policy.revoked_key
// after policy.revoked_measurement).
inline constexpr std::string_view kCheckBundleShape = "bundle.shape";
inline constexpr std::string_view kCheckRegistrationCheckpoint = "checkpoint.registration";
inline constexpr std::string_view kCheckReceiptCheckpoint = "checkpoint.receipt";
inline constexpr std::string_view kCheckRegistrationQuorum = "checkpoint.registration_quorum";
inline constexpr std::string_view kCheckReceiptQuorum = "checkpoint.receipt_quorum";
inline constexpr std::string_view kCheckRegistrationInclusion = "inclusion.registration";
inline constexpr std::string_view kCheckReceiptInclusion = "inclusion.receipt";
inline constexpr std::string_view kCheckSameLog = "inclusion.same_log";
inline constexpr std::string_view kCheckIndexOrder = "inclusion.index_order";
inline constexpr std::string_view kCheckRegistrationStatement = "registration.statement";
inline constexpr std::string_view kCheckRegistrationSignature = "registration.signature";
inline constexpr std::string_view kCheckRegistrationCollateral = "registration.collateral";
inline constexpr std::string_view kCheckRevokedKey = "policy.revoked_key";
inline constexpr std::string_view kCheckReceiptStatement = "receipt.statement";
inline constexpr std::string_view kCheckReceiptLink = "receipt.link";
inline constexpr std::string_view kCheckReceiptSignature = "receipt.signature";
inline constexpr std::string_view kCheckReceiptTimes = "receipt.times";
inline constexpr std::string_view kCheckKeyAge = "policy.key_age";
inline constexpr std::string_view kCheckWorkloadInIdentity = "receipt.workload_in_identity";
inline constexpr std::string_view kCheckStatus = "receipt.status";
inline constexpr std::string_view kCheckJobNonce = "receipt.job_nonce";
inline constexpr std::string_view kCheckInputCommitment = "commitment.input";
inline constexpr std::string_view kCheckOutputCommitment = "commitment.output";

// Every row of a bundle report, in order (36 names).
const std::vector<std::string_view>& bundle_check_order();

struct BundleOptions {
  std::optional<proofs::Timestamp> at;   // the verification time V; now when absent
  // --input / --output: the data and, for salted-v1, its 32-byte salt.
  std::optional<proofs::Bytes> input;
  std::optional<proofs::Bytes> input_salt;
  std::optional<proofs::Bytes> output;
  std::optional<proofs::Bytes> output_salt;
  std::optional<proofs::Hash32> job_nonce;  // --job-nonce
  bool require_ok = false;                  // --require-ok
  // Base evidence options (trusted_certs from --trust-dir); `at` and the
  // collateral bytes are set per bundle from the as-of time and the bundle.
  proofs::EvidenceOptions evidence;
};

enum class AsOfSource { kFlag, kWitness, kEvidence, kNow };
// "flag", "witness", "evidence", "now".
std::string_view to_string(AsOfSource source);

struct AsOf {
  proofs::Timestamp time;
  AsOfSource source = AsOfSource::kNow;
};

struct BundleReport {
  CheckReport report;
  AsOf as_of;                        // the registration's as-of time (DESIGN.md §5)
  std::optional<AsOf> receipt_as_of;
  Hash32 policy_digest{};
  std::map<std::string, Hash32> collateral_digests;  // the evidence's collateral, by name
  std::optional<proofs::Claims> claims;              // once the evidence verified
  bool simulated = false;                            // sim evidence involved: say SIMULATED
  std::optional<std::string> key_id;                 // the registered runner key
  std::optional<std::uint64_t> registration_index;
  std::optional<std::uint64_t> receipt_index;
  std::optional<proofs::ReceiptPredicate> receipt;   // once its statement parsed

  bool passed() const { return report.passed(); }
  // The DESIGN.md §8 JSON report (schemas/verify-report.schema.json).
  proofs::Json to_json() const;
  // to_json().dump() with, when bundle_name is not empty, a "bundle" member
  // holding it: the same bytes, written directly (no JSON tree), for
  // printing a batch's reports one per line.
  std::string to_json_line(std::string_view bundle_name = {}) const;
  // A short human report: verdict, SIMULATED in capitals, a non-ok status
  // shown prominently, the first failure. Ends in a newline.
  std::string to_text() const;
};

// Verifies many bundles under one policy and options, caching checkpoint
// openings and registration appraisals by their bytes (and the as-of time).
// Keeps its own copy of the policy. Not thread-safe.
class BundleVerifier {
 public:
  BundleVerifier(const Policy& policy, BundleOptions options);
  ~BundleVerifier();
  BundleVerifier(const BundleVerifier&) = delete;
  BundleVerifier& operator=(const BundleVerifier&) = delete;

  BundleReport verify(const Bundle& bundle);
  // parse_bundle first; a parse error fails bundle.shape.
  BundleReport verify_text(std::string_view text);

  struct CacheStats {
    std::size_t checkpoint_hits = 0, checkpoint_misses = 0;
    std::size_t registration_hits = 0, registration_misses = 0;
  };
  CacheStats cache_stats() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

BundleReport verify_bundle(const Bundle& bundle, const Policy& policy, const BundleOptions& options = {});

}  // namespace verun::verifier
