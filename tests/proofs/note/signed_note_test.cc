// Signed notes: the 16 notes of shared/vectors/crypto/signed-note, the four
// tlog/signed-note vectors, byte-exact x/mod signing, and one negative test
// per rule (flipped bit, wrong key, duplicates, unknown lines anywhere,
// missing newline, blank lines, signature count).
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <map>

#include "tests/support/matchers.h"
#include "tests/support/vectors.h"
#include "verun/proofs/base64.h"
#include "verun/proofs/note/signed_note.h"

namespace verun::proofs {
namespace {

using verun::testing::HasCode;
using verun::testing::read_file;
using verun::testing::read_json;
using verun::testing::report_vector_count;

constexpr std::string_view kPeterVkey = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
constexpr std::string_view kEnochVkey = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop";
constexpr std::string_view kPeterSkey = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
constexpr std::string_view kText =
    "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
constexpr std::string_view kPeterLine =
    "\xE2\x80\x94 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";
constexpr std::string_view kEnochLine =
    "\xE2\x80\x94 EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n";

NoteVerifierSet keys(std::initializer_list<std::string_view> vkeys) {
  NoteVerifierSet set;
  for (auto vk : vkeys) {
    auto v = parse_verifier_key(vk);
    EXPECT_TRUE(v.has_value()) << vk;
    if (v) {
      EXPECT_TRUE(set.add(*v).has_value());
    }
  }
  return set;
}

std::string peter_note() { return std::string(kText) + "\n" + std::string(kPeterLine); }

std::string outcome(const Result<OpenedNote>& r) {
  if (r) return "ok";
  switch (r.error().code) {
    case ErrorCode::kNoteNoKnownSignature: return "unverified";
    case ErrorCode::kNoteBadSignature: return "invalid_signature";
    case ErrorCode::kNoteMalformed:
    case ErrorCode::kNoteTooManySignatures: return "malformed";
    default: return "other:" + r.error().to_string();
  }
}

TEST(SignedNote, CryptoSignedNoteVectors) {
  VERUN_REQUIRE_VECTORS(dir, "crypto/signed-note");
  const auto j = read_json(dir / "notes.json");
  const auto expected = read_json(dir / "expected.json").at("expected");
  std::map<std::string, std::size_t> counts;
  std::size_t n = 0;
  for (const auto& t : j.at("notes")) {
    NoteVerifierSet set;
    for (const auto& vk : t.at("verifier_keys")) ASSERT_OK(set.add(*parse_verifier_key(vk.get<std::string>())));
    const Bytes raw = *base64_decode(t.at("note_b64").get<std::string>());
    const auto r = open_note(as_string_view(raw), set);
    const std::string want = t.at("expect").at("result");
    EXPECT_EQ(outcome(r), want) << t.at("name");
    if (r && want == "ok") {
      std::vector<std::string> verified, unverified;
      for (const auto& s : r->verified) verified.push_back(s.verifier.name());
      for (const auto& s : r->unverified) unverified.push_back(s.name);
      EXPECT_EQ(verified, t.at("expect").at("verified").get<std::vector<std::string>>()) << t.at("name");
      EXPECT_EQ(unverified, t.at("expect").at("unverified").get<std::vector<std::string>>()) << t.at("name");
    }
    if (want == "unverified") {
      EXPECT_OK(parse_signed_note(as_string_view(raw)));  // parses, just unknown keys
    }
    ++counts[want];
    ++n;
  }
  EXPECT_EQ(n, expected.at("notes").get<std::size_t>());
  EXPECT_EQ(n, 16u);
  for (const auto& [k, v] : expected.at("outcomes").items()) EXPECT_EQ(counts[k], v.get<std::size_t>()) << k;
  report_vector_count("crypto/signed-note notes", n);
}

TEST(SignedNote, CosignatureExampleParses) {
  VERUN_REQUIRE_VECTORS(dir, "crypto/signed-note");
  const auto j = read_json(dir / "notes.json");
  const auto want = read_json(dir / "expected.json").at("expected").at("cosignature_example");
  std::size_t n = 0;
  for (const auto& t : j.at("notes")) {
    if (t.at("name").get<std::string>().find("cosignature") == std::string::npos) continue;
    auto note = parse_signed_note(t.at("note").get<std::string>());
    ASSERT_OK(note);
    ASSERT_EQ(note->signatures.size(), 2u);
    EXPECT_EQ(note->signatures[0].signature.size(), 64u);  // log: ID + Ed25519
    const auto& w = note->signatures[1];
    EXPECT_EQ(w.name, want.at("witness").get<std::string>());
    EXPECT_EQ(w.key_id, 0x8d66cf3fu);
    ASSERT_EQ(w.signature.size(), 72u);  // timestamp + Ed25519
    EXPECT_EQ(read_u64_be(ByteView(w.signature).first(8)), want.at("timestamp").get<std::uint64_t>());
    ++n;
  }
  EXPECT_EQ(n, 1u);
  report_vector_count("signed-note cosignature example", n);
}

TEST(SignedNote, TlogSignedNoteVectors) {
  VERUN_REQUIRE_VECTORS(dir, "tlog/signed-note");
  std::size_t n = 0, valid = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    const auto j = read_json(e.path() / "expected.json");
    NoteVerifierSet set;
    for (const auto& vk : j.at("inputs").at("vkeys")) ASSERT_OK(set.add(*parse_verifier_key(vk.get<std::string>())));
    const auto r = open_note(read_file(e.path() / j.at("inputs").at("note").get<std::string>()), set);
    const bool want = j.at("expected").at("valid");
    EXPECT_EQ(r.has_value(), want) << e.path() << " " << (r ? "" : r.error().to_string());
    if (r && want) {
      std::vector<std::string> signers;
      for (const auto& s : r->verified) {
        char id[9];
        std::snprintf(id, sizeof id, "%08x", s.verifier.key_id());
        signers.push_back(s.verifier.name() + "+" + id);
      }
      EXPECT_EQ(signers, j.at("expected").at("verified_signers").get<std::vector<std::string>>());
      EXPECT_EQ(r->text, j.at("expected").at("text").get<std::string>());
      ++valid;
    }
    ++n;
  }
  EXPECT_EQ(n, 4u);
  EXPECT_EQ(valid, 2u);
  report_vector_count("tlog/signed-note", n);
}

TEST(SignedNote, SigningReproducesXmodNoteByteForByte) {
  auto signer = parse_signer_key(kPeterSkey);
  ASSERT_OK(signer);
  auto note = sign_note(kText, *signer);
  ASSERT_OK(note);
  EXPECT_EQ(*note, peter_note());
}

TEST(SignedNote, FormatIsTheInverseOfParse) {
  const std::string both = std::string(kText) + "\n" + std::string(kPeterLine) + std::string(kEnochLine);
  auto parsed = parse_signed_note(both);
  ASSERT_OK(parsed);
  EXPECT_EQ(parsed->text, kText);
  EXPECT_EQ(format_signed_note(*parsed), both);
}

TEST(SignedNote, FlippedSignatureBitIsRejected) {
  auto note = parse_signed_note(peter_note());
  ASSERT_OK(note);
  for (std::size_t byte : {0u, 31u, 63u}) {
    SignedNote bad = *note;
    bad.signatures[0].signature[byte] ^= 0x01;
    EXPECT_THAT(open_note(format_signed_note(bad), keys({kPeterVkey})), HasCode(ErrorCode::kNoteBadSignature));
  }
  // A flipped key ID bit makes it an unknown key instead.
  SignedNote other = *note;
  other.signatures[0].key_id ^= 1;
  EXPECT_THAT(open_note(format_signed_note(other), keys({kPeterVkey})), HasCode(ErrorCode::kNoteNoKnownSignature));
}

TEST(SignedNote, ChangedTextIsRejected) {
  std::string note = peter_note();
  note[3] = 'Y';
  EXPECT_THAT(open_note(note, keys({kPeterVkey})), HasCode(ErrorCode::kNoteBadSignature));
}

TEST(SignedNote, WrongKeyOfTheSameNameIsUnknown) {
  auto other = NoteSigner::generate("PeterNeumann");
  ASSERT_OK(other);
  NoteVerifierSet set;
  ASSERT_OK(set.add(other->verifier()));
  EXPECT_THAT(open_note(peter_note(), set), HasCode(ErrorCode::kNoteNoKnownSignature));
  EXPECT_THAT(open_note(peter_note(), NoteVerifierSet()), HasCode(ErrorCode::kNoteNoKnownSignature));
}

TEST(SignedNote, UnknownLinesAreIgnoredWhereverTheyStand) {
  auto stranger = NoteSigner::generate("stranger.example");
  ASSERT_OK(stranger);
  auto sig = sign_note_text(kText, *stranger);
  ASSERT_OK(sig);
  const std::string unknown = format_signature_line(*sig);
  const std::string base = std::string(kText) + "\n";
  for (const std::string& n : {base + unknown + std::string(kPeterLine), base + std::string(kPeterLine) + unknown,
                               base + unknown + std::string(kPeterLine) + unknown + unknown}) {
    auto r = open_note(n, keys({kPeterVkey}));
    ASSERT_OK(r);
    ASSERT_EQ(r->verified.size(), 1u);
    EXPECT_EQ(r->unverified.size(), 1u);  // identical lines listed once
  }
}

TEST(SignedNote, KnownKeysBadSignatureRejectsEvenNextToAGoodOne) {
  // Enoch's line carries Peter's signature bytes: known key, bad signature.
  auto peter = parse_signed_note(peter_note());
  ASSERT_OK(peter);
  SignedNote n = *peter;
  NoteSignature forged = n.signatures[0];
  forged.name = "EnochRoot";
  forged.key_id = 0xaf0cfe78;
  n.signatures.push_back(forged);
  EXPECT_THAT(open_note(format_signed_note(n), keys({kPeterVkey, kEnochVkey})), HasCode(ErrorCode::kNoteBadSignature));
  EXPECT_OK(open_note(format_signed_note(n), keys({kPeterVkey})));  // Enoch unknown: ignored
}

TEST(SignedNote, DuplicateLinesCountOnceAndAreAllVerified) {
  const std::string dup = std::string(kText) + "\n" + std::string(kPeterLine) + std::string(kPeterLine);
  auto r = open_note(dup, keys({kPeterVkey}));
  ASSERT_OK(r);
  EXPECT_EQ(r->verified.size(), 1u);
  // A second, corrupted line by the same key is verified too, and rejects.
  auto parsed = parse_signed_note(dup);
  ASSERT_OK(parsed);
  parsed->signatures[1].signature[10] ^= 0x80;
  EXPECT_THAT(open_note(format_signed_note(*parsed), keys({kPeterVkey})), HasCode(ErrorCode::kNoteBadSignature));
  // Two identical keys in the verifier set are refused.
  NoteVerifierSet set = keys({kPeterVkey});
  EXPECT_THAT(set.add(*parse_verifier_key(kPeterVkey)), HasCode(ErrorCode::kNoteDuplicateKey));
}

TEST(SignedNote, SyntaxRules) {
  const auto set = keys({kPeterVkey});
  const std::string text(kText), line(kPeterLine);
  const std::string line_no_nl = line.substr(0, line.size() - 1);
  // Missing final newline; no blank line; blank line after the signatures.
  EXPECT_THAT(open_note(text + "\n" + line_no_nl, set), HasCode(ErrorCode::kNoteMalformed));
  EXPECT_THAT(open_note(text + line, set), HasCode(ErrorCode::kNoteMalformed));
  EXPECT_THAT(open_note(text + "\n" + line + "\n", set), HasCode(ErrorCode::kNoteMalformed));
  // A blank line between two signature lines: the first becomes text.
  auto split = parse_signed_note(text + "\n" + line + "\n" + std::string(kEnochLine));
  ASSERT_OK(split);
  EXPECT_EQ(split->signatures.size(), 1u);
  EXPECT_THAT(open_note(text + "\n" + line + "\n" + std::string(kEnochLine), set),
              HasCode(ErrorCode::kNoteNoKnownSignature));
  // Extra blank line between text and signatures: the text changes, so the signature fails.
  EXPECT_THAT(open_note(text + "\n\n" + line, set), HasCode(ErrorCode::kNoteBadSignature));
  // Control characters (CR, tab, NUL), invalid UTF-8, a wrong dash, no space.
  EXPECT_THAT(open_note("a\r\n\n" + line, set), HasCode(ErrorCode::kNoteMalformed));
  EXPECT_THAT(open_note("a\tb\n\n" + line, set), HasCode(ErrorCode::kNoteMalformed));
  EXPECT_THAT(open_note(std::string("a\0b\n\n", 5) + line, set), HasCode(ErrorCode::kNoteMalformed));
  EXPECT_THAT(open_note("a\xC3\n\n" + line, set), HasCode(ErrorCode::kNoteMalformed));
  EXPECT_THAT(open_note(text + "\n- PeterNeumann AAAAAAA=\n", set), HasCode(ErrorCode::kNoteMalformed));
  EXPECT_THAT(open_note(text + "\n\xE2\x80\x94 PeterNeumann\n", set), HasCode(ErrorCode::kNoteMalformed));
  EXPECT_THAT(open_note(text + "\n\xE2\x80\x94  AAAAAAA=\n", set), HasCode(ErrorCode::kNoteMalformed));
  // Signature too short (4 bytes), not base64, empty.
  EXPECT_THAT(open_note(text + "\n\xE2\x80\x94 PeterNeumann x08gow==\n", set), HasCode(ErrorCode::kNoteMalformed));
  EXPECT_THAT(open_note(text + "\n\xE2\x80\x94 PeterNeumann x08go!ZJ\n", set), HasCode(ErrorCode::kNoteMalformed));
  EXPECT_THAT(open_note(text + "\n\xE2\x80\x94 PeterNeumann \n", set), HasCode(ErrorCode::kNoteMalformed));
  // A known key's signature of the wrong length is a bad signature.
  EXPECT_THAT(open_note(text + "\n\xE2\x80\x94 PeterNeumann x08go/ZJ\n", set), HasCode(ErrorCode::kNoteBadSignature));
  // Text that ends in a blank line is still a valid text.
  auto s = parse_signer_key(kPeterSkey);
  ASSERT_OK(s);
  auto blank_end = sign_note("a\n\n", *s);
  ASSERT_OK(blank_end);
  auto opened = open_note(*blank_end, set);
  ASSERT_OK(opened);
  EXPECT_EQ(opened->text, "a\n\n");
}

TEST(SignedNote, AtMostOneHundredSignatureLines) {
  auto stranger = NoteSigner::generate("stranger.example");
  ASSERT_OK(stranger);
  const std::string unknown = format_signature_line(*sign_note_text(kText, *stranger));
  std::string note = std::string(kText) + "\n" + std::string(kPeterLine);
  for (int i = 1; i < 100; ++i) note += unknown;
  EXPECT_OK(open_note(note, keys({kPeterVkey})));  // exactly 100
  note += unknown;
  EXPECT_THAT(open_note(note, keys({kPeterVkey})), HasCode(ErrorCode::kNoteTooManySignatures));
}

TEST(SignedNote, SigningRefusesBadInput) {
  auto s = parse_signer_key(kPeterSkey);
  ASSERT_OK(s);
  EXPECT_THAT(sign_note("no newline", *s), HasCode(ErrorCode::kInvalidArgument));
  EXPECT_THAT(sign_note("bell\a\n", *s), HasCode(ErrorCode::kInvalidArgument));
  auto w = NoteSigner::generate("w", NoteKeyType::kCosignatureV1);
  ASSERT_OK(w);
  EXPECT_THAT(sign_note("x\n", *w), HasCode(ErrorCode::kInvalidArgument));
  EXPECT_THAT(sign_note("x\n", std::span<const NoteSigner* const>()), HasCode(ErrorCode::kInvalidArgument));
}

TEST(SignedNote, SeveralSignersInOrder) {
  auto a = NoteSigner::generate("a.example");
  auto b = NoteSigner::generate("b.example");
  ASSERT_OK(a);
  ASSERT_OK(b);
  const NoteSigner* both[] = {&*a, &*b};
  auto note = sign_note("hello\n", both);
  ASSERT_OK(note);
  NoteVerifierSet set;
  ASSERT_OK(set.add(b->verifier()));
  ASSERT_OK(set.add(a->verifier()));
  auto r = open_note(*note, set);
  ASSERT_OK(r);
  ASSERT_EQ(r->verified.size(), 2u);
  EXPECT_EQ(r->verified[0].verifier.name(), "a.example");
  EXPECT_EQ(r->verified[1].verifier.name(), "b.example");
}

RC_GTEST_PROP(SignedNoteProperty, SignThenOpenRoundTripsAndTamperingFails, ()) {
  static const auto signer = *NoteSigner::generate("prop.example/log");
  const auto lines = *rc::gen::container<std::vector<std::string>>(
      rc::gen::container<std::string>(rc::gen::inRange<char>(' ', '~' + 1)));
  std::string text;
  for (const auto& l : lines) text += l + "\n";
  RC_PRE(!text.empty());
  auto note = sign_note(text, signer);
  RC_ASSERT(note.has_value());
  NoteVerifierSet set;
  RC_ASSERT(set.add(signer.verifier()).has_value());
  auto r = open_note(*note, set);
  RC_ASSERT(r.has_value());
  RC_ASSERT(r->text == text);
  std::string bad = *note;
  const auto pos = *rc::gen::inRange<std::size_t>(0, text.size());
  bad[pos] = bad[pos] == 'x' ? 'y' : 'x';
  RC_ASSERT(!open_note(bad, set).has_value());
}

}  // namespace
}  // namespace verun::proofs
