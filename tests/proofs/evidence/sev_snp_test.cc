// sev-snp-report without the shared corpus: synthetic reports signed by a
// synthetic 3-level chain (RSASSA-PSS ARK -> ASK -> P-384 VCEK/VLEK) made here
// with OpenSSL, trusted only through SevSnpOptions::extra_roots. A negative
// test for every check of sev_snp_report.h and sev_snp.h.
#include "verun/proofs/evidence/sev_snp.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "tests/support/matchers.h"
#include "verun/proofs/evidence/evidence.h"
#include "verun/proofs/sha2.h"

namespace verun::proofs {
namespace {

using ::verun::testing::HasCode;

struct PkeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;

constexpr std::int64_t kNow = 1'750'000'000;   // 2025-06-15
constexpr std::int64_t kDay = 86'400;

enum class SignWith { kPss, kPkcs1, kEcdsa };

struct CertSpec {
  std::string cn;
  std::string issuer_cn;
  EVP_PKEY* subject_key = nullptr;
  EVP_PKEY* issuer_key = nullptr;
  bool ca = false;
  std::int64_t not_before = kNow - 365 * kDay;
  std::int64_t not_after = kNow + 365 * kDay;
  SignWith sign = SignWith::kPss;
  std::map<std::string, Bytes> extensions;  // OID -> extnValue contents
};

Bytes der_uint(std::uint8_t v) {
  if (v >= 0x80) return {0x02, 0x02, 0x00, v};
  return {0x02, 0x01, v};
}

X509_NAME* name_of(const std::string& cn) {
  X509_NAME* n = X509_NAME_new();
  X509_NAME_add_entry_by_txt(n, "O", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("Advanced Micro Devices"),
                             -1, -1, 0);
  X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0);
  return n;
}

Bytes make_cert(const CertSpec& s) {
  X509* x = X509_new();
  X509_set_version(x, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(x), 0);
  X509_NAME* subject = name_of(s.cn);
  X509_NAME* issuer = name_of(s.issuer_cn);
  X509_set_subject_name(x, subject);
  X509_set_issuer_name(x, issuer);
  X509_NAME_free(subject);
  X509_NAME_free(issuer);
  ASN1_TIME_set(X509_getm_notBefore(x), static_cast<time_t>(s.not_before));
  ASN1_TIME_set(X509_getm_notAfter(x), static_cast<time_t>(s.not_after));
  X509_set_pubkey(x, s.subject_key);
  if (s.ca) {
    X509_EXTENSION* bc = X509V3_EXT_conf_nid(nullptr, nullptr, NID_basic_constraints, "critical,CA:TRUE");
    X509_add_ext(x, bc, -1);
    X509_EXTENSION_free(bc);
  }
  for (const auto& [oid, value] : s.extensions) {
    ASN1_OBJECT* obj = OBJ_txt2obj(oid.c_str(), 1);
    ASN1_OCTET_STRING* os = ASN1_OCTET_STRING_new();
    ASN1_OCTET_STRING_set(os, value.data(), static_cast<int>(value.size()));
    X509_EXTENSION* ext = X509_EXTENSION_create_by_OBJ(nullptr, obj, 0, os);
    X509_add_ext(x, ext, -1);
    X509_EXTENSION_free(ext);
    ASN1_OCTET_STRING_free(os);
    ASN1_OBJECT_free(obj);
  }
  EVP_MD_CTX* md = EVP_MD_CTX_new();
  EVP_PKEY_CTX* pctx = nullptr;
  EVP_DigestSignInit(md, &pctx, EVP_sha384(), nullptr, s.issuer_key);
  if (s.sign == SignWith::kPss) {
    EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING);
    EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, 48);
    EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, EVP_sha384());
  }
  EXPECT_GT(X509_sign_ctx(x, md), 0);
  EVP_MD_CTX_free(md);
  unsigned char* der = nullptr;
  int len = i2d_X509(x, &der);
  Bytes out(der, der + len);
  OPENSSL_free(der);
  X509_free(x);
  return out;
}

void put32(Bytes& r, std::size_t off, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) r[off + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(v >> (8 * i));
}
void put64(Bytes& r, std::size_t off, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) r[off + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(v >> (8 * i));
}

// Writes R and S of an ECDSA P-384 signature over report[0, 0x2A0) little
// endian into their 72-byte fields.
void sign_report(Bytes& report, EVP_PKEY* key) {
  EVP_MD_CTX* md = EVP_MD_CTX_new();
  EVP_DigestSignInit(md, nullptr, EVP_sha384(), nullptr, key);
  std::size_t len = 0;
  EVP_DigestSign(md, nullptr, &len, report.data(), kSnpSignedSize);
  Bytes der(len);
  EVP_DigestSign(md, der.data(), &len, report.data(), kSnpSignedSize);
  EVP_MD_CTX_free(md);
  const unsigned char* p = der.data();
  ECDSA_SIG* sig = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(len));
  const BIGNUM* r = nullptr;
  const BIGNUM* s = nullptr;
  ECDSA_SIG_get0(sig, &r, &s);
  std::fill(report.begin() + kSnpSignedSize, report.end(), 0);
  BN_bn2lebinpad(r, report.data() + 0x2A0, 72);
  BN_bn2lebinpad(s, report.data() + 0x2E8, 72);
  ECDSA_SIG_free(sig);
}

struct ReportSpec {
  std::uint32_t version = 3;
  std::uint64_t policy = 0x30000;  // SMT allowed, reserved bit 17, no debug
  std::uint32_t signing_key = 0;   // VCEK
  bool mask_chip_key = false;
  std::uint64_t reported_tcb = 0;
  std::uint8_t fam = 0x19, mod = 0x01;  // Milan
  Hash64 chip_id{};
};

// The TCB both the report and the VCEK extensions use.
constexpr std::uint8_t kBl = 3, kTee = 0, kSnp = 8, kUcode = 115, kFmc = 2;
std::uint64_t milan_tcb() {
  return static_cast<std::uint64_t>(kBl) | static_cast<std::uint64_t>(kTee) << 8 |
         static_cast<std::uint64_t>(kSnp) << 48 | static_cast<std::uint64_t>(kUcode) << 56;
}
std::uint64_t turin_tcb() {
  return static_cast<std::uint64_t>(kFmc) | static_cast<std::uint64_t>(kBl) << 8 |
         static_cast<std::uint64_t>(kTee) << 16 | static_cast<std::uint64_t>(kSnp) << 24 |
         static_cast<std::uint64_t>(kUcode) << 56;
}

Bytes unsigned_report(const ReportSpec& s) {
  Bytes r(kSnpReportSize, 0);
  put32(r, 0x00, s.version);
  put32(r, 0x04, 7);  // guest SVN
  put64(r, 0x08, s.policy);
  put32(r, 0x30, 1);  // VMPL
  put32(r, 0x34, 1);  // ECDSA P-384 with SHA-384
  put64(r, 0x38, s.reported_tcb);
  put64(r, 0x40, 0x3);
  put32(r, 0x48, (s.signing_key << 2) | (s.mask_chip_key ? 2u : 0u));
  for (std::size_t i = 0; i < 64; ++i) r[0x50 + i] = static_cast<std::uint8_t>(i + 1);      // REPORT_DATA
  for (std::size_t i = 0; i < 48; ++i) r[0x90 + i] = static_cast<std::uint8_t>(0xA0 + i);   // MEASUREMENT
  for (std::size_t i = 0; i < 32; ++i) r[0xC0 + i] = static_cast<std::uint8_t>(0x10 + i);   // HOST_DATA
  put64(r, 0x180, s.reported_tcb);
  if (s.version >= 3) {
    r[0x188] = s.fam;
    r[0x189] = s.mod;
    r[0x18A] = 1;
  }
  std::copy(s.chip_id.begin(), s.chip_id.end(), r.begin() + 0x1A0);
  put64(r, 0x1E0, s.reported_tcb);
  r[0x1E8] = 21; r[0x1E9] = 55; r[0x1EA] = 1;
  r[0x1EC] = 21; r[0x1ED] = 55; r[0x1EE] = 1;
  put64(r, 0x1F0, s.reported_tcb);
  if (s.version >= 5) {
    put64(r, 0x1F8, 0x5);
    put64(r, 0x200, 0x7);
  }
  return r;
}

Hash64 sample_chip_id(std::size_t significant) {
  Hash64 id{};
  for (std::size_t i = 0; i < significant; ++i) id[i] = static_cast<std::uint8_t>(0xC0 + i);
  return id;
}

std::map<std::string, Bytes> vcek_extensions(bool turin, const Hash64& chip_id, bool with_hwid = true) {
  std::map<std::string, Bytes> e;
  e["1.3.6.1.4.1.3704.1.1"] = der_uint(1);
  std::string product = turin ? "Turin" : "Milan-B0";
  Bytes pn = {0x16, static_cast<std::uint8_t>(product.size())};
  append(pn, product);
  e["1.3.6.1.4.1.3704.1.2"] = pn;
  e["1.3.6.1.4.1.3704.1.3.1"] = der_uint(kBl);
  e["1.3.6.1.4.1.3704.1.3.2"] = der_uint(kTee);
  e["1.3.6.1.4.1.3704.1.3.3"] = der_uint(kSnp);
  e["1.3.6.1.4.1.3704.1.3.8"] = der_uint(kUcode);
  if (turin) e["1.3.6.1.4.1.3704.1.3.9"] = der_uint(kFmc);
  if (with_hwid) e["1.3.6.1.4.1.3704.1.4"] = Bytes(chip_id.begin(), chip_id.begin() + (turin ? 8 : 64));
  return e;
}

class SevSnpSynthetic : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ark_key_.reset(EVP_RSA_gen(2048));
    ask_key_.reset(EVP_RSA_gen(2048));
    vcek_key_.reset(EVP_EC_gen("P-384"));
    other_key_.reset(EVP_EC_gen("P-384"));
  }
  static void TearDownTestSuite() {
    ark_key_.reset();
    ask_key_.reset();
    vcek_key_.reset();
    other_key_.reset();
  }

  CertSpec ark_spec(const std::string& product = "Milan") const {
    CertSpec s;
    s.cn = s.issuer_cn = "ARK-" + product;
    s.subject_key = s.issuer_key = ark_key_.get();
    s.ca = true;
    s.not_before = kNow - 1000 * kDay;
    s.not_after = kNow + 9000 * kDay;
    return s;
  }
  CertSpec ask_spec(const std::string& product = "Milan", bool vlek = false) const {
    CertSpec s;
    s.cn = (vlek ? "SEV-VLEK-" : "SEV-") + product;
    s.issuer_cn = "ARK-" + product;
    s.subject_key = ask_key_.get();
    s.issuer_key = ark_key_.get();
    s.ca = true;
    s.not_before = kNow - 1000 * kDay;
    s.not_after = kNow + 9000 * kDay;
    return s;
  }
  CertSpec vcek_spec(const std::string& product = "Milan", bool vlek = false) const {
    CertSpec s;
    s.cn = vlek ? "SEV-VLEK" : "SEV-VCEK";
    s.issuer_cn = (vlek ? "SEV-VLEK-" : "SEV-") + product;
    s.subject_key = vcek_key_.get();
    s.issuer_key = ask_key_.get();
    const bool turin = product == "Turin";
    s.extensions = vcek_extensions(turin, sample_chip_id(turin ? 8 : 64), !vlek);
    return s;
  }

  SevSnpOptions options_for(const Bytes& ark, SnpProduct product = SnpProduct::kMilan) const {
    SevSnpOptions o;
    o.at = Timestamp{kNow, 0};
    o.extra_roots.push_back({sha256(ark), product});
    return o;
  }

  ReportSpec milan_spec() const {
    ReportSpec r;
    r.reported_tcb = milan_tcb();
    r.chip_id = sample_chip_id(64);
    return r;
  }
  Bytes signed_report(const ReportSpec& spec, EVP_PKEY* key = nullptr) const {
    Bytes r = unsigned_report(spec);
    sign_report(r, key ? key : vcek_key_.get());
    return r;
  }

  // A complete valid Milan VCEK chain and report.
  void make_milan() {
    ark_ = make_cert(ark_spec());
    ask_ = make_cert(ask_spec());
    vcek_ = make_cert(vcek_spec());
    certs_ = {vcek_, ask_, ark_};
    report_ = signed_report(milan_spec());
  }

  static PkeyPtr ark_key_, ask_key_, vcek_key_, other_key_;
  Bytes ark_, ask_, vcek_, report_;
  std::vector<Bytes> certs_;
};

PkeyPtr SevSnpSynthetic::ark_key_, SevSnpSynthetic::ask_key_, SevSnpSynthetic::vcek_key_,
    SevSnpSynthetic::other_key_;

TEST_F(SevSnpSynthetic, ValidMilanChainVerifiesWithClaims) {
  make_milan();
  Result<VerifiedSevSnp> v = verify_sev_snp_evidence_detailed(report_, certs_, options_for(ark_));
  ASSERT_OK(v);
  EXPECT_EQ(v->product, SnpProduct::kMilan);
  const Claims& c = v->claims;
  EXPECT_EQ(c.format, "sev-snp-report");
  EXPECT_EQ(c.platform, Platform::kSevSnp);
  EXPECT_EQ(c.measurement, Bytes(report_.begin() + 0x90, report_.begin() + 0xC0));
  EXPECT_EQ(c.measurements.at("measurement"), c.measurement);
  EXPECT_EQ(c.measurements.at("host_data"), Bytes(report_.begin() + 0xC0, report_.begin() + 0xE0));
  EXPECT_FALSE(c.debug);
  EXPECT_EQ(c.tcb, (std::map<std::string, std::uint64_t>{{"bootloader", kBl}, {"tee", kTee}, {"snp", kSnp},
                                                          {"microcode", kUcode}}));
  EXPECT_EQ(c.tcb_raw, Bytes(report_.begin() + 0x180, report_.begin() + 0x188));
  EXPECT_EQ(c.report_data[0], 1);
  EXPECT_EQ(c.report_data[63], 64);
  EXPECT_EQ(c.instance_id, Bytes(report_.begin() + 0x1A0, report_.begin() + 0x1E0));
  EXPECT_EQ(c.chain_fingerprints, (std::vector<Hash32>{sha256(vcek_), sha256(ask_), sha256(ark_)}));
  EXPECT_EQ(v->report.guest_svn, 7u);
  EXPECT_EQ(v->report.vmpl, 1u);
  EXPECT_EQ(v->committed_tcb, v->reported_tcb);
  EXPECT_EQ(v->report.current_major, 1);
  EXPECT_EQ(v->report.current_minor, 55);
  EXPECT_EQ(v->report.current_build, 21);
}

TEST_F(SevSnpSynthetic, DebugGuestVerifiesAndSaysSo) {
  make_milan();
  ReportSpec spec = milan_spec();
  spec.policy |= kSnpPolicyDebug;
  Result<Claims> c = verify_sev_snp_evidence(signed_report(spec), certs_, options_for(ark_));
  ASSERT_OK(c);
  EXPECT_TRUE(c->debug);
}

TEST_F(SevSnpSynthetic, TestRootIsNotTrustedByDefault) {
  make_milan();
  SevSnpOptions o;
  o.at = Timestamp{kNow, 0};
  EXPECT_THAT(verify_sev_snp_evidence(report_, certs_, o), HasCode(ErrorCode::kEvidenceRootNotPinned));
  Evidence e;
  e.format = EvidenceFormat::kSevSnpReport;
  e.data = report_;
  e.certs = certs_;
  EXPECT_TRUE(evidence_format_supported(EvidenceFormat::kSevSnpReport));
  EXPECT_THAT(verify_evidence(e, EvidenceOptions{Timestamp{kNow, 0}}), HasCode(ErrorCode::kEvidenceRootNotPinned));
  e.collateral["tcb_info"] = Hash32{};
  EXPECT_THAT(verify_evidence(e), HasCode(ErrorCode::kEvidenceUnexpectedMaterial));
  e.collateral.clear();
  e.collateral["amd_crl"] = Hash32{};
  e.data.pop_back();
  EXPECT_THAT(verify_evidence(e), HasCode(ErrorCode::kEvidenceSnpBadLength));
}

TEST_F(SevSnpSynthetic, EverySignedByteFlipFails) {
  make_milan();
  const SevSnpOptions o = options_for(ark_);
  ASSERT_OK(verify_sev_snp_evidence(report_, certs_, o));
  std::size_t flips = 0;
  for (std::size_t i = 0; i < kSnpSignedSize; ++i) {
    Bytes bad = report_;
    bad[i] ^= 0x01;
    EXPECT_FALSE(verify_sev_snp_evidence(bad, certs_, o).has_value()) << "byte " << i;
    ++flips;
  }
  // And within R and S.
  for (std::size_t i = 0x2A0; i < 0x2A0 + 144; ++i) {
    Bytes bad = report_;
    bad[i] ^= 0x80;
    EXPECT_FALSE(verify_sev_snp_evidence(bad, certs_, o).has_value()) << "byte " << i;
    ++flips;
  }
  EXPECT_EQ(flips, kSnpSignedSize + 144);
}

TEST_F(SevSnpSynthetic, TruncationsAndExtensionsFailCleanly) {
  make_milan();
  for (std::size_t n = 0; n < report_.size(); ++n)
    EXPECT_THAT(parse_sev_snp_report(ByteView(report_).first(n)), HasCode(ErrorCode::kEvidenceSnpBadLength)) << n;
  Bytes longer = report_;
  longer.push_back(0);
  EXPECT_THAT(verify_sev_snp_evidence(longer, certs_, options_for(ark_)), HasCode(ErrorCode::kEvidenceSnpBadLength));
  // Truncated certificates.
  for (std::size_t n : {std::size_t{0}, std::size_t{1}, vcek_.size() / 2, vcek_.size() - 1}) {
    std::vector<Bytes> c = certs_;
    c[0].resize(n);
    EXPECT_THAT(verify_sev_snp_evidence(report_, c, options_for(ark_)), HasCode(ErrorCode::kX509Malformed)) << n;
  }
  std::vector<Bytes> trailing = certs_;
  trailing[1].push_back(0);
  EXPECT_THAT(verify_sev_snp_evidence(report_, trailing, options_for(ark_)), HasCode(ErrorCode::kX509Malformed));
}

TEST_F(SevSnpSynthetic, WrongSigningKeyFails) {
  make_milan();
  Bytes by_other = signed_report(milan_spec(), other_key_.get());
  EXPECT_THAT(verify_sev_snp_evidence(by_other, certs_, options_for(ark_)), HasCode(ErrorCode::kEvidenceBadSignature));
}

TEST_F(SevSnpSynthetic, TcbMustMatchTheVcek) {
  make_milan();
  for (int byte : {0, 1, 6, 7}) {
    ReportSpec spec = milan_spec();
    spec.reported_tcb ^= std::uint64_t{1} << (8 * byte);
    EXPECT_THAT(verify_sev_snp_evidence(signed_report(spec), certs_, options_for(ark_)),
                HasCode(ErrorCode::kEvidenceSnpTcbMismatch))
        << byte;
  }
  // Reserved TCB bytes 2..5 are not compared (the VCEK has no SPL for them).
  ReportSpec spec = milan_spec();
  spec.reported_tcb |= std::uint64_t{0x44} << 16;
  EXPECT_OK(verify_sev_snp_evidence(signed_report(spec), certs_, options_for(ark_)));
  // A VCEK without one of the SPL extensions, or with a non-INTEGER one.
  for (const char* oid : {"1.3.6.1.4.1.3704.1.3.1", "1.3.6.1.4.1.3704.1.3.2", "1.3.6.1.4.1.3704.1.3.3",
                          "1.3.6.1.4.1.3704.1.3.8"}) {
    CertSpec vs = vcek_spec();
    vs.extensions.erase(oid);
    std::vector<Bytes> c = {make_cert(vs), ask_, ark_};
    EXPECT_THAT(verify_sev_snp_evidence(report_, c, options_for(ark_)),
                HasCode(ErrorCode::kEvidenceCertExtensionMalformed))
        << oid;
    vs.extensions[oid] = {0x04, 0x01, 0x03};
    c[0] = make_cert(vs);
    EXPECT_THAT(verify_sev_snp_evidence(report_, c, options_for(ark_)),
                HasCode(ErrorCode::kEvidenceCertExtensionMalformed))
        << oid;
  }
}

TEST_F(SevSnpSynthetic, ChipIdMustMatchTheHwId) {
  make_milan();
  ReportSpec spec = milan_spec();
  spec.chip_id[63] ^= 1;
  EXPECT_THAT(verify_sev_snp_evidence(signed_report(spec), certs_, options_for(ark_)),
              HasCode(ErrorCode::kEvidenceSnpChipIdMismatch));
  // MASK_CHIP_KEY: CHIP_ID is zero and not compared.
  spec = milan_spec();
  spec.mask_chip_key = true;
  spec.chip_id = Hash64{};
  EXPECT_OK(verify_sev_snp_evidence(signed_report(spec), certs_, options_for(ark_)));
  // A VCEK without hwID, or with a short one.
  CertSpec vs = vcek_spec();
  vs.extensions.erase("1.3.6.1.4.1.3704.1.4");
  std::vector<Bytes> c = {make_cert(vs), ask_, ark_};
  EXPECT_THAT(verify_sev_snp_evidence(report_, c, options_for(ark_)),
              HasCode(ErrorCode::kEvidenceCertExtensionMalformed));
  vs.extensions["1.3.6.1.4.1.3704.1.4"] = Bytes(8, 0xC0);
  c[0] = make_cert(vs);
  EXPECT_THAT(verify_sev_snp_evidence(report_, c, options_for(ark_)),
              HasCode(ErrorCode::kEvidenceCertExtensionMalformed));
}

TEST_F(SevSnpSynthetic, VlekChainAndSigningKeyField) {
  make_milan();
  Bytes asvk = make_cert(ask_spec("Milan", true));
  Bytes vlek = make_cert(vcek_spec("Milan", true));
  std::vector<Bytes> chain = {vlek, asvk, ark_};
  ReportSpec spec = milan_spec();
  spec.signing_key = 1;
  spec.chip_id = Hash64{};
  Result<VerifiedSevSnp> v = verify_sev_snp_evidence_detailed(signed_report(spec), chain, options_for(ark_));
  ASSERT_OK(v);
  EXPECT_EQ(v->report.signing_key, SnpSigningKey::kVlek);
  // The field must name the kind of leaf offered.
  EXPECT_THAT(verify_sev_snp_evidence(report_, chain, options_for(ark_)),
              HasCode(ErrorCode::kEvidenceSnpSigningKeyMismatch));
  EXPECT_THAT(verify_sev_snp_evidence(signed_report(spec), certs_, options_for(ark_)),
              HasCode(ErrorCode::kEvidenceSnpSigningKeyMismatch));
  spec.signing_key = 7;
  EXPECT_THAT(verify_sev_snp_evidence(signed_report(spec), chain, options_for(ark_)),
              HasCode(ErrorCode::kEvidenceSnpSigningKeyMismatch));
}

TEST_F(SevSnpSynthetic, EveryCertificateMustBeValidAtTheTime) {
  make_milan();
  SevSnpOptions o = options_for(ark_);
  const std::vector<CertSpec> specs = {vcek_spec(), ask_spec(), ark_spec()};
  for (std::size_t i = 0; i < 3; ++i) {
    CertSpec expired = specs[i];
    expired.not_after = kNow - 1;
    CertSpec future = specs[i];
    future.not_before = kNow + 1;
    for (const auto& [spec, code] : {std::pair{expired, ErrorCode::kEvidenceCertExpired},
                                     std::pair{future, ErrorCode::kEvidenceCertNotYetValid}}) {
      std::vector<Bytes> c = {vcek_, ask_, ark_};
      c[i] = make_cert(spec);
      SevSnpOptions oi = o;
      if (i == 2) oi = options_for(c[2]);
      if (i >= 1) c[0] = make_cert(vcek_spec());  // re-signed certs keep the links valid
      EXPECT_THAT(verify_sev_snp_evidence(report_, c, oi), HasCode(code)) << i;
    }
  }
  // The boundaries are inclusive.
  CertSpec edge = vcek_spec();
  edge.not_before = kNow;
  edge.not_after = kNow;
  std::vector<Bytes> c = {make_cert(edge), ask_, ark_};
  EXPECT_OK(verify_sev_snp_evidence(report_, c, o));
  o.at->nanos = 1;
  EXPECT_THAT(verify_sev_snp_evidence(report_, c, o), HasCode(ErrorCode::kEvidenceCertExpired));
}

TEST_F(SevSnpSynthetic, ChainLinksAreChecked) {
  make_milan();
  const SevSnpOptions o = options_for(ark_);
  auto code_with = [&](std::vector<Bytes> c) { return verify_sev_snp_evidence(report_, c, o).code(); };
  EXPECT_EQ(code_with({vcek_, ask_}), ErrorCode::kEvidenceChainInvalid);
  EXPECT_EQ(code_with({vcek_}), ErrorCode::kEvidenceChainInvalid);
  EXPECT_EQ(code_with({}), ErrorCode::kEvidenceChainInvalid);
  EXPECT_EQ(code_with({vcek_, ask_, ark_, ark_}), ErrorCode::kEvidenceChainInvalid);
  EXPECT_EQ(code_with({ask_, vcek_, ark_}), ErrorCode::kEvidenceChainInvalid);
  EXPECT_EQ(code_with({vcek_, ark_, ark_}), ErrorCode::kEvidenceChainInvalid);   // VCEK not issued by the ARK
  // The ASK signed with PKCS#1 v1.5, or by another key.
  CertSpec ask = ask_spec();
  ask.sign = SignWith::kPkcs1;
  EXPECT_EQ(code_with({vcek_, make_cert(ask), ark_}), ErrorCode::kEvidenceChainInvalid);
  ask = ask_spec();
  ask.issuer_key = ask_key_.get();
  EXPECT_EQ(code_with({vcek_, make_cert(ask), ark_}), ErrorCode::kEvidenceChainInvalid);
  // An ASK that is not a CA.
  ask = ask_spec();
  ask.ca = false;
  EXPECT_EQ(code_with({vcek_, make_cert(ask), ark_}), ErrorCode::kEvidenceChainInvalid);
  // A VCEK signed by an ECDSA intermediate (not PSS).
  PkeyPtr ec_ask(EVP_EC_gen("P-384"));
  CertSpec ecask = ask_spec();
  ecask.subject_key = ec_ask.get();
  CertSpec ecvcek = vcek_spec();
  ecvcek.issuer_key = ec_ask.get();
  ecvcek.sign = SignWith::kEcdsa;
  EXPECT_EQ(code_with({make_cert(ecvcek), make_cert(ecask), ark_}), ErrorCode::kEvidenceChainInvalid);
  // A leaf with another name, or an RSA key.
  CertSpec vs = vcek_spec();
  vs.cn = "SEV-VCEK-X";
  EXPECT_EQ(code_with({make_cert(vs), ask_, ark_}), ErrorCode::kEvidenceChainInvalid);
  vs = vcek_spec();
  vs.subject_key = ask_key_.get();
  EXPECT_EQ(code_with({make_cert(vs), ask_, ark_}), ErrorCode::kEvidenceChainInvalid);
  // An ARK whose self-signature is by another key, pinned anyway.
  CertSpec ark = ark_spec();
  ark.issuer_key = ask_key_.get();
  Bytes bad_ark = make_cert(ark);
  EXPECT_EQ(verify_sev_snp_evidence(report_, std::vector<Bytes>{vcek_, ask_, bad_ark}, options_for(bad_ark)).code(),
            ErrorCode::kEvidenceChainInvalid);
}

TEST_F(SevSnpSynthetic, TurinLayoutHwIdAndFmc) {
  Bytes ark = make_cert(ark_spec("Turin"));
  Bytes ask = make_cert(ask_spec("Turin"));
  Bytes vcek = make_cert(vcek_spec("Turin"));
  std::vector<Bytes> chain = {vcek, ask, ark};
  const SevSnpOptions o = options_for(ark, SnpProduct::kTurin);
  ReportSpec spec;
  spec.version = 5;
  spec.fam = 0x1A;
  spec.mod = 0x02;
  spec.reported_tcb = turin_tcb();
  spec.chip_id = sample_chip_id(8);
  Result<VerifiedSevSnp> v = verify_sev_snp_evidence_detailed(signed_report(spec), chain, o);
  ASSERT_OK(v);
  EXPECT_EQ(v->product, SnpProduct::kTurin);
  EXPECT_EQ(v->claims.tcb, (std::map<std::string, std::uint64_t>{
                               {"bootloader", kBl}, {"tee", kTee}, {"snp", kSnp}, {"microcode", kUcode}, {"fmc", kFmc}}));
  EXPECT_EQ(v->report.launch_mit_vector, std::optional<std::uint64_t>(5));
  EXPECT_EQ(v->report.current_mit_vector, std::optional<std::uint64_t>(7));
  // fmc mismatch, a Milan-layout TCB, bytes after the 8-byte hwID, no fmcSPL.
  ReportSpec bad = spec;
  bad.reported_tcb ^= 1;
  EXPECT_THAT(verify_sev_snp_evidence(signed_report(bad), chain, o), HasCode(ErrorCode::kEvidenceSnpTcbMismatch));
  bad = spec;
  bad.reported_tcb = milan_tcb();
  EXPECT_THAT(verify_sev_snp_evidence(signed_report(bad), chain, o), HasCode(ErrorCode::kEvidenceSnpTcbMismatch));
  bad = spec;
  bad.chip_id[8] = 1;
  EXPECT_THAT(verify_sev_snp_evidence(signed_report(bad), chain, o), HasCode(ErrorCode::kEvidenceSnpChipIdMismatch));
  CertSpec vs = vcek_spec("Turin");
  vs.extensions.erase("1.3.6.1.4.1.3704.1.3.9");
  EXPECT_THAT(verify_sev_snp_evidence(signed_report(spec), std::vector<Bytes>{make_cert(vs), ask, ark}, o),
              HasCode(ErrorCode::kEvidenceCertExtensionMalformed));
  // CPUID naming Milan under a Turin root; a Turin root pinned as Milan.
  bad = spec;
  bad.fam = 0x19;
  bad.mod = 0x01;
  EXPECT_THAT(verify_sev_snp_evidence(signed_report(bad), chain, o), HasCode(ErrorCode::kEvidenceSnpUnknownProduct));
  EXPECT_THAT(verify_sev_snp_evidence(signed_report(spec), chain, options_for(ark, SnpProduct::kMilan)),
              HasCode(ErrorCode::kEvidenceSnpUnknownProduct));
}

TEST(SevSnpReport, DecodesBothTcbLayouts) {
  const std::uint64_t raw = 0x4700000002000100ull;  // the corpus' Turin REPORTED_TCB
  SnpTcb t = decode_snp_tcb(raw, SnpProduct::kTurin);
  EXPECT_EQ(t.fmc, std::optional<std::uint8_t>(0));
  EXPECT_EQ(t.bootloader, 1);
  EXPECT_EQ(t.tee, 0);
  EXPECT_EQ(t.snp, 2);
  EXPECT_EQ(t.microcode, 0x47);
  SnpTcb m = decode_snp_tcb(milan_tcb(), SnpProduct::kGenoa);
  EXPECT_EQ(m.bootloader, kBl);
  EXPECT_EQ(m.tee, kTee);
  EXPECT_EQ(m.snp, kSnp);
  EXPECT_EQ(m.microcode, kUcode);
  EXPECT_FALSE(m.fmc.has_value());
  EXPECT_EQ(m.raw, milan_tcb());
}

TEST(SevSnpReport, VersionsAndAlgorithm) {
  for (std::uint32_t v : {2u, 3u, 5u}) {
    ReportSpec s;
    s.version = v;
    Result<SnpReport> r = parse_sev_snp_report(unsigned_report(s));
    ASSERT_OK(r);
    EXPECT_EQ(r->cpuid_fam_id.has_value(), v >= 3);
    EXPECT_EQ(r->launch_mit_vector.has_value(), v >= 5);
  }
  for (std::uint32_t v : {0u, 1u, 4u, 6u, 0xFFFFFFFFu}) {
    ReportSpec s;
    s.version = v;
    EXPECT_THAT(parse_sev_snp_report(unsigned_report(s)), HasCode(ErrorCode::kEvidenceSnpUnsupportedVersion)) << v;
  }
  for (std::uint32_t a : {0u, 2u, 0x100u}) {
    Bytes r = unsigned_report(ReportSpec{});
    put32(r, 0x34, a);
    EXPECT_THAT(parse_sev_snp_report(r), HasCode(ErrorCode::kEvidenceSnpUnsupportedAlgorithm)) << a;
  }
}

TEST(SevSnpReport, ReservedFieldsMustBeZero) {
  struct Case {
    std::uint32_t version;
    std::size_t offset;
  };
  // One byte inside every must-be-zero range, per version.
  const std::vector<Case> cases = {
      {3, 0x4C}, {3, 0x4F}, {2, 0x188}, {2, 0x18A}, {3, 0x18B}, {3, 0x19F}, {3, 0x1EB}, {3, 0x1EF},
      {3, 0x1F8}, {3, 0x207}, {3, 0x29F}, {5, 0x208}, {5, 0x29F}, {3, 0x2A0 + 48}, {3, 0x2A0 + 71},
      {3, 0x2E8 + 48}, {3, 0x2E8 + 71}, {3, 0x330}, {3, 0x49F}};
  for (const Case& c : cases) {
    ReportSpec s;
    s.version = c.version;
    Bytes r = unsigned_report(s);
    if (c.version == 2) {
      r[0x188] = r[0x189] = r[0x18A] = 0;
    }
    ASSERT_OK(parse_sev_snp_report(r));
    r[c.offset] = 0x01;
    EXPECT_THAT(parse_sev_snp_report(r), HasCode(ErrorCode::kEvidenceSnpReservedNonzero))
        << "v" << c.version << " offset " << c.offset;
  }
  // The mitigation vectors are fields in v5.
  ReportSpec v5;
  v5.version = 5;
  Bytes r5 = unsigned_report(v5);
  r5[0x1F8] = 0xFF;
  r5[0x207] = 0xFF;
  EXPECT_OK(parse_sev_snp_report(r5));
  // Policy: bit 17 must be one, bits above 25 zero; bits 16..25 are fields.
  auto with_policy = [](std::uint64_t p) {
    Bytes r = unsigned_report(ReportSpec{});
    put64(r, 0x08, p);
    return parse_sev_snp_report(r);
  };
  EXPECT_OK(with_policy(0x3FF0000));
  EXPECT_THAT(with_policy(0x10000), HasCode(ErrorCode::kEvidenceSnpReservedNonzero));
  EXPECT_THAT(with_policy(0x30000 | (1ull << 26)), HasCode(ErrorCode::kEvidenceSnpReservedNonzero));
  EXPECT_THAT(with_policy(0x30000 | (1ull << 63)), HasCode(ErrorCode::kEvidenceSnpReservedNonzero));
  // Signer info: bits 31:5 and SIGNING_KEY 2..6.
  for (std::uint32_t info : {1u << 5, 1u << 31, 2u << 2, 6u << 2}) {
    Bytes r = unsigned_report(ReportSpec{});
    put32(r, 0x48, info);
    EXPECT_THAT(parse_sev_snp_report(r), HasCode(ErrorCode::kEvidenceSnpReservedNonzero)) << info;
  }
  for (std::uint32_t info : {0u, 1u, 2u, 3u, 1u << 2, 7u << 2}) {
    Bytes r = unsigned_report(ReportSpec{});
    put32(r, 0x48, info);
    EXPECT_OK(parse_sev_snp_report(r)) << info;
  }
}

TEST(SevSnpReport, ProductFromCpuid) {
  auto product = [](std::uint32_t version, std::uint8_t fam, std::uint8_t mod) {
    ReportSpec s;
    s.version = version;
    s.fam = fam;
    s.mod = mod;
    return snp_product_from_cpuid(parse_sev_snp_report(unsigned_report(s)).value());
  };
  EXPECT_EQ(product(3, 0x19, 0x01), SnpProduct::kMilan);
  EXPECT_EQ(product(3, 0x19, 0x11), SnpProduct::kGenoa);
  EXPECT_EQ(product(3, 0x19, 0xA0), SnpProduct::kGenoa);
  EXPECT_EQ(product(5, 0x1A, 0x02), SnpProduct::kTurin);
  EXPECT_EQ(product(3, 0x17, 0x01), std::nullopt);
  EXPECT_EQ(product(3, 0x19, 0x61), std::nullopt);
  EXPECT_EQ(product(2, 0, 0), std::nullopt);
}

// Any 1184 bytes: the parser returns a value or an error, never crashes, and
// what it returns reads the fields from their offsets.
RC_GTEST_PROP(SevSnpReportProperty, ArbitraryBytesNeverCrash, (std::vector<std::uint8_t> tail, bool fix_header)) {
  Bytes r(kSnpReportSize, 0);
  for (std::size_t i = 0; i < tail.size() && i < r.size(); ++i) r[i] = tail[i];
  if (fix_header) {
    put32(r, 0x00, 3);
    put32(r, 0x34, 1);
  }
  Result<SnpReport> p = parse_sev_snp_report(r);
  if (p) {
    RC_ASSERT(std::equal(p->measurement.begin(), p->measurement.end(), r.begin() + 0x90));
    RC_ASSERT(std::equal(p->chip_id.begin(), p->chip_id.end(), r.begin() + 0x1A0));
    RC_ASSERT(p->reported_tcb == decode_snp_tcb(p->reported_tcb, SnpProduct::kMilan).raw);
  }
  Result<SnpReport> shorter = parse_sev_snp_report(ByteView(r).first(*rc::gen::inRange<std::size_t>(0, r.size())));
  RC_ASSERT(shorter.code() == ErrorCode::kEvidenceSnpBadLength);
}

}  // namespace
}  // namespace verun::proofs
