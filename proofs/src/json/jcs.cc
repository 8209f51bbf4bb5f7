// RFC 8785 JSON Canonicalization Scheme: §3.2.2 (literals, strings,
// numbers), §3.2.3 (member order by UTF-16 code units). The writer keeps an
// explicit stack, so no input depth can exhaust the call stack.
#include "verun/proofs/json/jcs.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "utf8.h"

namespace verun::proofs {
namespace {

constexpr std::uint64_t kMaxSafeInteger = (std::uint64_t{1} << 53) - 1;  // 2^53-1
constexpr std::uint64_t kTwoTo53 = std::uint64_t{1} << 53;

using Member = Json::object_t::value_type;

// Decodes the code point at s[i] (s is well-formed UTF-8) and advances i.
char32_t next_code_point(std::string_view s, std::size_t& i) {
  const auto c = static_cast<unsigned char>(s[i]);
  auto cont = [&](std::size_t j) { return static_cast<char32_t>(static_cast<unsigned char>(s[i + j]) & 0x3F); };
  char32_t cp;
  std::size_t len;
  if (c < 0x80) {
    cp = c;
    len = 1;
  } else if (c < 0xE0) {
    cp = (static_cast<char32_t>(c & 0x1F) << 6) | cont(1);
    len = 2;
  } else if (c < 0xF0) {
    cp = (static_cast<char32_t>(c & 0x0F) << 12) | (cont(1) << 6) | cont(2);
    len = 3;
  } else {
    cp = (static_cast<char32_t>(c & 0x07) << 18) | (cont(1) << 12) | (cont(2) << 6) | cont(3);
    len = 4;
  }
  i += len;
  return cp;
}

// A weight per code point whose order is the order of the code points'
// UTF-16 encodings: U+E000..U+FFFF sort after every supplementary character
// (whose high surrogates are 0xD800..0xDBFF); everything else keeps its
// code point order, which is also UTF-8 byte order.
char32_t utf16_weight(char32_t cp) { return cp >= 0xE000 && cp <= 0xFFFF ? cp + 0x200000 : cp; }

// RFC 8785 §3.2.3: compare names as arrays of UTF-16 code units.
bool utf16_less(std::string_view a, std::string_view b) {
  std::size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (a[i] == b[j] && static_cast<unsigned char>(a[i]) < 0x80) {
      ++i;
      ++j;
      continue;
    }
    const char32_t ca = utf16_weight(next_code_point(a, i));
    const char32_t cb = utf16_weight(next_code_point(b, j));
    if (ca != cb) return ca < cb;
  }
  return i == a.size() && j < b.size();
}

// True when byte order (std::map's) may differ from UTF-16 order for a name,
// i.e. it holds a code point at or above U+E000 (lead byte 0xEE or more).
bool has_high_code_point(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) >= 0xEE; });
}

class Writer {
 public:
  explicit Writer(JsonProfile profile) : verun_(profile == JsonProfile::kVerun) {}

  Result<std::string> run(const Json& root) {
    if (!value(root)) return std::move(*error_);
    while (!stack_.empty()) {
      Frame& f = stack_.back();
      if (f.next == f.size) {
        out_ += f.array ? ']' : '}';
        stack_.pop_back();
        continue;
      }
      const std::size_t idx = f.next++;
      if (idx > 0) out_ += ',';
      const Json* v;
      if (f.array) {
        v = &(*f.array)[idx];
      } else {
        const Member* m = f.members[idx];
        if (!string(m->first)) return std::move(*error_);
        out_ += ':';
        v = &m->second;
      }
      if (!value(*v)) return std::move(*error_);  // may push a frame (f is then stale)
    }
    return std::move(out_);
  }

 private:
  struct Frame {
    const Json::array_t* array = nullptr;  // set for arrays
    std::vector<const Member*> members;    // sorted, for objects
    std::size_t size = 0;
    std::size_t next = 0;
  };

  bool fail(ErrorCode code, std::string message) {
    error_.emplace(code, std::move(message));
    return false;
  }

  // Writes a scalar, or the opening bracket of a container and pushes it.
  bool value(const Json& v) {
    switch (v.type()) {
      case Json::value_t::null:
        if (verun_) return fail(ErrorCode::kJsonNullNotAllowed, "null is not allowed");
        out_ += "null";
        return true;
      case Json::value_t::boolean:
        out_ += v.get<bool>() ? "true" : "false";
        return true;
      case Json::value_t::number_integer:
        return integer(v.get<std::int64_t>());
      case Json::value_t::number_unsigned:
        return unsigned_integer(v.get<std::uint64_t>(), false);
      case Json::value_t::number_float: {
        const double d = v.get<double>();
        if (!std::isfinite(d))
          return fail(ErrorCode::kJsonNonFiniteNumber, "number " + es6_number_to_string(d) + " is not finite");
        if (verun_)
          return fail(ErrorCode::kJsonFloatNotAllowed,
                      "floating-point number " + es6_number_to_string(d) + " is not allowed");
        out_ += es6_number_to_string(d);
        return true;
      }
      case Json::value_t::string:
        return string(v.get_ref<const std::string&>());
      case Json::value_t::array: {
        const auto& elements = v.get_ref<const Json::array_t&>();
        out_ += '[';
        Frame f;
        f.array = &elements;
        f.size = elements.size();
        stack_.push_back(std::move(f));
        return true;
      }
      case Json::value_t::object: {
        const auto& members = v.get_ref<const Json::object_t&>();
        out_ += '{';
        Frame f;
        f.members.reserve(members.size());
        bool reorder = false;
        for (const auto& m : members) {
          f.members.push_back(&m);
          reorder = reorder || has_high_code_point(m.first);
        }
        // std::map keeps names in byte order, which is UTF-16 order unless a
        // name holds a code point at or above U+E000 (RFC 8785 §3.2.3).
        if (reorder)
          std::sort(f.members.begin(), f.members.end(),
                    [](const Member* a, const Member* b) { return utf16_less(a->first, b->first); });
        f.size = members.size();
        stack_.push_back(std::move(f));
        return true;
      }
      case Json::value_t::binary:
      case Json::value_t::discarded:
        break;
    }
    return fail(ErrorCode::kJsonUnsupportedType, "value of type " + std::string(v.type_name()) +
                                                     " has no json form");
  }

  bool integer(std::int64_t n) {
    if (n < 0) {
      // -(n+1) avoids overflow at INT64_MIN.
      const std::uint64_t magnitude = static_cast<std::uint64_t>(-(n + 1)) + 1;
      return unsigned_integer(magnitude, true);
    }
    return unsigned_integer(static_cast<std::uint64_t>(n), false);
  }

  bool unsigned_integer(std::uint64_t magnitude, bool negative) {
    if (verun_ && magnitude > kMaxSafeInteger)
      return fail(ErrorCode::kJsonIntegerOutOfRange,
                  "integer " + std::string(negative ? "-" : "") + std::to_string(magnitude) +
                      " is outside -(2^53-1)..2^53-1");
    if (magnitude <= kTwoTo53) {  // exact as a double: ES6 prints the digits
      if (negative && magnitude != 0) out_ += '-';
      out_ += std::to_string(magnitude);
    } else {  // RFC 8785 numbers are IEEE-754 doubles: round, then print
      const double d = static_cast<double>(magnitude);
      out_ += es6_number_to_string(negative ? -d : d);
    }
    return true;
  }

  // RFC 8785 §3.2.2.2: escape '"', '\\' and U+0000..U+001F (the short forms
  // \b \t \n \f \r where they exist, else \u00xx in lowercase hex); every
  // other character is written as its UTF-8 bytes.
  bool string(const std::string& s) {
    if (auto bad = json_detail::find_invalid_utf8(s))
      return fail(ErrorCode::kJsonInvalidUtf8, "string has ill-formed utf-8 at byte " + std::to_string(*bad));
    static constexpr char kHex[] = "0123456789abcdef";
    out_ += '"';
    std::size_t run = 0;  // start of the pending literal run
    for (std::size_t i = 0; i < s.size(); ++i) {
      const auto c = static_cast<unsigned char>(s[i]);
      if (c >= 0x20 && c != '"' && c != '\\') continue;
      out_.append(s, run, i - run);
      run = i + 1;
      switch (c) {
        case '"': out_ += "\\\""; break;
        case '\\': out_ += "\\\\"; break;
        case '\b': out_ += "\\b"; break;
        case '\t': out_ += "\\t"; break;
        case '\n': out_ += "\\n"; break;
        case '\f': out_ += "\\f"; break;
        case '\r': out_ += "\\r"; break;
        default:
          out_ += "\\u00";
          out_ += kHex[c >> 4];
          out_ += kHex[c & 0xF];
      }
    }
    out_.append(s, run, std::string::npos);
    out_ += '"';
    return true;
  }

  bool verun_;
  std::string out_;
  std::vector<Frame> stack_;
  std::optional<Error> error_;
};

}  // namespace

Result<std::string> jcs_serialize(const Json& value, JsonProfile profile) {
  return Writer(profile).run(value);
}

Result<std::string> jcs_canonicalize(std::string_view text, JsonProfile profile,
                                     const JsonLimits& limits) {
  VERUN_ASSIGN_OR_RETURN(Json value, parse_json(text, profile, limits));
  return jcs_serialize(value, profile);
}

}  // namespace verun::proofs
