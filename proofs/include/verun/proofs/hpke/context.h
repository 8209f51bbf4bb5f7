// HPKE encryption contexts in base mode (RFC 9180 §5.1.1, §5.2, §5.3):
// SetupBaseS / SetupBaseR, then Seal / Open with a sequence number, and
// Export. PSK, Auth and AuthPSK modes are NOT implemented.
// A context is NOT thread-safe (Seal and Open advance its sequence number);
// it is move-only and wipes its key, nonce and exporter secret when dropped.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>
#include <utility>

#include "verun/proofs/bytes.h"
#include "verun/proofs/crypto/secure_bytes.h"
#include "verun/proofs/hpke/dhkem_x25519.h"
#include "verun/proofs/hpke/key_schedule.h"
#include "verun/proofs/hpke/suite.h"
#include "verun/result.h"

namespace verun::proofs {

namespace detail {
// What both context roles share: the suite, key material and sequence number.
class HpkeContextBase {
 public:
  const HpkeSuite& suite() const { return suite_; }
  // The sequence number of the next Seal / Open.
  std::uint64_t seq() const { return seq_; }
  // Export(exporter_context, L) of §5.3: kHpkeBadExportLength when L is 0
  // or above 255 * Nh = 8160.
  Result<SecureBytes> export_secret(ByteView exporter_context, std::size_t length) const;
  // Moves the sequence number: FOR TESTS ONLY (limit and nonce checks).
  void set_seq_for_testing(std::uint64_t seq) { seq_ = seq; }

 protected:
  // Takes the key, base nonce and exporter secret of ks (the rest is wiped).
  HpkeContextBase(const HpkeSuite& suite, HpkeKeySchedule&& ks);
  // ComputeNonce(seq) = base_nonce XOR I2OSP(seq, Nn) (§5.2), or
  // kHpkeMessageLimit when seq cannot be incremented afterwards, or
  // kHpkeExportOnly for the export-only AEAD.
  Result<std::array<std::uint8_t, kAeadNonceSize>> next_nonce() const;

  HpkeSuite suite_;
  SecureBytes key_;
  SecureBytes base_nonce_;
  SecureBytes exporter_secret_;
  std::uint64_t seq_ = 0;
};
}  // namespace detail

class HpkeSenderContext : public detail::HpkeContextBase {
 public:
  // A context from a finished key schedule (hpke_setup_base_sender does
  // both steps; this is for callers that ran the schedule themselves).
  HpkeSenderContext(const HpkeSuite& suite, HpkeKeySchedule&& ks) : HpkeContextBase(suite, std::move(ks)) {}

  // Seal(aad, pt): ct || tag with the current nonce, then seq + 1.
  // kHpkeExportOnly for the export-only AEAD, kHpkeMessageLimit when the
  // sequence number is exhausted (the RFC's MessageLimitReachedError).
  Result<Bytes> seal(ByteView aad, ByteView plaintext);
};

class HpkeRecipientContext : public detail::HpkeContextBase {
 public:
  HpkeRecipientContext(const HpkeSuite& suite, HpkeKeySchedule&& ks) : HpkeContextBase(suite, std::move(ks)) {}

  // Open(aad, ct): the plaintext, then seq + 1. A ciphertext that does not
  // authenticate gives kHpkeOpenFailed and leaves seq unchanged (§5.2).
  Result<SecureBytes> open(ByteView aad, ByteView ciphertext);
};

struct HpkeSenderSetup {
  HpkePublicKey enc{};
  HpkeSenderContext context;
};

// SetupBaseS(pkR, info) (§5.1.1): Encap to pk_r with a fresh ephemeral key,
// then the key schedule. kHpkeBadKey / kHpkeLowOrderKey for a bad pk_r.
Result<HpkeSenderSetup> hpke_setup_base_sender(const HpkeSuite& suite, ByteView pk_r, ByteView info);
// SetupBaseS with the ephemeral key given: FOR TESTS ONLY (test vectors).
Result<HpkeSenderSetup> hpke_setup_base_sender_for_testing(const HpkeSuite& suite, ByteView pk_r,
                                                           ByteView info,
                                                           const HpkePrivateKey& ephemeral);
// SetupBaseR(enc, skR, info) (§5.1.1). kHpkeBadKey unless enc is 32 bytes,
// kHpkeLowOrderKey for a low-order enc.
Result<HpkeRecipientContext> hpke_setup_base_recipient(const HpkeSuite& suite, ByteView enc,
                                                       const HpkePrivateKey& sk_r, ByteView info);

}  // namespace verun::proofs
