// ECDSA P-256/P-384 verification against Wycheproof, DER and P1363 forms
// (shared/vectors/crypto/ecdsa).
#include "tests/support/matchers.h"
#include "tests/support/vectors.h"
#include "verun/proofs/crypto/ecdsa.h"
#include "verun/proofs/hex.h"

namespace verun::proofs {
namespace {

using verun::testing::read_json;
using verun::testing::report_vector_count;

struct File {
  const char* name;
  EcdsaSignatureFormat format;
};

TEST(Ecdsa, WycheproofVectors) {
  VERUN_REQUIRE_VECTORS(dir, "crypto/ecdsa");
  const File files[] = {
      {"wycheproof_ecdsa_secp256r1_sha256_test.json", EcdsaSignatureFormat::kDer},
      {"wycheproof_ecdsa_secp256r1_sha256_p1363_test.json", EcdsaSignatureFormat::kP1363},
      {"wycheproof_ecdsa_secp384r1_sha384_test.json", EcdsaSignatureFormat::kDer},
      {"wycheproof_ecdsa_secp384r1_sha384_p1363_test.json", EcdsaSignatureFormat::kP1363},
  };
  std::size_t total = 0;
  for (const auto& f : files) {
    auto j = read_json(dir / f.name);
    std::size_t n = 0;
    for (const auto& g : j.at("testGroups")) {
      auto der = hex_decode(g.at("publicKeyDer").get<std::string>());
      ASSERT_TRUE(der.has_value());
      auto v = EcdsaVerifier::from_spki_der(*der);
      ASSERT_TRUE(v.has_value()) << f.name << ": " << v.error().to_string();
      for (const auto& t : g.at("tests")) {
        auto msg = hex_decode(t.at("msg").get<std::string>());
        auto sig = hex_decode(t.at("sig").get<std::string>());
        ASSERT_TRUE(msg && sig);
        auto r = v->verify(*msg, *sig, f.format);
        std::string want = t.at("result");
        if (want == "valid") {
          EXPECT_TRUE(r.has_value()) << f.name << " tcId " << t.at("tcId");
        } else if (want == "invalid") {
          EXPECT_FALSE(r.has_value()) << f.name << " tcId " << t.at("tcId");
        }
        ++n;
      }
    }
    EXPECT_EQ(n, j.at("numberOfTests").get<std::size_t>()) << f.name;
    total += n;
  }
  report_vector_count("Wycheproof ECDSA P-256/P-384", total);
}

TEST(Ecdsa, FromPointRejectsPointsOffTheCurve) {
  Bytes p(65, 0x01);
  p[0] = 0x04;
  EXPECT_FALSE(EcdsaVerifier::from_point(EcdsaCurve::kP256, p).has_value());
  EXPECT_FALSE(EcdsaVerifier::from_point(EcdsaCurve::kP256, Bytes(10)).has_value());
  EXPECT_FALSE(EcdsaVerifier::from_spki_der(Bytes{0x30, 0x00}).has_value());
}

}  // namespace
}  // namespace verun::proofs
