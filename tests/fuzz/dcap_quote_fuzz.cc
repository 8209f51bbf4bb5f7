// Fuzz target: the Intel DCAP quote parser (SGX v3, TDX v4 / v5) and, behind
// it, the PCK chain checks and the whole quote-only verification. Nothing
// may crash, and a parsed quote must have read its fields where the layout
// puts them.
#include <algorithm>
#include <cstdint>
#include <cstdlib>

#include "verun/proofs/evidence/dcap.h"

namespace {

using namespace verun::proofs;
using verun::Result;

void check(const DcapQuote& q, const std::uint8_t* data, std::size_t size) {
  if (q.signed_size > size) std::abort();
  if (q.header.att_key_type != kDcapAttKeyEcdsaP256) std::abort();
  if (q.qe_report_raw.size() != kSgxReportBodySize) std::abort();
  if (q.td_body) {
    const std::size_t body = q.header.version == 5 ? 54 : 48;
    if (!std::equal(q.td_body->mr_td.begin(), q.td_body->mr_td.end(), data + body + 136)) std::abort();
  } else if (q.sgx_body) {
    if (!std::equal(q.sgx_body->mr_enclave.begin(), q.sgx_body->mr_enclave.end(), data + 48 + 64)) std::abort();
  } else {
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const ByteView input(data, size);
  Result<DcapQuote> q = parse_dcap_quote(input);
  if (!q) return 0;
  check(*q, data, size);
  (void)split_pem_certificates(q->pck_chain_pem);
  DcapOptions options;
  options.at = Timestamp{1'750'000'000, 0};
  (void)verify_dcap_quote_detailed(input, q->td_body ? DcapTee::kTdx : DcapTee::kSgx, options);
  return 0;
}
