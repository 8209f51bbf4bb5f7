// Fuzz target: the Intel PCS collateral parsers: the signed-span finder over
// a served body (tcbInfo / enclaveIdentity), the TCB info and QE identity
// JSON readers, the CRL form reader and the collateral map. Nothing may
// crash, and a located signed span must be a substring of the input.
#include <cstdint>
#include <cstdlib>
#include <map>
#include <string>
#include <string_view>

#include "verun/proofs/evidence/dcap_collateral.h"

using namespace verun::proofs;
using verun::Result;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const ByteView input(data, size);
  const std::string_view text = as_string_view(input);
  for (std::string_view key : {std::string_view("tcbInfo"), std::string_view("enclaveIdentity")}) {
    Result<SignedBody> b = split_signed_body(input, key);
    if (b) {
      if (text.find(as_string_view(b->signed_bytes)) == std::string_view::npos) std::abort();
      (void)parse_tcb_info(b->signed_bytes);
      (void)parse_qe_identity(b->signed_bytes);
    }
  }
  (void)parse_tcb_info(input);
  (void)parse_qe_identity(input);
  (void)dcap_crl_der(input);
  std::map<std::string, Bytes> m = {{std::string(text.substr(0, 16)), Bytes(input.begin(), input.end())}};
  (void)dcap_collateral_from_map(m);
  return 0;
}
