// C2SP tlog-proof@v1: parse, format and verify.
#include "verun/proofs/note/tlog_proof.h"

#include "text_util.h"
#include "verun/proofs/base64.h"
#include "verun/proofs/merkle/hasher.h"
#include "verun/proofs/merkle/inclusion.h"

namespace verun::proofs {
namespace {

Error malformed(std::string msg) { return Error(ErrorCode::kTlogProofMalformed, std::move(msg)); }

// Takes the next '\n'-terminated line off `rest`; nullopt if there is none.
std::optional<std::string_view> next_line(std::string_view& rest) {
  const std::size_t nl = rest.find('\n');
  if (nl == std::string_view::npos) return std::nullopt;
  const std::string_view line = rest.substr(0, nl);
  rest.remove_prefix(nl + 1);
  return line;
}

}  // namespace

Result<TlogProof> parse_tlog_proof(std::string_view text) {
  std::string_view rest = text;
  auto line = next_line(rest);
  if (!line || *line != kTlogProofHeader) return malformed("the first line is not c2sp.org/tlog-proof@v1");

  TlogProof proof;
  line = next_line(rest);
  if (line && line->substr(0, 6) == "extra ") {
    for (char c : line->substr(6)) {
      if (static_cast<unsigned char>(c) < 0x20) return malformed("the extra line holds a control character");
    }
    proof.extra = std::string(line->substr(6));
    line = next_line(rest);
  }
  if (!line || line->substr(0, 6) != "index ") return malformed("the index line is missing");
  const auto index = note_detail::parse_decimal(line->substr(6));
  if (!index) return malformed("the index is not a decimal number without leading zeros");
  proof.index = *index;

  while (true) {
    line = next_line(rest);
    if (!line) return malformed("the blank line before the checkpoint is missing");
    if (line->empty()) break;
    if (proof.hashes.size() == kMaxTlogProofHashes) return malformed("the proof has more than 64 hashes");
    auto h = base64_decode32(*line);
    if (!h) return malformed("proof hash " + std::to_string(proof.hashes.size()) + " is not base64 of 32 bytes");
    proof.hashes.push_back(*h);
  }
  VERUN_ASSIGN_OR_RETURN(SignedNote note, parse_signed_note(rest));
  VERUN_TRY(parse_checkpoint(note.text));
  proof.checkpoint_note = std::string(rest);
  return proof;
}

std::string format_tlog_proof(const TlogProof& proof) {
  std::string out(kTlogProofHeader);
  out += '\n';
  if (proof.extra) out += "extra " + *proof.extra + "\n";
  out += "index " + std::to_string(proof.index) + "\n";
  for (const auto& h : proof.hashes) out += base64_encode(h) + "\n";
  out += '\n';
  out += proof.checkpoint_note;
  return out;
}

Result<VerifiedTlogProof> verify_tlog_proof(const TlogProof& proof, const Hash32& leaf_hash,
                                            const NoteVerifier& log_key, std::string_view origin,
                                            std::span<const NoteVerifier> witnesses) {
  VerifiedTlogProof out;
  VERUN_ASSIGN_OR_RETURN(out.checkpoint, open_checkpoint(proof.checkpoint_note, log_key, origin, witnesses));
  VERUN_TRY(verify_inclusion(leaf_hash, proof.index, out.checkpoint.checkpoint.size, proof.hashes,
                             out.checkpoint.checkpoint.root));
  out.index = proof.index;
  return out;
}

Result<VerifiedTlogProof> verify_tlog_proof_for_entry(const TlogProof& proof, ByteView entry,
                                                      const NoteVerifier& log_key, std::string_view origin,
                                                      std::span<const NoteVerifier> witnesses) {
  return verify_tlog_proof(proof, leaf_hash(entry), log_key, origin, witnesses);
}

}  // namespace verun::proofs
