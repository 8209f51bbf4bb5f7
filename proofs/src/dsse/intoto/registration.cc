// The Registration predicate and its Statement (DESIGN.md §4, §10).
#include "verun/proofs/intoto/registration.h"

#include "verun/proofs/intoto/statement.h"
#include "verun/proofs/json/jcs.h"
#include "verun/proofs/key_id.h"

namespace verun::proofs {

Result<RegistrationPredicate> parse_registration_predicate(const Json& json) {
  VERUN_ASSIGN_OR_RETURN(ObjectReader r, ObjectReader::make(json, "predicate", kPredicateCodes));
  RegistrationPredicate p;
  VERUN_ASSIGN_OR_RETURN(const Json* identity, r.value("identity"));
  VERUN_ASSIGN_OR_RETURN(p.identity, parse_runner_identity(*identity, r.field_path("identity")));
  VERUN_ASSIGN_OR_RETURN(const Json* evidence, r.value("evidence"));
  VERUN_ASSIGN_OR_RETURN(p.evidence, parse_evidence(*evidence, r.field_path("evidence")));
  VERUN_TRY(r.finish());
  if (platform_of(p.evidence.format) != p.identity.platform)
    return Error(ErrorCode::kPredicatePlatformMismatch,
                 "evidence format " + std::string(to_string(p.evidence.format)) + " belongs to platform " +
                     std::string(to_string(platform_of(p.evidence.format))) + ", not to the identity's platform " +
                     std::string(to_string(p.identity.platform)));
  return p;
}

Json to_json(const RegistrationPredicate& p) {
  Json j = Json::object();
  j["identity"] = to_json(p.identity);
  j["evidence"] = to_json(p.evidence);
  return j;
}

Result<Json> make_registration_statement(const RegistrationPredicate& p) {
  Json predicate = to_json(p);
  VERUN_TRY(parse_registration_predicate(predicate));
  return make_verun_statement(kRegistrationPredicateType, kRegistrationSubjectName,
                              key_id_digest(p.identity.signing_key), std::move(predicate));
}

Result<RegistrationPredicate> parse_registration_statement(ByteView payload) {
  VERUN_ASSIGN_OR_RETURN(VerunStatement st,
                         parse_verun_statement(payload, kRegistrationPredicateType, kRegistrationSubjectName));
  VERUN_ASSIGN_OR_RETURN(RegistrationPredicate p, parse_registration_predicate(st.predicate));
  if (st.subject_digest != key_id_digest(p.identity.signing_key))
    return Error(ErrorCode::kPredicateSubjectMismatch,
                 "registration subject digest is not the key_id of identity.signing_key " +
                     key_id(p.identity.signing_key));
  return p;
}

Result<Envelope> make_registration_envelope(const RegistrationPredicate& p, const Ed25519PrivateKey& key) {
  if (key.public_key() != p.identity.signing_key)
    return Error(ErrorCode::kPredicateKeyMismatch,
                 "the signing key " + key_id(key.public_key()) + " is not identity.signing_key " +
                     key_id(p.identity.signing_key));
  VERUN_ASSIGN_OR_RETURN(Json statement, make_registration_statement(p));
  VERUN_ASSIGN_OR_RETURN(std::string payload, jcs_serialize(statement, JsonProfile::kVerun));
  return sign_envelope(kInTotoPayloadType, as_bytes(payload), key);
}

Result<RegistrationPredicate> verify_registration_envelope(const Envelope& envelope) {
  if (envelope.payload_type != kInTotoPayloadType)
    return Error(ErrorCode::kDsseWrongPayloadType,
                 "registration envelope payloadType is not " + std::string(kInTotoPayloadType));
  VERUN_ASSIGN_OR_RETURN(RegistrationPredicate p, parse_registration_statement(envelope.payload));
  VERUN_ASSIGN_OR_RETURN(Ed25519Verifier verifier, Ed25519Verifier::make(p.identity.signing_key));
  VERUN_TRY(verify_verun_envelope(envelope, verifier));
  return p;
}

}  // namespace verun::proofs
