// Note keys: vkey and signer-key parsing and formatting, key IDs, and the
// per-type signature checks (C2SP signed-note, tlog-cosignature).
#include "verun/proofs/note/note_key.h"

#include <optional>

#include "text_util.h"
#include "verun/proofs/base64.h"
#include "verun/proofs/crypto/ecdsa.h"
#include "verun/proofs/crypto/ed25519.h"
#include "verun/proofs/sha2.h"

namespace verun::proofs {
namespace {

using note_detail::hex8;

constexpr std::uint64_t kMaxTimestamp = 0x7FFFFFFFFFFFFFFFULL;  // 2^63-1

Error bad_key(std::string msg) { return Error(ErrorCode::kNoteBadKey, std::move(msg)); }

std::uint32_t first_four_be(const Hash32& h) {
  return (std::uint32_t{h[0]} << 24) | (std::uint32_t{h[1]} << 16) | (std::uint32_t{h[2]} << 8) | h[3];
}

// Splits at the first '+': (before, after); nullopt when there is none.
std::optional<std::pair<std::string_view, std::string_view>> chop_plus(std::string_view s) {
  const std::size_t p = s.find('+');
  if (p == std::string_view::npos) return std::nullopt;
  return std::make_pair(s.substr(0, p), s.substr(p + 1));
}

// Exactly 8 lowercase hex digits.
std::optional<std::uint32_t> parse_hex8(std::string_view s) {
  if (s.size() != 8) return std::nullopt;
  std::uint32_t v = 0;
  for (char c : s) {
    std::uint32_t d;
    if (c >= '0' && c <= '9') {
      d = static_cast<std::uint32_t>(c - '0');
    } else if (c >= 'a' && c <= 'f') {
      d = static_cast<std::uint32_t>(c - 'a' + 10);
    } else {
      return std::nullopt;
    }
    v = (v << 4) | d;
  }
  return v;
}

Result<void> check_name(std::string_view name) {
  if (!is_valid_key_name(name)) return bad_key("the key name is empty, not UTF-8, or holds a space or '+'");
  return {};
}

}  // namespace

bool is_valid_key_name(std::string_view name) {
  return !name.empty() && note_detail::is_valid_utf8(name) && !note_detail::contains_unicode_space(name) &&
         name.find('+') == std::string_view::npos;
}

std::uint32_t note_key_id(std::string_view name, NoteKeyType type, ByteView public_key) {
  if (type == NoteKeyType::kEcdsa) return first_four_be(sha256(public_key));
  Sha256 h;
  h.update(name).update("\n");
  const std::uint8_t t = static_cast<std::uint8_t>(type);
  h.update(ByteView(&t, 1)).update(public_key);
  return first_four_be(h.finish());
}

// ---- NoteVerifier -------------------------------------------------------

struct NoteVerifier::Impl {
  std::string name;
  std::uint32_t id = 0;
  NoteKeyType type = NoteKeyType::kEd25519;
  Bytes key;
  std::optional<Ed25519Verifier> ed;
  std::optional<EcdsaVerifier> ec;
};

Result<NoteVerifier> NoteVerifier::make_ed25519(std::string_view name, ByteView public_key) {
  VERUN_TRY(check_name(name));
  if (public_key.size() != 32)
    return bad_key("an Ed25519 note key is 32 bytes, got " + std::to_string(public_key.size()));
  VERUN_ASSIGN_OR_RETURN(auto ed, Ed25519Verifier::make(public_key));
  auto impl = std::make_shared<Impl>();
  impl->name = std::string(name);
  impl->type = NoteKeyType::kEd25519;
  impl->key.assign(public_key.begin(), public_key.end());
  impl->id = note_key_id(name, impl->type, public_key);
  impl->ed.emplace(std::move(ed));
  return NoteVerifier(std::move(impl));
}

Result<NoteVerifier> NoteVerifier::make_cosignature_v1(std::string_view name, ByteView public_key) {
  VERUN_ASSIGN_OR_RETURN(NoteVerifier v, make_ed25519(name, public_key));
  auto impl = std::make_shared<Impl>();
  impl->name = v.impl_->name;
  impl->type = NoteKeyType::kCosignatureV1;
  impl->key = v.impl_->key;
  impl->id = note_key_id(name, impl->type, public_key);
  VERUN_ASSIGN_OR_RETURN(auto ed, Ed25519Verifier::make(public_key));
  impl->ed.emplace(std::move(ed));
  return NoteVerifier(std::move(impl));
}

Result<NoteVerifier> NoteVerifier::make_ecdsa(std::string_view name, ByteView spki_der) {
  VERUN_TRY(check_name(name));
  VERUN_ASSIGN_OR_RETURN(auto ec, EcdsaVerifier::from_spki_der(spki_der));
  auto impl = std::make_shared<Impl>();
  impl->name = std::string(name);
  impl->type = NoteKeyType::kEcdsa;
  impl->key.assign(spki_der.begin(), spki_der.end());
  impl->id = note_key_id(name, impl->type, spki_der);
  impl->ec.emplace(std::move(ec));
  return NoteVerifier(std::move(impl));
}

const std::string& NoteVerifier::name() const { return impl_->name; }
std::uint32_t NoteVerifier::key_id() const { return impl_->id; }
NoteKeyType NoteVerifier::type() const { return impl_->type; }
ByteView NoteVerifier::public_key() const { return impl_->key; }

Result<std::uint64_t> NoteVerifier::verify(std::string_view text, ByteView signature) const {
  auto who = [&] { return impl_->name + "+" + hex8(impl_->id); };  // only built on failure
  auto bad = [&](const std::string& why) {
    return Error(ErrorCode::kNoteBadSignature, "the signature by " + who() + " " + why);
  };
  switch (impl_->type) {
    case NoteKeyType::kEd25519:
      if (signature.size() != 64) return bad("is " + std::to_string(signature.size()) + " bytes, not 64");
      if (!impl_->ed->verify(as_bytes(text), signature)) return bad("does not verify");
      return std::uint64_t{0};
    case NoteKeyType::kCosignatureV1: {
      // C2SP tlog-cosignature §Format: u64 timestamp || ed25519_signature[64].
      if (signature.size() != 72) return bad("is " + std::to_string(signature.size()) + " bytes, not 72");
      const std::uint64_t ts = read_u64_be(signature.first(8));
      if (ts > kMaxTimestamp)
        return Error(ErrorCode::kCosignatureBadTimestamp,
                     "the cosignature by " + who() + " has timestamp " + std::to_string(ts) + " above 2^63-1");
      // §Ed25519 signed message: header line, time line, then the note text.
      std::string msg = "cosignature/v1\ntime " + std::to_string(ts) + "\n";
      msg.append(text);
      if (!impl_->ed->verify(as_bytes(msg), signature.subspan(8))) return bad("does not verify");
      return ts;
    }
    case NoteKeyType::kEcdsa:
      if (!impl_->ec->verify(as_bytes(text), signature, EcdsaSignatureFormat::kDer)) return bad("does not verify");
      return std::uint64_t{0};
  }
  return bad("has an unknown type");
}

Result<NoteVerifier> parse_verifier_key(std::string_view vkey) {
  auto p1 = chop_plus(vkey);
  if (!p1) return bad_key("a verifier key is <name>+<key ID>+<key>");
  auto p2 = chop_plus(p1->second);
  if (!p2) return bad_key("a verifier key is <name>+<key ID>+<key>");
  const std::string_view name = p1->first;
  VERUN_TRY(check_name(name));
  const auto id = parse_hex8(p2->first);
  if (!id) return bad_key("the key ID of a verifier key is 8 lowercase hex digits");
  auto raw = base64_decode(p2->second);
  if (!raw || raw->empty()) return bad_key("the key part of a verifier key is not strict base64 of type || key");
  const auto type = raw->front();
  const ByteView key = ByteView(*raw).subspan(1);
  Result<NoteVerifier> v = Error(ErrorCode::kInternal, "unset");
  switch (type) {
    case 0x01:
      v = NoteVerifier::make_ed25519(name, key);
      break;
    case 0x02:
      v = NoteVerifier::make_ecdsa(name, key);
      break;
    case 0x04:
      v = NoteVerifier::make_cosignature_v1(name, key);
      break;
    default:
      return Error(ErrorCode::kNoteUnknownKeyType, "verifier key type 0x" + hex8(type).substr(6) + " is not supported");
  }
  if (!v) {
    if (v.error().code == ErrorCode::kCryptoBadKey) return bad_key(v.error().message);
    return v;
  }
  if (v->key_id() != *id)
    return Error(ErrorCode::kNoteKeyIdMismatch,
                 "verifier key ID " + hex8(*id) + " is not the computed " + hex8(v->key_id()));
  return v;
}

std::string format_verifier_key(const NoteVerifier& verifier) {
  Bytes raw;
  raw.push_back(static_cast<std::uint8_t>(verifier.type()));
  append(raw, verifier.public_key());
  return verifier.name() + "+" + hex8(verifier.key_id()) + "+" + base64_encode(raw);
}

// ---- NoteSigner ----------------------------------------------------------

struct NoteSigner::Impl {
  Ed25519PrivateKey key;
  NoteVerifier verifier;
};

NoteSigner::NoteSigner() = default;
NoteSigner::NoteSigner(NoteSigner&&) noexcept = default;
NoteSigner& NoteSigner::operator=(NoteSigner&&) noexcept = default;
NoteSigner::~NoteSigner() = default;

Result<NoteSigner> NoteSigner::from_seed(std::string_view name, ByteView seed, NoteKeyType type) {
  VERUN_TRY(check_name(name));
  if (type != NoteKeyType::kEd25519 && type != NoteKeyType::kCosignatureV1)
    return Error(ErrorCode::kNoteUnknownKeyType, "note signers are Ed25519 (0x01) or cosignature/v1 (0x04)");
  if (seed.size() != 32) return bad_key("an Ed25519 seed is 32 bytes, got " + std::to_string(seed.size()));
  VERUN_ASSIGN_OR_RETURN(auto key, Ed25519PrivateKey::from_seed(seed));
  Result<NoteVerifier> v = type == NoteKeyType::kEd25519 ? NoteVerifier::make_ed25519(name, key.public_key())
                                                         : NoteVerifier::make_cosignature_v1(name, key.public_key());
  if (!v) return std::move(v).error();
  NoteSigner s;
  s.impl_ = std::unique_ptr<Impl>(new Impl{std::move(key), std::move(*v)});
  return s;
}

Result<NoteSigner> NoteSigner::generate(std::string_view name, NoteKeyType type) {
  VERUN_ASSIGN_OR_RETURN(auto key, Ed25519PrivateKey::generate());
  return from_seed(name, key.seed().view(), type);
}

const std::string& NoteSigner::name() const { return impl_->verifier.name(); }
std::uint32_t NoteSigner::key_id() const { return impl_->verifier.key_id(); }
NoteKeyType NoteSigner::type() const { return impl_->verifier.type(); }
const NoteVerifier& NoteSigner::verifier() const { return impl_->verifier; }
const SecureBytes& NoteSigner::seed() const { return impl_->key.seed(); }

Bytes NoteSigner::sign_raw(ByteView message) const {
  const auto sig = impl_->key.sign(message);
  return Bytes(sig.begin(), sig.end());
}

Result<NoteSigner> parse_signer_key(std::string_view skey) {
  auto p1 = chop_plus(skey);
  auto p2 = p1 ? chop_plus(p1->second) : std::nullopt;
  if (!p1 || !p2 || p1->first != "PRIVATE" || p2->first != "KEY")
    return bad_key("a signer key starts with PRIVATE+KEY+");
  auto p3 = chop_plus(p2->second);
  auto p4 = p3 ? chop_plus(p3->second) : std::nullopt;
  if (!p3 || !p4) return bad_key("a signer key is PRIVATE+KEY+<name>+<key ID>+<key>");
  const std::string_view name = p3->first;
  VERUN_TRY(check_name(name));
  const auto id = parse_hex8(p4->first);
  if (!id) return bad_key("the key ID of a signer key is 8 lowercase hex digits");
  auto raw = base64_decode(p4->second);
  if (!raw || raw->empty()) return bad_key("the key part of a signer key is not strict base64 of type || seed");
  SecureBytes secret(*raw);
  secure_wipe(raw->data(), raw->size());
  const std::uint8_t type = secret[0];
  if (type != 0x01 && type != 0x04)
    return Error(ErrorCode::kNoteUnknownKeyType, "signer key type 0x" + hex8(type).substr(6) + " is not supported");
  VERUN_ASSIGN_OR_RETURN(NoteSigner s,
                         NoteSigner::from_seed(name, secret.view().subspan(1), static_cast<NoteKeyType>(type)));
  if (s.key_id() != *id)
    return Error(ErrorCode::kNoteKeyIdMismatch,
                 "signer key ID " + hex8(*id) + " is not the computed " + hex8(s.key_id()));
  return s;
}

SecureBytes format_signer_key(const NoteSigner& signer) {
  SecureBytes raw(1 + signer.seed().size());
  raw[0] = static_cast<std::uint8_t>(signer.type());
  std::copy(signer.seed().view().begin(), signer.seed().view().end(), raw.data() + 1);
  std::string b64 = base64_encode(raw.view());
  std::string text = "PRIVATE+KEY+" + signer.name() + "+" + hex8(signer.key_id()) + "+" + b64;
  SecureBytes out(as_bytes(text));
  secure_wipe(b64.data(), b64.size());
  secure_wipe(text.data(), text.size());
  return out;
}

}  // namespace verun::proofs
