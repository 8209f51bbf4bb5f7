// Offline inclusion proofs in the C2SP tlog-proof@v1 text format: the header
// line, an optional `extra` line (ignored, DESIGN.md §10), `index N`, the
// base64 RFC 6962 audit path, a blank line, then the signed checkpoint.
// C2SP tlog-proof §Format; RFC 9162 §2.1.3 for the inclusion check.
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "verun/proofs/bytes.h"
#include "verun/proofs/note/checkpoint.h"
#include "verun/proofs/note/note_key.h"
#include "verun/result.h"

namespace verun::proofs {

inline constexpr std::string_view kTlogProofHeader = "c2sp.org/tlog-proof@v1";
// No RFC 9162 audit path of a tree of at most 2^64 leaves is longer.
inline constexpr std::size_t kMaxTlogProofHashes = 64;

struct TlogProof {
  std::optional<std::string> extra;  // the text after "extra " (unauthenticated, unused)
  std::uint64_t index = 0;
  std::vector<Hash32> hashes;        // leaf's sibling first, up to the root's child
  std::string checkpoint_note;       // the signed checkpoint, verbatim
};

// Strict syntax: header, optional extra line, index without leading zeros,
// at most 64 strict-base64 32-byte hashes, a blank line, then a checkpoint
// note that parses as a signed note with a valid checkpoint body (signatures
// are not checked here). Errors: tlog_proof.malformed, and those of
// parse_signed_note / parse_checkpoint for the checkpoint part.
Result<TlogProof> parse_tlog_proof(std::string_view text);
std::string format_tlog_proof(const TlogProof& proof);

struct VerifiedTlogProof {
  std::uint64_t index = 0;
  VerifiedCheckpoint checkpoint;
};

// Verifies the proof for a leaf hash: the checkpoint is opened with the log
// key (and witness keys, whose cosignatures are reported) and must carry
// `origin`, then the inclusion proof must lead from leaf_hash at index to
// the checkpoint's root. Errors: those of open_checkpoint, checkpoint.origin_mismatch,
// proof.* from verify_inclusion.
Result<VerifiedTlogProof> verify_tlog_proof(const TlogProof& proof, const Hash32& leaf_hash,
                                            const NoteVerifier& log_key, std::string_view origin,
                                            std::span<const NoteVerifier> witnesses = {});
// As above for the raw entry: leaf hash = SHA-256(0x00 || entry).
Result<VerifiedTlogProof> verify_tlog_proof_for_entry(const TlogProof& proof, ByteView entry,
                                                      const NoteVerifier& log_key, std::string_view origin,
                                                      std::span<const NoteVerifier> witnesses = {});

}  // namespace verun::proofs
