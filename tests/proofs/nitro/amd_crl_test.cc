// AMD CRL checks (amd_crl.h) with a synthetic ARK -> ASK -> VCEK chain and
// CRLs made here with OpenSSL: a good CRL, a revoked ASK, a revoked VLEK, a
// bad signature, another issuer, PKCS#1 instead of PSS, stale and early
// CRLs, malformed bytes; and the amd_crl collateral reaching the check
// through verify_evidence on a real SEV-SNP vector.
#include "verun/proofs/evidence/amd_crl.h"

#include <gtest/gtest.h>

#include <openssl/pem.h>
#include <openssl/x509.h>

#include <vector>

#include "tests/proofs/nitro/nitro_testing.h"
#include "tests/support/matchers.h"
#include "tests/support/vectors.h"
#include "verun/proofs/evidence/evidence.h"
#include "verun/proofs/evidence/sev_snp.h"
#include "verun/proofs/sha2.h"

namespace verun::proofs {
namespace {

using ::verun::testing::HasCode;
using namespace ::verun::proofs::nitro_testing;

constexpr std::int64_t kAt = kDocSeconds;

struct CrlSpec {
  EVP_PKEY* key = nullptr;
  std::string issuer_cn = "ARK-Milan";
  std::vector<long> revoked;
  std::int64_t this_update = kAt - 10 * kDay;
  std::optional<std::int64_t> next_update = kAt + 10 * kDay;
  SignWith sign = SignWith::kPssSha384;
};

Bytes make_crl(const CrlSpec& s) {
  X509_CRL* crl = X509_CRL_new();
  X509_CRL_set_version(crl, 1);
  X509_NAME* n = name_of(s.issuer_cn);
  X509_CRL_set_issuer_name(crl, n);
  X509_NAME_free(n);
  ASN1_TIME* tu = ASN1_TIME_set(nullptr, static_cast<time_t>(s.this_update));
  X509_CRL_set1_lastUpdate(crl, tu);
  if (s.next_update) {
    ASN1_TIME* nu = ASN1_TIME_set(nullptr, static_cast<time_t>(*s.next_update));
    X509_CRL_set1_nextUpdate(crl, nu);
    ASN1_TIME_free(nu);
  }
  for (long serial : s.revoked) {
    X509_REVOKED* r = X509_REVOKED_new();
    ASN1_INTEGER* i = ASN1_INTEGER_new();
    ASN1_INTEGER_set(i, serial);
    X509_REVOKED_set_serialNumber(r, i);
    X509_REVOKED_set_revocationDate(r, tu);
    X509_CRL_add0_revoked(crl, r);
    ASN1_INTEGER_free(i);
  }
  ASN1_TIME_free(tu);
  X509_CRL_sort(crl);
  EVP_MD_CTX* md = EVP_MD_CTX_new();
  sign_setup(md, s.key, s.sign);
  EXPECT_GT(X509_CRL_sign_ctx(crl, md), 0);
  EVP_MD_CTX_free(md);
  unsigned char* der = nullptr;
  int len = i2d_X509_CRL(crl, &der);
  Bytes out(der, der + len);
  OPENSSL_free(der);
  X509_CRL_free(crl);
  return out;
}

class AmdCrl : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ark_key_ = make_rsa().release();
    ask_key_ = make_rsa().release();
    other_key_ = make_rsa().release();
    vcek_key_ = make_p384().release();
    ark_ = new X509Cert(X509Cert::parse_der(make_cert({"ARK-Milan", "ARK-Milan", ark_key_, ark_key_, true, 1,
                                                       kAt - 365 * kDay, kAt + 365 * kDay, SignWith::kPssSha384}))
                            .value());
    ask_ = new X509Cert(X509Cert::parse_der(make_cert({"SEV-Milan", "ARK-Milan", ask_key_, ark_key_, true, 0x1234,
                                                       kAt - 365 * kDay, kAt + 365 * kDay, SignWith::kPssSha384}))
                            .value());
    vcek_ = new X509Cert(X509Cert::parse_der(make_cert({"SEV-VCEK", "SEV-Milan", vcek_key_, ask_key_, false, 0,
                                                        kAt - 365 * kDay, kAt + 365 * kDay, SignWith::kPssSha384}))
                             .value());
    vlek_ = new X509Cert(X509Cert::parse_der(make_cert({"SEV-VLEK", "SEV-Milan", vcek_key_, ask_key_, false, 77,
                                                        kAt - 365 * kDay, kAt + 365 * kDay, SignWith::kPssSha384}))
                             .value());
  }
  static void TearDownTestSuite() {
    delete ark_;
    delete ask_;
    delete vcek_;
    delete vlek_;
    EVP_PKEY_free(ark_key_);
    EVP_PKEY_free(ask_key_);
    EVP_PKEY_free(other_key_);
    EVP_PKEY_free(vcek_key_);
  }

  static Result<void> check(const Bytes& crl, std::int64_t at = kAt, bool vlek = false) {
    const X509Cert revocable[] = {*ask_, vlek ? *vlek_ : *vcek_};
    return verify_amd_crl(crl, *ark_, Timestamp{at, 0}, revocable);
  }
  static CrlSpec spec() {
    CrlSpec s;
    s.key = ark_key_;
    return s;
  }

  static inline EVP_PKEY *ark_key_ = nullptr, *ask_key_ = nullptr, *other_key_ = nullptr, *vcek_key_ = nullptr;
  static inline X509Cert *ark_ = nullptr, *ask_ = nullptr, *vcek_ = nullptr, *vlek_ = nullptr;
};

TEST_F(AmdCrl, CurrentCrlRevokingOthersPasses) {
  CrlSpec s = spec();
  s.revoked = {0x99, 0x4321};
  EXPECT_OK(check(make_crl(s)));
  EXPECT_OK(check(make_crl(spec())));  // no entries at all
  // Serial 0 (every VCEK's) listed: it cannot name one VCEK and is ignored.
  s.revoked = {0};
  EXPECT_OK(check(make_crl(s)));
  // The validity bounds are inclusive.
  EXPECT_OK(check(make_crl(spec()), kAt - 10 * kDay));
  EXPECT_OK(check(make_crl(spec()), kAt + 10 * kDay));
}

TEST_F(AmdCrl, RevokedAskOrVlekFails) {
  CrlSpec s = spec();
  s.revoked = {0x99, 0x1234};
  EXPECT_THAT(check(make_crl(s)), HasCode(ErrorCode::kAmdCrlRevoked));
  s.revoked = {77};
  EXPECT_OK(check(make_crl(s)));
  EXPECT_THAT(check(make_crl(s), kAt, true), HasCode(ErrorCode::kAmdCrlRevoked));
}

TEST_F(AmdCrl, SignatureMustBeTheArksPss) {
  Bytes crl = make_crl(spec());
  crl[crl.size() - 10] ^= 0x01;  // inside the signature value
  EXPECT_THAT(check(crl), HasCode(ErrorCode::kAmdCrlBadSignature));
  CrlSpec other = spec();
  other.key = other_key_;  // right name, wrong key
  EXPECT_THAT(check(make_crl(other)), HasCode(ErrorCode::kAmdCrlBadSignature));
  CrlSpec by_ask = spec();
  by_ask.key = ask_key_;
  by_ask.issuer_cn = "SEV-Milan";
  EXPECT_THAT(check(make_crl(by_ask)), HasCode(ErrorCode::kAmdCrlBadSignature));
  CrlSpec pkcs1 = spec();
  pkcs1.sign = SignWith::kPkcs1Sha384;
  EXPECT_THAT(check(make_crl(pkcs1)), HasCode(ErrorCode::kAmdCrlBadSignature));
}

TEST_F(AmdCrl, StaleOrEarlyCrlFails) {
  EXPECT_THAT(check(make_crl(spec()), kAt + 10 * kDay + 1), HasCode(ErrorCode::kAmdCrlExpired));
  EXPECT_THAT(check(make_crl(spec()), kAt - 10 * kDay - 1), HasCode(ErrorCode::kAmdCrlNotYetValid));
}

TEST_F(AmdCrl, MalformedCrlFails) {
  EXPECT_THAT(check(Bytes{}), HasCode(ErrorCode::kAmdCrlMalformed));
  EXPECT_THAT(check(Bytes{0x30, 0x03, 0x02, 0x01, 0x01}), HasCode(ErrorCode::kAmdCrlMalformed));
  EXPECT_THAT(check(Bytes(kAmdCrlMaxSize + 1, 0x30)), HasCode(ErrorCode::kAmdCrlMalformed));
  Bytes trailing = make_crl(spec());
  trailing.push_back(0);
  EXPECT_THAT(check(trailing), HasCode(ErrorCode::kAmdCrlMalformed));
  const Bytes good = make_crl(spec());
  for (std::size_t n = 0; n < good.size(); n += 13)
    EXPECT_FALSE(check(Bytes(good.begin(), good.begin() + static_cast<std::ptrdiff_t>(n)))) << n;
  CrlSpec no_next = spec();
  no_next.next_update.reset();
  EXPECT_THAT(check(make_crl(no_next)), HasCode(ErrorCode::kAmdCrlMalformed));
}

// A synthetic Milan SEV-SNP evidence (report v2 signed by a P-384 VCEK,
// RSASSA-PSS ASK and ARK with a non-zero ASK serial) checked end to end by
// verify_sev_snp_evidence with and without a CRL: the CRL check runs inside
// the SNP verifier at the as-of time.
class AmdCrlSnp : public AmdCrl {
 protected:
  static Bytes der_uint(std::uint8_t v) { return v >= 0x80 ? Bytes{0x02, 0x02, 0x00, v} : Bytes{0x02, 0x01, v}; }

  static Bytes report() {
    Bytes r(kSnpReportSize, 0);
    auto put = [&](std::size_t off, std::uint64_t v, int n) {
      for (int i = 0; i < n; ++i) r[off + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(v >> (8 * i));
    };
    put(0x00, 2, 4);        // version 2: the product comes from the chain
    put(0x08, 0x30000, 8);  // SMT, reserved-one bit; not debug
    put(0x34, 1, 4);        // ECDSA P-384 with SHA-384
    const std::uint64_t tcb = 3 | (8ull << 48) | (115ull << 56);  // bootloader 3, snp 8, microcode 115
    for (std::size_t off : {0x38u, 0x180u, 0x1E0u, 0x1F0u}) put(off, tcb, 8);
    for (std::size_t i = 0; i < 64; ++i) r[0x1A0 + i] = static_cast<std::uint8_t>(0xC0 + i);  // CHIP_ID
    EVP_MD_CTX* md = EVP_MD_CTX_new();
    EVP_DigestSignInit(md, nullptr, EVP_sha384(), nullptr, vcek_key_);
    std::size_t len = 0;
    EVP_DigestSign(md, nullptr, &len, r.data(), kSnpSignedSize);
    Bytes der(len);
    EVP_DigestSign(md, der.data(), &len, r.data(), kSnpSignedSize);
    EVP_MD_CTX_free(md);
    const unsigned char* p = der.data();
    ECDSA_SIG* sig = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(len));
    const BIGNUM *sr = nullptr, *ss = nullptr;
    ECDSA_SIG_get0(sig, &sr, &ss);
    BN_bn2lebinpad(sr, r.data() + 0x2A0, 72);
    BN_bn2lebinpad(ss, r.data() + 0x2E8, 72);
    ECDSA_SIG_free(sig);
    return r;
  }

  static std::vector<Bytes> certs() {
    std::map<std::string, Bytes> ext;
    ext["1.3.6.1.4.1.3704.1.2"] = {0x16, 0x08, 'M', 'i', 'l', 'a', 'n', '-', 'B', '0'};
    ext["1.3.6.1.4.1.3704.1.3.1"] = der_uint(3);
    ext["1.3.6.1.4.1.3704.1.3.2"] = der_uint(0);
    ext["1.3.6.1.4.1.3704.1.3.3"] = der_uint(8);
    ext["1.3.6.1.4.1.3704.1.3.8"] = der_uint(115);
    Bytes hwid(64);
    for (std::size_t i = 0; i < 64; ++i) hwid[i] = static_cast<std::uint8_t>(0xC0 + i);
    ext["1.3.6.1.4.1.3704.1.4"] = hwid;
    CertSpec vcek{"SEV-VCEK", "SEV-Milan", vcek_key_, ask_key_, false, 0, kAt - 365 * kDay, kAt + 365 * kDay,
                  SignWith::kPssSha384, ext};
    return {make_cert(vcek), ask_->der(), ark_->der()};
  }

  static SevSnpOptions options() {
    SevSnpOptions o;
    o.at = Timestamp{kAt, 0};
    o.extra_roots.push_back({ark_->fingerprint(), SnpProduct::kMilan});
    return o;
  }
};

TEST_F(AmdCrlSnp, SnpVerificationChecksTheCrlWhenGiven) {
  const Bytes r = report();
  const std::vector<Bytes> chain = certs();
  ASSERT_OK(verify_sev_snp_evidence(r, chain, options()));
  SevSnpOptions o = options();
  CrlSpec s = spec();
  s.revoked = {0x99};
  o.amd_crl = make_crl(s);
  EXPECT_OK(verify_sev_snp_evidence(r, chain, o));
  s.revoked = {0x99, 0x1234};  // the ASK
  o.amd_crl = make_crl(s);
  EXPECT_THAT(verify_sev_snp_evidence(r, chain, o), HasCode(ErrorCode::kAmdCrlRevoked));
  o.amd_crl = make_crl(spec());
  o.at = Timestamp{kAt + 11 * kDay, 0};
  EXPECT_THAT(verify_sev_snp_evidence(r, chain, o), HasCode(ErrorCode::kAmdCrlExpired));
  CrlSpec forged = spec();
  forged.key = other_key_;
  o = options();
  o.amd_crl = make_crl(forged);
  EXPECT_THAT(verify_sev_snp_evidence(r, chain, o), HasCode(ErrorCode::kAmdCrlBadSignature));
}

TEST_F(AmdCrlSnp, TrustedCertsCompleteTheSyntheticChain) {
  const Bytes r = report();
  const std::vector<Bytes> chain = certs();
  const std::vector<Bytes> vcek_only = {chain[0]};
  const std::vector<Bytes> vcek_ask = {chain[0], chain[1]};
  SevSnpOptions o = options();
  EXPECT_THAT(verify_sev_snp_evidence(r, vcek_only, o), HasCode(ErrorCode::kEvidenceChainInvalid));
  o.trusted_certs = {chain[2], chain[1]};
  EXPECT_OK(verify_sev_snp_evidence(r, vcek_only, o));
  EXPECT_OK(verify_sev_snp_evidence(r, vcek_ask, o));
  // The ARK is in the trust dir but not pinned: nothing is completed.
  o.extra_roots.clear();
  EXPECT_THAT(verify_sev_snp_evidence(r, vcek_only, o), HasCode(ErrorCode::kEvidenceChainInvalid));
  EXPECT_EQ(complete_sev_snp_chain(vcek_only, o.trusted_certs).size(), 1u);
}

// The collateral path: verify_evidence hands amd_crl bytes to the SNP
// verifier, which checks them against the real Milan ARK (a synthetic CRL is
// therefore not issued by it), after the digest the evidence names matched.
TEST(AmdCrlVectors, CollateralReachesTheCheck) {
  VERUN_REQUIRE_VECTORS(dir, "attestation/sev-snp/snp-milan-v2-virtee");
  const nlohmann::json j = ::verun::testing::read_json(dir / "expected.json");
  Evidence e;
  e.format = EvidenceFormat::kSevSnpReport;
  e.data = ::verun::testing::read_file_bytes(dir / "report.bin");
  e.certs = {::verun::testing::read_file_bytes(dir / "vcek.der")};
  Result<std::vector<Bytes>> chain = [&] {
    std::vector<Bytes> out;
    const std::string text = ::verun::testing::read_file(dir / "ask_ark.pem");
    BIO* bio = BIO_new_mem_buf(text.data(), static_cast<int>(text.size()));
    while (X509* x = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr)) {
      unsigned char* der = nullptr;
      int len = i2d_X509(x, &der);
      out.emplace_back(der, der + len);
      OPENSSL_free(der);
      X509_free(x);
    }
    BIO_free(bio);
    return Result<std::vector<Bytes>>(out);
  }();
  ASSERT_OK(chain);
  e.certs.insert(e.certs.end(), chain->begin(), chain->end());
  EvidenceOptions o;
  o.at = parse_rfc3339(j["verify_at"].get<std::string>()).value();
  EXPECT_OK(verify_evidence(e, o));  // no CRL supplied: not checked

  PkeyPtr fake_ark = make_rsa();
  CrlSpec s;
  s.key = fake_ark.get();
  s.this_update = o.at->seconds - kDay;
  s.next_update = o.at->seconds + kDay;
  const Bytes crl = make_crl(s);
  e.collateral["amd_crl"] = sha256(crl);
  o.collateral_bytes["amd_crl"] = crl;
  EXPECT_THAT(verify_evidence(e, o), HasCode(ErrorCode::kAmdCrlBadSignature));
  o.collateral_bytes["amd_crl"] = Bytes{0x30, 0x00};
  EXPECT_FALSE(verify_evidence(e, o));  // bytes that do not match the named digest
  e.collateral["amd_crl"] = sha256(Bytes{0x30, 0x00});
  EXPECT_THAT(verify_evidence(e, o), HasCode(ErrorCode::kAmdCrlMalformed));
  ::verun::testing::report_vector_count("sev-snp with amd_crl collateral", 1);
}

}  // namespace
}  // namespace verun::proofs
