// Admission (log/src/admission.h): every refusal path with its code, and that
// a refusal writes nothing; real sim-v1 registrations and receipts signed in
// the test, sequenced through a real Sequencer over a SqliteStore.
#include "admission.h"

#include <gtest/gtest.h>

#include "sequencer.h"
#include "sim_runner.h"
#include "store/sqlite/sqlite_store.h"
#include "tests/log/log_testing.h"
#include "tests/support/matchers.h"
#include "tests/support/temp_dir.h"
#include "verun/proofs/json/jcs.h"

namespace verun::log {
namespace {

using proofs::Json;
using testing::SimRunner;
using ::verun::testing::HasCode;
using ::verun::testing::IsOk;

class AdmissionTest : public ::testing::Test {
 protected:
  void SetUp() override { open(testing::sim_policy_json()); }

  void open(const std::string& policy_text) {
    seq_.reset();
    admission_.reset();
    store_.reset();
    auto s = SqliteStore::open(dir_.path() / ("log" + std::to_string(n_++) + ".db"));
    ASSERT_OK(s);
    store_ = std::move(*s);
    auto policy = verifier::parse_policy(policy_text);
    ASSERT_OK(policy);
    admission_ = std::make_unique<Admission>(*store_, std::move(*policy));
    SequencerOptions o;
    o.max_batch_wait = std::chrono::milliseconds(1);
    o.admission = admission_->as_fn();
    auto q = Sequencer::start(*store_, testing::log_signer(), std::move(o));
    ASSERT_OK(q);
    seq_ = std::move(*q);
  }

  // prepare + submit, as the HTTP handler does.
  Result<Sequenced> submit(const Json& envelope, const Json& blobs = Json()) {
    VERUN_ASSIGN_OR_RETURN(auto sub, admission_->prepare(envelope, blobs));
    return seq_->submit(std::move(sub)).get();
  }
  Result<Sequenced> submit(const proofs::Envelope& e, const Json& blobs = Json()) {
    return submit(proofs::serialize_envelope(e), blobs);
  }

  // An envelope over an arbitrary payload signed by `key` (keyid = its key_id).
  static proofs::Envelope signed_payload(const std::string& payload, const proofs::Ed25519PrivateKey& key) {
    return proofs::sign_envelope(proofs::kInTotoPayloadType,
                                 proofs::ByteView(reinterpret_cast<const std::uint8_t*>(payload.data()), payload.size()),
                                 key);
  }

  ::verun::testing::TempDir dir_;
  int n_ = 0;
  std::unique_ptr<SqliteStore> store_;
  std::unique_ptr<Admission> admission_;
  std::unique_ptr<Sequencer> seq_;
};

TEST_F(AdmissionTest, RegistrationThenReceiptsAreAdmitted) {
  SimRunner a(0x21);
  auto reg = submit(a.registration());
  ASSERT_OK(reg);
  EXPECT_EQ(reg->index, 0u);
  EXPECT_FALSE(reg->duplicate);
  auto found = store_->find_registration(a.key_id);
  ASSERT_OK(found);
  EXPECT_EQ(*found, std::optional<std::uint64_t>(0));

  auto r1 = submit(a.receipt(0, 1));
  ASSERT_OK(r1);
  EXPECT_EQ(r1->index, 1u);
  auto r2 = submit(a.receipt(0, 2));
  ASSERT_OK(r2);
  EXPECT_EQ(r2->index, 2u);
  EXPECT_EQ(seq_->size(), 3u);
}

TEST_F(AdmissionTest, DuplicatesAnswerTheExistingIndex) {
  SimRunner a(0x21);
  ASSERT_OK(submit(a.registration()));
  auto again = submit(a.registration());
  ASSERT_OK(again);
  EXPECT_TRUE(again->duplicate);
  EXPECT_EQ(again->index, 0u);
  ASSERT_OK(submit(a.receipt(0, 1)));
  auto r = submit(a.receipt(0, 1));
  ASSERT_OK(r);
  EXPECT_TRUE(r->duplicate);
  EXPECT_EQ(r->index, 1u);
  EXPECT_EQ(seq_->size(), 2u);
}

TEST_F(AdmissionTest, SecondRegistrationOfAKeyIsRefused) {
  SimRunner a(0x21);
  ASSERT_OK(submit(a.registration()));
  // Same key, different evidence (tcb 2): a different leaf.
  EXPECT_THAT(submit(a.registration(a.predicate(false, 2))), HasCode(ErrorCode::kAdmissionKeyAlreadyRegistered));
  EXPECT_EQ(seq_->size(), 1u);
}

TEST_F(AdmissionTest, ReceiptNeedsARegisteredSigner) {
  SimRunner a(0x21), b(0x22);
  ASSERT_OK(submit(a.registration()));
  EXPECT_THAT(submit(b.receipt(0, 1)), HasCode(ErrorCode::kAdmissionUnregisteredSigner));
  EXPECT_THAT(submit(a.receipt(7, 1)), HasCode(ErrorCode::kAdmissionRegistrationMismatch));
  // A's receipt statement signed by B (keyid B): not the registered key.
  auto stmt = proofs::make_receipt_statement(a.receipt_predicate(0, 3));
  ASSERT_OK(stmt);
  auto payload = proofs::jcs_serialize(*stmt);
  ASSERT_OK(payload);
  EXPECT_THAT(submit(signed_payload(*payload, b.key)), HasCode(ErrorCode::kAdmissionBadSignature));
  // A flipped signature bit.
  auto good = a.receipt(0, 4);
  good.signatures[0].sig[5] ^= 0x01;
  EXPECT_THAT(submit(good), HasCode(ErrorCode::kAdmissionBadSignature));
  EXPECT_EQ(seq_->size(), 1u);
}

TEST_F(AdmissionTest, RegistrationSignatureMustBeItsOwnKey) {
  SimRunner a(0x21), b(0x22);
  auto stmt = proofs::make_registration_statement(a.predicate());
  ASSERT_OK(stmt);
  auto payload = proofs::jcs_serialize(*stmt);
  ASSERT_OK(payload);
  EXPECT_THAT(submit(signed_payload(*payload, b.key)), HasCode(ErrorCode::kAdmissionBadSignature));
  auto env = a.registration();
  env.signatures[0].sig[0] ^= 0x80;
  EXPECT_THAT(submit(env), HasCode(ErrorCode::kAdmissionBadSignature));
  EXPECT_EQ(seq_->size(), 0u);
}

TEST_F(AdmissionTest, EvidenceMustAppraiseUnderThePolicy) {
  SimRunner a(0x21);
  EXPECT_THAT(submit(a.registration(a.predicate(/*debug=*/true))), HasCode(ErrorCode::kAdmissionEvidenceRejected));
  EXPECT_THAT(submit(a.registration(a.predicate(false, /*tcb=*/0))), HasCode(ErrorCode::kAdmissionEvidenceRejected));
  SimRunner other_root(0x23);
  other_root.root = testing::key_from(0x99);
  EXPECT_THAT(submit(other_root.registration()), HasCode(ErrorCode::kAdmissionEvidenceRejected));
  // report_data bound to another identity.
  auto p = a.predicate();
  p.identity.runner_version = "0.2.0";
  EXPECT_THAT(submit(a.registration(p)), HasCode(ErrorCode::kAdmissionEvidenceRejected));
  EXPECT_EQ(seq_->size(), 0u);
}

TEST_F(AdmissionTest, EmptyPolicyAdmitsNoRegistration) {
  seq_.reset();
  admission_ = std::make_unique<Admission>(*store_, empty_admission_policy());
  SequencerOptions o;
  o.admission = admission_->as_fn();
  auto q = Sequencer::start(*store_, testing::log_signer(), std::move(o));
  ASSERT_OK(q);
  seq_ = std::move(*q);
  EXPECT_THAT(submit(SimRunner(0x21).registration()), HasCode(ErrorCode::kAdmissionEvidenceRejected));
}

TEST_F(AdmissionTest, RevokedKeysAreRefused) {
  SimRunner a(0x21), b(0x22);
  ASSERT_OK(submit(b.registration()));
  open(testing::sim_policy_json(R"(, "revoked": {"keys": [")" + a.key_id + R"("]})"));
  EXPECT_THAT(submit(a.registration()), HasCode(ErrorCode::kAdmissionKeyRevoked));
  ASSERT_OK(submit(b.registration()));
}

TEST_F(AdmissionTest, OnlyKnownPredicatesAreAdmitted) {
  SimRunner a(0x21);
  const std::string other =
      R"({"_type":"https://in-toto.io/Statement/v1","predicate":{},"predicateType":"https://example.com/Other/v1",)"
      R"("subject":[{"digest":{"sha256":")" + std::string(64, 'a') + R"("},"name":"x"}]})";
  EXPECT_THAT(submit(signed_payload(other, a.key)), HasCode(ErrorCode::kAdmissionUnknownPredicate));
  EXPECT_THAT(submit(signed_payload("not json", a.key)), HasCode(ErrorCode::kAdmissionMalformedStatement));
  EXPECT_THAT(submit(signed_payload("[1]", a.key)), HasCode(ErrorCode::kAdmissionMalformedStatement));
  EXPECT_THAT(submit(signed_payload(R"({"predicateType": 5})", a.key)),
              HasCode(ErrorCode::kAdmissionMalformedStatement));
  // A registration statement missing its predicate's evidence.
  auto stmt = *proofs::make_registration_statement(a.predicate());
  stmt["predicate"].erase("evidence");
  EXPECT_THAT(submit(signed_payload(stmt.dump(), a.key)), HasCode(ErrorCode::kAdmissionMalformedStatement));
  EXPECT_EQ(seq_->size(), 0u);
}

TEST_F(AdmissionTest, EnvelopeShapeIsStrict) {
  SimRunner a(0x21);
  const Json good = proofs::serialize_envelope(a.registration());
  auto extra = good;
  extra["extra"] = "x";
  EXPECT_THAT(submit(extra), HasCode(ErrorCode::kAdmissionMalformedEnvelope));
  auto two = good;
  two["signatures"].push_back(two["signatures"][0]);
  EXPECT_THAT(submit(two), HasCode(ErrorCode::kAdmissionMalformedEnvelope));
  auto no_keyid = good;
  no_keyid["signatures"][0].erase("keyid");
  EXPECT_THAT(submit(no_keyid), HasCode(ErrorCode::kAdmissionMalformedEnvelope));
  auto unpadded = good;
  std::string p = unpadded["payload"];
  while (!p.empty() && p.back() == '=') p.pop_back();
  unpadded["payload"] = p + "A";  // not a multiple of 4, no padding
  EXPECT_THAT(submit(unpadded), HasCode(ErrorCode::kAdmissionMalformedEnvelope));
  EXPECT_THAT(submit(Json::array()), HasCode(ErrorCode::kAdmissionMalformedEnvelope));
  EXPECT_THAT(submit(Json("x")), HasCode(ErrorCode::kAdmissionMalformedEnvelope));
  EXPECT_EQ(seq_->size(), 0u);
}

TEST_F(AdmissionTest, OversizeEntryIsRefused) {
  SimRunner a(0x21);
  EXPECT_THAT(submit(signed_payload(std::string(60000, 'x'), a.key)), HasCode(ErrorCode::kAdmissionEntryTooLarge));
  EXPECT_EQ(seq_->size(), 0u);
}

TEST_F(AdmissionTest, SeamRefusesANonCanonicalLeaf) {
  SimRunner a(0x21);
  const std::string text = " " + testing::envelope_text(a.registration());
  Submission s;
  s.entry.assign(text.begin(), text.end());
  s.key_id = a.key_id;
  EXPECT_THAT(seq_->submit(std::move(s)).get(), HasCode(ErrorCode::kAdmissionMalformedEnvelope));
  // The exact leaf with a key_id not the registration's.
  auto sub = admission_->prepare(proofs::serialize_envelope(a.registration()), Json());
  ASSERT_OK(sub);
  sub->key_id = SimRunner(0x22).key_id;
  EXPECT_THAT(seq_->submit(std::move(*sub)).get(), HasCode(ErrorCode::kInvalidArgument));
  EXPECT_EQ(seq_->size(), 0u);
}

TEST_F(AdmissionTest, CollateralMustTravelWithTheRegistration) {
  SimRunner a(0x21);
  const proofs::Bytes blob{'t', 'c', 'b'};
  const auto digest = proofs::sha256(blob);
  auto p = a.predicate();
  p.evidence.collateral["tcb_info"] = digest;
  const auto env = a.registration(p);
  EXPECT_THAT(submit(env), HasCode(ErrorCode::kAdmissionMissingBlob));
  // A blob whose name is not its digest, bad hex, bad base64.
  Json wrong = {{std::string(64, '0'), proofs::base64_encode(blob)}};
  EXPECT_THAT(submit(env, wrong), HasCode(ErrorCode::kHttpBadRequest));
  EXPECT_THAT(submit(env, Json{{"XYZ", proofs::base64_encode(blob)}}), HasCode(ErrorCode::kHttpBadRequest));
  EXPECT_THAT(submit(env, Json{{proofs::hex_encode(digest), "***"}}), HasCode(ErrorCode::kHttpBadRequest));
  EXPECT_THAT(submit(env, Json::array()), HasCode(ErrorCode::kHttpBadRequest));
  EXPECT_THAT(store_->read_blob(digest), HasCode(ErrorCode::kNotFound));
  // The seam checks the blobs too (a Submission built without prepare()).
  Submission bare;
  const std::string leaf = *proofs::envelope_leaf(env);
  bare.entry.assign(leaf.begin(), leaf.end());
  bare.key_id = a.key_id;
  EXPECT_THAT(seq_->submit(std::move(bare)).get(), HasCode(ErrorCode::kAdmissionMissingBlob));
  EXPECT_EQ(seq_->size(), 0u);

  // With the blob the registration passes the blob check and is then judged
  // on its evidence (sim-v1 takes no collateral); prepare() carries exactly
  // the named blobs for the sequencer to store.
  Json blobs = {{proofs::hex_encode(digest), proofs::base64_encode(blob)},
                {proofs::hex_encode(proofs::sha256(proofs::Bytes{'u'})), proofs::base64_encode(proofs::Bytes{'u'})}};
  auto sub = admission_->prepare(proofs::serialize_envelope(env), blobs);
  ASSERT_OK(sub);
  ASSERT_EQ(sub->blobs.size(), 1u);
  EXPECT_EQ(sub->blobs[0], blob);
  EXPECT_EQ(sub->key_id, std::optional<std::string>(a.key_id));
  EXPECT_THAT(submit(env, blobs), HasCode(ErrorCode::kAdmissionEvidenceRejected));
  EXPECT_THAT(store_->read_blob(digest), HasCode(ErrorCode::kNotFound));
}

}  // namespace
}  // namespace verun::log
