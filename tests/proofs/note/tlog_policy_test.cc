// tlog-policy: parsing rules, quorum decisions with nested groups, a witness
// counted once, and the as-of time (DESIGN.md §10).
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "tests/support/matchers.h"
#include "verun/proofs/note/checkpoint.h"
#include "verun/proofs/note/tlog_policy.h"

namespace verun::proofs {
namespace {

using verun::testing::HasCode;

struct Keys {
  NoteSigner log = *NoteSigner::generate("example.com/log");
  std::vector<NoteSigner> w;
  Keys() {
    for (int i = 0; i < 6; ++i)
      w.push_back(*NoteSigner::generate("w" + std::to_string(i) + ".example", NoteKeyType::kCosignatureV1));
  }
  std::string vk(int i) const { return format_verifier_key(w[i].verifier()); }
  std::string logvk() const { return format_verifier_key(log.verifier()); }
  VerifiedCosignature cos(int i, std::uint64_t t) const { return {w[i].name(), w[i].key_id(), t}; }
  // The C2SP example: X = 2 of {0,1,2}, Y = any of {3,4,5}, quorum all(X, Y).
  std::string example() const {
    return "# example\nlog " + logvk() + " https://log.example/\n\n" +
           "witness X1 " + vk(0) + "\nwitness X2 " + vk(1) + "\n\twitness X3 " + vk(2) + " https://w.example \n" +
           "group X-witnesses 2 X1 X2 X3\n" +
           "witness Y1 " + vk(3) + "\nwitness Y2 " + vk(4) + "\nwitness Y3 " + vk(5) + "\n" +
           "group Y-witnesses any Y1 Y2 Y3\n  # comment\n" +
           "group X-and-Y all X-witnesses Y-witnesses\nquorum X-and-Y\n";
  }
};

TEST(TlogPolicy, ParsesTheSpecExample) {
  Keys k;
  auto p = parse_tlog_policy(k.example());
  ASSERT_OK(p);
  ASSERT_EQ(p->logs.size(), 1u);
  EXPECT_EQ(p->logs[0].url, "https://log.example/");
  ASSERT_EQ(p->witnesses.size(), 6u);
  EXPECT_EQ(p->witnesses[2].name, "X3");
  EXPECT_EQ(p->witnesses[2].url, "https://w.example");
  EXPECT_FALSE(p->witnesses[0].url.has_value());
  ASSERT_EQ(p->groups.size(), 3u);
  EXPECT_EQ(p->groups[0].threshold, 2u);
  EXPECT_EQ(p->groups[1].threshold, 1u);
  EXPECT_EQ(p->groups[2].threshold, 2u);
  EXPECT_EQ(p->quorum, "X-and-Y");
  EXPECT_EQ(policy_witness_keys(*p).size(), 6u);
}

TEST(TlogPolicy, NestedQuorum) {
  Keys k;
  const auto p = *parse_tlog_policy(k.example());
  using V = std::vector<VerifiedCosignature>;
  EXPECT_TRUE(quorum_met(p, V{k.cos(0, 1), k.cos(1, 1), k.cos(3, 1)}));
  EXPECT_TRUE(quorum_met(p, V{k.cos(0, 1), k.cos(1, 1), k.cos(2, 1), k.cos(3, 1), k.cos(4, 1), k.cos(5, 1)}));
  EXPECT_FALSE(quorum_met(p, V{k.cos(0, 1), k.cos(3, 1), k.cos(4, 1), k.cos(5, 1)}));  // X has 1 of 2
  EXPECT_FALSE(quorum_met(p, V{k.cos(0, 1), k.cos(1, 1), k.cos(2, 1)}));               // no Y
  EXPECT_FALSE(quorum_met(p, V{}));
  EXPECT_THAT(verify_quorum(p, V{k.cos(0, 1), k.cos(3, 1)}), HasCode(ErrorCode::kTlogPolicyQuorumNotMet));
  EXPECT_OK(verify_quorum(p, V{k.cos(0, 1), k.cos(2, 1), k.cos(5, 1)}));
}

TEST(TlogPolicy, OneWitnessCountsOnce) {
  Keys k;
  const auto p = *parse_tlog_policy(k.example());
  using V = std::vector<VerifiedCosignature>;
  // X1 twice (two lines, two timestamps) is still one of X.
  EXPECT_FALSE(quorum_met(p, V{k.cos(0, 1), k.cos(0, 2), k.cos(3, 1)}));
  // A cosignature by an unlisted key with X2's name does not count.
  auto stranger = *NoteSigner::generate("w1.example", NoteKeyType::kCosignatureV1);
  EXPECT_FALSE(quorum_met(p, V{k.cos(0, 1), {"w1.example", stranger.key_id(), 1}, k.cos(3, 1)}));
  // Listing one witness in two groups is refused, so it cannot count twice.
  const std::string twice = "witness A " + k.vk(0) + "\nwitness B " + k.vk(1) + "\ngroup G1 any A\n" +
                            "group G2 any A B\ngroup Q all G1 G2\nquorum Q\n";
  EXPECT_THAT(parse_tlog_policy(twice), HasCode(ErrorCode::kTlogPolicyMalformed));
  EXPECT_THAT(parse_tlog_policy("witness A " + k.vk(0) + "\ngroup G 2 A A\nquorum G\n"),
              HasCode(ErrorCode::kTlogPolicyMalformed));
  // Two witness lines with the same key under different names are refused.
  EXPECT_THAT(parse_tlog_policy("witness A " + k.vk(0) + "\nwitness B " + k.vk(0) + "\nquorum A\n"),
              HasCode(ErrorCode::kTlogPolicyMalformed));
}

TEST(TlogPolicy, QuorumTimeIsTheEarliestMomentTheQuorumHolds) {
  Keys k;
  const auto p = *parse_tlog_policy(k.example());
  using V = std::vector<VerifiedCosignature>;
  // X1@10, X2@30, Y1@20, X3@25: X is met at 25 (X1, X3), Y at 20 -> 25.
  EXPECT_EQ(quorum_time(p, V{k.cos(0, 10), k.cos(1, 30), k.cos(3, 20), k.cos(2, 25)}), 25u);
  EXPECT_EQ(quorum_time(p, V{k.cos(0, 10), k.cos(1, 11), k.cos(3, 100)}), 100u);
  EXPECT_EQ(quorum_time(p, V{k.cos(0, 10), k.cos(3, 1)}), std::nullopt);
  // A witness's earlier line counts from its own time.
  EXPECT_EQ(quorum_time(p, V{k.cos(0, 50), k.cos(0, 5), k.cos(1, 6), k.cos(3, 7)}), 7u);
  const auto none = *parse_tlog_policy("log " + k.logvk() + "\nquorum none\n");
  EXPECT_EQ(quorum_time(none, V{}), 0u);
  EXPECT_TRUE(quorum_met(none, V{}));
  const auto single = *parse_tlog_policy("witness A " + k.vk(4) + "\nquorum A\n");
  EXPECT_EQ(quorum_time(single, V{k.cos(4, 99)}), 99u);
  EXPECT_FALSE(quorum_met(single, V{k.cos(3, 99)}));
}

TEST(TlogPolicy, SyntaxRules) {
  Keys k;
  const auto bad = HasCode(ErrorCode::kTlogPolicyMalformed);
  const std::string w = "witness A " + k.vk(0) + "\n";
  EXPECT_OK(parse_tlog_policy(w + "quorum A\n"));
  EXPECT_THAT(parse_tlog_policy(w), bad);                                    // no quorum
  EXPECT_THAT(parse_tlog_policy(w + "quorum A\nquorum A\n"), bad);           // two quorums
  EXPECT_THAT(parse_tlog_policy("quorum A\n" + w), bad);                     // used before defined
  EXPECT_THAT(parse_tlog_policy(w + "quorum A"), bad);                       // no final newline
  EXPECT_THAT(parse_tlog_policy(w + "quorum B\n"), bad);                     // undefined
  EXPECT_THAT(parse_tlog_policy(w + "quorum A B\n"), bad);
  EXPECT_THAT(parse_tlog_policy(w + "quorum A\r\n"), bad);                   // CR
  EXPECT_THAT(parse_tlog_policy(w + "quorum A\x7f\n"), bad);                 // DEL
  EXPECT_THAT(parse_tlog_policy(w + "Quorum A\n"), bad);                     // unknown keyword
  EXPECT_THAT(parse_tlog_policy(w + w + "quorum A\n"), bad);                 // redefined
  EXPECT_THAT(parse_tlog_policy("witness none " + k.vk(0) + "\nquorum none\n"), bad);
  EXPECT_THAT(parse_tlog_policy(w + "group G any none\nquorum G\n"), bad);
  EXPECT_THAT(parse_tlog_policy(w + "group G any\nquorum G\n"), bad);        // no members
  EXPECT_THAT(parse_tlog_policy(w + "group G 0 A\nquorum G\n"), bad);        // k < 1
  EXPECT_THAT(parse_tlog_policy(w + "group G 2 A\nquorum G\n"), bad);        // k > n
  EXPECT_THAT(parse_tlog_policy(w + "group G 01 A\nquorum G\n"), bad);
  EXPECT_THAT(parse_tlog_policy(w + "group A any A\nquorum A\n"), bad);      // name taken
  EXPECT_OK(parse_tlog_policy(w + "group G 1 A\nquorum G\n"));
  EXPECT_OK(parse_tlog_policy(w + "group G all A\nquorum G\n"));
  // Key types: a log needs 0x01, a witness 0x04.
  EXPECT_THAT(parse_tlog_policy("log " + k.vk(0) + "\nquorum none\n"), bad);
  EXPECT_THAT(parse_tlog_policy("witness A " + k.logvk() + "\nquorum A\n"), bad);
  EXPECT_THAT(parse_tlog_policy("log " + k.logvk() + "\nlog " + k.logvk() + "\nquorum none\n"), bad);
  EXPECT_THAT(parse_tlog_policy("log " + k.logvk() + " u1 u2\nquorum none\n"), bad);
  EXPECT_THAT(parse_tlog_policy("log\nquorum none\n"), bad);
  EXPECT_THAT(parse_tlog_policy("log not+a+key\nquorum none\n"), bad);
  EXPECT_THAT(parse_tlog_policy("witness A\nquorum none\n"), bad);
  // Empty lines, comments, tabs and non-ASCII names are fine.
  EXPECT_OK(parse_tlog_policy("\n  \n# c\nwitness \xE2\x84\xAA\t" + k.vk(0) + "\nquorum \xE2\x84\xAA\n"));
  EXPECT_THAT(parse_tlog_policy(""), bad);
}

TEST(TlogPolicy, EndToEndWithACosignedCheckpoint) {
  Keys k;
  const auto p = *parse_tlog_policy(k.example());
  std::string note = *sign_checkpoint(Checkpoint{"example.com/log", 3, {}, {}}, k.log);
  for (int i : {0, 2, 4}) note = *add_cosignature(note, k.w[i], 1000 + static_cast<std::uint64_t>(i));
  auto cp = open_checkpoint(note, p.logs[0].key, policy_witness_keys(p));
  ASSERT_OK(cp);
  EXPECT_OK(verify_quorum(p, cp->cosignatures));
  EXPECT_EQ(quorum_time(p, cp->cosignatures), 1004u);
  // Drop one X witness: the quorum fails.
  auto parsed = *parse_signed_note(note);
  parsed.signatures.erase(parsed.signatures.begin() + 1);
  auto fewer = open_checkpoint(format_signed_note(parsed), p.logs[0].key, policy_witness_keys(p));
  ASSERT_OK(fewer);
  EXPECT_THAT(verify_quorum(p, fewer->cosignatures), HasCode(ErrorCode::kTlogPolicyQuorumNotMet));
}

RC_GTEST_PROP(TlogPolicyProperty, QuorumTimeIsMinimalAndMonotone, ()) {
  static const Keys k;
  static const auto p = *parse_tlog_policy(k.example());
  std::vector<VerifiedCosignature> cos;
  for (int i = 0; i < 6; ++i) {
    if (*rc::gen::arbitrary<bool>()) cos.push_back(k.cos(i, *rc::gen::inRange<std::uint64_t>(0, 50)));
  }
  const auto t = quorum_time(p, cos);
  RC_ASSERT(t.has_value() == quorum_met(p, cos));
  if (t) {
    std::vector<VerifiedCosignature> upto, before;
    for (const auto& c : cos) {
      if (c.timestamp <= *t) upto.push_back(c);
      if (*t > 0 && c.timestamp <= *t - 1) before.push_back(c);
    }
    RC_ASSERT(quorum_met(p, upto));
    RC_ASSERT(!quorum_met(p, before));
  }
}

}  // namespace
}  // namespace verun::proofs
