// The registry file: loading checks (unique names, builtins with a valid
// config, exec files present and pinned by digest), the example registry,
// and schemas/registry.schema.json against its examples and the C++ loader.
#if defined(__GNUC__) && !defined(__clang__)
// g++ 12 under sanitizers warns falsely inside <regex> (maybe-uninitialized).
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <map>
#include <set>
#include <string>

#include "tests/support/matchers.h"
#include "tests/support/temp_dir.h"
#include "tests/support/vectors.h"
#include "verun/proofs/hex.h"
#include "verun/proofs/sha2.h"
#include "verun/runner/workload/registry.h"

namespace verun::runner {
namespace {

namespace fs = std::filesystem;
using proofs::Json;
using testing::HasCode;
using testing::IsOk;

const fs::path kSource = VERUN_SOURCE_DIR;

constexpr const char* kLimits =
    R"({"timeout_ms": 1000, "max_input_bytes": 100, "max_output_bytes": 100, "memory_bytes": 67108864})";

std::string builtin_entry(const std::string& name, const std::string& fn, const std::string& extra = "") {
  return R"({"manifest": {"name": ")" + name + R"(", "version": "1", "kind": "builtin", "builtin": ")" + fn +
         R"(", "limits": )" + kLimits + extra + "}}";
}

std::string exec_entry(const std::string& name, const std::string& digest_hex, const std::string& path) {
  return R"({"manifest": {"name": ")" + name + R"(", "version": "1", "kind": "exec", "digest": {"sha256": ")" +
         digest_hex + R"("}, "limits": )" + kLimits + R"(}, "path": ")" + path + "\"}";
}

std::string registry(const std::vector<std::string>& entries) {
  std::string s = R"({"workloads": [)";
  for (std::size_t i = 0; i < entries.size(); ++i) s += (i ? "," : "") + entries[i];
  return s + "]}";
}

class RegistryFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    exe_ = dir_.path() / "tool.sh";
    std::ofstream(exe_) << "#!/bin/sh\necho tool\n";
    fs::permissions(exe_, fs::perms::owner_all);
    digest_ = proofs::hex_encode(proofs::sha256(std::string("#!/bin/sh\necho tool\n")));
  }
  testing::TempDir dir_;
  fs::path exe_;
  std::string digest_;
};

TEST_F(RegistryFiles, LoadsBuiltinsAndExecWithRelativeAndAbsolutePaths) {
  std::string text = registry({builtin_entry("h", "sha256sum"), exec_entry("rel", digest_, "tool.sh"),
                               exec_entry("abs", digest_, exe_.string())});
  auto r = parse_registry(text, dir_.path());
  ASSERT_THAT(r, IsOk());
  ASSERT_EQ(r->workloads().size(), 3u);
  ASSERT_NE(r->find("rel"), nullptr);
  EXPECT_EQ(r->find("rel")->executable, exe_);
  EXPECT_EQ(r->find("abs")->executable, exe_);
  EXPECT_TRUE(r->find("h")->executable.empty());
  EXPECT_EQ(r->find("nope"), nullptr);
  EXPECT_THAT(r->get("nope"), HasCode(ErrorCode::kWorkloadNotFound));
  auto refs = r->refs();
  ASSERT_EQ(refs.size(), 3u);
  EXPECT_EQ(refs[1].name, "rel");
  EXPECT_EQ(refs[1].measurement, r->find("rel")->manifest.measurement);
  // The path is not measured: the same manifest under another path measures the same.
  EXPECT_EQ(r->find("rel")->manifest.limits, r->find("abs")->manifest.limits);
}

TEST_F(RegistryFiles, LoadRegistryResolvesAgainstTheFilesFolder) {
  fs::create_directory(dir_.path() / "conf");
  std::ofstream(dir_.path() / "conf" / "registry.json") << registry({exec_entry("t", digest_, "../tool.sh")});
  auto r = load_registry(dir_.path() / "conf" / "registry.json");
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->find("t")->executable, exe_);
  EXPECT_THAT(load_registry(dir_.path() / "absent.json"), HasCode(ErrorCode::kWorkloadRegistryUnreadable));
}

TEST_F(RegistryFiles, RefusesAWrongDigest) {
  std::string wrong = digest_;
  wrong[0] = wrong[0] == '0' ? '1' : '0';
  EXPECT_THAT(parse_registry(registry({exec_entry("t", wrong, "tool.sh")}), dir_.path()),
              HasCode(ErrorCode::kWorkloadDigestMismatch));
}

TEST_F(RegistryFiles, RefusesMissingOrUnusableExecutables) {
  EXPECT_THAT(parse_registry(registry({exec_entry("t", digest_, "absent.sh")}), dir_.path()),
              HasCode(ErrorCode::kWorkloadExecutableMissing));
  fs::create_directory(dir_.path() / "d");
  EXPECT_THAT(parse_registry(registry({exec_entry("t", digest_, "d")}), dir_.path()),
              HasCode(ErrorCode::kWorkloadExecutableMissing));
  fs::permissions(exe_, fs::perms::owner_read | fs::perms::owner_write);
  // Not executable (no x bit at all, so even root may not run it).
  EXPECT_THAT(parse_registry(registry({exec_entry("t", digest_, "tool.sh")}), dir_.path()),
                HasCode(ErrorCode::kWorkloadExecutableMissing));
}

TEST_F(RegistryFiles, RefusesDuplicateNames) {
  EXPECT_THAT(parse_registry(registry({builtin_entry("a", "sha256sum"), builtin_entry("a", "wordcount")}), dir_.path()),
              HasCode(ErrorCode::kWorkloadDuplicateName));
  EXPECT_THAT(parse_registry(registry({builtin_entry("a", "sha256sum"), exec_entry("a", digest_, "tool.sh")}),
                             dir_.path()),
              HasCode(ErrorCode::kWorkloadDuplicateName));
}

TEST_F(RegistryFiles, RefusesUnknownBuiltinsAndBadConfigs) {
  EXPECT_THAT(parse_registry(registry({builtin_entry("a", "cat")}), dir_.path()),
              HasCode(ErrorCode::kWorkloadUnknownBuiltin));
  EXPECT_THAT(parse_registry(registry({builtin_entry("a", "credit-score")}), dir_.path()),
              HasCode(ErrorCode::kWorkloadBadConfig));
  EXPECT_THAT(parse_registry(registry({builtin_entry("a", "sha256sum", R"(, "config": {"x": 1})")}), dir_.path()),
              HasCode(ErrorCode::kWorkloadBadConfig));
}

TEST_F(RegistryFiles, RefusesBadShapes) {
  EXPECT_THAT(parse_registry("", dir_.path()), HasCode(ErrorCode::kWorkloadRegistryUnreadable));
  EXPECT_THAT(parse_registry(R"({"workloads": [], "workloads": []})", dir_.path()),
              HasCode(ErrorCode::kWorkloadRegistryUnreadable));
  EXPECT_THAT(parse_registry(std::string(kMaxRegistryBytes + 1, ' '), dir_.path()),
              HasCode(ErrorCode::kWorkloadRegistryUnreadable));
  EXPECT_THAT(parse_registry("{}", dir_.path()), HasCode(ErrorCode::kWorkloadMissingField));
  EXPECT_THAT(parse_registry(R"({"workloads": [], "x": 1})", dir_.path()), HasCode(ErrorCode::kWorkloadUnknownField));
  EXPECT_THAT(parse_registry(R"({"workloads": {}})", dir_.path()), HasCode(ErrorCode::kWorkloadInvalidField));
  EXPECT_THAT(parse_registry(R"({"workloads": [1]})", dir_.path()), HasCode(ErrorCode::kWorkloadInvalidField));
  EXPECT_THAT(parse_registry(R"({"workloads": [{}]})", dir_.path()), HasCode(ErrorCode::kWorkloadMissingField));
  // path: required for exec, refused for builtin.
  std::string no_path = exec_entry("t", digest_, "tool.sh");
  no_path = no_path.substr(0, no_path.rfind(", \"path\"")) + "}";
  EXPECT_THAT(parse_registry(registry({no_path}), dir_.path()), HasCode(ErrorCode::kWorkloadMissingField));
  std::string with_path = builtin_entry("a", "sha256sum");
  with_path = with_path.substr(0, with_path.size() - 1) + R"(, "path": "tool.sh"})";
  EXPECT_THAT(parse_registry(registry({with_path}), dir_.path()), HasCode(ErrorCode::kWorkloadInvalidField));
  std::string extra = builtin_entry("a", "sha256sum");
  extra = extra.substr(0, extra.size() - 1) + R"(, "note": "x"})";
  EXPECT_THAT(parse_registry(registry({extra}), dir_.path()), HasCode(ErrorCode::kWorkloadUnknownField));
  std::vector<std::string> many(kMaxRegistryWorkloads + 1, "{}");
  EXPECT_THAT(parse_registry(registry(many), dir_.path()), HasCode(ErrorCode::kWorkloadInvalidField));
}

TEST_F(RegistryFiles, HashFileReportsIdentity) {
  auto h = hash_file(exe_);
  ASSERT_THAT(h, IsOk());
  EXPECT_EQ(proofs::hex_encode(h->sha256), digest_);
  struct stat st {};
  ASSERT_EQ(::stat(exe_.c_str(), &st), 0);
  EXPECT_EQ(h->identity.inode, static_cast<std::uint64_t>(st.st_ino));
  EXPECT_EQ(h->identity.size, st.st_size);
  EXPECT_THAT(hash_file(dir_.path() / "absent"), HasCode(ErrorCode::kWorkloadExecutableMissing));
}

TEST(ExampleRegistry, LoadsWithEveryBuiltinAndThePinnedScript) {
  auto r = load_registry(kSource / "examples/registry/registry.json");
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->workloads().size(), 4u);
  for (const char* name : {"sha256sum", "wordcount", "credit-score", "upper"}) EXPECT_NE(r->find(name), nullptr) << name;
  EXPECT_EQ(r->find("upper")->executable, (kSource / "examples/workloads/upper.sh").lexically_normal());
}

// --- schemas/registry.schema.json and schemas/manifest.schema.json -------

// A small JSON Schema validator for exactly the keywords these two schemas
// use; any other keyword fails the test, so the schema cannot drift into
// features nobody checks.
class MiniValidator {
 public:
  explicit MiniValidator(fs::path dir) : dir_(std::move(dir)) {}

  std::string validate_file(const Json& value, const std::string& file) {
    return validate(value, load(file)["__root"], file, "$");
  }

 private:
  const Json& load(const std::string& file) {
    auto it = docs_.find(file);
    if (it == docs_.end()) {
      Json doc = proofs::parse_json(testing::read_file(dir_ / file), proofs::JsonProfile::kGeneral).value();
      it = docs_.emplace(file, Json{{"__root", doc}}).first;
    }
    return it->second;
  }

  std::string validate(const Json& value, const Json& schema, const std::string& file, const std::string& path) {
    static const std::set<std::string> kKnown = {
        "$schema", "$id", "title", "description", "$defs", "$ref", "type", "properties", "additionalProperties",
        "required", "items", "maxItems", "minimum", "maximum", "minLength", "maxLength", "pattern", "enum",
        "const", "oneOf", "anyOf", "not"};
    for (auto it = schema.begin(); it != schema.end(); ++it)
      if (!kKnown.count(it.key())) return "unsupported keyword " + it.key();
    if (schema.contains("$ref")) {
      std::string ref = schema["$ref"];
      std::string err;
      if (ref.rfind("#/$defs/", 0) == 0)
        err = validate(value, load(file)["__root"]["$defs"].at(ref.substr(8)), file, path);
      else
        err = validate(value, load(ref)["__root"], ref, path);
      if (!err.empty()) return err;
    }
    if (schema.contains("type")) {
      std::string t = schema["type"];
      bool ok = (t == "object" && value.is_object()) || (t == "array" && value.is_array()) ||
                (t == "string" && value.is_string()) || (t == "integer" && value.is_number_integer());
      if (!ok) return path + " is not of type " + t;
    }
    if (schema.contains("const") && value != schema["const"]) return path + " is not the constant";
    if (schema.contains("enum")) {
      const auto& e = schema["enum"];
      if (std::find(e.begin(), e.end(), value) == e.end()) return path + " is not one of the enum values";
    }
    if (schema.contains("oneOf")) {
      int passing = 0;
      for (const auto& s : schema["oneOf"])
        if (validate(value, s, file, path).empty()) ++passing;
      if (passing != 1) return path + " matches " + std::to_string(passing) + " oneOf branches";
    }
    if (schema.contains("anyOf")) {
      bool any = false;
      for (const auto& s : schema["anyOf"]) any = any || validate(value, s, file, path).empty();
      if (!any) return path + " matches no anyOf branch";
    }
    if (schema.contains("not") && validate(value, schema["not"], file, path).empty())
      return path + " matches a \"not\" schema";
    if (value.is_number()) {
      if (schema.contains("minimum") && value < schema["minimum"]) return path + " is below the minimum";
      if (schema.contains("maximum") && value > schema["maximum"]) return path + " is above the maximum";
    }
    if (value.is_string()) {
      const std::string& s = value.get_ref<const std::string&>();
      if (schema.contains("minLength") && s.size() < schema["minLength"].get<std::size_t>())
        return path + " is too short";
      if (schema.contains("maxLength") && s.size() > schema["maxLength"].get<std::size_t>())
        return path + " is too long";
      if (schema.contains("pattern") && !std::regex_search(s, std::regex(schema["pattern"].get<std::string>())))
        return path + " does not match its pattern";
    }
    if (value.is_array()) {
      if (schema.contains("maxItems") && value.size() > schema["maxItems"].get<std::size_t>())
        return path + " has too many items";
      if (schema.contains("items"))
        for (std::size_t i = 0; i < value.size(); ++i) {
          std::string err = validate(value[i], schema["items"], file, path + "[" + std::to_string(i) + "]");
          if (!err.empty()) return err;
        }
    }
    if (value.is_object()) {
      if (schema.contains("required"))
        for (const auto& r : schema["required"])
          if (!value.contains(r.get<std::string>())) return path + " lacks " + r.get<std::string>();
      const Json props = schema.value("properties", Json::object());
      for (auto it = value.begin(); it != value.end(); ++it) {
        if (props.contains(it.key())) {
          std::string err = validate(it.value(), props[it.key()], file, path + "." + it.key());
          if (!err.empty()) return err;
        } else if (schema.contains("additionalProperties") && schema["additionalProperties"] == false) {
          return path + " has unknown property " + it.key();
        }
      }
    }
    return "";
  }

  fs::path dir_;
  std::map<std::string, Json> docs_;
};

std::vector<fs::path> examples(const std::string& kind) {
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(kSource / "schemas/examples/registry" / kind)) files.push_back(e.path());
  std::sort(files.begin(), files.end());
  return files;
}

// The text as a Json for the validator (general profile: floats and null
// reach the schema, which refuses them by type), or null when it is not JSON.
Json for_validator(const std::string& text) {
  auto j = proofs::parse_json(text, proofs::JsonProfile::kGeneral);
  return j ? *j : Json();
}

TEST(RegistrySchema, ValidExamplesPassSchemaAndLoader) {
  MiniValidator v(kSource / "schemas");
  auto files = examples("valid");
  EXPECT_EQ(files.size(), 5u);
  testing::report_vector_count("registry schema valid examples", files.size());
  for (const auto& f : files) {
    std::string text = testing::read_file(f);
    EXPECT_EQ(v.validate_file(for_validator(text), "registry.schema.json"), "") << f;
    EXPECT_THAT(parse_registry(text, f.parent_path()), IsOk()) << f;
  }
}

TEST(RegistrySchema, InvalidExamplesFailSchemaAndLoader) {
  MiniValidator v(kSource / "schemas");
  auto files = examples("invalid");
  EXPECT_EQ(files.size(), 30u);
  testing::report_vector_count("registry schema invalid examples", files.size());
  for (const auto& f : files) {
    std::string text = testing::read_file(f);
    EXPECT_NE(v.validate_file(for_validator(text), "registry.schema.json"), "") << f;
    EXPECT_FALSE(parse_registry(text, f.parent_path()).has_value()) << f;
  }
}

TEST(RegistrySchema, ExampleRegistryPassesTheSchema) {
  MiniValidator v(kSource / "schemas");
  Json j = proofs::parse_json(testing::read_file(kSource / "examples/registry/registry.json")).value();
  EXPECT_EQ(v.validate_file(j, "registry.schema.json"), "");
  for (const auto& w : j["workloads"]) EXPECT_EQ(v.validate_file(w["manifest"], "manifest.schema.json"), "");
}

}  // namespace
}  // namespace verun::runner
