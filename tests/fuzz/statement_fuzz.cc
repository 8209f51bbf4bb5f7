// Fuzzes the in-toto Statement parser (general and verun rules) and both
// verun predicates, as Statements and as bare predicate objects. Whatever
// parses as a predicate must be written back by make_*_statement and read
// back equal (DESIGN.md §4, §10).
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "verun/proofs/intoto/receipt.h"
#include "verun/proofs/intoto/registration.h"
#include "verun/proofs/intoto/statement.h"
#include "verun/proofs/json/jcs.h"

using namespace verun::proofs;

namespace {

template <typename P, typename Make, typename Parse>
void round_trip(const P& p, Make make, Parse parse) {
  auto st = make(p);
  if (!st) std::abort();
  auto payload = jcs_serialize(*st);
  if (!payload) std::abort();
  if (payload->size() > kMaxVerunPayloadBytes) return;  // a bare predicate may be too big for a payload
  auto back = parse(as_bytes(*payload));
  if (!back || !(*back == p)) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  ByteView bytes(data, size);
  auto spec = parse_statement(text, JsonProfile::kGeneral, PredicateRule::kOptional);
  auto strict = parse_statement(text, JsonProfile::kGeneral, PredicateRule::kRequired);
  if (strict && !spec) std::abort();  // kRequired only adds a rule

  if (auto reg = parse_registration_statement(bytes))
    round_trip(*reg, make_registration_statement, parse_registration_statement);
  if (auto rec = parse_receipt_statement(bytes)) round_trip(*rec, make_receipt_statement, parse_receipt_statement);

  // The same input as a bare predicate object.
  auto json = parse_json(text);
  if (!json) return 0;
  if (auto reg = parse_registration_predicate(*json))
    round_trip(*reg, make_registration_statement, parse_registration_statement);
  if (auto rec = parse_receipt_predicate(*json)) round_trip(*rec, make_receipt_statement, parse_receipt_statement);
  (void)parse_runner_identity(*json, "identity");
  (void)parse_evidence(*json, "evidence");
  return 0;
}
