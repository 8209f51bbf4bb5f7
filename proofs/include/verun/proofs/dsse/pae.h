// DSSE v1 Pre-Authentication Encoding (DSSE protocol.md, "Signature
// definition"): PAE(type, body) = "DSSEv1" SP LEN(type) SP type SP LEN(body)
// SP body, LEN being the byte length in ASCII decimal without leading zeros.
// Every DSSE signature covers PAE(payloadType, payload). Stateless.
#pragma once

#include <string_view>

#include "verun/proofs/bytes.h"

namespace verun::proofs {

Bytes pae(std::string_view payload_type, ByteView payload);

}  // namespace verun::proofs
