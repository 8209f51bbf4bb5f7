// Ed25519 against RFC 8032 §7.1 and Wycheproof (shared/vectors/crypto/ed25519).
#include "tests/support/matchers.h"
#include "tests/support/vectors.h"
#include "verun/proofs/crypto/ed25519.h"
#include "verun/proofs/hex.h"

namespace verun::proofs {
namespace {

using verun::testing::HasCode;
using verun::testing::read_json;
using verun::testing::report_vector_count;

Bytes hx(const std::string& s) { return *hex_decode(s); }

TEST(Ed25519, Rfc8032Vectors) {
  VERUN_REQUIRE_VECTORS(dir, "crypto/ed25519");
  auto j = read_json(dir / "rfc8032-ed25519.json");
  auto& tests = j.is_array() ? j : j.at("tests");
  std::size_t n = 0;
  for (const auto& t : tests) {
    auto key = Ed25519PrivateKey::from_seed(hx(t.at("secret_key")));
    ASSERT_OK(key);
    EXPECT_EQ(hex_encode(key->public_key()), t.at("public_key").get<std::string>());
    Bytes msg = hx(t.at("message"));
    auto sig = key->sign(msg);
    EXPECT_EQ(hex_encode(sig), t.at("signature").get<std::string>());
    EXPECT_OK(ed25519_verify(key->public_key(), msg, sig));
    sig[5] ^= 0x01;
    EXPECT_THAT(ed25519_verify(key->public_key(), msg, sig), HasCode(ErrorCode::kCryptoBadSignature));
    sig[5] ^= 0x01;
    msg.push_back(0);
    EXPECT_THAT(ed25519_verify(key->public_key(), msg, sig), HasCode(ErrorCode::kCryptoBadSignature));
    ++n;
  }
  EXPECT_EQ(n, 5u);
  report_vector_count("RFC 8032 Ed25519", n);
}

TEST(Ed25519, WycheproofVectors) {
  VERUN_REQUIRE_VECTORS(dir, "crypto/ed25519");
  auto j = read_json(dir / "wycheproof_ed25519_test.json");
  std::size_t n = 0, valid = 0;
  for (const auto& g : j.at("testGroups")) {
    Bytes pk = hx(g.at("publicKey").at("pk"));
    for (const auto& t : g.at("tests")) {
      auto r = ed25519_verify(pk, hx(t.at("msg")), hx(t.at("sig")));
      bool want = t.at("result") == "valid";
      EXPECT_EQ(r.has_value(), want) << "tcId " << t.at("tcId") << " " << t.at("comment");
      ++n;
      valid += want;
    }
  }
  EXPECT_EQ(n, 151u);
  EXPECT_EQ(valid, 88u);
  report_vector_count("Wycheproof Ed25519", n);
}

TEST(Ed25519, RejectsBadLengths) {
  EXPECT_THAT(Ed25519PrivateKey::from_seed(Bytes(31)), HasCode(ErrorCode::kCryptoBadKey));
  EXPECT_THAT(Ed25519Verifier::make(Bytes(33)), HasCode(ErrorCode::kCryptoBadKey));
  auto key = Ed25519PrivateKey::generate();
  ASSERT_OK(key);
  auto v = Ed25519Verifier::make(key->public_key());
  ASSERT_OK(v);
  auto sig = key->sign(as_bytes("m"));
  EXPECT_OK(v->verify(as_bytes("m"), sig));
  EXPECT_THAT(v->verify(as_bytes("m"), ByteView(sig).first(63)), HasCode(ErrorCode::kCryptoBadSignatureEncoding));
}

TEST(Ed25519, GeneratedKeysDiffer) {
  auto a = Ed25519PrivateKey::generate(), b = Ed25519PrivateKey::generate();
  ASSERT_OK(a);
  ASSERT_OK(b);
  EXPECT_NE(a->public_key(), b->public_key());
}

}  // namespace
}  // namespace verun::proofs
