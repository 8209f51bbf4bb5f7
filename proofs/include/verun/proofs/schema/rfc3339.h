// RFC 3339 §5.6 times as DESIGN.md §3 and §10 restrict them: UTC only,
// "YYYY-MM-DDTHH:MM:SS[.fraction]Z", uppercase T and Z, 1 to 9 fraction
// digits, a real Gregorian calendar date, no leap second (60) and years
// 0000-9999. Timestamp is seconds and nanoseconds since the Unix epoch.
// Stateless, thread-safe.
#pragma once

#include <chrono>
#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "verun/result.h"

namespace verun::proofs {

struct Timestamp {
  std::int64_t seconds = 0;  // since 1970-01-01T00:00:00Z, may be negative
  std::uint32_t nanos = 0;   // 0 .. 999,999,999

  auto operator<=>(const Timestamp&) const = default;
  bool operator==(const Timestamp&) const = default;

  static Timestamp from_time_point(std::chrono::system_clock::time_point tp);
  // Clamped to system_clock's range (about 1678 to 2262).
  std::chrono::system_clock::time_point to_time_point() const;
};

// kTimeInvalid on anything but the form above.
Result<Timestamp> parse_rfc3339(std::string_view text);
// "YYYY-MM-DDTHH:MM:SSZ", with a fraction (trailing zeros dropped) only
// when nanos != 0. Precondition: the year is within 0000-9999.
std::string format_rfc3339(const Timestamp& t);
std::string format_rfc3339(std::chrono::system_clock::time_point tp);

}  // namespace verun::proofs
