// BundleFactory: builds complete, valid verun bundles in-process for tests
// (DESIGN.md §4, §5, §8): a sim root key, a runner identity with workloads,
// sim-v1 evidence bound to it, registration and receipt envelopes, an
// in-memory RFC 9162 log (MemoryHashStore) with a note key whose name is the
// origin, tlog-proofs against signed checkpoints, and optional witness
// cosignatures with chosen timestamps; plus the matching policy. Every part
// is a public member, so a test changes one knob (or tampers with the built
// JSON) to make exactly one check fail. Deterministic keys; not thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "verun/proofs/bytes.h"
#include "verun/proofs/crypto/ed25519.h"
#include "verun/proofs/evidence/sim.h"
#include "verun/proofs/intoto/receipt.h"
#include "verun/proofs/intoto/registration.h"
#include "verun/proofs/json/strict_json.h"
#include "verun/proofs/note/note_key.h"
#include "verun/result.h"
#include "verun/verifier/bundle.h"
#include "verun/verifier/policy.h"

namespace verun::testing {

// 2026-01-01T00:00:00Z: the default time of the first witness cosignature.
inline constexpr std::uint64_t kFactoryEpoch = 1767225600;

class BundleFactory {
 public:
  // Keys from fixed seeds; identity with workloads "wordcount" 1 and "sort" 2;
  // a receipt for wordcount with salted-v1 input and output, status ok.
  BundleFactory();

  // --- keys ---
  proofs::Ed25519PrivateKey sim_root;
  proofs::Ed25519PrivateKey runner_key;
  proofs::NoteSigner log_key;                 // name = origin
  std::vector<proofs::NoteSigner> witnesses;  // "w1", "w2" (cosignature/v1)

  // --- registration ---
  proofs::RunnerIdentity identity;     // signing_key = runner_key's
  proofs::SimReport sim_report;        // report_data is filled by build() when bind_report_data
  bool bind_report_data = true;
  const proofs::Ed25519PrivateKey* registration_signer = nullptr;  // default runner_key
  bool corrupt_registration_signature = false;  // flip a bit of the sig before logging

  // --- receipt ---
  proofs::ReceiptPredicate receipt;    // runner and commitments filled by build() (see flags)
  bool link_runner = true;             // set runner.key_id and registration_index
  bool compute_commitments = true;     // set input/output commitment and size from the data
  proofs::Bytes input;                 // "the quick brown fox"
  proofs::Bytes output;                // "4"
  proofs::Hash32 input_salt{};         // used when receipt.input.scheme is salted-v1
  proofs::Hash32 output_salt{};
  const proofs::Ed25519PrivateKey* receipt_signer = nullptr;  // default runner_key
  bool corrupt_receipt_signature = false;       // flip a bit of the sig before logging

  // --- log ---
  std::uint64_t entries_before = 2;    // filler entries before the registration
  std::uint64_t entries_between = 1;   // filler entries between registration and receipt
  bool receipt_first = false;          // log the receipt before the registration
  bool one_checkpoint = false;         // prove both against the final checkpoint
  // Witness cosignature times on the registration's and the receipt's
  // checkpoint, one entry per witness (nullopt: that witness does not sign).
  std::vector<std::optional<std::uint64_t>> registration_cosign_times{kFactoryEpoch, kFactoryEpoch + 10};
  std::vector<std::optional<std::uint64_t>> receipt_cosign_times{kFactoryEpoch + 3600, kFactoryEpoch + 3610};
  // A second log (another key and origin) for the receipt's half.
  bool receipt_in_other_log = false;
  proofs::NoteSigner other_log_key;           // name "verun.test/other-log"

  // --- collateral (bytes carried in the bundle, named by the evidence) ---
  std::map<std::string, proofs::Bytes> collateral;  // name -> bytes; sim-v1 refuses any

  // Builds the bundle JSON (DESIGN.md §8).
  Result<proofs::Json> build_json() const;
  // n bundles of one registration: n receipts (job ids "<id>-0" ...) logged
  // one after another and all proven against one final checkpoint, as a
  // batch from one runner looks. invalid_argument for n == 0 or with
  // receipt_first.
  Result<std::vector<proofs::Json>> build_batch_json(std::size_t n) const;
  // As one line of text (what `verun-verify bundle` reads).
  Result<std::string> build_text() const;
  Result<verifier::Bundle> build() const;

  // The policy that accepts the default bundle: sim allowed with this
  // root, the sim measurement, both workloads, tlog_policy with the log and
  // witnesses, quorum "both" (group both all w1 w2).
  proofs::Json policy_json() const;
  verifier::Policy policy() const;  // parse_policy(policy_json()), aborts on error
  // The tlog-policy text (log line, witness lines, group and quorum).
  std::string tlog_policy_text(const std::string& quorum = "both") const;

  // The key_id of runner_key.
  std::string runner_key_id() const;

};

// Applies f to the decoded payload JSON of the bundle's `half` ("receipt" or
// "registration") envelope and re-signs it with key (the signature no longer
// matters to tests that want a parse failure: pass nullptr to keep the old
// signature, which then fails to verify).
void edit_payload(proofs::Json& bundle, const std::string& half, const std::function<void(proofs::Json&)>& f,
                  const proofs::Ed25519PrivateKey* key = nullptr);

}  // namespace verun::testing
