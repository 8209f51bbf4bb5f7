// LabeledExtract / LabeledExpand (RFC 9180 §4) and the base-mode key
// schedule (§5.1).
#include "verun/proofs/hpke/key_schedule.h"

#include <algorithm>
#include <string>

#include "hkdf.h"

namespace verun::proofs {
namespace {

constexpr std::string_view kVersionLabel = "HPKE-v1";  // §4

std::uint8_t* put(std::uint8_t* dst, ByteView src) { return std::copy(src.begin(), src.end(), dst); }

bool is_valid(const HpkeSuite& s) {
  return make_hpke_suite(static_cast<std::uint16_t>(s.kem), static_cast<std::uint16_t>(s.kdf),
                         static_cast<std::uint16_t>(s.aead))
      .has_value();
}

}  // namespace

Result<SecureBytes> hpke_labeled_extract(ByteView suite_id, ByteView salt, std::string_view label,
                                         ByteView ikm) {
  // labeled_ikm = "HPKE-v1" || suite_id || label || ikm; ikm may be secret,
  // so the buffer is SecureBytes, sized once (no reallocation copies).
  SecureBytes labeled_ikm(kVersionLabel.size() + suite_id.size() + label.size() + ikm.size());
  std::uint8_t* p = labeled_ikm.data();
  p = put(p, as_bytes(kVersionLabel));
  p = put(p, suite_id);
  p = put(p, as_bytes(label));
  put(p, ikm);
  return hpke_detail::hkdf_sha256_extract(salt, labeled_ikm.view());
}

Result<SecureBytes> hpke_labeled_expand(ByteView suite_id, ByteView prk, std::string_view label,
                                        ByteView info, std::size_t length) {
  if (length == 0 || length > 255 * kHkdfSha256Size)
    return Error(ErrorCode::kHpkeBadExportLength,
                 "an HKDF-SHA256 output is 1 to 8160 bytes, asked for " + std::to_string(length));
  // labeled_info = I2OSP(L, 2) || "HPKE-v1" || suite_id || label || info
  Bytes labeled_info;
  labeled_info.reserve(2 + kVersionLabel.size() + suite_id.size() + label.size() + info.size());
  labeled_info.push_back(static_cast<std::uint8_t>(length >> 8));
  labeled_info.push_back(static_cast<std::uint8_t>(length));
  append(labeled_info, kVersionLabel);
  append(labeled_info, suite_id);
  append(labeled_info, label);
  append(labeled_info, info);
  return hpke_detail::hkdf_sha256_expand(prk, labeled_info, length);
}

Result<HpkeKeySchedule> hpke_key_schedule_base(const HpkeSuite& suite, ByteView shared_secret,
                                               ByteView info) {
  if (!is_valid(suite))
    return Error(ErrorCode::kHpkeUnsupportedSuite, "unsupported HPKE suite");
  if (shared_secret.size() != kX25519SecretSize)
    return Error(ErrorCode::kHpkeBadKey, "the KEM shared secret is 32 bytes, got " +
                                             std::to_string(shared_secret.size()));
  const Bytes suite_id = hpke_suite_id(suite);
  const ByteView empty;  // psk and psk_id are empty in base mode (§5.1.1)
  VERUN_ASSIGN_OR_RETURN(SecureBytes psk_id_hash, hpke_labeled_extract(suite_id, empty, "psk_id_hash", empty));
  VERUN_ASSIGN_OR_RETURN(SecureBytes info_hash, hpke_labeled_extract(suite_id, empty, "info_hash", info));
  HpkeKeySchedule ks;
  ks.key_schedule_context.reserve(1 + psk_id_hash.size() + info_hash.size());
  ks.key_schedule_context.push_back(kHpkeModeBase);
  append(ks.key_schedule_context, psk_id_hash.view());
  append(ks.key_schedule_context, info_hash.view());
  VERUN_ASSIGN_OR_RETURN(ks.secret, hpke_labeled_extract(suite_id, shared_secret, "secret", empty));
  const std::size_t nk = hpke_aead_key_size(suite.aead);
  const std::size_t nn = hpke_aead_nonce_size(suite.aead);
  if (nk > 0) {
    VERUN_ASSIGN_OR_RETURN(ks.key, hpke_labeled_expand(suite_id, ks.secret.view(), "key",
                                                       ks.key_schedule_context, nk));
  }
  if (nn > 0) {
    VERUN_ASSIGN_OR_RETURN(ks.base_nonce, hpke_labeled_expand(suite_id, ks.secret.view(), "base_nonce",
                                                              ks.key_schedule_context, nn));
  }
  VERUN_ASSIGN_OR_RETURN(ks.exporter_secret, hpke_labeled_expand(suite_id, ks.secret.view(), "exp",
                                                                 ks.key_schedule_context, kHkdfSha256Size));
  return ks;
}

}  // namespace verun::proofs
