// tlog-cosignature/v1: signing and verifying witness cosignatures.
#include "verun/proofs/note/cosignature.h"

#include <algorithm>

namespace verun::proofs {

std::string cosignature_message(std::string_view checkpoint_text, std::uint64_t timestamp) {
  // C2SP tlog-cosignature §Ed25519 signed message.
  std::string msg = "cosignature/v1\ntime " + std::to_string(timestamp) + "\n";
  msg.append(checkpoint_text);
  return msg;
}

Result<NoteSignature> cosign_checkpoint(std::string_view checkpoint_text, const NoteSigner& witness,
                                        std::uint64_t timestamp) {
  if (witness.type() != NoteKeyType::kCosignatureV1)
    return Error(ErrorCode::kInvalidArgument, "cosignatures need a cosignature/v1 (0x04) signer");
  if (checkpoint_text.empty() || checkpoint_text.back() != '\n')
    return Error(ErrorCode::kInvalidArgument, "a checkpoint text must end in a newline");
  if (timestamp > kMaxCosignatureTimestamp)
    return Error(ErrorCode::kCosignatureBadTimestamp, "timestamp " + std::to_string(timestamp) + " is above 2^63-1");
  NoteSignature sig;
  sig.name = witness.name();
  sig.key_id = witness.key_id();
  append_u64_be(sig.signature, timestamp);
  append(sig.signature, witness.sign_raw(as_bytes(cosignature_message(checkpoint_text, timestamp))));
  return sig;
}

Result<std::string> add_cosignature(std::string_view signed_note, const NoteSigner& witness,
                                    std::uint64_t timestamp) {
  VERUN_ASSIGN_OR_RETURN(SignedNote note, parse_signed_note(signed_note));
  VERUN_ASSIGN_OR_RETURN(NoteSignature sig, cosign_checkpoint(note.text, witness, timestamp));
  std::erase_if(note.signatures,
                [&](const NoteSignature& s) { return s.name == sig.name && s.key_id == sig.key_id; });
  if (note.signatures.size() >= kMaxNoteSignatures)
    return Error(ErrorCode::kNoteTooManySignatures, "the note already has 100 signature lines");
  note.signatures.push_back(std::move(sig));
  return format_signed_note(note);
}

Result<std::vector<VerifiedCosignature>> verify_cosignatures(const SignedNote& note,
                                                             std::span<const NoteVerifier> witnesses) {
  VERUN_ASSIGN_OR_RETURN(NoteVerifierSet set, NoteVerifierSet::make(witnesses));
  std::vector<VerifiedCosignature> out;
  for (const auto& sig : note.signatures) {
    const NoteVerifier* v = set.find(sig.name, sig.key_id);
    if (!v) continue;
    VERUN_ASSIGN_OR_RETURN(const std::uint64_t ts, v->verify(note.text, sig.signature));
    auto it = std::find_if(out.begin(), out.end(), [&](const VerifiedCosignature& c) {
      return c.key_id == sig.key_id && c.name == sig.name;
    });
    if (it == out.end()) {
      out.push_back(VerifiedCosignature{sig.name, sig.key_id, ts});
    } else {
      it->timestamp = std::min(it->timestamp, ts);  // one witness counts once
    }
  }
  return out;
}

Result<std::vector<VerifiedCosignature>> verify_cosignatures(std::string_view signed_note,
                                                             std::span<const NoteVerifier> witnesses) {
  VERUN_ASSIGN_OR_RETURN(SignedNote note, parse_signed_note(signed_note));
  return verify_cosignatures(note, witnesses);
}

}  // namespace verun::proofs
