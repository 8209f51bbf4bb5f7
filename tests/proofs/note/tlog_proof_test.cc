// tlog-proof: the real sum.golang.org proof of tlog/tlog-proof, proofs built
// here, and one negative case per rule.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "tests/support/matchers.h"
#include "tests/support/vectors.h"
#include "verun/proofs/base64.h"
#include "verun/proofs/hex.h"
#include "verun/proofs/merkle/hasher.h"
#include "verun/proofs/note/tlog_proof.h"

namespace verun::proofs {
namespace {

using verun::testing::HasCode;
using verun::testing::read_file;
using verun::testing::read_json;
using verun::testing::report_vector_count;

TEST(TlogProof, SumdbVector) {
  VERUN_REQUIRE_VECTORS(dir, "tlog/tlog-proof");
  std::size_t n = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    const auto j = read_json(e.path() / "expected.json");
    const auto& in = j.at("inputs");
    const auto& want = j.at("expected");
    const std::string text = read_file(e.path() / in.at("proof").get<std::string>());
    const std::string leaf = read_file(e.path() / in.at("leaf").get<std::string>());
    const auto key = parse_verifier_key(in.at("log_vkey").get<std::string>());
    ASSERT_OK(key);
    const std::string origin = in.at("origin");
    auto proof = parse_tlog_proof(text);
    ASSERT_OK(proof);
    EXPECT_EQ(format_tlog_proof(*proof), text);
    auto r = verify_tlog_proof_for_entry(*proof, as_bytes(leaf), *key, origin);
    ASSERT_EQ(r.has_value(), want.at("valid").get<bool>()) << (r ? "" : r.error().to_string());
    EXPECT_EQ(r->index, want.at("index").get<std::uint64_t>());
    EXPECT_EQ(r->checkpoint.checkpoint.origin, want.at("origin").get<std::string>());
    EXPECT_EQ(r->checkpoint.checkpoint.size, want.at("size").get<std::uint64_t>());
    EXPECT_EQ(base64_encode(r->checkpoint.checkpoint.root), want.at("root").get<std::string>());
    EXPECT_EQ(hex_encode(leaf_hash(as_bytes(leaf))), "0fa57c511c3b2ffcc0a05ad63172568d265aaf9844e9b636a0978795396f2ab1");

    // Mutations that must fail: wrong leaf, index +-1, each hash flipped,
    // a hash dropped or added, wrong origin, wrong key, a flipped signature.
    EXPECT_FALSE(verify_tlog_proof_for_entry(*proof, as_bytes(leaf + "x"), *key, origin).has_value());
    for (std::uint64_t idx : {proof->index - 1, proof->index + 1, proof->index ^ 2}) {
      TlogProof p = *proof;
      p.index = idx;
      EXPECT_FALSE(verify_tlog_proof_for_entry(p, as_bytes(leaf), *key, origin).has_value()) << idx;
    }
    for (std::size_t i = 0; i < proof->hashes.size(); ++i) {
      TlogProof p = *proof;
      p.hashes[i][i % 32] ^= 0x10;
      EXPECT_THAT(verify_tlog_proof_for_entry(p, as_bytes(leaf), *key, origin), HasCode(ErrorCode::kProofRootMismatch));
    }
    TlogProof shorter = *proof;
    shorter.hashes.pop_back();
    EXPECT_THAT(verify_tlog_proof_for_entry(shorter, as_bytes(leaf), *key, origin), HasCode(ErrorCode::kProofBadLength));
    TlogProof longer = *proof;
    longer.hashes.push_back(longer.hashes.back());
    EXPECT_THAT(verify_tlog_proof_for_entry(longer, as_bytes(leaf), *key, origin), HasCode(ErrorCode::kProofBadLength));
    EXPECT_THAT(verify_tlog_proof_for_entry(*proof, as_bytes(leaf), *key, "sum.golang.org"),
                HasCode(ErrorCode::kCheckpointOriginMismatch));
    auto other = NoteSigner::generate("sum.golang.org");
    ASSERT_OK(other);
    EXPECT_THAT(verify_tlog_proof_for_entry(*proof, as_bytes(leaf), other->verifier(), origin),
                HasCode(ErrorCode::kNoteNoKnownSignature));
    auto note = *parse_signed_note(proof->checkpoint_note);
    note.signatures[0].signature[5] ^= 4;
    TlogProof badsig = *proof;
    badsig.checkpoint_note = format_signed_note(note);
    EXPECT_THAT(verify_tlog_proof_for_entry(badsig, as_bytes(leaf), *key, origin), HasCode(ErrorCode::kNoteBadSignature));
    // An extra line is carried and ignored.
    TlogProof extra = *proof;
    extra.extra = "YWdlLXYxLjIuMQ==";
    auto reparsed = parse_tlog_proof(format_tlog_proof(extra));
    ASSERT_OK(reparsed);
    EXPECT_EQ(reparsed->extra, extra.extra);
    EXPECT_OK(verify_tlog_proof_for_entry(*reparsed, as_bytes(leaf), *key, origin));
    ++n;
  }
  EXPECT_EQ(n, 1u);
  report_vector_count("tlog/tlog-proof", n);
}

// A small log: leaves "0".."6", root computed by hand.
struct SmallLog {
  NoteSigner signer = *NoteSigner::generate("example.com/small");
  std::vector<Hash32> leaves;
  SmallLog() {
    for (int i = 0; i < 7; ++i) leaves.push_back(leaf_hash(as_bytes(std::to_string(i))));
  }
  // RFC 9162 §2.1.1 MTH, recursively.
  static Hash32 mth(std::span<const Hash32> l) {
    if (l.size() == 1) return l[0];
    std::size_t k = 1;
    while (k * 2 < l.size()) k *= 2;
    return node_hash(mth(l.first(k)), mth(l.subspan(k)));
  }
  // Audit path of index m in l (RFC 9162 §2.1.3.1).
  static void path(std::size_t m, std::span<const Hash32> l, std::vector<Hash32>& out) {
    if (l.size() == 1) return;
    std::size_t k = 1;
    while (k * 2 < l.size()) k *= 2;
    if (m < k) {
      path(m, l.first(k), out);
      out.push_back(mth(l.subspan(k)));
    } else {
      path(m - k, l.subspan(k), out);
      out.push_back(mth(l.first(k)));
    }
  }
  TlogProof proof(std::uint64_t index) {
    TlogProof p;
    p.index = index;
    path(index, leaves, p.hashes);
    p.checkpoint_note = *sign_checkpoint(Checkpoint{"example.com/small", leaves.size(), mth(leaves), {}}, signer);
    return p;
  }
};

TEST(TlogProof, EveryIndexOfASmallLogVerifies) {
  SmallLog log;
  for (std::uint64_t i = 0; i < log.leaves.size(); ++i) {
    const TlogProof p = log.proof(i);
    auto text = format_tlog_proof(p);
    auto back = parse_tlog_proof(text);
    ASSERT_OK(back);
    EXPECT_OK(verify_tlog_proof(*back, log.leaves[i], log.signer.verifier(), "example.com/small"));
    EXPECT_OK(verify_tlog_proof_for_entry(*back, as_bytes(std::to_string(i)), log.signer.verifier(), "example.com/small"));
    EXPECT_FALSE(verify_tlog_proof(*back, log.leaves[(i + 1) % 7], log.signer.verifier(), "example.com/small")
                     .has_value());
  }
  TlogProof out_of_range = log.proof(6);
  out_of_range.index = 7;
  EXPECT_THAT(verify_tlog_proof(out_of_range, log.leaves[6], log.signer.verifier(), "example.com/small"),
              HasCode(ErrorCode::kProofIndexOutOfRange));
}

TEST(TlogProof, SyntaxRules) {
  SmallLog log;
  const std::string good = format_tlog_proof(log.proof(3));
  ASSERT_OK(parse_tlog_proof(good));
  const auto bad = HasCode(ErrorCode::kTlogProofMalformed);
  auto replace = [&](std::string_view from, std::string_view to) {
    std::string s = good;
    s.replace(s.find(from), from.size(), to);
    return s;
  };
  EXPECT_THAT(parse_tlog_proof(replace("c2sp.org/tlog-proof@v1", "c2sp.org/tlog-proof@v2")), bad);
  EXPECT_THAT(parse_tlog_proof(replace("index 3", "index 03")), bad);
  EXPECT_THAT(parse_tlog_proof(replace("index 3", "index  3")), bad);
  EXPECT_THAT(parse_tlog_proof(replace("index 3", "index -3")), bad);
  EXPECT_THAT(parse_tlog_proof(replace("index 3", "index")), bad);
  EXPECT_THAT(parse_tlog_proof(replace("index 3", "Index 3")), bad);
  EXPECT_THAT(parse_tlog_proof(replace("index 3\n", "")), bad);
  EXPECT_THAT(parse_tlog_proof(replace("index 3\n", "index 3\nextra AA==\n")), bad);  // extra after index
  EXPECT_OK(parse_tlog_proof(replace("index 3\n", "extra AA==\nindex 3\n")));
  EXPECT_OK(parse_tlog_proof(replace("index 3\n", "extra \nindex 3\n")));
  // A hash of the wrong length or encoding.
  const std::string h0 = base64_encode(log.proof(3).hashes[0]);
  EXPECT_THAT(parse_tlog_proof(replace(h0, h0.substr(0, 40) + "AA==")), bad);
  EXPECT_THAT(parse_tlog_proof(replace(h0, h0.substr(0, 43))), bad);
  // No blank line, a second blank line (the checkpoint part starts blank), truncation.
  EXPECT_THAT(parse_tlog_proof(replace("\n\nexample.com/small", "\nexample.com/small")), bad);
  EXPECT_FALSE(parse_tlog_proof(replace("\n\nexample.com/small", "\n\n\nexample.com/small")).has_value());
  EXPECT_FALSE(parse_tlog_proof(good.substr(0, good.size() - 1)).has_value());
  EXPECT_FALSE(parse_tlog_proof(good.substr(0, good.find("\n\n") + 2)).has_value());
  EXPECT_THAT(parse_tlog_proof(""), bad);
  // The checkpoint must be a checkpoint.
  EXPECT_THAT(parse_tlog_proof(replace("\n7\n", "\n07\n")), HasCode(ErrorCode::kCheckpointMalformed));
  // More than 64 hashes.
  TlogProof many = log.proof(3);
  many.hashes.resize(65);
  EXPECT_THAT(parse_tlog_proof(format_tlog_proof(many)), bad);
  many.hashes.resize(64);
  EXPECT_OK(parse_tlog_proof(format_tlog_proof(many)));
}

RC_GTEST_PROP(TlogProofProperty, AnyLeafOfARandomLogVerifies, ()) {
  static SmallLog base;
  const auto n = *rc::gen::inRange<std::size_t>(1, 40);
  SmallLog log;
  log.signer = *NoteSigner::from_seed("example.com/small", base.signer.seed().view());
  log.leaves.clear();
  for (std::size_t i = 0; i < n; ++i) log.leaves.push_back(leaf_hash(as_bytes("leaf " + std::to_string(i))));
  const auto idx = *rc::gen::inRange<std::size_t>(0, n);
  auto p = parse_tlog_proof(format_tlog_proof(log.proof(idx)));
  RC_ASSERT(p.has_value());
  RC_ASSERT(verify_tlog_proof(*p, log.leaves[idx], log.signer.verifier(), "example.com/small").has_value());
  if (n > 1) {
    RC_ASSERT(!verify_tlog_proof(*p, log.leaves[(idx + 1) % n], log.signer.verifier(), "example.com/small")
                   .has_value());
  }
}

}  // namespace
}  // namespace verun::proofs
