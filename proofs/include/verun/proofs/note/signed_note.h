// Signed notes: parse, format, sign and open (verify) C2SP signed notes.
// C2SP signed-note §Format and §Signatures; behaves as golang.org/x/mod/sumdb/note
// Open/Sign, except that every signature by a configured key is verified.
// DESIGN.md §10 "Logs and witnesses": unknown signature lines are ignored
// wherever they stand, a known key's bad signature rejects the note, at most
// 100 signature lines. All functions are pure and thread-safe.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "verun/proofs/bytes.h"
#include "verun/proofs/note/note_key.h"
#include "verun/result.h"

namespace verun::proofs {

// x/mod's limit; C2SP requires accepting at least 16.
inline constexpr std::size_t kMaxNoteSignatures = 100;

// One signature line: `— <name> base64(key ID || signature)`.
struct NoteSignature {
  std::string name;
  std::uint32_t key_id = 0;
  Bytes signature;  // the bytes after the 4-byte key ID (at least one)

  bool operator==(const NoteSignature&) const = default;
};

// A note split into its text and signature lines, nothing verified.
struct SignedNote {
  std::string text;  // ends in '\n', excludes the separating blank line
  std::vector<NoteSignature> signatures;
};

// Syntax only (no keys): valid UTF-8, no control characters but '\n', text
// and signatures split at the last blank line, every signature line well
// formed, 1..100 of them. Errors: note.malformed, note.too_many_signatures.
Result<SignedNote> parse_signed_note(std::string_view note);
// text, blank line, signature lines. The inverse of parse_signed_note.
std::string format_signed_note(const SignedNote& note);
// `— <name> <base64(key ID || signature)>\n`.
std::string format_signature_line(const NoteSignature& signature);

// The keys a verifier trusts, looked up by (name, key ID).
class NoteVerifierSet {
 public:
  NoteVerifierSet() = default;
  // note.duplicate_key when a key with the same name and ID is present.
  Result<void> add(NoteVerifier verifier);
  static Result<NoteVerifierSet> make(std::span<const NoteVerifier> verifiers);

  const NoteVerifier* find(std::string_view name, std::uint32_t key_id) const;
  std::size_t size() const { return verifiers_.size(); }

 private:
  std::vector<NoteVerifier> verifiers_;
};

struct VerifiedSignature {
  NoteVerifier verifier;
  std::uint64_t timestamp = 0;  // cosignature/v1 only: its (earliest) timestamp
};

struct OpenedNote {
  std::string text;
  // One entry per configured key that signed, in signature-line order.
  std::vector<VerifiedSignature> verified;
  // Signatures by keys not configured (identical lines listed once).
  std::vector<NoteSignature> unverified;
};

// Parses and verifies. Every line by a configured key is verified; one that
// fails rejects the note (note.bad_signature, cosignature.bad_timestamp). At
// least one verified signature is required (note.no_known_signature).
// Syntax errors as parse_signed_note.
Result<OpenedNote> open_note(std::string_view note, const NoteVerifierSet& verifiers);
Result<OpenedNote> open_note(const SignedNote& note, const NoteVerifierSet& verifiers);

// The signature line of an Ed25519 (0x01) signer over text (which must end in
// '\n'). invalid_argument for other signer types or a text without the final
// newline.
Result<NoteSignature> sign_note_text(std::string_view text, const NoteSigner& signer);
// A whole signed note: text, blank line, one line per signer in order.
Result<std::string> sign_note(std::string_view text, std::span<const NoteSigner* const> signers);
Result<std::string> sign_note(std::string_view text, const NoteSigner& signer);

}  // namespace verun::proofs
