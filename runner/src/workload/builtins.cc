// Builtin workloads: sha256sum, wordcount, credit-score (DESIGN.md §7).
#include "verun/runner/workload/builtins.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <map>
#include <string>

#include "verun/proofs/hex.h"
#include "verun/proofs/sha2.h"

namespace verun::runner {
namespace {

using proofs::Bytes;
using proofs::ByteView;
using proofs::Json;

constexpr std::size_t kMaxDecimalChars = 40;
constexpr std::size_t kMaxFeatures = 256;
constexpr std::size_t kMaxFeatureNameBytes = 64;
constexpr std::size_t kMaxColumns = 4096;

BuiltinOutput fail(std::string_view message) {
  BuiltinOutput out;
  out.exit_code = 1;
  out.output = proofs::to_bytes(std::string(message) + "\n");
  return out;
}

BuiltinOutput succeed(std::string text) { return BuiltinOutput{0, proofs::to_bytes(text)}; }

BuiltinOutput run_sha256sum(ByteView input) {
  return succeed(proofs::hex_encode(proofs::sha256(input)) + "  -\n");
}

// wc's definitions: lines = newline characters; words = maximal runs of
// non-space bytes (C locale: space, \t, \n, \v, \f, \r separate); bytes.
BuiltinOutput run_wordcount(ByteView input) {
  std::uint64_t lines = 0, words = 0;
  bool in_word = false;
  for (std::uint8_t c : input) {
    if (c == '\n') ++lines;
    bool space = c == ' ' || (c >= '\t' && c <= '\r');
    if (space) {
      in_word = false;
    } else if (!in_word) {
      in_word = true;
      ++words;
    }
  }
  return succeed(std::to_string(lines) + " " + std::to_string(words) + " " + std::to_string(input.size()) + "\n");
}

// -?(0|[1-9][0-9]*)(\.[0-9]+)?, at most kMaxDecimalChars; the nearest double.
std::optional<double> parse_decimal(std::string_view s) {
  if (s.empty() || s.size() > kMaxDecimalChars) return std::nullopt;
  std::size_t i = 0;
  if (s[i] == '-') ++i;
  std::size_t int_start = i;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
  std::size_t int_len = i - int_start;
  if (int_len == 0 || (int_len > 1 && s[int_start] == '0')) return std::nullopt;
  if (i < s.size()) {
    if (s[i] != '.') return std::nullopt;
    ++i;
    std::size_t frac_start = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    if (i == frac_start || i != s.size()) return std::nullopt;
  }
  double v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v, std::chars_format::fixed);
  if (ec != std::errc() || p != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

bool valid_feature_name(std::string_view s) {
  if (s.empty() || s.size() > kMaxFeatureNameBytes) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}

struct CreditModel {
  std::vector<std::pair<std::string, double>> features;  // name, weight
  double bias = 0;
  double threshold = 0;
};

Result<double> decimal_member(const Json& obj, const char* name, const std::string& where) {
  auto it = obj.find(name);
  if (it == obj.end()) return Error(ErrorCode::kWorkloadBadConfig, where + "." + name + " is missing");
  if (!it->is_string())
    return Error(ErrorCode::kWorkloadBadConfig, where + "." + name + " must be a decimal string");
  auto v = parse_decimal(it->get_ref<const std::string&>());
  if (!v) return Error(ErrorCode::kWorkloadBadConfig, where + "." + name + " is not a decimal");
  return *v;
}

Result<void> only_members(const Json& obj, std::initializer_list<std::string_view> names, const std::string& where) {
  for (auto it = obj.begin(); it != obj.end(); ++it)
    if (std::find(names.begin(), names.end(), it.key()) == names.end())
      return Error(ErrorCode::kWorkloadBadConfig, "unknown field " + where + "." + it.key().substr(0, 64));
  return ok();
}

Result<CreditModel> parse_credit_model(const std::optional<Json>& config) {
  if (!config || !config->is_object())
    return Error(ErrorCode::kWorkloadBadConfig, "credit-score needs config {\"model\": {...}}");
  VERUN_TRY(only_members(*config, {"model"}, "config"));
  auto m = config->find("model");
  if (m == config->end() || !m->is_object())
    return Error(ErrorCode::kWorkloadBadConfig, "config.model is missing or not an object");
  VERUN_TRY(only_members(*m, {"features", "bias", "threshold"}, "config.model"));
  CreditModel model;
  VERUN_ASSIGN_OR_RETURN(model.bias, decimal_member(*m, "bias", "config.model"));
  VERUN_ASSIGN_OR_RETURN(model.threshold, decimal_member(*m, "threshold", "config.model"));
  if (model.threshold < 0 || model.threshold > 1)
    return Error(ErrorCode::kWorkloadBadConfig, "config.model.threshold must be between 0 and 1");
  auto f = m->find("features");
  if (f == m->end() || !f->is_array() || f->empty() || f->size() > kMaxFeatures)
    return Error(ErrorCode::kWorkloadBadConfig, "config.model.features must be an array of 1 to 256 features");
  for (std::size_t i = 0; i < f->size(); ++i) {
    const Json& e = (*f)[i];
    std::string where = "config.model.features[" + std::to_string(i) + "]";
    if (!e.is_object()) return Error(ErrorCode::kWorkloadBadConfig, where + " must be an object");
    VERUN_TRY(only_members(e, {"name", "weight"}, where));
    auto n = e.find("name");
    if (n == e.end() || !n->is_string() || !valid_feature_name(n->get_ref<const std::string&>()))
      return Error(ErrorCode::kWorkloadBadConfig, where + ".name must be 1-64 of [A-Za-z0-9_]");
    const auto& name = n->get_ref<const std::string&>();
    for (const auto& [seen, w] : model.features)
      if (seen == name) return Error(ErrorCode::kWorkloadBadConfig, "feature " + name + " appears twice");
    VERUN_ASSIGN_OR_RETURN(double weight, decimal_member(e, "weight", where));
    model.features.emplace_back(name, weight);
  }
  return model;
}

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    std::size_t p = s.find(sep, start);
    parts.push_back(s.substr(start, p == std::string_view::npos ? std::string_view::npos : p - start));
    if (p == std::string_view::npos) break;
    start = p + 1;
    if (parts.size() > kMaxColumns) break;
  }
  return parts;
}

// Exactly 4 decimals of x in [0, 1].
std::string format_score(double x) {
  std::array<char, 32> buf{};
  auto [p, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), x, std::chars_format::fixed, 4);
  if (ec != std::errc()) return "0.0000";
  return std::string(buf.data(), p);
}

}  // namespace

std::vector<std::string_view> builtin_names() { return {"credit-score", "sha256sum", "wordcount"}; }

bool is_builtin(std::string_view name) {
  auto names = builtin_names();
  return std::find(names.begin(), names.end(), name) != names.end();
}

Result<void> check_builtin_config(std::string_view name, const std::optional<Json>& config) {
  if (!is_builtin(name))
    return Error(ErrorCode::kWorkloadUnknownBuiltin, "no builtin function named " + std::string(name.substr(0, 64)));
  if (name == "credit-score") {
    VERUN_ASSIGN_OR_RETURN(CreditModel model, parse_credit_model(config));
    (void)model;
    return ok();
  }
  if (config) return Error(ErrorCode::kWorkloadBadConfig, "builtin " + std::string(name) + " takes no config");
  return ok();
}

BuiltinOutput credit_score(const Json& config, ByteView input) {
  auto model = parse_credit_model(config);
  if (!model) return fail("bad model: " + model.error().message);
  std::string_view text = proofs::as_string_view(input);
  if (text.size() > 1024 * 1024) return fail("input is longer than 1 MiB");
  if (!text.empty() && text.back() == '\n') text.remove_suffix(1);
  auto lines = split(text, '\n');
  if (lines.size() != 2) return fail("input must be a CSV header line and one data line");
  auto header = split(lines[0], ',');
  auto values = split(lines[1], ',');
  if (header.size() > kMaxColumns) return fail("too many columns");
  if (header.size() != values.size())
    return fail("the data line has " + std::to_string(values.size()) + " fields, the header " +
                std::to_string(header.size()));
  std::map<std::string_view, std::string_view> row;
  for (std::size_t i = 0; i < header.size(); ++i)
    if (!row.emplace(header[i], values[i]).second) return fail("column " + std::string(header[i].substr(0, 64)) + " appears twice");
  double z = model->bias;
  for (const auto& [name, weight] : model->features) {
    auto it = row.find(name);
    if (it == row.end()) return fail("column " + name + " is missing");
    auto v = parse_decimal(it->second);
    if (!v) return fail("column " + name + " is not a decimal");
    z += weight * *v;
  }
  if (!std::isfinite(z)) return fail("the score is not a finite number");
  double score = 1.0 / (1.0 + std::exp(-z));
  std::string printed = format_score(score);
  // approved compares the printed score with the threshold (both decimals
  // read as nearest doubles, which preserves their order).
  double shown = parse_decimal(printed).value_or(0);
  bool approved = shown >= model->threshold;
  return succeed("{\"score\":\"" + printed + "\",\"approved\":" + (approved ? "true" : "false") + "}");
}

BuiltinOutput run_builtin(std::string_view name, const std::optional<Json>& config, ByteView input) {
  if (name == "sha256sum") return run_sha256sum(input);
  if (name == "wordcount") return run_wordcount(input);
  if (name == "credit-score") {
    if (!config) return fail("credit-score needs a model in its config");
    return credit_score(*config, input);
  }
  return fail("no builtin function named " + std::string(name.substr(0, 64)));
}

}  // namespace verun::runner
