// in-toto Statement v1 (in-toto/attestation spec/v1/statement.md) and
// verun's strict use of it (DESIGN.md §4, §10): a general reader that ignores
// unknown fields as in-toto requires, and parse_verun_statement() with
// verun's exact one-subject rule. Stateless, thread-safe.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "verun/proofs/bytes.h"
#include "verun/proofs/json/strict_json.h"
#include "verun/result.h"

namespace verun::proofs {

inline constexpr std::string_view kStatementType = "https://in-toto.io/Statement/v1";
// A verun payload is smaller than its envelope (DESIGN.md §10).
inline constexpr std::size_t kMaxVerunPayloadBytes = 65535;

struct ResourceDescriptor {
  std::optional<std::string> name;
  std::map<std::string, std::string> digest;  // algorithm -> value, as written
};

struct Statement {
  std::vector<ResourceDescriptor> subject;
  std::string predicate_type;
  std::optional<Json> predicate;  // an object when present
};

// verun requires `predicate` (DESIGN.md §10); kOptional is the spec's rule.
enum class PredicateRule { kRequired, kOptional };

// `_type` exactly kStatementType, `subject` a non-empty array of objects each
// with a non-empty `digest` of string values (any algorithms), a non-empty
// `predicateType`, `predicate` an object when present. Codes:
// statement.malformed (not an object, or a field of the wrong JSON type),
// statement.bad_type, statement.bad_subject, statement.bad_predicate_type
// (empty), statement.missing_predicate (kRequired only).
Result<Statement> parse_statement(const Json& json, PredicateRule rule = PredicateRule::kRequired);
// Parses the text as JSON first (json.* codes) in the given profile;
// kGeneral reads other people's statements, kVerun verun's payloads.
Result<Statement> parse_statement(std::string_view text, JsonProfile profile = JsonProfile::kGeneral,
                                  PredicateRule rule = PredicateRule::kRequired);

// A verun Statement: the general rules, verun's JSON profile (at most 65,535
// bytes), predicateType equal to `predicate_type` (statement.bad_predicate_type),
// predicate required, and the subject exactly
// [{"name": subject_name, "digest": {"sha256": <64 lowercase hex>}}] (statement.bad_subject).
struct VerunStatement {
  Hash32 subject_digest{};
  Json predicate;  // an object, not yet validated
};
Result<VerunStatement> parse_verun_statement(ByteView payload, std::string_view predicate_type,
                                             std::string_view subject_name);

// {"_type", "subject": [{"name", "digest": {"sha256"}}], "predicateType", "predicate"}.
Json make_verun_statement(std::string_view predicate_type, std::string_view subject_name,
                          const Hash32& subject_digest, Json predicate);

}  // namespace verun::proofs
