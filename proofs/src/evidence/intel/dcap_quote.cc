// DCAP quote parsing (Intel SGX ECDSA Quote Library API and TDX DCAP Quote
// Generation / Verification Library quote format appendices); see
// dcap_quote.h.
#include "verun/proofs/evidence/dcap_quote.h"

#include <algorithm>
#include <string>

#include "verun/proofs/base64.h"

namespace verun::proofs {
namespace {

Error truncated(const std::string& what) {
  return Error(ErrorCode::kIntelQuoteTruncated, "quote ends inside " + what);
}

// A bounds-checked little-endian reader over one span.
class Reader {
 public:
  explicit Reader(ByteView data) : data_(data) {}
  std::size_t pos() const { return pos_; }
  std::size_t remaining() const { return data_.size() - pos_; }

  Result<ByteView> take(std::size_t n, const char* what) {
    if (n > remaining()) return truncated(what);
    ByteView out = data_.subspan(pos_, n);
    pos_ += n;
    return out;
  }
  Result<std::uint16_t> u16(const char* what) {
    VERUN_ASSIGN_OR_RETURN(ByteView b, take(2, what));
    return static_cast<std::uint16_t>(b[0] | (b[1] << 8));
  }
  Result<std::uint32_t> u32(const char* what) {
    VERUN_ASSIGN_OR_RETURN(ByteView b, take(4, what));
    return static_cast<std::uint32_t>(b[0]) | static_cast<std::uint32_t>(b[1]) << 8 |
           static_cast<std::uint32_t>(b[2]) << 16 | static_cast<std::uint32_t>(b[3]) << 24;
  }
  template <std::size_t N>
  Result<std::array<std::uint8_t, N>> array(const char* what) {
    VERUN_ASSIGN_OR_RETURN(ByteView b, take(N, what));
    std::array<std::uint8_t, N> out{};
    std::copy(b.begin(), b.end(), out.begin());
    return out;
  }

 private:
  ByteView data_;
  std::size_t pos_ = 0;
};

template <std::size_t N>
std::array<std::uint8_t, N> copy_at(ByteView b, std::size_t off) {
  std::array<std::uint8_t, N> out{};
  std::copy_n(b.begin() + static_cast<std::ptrdiff_t>(off), N, out.begin());
  return out;
}

std::uint16_t le16(ByteView b, std::size_t off) { return static_cast<std::uint16_t>(b[off] | (b[off + 1] << 8)); }

TdReportBody read_td_body(ByteView b, bool td15) {
  TdReportBody t;
  t.tee_tcb_svn = copy_at<16>(b, 0);
  t.mr_seam = copy_at<48>(b, 16);
  t.mr_signer_seam = copy_at<48>(b, 64);
  t.seam_attributes = copy_at<8>(b, 112);
  t.td_attributes = copy_at<8>(b, 120);
  t.xfam = copy_at<8>(b, 128);
  t.mr_td = copy_at<48>(b, 136);
  t.mr_config_id = copy_at<48>(b, 184);
  t.mr_owner = copy_at<48>(b, 232);
  t.mr_owner_config = copy_at<48>(b, 280);
  for (std::size_t i = 0; i < 4; ++i) t.rtmr[i] = copy_at<48>(b, 328 + 48 * i);
  t.report_data = copy_at<64>(b, 520);
  if (td15) {
    t.tee_tcb_svn2 = copy_at<16>(b, 584);
    t.mr_service_td = copy_at<48>(b, 600);
  }
  return t;
}

// QE report, its signature, the QE authentication data and the nested PCK
// chain certification data (type 5), as laid out in both quote generations.
Result<void> read_qe_part(Reader& r, DcapQuote& q) {
  VERUN_ASSIGN_OR_RETURN(ByteView qe, r.take(kSgxReportBodySize, "the QE report"));
  q.qe_report_raw.assign(qe.begin(), qe.end());
  VERUN_ASSIGN_OR_RETURN(q.qe_report, parse_sgx_report_body(qe));
  VERUN_ASSIGN_OR_RETURN(q.qe_report_signature, r.array<64>("the QE report signature"));
  VERUN_ASSIGN_OR_RETURN(std::uint16_t auth_size, r.u16("the QE authentication data size"));
  VERUN_ASSIGN_OR_RETURN(ByteView auth, r.take(auth_size, "the QE authentication data"));
  q.qe_auth_data.assign(auth.begin(), auth.end());
  VERUN_ASSIGN_OR_RETURN(std::uint16_t type, r.u16("the certification data type"));
  if (type != kDcapCertDataPckChain)
    return Error(ErrorCode::kIntelQuoteMalformed,
                 "certification data type " + std::to_string(type) + " is not 5 (PCK certificate chain)");
  VERUN_ASSIGN_OR_RETURN(std::uint32_t size, r.u32("the certification data size"));
  VERUN_ASSIGN_OR_RETURN(ByteView pem, r.take(size, "the PCK certificate chain"));
  q.pck_chain_pem.assign(pem.begin(), pem.end());
  return {};
}

}  // namespace

std::string_view to_string(DcapBodyType type) {
  switch (type) {
    case DcapBodyType::kSgx: return "sgx";
    case DcapBodyType::kTd10: return "td10";
    case DcapBodyType::kTd15: return "td15";
  }
  return "unknown";
}

Result<SgxReportBody> parse_sgx_report_body(ByteView b) {
  if (b.size() < kSgxReportBodySize) return truncated("an SGX report body");
  SgxReportBody s;
  s.cpu_svn = copy_at<16>(b, 0);
  s.misc_select = static_cast<std::uint32_t>(le16(b, 16)) | static_cast<std::uint32_t>(le16(b, 18)) << 16;
  s.attributes = copy_at<16>(b, 48);
  s.mr_enclave = copy_at<32>(b, 64);
  s.mr_signer = copy_at<32>(b, 128);
  s.isv_prod_id = le16(b, 256);
  s.isv_svn = le16(b, 258);
  s.report_data = copy_at<64>(b, 320);
  return s;
}

Result<DcapQuote> parse_dcap_quote(ByteView quote) {
  if (quote.size() > kDcapMaxQuoteSize)
    return Error(ErrorCode::kIntelQuoteMalformed,
                 "quote of " + std::to_string(quote.size()) + " bytes exceeds the limit of 65536");
  Reader r(quote);
  DcapQuote q;
  DcapHeader& h = q.header;
  VERUN_ASSIGN_OR_RETURN(h.version, r.u16("the header"));
  VERUN_ASSIGN_OR_RETURN(h.att_key_type, r.u16("the header"));
  VERUN_ASSIGN_OR_RETURN(h.tee_type, r.u32("the header"));
  VERUN_ASSIGN_OR_RETURN(h.qe_svn, r.u16("the header"));
  VERUN_ASSIGN_OR_RETURN(h.pce_svn, r.u16("the header"));
  VERUN_ASSIGN_OR_RETURN(h.qe_vendor_id, r.array<16>("the header"));
  VERUN_ASSIGN_OR_RETURN(h.user_data, r.array<20>("the header"));
  if (h.att_key_type != kDcapAttKeyEcdsaP256)
    return Error(ErrorCode::kIntelQuoteUnsupported,
                 "attestation key type " + std::to_string(h.att_key_type) + " is not 2 (ECDSA-256-with-P-256)");

  if (h.version == 3) {
    if (h.tee_type != kDcapTeeSgx)
      return Error(ErrorCode::kIntelQuoteUnsupported,
                   "quote version 3 with TEE type " + std::to_string(h.tee_type) + " (only SGX, 0, uses version 3)");
    VERUN_ASSIGN_OR_RETURN(ByteView body, r.take(kSgxReportBodySize, "the SGX report body"));
    VERUN_ASSIGN_OR_RETURN(q.sgx_body, parse_sgx_report_body(body));
    q.body_type = DcapBodyType::kSgx;
  } else if (h.version == 4 || h.version == 5) {
    if (h.tee_type != kDcapTeeTdx)
      return Error(ErrorCode::kIntelQuoteUnsupported, "quote version " + std::to_string(h.version) +
                                                          " with TEE type " + std::to_string(h.tee_type) +
                                                          " (this verifier reads TDX, 0x81, quotes of v4 and v5)");
    std::size_t body_size = kTdReport10Size;
    q.body_type = DcapBodyType::kTd10;
    if (h.version == 5) {
      VERUN_ASSIGN_OR_RETURN(std::uint16_t type, r.u16("the body descriptor"));
      VERUN_ASSIGN_OR_RETURN(std::uint32_t size, r.u32("the body descriptor"));
      if (type == static_cast<std::uint16_t>(DcapBodyType::kTd10) && size == kTdReport10Size) {
        q.body_type = DcapBodyType::kTd10;
      } else if (type == static_cast<std::uint16_t>(DcapBodyType::kTd15) && size == kTdReport15Size) {
        q.body_type = DcapBodyType::kTd15;
        body_size = kTdReport15Size;
      } else {
        return Error(ErrorCode::kIntelQuoteUnsupported, "quote v5 body type " + std::to_string(type) + " of " +
                                                            std::to_string(size) +
                                                            " bytes is not a TD report 1.0 (2, 584) or 1.5 (3, 648)");
      }
    }
    VERUN_ASSIGN_OR_RETURN(ByteView body, r.take(body_size, "the TD report body"));
    q.td_body = read_td_body(body, q.body_type == DcapBodyType::kTd15);
  } else {
    return Error(ErrorCode::kIntelQuoteUnsupported,
                 "quote version " + std::to_string(h.version) + " is not 3 (SGX), 4 or 5 (TDX)");
  }
  q.signed_size = r.pos();

  VERUN_ASSIGN_OR_RETURN(std::uint32_t sig_len, r.u32("the signature data length"));
  VERUN_ASSIGN_OR_RETURN(ByteView sig_data, r.take(sig_len, "the signature data"));
  // Bytes after the signature data (zero padding in GCP's 8000-byte files,
  // test suffixes elsewhere) are covered by no signature and ignored.

  Reader s(sig_data);
  VERUN_ASSIGN_OR_RETURN(q.signature, s.array<64>("the quote signature"));
  VERUN_ASSIGN_OR_RETURN(q.attestation_key, s.array<64>("the attestation key"));
  if (h.version == 3) {
    VERUN_TRY(read_qe_part(s, q));
  } else {
    VERUN_ASSIGN_OR_RETURN(std::uint16_t type, s.u16("the certification data type"));
    if (type != kDcapCertDataQeReport)
      return Error(ErrorCode::kIntelQuoteMalformed,
                   "certification data type " + std::to_string(type) + " is not 6 (QE report certification data)");
    VERUN_ASSIGN_OR_RETURN(std::uint32_t size, s.u32("the certification data size"));
    VERUN_ASSIGN_OR_RETURN(ByteView inner, s.take(size, "the QE report certification data"));
    Reader in(inner);
    VERUN_TRY(read_qe_part(in, q));
    if (in.remaining() != 0)
      return Error(ErrorCode::kIntelQuoteMalformed, "QE report certification data has " +
                                                        std::to_string(in.remaining()) + " bytes after its parts");
  }
  if (s.remaining() != 0)
    return Error(ErrorCode::kIntelQuoteMalformed,
                 "signature data has " + std::to_string(s.remaining()) + " bytes after its parts");
  return q;
}

Result<std::vector<Bytes>> split_pem_certificates(ByteView pem) {
  constexpr std::string_view kBegin = "-----BEGIN CERTIFICATE-----";
  constexpr std::string_view kEnd = "-----END CERTIFICATE-----";
  const std::string_view text = as_string_view(pem);
  auto filler = [](std::string_view s) {
    return std::all_of(s.begin(), s.end(),
                       [](char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\0'; });
  };
  std::vector<Bytes> out;
  std::size_t pos = 0;
  while (true) {
    std::size_t begin = text.find(kBegin, pos);
    if (begin == std::string_view::npos) {
      if (!filler(text.substr(pos)))
        return Error(ErrorCode::kIntelQuoteMalformed, "PEM chain has text outside its CERTIFICATE blocks");
      break;
    }
    if (!filler(text.substr(pos, begin - pos)))
      return Error(ErrorCode::kIntelQuoteMalformed, "PEM chain has text outside its CERTIFICATE blocks");
    std::size_t body = begin + kBegin.size();
    std::size_t end = text.find(kEnd, body);
    if (end == std::string_view::npos)
      return Error(ErrorCode::kIntelQuoteMalformed, "PEM CERTIFICATE block is not terminated");
    std::string b64;
    for (char c : text.substr(body, end - body))
      if (c != '\n' && c != '\r' && c != ' ' && c != '\t') b64.push_back(c);
    Result<Bytes> der = base64_decode(b64);
    if (!der || der->empty())
      return Error(ErrorCode::kIntelQuoteMalformed, "PEM CERTIFICATE block is not base64");
    out.push_back(std::move(*der));
    pos = end + kEnd.size();
    if (out.size() > 8) return Error(ErrorCode::kIntelQuoteMalformed, "PEM chain has more than 8 certificates");
  }
  if (out.empty()) return Error(ErrorCode::kIntelQuoteMalformed, "PEM chain holds no certificate");
  return out;
}

}  // namespace verun::proofs
