// parse_bundle (DESIGN.md §8, §10): the shape, limits and collateral rules;
// each rule fails with its code and nothing partial comes back.
#include "verun/verifier/bundle.h"

#include <gtest/gtest.h>

#include <string>

#include "tests/support/bundle_factory.h"
#include "tests/support/matchers.h"
#include "verun/proofs/base64.h"
#include "verun/proofs/hex.h"
#include "verun/proofs/sha2.h"

namespace verun::verifier {
namespace {

using proofs::Json;
using testing::BundleFactory;
using testing::HasCode;

Json good() { return BundleFactory().build_json().value(); }

TEST(ParseBundle, FactoryBundleParsesAndRoundTrips) {
  Json j = good();
  auto b = parse_bundle(j.dump());
  ASSERT_OK(b);
  EXPECT_EQ(b->registration.proof.index, 2u);
  EXPECT_EQ(b->receipt.proof.index, 4u);
  EXPECT_TRUE(b->collateral.empty());
  auto again = parse_bundle(format_bundle(*b));
  ASSERT_OK(again);
  EXPECT_EQ(again->receipt.leaf, b->receipt.leaf);
  EXPECT_EQ(again->registration.proof_text, b->registration.proof_text);
}

TEST(ParseBundle, CollateralIsKeyedByTheDigestOfItsBytes) {
  Json j = good();
  proofs::Bytes bytes = proofs::to_bytes("collateral bytes");
  std::string digest = proofs::hex_encode(proofs::sha256(bytes));
  j["collateral"][digest] = proofs::base64_encode(bytes);
  auto b = parse_bundle(j.dump());
  ASSERT_OK(b);
  EXPECT_EQ(b->collateral.at(digest), bytes);

  Json wrong = good();
  wrong["collateral"][std::string(64, 'a')] = proofs::base64_encode(bytes);
  EXPECT_THAT(parse_bundle(wrong.dump()), HasCode(ErrorCode::kBundleCollateralDigestMismatch));
  Json upper = good();
  std::string up = digest;
  for (auto& c : up) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  upper["collateral"][up] = proofs::base64_encode(bytes);
  EXPECT_THAT(parse_bundle(upper.dump()), HasCode(ErrorCode::kBundleMalformed));
  Json not_b64 = good();
  not_b64["collateral"][digest] = "not base64!";
  EXPECT_THAT(parse_bundle(not_b64.dump()), HasCode(ErrorCode::kBundleMalformed));
  Json not_obj = good();
  not_obj["collateral"] = Json::array();
  EXPECT_THAT(parse_bundle(not_obj.dump()), HasCode(ErrorCode::kBundleMalformed));
}

TEST(ParseBundle, MediaTypeMustBeExact) {
  Json j = good();
  j["mediaType"] = "application/vnd.verun.bundle.v2+json";
  EXPECT_THAT(parse_bundle(j.dump()), HasCode(ErrorCode::kBundleBadMediaType));
  j["mediaType"] = 1;
  EXPECT_THAT(parse_bundle(j.dump()), HasCode(ErrorCode::kBundleMalformed));
}

TEST(ParseBundle, UnknownAndMissingFieldsAreRejected) {
  Json j = good();
  j["extra"] = "x";
  EXPECT_THAT(parse_bundle(j.dump()), HasCode(ErrorCode::kBundleUnknownField));
  Json k = good();
  k["receipt"]["note"] = "x";
  EXPECT_THAT(parse_bundle(k.dump()), HasCode(ErrorCode::kBundleUnknownField));
  for (const char* field : {"mediaType", "receipt", "registration"}) {
    Json m = good();
    m.erase(field);
    EXPECT_THAT(parse_bundle(m.dump()), HasCode(ErrorCode::kBundleMissingField)) << field;
  }
  for (const char* field : {"envelope", "proof"}) {
    Json m = good();
    m["registration"].erase(field);
    EXPECT_THAT(parse_bundle(m.dump()), HasCode(ErrorCode::kBundleMissingField)) << field;
  }
  Json no_coll = good();
  no_coll.erase("collateral");
  EXPECT_OK(parse_bundle(no_coll.dump()));
}

TEST(ParseBundle, StrictJsonAndSizeLimit) {
  EXPECT_THAT(parse_bundle("{"), HasCode(ErrorCode::kBundleMalformed));
  EXPECT_THAT(parse_bundle("[]"), HasCode(ErrorCode::kBundleMalformed));
  std::string dup = good().dump();
  dup.insert(1, "\"mediaType\":\"x\",");
  EXPECT_THAT(parse_bundle(dup), HasCode(ErrorCode::kBundleMalformed));
  Json f = good();
  f["receipt"]["envelope"]["signatures"][0]["weight"] = 0.5;
  EXPECT_THAT(parse_bundle(f.dump()), HasCode(ErrorCode::kBundleMalformed));
  std::string big = good().dump();
  big.append(kMaxBundleBytes, ' ');
  EXPECT_THAT(parse_bundle(big), HasCode(ErrorCode::kBundleTooLarge));
}

TEST(ParseBundle, EnvelopeAndProofErrorsKeepTheirCodes) {
  Json j = good();
  j["receipt"]["envelope"]["extra"] = "x";
  EXPECT_THAT(parse_bundle(j.dump()), HasCode(ErrorCode::kDsseMalformed));
  Json k = good();
  k["registration"]["envelope"]["payload"] = "***";
  EXPECT_THAT(parse_bundle(k.dump()), HasCode(ErrorCode::kDsseBadEncoding));
  Json p = good();
  p["receipt"]["proof"] = "c2sp.org/tlog-proof@v1\nindex x\n";
  EXPECT_THAT(parse_bundle(p.dump()), HasCode(ErrorCode::kTlogProofMalformed));
  Json big = good();
  big["receipt"]["envelope"]["payload"] = proofs::base64_encode(proofs::Bytes(70000, 'a'));
  EXPECT_THAT(parse_bundle(big.dump()), HasCode(ErrorCode::kDsseTooLarge));
}

}  // namespace
}  // namespace verun::verifier

namespace verun::verifier {
namespace {

// BundleParser remembers registration halves: it must give exactly what
// parse_bundle gives, for good bundles, for ones whose other parts are bad,
// and for texts that try to confuse its scan.
TEST(BundleParser, AgreesWithParseBundle) {
  BundleFactory f;
  auto batch = f.build_batch_json(3).value();
  BundleParser parser;
  std::vector<std::string> texts;
  for (const auto& j : batch) texts.push_back(j.dump());
  Json bad_receipt = batch[1];
  bad_receipt["receipt"]["proof"] = "nope";
  texts.push_back(bad_receipt.dump());
  Json extra = batch[2];
  extra["zzz"] = 1;
  texts.push_back(extra.dump());
  Json bad_media = batch[0];
  bad_media["mediaType"] = "x";
  texts.push_back(bad_media.dump());
  std::string dup = texts[0];
  dup.insert(dup.size() - 1, ",\"registration\":{}");
  texts.push_back(dup);
  std::string escaped = texts[0];
  escaped.replace(escaped.find("\"registration\""), 14, "\"registr\\u0061tion\"");
  texts.push_back(escaped);
  std::string truncated = texts[0].substr(0, texts[0].size() - 1);
  texts.push_back(truncated);
  texts.push_back(texts[0] + " x");
  texts.push_back(texts[0]);
  for (int round = 0; round < 2; ++round)
    for (std::size_t i = 0; i < texts.size(); ++i) {
      auto a = parse_bundle(texts[i]);
      auto b = parser.parse(texts[i]);
      ASSERT_EQ(a.has_value(), b.has_value()) << i;
      if (a) {
        EXPECT_EQ(a->receipt.leaf, b->receipt.leaf) << i;
        EXPECT_EQ(a->registration.leaf, b->registration.leaf) << i;
        EXPECT_EQ(a->registration.proof_text, b->registration.proof_text) << i;
      } else {
        EXPECT_EQ(a.error().code, b.error().code) << i << " " << a.error().message << " / " << b.error().message;
      }
    }
}

}  // namespace
}  // namespace verun::verifier
