// Test helpers for the log's admission and HTTP tests: a sim-v1 runner
// (root key, runner key, identity, evidence), its registration and receipts
// as real signed envelopes (DESIGN.md §4, §5), and an admission policy that
// accepts it. Test-only; deterministic from the seeds; not thread-safe.
#pragma once

#include <cstdint>
#include <string>

#include "verun/proofs/base64.h"
#include "verun/proofs/dsse/envelope.h"
#include "verun/proofs/evidence/sim.h"
#include "verun/proofs/hex.h"
#include "verun/proofs/intoto/receipt.h"
#include "verun/proofs/intoto/registration.h"
#include "verun/proofs/key_id.h"
#include "verun/proofs/report_data.h"
#include "verun/proofs/sha2.h"

namespace verun::log::testing {

inline proofs::Ed25519PrivateKey key_from(std::uint8_t seed_byte) {
  proofs::Bytes seed(32, seed_byte);
  return *proofs::Ed25519PrivateKey::from_seed(seed);
}

inline proofs::Sha384Digest sim_measurement() {
  proofs::Sha384Digest m{};
  for (std::size_t i = 0; i < m.size(); ++i) m[i] = static_cast<std::uint8_t>(0xa0 + i);
  return m;
}

inline proofs::WorkloadRef wordcount() {
  return {"wordcount", "1", proofs::sha256(proofs::Bytes{'w', 'c'})};
}

struct SimRunner {
  proofs::Ed25519PrivateKey root = key_from(0x11);
  proofs::Ed25519PrivateKey key;
  proofs::RunnerIdentity identity;
  std::string key_id;

  explicit SimRunner(std::uint8_t seed) : key(key_from(seed)) {
    identity.platform = proofs::Platform::kSim;
    identity.signing_key = key.public_key();
    identity.hpke_key.fill(seed);
    identity.runner_version = "0.1.0";
    identity.boot_id.fill(seed);
    identity.workloads = {wordcount()};
    key_id = proofs::key_id(key.public_key());
  }

  // The registration predicate with sim-v1 evidence bound to the identity
  // and the all-zero nonce; `debug` and `tcb` let tests make it fail policy.
  proofs::RegistrationPredicate predicate(bool debug = false, std::uint64_t tcb = 1) const {
    proofs::SimReport r;
    r.measurement = sim_measurement();
    r.report_data = *proofs::make_report_data(identity, proofs::kZeroNonce);
    r.debug = debug;
    r.tcb = tcb;
    r.instance_id.fill(0x5a);
    proofs::RegistrationPredicate p;
    p.identity = identity;
    p.evidence.format = proofs::EvidenceFormat::kSimV1;
    p.evidence.data = *proofs::make_sim_evidence(root, r);
    return p;
  }

  proofs::Envelope registration(const proofs::RegistrationPredicate& p) const {
    return *proofs::make_registration_envelope(p, key);
  }
  proofs::Envelope registration() const { return registration(predicate()); }

  proofs::ReceiptPredicate receipt_predicate(std::uint64_t registration_index, std::uint8_t job) const {
    proofs::ReceiptPredicate p;
    p.runner = {key_id, registration_index};
    p.workload = wordcount();
    p.input.commitment = proofs::sha256(proofs::Bytes{job, 1});
    p.input.size = 10;
    p.output.commitment = proofs::sha256(proofs::Bytes{job, 2});
    p.output.size = 5;
    p.job.id = "job-" + std::to_string(job);
    p.job.nonce.fill(job);
    p.started_at = {1767225600, 0};
    p.finished_at = {1767225601, 0};
    return p;
  }

  proofs::Envelope receipt(std::uint64_t registration_index, std::uint8_t job) const {
    return *proofs::make_receipt_envelope(receipt_predicate(registration_index, job), key);
  }
};

// Accepts the sim runners above (root 0x11, their measurement, tcb >= 1, no
// debug) and the wordcount workload.
inline std::string sim_policy_json(const std::string& extra = "") {
  const auto root = key_from(0x11);
  return std::string(R"({"platforms": {"sim": {"allow_insecure_simulation": true, "roots": [")") +
         proofs::base64_encode(root.public_key()) + R"("], "measurements": [")" +
         proofs::hex_encode(sim_measurement()) + R"("], "allow_debug": false, "min_tcb": 1}})" + extra + "}";
}

inline std::string envelope_text(const proofs::Envelope& e) { return proofs::serialize_envelope(e).dump(); }

}  // namespace verun::log::testing
