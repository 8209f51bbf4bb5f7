// HPKE suite identifiers and sizes (RFC 9180 §7.1-§7.3, Tables 2, 3, 5).
#include "verun/proofs/hpke/suite.h"

#include <string>

namespace verun::proofs {
namespace {

void append_u16_be(Bytes& out, std::uint16_t v) {
  out.push_back(static_cast<std::uint8_t>(v >> 8));
  out.push_back(static_cast<std::uint8_t>(v));
}

bool is_supported(HpkeAead aead) {
  switch (aead) {
    case HpkeAead::kAes128Gcm:
    case HpkeAead::kAes256Gcm:
    case HpkeAead::kChaCha20Poly1305:
    case HpkeAead::kExportOnly:
      return true;
  }
  return false;
}

}  // namespace

Result<HpkeSuite> make_hpke_suite(std::uint16_t kem_id, std::uint16_t kdf_id, std::uint16_t aead_id) {
  if (kem_id != static_cast<std::uint16_t>(HpkeKem::kDhkemX25519HkdfSha256))
    return Error(ErrorCode::kHpkeUnsupportedSuite, "unsupported HPKE KEM id " + std::to_string(kem_id));
  if (kdf_id != static_cast<std::uint16_t>(HpkeKdf::kHkdfSha256))
    return Error(ErrorCode::kHpkeUnsupportedSuite, "unsupported HPKE KDF id " + std::to_string(kdf_id));
  auto aead = static_cast<HpkeAead>(aead_id);
  if (!is_supported(aead))
    return Error(ErrorCode::kHpkeUnsupportedSuite, "unsupported HPKE AEAD id " + std::to_string(aead_id));
  return HpkeSuite{HpkeKem::kDhkemX25519HkdfSha256, HpkeKdf::kHkdfSha256, aead};
}

std::size_t hpke_aead_key_size(HpkeAead aead) {
  switch (aead) {
    case HpkeAead::kAes128Gcm:
      return 16;
    case HpkeAead::kAes256Gcm:
    case HpkeAead::kChaCha20Poly1305:
      return 32;
    case HpkeAead::kExportOnly:
      return 0;
  }
  return 0;
}

std::size_t hpke_aead_nonce_size(HpkeAead aead) {
  return aead == HpkeAead::kExportOnly || !is_supported(aead) ? 0 : kAeadNonceSize;
}

std::size_t hpke_aead_tag_size(HpkeAead aead) {
  return aead == HpkeAead::kExportOnly || !is_supported(aead) ? 0 : kAeadTagSize;
}

Bytes hpke_kem_suite_id(HpkeKem kem) {
  Bytes id = to_bytes("KEM");
  append_u16_be(id, static_cast<std::uint16_t>(kem));
  return id;
}

Bytes hpke_suite_id(const HpkeSuite& suite) {
  Bytes id = to_bytes("HPKE");
  append_u16_be(id, static_cast<std::uint16_t>(suite.kem));
  append_u16_be(id, static_cast<std::uint16_t>(suite.kdf));
  append_u16_be(id, static_cast<std::uint16_t>(suite.aead));
  return id;
}

}  // namespace verun::proofs
