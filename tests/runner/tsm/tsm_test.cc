// The tsm platform (runner/src/platform/tsm.h) against a fake configfs-tsm
// tree: FakeKernel keeps the report entries as real directories and files in
// a temp dir and does what the kernel does on mkdir, inblob writes and rmdir
// (synchronously, in the caller's thread). SNP reports are synthetic, signed
// by a synthetic ARK -> ASK -> VCEK chain trusted through extra_roots only;
// TDX uses a real quote from the shared vectors with report_data patched (the
// platform parses the quote, it does not verify it).
#include "platform/tsm.h"

#include <gtest/gtest.h>

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "tests/runner/tsm/cert_table_builder.h"
#include "tests/support/matchers.h"
#include "tests/support/temp_dir.h"
#include "tests/support/vectors.h"
#include "verun/proofs/evidence/sev_snp.h"
#include "verun/proofs/hex.h"
#include "verun/proofs/sha2.h"

namespace verun::runner {
namespace {

namespace fs = std::filesystem;
using ::verun::testing::HasCode;
using proofs::Bytes;

// --- the fake kernel ---------------------------------------------------------

void write_whole(const fs::path& p, const Bytes& data) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(data.data()), static_cast<std::streamsize>(data.size()));
}
void write_text(const fs::path& p, const std::string& s) { write_whole(p, Bytes(s.begin(), s.end())); }

class FakeKernel final : public TsmFs {
 public:
  std::optional<std::string> provider = "sev_guest";
  // outblob for the report_data written to inblob.
  std::function<Bytes(const proofs::Hash64&)> make_outblob;
  std::optional<Bytes> auxblob;  // nullopt: no auxblob file
  int races = 0;                 // attempts whose generation another writer bumps
  std::string generation_text;   // when set, generation holds this instead of a number
  int entries_made = 0;
  std::vector<Bytes> inblobs;

  Result<void> make_dir(const std::string& path) override {
    VERUN_TRY(real_->make_dir(path));
    ++entries_made;
    generation_[path] = 0;
    if (provider) write_text(fs::path(path) / "provider", *provider + "\n");
    write_text(fs::path(path) / "generation", "0\n");
    write_text(fs::path(path) / "inblob", "");
    write_text(fs::path(path) / "outblob", "");
    if (auxblob) write_text(fs::path(path) / "auxblob", "");
    return {};
  }
  Result<void> remove_dir(const std::string& path) override {
    std::error_code ec;
    for (const auto& f : fs::directory_iterator(path, ec)) fs::remove(f.path(), ec);
    return real_->remove_dir(path);
  }
  Result<Bytes> read_file(const std::string& path, std::size_t max) override {
    const fs::path p(path);
    if (p.filename() == "outblob" && races > 0) {
      --races;
      bump(p.parent_path().string());
    }
    return real_->read_file(path, max);
  }
  Result<void> write_file(const std::string& path, proofs::ByteView data) override {
    VERUN_TRY(real_->write_file(path, data));
    const fs::path p(path);
    if (p.filename() == "inblob") {
      inblobs.emplace_back(data.begin(), data.end());
      proofs::Hash64 rd{};
      if (data.size() == rd.size()) std::copy(data.begin(), data.end(), rd.begin());
      const fs::path dir = p.parent_path();
      bump(dir.string());
      write_whole(dir / "outblob", make_outblob(rd));
      if (auxblob) write_whole(dir / "auxblob", *auxblob);
    }
    return {};
  }

 private:
  void bump(const std::string& dir) {
    const std::uint64_t g = ++generation_[dir];
    write_text(fs::path(dir) / "generation", generation_text.empty() ? std::to_string(g) + "\n" : generation_text);
  }
  std::shared_ptr<TsmFs> real_ = make_posix_tsm_fs();
  std::map<std::string, std::uint64_t> generation_;
};

// --- a synthetic SNP chain and report ------------------------------------------

struct PkeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;

constexpr std::int64_t kNow = 1'750'000'000;
constexpr std::int64_t kDay = 86'400;

X509_NAME* amd_name(const std::string& cn) {
  X509_NAME* n = X509_NAME_new();
  X509_NAME_add_entry_by_txt(n, "O", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("Advanced Micro Devices"),
                             -1, -1, 0);
  X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0);
  return n;
}

Bytes der_uint(std::uint8_t v) {
  if (v >= 0x80) return {0x02, 0x02, 0x00, v};
  return {0x02, 0x01, v};
}

Bytes make_cert(const std::string& cn, const std::string& issuer_cn, EVP_PKEY* subject, EVP_PKEY* issuer, bool ca,
                const std::map<std::string, Bytes>& extensions = {}) {
  X509* x = X509_new();
  X509_set_version(x, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
  X509_NAME* s = amd_name(cn);
  X509_NAME* i = amd_name(issuer_cn);
  X509_set_subject_name(x, s);
  X509_set_issuer_name(x, i);
  X509_NAME_free(s);
  X509_NAME_free(i);
  ASN1_TIME_set(X509_getm_notBefore(x), static_cast<time_t>(kNow - 365 * kDay));
  ASN1_TIME_set(X509_getm_notAfter(x), static_cast<time_t>(kNow + 365 * kDay));
  X509_set_pubkey(x, subject);
  if (ca) {
    X509_EXTENSION* bc = X509V3_EXT_conf_nid(nullptr, nullptr, NID_basic_constraints, "critical,CA:TRUE");
    X509_add_ext(x, bc, -1);
    X509_EXTENSION_free(bc);
  }
  for (const auto& [oid, value] : extensions) {
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
  EVP_DigestSignInit(md, &pctx, EVP_sha384(), nullptr, issuer);
  EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING);
  EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, 48);
  EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, EVP_sha384());
  EXPECT_GT(X509_sign_ctx(x, md), 0);
  EVP_MD_CTX_free(md);
  unsigned char* der = nullptr;
  const int len = i2d_X509(x, &der);
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

constexpr std::uint8_t kBl = 3, kTee = 0, kSnp = 8, kUcode = 115;
constexpr std::uint64_t kTcb = static_cast<std::uint64_t>(kBl) | static_cast<std::uint64_t>(kTee) << 8 |
                               static_cast<std::uint64_t>(kSnp) << 48 | static_cast<std::uint64_t>(kUcode) << 56;

class SnpChain {
 public:
  SnpChain() {
    ark_key_.reset(EVP_RSA_gen(2048));
    ask_key_.reset(EVP_RSA_gen(2048));
    vcek_key_.reset(EVP_EC_gen("P-384"));
    for (std::size_t i = 0; i < 64; ++i) chip_id_[i] = static_cast<std::uint8_t>(0xC0 + i);
    ark = make_cert("ARK-Milan", "ARK-Milan", ark_key_.get(), ark_key_.get(), true);
    ask = make_cert("SEV-Milan", "ARK-Milan", ask_key_.get(), ark_key_.get(), true);
    std::map<std::string, Bytes> e;
    e["1.3.6.1.4.1.3704.1.1"] = der_uint(1);
    Bytes pn = {0x16, 8};
    proofs::append(pn, std::string_view("Milan-B0"));
    e["1.3.6.1.4.1.3704.1.2"] = pn;
    e["1.3.6.1.4.1.3704.1.3.1"] = der_uint(kBl);
    e["1.3.6.1.4.1.3704.1.3.2"] = der_uint(kTee);
    e["1.3.6.1.4.1.3704.1.3.3"] = der_uint(kSnp);
    e["1.3.6.1.4.1.3704.1.3.8"] = der_uint(kUcode);
    e["1.3.6.1.4.1.3704.1.4"] = Bytes(chip_id_.begin(), chip_id_.end());
    vcek = make_cert("SEV-VCEK", "SEV-Milan", vcek_key_.get(), ask_key_.get(), false, e);
  }

  // A v3 Milan report carrying report_data, signed by the VCEK.
  Bytes report(const proofs::Hash64& report_data) const {
    Bytes r(proofs::kSnpReportSize, 0);
    put32(r, 0x00, 3);
    put64(r, 0x08, 0x30000);
    put32(r, 0x34, 1);
    put64(r, 0x38, kTcb);
    put64(r, 0x40, 0x3);
    std::copy(report_data.begin(), report_data.end(), r.begin() + 0x50);
    for (std::size_t i = 0; i < 48; ++i) r[0x90 + i] = static_cast<std::uint8_t>(0xA0 + i);  // MEASUREMENT
    put64(r, 0x180, kTcb);
    r[0x188] = 0x19;
    r[0x189] = 0x01;
    r[0x18A] = 1;
    std::copy(chip_id_.begin(), chip_id_.end(), r.begin() + 0x1A0);
    put64(r, 0x1E0, kTcb);
    r[0x1E8] = 21; r[0x1E9] = 55; r[0x1EA] = 1;
    r[0x1EC] = 21; r[0x1ED] = 55; r[0x1EE] = 1;
    put64(r, 0x1F0, kTcb);
    EVP_MD_CTX* md = EVP_MD_CTX_new();
    EVP_DigestSignInit(md, nullptr, EVP_sha384(), nullptr, vcek_key_.get());
    std::size_t len = 0;
    EVP_DigestSign(md, nullptr, &len, r.data(), proofs::kSnpSignedSize);
    Bytes der(len);
    EVP_DigestSign(md, der.data(), &len, r.data(), proofs::kSnpSignedSize);
    EVP_MD_CTX_free(md);
    const unsigned char* p = der.data();
    ECDSA_SIG* sig = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(len));
    const BIGNUM* rr = nullptr;
    const BIGNUM* ss = nullptr;
    ECDSA_SIG_get0(sig, &rr, &ss);
    BN_bn2lebinpad(rr, r.data() + 0x2A0, 72);
    BN_bn2lebinpad(ss, r.data() + 0x2E8, 72);
    ECDSA_SIG_free(sig);
    return r;
  }

  std::string measurement_hex() const {
    Bytes m;
    for (std::size_t i = 0; i < 48; ++i) m.push_back(static_cast<std::uint8_t>(0xA0 + i));
    return proofs::hex_encode(m);
  }

  proofs::SevSnpOptions options() const {
    proofs::SevSnpOptions o;
    o.at = proofs::Timestamp{kNow, 0};
    o.extra_roots.push_back({proofs::sha256(ark), proofs::SnpProduct::kMilan});
    return o;
  }

  Bytes ark, ask, vcek;

 private:
  PkeyPtr ark_key_, ask_key_, vcek_key_;
  proofs::Hash64 chip_id_{};
};

// --- the tests ------------------------------------------------------------------

class TsmPlatformTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { chain_ = new SnpChain(); }
  static void TearDownTestSuite() {
    delete chain_;
    chain_ = nullptr;
  }

  void SetUp() override {
    kernel_ = std::make_shared<FakeKernel>();
    kernel_->make_outblob = [](const proofs::Hash64& rd) { return chain_->report(rd); };
    // Out of order on purpose: the platform orders them leaf first.
    kernel_->auxblob = build_cert_table({{kArkGuidText, chain_->ark},
                                         {kCrlGuidText, Bytes{0x30, 0x00}},
                                         {kVcekGuidText, chain_->vcek},
                                         {kAskGuidText, chain_->ask}});
  }

  TsmOptions options() const {
    TsmOptions o;
    o.root = dir_.path().string();
    o.fs = kernel_;
    return o;
  }

  bool tree_is_empty() const { return fs::is_empty(dir_.path()); }

  static proofs::Hash64 sample_report_data() {
    proofs::Hash64 rd{};
    for (std::size_t i = 0; i < rd.size(); ++i) rd[i] = static_cast<std::uint8_t>(0x40 + i);
    return rd;
  }

  static SnpChain* chain_;
  ::verun::testing::TempDir dir_;
  std::shared_ptr<FakeKernel> kernel_;
};
SnpChain* TsmPlatformTest::chain_ = nullptr;

TEST_F(TsmPlatformTest, SnpEvidenceCarriesTheChainInOrderAndVerifies) {
  Result<std::unique_ptr<Platform>> p = make_tsm_platform(options());
  ASSERT_OK(p);
  EXPECT_EQ((*p)->kind(), proofs::Platform::kSevSnp);
  EXPECT_FALSE((*p)->simulated());
  EXPECT_EQ((*p)->measurement_hex(), chain_->measurement_hex());

  const proofs::Hash64 rd = sample_report_data();
  Result<proofs::Evidence> e = (*p)->attest(rd);
  ASSERT_OK(e);
  EXPECT_EQ(kernel_->inblobs.back(), Bytes(rd.begin(), rd.end()));
  EXPECT_EQ(e->format, proofs::EvidenceFormat::kSevSnpReport);
  EXPECT_EQ(e->data.size(), proofs::kSnpReportSize);
  EXPECT_EQ(e->certs, (std::vector<Bytes>{chain_->vcek, chain_->ask, chain_->ark}));
  EXPECT_TRUE(e->collateral.empty());

  Result<proofs::Claims> claims = proofs::verify_sev_snp_evidence(e->data, e->certs, chain_->options());
  ASSERT_OK(claims);
  EXPECT_EQ(claims->report_data, rd);
  EXPECT_EQ(proofs::hex_encode(claims->measurement), (*p)->measurement_hex());
  EXPECT_TRUE(tree_is_empty());  // every report entry was removed
  EXPECT_EQ(kernel_->entries_made, 2);
}

TEST_F(TsmPlatformTest, NoAuxblobGivesNoCertificates) {
  kernel_->auxblob.reset();
  Result<std::unique_ptr<Platform>> p = make_tsm_platform(options());
  ASSERT_OK(p);
  Result<proofs::Evidence> e = (*p)->attest(sample_report_data());
  ASSERT_OK(e);
  EXPECT_TRUE(e->certs.empty());
  kernel_->auxblob = Bytes{};  // present but empty: likewise
  e = (*p)->attest(sample_report_data());
  ASSERT_OK(e);
  EXPECT_TRUE(e->certs.empty());
  EXPECT_TRUE(tree_is_empty());
}

TEST_F(TsmPlatformTest, BadCertTableIsRefusedAndTheEntryRemoved) {
  Bytes table = *kernel_->auxblob;
  table.resize(20);  // cut inside the first entry: no terminator
  kernel_->auxblob = table;
  EXPECT_THAT(make_tsm_platform(options()), HasCode(ErrorCode::kRunnerTsmBadCertTable));
  Bytes bad = build_cert_table({{kVcekGuidText, chain_->vcek}});
  bad[20] = 0xFF;  // length far past the blob
  kernel_->auxblob = bad;
  EXPECT_THAT(make_tsm_platform(options()), HasCode(ErrorCode::kRunnerTsmBadCertTable));
  EXPECT_TRUE(tree_is_empty());
}

TEST_F(TsmPlatformTest, GenerationRaceIsRetried) {
  Result<std::unique_ptr<Platform>> p = make_tsm_platform(options());
  ASSERT_OK(p);
  const int before = kernel_->entries_made;
  kernel_->races = 3;
  ASSERT_OK((*p)->attest(sample_report_data()));
  EXPECT_EQ(kernel_->entries_made - before, 4);  // three raced attempts, then ours
  EXPECT_TRUE(tree_is_empty());
}

TEST_F(TsmPlatformTest, PersistentRaceFails) {
  Result<std::unique_ptr<Platform>> p = make_tsm_platform(options());
  ASSERT_OK(p);
  const int before = kernel_->entries_made;
  kernel_->races = 1000;
  EXPECT_THAT((*p)->attest(sample_report_data()), HasCode(ErrorCode::kRunnerTsmGenerationRace));
  EXPECT_EQ(kernel_->entries_made - before, 10);
  EXPECT_TRUE(tree_is_empty());
}

TEST_F(TsmPlatformTest, MissingOrUnknownProviderFails) {
  kernel_->provider.reset();
  EXPECT_THAT(make_tsm_platform(options()), HasCode(ErrorCode::kRunnerTsmUnknownProvider));
  kernel_->provider = "arm_cca_guest";
  EXPECT_THAT(make_tsm_platform(options()), HasCode(ErrorCode::kRunnerTsmUnknownProvider));
  EXPECT_TRUE(tree_is_empty());
}

TEST_F(TsmPlatformTest, ReportNotBindingTheReportDataFails) {
  kernel_->make_outblob = [](const proofs::Hash64&) { return chain_->report(proofs::Hash64{}); };
  Result<std::unique_ptr<Platform>> p = make_tsm_platform(options());  // all-zero at startup: fine
  ASSERT_OK(p);
  EXPECT_THAT((*p)->attest(sample_report_data()), HasCode(ErrorCode::kRunnerTsmBadReport));
  EXPECT_TRUE(tree_is_empty());
}

TEST_F(TsmPlatformTest, MalformedReportFails) {
  kernel_->make_outblob = [](const proofs::Hash64& rd) {
    Bytes r = chain_->report(rd);
    r.pop_back();
    return r;
  };
  EXPECT_THAT(make_tsm_platform(options()), HasCode(ErrorCode::kRunnerTsmBadReport));
  kernel_->make_outblob = [](const proofs::Hash64& rd) {
    Bytes r = chain_->report(rd);
    r[0] = 9;  // version 9
    return r;
  };
  EXPECT_THAT(make_tsm_platform(options()), HasCode(ErrorCode::kRunnerTsmBadReport));
  EXPECT_TRUE(tree_is_empty());
}

TEST_F(TsmPlatformTest, GenerationThatIsNotANumberFails) {
  kernel_->generation_text = "seven\n";
  EXPECT_THAT(make_tsm_platform(options()), HasCode(ErrorCode::kRunnerTsmIo));
  EXPECT_TRUE(tree_is_empty());
}

TEST_F(TsmPlatformTest, MissingRootIsUnavailable) {
  TsmOptions o = options();
  o.root = (dir_.path() / "absent").string();
  EXPECT_THAT(make_tsm_platform(o), HasCode(ErrorCode::kRunnerTsmUnavailable));
  PlatformOptions po;
  po.tsm_root = o.root;
  EXPECT_THAT(make_platform("tsm", po), HasCode(ErrorCode::kRunnerTsmUnavailable));
}

// A plain directory is not configfs: the real file operations make the entry,
// find no provider, and still remove what they made.
TEST_F(TsmPlatformTest, PosixTreeWithoutKernelHasNoProvider) {
  PlatformOptions po;
  po.tsm_root = dir_.path().string();
  EXPECT_THAT(make_platform("tsm", po), HasCode(ErrorCode::kRunnerTsmUnknownProvider));
  EXPECT_TRUE(tree_is_empty());
}

// TDX: a real v4 quote with its report_data replaced by the one written.
constexpr std::size_t kTdxReportDataAt = 48 + 520;
constexpr std::size_t kTdxMrTdAt = 48 + 136;

TEST_F(TsmPlatformTest, TdxQuoteEvidence) {
  VERUN_REQUIRE_VECTORS(dir, "attestation/tdx/tdx-v4-dcapqvl");
  const Bytes quote = ::verun::testing::read_file_bytes(dir / "quote.bin");
  ASSERT_GT(quote.size(), kTdxReportDataAt + 64);
  kernel_->provider = "tdx_guest";
  kernel_->auxblob.reset();
  kernel_->make_outblob = [quote](const proofs::Hash64& rd) {
    Bytes q = quote;
    std::copy(rd.begin(), rd.end(), q.begin() + kTdxReportDataAt);
    return q;
  };
  Result<std::unique_ptr<Platform>> p = make_tsm_platform(options());
  ASSERT_OK(p);
  EXPECT_EQ((*p)->kind(), proofs::Platform::kTdx);
  EXPECT_EQ((*p)->measurement_hex(),
            proofs::hex_encode(proofs::ByteView(quote.data() + kTdxMrTdAt, 48)));
  const proofs::Hash64 rd = sample_report_data();
  Result<proofs::Evidence> e = (*p)->attest(rd);
  ASSERT_OK(e);
  EXPECT_EQ(e->format, proofs::EvidenceFormat::kTdxQuote);
  EXPECT_TRUE(e->certs.empty());
  EXPECT_EQ(Bytes(e->data.begin() + kTdxReportDataAt, e->data.begin() + kTdxReportDataAt + 64),
            Bytes(rd.begin(), rd.end()));
  // A quote cut short does not parse.
  kernel_->make_outblob = [quote](const proofs::Hash64&) { return Bytes(quote.begin(), quote.begin() + 100); };
  EXPECT_THAT((*p)->attest(rd), HasCode(ErrorCode::kRunnerTsmBadReport));
  // A provider that changed under the runner.
  kernel_->provider = "sev_guest";
  EXPECT_THAT((*p)->attest(rd), HasCode(ErrorCode::kRunnerTsmUnknownProvider));
  EXPECT_TRUE(tree_is_empty());
  ::verun::testing::report_vector_count("tdx quotes through the tsm platform", 1);
}

}  // namespace
}  // namespace verun::runner
