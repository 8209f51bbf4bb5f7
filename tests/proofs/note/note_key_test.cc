// Note keys: vkeys of shared/vectors/crypto/signed-note, key IDs (0x01 vs
// 0x04), x/mod signer keys, and every parse rule's negative case.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "tests/support/matchers.h"
#include "tests/support/vectors.h"
#include "verun/proofs/base64.h"
#include "verun/proofs/note/note_key.h"

namespace verun::proofs {
namespace {

using verun::testing::HasCode;
using verun::testing::read_json;
using verun::testing::report_vector_count;

constexpr std::string_view kPeterVkey = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
constexpr std::string_view kPeterSkey = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";

TEST(NoteKey, SignedNoteVectorVerifierKeys) {
  VERUN_REQUIRE_VECTORS(dir, "crypto/signed-note");
  const auto j = read_json(dir / "notes.json");
  const auto expected = read_json(dir / "expected.json").at("expected").at("verifier_keys");
  std::size_t valid = 0, invalid = 0;
  for (const auto& k : j.at("verifier_keys")) {
    const std::string vkey = k.at("vkey");
    auto v = parse_verifier_key(vkey);
    EXPECT_EQ(v.has_value(), k.at("valid").get<bool>()) << vkey << " " << (v ? "" : v.error().to_string());
    if (v) {
      EXPECT_EQ(format_verifier_key(*v), vkey);
      EXPECT_EQ(v->type(), NoteKeyType::kEd25519);
      ++valid;
    } else {
      ++invalid;
    }
  }
  EXPECT_EQ(valid, expected.at("valid").get<std::size_t>());
  EXPECT_EQ(invalid, expected.at("invalid").get<std::size_t>());
  EXPECT_EQ(valid, 3u);
  EXPECT_EQ(invalid, 2u);
  report_vector_count("signed-note verifier keys", valid + invalid);
}

TEST(NoteKey, InvalidVectorKeysFailForTheRightReason) {
  // 37-byte key with a matching ID, and an unknown type byte with a matching ID.
  EXPECT_THAT(parse_verifier_key("PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY=="),
              HasCode(ErrorCode::kNoteBadKey));
  EXPECT_THAT(parse_verifier_key("PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"),
              HasCode(ErrorCode::kNoteUnknownKeyType));
}

TEST(NoteKey, ParseRejectsEachBrokenPart) {
  EXPECT_OK(parse_verifier_key(kPeterVkey));
  // Key ID: wrong value, uppercase, short, long.
  EXPECT_THAT(parse_verifier_key("PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"),
              HasCode(ErrorCode::kNoteKeyIdMismatch));
  EXPECT_THAT(parse_verifier_key("PeterNeumann+C74F20A3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"),
              HasCode(ErrorCode::kNoteBadKey));
  EXPECT_THAT(parse_verifier_key("PeterNeumann+c74f20a+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"),
              HasCode(ErrorCode::kNoteBadKey));
  EXPECT_THAT(parse_verifier_key("PeterNeumann+c74f20a30+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"),
              HasCode(ErrorCode::kNoteBadKey));
  // Names: empty, with a space, with a non-breaking space.
  EXPECT_THAT(parse_verifier_key("+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"),
              HasCode(ErrorCode::kNoteBadKey));
  EXPECT_THAT(parse_verifier_key("Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"),
              HasCode(ErrorCode::kNoteBadKey));
  EXPECT_THAT(parse_verifier_key("Peter\xC2\xA0Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"),
              HasCode(ErrorCode::kNoteBadKey));
  // Missing parts, bad base64, empty key.
  EXPECT_THAT(parse_verifier_key("PeterNeumann"), HasCode(ErrorCode::kNoteBadKey));
  EXPECT_THAT(parse_verifier_key("PeterNeumann+c74f20a3"), HasCode(ErrorCode::kNoteBadKey));
  EXPECT_THAT(parse_verifier_key("PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10T"),
              HasCode(ErrorCode::kNoteBadKey));
  EXPECT_THAT(parse_verifier_key("PeterNeumann+c74f20a3+"), HasCode(ErrorCode::kNoteBadKey));
  // The same key bytes as a cosignature key: a different ID.
  auto v = parse_verifier_key(kPeterVkey);
  ASSERT_OK(v);
  auto cosig = NoteVerifier::make_cosignature_v1("PeterNeumann", v->public_key());
  ASSERT_OK(cosig);
  EXPECT_NE(cosig->key_id(), v->key_id());
  EXPECT_EQ(cosig->key_id(), note_key_id("PeterNeumann", NoteKeyType::kCosignatureV1, v->public_key()));
  auto round = parse_verifier_key(format_verifier_key(*cosig));
  ASSERT_OK(round);
  EXPECT_EQ(round->type(), NoteKeyType::kCosignatureV1);
}

TEST(NoteKey, WitnessKeyIdsHashTypeFour) {
  // The staging witness keys of the Rekor v2 vector: ID = SHA-256(name||\n||0x04||key)[:4].
  for (const char* vk : {"witness.stagemole.eu+67f7aea0+BEqSG3yu9YrmcM3BHvQYTxwFj3uSWakQepafafpUqklv",
                         "witness.navigli.sunlight.geomys.org+a3e00fe2+BNy/co4C1Hn1p+INwJrfUlgz7W55dSZReusH/GhUhJ/G"}) {
    auto v = parse_verifier_key(vk);
    ASSERT_OK(v);
    EXPECT_EQ(v->type(), NoteKeyType::kCosignatureV1);
    EXPECT_EQ(format_verifier_key(*v), vk);
  }
}

TEST(NoteKey, SignerKeyFromXmodRoundTrips) {
  auto s = parse_signer_key(kPeterSkey);
  ASSERT_OK(s);
  EXPECT_EQ(s->name(), "PeterNeumann");
  EXPECT_EQ(s->key_id(), 0xc74f20a3u);
  EXPECT_EQ(format_verifier_key(s->verifier()), kPeterVkey);
  const SecureBytes text = format_signer_key(*s);
  EXPECT_EQ(as_string_view(text.view()), kPeterSkey);
}

TEST(NoteKey, SignerKeyRejectsBrokenParts) {
  EXPECT_THAT(parse_signer_key("PRIVATE+KEY+PeterNeumann+c74f20a4+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"),
              HasCode(ErrorCode::kNoteKeyIdMismatch));
  EXPECT_THAT(parse_signer_key("PRIVATE+KEX+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"),
              HasCode(ErrorCode::kNoteBadKey));
  EXPECT_THAT(parse_signer_key(kPeterVkey), HasCode(ErrorCode::kNoteBadKey));
  // Type 0x03 in place of 0x01.
  EXPECT_THAT(parse_signer_key("PRIVATE+KEY+PeterNeumann+c74f20a3+A4EKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"),
              HasCode(ErrorCode::kNoteUnknownKeyType));
  // A 31-byte seed.
  EXPECT_THAT(parse_signer_key("PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKA=="),
              HasCode(ErrorCode::kNoteBadKey));
}

TEST(NoteKey, GeneratedCosignerKeyRoundTrips) {
  auto s = NoteSigner::generate("witness.example/w1", NoteKeyType::kCosignatureV1);
  ASSERT_OK(s);
  const SecureBytes text = format_signer_key(*s);
  auto back = parse_signer_key(as_string_view(text.view()));
  ASSERT_OK(back);
  EXPECT_EQ(back->type(), NoteKeyType::kCosignatureV1);
  EXPECT_EQ(back->key_id(), s->key_id());
  EXPECT_EQ(format_verifier_key(back->verifier()), format_verifier_key(s->verifier()));
  EXPECT_THAT(NoteSigner::generate("bad name"), HasCode(ErrorCode::kNoteBadKey));
  EXPECT_THAT(NoteSigner::generate("n", NoteKeyType::kEcdsa), HasCode(ErrorCode::kNoteUnknownKeyType));
}

TEST(NoteKey, EcdsaKeyIdIsHashOfSpki) {
  const auto spki = base64_decode(
      "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE2G2Y+2tabdTV5BcGiBIx0a9fAFwrkBbmLSGtks4L3qX6yYY0zufBnhC8Ur/iy55GhWP/9A/bY2LhC30M9+RYtw==");
  ASSERT_OK(spki);
  auto v = NoteVerifier::make_ecdsa("rekor.sigstore.dev", *spki);
  ASSERT_OK(v);
  EXPECT_EQ(v->key_id(), 0xc0d23d6au);  // the Rekor v1 log ID's first four bytes
  auto back = parse_verifier_key(format_verifier_key(*v));
  ASSERT_OK(back);
  EXPECT_EQ(back->key_id(), v->key_id());
  Bytes bad = *spki;
  bad.pop_back();
  EXPECT_FALSE(NoteVerifier::make_ecdsa("rekor.sigstore.dev", bad).has_value());
}

RC_GTEST_PROP(NoteKeyProperty, GeneratedKeysRoundTripThroughText, ()) {
  const auto n = *rc::gen::inRange<int>(1, 40);
  std::string name;
  for (int i = 0; i < n; ++i) name += static_cast<char>(*rc::gen::inRange<int>('!', '~' + 1));
  RC_PRE(name.find('+') == std::string::npos);
  const auto type = *rc::gen::element(NoteKeyType::kEd25519, NoteKeyType::kCosignatureV1);
  auto s = NoteSigner::generate(name, type);
  RC_ASSERT(s.has_value());
  auto v = parse_verifier_key(format_verifier_key(s->verifier()));
  RC_ASSERT(v.has_value());
  RC_ASSERT(v->key_id() == s->key_id());
  RC_ASSERT(v->name() == name);
}

}  // namespace
}  // namespace verun::proofs
