// The job API's wire formats (DESIGN.md §7); see job_wire.h.
#include "verun/runner/job_wire.h"

#include <array>

#include "verun/proofs/base64.h"
#include "verun/proofs/hex.h"
#include "verun/proofs/json/jcs.h"
#include "verun/proofs/key_id.h"
#include "verun/proofs/schema/object_reader.h"

namespace verun::runner {
namespace {

using proofs::Bytes;
using proofs::ByteView;
using proofs::Json;
using proofs::SecureBytes;

constexpr proofs::SchemaCodes kRequestCodes{ErrorCode::kRunnerBadRequest, ErrorCode::kRunnerBadRequest,
                                            ErrorCode::kRunnerBadRequest};
constexpr proofs::SchemaCodes kPlaintextCodes{ErrorCode::kRunnerBadPlaintext, ErrorCode::kRunnerBadPlaintext,
                                              ErrorCode::kRunnerBadPlaintext};
constexpr std::size_t kMaxWorkloadName = 256;

// Wipes a JSON string's characters in place (the base64 of a plaintext).
void wipe_string(Json& value) {
  if (!value.is_string()) return;
  auto& s = value.get_ref<std::string&>();
  proofs::secure_wipe(s.data(), s.size());
}

// Both output-key exports of a context: the 32-byte key and 12-byte nonce.
template <typename Context>
Result<std::array<SecureBytes, 2>> output_key(const Context& context) {
  VERUN_ASSIGN_OR_RETURN(auto key, context.export_secret(proofs::as_bytes(proofs::kVerunJobOutputKeyLabel), 32));
  VERUN_ASSIGN_OR_RETURN(auto nonce,
                         context.export_secret(proofs::as_bytes(proofs::kVerunJobOutputNonceLabel), 12));
  return std::array<SecureBytes, 2>{std::move(key), std::move(nonce)};
}

}  // namespace

Result<JobRequest> parse_job_request(std::string_view body) {
  if (body.size() > kMaxJobBodyBytes) {
    return Error(ErrorCode::kRunnerBadRequest, "the job body is larger than " + std::to_string(kMaxJobBodyBytes) + " bytes");
  }
  proofs::JsonLimits limits;
  limits.max_bytes = kMaxJobBodyBytes;
  auto json = proofs::parse_json(body, proofs::JsonProfile::kVerun, limits);
  if (!json) return Error(ErrorCode::kRunnerBadRequest, "the job body is not verun JSON: " + json.error().message);
  VERUN_ASSIGN_OR_RETURN(auto reader, proofs::ObjectReader::make(*json, "", kRequestCodes));
  JobRequest req;
  VERUN_ASSIGN_OR_RETURN(req.workload, reader.string("workload", kMaxWorkloadName));
  VERUN_ASSIGN_OR_RETURN(req.key_id, reader.string("key_id", 64));
  if (!proofs::is_key_id(req.key_id)) return reader.invalid("key_id", "is not 64 lowercase hex characters");
  VERUN_ASSIGN_OR_RETURN(req.enc, reader.base64_32("enc"));
  VERUN_ASSIGN_OR_RETURN(req.ciphertext, reader.base64("ciphertext"));
  if (req.ciphertext.size() < proofs::kAeadTagSize) {
    return reader.invalid("ciphertext", "is shorter than the 16-byte AEAD tag");
  }
  VERUN_TRY(reader.finish());
  Json aad = *json;
  aad.erase("ciphertext");
  auto text = proofs::jcs_serialize(aad);
  if (!text) return Error(ErrorCode::kRunnerBadRequest, "the job body cannot be canonicalized: " + text.error().message);
  req.aad = std::move(*text);
  return req;
}

Result<JobPlaintext> parse_job_plaintext(ByteView plaintext) {
  const std::string_view text = proofs::as_string_view(plaintext);
  auto json = proofs::parse_json(text, proofs::JsonProfile::kVerun, {32, kMaxJobBodyBytes});
  if (!json) return Error(ErrorCode::kRunnerBadPlaintext, "the job plaintext is not verun JSON: " + json.error().message);
  struct Wipe {
    Json& j;
    ~Wipe() {
      if (j.is_object() && j.contains("input")) wipe_string(j["input"]);
    }
  } wipe{*json};
  auto canonical = proofs::jcs_serialize(*json);
  if (!canonical || *canonical != text) {
    if (canonical) proofs::secure_wipe(canonical->data(), canonical->size());
    return Error(ErrorCode::kRunnerBadPlaintext, "the job plaintext is not byte-exact JCS");
  }
  proofs::secure_wipe(canonical->data(), canonical->size());
  VERUN_ASSIGN_OR_RETURN(auto reader, proofs::ObjectReader::make(*json, "", kPlaintextCodes));
  JobPlaintext out;
  VERUN_ASSIGN_OR_RETURN(auto input, reader.base64("input", std::nullopt, true));
  out.input = SecureBytes(input);
  proofs::secure_wipe(input.data(), input.size());
  VERUN_ASSIGN_OR_RETURN(auto in_scheme, reader.string("input_scheme", 32));
  VERUN_ASSIGN_OR_RETURN(auto out_scheme, reader.string("output_scheme", 32));
  auto is = proofs::parse_commitment_scheme(in_scheme);
  if (!is) return reader.invalid("input_scheme", "is not sha256 or salted-v1");
  auto os = proofs::parse_commitment_scheme(out_scheme);
  if (!os) return reader.invalid("output_scheme", "is not sha256 or salted-v1");
  out.input_scheme = *is;
  out.output_scheme = *os;
  if (out.input_scheme == proofs::CommitmentScheme::kSaltedV1) {
    VERUN_ASSIGN_OR_RETURN(out.input_salt, reader.hex("input_salt", proofs::kCommitmentSaltSize));
  } else if (reader.has("input_salt")) {
    return reader.invalid("input_salt", "is only allowed with the salted-v1 input scheme");
  }
  VERUN_ASSIGN_OR_RETURN(out.job_nonce, reader.hex32("job_nonce"));
  VERUN_TRY(reader.finish());
  return out;
}

Result<SecureBytes> format_job_plaintext(const JobPlaintext& plaintext) {
  const bool salted = plaintext.input_scheme == proofs::CommitmentScheme::kSaltedV1;
  if (salted != (plaintext.input_salt.size() == proofs::kCommitmentSaltSize) ||
      (!salted && !plaintext.input_salt.empty())) {
    return Error(ErrorCode::kInvalidArgument, "the input salt does not match the input scheme");
  }
  Json j = Json::object();
  j["input"] = proofs::base64_encode(plaintext.input.view());
  j["input_scheme"] = std::string(proofs::to_string(plaintext.input_scheme));
  if (salted) j["input_salt"] = proofs::hex_encode(plaintext.input_salt);
  j["output_scheme"] = std::string(proofs::to_string(plaintext.output_scheme));
  j["job_nonce"] = proofs::hex_encode(plaintext.job_nonce);
  auto text = proofs::jcs_serialize(j);
  wipe_string(j["input"]);
  if (!text) return text.error();
  SecureBytes out(proofs::as_bytes(*text));
  proofs::secure_wipe(text->data(), text->size());
  return out;
}

Result<Bytes> seal_job_output(const proofs::HpkeRecipientContext& context, std::string_view job_id,
                              ByteView output, ByteView output_salt) {
  VERUN_ASSIGN_OR_RETURN(auto keys, output_key(context));
  Json j = Json::object();
  j["output"] = proofs::base64_encode(output);
  if (!output_salt.empty()) j["output_salt"] = proofs::hex_encode(output_salt);
  auto text = proofs::jcs_serialize(j);
  wipe_string(j["output"]);
  if (!text) return text.error();
  auto sealed = proofs::aead_seal(proofs::HpkeAead::kChaCha20Poly1305, keys[0].view(), keys[1].view(),
                                  proofs::as_bytes(job_id), proofs::as_bytes(*text));
  proofs::secure_wipe(text->data(), text->size());
  return sealed;
}

Result<JobOutput> open_job_output(const proofs::HpkeSenderContext& context, std::string_view job_id,
                                  ByteView sealed) {
  VERUN_ASSIGN_OR_RETURN(auto keys, output_key(context));
  auto opened = proofs::aead_open(proofs::HpkeAead::kChaCha20Poly1305, keys[0].view(), keys[1].view(),
                                  proofs::as_bytes(job_id), sealed);
  if (!opened) return Error(ErrorCode::kRunnerUndecryptable, "the sealed job output does not open");
  auto json = proofs::parse_json(proofs::as_string_view(opened->view()), proofs::JsonProfile::kVerun,
                                 {32, kMaxJobBodyBytes});
  if (!json) return Error(ErrorCode::kRunnerBadPlaintext, "the job output is not verun JSON");
  VERUN_ASSIGN_OR_RETURN(auto reader, proofs::ObjectReader::make(*json, "", kPlaintextCodes));
  JobOutput out;
  VERUN_ASSIGN_OR_RETURN(auto bytes, reader.base64("output", std::nullopt, true));
  out.output = SecureBytes(bytes);
  proofs::secure_wipe(bytes.data(), bytes.size());
  if (reader.has("output_salt")) {
    VERUN_ASSIGN_OR_RETURN(out.output_salt, reader.hex("output_salt", proofs::kCommitmentSaltSize));
  }
  wipe_string((*json)["output"]);
  VERUN_TRY(reader.finish());
  return out;
}

}  // namespace verun::runner
