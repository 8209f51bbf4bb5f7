// verun's Receipt predicate (DESIGN.md §4, §7, §10), predicateType
// https://verun.dev/ExecutionReceipt/v1: one job's execution record, subject
// [{"name": "output", "digest": {"sha256": output.commitment}}], signed by
// the runner key that a registration in the same log attested. Links to the
// registration (index, log, workload listed in identity) are checked in
// verifier/; this file checks the document itself. Stateless, thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "verun/proofs/commitment.h"
#include "verun/proofs/crypto/ed25519.h"
#include "verun/proofs/dsse/envelope.h"
#include "verun/proofs/intoto/predicate_types.h"
#include "verun/proofs/json/strict_json.h"
#include "verun/proofs/schema/rfc3339.h"
#include "verun/result.h"

namespace verun::proofs {

inline constexpr std::string_view kReceiptPredicateType = "https://verun.dev/ExecutionReceipt/v1";
inline constexpr std::string_view kReceiptSubjectName = "output";

// {"key_id": "<64 hex>", "registration_index": N >= 0}
struct RunnerRef {
  std::string key_id;
  std::uint64_t registration_index = 0;
  bool operator==(const RunnerRef&) const = default;
};

// {"commitment": DigestSet, "scheme": "sha256"|"salted-v1", "size": N >= 0}
struct CommitmentRef {
  Hash32 commitment{};
  CommitmentScheme scheme = CommitmentScheme::kSaltedV1;
  std::uint64_t size = 0;
  bool operator==(const CommitmentRef&) const = default;
};

// {"id": "<non-empty>", "nonce": "<64 hex>"}
struct JobRef {
  std::string id;
  Hash32 nonce{};
  bool operator==(const JobRef&) const = default;
};

enum class JobResult { kOk, kFailed, kTimeout, kRejected };
// "ok", "failed", "timeout", "rejected".
std::string_view to_string(JobResult result);
std::optional<JobResult> job_result_from_string(std::string_view name);

// {"result", "exit_code": N >= 0}; ok requires exit_code 0.
struct JobStatus {
  JobResult result = JobResult::kOk;
  std::int64_t exit_code = 0;
  bool operator==(const JobStatus&) const = default;
};

struct ReceiptPredicate {
  RunnerRef runner;
  WorkloadRef workload;
  CommitmentRef input;
  CommitmentRef output;
  JobRef job;
  Timestamp started_at;
  Timestamp finished_at;
  JobStatus status;
  bool operator==(const ReceiptPredicate&) const = default;
};

// Exactly the fields above at every level (predicate.unknown_field,
// predicate.missing_field, predicate.invalid_field),
// predicate.status_inconsistent (ok with exit_code != 0) and
// predicate.time_order (finished_at < started_at).
Result<ReceiptPredicate> parse_receipt_predicate(const Json& predicate);
// Times are written in format_rfc3339's form.
Json to_json(const ReceiptPredicate& predicate);

// The Statement JSON (validated first); its JCS is the envelope payload.
Result<Json> make_receipt_statement(const ReceiptPredicate& predicate);

// A payload: statement.* codes, the predicate, then
// predicate.subject_mismatch unless the subject digest equals
// output.commitment.
Result<ReceiptPredicate> parse_receipt_statement(ByteView payload);

// JCS(statement) signed by `key`, whose key_id must be runner.key_id
// (predicate.key_mismatch).
Result<Envelope> make_receipt_envelope(const ReceiptPredicate& predicate, const Ed25519PrivateKey& key);

// Parses the payload and checks the signature with the registered key
// (verify_verun_envelope), and that runner.key_id names that key
// (predicate.key_mismatch).
Result<ReceiptPredicate> verify_receipt_envelope(const Envelope& envelope, const Ed25519Verifier& registered_key);

}  // namespace verun::proofs
