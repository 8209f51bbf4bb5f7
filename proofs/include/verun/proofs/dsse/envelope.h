// DSSE v1 envelopes (DSSE envelope.md, protocol.md) as verun reads and writes
// them (DESIGN.md §4, §6, §10): exactly `payload`, `payloadType`, `signatures`
// (each exactly `keyid`, `sig`), parsed in log-admission or verifier mode.
// Signatures are checked over PAE(payloadType, payload) with the payload bytes
// as carried, never re-serialized. Stateless, thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "verun/proofs/bytes.h"
#include "verun/proofs/crypto/ecdsa.h"
#include "verun/proofs/crypto/ed25519.h"
#include "verun/proofs/json/strict_json.h"
#include "verun/result.h"

namespace verun::proofs {

inline constexpr std::string_view kInTotoPayloadType = "application/vnd.in-toto+json";
inline constexpr std::size_t kMaxEnvelopeJcsBytes = 65535;

struct EnvelopeSignature {
  std::string keyid;  // empty when absent (kVerifier mode only)
  Bytes sig;
  bool operator==(const EnvelopeSignature&) const = default;
};

struct Envelope {
  std::string payload_type;
  Bytes payload;
  std::vector<EnvelopeSignature> signatures;
  bool operator==(const Envelope&) const = default;
};

// kLogAdmission: what the log admits: standard padded base64 only, exactly
//   one signature, with a keyid of key_id shape, payloadType in-toto, and
//   JCS(envelope) at most 65,535 bytes.
// kVerifier: what DSSE requires a verifier to read: standard or URL-safe,
//   padded or unpadded base64 in payload and sig, one or more signatures,
//   keyid optional (absent reads as empty).
enum class EnvelopeMode { kLogAdmission, kVerifier };

// dsse.malformed (shape), dsse.bad_encoding (base64), dsse.signature_count,
// dsse.missing_keyid, dsse.wrong_payload_type and dsse.too_large (log
// admission only). Nothing is returned on failure.
Result<Envelope> parse_envelope(const Json& json, EnvelopeMode mode);
// Parses text with verun's strict JSON first (json.* codes), at most 4 MiB.
Result<Envelope> parse_envelope(std::string_view text, EnvelopeMode mode);

// The JSON object with standard padded base64 and every keyid written (even
// empty). For an envelope read in kLogAdmission mode, JCS of this equals JCS
// of the object as carried (the log leaf); for one read in kVerifier mode
// compute the leaf from the JSON as carried instead.
Json serialize_envelope(const Envelope& envelope);
// JCS(serialize_envelope(envelope)): the log leaf data (json.* codes if a
// caller-built string is not valid UTF-8).
Result<std::string> envelope_leaf(const Envelope& envelope);

// A one-signature envelope signed with Ed25519 over PAE, keyid = key_id of
// the key's public key.
Envelope sign_envelope(std::string_view payload_type, ByteView payload, const Ed25519PrivateKey& key);

// Ok when at least one signature verifies over PAE(payload_type, payload)
// (dsse.bad_signature otherwise; keyids are not consulted).
Result<void> verify_envelope_signature(const Envelope& envelope, const Ed25519Verifier& verifier);
Result<void> verify_envelope_signature(const Envelope& envelope, const EcdsaVerifier& verifier,
                                       EcdsaSignatureFormat format = EcdsaSignatureFormat::kDer);

// verun's own rule (DESIGN.md §4, §10): payloadType in-toto
// (dsse.wrong_payload_type), exactly one signature (dsse.signature_count),
// whose keyid equals key_id(verifier.public_key()) (dsse.missing_keyid,
// dsse.keyid_mismatch) and which verifies (dsse.bad_signature). The key
// comes from the caller, never from the keyid.
Result<void> verify_verun_envelope(const Envelope& envelope, const Ed25519Verifier& verifier);

}  // namespace verun::proofs
