// See bundle_factory.h.
#include "tests/support/bundle_factory.h"

#include <algorithm>
#include <cstdlib>
#include <iostream>

#include "verun/proofs/base64.h"
#include "verun/proofs/commitment.h"
#include "verun/proofs/dsse/envelope.h"
#include "verun/proofs/hex.h"
#include "verun/proofs/json/jcs.h"
#include "verun/proofs/key_id.h"
#include "verun/proofs/merkle/compact_range.h"
#include "verun/proofs/merkle/hasher.h"
#include "verun/proofs/merkle/inclusion.h"
#include "verun/proofs/merkle/memory_hash_store.h"
#include "verun/proofs/note/checkpoint.h"
#include "verun/proofs/note/cosignature.h"
#include "verun/proofs/note/tlog_proof.h"
#include "verun/proofs/report_data.h"
#include "verun/proofs/sha2.h"

namespace verun::testing {
namespace {

using proofs::Bytes;
using proofs::Json;

proofs::Ed25519PrivateKey key_of(std::uint8_t fill) {
  return proofs::Ed25519PrivateKey::from_seed(Bytes(32, fill)).value();
}
proofs::NoteSigner note_key_of(std::string_view name, std::uint8_t fill, proofs::NoteKeyType type) {
  return proofs::NoteSigner::from_seed(name, Bytes(32, fill), type).value();
}

proofs::WorkloadRef workload(std::string name, std::string version, std::uint8_t fill) {
  proofs::WorkloadRef w;
  w.name = std::move(name);
  w.version = std::move(version);
  w.measurement.fill(fill);
  return w;
}

// A signed checkpoint of (origin, size, root) with the given cosignatures.
Result<std::string> checkpoint_note(const proofs::NoteSigner& log, std::uint64_t size, const proofs::Hash32& root,
                                    const std::vector<proofs::NoteSigner>& witnesses,
                                    const std::vector<std::optional<std::uint64_t>>& times) {
  VERUN_ASSIGN_OR_RETURN(std::string note, proofs::sign_checkpoint(proofs::Checkpoint{log.name(), size, root, {}}, log));
  for (std::size_t i = 0; i < times.size() && i < witnesses.size(); ++i)
    if (times[i]) {
      VERUN_ASSIGN_OR_RETURN(note, proofs::add_cosignature(note, witnesses[i], *times[i]));
    }
  return note;
}

}  // namespace

BundleFactory::BundleFactory()
    : sim_root(key_of(1)),
      runner_key(key_of(2)),
      log_key(note_key_of("verun.test/log", 3, proofs::NoteKeyType::kEd25519)),
      other_log_key(note_key_of("verun.test/other-log", 6, proofs::NoteKeyType::kEd25519)) {
  witnesses.push_back(note_key_of("w1", 4, proofs::NoteKeyType::kCosignatureV1));
  witnesses.push_back(note_key_of("w2", 5, proofs::NoteKeyType::kCosignatureV1));

  identity.platform = proofs::Platform::kSim;
  identity.signing_key = runner_key.public_key();
  identity.hpke_key.fill(0x77);
  identity.runner_version = "0.1.0";
  identity.boot_id.fill(0x0b);
  identity.workloads = {workload("wordcount", "1", 0xc1), workload("sort", "2", 0xc2)};

  sim_report.measurement.fill(0xaa);
  sim_report.debug = false;
  sim_report.tcb = 1;
  sim_report.instance_id.fill(0x11);

  input = proofs::to_bytes("the quick brown fox");
  output = proofs::to_bytes("4");
  input_salt.fill(0x5a);
  output_salt.fill(0xa5);

  receipt.workload = identity.workloads[0];
  receipt.input.scheme = proofs::CommitmentScheme::kSaltedV1;
  receipt.output.scheme = proofs::CommitmentScheme::kSaltedV1;
  receipt.job.id = "job-1";
  receipt.job.nonce.fill(0x42);
  receipt.started_at = proofs::Timestamp{static_cast<std::int64_t>(kFactoryEpoch) + 100, 0};
  receipt.finished_at = proofs::Timestamp{static_cast<std::int64_t>(kFactoryEpoch) + 101, 0};
  receipt.status = proofs::JobStatus{proofs::JobResult::kOk, 0};
}

std::string BundleFactory::runner_key_id() const { return proofs::key_id(runner_key.public_key()); }

Result<Json> BundleFactory::build_json() const {
  VERUN_ASSIGN_OR_RETURN(std::vector<Json> one, build_batch_json(1));
  return std::move(one[0]);
}

Result<std::vector<Json>> BundleFactory::build_batch_json(std::size_t n) const {
  if (n == 0 || (receipt_first && n != 1))
    return Error(ErrorCode::kInvalidArgument, "a batch needs n >= 1, and receipt_first needs n == 1");
  const proofs::Ed25519PrivateKey& reg_signer = registration_signer ? *registration_signer : runner_key;
  const proofs::Ed25519PrivateKey& rec_signer = receipt_signer ? *receipt_signer : runner_key;

  // Registration.
  proofs::SimReport report = sim_report;
  if (bind_report_data) {
    VERUN_ASSIGN_OR_RETURN(report.report_data, proofs::make_report_data(identity, proofs::kZeroNonce));
  }
  proofs::RegistrationPredicate reg;
  reg.identity = identity;
  reg.evidence.format = proofs::EvidenceFormat::kSimV1;
  VERUN_ASSIGN_OR_RETURN(reg.evidence.data, proofs::make_sim_evidence(sim_root, report));
  for (const auto& [name, bytes] : collateral) reg.evidence.collateral[name] = proofs::sha256(bytes);
  VERUN_ASSIGN_OR_RETURN(Json reg_statement, proofs::make_registration_statement(reg));
  VERUN_ASSIGN_OR_RETURN(std::string reg_payload, proofs::jcs_serialize(reg_statement));
  proofs::Envelope reg_env = proofs::sign_envelope(proofs::kInTotoPayloadType, proofs::as_bytes(reg_payload), reg_signer);
  if (corrupt_registration_signature) reg_env.signatures[0].sig[0] ^= 1;
  VERUN_ASSIGN_OR_RETURN(std::string reg_leaf, proofs::envelope_leaf(reg_env));

  // Log layout: fillers, first entry, fillers, the second entry (or the n
  // receipts), one filler.
  const std::uint64_t first = entries_before;
  const std::uint64_t second = entries_before + 1 + entries_between;
  const std::uint64_t reg_index = receipt_first ? second : first;
  std::vector<std::uint64_t> rec_index;
  for (std::size_t i = 0; i < n; ++i) rec_index.push_back(receipt_first ? first : second + i);

  // Receipts.
  std::vector<proofs::Envelope> rec_env;
  std::map<std::uint64_t, std::string> rec_leaf;  // log index -> leaf
  for (std::size_t i = 0; i < n; ++i) {
    proofs::ReceiptPredicate rp = receipt;
    if (n > 1) rp.job.id += "-" + std::to_string(i);
    if (link_runner) {
      rp.runner.key_id = runner_key_id();
      rp.runner.registration_index = reg_index;
    }
    if (compute_commitments) {
      auto salt = [](proofs::CommitmentScheme s, const proofs::Hash32& v) {
        return s == proofs::CommitmentScheme::kSaltedV1 ? proofs::ByteView(v) : proofs::ByteView{};
      };
      VERUN_ASSIGN_OR_RETURN(rp.input.commitment,
                             proofs::compute_commitment(rp.input.scheme, input, salt(rp.input.scheme, input_salt)));
      VERUN_ASSIGN_OR_RETURN(rp.output.commitment,
                             proofs::compute_commitment(rp.output.scheme, output, salt(rp.output.scheme, output_salt)));
      rp.input.size = input.size();
      rp.output.size = output.size();
    }
    VERUN_ASSIGN_OR_RETURN(Json rec_statement, proofs::make_receipt_statement(rp));
    VERUN_ASSIGN_OR_RETURN(std::string rec_payload, proofs::jcs_serialize(rec_statement));
    proofs::Envelope env = proofs::sign_envelope(proofs::kInTotoPayloadType, proofs::as_bytes(rec_payload), rec_signer);
    if (corrupt_receipt_signature) env.signatures[0].sig[0] ^= 1;
    VERUN_ASSIGN_OR_RETURN(rec_leaf[rec_index[i]], proofs::envelope_leaf(env));
    rec_env.push_back(std::move(env));
  }

  proofs::MemoryHashStore store;
  proofs::CompactRange range;
  std::vector<proofs::Hash32> roots;  // roots[k] = root at size k+1
  auto append = [&](std::string_view data) {
    proofs::Hash32 h = proofs::leaf_hash(proofs::as_bytes(data));
    store.append_leaf(h);
    range.append(h);
    roots.push_back(range.root());
  };
  const std::uint64_t total = std::max(reg_index, rec_index.back()) + 2;
  for (std::uint64_t i = 0; i < total; ++i) {
    if (i == reg_index)
      append(reg_leaf);
    else if (auto it = rec_leaf.find(i); it != rec_leaf.end())
      append(it->second);
    else
      append("filler entry " + std::to_string(i));
  }

  auto half = [&](const proofs::Envelope& env, std::uint64_t index, std::uint64_t size, const std::string& note) -> Result<Json> {
    proofs::TlogProof proof;
    proof.index = index;
    VERUN_ASSIGN_OR_RETURN(proof.hashes, proofs::prove_inclusion(store, index, size));
    proof.checkpoint_note = note;
    Json j = Json::object();
    j["envelope"] = proofs::serialize_envelope(env);
    j["proof"] = proofs::format_tlog_proof(proof);
    return j;
  };
  const std::uint64_t reg_size = one_checkpoint ? total : reg_index + 1;
  VERUN_ASSIGN_OR_RETURN(std::string reg_note,
                         checkpoint_note(log_key, reg_size, roots[reg_size - 1], witnesses, registration_cosign_times));
  VERUN_ASSIGN_OR_RETURN(std::string rec_note,
                         checkpoint_note(receipt_in_other_log ? other_log_key : log_key, total, roots[total - 1], witnesses,
                                         one_checkpoint ? registration_cosign_times : receipt_cosign_times));
  VERUN_ASSIGN_OR_RETURN(Json reg_half, half(reg_env, reg_index, reg_size, reg_note));
  Json coll = Json::object();
  for (const auto& [name, bytes] : collateral) coll[proofs::hex_encode(proofs::sha256(bytes))] = proofs::base64_encode(bytes);
  std::vector<Json> out;
  for (std::size_t i = 0; i < n; ++i) {
    Json b = Json::object();
    b["mediaType"] = std::string(verifier::kBundleMediaType);
    VERUN_ASSIGN_OR_RETURN(b["receipt"], half(rec_env[i], rec_index[i], total, rec_note));
    b["registration"] = reg_half;
    b["collateral"] = coll;
    out.push_back(std::move(b));
  }
  return out;
}

Result<std::string> BundleFactory::build_text() const {
  VERUN_ASSIGN_OR_RETURN(Json j, build_json());
  return j.dump();
}

Result<verifier::Bundle> BundleFactory::build() const {
  VERUN_ASSIGN_OR_RETURN(Json j, build_json());
  return verifier::parse_bundle_json(j);
}

std::string BundleFactory::tlog_policy_text(const std::string& quorum) const {
  std::string t = "log " + proofs::format_verifier_key(log_key.verifier()) + "\n";
  for (const auto& w : witnesses) t += "witness " + w.name() + " " + proofs::format_verifier_key(w.verifier()) + "\n";
  t += "group both all w1 w2\n";
  t += "quorum " + quorum + "\n";
  return t;
}

Json BundleFactory::policy_json() const {
  Json sim = Json::object();
  sim["allow_insecure_simulation"] = true;
  sim["roots"] = Json::array({proofs::base64_encode(sim_root.public_key())});
  sim["measurements"] = Json::array({proofs::hex_encode(sim_report.measurement)});
  sim["allow_debug"] = false;
  sim["min_tcb"] = 1;
  Json p = Json::object();
  p["tlog_policy"] = tlog_policy_text();
  p["platforms"] = Json{{"sim", sim}};
  Json workloads = Json::array();
  for (const auto& w : identity.workloads)
    workloads.push_back(Json{{"name", w.name}, {"measurement", Json{{"sha256", proofs::hex_encode(w.measurement)}}}});
  p["workloads"] = std::move(workloads);
  return p;
}

verifier::Policy BundleFactory::policy() const {
  auto p = verifier::parse_policy(policy_json().dump());
  if (!p) {
    std::cerr << "BundleFactory::policy: " << p.error().to_string() << "\n";
    std::abort();
  }
  return std::move(*p);
}

void edit_payload(Json& bundle, const std::string& half, const std::function<void(Json&)>& f,
                  const proofs::Ed25519PrivateKey* key) {
  Json& env = bundle[half]["envelope"];
  Bytes payload = proofs::base64_decode(env["payload"].get<std::string>()).value();
  Json statement = proofs::parse_json(proofs::as_string_view(payload)).value();
  f(statement);
  std::string text = proofs::jcs_serialize(statement).value();
  env["payload"] = proofs::base64_encode(proofs::as_bytes(text));
  if (key) {
    proofs::Envelope signed_env = proofs::sign_envelope(proofs::kInTotoPayloadType, proofs::as_bytes(text), *key);
    env = proofs::serialize_envelope(signed_env);
  }
}

}  // namespace verun::testing
