// Loading the policy of DESIGN.md §5, §10: the schema examples, absent vs
// empty lists, lowercasing, limits, and the digest.
#include "verun/verifier/policy.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <string>

#include "tests/support/matchers.h"
#include "tests/support/vectors.h"
#include "verun/proofs/hex.h"
#include "verun/proofs/json/jcs.h"
#include "verun/proofs/sha2.h"

namespace verun::verifier {
namespace {

using ::verun::testing::HasCode;
namespace fs = std::filesystem;

const fs::path kExamples = fs::path(VERUN_SOURCE_DIR) / "schemas/examples/policy";

std::string read(const fs::path& p) { return ::verun::testing::read_file(p); }

std::vector<fs::path> files_in(const fs::path& dir) {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".json") out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

// Each invalid example, named after its mutation, and the code it must fail with.
const std::map<std::string, ErrorCode>& invalid_expectations() {
  static const std::map<std::string, ErrorCode> m = {
      {"duplicate-key", ErrorCode::kPolicyInvalid},
      {"exponent-max-key-age", ErrorCode::kPolicyInvalid},
      {"float-max-evidence-age", ErrorCode::kPolicyInvalid},
      {"missing-platforms", ErrorCode::kPolicyMissingField},
      {"negative-max-key-age", ErrorCode::kPolicyInvalid},
      {"nitro-pcr-leading-zero-index", ErrorCode::kPolicyInvalid},
      {"nitro-unknown-field", ErrorCode::kPolicyUnknownField},
      {"null-tlog-policy", ErrorCode::kPolicyInvalid},
      {"platforms-not-object", ErrorCode::kPolicyInvalid},
      {"revoked-key-wrong-length", ErrorCode::kPolicyInvalid},
      {"revoked-measurement-wrong-length", ErrorCode::kPolicyInvalid},
      {"revoked-unknown-field", ErrorCode::kPolicyUnknownField},
      {"sgx-isv-prod-id-negative", ErrorCode::kPolicyInvalid},
      {"sgx-min-isv-svn-too-large", ErrorCode::kPolicyInvalid},
      {"sim-allow-debug-string", ErrorCode::kPolicyInvalid},
      {"sim-allow-simulation-integer", ErrorCode::kPolicyInvalid},
      {"sim-measurement-not-hex", ErrorCode::kPolicyInvalid},
      {"sim-measurement-sha256-length", ErrorCode::kPolicyInvalid},
      {"sim-min-tcb-negative", ErrorCode::kPolicyInvalid},
      {"sim-min-tcb-string", ErrorCode::kPolicyInvalid},
      {"sim-missing-roots", ErrorCode::kPolicySimRootsRequired},
      {"sim-root-unpadded-base64", ErrorCode::kPolicyInvalid},
      {"sim-root-wrong-length", ErrorCode::kPolicyInvalid},
      {"sim-roots-not-array", ErrorCode::kPolicyInvalid},
      {"sim-unknown-field", ErrorCode::kPolicyUnknownField},
      {"snp-host-data-wrong-length", ErrorCode::kPolicyInvalid},
      {"snp-min-tcb-above-255", ErrorCode::kPolicyInvalid},
      {"snp-min-tcb-unknown-component", ErrorCode::kPolicyUnknownField},
      {"tdx-rtmr-index-4", ErrorCode::kPolicyInvalid},
      {"tdx-tcb-status-unknown", ErrorCode::kPolicyInvalid},
      {"tlog-policy-empty", ErrorCode::kPolicyInvalid},
      {"tlog-policy-garbage", ErrorCode::kPolicyBadTlogPolicy},
      {"tlog-policy-no-final-newline", ErrorCode::kPolicyBadTlogPolicy},
      {"top-level-array", ErrorCode::kPolicyInvalid},
      {"unknown-platform", ErrorCode::kPolicyUnknownField},
      {"unknown-top-level-field", ErrorCode::kPolicyUnknownField},
      {"workload-digest-extra-algorithm", ErrorCode::kPolicyUnknownField},
      {"workload-digest-sha512", ErrorCode::kPolicyMissingField},
      {"workload-extra-field", ErrorCode::kPolicyUnknownField},
      {"workload-missing-measurement", ErrorCode::kPolicyMissingField},
      {"workload-name-empty", ErrorCode::kPolicyInvalid},
      {"workloads-not-array", ErrorCode::kPolicyInvalid},
  };
  return m;
}

TEST(PolicyExamples, EveryValidExampleParses) {
  auto files = files_in(kExamples / "valid");
  for (const auto& f : files) EXPECT_OK(parse_policy(read(f))) << f.filename();
  EXPECT_EQ(files.size(), 6u);
  ::verun::testing::report_vector_count("schemas/examples/policy/valid", files.size());
}

TEST(PolicyExamples, EveryInvalidExampleFailsWithItsCode) {
  auto files = files_in(kExamples / "invalid");
  std::set<std::string> seen;
  for (const auto& f : files) {
    const std::string name = f.stem().string();
    auto it = invalid_expectations().find(name);
    ASSERT_NE(it, invalid_expectations().end()) << "no expected code for invalid example " << name;
    EXPECT_THAT(parse_policy(read(f)), HasCode(it->second)) << name;
    seen.insert(name);
  }
  for (const auto& [name, code] : invalid_expectations())
    EXPECT_TRUE(seen.count(name)) << "invalid example " << name << ".json is missing";
  EXPECT_EQ(files.size(), 42u);
  ::verun::testing::report_vector_count("schemas/examples/policy/invalid", files.size());
}

TEST(Policy, FullExampleLoadsEveryField) {
  auto p = parse_policy(read(kExamples / "valid/full.json"));
  ASSERT_OK(p);
  ASSERT_TRUE(p->tlog_policy.has_value());
  EXPECT_NE(p->tlog_policy->find("quorum both\n"), std::string::npos);
  ASSERT_TRUE(p->platforms.sim && p->platforms.sev_snp && p->platforms.tdx && p->platforms.sgx && p->platforms.nitro);
  EXPECT_TRUE(p->platforms.sim->allow_insecure_simulation);
  EXPECT_EQ(p->platforms.sim->roots.size(), 1u);
  EXPECT_EQ(p->platforms.sim->min_tcb, 1u);
  EXPECT_EQ(p->platforms.sev_snp->min_tcb.at("microcode"), 115u);
  EXPECT_EQ(p->platforms.sev_snp->min_tcb.size(), 5u);
  EXPECT_EQ(p->platforms.tdx->rtmr.at(1).size(), 1u);
  EXPECT_EQ(p->platforms.tdx->tcb_status->at(0), "UpToDate");
  EXPECT_EQ(p->platforms.sgx->isv_prod_id->at(0), 0u);
  EXPECT_EQ(p->platforms.sgx->min_isv_svn, 0u);
  EXPECT_EQ(p->platforms.nitro->pcr.at(0).at(0), std::string(96, '6'));
  ASSERT_TRUE(p->workloads.has_value());
  ASSERT_EQ(p->workloads->size(), 2u);
  EXPECT_EQ(p->workloads->at(0).name, "wordcount");
  EXPECT_FALSE(p->workloads->at(1).name.has_value());
  EXPECT_EQ(p->revoked_keys, std::vector<std::string>{std::string(64, '8')});
  EXPECT_EQ(p->revoked_measurements.size(), 2u);
  EXPECT_EQ(p->max_evidence_age_seconds, 86400);
  EXPECT_EQ(p->max_key_age_seconds, 604800);
}

TEST(Policy, AbsentListAcceptsAnyEmptyListAcceptsNone) {
  auto absent = parse_policy(read(kExamples / "valid/sim-roots-only.json"));
  auto empty = parse_policy(read(kExamples / "valid/empty-lists-accept-none.json"));
  ASSERT_OK(absent);
  ASSERT_OK(empty);
  const std::string m(96, 'a');
  EXPECT_FALSE(absent->platforms.sim->measurements.has_value());
  EXPECT_TRUE(allows(absent->platforms.sim->measurements, m));
  EXPECT_FALSE(absent->workloads.has_value());
  ASSERT_TRUE(empty->platforms.sim->measurements.has_value());
  EXPECT_TRUE(empty->platforms.sim->measurements->empty());
  EXPECT_FALSE(allows(empty->platforms.sim->measurements, m));
  ASSERT_TRUE(empty->workloads.has_value());
  EXPECT_TRUE(empty->workloads->empty());
  EXPECT_TRUE(empty->platforms.sim->roots.empty());
  // Flags default to false when absent, and absent platforms are absent.
  EXPECT_FALSE(absent->platforms.sim->allow_insecure_simulation);
  EXPECT_FALSE(absent->platforms.sim->allow_debug);
  EXPECT_FALSE(absent->platforms.sev_snp.has_value());
  EXPECT_FALSE(absent->tlog_policy.has_value());
}

TEST(Policy, SimRootsAreRequiredEvenWithoutSimulationAllowed) {
  EXPECT_THAT(parse_policy(R"({"platforms": {"sim": {}}})"), HasCode(ErrorCode::kPolicySimRootsRequired));
  EXPECT_THAT(parse_policy(R"({"platforms": {"sim": {"allow_insecure_simulation": false}}})"),
              HasCode(ErrorCode::kPolicySimRootsRequired));
  EXPECT_OK(parse_policy(R"({"platforms": {"sim": {"roots": []}}})"));
}

TEST(Policy, HexIsLowercasedOnLoad) {
  auto p = parse_policy(read(kExamples / "valid/uppercase-hex.json"));
  ASSERT_OK(p);
  for (const auto& m : *p->platforms.sim->measurements)
    EXPECT_EQ(m, proofs::hex_encode(proofs::hex_decode_any_case(m).value()));
  EXPECT_EQ(p->platforms.sgx->mrenclave->at(0), std::string(62, '4') + "ab");
  EXPECT_EQ(p->normalized["platforms"]["sgx"]["mrenclave"][0], std::string(62, '4') + "ab");
  EXPECT_EQ(p->normalized["workloads"][0]["measurement"]["sha256"],
            "5b0b9a4c7f6c33ab7a5e2c3d8e1f4a6b9c0d2e3f4a5b6c7d8e9f0a1b2c3d4e5f");
  // Base64 is case-sensitive and never lowercased.
  EXPECT_EQ(p->normalized["platforms"]["sim"]["roots"][0], "iojj3XQJ8ZX9UtstPLpdcspnCb8dlBIb83SIAbQPb1w=");
}

// The JSON text with every object's members in reverse order.
std::string reversed_text(const proofs::Json& j) {
  if (j.is_object()) {
    std::vector<std::string> parts;
    for (auto it = j.begin(); it != j.end(); ++it)
      parts.push_back(proofs::Json(it.key()).dump() + " : " + reversed_text(it.value()));
    std::reverse(parts.begin(), parts.end());
    std::string out = "{ ";
    for (std::size_t i = 0; i < parts.size(); ++i) out += (i ? ",\n  " : "") + parts[i];
    return out + " }";
  }
  if (j.is_array()) {
    std::string out = "[";
    for (std::size_t i = 0; i < j.size(); ++i) out += (i ? ", " : "") + reversed_text(j[i]);
    return out + "]";
  }
  return j.dump();
}

// Uppercases every hex value the loader lowercases.
void uppercase_hex(proofs::Json& doc) {
  auto up = [](proofs::Json& s) {
    std::string v = s.get<std::string>();
    for (char& c : v) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    s = v;
  };
  for (auto& m : doc["platforms"]["sim"]["measurements"]) up(m);
  for (auto& m : doc["platforms"]["sev-snp"]["host_data"]) up(m);
  for (auto& [k, v] : doc["platforms"]["tdx"]["rtmr"].items())
    for (auto& m : v) up(m);
  for (auto& m : doc["platforms"]["sgx"]["mrsigner"]) up(m);
  for (auto& w : doc["workloads"]) up(w["measurement"]["sha256"]);
  for (auto& m : doc["revoked"]["measurements"]) up(m);
}

TEST(PolicyDigest, IsShaOfJcsOfThePolicyAsParsed) {
  const std::string text = read(kExamples / "valid/full.json");
  auto p = parse_policy(text);
  ASSERT_OK(p);
  EXPECT_EQ(p->digest, proofs::sha256(proofs::jcs_serialize(p->normalized).value()));
  EXPECT_EQ(p->digest, proofs::sha256(proofs::jcs_canonicalize(text).value()));
  EXPECT_EQ(policy_digest_hex(*p), proofs::hex_encode(p->digest));
}

TEST(PolicyDigest, StableUnderKeyOrderWhitespaceAndHexCase) {
  const std::string text = read(kExamples / "valid/full.json");
  auto p = parse_policy(text);
  ASSERT_OK(p);
  proofs::Json doc = proofs::Json::parse(text);
  uppercase_hex(doc);
  const std::string mutated = reversed_text(doc);
  ASSERT_NE(mutated, text);
  auto q = parse_policy(mutated);
  ASSERT_OK(q);
  EXPECT_EQ(q->digest, p->digest);
  EXPECT_EQ(q->normalized, p->normalized);
}

TEST(PolicyDigest, ChangesWithAnyValue) {
  proofs::Json doc = proofs::Json::parse(read(kExamples / "valid/full.json"));
  auto base = parse_policy(doc.dump()).value().digest;
  proofs::Json a = doc;
  a["platforms"]["sim"]["min_tcb"] = 2;
  EXPECT_NE(parse_policy(a.dump()).value().digest, base);
  proofs::Json b = doc;
  b["platforms"]["sim"]["allow_debug"] = true;
  EXPECT_NE(parse_policy(b.dump()).value().digest, base);
  proofs::Json c = doc;
  c.erase("max_key_age_seconds");
  EXPECT_NE(parse_policy(c.dump()).value().digest, base);
}

TEST(Policy, SizeLimitIsOneMebibyte) {
  const std::string body = R"({"platforms": {}})";
  std::string at_limit = body + std::string(kMaxPolicyTextBytes - body.size(), ' ');
  EXPECT_OK(parse_policy(at_limit));
  EXPECT_THAT(parse_policy(at_limit + " "), HasCode(ErrorCode::kPolicyTooLarge));
}

TEST(Policy, RejectsDeepNestingAndNonJson) {
  std::string deep = R"({"platforms": {}, "x": )" + std::string(40, '[') + std::string(40, ']') + "}";
  EXPECT_THAT(parse_policy(deep), HasCode(ErrorCode::kPolicyInvalid));
  EXPECT_THAT(parse_policy(""), HasCode(ErrorCode::kPolicyInvalid));
  EXPECT_THAT(parse_policy("{\"platforms\": {}} x"), HasCode(ErrorCode::kPolicyInvalid));
  EXPECT_THAT(parse_policy("\"platforms\""), HasCode(ErrorCode::kPolicyInvalid));
}

TEST(Policy, AdmissionPolicyMayLeaveOutTlogPolicy) {
  auto p = parse_policy(read(kExamples / "valid/admission-sim-only.json"));
  ASSERT_OK(p);
  EXPECT_FALSE(p->tlog_policy.has_value());
  EXPECT_EQ(p->platforms.sim->roots.size(), 2u);
  EXPECT_TRUE(p->revoked_keys.empty());
}

TEST(Policy, RegisterIndexesAreChecked) {
  EXPECT_OK(parse_policy(R"({"platforms": {"nitro": {"pcr": {"31": []}}}})"));
  EXPECT_THAT(parse_policy(R"({"platforms": {"nitro": {"pcr": {"32": []}}}})"), HasCode(ErrorCode::kPolicyInvalid));
  EXPECT_THAT(parse_policy(R"({"platforms": {"nitro": {"pcr": {"-1": []}}}})"), HasCode(ErrorCode::kPolicyInvalid));
  EXPECT_THAT(parse_policy(R"({"platforms": {"nitro": {"pcr": {"": []}}}})"), HasCode(ErrorCode::kPolicyInvalid));
  EXPECT_THAT(parse_policy(R"({"platforms": {"tdx": {"rtmr": {"0": "00"}}}})"), HasCode(ErrorCode::kPolicyInvalid));
  EXPECT_OK(parse_policy(R"({"platforms": {"tdx": {"rtmr": {"3": []}}}})"));
}

}  // namespace
}  // namespace verun::verifier
