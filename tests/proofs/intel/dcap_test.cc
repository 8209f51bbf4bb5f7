// tdx-quote / sgx-quote without the shared corpus: synthetic quotes and
// collateral from dcap_testing.h, trusted only through
// DcapOptions::extra_roots. A negative test for every check of
// dcap_quote.h, dcap_collateral.h and dcap.h: byte flips in every signed
// region, truncation at every offset, every length field pointing outside
// its buffer, debug, roots, validity, CRLs, currency, tampering, identity and
// TCB level matching.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <string>
#include <vector>

#include "tests/proofs/intel/dcap_testing.h"
#include "tests/support/matchers.h"
#include "verun/proofs/evidence/evidence.h"

namespace verun::proofs {
namespace {

using namespace dcap_testing;
using ::verun::testing::HasCode;

QuoteSpec sgx_spec() {
  QuoteSpec s;
  s.tee = DcapTee::kSgx;
  s.version = 3;
  s.qe_prod_id = 1;
  return s;
}

CollateralSpec sgx_collateral() {
  CollateralSpec c;
  c.id = "SGX";
  c.qe_id = "QE";
  c.qe_prod_id = 1;
  return c;
}

class DcapSynthetic : public ::testing::Test {
 protected:
  static Pki& pki() {
    static Pki p;
    return p;
  }
  DcapOptions opts() const { return options(pki()); }
  DcapOptions with_collateral(const CollateralSpec& c) const {
    DcapOptions o = opts();
    o.collateral = make_collateral(pki(), c);
    return o;
  }
};

TEST_F(DcapSynthetic, TdxV4QuoteOnlyVerifies) {
  Bytes q = build_quote(pki(), {});
  Result<VerifiedDcap> v = verify_dcap_quote_detailed(q, DcapTee::kTdx, opts());
  ASSERT_OK(v);
  const Claims& c = v->claims;
  EXPECT_EQ(c.format, "tdx-quote");
  EXPECT_EQ(c.platform, Platform::kTdx);
  EXPECT_FALSE(c.debug);
  EXPECT_EQ(c.measurement, Bytes(48, 0x91));
  EXPECT_EQ(c.measurements.at("mrtd"), c.measurement);
  EXPECT_EQ(c.measurements.at("mrseam"), Bytes(48, 0x30));
  for (const char* k : {"rtmr0", "rtmr1", "rtmr2", "rtmr3", "mrconfigid", "mrowner", "mrownerconfig"})
    EXPECT_EQ(c.measurements.at(k).size(), 48u) << k;
  EXPECT_EQ(c.tcb.at("tdx_module_svn"), 6u);
  EXPECT_EQ(c.tcb.at("tdx_module_major"), 1u);
  EXPECT_EQ(c.tcb.at("pce_svn"), 11u);
  EXPECT_EQ(c.report_data[0], 0xEE);
  ASSERT_EQ(c.chain_fingerprints.size(), 3u);
  EXPECT_EQ(c.chain_fingerprints[2], sha256(pki().root));
  EXPECT_FALSE(c.tcb_status);
  EXPECT_TRUE(c.instance_id.empty());
}

TEST_F(DcapSynthetic, AllQuoteShapesVerifyWithCollateral) {
  struct Case {
    QuoteSpec spec;
    CollateralSpec col;
  };
  QuoteSpec v5_10;
  v5_10.version = 5;
  QuoteSpec v5_15 = v5_10;
  v5_15.body_type = DcapBodyType::kTd15;
  std::vector<Case> cases = {{QuoteSpec{}, CollateralSpec{}}, {v5_10, CollateralSpec{}},
                             {v5_15, CollateralSpec{}}, {sgx_spec(), sgx_collateral()}};
  for (const Case& k : cases) {
    Bytes q = build_quote(pki(), k.spec);
    Result<VerifiedDcap> v = verify_dcap_quote_detailed(q, k.spec.tee, with_collateral(k.col));
    ASSERT_OK(v) << k.spec.version;
    EXPECT_EQ(v->claims.tcb_status, std::optional<std::string>("UpToDate"));
    if (k.spec.body_type == DcapBodyType::kTd15 && k.spec.version == 5) {
      EXPECT_TRUE(v->quote.td_body->tee_tcb_svn2.has_value());
      EXPECT_EQ(v->quote.body_type, DcapBodyType::kTd15);
    }
  }
}

TEST_F(DcapSynthetic, SgxClaims) {
  Bytes q = build_quote(pki(), sgx_spec());
  Result<Claims> c = verify_sgx_evidence(q, opts());
  ASSERT_OK(c);
  EXPECT_EQ(c->format, "sgx-quote");
  EXPECT_EQ(c->platform, Platform::kSgx);
  EXPECT_EQ(c->measurement, Bytes(32, 0x33));
  EXPECT_EQ(c->measurements.at("mrsigner"), Bytes(32, 0x81));
  EXPECT_EQ(c->tcb.at("isv_prod_id"), 4u);
  EXPECT_EQ(c->tcb.at("isv_svn"), 9u);
  EXPECT_FALSE(c->debug);
  // The wrong entry point for the quote's TEE.
  EXPECT_THAT(verify_tdx_evidence(q, opts()), HasCode(ErrorCode::kIntelQuoteUnsupported));
}

TEST_F(DcapSynthetic, DebugIsReportedNotRejected) {
  QuoteSpec td;
  td.debug = true;
  Result<Claims> c = verify_tdx_evidence(build_quote(pki(), td), opts());
  ASSERT_OK(c);
  EXPECT_TRUE(c->debug);
  QuoteSpec sgx = sgx_spec();
  sgx.debug = true;
  Result<Claims> s = verify_sgx_evidence(build_quote(pki(), sgx), opts());
  ASSERT_OK(s);
  EXPECT_TRUE(s->debug);
}

// Every byte of header || body, of the QE report and of the QE
// authentication data is covered by a signature or the binding.
TEST_F(DcapSynthetic, EverySignedByteFlipFails) {
  for (const QuoteSpec& spec : {QuoteSpec{}, sgx_spec()}) {
    QuoteLayout l;
    const Bytes good = build_quote(pki(), spec, &l);
    DcapChainCache cache;
    DcapOptions o = opts();
    o.chain_cache = &cache;
    ASSERT_OK(verify_dcap_quote_detailed(good, spec.tee, o));
    for (std::size_t i = 0; i < l.signed_size; ++i) {
      Bytes q = good;
      q[i] ^= 0x01;
      Result<VerifiedDcap> v = verify_dcap_quote_detailed(q, spec.tee, o);
      if (i >= kDcapHeaderSize) {
        EXPECT_THAT(v, HasCode(ErrorCode::kIntelQuoteBadSignature)) << i;
      } else {
        EXPECT_FALSE(v.has_value()) << i;
      }
    }
    for (std::size_t i = l.qe_report_at; i < l.qe_report_at + 384; ++i) {
      Bytes q = good;
      q[i] ^= 0x80;
      EXPECT_THAT(verify_dcap_quote_detailed(q, spec.tee, o), HasCode(ErrorCode::kIntelQeReportBadSignature)) << i;
    }
    for (std::size_t i = l.auth_at; i < l.auth_at + spec.auth_data.size(); ++i) {
      Bytes q = good;
      q[i] ^= 0x01;
      EXPECT_THAT(verify_dcap_quote_detailed(q, spec.tee, o), HasCode(ErrorCode::kIntelQeReportDataMismatch)) << i;
    }
    // The attestation key and the two signatures.
    for (std::size_t i = l.sig_len_at + 4; i < l.sig_len_at + 4 + 128; ++i) {
      Bytes q = good;
      q[i] ^= 0x01;
      EXPECT_FALSE(verify_dcap_quote_detailed(q, spec.tee, o).has_value()) << i;
    }
    EXPECT_EQ(cache.size(), 1u);
  }
}

TEST_F(DcapSynthetic, QeBindingNeedsZeroTail) {
  // A QE report whose REPORTDATA tail is not zero, correctly signed.
  QuoteLayout l;
  Bytes q = build_quote(pki(), {}, &l);
  Bytes qe(q.begin() + static_cast<std::ptrdiff_t>(l.qe_report_at),
           q.begin() + static_cast<std::ptrdiff_t>(l.qe_report_at + 384));
  qe[383] = 1;
  const auto sig = sign_p1363(pki().pck_key.get(), qe);
  std::copy(qe.begin(), qe.end(), q.begin() + static_cast<std::ptrdiff_t>(l.qe_report_at));
  std::copy(sig.begin(), sig.end(), q.begin() + static_cast<std::ptrdiff_t>(l.qe_report_at + 384));
  EXPECT_THAT(verify_tdx_evidence(q, opts()), HasCode(ErrorCode::kIntelQeReportDataMismatch));
}

TEST_F(DcapSynthetic, TruncationAtEveryOffsetFails) {
  for (const QuoteSpec& spec : {QuoteSpec{}, sgx_spec()}) {
    QuoteLayout l;
    const Bytes good = build_quote(pki(), spec, &l);
    for (std::size_t n = 0; n < l.end; ++n)
      EXPECT_THAT(parse_dcap_quote(ByteView(good).first(n)), HasCode(ErrorCode::kIntelQuoteTruncated)) << n;
    // Trailing bytes after the signature data are ignored.
    Bytes padded = good;
    padded.resize(good.size() + 100, 0);
    padded.back() = 'x';
    EXPECT_OK(verify_dcap_quote_detailed(padded, spec.tee, opts()));
  }
}

void put_u32(Bytes& q, std::size_t at, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) q[at + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(v >> (8 * i));
}
std::uint32_t get_u32(const Bytes& q, std::size_t at) {
  return static_cast<std::uint32_t>(q[at]) | static_cast<std::uint32_t>(q[at + 1]) << 8 |
         static_cast<std::uint32_t>(q[at + 2]) << 16 | static_cast<std::uint32_t>(q[at + 3]) << 24;
}

TEST_F(DcapSynthetic, LengthFieldsPointingOutsideTheirBuffer) {
  for (const QuoteSpec& spec : {QuoteSpec{}, sgx_spec()}) {
    QuoteLayout l;
    const Bytes good = build_quote(pki(), spec, &l);
    std::vector<std::size_t> u32_fields = {l.sig_len_at, l.cert5_size_at};
    if (spec.tee == DcapTee::kTdx) u32_fields.push_back(l.cert6_size_at);
    for (std::size_t at : u32_fields) {
      for (std::uint32_t v : {get_u32(good, at) + 1, 0xFFFFFFFFu, 0x80000000u}) {
        Bytes q = good;
        put_u32(q, at, v);
        EXPECT_THAT(parse_dcap_quote(q), HasCode(ErrorCode::kIntelQuoteTruncated)) << at << " " << v;
      }
      // Shorter than its content: the parts do not add up.
      Bytes q = good;
      put_u32(q, at, get_u32(good, at) - 1);
      EXPECT_FALSE(parse_dcap_quote(q).has_value()) << at;
    }
    // QE authentication data size (u16).
    auto with_auth_size = [&](std::uint16_t v) {
      Bytes q = good;
      q[l.auth_size_at] = static_cast<std::uint8_t>(v);
      q[l.auth_size_at + 1] = static_cast<std::uint8_t>(v >> 8);
      return q;
    };
    EXPECT_THAT(parse_dcap_quote(with_auth_size(0xFFFF)), HasCode(ErrorCode::kIntelQuoteTruncated));
    // Inside the buffer but eating the next parts: they no longer add up.
    for (std::uint16_t v : {std::uint16_t(spec.auth_data.size() + 1), std::uint16_t(spec.auth_data.size() - 1)})
      EXPECT_FALSE(parse_dcap_quote(with_auth_size(v)).has_value()) << v;
  }
}

TEST_F(DcapSynthetic, UnsupportedAndMalformedHeaders) {
  const Bytes good = build_quote(pki(), {});
  auto with = [&](std::size_t at, std::uint8_t v) {
    Bytes q = good;
    q[at] = v;
    return q;
  };
  EXPECT_THAT(parse_dcap_quote(with(0, 6)), HasCode(ErrorCode::kIntelQuoteUnsupported));   // version 6
  EXPECT_THAT(parse_dcap_quote(with(0, 3)), HasCode(ErrorCode::kIntelQuoteUnsupported));   // v3 with TDX
  EXPECT_THAT(parse_dcap_quote(with(2, 3)), HasCode(ErrorCode::kIntelQuoteUnsupported));   // key type 3
  EXPECT_THAT(parse_dcap_quote(with(4, 0)), HasCode(ErrorCode::kIntelQuoteUnsupported));   // v4 with SGX
  QuoteSpec v5;
  v5.version = 5;
  const Bytes good5 = build_quote(pki(), v5);
  Bytes bad_type = good5;
  bad_type[48] = 1;  // SGX body type inside a TDX quote
  EXPECT_THAT(parse_dcap_quote(bad_type), HasCode(ErrorCode::kIntelQuoteUnsupported));
  Bytes bad_size = good5;
  bad_size[50] ^= 0x01;  // body size
  EXPECT_THAT(parse_dcap_quote(bad_size), HasCode(ErrorCode::kIntelQuoteUnsupported));
  // Certification data types.
  QuoteLayout l;
  Bytes q = build_quote(pki(), {}, &l);
  q[l.cert6_size_at - 2] = 5;
  EXPECT_THAT(parse_dcap_quote(q), HasCode(ErrorCode::kIntelQuoteMalformed));
  q = build_quote(pki(), {}, &l);
  q[l.cert5_size_at - 2] = 3;
  EXPECT_THAT(parse_dcap_quote(q), HasCode(ErrorCode::kIntelQuoteMalformed));
  // Oversized input.
  EXPECT_THAT(parse_dcap_quote(Bytes(kDcapMaxQuoteSize + 1, 0)), HasCode(ErrorCode::kIntelQuoteMalformed));
}

TEST_F(DcapSynthetic, PemChainShape) {
  EXPECT_THAT(split_pem_certificates(as_bytes("garbage")), HasCode(ErrorCode::kIntelQuoteMalformed));
  EXPECT_THAT(split_pem_certificates(as_bytes("-----BEGIN CERTIFICATE-----\nAAAA")),
              HasCode(ErrorCode::kIntelQuoteMalformed));
  EXPECT_THAT(split_pem_certificates(as_bytes("-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n")),
              HasCode(ErrorCode::kIntelQuoteMalformed));
  std::string chain = pki().pck_chain();
  Result<std::vector<Bytes>> ok = split_pem_certificates(to_bytes(chain + std::string(3, '\0')));
  ASSERT_OK(ok);
  EXPECT_EQ(ok->size(), 3u);
  EXPECT_THAT(split_pem_certificates(to_bytes(chain + "x")), HasCode(ErrorCode::kIntelQuoteMalformed));
}

TEST_F(DcapSynthetic, ChainChecks) {
  const Pki& p = pki();
  // Not pinned: no extra root.
  DcapOptions none;
  none.at = now();
  EXPECT_THAT(verify_tdx_evidence(build_quote(p, {}), none), HasCode(ErrorCode::kEvidenceRootNotPinned));
  // A different root with the same name.
  Pki other;
  QuoteSpec foreign;
  foreign.pem_chain = pem(p.pck) + pem(p.ca) + pem(other.root);
  EXPECT_THAT(verify_tdx_evidence(build_quote(p, foreign), opts()), HasCode(ErrorCode::kEvidenceRootNotPinned));
  // The PCK CA missing.
  QuoteSpec two;
  two.pem_chain = pem(p.pck) + pem(p.root);
  EXPECT_THAT(verify_tdx_evidence(build_quote(p, two), opts()), HasCode(ErrorCode::kEvidenceChainInvalid));
  // Leaf only.
  QuoteSpec leaf;
  leaf.pem_chain = pem(p.pck);
  EXPECT_THAT(verify_tdx_evidence(build_quote(p, leaf), opts()), HasCode(ErrorCode::kEvidenceRootNotPinned));
  // Out of order.
  QuoteSpec swapped;
  swapped.pem_chain = pem(p.ca) + pem(p.pck) + pem(p.root);
  EXPECT_THAT(verify_tdx_evidence(build_quote(p, swapped), opts()), HasCode(ErrorCode::kEvidenceChainInvalid));
  // A PCK signed by another CA key under the same names.
  QuoteSpec forged;
  forged.pem_chain = pem(other.pck) + pem(p.ca) + pem(p.root);
  EXPECT_THAT(verify_tdx_evidence(build_quote(p, forged), opts()), HasCode(ErrorCode::kEvidenceChainInvalid));
}

TEST_F(DcapSynthetic, PckValidity) {
  Pki p;
  p.rebuild(kNow - 2 * 365 * kDay, kNow - kDay);
  EXPECT_THAT(verify_tdx_evidence(build_quote(p, {}), options(p)), HasCode(ErrorCode::kEvidenceCertExpired));
  p.rebuild(kNow + kDay, kNow + 365 * kDay);
  EXPECT_THAT(verify_tdx_evidence(build_quote(p, {}), options(p)), HasCode(ErrorCode::kEvidenceCertNotYetValid));
}

TEST_F(DcapSynthetic, PckExtensionMalformed) {
  Pki p;
  p.pck_tcb.with_fmspc = false;
  p.rebuild();
  EXPECT_THAT(verify_tdx_evidence(build_quote(p, {}), options(p)),
              HasCode(ErrorCode::kEvidenceCertExtensionMalformed));
}

TEST_F(DcapSynthetic, PckExtensionsParsed) {
  Result<X509Cert> pck = X509Cert::parse_der(pki().pck);
  ASSERT_OK(pck);
  Result<PckExtensions> e = parse_pck_extensions(*pck);
  ASSERT_OK(e);
  EXPECT_EQ(e->sgx_components, pki().pck_tcb.sgx);
  EXPECT_EQ(e->pce_svn, 11u);
  EXPECT_EQ(e->fmspc, pki().pck_tcb.fmspc);
  EXPECT_TRUE(e->ppid.has_value());
  // A certificate without the extension.
  Result<X509Cert> ca = X509Cert::parse_der(pki().ca);
  ASSERT_OK(ca);
  EXPECT_THAT(parse_pck_extensions(*ca), HasCode(ErrorCode::kEvidenceCertExtensionMalformed));
}

TEST_F(DcapSynthetic, CollateralRequiredButAbsent) {
  DcapOptions o = opts();
  o.require_collateral = true;
  EXPECT_THAT(verify_tdx_evidence(build_quote(pki(), {}), o), HasCode(ErrorCode::kIntelCollateralMissing));
}

TEST_F(DcapSynthetic, CollateralFromMap) {
  std::map<std::string, Bytes> m = {{"tcb_info", {1}}, {"qe_identity", {1}}};
  Result<DcapCollateral> c = dcap_collateral_from_map(m);
  ASSERT_THAT(c, HasCode(ErrorCode::kIntelCollateralMissing));
  EXPECT_NE(c.error().message.find("pck_crl"), std::string::npos);
  m = {{"tcb_info", {1}}, {"tcb_info_issuer_chain", {1}}, {"qe_identity", {1}}, {"qe_identity_issuer_chain", {1}},
       {"pck_crl", {1}},  {"root_ca_crl", {1}}};
  EXPECT_OK(dcap_collateral_from_map(m));
  m["amd_crl"] = {1};
  EXPECT_THAT(dcap_collateral_from_map(m), HasCode(ErrorCode::kEvidenceUnexpectedMaterial));
}

TEST_F(DcapSynthetic, TamperedCollateralByte) {
  const Bytes q = build_quote(pki(), {});
  DcapOptions o = with_collateral({});
  const std::string text = to_string(o.collateral->tcb_info);
  // Every byte of the signed tcbInfo value: a flip must never verify.
  const std::size_t start = text.find('{', 1), end = text.rfind(",\"signature\"");
  for (std::size_t i = start; i < end; i += 7) {
    DcapOptions t = o;
    t.collateral->tcb_info[i] ^= 0x01;
    Result<Claims> c = verify_tdx_evidence(q, t);
    ASSERT_FALSE(c.has_value()) << i;
    // Either the JSON no longer parses, or the signature fails.
    EXPECT_TRUE(c.error().code == ErrorCode::kIntelCollateralBadSignature ||
                c.error().code == ErrorCode::kIntelCollateralMalformed)
        << i << " " << c.error().message;
  }
  DcapOptions t = o;
  const std::size_t at = text.find("UpToDate");
  t.collateral->tcb_info[at] = 'u';
  EXPECT_THAT(verify_tdx_evidence(q, t), HasCode(ErrorCode::kIntelCollateralBadSignature));
  t = o;
  t.collateral->qe_identity[to_string(t.collateral->qe_identity).find("UpToDate")] = 'u';
  EXPECT_THAT(verify_tdx_evidence(q, t), HasCode(ErrorCode::kIntelCollateralBadSignature));
  // Re-serialized (whitespace added) but the same content.
  t = o;
  std::string spaced = text;
  spaced.insert(text.find("\"version\""), " ");
  t.collateral->tcb_info = to_bytes(spaced);
  EXPECT_THAT(verify_tdx_evidence(q, t), HasCode(ErrorCode::kIntelCollateralBadSignature));
  // Whitespace outside the signed value is fine.
  t = o;
  t.collateral->tcb_info = to_bytes(" {\"tcbInfo\" : " + text.substr(start, end - start) + " , " +
                                    text.substr(end + 1) + "\n");
  EXPECT_OK(verify_tdx_evidence(q, t));
  // Signed by another key.
  Pki other;
  t = o;
  t.collateral->tcb_info = signed_body(other.tcb_key.get(), "tcbInfo", tcb_info_json({}));
  EXPECT_THAT(verify_tdx_evidence(q, t), HasCode(ErrorCode::kIntelCollateralBadSignature));
  // A TCB signing chain not ending in the pinned root.
  t = o;
  t.collateral->tcb_info_issuer_chain = to_bytes(other.tcb_chain());
  EXPECT_THAT(verify_tdx_evidence(q, t), HasCode(ErrorCode::kEvidenceRootNotPinned));
  // A PCK CA posing as the TCB signer.
  t = o;
  t.collateral->tcb_info_issuer_chain = to_bytes(pem(pki().ca) + pem(pki().root));
  EXPECT_THAT(verify_tdx_evidence(q, t), HasCode(ErrorCode::kEvidenceChainInvalid));
}

TEST_F(DcapSynthetic, SignedBodySplitting) {
  EXPECT_THAT(split_signed_body(as_bytes("{\"tcbInfo\":{}}"), "tcbInfo"), HasCode(ErrorCode::kIntelCollateralMalformed));
  EXPECT_THAT(split_signed_body(as_bytes("{\"signature\":\"00\"}"), "tcbInfo"),
              HasCode(ErrorCode::kIntelCollateralMalformed));
  EXPECT_THAT(split_signed_body(as_bytes("[1]"), "tcbInfo"), HasCode(ErrorCode::kIntelCollateralMalformed));
  const std::string sig(128, 'a');
  Result<SignedBody> b = split_signed_body(
      to_bytes("{\"x\":\"}\\\"{\",\"signature\":\"" + sig + "\", \"tcbInfo\" :\t{\"a\":[1,{\"b\":\"]\"}]} }"),
      "tcbInfo");
  ASSERT_OK(b);
  EXPECT_EQ(to_string(b->signed_bytes), "{\"a\":[1,{\"b\":\"]\"}]}");
  EXPECT_EQ(b->signature[0], 0xaa);
}

TEST_F(DcapSynthetic, CollateralNotCurrent) {
  const Bytes q = build_quote(pki(), {});
  CollateralSpec stale;
  stale.next = "2025-06-14T00:00:00Z";
  EXPECT_THAT(verify_tdx_evidence(q, with_collateral(stale)), HasCode(ErrorCode::kIntelCollateralNotCurrent));
  CollateralSpec future;
  future.issue = "2025-06-16T00:00:00Z";
  EXPECT_THAT(verify_tdx_evidence(q, with_collateral(future)), HasCode(ErrorCode::kIntelCollateralNotCurrent));
  CollateralSpec crl;
  crl.crl_next = kNow - 1;
  EXPECT_THAT(verify_tdx_evidence(q, with_collateral(crl)), HasCode(ErrorCode::kIntelCollateralNotCurrent));
  // The same collateral verified later than its nextUpdate.
  DcapOptions o = with_collateral({});
  o.at = Timestamp{kNow + 40 * kDay, 0};
  EXPECT_THAT(verify_tdx_evidence(q, o), HasCode(ErrorCode::kIntelCollateralNotCurrent));
}

TEST_F(DcapSynthetic, Revocation) {
  const Bytes q = build_quote(pki(), {});
  CollateralSpec pck;
  pck.pck_crl_revoked = {99, kPckSerial};
  EXPECT_THAT(verify_tdx_evidence(q, with_collateral(pck)), HasCode(ErrorCode::kIntelCertRevoked));
  CollateralSpec ca;
  ca.root_crl_revoked = {kCaSerial};
  EXPECT_THAT(verify_tdx_evidence(q, with_collateral(ca)), HasCode(ErrorCode::kIntelCertRevoked));
  CollateralSpec signer;
  signer.root_crl_revoked = {kTcbSignerSerial};
  EXPECT_THAT(verify_tdx_evidence(q, with_collateral(signer)), HasCode(ErrorCode::kIntelCertRevoked));
  CollateralSpec other;
  other.pck_crl_revoked = {99};
  other.root_crl_revoked = {98};
  EXPECT_OK(verify_tdx_evidence(q, with_collateral(other)));
  // CRLs by the wrong issuer or with a bad signature.
  DcapOptions o = with_collateral({});
  o.collateral->pck_crl = make_crl("Intel SGX PCK Processor CA", pki().ca_key.get(), {});
  EXPECT_THAT(verify_tdx_evidence(q, o), HasCode(ErrorCode::kIntelCollateralMismatch));
  o = with_collateral({});
  o.collateral->pck_crl = make_crl("Intel SGX PCK Platform CA", pki().root_key.get(), {});
  EXPECT_THAT(verify_tdx_evidence(q, o), HasCode(ErrorCode::kIntelCollateralBadSignature));
  o = with_collateral({});
  o.collateral->root_ca_crl = Bytes{0x30, 0x03, 0x02, 0x01, 0x00};
  EXPECT_THAT(verify_tdx_evidence(q, o), HasCode(ErrorCode::kIntelCollateralMalformed));
  // PEM and hex forms of the same CRL are accepted.
  o = with_collateral({});
  Bytes der = o.collateral->pck_crl;
  o.collateral->pck_crl = to_bytes(hex_encode(der));
  EXPECT_OK(verify_tdx_evidence(q, o));
  std::string b64 = base64_encode(der);
  o.collateral->pck_crl = to_bytes("-----BEGIN X509 CRL-----\n" + b64 + "\n-----END X509 CRL-----\n");
  EXPECT_OK(verify_tdx_evidence(q, o));
}

TEST_F(DcapSynthetic, PlatformMismatch) {
  const Bytes q = build_quote(pki(), {});
  CollateralSpec fmspc;
  fmspc.fmspc = "00606A000000";
  EXPECT_THAT(verify_tdx_evidence(q, with_collateral(fmspc)), HasCode(ErrorCode::kIntelCollateralMismatch));
  EXPECT_THAT(verify_tdx_evidence(q, with_collateral(sgx_collateral())),
              HasCode(ErrorCode::kIntelCollateralMismatch));
  CollateralSpec qe_id;
  qe_id.qe_id = "QE";
  EXPECT_THAT(verify_tdx_evidence(q, with_collateral(qe_id)), HasCode(ErrorCode::kIntelCollateralMismatch));
}

TEST_F(DcapSynthetic, QeIdentityMismatch) {
  QuoteSpec wrong_prod;
  wrong_prod.qe_prod_id = 1;
  EXPECT_THAT(verify_tdx_evidence(build_quote(pki(), wrong_prod), with_collateral({})),
              HasCode(ErrorCode::kIntelQeIdentityMismatch));
  // A QE older than every QE identity level.
  QuoteSpec old_qe;
  old_qe.qe_isv_svn = 3;
  EXPECT_THAT(verify_tdx_evidence(build_quote(pki(), old_qe), with_collateral({})),
              HasCode(ErrorCode::kIntelTcbNotSupported));
}

TEST_F(DcapSynthetic, TdxModule) {
  const Bytes q = build_quote(pki(), {});
  CollateralSpec signer;
  signer.module_mrsigner = std::string(95, '0') + "1";
  EXPECT_THAT(verify_tdx_evidence(q, with_collateral(signer)), HasCode(ErrorCode::kIntelTdxModuleMismatch));
  QuoteSpec major2;
  major2.tee_tcb_svn = {6, 2, 3};
  EXPECT_THAT(verify_tdx_evidence(build_quote(pki(), major2), with_collateral({})),
              HasCode(ErrorCode::kIntelTdxModuleMismatch));
  CollateralSpec newer;
  newer.module_isvsvn = 7;  // the module's SVN 6 is below every module level
  EXPECT_THAT(verify_tdx_evidence(q, with_collateral(newer)), HasCode(ErrorCode::kIntelTcbNotSupported));
  CollateralSpec ood;
  ood.module_status = "OutOfDate";
  Result<Claims> c = verify_tdx_evidence(q, with_collateral(ood));
  ASSERT_OK(c);
  EXPECT_EQ(c->tcb_status, std::optional<std::string>("OutOfDate"));
}

TEST_F(DcapSynthetic, TcbLevelMatching) {
  const Bytes q = build_quote(pki(), {});
  // First matching level in order; advisories of the matched levels.
  CollateralSpec c;
  TcbLevelSpec high;
  high.sgx[7] = 6;  // above the PCK's component 8 (5)
  high.status = "UpToDate";
  TcbLevelSpec mid;
  mid.status = "SWHardeningNeeded";
  mid.advisories = {"INTEL-SA-00615"};
  TcbLevelSpec low;
  low.pce_svn = 5;
  low.status = "OutOfDate";
  c.levels = {high, mid, low};
  Result<VerifiedDcap> v = verify_dcap_quote_detailed(q, DcapTee::kTdx, with_collateral(c));
  ASSERT_OK(v);
  EXPECT_EQ(v->claims.tcb_status, std::optional<std::string>("SWHardeningNeeded"));
  EXPECT_EQ(v->claims.advisory_ids, std::vector<std::string>{"INTEL-SA-00615"});
  const Json j = claims_to_json(v->claims);
  EXPECT_EQ(j.at("tcb_status"), "SWHardeningNeeded");
  EXPECT_EQ(j.at("advisory_ids"), Json::array({"INTEL-SA-00615"}));
  EXPECT_EQ(v->tcb->platform, DcapTcbStatus::kSwHardeningNeeded);
  EXPECT_EQ(v->tcb->qe, DcapTcbStatus::kUpToDate);
  EXPECT_EQ(v->tcb->tdx_module, DcapTcbStatus::kUpToDate);
  // PCESVN above the PCK's skips a level; TDX components above TEE_TCB_SVN too.
  TcbLevelSpec pce;
  pce.pce_svn = 12;
  TcbLevelSpec tdx;
  tdx.tdx[2] = 4;
  c.levels = {pce, tdx, low};
  v = verify_dcap_quote_detailed(q, DcapTee::kTdx, with_collateral(c));
  ASSERT_OK(v);
  EXPECT_EQ(v->claims.tcb_status, std::optional<std::string>("OutOfDate"));
  // No level: TCB level not supported.
  c.levels = {high};
  EXPECT_THAT(verify_tdx_evidence(q, with_collateral(c)), HasCode(ErrorCode::kIntelTcbNotSupported));
  // Revoked.
  TcbLevelSpec revoked;
  revoked.status = "Revoked";
  c.levels = {revoked};
  EXPECT_THAT(verify_tdx_evidence(q, with_collateral(c)), HasCode(ErrorCode::kIntelTcbRevoked));
  // An unknown status is malformed collateral.
  TcbLevelSpec unknown;
  unknown.status = "Fine";
  c.levels = {unknown};
  EXPECT_THAT(verify_tdx_evidence(q, with_collateral(c)), HasCode(ErrorCode::kIntelCollateralMalformed));
  // SGX: the same rule without TDX components.
  CollateralSpec s = sgx_collateral();
  TcbLevelSpec sgx_mid = mid;
  sgx_mid.status = "ConfigurationNeeded";
  s.levels = {high, sgx_mid};
  Result<Claims> sc = verify_sgx_evidence(build_quote(pki(), sgx_spec()), with_collateral(s));
  ASSERT_OK(sc);
  EXPECT_EQ(sc->tcb_status, std::optional<std::string>("ConfigurationNeeded"));
}

TEST(DcapTcbStatus, Combination) {
  using S = DcapTcbStatus;
  EXPECT_EQ(combine_tcb_status(S::kUpToDate, S::kUpToDate), S::kUpToDate);
  EXPECT_EQ(combine_tcb_status(S::kUpToDate, S::kSwHardeningNeeded), S::kSwHardeningNeeded);
  EXPECT_EQ(combine_tcb_status(S::kOutOfDate, S::kConfigurationNeeded), S::kOutOfDateConfigurationNeeded);
  EXPECT_EQ(combine_tcb_status(S::kConfigurationAndSwHardeningNeeded, S::kOutOfDate),
            S::kOutOfDateConfigurationNeeded);
  EXPECT_EQ(combine_tcb_status(S::kRevoked, S::kUpToDate), S::kRevoked);
  for (S s : {S::kUpToDate, S::kSwHardeningNeeded, S::kConfigurationNeeded, S::kConfigurationAndSwHardeningNeeded,
              S::kOutOfDate, S::kOutOfDateConfigurationNeeded, S::kRevoked, S::kTcbNotSupported})
    EXPECT_EQ(parse_dcap_tcb_status(to_string(s)), s);
  EXPECT_FALSE(parse_dcap_tcb_status("uptodate"));
}

TEST(DcapCollateralParse, TcbInfoV2AndErrors) {
  std::string v2 = "{\"version\":2,\"issueDate\":\"2025-06-10T00:00:00Z\",\"nextUpdate\":\"2025-07-10T00:00:00Z\","
                   "\"fmspc\":\"00A067110000\",\"pceId\":\"0000\",\"tcbLevels\":[{\"tcb\":{";
  for (int i = 1; i <= 16; ++i) v2 += "\"sgxtcbcomp" + std::string(i < 10 ? "0" : "") + std::to_string(i) + "svn\":1,";
  v2 += "\"pcesvn\":9},\"tcbStatus\":\"UpToDate\"}]}";
  Result<TcbInfo> t = parse_tcb_info(to_bytes(v2));
  ASSERT_OK(t);
  EXPECT_EQ(t->id, "SGX");
  EXPECT_EQ(t->levels.size(), 1u);
  EXPECT_EQ(t->levels[0].pce_svn, 9u);
  for (const char* bad : {"{}", "[]", "{\"version\":4}", "{\"version\":3,\"id\":\"XYZ\"}", "nope"})
    EXPECT_THAT(parse_tcb_info(as_bytes(bad)), HasCode(ErrorCode::kIntelCollateralMalformed)) << bad;
  std::string short_list = tcb_info_json({});
  short_list.replace(short_list.find("{\"svn\":3},"), 10, "");
  EXPECT_THAT(parse_tcb_info(to_bytes(short_list)), HasCode(ErrorCode::kIntelCollateralMalformed));
  EXPECT_THAT(parse_qe_identity(as_bytes("{\"version\":1}")), HasCode(ErrorCode::kIntelCollateralMalformed));
  EXPECT_OK(parse_qe_identity(to_bytes(qe_identity_json({}))));
}

TEST_F(DcapSynthetic, ThroughVerifyEvidence) {
  // Synthetic roots cannot be injected through verify_evidence.
  Evidence e;
  e.format = EvidenceFormat::kTdxQuote;
  e.data = build_quote(pki(), {});
  EvidenceOptions o;
  o.at = now();
  EXPECT_THAT(verify_evidence(e, o), HasCode(ErrorCode::kEvidenceRootNotPinned));
}

// Property: any single-byte change inside the signed header || body never
// verifies, and the parser survives arbitrary bytes.
RC_GTEST_PROP(DcapProperty, SignedRegionFlipNeverVerifies, (std::uint16_t pos, std::uint8_t mask)) {
  static Pki p;
  static const Bytes good = build_quote(p, {});
  RC_PRE(mask != 0);
  Bytes q = good;
  q[pos % 632] ^= mask;
  DcapOptions o = options(p);
  RC_ASSERT(!verify_dcap_quote_detailed(q, DcapTee::kTdx, o).has_value());
}

RC_GTEST_PROP(DcapProperty, ParserNeverCrashes, (std::vector<std::uint8_t> prefix_edit)) {
  static Pki p;
  static const Bytes good = build_quote(p, {});
  Bytes q = good;
  for (std::size_t i = 0; i < prefix_edit.size() && i < q.size(); ++i) q[(i * 37) % q.size()] = prefix_edit[i];
  (void)parse_dcap_quote(q);
  (void)parse_dcap_quote(prefix_edit);
  RC_SUCCEED();
}

}  // namespace
}  // namespace verun::proofs
