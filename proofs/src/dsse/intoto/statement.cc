// in-toto Statement v1 (spec/v1/statement.md) and verun's strict subject rule
// (DESIGN.md §4, §10).
#include "verun/proofs/intoto/statement.h"

#include "verun/proofs/hex.h"
#include "verun/proofs/schema/object_reader.h"

namespace verun::proofs {
namespace {

std::string shown(std::string_view s) {
  return s.size() > 64 ? std::string(s.substr(0, 64)) + "..." : std::string(s);
}

Error malformed(const std::string& why) { return Error(ErrorCode::kStatementMalformed, "statement " + why); }
Error bad_subject(const std::string& why) { return Error(ErrorCode::kStatementBadSubject, "statement " + why); }

Result<ResourceDescriptor> parse_subject(const Json& j, std::size_t i) {
  std::string where = "subject[" + std::to_string(i) + "]";
  if (!j.is_object()) return malformed(where + " is not an object");
  ResourceDescriptor rd;
  auto name = j.find("name");
  if (name != j.end()) {
    if (!name->is_string()) return malformed(where + ".name is not a string");
    rd.name = name->get<std::string>();
  }
  auto digest = j.find("digest");
  if (digest == j.end()) return bad_subject(where + " has no digest");
  if (!digest->is_object()) return malformed(where + ".digest is not an object");
  if (digest->empty()) return bad_subject(where + ".digest is empty");
  for (auto it = digest->begin(); it != digest->end(); ++it) {
    if (!it->is_string()) return malformed(where + ".digest." + shown(it.key()) + " is not a string");
    rd.digest.emplace(it.key(), it->get<std::string>());
  }
  return rd;
}

}  // namespace

Result<Statement> parse_statement(const Json& j, PredicateRule rule) {
  if (!j.is_object()) return malformed("is not a JSON object");
  auto type = j.find("_type");
  if (type == j.end()) return Error(ErrorCode::kStatementBadType, "statement has no _type");
  if (!type->is_string()) return malformed("_type is not a string");
  if (type->get_ref<const std::string&>() != kStatementType)
    return Error(ErrorCode::kStatementBadType,
                 "statement _type '" + shown(type->get_ref<const std::string&>()) + "' is not " +
                     std::string(kStatementType));

  Statement st;
  auto subject = j.find("subject");
  if (subject == j.end()) return bad_subject("has no subject");
  if (!subject->is_array()) return malformed("subject is not an array");
  if (subject->empty()) return bad_subject("subject is empty");
  for (std::size_t i = 0; i < subject->size(); ++i) {
    VERUN_ASSIGN_OR_RETURN(ResourceDescriptor rd, parse_subject((*subject)[i], i));
    st.subject.push_back(std::move(rd));
  }

  auto ptype = j.find("predicateType");
  if (ptype == j.end()) return Error(ErrorCode::kStatementBadPredicateType, "statement has no predicateType");
  if (!ptype->is_string()) return malformed("predicateType is not a string");
  st.predicate_type = ptype->get<std::string>();
  if (st.predicate_type.empty()) return Error(ErrorCode::kStatementBadPredicateType, "statement predicateType is empty");

  auto pred = j.find("predicate");
  if (pred == j.end()) {
    if (rule == PredicateRule::kRequired)
      return Error(ErrorCode::kStatementMissingPredicate, "statement has no predicate");
  } else {
    if (!pred->is_object()) return malformed("predicate is not an object");
    st.predicate = *pred;
  }
  return st;
}

Result<Statement> parse_statement(std::string_view text, JsonProfile profile, PredicateRule rule) {
  VERUN_ASSIGN_OR_RETURN(Json j, parse_json(text, profile));
  return parse_statement(j, rule);
}

Result<VerunStatement> parse_verun_statement(ByteView payload, std::string_view predicate_type,
                                             std::string_view subject_name) {
  VERUN_ASSIGN_OR_RETURN(Json j, parse_json(as_string_view(payload), JsonProfile::kVerun,
                                            JsonLimits{32, kMaxVerunPayloadBytes}));
  VERUN_ASSIGN_OR_RETURN(Statement st, parse_statement(j, PredicateRule::kRequired));
  if (st.predicate_type != predicate_type)
    return Error(ErrorCode::kStatementBadPredicateType, "statement predicateType '" + shown(st.predicate_type) +
                                                            "' is not " + std::string(predicate_type));
  // The subject: exactly [{"name": subject_name, "digest": {"sha256": <hex>}}].
  const Json& subject = j.at("subject");
  if (subject.size() != 1)
    return bad_subject("has " + std::to_string(subject.size()) + " subjects, verun statements have exactly one");
  const Json& s = subject[0];
  for (auto it = s.begin(); it != s.end(); ++it)
    if (it.key() != "name" && it.key() != "digest") return bad_subject("subject has unknown field " + shown(it.key()));
  if (!st.subject[0].name || *st.subject[0].name != subject_name)
    return bad_subject("subject name is not '" + std::string(subject_name) + "'");
  auto digest = read_digest_set(s.at("digest"), "subject[0].digest",
                                SchemaCodes{ErrorCode::kStatementBadSubject, ErrorCode::kStatementBadSubject,
                                            ErrorCode::kStatementBadSubject});
  if (!digest) return std::move(digest).error();
  VerunStatement out;
  out.subject_digest = *digest;
  out.predicate = std::move(*st.predicate);
  return out;
}

Json make_verun_statement(std::string_view predicate_type, std::string_view subject_name,
                          const Hash32& subject_digest, Json predicate) {
  Json subject = Json::object();
  subject["name"] = std::string(subject_name);
  subject["digest"] = digest_set_json(subject_digest);
  Json st = Json::object();
  st["_type"] = std::string(kStatementType);
  st["subject"] = Json::array({std::move(subject)});
  st["predicateType"] = std::string(predicate_type);
  st["predicate"] = std::move(predicate);
  return st;
}

}  // namespace verun::proofs
