#include "verun/sdk/runner_client.h"

#include <utility>

#include "src/http_call.h"
#include "verun/proofs/base64.h"
#include "verun/proofs/hex.h"
#include "verun/proofs/json/jcs.h"
#include "verun/proofs/note/tlog_proof.h"

namespace verun::sdk {
namespace {

constexpr detail::PeerCodes kRunnerCodes{"runner", ErrorCode::kSdkRunnerUnreachable, ErrorCode::kSdkRunnerRejected,
                                         ErrorCode::kSdkRunnerServerError};
constexpr std::size_t kMaxAttestationAnswer = 4 * 1024 * 1024;
// A job answer carries the sealed output (base64) and a bundle (<= 4 MiB).
constexpr std::size_t kMaxJobAnswer = 1024u * 1024 * 1024;

Error bad(std::string message) { return Error(ErrorCode::kSdkBadResponse, std::move(message)); }

Result<proofs::Json> parse_object(std::string_view body, std::string_view what, std::size_t max_bytes) {
  auto json = proofs::parse_json(body, proofs::JsonProfile::kVerun, {32, max_bytes});
  if (!json) return bad("the runner's answer to " + std::string(what) + " is not verun JSON: " + json.error().message);
  if (!json->is_object()) return bad("the runner's answer to " + std::string(what) + " is not a JSON object");
  return std::move(*json);
}

Result<void> only_fields(const proofs::Json& j, std::initializer_list<std::string_view> allowed, std::string_view what) {
  for (const auto& [k, v] : j.items()) {
    bool ok = false;
    for (auto a : allowed) ok = ok || k == a;
    if (!ok) return bad("the runner's answer to " + std::string(what) + " has an unknown field '" + k.substr(0, 64) + "'");
  }
  return {};
}

bool job_id_ok(std::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  for (char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

Result<AttestationAnswer> parse_attestation_answer(std::string_view body) {
  constexpr std::string_view kWhat = "GET /v1/attestation";
  VERUN_ASSIGN_OR_RETURN(auto json, parse_object(body, kWhat, kMaxAttestationAnswer));
  VERUN_TRY(only_fields(json, {"identity", "evidence", "registration"}, kWhat));
  if (!json.contains("identity") || !json.contains("evidence") || !json.contains("registration")) {
    return bad("the runner's attestation lacks identity, evidence or registration");
  }
  AttestationAnswer out;
  auto identity = proofs::parse_runner_identity(json["identity"], "identity");
  if (!identity) return bad("the runner's identity does not parse: " + identity.error().message);
  auto evidence = proofs::parse_evidence(json["evidence"], "evidence");
  if (!evidence) return bad("the runner's evidence does not parse: " + evidence.error().message);
  const auto& reg = json["registration"];
  if (!reg.is_object()) return bad("the runner's registration is not an object");
  VERUN_TRY(only_fields(reg, {"index", "proof", "envelope"}, kWhat));
  if (!reg.contains("index") || !reg["index"].is_number_unsigned()) return bad("the runner's registration has no index");
  if (!reg.contains("proof") || !reg["proof"].is_string()) return bad("the runner's registration has no proof");
  out.registration_index = reg["index"].get<std::uint64_t>();
  out.registration_proof = reg["proof"].get<std::string>();
  auto proof = proofs::parse_tlog_proof(out.registration_proof);
  if (!proof) return bad("the runner's registration proof does not parse: " + proof.error().message);
  if (proof->index != out.registration_index) {
    return bad("the runner's registration proof is for index " + std::to_string(proof->index) + ", not " +
               std::to_string(out.registration_index));
  }
  if (reg.contains("envelope")) {
    if (!reg["envelope"].is_object()) return bad("the runner's registration envelope is not an object");
    out.registration_envelope = reg["envelope"];
  }
  out.identity = std::move(*identity);
  out.evidence = std::move(*evidence);
  out.identity_json = std::move(json["identity"]);
  return out;
}

Result<JobAnswer> parse_job_answer(std::string_view body, bool done) {
  constexpr std::string_view kWhat = "the job";
  VERUN_ASSIGN_OR_RETURN(auto json, parse_object(body, kWhat, kMaxJobAnswer));
  JobAnswer out;
  if (!json.contains("job_id") || !json["job_id"].is_string() || !job_id_ok(json["job_id"].get<std::string>())) {
    return bad("the runner's job answer has no valid job_id");
  }
  out.job_id = json["job_id"].get<std::string>();
  if (!done) {
    VERUN_TRY(only_fields(json, {"job_id", "state"}, kWhat));
    out.state = json.contains("state") && json["state"].is_string() ? json["state"].get<std::string>() : "queued";
    if (out.state.size() > 32) return bad("the runner's job state is too long");
    return out;
  }
  VERUN_TRY(only_fields(json, {"job_id", "bundle", "output"}, kWhat));
  if (!json.contains("bundle") || !json["bundle"].is_object()) return bad("the runner's job answer has no bundle object");
  if (!json.contains("output") || !json["output"].is_string()) return bad("the runner's job answer has no output");
  auto sealed = proofs::base64_decode(json["output"].get<std::string>());
  if (!sealed) return bad("the runner's sealed output is not standard base64");
  out.done = true;
  out.state = "done";
  out.bundle = std::move(json["bundle"]);
  out.sealed_output = std::move(*sealed);
  return out;
}

Result<RunnerClient> RunnerClient::make(std::string base_url, RunnerClientOptions options) {
  VERUN_ASSIGN_OR_RETURN(auto base, detail::parse_base_url(base_url));
  if (options.timeout.count() <= 0) {
    return Error(ErrorCode::kInvalidArgument, "the runner client's timeout must be positive");
  }
  for (char c : options.bearer_token) {
    if (static_cast<unsigned char>(c) < 0x21 || c == 0x7f) {
      return Error(ErrorCode::kInvalidArgument, "the bearer token holds a space or control character");
    }
  }
  return RunnerClient(std::move(base_url), std::move(base.scheme_host_port), std::move(base.prefix),
                      std::move(options));
}

std::string RunnerClient::job_aad(std::string_view workload, std::string_view key_id,
                                  const proofs::HpkePublicKey& enc) {
  proofs::Json j = {{"workload", std::string(workload)}, {"key_id", std::string(key_id)},
                    {"enc", proofs::base64_encode(enc)}};
  auto text = proofs::jcs_serialize(j, proofs::JsonProfile::kGeneral);
  return text ? *text : std::string();
}

Result<AttestationAnswer> RunnerClient::attestation(const proofs::Hash32& nonce) const {
  detail::HttpCall call;
  call.path = "/v1/attestation?nonce=" + proofs::hex_encode(nonce);
  call.timeout = options_.timeout;
  call.max_answer_bytes = kMaxAttestationAnswer;
  VERUN_ASSIGN_OR_RETURN(auto answer, detail::http_call({host_, prefix_}, call, kRunnerCodes));
  if (answer.status != 200) return bad("the runner answered GET /v1/attestation with " + std::to_string(answer.status));
  return parse_attestation_answer(answer.body);
}

Result<JobAnswer> RunnerClient::submit_job(const JobBody& body, bool async) const {
  proofs::Json j = {{"workload", body.workload}, {"key_id", body.key_id}, {"enc", proofs::base64_encode(body.enc)},
                    {"ciphertext", proofs::base64_encode(body.ciphertext)}};
  detail::HttpCall call;
  call.method = "POST";
  call.path = async ? "/v1/jobs?async=true" : "/v1/jobs";
  call.body = j.dump();
  call.timeout = options_.timeout;
  call.max_answer_bytes = kMaxJobAnswer;
  call.bearer_token = options_.bearer_token;
  VERUN_ASSIGN_OR_RETURN(auto answer, detail::http_call({host_, prefix_}, call, kRunnerCodes));
  if (answer.status != 200 && answer.status != 202) {
    return bad("the runner answered POST /v1/jobs with " + std::to_string(answer.status));
  }
  return parse_job_answer(answer.body, answer.status == 200);
}

Result<JobAnswer> RunnerClient::poll_job(std::string_view job_id) const {
  if (!job_id_ok(job_id)) return Error(ErrorCode::kInvalidArgument, "the job id is not letters, digits, '-' or '_'");
  detail::HttpCall call;
  call.path = "/v1/jobs/" + std::string(job_id);
  call.timeout = options_.timeout;
  call.max_answer_bytes = kMaxJobAnswer;
  call.bearer_token = options_.bearer_token;
  VERUN_ASSIGN_OR_RETURN(auto answer, detail::http_call({host_, prefix_}, call, kRunnerCodes));
  if (answer.status != 200 && answer.status != 202) {
    return bad("the runner answered GET /v1/jobs/<id> with " + std::to_string(answer.status));
  }
  VERUN_ASSIGN_OR_RETURN(auto out, parse_job_answer(answer.body, answer.status == 200));
  if (out.job_id != job_id) return bad("the runner answered for job " + out.job_id + ", not " + std::string(job_id));
  return out;
}

Result<proofs::Json> RunnerClient::workloads() const {
  detail::HttpCall call;
  call.path = "/v1/workloads";
  call.timeout = options_.timeout;
  call.max_answer_bytes = kMaxAttestationAnswer;
  VERUN_ASSIGN_OR_RETURN(auto answer, detail::http_call({host_, prefix_}, call, kRunnerCodes));
  VERUN_ASSIGN_OR_RETURN(auto json, parse_object(answer.body, "GET /v1/workloads", kMaxAttestationAnswer));
  if (!json.contains("workloads") || !json["workloads"].is_array()) return bad("the runner's workloads answer has no list");
  return json;
}

}  // namespace verun::sdk
