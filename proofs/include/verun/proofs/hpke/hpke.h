// HPKE (RFC 9180) base mode, single-shot (§6.1): seal to a public key and
// open with the private key, plus the constants of verun's job submission
// (DESIGN.md §7). Start here; context.h has the multi-message contexts.
// Only mode_base is implemented (no PSK, Auth or AuthPSK). Thread-safe.
#pragma once

#include <string_view>

#include "verun/proofs/bytes.h"
#include "verun/proofs/crypto/secure_bytes.h"
#include "verun/proofs/hpke/aead.h"
#include "verun/proofs/hpke/context.h"
#include "verun/proofs/hpke/dhkem_x25519.h"
#include "verun/proofs/hpke/suite.h"
#include "verun/result.h"

namespace verun::proofs {

// DESIGN.md §7: job submission uses DHKEM(X25519, HKDF-SHA256),
// HKDF-SHA256, ChaCha20-Poly1305, info "verun/job/v1"; the job output is
// ChaCha20-Poly1305 under Export(kVerunJobOutputKeyLabel, 32) and
// Export(kVerunJobOutputNonceLabel, 12).
inline constexpr HpkeSuite kVerunJobSuite{HpkeKem::kDhkemX25519HkdfSha256, HpkeKdf::kHkdfSha256,
                                          HpkeAead::kChaCha20Poly1305};
inline constexpr std::string_view kVerunJobInfo = "verun/job/v1";
inline constexpr std::string_view kVerunJobOutputKeyLabel = "verun/job-output/key";
inline constexpr std::string_view kVerunJobOutputNonceLabel = "verun/job-output/nonce";

struct HpkeSealed {
  HpkePublicKey enc{};
  Bytes ciphertext;  // ct || tag
};

// SealBase(pkR, info, aad, pt) (§6.1): one message with sequence number 0.
// Errors as hpke_setup_base_sender and HpkeSenderContext::seal.
Result<HpkeSealed> hpke_seal(const HpkeSuite& suite, ByteView pk_r, ByteView info, ByteView aad,
                             ByteView plaintext);

// OpenBase(enc, skR, info, aad, ct) (§6.1). kHpkeBadKey unless enc is 32
// bytes, kHpkeLowOrderKey for a low-order enc, kHpkeOpenFailed for every
// ciphertext that does not open (wrong key, info, aad, enc or tampering),
// without saying which. kHpkeExportOnly for the export-only AEAD.
Result<SecureBytes> hpke_open(const HpkeSuite& suite, const HpkePrivateKey& sk_r, ByteView enc,
                              ByteView info, ByteView aad, ByteView ciphertext);

}  // namespace verun::proofs
