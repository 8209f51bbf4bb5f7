// The AEADs HPKE uses (RFC 9180 §7.3; AES-GCM per NIST SP 800-38D,
// ChaCha20-Poly1305 per RFC 8439) through OpenSSL's EVP_CIPHER API, exposed
// for the values HPKE exports (DESIGN.md §7: the job output is sealed with
// an exported key and nonce). Stateless functions; thread-safe.
#pragma once

#include "verun/proofs/bytes.h"
#include "verun/proofs/crypto/secure_bytes.h"
#include "verun/proofs/hpke/suite.h"
#include "verun/result.h"

namespace verun::proofs {

// ciphertext || 16-byte tag. kHpkeExportOnly for HpkeAead::kExportOnly,
// kHpkeBadKey / kHpkeBadNonce when key or nonce has the wrong length.
// The caller MUST NOT reuse a (key, nonce) pair.
Result<Bytes> aead_seal(HpkeAead aead, ByteView key, ByteView nonce, ByteView aad, ByteView plaintext);

// The plaintext, or kHpkeOpenFailed when the ciphertext is shorter than the
// tag or does not authenticate (one code for every such failure, so the
// error says nothing about why). Key, nonce and AEAD errors as aead_seal.
Result<SecureBytes> aead_open(HpkeAead aead, ByteView key, ByteView nonce, ByteView aad, ByteView ciphertext);

}  // namespace verun::proofs
