// Workload manifests: strict parsing and the measurement SHA-256(JCS(manifest))
// (DESIGN.md §10 "Workloads").
#include <gtest/gtest.h>

#include <string>

#include "tests/support/matchers.h"
#include "verun/proofs/hex.h"
#include "verun/proofs/json/jcs.h"
#include "verun/proofs/sha2.h"
#include "verun/runner/workload/manifest.h"

namespace verun::runner {
namespace {

using proofs::Json;
using testing::HasCode;
using testing::IsOk;

// Written out of order and with whitespace on purpose.
constexpr const char* kExecManifest = R"({
  "version": "1.2.3", "name": "upper", "kind": "exec",
  "limits": {"timeout_ms": 500, "memory_bytes": 67108864, "max_output_bytes": 2048, "max_input_bytes": 1024},
  "digest": {"sha256": "abababababababababababababababababababababababababababababababab"},
  "config": {"b": [1, "x"], "a": true},
  "args": ["-x", "\u00e9"]
})";

// The canonical form written by hand, and its SHA-256 computed outside
// verun (python3 hashlib), so that neither depends on our JCS code.
constexpr const char* kExecCanonical =
    R"({"args":["-x","é"],"config":{"a":true,"b":[1,"x"]},"digest":{"sha256":"abababababababababababababababababababababababababababababababab"},)"
    R"("kind":"exec","limits":{"max_input_bytes":1024,"max_output_bytes":2048,"memory_bytes":67108864,"timeout_ms":500},)"
    R"("name":"upper","version":"1.2.3"})";
constexpr const char* kExecMeasurement = "29b8d4d1cddb3986109e585f60ace63e45d0f63cd44b898b7fcf2e6bdb6f2c2a";

std::string builtin_manifest(const std::string& extra = "") {
  return R"({"name": "h", "version": "1", "kind": "builtin", "builtin": "sha256sum",
             "limits": {"timeout_ms": 1, "max_input_bytes": 2, "max_output_bytes": 3, "memory_bytes": 4})" +
         extra + "}";
}

Json parse(const std::string& text) { return proofs::parse_json(text).value(); }

// A copy of `json` with `edit` applied, parsed as a manifest.
template <typename F>
Result<Manifest> parse_edited(const std::string& text, F edit) {
  Json j = parse(text);
  edit(j);
  return parse_manifest(j);
}

TEST(Manifest, MeasurementIsSha256OfHandWrittenJcs) {
  auto m = parse_manifest_text(kExecManifest);
  ASSERT_THAT(m, IsOk());
  EXPECT_EQ(proofs::hex_encode(m->measurement), kExecMeasurement);
  EXPECT_EQ(proofs::jcs_serialize(to_json(*m)).value(), kExecCanonical);
  EXPECT_EQ(m->measurement, compute_measurement(*m));
  auto ref = to_workload_ref(*m);
  EXPECT_EQ(ref.name, "upper");
  EXPECT_EQ(ref.version, "1.2.3");
  EXPECT_EQ(ref.measurement, m->measurement);
}

TEST(Manifest, ReadsEveryField) {
  auto m = parse_manifest_text(kExecManifest);
  ASSERT_THAT(m, IsOk());
  EXPECT_EQ(m->kind, WorkloadKind::kExec);
  EXPECT_FALSE(m->builtin);
  ASSERT_TRUE(m->digest);
  EXPECT_EQ((*m->digest)[0], 0xab);
  ASSERT_TRUE(m->args);
  EXPECT_EQ(m->args->size(), 2u);
  EXPECT_EQ(m->limits, (WorkloadLimits{500, 1024, 2048, 67108864}));
  ASSERT_TRUE(m->config);
  EXPECT_TRUE((*m->config)["a"].get<bool>());
}

TEST(Manifest, BuiltinParses) {
  auto m = parse_manifest_text(builtin_manifest());
  ASSERT_THAT(m, IsOk());
  EXPECT_EQ(m->kind, WorkloadKind::kBuiltin);
  EXPECT_EQ(m->builtin, "sha256sum");
  EXPECT_FALSE(m->config);
}

TEST(Manifest, AbsentAndEmptyArgsMeasureDifferently) {
  auto a = parse_edited(kExecManifest, [](Json& j) { j.erase("args"); });
  auto b = parse_edited(kExecManifest, [](Json& j) { j["args"] = Json::array(); });
  ASSERT_THAT(a, IsOk());
  ASSERT_THAT(b, IsOk());
  EXPECT_NE(a->measurement, b->measurement);
}

TEST(Manifest, EveryFieldChangesTheMeasurement) {
  auto base = parse_manifest_text(kExecManifest).value().measurement;
  auto changed = [&](auto edit) { return parse_edited(kExecManifest, edit).value().measurement; };
  EXPECT_NE(base, changed([](Json& j) { j["name"] = "upper2"; }));
  EXPECT_NE(base, changed([](Json& j) { j["version"] = "1.2.4"; }));
  EXPECT_NE(base, changed([](Json& j) { j["digest"]["sha256"] = std::string(64, 'c'); }));
  EXPECT_NE(base, changed([](Json& j) { j["args"][0] = "-y"; }));
  EXPECT_NE(base, changed([](Json& j) { j["limits"]["timeout_ms"] = 501; }));
  EXPECT_NE(base, changed([](Json& j) { j["config"]["a"] = false; }));
}

TEST(Manifest, RejectsUnknownFieldsAtEveryLevel) {
  EXPECT_THAT(parse_manifest_text(builtin_manifest(R"(, "extra": 1)")), HasCode(ErrorCode::kWorkloadUnknownField));
  EXPECT_THAT(parse_edited(builtin_manifest(), [](Json& j) { j["limits"]["cpu"] = 1; }),
              HasCode(ErrorCode::kWorkloadUnknownField));
  EXPECT_THAT(parse_edited(kExecManifest, [](Json& j) { j["digest"]["sha512"] = "00"; }),
              HasCode(ErrorCode::kWorkloadUnknownField));
}

TEST(Manifest, RequiresEachField) {
  for (const char* field : {"name", "version", "kind", "limits", "builtin"})
    EXPECT_THAT(parse_edited(builtin_manifest(), [&](Json& j) { j.erase(field); }),
                HasCode(ErrorCode::kWorkloadMissingField))
        << field;
  for (const char* limit : {"timeout_ms", "max_input_bytes", "max_output_bytes", "memory_bytes"})
    EXPECT_THAT(parse_edited(builtin_manifest(), [&](Json& j) { j["limits"].erase(limit); }),
                HasCode(ErrorCode::kWorkloadMissingField))
        << limit;
  EXPECT_THAT(parse_edited(kExecManifest, [](Json& j) { j.erase("digest"); }),
              HasCode(ErrorCode::kWorkloadMissingField));
}

TEST(Manifest, LimitsArePositiveIntegers) {
  for (const char* limit : {"timeout_ms", "max_input_bytes", "max_output_bytes", "memory_bytes"}) {
    for (Json bad : {Json(0), Json(-5), Json("10"), Json(true)})
      EXPECT_THAT(parse_edited(builtin_manifest(), [&](Json& j) { j["limits"][limit] = bad; }),
                  HasCode(ErrorCode::kWorkloadInvalidField))
          << limit << " = " << bad.dump();
  }
  // A float never reaches the reader: strict JSON refuses it.
  EXPECT_THAT(parse_manifest_text(R"({"name": "h", "version": "1", "kind": "builtin", "builtin": "sha256sum",
      "limits": {"timeout_ms": 1.5, "max_input_bytes": 2, "max_output_bytes": 3, "memory_bytes": 4}})"),
              HasCode(ErrorCode::kWorkloadInvalidField));
}

TEST(Manifest, KindDecidesBuiltinDigestAndArgs) {
  EXPECT_THAT(parse_edited(builtin_manifest(), [](Json& j) { j["kind"] = "wasm"; }),
              HasCode(ErrorCode::kWorkloadInvalidField));
  EXPECT_THAT(parse_edited(builtin_manifest(), [](Json& j) { j["digest"] = {{"sha256", std::string(64, 'a')}}; }),
              HasCode(ErrorCode::kWorkloadInvalidField));
  EXPECT_THAT(parse_edited(builtin_manifest(), [](Json& j) { j["args"] = Json::array(); }),
              HasCode(ErrorCode::kWorkloadInvalidField));
  EXPECT_THAT(parse_edited(kExecManifest, [](Json& j) { j["builtin"] = "sha256sum"; }),
              HasCode(ErrorCode::kWorkloadInvalidField));
}

TEST(Manifest, RejectsBadValues) {
  auto invalid = [](auto edit) { return parse_edited(kExecManifest, edit); };
  EXPECT_THAT(invalid([](Json& j) { j["name"] = ""; }), HasCode(ErrorCode::kWorkloadInvalidField));
  EXPECT_THAT(invalid([](Json& j) { j["name"] = "-lead"; }), HasCode(ErrorCode::kWorkloadInvalidField));
  EXPECT_THAT(invalid([](Json& j) { j["name"] = "a b"; }), HasCode(ErrorCode::kWorkloadInvalidField));
  EXPECT_THAT(invalid([](Json& j) { j["name"] = "a/b"; }), HasCode(ErrorCode::kWorkloadInvalidField));
  EXPECT_THAT(invalid([](Json& j) { j["name"] = std::string(257, 'a'); }), HasCode(ErrorCode::kWorkloadInvalidField));
  EXPECT_THAT(invalid([](Json& j) { j["version"] = ""; }), HasCode(ErrorCode::kWorkloadInvalidField));
  EXPECT_THAT(invalid([](Json& j) { j["digest"]["sha256"] = std::string(64, 'A'); }),
              HasCode(ErrorCode::kWorkloadInvalidField));
  EXPECT_THAT(invalid([](Json& j) { j["digest"]["sha256"] = std::string(62, 'a'); }),
              HasCode(ErrorCode::kWorkloadInvalidField));
  EXPECT_THAT(invalid([](Json& j) { j["args"] = "-x"; }), HasCode(ErrorCode::kWorkloadInvalidField));
  EXPECT_THAT(invalid([](Json& j) { j["args"] = Json::array({1}); }), HasCode(ErrorCode::kWorkloadInvalidField));
  EXPECT_THAT(invalid([](Json& j) { j["args"] = Json::array({std::string("a\0b", 3)}); }),
              HasCode(ErrorCode::kWorkloadInvalidField));
  EXPECT_THAT(invalid([](Json& j) { j["args"] = Json::array({std::string(4097, 'a')}); }),
              HasCode(ErrorCode::kWorkloadInvalidField));
  EXPECT_THAT(invalid([](Json& j) { j["args"] = Json(std::vector<std::string>(257, "a")); }),
              HasCode(ErrorCode::kWorkloadInvalidField));
  EXPECT_THAT(invalid([](Json& j) { j["config"] = "x"; }), HasCode(ErrorCode::kWorkloadInvalidField));
  EXPECT_THAT(invalid([](Json& j) { j["config"] = Json::array(); }), HasCode(ErrorCode::kWorkloadInvalidField));
  EXPECT_THAT(parse_manifest(Json::array()), HasCode(ErrorCode::kWorkloadInvalidField));
}

TEST(Manifest, RejectsTextThatIsNotVerunJson) {
  for (const char* text : {"", "{", "[]", "null", R"({"name": "a", "name": "b"})", "{\"config\": {\"x\": null}}"})
    EXPECT_THAT(parse_manifest_text(text), HasCode(ErrorCode::kWorkloadInvalidField)) << text;
}

}  // namespace
}  // namespace verun::runner
