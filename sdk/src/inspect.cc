#include "verun/sdk/inspect.h"

#include <cstdio>
#include <sstream>
#include <utility>

#include "verun/proofs/base64.h"
#include "verun/proofs/dsse/envelope.h"
#include "verun/proofs/evidence/claims.h"
#include "verun/proofs/evidence/evidence.h"
#include "verun/proofs/evidence/sim.h"
#include "verun/proofs/hex.h"
#include "verun/proofs/intoto/predicate_types.h"
#include "verun/proofs/intoto/receipt.h"
#include "verun/proofs/intoto/registration.h"
#include "verun/proofs/intoto/statement.h"
#include "verun/proofs/key_id.h"
#include "verun/proofs/note/checkpoint.h"
#include "verun/proofs/note/signed_note.h"
#include "verun/proofs/note/tlog_proof.h"
#include "verun/verifier/bundle.h"
#include "verun/verifier/policy.h"

namespace verun::sdk {
namespace {

using proofs::Json;

constexpr std::size_t kMaxInspectBytes = 8u << 20;

std::string err_text(const Error& e) { return std::string(to_string(e.code)) + ": " + e.message; }

Json note_signatures(const proofs::SignedNote& note) {
  Json sigs = Json::array();
  for (const auto& s : note.signatures) {
    char id[9];
    std::snprintf(id, sizeof id, "%08x", s.key_id);
    sigs.push_back({{"name", s.name}, {"key_id", id}});
  }
  return sigs;
}

// A checkpoint note: its body and who signed it (signatures not verified:
// no key is given).
Json describe_checkpoint(std::string_view note_text, Inspection& out) {
  Json d = Json::object();
  auto note = proofs::parse_signed_note(note_text);
  if (!note) {
    out.problems.push_back("the note does not parse: " + err_text(note.error()));
    return d;
  }
  d["signatures"] = note_signatures(*note);
  auto cp = proofs::parse_checkpoint(note->text);
  if (!cp) {
    d["text"] = note->text;
    out.problems.push_back("the note is not a checkpoint: " + err_text(cp.error()));
    return d;
  }
  d["origin"] = cp->origin;
  d["size"] = cp->size;
  d["root"] = proofs::base64_encode(cp->root);
  if (!cp->extensions.empty()) d["extensions"] = cp->extensions;
  return d;
}

Json describe_tlog_proof(const proofs::TlogProof& p, Inspection& out) {
  Json d = {{"index", p.index}, {"hashes", p.hashes.size()}, {"checkpoint", describe_checkpoint(p.checkpoint_note, out)}};
  if (p.extra) d["extra"] = *p.extra;
  return d;
}

Json describe_evidence(const proofs::Evidence& e, Inspection& out) {
  Json d = {{"format", std::string(proofs::to_string(e.format))}, {"data_bytes", e.data.size()},
            {"certs", e.certs.size()}};
  if (!e.collateral.empty()) {
    Json c = Json::object();
    for (const auto& [name, digest] : e.collateral) c[name] = proofs::hex_encode(digest);
    d["collateral"] = c;
  }
  if (e.format == proofs::EvidenceFormat::kSimV1) out.simulated = true;
  // Chains end at pinned vendor roots; sim-v1 is self-signed by its root,
  // which nothing here trusts: the claims are what the evidence says.
  auto claims = proofs::verify_evidence(e);
  if (claims) {
    d["claims"] = proofs::claims_to_json(*claims);
    d["signature"] = e.format == proofs::EvidenceFormat::kSimV1 ? "verifies under its own (untrusted) sim root"
                                                                 : "verifies to a pinned vendor root";
  } else {
    d["signature"] = "does not verify: " + err_text(claims.error());
  }
  return d;
}

Json describe_identity(const proofs::RunnerIdentity& id, Inspection& out) {
  if (id.platform == proofs::Platform::kSim) out.simulated = true;
  Json w = Json::array();
  for (const auto& x : id.workloads) w.push_back(proofs::to_json(x));
  return {{"platform", std::string(proofs::to_string(id.platform))},
          {"key_id", proofs::key_id(id.signing_key)},
          {"runner_version", id.runner_version},
          {"workloads", w}};
}

// The decoded statement of an envelope: a verun predicate when it is one.
Json describe_payload(const proofs::Envelope& env, Inspection& out) {
  Json d = Json::object();
  auto st = proofs::parse_statement(proofs::as_string_view(env.payload));
  if (!st) {
    out.problems.push_back("the payload is not an in-toto Statement: " + err_text(st.error()));
    return d;
  }
  d["predicateType"] = st->predicate_type;
  Json subjects = Json::array();
  for (const auto& s : st->subject) {
    Json digest = Json::object();
    for (const auto& [alg, v] : s.digest) digest[alg] = v;
    Json one = {{"digest", digest}};
    if (s.name) one["name"] = *s.name;
    subjects.push_back(one);
  }
  d["subject"] = subjects;
  if (st->predicate_type == proofs::kReceiptPredicateType) {
    auto r = proofs::parse_receipt_statement(env.payload);
    if (r) {
      d["receipt"] = proofs::to_json(*r);
    } else {
      out.problems.push_back("the receipt predicate is invalid: " + err_text(r.error()));
    }
  } else if (st->predicate_type == proofs::kRegistrationPredicateType) {
    auto r = proofs::parse_registration_statement(env.payload);
    if (r) {
      d["registration"] = {{"identity", describe_identity(r->identity, out)},
                           {"evidence", describe_evidence(r->evidence, out)}};
      auto sig = proofs::verify_registration_envelope(env);
      d["signature"] = sig ? "verifies under the identity's signing key (proof of possession)"
                           : "does not verify: " + err_text(sig.error());
    } else {
      out.problems.push_back("the registration predicate is invalid: " + err_text(r.error()));
    }
  }
  if (st->predicate && !d.contains("receipt") && !d.contains("registration")) d["predicate"] = *st->predicate;
  return d;
}

Json describe_envelope(const proofs::Envelope& env, Inspection& out) {
  Json sigs = Json::array();
  for (const auto& s : env.signatures) sigs.push_back({{"keyid", s.keyid}});
  Json d = {{"payloadType", env.payload_type}, {"signatures", sigs}};
  if (env.payload_type == proofs::kInTotoPayloadType) d["statement"] = describe_payload(env, out);
  return d;
}

Json describe_bundle(const verifier::Bundle& b, Inspection& out) {
  Json d = Json::object();
  d["receipt"] = {{"index", b.receipt.proof.index}, {"envelope", describe_envelope(b.receipt.envelope, out)},
                  {"checkpoint", describe_checkpoint(b.receipt.proof.checkpoint_note, out)}};
  d["registration"] = {{"index", b.registration.proof.index},
                       {"envelope", describe_envelope(b.registration.envelope, out)},
                       {"checkpoint", describe_checkpoint(b.registration.proof.checkpoint_note, out)}};
  Json c = Json::object();
  for (const auto& [digest, bytes] : b.collateral) c[digest] = bytes.size();
  d["collateral_bytes"] = c;
  d["note"] = "described, not verified: verify with `verun verify BUNDLE --policy P`";
  return d;
}

bool has_all(const Json& j, std::initializer_list<const char*> keys) {
  for (const char* k : keys) {
    if (!j.contains(k)) return false;
  }
  return true;
}

Result<Inspection> inspect_json(const Json& j, std::string_view text) {
  Inspection out;
  if (j.contains("mediaType")) {
    auto b = verifier::parse_bundle_json(j);
    if (!b) return Error(b.code(), "a bundle that does not parse: " + b.error().message);
    out.kind = "bundle";
    out.details = describe_bundle(*b, out);
    return out;
  }
  if (has_all(j, {"payload", "payloadType", "signatures"})) {
    auto env = proofs::parse_envelope(j, proofs::EnvelopeMode::kVerifier);
    if (!env) return Error(env.code(), "an envelope that does not parse: " + env.error().message);
    out.kind = "envelope";
    out.details = describe_envelope(*env, out);
    return out;
  }
  if (has_all(j, {"identity", "evidence", "registration"})) {
    out.kind = "attestation";
    auto id = proofs::parse_runner_identity(j["identity"], "identity");
    auto ev = proofs::parse_evidence(j["evidence"], "evidence");
    if (!id) return Error(id.code(), "an attestation whose identity does not parse: " + id.error().message);
    if (!ev) return Error(ev.code(), "an attestation whose evidence does not parse: " + ev.error().message);
    out.details = {{"identity", describe_identity(*id, out)}, {"evidence", describe_evidence(*ev, out)}};
    if (j["registration"].is_object() && j["registration"].contains("proof") && j["registration"]["proof"].is_string()) {
      auto p = proofs::parse_tlog_proof(j["registration"]["proof"].get<std::string>());
      if (p) {
        out.details["registration_proof"] = describe_tlog_proof(*p, out);
      } else {
        out.problems.push_back("the registration proof does not parse: " + err_text(p.error()));
      }
    }
    return out;
  }
  if (has_all(j, {"format", "data"})) {
    auto ev = proofs::parse_evidence(j, "evidence");
    if (!ev) return Error(ev.code(), "an evidence object that does not parse: " + ev.error().message);
    out.kind = "evidence";
    out.details = describe_evidence(*ev, out);
    return out;
  }
  if (has_all(j, {"report", "signature", "root"})) {
    out.kind = "sim-v1-data";
    out.simulated = true;
    out.details = {{"report", j["report"]}};
    auto v = proofs::verify_sim_evidence(proofs::as_bytes(text));
    out.details["signature"] = v ? "verifies under its own (untrusted) sim root" : "does not verify: " + err_text(v.error());
    return out;
  }
  if (j.contains("_type")) {
    auto st = proofs::parse_statement(j);
    if (!st) return Error(st.code(), "a statement that does not parse: " + st.error().message);
    out.kind = "statement";
    out.details = {{"predicateType", st->predicate_type}};
    if (st->predicate) out.details["predicate"] = *st->predicate;
    return out;
  }
  if (j.contains("platforms") || j.contains("tlog_policy") || j.contains("workloads")) {
    auto p = verifier::parse_policy(j.dump());
    if (!p) return Error(p.code(), "a policy that does not parse: " + p.error().message);
    out.kind = "policy";
    out.details = {{"digest", proofs::hex_encode(p->digest)}, {"policy", p->normalized}};
    if (p->platforms.sim) out.simulated = true;
    return out;
  }
  return Error(ErrorCode::kSdkUnknownDocument, "a JSON object that is no verun document");
}

}  // namespace

Json Inspection::to_json() const {
  return {{"kind", kind}, {"simulated", simulated}, {"problems", problems}, {"details", details}};
}

std::string Inspection::to_text() const {
  std::ostringstream os;
  os << kind;
  if (simulated) os << " (SIMULATED: sim evidence proves nothing about hardware)";
  os << "\n";
  for (const auto& p : problems) os << "problem: " << p << "\n";
  os << details.dump(2, ' ', false, Json::error_handler_t::replace) << "\n";
  return os.str();
}

Result<Inspection> inspect_document(std::string_view text) {
  if (text.size() > kMaxInspectBytes) {
    return Error(ErrorCode::kSdkUnknownDocument, "the file is larger than " + std::to_string(kMaxInspectBytes) + " bytes");
  }
  std::size_t first = 0;
  while (first < text.size() && (text[first] == ' ' || text[first] == '\n' || text[first] == '\t' || text[first] == '\r')) {
    ++first;
  }
  if (first < text.size() && text[first] == '{') {
    auto j = proofs::parse_json(text, proofs::JsonProfile::kGeneral, {32, kMaxInspectBytes});
    if (!j) return Error(j.code(), "a JSON document that does not parse: " + j.error().message);
    if (!j->is_object()) return Error(ErrorCode::kSdkUnknownDocument, "a JSON value that is not an object");
    return inspect_json(*j, text);
  }
  if (text.starts_with(proofs::kTlogProofHeader)) {
    auto p = proofs::parse_tlog_proof(text);
    if (!p) return Error(p.code(), "a tlog-proof that does not parse: " + p.error().message);
    Inspection out;
    out.kind = "tlog-proof";
    out.details = describe_tlog_proof(*p, out);
    return out;
  }
  auto note = proofs::parse_signed_note(text);
  if (note) {
    Inspection out;
    auto cp = proofs::parse_checkpoint(note->text);
    out.kind = cp ? "checkpoint" : "signed-note";
    out.details = describe_checkpoint(text, out);
    if (!cp) out.problems.clear();
    return out;
  }
  return Error(ErrorCode::kSdkUnknownDocument,
               "not JSON, not a tlog-proof and not a signed note: " + err_text(note.error()));
}

}  // namespace verun::sdk
