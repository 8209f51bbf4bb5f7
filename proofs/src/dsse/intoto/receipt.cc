// The Receipt predicate and its Statement (DESIGN.md §4, §7, §10).
#include "verun/proofs/intoto/receipt.h"

#include "verun/proofs/hex.h"
#include "verun/proofs/intoto/statement.h"
#include "verun/proofs/json/jcs.h"
#include "verun/proofs/key_id.h"

namespace verun::proofs {
namespace {

constexpr std::string_view kJobResults[] = {"ok", "failed", "timeout", "rejected"};

Result<RunnerRef> parse_runner_ref(ObjectReader r) {
  RunnerRef ref;
  VERUN_ASSIGN_OR_RETURN(ref.key_id, r.string("key_id", 64));
  if (!is_key_id(ref.key_id)) return r.invalid("key_id", "must be a key_id (64 lowercase hex)");
  VERUN_ASSIGN_OR_RETURN(std::int64_t index, r.integer("registration_index", 0));
  ref.registration_index = static_cast<std::uint64_t>(index);
  VERUN_TRY(r.finish());
  return ref;
}

Result<CommitmentRef> parse_commitment_ref(ObjectReader r) {
  CommitmentRef c;
  VERUN_ASSIGN_OR_RETURN(c.commitment, r.digest_set("commitment"));
  VERUN_ASSIGN_OR_RETURN(std::string scheme, r.string("scheme", 64));
  auto s = parse_commitment_scheme(scheme);
  if (!s) return r.invalid("scheme", "must be sha256 or salted-v1");
  c.scheme = *s;
  VERUN_ASSIGN_OR_RETURN(std::int64_t size, r.integer("size", 0));
  c.size = static_cast<std::uint64_t>(size);
  VERUN_TRY(r.finish());
  return c;
}

Result<JobRef> parse_job_ref(ObjectReader r) {
  JobRef job;
  VERUN_ASSIGN_OR_RETURN(job.id, r.string("id", kMaxNameBytes));
  VERUN_ASSIGN_OR_RETURN(job.nonce, r.hex32("nonce"));
  VERUN_TRY(r.finish());
  return job;
}

Result<JobStatus> parse_status(ObjectReader r) {
  JobStatus st;
  VERUN_ASSIGN_OR_RETURN(std::string result, r.string("result", 64));
  auto res = job_result_from_string(result);
  if (!res) return r.invalid("result", "must be one of ok, failed, timeout, rejected");
  st.result = *res;
  VERUN_ASSIGN_OR_RETURN(st.exit_code, r.integer("exit_code", 0));
  VERUN_TRY(r.finish());
  return st;
}

Json commitment_json(const CommitmentRef& c) {
  Json j = Json::object();
  j["commitment"] = digest_set_json(c.commitment);
  j["scheme"] = std::string(to_string(c.scheme));
  j["size"] = c.size;
  return j;
}

}  // namespace

std::string_view to_string(JobResult result) { return kJobResults[static_cast<int>(result)]; }

std::optional<JobResult> job_result_from_string(std::string_view name) {
  for (int i = 0; i < 4; ++i)
    if (kJobResults[i] == name) return static_cast<JobResult>(i);
  return std::nullopt;
}

Result<ReceiptPredicate> parse_receipt_predicate(const Json& json) {
  VERUN_ASSIGN_OR_RETURN(ObjectReader r, ObjectReader::make(json, "predicate", kPredicateCodes));
  ReceiptPredicate p;
  VERUN_ASSIGN_OR_RETURN(ObjectReader runner, r.object("runner"));
  VERUN_ASSIGN_OR_RETURN(p.runner, parse_runner_ref(std::move(runner)));
  VERUN_ASSIGN_OR_RETURN(const Json* workload, r.value("workload"));
  VERUN_ASSIGN_OR_RETURN(p.workload, parse_workload_ref(*workload, r.field_path("workload")));
  VERUN_ASSIGN_OR_RETURN(ObjectReader input, r.object("input"));
  VERUN_ASSIGN_OR_RETURN(p.input, parse_commitment_ref(std::move(input)));
  VERUN_ASSIGN_OR_RETURN(ObjectReader output, r.object("output"));
  VERUN_ASSIGN_OR_RETURN(p.output, parse_commitment_ref(std::move(output)));
  VERUN_ASSIGN_OR_RETURN(ObjectReader job, r.object("job"));
  VERUN_ASSIGN_OR_RETURN(p.job, parse_job_ref(std::move(job)));
  VERUN_ASSIGN_OR_RETURN(p.started_at, r.time("started_at"));
  VERUN_ASSIGN_OR_RETURN(p.finished_at, r.time("finished_at"));
  VERUN_ASSIGN_OR_RETURN(ObjectReader status, r.object("status"));
  VERUN_ASSIGN_OR_RETURN(p.status, parse_status(std::move(status)));
  VERUN_TRY(r.finish());
  if (p.status.result == JobResult::kOk && p.status.exit_code != 0)
    return Error(ErrorCode::kPredicateStatusInconsistent,
                 "predicate.status.result is ok but exit_code is " + std::to_string(p.status.exit_code));
  if (p.finished_at < p.started_at)
    return Error(ErrorCode::kPredicateTimeOrder, "predicate.finished_at " + format_rfc3339(p.finished_at) +
                                                     " is earlier than started_at " + format_rfc3339(p.started_at));
  return p;
}

Json to_json(const ReceiptPredicate& p) {
  Json runner = Json::object();
  runner["key_id"] = p.runner.key_id;
  runner["registration_index"] = p.runner.registration_index;
  Json job = Json::object();
  job["id"] = p.job.id;
  job["nonce"] = hex_encode(p.job.nonce);
  Json status = Json::object();
  status["result"] = std::string(to_string(p.status.result));
  status["exit_code"] = p.status.exit_code;
  Json j = Json::object();
  j["runner"] = std::move(runner);
  j["workload"] = to_json(p.workload);
  j["input"] = commitment_json(p.input);
  j["output"] = commitment_json(p.output);
  j["job"] = std::move(job);
  j["started_at"] = format_rfc3339(p.started_at);
  j["finished_at"] = format_rfc3339(p.finished_at);
  j["status"] = std::move(status);
  return j;
}

Result<Json> make_receipt_statement(const ReceiptPredicate& p) {
  Json predicate = to_json(p);
  VERUN_TRY(parse_receipt_predicate(predicate));
  return make_verun_statement(kReceiptPredicateType, kReceiptSubjectName, p.output.commitment, std::move(predicate));
}

Result<ReceiptPredicate> parse_receipt_statement(ByteView payload) {
  VERUN_ASSIGN_OR_RETURN(VerunStatement st, parse_verun_statement(payload, kReceiptPredicateType, kReceiptSubjectName));
  VERUN_ASSIGN_OR_RETURN(ReceiptPredicate p, parse_receipt_predicate(st.predicate));
  if (st.subject_digest != p.output.commitment)
    return Error(ErrorCode::kPredicateSubjectMismatch,
                 "receipt subject digest is not output.commitment.sha256 " + hex_encode(p.output.commitment));
  return p;
}

Result<Envelope> make_receipt_envelope(const ReceiptPredicate& p, const Ed25519PrivateKey& key) {
  if (key_id(key.public_key()) != p.runner.key_id)
    return Error(ErrorCode::kPredicateKeyMismatch, "the signing key " + key_id(key.public_key()) +
                                                       " is not runner.key_id " + p.runner.key_id);
  VERUN_ASSIGN_OR_RETURN(Json statement, make_receipt_statement(p));
  VERUN_ASSIGN_OR_RETURN(std::string payload, jcs_serialize(statement, JsonProfile::kVerun));
  return sign_envelope(kInTotoPayloadType, as_bytes(payload), key);
}

Result<ReceiptPredicate> verify_receipt_envelope(const Envelope& envelope, const Ed25519Verifier& registered_key) {
  if (envelope.payload_type != kInTotoPayloadType)
    return Error(ErrorCode::kDsseWrongPayloadType,
                 "receipt envelope payloadType is not " + std::string(kInTotoPayloadType));
  VERUN_ASSIGN_OR_RETURN(ReceiptPredicate p, parse_receipt_statement(envelope.payload));
  std::string registered = key_id(registered_key.public_key());
  if (p.runner.key_id != registered)
    return Error(ErrorCode::kPredicateKeyMismatch,
                 "receipt runner.key_id " + p.runner.key_id + " is not the registered key " + registered);
  VERUN_TRY(verify_verun_envelope(envelope, registered_key));
  return p;
}

}  // namespace verun::proofs
