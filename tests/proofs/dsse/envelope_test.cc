// DSSE v1: PAE, envelope parsing in both modes, Ed25519 signing and
// verification, and the shared vectors (shared/vectors/crypto/dsse): the
// spec's P-256 example and the four Sigstore envelopes checked with their
// certificates' keys.
#include <algorithm>

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "tests/support/matchers.h"
#include "tests/support/vectors.h"
#include "verun/proofs/base64.h"
#include "verun/proofs/crypto/x509.h"
#include "verun/proofs/dsse/envelope.h"
#include "verun/proofs/dsse/pae.h"
#include "verun/proofs/hex.h"
#include "verun/proofs/json/jcs.h"
#include "verun/proofs/key_id.h"
#include "verun/proofs/sha2.h"

namespace verun::proofs {
namespace {

using verun::testing::HasCode;
using verun::testing::read_file;
using verun::testing::read_file_bytes;
using verun::testing::read_json;
using verun::testing::report_vector_count;

// A decimal integer as `width` big-endian bytes (for the spec's X, Y).
Bytes decimal_to_be(const std::string& dec, std::size_t width) {
  Bytes out(width, 0);
  for (char c : dec) {
    unsigned carry = static_cast<unsigned>(c - '0');
    for (std::size_t i = width; i-- > 0;) {
      unsigned v = out[i] * 10u + carry;
      out[i] = static_cast<std::uint8_t>(v & 0xff);
      carry = v >> 8;
    }
  }
  return out;
}

Ed25519PrivateKey test_key(std::uint8_t fill) { return *Ed25519PrivateKey::from_seed(Bytes(32, fill)); }

const std::string kPayloadText = R"({"_type":"https://in-toto.io/Statement/v1"})";

TEST(DssePae, MatchesHandWrittenEncoding) {
  Bytes got = pae("type", as_bytes("body"));
  EXPECT_EQ(to_string(got), "DSSEv1 4 type 4 body");
  EXPECT_EQ(to_string(pae("", {})), "DSSEv1 0  0 ");
  // Lengths are bytes, not characters: "é" is two bytes.
  EXPECT_EQ(to_string(pae("\xc3\xa9", as_bytes("0123456789"))), "DSSEv1 2 \xc3\xa9 10 0123456789");
}

TEST(DssePae, SpecVector) {
  VERUN_REQUIRE_VECTORS(dir, "crypto/dsse");
  auto j = read_json(dir / "spec-example.json");
  auto expected = read_json(dir / "expected.json");
  Bytes got = pae(j.at("payload_type").get<std::string>(), as_bytes(j.at("payload_utf8").get<std::string>()));
  EXPECT_EQ(to_string(got), j.at("pae_utf8").get<std::string>());
  EXPECT_EQ(to_string(got), expected.at("expected").at("spec_example").at("pae").get<std::string>());
  report_vector_count("DSSE spec PAE", 1);
}

TEST(DsseSpecExample, P256SignatureVerifiesOverPaeOnly) {
  VERUN_REQUIRE_VECTORS(dir, "crypto/dsse");
  auto j = read_json(dir / "spec-example.json");
  Bytes point{0x04};
  append(point, decimal_to_be(j.at("key").at("x_decimal").get<std::string>(), 32));
  append(point, decimal_to_be(j.at("key").at("y_decimal").get<std::string>(), 32));
  auto verifier = EcdsaVerifier::from_point(EcdsaCurve::kP256, point);
  ASSERT_OK(verifier);
  std::size_t n = 0;
  for (const char* which : {"envelope", "envelope_with_keyid"}) {
    auto env = parse_envelope(j.at(which), EnvelopeMode::kVerifier);
    ASSERT_OK(env);
    EXPECT_EQ(to_string(env->payload), "hello world");
    EXPECT_OK(verify_envelope_signature(*env, *verifier, EcdsaSignatureFormat::kP1363));
    // Not over the bare payload: a "signature" check without PAE must fail.
    EXPECT_THAT(verifier->verify(env->payload, env->signatures[0].sig, EcdsaSignatureFormat::kP1363),
                HasCode(ErrorCode::kCryptoBadSignature));
    Envelope changed = *env;
    changed.payload_type = "http://example.com/HelloWorld2";
    EXPECT_THAT(verify_envelope_signature(changed, *verifier, EcdsaSignatureFormat::kP1363),
                HasCode(ErrorCode::kDsseBadSignature));
    changed = *env;
    changed.payload[0] ^= 1;
    EXPECT_THAT(verify_envelope_signature(changed, *verifier, EcdsaSignatureFormat::kP1363),
                HasCode(ErrorCode::kDsseBadSignature));
    ++n;
  }
  // The spec envelope has no keyid and a foreign payloadType: the log refuses it.
  EXPECT_THAT(parse_envelope(j.at("envelope"), EnvelopeMode::kLogAdmission),
              HasCode(ErrorCode::kDsseWrongPayloadType));
  EXPECT_TRUE(read_json(dir / "expected.json").at("expected").at("spec_example").at("signature_valid").get<bool>());
  EXPECT_EQ(n, 2u);
  report_vector_count("DSSE spec example envelopes", n);
}

TEST(DsseSigstore, ConformanceEnvelopesVerifyWithTheirCertificateKeys) {
  VERUN_REQUIRE_VECTORS(dir, "crypto/dsse");
  auto expected = read_json(dir / "expected.json").at("expected").at("sigstore_conformance");
  std::size_t n = 0, valid = 0;
  for (auto it = expected.begin(); it != expected.end(); ++it) {
    auto case_dir = dir / "sigstore-conformance" / it.key();
    bool want = it->at("dsse_signature_valid").get<bool>();
    auto env = parse_envelope(std::string_view(read_file(case_dir / "envelope.json")), EnvelopeMode::kVerifier);
    ASSERT_OK(env) << it.key();
    EXPECT_EQ(env->payload_type, kInTotoPayloadType);
    ASSERT_EQ(env->signatures.size(), 1u);
    EXPECT_EQ(env->signatures[0].keyid, "");
    auto cert = parse_certificate(read_file_bytes(case_dir / "signing-cert.pem"));
    ASSERT_OK(cert) << it.key();
    auto verifier = EcdsaVerifier::from_spki_der(cert->spki_der);
    ASSERT_OK(verifier) << it.key();
    EXPECT_EQ(verifier->curve(), EcdsaCurve::kP256);
    auto r = verify_envelope_signature(*env, *verifier, EcdsaSignatureFormat::kDer);
    if (want) {
      EXPECT_OK(r) << it.key();
      // A flipped payload byte or another payloadType breaks it.
      Envelope changed = *env;
      changed.payload.back() ^= 0x01;
      EXPECT_THAT(verify_envelope_signature(changed, *verifier), HasCode(ErrorCode::kDsseBadSignature));
      changed = *env;
      changed.payload_type = "application/json";
      EXPECT_THAT(verify_envelope_signature(changed, *verifier), HasCode(ErrorCode::kDsseBadSignature));
      ++valid;
    } else {
      EXPECT_THAT(r, HasCode(ErrorCode::kDsseBadSignature)) << it.key();
    }
    // Without a keyid the log would refuse it.
    auto j = read_json(case_dir / "envelope.json");
    EXPECT_THAT(parse_envelope(j, EnvelopeMode::kLogAdmission), HasCode(ErrorCode::kDsseMissingKeyid));
    ++n;
  }
  EXPECT_EQ(n, 4u);
  EXPECT_EQ(valid, 3u);
  report_vector_count("Sigstore DSSE envelopes", n);
}

TEST(DsseSigstore, HappyPathPayloadIsTheStatementFileByteForByte) {
  VERUN_REQUIRE_VECTORS(dir, "crypto/dsse");
  VERUN_REQUIRE_VECTORS(intoto, "crypto/in-toto");
  auto env = parse_envelope(
      std::string_view(read_file(dir / "sigstore-conformance/happy-path-intoto-in-dsse-v3/envelope.json")),
      EnvelopeMode::kVerifier);
  ASSERT_OK(env);
  Bytes statement = read_file_bytes(intoto / "sigstore-happy-path-statement.json");
  EXPECT_EQ(env->payload, statement);
  auto files = read_json(intoto / "expected.json").at("files").at("sigstore-happy-path-statement.json");
  EXPECT_EQ(hex_encode(sha256(statement)), files.at("sha256").get<std::string>());
  EXPECT_EQ(statement.size(), files.at("bytes").get<std::size_t>());
}

TEST(X509, ReadsPemAndDerAndRejectsGarbage) {
  VERUN_REQUIRE_VECTORS(dir, "crypto/dsse");
  Bytes pem = read_file_bytes(dir / "sigstore-conformance/happy-path-intoto-in-dsse-v3/signing-cert.pem");
  auto from_pem = parse_certificate(pem);
  ASSERT_OK(from_pem);
  auto from_der = parse_certificate(from_pem->der);
  ASSERT_OK(from_der);
  EXPECT_EQ(from_der->der, from_pem->der);
  EXPECT_EQ(from_der->spki_der, from_pem->spki_der);
  // The SPKI is a DER SEQUENCE inside the certificate.
  EXPECT_EQ(from_pem->spki_der[0], 0x30);
  EXPECT_NE(std::search(from_pem->der.begin(), from_pem->der.end(), from_pem->spki_der.begin(),
                        from_pem->spki_der.end()),
            from_pem->der.end());

  EXPECT_THAT(parse_certificate({}), HasCode(ErrorCode::kX509Malformed));
  EXPECT_THAT(parse_certificate(as_bytes("not a certificate")), HasCode(ErrorCode::kX509Malformed));
  EXPECT_THAT(parse_certificate(as_bytes("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")),
              HasCode(ErrorCode::kX509Malformed));
  Bytes truncated(from_pem->der.begin(), from_pem->der.end() - 1);
  EXPECT_THAT(parse_certificate(truncated), HasCode(ErrorCode::kX509Malformed));
  Bytes extended = from_pem->der;
  extended.push_back(0);
  EXPECT_THAT(parse_certificate(extended), HasCode(ErrorCode::kX509Malformed));
}

// --- Ed25519 envelopes and the two modes ---------------------------------

Json valid_envelope_json(const Ed25519PrivateKey& key, ByteView payload) {
  return serialize_envelope(sign_envelope(kInTotoPayloadType, payload, key));
}

TEST(DsseEnvelope, SignedEnvelopeRoundTripsAndVerifies) {
  auto key = test_key(7);
  Envelope env = sign_envelope(kInTotoPayloadType, as_bytes(kPayloadText), key);
  ASSERT_EQ(env.signatures.size(), 1u);
  EXPECT_EQ(env.signatures[0].keyid, key_id(key.public_key()));
  Json j = serialize_envelope(env);
  for (auto mode : {EnvelopeMode::kLogAdmission, EnvelopeMode::kVerifier}) {
    auto parsed = parse_envelope(j, mode);
    ASSERT_OK(parsed);
    EXPECT_EQ(*parsed, env);
  }
  auto leaf = envelope_leaf(env);
  ASSERT_OK(leaf);
  EXPECT_EQ(*leaf, *jcs_serialize(j));
  auto text = parse_envelope(std::string_view(*leaf), EnvelopeMode::kLogAdmission);
  ASSERT_OK(text);
  EXPECT_EQ(*text, env);

  auto verifier = Ed25519Verifier::make(key.public_key());
  ASSERT_OK(verifier);
  EXPECT_OK(verify_envelope_signature(env, *verifier));
  EXPECT_OK(verify_verun_envelope(env, *verifier));
  // The signature is over PAE, not the bare payload.
  EXPECT_OK(verifier->verify(pae(env.payload_type, env.payload), env.signatures[0].sig));
  EXPECT_THAT(verifier->verify(env.payload, env.signatures[0].sig), HasCode(ErrorCode::kCryptoBadSignature));
}

TEST(DsseEnvelope, VerificationRejectsEveryChange) {
  auto key = test_key(7);
  Envelope env = sign_envelope(kInTotoPayloadType, as_bytes(kPayloadText), key);
  auto verifier = *Ed25519Verifier::make(key.public_key());
  auto other = *Ed25519Verifier::make(test_key(8).public_key());

  for (std::size_t i = 0; i < env.payload.size(); ++i) {
    Envelope e = env;
    e.payload[i] ^= 0x20;
    ASSERT_THAT(verify_envelope_signature(e, verifier), HasCode(ErrorCode::kDsseBadSignature)) << i;
  }
  for (std::size_t i = 0; i < env.signatures[0].sig.size(); i += 7) {
    Envelope e = env;
    e.signatures[0].sig[i] ^= 0x01;
    ASSERT_THAT(verify_envelope_signature(e, verifier), HasCode(ErrorCode::kDsseBadSignature)) << i;
  }
  Envelope e = env;
  e.payload.push_back(' ');
  EXPECT_THAT(verify_envelope_signature(e, verifier), HasCode(ErrorCode::kDsseBadSignature));
  e = env;
  e.payload_type = "application/vnd.in-toto+jsoN";
  EXPECT_THAT(verify_envelope_signature(e, verifier), HasCode(ErrorCode::kDsseBadSignature));
  EXPECT_THAT(verify_verun_envelope(e, verifier), HasCode(ErrorCode::kDsseWrongPayloadType));
  e = env;
  e.signatures[0].sig.pop_back();
  EXPECT_THAT(verify_envelope_signature(e, verifier), HasCode(ErrorCode::kDsseBadSignature));
  e = env;
  e.signatures.clear();
  EXPECT_THAT(verify_envelope_signature(e, verifier), HasCode(ErrorCode::kDsseBadSignature));
  EXPECT_THAT(verify_verun_envelope(e, verifier), HasCode(ErrorCode::kDsseSignatureCount));

  // Wrong key: the signature fails, and verun's rule sees the keyid first.
  EXPECT_THAT(verify_envelope_signature(env, other), HasCode(ErrorCode::kDsseBadSignature));
  EXPECT_THAT(verify_verun_envelope(env, other), HasCode(ErrorCode::kDsseKeyidMismatch));
  // A keyid naming the other key does not make the other key's check pass.
  e = env;
  e.signatures[0].keyid = key_id(other.public_key());
  EXPECT_THAT(verify_verun_envelope(e, other), HasCode(ErrorCode::kDsseBadSignature));
  EXPECT_THAT(verify_verun_envelope(e, verifier), HasCode(ErrorCode::kDsseKeyidMismatch));
  e = env;
  e.signatures[0].keyid.clear();
  EXPECT_THAT(verify_verun_envelope(e, verifier), HasCode(ErrorCode::kDsseMissingKeyid));

  // An extra signature: DSSE accepts any one valid signature, verun wants one.
  e = env;
  e.signatures.push_back(sign_envelope(kInTotoPayloadType, env.payload, test_key(8)).signatures[0]);
  EXPECT_OK(verify_envelope_signature(e, verifier));
  EXPECT_OK(verify_envelope_signature(e, other));
  EXPECT_THAT(verify_verun_envelope(e, verifier), HasCode(ErrorCode::kDsseSignatureCount));
  EXPECT_THAT(parse_envelope(serialize_envelope(e), EnvelopeMode::kLogAdmission),
              HasCode(ErrorCode::kDsseSignatureCount));
  EXPECT_OK(parse_envelope(serialize_envelope(e), EnvelopeMode::kVerifier));
}

// Bytes whose standard base64 has '+' and '/' and no padding, so the
// URL-safe and unpadded forms differ from it.
Bytes url_sensitive_payload() { return Bytes{0xfb, 0xff, 0xbf, 0xfb, 0xef, 0xff}; }

TEST(DsseEnvelope, UrlSafeAndUnpaddedBase64AcceptedOnlyInVerifierMode) {
  auto key = test_key(3);
  Envelope env = sign_envelope(kInTotoPayloadType, url_sensitive_payload(), key);
  Json j = serialize_envelope(env);
  ASSERT_EQ(j["payload"], "+/+/++//");
  auto verifier = *Ed25519Verifier::make(key.public_key());

  Json url = j;
  url["payload"] = base64url_encode(env.payload);
  ASSERT_EQ(url["payload"], "-_-_--__");
  EXPECT_THAT(parse_envelope(url, EnvelopeMode::kLogAdmission), HasCode(ErrorCode::kDsseBadEncoding));
  auto parsed = parse_envelope(url, EnvelopeMode::kVerifier);
  ASSERT_OK(parsed);
  EXPECT_EQ(parsed->payload, env.payload);
  EXPECT_OK(verify_verun_envelope(*parsed, verifier));

  // The signature in URL-safe unpadded form (64 bytes: unpadded differs).
  Json url_sig = j;
  url_sig["signatures"][0]["sig"] = base64url_encode(env.signatures[0].sig);
  EXPECT_THAT(parse_envelope(url_sig, EnvelopeMode::kLogAdmission), HasCode(ErrorCode::kDsseBadEncoding));
  parsed = parse_envelope(url_sig, EnvelopeMode::kVerifier);
  ASSERT_OK(parsed);
  EXPECT_OK(verify_verun_envelope(*parsed, verifier));

  // Standard alphabet without padding.
  Envelope short_env = sign_envelope(kInTotoPayloadType, as_bytes("ab"), key);
  Json unpadded = serialize_envelope(short_env);
  ASSERT_EQ(unpadded["payload"], "YWI=");
  unpadded["payload"] = "YWI";
  EXPECT_THAT(parse_envelope(unpadded, EnvelopeMode::kLogAdmission), HasCode(ErrorCode::kDsseBadEncoding));
  parsed = parse_envelope(unpadded, EnvelopeMode::kVerifier);
  ASSERT_OK(parsed);
  EXPECT_EQ(to_string(parsed->payload), "ab");

  // Mixed alphabets, stray characters and whitespace are refused in both modes.
  for (const char* bad : {"+/-_", "YW I=", "YWI=\n", "Y*I=", "YQ==="}) {
    Json b = j;
    b["payload"] = bad;
    EXPECT_THAT(parse_envelope(b, EnvelopeMode::kVerifier), HasCode(ErrorCode::kDsseBadEncoding)) << bad;
    EXPECT_THAT(parse_envelope(b, EnvelopeMode::kLogAdmission), HasCode(ErrorCode::kDsseBadEncoding)) << bad;
  }
}

TEST(DsseEnvelope, ShapeIsExact) {
  auto key = test_key(5);
  Json good = valid_envelope_json(key, as_bytes(kPayloadText));
  for (auto mode : {EnvelopeMode::kLogAdmission, EnvelopeMode::kVerifier}) {
    SCOPED_TRACE(mode == EnvelopeMode::kLogAdmission ? "log admission" : "verifier");
    EXPECT_OK(parse_envelope(good, mode));
    auto expect_code = [&](Json j, ErrorCode code) { EXPECT_THAT(parse_envelope(j, mode), HasCode(code)) << j; };
    Json j = good;
    j["extra"] = "x";
    expect_code(j, ErrorCode::kDsseMalformed);
    j = good;
    j["signatures"][0]["extra"] = "x";
    expect_code(j, ErrorCode::kDsseMalformed);
    for (const char* field : {"payload", "payloadType", "signatures"}) {
      j = good;
      j.erase(field);
      expect_code(j, ErrorCode::kDsseMalformed);
      j = good;
      j[field] = 1;
      expect_code(j, ErrorCode::kDsseMalformed);
    }
    j = good;
    j["signatures"][0].erase("sig");
    expect_code(j, ErrorCode::kDsseMalformed);
    j = good;
    j["signatures"][0]["sig"] = true;
    expect_code(j, ErrorCode::kDsseMalformed);
    j = good;
    j["signatures"][0]["keyid"] = 5;
    expect_code(j, ErrorCode::kDsseMalformed);
    j = good;
    j["signatures"][0] = "sig";
    expect_code(j, ErrorCode::kDsseMalformed);
    j = good;
    j["signatures"] = Json::array();
    expect_code(j, ErrorCode::kDsseSignatureCount);
    expect_code(Json::array(), ErrorCode::kDsseMalformed);
    expect_code(Json("envelope"), ErrorCode::kDsseMalformed);
  }
  // Log admission only: keyid required, key_id shaped; in-toto payloadType.
  Json j = good;
  j["signatures"][0].erase("keyid");
  EXPECT_THAT(parse_envelope(j, EnvelopeMode::kLogAdmission), HasCode(ErrorCode::kDsseMissingKeyid));
  auto verifier_mode = parse_envelope(j, EnvelopeMode::kVerifier);
  ASSERT_OK(verifier_mode);
  EXPECT_EQ(verifier_mode->signatures[0].keyid, "");
  for (std::string bad : {std::string(""), std::string(63, 'a'), std::string(64, 'A'), std::string(65, 'a')}) {
    j = good;
    j["signatures"][0]["keyid"] = bad;
    EXPECT_THAT(parse_envelope(j, EnvelopeMode::kLogAdmission), HasCode(ErrorCode::kDsseMalformed)) << bad;
    EXPECT_OK(parse_envelope(j, EnvelopeMode::kVerifier));
  }
  j = good;
  j["payloadType"] = "application/json";
  EXPECT_THAT(parse_envelope(j, EnvelopeMode::kLogAdmission), HasCode(ErrorCode::kDsseWrongPayloadType));
  EXPECT_OK(parse_envelope(j, EnvelopeMode::kVerifier));
}

TEST(DsseEnvelope, TextParsingUsesStrictJson) {
  auto key = test_key(5);
  std::string leaf = *jcs_serialize(valid_envelope_json(key, as_bytes(kPayloadText)));
  EXPECT_OK(parse_envelope(std::string_view(leaf), EnvelopeMode::kLogAdmission));
  std::string dup = leaf;
  dup.insert(1, R"("payloadType":"x",)");
  EXPECT_THAT(parse_envelope(std::string_view(dup), EnvelopeMode::kVerifier), HasCode(ErrorCode::kJsonDuplicateKey));
  EXPECT_THAT(parse_envelope(std::string_view(leaf.substr(0, leaf.size() - 1)), EnvelopeMode::kVerifier),
              HasCode(ErrorCode::kJsonSyntax));
  EXPECT_THAT(parse_envelope(std::string_view("{}"), EnvelopeMode::kVerifier), HasCode(ErrorCode::kDsseMalformed));
}

TEST(DsseEnvelope, LogAdmissionRefusesLeavesOver65535Bytes) {
  auto key = test_key(9);
  // The leaf is JCS of the envelope: find the largest payload that fits.
  std::size_t overhead = envelope_leaf(sign_envelope(kInTotoPayloadType, {}, key))->size();
  std::size_t max_payload = (kMaxEnvelopeJcsBytes - overhead) / 4 * 3;  // base64 grows 3 -> 4
  Envelope fits = sign_envelope(kInTotoPayloadType, Bytes(max_payload, 'a'), key);
  ASSERT_LE(envelope_leaf(fits)->size(), kMaxEnvelopeJcsBytes);
  EXPECT_OK(parse_envelope(serialize_envelope(fits), EnvelopeMode::kLogAdmission));
  Envelope big = sign_envelope(kInTotoPayloadType, Bytes(max_payload + 3, 'a'), key);
  ASSERT_GT(envelope_leaf(big)->size(), kMaxEnvelopeJcsBytes);
  EXPECT_THAT(parse_envelope(serialize_envelope(big), EnvelopeMode::kLogAdmission), HasCode(ErrorCode::kDsseTooLarge));
  EXPECT_OK(parse_envelope(serialize_envelope(big), EnvelopeMode::kVerifier));
}

TEST(KeyId, IsLowercaseHexSha256OfTheRawKey) {
  // RFC 8032 §7.1 test 1 public key; digest computed independently (Python hashlib).
  Ed25519PublicKey pk{};
  Bytes raw = *hex_decode("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
  std::copy(raw.begin(), raw.end(), pk.begin());
  EXPECT_EQ(key_id(pk), "21fe31dfa154a261626bf854046fd2271b7bed4b6abe45aa58877ef47f9721b9");
  EXPECT_EQ(hex_encode(key_id_digest(pk)), key_id(pk));
  EXPECT_TRUE(is_key_id(key_id(pk)));
  EXPECT_FALSE(is_key_id("21FE31dfa154a261626bf854046fd2271b7bed4b6abe45aa58877ef47f9721b9"));
  EXPECT_FALSE(is_key_id("21fe31dfa154a261626bf854046fd2271b7bed4b6abe45aa58877ef47f9721b"));
  EXPECT_FALSE(is_key_id("21fe31dfa154a261626bf854046fd2271b7bed4b6abe45aa58877ef47f9721b9a"));
  EXPECT_FALSE(is_key_id("21fe31dfa154a261626bf854046fd2271b7bed4b6abe45aa58877ef47f9721bg"));
}

RC_GTEST_PROP(DsseEnvelopeProperty, SignedEnvelopesRoundTripAndAnyPayloadFlipFails,
              (const std::vector<std::uint8_t>& payload, const std::string& payload_type)) {
  static const Ed25519PrivateKey key = test_key(11);
  static const Ed25519Verifier verifier = *Ed25519Verifier::make(key.public_key());
  Envelope env = sign_envelope(payload_type, payload, key);
  RC_ASSERT(verify_envelope_signature(env, verifier).has_value());
  // Through JSON in verifier mode (any payloadType), with URL-safe base64 too.
  Json j = serialize_envelope(env);
  auto back = parse_envelope(j, EnvelopeMode::kVerifier);
  RC_ASSERT(back.has_value());
  RC_ASSERT(*back == env);
  j["payload"] = base64url_encode(env.payload);
  back = parse_envelope(j, EnvelopeMode::kVerifier);
  RC_ASSERT(back.has_value());
  RC_ASSERT(back->payload == env.payload);
  if (!payload.empty()) {
    Envelope flipped = env;
    const auto i = *rc::gen::inRange<std::size_t>(0, payload.size());
    const auto bit = *rc::gen::inRange(0, 8);
    flipped.payload[i] ^= static_cast<std::uint8_t>(1u << bit);
    RC_ASSERT(verify_envelope_signature(flipped, verifier).code() == ErrorCode::kDsseBadSignature);
  }
}

}  // namespace
}  // namespace verun::proofs
