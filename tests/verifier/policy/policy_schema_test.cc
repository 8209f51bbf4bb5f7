// schemas/policy.schema.json against its examples. No JSON Schema validator
// is installed, so this file holds a small one for the keywords the schema
// uses (and fails on any other keyword, so the schema cannot drift into
// features nobody checks). Floats and bad tlog-policy text are beyond a
// schema: the loader's own tests cover those.
#if defined(__GNUC__) && !defined(__clang__)
// g++ 12 under sanitizers warns falsely inside <regex> (maybe-uninitialized).
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <regex>
#include <set>
#include <string>

#include "tests/support/vectors.h"
#include "verun/proofs/json/strict_json.h"

namespace verun::verifier {
namespace {

namespace fs = std::filesystem;
using proofs::Json;

const fs::path kSchemas = fs::path(VERUN_SOURCE_DIR) / "schemas";

class MiniValidator {
 public:
  explicit MiniValidator(const Json& root) : root_(root) {}

  // An empty string when value is valid, else the first violation.
  std::string validate(const Json& value, const Json& schema, const std::string& path) const {
    static const std::set<std::string> kKnown = {
        "$schema", "$id", "title", "description", "$defs", "$ref", "type", "properties", "additionalProperties",
        "required", "items", "propertyNames", "minimum", "maximum", "minLength", "maxLength", "pattern", "enum",
        "anyOf"};
    for (auto it = schema.begin(); it != schema.end(); ++it)
      if (!kKnown.count(it.key())) return "unsupported keyword " + it.key();
    if (schema.contains("$ref")) {
      const std::string ref = schema["$ref"];
      const std::string prefix = "#/$defs/";
      if (ref.rfind(prefix, 0) != 0) return "unsupported $ref " + ref;
      std::string err = validate(value, root_["$defs"].at(ref.substr(prefix.size())), path);
      if (!err.empty()) return err;
    }
    if (schema.contains("type")) {
      const std::string t = schema["type"];
      bool ok = (t == "object" && value.is_object()) || (t == "array" && value.is_array()) ||
                (t == "string" && value.is_string()) || (t == "boolean" && value.is_boolean()) ||
                (t == "integer" && value.is_number_integer());
      if (!ok) return path + " is not of type " + t;
    }
    if (schema.contains("enum")) {
      const auto& e = schema["enum"];
      if (std::find(e.begin(), e.end(), value) == e.end()) return path + " is not one of the enum values";
    }
    if (schema.contains("anyOf")) {
      bool any = false;
      for (const auto& s : schema["anyOf"]) any = any || validate(value, s, path).empty();
      if (!any) return path + " matches no anyOf branch";
    }
    if (value.is_string()) {
      const std::string s = value;
      if (schema.contains("minLength") && s.size() < schema["minLength"].get<std::size_t>()) return path + " too short";
      if (schema.contains("maxLength") && s.size() > schema["maxLength"].get<std::size_t>()) return path + " too long";
      if (schema.contains("pattern") && !std::regex_search(s, std::regex(schema["pattern"].get<std::string>())))
        return path + " does not match " + schema["pattern"].get<std::string>();
    }
    if (value.is_number_integer()) {
      const auto n = value.get<std::int64_t>();
      if (schema.contains("minimum") && n < schema["minimum"].get<std::int64_t>()) return path + " below minimum";
      if (schema.contains("maximum") && n > schema["maximum"].get<std::int64_t>()) return path + " above maximum";
    }
    if (value.is_array() && schema.contains("items"))
      for (std::size_t i = 0; i < value.size(); ++i) {
        std::string err = validate(value[i], schema["items"], path + "[" + std::to_string(i) + "]");
        if (!err.empty()) return err;
      }
    if (value.is_object()) {
      if (schema.contains("required"))
        for (const auto& r : schema["required"])
          if (!value.contains(r.get<std::string>())) return path + " lacks " + r.get<std::string>();
      for (auto it = value.begin(); it != value.end(); ++it) {
        const std::string child = path + "." + it.key();
        if (schema.contains("propertyNames")) {
          std::string err = validate(Json(it.key()), schema["propertyNames"], child + " (name)");
          if (!err.empty()) return err;
        }
        if (schema.contains("properties") && schema["properties"].contains(it.key())) {
          std::string err = validate(it.value(), schema["properties"][it.key()], child);
          if (!err.empty()) return err;
        } else if (schema.contains("additionalProperties")) {
          const auto& ap = schema["additionalProperties"];
          if (ap.is_boolean()) {
            if (!ap.get<bool>()) return child + " is not allowed";
          } else {
            std::string err = validate(it.value(), ap, child);
            if (!err.empty()) return err;
          }
        }
      }
    }
    return "";
  }

 private:
  const Json& root_;
};

std::vector<fs::path> files_in(const fs::path& dir) {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".json") out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

Json load_schema() {
  auto schema = proofs::parse_json(::verun::testing::read_file(kSchemas / "policy.schema.json"),
                                   proofs::JsonProfile::kGeneral);
  EXPECT_TRUE(schema.has_value());
  return schema.has_value() ? *schema : Json::object();
}

TEST(PolicySchema, IsDraft2020_12AndDescribesTheTopLevel) {
  Json schema = load_schema();
  EXPECT_EQ(schema["$schema"], "https://json-schema.org/draft/2020-12/schema");
  std::set<std::string> props;
  for (auto it = schema["properties"].begin(); it != schema["properties"].end(); ++it) props.insert(it.key());
  EXPECT_EQ(props, (std::set<std::string>{"tlog_policy", "platforms", "workloads", "revoked",
                                          "max_evidence_age_seconds", "max_key_age_seconds"}));
  std::set<std::string> platforms;
  for (auto it = schema["properties"]["platforms"]["properties"].begin();
       it != schema["properties"]["platforms"]["properties"].end(); ++it)
    platforms.insert(it.key());
  EXPECT_EQ(platforms, (std::set<std::string>{"sim", "sev-snp", "tdx", "sgx", "nitro"}));
  EXPECT_EQ(schema["$defs"]["sim"]["required"], Json::array({"roots"}));
}

TEST(PolicySchema, ValidExamplesValidate) {
  Json schema = load_schema();
  MiniValidator v(schema);
  auto files = files_in(kSchemas / "examples/policy/valid");
  for (const auto& f : files) {
    Json doc = Json::parse(::verun::testing::read_file(f));
    for (auto it = doc.begin(); it != doc.end(); ++it)
      EXPECT_TRUE(schema["properties"].contains(it.key())) << f.filename() << ": " << it.key();
    EXPECT_EQ(v.validate(doc, schema, "$"), "") << f.filename();
  }
  EXPECT_EQ(files.size(), 6u);
  ::verun::testing::report_vector_count("policy schema, valid examples", files.size());
}

TEST(PolicySchema, InvalidExamplesAreRejectedBySchemaOrJsonParser) {
  // What a JSON Schema cannot see: verun's no-float profile (1e3 and 86400.0
  // are integers to JSON Schema) and the tlog-policy text's own grammar.
  const std::set<std::string> beyond_schema = {"exponent-max-key-age", "float-max-evidence-age",
                                               "tlog-policy-garbage", "tlog-policy-no-final-newline"};
  Json schema = load_schema();
  MiniValidator v(schema);
  auto files = files_in(kSchemas / "examples/policy/invalid");
  std::size_t rejected = 0;
  for (const auto& f : files) {
    const std::string name = f.stem().string();
    auto doc = proofs::parse_json(::verun::testing::read_file(f), proofs::JsonProfile::kGeneral);
    bool rejected_here = !doc.has_value() || !v.validate(*doc, schema, "$").empty();
    if (beyond_schema.count(name)) continue;
    EXPECT_TRUE(rejected_here) << name << " passes the schema";
    rejected += rejected_here ? 1 : 0;
  }
  EXPECT_EQ(rejected, files.size() - beyond_schema.size());
  ::verun::testing::report_vector_count("policy schema, invalid examples rejected", rejected);
}

TEST(PolicySchema, ValidatorCanFail) {
  Json schema = load_schema();
  MiniValidator v(schema);
  EXPECT_NE(v.validate(Json::object(), schema, "$"), "");  // platforms required
  EXPECT_NE(v.validate(Json::parse(R"({"platforms": {"sim": {"roots": ["AAAA"]}}})"), schema, "$"), "");
  EXPECT_EQ(v.validate(Json::parse(R"({"platforms": {}})"), schema, "$"), "");
}

}  // namespace
}  // namespace verun::verifier
