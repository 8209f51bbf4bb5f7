// Checkpoints: the C2SP tlog-checkpoint note body (origin, tree size, root
// hash, optional extension lines), parsed strictly and formatted, and opened
// as a signed note by a log key plus optional witness cosignatures.
// C2SP tlog-checkpoint §Note text; DESIGN.md §6, §10 "Logs and witnesses".
// The parser does not require key name == origin (sum.golang.org, Rekor v1
// differ); verifier/ checks that under a verun policy. Thread-safe.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "verun/proofs/bytes.h"
#include "verun/proofs/note/cosignature.h"
#include "verun/proofs/note/note_key.h"
#include "verun/proofs/note/signed_note.h"
#include "verun/result.h"

namespace verun::proofs {

struct Checkpoint {
  std::string origin;                   // non-empty, may hold spaces
  std::uint64_t size = 0;               // number of leaves
  Hash32 root{};                        // RFC 6962 root at `size`
  std::vector<std::string> extensions;  // opaque, each non-empty

  bool operator==(const Checkpoint&) const = default;
};

// Parses a checkpoint note text (ending in '\n'): at least three lines, all
// non-empty; size in decimal without leading zeros; root strict base64 of 32
// bytes. Errors: checkpoint.malformed.
Result<Checkpoint> parse_checkpoint(std::string_view text);
// The note text. invalid_argument if the origin or an extension is empty or
// holds a newline or control character.
Result<std::string> format_checkpoint(const Checkpoint& checkpoint);

// Signs the checkpoint body with the log's Ed25519 key: a whole signed note.
Result<std::string> sign_checkpoint(const Checkpoint& checkpoint, const NoteSigner& log_signer);

struct VerifiedCheckpoint {
  Checkpoint checkpoint;
  std::string text;                               // the signed note text
  std::vector<VerifiedCosignature> cosignatures;  // verified witness cosignatures
};

// Opens a checkpoint note: the log key's signature must verify, every line by
// the log key or a witness is verified, other lines are ignored, then the
// body is parsed. Errors: those of open_note, checkpoint.no_log_signature
// (only witnesses signed), checkpoint.malformed, note.duplicate_key.
Result<VerifiedCheckpoint> open_checkpoint(std::string_view note, const NoteVerifier& log_key,
                                           std::span<const NoteVerifier> witnesses = {});
// As above, then checkpoint.origin_mismatch unless the origin line is `origin`.
Result<VerifiedCheckpoint> open_checkpoint(std::string_view note, const NoteVerifier& log_key,
                                           std::string_view origin,
                                           std::span<const NoteVerifier> witnesses = {});

}  // namespace verun::proofs
