// The log's admission stage (DESIGN.md §6, §10): what may become a leaf.
// prepare() shapes a request (envelope JSON + blobs) into a Submission;
// check() is the sequencer's admission seam and decides, writing nothing.
// Registrations: own-key signature, evidence appraised under the admission
// policy, named collateral present, key not yet registered. Receipts: signed
// by a registered key. Thread-safe (const; the store is read only).
#pragma once

#include <map>
#include <string>

#include "sequencer.h"
#include "store/store.h"
#include "verun/proofs/dsse/envelope.h"
#include "verun/proofs/json/strict_json.h"
#include "verun/result.h"
#include "verun/verifier/policy.h"

namespace verun::log {

class Admission {
 public:
  // Both must outlive the Admission. Without a policy no platform is
  // accepted, so every registration is refused (admission.evidence_rejected).
  Admission(const Store& store, verifier::Policy policy) : store_(store), policy_(std::move(policy)) {}

  // The envelope as the request carries it and the blobs
  // ({"<sha256 hex>": "<b64>"}, may be null/absent) -> a Submission whose
  // entry is JCS(envelope), key_id set for a registration, and blobs the
  // collateral the registration names (other blobs are dropped). Errors:
  // admission.malformed_envelope, admission.entry_too_large,
  // http.bad_request (blobs not an object of hex -> base64),
  // admission.missing_blob. Does not verify signatures or evidence.
  Result<Submission> prepare(const proofs::Json& envelope, const proofs::Json& blobs) const;

  // The admission decision for a Submission (the leaf bytes as JSON):
  // an entry already in the log is admitted as is (the sequencer answers
  // it as a duplicate); otherwise the checks of the header comment, each
  // refusal with its admission.* code.
  Result<void> check(const Submission& submission) const;

  // check() as a sequencer AdmissionFn.
  AdmissionFn as_fn() const {
    return [this](const Submission& s) { return check(s); };
  }

 private:
  Result<void> check_registration(const Submission& submission, const proofs::Envelope& envelope) const;
  Result<void> check_receipt(const proofs::Envelope& envelope) const;

  const Store& store_;
  verifier::Policy policy_;
};

// A policy that accepts nothing (no platforms): the default without
// --admission-policy.
verifier::Policy empty_admission_policy();

}  // namespace verun::log
