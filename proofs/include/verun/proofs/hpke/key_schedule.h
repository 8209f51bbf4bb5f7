// The HPKE key schedule in base mode (RFC 9180 §5.1): from the KEM's
// shared secret and info to the AEAD key, base nonce and exporter secret.
// Exposed so that tests can compare every intermediate with the RFC's
// vectors. Pure functions; thread-safe. PSK and Auth modes: not implemented.
#pragma once

#include <string_view>

#include "verun/proofs/bytes.h"
#include "verun/proofs/crypto/secure_bytes.h"
#include "verun/proofs/hpke/suite.h"
#include "verun/result.h"

namespace verun::proofs {

struct HpkeKeySchedule {
  Bytes key_schedule_context;  // mode || psk_id_hash || info_hash
  SecureBytes secret;          // Nh bytes
  SecureBytes key;             // Nk bytes (empty for export-only)
  SecureBytes base_nonce;      // Nn bytes (empty for export-only)
  SecureBytes exporter_secret; // Nh bytes
};

// KeySchedule(mode_base, shared_secret, info, psk = "", psk_id = "").
// kHpkeBadKey unless shared_secret is Nsecret = 32 bytes.
Result<HpkeKeySchedule> hpke_key_schedule_base(const HpkeSuite& suite, ByteView shared_secret,
                                               ByteView info);

// LabeledExtract and LabeledExpand (§4) under a given suite_id, for callers
// that need them directly (tests, other KEMs later). LabeledExpand fails
// with kHpkeBadExportLength when L is 0 or above 255 * Nh.
Result<SecureBytes> hpke_labeled_extract(ByteView suite_id, ByteView salt, std::string_view label,
                                         ByteView ikm);
Result<SecureBytes> hpke_labeled_expand(ByteView suite_id, ByteView prk, std::string_view label,
                                        ByteView info, std::size_t length);

}  // namespace verun::proofs
