// DSSE v1 envelopes: parsing in the two modes, serialization, signing and
// verification over PAE (DSSE envelope.md and protocol.md; DESIGN.md §4, §6, §10).
#include "verun/proofs/dsse/envelope.h"

#include "verun/proofs/base64.h"
#include "verun/proofs/dsse/pae.h"
#include "verun/proofs/json/jcs.h"
#include "verun/proofs/key_id.h"

namespace verun::proofs {
namespace {

Error malformed(const std::string& why) { return Error(ErrorCode::kDsseMalformed, "envelope " + why); }

std::string shown(std::string_view s) {
  return s.size() > 64 ? std::string(s.substr(0, 64)) + "..." : std::string(s);
}

Result<Bytes> decode_b64(const std::string& text, EnvelopeMode mode, const std::string& what) {
  auto b = mode == EnvelopeMode::kLogAdmission ? base64_decode(text) : base64_decode_lenient(text);
  if (!b)
    return Error(ErrorCode::kDsseBadEncoding,
                 "envelope " + what +
                     (mode == EnvelopeMode::kLogAdmission ? " is not standard padded base64"
                                                          : " is not base64 (standard or URL-safe)"));
  return std::move(*b);
}

Result<EnvelopeSignature> parse_signature(const Json& j, std::size_t index, EnvelopeMode mode) {
  std::string where = "signatures[" + std::to_string(index) + "]";
  if (!j.is_object()) return malformed(where + " is not an object");
  for (auto it = j.begin(); it != j.end(); ++it)
    if (it.key() != "keyid" && it.key() != "sig") return malformed(where + " has unknown field " + shown(it.key()));
  EnvelopeSignature s;
  auto sig = j.find("sig");
  if (sig == j.end()) return malformed(where + " has no sig");
  if (!sig->is_string()) return malformed(where + ".sig is not a string");
  VERUN_ASSIGN_OR_RETURN(s.sig, decode_b64(sig->get_ref<const std::string&>(), mode, where + ".sig"));
  auto keyid = j.find("keyid");
  if (keyid == j.end()) {
    if (mode == EnvelopeMode::kLogAdmission)
      return Error(ErrorCode::kDsseMissingKeyid, "envelope " + where + " has no keyid");
  } else {
    if (!keyid->is_string()) return malformed(where + ".keyid is not a string");
    s.keyid = keyid->get<std::string>();
    if (mode == EnvelopeMode::kLogAdmission && !is_key_id(s.keyid))
      return malformed(where + ".keyid '" + shown(s.keyid) + "' is not a key_id (64 lowercase hex)");
  }
  return s;
}

}  // namespace

Result<Envelope> parse_envelope(const Json& j, EnvelopeMode mode) {
  if (!j.is_object()) return malformed("is not a JSON object");
  for (auto it = j.begin(); it != j.end(); ++it)
    if (it.key() != "payload" && it.key() != "payloadType" && it.key() != "signatures")
      return malformed("has unknown field " + shown(it.key()));
  auto payload = j.find("payload");
  auto type = j.find("payloadType");
  auto sigs = j.find("signatures");
  if (payload == j.end()) return malformed("has no payload");
  if (type == j.end()) return malformed("has no payloadType");
  if (sigs == j.end()) return malformed("has no signatures");
  if (!payload->is_string()) return malformed("payload is not a string");
  if (!type->is_string()) return malformed("payloadType is not a string");
  if (!sigs->is_array()) return malformed("signatures is not an array");

  Envelope env;
  env.payload_type = type->get<std::string>();
  if (mode == EnvelopeMode::kLogAdmission && env.payload_type != kInTotoPayloadType)
    return Error(ErrorCode::kDsseWrongPayloadType,
                 "envelope payloadType '" + shown(env.payload_type) + "' is not " + std::string(kInTotoPayloadType));
  VERUN_ASSIGN_OR_RETURN(env.payload, decode_b64(payload->get_ref<const std::string&>(), mode, "payload"));
  if (sigs->empty() || (mode == EnvelopeMode::kLogAdmission && sigs->size() != 1))
    return Error(ErrorCode::kDsseSignatureCount,
                 "envelope has " + std::to_string(sigs->size()) + " signatures" +
                     (mode == EnvelopeMode::kLogAdmission ? ", the log admits exactly one" : ", at least one is needed"));
  for (std::size_t i = 0; i < sigs->size(); ++i) {
    VERUN_ASSIGN_OR_RETURN(EnvelopeSignature s, parse_signature((*sigs)[i], i, mode));
    env.signatures.push_back(std::move(s));
  }
  if (mode == EnvelopeMode::kLogAdmission) {
    VERUN_ASSIGN_OR_RETURN(std::string leaf, envelope_leaf(env));
    if (leaf.size() > kMaxEnvelopeJcsBytes)
      return Error(ErrorCode::kDsseTooLarge,
                   "canonical envelope is " + std::to_string(leaf.size()) + " bytes, more than 65535");
  }
  return env;
}

Result<Envelope> parse_envelope(std::string_view text, EnvelopeMode mode) {
  VERUN_ASSIGN_OR_RETURN(Json j, parse_json(text, JsonProfile::kVerun, JsonLimits{32, 4 * 1024 * 1024}));
  return parse_envelope(j, mode);
}

Json serialize_envelope(const Envelope& e) {
  Json sigs = Json::array();
  for (const auto& s : e.signatures) {
    Json o = Json::object();
    o["keyid"] = s.keyid;
    o["sig"] = base64_encode(s.sig);
    sigs.push_back(std::move(o));
  }
  Json j = Json::object();
  j["payload"] = base64_encode(e.payload);
  j["payloadType"] = e.payload_type;
  j["signatures"] = std::move(sigs);
  return j;
}

Result<std::string> envelope_leaf(const Envelope& e) { return jcs_serialize(serialize_envelope(e), JsonProfile::kVerun); }

Envelope sign_envelope(std::string_view payload_type, ByteView payload, const Ed25519PrivateKey& key) {
  Envelope e;
  e.payload_type = std::string(payload_type);
  e.payload.assign(payload.begin(), payload.end());
  Ed25519Signature sig = key.sign(pae(payload_type, payload));
  e.signatures.push_back(EnvelopeSignature{key_id(key.public_key()), Bytes(sig.begin(), sig.end())});
  return e;
}

Result<void> verify_envelope_signature(const Envelope& e, const Ed25519Verifier& verifier) {
  Bytes message = pae(e.payload_type, e.payload);
  for (const auto& s : e.signatures)
    if (verifier.verify(message, s.sig)) return ok();
  return Error(ErrorCode::kDsseBadSignature, "no envelope signature verifies with the Ed25519 key");
}

Result<void> verify_envelope_signature(const Envelope& e, const EcdsaVerifier& verifier,
                                       EcdsaSignatureFormat format) {
  Bytes message = pae(e.payload_type, e.payload);
  for (const auto& s : e.signatures)
    if (verifier.verify(message, s.sig, format)) return ok();
  return Error(ErrorCode::kDsseBadSignature, "no envelope signature verifies with the ECDSA key");
}

Result<void> verify_verun_envelope(const Envelope& e, const Ed25519Verifier& verifier) {
  if (e.payload_type != kInTotoPayloadType)
    return Error(ErrorCode::kDsseWrongPayloadType,
                 "envelope payloadType '" + shown(e.payload_type) + "' is not " + std::string(kInTotoPayloadType));
  if (e.signatures.size() != 1)
    return Error(ErrorCode::kDsseSignatureCount,
                 "envelope has " + std::to_string(e.signatures.size()) + " signatures, verun signs with exactly one");
  const auto& s = e.signatures[0];
  if (s.keyid.empty()) return Error(ErrorCode::kDsseMissingKeyid, "envelope signature has no keyid");
  std::string want = key_id(verifier.public_key());
  if (s.keyid != want)
    return Error(ErrorCode::kDsseKeyidMismatch,
                 "envelope keyid '" + shown(s.keyid) + "' is not the verification key's key_id " + want);
  return verify_envelope_signature(e, verifier);
}

}  // namespace verun::proofs
