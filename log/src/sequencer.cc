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

struct Sequencer::Impl {
  Store& store;
  proofs::NoteSigner signer;
  SequencerOptions options;

  // Owned by the worker thread (and start() before it runs).
  proofs::CompactRange range;

  mutable std::mutex mu;
  std::condition_variable cv;
  std::deque<Pending> queue;
  bool stopping = false;
  std::string checkpoint;  // guarded by mu
  std::uint64_t size = 0;  // guarded by mu
  std::thread worker;
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
    range = std::move(*r);
    std::lock_guard<std::mutex> lock(mu);
    checkpoint = std::move(st.checkpoint);
    size = range.size();
    return ok();
  }

  void run() {
    std::unique_lock<std::mutex> lock(mu);
    for (;;) {
      cv.wait(lock, [&] { return stopping || !queue.empty(); });
      if (queue.empty()) return;  // stopping, and drained
      const Clock::time_point deadline = queue.front().enqueued + options.max_batch_wait;
      while (!stopping && queue.size() < options.max_batch_entries && Clock::now() < deadline) {
        cv.wait_until(lock, deadline);
      }
      const std::size_t n = std::min(queue.size(), options.max_batch_entries);
      std::vector<Pending> batch;
      batch.reserve(n);
      for (std::size_t i = 0; i < n; ++i) {
        batch.push_back(std::move(queue.front()));
        queue.pop_front();
      }
      lock.unlock();
      try {
        sequence(batch);
      } catch (const std::exception& e) {  // a bug: fail the batch, keep serving
        fail_all(batch, Error(ErrorCode::kInternal, std::string("sequencer: ") + e.what()));
        (void)resync();
      }
      lock.lock();
    }
  }

  static void fail_all(std::vector<Pending>& batch, const Error& e) {
    for (Pending& p : batch) p.promise.set_value(e);
  }

  // After a failed write: the stored tree is the truth again.
  Result<void> resync() {
    VERUN_ASSIGN_OR_RETURN(TreeState st, store.read_state());
    if (st.size == range.size() && st.root == range.root()) return ok();
    return resume();
  }

  void sequence(std::vector<Pending>& batch) {
    std::vector<std::optional<Result<Sequenced>>> results(batch.size());
    std::vector<bool> written(batch.size(), false);  // its result depends on this batch's commit
    std::unordered_map<Hash32, std::uint64_t, HashOfHash> new_leaves;
    std::unordered_set<std::string> new_keys;
    proofs::CompactRange next = range;
    AppendBatch write;
    write.old_size = next.size();
    auto visit = [&](proofs::NodeId id, const Hash32& h) {
      if (id.level > 0 && id.level % proofs::kTileHeight == 0) write.tile_nodes.emplace_back(id, h);
    };
    // Dedup against the store: one read snapshot for the whole batch.
    std::vector<Hash32> leaves;
    leaves.reserve(batch.size());
    for (const Pending& p : batch) leaves.push_back(p.leaf);
    auto stored = store.find_leaves(leaves);
    if (!stored) {
      fail_all(batch, stored.error());
      return;
    }
    for (std::size_t i = 0; i < batch.size(); ++i) {
      Pending& p = batch[i];
      if (auto it = new_leaves.find(p.leaf); it != new_leaves.end()) {
        results[i] = Sequenced{it->second, p.leaf, true};
        written[i] = true;
        continue;
      }
      if (const auto& existing = (*stored)[i]) {
        results[i] = Sequenced{*existing, p.leaf, true};
        continue;
      }
      if (const auto& key = p.submission.key_id) {
        auto reg = store.find_registration(*key);
        if (!reg) {
          results[i] = std::move(reg).error();
          continue;
        }
        if (*reg || new_keys.count(*key) != 0) {
          results[i] = Error(ErrorCode::kLogKeyAlreadyRegistered, "key_id " + *key + " is already registered");
          continue;
        }
        new_keys.insert(*key);
      }
      const std::uint64_t index = next.size();
      next.append(p.leaf, visit);
      new_leaves.emplace(p.leaf, index);
      for (proofs::Bytes& b : p.submission.blobs) write.blobs.push_back(std::move(b));
      write.entries.push_back(NewEntry{std::move(p.submission.entry), p.leaf, p.submission.key_id});
      results[i] = Sequenced{index, p.leaf, false};
      written[i] = true;
    }

    if (!write.entries.empty()) {
      Result<void> committed = ok();
      auto text = sign(next);
      if (!text) {
        committed = std::move(text).error();
      } else {
        write.checkpoint = std::move(*text);
        write.root = next.root();
        write.right_edge.assign(next.right_edge().begin(), next.right_edge().end());
        committed = store.append(write);
      }
      if (committed) {
        range = std::move(next);
        std::lock_guard<std::mutex> lock(mu);
        checkpoint = write.checkpoint;
        size = range.size();
      } else {
        for (std::size_t i = 0; i < batch.size(); ++i) {
          if (written[i]) results[i] = committed.error();
        }
        (void)resync();  // a failed transaction wrote nothing; re-read to be sure
      }
    }
    for (std::size_t i = 0; i < batch.size(); ++i) batch[i].promise.set_value(std::move(*results[i]));
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

}  // namespace verun::log
