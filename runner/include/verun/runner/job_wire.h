// The job API's wire formats (DESIGN.md §7): the POST /v1/jobs body, the
// HPKE-sealed job plaintext inside it, and the sealed job output. Parsers
// check every field and length and return no partial state; they never
// crash on any input (fuzzed by tests/fuzz/runner_job_request_fuzz.cc).
// Stateless functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "verun/proofs/bytes.h"
#include "verun/proofs/commitment.h"
#include "verun/proofs/crypto/secure_bytes.h"
#include "verun/proofs/hpke/hpke.h"
#include "verun/result.h"

namespace verun::runner {

// A job body is at most this large whatever the workloads' limits.
inline constexpr std::size_t kMaxJobBodyBytes = 256u << 20;

// POST /v1/jobs body: exactly {"workload", "key_id", "enc", "ciphertext"}.
struct JobRequest {
  std::string workload;        // 1..256 bytes
  std::string key_id;          // 64 lowercase hex
  proofs::HpkePublicKey enc{};  // base64 of 32 bytes
  proofs::Bytes ciphertext;    // base64, at least the 16-byte tag
  std::string aad;             // JCS of the body without `ciphertext`
};

// Codes: runner.bad_request for anything that is not exactly that object
// (json.* parse failures are reported as runner.bad_request too).
Result<JobRequest> parse_job_request(std::string_view body);

// The decrypted plaintext: JCS of {"input": "<b64>", "input_scheme",
// "input_salt" (64 hex, salted-v1 only), "output_scheme", "job_nonce": "<64 hex>"}.
struct JobPlaintext {
  proofs::SecureBytes input;
  proofs::CommitmentScheme input_scheme = proofs::CommitmentScheme::kSaltedV1;
  proofs::Bytes input_salt;  // 32 bytes for salted-v1, empty for sha256
  proofs::CommitmentScheme output_scheme = proofs::CommitmentScheme::kSaltedV1;
  proofs::Hash32 job_nonce{};
};

// runner.bad_plaintext unless the bytes are exactly the JCS of that object
// (unknown fields, a salt with sha256 or none with salted-v1 are refused).
Result<JobPlaintext> parse_job_plaintext(proofs::ByteView plaintext);

// The plaintext for a job (what a client seals); input_salt must match the
// scheme as above (kInvalidArgument otherwise).
Result<proofs::SecureBytes> format_job_plaintext(const JobPlaintext& plaintext);

// The sealed output (DESIGN.md §7): ChaCha20-Poly1305 under the context's
// Export("verun/job-output/key", 32) and Export("verun/job-output/nonce", 12),
// aad = job_id, over JCS {"output": "<b64>", "output_salt": "<64 hex>"};
// `output_salt` is ABSENT when the output scheme is sha256 (empty salt).
Result<proofs::Bytes> seal_job_output(const proofs::HpkeRecipientContext& context, std::string_view job_id,
                                      proofs::ByteView output, proofs::ByteView output_salt);

// The client side of seal_job_output: the output and its salt (empty when
// absent). runner.undecryptable when it does not open; runner.bad_plaintext
// when the opened bytes are not that object.
struct JobOutput {
  proofs::SecureBytes output;
  proofs::Bytes output_salt;
};
Result<JobOutput> open_job_output(const proofs::HpkeSenderContext& context, std::string_view job_id,
                                  proofs::ByteView sealed);

}  // namespace verun::runner
