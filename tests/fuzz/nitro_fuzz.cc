// Fuzz target: the bounded CBOR reader (cbor.h), the COSE_Sign1 parser
// (cose.h) and the Nitro attestation document parser and verifier (nitro.h).
// The input is read as a CBOR item, then as a document; a parsed document
// must satisfy the payload rules, and verification against the pinned AWS
// root (at the document's own time) must not crash. Nothing may crash.
#include <cstdint>
#include <cstdlib>

#include "verun/proofs/evidence/cbor.h"
#include "verun/proofs/evidence/nitro.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace verun::proofs;
  const ByteView in(data, size);
  auto item = parse_cbor(in);
  if (!item && item.code() != verun::ErrorCode::kNitroCborMalformed && item.code() != verun::ErrorCode::kNitroTooLarge)
    std::abort();
  auto parsed = parse_nitro_document(in);
  if (parsed) {
    const NitroDocument& d = parsed->document;
    if (size > kNitroMaxDocumentSize) std::abort();
    if (d.digest != "SHA384" || d.module_id.empty() || !d.pcrs.contains(0)) std::abort();
    if (d.cabundle.empty() || d.cabundle.size() > kNitroMaxCabundle) std::abort();
    if (parsed->cose.signature.size() != kEs384SignatureSize) std::abort();
    // The bytes that would be signed always embed the payload as carried.
    const Bytes tbs = cose_sign1_to_be_signed(parsed->cose.protected_header, parsed->cose.payload);
    if (tbs.size() < parsed->cose.payload.size() + 12) std::abort();
  }
  auto verified = verify_nitro_evidence(in);
  if (verified && !parsed) std::abort();
  return 0;
}
