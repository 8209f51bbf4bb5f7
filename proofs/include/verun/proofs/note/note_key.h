// Signed-note keys: verifier keys ("vkeys", `name+hex8(keyID)+base64(type||key)`)
// and x/mod-style signer keys (`PRIVATE+KEY+name+hex8(keyID)+base64(type||seed)`).
// C2SP signed-note §Format/§Signatures (types 0x01 Ed25519, 0x02 ECDSA),
// C2SP tlog-cosignature §Format (type 0x04); golang.org/x/mod/sumdb/note.
// NoteVerifier is immutable and cheap to copy; every method is thread-safe.
// NoteSigner holds a secret seed (wiped on drop); sign() is thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "verun/proofs/bytes.h"
#include "verun/proofs/crypto/secure_bytes.h"
#include "verun/result.h"

namespace verun::proofs {

// The signature type byte of C2SP signed-note §Signature types.
enum class NoteKeyType : std::uint8_t {
  kEd25519 = 0x01,         // note signature over the text
  kEcdsa = 0x02,           // ECDSA P-256/P-384, ASN.1 DER over the text's hash (Rekor v1)
  kCosignatureV1 = 0x04,   // timestamped Ed25519 witness cosignature
};

// A key name is non-empty valid UTF-8 without Unicode spaces or '+'.
bool is_valid_key_name(std::string_view name);

// The key ID: SHA-256(name || 0x0A || type || public key)[:4] as a big-endian
// uint32. For kEcdsa it is SHA-256(SPKI DER)[:4] (the name is not hashed).
std::uint32_t note_key_id(std::string_view name, NoteKeyType type, ByteView public_key);

// The verification half of a note key: name, key ID, type and public key.
class NoteVerifier {
 public:
  // Errors: note.bad_key (bad name, key length), crypto.bad_key.
  static Result<NoteVerifier> make_ed25519(std::string_view name, ByteView public_key);
  static Result<NoteVerifier> make_cosignature_v1(std::string_view name, ByteView public_key);
  // An ECDSA key from its DER SubjectPublicKeyInfo (P-256 or P-384).
  static Result<NoteVerifier> make_ecdsa(std::string_view name, ByteView spki_der);

  const std::string& name() const;
  std::uint32_t key_id() const;
  NoteKeyType type() const;
  // The key material: 32 bytes for Ed25519 types, the SPKI DER for ECDSA.
  ByteView public_key() const;

  // Verifies `signature` (the bytes after the 4-byte key ID in a signature
  // line) over the note text:
  //  - kEd25519: a 64-byte Ed25519 signature over the text;
  //  - kCosignatureV1: 8-byte big-endian timestamp || Ed25519 signature over
  //    `cosignature/v1\ntime <t>\n` || text; the timestamp is returned;
  //  - kEcdsa: an ASN.1 DER ECDSA signature over SHA-256 (P-256) of the text.
  // Returns the cosignature timestamp (0 for the other types).
  // Errors: note.bad_signature (any failure, including a wrong length),
  // cosignature.bad_timestamp (timestamp above 2^63-1).
  Result<std::uint64_t> verify(std::string_view text, ByteView signature) const;

 private:
  struct Impl;
  explicit NoteVerifier(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<const Impl> impl_;
};

// Parses a vkey. Strict: valid key name, exactly 8 lowercase hex digits, strict
// padded base64, known type and key length, and the key ID equal to the one
// computed. Errors: note.bad_key, note.unknown_key_type, note.key_id_mismatch.
Result<NoteVerifier> parse_verifier_key(std::string_view vkey);
std::string format_verifier_key(const NoteVerifier& verifier);

// The signing half of an Ed25519 (0x01) or cosignature/v1 (0x04) note key.
class NoteSigner {
 public:
  static Result<NoteSigner> generate(std::string_view name, NoteKeyType type = NoteKeyType::kEd25519);
  // From a 32-byte RFC 8032 seed. Errors: note.bad_key, note.unknown_key_type.
  static Result<NoteSigner> from_seed(std::string_view name, ByteView seed,
                                      NoteKeyType type = NoteKeyType::kEd25519);

  NoteSigner(NoteSigner&&) noexcept;
  NoteSigner& operator=(NoteSigner&&) noexcept;
  ~NoteSigner();

  const std::string& name() const;
  std::uint32_t key_id() const;
  NoteKeyType type() const;
  const NoteVerifier& verifier() const;
  // The secret seed (never log it).
  const SecureBytes& seed() const;

  // The raw Ed25519 signature of `message` (no key ID, no timestamp).
  Bytes sign_raw(ByteView message) const;

 private:
  NoteSigner();
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Parses `PRIVATE+KEY+<name>+<hex8 key ID>+<base64(type || 32-byte seed)>`
// (x/mod's form; type 0x01 or 0x04). The key ID must match the derived
// public key. Errors: note.bad_key, note.unknown_key_type, note.key_id_mismatch.
Result<NoteSigner> parse_signer_key(std::string_view skey);
// The signer key text; it holds the secret, so it comes back as SecureBytes.
SecureBytes format_signer_key(const NoteSigner& signer);

}  // namespace verun::proofs
