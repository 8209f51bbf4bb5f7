// Witness cosignatures: sign and verify C2SP tlog-cosignature/v1 (Ed25519,
// signature type 0x04) lines on a checkpoint, reporting each cosigner's
// timestamp. C2SP tlog-cosignature §Format and §Ed25519 signed message.
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "verun/proofs/note/note_key.h"
#include "verun/proofs/note/signed_note.h"
#include "verun/result.h"

namespace verun::proofs {

// A timestamp may not exceed 2^63-1 (tlog-cosignature §Format).
inline constexpr std::uint64_t kMaxCosignatureTimestamp = 0x7FFFFFFFFFFFFFFFULL;

struct VerifiedCosignature {
  std::string name;
  std::uint32_t key_id = 0;
  std::uint64_t timestamp = 0;  // POSIX seconds

  bool operator==(const VerifiedCosignature&) const = default;
};

// `cosignature/v1\ntime <t>\n` || checkpoint text: what the witness signs.
std::string cosignature_message(std::string_view checkpoint_text, std::uint64_t timestamp);

// The cosignature line of `witness` (a kCosignatureV1 signer) over the
// checkpoint text (ending in '\n'). Errors: invalid_argument (signer type,
// text), cosignature.bad_timestamp.
Result<NoteSignature> cosign_checkpoint(std::string_view checkpoint_text, const NoteSigner& witness,
                                        std::uint64_t timestamp);
// Appends the witness's cosignature line to a signed note (its syntax is
// checked first; an earlier line by the same witness key is replaced).
Result<std::string> add_cosignature(std::string_view signed_note, const NoteSigner& witness,
                                    std::uint64_t timestamp);

// The verified cosignatures of `witnesses` on a signed note, one per witness
// key (its earliest timestamp), in signature-line order. Lines by other keys
// are ignored; a witness line that fails rejects the note (note.bad_signature,
// cosignature.bad_timestamp). Finding none is not an error here (the quorum
// decides). Syntax errors as parse_signed_note.
Result<std::vector<VerifiedCosignature>> verify_cosignatures(std::string_view signed_note,
                                                             std::span<const NoteVerifier> witnesses);
Result<std::vector<VerifiedCosignature>> verify_cosignatures(const SignedNote& note,
                                                             std::span<const NoteVerifier> witnesses);

}  // namespace verun::proofs
