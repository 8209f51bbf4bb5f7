// Base-mode HPKE contexts (RFC 9180 §5.1.1 setup, §5.2 Seal/Open with
// sequence numbers, §5.3 Export).
#include "verun/proofs/hpke/context.h"

#include <limits>

#include "verun/proofs/hpke/aead.h"

namespace verun::proofs {

namespace detail {

HpkeContextBase::HpkeContextBase(const HpkeSuite& suite, HpkeKeySchedule&& ks)
    : suite_(suite),
      key_(std::move(ks.key)),
      base_nonce_(std::move(ks.base_nonce)),
      exporter_secret_(std::move(ks.exporter_secret)) {}

Result<SecureBytes> HpkeContextBase::export_secret(ByteView exporter_context, std::size_t length) const {
  // Export(exporter_context, L) = LabeledExpand(exporter_secret, "sec", exporter_context, L)
  return hpke_labeled_expand(hpke_suite_id(suite_), exporter_secret_.view(), "sec", exporter_context, length);
}

Result<std::array<std::uint8_t, kAeadNonceSize>> HpkeContextBase::next_nonce() const {
  if (suite_.aead == HpkeAead::kExportOnly)
    return Error(ErrorCode::kHpkeExportOnly, "an export-only HPKE context cannot seal or open");
  if (base_nonce_.size() != kAeadNonceSize)
    return Error(ErrorCode::kHpkeBadNonce, "the context's base nonce is not 12 bytes");
  // §5.2 refuses a seq that could not be incremented afterwards. With a
  // 64-bit counter that is 2^64 - 1, far below the RFC's 2^96 - 1 bound.
  if (seq_ == std::numeric_limits<std::uint64_t>::max())
    return Error(ErrorCode::kHpkeMessageLimit, "the HPKE context's sequence number is exhausted");
  // ComputeNonce(seq) = base_nonce XOR I2OSP(seq, Nn)
  std::array<std::uint8_t, kAeadNonceSize> nonce{};
  for (std::size_t i = 0; i < kAeadNonceSize; ++i) nonce[i] = base_nonce_[i];
  for (std::size_t i = 0; i < 8; ++i)
    nonce[kAeadNonceSize - 1 - i] ^= static_cast<std::uint8_t>(seq_ >> (8 * i));
  return nonce;
}

}  // namespace detail

Result<Bytes> HpkeSenderContext::seal(ByteView aad, ByteView plaintext) {
  VERUN_ASSIGN_OR_RETURN(auto nonce, next_nonce());
  VERUN_ASSIGN_OR_RETURN(Bytes ct, aead_seal(suite_.aead, key_.view(), nonce, aad, plaintext));
  ++seq_;
  return ct;
}

Result<SecureBytes> HpkeRecipientContext::open(ByteView aad, ByteView ciphertext) {
  VERUN_ASSIGN_OR_RETURN(auto nonce, next_nonce());
  VERUN_ASSIGN_OR_RETURN(SecureBytes pt, aead_open(suite_.aead, key_.view(), nonce, aad, ciphertext));
  ++seq_;  // only after a successful Open (§5.2)
  return pt;
}

namespace {

Result<HpkeSenderSetup> finish_sender(const HpkeSuite& suite, HpkeEncapsulation&& encap, ByteView info) {
  VERUN_ASSIGN_OR_RETURN(HpkeKeySchedule ks, hpke_key_schedule_base(suite, encap.shared_secret.view(), info));
  return HpkeSenderSetup{encap.enc, HpkeSenderContext(suite, std::move(ks))};
}

}  // namespace

Result<HpkeSenderSetup> hpke_setup_base_sender(const HpkeSuite& suite, ByteView pk_r, ByteView info) {
  VERUN_ASSIGN_OR_RETURN(HpkeEncapsulation encap, hpke_encap(pk_r));
  return finish_sender(suite, std::move(encap), info);
}

Result<HpkeSenderSetup> hpke_setup_base_sender_for_testing(const HpkeSuite& suite, ByteView pk_r, ByteView info,
                                                           const HpkePrivateKey& ephemeral) {
  VERUN_ASSIGN_OR_RETURN(HpkeEncapsulation encap, hpke_encap_for_testing(pk_r, ephemeral));
  return finish_sender(suite, std::move(encap), info);
}

Result<HpkeRecipientContext> hpke_setup_base_recipient(const HpkeSuite& suite, ByteView enc,
                                                       const HpkePrivateKey& sk_r, ByteView info) {
  VERUN_ASSIGN_OR_RETURN(SecureBytes shared_secret, hpke_decap(enc, sk_r));
  VERUN_ASSIGN_OR_RETURN(HpkeKeySchedule ks, hpke_key_schedule_base(suite, shared_secret.view(), info));
  return HpkeRecipientContext(suite, std::move(ks));
}

}  // namespace verun::proofs
