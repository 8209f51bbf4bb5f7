// HPKE cipher suites verun implements: identifiers and sizes (RFC 9180 §7).
// KEM DHKEM(X25519, HKDF-SHA256), KDF HKDF-SHA256, AEADs AES-128-GCM,
// AES-256-GCM, ChaCha20-Poly1305 and export-only. Only the base mode
// (mode_base = 0x00) exists here: PSK, Auth and AuthPSK are NOT implemented.
// Plain values; safe to share between threads.
#pragma once

#include <cstddef>
#include <cstdint>

#include "verun/proofs/bytes.h"
#include "verun/result.h"

namespace verun::proofs {

// RFC 9180 §7.1, Table 2.
enum class HpkeKem : std::uint16_t { kDhkemX25519HkdfSha256 = 0x0020 };
// RFC 9180 §7.2, Table 3.
enum class HpkeKdf : std::uint16_t { kHkdfSha256 = 0x0001 };
// RFC 9180 §7.3, Table 5.
enum class HpkeAead : std::uint16_t {
  kAes128Gcm = 0x0001,
  kAes256Gcm = 0x0002,
  kChaCha20Poly1305 = 0x0003,
  kExportOnly = 0xFFFF,
};

// RFC 9180 §5, Table 1: the only mode implemented.
inline constexpr std::uint8_t kHpkeModeBase = 0x00;

// DHKEM(X25519, HKDF-SHA256) sizes (§7.1): Nsecret, Nenc, Npk, Nsk.
inline constexpr std::size_t kX25519SecretSize = 32;
inline constexpr std::size_t kX25519EncSize = 32;
inline constexpr std::size_t kX25519PublicKeySize = 32;
inline constexpr std::size_t kX25519PrivateKeySize = 32;
// HKDF-SHA256 output size Nh (§7.2).
inline constexpr std::size_t kHkdfSha256Size = 32;
// Every supported AEAD has a 12-byte nonce and a 16-byte tag (§7.3).
inline constexpr std::size_t kAeadNonceSize = 12;
inline constexpr std::size_t kAeadTagSize = 16;

struct HpkeSuite {
  HpkeKem kem = HpkeKem::kDhkemX25519HkdfSha256;
  HpkeKdf kdf = HpkeKdf::kHkdfSha256;
  HpkeAead aead = HpkeAead::kChaCha20Poly1305;

  friend bool operator==(const HpkeSuite&, const HpkeSuite&) = default;
};

// The suite from its wire identifiers; kHpkeUnsupportedSuite for any other.
Result<HpkeSuite> make_hpke_suite(std::uint16_t kem_id, std::uint16_t kdf_id, std::uint16_t aead_id);

// AEAD key size Nk: 16, 32, 32, and 0 for export-only.
std::size_t hpke_aead_key_size(HpkeAead aead);
// AEAD nonce size Nn: 12, or 0 for export-only.
std::size_t hpke_aead_nonce_size(HpkeAead aead);
// AEAD tag size Nt: 16, or 0 for export-only.
std::size_t hpke_aead_tag_size(HpkeAead aead);

// suite_id of the KEM: "KEM" || I2OSP(kem_id, 2) (§4.1).
Bytes hpke_kem_suite_id(HpkeKem kem);
// suite_id of the whole scheme: "HPKE" || kem_id || kdf_id || aead_id (§5.1).
Bytes hpke_suite_id(const HpkeSuite& suite);

}  // namespace verun::proofs
