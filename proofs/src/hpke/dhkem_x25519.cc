// DHKEM(X25519, HKDF-SHA256) (RFC 9180 §4.1, §7.1) with X25519 through
// EVP_PKEY_derive on raw keys.
#include "verun/proofs/hpke/dhkem_x25519.h"

#include <algorithm>
#include <string>

#include "evp_ptr.h"
#include "verun/proofs/ct_compare.h"
#include "verun/proofs/crypto/random.h"
#include "verun/proofs/hpke/key_schedule.h"
#include "verun/proofs/hpke/suite.h"

namespace verun::proofs {
namespace {

using hpke_detail::EvpPtr;

const Bytes& kem_suite_id() {
  static const Bytes id = hpke_kem_suite_id(HpkeKem::kDhkemX25519HkdfSha256);
  return id;
}

// ExtractAndExpand(dh, kem_context) of §4.1.
Result<SecureBytes> extract_and_expand(ByteView dh, ByteView kem_context) {
  VERUN_ASSIGN_OR_RETURN(SecureBytes eae_prk, hpke_labeled_extract(kem_suite_id(), {}, "eae_prk", dh));
  return hpke_labeled_expand(kem_suite_id(), eae_prk.view(), "shared_secret", kem_context, kX25519SecretSize);
}

// kem_context = enc || pkRm
Bytes kem_context(const HpkePublicKey& enc, const HpkePublicKey& pk_r) {
  Bytes ctx;
  ctx.reserve(enc.size() + pk_r.size());
  append(ctx, enc);
  append(ctx, pk_r);
  return ctx;
}

}  // namespace

struct HpkePrivateKey::Impl {
  EvpPtr<EVP_PKEY> pkey;
};

HpkePrivateKey::HpkePrivateKey(HpkePrivateKey&&) noexcept = default;
HpkePrivateKey& HpkePrivateKey::operator=(HpkePrivateKey&&) noexcept = default;
HpkePrivateKey::~HpkePrivateKey() = default;

Result<HpkePrivateKey> HpkePrivateKey::generate() {
  SecureBytes sk(kX25519PrivateKeySize);
  VERUN_TRY(random_fill(sk.span()));
  return from_bytes(sk.view());
}

Result<HpkePrivateKey> HpkePrivateKey::derive(ByteView ikm) {
  // §7.1.3: dkp_prk = LabeledExtract("", "dkp_prk", ikm);
  //         sk = LabeledExpand(dkp_prk, "sk", "", Nsk).
  if (ikm.size() < kX25519PrivateKeySize)
    return Error(ErrorCode::kHpkeBadIkm,
                 "DeriveKeyPair needs at least 32 bytes of ikm, got " + std::to_string(ikm.size()));
  VERUN_ASSIGN_OR_RETURN(SecureBytes dkp_prk, hpke_labeled_extract(kem_suite_id(), {}, "dkp_prk", ikm));
  VERUN_ASSIGN_OR_RETURN(SecureBytes sk,
                         hpke_labeled_expand(kem_suite_id(), dkp_prk.view(), "sk", {}, kX25519PrivateKeySize));
  return from_bytes(sk.view());
}

Result<HpkePrivateKey> HpkePrivateKey::from_bytes(ByteView sk) {
  if (sk.size() != kX25519PrivateKeySize)
    return Error(ErrorCode::kHpkeBadKey, "an X25519 private key is 32 bytes, got " + std::to_string(sk.size()));
  EvpPtr<EVP_PKEY> pkey(EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, nullptr, sk.data(), sk.size()));
  if (!pkey) return Error(ErrorCode::kCryptoBackend, "EVP_PKEY_new_raw_private_key(X25519) failed");
  HpkePrivateKey key;
  std::size_t len = key.public_key_.size();
  if (EVP_PKEY_get_raw_public_key(pkey.get(), key.public_key_.data(), &len) != 1 || len != key.public_key_.size())
    return Error(ErrorCode::kCryptoBackend, "EVP_PKEY_get_raw_public_key(X25519) failed");
  key.sk_ = SecureBytes(sk);
  key.impl_ = std::make_unique<Impl>();
  key.impl_->pkey = std::move(pkey);
  return key;
}

Result<SecureBytes> HpkePrivateKey::dh(ByteView peer_public_key) const {
  if (peer_public_key.size() != kX25519PublicKeySize)
    return Error(ErrorCode::kHpkeBadKey,
                 "an X25519 public key is 32 bytes, got " + std::to_string(peer_public_key.size()));
  EvpPtr<EVP_PKEY> peer(
      EVP_PKEY_new_raw_public_key(EVP_PKEY_X25519, nullptr, peer_public_key.data(), peer_public_key.size()));
  if (!peer) return Error(ErrorCode::kCryptoBackend, "EVP_PKEY_new_raw_public_key(X25519) failed");
  EvpPtr<EVP_PKEY_CTX> ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, impl_->pkey.get(), nullptr));
  if (!ctx || EVP_PKEY_derive_init(ctx.get()) != 1 ||
      EVP_PKEY_derive_set_peer_ex(ctx.get(), peer.get(), /*validate_peer=*/0) != 1)
    return Error(ErrorCode::kCryptoBackend, "EVP_PKEY_derive_init(X25519) failed");
  SecureBytes out(kX25519SecretSize);
  std::size_t len = out.size();
  // OpenSSL's X25519 itself refuses the all-zero output of a low-order
  // point; that is the one input-dependent way this derive fails.
  if (EVP_PKEY_derive(ctx.get(), out.data(), &len) != 1)
    return Error(ErrorCode::kHpkeLowOrderKey, "the X25519 exchange gives the all-zero value (low-order public key)");
  if (len != out.size()) return Error(ErrorCode::kCryptoBackend, "EVP_PKEY_derive(X25519) returned a short secret");
  // §7.1.4: check for the all-zero value ourselves as well.
  static const std::uint8_t kZero[kX25519SecretSize] = {};
  if (ct_equal(out.view(), ByteView(kZero, sizeof kZero)))
    return Error(ErrorCode::kHpkeLowOrderKey, "the X25519 exchange gives the all-zero value (low-order public key)");
  return out;
}

Result<HpkePublicKey> parse_hpke_public_key(ByteView pk) {
  if (pk.size() != kX25519PublicKeySize)
    return Error(ErrorCode::kHpkeBadKey, "an X25519 public key is 32 bytes, got " + std::to_string(pk.size()));
  HpkePublicKey out{};
  std::copy(pk.begin(), pk.end(), out.begin());
  return out;
}

namespace {

Result<HpkeEncapsulation> encap_with(ByteView pk_r, const HpkePrivateKey& ephemeral) {
  VERUN_ASSIGN_OR_RETURN(HpkePublicKey pk, parse_hpke_public_key(pk_r));
  VERUN_ASSIGN_OR_RETURN(SecureBytes dh, ephemeral.dh(pk));
  HpkeEncapsulation out;
  out.enc = ephemeral.public_key();
  VERUN_ASSIGN_OR_RETURN(out.shared_secret, extract_and_expand(dh.view(), kem_context(out.enc, pk)));
  return out;
}

}  // namespace

Result<HpkeEncapsulation> hpke_encap(ByteView pk_r) {
  // Check pk_r before spending randomness on an ephemeral key.
  VERUN_TRY(parse_hpke_public_key(pk_r));
  VERUN_ASSIGN_OR_RETURN(HpkePrivateKey ephemeral, HpkePrivateKey::generate());
  return encap_with(pk_r, ephemeral);
}

Result<HpkeEncapsulation> hpke_encap_for_testing(ByteView pk_r, const HpkePrivateKey& ephemeral) {
  return encap_with(pk_r, ephemeral);
}

Result<SecureBytes> hpke_decap(ByteView enc, const HpkePrivateKey& sk_r) {
  VERUN_ASSIGN_OR_RETURN(HpkePublicKey pk_e, parse_hpke_public_key(enc));
  VERUN_ASSIGN_OR_RETURN(SecureBytes dh, sk_r.dh(pk_e));
  return extract_and_expand(dh.view(), kem_context(pk_e, sk_r.public_key()));
}

}  // namespace verun::proofs
