// HPKE base mode against RFC 9180 Appendix A (A.1.1, A.2.1, A.7.1) and
// BoringSSL's translation of the official test vectors, as assembled in
// shared/vectors/crypto/hpke (see its README.md for sources and counts).
#include <map>
#include <string>

#include "tests/support/matchers.h"
#include "tests/support/vectors.h"
#include "verun/proofs/hex.h"
#include "verun/proofs/hpke/hpke.h"
#include "verun/proofs/hpke/key_schedule.h"

namespace verun::proofs {
namespace {

using verun::testing::HasCode;
using verun::testing::read_json;
using verun::testing::report_vector_count;

Bytes hx(const nlohmann::json& v) { return *hex_decode(v.get<std::string>()); }
std::string hs(ByteView b) { return hex_encode(b); }
std::string hs(const SecureBytes& b) { return hex_encode(b.view()); }

struct Counts {
  std::size_t vectors = 0;
  std::size_t key_pairs = 0;
  std::size_t intermediates = 0;
  std::size_t encryptions = 0;
  std::size_t nonces = 0;
  std::size_t exports = 0;
  std::map<int, std::size_t> encryptions_per_aead;
};

// Runs one vector end to end, following the README's "How a test should
// use it": DeriveKeyPair, Encap/Decap, key schedule, Seal/Open in order
// with negative cases, Export.
void run_vector(const nlohmann::json& t, Counts& c) {
  const int aead_id = t.at("aead_id").get<int>();
  SCOPED_TRACE("aead_id " + std::to_string(aead_id));
  ASSERT_EQ(t.at("mode").get<int>(), 0);
  auto suite = make_hpke_suite(t.at("kem_id").get<std::uint16_t>(), t.at("kdf_id").get<std::uint16_t>(),
                               static_cast<std::uint16_t>(aead_id));
  ASSERT_OK(suite);
  const Bytes info = hx(t.at("info"));

  // 1. Key pairs: DeriveKeyPair(ikm) where ikm is given, else DeserializePrivateKey.
  auto sk_r = t.contains("ikmR") ? HpkePrivateKey::derive(hx(t.at("ikmR"))) : HpkePrivateKey::from_bytes(hx(t.at("skRm")));
  ASSERT_OK(sk_r);
  EXPECT_EQ(hs(sk_r->private_bytes()), t.at("skRm").get<std::string>());
  EXPECT_EQ(hs(sk_r->public_key()), t.at("pkRm").get<std::string>());
  c.key_pairs += t.contains("ikmR");
  auto sk_e = t.contains("ikmE") ? HpkePrivateKey::derive(hx(t.at("ikmE"))) : HpkePrivateKey::from_bytes(hx(t.at("skEm")));
  ASSERT_OK(sk_e);
  EXPECT_EQ(hs(sk_e->private_bytes()), t.at("skEm").get<std::string>());
  if (t.contains("pkEm")) {
    EXPECT_EQ(hs(sk_e->public_key()), t.at("pkEm").get<std::string>());
  }
  c.key_pairs += t.contains("ikmE");

  // 2. Encap with the ephemeral key fixed, and Decap.
  auto encap = hpke_encap_for_testing(sk_r->public_key(), *sk_e);
  ASSERT_OK(encap);
  EXPECT_EQ(hs(encap->enc), t.at("enc").get<std::string>());
  if (t.contains("shared_secret")) {
    EXPECT_EQ(hs(encap->shared_secret), t.at("shared_secret").get<std::string>());
  }
  auto decapped = hpke_decap(hx(t.at("enc")), *sk_r);
  ASSERT_OK(decapped);
  EXPECT_EQ(hs(*decapped), hs(encap->shared_secret));

  // 3. Key schedule intermediates, where the vector has them.
  auto ks = hpke_key_schedule_base(*suite, encap->shared_secret.view(), info);
  ASSERT_OK(ks);
  if (t.contains("key_schedule_context")) {
    EXPECT_EQ(hs(ks->key_schedule_context), t.at("key_schedule_context").get<std::string>());
    EXPECT_EQ(hs(ks->secret), t.at("secret").get<std::string>());
    EXPECT_EQ(hs(ks->key), t.at("key").get<std::string>());
    EXPECT_EQ(hs(ks->base_nonce), t.at("base_nonce").get<std::string>());
    EXPECT_EQ(hs(ks->exporter_secret), t.at("exporter_secret").get<std::string>());
    ++c.intermediates;
  }

  // 4. Every encryption, in order, on one sender and one recipient context.
  auto sender = hpke_setup_base_sender_for_testing(*suite, sk_r->public_key(), info, *sk_e);
  ASSERT_OK(sender);
  EXPECT_EQ(hs(sender->enc), t.at("enc").get<std::string>());
  auto recipient = hpke_setup_base_recipient(*suite, hx(t.at("enc")), *sk_r, info);
  ASSERT_OK(recipient);
  std::size_t i = 0;
  for (const auto& e : t.at("encryptions")) {
    SCOPED_TRACE("seq " + std::to_string(i));
    ASSERT_EQ(e.at("seq").get<std::size_t>(), i);
    const Bytes pt = hx(e.at("pt")), aad = hx(e.at("aad")), ct = hx(e.at("ct"));
    ASSERT_EQ(sender->context.seq(), i);
    auto sealed = sender->context.seal(aad, pt);
    ASSERT_OK(sealed);
    EXPECT_EQ(hs(*sealed), hs(ct));
    if (e.contains("nonce")) {
      // The RFC's nonce, with the schedule's key, gives the same ct: the
      // context used base_nonce XOR seq.
      auto direct = aead_seal(suite->aead, ks->key.view(), hx(e.at("nonce")), aad, pt);
      ASSERT_OK(direct);
      EXPECT_EQ(hs(*direct), hs(ct));
      ++c.nonces;
    }
    // Negative: a flipped ct byte and a changed aad fail, without moving seq.
    Bytes bad_ct = ct;
    bad_ct[i % bad_ct.size()] ^= 0x01;
    EXPECT_THAT(recipient->open(aad, bad_ct), HasCode(ErrorCode::kHpkeOpenFailed));
    Bytes bad_aad = aad;
    bad_aad.push_back(0x00);
    EXPECT_THAT(recipient->open(bad_aad, ct), HasCode(ErrorCode::kHpkeOpenFailed));
    ASSERT_EQ(recipient->seq(), i);
    auto opened = recipient->open(aad, ct);
    ASSERT_OK(opened);
    EXPECT_EQ(hs(*opened), hs(pt));
    ++i;
  }
  c.encryptions += i;
  c.encryptions_per_aead[aead_id] += i;
  if (aead_id == 0xFFFF) {
    EXPECT_THAT(sender->context.seal({}, {}), HasCode(ErrorCode::kHpkeExportOnly));
    EXPECT_THAT(recipient->open({}, Bytes(16)), HasCode(ErrorCode::kHpkeExportOnly));
  }

  // 5. Every export, from both sides.
  for (const auto& x : t.at("exports")) {
    const Bytes ctx = hx(x.at("exporter_context"));
    const std::size_t len = x.at("L").get<std::size_t>();
    auto s = sender->context.export_secret(ctx, len);
    auto r = recipient->export_secret(ctx, len);
    ASSERT_OK(s);
    ASSERT_OK(r);
    EXPECT_EQ(hs(*s), x.at("exported_value").get<std::string>());
    EXPECT_EQ(hs(*r), x.at("exported_value").get<std::string>());
    ++c.exports;
  }
  ++c.vectors;
}

TEST(HpkeVectors, Rfc9180BaseX25519Sha256) {
  VERUN_REQUIRE_VECTORS(dir, "crypto/hpke");
  auto j = read_json(dir / "rfc9180-base-x25519-sha256.json");
  ASSERT_TRUE(j.is_array());
  Counts c;
  for (const auto& t : j) {
    run_vector(t, c);
    if (HasFatalFailure()) return;
  }
  // README.md / expected.json: four vectors (aead 1, 2, 3, 0xFFFF), 257
  // encryptions for each of the three AEADs, 3 exports each, intermediates
  // for all but aead 2, ikmR for all four and ikmE for all but aead 2, and
  // nonces at seq 0, 1, 2, 4, 255, 256 for aead 1 and 3.
  EXPECT_EQ(c.vectors, 4u);
  EXPECT_EQ(c.encryptions_per_aead[1], 257u);
  EXPECT_EQ(c.encryptions_per_aead[2], 257u);
  EXPECT_EQ(c.encryptions_per_aead[3], 257u);
  EXPECT_EQ(c.encryptions_per_aead[0xFFFF], 0u);
  EXPECT_EQ(c.encryptions, 771u);
  EXPECT_EQ(c.exports, 12u);
  EXPECT_EQ(c.intermediates, 3u);
  EXPECT_EQ(c.key_pairs, 7u);
  EXPECT_EQ(c.nonces, 12u);
  report_vector_count("HPKE base-mode suites", c.vectors);
  report_vector_count("HPKE DeriveKeyPair from ikm", c.key_pairs);
  report_vector_count("HPKE key schedule intermediates", c.intermediates);
  report_vector_count("HPKE encryptions (seal + open, each also tampered twice)", c.encryptions);
  report_vector_count("HPKE nonces", c.nonces);
  report_vector_count("HPKE exports (sender and recipient)", c.exports);
}

}  // namespace
}  // namespace verun::proofs
