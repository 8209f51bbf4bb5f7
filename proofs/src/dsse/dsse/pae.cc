// DSSE v1 PAE (DSSE protocol.md, "Signature definition").
#include "verun/proofs/dsse/pae.h"

#include <string>

namespace verun::proofs {

Bytes pae(std::string_view payload_type, ByteView payload) {
  std::string head = "DSSEv1 " + std::to_string(payload_type.size()) + " ";
  std::string mid = " " + std::to_string(payload.size()) + " ";
  Bytes out;
  out.reserve(head.size() + payload_type.size() + mid.size() + payload.size());
  append(out, head);
  append(out, payload_type);
  append(out, mid);
  append(out, payload);
  return out;
}

}  // namespace verun::proofs
