// Client: the submitter's side of verun (DESIGN.md §5 fresh live
// attestation, §7 the job API, §8 the bundle). attest() appraises the
// runner's live evidence, bound to a fresh random nonce, against the
// submitter's policy and checks its registration proof against the
// policy's log key BEFORE any data leaves; submit() seals the job to the
// attested HPKE key, opens the sealed output, checks the receipt against
// what it sent and verifies the bundle with verifier::verify_bundle.
// Not thread-safe (attest() caches the attested runner); one per thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "verun/proofs/bytes.h"
#include "verun/proofs/commitment.h"
#include "verun/proofs/intoto/predicate_types.h"
#include "verun/proofs/intoto/receipt.h"
#include "verun/result.h"
#include "verun/sdk/runner_client.h"
#include "verun/verifier/appraisal.h"
#include "verun/verifier/policy.h"
#include "verun/verifier/verify_bundle.h"

namespace verun::sdk {

struct ClientOptions {
  RunnerClientOptions runner;
  // The log to fetch the runner's registration envelope from when the
  // attestation answer does not carry it; empty: the URL of the policy's
  // `log` line, if it has one. Without any, attest() checks the registration
  // proof's checkpoint (log signature, origin, index) and the inclusion of
  // the registration itself is checked in the bundle, before submit returns.
  std::string log_url;
  std::chrono::milliseconds log_timeout{30000};
};

// What attest() established about the runner.
struct AttestedRunner {
  proofs::RunnerIdentity identity;
  std::string key_id;                    // key_id(identity.signing_key)
  std::uint64_t registration_index = 0;
  std::string registration_proof;        // C2SP tlog-proof text
  bool registration_included = false;    // the registration's inclusion was verified (envelope known)
  bool simulated = false;                // sim evidence: say SIMULATED
  proofs::Hash32 nonce{};                // the nonce the evidence binds
  verifier::Appraisal appraisal;         // every check, for reports
};

struct SubmitOptions {
  proofs::CommitmentScheme input_scheme = proofs::CommitmentScheme::kSaltedV1;
  proofs::CommitmentScheme output_scheme = proofs::CommitmentScheme::kSaltedV1;
  bool async = false;                             // POST ?async=true, then poll
  std::chrono::milliseconds timeout{300000};      // for the whole job (async polling)
  std::chrono::milliseconds poll_interval{100};
};

struct SubmitResult {
  proofs::Bytes output;
  proofs::Bytes output_salt;   // 32 bytes for salted-v1, empty for sha256
  proofs::Bytes input_salt;    // 32 bytes for salted-v1, empty for sha256
  proofs::Hash32 job_nonce{};
  std::string job_id;
  std::string bundle;          // the §8 bundle as JSON text
  proofs::ReceiptPredicate receipt;
  verifier::BundleReport report;  // verify_bundle's report (passed)
};

class Client {
 public:
  // The policy must carry a tlog_policy (invalid_argument otherwise).
  static Result<Client> make(std::string runner_url, verifier::Policy policy, ClientOptions options = {});

  // Fetches /v1/attestation with a fresh random nonce and checks, in order:
  // the evidence appraises under the policy with V = now and that nonce
  // (verifier::appraise_evidence), the runner key is not revoked, the
  // registration proof's checkpoint is signed by the policy's log, and,
  // when the registration envelope is known, that it is this identity's
  // and is included. sdk.attestation_failed names the first failed check's
  // code; runner and log errors as in their clients.
  Result<AttestedRunner> attest();

  // The runner attested last (nullptr before attest()).
  const AttestedRunner* attested() const { return attested_ ? &*attested_ : nullptr; }

  // Attests first when not yet done, then: sdk.workload_not_offered unless
  // the identity lists `workload` and the policy allows it (before sending),
  // seals and posts the job, opens the output (sdk.output_undecryptable),
  // checks the receipt (sdk.receipt_mismatch) and verifies the bundle
  // (sdk.bundle_invalid). A receipt whose status is not ok is returned as
  // is (result.receipt.status): the failure is proven.
  Result<SubmitResult> submit(std::string_view workload, proofs::ByteView input, const SubmitOptions& options = {});

  // verifier::verify_bundle over bundle text (a parse failure is reported
  // as a failed bundle.shape check).
  static verifier::BundleReport verify(std::string_view bundle_text, const verifier::Policy& policy,
                                       const verifier::BundleOptions& options = {});

  const verifier::Policy& policy() const { return policy_; }
  const RunnerClient& runner() const { return runner_; }

 private:
  Client(RunnerClient runner, verifier::Policy policy, ClientOptions options)
      : runner_(std::move(runner)), policy_(std::move(policy)), options_(std::move(options)) {}

  RunnerClient runner_;
  verifier::Policy policy_;
  ClientOptions options_;
  std::optional<AttestedRunner> attested_;
};

}  // namespace verun::sdk
