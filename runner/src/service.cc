// The runner service (DESIGN.md §7, §8); see service.h.
#include "service.h"

#include <sys/mman.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <ostream>
#include <set>
#include <sstream>
#include <thread>
#include <vector>

#include "verun/proofs/base64.h"
#include "verun/proofs/commitment.h"
#include "verun/proofs/crypto/random.h"
#include "verun/proofs/dsse/envelope.h"
#include "verun/proofs/hex.h"
#include "verun/proofs/hpke/hpke.h"
#include "verun/proofs/intoto/receipt.h"
#include "verun/proofs/intoto/registration.h"
#include "verun/proofs/key_id.h"
#include "verun/proofs/note/tlog_proof.h"
#include "verun/proofs/report_data.h"
#include "verun/proofs/schema/rfc3339.h"
#include "verun/runner/job_wire.h"

namespace verun::runner {

using proofs::Bytes;
using proofs::Json;
using Clock = std::chrono::steady_clock;

Json error_json(const Error& error) {
  return Json{{"error", {{"code", std::string(to_string(error.code))}, {"message", error.message}}}};
}

int status_for(ErrorCode code) {
  switch (code) {
    case ErrorCode::kRunnerUnknownWorkload:
    case ErrorCode::kRunnerUnknownJob:
    case ErrorCode::kRunnerNotFound:
      return 404;
    case ErrorCode::kRunnerMethodNotAllowed:
      return 405;
    case ErrorCode::kRunnerReplayedEnc:
      return 409;
    case ErrorCode::kRunnerBodyTooLarge:
      return 413;
    case ErrorCode::kRunnerUnauthorized:
      return 401;
    case ErrorCode::kRunnerRateLimited:
      return 429;
    case ErrorCode::kRunnerQueueFull:
    case ErrorCode::kRunnerShuttingDown:
      return 503;
    case ErrorCode::kRunnerReceiptNotLogged:
    case ErrorCode::kRunnerLogUnavailable:
    case ErrorCode::kRunnerLogRefused:
    case ErrorCode::kRunnerBadLogProof:
      return 502;
    case ErrorCode::kInternal:
      return 500;
    default:
      return 400;
  }
}

namespace {

Answer error_answer(const Error& e) {
  Answer a;
  a.status = status_for(e.code);
  a.body = error_json(e);
  if (a.status == 503) a.retry_after_seconds = 1;
  return a;
}

// Best-effort: keep a secret's pages out of swap (fails quietly without
// CAP_IPC_LOCK or beyond RLIMIT_MEMLOCK).
bool lock_secret(const proofs::SecureBytes& secret) {
  if (secret.empty()) return true;
  return ::mlock(secret.data(), secret.size()) == 0;
}

// A runner key: the in-memory signing and HPKE keys, the identity they make,
// its registration and the replay cache of the HPKE encs seen under it.
struct RunnerKey {
  proofs::Ed25519PrivateKey signing;
  proofs::HpkePrivateKey hpke;
  proofs::RunnerIdentity identity;
  std::string key_id;
  proofs::Envelope registration;
  std::uint64_t index = 0;
  std::string proof;
  Clock::time_point registered_at{};

  std::mutex replay_mu;
  std::set<proofs::HpkePublicKey> seen_enc;

  // false when the enc was seen before under this key.
  bool remember_enc(const proofs::HpkePublicKey& enc) {
    std::lock_guard lock(replay_mu);
    return seen_enc.insert(enc).second;
  }
  void forget_enc(const proofs::HpkePublicKey& enc) {
    std::lock_guard lock(replay_mu);
    seen_enc.erase(enc);
  }
};

enum class JobState { kQueued, kRunning, kDone };

struct Job {
  std::string id;
  std::shared_ptr<RunnerKey> key;
  const WorkloadInfo* workload = nullptr;
  std::optional<proofs::HpkeRecipientContext> context;
  JobPlaintext plaintext;
  Clock::time_point enqueued{};

  // Set by the workload stage for the log stage.
  std::optional<proofs::Envelope> receipt;
  proofs::JobResult result = proofs::JobResult::kOk;
  Bytes output;
  Bytes output_salt;

  std::mutex mu;
  std::condition_variable cv;
  JobState state = JobState::kQueued;
  Answer answer;  // when done
};

// Prometheus histogram buckets, in seconds.
constexpr double kBuckets[] = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};
constexpr std::size_t kBucketCount = std::size(kBuckets);

struct Histogram {
  std::array<std::atomic<std::uint64_t>, kBucketCount> buckets{};
  std::atomic<std::uint64_t> count{0};
  std::atomic<std::uint64_t> sum_micros{0};

  void observe(Clock::duration d) {
    const double s = std::chrono::duration<double>(d).count();
    for (std::size_t i = 0; i < kBucketCount; ++i) {
      if (s <= kBuckets[i]) buckets[i].fetch_add(1, std::memory_order_relaxed);
    }
    count.fetch_add(1, std::memory_order_relaxed);
    sum_micros.fetch_add(static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(d).count()),
                         std::memory_order_relaxed);
  }

  void write(std::ostream& o, const std::string& name, const std::string& help) const {
    o << "# HELP " << name << " " << help << "\n# TYPE " << name << " histogram\n";
    for (std::size_t i = 0; i < kBucketCount; ++i) {
      o << name << "_bucket{le=\"" << kBuckets[i] << "\"} " << buckets[i].load() << "\n";
    }
    o << name << "_bucket{le=\"+Inf\"} " << count.load() << "\n";
    o << name << "_sum " << static_cast<double>(sum_micros.load()) / 1e6 << "\n";
    o << name << "_count " << count.load() << "\n";
  }
};

std::string random_hex(std::size_t bytes) {
  Bytes b(bytes);
  if (!proofs::random_fill(b)) return {};
  return proofs::hex_encode(b);
}

}  // namespace

struct RunnerService::Impl {
  std::unique_ptr<Platform> platform;
  std::unique_ptr<WorkloadSet> workload_set;
  LogSubmitFn submit;
  proofs::NoteVerifier log_key;
  ServiceOptions options;
  std::ostream& out;
  std::mutex out_mu;

  mutable std::mutex keys_mu;
  std::shared_ptr<RunnerKey> current;
  std::shared_ptr<RunnerKey> previous;

  mutable std::mutex queue_mu;
  std::condition_variable queue_cv;
  std::deque<std::shared_ptr<Job>> queue;
  std::size_t reserved = 0;  // slots promised to jobs being decrypted
  bool stopping = false;
  std::vector<std::thread> workers;
  // The log stage: receipts waiting for their log round trip.
  static constexpr std::size_t kLogThreads = 16;
  static constexpr std::size_t kLogQueueLimit = 64;
  std::mutex log_mu;
  std::condition_variable log_cv, log_space_cv;
  std::deque<std::shared_ptr<Job>> log_queue;
  bool log_stopping = false;
  std::vector<std::thread> log_threads;
  std::thread rotator;
  std::condition_variable rotator_cv;
  bool started = false;

  mutable std::mutex jobs_mu;
  std::map<std::string, std::shared_ptr<Job>, std::less<>> jobs;
  std::deque<std::string> finished;

  // Metrics.
  std::map<proofs::JobResult, std::atomic<std::uint64_t>> by_status;
  std::atomic<std::uint64_t> jobs_errored{0};
  std::atomic<std::uint64_t> jobs_rejected_busy{0};
  std::atomic<std::uint64_t> running{0};
  std::atomic<std::uint64_t> registrations{0};
  Histogram job_latency;
  Histogram log_rtt;

  Impl(std::unique_ptr<Platform> p, std::unique_ptr<WorkloadSet> w, LogSubmitFn s, proofs::NoteVerifier k,
       ServiceOptions o, std::ostream& os)
      : platform(std::move(p)), workload_set(std::move(w)), submit(std::move(s)), log_key(std::move(k)),
        options(o), out(os) {
    for (auto r : {proofs::JobResult::kOk, proofs::JobResult::kFailed, proofs::JobResult::kTimeout,
                   proofs::JobResult::kRejected}) {
      by_status[r] = 0;
    }
    if (options.workers == 0) options.workers = 1;
  }

  void say(const std::string& line) {
    std::lock_guard lock(out_mu);
    out << line << std::endl;
  }

  const WorkloadInfo* find_workload(std::string_view name) const {
    for (const auto& w : workload_set->list()) {
      if (w.ref.name == name) return &w;
    }
    return nullptr;
  }

  // A fresh key pair, identity, boot evidence (all-zero nonce) and the
  // registration envelope signed by the key itself.
  Result<std::shared_ptr<RunnerKey>> make_key() {
    VERUN_ASSIGN_OR_RETURN(auto signing, proofs::Ed25519PrivateKey::generate());
    VERUN_ASSIGN_OR_RETURN(auto hpke, proofs::HpkePrivateKey::generate());
    auto key = std::shared_ptr<RunnerKey>(new RunnerKey{std::move(signing), std::move(hpke), {}, {}, {}, 0, {}, {}, {}, {}});
    lock_secret(key->signing.seed());
    lock_secret(key->hpke.private_bytes());
    auto& id = key->identity;
    id.platform = platform->kind();
    id.signing_key = key->signing.public_key();
    id.hpke_key = key->hpke.public_key();
    id.runner_version = std::string(kRunnerVersion);
    VERUN_TRY(proofs::random_fill(id.boot_id));
    for (const auto& w : workload_set->list()) id.workloads.push_back(w.ref);
    key->key_id = proofs::key_id(id.signing_key);
    VERUN_ASSIGN_OR_RETURN(auto report_data, proofs::make_report_data(id, proofs::kZeroNonce));
    proofs::RegistrationPredicate predicate;
    predicate.identity = id;
    VERUN_ASSIGN_OR_RETURN(predicate.evidence, platform->attest(report_data));
    VERUN_ASSIGN_OR_RETURN(key->registration, proofs::make_registration_envelope(predicate, key->signing));
    return key;
  }

  // Checks the log's tlog-proof for the envelope under the log key.
  Result<void> verify_logged(const proofs::Envelope& envelope, const LogAnswer& answer) const {
    auto leaf = proofs::envelope_leaf(envelope);
    if (!leaf) return leaf.error();
    auto proof = proofs::parse_tlog_proof(answer.proof);
    if (!proof) return Error(ErrorCode::kRunnerBadLogProof, "the log's proof does not parse: " + proof.error().to_string());
    auto verified = proofs::verify_tlog_proof_for_entry(*proof, proofs::as_bytes(*leaf), log_key, log_key.name());
    if (!verified) {
      return Error(ErrorCode::kRunnerBadLogProof, "the log's proof does not verify: " + verified.error().to_string());
    }
    if (verified->index != answer.index) {
      return Error(ErrorCode::kRunnerBadLogProof, "the log's proof is for index " + std::to_string(verified->index) +
                                                      ", not the answered " + std::to_string(answer.index));
    }
    return ok();
  }

  Result<LogAnswer> timed_submit(const proofs::Envelope& envelope) {
    const auto t0 = Clock::now();
    auto r = submit(envelope);
    log_rtt.observe(Clock::now() - t0);
    return r;
  }

  // Submits the key's registration until the log answers; retries (forever
  // when `forever`, else while not stopping) with exponential back-off.
  Result<void> register_key(RunnerKey& key) {
    auto delay = options.boot_backoff_start;
    for (int attempt = 1;; ++attempt) {
      say("registering runner key " + key.key_id + " with the log (attempt " + std::to_string(attempt) + ")");
      auto answer = timed_submit(key.registration);
      if (answer) {
        VERUN_TRY(verify_logged(key.registration, *answer));
        key.index = answer->index;
        key.proof = answer->proof;
        key.registered_at = Clock::now();
        registrations.fetch_add(1);
        say("registered: key_id " + key.key_id + " at log index " + std::to_string(key.index));
        return ok();
      }
      if (answer.code() != ErrorCode::kRunnerLogUnavailable) {
        return Error(ErrorCode::kRunnerRegistrationRejected,
                     "the log refused the registration: " + answer.error().message);
      }
      say("log unavailable (" + answer.error().message + "); retrying in " + std::to_string(delay.count()) + " ms");
      {
        std::unique_lock lock(queue_mu);
        if (rotator_cv.wait_for(lock, delay, [&] { return stopping; })) {
          return Error(ErrorCode::kRunnerShuttingDown, "stopped while registering");
        }
      }
      delay = std::min(delay * 2, options.boot_backoff_max);
    }
  }

  std::shared_ptr<RunnerKey> key_for(std::string_view key_id) const {
    std::lock_guard lock(keys_mu);
    if (current && current->key_id == key_id) return current;
    if (previous && previous->key_id == key_id) return previous;
    return nullptr;
  }

  // --- jobs ---------------------------------------------------------------

  void finish(const std::shared_ptr<Job>& job, Answer answer) {
    {
      std::lock_guard lock(job->mu);
      job->answer = std::move(answer);
      job->state = JobState::kDone;
      job->context.reset();
      job->plaintext.input = proofs::SecureBytes();
      proofs::secure_wipe(job->output.data(), job->output.size());
      job->output.clear();
    }
    job->cv.notify_all();
    job_latency.observe(Clock::now() - job->enqueued);
    std::lock_guard lock(jobs_mu);
    finished.push_back(job->id);
    while (finished.size() > options.max_finished_jobs) {
      jobs.erase(finished.front());
      finished.pop_front();
    }
  }

  // The workload stage: run, commit, sign the receipt (kept in the job).
  Result<void> execute(Job& job) {
    const auto& w = *job.workload;
    const auto started_at = proofs::Timestamp::from_time_point(std::chrono::system_clock::now());
    WorkloadOutcome outcome = workload_set->run(w.ref.name, job.plaintext.input.view());
    const auto finished_at = proofs::Timestamp::from_time_point(std::chrono::system_clock::now());

    proofs::ReceiptPredicate p;
    p.runner = {job.key->key_id, job.key->index};
    p.workload = w.ref;
    p.input.scheme = job.plaintext.input_scheme;
    p.input.size = job.plaintext.input.size();
    VERUN_ASSIGN_OR_RETURN(p.input.commitment, proofs::compute_commitment(job.plaintext.input_scheme,
                                                                          job.plaintext.input.view(),
                                                                          job.plaintext.input_salt));
    Bytes output_salt;
    if (job.plaintext.output_scheme == proofs::CommitmentScheme::kSaltedV1) {
      VERUN_ASSIGN_OR_RETURN(output_salt, proofs::random_bytes(proofs::kCommitmentSaltSize));
    }
    p.output.scheme = job.plaintext.output_scheme;
    p.output.size = outcome.output.size();
    VERUN_ASSIGN_OR_RETURN(p.output.commitment,
                           proofs::compute_commitment(job.plaintext.output_scheme, outcome.output, output_salt));
    p.job = {job.id, job.plaintext.job_nonce};
    p.started_at = started_at;
    p.finished_at = std::max(started_at, finished_at);
    p.status = {outcome.result, outcome.result == proofs::JobResult::kOk ? 0 : std::max<std::int64_t>(0, outcome.exit_code)};
    if (outcome.result == proofs::JobResult::kOk && outcome.exit_code != 0) {
      p.status.result = proofs::JobResult::kFailed;
      p.status.exit_code = outcome.exit_code;
    }
    VERUN_ASSIGN_OR_RETURN(auto receipt, proofs::make_receipt_envelope(p, job.key->signing));
    job.receipt = std::move(receipt);
    job.result = p.status.result;
    job.output = std::move(outcome.output);
    job.output_salt = std::move(output_salt);
    return ok();
  }

  // The log stage: submit the receipt (retrying while the log is
  // unavailable), verify its proof, assemble the bundle, seal the output.
  Result<Answer> log_and_answer(Job& job) {
    const proofs::Envelope& receipt = *job.receipt;
    LogAnswer logged;
    auto delay = std::chrono::milliseconds(100);
    for (int attempt = 1;; ++attempt) {
      auto answer = timed_submit(receipt);
      if (answer) {
        logged = std::move(*answer);
        break;
      }
      if (answer.code() != ErrorCode::kRunnerLogUnavailable || attempt >= options.receipt_attempts) {
        return Error(ErrorCode::kRunnerReceiptNotLogged,
                     "job " + job.id + " ran (" + std::string(proofs::to_string(job.result)) +
                         ") but its receipt was not logged: " + answer.error().message);
      }
      std::this_thread::sleep_for(delay);
      delay = std::min(delay * 2, std::chrono::milliseconds(2000));
    }
    if (auto v = verify_logged(receipt, logged); !v) {
      return Error(ErrorCode::kRunnerReceiptNotLogged, "job " + job.id + ": " + v.error().message);
    }
    by_status.at(job.result).fetch_add(1);

    Json bundle = {
        {"mediaType", "application/vnd.verun.bundle.v1+json"},
        {"receipt", {{"envelope", proofs::serialize_envelope(receipt)}, {"proof", logged.proof}}},
        {"registration",
         {{"envelope", proofs::serialize_envelope(job.key->registration)}, {"proof", job.key->proof}}},
        {"collateral", Json::object()}};
    VERUN_ASSIGN_OR_RETURN(auto sealed, seal_job_output(*job.context, job.id, job.output, job.output_salt));
    proofs::secure_wipe(job.output.data(), job.output.size());
    Answer a;
    a.status = 200;
    a.body = {{"job_id", job.id}, {"bundle", std::move(bundle)}, {"output", proofs::base64_encode(sealed)}};
    return a;
  }

  void worker_loop() {
    for (;;) {
      std::shared_ptr<Job> job;
      {
        std::unique_lock lock(queue_mu);
        queue_cv.wait(lock, [&] { return stopping || !queue.empty(); });
        if (queue.empty()) return;  // stopping, nothing left
        job = std::move(queue.front());
        queue.pop_front();
      }
      {
        std::lock_guard lock(job->mu);
        job->state = JobState::kRunning;
      }
      running.fetch_add(1);
      Result<void> r = ok();
      try {
        r = execute(*job);
      } catch (const std::exception&) {
        r = Error(ErrorCode::kInternal, "the runner failed while running the job");
      }
      running.fetch_sub(1);
      if (!r) {
        fail_job(job, r.error());
        continue;
      }
      // Hand the logged half to the log stage, so a worker does not wait
      // on the log round trip; block while that stage is full.
      {
        std::unique_lock lock(log_mu);
        log_space_cv.wait(lock, [&] { return log_queue.size() < kLogQueueLimit; });
        log_queue.push_back(std::move(job));
      }
      log_cv.notify_one();
    }
  }

  void fail_job(const std::shared_ptr<Job>& job, const Error& e) {
    jobs_errored.fetch_add(1);
    say("job " + job->id + " failed: " + e.to_string());
    finish(job, error_answer(e));
  }

  void log_loop() {
    for (;;) {
      std::shared_ptr<Job> job;
      {
        std::unique_lock lock(log_mu);
        log_cv.wait(lock, [&] { return log_stopping || !log_queue.empty(); });
        if (log_queue.empty()) return;
        job = std::move(log_queue.front());
        log_queue.pop_front();
      }
      log_space_cv.notify_one();
      try {
        auto r = log_and_answer(*job);
        if (r) {
          finish(job, std::move(*r));
        } else {
          fail_job(job, r.error());
        }
      } catch (const std::exception&) {
        fail_job(job, Error(ErrorCode::kInternal, "the runner failed while logging the job"));
      }
    }
  }

  void rotation_loop() {
    std::unique_lock lock(queue_mu);
    for (;;) {
      std::chrono::milliseconds age_limit = std::chrono::duration_cast<std::chrono::milliseconds>(options.max_key_age) * 9 / 10;
      Clock::time_point due;
      {
        std::lock_guard klock(keys_mu);
        due = current->registered_at + age_limit;
      }
      if (rotator_cv.wait_until(lock, due, [&] { return stopping; })) return;
      lock.unlock();
      auto r = rotate();
      if (!r) say("key rotation failed: " + r.error().to_string() + " (keeping the current key)");
      lock.lock();
      if (!r && rotator_cv.wait_for(lock, std::chrono::seconds(5), [&] { return stopping; })) return;
    }
  }

  Result<void> rotate() {
    VERUN_ASSIGN_OR_RETURN(auto key, make_key());
    VERUN_TRY(register_key(*key));
    std::lock_guard lock(keys_mu);
    say("rotated runner key: " + (current ? current->key_id : std::string("-")) + " -> " + key->key_id);
    previous = std::move(current);
    current = std::move(key);
    return ok();
  }
};

RunnerService::RunnerService(std::unique_ptr<Platform> platform, std::unique_ptr<WorkloadSet> workloads,
                             LogSubmitFn submit, proofs::NoteVerifier log_key, ServiceOptions options,
                             std::ostream& out)
    : impl_(std::make_unique<Impl>(std::move(platform), std::move(workloads), std::move(submit), std::move(log_key),
                                   options, out)) {}

RunnerService::~RunnerService() { stop(); }

Result<void> RunnerService::start() {
  auto& m = *impl_;
  VERUN_ASSIGN_OR_RETURN(auto key, m.make_key());
  VERUN_TRY(m.register_key(*key));
  {
    std::lock_guard lock(m.keys_mu);
    m.current = std::move(key);
  }
  std::lock_guard lock(m.queue_mu);
  if (m.started || m.stopping) return ok();
  m.started = true;
  for (std::size_t i = 0; i < m.options.workers; ++i) m.workers.emplace_back([&m] { m.worker_loop(); });
  for (std::size_t i = 0; i < Impl::kLogThreads; ++i) m.log_threads.emplace_back([&m] { m.log_loop(); });
  m.rotator = std::thread([&m] { m.rotation_loop(); });
  return ok();
}

void RunnerService::stop() {
  auto& m = *impl_;
  {
    std::lock_guard lock(m.queue_mu);
    m.stopping = true;
  }
  m.queue_cv.notify_all();
  m.rotator_cv.notify_all();
  for (auto& t : m.workers) {
    if (t.joinable()) t.join();
  }
  // The workers have handed over everything; the log stage drains it.
  {
    std::lock_guard lock(m.log_mu);
    m.log_stopping = true;
  }
  m.log_cv.notify_all();
  for (auto& t : m.log_threads) {
    if (t.joinable()) t.join();
  }
  if (m.rotator.joinable()) m.rotator.join();
}

Answer RunnerService::attestation(std::string_view nonce_hex) const {
  auto& m = *impl_;
  auto nonce = proofs::hex_decode32(nonce_hex);
  if (!nonce) {
    return error_answer(Error(ErrorCode::kRunnerBadRequest, "nonce must be 64 lowercase hex characters (32 bytes)"));
  }
  std::shared_ptr<RunnerKey> key;
  {
    std::lock_guard lock(m.keys_mu);
    key = m.current;
  }
  if (!key) return error_answer(Error(ErrorCode::kRunnerShuttingDown, "the runner is not registered yet"));
  auto report_data = proofs::make_report_data(key->identity, *nonce);
  if (!report_data) return error_answer(report_data.error());
  auto evidence = m.platform->attest(*report_data);
  if (!evidence) return error_answer(evidence.error());
  Answer a;
  a.body = {{"identity", proofs::to_json(key->identity)},
            {"evidence", proofs::to_json(*evidence)},
            {"registration", {{"index", key->index}, {"proof", key->proof}}}};
  return a;
}

Answer RunnerService::submit_job(std::string_view body, bool async) {
  auto& m = *impl_;
  auto req = parse_job_request(body);
  if (!req) return error_answer(req.error());
  auto key = m.key_for(req->key_id);
  if (!key) {
    return error_answer(Error(ErrorCode::kRunnerUnknownKey,
                              "key_id " + req->key_id + " is not this runner's key; fetch /v1/attestation again"));
  }
  const WorkloadInfo* workload = m.find_workload(req->workload);
  if (!workload) {
    return error_answer(Error(ErrorCode::kRunnerUnknownWorkload, "no workload named " + req->workload));
  }
  auto context = proofs::hpke_setup_base_recipient(proofs::kVerunJobSuite, req->enc, key->hpke,
                                                   proofs::as_bytes(proofs::kVerunJobInfo));
  if (!context) return error_answer(Error(ErrorCode::kRunnerUndecryptable, "the job's enc is not a usable X25519 key"));
  auto plain = context->open(proofs::as_bytes(req->aad), req->ciphertext);
  if (!plain) {
    return error_answer(Error(ErrorCode::kRunnerUndecryptable,
                              "the job's ciphertext does not open with this runner's key, info and aad"));
  }
  auto plaintext = parse_job_plaintext(plain->view());
  if (!plaintext) return error_answer(plaintext.error());

  // Reserve a queue slot first, so a 503 does not burn the enc.
  {
    std::lock_guard lock(m.queue_mu);
    if (m.stopping) return error_answer(Error(ErrorCode::kRunnerShuttingDown, "the runner is stopping"));
    if (m.queue.size() + m.reserved >= m.options.queue) {
      m.jobs_rejected_busy.fetch_add(1);
      return error_answer(Error(ErrorCode::kRunnerQueueFull,
                                "the job queue is full (" + std::to_string(m.options.queue) + " waiting)"));
    }
    ++m.reserved;
  }
  auto release = [&m] {
    std::lock_guard lock(m.queue_mu);
    --m.reserved;
  };
  if (!key->remember_enc(req->enc)) {
    release();
    return error_answer(Error(ErrorCode::kRunnerReplayedEnc, "this enc was already used with key " + key->key_id));
  }
  auto job = std::make_shared<Job>();
  job->id = random_hex(16);
  job->key = key;
  job->workload = workload;
  job->context.emplace(std::move(*context));
  job->plaintext = std::move(*plaintext);
  job->enqueued = Clock::now();
  if (job->id.empty()) {
    release();
    key->forget_enc(req->enc);
    return error_answer(Error(ErrorCode::kInternal, "the random source failed"));
  }
  {
    std::lock_guard lock(m.jobs_mu);
    m.jobs.emplace(job->id, job);
  }
  {
    std::lock_guard lock(m.queue_mu);
    --m.reserved;
    if (m.stopping) {
      std::lock_guard jlock(m.jobs_mu);
      m.jobs.erase(job->id);
      return error_answer(Error(ErrorCode::kRunnerShuttingDown, "the runner is stopping"));
    }
    m.queue.push_back(job);
  }
  m.queue_cv.notify_one();
  if (async) {
    Answer a;
    a.status = 202;
    a.body = {{"job_id", job->id}};
    return a;
  }
  std::unique_lock lock(job->mu);
  job->cv.wait(lock, [&] { return job->state == JobState::kDone; });
  return job->answer;
}

Answer RunnerService::job(std::string_view id) const {
  auto& m = *impl_;
  std::shared_ptr<Job> job;
  {
    std::lock_guard lock(m.jobs_mu);
    if (auto it = m.jobs.find(id); it != m.jobs.end()) job = it->second;
  }
  if (!job) {
    const bool printable = id.size() <= 64 && id.find_first_not_of("0123456789abcdef") == std::string_view::npos;
    return error_answer(Error(ErrorCode::kRunnerUnknownJob,
                              printable ? "no job with id " + std::string(id) : std::string("no job has this id")));
  }
  std::lock_guard lock(job->mu);
  if (job->state != JobState::kDone) {
    Answer a;
    a.status = 202;
    a.body = {{"job_id", job->id}, {"state", job->state == JobState::kQueued ? "queued" : "running"}};
    return a;
  }
  return job->answer;
}

Answer RunnerService::workloads() const {
  Json list = Json::array();
  for (const auto& w : impl_->workload_set->list()) {
    list.push_back({{"name", w.ref.name},
                    {"version", w.ref.version},
                    {"measurement", {{"sha256", proofs::hex_encode(w.ref.measurement)}}},
                    {"manifest", w.manifest}});
  }
  Answer a;
  a.body = {{"workloads", std::move(list)}};
  return a;
}

std::string RunnerService::metrics() const {
  auto& m = *impl_;
  std::ostringstream o;
  o << "# HELP verun_runner_jobs_total Jobs whose receipt was logged, by status.result.\n"
       "# TYPE verun_runner_jobs_total counter\n";
  for (const auto& [r, n] : m.by_status) {
    o << "verun_runner_jobs_total{status=\"" << proofs::to_string(r) << "\"} " << n.load() << "\n";
  }
  o << "# HELP verun_runner_jobs_errors_total Jobs that ended without a bundle (receipt not logged, internal).\n"
       "# TYPE verun_runner_jobs_errors_total counter\nverun_runner_jobs_errors_total "
    << m.jobs_errored.load() << "\n";
  o << "# HELP verun_runner_jobs_refused_busy_total Jobs refused with 503 because the queue was full.\n"
       "# TYPE verun_runner_jobs_refused_busy_total counter\nverun_runner_jobs_refused_busy_total "
    << m.jobs_rejected_busy.load() << "\n";
  std::size_t depth = 0;
  {
    std::lock_guard lock(m.queue_mu);
    depth = m.queue.size();
  }
  o << "# HELP verun_runner_queue_depth Jobs waiting for a worker.\n# TYPE verun_runner_queue_depth gauge\n"
       "verun_runner_queue_depth "
    << depth << "\n";
  o << "# HELP verun_runner_jobs_running Jobs running now.\n# TYPE verun_runner_jobs_running gauge\n"
       "verun_runner_jobs_running "
    << m.running.load() << "\n";
  o << "# HELP verun_runner_registrations_total Keys registered with the log (boot and rotations).\n"
       "# TYPE verun_runner_registrations_total counter\nverun_runner_registrations_total "
    << m.registrations.load() << "\n";
  o << "# HELP verun_runner_simulated 1 when the platform is sim (SIMULATED evidence).\n"
       "# TYPE verun_runner_simulated gauge\nverun_runner_simulated "
    << (m.platform->simulated() ? 1 : 0) << "\n";
  m.job_latency.write(o, "verun_runner_job_seconds", "Time from acceptance to the finished bundle.");
  m.log_rtt.write(o, "verun_runner_log_roundtrip_seconds", "Time of one log submission (POST /v1/entries).");
  return o.str();
}

std::size_t RunnerService::max_body_bytes() const {
  std::uint64_t max_input = 0;
  for (const auto& w : impl_->workload_set->list()) max_input = std::max(max_input, w.max_input_bytes);
  // The input travels base64 inside the plaintext and again inside the body
  // (16/9), plus the JSON around it; allow twice the input and 64 KiB, so
  // an input a little over its limit still reaches the workload check and
  // gets a `rejected` receipt.
  const std::uint64_t limit = max_input * 2 + (64u << 10);
  return static_cast<std::size_t>(std::min<std::uint64_t>(limit, kMaxJobBodyBytes));
}

bool RunnerService::simulated() const { return impl_->platform->simulated(); }

std::string RunnerService::key_id() const {
  std::lock_guard lock(impl_->keys_mu);
  return impl_->current ? impl_->current->key_id : std::string();
}

std::uint64_t RunnerService::registration_index() const {
  std::lock_guard lock(impl_->keys_mu);
  return impl_->current ? impl_->current->index : 0;
}

Result<void> RunnerService::rotate_key() { return impl_->rotate(); }

}  // namespace verun::runner
