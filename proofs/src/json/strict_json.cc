// Strict JSON parsing: nlohmann's SAX parser (RFC 8259 grammar, non-throwing)
// feeding a handler of ours that builds the value and enforces verun's rules
// (DESIGN.md §10): depth, duplicate keys, and in the kVerun profile no
// floats, no null and |integer| <= 2^53-1.
#include "verun/proofs/json/strict_json.h"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "utf8.h"

namespace verun::proofs {
namespace {

constexpr std::uint64_t kMaxSafeInteger = (std::uint64_t{1} << 53) - 1;  // 2^53-1

// Error messages quote at most this many bytes of a key or number.
constexpr std::size_t kMaxQuoted = 64;

std::string quote(std::string_view s) {
  std::string out = "'";
  out.append(s.substr(0, kMaxQuoted));
  if (s.size() > kMaxQuoted) out += "...";
  out += "'";
  return out;
}

bool has_fraction_or_exponent(std::string_view lexeme) {
  return lexeme.find_first_of(".eE") != std::string_view::npos;
}

// Builds the value while nlohmann's parser walks the text. Any handler
// returning false stops the parser at once; the first error is kept.
class StrictHandler {
 public:
  StrictHandler(JsonProfile profile, std::size_t max_depth)
      : verun_(profile == JsonProfile::kVerun), max_depth_(max_depth) {}

  bool null() {
    if (verun_) return fail(ErrorCode::kJsonNullNotAllowed, "null is not allowed" + where());
    return put(Json(nullptr));
  }
  bool boolean(bool v) { return put(Json(v)); }

  bool number_integer(Json::number_integer_t v) {
    // nlohmann reports only negative integers here; non-negative ones come
    // as number_unsigned.
    if (verun_ && (v < -static_cast<std::int64_t>(kMaxSafeInteger) ||
                   v > static_cast<std::int64_t>(kMaxSafeInteger)))
      return fail(ErrorCode::kJsonIntegerOutOfRange,
                  "integer " + std::to_string(v) + " is outside -(2^53-1)..2^53-1" + where());
    return put(Json(v));
  }
  bool number_unsigned(Json::number_unsigned_t v) {
    if (verun_ && v > kMaxSafeInteger)
      return fail(ErrorCode::kJsonIntegerOutOfRange,
                  "integer " + std::to_string(v) + " is outside -(2^53-1)..2^53-1" + where());
    return put(Json(v));
  }
  bool number_float(Json::number_float_t v, const std::string& lexeme) {
    if (verun_) {
      // An integer too large for 64 bits also arrives here.
      if (!has_fraction_or_exponent(lexeme))
        return fail(ErrorCode::kJsonIntegerOutOfRange,
                    "integer " + quote(lexeme) + " is outside -(2^53-1)..2^53-1" + where());
      return fail(ErrorCode::kJsonFloatNotAllowed,
                  "number " + quote(lexeme) + " has a fraction or exponent" + where());
    }
    return put(Json(v));
  }
  bool string(std::string& s) { return put(Json(std::move(s))); }
  bool binary(Json::binary_t&) {  // never produced by the JSON format
    return fail(ErrorCode::kJsonUnsupportedType, "binary value" + where());
  }

  bool start_object(std::size_t) { return open(Json::object()); }
  bool key(std::string& k) {
    auto& members = stack_.back()->get_ref<Json::object_t&>();
    if (members.find(k) != members.end())
      return fail(ErrorCode::kJsonDuplicateKey, "duplicate key " + quote(k) + where());
    key_ = std::move(k);
    return true;
  }
  bool end_object() { return close(); }
  bool start_array(std::size_t) { return open(Json::array()); }
  bool end_array() { return close(); }

  bool parse_error(std::size_t position, const std::string& last_token,
                   const nlohmann::detail::exception& ex) {
    std::string_view what = ex.what();
    // Drop nlohmann's "[json.exception.parse_error.101] " prefix.
    if (auto p = what.find("] "); p != std::string_view::npos) what.remove_prefix(p + 2);
    // ...and its "parse error at line L, column C: " (we give the byte offset).
    if (what.starts_with("parse error at line"))
      if (auto p = what.find(": "); p != std::string_view::npos) what.remove_prefix(p + 2);
    // The offset of the last byte read (nlohmann counts bytes read so far).
    const std::string at = " at byte " + std::to_string(position > 0 ? position - 1 : 0);
    if (ex.id == 406) {  // a number too large for a double
      if (!verun_)
        return fail(ErrorCode::kJsonNonFiniteNumber, "number " + quote(last_token) + " overflows a double" + at);
      if (has_fraction_or_exponent(last_token))
        return fail(ErrorCode::kJsonFloatNotAllowed,
                    "number " + quote(last_token) + " has a fraction or exponent" + at);
      return fail(ErrorCode::kJsonIntegerOutOfRange,
                  "integer " + quote(last_token) + " is outside -(2^53-1)..2^53-1" + at);
    }
    if (what.find("surrogate") != std::string_view::npos)
      return fail(ErrorCode::kJsonLoneSurrogate, "lone surrogate in a \\u escape" + at);
    // Keep nlohmann's reason but not its "last read" echo of the input,
    // which could be a long string or a secret; the offset locates it.
    if (auto p = what.find("; last read"); p != std::string_view::npos) what = what.substr(0, p);
    if (what.size() > 160) what = what.substr(0, 160);
    return fail(ErrorCode::kJsonSyntax, "syntax error" + at + ": " + std::string(what));
  }

  bool failed() const { return error_.has_value(); }
  Error take_error() { return std::move(*error_); }
  Json take_root() { return std::move(root_); }

 private:
  std::string where() const {
    if (stack_.empty()) return "";
    return " at depth " + std::to_string(stack_.size());
  }

  bool fail(ErrorCode code, std::string message) {
    if (!error_) error_.emplace(code, std::move(message));
    return false;
  }

  // Places v in the current container (or as the root) and returns where
  // it landed. Pointers stay valid: a container is filled only while it is
  // the innermost open one, and object members live in std::map nodes.
  Json* place(Json&& v) {
    if (stack_.empty()) {
      root_ = std::move(v);
      return &root_;
    }
    Json* parent = stack_.back();
    if (parent->is_array()) {
      auto& elements = parent->get_ref<Json::array_t&>();
      elements.push_back(std::move(v));
      return &elements.back();
    }
    auto& members = parent->get_ref<Json::object_t&>();
    auto [it, inserted] = members.emplace(std::move(key_), std::move(v));
    (void)inserted;  // duplicates were refused in key()
    return &it->second;
  }

  bool put(Json&& v) {
    place(std::move(v));
    return true;
  }

  bool open(Json&& container) {
    if (stack_.size() >= max_depth_)
      return fail(ErrorCode::kJsonTooDeep,
                  "nesting deeper than " + std::to_string(max_depth_) + " levels");
    stack_.push_back(place(std::move(container)));
    return true;
  }

  bool close() {
    stack_.pop_back();
    return true;
  }

  bool verun_;
  std::size_t max_depth_;
  Json root_;
  std::vector<Json*> stack_;
  std::string key_;
  std::optional<Error> error_;
};

}  // namespace

Result<Json> parse_json(std::string_view text, JsonProfile profile, const JsonLimits& limits) {
  if (text.size() > limits.max_bytes)
    return Error(ErrorCode::kJsonTooLarge, "json text of " + std::to_string(text.size()) +
                                               " bytes exceeds the limit of " +
                                               std::to_string(limits.max_bytes));
  // RFC 8259 §8.1: the text is UTF-8. Checked over the whole text (not only
  // inside strings) so that every ill-formed byte gets the same code.
  if (auto bad = json_detail::find_invalid_utf8(text))
    return Error(ErrorCode::kJsonInvalidUtf8, "ill-formed utf-8 at byte " + std::to_string(*bad));
  // RFC 8259 §8.1 lets a parser ignore a byte order mark; nlohmann does,
  // verun refuses it so that one document has one byte form.
  if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF")
    return Error(ErrorCode::kJsonSyntax, "byte order mark at byte 0");

  // No NUL byte is valid anywhere in JSON text (inside a string it must be
  // escaped), and nlohmann's lexer would take one for the end of input,
  // silently accepting whatever follows it.
  if (auto nul = text.find('\0'); nul != std::string_view::npos)
    return Error(ErrorCode::kJsonSyntax, "nul byte at byte " + std::to_string(nul));

  StrictHandler handler(profile, limits.max_depth);
  const bool ok = Json::sax_parse(text.data(), text.data() + text.size(), &handler,
                                  nlohmann::detail::input_format_t::json, /*strict=*/true,
                                  /*ignore_comments=*/false);
  if (handler.failed()) return handler.take_error();
  if (!ok) return Error(ErrorCode::kJsonSyntax, "json text rejected");  // not reached
  return handler.take_root();
}

}  // namespace verun::proofs
