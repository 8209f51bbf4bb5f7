// RFC 3339 §5.6 UTC times as DESIGN.md §10 restricts them; see rfc3339.h.
#include "verun/proofs/schema/rfc3339.h"

#include <cstdio>

namespace verun::proofs {
namespace {

using namespace std::chrono;

Error invalid(std::string_view text, std::string_view why) {
  std::string shown(text.substr(0, 64));
  return Error(ErrorCode::kTimeInvalid, "time '" + shown + "' " + std::string(why));
}

bool digits(std::string_view s, std::size_t pos, std::size_t n, int& out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  out = v;
  return true;
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

}  // namespace

Timestamp Timestamp::from_time_point(system_clock::time_point tp) {
  auto ns = duration_cast<nanoseconds>(tp.time_since_epoch()).count();
  Timestamp t;
  t.seconds = floor_div(ns, 1'000'000'000);
  t.nanos = static_cast<std::uint32_t>(ns - t.seconds * 1'000'000'000);
  return t;
}

system_clock::time_point Timestamp::to_time_point() const {
  // system_clock counts nanoseconds in 64 bits (about 1678 to 2262): clamp.
  using Tp = system_clock::time_point;
  constexpr std::int64_t kLimit = 9'000'000'000;  // seconds, inside the range
  if (seconds > kLimit) return Tp::max();
  if (seconds < -kLimit) return Tp::min();
  return Tp(duration_cast<system_clock::duration>(duration<std::int64_t>(seconds) + nanoseconds(nanos)));
}

Result<Timestamp> parse_rfc3339(std::string_view s) {
  // YYYY-MM-DDTHH:MM:SS[.f{1,9}]Z
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, se = 0;
  if (s.size() < 20 || !digits(s, 0, 4, y) || s[4] != '-' || !digits(s, 5, 2, mo) || s[7] != '-' ||
      !digits(s, 8, 2, d) || s[10] != 'T' || !digits(s, 11, 2, h) || s[13] != ':' || !digits(s, 14, 2, mi) ||
      s[16] != ':' || !digits(s, 17, 2, se))
    return invalid(s, "is not of the form YYYY-MM-DDTHH:MM:SSZ");
  std::size_t pos = 19;
  std::uint32_t nanos = 0;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    std::size_t start = pos;
    std::uint32_t scale = 100'000'000;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      if (pos - start >= 9) return invalid(s, "has more than 9 fraction digits");
      nanos += static_cast<std::uint32_t>(s[pos] - '0') * scale;
      scale /= 10;
      ++pos;
    }
    if (pos == start) return invalid(s, "has an empty fraction");
  }
  if (pos + 1 != s.size() || s[pos] != 'Z') return invalid(s, "does not end in Z right after the seconds");
  if (h > 23 || mi > 59 || se > 59) return invalid(s, "has an out-of-range time of day");
  year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return invalid(s, "is not a calendar date");
  Timestamp t;
  t.seconds = static_cast<std::int64_t>(sys_days(ymd).time_since_epoch().count()) * 86400 + h * 3600 + mi * 60 + se;
  t.nanos = nanos;
  return t;
}

std::string format_rfc3339(const Timestamp& t) {
  std::int64_t days_since = floor_div(t.seconds, 86400);
  std::int64_t rest = t.seconds - days_since * 86400;
  year_month_day ymd{sys_days{days{days_since}}};
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()), static_cast<int>(rest / 3600),
                static_cast<int>(rest / 60 % 60), static_cast<int>(rest % 60));
  std::string out(buf);
  if (t.nanos != 0) {
    char frac[16];
    std::snprintf(frac, sizeof frac, ".%09u", static_cast<unsigned>(t.nanos % 1'000'000'000));
    std::string f(frac);
    while (f.back() == '0') f.pop_back();
    out += f;
  }
  out += 'Z';
  return out;
}

std::string format_rfc3339(system_clock::time_point tp) { return format_rfc3339(Timestamp::from_time_point(tp)); }

}  // namespace verun::proofs
