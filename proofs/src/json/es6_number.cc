// ES6 Number.prototype.toString for doubles, as RFC 8785 §3.2.2.3 requires
// (ECMA-262 6th edition §7.1.12.1, Number::toString). The shortest digits
// that round-trip come from std::to_chars; this file applies ECMAScript's
// choice between plain and exponential layouts.
#include <charconv>
#include <cmath>
#include <string>
#include <string_view>

#include "verun/proofs/json/jcs.h"

namespace verun::proofs {

std::string es6_number_to_string(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "Infinity" : "-Infinity";
  if (value == 0) return "0";  // both +0 and -0 (ECMA-262 step 2)

  std::string out;
  if (value < 0) {
    out += '-';
    value = -value;
  }
  // Shortest round-trip digits as d[.ddd]e<sign><exp>. When several digit
  // strings of the shortest length round-trip, to_chars picks the closest,
  // which is ECMA-262's rule too (the note to step 5).
  char buf[64];
  const auto res = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::scientific);
  const std::string_view sci(buf, static_cast<std::size_t>(res.ptr - buf));
  const std::size_t epos = sci.find('e');
  std::string digits(1, sci[0]);
  if (epos > 1) digits.append(sci.substr(2, epos - 2));
  int exp10 = 0;
  std::string_view e = sci.substr(epos + 1);
  const bool negative_exp = e.front() == '-';
  if (e.front() == '+' || e.front() == '-') e.remove_prefix(1);
  std::from_chars(e.data(), e.data() + e.size(), exp10);
  if (negative_exp) exp10 = -exp10;

  // ECMA-262 names: k digits, value = 0.digits * 10^n.
  const int k = static_cast<int>(digits.size());
  const int n = exp10 + 1;
  if (k <= n && n <= 21) {  // integer: digits then n-k zeros
    out += digits;
    out.append(static_cast<std::size_t>(n - k), '0');
  } else if (0 < n && n <= 21) {  // point inside the digits
    out.append(digits, 0, static_cast<std::size_t>(n));
    out += '.';
    out.append(digits, static_cast<std::size_t>(n));
  } else if (-6 < n && n <= 0) {  // 0.000ddd
    out += "0.";
    out.append(static_cast<std::size_t>(-n), '0');
    out += digits;
  } else {  // exponential: d[.ddd]e(+|-)x
    out += digits[0];
    if (k > 1) {
      out += '.';
      out.append(digits, 1);
    }
    out += 'e';
    out += n - 1 > 0 ? '+' : '-';
    out += std::to_string(std::abs(n - 1));
  }
  return out;
}

}  // namespace verun::proofs
