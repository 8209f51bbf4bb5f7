// nitro-cose without the shared corpus: synthetic attestation documents
// signed by a synthetic P-384 chain made here, trusted only through
// NitroOptions::roots. A negative test for every check of cose.h and
// nitro.h: byte flips, truncations, algorithm, missing and mistyped fields,
// limits, validity at the document time, pinning and links.
#include "verun/proofs/evidence/nitro.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "tests/proofs/nitro/nitro_testing.h"
#include "tests/support/matchers.h"
#include "verun/proofs/evidence/evidence.h"
#include "verun/proofs/sha2.h"

namespace verun::proofs {
namespace {

using ::verun::testing::HasCode;
using ::verun::testing::IsOk;
using namespace ::verun::proofs::nitro_testing;

class NitroSynthetic : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { chain_ = new Chain(); }
  static void TearDownTestSuite() {
    delete chain_;
    chain_ = nullptr;
  }

  static const Chain& chain() { return *chain_; }

  NitroOptions options() const {
    NitroOptions o;
    o.roots = {sha256(chain().root)};
    return o;
  }

  Bytes document(const std::vector<Entry>& entries) const {
    return make_document(cbor_map(entries), chain().leaf_key.get());
  }
  Bytes valid_document() const { return document(sample_entries(chain())); }

  // The entries with `key`'s value replaced (or removed when value is empty).
  static std::vector<Entry> with(std::vector<Entry> entries, const std::string& key, Bytes value) {
    for (auto it = entries.begin(); it != entries.end(); ++it)
      if (it->key == key) {
        if (value.empty()) entries.erase(it);
        else it->value = std::move(value);
        return entries;
      }
    entries.push_back({key, std::move(value)});
    return entries;
  }

  static inline Chain* chain_ = nullptr;
};

TEST_F(NitroSynthetic, ValidDocumentGivesItsClaims) {
  const Bytes doc = valid_document();
  Result<VerifiedNitro> v = verify_nitro_evidence_detailed(doc, options());
  ASSERT_OK(v);
  const Claims& c = v->claims;
  EXPECT_EQ(c.format, "nitro-cose");
  EXPECT_EQ(c.platform, Platform::kNitro);
  EXPECT_FALSE(c.debug);
  EXPECT_EQ(c.measurements.size(), 16u);
  EXPECT_EQ(c.measurement, sample_pcrs().at(0));
  EXPECT_EQ(c.measurements.at("pcr4"), sample_pcrs().at(4));
  EXPECT_TRUE(std::equal(c.report_data.begin(), c.report_data.end(), sample_user_data().begin()));
  EXPECT_EQ(to_string(c.instance_id), "i-0123-enc0456");
  ASSERT_EQ(c.chain_fingerprints.size(), 3u);
  EXPECT_EQ(c.chain_fingerprints[0], sha256(chain().leaf));
  EXPECT_EQ(c.chain_fingerprints[1], sha256(chain().ca));
  EXPECT_EQ(c.chain_fingerprints[2], sha256(chain().root));
  EXPECT_EQ(c.timestamp, (Timestamp{kDocSeconds, 545'000'000}));
  EXPECT_EQ(v->as_of, (Timestamp{kDocSeconds, 545'000'000}));
  EXPECT_EQ(c.public_key, Bytes(91, 0x04));
  EXPECT_EQ(c.user_data, sample_user_data());
  EXPECT_FALSE(c.nonce.has_value());
  const Json j = claims_to_json(c);
  EXPECT_EQ(j["platform"], "nitro");
  EXPECT_EQ(j["public_key"].get<std::string>().size(), 182u);
  EXPECT_FALSE(j.contains("nonce"));
  EXPECT_EQ(j["timestamp"], "2024-09-07T14:37:39.545Z");
}

TEST_F(NitroSynthetic, TaggedDocumentVerifiesOtherTagsDoNot) {
  const Bytes payload = cbor_map(sample_entries(chain()));
  EXPECT_OK(verify_nitro_evidence(make_document(payload, chain().leaf_key.get(), es384_protected(), true), options()));
  Bytes other = make_document(payload, chain().leaf_key.get());
  other.insert(other.begin(), 0xD1);  // tag 17 (COSE_Mac0)
  EXPECT_THAT(verify_nitro_evidence(other, options()), HasCode(ErrorCode::kNitroCoseMalformed));
}

TEST_F(NitroSynthetic, ShippedRootsAndTrustDirDoNotTrustATestRoot) {
  const Bytes doc = valid_document();
  EXPECT_THAT(verify_nitro_evidence(doc), HasCode(ErrorCode::kEvidenceRootNotPinned));
  NitroOptions o;
  o.trusted_certs = {chain().root, chain().ca};
  EXPECT_THAT(verify_nitro_evidence(doc, o), HasCode(ErrorCode::kEvidenceRootNotPinned));
  Evidence e;
  e.format = EvidenceFormat::kNitroCose;
  e.data = doc;
  EvidenceOptions eo;
  eo.trusted_certs = {chain().root};
  EXPECT_THAT(verify_evidence(e, eo), HasCode(ErrorCode::kEvidenceRootNotPinned));
}

TEST_F(NitroSynthetic, TrustedCertsCompleteABundleWithoutItsRoot) {
  const Bytes doc = document(with(sample_entries(chain()), "cabundle", cbor_cabundle({chain().ca})));
  EXPECT_THAT(verify_nitro_evidence(doc, options()), HasCode(ErrorCode::kEvidenceRootNotPinned));
  NitroOptions o = options();
  o.trusted_certs = {chain().ca, chain().root};
  Result<Claims> c = verify_nitro_evidence(doc, o);
  ASSERT_OK(c);
  EXPECT_EQ(c->chain_fingerprints.back(), sha256(chain().root));
  // A trusted certificate that did not issue cabundle[0] does not help.
  Chain other;
  o.trusted_certs = {other.root};
  o.roots.push_back(sha256(other.root));
  EXPECT_THAT(verify_nitro_evidence(doc, o), HasCode(ErrorCode::kEvidenceRootNotPinned));
}

TEST_F(NitroSynthetic, EvidenceDispatcherTakesNoCertsOrCollateral) {
  Evidence e;
  e.format = EvidenceFormat::kNitroCose;
  e.data = valid_document();
  EXPECT_TRUE(evidence_format_supported(EvidenceFormat::kNitroCose));
  e.certs = {chain().root};
  EXPECT_THAT(verify_evidence(e), HasCode(ErrorCode::kEvidenceUnexpectedMaterial));
  e.certs.clear();
  e.collateral["amd_crl"] = Hash32{};
  EXPECT_THAT(verify_evidence(e), HasCode(ErrorCode::kEvidenceUnexpectedMaterial));
}

TEST_F(NitroSynthetic, EveryByteFlipOfProtectedHeaderAndPayloadFails) {
  const Bytes doc = valid_document();
  const Bytes payload = cbor_map(sample_entries(chain()));
  // Layout: 0x84, protected bstr (1 + 4 bytes), 0xA0, payload bstr head, payload, signature bstr.
  const std::size_t payload_at = std::search(doc.begin(), doc.end(), payload.begin(), payload.end()) - doc.begin();
  ASSERT_LT(payload_at, doc.size());
  std::size_t flips = 0;
  auto flip_fails = [&](std::size_t i) {
    Bytes bad = doc;
    bad[i] ^= 0x01;
    EXPECT_FALSE(verify_nitro_evidence(bad, options())) << "offset " << i;
    ++flips;
  };
  for (std::size_t i = 1; i < 6; ++i) flip_fails(i);  // the protected header
  for (std::size_t i = payload_at; i < payload_at + payload.size(); ++i) flip_fails(i);
  // A flip inside a PCR value (no structure changes) is caught by the signature.
  const Bytes pcr0 = sample_pcrs().at(0);
  const std::size_t pcr_at = std::search(doc.begin(), doc.end(), pcr0.begin(), pcr0.end()) - doc.begin();
  Bytes bad = doc;
  bad[pcr_at + 5] ^= 0x80;
  EXPECT_THAT(verify_nitro_evidence(bad, options()), HasCode(ErrorCode::kEvidenceBadSignature));
  // The signature's own bytes.
  for (std::size_t i = doc.size() - 96; i < doc.size(); i += 7) {
    Bytes s = doc;
    s[i] ^= 0x01;
    EXPECT_THAT(verify_nitro_evidence(s, options()), HasCode(ErrorCode::kEvidenceBadSignature)) << i;
  }
  EXPECT_GT(flips, 1000u);
}

TEST_F(NitroSynthetic, EveryTruncationAndTrailingByteFails) {
  const Bytes doc = valid_document();
  for (std::size_t n = 0; n < doc.size(); ++n) {
    Result<Claims> r = verify_nitro_evidence(ByteView(doc).first(n), options());
    ASSERT_FALSE(r) << "prefix " << n;
    EXPECT_EQ(r.code(), ErrorCode::kNitroCborMalformed) << "prefix " << n;
  }
  Bytes longer = doc;
  longer.push_back(0x00);
  EXPECT_THAT(verify_nitro_evidence(longer, options()), HasCode(ErrorCode::kNitroCborMalformed));
}

TEST_F(NitroSynthetic, AlgorithmMustBeExactlyEs384) {
  const Bytes payload = cbor_map(sample_entries(chain()));
  auto doc_with = [&](const Bytes& prot) { return make_document(payload, chain().leaf_key.get(), prot); };
  EXPECT_THAT(verify_nitro_evidence(doc_with({0xA1, 0x01, 0x26}), options()),  // ES256 (-7)
              HasCode(ErrorCode::kNitroUnsupportedAlgorithm));
  EXPECT_THAT(verify_nitro_evidence(doc_with({0xA1, 0x01, 0x38, 0x23}), options()),  // ES512 (-36)
              HasCode(ErrorCode::kNitroUnsupportedAlgorithm));
  EXPECT_THAT(verify_nitro_evidence(doc_with({0xA2, 0x01, 0x38, 0x22, 0x04, 0x41, 0x00}), options()),  // + kid
              HasCode(ErrorCode::kNitroUnsupportedAlgorithm));
  EXPECT_THAT(verify_nitro_evidence(doc_with({0xA1, 0x02, 0x38, 0x22}), options()),  // label 2
              HasCode(ErrorCode::kNitroUnsupportedAlgorithm));
  EXPECT_THAT(verify_nitro_evidence(doc_with({0xA1, 0x01, 0x22}), options()),  // -3
              HasCode(ErrorCode::kNitroUnsupportedAlgorithm));
  EXPECT_THAT(verify_nitro_evidence(doc_with({0x80}), options()), HasCode(ErrorCode::kNitroUnsupportedAlgorithm));
  EXPECT_THAT(verify_nitro_evidence(doc_with({}), options()), HasCode(ErrorCode::kNitroUnsupportedAlgorithm));
  EXPECT_THAT(verify_nitro_evidence(doc_with({0xA1, 0x01, 0x38, 0x22, 0x00}), options()),
              HasCode(ErrorCode::kNitroUnsupportedAlgorithm));
}

TEST_F(NitroSynthetic, CoseStructureIsStrict) {
  const Bytes payload = cbor_map(sample_entries(chain()));
  const Bytes sig = sign_p1363(chain().leaf_key.get(), cose_sign1_to_be_signed(es384_protected(), payload));
  auto build = [&](std::size_t items, const Bytes& unprotected, const Bytes& sigv, bool payload_as_bytes = true) {
    Bytes d;
    append_cbor_head(d, 4, items);
    append_cbor_bytes(d, es384_protected());
    append(d, unprotected);
    if (payload_as_bytes) append_cbor_bytes(d, payload);
    else append(d, payload);
    if (items > 3) append_cbor_bytes(d, sigv);
    if (items > 4) append(d, cbor_null());
    return d;
  };
  EXPECT_OK(verify_nitro_evidence(build(4, {0xA0}, sig), options()));
  EXPECT_THAT(verify_nitro_evidence(build(3, {0xA0}, sig), options()), HasCode(ErrorCode::kNitroCoseMalformed));
  EXPECT_THAT(verify_nitro_evidence(build(5, {0xA0}, sig), options()), HasCode(ErrorCode::kNitroCoseMalformed));
  EXPECT_THAT(verify_nitro_evidence(build(4, {0xA1, 0x04, 0x41, 0x00}, sig), options()),
              HasCode(ErrorCode::kNitroCoseMalformed));
  EXPECT_THAT(verify_nitro_evidence(build(4, {0x80}, sig), options()), HasCode(ErrorCode::kNitroCoseMalformed));
  EXPECT_THAT(verify_nitro_evidence(build(4, {0xA0}, sig, false), options()), HasCode(ErrorCode::kNitroCoseMalformed));
  EXPECT_THAT(verify_nitro_evidence(build(4, {0xA0}, Bytes(sig.begin(), sig.end() - 1)), options()),
              HasCode(ErrorCode::kNitroCoseMalformed));
  Bytes long_sig = sig;
  long_sig.push_back(0);
  EXPECT_THAT(verify_nitro_evidence(build(4, {0xA0}, long_sig), options()), HasCode(ErrorCode::kNitroCoseMalformed));
  // The top level is not an array; the payload is nil (detached).
  EXPECT_THAT(verify_nitro_evidence(Bytes{0xA0}, options()), HasCode(ErrorCode::kNitroCoseMalformed));
  Bytes detached;
  append_cbor_head(detached, 4, 4);
  append_cbor_bytes(detached, es384_protected());
  detached.push_back(0xA0);
  detached.push_back(0xF6);
  append_cbor_bytes(detached, sig);
  EXPECT_THAT(verify_nitro_evidence(detached, options()), HasCode(ErrorCode::kNitroCoseMalformed));
}

TEST_F(NitroSynthetic, EveryRequiredFieldIsRequired) {
  for (const char* key : {"module_id", "digest", "timestamp", "pcrs", "certificate", "cabundle"}) {
    const Bytes doc = document(with(sample_entries(chain()), key, {}));
    EXPECT_THAT(verify_nitro_evidence(doc, options()), HasCode(ErrorCode::kNitroMissingField)) << key;
  }
  std::map<std::uint64_t, Bytes> no_pcr0 = sample_pcrs();
  no_pcr0.erase(0);
  EXPECT_THAT(verify_nitro_evidence(document(with(sample_entries(chain()), "pcrs", cbor_pcrs(no_pcr0))), options()),
              HasCode(ErrorCode::kNitroMissingField));
  // The optional ones may be absent or null.
  std::vector<Entry> minimal = sample_entries(chain());
  for (const char* key : {"public_key", "user_data", "nonce"}) minimal = with(minimal, key, {});
  Result<Claims> c = verify_nitro_evidence(document(minimal), options());
  ASSERT_OK(c);
  EXPECT_EQ(c->report_data, Hash64{});
  EXPECT_FALSE(c->public_key || c->user_data || c->nonce);
  std::vector<Entry> nulls = sample_entries(chain());
  for (const char* key : {"public_key", "user_data", "nonce"}) nulls = with(nulls, key, cbor_null());
  EXPECT_OK(verify_nitro_evidence(document(nulls), options()));
}

TEST_F(NitroSynthetic, WrongTypesAndLengthsAreMalformed) {
  struct Case {
    const char* key;
    Bytes value;
  };
  Bytes big_pcr_map;
  const std::vector<Case> cases = {
      {"module_id", cbor_bytes(to_bytes("i-0123"))},
      {"module_id", cbor_text("")},
      {"module_id", cbor_text(std::string(257, 'a'))},
      {"digest", cbor_text("SHA256")},
      {"digest", cbor_bytes(to_bytes("SHA384"))},
      {"timestamp", cbor_text("1725719859545")},
      {"timestamp", Bytes{0x20}},  // -1
      {"timestamp", cbor_uint(0)},
      {"timestamp", cbor_uint(253'402'300'800'000ULL)},  // year 10000
      {"timestamp", Bytes{0xFB, 0x42, 0x79, 0x1C, 0xCE, 0xB5, 0x15, 0x90, 0x00}},  // a float
      {"pcrs", cbor_cabundle({Bytes(48, 1)})},
      {"pcrs", cbor_pcrs({{0, Bytes(47, 1)}})},
      {"pcrs", cbor_pcrs({{0, Bytes(48, 1)}, {32, Bytes(48, 1)}})},
      {"pcrs", Bytes{0xA0}},
      {"pcrs", Bytes{0xA1, 0x20, 0x58, 0x30}},  // negative index (value cut short: caught first as malformed)
      {"pcrs", Bytes{0xA2, 0x00, 0x41, 0x00, 0x00, 0x41, 0x00}},
      {"certificate", cbor_text("MIIB")},
      {"certificate", cbor_bytes(Bytes(1025, 0x30))},
      {"certificate", cbor_bytes(Bytes{})},
      {"cabundle", cbor_bytes(chain().root)},
      {"cabundle", cbor_cabundle({})},
      {"cabundle", cbor_cabundle(std::vector<Bytes>(17, chain().root))},
      {"public_key", cbor_bytes(Bytes{})},
      {"public_key", cbor_text("key")},
      {"user_data", cbor_bytes(Bytes(1025, 1))},
      {"user_data", cbor_uint(1)},
      {"nonce", cbor_bytes(Bytes(1025, 1))},
      {"nonce", Bytes{0xF5}},  // true
  };
  for (const Case& c : cases) {
    const Bytes doc = document(with(sample_entries(chain()), c.key, c.value));
    Result<Claims> r = verify_nitro_evidence(doc, options());
    ASSERT_FALSE(r) << c.key;
    EXPECT_TRUE(r.code() == ErrorCode::kNitroPayloadMalformed || r.code() == ErrorCode::kNitroCborMalformed)
        << c.key << ": " << r.error().message;
  }
  // Exactly payload_malformed where the CBOR itself is fine.
  EXPECT_THAT(verify_nitro_evidence(document(with(sample_entries(chain()), "digest", cbor_text("SHA512"))), options()),
              HasCode(ErrorCode::kNitroPayloadMalformed));
  std::vector<Entry> dup = sample_entries(chain());
  dup.push_back({"nonce", cbor_null()});
  EXPECT_THAT(verify_nitro_evidence(document(dup), options()), HasCode(ErrorCode::kNitroPayloadMalformed));
  std::vector<Entry> unknown = sample_entries(chain());
  unknown.push_back({"extra", cbor_null()});
  EXPECT_THAT(verify_nitro_evidence(document(unknown), options()), HasCode(ErrorCode::kNitroPayloadMalformed));
  // A non-text key.
  Bytes payload = cbor_map(sample_entries(chain()));
  payload[0] += 1;  // one more entry
  payload.push_back(0x01);
  payload.push_back(0xF6);
  EXPECT_THAT(verify_nitro_evidence(make_document(payload, chain().leaf_key.get()), options()),
              HasCode(ErrorCode::kNitroPayloadMalformed));
  // The payload is not a map.
  EXPECT_THAT(verify_nitro_evidence(make_document(cbor_text("x"), chain().leaf_key.get()), options()),
              HasCode(ErrorCode::kNitroPayloadMalformed));
  // 24-byte PCRs, 32- and 64-byte ones are allowed (AWS: 32, 48 or 64).
  for (std::size_t n : {32u, 64u}) {
    std::map<std::uint64_t, Bytes> p = {{0, Bytes(n, 7)}};
    EXPECT_OK(verify_nitro_evidence(document(with(sample_entries(chain()), "pcrs", cbor_pcrs(p))), options())) << n;
  }
}

TEST_F(NitroSynthetic, LimitsOnSizeDepthAndCollections) {
  // More than 32 PCR entries: the CBOR limit speaks first.
  std::map<std::uint64_t, Bytes> many;
  for (std::uint64_t i = 0; i < 33; ++i) many[i] = Bytes(48, 1);
  EXPECT_THAT(verify_nitro_evidence(document(with(sample_entries(chain()), "pcrs", cbor_pcrs(many))), options()),
              HasCode(ErrorCode::kNitroTooLarge));
  // A payload map of 40 entries.
  std::vector<Entry> wide = sample_entries(chain());
  for (int i = 0; i < 31; ++i) wide.push_back({"x" + std::to_string(i), cbor_null()});
  EXPECT_THAT(verify_nitro_evidence(document(wide), options()), HasCode(ErrorCode::kNitroTooLarge));
  // Nesting in a field value.
  Bytes deep(10, 0x81);
  deep.push_back(0x00);
  EXPECT_THAT(verify_nitro_evidence(document(with(sample_entries(chain()), "nonce", deep)), options()),
              HasCode(ErrorCode::kNitroTooLarge));
  // A document over 16 KiB, and one with a huge declared length.
  Bytes big = valid_document();
  big.resize(kNitroMaxDocumentSize + 1);
  EXPECT_THAT(verify_nitro_evidence(big, options()), HasCode(ErrorCode::kNitroTooLarge));
  const Bytes huge = {0x84, 0x5B, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};
  EXPECT_THAT(verify_nitro_evidence(huge, options()), HasCode(ErrorCode::kNitroCborMalformed));
  const Bytes huge_array = {0x9B, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};
  EXPECT_THAT(verify_nitro_evidence(huge_array, options()), HasCode(ErrorCode::kNitroTooLarge));
  // A tag chain.
  Bytes tags(20, 0xD2);
  append(tags, valid_document());
  EXPECT_THAT(verify_nitro_evidence(tags, options()), HasCode(ErrorCode::kNitroTooLarge));
}

TEST_F(NitroSynthetic, IndefiniteMapsAreAcceptedIndefiniteStringsAreNot) {
  Bytes payload = cbor_map(sample_entries(chain()));
  payload[0] = 0xBF;  // indefinite-length map
  payload.push_back(0xFF);
  EXPECT_OK(verify_nitro_evidence(make_document(payload, chain().leaf_key.get()), options()));
  // An indefinite byte string for the nonce (two chunks).
  const Bytes chunks = {0x5F, 0x41, 0x01, 0x41, 0x02, 0xFF};
  EXPECT_THAT(verify_nitro_evidence(document(with(sample_entries(chain()), "nonce", chunks)), options()),
              HasCode(ErrorCode::kNitroCborMalformed));
  // A stray break.
  EXPECT_THAT(verify_nitro_evidence(document(with(sample_entries(chain()), "nonce", Bytes{0xFF})), options()),
              HasCode(ErrorCode::kNitroCborMalformed));
}

TEST_F(NitroSynthetic, CertificatesMustBeValidAtTheDocumentTime) {
  // A leaf that expired an hour before the document was made.
  Chain expired(kDocSeconds - 4 * kHour, kDocSeconds - kHour);
  NitroOptions o;
  o.roots = {sha256(expired.root)};
  std::vector<Entry> e = sample_entries(expired);
  const Bytes doc = make_document(cbor_map(e), expired.leaf_key.get());
  EXPECT_THAT(verify_nitro_evidence(doc, o), HasCode(ErrorCode::kEvidenceCertExpired));
  // ... but a given as-of time inside its validity wins.
  o.at = Timestamp{kDocSeconds - 2 * kHour, 0};
  EXPECT_OK(verify_nitro_evidence(doc, o));
  // A leaf not yet valid at the document time.
  Chain future(kDocSeconds + kHour, kDocSeconds + 3 * kHour);
  NitroOptions f;
  f.roots = {sha256(future.root)};
  EXPECT_THAT(verify_nitro_evidence(make_document(cbor_map(sample_entries(future)), future.leaf_key.get()), f),
              HasCode(ErrorCode::kEvidenceCertNotYetValid));
  // The valid document checked at a later time.
  NitroOptions late = options();
  late.at = Timestamp{kDocSeconds + 3 * kHour, 0};
  EXPECT_THAT(verify_nitro_evidence(valid_document(), late), HasCode(ErrorCode::kEvidenceCertExpired));
}

TEST_F(NitroSynthetic, ChainMustLinkToThePinnedRoot) {
  // A different root pinned.
  NitroOptions o;
  Chain other;
  o.roots = {sha256(other.root)};
  EXPECT_THAT(verify_nitro_evidence(valid_document(), o), HasCode(ErrorCode::kEvidenceRootNotPinned));
  // The bundle in the wrong order (root last).
  const Bytes reversed = document(with(sample_entries(chain()), "cabundle", cbor_cabundle({chain().ca, chain().root})));
  NitroOptions both = options();
  both.roots.push_back(sha256(chain().ca));  // even with the CA pinned, the links fail
  EXPECT_THAT(verify_nitro_evidence(reversed, both), HasCode(ErrorCode::kEvidenceChainInvalid));
  // A CA from another chain in the middle.
  const Bytes foreign = document(with(sample_entries(chain()), "cabundle", cbor_cabundle({chain().root, other.ca})));
  EXPECT_THAT(verify_nitro_evidence(foreign, options()), HasCode(ErrorCode::kEvidenceChainInvalid));
  // The CA certificate in place of the leaf: no link to the last CA.
  const Bytes ca_as_leaf = document(with(sample_entries(chain()), "certificate", cbor_bytes(chain().ca)));
  EXPECT_THAT(verify_nitro_evidence(ca_as_leaf, options()), HasCode(ErrorCode::kEvidenceChainInvalid));
  // A well-chained leaf that is not the one that signed the document.
  PkeyPtr sibling_key = make_p384();
  const Bytes sibling = make_cert({"i-sibling", "test.zonal", sibling_key.get(), chain().ca_key.get(), false, 8});
  const Bytes wrong_leaf = document(with(sample_entries(chain()), "certificate", cbor_bytes(sibling)));
  EXPECT_THAT(verify_nitro_evidence(wrong_leaf, options()), HasCode(ErrorCode::kEvidenceBadSignature));
  // A document signed by a key the leaf does not certify.
  const Bytes forged = make_document(cbor_map(sample_entries(chain())), other.leaf_key.get());
  EXPECT_THAT(verify_nitro_evidence(forged, options()), HasCode(ErrorCode::kEvidenceBadSignature));
  // Garbage in place of a certificate.
  const Bytes garbage = document(with(sample_entries(chain()), "certificate", cbor_bytes(Bytes(100, 0x30))));
  EXPECT_THAT(verify_nitro_evidence(garbage, options()), HasCode(ErrorCode::kX509Malformed));
  // A P-256 leaf.
  PkeyPtr p256(EVP_EC_gen("P-256"));
  const Bytes p256_leaf = make_cert({"i-p256", "test.zonal", p256.get(), chain().ca_key.get(), false, 9});
  const Bytes p256_doc = document(with(sample_entries(chain()), "certificate", cbor_bytes(p256_leaf)));
  EXPECT_THAT(verify_nitro_evidence(p256_doc, options()), HasCode(ErrorCode::kEvidenceChainInvalid));
}

TEST_F(NitroSynthetic, DebugEnclaveVerifiesWithDebugClaim) {
  const Bytes doc = document(with(sample_entries(chain()), "pcrs", cbor_pcrs(sample_pcrs(true))));
  Result<Claims> c = verify_nitro_evidence(doc, options());
  ASSERT_OK(c);
  EXPECT_TRUE(c->debug);
}

TEST_F(NitroSynthetic, UserDataOtherThan64BytesLeavesReportDataZero) {
  for (std::size_t n : {0u, 32u, 63u, 65u, 1024u}) {
    const Bytes doc = document(with(sample_entries(chain()), "user_data", cbor_bytes(Bytes(n, 0x5A))));
    Result<Claims> c = verify_nitro_evidence(doc, options());
    ASSERT_OK(c) << n;
    EXPECT_EQ(c->report_data, Hash64{}) << n;
    EXPECT_EQ(c->user_data, Bytes(n, 0x5A));
  }
}

RC_GTEST_PROP(NitroProperty, ArbitraryBytesNeverCrashAndNeverVerify, (const std::vector<std::uint8_t>& junk)) {
  Result<ParsedNitro> p = parse_nitro_document(junk);
  RC_ASSERT(!verify_nitro_evidence(junk));
  if (p) RC_ASSERT(!p->cose.signature.empty());
}

RC_GTEST_PROP(NitroProperty, AnySingleByteChangeOfAValidDocumentFails, ()) {
  static const Chain c;
  static const Bytes doc = make_document(cbor_map(sample_entries(c)), c.leaf_key.get());
  NitroOptions o;
  o.roots = {sha256(c.root)};
  const auto i = *rc::gen::inRange<std::size_t>(0, doc.size());
  const auto x = *rc::gen::inRange<int>(1, 256);
  Bytes bad = doc;
  bad[i] ^= static_cast<std::uint8_t>(x);
  RC_ASSERT(!verify_nitro_evidence(bad, o));
}

}  // namespace
}  // namespace verun::proofs
