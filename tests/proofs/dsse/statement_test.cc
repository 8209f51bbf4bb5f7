// in-toto Statement v1: the shared vectors (shared/vectors/crypto/in-toto),
// the general parser's rules, and verun's strict subject rule.
#include "tests/support/matchers.h"
#include "tests/support/vectors.h"
#include "verun/proofs/hex.h"
#include "verun/proofs/intoto/statement.h"
#include "verun/proofs/json/jcs.h"

namespace verun::proofs {
namespace {

using verun::testing::HasCode;
using verun::testing::read_file;
using verun::testing::read_json;
using verun::testing::report_vector_count;

// The Go library's error names, mapped to the codes verun gives.
ErrorCode code_for(const std::string& go_error) {
  if (go_error == "ErrInvalidStatementType") return ErrorCode::kStatementBadType;
  if (go_error == "ErrSubjectRequired" || go_error == "ErrRDRequiredField" || go_error == "ErrDigestRequired")
    return ErrorCode::kStatementBadSubject;
  if (go_error == "ErrPredicateTypeRequired") return ErrorCode::kStatementBadPredicateType;
  if (go_error == "ErrPredicateRequired") return ErrorCode::kStatementMissingPredicate;
  return ErrorCode::kInternal;
}

TEST(InTotoStatement, SpecAndGoVectors) {
  VERUN_REQUIRE_VECTORS(dir, "crypto/in-toto");
  auto j = read_json(dir / "statements.json");
  auto want = read_json(dir / "expected.json").at("expected").at("statements.json");
  std::size_t n = 0, spec_valid = 0, spec_invalid = 0, verun_accepted = 0;
  for (const auto& e : j.at("statements")) {
    std::string name = e.at("name");
    std::string text = e.at("json");
    bool valid = e.at("spec_v1_valid").get<bool>();
    SCOPED_TRACE(name);
    // The spec's rule: predicate optional.
    auto spec = parse_statement(std::string_view(text), JsonProfile::kGeneral, PredicateRule::kOptional);
    EXPECT_EQ(spec.has_value(), valid) << (spec ? "" : spec.error().to_string());
    // verun's rule (DESIGN.md §10): predicate required; otherwise the same.
    auto strict = parse_statement(std::string_view(text), JsonProfile::kGeneral, PredicateRule::kRequired);
    bool missing_predicate = name == "statement_test.go 'missing predicate'";
    EXPECT_EQ(strict.has_value(), valid && !missing_predicate);
    if (missing_predicate) {
      EXPECT_THAT(strict, HasCode(ErrorCode::kStatementMissingPredicate));
      ASSERT_OK(spec);
      EXPECT_FALSE(spec->predicate.has_value());
    }
    if (!valid) {
      ErrorCode code = e.at("go_validate_error").is_null() ? ErrorCode::kStatementBadType  // the v0.1 type
                                                           : code_for(e.at("go_validate_error"));
      EXPECT_THAT(spec, HasCode(code));
    }
    ++n;
    valid ? ++spec_valid : ++spec_invalid;
    verun_accepted += strict.has_value();
  }
  EXPECT_EQ(n, want.at("entries").get<std::size_t>());
  EXPECT_EQ(spec_valid, want.at("spec_v1_valid").get<std::size_t>());
  EXPECT_EQ(spec_invalid, want.at("spec_v1_invalid").get<std::size_t>());
  EXPECT_EQ(n, 17u);
  EXPECT_EQ(spec_valid, 9u);
  EXPECT_EQ(verun_accepted, 8u);
  report_vector_count("in-toto Statement v1 examples", n);
}

TEST(InTotoStatement, SigstoreSlsaStatement) {
  VERUN_REQUIRE_VECTORS(dir, "crypto/in-toto");
  auto want = read_json(dir / "expected.json").at("expected").at("sigstore-happy-path-statement.json");
  std::string text = read_file(dir / "sigstore-happy-path-statement.json");
  auto st = parse_statement(std::string_view(text));
  ASSERT_OK(st);
  EXPECT_TRUE(want.at("spec_v1_valid").get<bool>());
  EXPECT_EQ(st->predicate_type, want.at("predicateType").get<std::string>());
  ASSERT_EQ(st->subject.size(), 1u);
  EXPECT_EQ(st->subject[0].name, "a.txt");
  ASSERT_EQ(st->subject[0].digest.count("sha256"), 1u);
  EXPECT_OK(hex_decode32(st->subject[0].digest.at("sha256")));
  // It is verun JSON too (no floats or nulls), but not a verun statement.
  EXPECT_OK(parse_statement(std::string_view(text), JsonProfile::kVerun));
  EXPECT_THAT(parse_verun_statement(as_bytes(text), "https://slsa.dev/provenance/v1", "output"),
              HasCode(ErrorCode::kStatementBadSubject));
  auto as_verun = parse_verun_statement(as_bytes(text), "https://slsa.dev/provenance/v1", "a.txt");
  ASSERT_OK(as_verun);
  EXPECT_EQ(hex_encode(as_verun->subject_digest), st->subject[0].digest.at("sha256"));
  report_vector_count("Sigstore SLSA statement", 1);
}

Json good_statement() {
  return parse_json(R"({"_type":"https://in-toto.io/Statement/v1",
    "subject":[{"name":"output","digest":{"sha256":"0000000000000000000000000000000000000000000000000000000000000001"}}],
    "predicateType":"https://example.com/P/v1","predicate":{"k":1}})")
      .value();
}

std::string jcs(const Json& j) { return jcs_serialize(j, JsonProfile::kGeneral).value(); }

TEST(InTotoStatement, GeneralRules) {
  Json g = good_statement();
  ASSERT_OK(parse_statement(g));
  auto expect_code = [](const Json& j, ErrorCode code) { EXPECT_THAT(parse_statement(j), HasCode(code)) << j; };
  Json j = g;
  j["unknown"] = Json::array({1, 2});
  EXPECT_OK(parse_statement(j));  // unknown top-level fields are ignored
  j = g;
  j["subject"][0]["uri"] = "https://example.com";
  EXPECT_OK(parse_statement(j));  // other ResourceDescriptor fields are ignored
  j = g;
  j["subject"][0].erase("name");
  EXPECT_OK(parse_statement(j));  // name is optional in a ResourceDescriptor
  j = g;
  j["subject"][0]["digest"]["sha512"] = "abc";
  EXPECT_OK(parse_statement(j));  // any algorithms, values as written

  j = g;
  j.erase("_type");
  expect_code(j, ErrorCode::kStatementBadType);
  j = g;
  j["_type"] = "https://in-toto.io/Statement/v1 ";
  expect_code(j, ErrorCode::kStatementBadType);
  j = g;
  j["_type"] = 1;
  expect_code(j, ErrorCode::kStatementMalformed);
  j = g;
  j.erase("subject");
  expect_code(j, ErrorCode::kStatementBadSubject);
  j = g;
  j["subject"] = Json::object();
  expect_code(j, ErrorCode::kStatementMalformed);
  j = g;
  j["subject"][0] = "output";
  expect_code(j, ErrorCode::kStatementMalformed);
  j = g;
  j["subject"][0]["digest"] = Json::object();
  expect_code(j, ErrorCode::kStatementBadSubject);
  j = g;
  j["subject"][0]["digest"]["sha256"] = 5;
  expect_code(j, ErrorCode::kStatementMalformed);
  j = g;
  j["subject"][0]["name"] = 5;
  expect_code(j, ErrorCode::kStatementMalformed);
  j = g;
  j.erase("predicateType");
  expect_code(j, ErrorCode::kStatementBadPredicateType);
  j = g;
  j["predicateType"] = Json::array();
  expect_code(j, ErrorCode::kStatementMalformed);
  j = g;
  j["predicate"] = "text";
  expect_code(j, ErrorCode::kStatementMalformed);
  j = g;
  j.erase("predicate");
  expect_code(j, ErrorCode::kStatementMissingPredicate);
  EXPECT_OK(parse_statement(j, PredicateRule::kOptional));
  expect_code(Json::array(), ErrorCode::kStatementMalformed);
  EXPECT_THAT(parse_statement(std::string_view("{")), HasCode(ErrorCode::kJsonSyntax));
}

TEST(VerunStatement, SubjectIsExactlyOneNamedSha256DigestSet) {
  Json g = good_statement();
  auto parse = [](const Json& j) { return parse_verun_statement(as_bytes(jcs(j)), "https://example.com/P/v1", "output"); };
  auto ok_st = parse(g);
  ASSERT_OK(ok_st);
  EXPECT_EQ(ok_st->subject_digest[31], 1);
  EXPECT_EQ(ok_st->predicate, g["predicate"]);

  Json j = g;
  j["extension"] = "ignored";
  EXPECT_OK(parse(j));
  j = g;
  j["predicateType"] = "https://example.com/P/v2";
  EXPECT_THAT(parse(j), HasCode(ErrorCode::kStatementBadPredicateType));
  j = g;
  j["subject"].push_back(g["subject"][0]);
  EXPECT_THAT(parse(j), HasCode(ErrorCode::kStatementBadSubject));
  j = g;
  j["subject"][0]["name"] = "input";
  EXPECT_THAT(parse(j), HasCode(ErrorCode::kStatementBadSubject));
  j = g;
  j["subject"][0].erase("name");
  EXPECT_THAT(parse(j), HasCode(ErrorCode::kStatementBadSubject));
  j = g;
  j["subject"][0]["uri"] = "https://example.com";
  EXPECT_THAT(parse(j), HasCode(ErrorCode::kStatementBadSubject));
  j = g;
  j["subject"][0]["digest"]["sha512"] = std::string(128, 'a');
  EXPECT_THAT(parse(j), HasCode(ErrorCode::kStatementBadSubject));
  j = g;
  j["subject"][0]["digest"] = Json::object({{"sha512", std::string(128, 'a')}});
  EXPECT_THAT(parse(j), HasCode(ErrorCode::kStatementBadSubject));
  j = g;
  j["subject"][0]["digest"]["sha256"] = std::string(63, 'a');
  EXPECT_THAT(parse(j), HasCode(ErrorCode::kStatementBadSubject));
  j = g;
  j["subject"][0]["digest"]["sha256"] = std::string(64, 'A');
  EXPECT_THAT(parse(j), HasCode(ErrorCode::kStatementBadSubject));
  j = g;
  j.erase("predicate");
  EXPECT_THAT(parse(j), HasCode(ErrorCode::kStatementMissingPredicate));
  // verun's JSON profile: no floats, no nulls, no duplicate keys.
  j = g;
  j["predicate"]["x"] = 1.5;
  EXPECT_THAT(parse(j), HasCode(ErrorCode::kJsonFloatNotAllowed));
  j = g;
  j["extension"] = nullptr;
  EXPECT_THAT(parse(j), HasCode(ErrorCode::kJsonNullNotAllowed));
  std::string dup = jcs(g);
  dup.insert(1, R"("predicateType":"x",)");
  EXPECT_THAT(parse_verun_statement(as_bytes(dup), "https://example.com/P/v1", "output"),
              HasCode(ErrorCode::kJsonDuplicateKey));
  // At most 65,535 bytes.
  j = g;
  j["predicate"]["pad"] = std::string(70000, 'a');
  EXPECT_THAT(parse(j), HasCode(ErrorCode::kJsonTooLarge));
}

TEST(VerunStatement, MakeWritesTheExactShape) {
  Hash32 d{};
  d[0] = 0xab;
  Json predicate = Json::object();
  predicate["a"] = 1;
  Json st = make_verun_statement("https://example.com/P/v1", "output", d, predicate);
  EXPECT_EQ(jcs(st),
            R"({"_type":"https://in-toto.io/Statement/v1","predicate":{"a":1},"predicateType":"https://example.com/P/v1",)"
            R"("subject":[{"digest":{"sha256":"ab00000000000000000000000000000000000000000000000000000000000000"},)"
            R"("name":"output"}]})");
  auto back = parse_verun_statement(as_bytes(jcs(st)), "https://example.com/P/v1", "output");
  ASSERT_OK(back);
  EXPECT_EQ(back->subject_digest, d);
}

}  // namespace
}  // namespace verun::proofs
