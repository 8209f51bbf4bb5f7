// verun's Registration predicate (DESIGN.md §4, §10), predicateType
// https://verun.dev/RunnerRegistration/v1: the runner's attested identity
// and the evidence for it, subject [{"name": "runner-key", "digest":
// {"sha256": key_id(identity.signing_key)}}], signed by the identity's own
// signing key (proof of possession). The evidence itself is appraised in
// proofs/evidence and verifier/, not here. Stateless, thread-safe.
#pragma once

#include <string_view>

#include "verun/proofs/crypto/ed25519.h"
#include "verun/proofs/dsse/envelope.h"
#include "verun/proofs/intoto/predicate_types.h"
#include "verun/proofs/json/strict_json.h"
#include "verun/result.h"

namespace verun::proofs {

inline constexpr std::string_view kRegistrationPredicateType = "https://verun.dev/RunnerRegistration/v1";
inline constexpr std::string_view kRegistrationSubjectName = "runner-key";

struct RegistrationPredicate {
  RunnerIdentity identity;
  Evidence evidence;
  bool operator==(const RegistrationPredicate&) const = default;
};

// The predicate object alone: exactly {"identity", "evidence"}, every value
// checked, the evidence format linked to identity.platform
// (predicate.platform_mismatch); predicate.* codes otherwise.
Result<RegistrationPredicate> parse_registration_predicate(const Json& predicate);
Json to_json(const RegistrationPredicate& predicate);

// The Statement JSON (validated first: the same checks as parsing). Its JCS
// is the envelope payload.
Result<Json> make_registration_statement(const RegistrationPredicate& predicate);

// A payload (JCS bytes of the Statement): statement.* codes, then the
// predicate, then predicate.subject_mismatch unless the subject digest is
// key_id(identity.signing_key).
Result<RegistrationPredicate> parse_registration_statement(ByteView payload);

// JCS(statement) signed by `key`, which must be identity.signing_key
// (predicate.key_mismatch).
Result<Envelope> make_registration_envelope(const RegistrationPredicate& predicate, const Ed25519PrivateKey& key);

// Parses the payload and checks the signature with identity.signing_key
// (verify_verun_envelope): the key comes from the predicate, never the keyid.
Result<RegistrationPredicate> verify_registration_envelope(const Envelope& envelope);

}  // namespace verun::proofs
