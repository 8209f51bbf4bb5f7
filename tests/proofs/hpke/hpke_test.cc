// HPKE base mode: negative cases (tampering, wrong key or info, sequence
// reuse, bad lengths, low-order keys, limits) and RapidCheck properties.
#include <limits>
#include <ostream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "tests/support/matchers.h"
#include "verun/proofs/hex.h"
#include "verun/proofs/hpke/hpke.h"

namespace verun::proofs {

// Readable parameter names in test output ("aead 0x0003").
void PrintTo(HpkeAead aead, std::ostream* os) {
  *os << "aead 0x" << std::hex << static_cast<unsigned>(aead) << std::dec;
}

namespace {

using verun::testing::HasCode;

constexpr HpkeAead kSealingAeads[] = {HpkeAead::kAes128Gcm, HpkeAead::kAes256Gcm, HpkeAead::kChaCha20Poly1305};

HpkeSuite suite_for(HpkeAead aead) {
  return HpkeSuite{HpkeKem::kDhkemX25519HkdfSha256, HpkeKdf::kHkdfSha256, aead};
}
Bytes b(std::string_view s) { return to_bytes(s); }
std::string str(const SecureBytes& s) { return std::string(as_string_view(s.view())); }

class HpkeNegative : public ::testing::TestWithParam<HpkeAead> {
 protected:
  void SetUp() override {
    auto k = HpkePrivateKey::generate();
    ASSERT_OK(k);
    key_ = std::make_unique<HpkePrivateKey>(std::move(*k));
    auto s = hpke_seal(suite(), key_->public_key(), info_, aad_, pt_);
    ASSERT_OK(s);
    sealed_ = *s;
    ASSERT_OK(open(sealed_.enc, info_, aad_, sealed_.ciphertext));
  }
  HpkeSuite suite() const { return suite_for(GetParam()); }
  Result<SecureBytes> open(ByteView enc, ByteView info, ByteView aad, ByteView ct) const {
    return hpke_open(suite(), *key_, enc, info, aad, ct);
  }

  std::unique_ptr<HpkePrivateKey> key_;
  Bytes info_ = b("verun/job/v1");
  Bytes aad_ = b("{\"workload\":\"wordcount\"}");
  Bytes pt_ = b("the input of the job");
  HpkeSealed sealed_;
};

TEST_P(HpkeNegative, OpensTheOriginal) {
  auto pt = open(sealed_.enc, info_, aad_, sealed_.ciphertext);
  ASSERT_OK(pt);
  EXPECT_EQ(str(*pt), "the input of the job");
  EXPECT_EQ(sealed_.ciphertext.size(), pt_.size() + kAeadTagSize);
}

TEST_P(HpkeNegative, FlippedCiphertextBitFails) {
  Bytes ct = sealed_.ciphertext;
  ct[0] ^= 0x80;
  EXPECT_THAT(open(sealed_.enc, info_, aad_, ct), HasCode(ErrorCode::kHpkeOpenFailed));
}

TEST_P(HpkeNegative, FlippedTagBitFails) {
  Bytes ct = sealed_.ciphertext;
  ct.back() ^= 0x01;
  EXPECT_THAT(open(sealed_.enc, info_, aad_, ct), HasCode(ErrorCode::kHpkeOpenFailed));
}

TEST_P(HpkeNegative, FlippedAadBitFails) {
  Bytes aad = aad_;
  aad[3] ^= 0x04;
  EXPECT_THAT(open(sealed_.enc, info_, aad, sealed_.ciphertext), HasCode(ErrorCode::kHpkeOpenFailed));
  EXPECT_THAT(open(sealed_.enc, info_, {}, sealed_.ciphertext), HasCode(ErrorCode::kHpkeOpenFailed));
}

TEST_P(HpkeNegative, FlippedEncBitFails) {
  for (std::size_t byte : {0u, 17u, 30u}) {
    HpkePublicKey enc = sealed_.enc;
    enc[byte] ^= 0x02;
    EXPECT_THAT(open(enc, info_, aad_, sealed_.ciphertext), HasCode(ErrorCode::kHpkeOpenFailed)) << byte;
  }
}

TEST_P(HpkeNegative, WrongRecipientKeyFails) {
  auto other = HpkePrivateKey::generate();
  ASSERT_OK(other);
  EXPECT_THAT(hpke_open(suite(), *other, sealed_.enc, info_, aad_, sealed_.ciphertext),
              HasCode(ErrorCode::kHpkeOpenFailed));
}

TEST_P(HpkeNegative, WrongInfoFails) {
  EXPECT_THAT(open(sealed_.enc, b("verun/job/v2"), aad_, sealed_.ciphertext), HasCode(ErrorCode::kHpkeOpenFailed));
  EXPECT_THAT(open(sealed_.enc, {}, aad_, sealed_.ciphertext), HasCode(ErrorCode::kHpkeOpenFailed));
}

TEST_P(HpkeNegative, WrongAeadFails) {
  for (HpkeAead other : kSealingAeads) {
    if (other == GetParam()) continue;
    EXPECT_THAT(hpke_open(suite_for(other), *key_, sealed_.enc, info_, aad_, sealed_.ciphertext),
                HasCode(ErrorCode::kHpkeOpenFailed));
  }
}

TEST_P(HpkeNegative, TruncatedCiphertextFails) {
  const ByteView ct = sealed_.ciphertext;
  EXPECT_THAT(open(sealed_.enc, info_, aad_, ct.first(ct.size() - 1)), HasCode(ErrorCode::kHpkeOpenFailed));
  EXPECT_THAT(open(sealed_.enc, info_, aad_, ct.last(ct.size() - 1)), HasCode(ErrorCode::kHpkeOpenFailed));
  EXPECT_THAT(open(sealed_.enc, info_, aad_, ct.first(kAeadTagSize)), HasCode(ErrorCode::kHpkeOpenFailed));
  EXPECT_THAT(open(sealed_.enc, info_, aad_, ct.first(kAeadTagSize - 1)), HasCode(ErrorCode::kHpkeOpenFailed));
  EXPECT_THAT(open(sealed_.enc, info_, aad_, {}), HasCode(ErrorCode::kHpkeOpenFailed));
  Bytes longer = sealed_.ciphertext;
  longer.push_back(0);
  EXPECT_THAT(open(sealed_.enc, info_, aad_, longer), HasCode(ErrorCode::kHpkeOpenFailed));
}

TEST_P(HpkeNegative, BadEncLengthIsBadKey) {
  const ByteView enc = sealed_.enc;
  EXPECT_THAT(open(enc.first(31), info_, aad_, sealed_.ciphertext), HasCode(ErrorCode::kHpkeBadKey));
  Bytes longer(enc.begin(), enc.end());
  longer.push_back(0);
  EXPECT_THAT(open(longer, info_, aad_, sealed_.ciphertext), HasCode(ErrorCode::kHpkeBadKey));
  EXPECT_THAT(open({}, info_, aad_, sealed_.ciphertext), HasCode(ErrorCode::kHpkeBadKey));
}

TEST_P(HpkeNegative, LowOrderEncIsRefused) {
  // The all-zero point and the point of order 4 with u = 1 give the
  // all-zero X25519 output (RFC 9180 §7.1.4).
  HpkePublicKey zero{};
  EXPECT_THAT(open(zero, info_, aad_, sealed_.ciphertext), HasCode(ErrorCode::kHpkeLowOrderKey));
  HpkePublicKey one{};
  one[0] = 1;
  EXPECT_THAT(open(one, info_, aad_, sealed_.ciphertext), HasCode(ErrorCode::kHpkeLowOrderKey));
}

TEST_P(HpkeNegative, ReusedSequenceNumberFails) {
  auto setup = hpke_setup_base_sender(suite(), key_->public_key(), info_);
  ASSERT_OK(setup);
  auto c0 = setup->context.seal(aad_, pt_);
  auto c1 = setup->context.seal(aad_, pt_);
  ASSERT_OK(c0);
  ASSERT_OK(c1);
  EXPECT_NE(*c0, *c1);  // a new nonce for each message
  auto r = hpke_setup_base_recipient(suite(), setup->enc, *key_, info_);
  ASSERT_OK(r);
  // Out of order: c1 does not open at seq 0, and the failure keeps seq.
  EXPECT_THAT(r->open(aad_, *c1), HasCode(ErrorCode::kHpkeOpenFailed));
  EXPECT_EQ(r->seq(), 0u);
  ASSERT_OK(r->open(aad_, *c0));
  EXPECT_EQ(r->seq(), 1u);
  // Replayed: c0 again, now at seq 1, fails.
  EXPECT_THAT(r->open(aad_, *c0), HasCode(ErrorCode::kHpkeOpenFailed));
  ASSERT_OK(r->open(aad_, *c1));
  EXPECT_EQ(r->seq(), 2u);
}

TEST_P(HpkeNegative, HighSequenceNumbersAndTheLimit) {
  auto setup = hpke_setup_base_sender(suite(), key_->public_key(), info_);
  ASSERT_OK(setup);
  auto r = hpke_setup_base_recipient(suite(), setup->enc, *key_, info_);
  ASSERT_OK(r);
  // Nonces far from 0 still agree on both sides, and differ from seq 0's.
  constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();
  setup->context.set_seq_for_testing(kMax - 1);
  r->set_seq_for_testing(kMax - 1);
  auto c = setup->context.seal(aad_, pt_);
  ASSERT_OK(c);
  ASSERT_OK(r->open(aad_, *c));
  // seq = 2^64 - 1 could not be incremented: refused on both sides.
  EXPECT_EQ(setup->context.seq(), kMax);
  EXPECT_THAT(setup->context.seal(aad_, pt_), HasCode(ErrorCode::kHpkeMessageLimit));
  EXPECT_THAT(r->open(aad_, *c), HasCode(ErrorCode::kHpkeMessageLimit));
  EXPECT_EQ(setup->context.seq(), kMax);
}

TEST_P(HpkeNegative, ExportsAgreeAndDependOnContextAndLength) {
  auto setup = hpke_setup_base_sender(suite(), key_->public_key(), info_);
  ASSERT_OK(setup);
  auto r = hpke_setup_base_recipient(suite(), setup->enc, *key_, info_);
  ASSERT_OK(r);
  auto a = setup->context.export_secret(b("ctx"), 32);
  auto a2 = r->export_secret(b("ctx"), 32);
  auto other = r->export_secret(b("ctx2"), 32);
  auto shorter = r->export_secret(b("ctx"), 12);
  ASSERT_OK(a);
  ASSERT_OK(a2);
  ASSERT_OK(other);
  ASSERT_OK(shorter);
  EXPECT_EQ(hex_encode(a->view()), hex_encode(a2->view()));
  EXPECT_NE(hex_encode(a->view()), hex_encode(other->view()));
  EXPECT_EQ(shorter->size(), 12u);
  EXPECT_OK(r->export_secret({}, 255 * 32));
  EXPECT_THAT(r->export_secret({}, 255 * 32 + 1), HasCode(ErrorCode::kHpkeBadExportLength));
  EXPECT_THAT(r->export_secret({}, 0), HasCode(ErrorCode::kHpkeBadExportLength));
  // OpenSSL 3.0's HKDF holds at most 1024 bytes of info: 22 bytes of
  // labels (I2OSP(L, 2), "HPKE-v1", suite_id, "sec") leave 1002.
  EXPECT_OK(r->export_secret(Bytes(1002, 0x61), 32));
  EXPECT_THAT(r->export_secret(Bytes(1003, 0x61), 32), HasCode(ErrorCode::kInvalidArgument));
}

INSTANTIATE_TEST_SUITE_P(AllAeads, HpkeNegative, ::testing::ValuesIn(kSealingAeads),
                         [](const auto& info) { return std::to_string(static_cast<int>(info.param)); });

TEST(HpkeKeys, BadLengthsAndIkm) {
  EXPECT_THAT(HpkePrivateKey::from_bytes(Bytes(31)), HasCode(ErrorCode::kHpkeBadKey));
  EXPECT_THAT(HpkePrivateKey::from_bytes(Bytes(33)), HasCode(ErrorCode::kHpkeBadKey));
  EXPECT_THAT(HpkePrivateKey::derive(Bytes(31, 7)), HasCode(ErrorCode::kHpkeBadIkm));
  EXPECT_OK(HpkePrivateKey::derive(Bytes(32, 7)));
  EXPECT_THAT(parse_hpke_public_key(Bytes(31)), HasCode(ErrorCode::kHpkeBadKey));
  EXPECT_OK(parse_hpke_public_key(Bytes(32, 9)));
  auto k = HpkePrivateKey::generate();
  ASSERT_OK(k);
  EXPECT_THAT(k->dh(Bytes(33)), HasCode(ErrorCode::kHpkeBadKey));
}

TEST(HpkeKeys, DeriveIsDeterministicAndGenerateIsNot) {
  auto a = HpkePrivateKey::derive(Bytes(32, 1));
  auto a2 = HpkePrivateKey::derive(Bytes(32, 1));
  auto c = HpkePrivateKey::derive(Bytes(32, 2));
  ASSERT_OK(a);
  ASSERT_OK(a2);
  ASSERT_OK(c);
  EXPECT_EQ(a->public_key(), a2->public_key());
  EXPECT_NE(a->public_key(), c->public_key());
  auto g1 = HpkePrivateKey::generate();
  auto g2 = HpkePrivateKey::generate();
  ASSERT_OK(g1);
  ASSERT_OK(g2);
  EXPECT_NE(g1->public_key(), g2->public_key());
  auto from = HpkePrivateKey::from_bytes(g1->private_bytes().view());
  ASSERT_OK(from);
  EXPECT_EQ(from->public_key(), g1->public_key());
}

TEST(HpkeSeal, RefusesLowOrderAndBadRecipientKeys) {
  HpkePublicKey zero{};
  EXPECT_THAT(hpke_seal(kVerunJobSuite, zero, {}, {}, b("x")), HasCode(ErrorCode::kHpkeLowOrderKey));
  EXPECT_THAT(hpke_encap(zero), HasCode(ErrorCode::kHpkeLowOrderKey));
  EXPECT_THAT(hpke_seal(kVerunJobSuite, Bytes(31), {}, {}, b("x")), HasCode(ErrorCode::kHpkeBadKey));
  EXPECT_THAT(hpke_setup_base_sender(kVerunJobSuite, Bytes(0), {}), HasCode(ErrorCode::kHpkeBadKey));
}

TEST(HpkeSuite, OnlyTheImplementedIdentifiers) {
  EXPECT_OK(make_hpke_suite(0x0020, 0x0001, 0x0001));
  EXPECT_OK(make_hpke_suite(0x0020, 0x0001, 0x0002));
  EXPECT_OK(make_hpke_suite(0x0020, 0x0001, 0x0003));
  EXPECT_OK(make_hpke_suite(0x0020, 0x0001, 0xFFFF));
  EXPECT_THAT(make_hpke_suite(0x0021, 0x0001, 0x0001), HasCode(ErrorCode::kHpkeUnsupportedSuite));
  EXPECT_THAT(make_hpke_suite(0x0010, 0x0001, 0x0001), HasCode(ErrorCode::kHpkeUnsupportedSuite));
  EXPECT_THAT(make_hpke_suite(0x0020, 0x0002, 0x0001), HasCode(ErrorCode::kHpkeUnsupportedSuite));
  EXPECT_THAT(make_hpke_suite(0x0020, 0x0001, 0x0000), HasCode(ErrorCode::kHpkeUnsupportedSuite));
  EXPECT_THAT(make_hpke_suite(0x0020, 0x0001, 0x0004), HasCode(ErrorCode::kHpkeUnsupportedSuite));
  const HpkeSuite bogus{HpkeKem::kDhkemX25519HkdfSha256, HpkeKdf::kHkdfSha256, static_cast<HpkeAead>(7)};
  EXPECT_THAT(hpke_key_schedule_base(bogus, Bytes(32), {}), HasCode(ErrorCode::kHpkeUnsupportedSuite));
  EXPECT_THAT(hpke_key_schedule_base(kVerunJobSuite, Bytes(31), {}), HasCode(ErrorCode::kHpkeBadKey));
  EXPECT_EQ(hex_encode(hpke_suite_id(kVerunJobSuite)), "48504b45002000010003");
  EXPECT_EQ(hex_encode(hpke_kem_suite_id(HpkeKem::kDhkemX25519HkdfSha256)), "4b454d0020");
}

TEST(HpkeExportOnly, CannotSealOrOpen) {
  const HpkeSuite suite = suite_for(HpkeAead::kExportOnly);
  auto k = HpkePrivateKey::generate();
  ASSERT_OK(k);
  EXPECT_THAT(hpke_seal(suite, k->public_key(), {}, {}, b("x")), HasCode(ErrorCode::kHpkeExportOnly));
  EXPECT_THAT(hpke_open(suite, *k, k->public_key(), {}, {}, Bytes(17)), HasCode(ErrorCode::kHpkeExportOnly));
  auto setup = hpke_setup_base_sender(suite, k->public_key(), b("info"));
  ASSERT_OK(setup);
  EXPECT_THAT(setup->context.seal({}, b("x")), HasCode(ErrorCode::kHpkeExportOnly));
  auto r = hpke_setup_base_recipient(suite, setup->enc, *k, b("info"));
  ASSERT_OK(r);
  auto e1 = setup->context.export_secret(b("c"), 48);
  auto e2 = r->export_secret(b("c"), 48);
  ASSERT_OK(e1);
  ASSERT_OK(e2);
  EXPECT_EQ(hex_encode(e1->view()), hex_encode(e2->view()));
}

TEST(HpkeAeadDirect, ChecksLengthsAndTags) {
  const Bytes key(32, 1), nonce(12, 2);
  EXPECT_THAT(aead_seal(HpkeAead::kChaCha20Poly1305, Bytes(16), nonce, {}, {}), HasCode(ErrorCode::kHpkeBadKey));
  EXPECT_THAT(aead_seal(HpkeAead::kAes128Gcm, key, nonce, {}, {}), HasCode(ErrorCode::kHpkeBadKey));
  EXPECT_THAT(aead_seal(HpkeAead::kChaCha20Poly1305, key, Bytes(8), {}, {}), HasCode(ErrorCode::kHpkeBadNonce));
  EXPECT_THAT(aead_seal(HpkeAead::kExportOnly, key, nonce, {}, {}), HasCode(ErrorCode::kHpkeExportOnly));
  EXPECT_THAT(aead_seal(static_cast<HpkeAead>(9), key, nonce, {}, {}), HasCode(ErrorCode::kHpkeUnsupportedSuite));
  auto ct = aead_seal(HpkeAead::kChaCha20Poly1305, key, nonce, b("aad"), {});
  ASSERT_OK(ct);
  EXPECT_EQ(ct->size(), kAeadTagSize);
  EXPECT_OK(aead_open(HpkeAead::kChaCha20Poly1305, key, nonce, b("aad"), *ct));
  Bytes other_nonce = nonce;
  other_nonce[11] ^= 1;
  EXPECT_THAT(aead_open(HpkeAead::kChaCha20Poly1305, key, other_nonce, b("aad"), *ct),
              HasCode(ErrorCode::kHpkeOpenFailed));
}

// DESIGN.md §7: the submitter seals the job to the runner; the runner
// answers with ChaCha20-Poly1305 under exported key and nonce, aad job_id.
TEST(HpkeVerunJob, SubmissionAndOutputRoundTrip) {
  auto runner_key = HpkePrivateKey::generate();
  ASSERT_OK(runner_key);
  const Bytes aad = b("{\"key_id\":\"ab\",\"workload\":\"wordcount\"}");
  auto setup = hpke_setup_base_sender(kVerunJobSuite, runner_key->public_key(), as_bytes(kVerunJobInfo));
  ASSERT_OK(setup);
  auto ct = setup->context.seal(aad, b("{\"input\":\"aGk=\"}"));
  ASSERT_OK(ct);
  auto r = hpke_setup_base_recipient(kVerunJobSuite, setup->enc, *runner_key, as_bytes(kVerunJobInfo));
  ASSERT_OK(r);
  auto job = r->open(aad, *ct);
  ASSERT_OK(job);
  EXPECT_EQ(str(*job), "{\"input\":\"aGk=\"}");
  auto rk = r->export_secret(as_bytes(kVerunJobOutputKeyLabel), 32);
  auto rn = r->export_secret(as_bytes(kVerunJobOutputNonceLabel), 12);
  ASSERT_OK(rk);
  ASSERT_OK(rn);
  auto out = aead_seal(HpkeAead::kChaCha20Poly1305, rk->view(), rn->view(), b("job-1"), b("{\"output\":\"\"}"));
  ASSERT_OK(out);
  auto sk = setup->context.export_secret(as_bytes(kVerunJobOutputKeyLabel), 32);
  auto sn = setup->context.export_secret(as_bytes(kVerunJobOutputNonceLabel), 12);
  ASSERT_OK(sk);
  ASSERT_OK(sn);
  auto got = aead_open(HpkeAead::kChaCha20Poly1305, sk->view(), sn->view(), b("job-1"), *out);
  ASSERT_OK(got);
  EXPECT_EQ(str(*got), "{\"output\":\"\"}");
  EXPECT_THAT(aead_open(HpkeAead::kChaCha20Poly1305, sk->view(), sn->view(), b("job-2"), *out),
              HasCode(ErrorCode::kHpkeOpenFailed));
}

// Properties, for each AEAD: seal then open gives the plaintext back, and
// no single flipped bit anywhere in the ciphertext (tag included) opens.
void check_round_trip(HpkeAead aead) {
  const auto pt = *rc::gen::arbitrary<std::vector<std::uint8_t>>();
  const auto aad = *rc::gen::arbitrary<std::vector<std::uint8_t>>();
  const auto info = *rc::gen::arbitrary<std::vector<std::uint8_t>>();
  auto k = HpkePrivateKey::generate();
  RC_ASSERT(k.has_value());
  auto sealed = hpke_seal(suite_for(aead), k->public_key(), info, aad, pt);
  RC_ASSERT(sealed.has_value());
  RC_ASSERT(sealed->ciphertext.size() == pt.size() + kAeadTagSize);
  auto opened = hpke_open(suite_for(aead), *k, sealed->enc, info, aad, sealed->ciphertext);
  RC_ASSERT(opened.has_value());
  RC_ASSERT(std::vector<std::uint8_t>(opened->view().begin(), opened->view().end()) == pt);
}

void check_flipped_bit_never_opens(HpkeAead aead) {
  const auto pt = *rc::gen::arbitrary<std::vector<std::uint8_t>>();
  const auto aad = *rc::gen::arbitrary<std::vector<std::uint8_t>>();
  auto k = HpkePrivateKey::generate();
  RC_ASSERT(k.has_value());
  auto sealed = hpke_seal(suite_for(aead), k->public_key(), {}, aad, pt);
  RC_ASSERT(sealed.has_value());
  Bytes ct = sealed->ciphertext;
  const auto bit = *rc::gen::inRange<std::size_t>(0, ct.size() * 8);
  ct[bit / 8] ^= static_cast<std::uint8_t>(1u << (bit % 8));
  auto opened = hpke_open(suite_for(aead), *k, sealed->enc, {}, aad, ct);
  RC_ASSERT(opened.code() == ErrorCode::kHpkeOpenFailed);
}

RC_GTEST_PROP(HpkeProperty, RoundTripAes128Gcm, ()) { check_round_trip(HpkeAead::kAes128Gcm); }
RC_GTEST_PROP(HpkeProperty, RoundTripAes256Gcm, ()) { check_round_trip(HpkeAead::kAes256Gcm); }
RC_GTEST_PROP(HpkeProperty, RoundTripChaCha20Poly1305, ()) { check_round_trip(HpkeAead::kChaCha20Poly1305); }
RC_GTEST_PROP(HpkeProperty, FlippedBitNeverOpensAes128Gcm, ()) { check_flipped_bit_never_opens(HpkeAead::kAes128Gcm); }
RC_GTEST_PROP(HpkeProperty, FlippedBitNeverOpensAes256Gcm, ()) { check_flipped_bit_never_opens(HpkeAead::kAes256Gcm); }
RC_GTEST_PROP(HpkeProperty, FlippedBitNeverOpensChaCha20Poly1305, ()) {
  check_flipped_bit_never_opens(HpkeAead::kChaCha20Poly1305);
}

// Both sides of one context export the same secret for any context and L,
// and a different exporter_context gives a different secret.
RC_GTEST_PROP(HpkeProperty, ExportsAgreeOnBothSides, ()) {
  const auto aead = *rc::gen::element(HpkeAead::kAes128Gcm, HpkeAead::kAes256Gcm, HpkeAead::kChaCha20Poly1305,
                                      HpkeAead::kExportOnly);
  const auto info = *rc::gen::arbitrary<std::vector<std::uint8_t>>();
  const auto ctx = *rc::gen::container<std::vector<std::uint8_t>>(*rc::gen::inRange<std::size_t>(0, 64),
                                                                   rc::gen::arbitrary<std::uint8_t>());
  const auto len = *rc::gen::inRange<std::size_t>(1, 255 * 32 + 1);
  auto k = HpkePrivateKey::generate();
  RC_ASSERT(k.has_value());
  auto setup = hpke_setup_base_sender(suite_for(aead), k->public_key(), info);
  RC_ASSERT(setup.has_value());
  auto r = hpke_setup_base_recipient(suite_for(aead), setup->enc, *k, info);
  RC_ASSERT(r.has_value());
  auto a = setup->context.export_secret(ctx, len);
  auto b2 = r->export_secret(ctx, len);
  RC_ASSERT(a.has_value());
  RC_ASSERT(b2.has_value());
  RC_ASSERT(a->size() == len);
  RC_ASSERT(hex_encode(a->view()) == hex_encode(b2->view()));
  auto other_ctx = ctx;
  other_ctx.push_back(0);
  auto c = r->export_secret(other_ctx, len);
  RC_ASSERT(c.has_value());
  RC_ASSERT(hex_encode(a->view()) != hex_encode(c->view()));
}

}  // namespace
}  // namespace verun::proofs
