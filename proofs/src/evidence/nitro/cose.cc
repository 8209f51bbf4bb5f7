// COSE_Sign1 parsing and the Sig_structure (RFC 9052 §4.2, §4.4); see cose.h.
#include "verun/proofs/evidence/cose.h"

#include <string>

namespace verun::proofs {
namespace {

Error cose_malformed(const std::string& why) { return Error(ErrorCode::kNitroCoseMalformed, "COSE_Sign1 " + why); }

// {1: -35} and nothing else.
Result<void> check_protected(ByteView header, const CborLimits& limits) {
  Result<CborValue> parsed = parse_cbor(header, limits);
  if (!parsed) return Error(ErrorCode::kNitroUnsupportedAlgorithm, "COSE protected header: " + parsed.error().message);
  const CborValue& m = *parsed;
  if (m.type != CborType::kMap)
    return Error(ErrorCode::kNitroUnsupportedAlgorithm, "COSE protected header is not a map");
  if (m.entries.size() != 1)
    return Error(ErrorCode::kNitroUnsupportedAlgorithm, "COSE protected header has " +
                                                            std::to_string(m.entries.size()) +
                                                            " entries, not exactly {1: -35}");
  const auto& [label, value] = m.entries.front();
  if (label.type != CborType::kUnsigned || label.number != 1)
    return Error(ErrorCode::kNitroUnsupportedAlgorithm, "COSE protected header's only label is not 1 (alg)");
  // -35 is encoded as the negative integer with n = 34.
  if (value.type != CborType::kNegative || value.number != static_cast<std::uint64_t>(-1 - kCoseAlgEs384))
    return Error(ErrorCode::kNitroUnsupportedAlgorithm, "COSE algorithm is not ES384 (-35)");
  return {};
}

}  // namespace

Result<CoseSign1> parse_cose_sign1(ByteView data, const CborLimits& limits) {
  VERUN_ASSIGN_OR_RETURN(CborValue top, parse_cbor(data, limits));
  const CborValue* v = &top;
  if (v->type == CborType::kTag) {
    if (v->number != kCoseSign1Tag) return cose_malformed("has tag " + std::to_string(v->number) + ", not 18");
    v = &v->items.front();
  }
  if (v->type != CborType::kArray || v->items.size() != 4) return cose_malformed("is not an array of 4 items");
  const CborValue& prot = v->items[0];
  const CborValue& unprot = v->items[1];
  const CborValue& payload = v->items[2];
  const CborValue& sig = v->items[3];
  if (prot.type != CborType::kBytes) return cose_malformed("protected header is not a byte string");
  if (unprot.type != CborType::kMap) return cose_malformed("unprotected header is not a map");
  if (!unprot.entries.empty()) return cose_malformed("unprotected header is not empty");
  if (payload.type != CborType::kBytes) return cose_malformed("payload is not a byte string (detached payloads are not accepted)");
  if (payload.bytes.empty()) return cose_malformed("payload is empty");
  if (sig.type != CborType::kBytes) return cose_malformed("signature is not a byte string");
  VERUN_TRY(check_protected(prot.bytes, limits));
  if (sig.bytes.size() != kEs384SignatureSize)
    return cose_malformed("signature is " + std::to_string(sig.bytes.size()) + " bytes, not 96 (ES384 r || s)");
  CoseSign1 out;
  out.protected_header = prot.bytes;
  out.payload = payload.bytes;
  out.signature = sig.bytes;
  return out;
}

Bytes cose_sign1_to_be_signed(ByteView protected_header, ByteView payload, ByteView external_aad) {
  Bytes out;
  out.reserve(protected_header.size() + payload.size() + external_aad.size() + 32);
  append_cbor_head(out, 4, 4);
  append_cbor_text(out, "Signature1");
  append_cbor_bytes(out, protected_header);
  append_cbor_bytes(out, external_aad);
  append_cbor_bytes(out, payload);
  return out;
}

}  // namespace verun::proofs
