// Commitments (DESIGN.md §4, §10 "Bytes"): known answers computed
// independently, the streaming form, every failure, and RapidCheck
// properties (a commitment verifies, and fails after any flip of data or salt).
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "tests/support/matchers.h"
#include "verun/proofs/commitment.h"
#include "verun/proofs/hex.h"
#include "verun/proofs/sha2.h"

namespace verun::proofs {
namespace {

using verun::testing::HasCode;

Bytes salt_0_to_31() {
  Bytes s(32);
  for (std::size_t i = 0; i < 32; ++i) s[i] = static_cast<std::uint8_t>(i);
  return s;
}

TEST(Commitment, KnownAnswers) {
  // Python: hashlib.sha256(b"hello verun"), and
  // hashlib.sha256(b"verun/commit/v1\n" + bytes(range(32)) + b"hello verun").
  auto plain = compute_commitment(CommitmentScheme::kSha256, as_bytes("hello verun"));
  ASSERT_OK(plain);
  EXPECT_EQ(hex_encode(*plain), "ef3bfe1c7daa761ba376799248e90573e1411a3d0383971cf2705e3d6f8b5809");
  auto salted = compute_commitment(CommitmentScheme::kSaltedV1, as_bytes("hello verun"), salt_0_to_31());
  ASSERT_OK(salted);
  EXPECT_EQ(hex_encode(*salted), "2199678c077a270a3e3c4c1045fb427d4f72cebf64182a96ddbe5e88f1f84ec8");
  auto empty = compute_commitment(CommitmentScheme::kSaltedV1, {}, Bytes(32, 0));
  ASSERT_OK(empty);
  EXPECT_EQ(hex_encode(*empty), "f57df051789db7504a58c75c8fb3d3eb35bc66f9d438bc9b1121821f91a7a04a");
  // The same from explicit concatenation: 16 prefix bytes || salt || data.
  EXPECT_EQ(kSaltedV1Prefix.size(), 16u);
  Bytes concat = to_bytes("verun/commit/v1\n");
  append(concat, salt_0_to_31());
  append(concat, as_bytes("hello verun"));
  EXPECT_EQ(*salted, sha256(ByteView(concat)));
  EXPECT_EQ(*plain, sha256(std::string_view("hello verun")));
}

TEST(Commitment, VerifyAndEveryFailure) {
  Bytes data = to_bytes("the output");
  Bytes salt = salt_0_to_31();
  Hash32 c = *compute_commitment(CommitmentScheme::kSaltedV1, data, salt);
  EXPECT_OK(verify_commitment(CommitmentScheme::kSaltedV1, c, data, salt));
  Bytes d2 = data;
  d2.back() ^= 1;
  EXPECT_THAT(verify_commitment(CommitmentScheme::kSaltedV1, c, d2, salt), HasCode(ErrorCode::kCommitmentMismatch));
  Bytes s2 = salt;
  s2[0] ^= 0x80;
  EXPECT_THAT(verify_commitment(CommitmentScheme::kSaltedV1, c, data, s2), HasCode(ErrorCode::kCommitmentMismatch));
  // Truncated / extended data.
  EXPECT_THAT(verify_commitment(CommitmentScheme::kSaltedV1, c, ByteView(data).first(data.size() - 1), salt),
              HasCode(ErrorCode::kCommitmentMismatch));
  d2 = data;
  d2.push_back(0);
  EXPECT_THAT(verify_commitment(CommitmentScheme::kSaltedV1, c, d2, salt), HasCode(ErrorCode::kCommitmentMismatch));
  // The other scheme does not match.
  EXPECT_THAT(verify_commitment(CommitmentScheme::kSha256, c, data), HasCode(ErrorCode::kCommitmentMismatch));
  // Salt rules.
  EXPECT_THAT(verify_commitment(CommitmentScheme::kSaltedV1, c, data), HasCode(ErrorCode::kCommitmentBadSalt));
  EXPECT_THAT(verify_commitment(CommitmentScheme::kSaltedV1, c, data, ByteView(salt).first(31)),
              HasCode(ErrorCode::kCommitmentBadSalt));
  Bytes long_salt = salt;
  long_salt.push_back(0);
  EXPECT_THAT(compute_commitment(CommitmentScheme::kSaltedV1, data, long_salt), HasCode(ErrorCode::kCommitmentBadSalt));
  EXPECT_THAT(compute_commitment(CommitmentScheme::kSha256, data, salt), HasCode(ErrorCode::kCommitmentBadSalt));
  EXPECT_THAT(CommitmentHasher::make(CommitmentScheme::kSha256, salt), HasCode(ErrorCode::kCommitmentBadSalt));
}

TEST(Commitment, SchemeNames) {
  EXPECT_EQ(to_string(CommitmentScheme::kSha256), "sha256");
  EXPECT_EQ(to_string(CommitmentScheme::kSaltedV1), "salted-v1");
  EXPECT_EQ(*parse_commitment_scheme("sha256"), CommitmentScheme::kSha256);
  EXPECT_EQ(*parse_commitment_scheme("salted-v1"), CommitmentScheme::kSaltedV1);
  for (const char* bad : {"", "SHA256", "salted-v2", "salted", "sha256 "})
    EXPECT_THAT(parse_commitment_scheme(bad), HasCode(ErrorCode::kCommitmentBadScheme)) << bad;
}

TEST(Commitment, StreamingEqualsOneShot) {
  Bytes data(100000);
  for (std::size_t i = 0; i < data.size(); ++i) data[i] = static_cast<std::uint8_t>(i * 31 + 7);
  for (auto scheme : {CommitmentScheme::kSha256, CommitmentScheme::kSaltedV1}) {
    Bytes salt = scheme == CommitmentScheme::kSaltedV1 ? salt_0_to_31() : Bytes{};
    auto h = CommitmentHasher::make(scheme, salt);
    ASSERT_OK(h);
    std::size_t pos = 0, step = 1;
    while (pos < data.size()) {
      std::size_t n = std::min(step, data.size() - pos);
      h->update(ByteView(data).subspan(pos, n));
      pos += n;
      step = step * 3 + 1;
    }
    EXPECT_EQ(h->size(), data.size());
    EXPECT_EQ(h->finish(), *compute_commitment(scheme, data, salt));
  }
}

RC_GTEST_PROP(CommitmentProperty, VerifiesAndFailsAfterAnyFlip, (const std::vector<std::uint8_t>& data)) {
  const auto salt_vec = *rc::gen::container<std::vector<std::uint8_t>>(32, rc::gen::arbitrary<std::uint8_t>());
  Bytes salt(salt_vec.begin(), salt_vec.end());
  Bytes d(data.begin(), data.end());
  for (auto scheme : {CommitmentScheme::kSha256, CommitmentScheme::kSaltedV1}) {
    Bytes s = scheme == CommitmentScheme::kSaltedV1 ? salt : Bytes{};
    auto c = compute_commitment(scheme, d, s);
    RC_ASSERT(c.has_value());
    RC_ASSERT(verify_commitment(scheme, *c, d, s).has_value());
    if (!d.empty()) {
      Bytes flipped = d;
      const auto i = *rc::gen::inRange<std::size_t>(0, d.size());
      const auto bit = *rc::gen::inRange(0, 8);
      flipped[i] ^= static_cast<std::uint8_t>(1u << bit);
      RC_ASSERT(verify_commitment(scheme, *c, flipped, s).code() == ErrorCode::kCommitmentMismatch);
    }
    if (scheme == CommitmentScheme::kSaltedV1) {
      Bytes fs = s;
      const auto i = *rc::gen::inRange<std::size_t>(0, 32);
      const auto bit = *rc::gen::inRange(0, 8);
      fs[i] ^= static_cast<std::uint8_t>(1u << bit);
      RC_ASSERT(verify_commitment(scheme, *c, d, fs).code() == ErrorCode::kCommitmentMismatch);
    }
  }
}

RC_GTEST_PROP(CommitmentProperty, SaltSeparatesSchemes, (const std::vector<std::uint8_t>& data)) {
  Bytes d(data.begin(), data.end());
  auto plain = *compute_commitment(CommitmentScheme::kSha256, d);
  auto salted = *compute_commitment(CommitmentScheme::kSaltedV1, d, Bytes(32, 0));
  RC_ASSERT(plain != salted);
}

}  // namespace
}  // namespace verun::proofs
