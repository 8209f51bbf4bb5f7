// Signed-note parsing, formatting, signing and opening (C2SP signed-note).
#include "verun/proofs/note/signed_note.h"

#include <algorithm>
#include <set>

#include "text_util.h"
#include "verun/proofs/base64.h"

namespace verun::proofs {
namespace {

using note_detail::hex8;

// U+2014 EM DASH then a space: the signature line prefix.
constexpr std::string_view kSigPrefix = "\xE2\x80\x94 ";

Error malformed(std::string msg) { return Error(ErrorCode::kNoteMalformed, std::move(msg)); }

Result<NoteSignature> parse_signature_line(std::string_view line) {
  if (line.substr(0, kSigPrefix.size()) != kSigPrefix)
    return malformed("a signature line does not start with an em dash and a space");
  line.remove_prefix(kSigPrefix.size());
  const std::size_t sp = line.find(' ');
  if (sp == std::string_view::npos) return malformed("a signature line has no space between key name and signature");
  const std::string_view name = line.substr(0, sp);
  const std::string_view b64 = line.substr(sp + 1);
  if (!is_valid_key_name(name)) return malformed("a signature line has an invalid key name");
  auto raw = base64_decode(b64);
  if (!raw) return malformed("the signature by " + std::string(name) + " is not strict base64");
  if (raw->size() < 5) return malformed("the signature by " + std::string(name) + " is shorter than 5 bytes");
  NoteSignature sig;
  sig.name = std::string(name);
  sig.key_id = (std::uint32_t{(*raw)[0]} << 24) | (std::uint32_t{(*raw)[1]} << 16) |
               (std::uint32_t{(*raw)[2]} << 8) | (*raw)[3];
  sig.signature.assign(raw->begin() + 4, raw->end());
  return sig;
}

}  // namespace

Result<SignedNote> parse_signed_note(std::string_view note) {
  if (!note_detail::is_valid_utf8(note)) return malformed("the note is not valid UTF-8");
  for (char c : note) {
    if (static_cast<unsigned char>(c) < 0x20 && c != '\n')
      return malformed("the note holds a control character other than newline");
  }
  const std::size_t split = note.rfind("\n\n");
  if (split == std::string_view::npos) return malformed("the note has no blank line before its signatures");
  const std::string_view text = note.substr(0, split + 1);
  const std::string_view sigs = note.substr(split + 2);
  if (sigs.empty() || sigs.back() != '\n') return malformed("the signature block is empty or lacks its final newline");

  SignedNote out;
  std::size_t start = 0;
  while (start < sigs.size()) {
    if (out.signatures.size() == kMaxNoteSignatures)
      return Error(ErrorCode::kNoteTooManySignatures,
                   "the note has more than " + std::to_string(kMaxNoteSignatures) + " signature lines");
    const std::size_t nl = sigs.find('\n', start);  // found: sigs ends in '\n'
    VERUN_ASSIGN_OR_RETURN(NoteSignature sig, parse_signature_line(sigs.substr(start, nl - start)));
    out.signatures.push_back(std::move(sig));
    start = nl + 1;
  }
  out.text = std::string(text);
  return out;
}

std::string format_signature_line(const NoteSignature& signature) {
  Bytes raw;
  raw.reserve(4 + signature.signature.size());
  for (int shift = 24; shift >= 0; shift -= 8) raw.push_back(static_cast<std::uint8_t>(signature.key_id >> shift));
  append(raw, signature.signature);
  std::string line(kSigPrefix);
  line += signature.name;
  line += ' ';
  line += base64_encode(raw);
  line += '\n';
  return line;
}

std::string format_signed_note(const SignedNote& note) {
  std::string out = note.text;
  out += '\n';
  for (const auto& s : note.signatures) out += format_signature_line(s);
  return out;
}

Result<void> NoteVerifierSet::add(NoteVerifier verifier) {
  if (find(verifier.name(), verifier.key_id()))
    return Error(ErrorCode::kNoteDuplicateKey,
                 "two keys are named " + verifier.name() + " with key ID " + hex8(verifier.key_id()));
  verifiers_.push_back(std::move(verifier));
  return {};
}

Result<NoteVerifierSet> NoteVerifierSet::make(std::span<const NoteVerifier> verifiers) {
  NoteVerifierSet set;
  for (const auto& v : verifiers) VERUN_TRY(set.add(v));
  return set;
}

const NoteVerifier* NoteVerifierSet::find(std::string_view name, std::uint32_t key_id) const {
  for (const auto& v : verifiers_) {
    if (v.key_id() == key_id && v.name() == name) return &v;
  }
  return nullptr;
}

Result<OpenedNote> open_note(const SignedNote& note, const NoteVerifierSet& verifiers) {
  OpenedNote out;
  std::set<std::string> unverified_seen;
  for (const auto& sig : note.signatures) {
    const NoteVerifier* v = verifiers.find(sig.name, sig.key_id);
    if (!v) {
      // C2SP signed-note §Signatures: unknown keys are ignored.
      if (unverified_seen.insert(format_signature_line(sig)).second) out.unverified.push_back(sig);
      continue;
    }
    VERUN_ASSIGN_OR_RETURN(const std::uint64_t ts, v->verify(note.text, sig.signature));
    auto same_key = [&](const VerifiedSignature& s) {
      return s.verifier.key_id() == v->key_id() && s.verifier.name() == v->name();
    };
    auto it = std::find_if(out.verified.begin(), out.verified.end(), same_key);
    if (it == out.verified.end()) {
      out.verified.push_back(VerifiedSignature{*v, ts});
    } else {
      it->timestamp = std::min(it->timestamp, ts);  // one key counts once
    }
  }
  if (out.verified.empty()) return Error(ErrorCode::kNoteNoKnownSignature, "no signature on the note is by a known key");
  out.text = note.text;
  return out;
}

Result<OpenedNote> open_note(std::string_view note, const NoteVerifierSet& verifiers) {
  VERUN_ASSIGN_OR_RETURN(SignedNote parsed, parse_signed_note(note));
  return open_note(parsed, verifiers);
}

Result<NoteSignature> sign_note_text(std::string_view text, const NoteSigner& signer) {
  if (signer.type() != NoteKeyType::kEd25519)
    return Error(ErrorCode::kInvalidArgument, "note signatures need an Ed25519 (0x01) signer; use cosign for 0x04");
  if (text.empty() || text.back() != '\n')
    return Error(ErrorCode::kInvalidArgument, "a note text must end in a newline");
  NoteSignature sig;
  sig.name = signer.name();
  sig.key_id = signer.key_id();
  sig.signature = signer.sign_raw(as_bytes(text));
  return sig;
}

Result<std::string> sign_note(std::string_view text, std::span<const NoteSigner* const> signers) {
  if (signers.empty()) return Error(ErrorCode::kInvalidArgument, "a signed note needs at least one signer");
  if (signers.size() > kMaxNoteSignatures)
    return Error(ErrorCode::kInvalidArgument, "at most 100 signers");
  SignedNote note;
  note.text = std::string(text);
  for (const NoteSigner* s : signers) {
    VERUN_ASSIGN_OR_RETURN(NoteSignature sig, sign_note_text(text, *s));
    note.signatures.push_back(std::move(sig));
  }
  // The text must itself be a valid note text (UTF-8, no control characters).
  std::string out = format_signed_note(note);
  if (auto r = parse_signed_note(out); !r || r->text != note.text)
    return Error(ErrorCode::kInvalidArgument, "the text cannot be carried in a signed note");
  return out;
}

Result<std::string> sign_note(std::string_view text, const NoteSigner& signer) {
  const NoteSigner* one[] = {&signer};
  return sign_note(text, one);
}

}  // namespace verun::proofs
