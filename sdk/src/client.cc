#include "verun/sdk/client.h"

#include <thread>
#include <utility>

#include "verun/proofs/base64.h"
#include "verun/proofs/crypto/ed25519.h"
#include "verun/proofs/crypto/random.h"
#include "verun/proofs/crypto/secure_bytes.h"
#include "verun/proofs/dsse/envelope.h"
#include "verun/proofs/hex.h"
#include "verun/proofs/hpke/aead.h"
#include "verun/proofs/hpke/hpke.h"
#include "verun/proofs/intoto/registration.h"
#include "verun/proofs/json/jcs.h"
#include "verun/proofs/key_id.h"
#include "verun/proofs/merkle/hasher.h"
#include "verun/proofs/note/checkpoint.h"
#include "verun/proofs/note/tlog_policy.h"
#include "verun/proofs/note/tlog_proof.h"
#include "verun/sdk/log_client.h"
#include "verun/verifier/bundle.h"

namespace verun::sdk {
namespace {

using proofs::Bytes;
using proofs::ByteView;
using proofs::Json;

Error attestation_failed(std::string what, const Error& e) {
  return Error(ErrorCode::kSdkAttestationFailed, std::string(to_string(e.code)) + ": " + what + ": " + e.message);
}

Error mismatch(std::string message) { return Error(ErrorCode::kSdkReceiptMismatch, std::move(message)); }

// Wipes a string that held plaintext.
void wipe(std::string& s) {
  if (!s.empty()) proofs::secure_wipe(s.data(), s.size());
  s.clear();
}

// The policy's log whose key signed the checkpoint in `proof` (origin = the
// key's name), with the opened checkpoint.
struct TrustedLog {
  const proofs::TlogPolicy::Log* log = nullptr;
};

Result<TrustedLog> find_log(const proofs::TlogPolicy& tlog, const proofs::TlogProof& proof) {
  Error last(ErrorCode::kSdkAttestationFailed, "the policy names no log");
  const auto witnesses = proofs::policy_witness_keys(tlog);
  for (const auto& log : tlog.logs) {
    auto opened = proofs::open_checkpoint(proof.checkpoint_note, log.key, log.key.name(), witnesses);
    if (opened) return TrustedLog{&log};
    last = opened.error();
  }
  return last;
}

// What the sealed output opens to: exactly {"output": b64, "output_salt"?: hex}.
Result<std::pair<Bytes, Bytes>> parse_output_object(ByteView plaintext, proofs::CommitmentScheme scheme) {
  auto bad = [](std::string m) { return Error(ErrorCode::kSdkOutputUndecryptable, std::move(m)); };
  auto json = proofs::parse_json(proofs::as_string_view(plaintext), proofs::JsonProfile::kVerun,
                                 {4, plaintext.size() + 16});
  if (!json || !json->is_object()) return bad("the opened output is not a JSON object");
  const bool salted = scheme == proofs::CommitmentScheme::kSaltedV1;
  for (const auto& [k, v] : json->items()) {
    if (k != "output" && k != "output_salt") return bad("the opened output has an unknown field '" + k.substr(0, 64) + "'");
  }
  if (!json->contains("output") || !(*json)["output"].is_string()) return bad("the opened output has no output");
  auto output = proofs::base64_decode((*json)["output"].get<std::string>());
  if (!output) return bad("the opened output is not standard base64");
  Bytes salt;
  if (json->contains("output_salt")) {
    if (!salted) return bad("the opened output has an output_salt for the sha256 scheme");
    if (!(*json)["output_salt"].is_string()) return bad("the output_salt is not a string");
    auto s = proofs::hex_decode32((*json)["output_salt"].get<std::string>());
    if (!s) return bad("the output_salt is not 64 lowercase hex");
    salt.assign(s->begin(), s->end());
  } else if (salted) {
    return bad("the opened output has no output_salt for the salted-v1 scheme");
  }
  return std::make_pair(std::move(*output), std::move(salt));
}

Result<void> check_commitment(const char* which, const proofs::CommitmentRef& ref, proofs::CommitmentScheme scheme,
                              ByteView data, ByteView salt) {
  if (ref.scheme != scheme) {
    return mismatch(std::string("the receipt's ") + which + " scheme is " + std::string(proofs::to_string(ref.scheme)) +
                    ", not the requested " + std::string(proofs::to_string(scheme)));
  }
  if (ref.size != data.size()) {
    return mismatch(std::string("the receipt's ") + which + " size is " + std::to_string(ref.size) + ", not " +
                    std::to_string(data.size()));
  }
  if (!proofs::verify_commitment(scheme, ref.commitment, data, salt)) {
    return mismatch(std::string("the receipt's ") + which + " commitment " + proofs::hex_encode(ref.commitment) +
                    " is not the commitment over the " + which + (scheme == proofs::CommitmentScheme::kSaltedV1 ? " and its salt" : ""));
  }
  return {};
}

}  // namespace

Result<Client> Client::make(std::string runner_url, verifier::Policy policy, ClientOptions options) {
  if (!policy.tlog_policy) {
    return Error(ErrorCode::kInvalidArgument, "the policy has no tlog_policy, so no log's proofs can be trusted");
  }
  VERUN_ASSIGN_OR_RETURN(auto runner, RunnerClient::make(std::move(runner_url), options.runner));
  return Client(std::move(runner), std::move(policy), std::move(options));
}

Result<AttestedRunner> Client::attest() {
  attested_.reset();
  VERUN_ASSIGN_OR_RETURN(auto nonce, proofs::random32());
  VERUN_ASSIGN_OR_RETURN(auto answer, runner_.attestation(nonce));

  AttestedRunner out;
  verifier::AppraisalOptions appraisal_options;
  appraisal_options.time = proofs::Timestamp::from_time_point(std::chrono::system_clock::now());
  out.appraisal = verifier::appraise_evidence(answer.evidence, verifier::IdentityRef(answer.identity_json), nonce,
                                              policy_, appraisal_options);
  if (const auto* failed = out.appraisal.report.first_failure()) {
    return attestation_failed("the runner's live evidence fails " + failed->name, Error(failed->code, failed->message));
  }
  out.identity = answer.identity;
  out.key_id = proofs::key_id(answer.identity.signing_key);
  out.registration_index = answer.registration_index;
  out.registration_proof = answer.registration_proof;
  out.simulated = out.appraisal.simulated;
  out.nonce = nonce;
  if (auto r = verifier::check_key_revoked(out.key_id, policy_); !r) {
    return attestation_failed("the runner key is revoked", r.error());
  }

  // The registration proof: its checkpoint must be signed by the policy's log.
  auto tlog = proofs::parse_tlog_policy(*policy_.tlog_policy);
  if (!tlog) return attestation_failed("the policy's tlog_policy", tlog.error());
  auto proof = proofs::parse_tlog_proof(answer.registration_proof);
  if (!proof) return attestation_failed("the registration proof", proof.error());
  auto trusted = find_log(*tlog, *proof);
  if (!trusted) return attestation_failed("the registration proof's checkpoint is not signed by a log of the policy", trusted.error());
  const auto& log = *trusted->log;

  // The registration itself, when its envelope can be had before sending.
  std::optional<Json> envelope_json = answer.registration_envelope;
  if (!envelope_json) {
    std::string url = options_.log_url;
    if (url.empty() && log.url) url = *log.url;
    if (!url.empty()) {
      VERUN_ASSIGN_OR_RETURN(auto log_client, LogClient::make(url, {options_.log_timeout}));
      VERUN_ASSIGN_OR_RETURN(auto key, log_client.key(out.key_id));
      if (key["index"].get<std::uint64_t>() != out.registration_index) {
        return Error(ErrorCode::kSdkAttestationFailed,
                     "registration.index: the log holds the runner's registration at index " +
                         std::to_string(key["index"].get<std::uint64_t>()) + ", the runner says " +
                         std::to_string(out.registration_index));
      }
      envelope_json = key["envelope"];
    }
  }
  if (envelope_json) {
    auto envelope = proofs::parse_envelope(*envelope_json, proofs::EnvelopeMode::kVerifier);
    if (!envelope) return attestation_failed("the registration envelope", envelope.error());
    auto predicate = proofs::verify_registration_envelope(*envelope);
    if (!predicate) return attestation_failed("the registration", predicate.error());
    if (!(predicate->identity == answer.identity)) {
      return Error(ErrorCode::kSdkAttestationFailed,
                   "registration.identity: the logged registration is not of the attested identity");
    }
    auto leaf = proofs::jcs_serialize(*envelope_json);
    if (!leaf) return attestation_failed("the registration envelope", leaf.error());
    auto included = proofs::verify_tlog_proof_for_entry(*proof, proofs::as_bytes(*leaf), log.key, log.key.name(),
                                                        proofs::policy_witness_keys(*tlog));
    if (!included) return attestation_failed("the registration is not included in the log", included.error());
    out.registration_included = true;
  }
  attested_ = std::move(out);
  return *attested_;
}

Result<SubmitResult> Client::submit(std::string_view workload, ByteView input, const SubmitOptions& options) {
  if (!attested_) VERUN_TRY(attest());
  const AttestedRunner& runner = *attested_;

  // The workload: offered by the attested identity and allowed by the policy.
  const proofs::WorkloadRef* ref = nullptr;
  for (const auto& w : runner.identity.workloads) {
    if (w.name == workload) ref = &w;
  }
  if (!ref) {
    return Error(ErrorCode::kSdkWorkloadNotOffered,
                 "the attested runner does not offer a workload named '" + std::string(workload.substr(0, 64)) + "'");
  }
  const auto allowed = verifier::appraise_workload({ref->name, ref->measurement}, policy_);
  if (const auto* failed = allowed.first_failure()) {
    return Error(ErrorCode::kSdkWorkloadNotOffered, std::string(to_string(failed->code)) + ": workload " + ref->name +
                                                        " (" + proofs::hex_encode(ref->measurement) + "): " + failed->message);
  }

  // The sealed request (DESIGN.md §7).
  SubmitResult result;
  VERUN_ASSIGN_OR_RETURN(result.job_nonce, proofs::random32());
  if (options.input_scheme == proofs::CommitmentScheme::kSaltedV1) {
    VERUN_ASSIGN_OR_RETURN(result.input_salt, proofs::random_bytes(proofs::kCommitmentSaltSize));
  }
  VERUN_ASSIGN_OR_RETURN(auto setup, proofs::hpke_setup_base_sender(proofs::kVerunJobSuite, runner.identity.hpke_key,
                                                                    proofs::as_bytes(proofs::kVerunJobInfo)));
  const std::string aad = RunnerClient::job_aad(ref->name, runner.key_id, setup.enc);
  Bytes ciphertext;
  {
    Json plain = {{"input", proofs::base64_encode(input)},
                  {"input_scheme", std::string(proofs::to_string(options.input_scheme))},
                  {"output_scheme", std::string(proofs::to_string(options.output_scheme))},
                  {"job_nonce", proofs::hex_encode(result.job_nonce)}};
    if (!result.input_salt.empty()) plain["input_salt"] = proofs::hex_encode(result.input_salt);
    auto text = proofs::jcs_serialize(plain);
    wipe(plain["input"].get_ref<std::string&>());
    if (!text) return text.error();
    auto sealed = setup.context.seal(proofs::as_bytes(aad), proofs::as_bytes(*text));
    wipe(*text);
    if (!sealed) return sealed.error();
    ciphertext = std::move(*sealed);
  }
  JobBody body{ref->name, runner.key_id, setup.enc, std::move(ciphertext)};
  VERUN_ASSIGN_OR_RETURN(auto answer, runner_.submit_job(body, options.async));
  const auto deadline = std::chrono::steady_clock::now() + options.timeout;
  while (!answer.done) {
    if (std::chrono::steady_clock::now() >= deadline) {
      return Error(ErrorCode::kSdkJobTimeout, "job " + answer.job_id + " is still " + answer.state + " after " +
                                                  std::to_string(options.timeout.count()) + " ms");
    }
    std::this_thread::sleep_for(options.poll_interval);
    const std::string id = answer.job_id;
    VERUN_ASSIGN_OR_RETURN(answer, runner_.poll_job(id));
  }
  result.job_id = answer.job_id;

  // The output, opened with the job's HPKE exports.
  {
    auto key = setup.context.export_secret(proofs::as_bytes(proofs::kVerunJobOutputKeyLabel), 32);
    auto nonce = setup.context.export_secret(proofs::as_bytes(proofs::kVerunJobOutputNonceLabel), 12);
    if (!key || !nonce) return Error(ErrorCode::kInternal, "the job's HPKE exports failed");
    auto opened = proofs::aead_open(proofs::HpkeAead::kChaCha20Poly1305, key->view(), nonce->view(),
                                    proofs::as_bytes(result.job_id), answer.sealed_output);
    if (!opened) {
      return Error(ErrorCode::kSdkOutputUndecryptable,
                   "the sealed output of job " + result.job_id + " does not open with the job's HPKE exports");
    }
    VERUN_ASSIGN_OR_RETURN(auto parts, parse_output_object(opened->view(), options.output_scheme));
    result.output = std::move(parts.first);
    result.output_salt = std::move(parts.second);
  }

  // The receipt: by the attested key, for this runner, job, workload, input and output.
  auto bundle = verifier::parse_bundle_json(answer.bundle);
  if (!bundle) {
    return Error(ErrorCode::kSdkBundleInvalid,
                 std::string(to_string(bundle.code())) + ": the runner's bundle does not parse: " + bundle.error().message);
  }
  auto registration = proofs::verify_registration_envelope(bundle->registration.envelope);
  if (!registration || !(registration->identity == runner.identity)) {
    return mismatch("the bundle's registration is not the attested runner's");
  }
  if (bundle->registration.proof.index != runner.registration_index) {
    return mismatch("the bundle's registration is at index " + std::to_string(bundle->registration.proof.index) +
                    ", the attested one at " + std::to_string(runner.registration_index));
  }
  VERUN_ASSIGN_OR_RETURN(auto signer, proofs::Ed25519Verifier::make(runner.identity.signing_key));
  auto receipt = proofs::verify_receipt_envelope(bundle->receipt.envelope, signer);
  if (!receipt) {
    return mismatch("the receipt is not a receipt signed by the attested key: " + std::string(to_string(receipt.code())) +
                    ": " + receipt.error().message);
  }
  if (receipt->runner.key_id != runner.key_id || receipt->runner.registration_index != runner.registration_index) {
    return mismatch("the receipt names runner " + receipt->runner.key_id + " at index " +
                    std::to_string(receipt->runner.registration_index) + ", not the attested one");
  }
  if (!(receipt->workload == *ref)) {
    return mismatch("the receipt's workload " + receipt->workload.name + " (" +
                    proofs::hex_encode(receipt->workload.measurement) + ") is not the requested " + ref->name);
  }
  if (receipt->job.id != result.job_id) {
    return mismatch("the receipt is for job " + receipt->job.id + ", not " + result.job_id);
  }
  if (receipt->job.nonce != result.job_nonce) {
    return mismatch("the receipt's job nonce " + proofs::hex_encode(receipt->job.nonce) + " is not the one sent");
  }
  VERUN_TRY(check_commitment("input", receipt->input, options.input_scheme, input, result.input_salt));
  VERUN_TRY(check_commitment("output", receipt->output, options.output_scheme, result.output, result.output_salt));

  // The whole bundle under the submitter's policy.
  verifier::BundleOptions bundle_options;
  bundle_options.input = Bytes(input.begin(), input.end());
  bundle_options.output = result.output;
  if (!result.input_salt.empty()) bundle_options.input_salt = result.input_salt;
  if (!result.output_salt.empty()) bundle_options.output_salt = result.output_salt;
  bundle_options.job_nonce = result.job_nonce;
  result.report = verifier::verify_bundle(*bundle, policy_, bundle_options);
  if (const auto* failed = result.report.report.first_failure()) {
    return Error(ErrorCode::kSdkBundleInvalid,
                 std::string(to_string(failed->code)) + ": " + failed->name + ": " + failed->message);
  }
  result.receipt = std::move(*receipt);
  result.bundle = answer.bundle.dump();
  return result;
}

verifier::BundleReport Client::verify(std::string_view bundle_text, const verifier::Policy& policy,
                                      const verifier::BundleOptions& options) {
  verifier::BundleVerifier verifier(policy, options);
  return verifier.verify_text(bundle_text);
}

}  // namespace verun::sdk
