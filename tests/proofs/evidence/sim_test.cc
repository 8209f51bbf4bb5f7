// sim-v1 evidence (DESIGN.md §5, §10 "Bytes"): round trip, and a negative
// test for every rule of the format.
#include "verun/proofs/evidence/sim.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "tests/support/matchers.h"
#include "tests/support/vectors.h"
#include "verun/proofs/base64.h"
#include "verun/proofs/hex.h"
#include "verun/proofs/json/jcs.h"
#include "verun/proofs/sha2.h"

namespace verun::proofs {
namespace {

using ::verun::testing::HasCode;

Ed25519PrivateKey key_from(std::uint8_t fill) {
  Bytes seed(32, fill);
  return Ed25519PrivateKey::from_seed(seed).value();
}

SimReport sample_report() {
  SimReport r;
  for (std::size_t i = 0; i < r.measurement.size(); ++i) r.measurement[i] = static_cast<std::uint8_t>(0xa0 + i);
  for (std::size_t i = 0; i < r.report_data.size(); ++i) r.report_data[i] = static_cast<std::uint8_t>(i * 3);
  r.debug = false;
  r.tcb = 7;
  for (std::size_t i = 0; i < r.instance_id.size(); ++i) r.instance_id[i] = static_cast<std::uint8_t>(0xf0 + i);
  return r;
}

std::string jcs(const Json& j) { return jcs_serialize(j, JsonProfile::kGeneral).value(); }

// The sim-v1 document for a report JSON, signed by key, root set to root.
Json signed_doc(const Json& report, const Ed25519PrivateKey& key, const Ed25519PublicKey& root) {
  Json doc = Json::object();
  doc["report"] = report;
  doc["signature"] = base64_encode(key.sign(as_bytes(jcs(report))));
  doc["root"] = base64_encode(root);
  return doc;
}

// Mutates the report, re-signs it (so only the mutated rule is broken) and
// verifies the canonical bytes.
template <typename F>
Result<Claims> verify_mutated_report(F mutate) {
  auto key = key_from(1);
  Json report = sim_report_to_json(sample_report());
  mutate(report);
  return verify_sim_evidence(as_bytes(jcs(signed_doc(report, key, key.public_key()))));
}

template <typename F>
Result<Claims> verify_mutated_doc(F mutate) {
  auto key = key_from(1);
  Json doc = signed_doc(sim_report_to_json(sample_report()), key, key.public_key());
  mutate(doc);
  return verify_sim_evidence(as_bytes(jcs(doc)));
}

TEST(SimEvidence, RoundTripGivesClaims) {
  auto key = key_from(1);
  SimReport report = sample_report();
  report.debug = true;
  Bytes data = make_sim_evidence(key, report).value();
  auto v = verify_sim_evidence_detailed(data);
  ASSERT_OK(v);
  EXPECT_EQ(v->report, report);
  EXPECT_EQ(v->root, key.public_key());
  const Claims& c = v->claims;
  EXPECT_EQ(c.format, "sim-v1");
  EXPECT_EQ(c.platform, Platform::kSim);
  EXPECT_EQ(c.measurement, Bytes(report.measurement.begin(), report.measurement.end()));
  EXPECT_EQ(c.measurements.at("measurement"), c.measurement);
  EXPECT_TRUE(c.debug);
  EXPECT_EQ(c.tcb.at("tcb"), 7u);
  EXPECT_EQ(c.report_data, report.report_data);
  EXPECT_EQ(c.instance_id, Bytes(report.instance_id.begin(), report.instance_id.end()));
  ASSERT_EQ(c.chain_fingerprints.size(), 1u);
  EXPECT_EQ(c.chain_fingerprints[0], sha256(ByteView(key.public_key())));
  EXPECT_FALSE(c.timestamp.has_value());
  EXPECT_EQ(verify_sim_evidence(data).value(), c);
}

TEST(SimEvidence, DataIsExactlyTheDesignShape) {
  auto key = key_from(1);
  Bytes data = make_sim_evidence(key, sample_report()).value();
  Json doc = Json::parse(as_string_view(data));
  EXPECT_EQ(doc.size(), 3u);
  EXPECT_EQ(doc["report"].size(), 6u);
  EXPECT_EQ(doc["report"]["version"], 1);
  EXPECT_EQ(doc["report"]["measurement"].get<std::string>().size(), 96u);
  EXPECT_EQ(doc["report"]["report_data"].get<std::string>().size(), 128u);
  EXPECT_EQ(doc["report"]["instance_id"].get<std::string>().size(), 32u);
  EXPECT_EQ(to_string(data), jcs(doc));
  // The signature covers JCS(report) under the root.
  EXPECT_OK(ed25519_verify(key.public_key(), as_bytes(jcs(doc["report"])),
                           base64_decode(doc["signature"].get<std::string>()).value()));
}

TEST(SimEvidence, RejectsTcbAboveJsonIntegers) {
  SimReport r = sample_report();
  r.tcb = std::uint64_t{1} << 53;
  EXPECT_THAT(make_sim_evidence(key_from(1), r), HasCode(ErrorCode::kInvalidArgument));
}

TEST(SimEvidence, VerifiesEvidenceMadeByAnotherImplementation) {
  // tests/fuzz/corpus/sim_evidence/ was written by a Python script
  // (`cryptography` Ed25519, json.dumps as JCS), not by make_sim_evidence.
  const std::filesystem::path dir = std::filesystem::path(VERUN_SOURCE_DIR) / "tests/fuzz/corpus/sim_evidence";
  auto valid = verify_sim_evidence(::verun::testing::read_file_bytes(dir / "valid"));
  ASSERT_OK(valid);
  EXPECT_EQ(valid->chain_fingerprints.at(0), sha256(ByteView(key_from(1).public_key())));
  std::string ab;
  for (int i = 0; i < 48; ++i) ab += "ab";
  EXPECT_EQ(hex_encode(valid->measurement), ab);
  EXPECT_EQ(hex_encode(valid->instance_id), "efefefefefefefefefefefefefefefef");
  auto debug = verify_sim_evidence(::verun::testing::read_file_bytes(dir / "debug-max-tcb"));
  ASSERT_OK(debug);
  EXPECT_TRUE(debug->debug);
  EXPECT_EQ(debug->tcb.at("tcb"), (std::uint64_t{1} << 53) - 1);
  EXPECT_THAT(verify_sim_evidence(::verun::testing::read_file_bytes(dir / "flipped-signature")),
              HasCode(ErrorCode::kEvidenceBadSignature));
  EXPECT_THAT(verify_sim_evidence(::verun::testing::read_file_bytes(dir / "pretty-printed")),
              HasCode(ErrorCode::kEvidenceNotCanonical));
  EXPECT_THAT(verify_sim_evidence(::verun::testing::read_file_bytes(dir / "version-2")),
              HasCode(ErrorCode::kEvidenceUnsupportedVersion));
  EXPECT_THAT(verify_sim_evidence(::verun::testing::read_file_bytes(dir / "uppercase-measurement")),
              HasCode(ErrorCode::kEvidenceMalformed));
}

// ---- byte-exact JCS

TEST(SimEvidence, RejectsSameContentWithWhitespace) {
  Bytes data = make_sim_evidence(key_from(1), sample_report()).value();
  Json doc = Json::parse(as_string_view(data));
  EXPECT_THAT(verify_sim_evidence(as_bytes(doc.dump(1))), HasCode(ErrorCode::kEvidenceNotCanonical));
  std::string trailing = to_string(data) + "\n";
  EXPECT_THAT(verify_sim_evidence(as_bytes(trailing)), HasCode(ErrorCode::kEvidenceNotCanonical));
}

TEST(SimEvidence, RejectsSameContentWithMembersReordered) {
  Bytes data = make_sim_evidence(key_from(1), sample_report()).value();
  Json doc = Json::parse(as_string_view(data));
  std::string reordered = "{\"signature\":" + doc["signature"].dump() + ",\"root\":" + doc["root"].dump() +
                          ",\"report\":" + jcs(doc["report"]) + "}";
  EXPECT_THAT(verify_sim_evidence(as_bytes(reordered)), HasCode(ErrorCode::kEvidenceNotCanonical));
}

TEST(SimEvidence, RejectsSameContentWithEscapedCharacter) {
  std::string data = to_string(make_sim_evidence(key_from(1), sample_report()).value());
  auto pos = data.find("\"tcb\"");
  ASSERT_NE(pos, std::string::npos);
  data.replace(pos, 5, "\"\\u0074cb\"");
  EXPECT_THAT(verify_sim_evidence(as_bytes(data)), HasCode(ErrorCode::kEvidenceNotCanonical));
}

// ---- not JSON, too large

TEST(SimEvidence, RejectsNonJsonAndOversizedData) {
  EXPECT_THAT(verify_sim_evidence({}), HasCode(ErrorCode::kEvidenceMalformed));
  EXPECT_THAT(verify_sim_evidence(as_bytes("{\"report\":")), HasCode(ErrorCode::kEvidenceMalformed));
  EXPECT_THAT(verify_sim_evidence(as_bytes("[]")), HasCode(ErrorCode::kEvidenceMalformed));
  EXPECT_THAT(verify_sim_evidence(as_bytes("\"x\"")), HasCode(ErrorCode::kEvidenceMalformed));
  std::string data = to_string(make_sim_evidence(key_from(1), sample_report()).value());
  std::string truncated = data.substr(0, data.size() - 1);
  EXPECT_THAT(verify_sim_evidence(as_bytes(truncated)), HasCode(ErrorCode::kEvidenceMalformed));
  std::string big(kMaxSimEvidenceBytes + 1, ' ');
  EXPECT_THAT(verify_sim_evidence(as_bytes(big)), HasCode(ErrorCode::kEvidenceMalformed));
}

TEST(SimEvidence, RejectsFloatAndNullEvenIfSigned) {
  // A float or a null is outside verun JSON, so the data is malformed before
  // any field is looked at.
  auto key = key_from(1);
  Json report = sim_report_to_json(sample_report());
  std::string text = jcs(signed_doc(report, key, key.public_key()));
  auto pos = text.find("\"tcb\":7");
  ASSERT_NE(pos, std::string::npos);
  std::string as_float = text;
  as_float.replace(pos, 7, "\"tcb\":7.0");
  EXPECT_THAT(verify_sim_evidence(as_bytes(as_float)), HasCode(ErrorCode::kEvidenceMalformed));
  std::string as_null = text;
  as_null.replace(pos, 7, "\"tcb\":null");
  EXPECT_THAT(verify_sim_evidence(as_bytes(as_null)), HasCode(ErrorCode::kEvidenceMalformed));
}

// ---- every field: missing, extra, wrong type, wrong length, uppercase hex

class SimReportField : public ::testing::TestWithParam<const char*> {};

TEST_P(SimReportField, MissingIsRejected) {
  EXPECT_THAT(verify_mutated_report([](Json& r) { r.erase(GetParam()); }),
              HasCode(ErrorCode::kEvidenceMissingField));
}

TEST_P(SimReportField, WrongTypeIsRejected) {
  // An object is the wrong type for every report field.
  EXPECT_THAT(verify_mutated_report([](Json& r) { r[GetParam()] = Json::object(); }),
              HasCode(ErrorCode::kEvidenceMalformed));
  EXPECT_THAT(verify_mutated_report([](Json& r) { r[GetParam()] = Json::array({1}); }),
              HasCode(ErrorCode::kEvidenceMalformed));
}

INSTANTIATE_TEST_SUITE_P(AllFields, SimReportField,
                         ::testing::Values("version", "measurement", "report_data", "debug", "tcb", "instance_id"));

TEST(SimEvidence, RejectsScalarOfTheWrongType) {
  EXPECT_THAT(verify_mutated_report([](Json& r) { r["version"] = "1"; }), HasCode(ErrorCode::kEvidenceMalformed));
  EXPECT_THAT(verify_mutated_report([](Json& r) { r["version"] = true; }), HasCode(ErrorCode::kEvidenceMalformed));
  EXPECT_THAT(verify_mutated_report([](Json& r) { r["measurement"] = 5; }), HasCode(ErrorCode::kEvidenceMalformed));
  EXPECT_THAT(verify_mutated_report([](Json& r) { r["report_data"] = false; }),
              HasCode(ErrorCode::kEvidenceMalformed));
  EXPECT_THAT(verify_mutated_report([](Json& r) { r["debug"] = "false"; }), HasCode(ErrorCode::kEvidenceMalformed));
  EXPECT_THAT(verify_mutated_report([](Json& r) { r["debug"] = 0; }), HasCode(ErrorCode::kEvidenceMalformed));
  EXPECT_THAT(verify_mutated_report([](Json& r) { r["tcb"] = "7"; }), HasCode(ErrorCode::kEvidenceMalformed));
  EXPECT_THAT(verify_mutated_report([](Json& r) { r["tcb"] = false; }), HasCode(ErrorCode::kEvidenceMalformed));
  EXPECT_THAT(verify_mutated_report([](Json& r) { r["instance_id"] = 12; }), HasCode(ErrorCode::kEvidenceMalformed));
}

TEST(SimEvidence, RejectsExtraReportField) {
  EXPECT_THAT(verify_mutated_report([](Json& r) { r["nonce"] = "00"; }), HasCode(ErrorCode::kEvidenceUnknownField));
  EXPECT_THAT(verify_mutated_report([](Json& r) { r["Debug"] = false; }), HasCode(ErrorCode::kEvidenceUnknownField));
}

TEST(SimEvidence, RejectsTopLevelFieldMissingExtraOrMistyped) {
  for (const char* f : {"report", "signature", "root"})
    EXPECT_THAT(verify_mutated_doc([f](Json& d) { d.erase(f); }), HasCode(ErrorCode::kEvidenceMissingField)) << f;
  EXPECT_THAT(verify_mutated_doc([](Json& d) { d["certs"] = Json::array(); }),
              HasCode(ErrorCode::kEvidenceUnknownField));
  EXPECT_THAT(verify_mutated_doc([](Json& d) { d["report"] = "x"; }), HasCode(ErrorCode::kEvidenceMalformed));
  EXPECT_THAT(verify_mutated_doc([](Json& d) { d["signature"] = 1; }), HasCode(ErrorCode::kEvidenceMalformed));
  EXPECT_THAT(verify_mutated_doc([](Json& d) { d["root"] = Json::array(); }), HasCode(ErrorCode::kEvidenceMalformed));
}

TEST(SimEvidence, RejectsHexOfTheWrongLength) {
  for (const char* f : {"measurement", "report_data", "instance_id"}) {
    EXPECT_THAT(verify_mutated_report([f](Json& r) { r[f] = r[f].get<std::string>().substr(2); }),
                HasCode(ErrorCode::kEvidenceMalformed))
        << f << " one byte short";
    EXPECT_THAT(verify_mutated_report([f](Json& r) { r[f] = r[f].get<std::string>() + "00"; }),
                HasCode(ErrorCode::kEvidenceMalformed))
        << f << " one byte long";
    EXPECT_THAT(verify_mutated_report([f](Json& r) { r[f] = r[f].get<std::string>() + "0"; }),
                HasCode(ErrorCode::kEvidenceMalformed))
        << f << " odd length";
    EXPECT_THAT(verify_mutated_report([f](Json& r) { r[f] = ""; }), HasCode(ErrorCode::kEvidenceMalformed))
        << f << " empty";
  }
  // The sim measurement is SHA-384, never a 64-hex SHA-256.
  EXPECT_THAT(verify_mutated_report([](Json& r) { r["measurement"] = std::string(64, 'a'); }),
              HasCode(ErrorCode::kEvidenceMalformed));
}

TEST(SimEvidence, RejectsUppercaseAndNonHex) {
  for (const char* f : {"measurement", "report_data", "instance_id"}) {
    EXPECT_THAT(verify_mutated_report([f](Json& r) {
                  std::string s = r[f].get<std::string>();
                  s[0] = 'A';
                  r[f] = s;
                }),
                HasCode(ErrorCode::kEvidenceMalformed))
        << f << " uppercase";
    EXPECT_THAT(verify_mutated_report([f](Json& r) {
                  std::string s = r[f].get<std::string>();
                  s[1] = 'g';
                  r[f] = s;
                }),
                HasCode(ErrorCode::kEvidenceMalformed))
        << f << " non-hex";
  }
}

TEST(SimEvidence, RejectsVersionOtherThanOne) {
  EXPECT_THAT(verify_mutated_report([](Json& r) { r["version"] = 2; }),
              HasCode(ErrorCode::kEvidenceUnsupportedVersion));
  EXPECT_THAT(verify_mutated_report([](Json& r) { r["version"] = 0; }),
              HasCode(ErrorCode::kEvidenceUnsupportedVersion));
  EXPECT_THAT(verify_mutated_report([](Json& r) { r["version"] = -1; }),
              HasCode(ErrorCode::kEvidenceUnsupportedVersion));
}

TEST(SimEvidence, TcbMustBeANonNegativeInteger) {
  EXPECT_THAT(verify_mutated_report([](Json& r) { r["tcb"] = -1; }), HasCode(ErrorCode::kEvidenceMalformed));
  EXPECT_OK(verify_mutated_report([](Json& r) { r["tcb"] = 0; }));
  EXPECT_OK(verify_mutated_report([](Json& r) { r["tcb"] = (std::int64_t{1} << 53) - 1; }));
  // 2^53 is outside verun JSON.
  EXPECT_THAT(verify_mutated_report([](Json& r) { r["tcb"] = std::int64_t{1} << 53; }),
              HasCode(ErrorCode::kEvidenceMalformed));
}

TEST(SimEvidence, RejectsBadBase64AndWrongLengths) {
  EXPECT_THAT(verify_mutated_doc([](Json& d) {
                Bytes sig = base64_decode(d["signature"].get<std::string>()).value();
                sig.pop_back();
                d["signature"] = base64_encode(sig);
              }),
              HasCode(ErrorCode::kEvidenceMalformed));
  EXPECT_THAT(verify_mutated_doc([](Json& d) {
                Bytes root = base64_decode(d["root"].get<std::string>()).value();
                root.push_back(0);
                d["root"] = base64_encode(root);
              }),
              HasCode(ErrorCode::kEvidenceMalformed));
  // Unpadded and URL-safe base64 are refused (only DSSE accepts them).
  EXPECT_THAT(verify_mutated_doc([](Json& d) {
                std::string s = d["root"].get<std::string>();
                s.pop_back();
                d["root"] = s;
              }),
              HasCode(ErrorCode::kEvidenceMalformed));
  EXPECT_THAT(verify_mutated_doc([](Json& d) { d["signature"] = base64url_encode(Bytes(64, 0xff)); }),
              HasCode(ErrorCode::kEvidenceMalformed));
}

// ---- the signature

TEST(SimEvidence, RejectsFlippedSignatureBit) {
  for (std::size_t bit : {0u, 7u, 200u, 511u}) {
    EXPECT_THAT(verify_mutated_doc([bit](Json& d) {
                  Bytes sig = base64_decode(d["signature"].get<std::string>()).value();
                  sig[bit / 8] ^= static_cast<std::uint8_t>(1u << (bit % 8));
                  d["signature"] = base64_encode(sig);
                }),
                HasCode(ErrorCode::kEvidenceBadSignature))
        << "bit " << bit;
  }
}

TEST(SimEvidence, RejectsReportChangedAfterSigning) {
  auto key = key_from(1);
  Json doc = signed_doc(sim_report_to_json(sample_report()), key, key.public_key());
  for (auto mutate : std::vector<std::function<void(Json&)>>{
           [](Json& r) { r["debug"] = true; },
           [](Json& r) { r["tcb"] = 8; },
           [](Json& r) { r["measurement"] = std::string(96, '0'); },
           [](Json& r) { r["report_data"] = std::string(128, '1'); },
           [](Json& r) { r["instance_id"] = std::string(32, '2'); }}) {
    Json changed = doc;
    mutate(changed["report"]);
    EXPECT_THAT(verify_sim_evidence(as_bytes(jcs(changed))), HasCode(ErrorCode::kEvidenceBadSignature));
  }
}

TEST(SimEvidence, RejectsRootSwappedUnderTheSameSignature) {
  auto key = key_from(1);
  auto other = key_from(2);
  Json report = sim_report_to_json(sample_report());
  EXPECT_THAT(verify_sim_evidence(as_bytes(jcs(signed_doc(report, key, other.public_key())))),
              HasCode(ErrorCode::kEvidenceBadSignature));
  // A root that is not a curve point cannot verify anything.
  Ed25519PublicKey junk{};
  junk.fill(0xff);
  EXPECT_THAT(verify_sim_evidence(as_bytes(jcs(signed_doc(report, key, junk)))),
              HasCode(ErrorCode::kEvidenceBadSignature));
}

TEST(SimEvidence, AnyRootThatSignsVerifiesAndIsNamedByFingerprint) {
  // Whether the root is trusted is the policy's job: here another root that
  // really signed verifies, and the claims name it.
  auto other = key_from(2);
  auto c = verify_sim_evidence(make_sim_evidence(other, sample_report()).value());
  ASSERT_OK(c);
  EXPECT_EQ(c->chain_fingerprints.at(0), sha256(ByteView(other.public_key())));
  EXPECT_NE(c->chain_fingerprints.at(0), sha256(ByteView(key_from(1).public_key())));
}

// ---- properties

RC_GTEST_PROP(SimEvidenceProperty, AnyReportRoundTrips, (std::uint8_t seed_byte, bool debug, std::uint32_t tcb)) {
  auto key = key_from(seed_byte);
  SimReport r = sample_report();
  r.debug = debug;
  r.tcb = tcb;
  auto m = *rc::gen::container<std::vector<std::uint8_t>>(48, rc::gen::arbitrary<std::uint8_t>());
  std::copy(m.begin(), m.end(), r.measurement.begin());
  auto v = verify_sim_evidence_detailed(make_sim_evidence(key, r).value());
  RC_ASSERT(v.has_value());
  RC_ASSERT(v->report == r);
  RC_ASSERT(v->root == key.public_key());
}

RC_GTEST_PROP(SimEvidenceProperty, AnyChangedByteIsRejected, ()) {
  Bytes data = make_sim_evidence(key_from(1), sample_report()).value();
  const auto pos = *rc::gen::inRange<std::size_t>(0, data.size());
  const auto delta = *rc::gen::inRange<int>(1, 256);
  data[pos] = static_cast<std::uint8_t>(data[pos] + delta);
  RC_ASSERT(!verify_sim_evidence(data).has_value());
}

}  // namespace
}  // namespace verun::proofs
