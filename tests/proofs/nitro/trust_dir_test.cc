// The trust directory (trust_dir.h): which files count, PEM bundles, DER,
// every error, the corpus' root files; and its use by sev-snp-report to
// complete a chain carried without ASK/ARK (it can never add a root).
#include "verun/proofs/evidence/trust_dir.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "tests/proofs/nitro/nitro_testing.h"
#include "tests/support/matchers.h"
#include "tests/support/temp_dir.h"
#include "tests/support/vectors.h"
#include "verun/proofs/base64.h"
#include "verun/proofs/evidence/evidence.h"
#include "verun/proofs/evidence/sev_snp.h"
#include "verun/proofs/sha2.h"

namespace verun::proofs {
namespace {

namespace fs = std::filesystem;
using ::verun::testing::HasCode;
using ::verun::testing::TempDir;
using namespace ::verun::proofs::nitro_testing;

void write(const fs::path& p, ByteView data) {
  std::ofstream out(p, std::ios::binary);
  out.write(reinterpret_cast<const char*>(data.data()), static_cast<std::streamsize>(data.size()));
}
void write(const fs::path& p, std::string_view text) { write(p, as_bytes(text)); }

std::string pem(ByteView der, std::string_view label = "CERTIFICATE") {
  std::string b64 = base64_encode(der), out = "-----BEGIN " + std::string(label) + "-----\n";
  for (std::size_t i = 0; i < b64.size(); i += 64) out += b64.substr(i, 64) + "\n";
  return out + "-----END " + std::string(label) + "-----\n";
}

class TrustDir : public ::testing::Test {
 protected:
  Chain chain_;
  TempDir dir_;
};

TEST_F(TrustDir, ReadsPemBundlesDerAndCrtInNameOrder) {
  write(dir_.path() / "b.pem", "comment line\n" + pem(chain_.root) + pem(Bytes{1, 2}, "PRIVATE KEY") + pem(chain_.ca));
  write(dir_.path() / "a.DER", chain_.leaf);
  write(dir_.path() / "c.crt", pem(chain_.ca));
  write(dir_.path() / "d.crt", chain_.root);
  write(dir_.path() / "notes.txt", "not a certificate");
  fs::create_directory(dir_.path() / "sub.pem");
  Result<std::vector<Bytes>> certs = load_trust_dir(dir_.path());
  ASSERT_OK(certs);
  ASSERT_EQ(certs->size(), 5u);
  EXPECT_EQ((*certs)[0], chain_.leaf);
  EXPECT_EQ((*certs)[1], chain_.root);
  EXPECT_EQ((*certs)[2], chain_.ca);
  EXPECT_EQ((*certs)[3], chain_.ca);
  EXPECT_EQ((*certs)[4], chain_.root);
}

TEST_F(TrustDir, EmptyFolderGivesNoCertificates) {
  Result<std::vector<Bytes>> certs = load_trust_dir(dir_.path());
  ASSERT_OK(certs);
  EXPECT_TRUE(certs->empty());
}

TEST_F(TrustDir, RejectsWhatIsNotACertificate) {
  auto fails_with = [&](const std::string& name, ByteView contents) {
    TempDir d;
    write(d.path() / name, contents);
    Result<std::vector<Bytes>> r = load_trust_dir(d.path());
    EXPECT_THAT(r, HasCode(ErrorCode::kTrustDirInvalidCertificate)) << name;
  };
  fails_with("x.pem", as_bytes("no blocks here"));
  fails_with("x.pem", as_bytes(pem(Bytes{1, 2, 3}, "PUBLIC KEY")));
  fails_with("x.pem", as_bytes("-----BEGIN CERTIFICATE-----\nMIIB\n"));
  fails_with("x.pem", as_bytes("-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n"));
  fails_with("x.pem", as_bytes(pem(Bytes{0x30, 0x03, 0x02, 0x01, 0x01})));
  fails_with("x.der", Bytes{});
  fails_with("x.der", Bytes{0x30, 0x00});
  Bytes trailing = chain_.root;
  trailing.push_back(0);
  fails_with("x.der", trailing);
  fails_with("x.crt", as_bytes("garbage"));
}

TEST_F(TrustDir, RejectsUnreadableAndOversized) {
  EXPECT_THAT(load_trust_dir(dir_.path() / "missing"), HasCode(ErrorCode::kTrustDirUnreadable));
  write(dir_.path() / "file.pem", pem(chain_.root));
  EXPECT_THAT(load_trust_dir(dir_.path() / "file.pem"), HasCode(ErrorCode::kTrustDirUnreadable));
  write(dir_.path() / "big.pem", std::string(kTrustDirMaxFileSize + 1, '\n'));
  EXPECT_THAT(load_trust_dir(dir_.path()), HasCode(ErrorCode::kTrustDirUnreadable));
  TempDir many;
  for (std::size_t i = 0; i <= kTrustDirMaxFiles; ++i) write(many.path() / (std::to_string(i) + ".der"), chain_.root);
  EXPECT_THAT(load_trust_dir(many.path()), HasCode(ErrorCode::kTrustDirUnreadable));
  TempDir certs;
  std::string bundle;
  for (std::size_t i = 0; i < 300; ++i) bundle += pem(chain_.root);
  for (int f = 0; f < 4; ++f) write(certs.path() / (std::to_string(f) + ".pem"), bundle);
  EXPECT_THAT(load_trust_dir(certs.path()), HasCode(ErrorCode::kTrustDirUnreadable));
}

TEST(TrustDirVectors, ReadsTheCorpusRootsFolders) {
  VERUN_REQUIRE_VECTORS(roots, "attestation/roots");
  Result<std::vector<Bytes>> amd = load_trust_dir(roots / "amd");
  ASSERT_OK(amd);
  ASSERT_EQ(amd->size(), 3u);
  std::size_t pinned = 0;
  for (const Bytes& der : *amd)
    for (const SnpTrustedRoot& r : amd_snp_roots()) pinned += sha256(der) == r.fingerprint ? 1 : 0;
  EXPECT_EQ(pinned, 3u);
  Result<std::vector<Bytes>> aws = load_trust_dir(roots / "aws");
  ASSERT_OK(aws);
  ASSERT_EQ(aws->size(), 1u);
  ::verun::testing::report_vector_count("attestation/roots trust dirs", 2);
}

// snp-milan-v2-virtee's report and VCEK alone, with the ASK and ARK coming
// from a trust directory made of its ask_ark.pem.
TEST(TrustDirVectors, CompletesAnSnpChainCarriedWithoutAskAndArk) {
  VERUN_REQUIRE_VECTORS(dir, "attestation/sev-snp/snp-milan-v2-virtee");
  const nlohmann::json j = ::verun::testing::read_json(dir / "expected.json");
  const Bytes report = ::verun::testing::read_file_bytes(dir / "report.bin");
  const Bytes vcek = ::verun::testing::read_file_bytes(dir / "vcek.der");
  TempDir trust;
  fs::copy_file(dir / "ask_ark.pem", trust.path() / "ask_ark.pem");
  Result<std::vector<Bytes>> trusted = load_trust_dir(trust.path());
  ASSERT_OK(trusted);
  ASSERT_EQ(trusted->size(), 2u);

  Evidence e;
  e.format = EvidenceFormat::kSevSnpReport;
  e.data = report;
  e.certs = {vcek};
  EvidenceOptions o;
  o.at = parse_rfc3339(j["verify_at"].get<std::string>()).value();
  EXPECT_THAT(verify_evidence(e, o), HasCode(ErrorCode::kEvidenceChainInvalid));
  o.trusted_certs = *trusted;
  Result<Claims> c = verify_evidence(e, o);
  ASSERT_OK(c);
  EXPECT_EQ(c->chain_fingerprints.size(), 3u);
  // [VCEK, ASK] completed with the ARK alone.
  e.certs = {vcek, (*trusted)[0]};
  o.trusted_certs = {(*trusted)[1]};
  EXPECT_OK(verify_evidence(e, o));
  // Without the ARK, or with only a foreign "root", nothing is completed.
  e.certs = {vcek};
  o.trusted_certs = {(*trusted)[0]};
  EXPECT_THAT(verify_evidence(e, o), HasCode(ErrorCode::kEvidenceChainInvalid));
  ::verun::testing::report_vector_count("sev-snp chain completed from a trust dir", 1);
}

}  // namespace
}  // namespace verun::proofs
