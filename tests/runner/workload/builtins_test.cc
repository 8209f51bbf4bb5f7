// Builtin workloads: sha256sum and wordcount against coreutils, credit-score
// against a hand-computed score, and bad input (DESIGN.md §7).
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "tests/support/matchers.h"
#include "tests/support/temp_dir.h"
#include "verun/proofs/json/strict_json.h"
#include "verun/runner/workload/builtins.h"

namespace verun::runner {
namespace {

using proofs::Json;
using testing::HasCode;
using testing::IsOk;

std::string out(const BuiltinOutput& o) { return proofs::to_string(o.output); }

BuiltinOutput run(std::string_view name, std::string_view input, const std::optional<Json>& config = std::nullopt) {
  return run_builtin(name, config, proofs::as_bytes(input));
}

// stdout of `command < file`, or nullopt when the tool is absent.
std::optional<std::string> coreutils(const std::string& tool, const std::string& input) {
  if (!std::filesystem::exists("/usr/bin/" + tool)) return std::nullopt;
  testing::TempDir dir;
  auto file = dir.path() / "in";
  std::ofstream(file, std::ios::binary) << input;
  std::string cmd = "LC_ALL=C /usr/bin/" + tool + " < '" + file.string() + "'";
  FILE* p = ::popen(cmd.c_str(), "r");
  if (!p) return std::nullopt;
  std::string result;
  char buf[256];
  while (std::size_t n = std::fread(buf, 1, sizeof buf, p)) result.append(buf, n);
  ::pclose(p);
  return result;
}

const std::vector<std::string>& samples() {
  static const std::vector<std::string> s = {
      "", "abc", "hello world\n", "  two\twords  \n\n", "no newline at end", std::string("nul\0byte\n", 9),
      "\v\f\r mixed \n spaces\n", std::string(100000, 'x') + "\n" + std::string(5000, ' '), "\xff\xfe binary \x80\n"};
  return s;
}

TEST(BuiltinSha256sum, KnownDigests) {
  EXPECT_EQ(out(run("sha256sum", "")), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855  -\n");
  EXPECT_EQ(out(run("sha256sum", "abc")), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad  -\n");
  EXPECT_EQ(run("sha256sum", "abc").exit_code, 0);
}

TEST(BuiltinSha256sum, MatchesCoreutils) {
  if (!coreutils("sha256sum", "")) GTEST_SKIP() << "coreutils sha256sum is not installed";
  for (const auto& s : samples()) EXPECT_EQ(out(run("sha256sum", s)), *coreutils("sha256sum", s)) << s.size();
}

TEST(BuiltinWordcount, KnownCounts) {
  EXPECT_EQ(out(run("wordcount", "")), "0 0 0\n");
  EXPECT_EQ(out(run("wordcount", "hello world\n")), "1 2 12\n");
  EXPECT_EQ(out(run("wordcount", "a\n\nb c")), "2 3 6\n");
  // POSIX words: any run of non-whitespace bytes, printable or not.
  EXPECT_EQ(out(run("wordcount", "\xff\xfe binary \x80\n")), "1 3 12\n");
}

TEST(BuiltinWordcount, MatchesCoreutilsCounts) {
  if (!coreutils("wc", "")) GTEST_SKIP() << "coreutils wc is not installed";
  for (const auto& s : samples()) {
    // GNU wc 9 does not count a run of only non-printable bytes as a word
    // (POSIX does, and so do we): compare text samples only.
    if (s.find('\x80') != std::string::npos) continue;
    // wc pads its columns; compare the three numbers.
    unsigned long l1 = 0, w1 = 0, b1 = 0, l2 = 0, w2 = 0, b2 = 0;
    ASSERT_EQ(std::sscanf(out(run("wordcount", s)).c_str(), "%lu %lu %lu", &l1, &w1, &b1), 3);
    ASSERT_EQ(std::sscanf(coreutils("wc", s)->c_str(), "%lu %lu %lu", &l2, &w2, &b2), 3);
    EXPECT_EQ(l1, l2) << s.size();
    EXPECT_EQ(w1, w2) << s.size();
    EXPECT_EQ(b1, b2) << s.size();
  }
}

TEST(Builtins, NamesAndConfigChecks) {
  EXPECT_EQ(builtin_names(), (std::vector<std::string_view>{"credit-score", "sha256sum", "wordcount"}));
  EXPECT_TRUE(is_builtin("wordcount"));
  EXPECT_FALSE(is_builtin("cat"));
  EXPECT_THAT(check_builtin_config("sha256sum", std::nullopt), IsOk());
  EXPECT_THAT(check_builtin_config("cat", std::nullopt), HasCode(ErrorCode::kWorkloadUnknownBuiltin));
  EXPECT_THAT(check_builtin_config("wordcount", Json::object()), HasCode(ErrorCode::kWorkloadBadConfig));
  EXPECT_THAT(check_builtin_config("credit-score", std::nullopt), HasCode(ErrorCode::kWorkloadBadConfig));
  BuiltinOutput unknown = run("cat", "x");
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_FALSE(unknown.output.empty());
}

// z = -1.2 + 0.00003*income - 2.5*debt_ratio + 0.15*years_employed.
Json credit_model(const std::string& threshold = "0.5") {
  return proofs::parse_json(R"({"model": {"features": [
      {"name": "income", "weight": "0.00003"},
      {"name": "debt_ratio", "weight": "-2.5"},
      {"name": "years_employed", "weight": "0.15"}],
    "bias": "-1.2", "threshold": ")" + threshold + "\"}}")
      .value();
}

TEST(BuiltinCreditScore, HandComputedScores) {
  // z = -1.2 + 1.56 - 0.875 + 0.6 = 0.085; 1/(1+e^-0.085) = 0.52123721...
  auto a = run("credit-score", "income,debt_ratio,years_employed\n52000,0.35,4\n", credit_model());
  EXPECT_EQ(a.exit_code, 0);
  EXPECT_EQ(out(a), R"({"score":"0.5212","approved":true})");
  // z = -1.2 + 0.54 - 2.25 + 0.15 = -2.76; 1/(1+e^2.76) = 0.05952436...
  auto b = run("credit-score", "years_employed,income,debt_ratio,extra\n1,18000,0.9,zzz", credit_model());
  EXPECT_EQ(b.exit_code, 0);
  EXPECT_EQ(out(b), R"({"score":"0.0595","approved":false})");
}

TEST(BuiltinCreditScore, ApprovalComparesThePrintedScore) {
  const std::string in = "income,debt_ratio,years_employed\n52000,0.35,4\n";
  EXPECT_EQ(out(run("credit-score", in, credit_model("0.5212"))), R"({"score":"0.5212","approved":true})");
  EXPECT_EQ(out(run("credit-score", in, credit_model("0.52119"))), R"({"score":"0.5212","approved":true})");
  EXPECT_EQ(out(run("credit-score", in, credit_model("0.52121"))), R"({"score":"0.5212","approved":false})");
  EXPECT_EQ(out(run("credit-score", in, credit_model("0.5213"))), R"({"score":"0.5212","approved":false})");
  EXPECT_EQ(out(run("credit-score", in, credit_model("1"))), R"({"score":"0.5212","approved":false})");
  EXPECT_EQ(out(run("credit-score", in, credit_model("0"))), R"({"score":"0.5212","approved":true})");
}

TEST(BuiltinCreditScore, ExtremeScoresStayInRange) {
  EXPECT_EQ(out(run("credit-score", "income,debt_ratio,years_employed\n99999999999999999999,0,0", credit_model())),
            R"({"score":"1.0000","approved":true})");
  EXPECT_EQ(out(run("credit-score", "income,debt_ratio,years_employed\n-99999999999999999999,0,0", credit_model())),
            R"({"score":"0.0000","approved":false})");
}

TEST(BuiltinCreditScore, BadInputExitsOneWithAMessage) {
  const std::vector<std::string> bad = {
      "",
      "income,debt_ratio,years_employed\n",
      "income,debt_ratio,years_employed\n1,2",
      "income,debt_ratio\n1,2",
      "income,debt_ratio,years_employed\n1,2,3\n4,5,6",
      "income,debt_ratio,years_employed\n1,2,3\n\n",
      "income,income,debt_ratio,years_employed\n1,1,2,3",
      "income,debt_ratio,years_employed\n1e3,2,3",
      "income,debt_ratio,years_employed\n01,2,3",
      "income,debt_ratio,years_employed\n1.,2,3",
      "income,debt_ratio,years_employed\n.5,2,3",
      "income,debt_ratio,years_employed\n+1,2,3",
      "income,debt_ratio,years_employed\n 1,2,3",
      "income,debt_ratio,years_employed\nnan,2,3",
      "income,debt_ratio,years_employed\ninf,2,3",
      "income,debt_ratio,years_employed\n0x10,2,3",
      "income,debt_ratio,years_employed\n1,2,3\r",
      "income,debt_ratio,years_employed\n" + std::string(41, '1') + ",2,3",
      std::string(200000, ',') + "\n" + std::string(200000, ','),
  };
  for (const auto& in : bad) {
    auto r = run("credit-score", in, credit_model());
    EXPECT_EQ(r.exit_code, 1) << in.substr(0, 80);
    EXPECT_FALSE(r.output.empty());
  }
  EXPECT_EQ(run("credit-score", "x", std::nullopt).exit_code, 1);
}

TEST(BuiltinCreditScore, ModelIsCheckedStrictly) {
  auto bad_model = [](const std::string& model) {
    return check_builtin_config("credit-score", proofs::parse_json(model).value());
  };
  const std::string ok_features = R"("features": [{"name": "a", "weight": "1"}])";
  EXPECT_THAT(bad_model(R"({"model": {)" + ok_features + R"(, "bias": "0", "threshold": "0.5"}})"), IsOk());
  const std::vector<std::string> bad = {
      R"({})",
      R"({"model": "x"})",
      R"({"model": {)" + ok_features + R"(, "bias": "0", "threshold": "0.5"}, "extra": 1})",
      R"({"model": {)" + ok_features + R"(, "bias": "0", "threshold": "0.5", "extra": "1"}})",
      R"({"model": {)" + ok_features + R"(, "threshold": "0.5"}})",
      R"({"model": {)" + ok_features + R"(, "bias": "0"}})",
      R"({"model": {)" + ok_features + R"(, "bias": 0, "threshold": "0.5"}})",
      R"({"model": {)" + ok_features + R"(, "bias": "0", "threshold": "1.5"}})",
      R"({"model": {)" + ok_features + R"(, "bias": "0", "threshold": "-0.1"}})",
      R"({"model": {)" + ok_features + R"(, "bias": "1e2", "threshold": "0.5"}})",
      R"({"model": {"features": [], "bias": "0", "threshold": "0.5"}})",
      R"({"model": {"features": [{"name": "a", "weight": "1"}, {"name": "a", "weight": "2"}], "bias": "0", "threshold": "0.5"}})",
      R"({"model": {"features": [{"name": "a b", "weight": "1"}], "bias": "0", "threshold": "0.5"}})",
      R"({"model": {"features": [{"name": "a", "weight": "1", "unit": "x"}], "bias": "0", "threshold": "0.5"}})",
      R"({"model": {"features": [{"name": "a"}], "bias": "0", "threshold": "0.5"}})",
      R"({"model": {"features": ["a"], "bias": "0", "threshold": "0.5"}})",
  };
  for (const auto& m : bad) EXPECT_THAT(bad_model(m), HasCode(ErrorCode::kWorkloadBadConfig)) << m;
}

}  // namespace
}  // namespace verun::runner
