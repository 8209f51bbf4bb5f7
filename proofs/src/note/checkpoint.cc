// C2SP tlog-checkpoint bodies, and opening checkpoints signed by a log key.
#include "verun/proofs/note/checkpoint.h"

#include "text_util.h"
#include "verun/proofs/base64.h"

namespace verun::proofs {
namespace {

Error malformed(std::string msg) { return Error(ErrorCode::kCheckpointMalformed, std::move(msg)); }

bool is_plain_line(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (static_cast<unsigned char>(c) < 0x20) return false;
  }
  return true;
}

}  // namespace

Result<Checkpoint> parse_checkpoint(std::string_view text) {
  if (text.empty() || text.back() != '\n') return malformed("a checkpoint text ends in a newline");
  if (!note_detail::is_valid_utf8(text)) return malformed("a checkpoint text is UTF-8");
  const auto lines = note_detail::split_lines(text);
  if (lines.size() < 3) return malformed("a checkpoint has at least three lines: origin, size, root");
  for (const auto& line : lines) {
    if (!is_plain_line(line)) return malformed("checkpoint lines are non-empty, without control characters");
  }
  Checkpoint cp;
  const auto size = note_detail::parse_decimal(lines[1]);
  if (!size) return malformed("the checkpoint size is not a decimal number without leading zeros");
  auto root = base64_decode32(lines[2]);
  if (!root) return malformed("the checkpoint root is not strict base64 of 32 bytes");
  cp.origin = std::string(lines[0]);
  cp.size = *size;
  cp.root = *root;
  for (std::size_t i = 3; i < lines.size(); ++i) cp.extensions.emplace_back(lines[i]);
  return cp;
}

Result<std::string> format_checkpoint(const Checkpoint& checkpoint) {
  if (!is_plain_line(checkpoint.origin))
    return Error(ErrorCode::kInvalidArgument, "the origin must be non-empty, without control characters");
  std::string out = checkpoint.origin + "\n" + std::to_string(checkpoint.size) + "\n" +
                    base64_encode(checkpoint.root) + "\n";
  for (const auto& ext : checkpoint.extensions) {
    if (!is_plain_line(ext))
      return Error(ErrorCode::kInvalidArgument, "extension lines must be non-empty, without control characters");
    out += ext;
    out += '\n';
  }
  if (!note_detail::is_valid_utf8(out)) return Error(ErrorCode::kInvalidArgument, "a checkpoint text is UTF-8");
  return out;
}

Result<std::string> sign_checkpoint(const Checkpoint& checkpoint, const NoteSigner& log_signer) {
  VERUN_ASSIGN_OR_RETURN(std::string text, format_checkpoint(checkpoint));
  return sign_note(text, log_signer);
}

Result<VerifiedCheckpoint> open_checkpoint(std::string_view note, const NoteVerifier& log_key,
                                           std::span<const NoteVerifier> witnesses) {
  VERUN_ASSIGN_OR_RETURN(SignedNote parsed, parse_signed_note(note));
  NoteVerifierSet set;
  VERUN_TRY(set.add(log_key));
  for (const auto& w : witnesses) VERUN_TRY(set.add(w));
  VERUN_ASSIGN_OR_RETURN(OpenedNote opened, open_note(parsed, set));

  VerifiedCheckpoint out;
  bool log_signed = false;
  for (const auto& s : opened.verified) {
    if (s.verifier.key_id() == log_key.key_id() && s.verifier.name() == log_key.name()) {
      log_signed = true;
    } else {
      out.cosignatures.push_back(VerifiedCosignature{s.verifier.name(), s.verifier.key_id(), s.timestamp});
    }
  }
  if (!log_signed)
    return Error(ErrorCode::kCheckpointNoLogSignature, "the checkpoint has no signature by log key " + log_key.name());
  VERUN_ASSIGN_OR_RETURN(out.checkpoint, parse_checkpoint(opened.text));
  out.text = std::move(opened.text);
  return out;
}

Result<VerifiedCheckpoint> open_checkpoint(std::string_view note, const NoteVerifier& log_key,
                                           std::string_view origin, std::span<const NoteVerifier> witnesses) {
  VERUN_ASSIGN_OR_RETURN(VerifiedCheckpoint cp, open_checkpoint(note, log_key, witnesses));
  if (cp.checkpoint.origin != origin)
    return Error(ErrorCode::kCheckpointOriginMismatch,
                 "checkpoint origin \"" + cp.checkpoint.origin + "\" is not \"" + std::string(origin) + "\"");
  return cp;
}

}  // namespace verun::proofs
