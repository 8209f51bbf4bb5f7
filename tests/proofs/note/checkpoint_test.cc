// Checkpoints and cosignatures: tlog/checkpoint, tlog/tiles (reflog) and
// tlog/sigstore vectors (Rekor v1 ECDSA, Rekor v2 Ed25519 with three public
// witness cosignatures, the wrong-origin negative), and the body rules.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "tests/support/matchers.h"
#include "tests/support/vectors.h"
#include "verun/proofs/base64.h"
#include "verun/proofs/merkle/hasher.h"
#include "verun/proofs/merkle/inclusion.h"
#include "verun/proofs/note/checkpoint.h"
#include "verun/proofs/sha2.h"

namespace verun::proofs {
namespace {

using verun::testing::HasCode;
using verun::testing::read_file;
using verun::testing::read_json;
using verun::testing::report_vector_count;

NoteVerifier vkey(const std::string& s) {
  auto v = parse_verifier_key(s);
  EXPECT_TRUE(v.has_value()) << s;
  return *v;
}

std::vector<NoteVerifier> vkeys(const nlohmann::json& arr) {
  std::vector<NoteVerifier> out;
  for (const auto& s : arr) out.push_back(vkey(s.get<std::string>()));
  return out;
}

// ---- body rules -----------------------------------------------------------

constexpr std::string_view kRoot = "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=";

std::string body(std::string_view origin, std::string_view size, std::string_view root, std::string_view ext = "") {
  return std::string(origin) + "\n" + std::string(size) + "\n" + std::string(root) + "\n" + std::string(ext);
}

TEST(Checkpoint, ParsesAndFormatsTheBody) {
  auto cp = parse_checkpoint(body("example.com/behind-the-sofa", "20852163", kRoot));
  ASSERT_OK(cp);
  EXPECT_EQ(cp->origin, "example.com/behind-the-sofa");
  EXPECT_EQ(cp->size, 20852163u);
  EXPECT_EQ(base64_encode(cp->root), kRoot);
  EXPECT_TRUE(cp->extensions.empty());
  EXPECT_EQ(*format_checkpoint(*cp), body("example.com/behind-the-sofa", "20852163", kRoot));
  auto ext = parse_checkpoint(body("rekor.sigstore.dev - 1", "0", kRoot, "ext one\nTimestamp: 5\n"));
  ASSERT_OK(ext);
  EXPECT_EQ(ext->origin, "rekor.sigstore.dev - 1");  // spaces allowed in the origin
  EXPECT_EQ(ext->size, 0u);
  EXPECT_EQ(ext->extensions, (std::vector<std::string>{"ext one", "Timestamp: 5"}));
  EXPECT_EQ(*format_checkpoint(*ext), body("rekor.sigstore.dev - 1", "0", kRoot, "ext one\nTimestamp: 5\n"));
  EXPECT_OK(parse_checkpoint(body("o", "18446744073709551615", kRoot)));
}

TEST(Checkpoint, BodyRules) {
  const auto malformed = HasCode(ErrorCode::kCheckpointMalformed);
  EXPECT_THAT(parse_checkpoint(body("o", "020852163", kRoot)), malformed);  // leading zero
  EXPECT_THAT(parse_checkpoint(body("o", "00", kRoot)), malformed);
  EXPECT_THAT(parse_checkpoint(body("o", "-1", kRoot)), malformed);
  EXPECT_THAT(parse_checkpoint(body("o", "+1", kRoot)), malformed);
  EXPECT_THAT(parse_checkpoint(body("o", " 1", kRoot)), malformed);
  EXPECT_THAT(parse_checkpoint(body("o", "18446744073709551616", kRoot)), malformed);  // 2^64
  EXPECT_THAT(parse_checkpoint(body("o", "1", "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxqw==")), malformed);  // 31 bytes
  EXPECT_THAT(parse_checkpoint(body("o", "1", "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2IA")), malformed);  // 33 bytes
  EXPECT_THAT(parse_checkpoint(body("o", "1", "CsUYapGGPo4dkMgIAUqom_Xajj7h2fB2MPA3j2jxq2I=")), malformed);  // URL-safe
  EXPECT_THAT(parse_checkpoint(body("o", "1", "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I")), malformed);  // unpadded
  EXPECT_THAT(parse_checkpoint(body("", "1", kRoot)), malformed);                      // empty origin
  EXPECT_THAT(parse_checkpoint(body("o", "1", kRoot, "\n")), malformed);               // empty extension
  EXPECT_THAT(parse_checkpoint(body("o", "1", kRoot, "a\n\n")), malformed);
  EXPECT_THAT(parse_checkpoint("o\n1\n" + std::string(kRoot)), malformed);             // no final newline
  EXPECT_THAT(parse_checkpoint("o\n1\n"), malformed);                                  // two lines
  EXPECT_THAT(parse_checkpoint(""), malformed);
  EXPECT_THAT(parse_checkpoint(body("o\t", "1", kRoot)), malformed);                   // control character
  EXPECT_THAT(format_checkpoint(Checkpoint{"", 1, {}, {}}), HasCode(ErrorCode::kInvalidArgument));
  EXPECT_THAT(format_checkpoint(Checkpoint{"o", 1, {}, {""}}), HasCode(ErrorCode::kInvalidArgument));
  EXPECT_THAT(format_checkpoint(Checkpoint{"o\nx", 1, {}, {}}), HasCode(ErrorCode::kInvalidArgument));
}

// ---- signed checkpoints and cosignatures ------------------------------------

struct LogAndWitnesses {
  NoteSigner log = *NoteSigner::generate("example.com/log");
  NoteSigner w1 = *NoteSigner::generate("w1.example", NoteKeyType::kCosignatureV1);
  NoteSigner w2 = *NoteSigner::generate("w2.example", NoteKeyType::kCosignatureV1);
  Checkpoint cp{"example.com/log", 5, sha256(std::string_view("x")), {}};

  std::string signed_note() { return *sign_checkpoint(cp, log); }
  std::vector<NoteVerifier> witnesses() { return {w1.verifier(), w2.verifier()}; }
};

TEST(Checkpoint, OpensWithLogKeyAndReportsCosignatures) {
  LogAndWitnesses k;
  std::string note = k.signed_note();
  note = *add_cosignature(note, k.w1, 1700000000);
  note = *add_cosignature(note, k.w2, 1700000042);
  auto cp = open_checkpoint(note, k.log.verifier(), "example.com/log", k.witnesses());
  ASSERT_OK(cp);
  EXPECT_EQ(cp->checkpoint, k.cp);
  ASSERT_EQ(cp->cosignatures.size(), 2u);
  EXPECT_EQ(cp->cosignatures[0], (VerifiedCosignature{"w1.example", k.w1.key_id(), 1700000000}));
  EXPECT_EQ(cp->cosignatures[1], (VerifiedCosignature{"w2.example", k.w2.key_id(), 1700000042}));
  // Without witness keys the cosignatures are unknown lines.
  auto alone = open_checkpoint(note, k.log.verifier());
  ASSERT_OK(alone);
  EXPECT_TRUE(alone->cosignatures.empty());
  auto cos = verify_cosignatures(note, k.witnesses());
  ASSERT_OK(cos);
  EXPECT_EQ(cos->size(), 2u);
}

TEST(Checkpoint, RejectionRules) {
  LogAndWitnesses k;
  const std::string note = *add_cosignature(k.signed_note(), k.w1, 7);
  auto other_log = NoteSigner::generate("example.com/log");
  ASSERT_OK(other_log);
  EXPECT_THAT(open_checkpoint(note, other_log->verifier()), HasCode(ErrorCode::kNoteNoKnownSignature));
  EXPECT_THAT(open_checkpoint(note, k.log.verifier(), "example.com/other"),
              HasCode(ErrorCode::kCheckpointOriginMismatch));
  // Only a witness signed.
  const std::vector<NoteVerifier> w1{k.w1.verifier()};
  EXPECT_THAT(open_checkpoint(note, other_log->verifier(), w1), HasCode(ErrorCode::kCheckpointNoLogSignature));
  // Flipped bit in the log signature, in the cosignature's Ed25519 part, in its timestamp.
  auto parsed = *parse_signed_note(note);
  for (auto [line, byte] : {std::pair{0, 20}, std::pair{1, 40}, std::pair{1, 7}}) {
    SignedNote bad = parsed;
    bad.signatures[line].signature[byte] ^= 0x01;
    EXPECT_THAT(open_checkpoint(format_signed_note(bad), k.log.verifier(), w1), HasCode(ErrorCode::kNoteBadSignature))
        << line << "/" << byte;
    if (line == 1) {
      EXPECT_THAT(verify_cosignatures(format_signed_note(bad), w1), HasCode(ErrorCode::kNoteBadSignature));
    }
  }
  // Timestamp above 2^63-1 (a witness line with the top bit set).
  SignedNote big = parsed;
  big.signatures[1].signature[0] |= 0x80;
  EXPECT_THAT(open_checkpoint(format_signed_note(big), k.log.verifier(), w1),
              HasCode(ErrorCode::kCosignatureBadTimestamp));
  EXPECT_THAT(cosign_checkpoint(parsed.text, k.w1, kMaxCosignatureTimestamp + 1),
              HasCode(ErrorCode::kCosignatureBadTimestamp));
  EXPECT_OK(cosign_checkpoint(parsed.text, k.w1, kMaxCosignatureTimestamp));
  // A cosignature made with an Ed25519 (0x01) signer is refused; so is a 0x04 log signer.
  EXPECT_THAT(cosign_checkpoint(parsed.text, k.log, 1), HasCode(ErrorCode::kInvalidArgument));
  EXPECT_THAT(sign_checkpoint(k.cp, k.w1), HasCode(ErrorCode::kInvalidArgument));
  // A signed body that is not a checkpoint.
  auto not_cp = sign_note("hello\n", k.log);
  ASSERT_OK(not_cp);
  EXPECT_THAT(open_checkpoint(*not_cp, k.log.verifier()), HasCode(ErrorCode::kCheckpointMalformed));
  // The same key as log and as witness.
  const std::vector<NoteVerifier> dup{k.log.verifier()};
  EXPECT_THAT(open_checkpoint(note, k.log.verifier(), dup), HasCode(ErrorCode::kNoteDuplicateKey));
}

TEST(Cosignature, SignedMessageIsTheSpecsAndOneWitnessCountsOnce) {
  EXPECT_EQ(cosignature_message("o\n1\nr\n", 1679315147), "cosignature/v1\ntime 1679315147\no\n1\nr\n");
  EXPECT_EQ(cosignature_message("o\n", 0), "cosignature/v1\ntime 0\no\n");
  LogAndWitnesses k;
  std::string note = k.signed_note();
  // Two lines by w1 with different timestamps: add_cosignature replaces the
  // first; build a note with both by hand.
  auto parsed = *parse_signed_note(note);
  parsed.signatures.push_back(*cosign_checkpoint(parsed.text, k.w1, 50));
  parsed.signatures.push_back(*cosign_checkpoint(parsed.text, k.w1, 40));
  auto cos = verify_cosignatures(parsed, k.witnesses());
  ASSERT_OK(cos);
  ASSERT_EQ(cos->size(), 1u);
  EXPECT_EQ((*cos)[0].timestamp, 40u);  // the earliest
  auto replaced = add_cosignature(format_signed_note(parsed), k.w1, 60);
  ASSERT_OK(replaced);
  auto again = verify_cosignatures(*replaced, k.witnesses());
  ASSERT_OK(again);
  ASSERT_EQ(again->size(), 1u);
  EXPECT_EQ((*again)[0].timestamp, 60u);
  EXPECT_EQ(parse_signed_note(*replaced)->signatures.size(), 2u);
}

// ---- vectors --------------------------------------------------------------

TEST(Checkpoint, TlogCheckpointVectors) {
  VERUN_REQUIRE_VECTORS(dir, "tlog/checkpoint");
  std::size_t n = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    const auto j = read_json(e.path() / "expected.json");
    const auto& in = j.at("inputs");
    const auto& want = j.at("expected");
    const std::string note = read_file(e.path() / in.at("note").get<std::string>());
    Checkpoint cp;
    if (in.value("parse_only", false)) {
      auto parsed = parse_signed_note(note);
      ASSERT_OK(parsed);
      auto c = parse_checkpoint(parsed->text);
      ASSERT_OK(c);
      cp = *c;
    } else {
      const auto keys = vkeys(in.at("vkeys"));
      ASSERT_EQ(keys.size(), 1u);
      auto opened = open_checkpoint(note, keys[0], want.at("origin").get<std::string>());
      ASSERT_EQ(opened.has_value(), want.at("valid").get<bool>()) << e.path();
      cp = opened->checkpoint;
      // Key name (sum.golang.org) differs from the origin: still accepted.
      EXPECT_NE(keys[0].name(), cp.origin);
      // A flipped signature bit must fail.
      auto bad = *parse_signed_note(note);
      bad.signatures[0].signature[20] ^= 1;
      EXPECT_THAT(open_checkpoint(format_signed_note(bad), keys[0]), HasCode(ErrorCode::kNoteBadSignature));
    }
    EXPECT_EQ(cp.origin, want.at("origin").get<std::string>());
    EXPECT_EQ(cp.size, want.at("size").get<std::uint64_t>());
    EXPECT_EQ(base64_encode(cp.root), want.at("root").get<std::string>());
    EXPECT_EQ(cp.extensions.size(), want.at("extensions").get<std::size_t>());
    ++n;
  }
  EXPECT_EQ(n, 2u);
  report_vector_count("tlog/checkpoint", n);
}

TEST(Checkpoint, TlogTilesReflogCheckpoints) {
  VERUN_REQUIRE_VECTORS(dir, "tlog/tiles");
  std::size_t logs = 0, earlier = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    const auto j = read_json(e.path() / "expected.json");
    const auto& in = j.at("inputs");
    const auto& want = j.at("expected");
    const auto log_dir = e.path() / in.at("dir").get<std::string>();
    const auto keys = vkeys(in.at("vkeys"));
    const std::string origin = in.at("origin");
    auto cp = open_checkpoint(read_file(log_dir / "checkpoint"), keys.at(0), origin);
    ASSERT_OK(cp);
    EXPECT_EQ(cp->checkpoint.size, want.at("size").get<std::uint64_t>());
    EXPECT_EQ(base64_encode(cp->checkpoint.root), want.at("root").get<std::string>());
    if (cp->checkpoint.size == 0) {
      EXPECT_EQ(cp->checkpoint.root, empty_root());
    }
    for (const auto& c : want.at("checkpoints")) {
      auto old = open_checkpoint(read_file(log_dir / c.at("file").get<std::string>()), keys.at(0), origin);
      ASSERT_OK(old);
      EXPECT_EQ(old->checkpoint.size, c.at("size").get<std::uint64_t>());
      EXPECT_EQ(base64_encode(old->checkpoint.root), c.at("root").get<std::string>());
      EXPECT_LT(old->checkpoint.size, cp->checkpoint.size);
      ++earlier;
    }
    // The final checkpoint is also in reflog/ under its size.
    auto final_copy = open_checkpoint(read_file(log_dir / ("reflog/checkpoint." + std::to_string(cp->checkpoint.size))),
                                      keys.at(0), origin);
    ASSERT_OK(final_copy);
    EXPECT_EQ(final_copy->checkpoint, cp->checkpoint);
    ++logs;
  }
  EXPECT_EQ(logs, 2u);
  EXPECT_EQ(earlier, 4u);
  report_vector_count("tlog/tiles checkpoints (final + earlier)", logs + earlier);
}

// Sigstore: checkpoint signature (Ed25519 or ECDSA), treeSize/rootHash match,
// and the inclusion proof of the entry.
Result<VerifiedCheckpoint> check_bundle(const std::filesystem::path& dir, const nlohmann::json& j) {
  const auto& in = j.at("inputs");
  const auto bundle = read_json(dir / in.at("bundle").get<std::string>());
  const auto& entry = bundle.at("verificationMaterial").at("tlogEntries").at(0);
  const auto& proof = entry.at("inclusionProof");
  std::optional<NoteVerifier> log_key;
  if (in.contains("log_ecdsa_key")) {
    const auto spki = base64_decode(in.at("log_ecdsa_key").at("spki_b64").get<std::string>());
    VERUN_ASSIGN_OR_RETURN(log_key, NoteVerifier::make_ecdsa(in.at("log_ecdsa_key").at("name").get<std::string>(), *spki));
  } else {
    VERUN_ASSIGN_OR_RETURN(log_key, parse_verifier_key(in.at("log_vkey").get<std::string>()));
  }
  std::vector<NoteVerifier> witnesses;
  if (in.contains("witness_vkeys")) witnesses = vkeys(in.at("witness_vkeys"));
  VERUN_ASSIGN_OR_RETURN(VerifiedCheckpoint cp, open_checkpoint(proof.at("checkpoint").at("envelope").get<std::string>(),
                                                                *log_key, witnesses));
  const std::uint64_t size = std::stoull(proof.at("treeSize").get<std::string>());
  const std::uint64_t index = std::stoull(proof.at("logIndex").get<std::string>());
  EXPECT_EQ(cp.checkpoint.size, size);
  EXPECT_EQ(base64_encode(cp.checkpoint.root), proof.at("rootHash").get<std::string>());
  std::vector<Hash32> hashes;
  for (const auto& h : proof.at("hashes")) hashes.push_back(*base64_decode32(h.get<std::string>()));
  const Bytes leaf = *base64_decode(entry.at("canonicalizedBody").get<std::string>());
  VERUN_TRY(verify_inclusion(leaf_hash(leaf), index, size, hashes, cp.checkpoint.root));
  // The proof must not verify for another index or a changed leaf.
  EXPECT_FALSE(verify_inclusion(leaf_hash(leaf), index ^ 1, size, hashes, cp.checkpoint.root).has_value());
  Bytes other = leaf;
  other.back() ^= 1;
  EXPECT_FALSE(verify_inclusion(leaf_hash(other), index, size, hashes, cp.checkpoint.root).has_value());
  return cp;
}

TEST(Checkpoint, SigstoreBundleVectors) {
  VERUN_REQUIRE_VECTORS(dir, "tlog/sigstore");
  std::size_t n = 0, valid = 0, cosigs = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    const auto j = read_json(e.path() / "expected.json");
    const auto& want = j.at("expected");
    auto r = check_bundle(e.path(), j);
    ASSERT_EQ(r.has_value(), want.at("valid").get<bool>()) << e.path() << (r ? "" : r.error().to_string());
    ++n;
    if (!r) {
      EXPECT_THAT(r, HasCode(ErrorCode::kNoteNoKnownSignature));
      continue;
    }
    ++valid;
    EXPECT_EQ(r->checkpoint.origin, want.at("origin").get<std::string>());
    EXPECT_EQ(r->checkpoint.size, want.at("size").get<std::uint64_t>());
    EXPECT_EQ(base64_encode(r->checkpoint.root), want.at("root").get<std::string>());
    EXPECT_EQ(r->checkpoint.extensions.size(), want.at("extensions").get<std::size_t>());
    const auto want_cos = want.value("cosignatures", nlohmann::json::array());
    ASSERT_EQ(r->cosignatures.size(), want_cos.size());
    for (std::size_t i = 0; i < want_cos.size(); ++i) {
      EXPECT_EQ(r->cosignatures[i].name, want_cos[i].at("name").get<std::string>());
      EXPECT_EQ(r->cosignatures[i].timestamp, want_cos[i].at("timestamp").get<std::uint64_t>());
      ++cosigs;
    }
  }
  EXPECT_EQ(n, 3u);
  EXPECT_EQ(valid, 2u);
  EXPECT_EQ(cosigs, 3u);
  report_vector_count("tlog/sigstore bundles", n);
}

TEST(Checkpoint, RekorV1EcdsaSignatureBitFlipFails) {
  VERUN_REQUIRE_VECTORS(dir, "tlog/sigstore/rekor-v1-production-happy-path-v0.3");
  const auto j = read_json(dir / "expected.json");
  const auto bundle = read_json(dir / "bundle.sigstore.json");
  const std::string note = bundle.at("verificationMaterial").at("tlogEntries").at(0).at("inclusionProof").at(
      "checkpoint").at("envelope");
  const auto& k = j.at("inputs").at("log_ecdsa_key");
  auto key = NoteVerifier::make_ecdsa(k.at("name").get<std::string>(), *base64_decode(k.at("spki_b64").get<std::string>()));
  ASSERT_OK(key);
  ASSERT_OK(open_checkpoint(note, *key));
  auto bad = *parse_signed_note(note);
  bad.signatures[0].signature[bad.signatures[0].signature.size() - 3] ^= 1;
  EXPECT_THAT(open_checkpoint(format_signed_note(bad), *key), HasCode(ErrorCode::kNoteBadSignature));
  std::string changed = note;
  changed[changed.find('\n') + 1] = '8';  // size 75408393 -> 85408393
  EXPECT_THAT(open_checkpoint(changed, *key), HasCode(ErrorCode::kNoteBadSignature));
}

RC_GTEST_PROP(CheckpointProperty, FormatThenParseIsIdentity, (std::uint64_t size)) {
  Checkpoint cp;
  cp.origin = *rc::gen::nonEmpty(rc::gen::container<std::string>(rc::gen::inRange<char>(' ', '~' + 1)));
  cp.size = size;
  for (auto& b : cp.root) b = *rc::gen::arbitrary<std::uint8_t>();
  cp.extensions = *rc::gen::container<std::vector<std::string>>(
      rc::gen::nonEmpty(rc::gen::container<std::string>(rc::gen::inRange<char>(' ', '~' + 1))));
  auto text = format_checkpoint(cp);
  RC_ASSERT(text.has_value());
  auto back = parse_checkpoint(*text);
  RC_ASSERT(back.has_value());
  RC_ASSERT(*back == cp);
}

}  // namespace
}  // namespace verun::proofs
