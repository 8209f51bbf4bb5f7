#include "sequencer.h"

#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "verun/proofs/merkle/compact_range.h"
#include "verun/proofs/merkle/hasher.h"
#include "verun/proofs/merkle/tiles.h"
#include "verun/proofs/note/checkpoint.h"

namespace verun::log {
namespace {

using proofs::Hash32;
using Clock = std::chrono::steady_clock;

struct HashOfHash {
  std::size_t operator()(const Hash32& h) const {
    std::size_t v = 0;
    for (int i = 0; i < 8; ++i) v = (v << 8) | h[i];
    return v;
  }
};

struct Pending {
  Submission submission;
  Hash32 leaf{};
  Clock::time_point enqueued;
  std::promise<Result<Sequenced>> promise;
};

std::future<Result<Sequenced>> ready(Result<Sequenced> r) {
  std::promise<Result<Sequenced>> p;
  p.set_value(std::move(r));
  return p.get_future();
}

Error corrupt(std::string what) { return Error(ErrorCode::kLogStoreCorrupt, std::move(what)); }

}  // namespace

// One sealed batch, prepared on top of the batches before it and waiting
// for (or in) its commit.
struct Prepared {
  std::uint64_t seq = 0;  // 1, 2, ... in sealing (and commit) order
  std::vector<Pending> pending;
  std::vector<std::optional<Result<Sequenced>>> results;
  std::vector<bool> written;  // its result depends on this batch's (and earlier batches') commit
  AppendBatch write;          // entries empty: nothing new, nothing to write
  proofs::CompactRange range; // the tree after this batch
};

struct Sequencer::Impl {
  Store& store;
  proofs::NoteSigner signer;
  SequencerOptions options;

  // Owned by the preparing (worker) thread, and start() before it runs: the
  // tree after the last prepared batch, and the leaves and keys of prepared
  // batches that may not be committed yet (batch seq attached).
  proofs::CompactRange spec;
  std::unordered_map<Hash32, std::pair<std::uint64_t, std::uint64_t>, HashOfHash> inflight_leaves;  // -> index, seq
  std::unordered_map<std::string, std::uint64_t> inflight_keys;                                      // -> seq
  std::uint64_t last_seq = 0;

  mutable std::mutex mu;
  std::condition_variable cv;         // submissions arrived / stopping
  std::condition_variable commit_cv;  // the commit queue changed
  std::deque<Pending> queue;
  std::deque<Prepared> to_commit;     // sealed, not yet taken by the committer (at most one)
  std::size_t in_commit = 0;          // sealed and not yet resolved (queued or committing)
  bool stopping = false;
  bool prepare_done = false;          // the worker has sealed its last batch
  bool poisoned = false;              // a commit failed: later prepared batches fail too
  std::uint64_t committed_seq = 0;    // the last batch whose commit succeeded
  std::string checkpoint;             // guarded by mu: the last committed
  std::uint64_t size = 0;             // guarded by mu
  SequencerStats stats{Histogram({1, 8, 64, 256, 1024, 4096, 16384}),
                       Histogram({0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1})};
  std::thread worker;
  std::thread committer;
  std::mutex join_mu;

  Impl(Store& s, proofs::NoteSigner k, SequencerOptions o)
      : store(s), signer(std::move(k)), options(std::move(o)) {}

  Result<std::string> sign(const proofs::CompactRange& r) const {
    proofs::Checkpoint cp;
    cp.origin = options.origin;
    cp.size = r.size();
    cp.root = r.root();
    return proofs::sign_checkpoint(cp, signer);
  }

  // Resumes from the stored state; see Sequencer::start.
  Result<void> resume() {
    VERUN_ASSIGN_OR_RETURN(TreeState st, store.read_state());
    auto r = proofs::CompactRange::make(st.size, st.right_edge);
    if (!r) return corrupt("stored right edge does not fit tree size " + std::to_string(st.size));
    if (r->root() != st.root) return corrupt("stored right edge does not fold to the stored root");
    if (st.checkpoint.empty()) {
      if (st.size != 0) return corrupt("a non-empty tree has no checkpoint");
      AppendBatch batch;
      VERUN_ASSIGN_OR_RETURN(batch.checkpoint, sign(*r));
      batch.root = r->root();
      VERUN_TRY(store.append(batch));
      st.checkpoint = batch.checkpoint;
    } else {
      auto opened = proofs::open_checkpoint(st.checkpoint, signer.verifier(), options.origin);
      if (!opened) return corrupt("stored checkpoint does not open with the log key: " + opened.error().to_string());
      if (opened->checkpoint.size != st.size || opened->checkpoint.root != st.root) {
        return corrupt("stored checkpoint (size " + std::to_string(opened->checkpoint.size) +
                       ") does not match the stored tree (size " + std::to_string(st.size) + ")");
      }
    }
    spec = std::move(*r);
    inflight_leaves.clear();
    inflight_keys.clear();
    std::lock_guard<std::mutex> lock(mu);
    checkpoint = std::move(st.checkpoint);
    size = spec.size();
    return ok();
  }

  // The preparing thread: seals batches (bigger ones while a commit runs)
  // and hands them to the committer, one ahead at most.
  void run() {
    std::unique_lock<std::mutex> lock(mu);
    for (;;) {
      cv.wait(lock, [&] { return stopping || !queue.empty(); });
      if (queue.empty()) break;  // stopping, and drained
      const Clock::time_point deadline = queue.front().enqueued + options.max_batch_wait;
      while (!stopping && queue.size() < options.max_batch_entries && Clock::now() < deadline) {
        cv.wait_until(lock, deadline);
      }
      // Wait for the commit slot: submissions keep arriving meanwhile, so
      // the batch grows with the load.
      commit_cv.wait(lock, [&] { return to_commit.empty(); });
      if (poisoned) {
        // A commit failed: wait until every batch built on it is resolved,
        // then the stored tree is the truth again.
        commit_cv.wait(lock, [&] { return in_commit == 0; });
        lock.unlock();
        (void)resync();
        lock.lock();
        poisoned = false;
      }
      const std::size_t n = std::min(queue.size(), options.max_batch_entries);
      std::vector<Pending> batch;
      batch.reserve(n);
      for (std::size_t i = 0; i < n; ++i) {
        batch.push_back(std::move(queue.front()));
        queue.pop_front();
      }
      const std::uint64_t committed = committed_seq;
      lock.unlock();
      Prepared p;
      p.pending = std::move(batch);
      bool prepared = true;
      try {
        prepare(p, committed);
      } catch (const std::exception& e) {  // a bug: fail the batch, keep serving
        fail_all(p.pending, Error(ErrorCode::kInternal, std::string("sequencer: ") + e.what()));
        prepared = false;
      }
      lock.lock();
      if (prepared) {
        to_commit.push_back(std::move(p));
        ++in_commit;
        commit_cv.notify_all();
      } else {
        poisoned = true;  // the in-flight maps may be half-updated: resync first
      }
    }
    prepare_done = true;
    commit_cv.notify_all();
  }

  // The committing thread: the store's only writer, in seal order.
  void commit_loop() {
    std::unique_lock<std::mutex> lock(mu);
    for (;;) {
      commit_cv.wait(lock, [&] { return prepare_done || !to_commit.empty(); });
      if (to_commit.empty()) return;  // prepare_done, and drained
      Prepared p = std::move(to_commit.front());
      to_commit.pop_front();
      commit_cv.notify_all();  // the slot is free: the next batch may be sealed
      const bool fail_it = poisoned;
      lock.unlock();
      commit(p, fail_it);
      lock.lock();
      --in_commit;
      commit_cv.notify_all();
    }
  }

  static void fail_all(std::vector<Pending>& batch, const Error& e) {
    for (Pending& p : batch) p.promise.set_value(e);
  }

  // After a failed write: the stored tree is the truth again.
  Result<void> resync() {
    inflight_leaves.clear();
    inflight_keys.clear();
    VERUN_ASSIGN_OR_RETURN(TreeState st, store.read_state());
    if (st.size == spec.size() && st.root == spec.root()) {
      std::lock_guard<std::mutex> lock(mu);
      checkpoint = std::move(st.checkpoint);
      size = st.size;
      return ok();
    }
    return resume();
  }

  void prepare(Prepared& p, std::uint64_t committed) {
    p.seq = ++last_seq;
    p.results.resize(p.pending.size());
    p.written.assign(p.pending.size(), false);
    // Batches up to `committed` are in the store, which the snapshot below
    // sees: they need no in-flight entries any more.
    std::erase_if(inflight_leaves, [&](const auto& kv) { return kv.second.second <= committed; });
    std::erase_if(inflight_keys, [&](const auto& kv) { return kv.second <= committed; });
    proofs::CompactRange next = spec;
    AppendBatch& write = p.write;
    write.old_size = next.size();
    auto visit = [&](proofs::NodeId id, const Hash32& h) {
      if (id.level > 0 && id.level % proofs::kTileHeight == 0) write.tile_nodes.emplace_back(id, h);
    };
    // Dedup against the store: one read snapshot for the whole batch.
    std::vector<Hash32> leaves;
    leaves.reserve(p.pending.size());
    for (const Pending& q : p.pending) leaves.push_back(q.leaf);
    auto stored = store.find_leaves(leaves);
    if (!stored) {
      for (auto& r : p.results) r = stored.error();
      p.range = spec;
      return;
    }
    for (std::size_t i = 0; i < p.pending.size(); ++i) {
      Pending& q = p.pending[i];
      if (auto it = inflight_leaves.find(q.leaf); it != inflight_leaves.end()) {
        // In this batch or one not yet committed: valid once it commits.
        p.results[i] = Sequenced{it->second.first, q.leaf, true};
        p.written[i] = true;
        continue;
      }
      if (const auto& existing = (*stored)[i]) {
        p.results[i] = Sequenced{*existing, q.leaf, true};
        continue;
      }
      if (const auto& key = q.submission.key_id) {
        auto reg = store.find_registration(*key);
        if (!reg) {
          p.results[i] = std::move(reg).error();
          continue;
        }
        if (*reg || inflight_keys.count(*key) != 0) {
          p.results[i] = Error(ErrorCode::kLogKeyAlreadyRegistered, "key_id " + *key + " is already registered");
          continue;
        }
        inflight_keys.emplace(*key, p.seq);
      }
      const std::uint64_t index = next.size();
      next.append(q.leaf, visit);
      inflight_leaves.emplace(q.leaf, std::make_pair(index, p.seq));
      for (proofs::Bytes& b : q.submission.blobs) write.blobs.push_back(std::move(b));
      write.entries.push_back(NewEntry{std::move(q.submission.entry), q.leaf, q.submission.key_id});
      p.results[i] = Sequenced{index, q.leaf, false};
      p.written[i] = true;
    }
    if (!write.entries.empty()) {
      auto text = sign(next);
      if (!text) {
        // Nothing of this batch can be written: forget its new entries.
        for (const NewEntry& e : write.entries) inflight_leaves.erase(e.leaf_hash);
        for (const NewEntry& e : write.entries) {
          if (e.key_id) inflight_keys.erase(*e.key_id);
        }
        for (std::size_t i = 0; i < p.results.size(); ++i) {
          if (p.written[i]) p.results[i] = text.error();
        }
        p.write.entries.clear();
        p.range = spec;
        return;
      }
      write.checkpoint = std::move(*text);
      write.root = next.root();
      write.right_edge.assign(next.right_edge().begin(), next.right_edge().end());
    }
    spec = next;
    p.range = std::move(next);
  }

  // Writes one prepared batch (or fails it when an earlier one failed) and
  // resolves its futures.
  void commit(Prepared& p, bool fail_it) {
    Result<void> committed = ok();
    if (fail_it) {
      committed = Error(ErrorCode::kLogStoreError, "an earlier batch failed to commit");
    } else if (!p.write.entries.empty()) {
      const auto t0 = Clock::now();
      committed = store.append(p.write);
      const double secs = std::chrono::duration<double>(Clock::now() - t0).count();
      std::lock_guard<std::mutex> lock(mu);
      if (committed) {
        checkpoint = p.write.checkpoint;
        size = p.range.size();
        committed_seq = p.seq;
        stats.batch_entries.observe(static_cast<double>(p.write.entries.size()));
        stats.commit_seconds.observe(secs);
      } else {
        poisoned = true;
      }
    }
    if (!committed) {
      for (std::size_t i = 0; i < p.pending.size(); ++i) {
        if (p.written[i]) p.results[i] = committed.error();
      }
    }
    for (std::size_t i = 0; i < p.pending.size(); ++i) p.pending[i].promise.set_value(std::move(*p.results[i]));
  }
};

Result<std::unique_ptr<Sequencer>> Sequencer::start(Store& store, proofs::NoteSigner signer, SequencerOptions options) {
  if (options.max_batch_entries == 0 || options.max_queue == 0) {
    return Error(ErrorCode::kInvalidArgument, "max_batch_entries and max_queue must be positive");
  }
  if (options.max_batch_wait.count() < 0) return Error(ErrorCode::kInvalidArgument, "max_batch_wait is negative");
  if (options.origin.empty()) options.origin = signer.name();
  auto impl = std::make_unique<Impl>(store, std::move(signer), std::move(options));
  VERUN_TRY(impl->resume());
  Impl* raw = impl.get();
  impl->committer = std::thread([raw] { raw->commit_loop(); });
  impl->worker = std::thread([raw] { raw->run(); });
  return std::unique_ptr<Sequencer>(new Sequencer(std::move(impl)));
}

Sequencer::Sequencer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Sequencer::~Sequencer() { stop(); }

void Sequencer::stop() {
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    impl_->stopping = true;
  }
  impl_->cv.notify_all();
  std::lock_guard<std::mutex> join_lock(impl_->join_mu);  // stop() may race with itself
  if (impl_->worker.joinable()) impl_->worker.join();
  if (impl_->committer.joinable()) impl_->committer.join();
}

std::future<Result<Sequenced>> Sequencer::submit(proofs::Bytes entry) {
  Submission s;
  s.entry = std::move(entry);
  return submit(std::move(s));
}

std::future<Result<Sequenced>> Sequencer::submit(Submission submission) {
  if (submission.entry.size() > proofs::kMaxEntrySize) {
    return ready(Error(ErrorCode::kLogEntryTooLarge,
                       "entry of " + std::to_string(submission.entry.size()) + " bytes exceeds 65535"));
  }
  if (impl_->options.admission) {
    Result<void> admitted = ok();
    try {
      admitted = impl_->options.admission(submission);
    } catch (const std::exception& e) {
      admitted = Error(ErrorCode::kInternal, std::string("admission threw: ") + e.what());
    }
    if (!admitted) return ready(std::move(admitted).error());
  }
  Pending p;
  p.leaf = proofs::leaf_hash(submission.entry);
  p.submission = std::move(submission);
  p.enqueued = Clock::now();
  std::future<Result<Sequenced>> f = p.promise.get_future();
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    if (impl_->stopping) return ready(Error(ErrorCode::kLogShuttingDown, "the sequencer is stopping"));
    if (impl_->queue.size() >= impl_->options.max_queue) {
      return ready(Error(ErrorCode::kLogQueueFull,
                         "the queue holds " + std::to_string(impl_->queue.size()) + " pending submissions"));
    }
    impl_->queue.push_back(std::move(p));
    if (impl_->queue.size() != 1 && impl_->queue.size() < impl_->options.max_batch_entries) return f;
  }
  impl_->cv.notify_one();
  return f;
}

std::string Sequencer::checkpoint() const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->checkpoint;
}

std::uint64_t Sequencer::size() const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->size;
}

SequencerStats Sequencer::stats() const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->stats;
}

}  // namespace verun::log
