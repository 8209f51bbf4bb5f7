// Fuzz target for jcs_serialize on values built directly (not parsed), so it
// also sees what the parser never produces: ill-formed UTF-8, NaN and
// infinities, any 64-bit integer, any double, deep nesting. The serializer
// must never crash; what it writes in the general profile must parse back
// and canonicalize to the same bytes, and es6_number_to_string must round-trip.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "verun/proofs/json/jcs.h"
#include "verun/proofs/json/strict_json.h"

using verun::proofs::Json;
using verun::proofs::JsonLimits;
using verun::proofs::JsonProfile;

namespace {

class Reader {
 public:
  Reader(const std::uint8_t* data, std::size_t size) : p_(data), n_(size) {}
  bool empty() const { return i_ >= n_; }
  std::uint8_t byte() { return empty() ? 0 : p_[i_++]; }
  std::uint64_t u64() {
    std::uint64_t v = 0;
    for (int k = 0; k < 8; ++k) v = (v << 8) | byte();
    return v;
  }
  std::string str() {
    const std::size_t len = byte() % 16;
    std::string s;
    for (std::size_t k = 0; k < len && !empty(); ++k) s += static_cast<char>(byte());
    return s;
  }

 private:
  const std::uint8_t* p_;
  std::size_t n_;
  std::size_t i_ = 0;
};

// Builds a value from the input bytes; containers are capped so that the
// value stays small.
Json build(Reader& r, int depth) {
  if (r.empty()) return Json(true);
  const std::uint8_t tag = r.byte();
  switch (tag % 10) {
    case 0: return Json(nullptr);
    case 1: return Json((tag & 0x10) != 0);
    case 2: return Json(static_cast<std::int64_t>(r.u64()));
    case 3: return Json(r.u64());
    case 4: {
      double d;
      const std::uint64_t bits = r.u64();
      std::memcpy(&d, &bits, sizeof d);
      return Json(d);
    }
    case 5:
    case 6: return Json(r.str());
    case 7: {  // a chain of single-element arrays, up to ~2k levels in all
      const int levels = depth < 8 ? r.byte() : 0;
      Json v = build(r, depth + 1);
      for (int i = 0; i < levels; ++i) v = Json::array({std::move(v)});
      return v;
    }
    case 8: {
      Json a = Json::array();
      const int count = r.byte() % 5;
      for (int i = 0; i < count && depth < 64; ++i) a.push_back(build(r, depth + 1));
      return a;
    }
    default: {
      Json o = Json::object();
      const int count = r.byte() % 5;
      for (int i = 0; i < count && depth < 64; ++i) {
        std::string k = r.str();
        o[k] = build(r, depth + 1);
      }
      return o;
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // The first 8 bytes are also a double for the number formatter.
  if (size >= 8) {
    double d;
    std::memcpy(&d, data, sizeof d);
    const std::string text = verun::proofs::es6_number_to_string(d);
    if (std::isfinite(d) && std::strtod(text.c_str(), nullptr) != d) __builtin_trap();
  }
  Reader r(data, size);
  const Json value = build(r, 0);
  auto verun = verun::proofs::jcs_serialize(value, JsonProfile::kVerun);
  auto general = verun::proofs::jcs_serialize(value, JsonProfile::kGeneral);
  if (verun && (!general || *general != *verun)) __builtin_trap();  // kVerun is a subset
  if (general) {
    const JsonLimits unlimited{.max_depth = 1u << 20, .max_bytes = general->size()};
    auto parsed = verun::proofs::parse_json(*general, JsonProfile::kGeneral, unlimited);
    if (!parsed) __builtin_trap();
    auto again = verun::proofs::jcs_serialize(*parsed, JsonProfile::kGeneral);
    if (!again || *again != *general) __builtin_trap();
  }
  return 0;
}
