// Bundle verification (DESIGN.md §5, §8, §10); see verify_bundle.h and
// docs/decisions/0006-bundle-checks.md for the order of the checks.
#include "verun/verifier/verify_bundle.h"

#include <algorithm>
#include <chrono>
#include <sstream>
#include <unordered_map>
#include <utility>

#include "verun/proofs/commitment.h"
#include "verun/proofs/ct_compare.h"
#include "verun/proofs/hex.h"
#include "verun/proofs/intoto/registration.h"
#include "verun/proofs/key_id.h"
#include "verun/proofs/merkle/hasher.h"
#include "verun/proofs/merkle/inclusion.h"
#include "verun/proofs/note/checkpoint.h"
#include "verun/proofs/note/signed_note.h"
#include "verun/proofs/note/tlog_policy.h"
#include "verun/proofs/report_data.h"
#include "verun/verifier/appraisal.h"

namespace verun::verifier {
namespace {

using proofs::Timestamp;

const std::vector<std::string_view> kOrder = {
    kCheckBundleShape,
    kCheckRegistrationCheckpoint,
    kCheckReceiptCheckpoint,
    kCheckRegistrationQuorum,
    kCheckReceiptQuorum,
    kCheckRegistrationInclusion,
    kCheckReceiptInclusion,
    kCheckSameLog,
    kCheckIndexOrder,
    kCheckRegistrationStatement,
    kCheckRegistrationSignature,
    kCheckRegistrationCollateral,
    kCheckFormatKnown,
    kCheckSignature,
    kCheckReportDataBinding,
    kCheckPlatformAllowed,
    kCheckSimAllowed,
    kCheckMeasurementAllowed,
    kCheckDebug,
    kCheckMinTcb,
    kCheckTcbStatus,
    kCheckRevokedMeasurement,
    kCheckRevokedKey,
    kCheckEvidenceAge,
    kCheckReceiptStatement,
    kCheckReceiptLink,
    kCheckReceiptSignature,
    kCheckReceiptTimes,
    kCheckKeyAge,
    kCheckWorkloadAllowed,
    kCheckWorkloadRevoked,
    kCheckWorkloadInIdentity,
    kCheckStatus,
    kCheckJobNonce,
    kCheckInputCommitment,
    kCheckOutputCommitment,
};

// Rows in report order; after the first failure nothing else is checked,
// and finish() reports every remaining row as skipped with the reason.
class Rows {
 public:
  bool stopped() const { return stopped_; }
  void pass(std::string_view name, std::string message) { report_.pass(std::string(name), std::move(message)); }
  void skip(std::string_view name, std::string reason) { report_.skip(std::string(name), std::move(reason)); }
  void fail(std::string_view name, Error e) {
    report_.fail(std::string(name), std::move(e));
    stop(name);
  }
  void record(std::string_view name, const Result<void>& r, std::string pass_message) {
    if (r)
      pass(name, std::move(pass_message));
    else
      fail(name, r.error());
  }
  void add(const Check& c) {
    switch (c.result) {
      case CheckResult::kPass: report_.pass(c.name, c.message); break;
      case CheckResult::kSkip: report_.skip(c.name, c.message); break;
      case CheckResult::kFail: fail(c.name, Error(c.code, c.message)); break;
    }
  }
  CheckReport finish() {
    const std::size_t done = report_.checks().size();
    for (std::size_t i = done; i < kOrder.size(); ++i)
      report_.skip(std::string(kOrder[i]), "not checked: " + failed_ + " failed");
    return std::move(report_);
  }

 private:
  void stop(std::string_view name) {
    if (!stopped_) failed_ = std::string(name);
    stopped_ = true;
  }
  CheckReport report_;
  bool stopped_ = false;
  std::string failed_;
};

Timestamp from_seconds(std::uint64_t s) { return Timestamp{static_cast<std::int64_t>(s), 0}; }

struct OpenedCheckpoint {
  std::size_t log = 0;  // index into the tlog-policy's logs
  proofs::Checkpoint checkpoint;
  Result<void> quorum;
  std::optional<std::uint64_t> quorum_time;  // witness time, when the quorum names witnesses
};

// What a registration's checks produced; cached by its bytes.
struct RegistrationOutcome {
  std::vector<Check> rows;  // registration.statement .. policy.evidence_age, up to a failure
  bool failed = false;
  std::optional<std::string> key_id;
  std::shared_ptr<const proofs::Ed25519Verifier> key;  // once the signature verified
  std::vector<proofs::WorkloadRef> workloads;
  std::optional<proofs::Claims> claims;
  std::map<std::string, Hash32> collateral_digests;
  bool simulated = false;
};

std::string describe_status(const proofs::JobStatus& s) {
  return std::string(proofs::to_string(s.result)) + " (exit code " + std::to_string(s.exit_code) + ")";
}

constexpr std::size_t kMaxCacheEntries = 4096;

}  // namespace

const std::vector<std::string_view>& bundle_check_order() { return kOrder; }

std::string_view to_string(AsOfSource source) {
  switch (source) {
    case AsOfSource::kFlag: return "flag";
    case AsOfSource::kWitness: return "witness";
    case AsOfSource::kEvidence: return "evidence";
    case AsOfSource::kNow: return "now";
  }
  return "now";
}

struct BundleVerifier::Impl {
  const Policy policy;  // a copy: the caller's policy need not outlive the verifier
  BundleOptions options;
  Timestamp v;  // the verification time, fixed for the batch
  AsOfSource v_source;
  std::optional<Result<proofs::TlogPolicy>> tlog;
  std::vector<proofs::NoteVerifier> witnesses;
  std::unordered_map<std::string, std::shared_ptr<const Result<OpenedCheckpoint>>> checkpoints;
  std::unordered_map<std::string, std::shared_ptr<const RegistrationOutcome>> registrations;
  CacheStats stats;
  BundleParser parser;  // remembers registration halves by their bytes
  std::string key_buffer;  // registration_cached's key, reused
  std::string last_registration_key;  // the last registration looked up, and its outcome
  std::shared_ptr<const RegistrationOutcome> last_registration;
  std::string last_leaf;  // the last registration leaf hashed, and its leaf hash
  Hash32 last_leaf_hash{};
  bool have_last_leaf = false;

  Impl(const Policy& p, BundleOptions o) : policy(p), options(std::move(o)) {
    v_source = options.at ? AsOfSource::kFlag : AsOfSource::kNow;
    v = options.at ? *options.at : Timestamp::from_time_point(std::chrono::system_clock::now());
    if (policy.tlog_policy) {
      tlog = proofs::parse_tlog_policy(*policy.tlog_policy);
      if (*tlog) witnesses = proofs::policy_witness_keys(**tlog);
    }
  }

  Result<OpenedCheckpoint> open(const std::string& note) const {
    const proofs::TlogPolicy& tp = **tlog;
    VERUN_ASSIGN_OR_RETURN(proofs::SignedNote parsed, proofs::parse_signed_note(note));
    std::optional<std::size_t> log;
    for (std::size_t i = 0; i < tp.logs.size() && !log; ++i)
      for (const auto& s : parsed.signatures)
        if (s.name == tp.logs[i].key.name() && s.key_id == tp.logs[i].key.key_id()) {
          log = i;
          break;
        }
    if (!log) return Error(ErrorCode::kBundleLogNotTrusted, "the checkpoint has no signature line by a log key of the policy");
    const proofs::NoteVerifier& key = tp.logs[*log].key;
    // Under a verun policy the origin is the log key's name (DESIGN.md §10).
    VERUN_ASSIGN_OR_RETURN(proofs::VerifiedCheckpoint vc, proofs::open_checkpoint(note, key, key.name(), witnesses));
    OpenedCheckpoint out{*log, std::move(vc.checkpoint), proofs::verify_quorum(tp, vc.cosignatures), std::nullopt};
    if (tp.quorum != "none") out.quorum_time = proofs::quorum_time(tp, vc.cosignatures);
    return out;
  }

  std::shared_ptr<const Result<OpenedCheckpoint>> open_cached(const std::string& note) {
    if (auto it = checkpoints.find(note); it != checkpoints.end()) {
      ++stats.checkpoint_hits;
      return it->second;
    }
    ++stats.checkpoint_misses;
    auto r = std::make_shared<const Result<OpenedCheckpoint>>(open(note));
    if (checkpoints.size() >= kMaxCacheEntries) checkpoints.clear();
    checkpoints.emplace(note, r);
    return r;
  }

  RegistrationOutcome check_registration(const Bundle& b, const std::optional<Timestamp>& witness_as_of) const {
    RegistrationOutcome out;
    auto add = [&](std::string_view name, CheckResult result, ErrorCode code, std::string message) {
      out.rows.push_back(Check{std::string(name), result, code, std::move(message)});
      if (result == CheckResult::kFail) out.failed = true;
    };
    auto add_result = [&](std::string_view name, const Result<void>& r, std::string pass_message) {
      if (r)
        add(name, CheckResult::kPass, ErrorCode::kOk, std::move(pass_message));
      else
        add(name, CheckResult::kFail, r.error().code, r.error().message);
    };

    const proofs::Envelope& env = b.registration.envelope;
    auto pred = proofs::parse_registration_statement(env.payload);
    auto raw = proofs::parse_json(proofs::as_string_view(env.payload));  // for the identity as carried
    if (!pred || !raw) {
      add_result(kCheckRegistrationStatement, pred ? Result<void>(raw.error()) : Result<void>(pred.error()), "");
      return out;
    }
    const std::string key_id = proofs::key_id(pred->identity.signing_key);
    out.key_id = key_id;
    add(kCheckRegistrationStatement, CheckResult::kPass, ErrorCode::kOk,
        "the registration statement is valid for runner key " + key_id);

    auto key = proofs::Ed25519Verifier::make(pred->identity.signing_key);
    if (!key) {
      add_result(kCheckRegistrationSignature, key.error(), "");
      return out;
    }
    auto sig = proofs::verify_verun_envelope(env, *key);
    add_result(kCheckRegistrationSignature, sig, "the registration is signed by its identity's signing key");
    if (!sig) return out;
    out.key = std::make_shared<const proofs::Ed25519Verifier>(std::move(*key));
    out.workloads = pred->identity.workloads;

    for (const auto& [name, digest] : pred->evidence.collateral) {
      if (!b.collateral.count(proofs::hex_encode(digest))) {
        add(kCheckRegistrationCollateral, CheckResult::kFail, ErrorCode::kBundleCollateralMissing,
            "the evidence names collateral " + name + " (sha256 " + proofs::hex_encode(digest) +
                ") whose bytes the bundle does not carry");
        return out;
      }
    }
    add(kCheckRegistrationCollateral, CheckResult::kPass, ErrorCode::kOk,
        pred->evidence.collateral.empty()
            ? "the evidence names no collateral"
            : "the bundle carries all " + std::to_string(pred->evidence.collateral.size()) + " collateral items the evidence names");

    AppraisalOptions ao;
    ao.evidence = options.evidence;
    ao.time = v;
    ao.as_of = witness_as_of;
    if (witness_as_of)
      ao.evidence.at = *witness_as_of;
    else if (v_source == AsOfSource::kFlag)
      ao.evidence.at = v;
    // The collateral bytes, by the names the evidence gives them.
    for (const auto& [name, digest] : pred->evidence.collateral)
      ao.evidence.collateral_bytes.emplace(name, b.collateral.at(proofs::hex_encode(digest)));
    const proofs::Json& identity = (*raw)["predicate"]["identity"];
    Appraisal a = appraise_evidence(pred->evidence, identity, proofs::kZeroNonce, policy, ao);
    out.claims = a.claims;
    out.collateral_digests = a.collateral_digests;
    out.simulated = a.simulated;
    for (const Check& c : a.report.checks()) {
      if (c.name == kCheckEvidenceAge) {
        add_result(kCheckRevokedKey, check_key_revoked(key_id, policy), "the runner key is not revoked");
        if (out.failed) return out;
      }
      out.rows.push_back(c);
      if (c.result == CheckResult::kFail) {
        out.failed = true;
        return out;
      }
    }
    return out;
  }

  std::shared_ptr<const RegistrationOutcome> registration_cached(const Bundle& b,
                                                                 const std::optional<Timestamp>& witness_as_of) {
    // The key: leaf, as-of time and collateral digests, built in a reused
    // buffer; the last key looked up is compared first (no hashing).
    std::string& key = key_buffer;
    key.assign(b.registration.leaf);
    key += '\n';
    key += witness_as_of ? proofs::format_rfc3339(*witness_as_of) : "-";
    for (const auto& [digest, bytes] : b.collateral) {
      key += '\n';
      key += digest;
    }
    if (last_registration && key == last_registration_key) {
      ++stats.registration_hits;
      return last_registration;
    }
    std::shared_ptr<const RegistrationOutcome> r;
    if (auto it = registrations.find(key); it != registrations.end()) {
      ++stats.registration_hits;
      r = it->second;
    } else {
      ++stats.registration_misses;
      r = std::make_shared<const RegistrationOutcome>(check_registration(b, witness_as_of));
      if (registrations.size() >= kMaxCacheEntries) registrations.clear();
      registrations.emplace(key, r);
    }
    last_registration_key = key;
    last_registration = r;
    return r;
  }

  // SHA-256(0x00 || leaf) of a registration, remembering the last one by
  // its exact bytes: a batch of one registration hashes its leaf once.
  Hash32 registration_leaf_hash(const std::string& leaf) {
    if (have_last_leaf && leaf == last_leaf) return last_leaf_hash;
    const Hash32 h = proofs::leaf_hash(proofs::as_bytes(leaf));
    last_leaf = leaf;
    last_leaf_hash = h;
    have_last_leaf = true;
    return h;
  }

  // The earliest witness time over the opened checkpoints covering `index`.
  static std::optional<Timestamp> witness_time(std::uint64_t index,
                                               std::initializer_list<const OpenedCheckpoint*> cps) {
    std::optional<std::uint64_t> best;
    for (const OpenedCheckpoint* cp : cps)
      if (cp && cp->checkpoint.size > index && cp->quorum && cp->quorum_time)
        best = best ? std::min(*best, *cp->quorum_time) : *cp->quorum_time;
    if (!best) return std::nullopt;
    return from_seconds(*best);
  }

  void check_commitment(Rows& rows, std::string_view name, std::string_view what,
                        const std::optional<proofs::Bytes>& data, const std::optional<proofs::Bytes>& salt,
                        const proofs::CommitmentRef& ref, ErrorCode mismatch) const {
    if (!data) {
      rows.skip(name, "no " + std::string(what) + " was given to check");
      return;
    }
    const std::string flag = "--" + std::string(what) + "-salt";
    if (ref.scheme == proofs::CommitmentScheme::kSaltedV1 && !salt) {
      rows.fail(name, Error(ErrorCode::kBundleSaltRequired, "the " + std::string(what) +
                                                                " commitment is salted-v1 and no " + flag + " was given"));
      return;
    }
    if (ref.scheme == proofs::CommitmentScheme::kSha256 && salt) {
      rows.fail(name, Error(ErrorCode::kBundleBadSalt, "the " + std::string(what) + " commitment is sha256, which takes no " + flag));
      return;
    }
    if (salt && salt->size() != proofs::kCommitmentSaltSize) {
      rows.fail(name, Error(ErrorCode::kBundleBadSalt, flag + " is " + std::to_string(salt->size()) + " bytes, not 32"));
      return;
    }
    auto c = proofs::compute_commitment(ref.scheme, *data, salt ? proofs::ByteView(*salt) : proofs::ByteView{});
    if (!c) {
      rows.fail(name, Error(ErrorCode::kBundleBadSalt, c.error().message));
      return;
    }
    if (!proofs::ct_equal(*c, ref.commitment) || data->size() != ref.size) {
      rows.fail(name, Error(mismatch, "the " + std::string(what) + " given (" + std::to_string(data->size()) +
                                          " bytes) does not match the receipt's " + std::string(proofs::to_string(ref.scheme)) +
                                          " commitment of " + std::to_string(ref.size) + " bytes"));
      return;
    }
    rows.pass(name, "the " + std::string(what) + " matches the receipt's " + std::string(proofs::to_string(ref.scheme)) + " commitment");
  }

  BundleReport verify(const Bundle& b) {
    BundleReport out;
    Rows rows;
    out.policy_digest = policy.digest;
    out.as_of = AsOf{v, v_source};
    out.registration_index = b.registration.proof.index;
    out.receipt_index = b.receipt.proof.index;
    rows.pass(kCheckBundleShape, "the bundle is well formed");

    // Checkpoints: each signature and origin, then each quorum.
    std::shared_ptr<const Result<OpenedCheckpoint>> reg_cp, rec_cp;
    if (!tlog) {
      rows.fail(kCheckRegistrationCheckpoint,
                Error(ErrorCode::kBundleNoTlogPolicy, "the policy has no tlog_policy naming the logs to trust"));
    } else if (!*tlog) {
      rows.fail(kCheckRegistrationCheckpoint, tlog->error());
    } else {
      reg_cp = open_cached(b.registration.proof.checkpoint_note);
      if (*reg_cp)
        rows.pass(kCheckRegistrationCheckpoint, "the registration's checkpoint is signed by log " +
                                                    (**reg_cp).checkpoint.origin + " at size " +
                                                    std::to_string((**reg_cp).checkpoint.size));
      else
        rows.fail(kCheckRegistrationCheckpoint, reg_cp->error());
    }
    if (!rows.stopped()) {
      rec_cp = open_cached(b.receipt.proof.checkpoint_note);
      if (*rec_cp)
        rows.pass(kCheckReceiptCheckpoint, "the receipt's checkpoint is signed by log " + (**rec_cp).checkpoint.origin +
                                               " at size " + std::to_string((**rec_cp).checkpoint.size));
      else
        rows.fail(kCheckReceiptCheckpoint, rec_cp->error());
    }
    if (!rows.stopped())
      rows.record(kCheckRegistrationQuorum, (**reg_cp).quorum, "the registration's checkpoint meets the witness quorum");
    if (!rows.stopped())
      rows.record(kCheckReceiptQuorum, (**rec_cp).quorum, "the receipt's checkpoint meets the witness quorum");

    // Inclusion: registration, then receipt; one log; receipt after registration.
    auto inclusion = [&](std::string_view name, const BundleEntry& e, const OpenedCheckpoint& cp, std::string_view what) {
      const Hash32 leaf = &e == &b.registration ? registration_leaf_hash(e.leaf) : proofs::leaf_hash(proofs::as_bytes(e.leaf));
      rows.record(name, proofs::verify_inclusion(leaf, e.proof.index, cp.checkpoint.size, e.proof.hashes, cp.checkpoint.root),
                  "the " + std::string(what) + " is entry " + std::to_string(e.proof.index) + " of the log");
    };
    if (!rows.stopped()) inclusion(kCheckRegistrationInclusion, b.registration, **reg_cp, "registration");
    if (!rows.stopped()) inclusion(kCheckReceiptInclusion, b.receipt, **rec_cp, "receipt");
    if (!rows.stopped()) {
      const auto& a = **reg_cp;
      const auto& c = **rec_cp;
      if (a.log != c.log || a.checkpoint.origin != c.checkpoint.origin)
        rows.fail(kCheckSameLog, Error(ErrorCode::kBundleDifferentLogs, "the registration is in log " + a.checkpoint.origin +
                                                                            " and the receipt in log " + c.checkpoint.origin));
      else
        rows.pass(kCheckSameLog, "both entries are in log " + a.checkpoint.origin);
    }
    if (!rows.stopped()) {
      if (b.receipt.proof.index <= b.registration.proof.index)
        rows.fail(kCheckIndexOrder, Error(ErrorCode::kBundleReceiptNotAfterRegistration,
                                          "the receipt's index " + std::to_string(b.receipt.proof.index) +
                                              " is not greater than the registration's index " +
                                              std::to_string(b.registration.proof.index)));
      else
        rows.pass(kCheckIndexOrder, "the receipt was logged after the registration");
    }

    // Registration (cached by its bytes and as-of time).
    std::shared_ptr<const RegistrationOutcome> reg;
    if (!rows.stopped()) {
      std::optional<Timestamp> wt = witness_time(b.registration.proof.index, {&**reg_cp, &**rec_cp});
      reg = registration_cached(b, wt);
      for (const Check& c : reg->rows) rows.add(c);
      out.key_id = reg->key_id;
      out.claims = reg->claims;
      out.collateral_digests = reg->collateral_digests;
      out.simulated = reg->simulated;
      if (wt)
        out.as_of = AsOf{*wt, AsOfSource::kWitness};
      else if (reg->claims && reg->claims->timestamp)
        out.as_of = AsOf{*reg->claims->timestamp, AsOfSource::kEvidence};
    }

    // Receipt.
    std::optional<proofs::ReceiptPredicate> rp;
    if (!rows.stopped()) {
      auto parsed = proofs::parse_receipt_statement(b.receipt.envelope.payload);
      if (parsed) {
        rp = std::move(*parsed);  // moved into out.receipt at the end
        rows.pass(kCheckReceiptStatement, "the receipt statement is valid");
      } else {
        rows.fail(kCheckReceiptStatement, parsed.error());
      }
    }
    if (!rows.stopped()) {
      if (rp->runner.key_id != *reg->key_id)
        rows.fail(kCheckReceiptLink, Error(ErrorCode::kBundleKeyMismatch, "the receipt names runner key " + rp->runner.key_id +
                                                                              ", not the registered key " + *reg->key_id));
      else if (rp->runner.registration_index != b.registration.proof.index)
        rows.fail(kCheckReceiptLink, Error(ErrorCode::kBundleRegistrationIndexMismatch,
                                           "the receipt names registration index " +
                                               std::to_string(rp->runner.registration_index) + ", not " +
                                               std::to_string(b.registration.proof.index)));
      else
        rows.pass(kCheckReceiptLink, "the receipt names the registered key and its registration index");
    }
    if (!rows.stopped())
      rows.record(kCheckReceiptSignature, proofs::verify_verun_envelope(b.receipt.envelope, *reg->key),
                  "the receipt is signed by the registered runner key");
    if (!rows.stopped()) {
      if (rp->finished_at < rp->started_at)
        rows.fail(kCheckReceiptTimes, Error(ErrorCode::kBundleTimeOrder, "finished_at " + proofs::format_rfc3339(rp->finished_at) +
                                                                             " is before started_at " +
                                                                             proofs::format_rfc3339(rp->started_at)));
      else
        rows.pass(kCheckReceiptTimes, "finished_at is not before started_at (host clock times, not trusted)");
    }
    if (!rows.stopped()) {
      std::optional<Timestamp> wt = witness_time(b.receipt.proof.index, {&**reg_cp, &**rec_cp});
      out.receipt_as_of = wt ? AsOf{*wt, AsOfSource::kWitness} : AsOf{v, v_source};
      if (!policy.max_key_age_seconds)
        rows.skip(kCheckKeyAge, "the policy sets no max_key_age_seconds");
      else
        rows.record(kCheckKeyAge, check_key_age(out.as_of.time, out.receipt_as_of->time, policy),
                    "the receipt is within max_key_age_seconds of its registration");
    }
    if (!rows.stopped()) {
      CheckReport w = appraise_workload(WorkloadClaim{rp->workload.name, rp->workload.measurement}, policy);
      for (const Check& c : w.checks()) {
        if (rows.stopped()) break;
        rows.add(c);
      }
    }
    if (!rows.stopped()) {
      bool listed = std::find(reg->workloads.begin(), reg->workloads.end(), rp->workload) != reg->workloads.end();
      if (listed)
        rows.pass(kCheckWorkloadInIdentity, "workload " + rp->workload.name + " " + rp->workload.version +
                                                " is listed in the registered identity");
      else
        rows.fail(kCheckWorkloadInIdentity, Error(ErrorCode::kBundleWorkloadNotInIdentity,
                                                  "workload " + rp->workload.name + " " + rp->workload.version +
                                                      " (measurement " + proofs::hex_encode(rp->workload.measurement) +
                                                      ") is not listed in the registered identity"));
    }
    if (!rows.stopped()) {
      const bool ok = rp->status.result == proofs::JobResult::kOk;
      if (ok)
        rows.pass(kCheckStatus, "the job status is ok");
      else if (options.require_ok)
        rows.fail(kCheckStatus, Error(ErrorCode::kBundleStatusNotOk, "the job status is " + describe_status(rp->status) +
                                                                         " and ok was required"));
      else
        rows.pass(kCheckStatus, "the job status is " + describe_status(rp->status) + ": the failure is proven");
    }
    if (!rows.stopped()) {
      if (!options.job_nonce)
        rows.skip(kCheckJobNonce, "no job nonce was given to check");
      else if (*options.job_nonce != rp->job.nonce)
        rows.fail(kCheckJobNonce, Error(ErrorCode::kBundleJobNonceMismatch, "the receipt's job nonce is " +
                                                                                proofs::hex_encode(rp->job.nonce) +
                                                                                ", not the one given"));
      else
        rows.pass(kCheckJobNonce, "the receipt's job nonce is the one given");
    }
    if (!rows.stopped())
      check_commitment(rows, kCheckInputCommitment, "input", options.input, options.input_salt, rp->input,
                       ErrorCode::kBundleInputMismatch);
    if (!rows.stopped())
      check_commitment(rows, kCheckOutputCommitment, "output", options.output, options.output_salt, rp->output,
                       ErrorCode::kBundleOutputMismatch);
    out.receipt = std::move(rp);
    out.report = rows.finish();
    return out;
  }
};

BundleVerifier::BundleVerifier(const Policy& policy, BundleOptions options)
    : impl_(std::make_unique<Impl>(policy, std::move(options))) {}
BundleVerifier::~BundleVerifier() = default;

BundleReport BundleVerifier::verify(const Bundle& bundle) { return impl_->verify(bundle); }

BundleReport BundleVerifier::verify_text(std::string_view text) {
  auto b = impl_->parser.parse(text);
  if (b) return verify(*b);
  BundleReport out;
  Rows rows;
  rows.fail(kCheckBundleShape, b.error());
  out.report = rows.finish();
  out.policy_digest = impl_->policy.digest;
  out.as_of = AsOf{impl_->v, impl_->v_source};
  return out;
}

BundleVerifier::CacheStats BundleVerifier::cache_stats() const { return impl_->stats; }

BundleReport verify_bundle(const Bundle& bundle, const Policy& policy, const BundleOptions& options) {
  BundleVerifier v(policy, options);
  return v.verify(bundle);
}

proofs::Json BundleReport::to_json() const {
  proofs::Json j = proofs::Json::object();
  j["verdict"] = passed() ? "valid" : "invalid";
  if (const Check* f = report.first_failure()) {
    proofs::Json ff = proofs::Json::object();
    ff["check"] = f->name;
    ff["code"] = std::string(verun::to_string(f->code));
    ff["message"] = f->message;
    j["first_failure"] = std::move(ff);
  } else {
    j["first_failure"] = nullptr;
  }
  j["checks"] = report.to_json();
  auto as_of_json = [](const AsOf& a) {
    return proofs::Json{{"time", proofs::format_rfc3339(a.time)}, {"source", std::string(to_string(a.source))}};
  };
  j["as_of"] = as_of_json(as_of);
  if (receipt_as_of) j["receipt_as_of"] = as_of_json(*receipt_as_of);
  j["policy_digest"] = proofs::hex_encode(policy_digest);
  proofs::Json coll = proofs::Json::object();
  for (const auto& [name, d] : collateral_digests) coll[name] = proofs::hex_encode(d);
  j["collateral_digests"] = std::move(coll);
  if (claims) j["claims"] = proofs::claims_to_json(*claims);
  j["simulated"] = simulated;
  if (key_id || registration_index) {
    proofs::Json runner = proofs::Json::object();
    if (key_id) runner["key_id"] = *key_id;
    if (registration_index) runner["registration_index"] = *registration_index;
    j["runner"] = std::move(runner);
  }
  if (receipt_index) j["receipt_index"] = *receipt_index;
  if (receipt) {
    j["status"] = proofs::Json{{"result", std::string(proofs::to_string(receipt->status.result))},
                               {"exit_code", receipt->status.exit_code}};
    j["workload"] = proofs::to_json(receipt->workload);
  }
  return j;
}

std::string BundleReport::to_text() const {
  std::ostringstream os;
  os << "verdict: " << (passed() ? "VALID" : "INVALID") << "\n";
  if (simulated)
    os << "SIMULATED: the runner's evidence is sim-v1 (software only, no hardware TEE backs this result)\n";
  if (receipt && receipt->status.result != proofs::JobResult::kOk)
    os << "STATUS: " << describe_status(receipt->status) << ": the job did NOT succeed; the receipt proves its failure\n";
  if (const Check* f = report.first_failure())
    os << "first failure: " << f->name << ": " << verun::to_string(f->code) << ": " << f->message << "\n";
  if (receipt) {
    os << "workload: " << receipt->workload.name << " " << receipt->workload.version << " (measurement sha256 "
       << proofs::hex_encode(receipt->workload.measurement) << ")\n";
    os << "status: " << describe_status(receipt->status) << "\n";
    os << "job: " << receipt->job.id << ", started " << proofs::format_rfc3339(receipt->started_at) << ", finished "
       << proofs::format_rfc3339(receipt->finished_at) << " (host clock, not trusted)\n";
  }
  if (key_id)
    os << "runner key: " << *key_id << " (registration at index " << registration_index.value_or(0)
       << ", receipt at index " << receipt_index.value_or(0) << ")\n";
  os << "as of: " << proofs::format_rfc3339(as_of.time) << " (" << to_string(as_of.source) << ")\n";
  std::size_t pass = 0, fail = 0, skip = 0;
  for (const Check& c : report.checks())
    (c.result == CheckResult::kPass ? pass : c.result == CheckResult::kFail ? fail : skip)++;
  os << "checks: " << pass << " passed, " << fail << " failed, " << skip << " skipped\n";
  return os.str();
}

}  // namespace verun::verifier

namespace verun::verifier {
namespace {

// Appends s as a JSON string exactly as nlohmann's dump() writes it (UTF-8
// kept, the short escapes, other control characters as \u00xx); a string
// with non-ASCII bytes goes through nlohmann itself, so invalid UTF-8 is
// handled exactly as dump() handles it.
void append_json_string(std::string& out, std::string_view s) {
  for (unsigned char c : s)
    if (c >= 0x80) {
      out += proofs::Json(std::string(s)).dump();
      return;
    }
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out += kHex[c >> 4];
          out += kHex[c & 0xF];
        } else {
          out += ch;
        }
    }
  }
  out += '"';
}

// Appends "key": (with a leading comma unless first).
void append_key(std::string& out, bool& first, std::string_view key) {
  if (!first) out += ',';
  first = false;
  append_json_string(out, key);
  out += ':';
}

void append_as_of(std::string& out, const AsOf& a) {
  out += "{\"source\":";
  append_json_string(out, to_string(a.source));
  out += ",\"time\":";
  append_json_string(out, proofs::format_rfc3339(a.time));
  out += '}';
}

}  // namespace

// Members in the order nlohmann's dump() writes them (sorted by key).
std::string BundleReport::to_json_line(std::string_view bundle_name) const {
  std::string out;
  out.reserve(8192);
  bool first = true;
  out += '{';
  append_key(out, first, "as_of");
  append_as_of(out, as_of);
  if (!bundle_name.empty()) {
    append_key(out, first, "bundle");
    append_json_string(out, bundle_name);
  }
  append_key(out, first, "checks");
  out += '[';
  bool first_row = true;
  for (const Check& c : report.checks()) {
    if (!first_row) out += ',';
    first_row = false;
    out += "{\"check\":";
    append_json_string(out, c.name);
    out += ",\"code\":";
    append_json_string(out, verun::to_string(c.code));
    out += ",\"message\":";
    append_json_string(out, c.message);
    out += ",\"result\":";
    append_json_string(out, to_string(c.result));
    out += '}';
  }
  out += ']';
  if (claims) {
    append_key(out, first, "claims");
    out += proofs::claims_to_json(*claims).dump();
  }
  append_key(out, first, "collateral_digests");
  out += '{';
  bool first_digest = true;
  for (const auto& [name, d] : collateral_digests) {
    append_key(out, first_digest, name);
    append_json_string(out, proofs::hex_encode(d));
  }
  out += '}';
  append_key(out, first, "first_failure");
  if (const Check* f = report.first_failure()) {
    out += "{\"check\":";
    append_json_string(out, f->name);
    out += ",\"code\":";
    append_json_string(out, verun::to_string(f->code));
    out += ",\"message\":";
    append_json_string(out, f->message);
    out += '}';
  } else {
    out += "null";
  }
  append_key(out, first, "policy_digest");
  append_json_string(out, proofs::hex_encode(policy_digest));
  if (receipt_as_of) {
    append_key(out, first, "receipt_as_of");
    append_as_of(out, *receipt_as_of);
  }
  if (receipt_index) {
    append_key(out, first, "receipt_index");
    out += std::to_string(*receipt_index);
  }
  if (key_id || registration_index) {
    append_key(out, first, "runner");
    out += '{';
    bool first_runner = true;
    if (key_id) {
      append_key(out, first_runner, "key_id");
      append_json_string(out, *key_id);
    }
    if (registration_index) {
      append_key(out, first_runner, "registration_index");
      out += std::to_string(*registration_index);
    }
    out += '}';
  }
  append_key(out, first, "simulated");
  out += simulated ? "true" : "false";
  if (receipt) {
    append_key(out, first, "status");
    out += "{\"exit_code\":";
    out += std::to_string(receipt->status.exit_code);
    out += ",\"result\":";
    append_json_string(out, proofs::to_string(receipt->status.result));
    out += '}';
  }
  append_key(out, first, "verdict");
  out += passed() ? "\"valid\"" : "\"invalid\"";
  if (receipt) {
    append_key(out, first, "workload");
    out += proofs::to_json(receipt->workload).dump();
  }
  out += '}';
  return out;
}

}  // namespace verun::verifier
