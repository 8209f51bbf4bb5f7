// The log's admission checks (DESIGN.md §6 "Admission", §10 "Exact rules").
#include "admission.h"

#include <set>
#include <utility>

#include "verun/proofs/base64.h"
#include "verun/proofs/dsse/envelope.h"
#include "verun/proofs/hex.h"
#include "verun/proofs/intoto/receipt.h"
#include "verun/proofs/intoto/registration.h"
#include "verun/proofs/key_id.h"
#include "verun/proofs/merkle/hasher.h"
#include "verun/proofs/report_data.h"
#include "verun/proofs/sha2.h"
#include "verun/verifier/appraisal.h"

namespace verun::log {
namespace {

using proofs::Json;

Error refuse(ErrorCode code, const std::string& what, const Error& cause) {
  return Error(code, what + " (" + std::string(to_string(cause.code)) + ": " + cause.message + ")");
}

// The leaf must read back as a log-admission envelope and be its JCS.
Result<proofs::Envelope> parse_leaf(const proofs::Bytes& entry) {
  const std::string_view text(reinterpret_cast<const char*>(entry.data()), entry.size());
  auto env = proofs::parse_envelope(text, proofs::EnvelopeMode::kLogAdmission);
  if (!env) {
    if (env.code() == ErrorCode::kDsseTooLarge) return refuse(ErrorCode::kAdmissionEntryTooLarge, "entry refused", env.error());
    return refuse(ErrorCode::kAdmissionMalformedEnvelope, "envelope refused", env.error());
  }
  auto leaf = proofs::envelope_leaf(*env);
  if (!leaf || *leaf != text) {
    return Error(ErrorCode::kAdmissionMalformedEnvelope, "the entry is not the JCS of its envelope");
  }
  return std::move(*env);
}

}  // namespace

verifier::Policy empty_admission_policy() {
  auto p = verifier::parse_policy(R"({"platforms": {}})");
  return p ? std::move(*p) : verifier::Policy{};
}

Result<Submission> Admission::prepare(const Json& envelope, const Json& blobs) const {
  if (!envelope.is_object()) return Error(ErrorCode::kAdmissionMalformedEnvelope, "envelope is not a JSON object");
  auto env = proofs::parse_envelope(envelope, proofs::EnvelopeMode::kLogAdmission);
  if (!env) {
    if (env.code() == ErrorCode::kDsseTooLarge) return refuse(ErrorCode::kAdmissionEntryTooLarge, "entry refused", env.error());
    return refuse(ErrorCode::kAdmissionMalformedEnvelope, "envelope refused", env.error());
  }
  auto leaf = proofs::envelope_leaf(*env);
  if (!leaf) return refuse(ErrorCode::kAdmissionMalformedEnvelope, "envelope refused", leaf.error());
  if (leaf->size() > proofs::kMaxEnvelopeJcsBytes) {
    return Error(ErrorCode::kAdmissionEntryTooLarge, "entry of " + std::to_string(leaf->size()) + " bytes is above 65,535");
  }

  // Blobs offered with the request, by their SHA-256.
  std::map<proofs::Hash32, proofs::Bytes> offered;
  if (!blobs.is_null()) {
    if (!blobs.is_object()) return Error(ErrorCode::kHttpBadRequest, "blobs is not a JSON object");
    for (const auto& [name, value] : blobs.items()) {
      auto digest = proofs::hex_decode32(name);
      if (!digest) return Error(ErrorCode::kHttpBadRequest, "blob name '" + name.substr(0, 80) + "' is not 64 lowercase hex");
      if (!value.is_string()) return Error(ErrorCode::kHttpBadRequest, "blob " + name + " is not a base64 string");
      auto bytes = proofs::base64_decode(value.get_ref<const std::string&>());
      if (!bytes) return Error(ErrorCode::kHttpBadRequest, "blob " + name + " is not standard padded base64");
      if (proofs::sha256(*bytes) != *digest) {
        return Error(ErrorCode::kHttpBadRequest, "blob " + name + " does not hash to its name");
      }
      offered.emplace(*digest, std::move(*bytes));
    }
  }

  Submission s;
  s.entry.assign(leaf->begin(), leaf->end());
  // A registration carries its key_id and the collateral it names; anything
  // that does not parse as one is left for check() to refuse.
  if (auto reg = proofs::parse_registration_statement(env->payload)) {
    s.key_id = proofs::key_id(reg->identity.signing_key);
    for (const auto& [name, digest] : reg->evidence.collateral) {
      auto it = offered.find(digest);
      if (it == offered.end()) {
        return Error(ErrorCode::kAdmissionMissingBlob,
                     "collateral " + name + " (sha256 " + proofs::hex_encode(digest) + ") is not in the request");
      }
      s.blobs.push_back(it->second);
    }
  }
  return s;
}

Result<void> Admission::check(const Submission& submission) const {
  // Already in the log: the sequencer answers it as a duplicate.
  VERUN_ASSIGN_OR_RETURN(auto existing, store_.find_leaf(proofs::leaf_hash(submission.entry)));
  if (existing) return {};

  VERUN_ASSIGN_OR_RETURN(auto env, parse_leaf(submission.entry));
  auto statement = proofs::parse_json(
      std::string_view(reinterpret_cast<const char*>(env.payload.data()), env.payload.size()));
  if (!statement || !statement->is_object()) {
    return Error(ErrorCode::kAdmissionMalformedStatement, "the payload is not a JSON object");
  }
  const auto type = statement->find("predicateType");
  if (type == statement->end() || !type->is_string()) {
    return Error(ErrorCode::kAdmissionMalformedStatement, "the statement has no predicateType string");
  }
  const auto& name = type->get_ref<const std::string&>();
  if (name == proofs::kRegistrationPredicateType) return check_registration(submission, env);
  if (name == proofs::kReceiptPredicateType) return check_receipt(env);
  return Error(ErrorCode::kAdmissionUnknownPredicate, "predicateType '" + name.substr(0, 120) + "' is not admitted");
}

Result<void> Admission::check_registration(const Submission& submission, const proofs::Envelope& env) const {
  auto reg = proofs::parse_registration_statement(env.payload);
  if (!reg) return refuse(ErrorCode::kAdmissionMalformedStatement, "registration refused", reg.error());
  const std::string kid = proofs::key_id(reg->identity.signing_key);
  if (submission.key_id != kid) {
    return Error(ErrorCode::kInvalidArgument, "the submission's key_id is not the registration's key " + kid);
  }
  if (auto v = proofs::verify_registration_envelope(env); !v) {
    return refuse(ErrorCode::kAdmissionBadSignature, "registration signature refused", v.error());
  }
  if (auto r = verifier::check_key_revoked(kid, policy_); !r) {
    return refuse(ErrorCode::kAdmissionKeyRevoked, "key " + kid + " refused", r.error());
  }
  std::set<proofs::Hash32> carried;
  for (const auto& b : submission.blobs) carried.insert(proofs::sha256(b));
  for (const auto& [cname, digest] : reg->evidence.collateral) {
    if (!carried.contains(digest)) {
      return Error(ErrorCode::kAdmissionMissingBlob,
                   "collateral " + cname + " (sha256 " + proofs::hex_encode(digest) + ") is not in the request");
    }
  }
  VERUN_ASSIGN_OR_RETURN(const auto identity, proofs::identity_digest(reg->identity));
  const auto appraisal = verifier::appraise_evidence(reg->evidence, identity, proofs::kZeroNonce, policy_);
  if (const auto* failed = appraisal.report.first_failure()) {
    return Error(ErrorCode::kAdmissionEvidenceRejected, "evidence failed " + failed->name + " (" +
                                                            std::string(to_string(failed->code)) + ": " +
                                                            failed->message + ")");
  }
  VERUN_ASSIGN_OR_RETURN(auto registered, store_.find_registration(kid));
  if (registered) {
    return Error(ErrorCode::kAdmissionKeyAlreadyRegistered,
                 "key " + kid + " is already registered at index " + std::to_string(*registered));
  }
  return {};
}

Result<void> Admission::check_receipt(const proofs::Envelope& env) const {
  auto receipt = proofs::parse_receipt_statement(env.payload);
  if (!receipt) return refuse(ErrorCode::kAdmissionMalformedStatement, "receipt refused", receipt.error());
  const std::string& kid = receipt->runner.key_id;
  VERUN_ASSIGN_OR_RETURN(auto index, store_.find_registration(kid));
  if (!index) return Error(ErrorCode::kAdmissionUnregisteredSigner, "key " + kid + " has no registration in this log");
  if (receipt->runner.registration_index != *index) {
    return Error(ErrorCode::kAdmissionRegistrationMismatch,
                 "runner.registration_index " + std::to_string(receipt->runner.registration_index) +
                     " is not the registration's index " + std::to_string(*index));
  }
  VERUN_ASSIGN_OR_RETURN(auto reg_entry, store_.read_entry(*index));
  VERUN_ASSIGN_OR_RETURN(auto reg_env, parse_leaf(reg_entry));
  VERUN_ASSIGN_OR_RETURN(auto reg, proofs::parse_registration_statement(reg_env.payload));
  VERUN_ASSIGN_OR_RETURN(auto verifier, proofs::Ed25519Verifier::make(reg.identity.signing_key));
  if (auto v = proofs::verify_receipt_envelope(env, verifier); !v) {
    return refuse(ErrorCode::kAdmissionBadSignature, "receipt signature refused", v.error());
  }
  if (auto r = verifier::check_key_revoked(kid, policy_); !r) {
    return refuse(ErrorCode::kAdmissionKeyRevoked, "key " + kid + " refused", r.error());
  }
  return {};
}

}  // namespace verun::log
