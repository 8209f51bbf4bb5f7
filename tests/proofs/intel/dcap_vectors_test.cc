// tdx-quote and sgx-quote against the shared corpus
// (vectors/attestation/{tdx,sgx-dcap}): every vector's verdict under the
// corpus policy (valid = verifies and not debug), the failing check's error
// code, every extracted field and, with collateral, the TCB statuses and
// advisory IDs, at the vector's verify_at, with Intel's pinned root only.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "tests/support/matchers.h"
#include "tests/support/vectors.h"
#include "verun/proofs/evidence/dcap.h"
#include "verun/proofs/evidence/evidence.h"
#include "verun/proofs/hex.h"
#include "verun/proofs/sha2.h"

namespace verun::proofs {
namespace {

namespace fs = std::filesystem;
using ::verun::testing::HasCode;
using ::verun::testing::read_file;
using ::verun::testing::read_file_bytes;
using ::verun::testing::read_json;

// The failing check of each invalid vector that fails verification (debug
// vectors verify and fail the corpus policy through claims.debug).
const std::map<std::string, ErrorCode>& expected_codes() {
  static const std::map<std::string, ErrorCode> codes = {
      {"tdx-neg-collateral-expired", ErrorCode::kIntelCollateralNotCurrent},
      {"tdx-neg-debug-bit-set", ErrorCode::kIntelQuoteBadSignature},
      {"tdx-neg-mrtd-flip", ErrorCode::kIntelQuoteBadSignature},
      {"tdx-neg-pck-chain-truncated", ErrorCode::kEvidenceRootNotPinned},
      {"tdx-neg-qe-report-flip", ErrorCode::kIntelQeReportBadSignature},
      {"tdx-neg-tcbinfo-tampered", ErrorCode::kIntelCollateralBadSignature},
      {"tdx-v5-td15-dcapqvl-tcb-unsupported", ErrorCode::kIntelTcbNotSupported},
      {"sgx-neg-mrenclave-flip", ErrorCode::kIntelQuoteBadSignature},
      {"sgx-neg-tcbinfo-reformatted", ErrorCode::kIntelCollateralBadSignature},
  };
  return codes;
}

// The corpus' collateral.json as PCS-shaped collateral: the TCB info and QE
// identity bodies rebuilt around the exact served values, CRLs as given (hex).
std::map<std::string, Bytes> collateral_map(const nlohmann::json& c) {
  auto s = [&](const char* k) { return c.at(k).get<std::string>(); };
  std::map<std::string, Bytes> m;
  m["tcb_info"] = to_bytes("{\"tcbInfo\":" + s("tcb_info") + ",\"signature\":\"" + s("tcb_info_signature") + "\"}");
  m["qe_identity"] =
      to_bytes("{\"enclaveIdentity\":" + s("qe_identity") + ",\"signature\":\"" + s("qe_identity_signature") + "\"}");
  m["tcb_info_issuer_chain"] = to_bytes(s("tcb_info_issuer_chain"));
  m["qe_identity_issuer_chain"] = to_bytes(s("qe_identity_issuer_chain"));
  m["pck_crl"] = to_bytes(s("pck_crl"));
  m["pck_crl_issuer_chain"] = to_bytes(s("pck_crl_issuer_chain"));
  m["root_ca_crl"] = to_bytes(s("root_ca_crl"));
  return m;
}

template <std::size_t N>
std::string hx(const std::array<std::uint8_t, N>& a) {
  return hex_encode(a);
}

void check_fields(const std::string& name, const nlohmann::json& f, const DcapQuote& q) {
  SCOPED_TRACE(name);
  EXPECT_EQ(f.at("version").get<int>(), q.header.version);
  EXPECT_EQ(f.at("tee_type").get<std::uint32_t>(), q.header.tee_type);
  EXPECT_EQ(f.at("att_key_type").get<int>(), q.header.att_key_type);
  if (q.td_body) {
    const TdReportBody& t = *q.td_body;
    EXPECT_EQ(f.at("body_type").get<std::string>(), to_string(q.body_type));
    EXPECT_EQ(f.at("tee_tcb_svn").get<std::string>(), hx(t.tee_tcb_svn));
    EXPECT_EQ(f.at("mrseam").get<std::string>(), hx(t.mr_seam));
    EXPECT_EQ(f.at("mrsignerseam").get<std::string>(), hx(t.mr_signer_seam));
    EXPECT_EQ(f.at("seam_attributes").get<std::string>(), hx(t.seam_attributes));
    EXPECT_EQ(f.at("td_attributes").get<std::string>(), hx(t.td_attributes));
    EXPECT_EQ(f.at("debug").get<bool>(), t.debug());
    EXPECT_EQ(f.at("xfam").get<std::string>(), hx(t.xfam));
    EXPECT_EQ(f.at("mrtd").get<std::string>(), hx(t.mr_td));
    EXPECT_EQ(f.at("mrconfigid").get<std::string>(), hx(t.mr_config_id));
    EXPECT_EQ(f.at("mrowner").get<std::string>(), hx(t.mr_owner));
    EXPECT_EQ(f.at("mrownerconfig").get<std::string>(), hx(t.mr_owner_config));
    for (std::size_t i = 0; i < 4; ++i)
      EXPECT_EQ(f.at("rtmr" + std::to_string(i)).get<std::string>(), hx(t.rtmr[i]));
    EXPECT_EQ(f.at("report_data").get<std::string>(), hx(t.report_data));
    EXPECT_EQ(f.contains("tee_tcb_svn2"), t.tee_tcb_svn2.has_value());
    if (t.tee_tcb_svn2) {
      EXPECT_EQ(f.at("tee_tcb_svn2").get<std::string>(), hx(*t.tee_tcb_svn2));
      EXPECT_EQ(f.at("mrservicetd").get<std::string>(), hx(*t.mr_service_td));
    }
  } else {
    const SgxReportBody& s = *q.sgx_body;
    EXPECT_EQ(f.at("cpusvn").get<std::string>(), hx(s.cpu_svn));
    char misc[9];
    std::snprintf(misc, sizeof misc, "%08x", s.misc_select);  // the u32 value, as expected.json writes it
    EXPECT_EQ(f.at("miscselect").get<std::string>(), misc);
    EXPECT_EQ(f.at("attributes").get<std::string>(), hx(s.attributes));
    EXPECT_EQ(f.at("debug").get<bool>(), s.debug());
    EXPECT_EQ(f.at("mrenclave").get<std::string>(), hx(s.mr_enclave));
    EXPECT_EQ(f.at("mrsigner").get<std::string>(), hx(s.mr_signer));
    EXPECT_EQ(f.at("isv_prod_id").get<int>(), s.isv_prod_id);
    EXPECT_EQ(f.at("isv_svn").get<int>(), s.isv_svn);
    EXPECT_EQ(f.at("report_data").get<std::string>(), hx(s.report_data));
  }
  // PCK fields, read from the leaf even where the chain does not verify.
  Result<std::vector<Bytes>> ders = split_pem_certificates(q.pck_chain_pem);
  ASSERT_OK(ders);
  Result<X509Cert> leaf = X509Cert::parse_der(ders->front());
  ASSERT_OK(leaf);
  Result<PckExtensions> ext = parse_pck_extensions(*leaf);
  ASSERT_OK(ext);
  EXPECT_EQ(f.at("fmspc").get<std::string>(), hx(ext->fmspc));
  EXPECT_EQ(f.at("pceid").get<std::string>(), hx(ext->pce_id));
  EXPECT_EQ(f.at("pck_pcesvn").get<std::uint32_t>(), ext->pce_svn);
  std::vector<int> comps(ext->sgx_components.begin(), ext->sgx_components.end());
  EXPECT_EQ(f.at("pck_sgx_tcb_comp_svn").get<std::vector<int>>(), comps);
}

// TCB statuses straight from the collateral (also where verification fails
// on them, as for TCB level not supported).
void check_tcb_fields(const std::string& name, const nlohmann::json& f, const DcapQuote& q,
                      const std::map<std::string, Bytes>& col) {
  SCOPED_TRACE(name);
  Result<SignedBody> tb = split_signed_body(col.at("tcb_info"), "tcbInfo");
  Result<SignedBody> qb = split_signed_body(col.at("qe_identity"), "enclaveIdentity");
  ASSERT_OK(tb);
  ASSERT_OK(qb);
  Result<TcbInfo> tcb = parse_tcb_info(tb->signed_bytes);
  Result<QeIdentity> qe = parse_qe_identity(qb->signed_bytes);
  ASSERT_OK(tcb);
  ASSERT_OK(qe);
  Result<std::vector<Bytes>> ders = split_pem_certificates(q.pck_chain_pem);
  ASSERT_OK(ders);
  Result<X509Cert> leaf = X509Cert::parse_der(ders->front());
  ASSERT_OK(leaf);
  Result<PckExtensions> ext = parse_pck_extensions(*leaf);
  ASSERT_OK(ext);
  Result<DcapTcbEvaluation> ev = evaluate_dcap_tcb(q, *ext, *tcb, *qe);
  ASSERT_OK(ev);
  EXPECT_EQ(f.at("tcb_status").get<std::string>(), to_string(ev->overall));
  auto opt = [](const std::optional<DcapTcbStatus>& s) {
    return s ? nlohmann::json(std::string(to_string(*s))) : nlohmann::json();
  };
  EXPECT_EQ(f.at("platform_tcb_status"), opt(ev->platform));
  EXPECT_EQ(f.at("qe_tcb_status"), opt(ev->qe));
  if (f.contains("tdx_module_tcb_status")) {
    EXPECT_EQ(f.at("tdx_module_tcb_status"), opt(ev->tdx_module));
  }
  if (f.contains("advisory_ids")) {
    EXPECT_EQ(f.at("advisory_ids").get<std::vector<std::string>>(), ev->advisory_ids);
  }
}

void run_format(const fs::path& dir, DcapTee tee, std::size_t& count) {
  count = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (!fs::exists(entry.path() / "expected.json")) continue;
    const std::string name = entry.path().filename().string();
    SCOPED_TRACE(name);
    const nlohmann::json e = read_json(entry.path() / "expected.json");
    const nlohmann::json& inputs = e.at("inputs");
    Bytes quote = read_file_bytes(entry.path() / inputs.at("quote").get<std::string>());
    Result<Timestamp> at = parse_rfc3339(e.at("verify_at").get<std::string>());
    ASSERT_OK(at);
    DcapOptions options;
    options.at = *at;
    std::map<std::string, Bytes> col;
    if (inputs.contains("collateral")) {
      col = collateral_map(read_json(entry.path() / inputs.at("collateral").get<std::string>()));
      Result<DcapCollateral> c = dcap_collateral_from_map(col);
      ASSERT_OK(c);
      options.collateral = *c;
    }
    const nlohmann::json& x = e.at("expected");
    const bool want_valid = x.at("verdict").get<std::string>() == "valid";

    Result<VerifiedDcap> v = verify_dcap_quote_detailed(quote, tee, options);
    const bool valid = v.has_value() && !v->claims.debug;
    EXPECT_EQ(valid, want_valid) << (v ? "verified" : v.error().message);
    auto code = expected_codes().find(name);
    if (code != expected_codes().end()) {
      EXPECT_THAT(v, HasCode(code->second));
    } else {
      EXPECT_OK(v);
    }

    Result<DcapQuote> q = parse_dcap_quote(quote);
    ASSERT_OK(q);
    check_fields(name, x.at("fields"), *q);
    if (x.at("fields").contains("tcb_status")) check_tcb_fields(name, x.at("fields"), *q, col);

    if (v) {
      // Claims, and the same verdict through verify_evidence with the
      // collateral named by digest.
      const Claims& c = v->claims;
      EXPECT_EQ(c.debug, x.at("fields").at("debug").get<bool>());
      EXPECT_EQ(c.chain_fingerprints.back(), hex_decode32(kIntelSgxRootFingerprintHex).value());
      if (x.at("fields").contains("tcb_status")) {
        ASSERT_TRUE(c.tcb_status.has_value());
        EXPECT_EQ(*c.tcb_status, x.at("fields").at("tcb_status").get<std::string>());
        EXPECT_EQ(c.advisory_ids, x.at("fields").at("advisory_ids").get<std::vector<std::string>>());
      } else {
        EXPECT_FALSE(c.tcb_status.has_value());
      }
      Evidence ev;
      ev.format = tee == DcapTee::kTdx ? EvidenceFormat::kTdxQuote : EvidenceFormat::kSgxQuote;
      ev.data = quote;
      for (const auto& [cname, bytes] : col) ev.collateral[cname] = sha256(bytes);
      EvidenceOptions eo;
      eo.at = *at;
      eo.collateral_bytes = col;
      Result<Claims> via = verify_evidence(ev, eo);
      ASSERT_OK(via);
      EXPECT_EQ(*via, c);
    }
    ++count;
  }
}

TEST(DcapVectors, Tdx) {
  VERUN_REQUIRE_VECTORS(dir, "attestation/tdx");
  std::size_t n = 0;
  run_format(dir, DcapTee::kTdx, n);
  EXPECT_EQ(n, 10u);
  ::verun::testing::report_vector_count("tdx quotes", n);
}

TEST(DcapVectors, SgxDcap) {
  VERUN_REQUIRE_VECTORS(dir, "attestation/sgx-dcap");
  std::size_t n = 0;
  run_format(dir, DcapTee::kSgx, n);
  EXPECT_EQ(n, 4u);
  ::verun::testing::report_vector_count("sgx-dcap quotes", n);
}

// The pinned fingerprint is the corpus' Intel SGX Root CA, DER and PEM.
TEST(DcapVectors, PinnedRootIsTheCorpusRoot) {
  VERUN_REQUIRE_VECTORS(dir, "attestation/roots/intel");
  Bytes der = read_file_bytes(dir / "intel-sgx-root-ca.der");
  EXPECT_EQ(hex_encode(sha256(der)), kIntelSgxRootFingerprintHex);
  Result<std::vector<Bytes>> pem = split_pem_certificates(read_file_bytes(dir / "intel-sgx-root-ca.pem"));
  ASSERT_OK(pem);
  ASSERT_EQ(pem->size(), 1u);
  EXPECT_EQ(pem->front(), der);
  ::verun::testing::report_vector_count("intel root", 1);
}

// Tampering with supplied collateral bytes is caught by the digest the
// evidence names.
TEST(DcapVectors, CollateralDigestMismatch) {
  VERUN_REQUIRE_VECTORS(dir, "attestation/tdx/tdx-v4-dcapqvl");
  Evidence ev;
  ev.format = EvidenceFormat::kTdxQuote;
  ev.data = read_file_bytes(dir / "quote.bin");
  std::map<std::string, Bytes> col = collateral_map(read_json(dir / "collateral.json"));
  for (const auto& [cname, bytes] : col) ev.collateral[cname] = sha256(bytes);
  EvidenceOptions eo;
  eo.at = parse_rfc3339("2025-06-20T00:00:00Z").value();
  eo.collateral_bytes = col;
  eo.collateral_bytes["pck_crl"].push_back('0');
  EXPECT_THAT(verify_evidence(ev, eo), HasCode(ErrorCode::kIntelCollateralDigestMismatch));
  // Quote-only through the dispatcher: no tcb_status.
  eo.collateral_bytes.clear();
  Result<Claims> c = verify_evidence(ev, eo);
  ASSERT_OK(c);
  EXPECT_FALSE(c->tcb_status.has_value());
  // Only part of the collateral.
  eo.collateral_bytes = {{"tcb_info", col["tcb_info"]}};
  EXPECT_THAT(verify_evidence(ev, eo), HasCode(ErrorCode::kIntelCollateralMissing));
  // Certs are not taken.
  ev.certs.push_back(Bytes{1});
  eo.collateral_bytes.clear();
  EXPECT_THAT(verify_evidence(ev, eo), HasCode(ErrorCode::kEvidenceUnexpectedMaterial));
  // A TDX quote is not sgx-quote evidence.
  ev.certs.clear();
  ev.format = EvidenceFormat::kSgxQuote;
  EXPECT_THAT(verify_evidence(ev, eo), HasCode(ErrorCode::kIntelQuoteUnsupported));
}

}  // namespace
}  // namespace verun::proofs
