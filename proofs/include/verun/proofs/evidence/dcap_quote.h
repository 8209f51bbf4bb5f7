// Intel DCAP quotes, byte level only: SGX quote v3 (Intel "SGX ECDSA Quote
// Library API", quote format appendix) and TDX quotes v4 / v5 (Intel "TDX DCAP
// Quote Generation Library and Quote Verification Library", quote format
// appendix), ECDSA-256-with-P-256 attestation keys. Every length field is
// checked against the bytes that contain it. No crypto here (dcap.h
// verifies). Stateless and thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "verun/proofs/bytes.h"
#include "verun/result.h"

namespace verun::proofs {

inline constexpr std::size_t kDcapHeaderSize = 48;
inline constexpr std::size_t kSgxReportBodySize = 384;
inline constexpr std::size_t kTdReport10Size = 584;
inline constexpr std::size_t kTdReport15Size = 648;
inline constexpr std::uint16_t kDcapAttKeyEcdsaP256 = 2;
inline constexpr std::uint32_t kDcapTeeSgx = 0x00;
inline constexpr std::uint32_t kDcapTeeTdx = 0x81;
inline constexpr std::uint16_t kDcapCertDataPckChain = 5;     // PEM: PCK, CA, root
inline constexpr std::uint16_t kDcapCertDataQeReport = 6;     // QE report certification data
// Largest quote this parser reads (real ones are about 5 KB; padded files 8 KB).
inline constexpr std::size_t kDcapMaxQuoteSize = 64 * 1024;

// v5 body types.
enum class DcapBodyType : std::uint16_t { kSgx = 1, kTd10 = 2, kTd15 = 3 };
std::string_view to_string(DcapBodyType type);  // "sgx", "td10", "td15"

struct DcapHeader {
  std::uint16_t version = 0;
  std::uint16_t att_key_type = 0;
  std::uint32_t tee_type = 0;
  std::uint16_t qe_svn = 0;   // v3 bytes 8-9 (reserved in v4/v5)
  std::uint16_t pce_svn = 0;  // v3 bytes 10-11
  std::array<std::uint8_t, 16> qe_vendor_id{};
  std::array<std::uint8_t, 20> user_data{};
};

// An SGX REPORTBODY (384 bytes); also the QE report.
struct SgxReportBody {
  std::array<std::uint8_t, 16> cpu_svn{};
  std::uint32_t misc_select = 0;
  std::array<std::uint8_t, 16> attributes{};  // FLAGS (u64 LE) then XFRM
  std::array<std::uint8_t, 32> mr_enclave{};
  std::array<std::uint8_t, 32> mr_signer{};
  std::uint16_t isv_prod_id = 0;
  std::uint16_t isv_svn = 0;
  Hash64 report_data{};
  // ATTRIBUTES.FLAGS bit 1.
  bool debug() const { return (attributes[0] & 0x02) != 0; }
};

// A TD report body 1.0 (584 bytes) or 1.5 (648 bytes).
struct TdReportBody {
  std::array<std::uint8_t, 16> tee_tcb_svn{};
  std::array<std::uint8_t, 48> mr_seam{};
  std::array<std::uint8_t, 48> mr_signer_seam{};
  std::array<std::uint8_t, 8> seam_attributes{};
  std::array<std::uint8_t, 8> td_attributes{};
  std::array<std::uint8_t, 8> xfam{};
  std::array<std::uint8_t, 48> mr_td{};
  std::array<std::uint8_t, 48> mr_config_id{};
  std::array<std::uint8_t, 48> mr_owner{};
  std::array<std::uint8_t, 48> mr_owner_config{};
  std::array<std::array<std::uint8_t, 48>, 4> rtmr{};
  Hash64 report_data{};
  // TD 1.5 only.
  std::optional<std::array<std::uint8_t, 16>> tee_tcb_svn2;
  std::optional<std::array<std::uint8_t, 48>> mr_service_td;
  // TDATTRIBUTES bit 0.
  bool debug() const { return (td_attributes[0] & 0x01) != 0; }
};

struct DcapQuote {
  DcapHeader header;
  DcapBodyType body_type = DcapBodyType::kSgx;
  std::optional<SgxReportBody> sgx_body;  // SGX quotes
  std::optional<TdReportBody> td_body;    // TDX quotes
  std::size_t signed_size = 0;            // header || [descriptor ||] body
  std::array<std::uint8_t, 64> signature{};        // r || s, big endian
  std::array<std::uint8_t, 64> attestation_key{};  // x || y
  Bytes qe_report_raw;                             // the 384 signed bytes
  SgxReportBody qe_report;
  std::array<std::uint8_t, 64> qe_report_signature{};
  Bytes qe_auth_data;
  Bytes pck_chain_pem;  // certification data type 5, as carried
};

// Parses a quote. Bytes after the signature data (zero padding, test
// suffixes) are outside every signature and ignored.
//   intel.quote_truncated   a fixed field or a length-prefixed part runs past
//                           the bytes that contain it
//   intel.quote_unsupported version not 3 (SGX) / 4 or 5 (TDX), key type not
//                           2, TEE type not matching the version, v5 body type
//                           unknown or with the wrong size
//   intel.quote_malformed   certification data types other than 6 / 5, inner
//                           sizes that do not add up, a quote larger than
//                           kDcapMaxQuoteSize
Result<DcapQuote> parse_dcap_quote(ByteView quote);

// Reads a 384-byte SGX REPORTBODY (intel.quote_truncated if shorter).
Result<SgxReportBody> parse_sgx_report_body(ByteView body);

// Splits PEM text into DER certificates, in order. Bytes outside the
// CERTIFICATE blocks may only be whitespace or NUL. intel.quote_malformed
// when a block is unterminated or not base64, or there is none.
Result<std::vector<Bytes>> split_pem_certificates(ByteView pem);

}  // namespace verun::proofs
