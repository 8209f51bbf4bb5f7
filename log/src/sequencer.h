// The log's sequencer (DESIGN.md §6; tessera's sequencing + integration +
// publishing, done together per batch): it batches admitted submissions,
// dedups them by RFC 9162 leaf hash, assigns indices, extends the tree with
// CompactRange, signs a C2SP tlog-checkpoint with the log's note key and
// writes all of it in ONE store transaction. Pipelined: while one batch
// commits (and fsyncs), the next is sealed and prepared on top of it; commits
// stay strictly in order and a failed commit fails every batch built on it.
// Thread-safe: any number of threads may submit(); one internal thread
// prepares batches, another is the store's only writer.
//
// Promises: a submission's future MUST NOT resolve with a value before its
// entry is durable and covered by the stored signed checkpoint; no
// checkpoint is signed for a tree that is not durable; a checkpoint never
// forks from an earlier one (start() resumes from the stored right edge and
// checks it against the stored, signed checkpoint).
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "store/store.h"
#include "verun/log/sequenced.h"
#include "verun/proofs/bytes.h"
#include "verun/proofs/note/note_key.h"
#include "verun/result.h"

namespace verun::log {

// One entry offered to the log, already shaped as leaf data.
struct Submission {
  proofs::Bytes entry;                // the leaf data (JCS of the envelope), at most 65,535 bytes
  std::optional<std::string> key_id;  // set for a registration: a key registers once
  std::vector<proofs::Bytes> blobs;   // collateral the registration names, stored by SHA-256
};

// The admission seam: runs on the submitting thread before anything is
// queued; an error refuses the submission with that error and writes
// nothing. (Signature and evidence checks live in the admission stage.)
using AdmissionFn = std::function<Result<void>(const Submission&)>;

struct SequencerOptions {
  std::string origin;                  // checkpoint origin; empty: the signer's key name
  std::size_t max_batch_entries = 1024;  // a batch is sealed at this many submissions...
  std::chrono::microseconds max_batch_wait = std::chrono::milliseconds(50);  // ...or this long after its first
  std::size_t max_queue = 65536;       // pending submissions beyond this are refused (log.queue_full)
  AdmissionFn admission;               // optional
};

// A Prometheus-style histogram: counts[i] observations <= bounds[i]
// (cumulative), plus the total count and sum.
struct Histogram {
  std::vector<double> bounds;
  std::vector<std::uint64_t> counts;
  std::uint64_t count = 0;
  double sum = 0;

  explicit Histogram(std::vector<double> b = {}) : bounds(std::move(b)), counts(bounds.size(), 0) {}
  void observe(double v) {
    for (std::size_t i = 0; i < bounds.size(); ++i) {
      if (v <= bounds[i]) ++counts[i];
    }
    ++count;
    sum += v;
  }
};

// What the sequencer has done since start (for /metrics).
struct SequencerStats {
  Histogram batch_entries;   // new entries per committed batch
  Histogram commit_seconds;  // store transaction time per batch (includes the fsync)
};

class Sequencer {
 public:
  // Resumes from the store: the stored right edge must fold to the stored
  // root, and the stored checkpoint must verify under signer and commit to
  // that size and root; an empty store gets a signed checkpoint of the empty
  // tree. Then the worker starts. The store must outlive the sequencer.
  // Errors: invalid_argument (bad options), log.store_corrupt, the store's.
  static Result<std::unique_ptr<Sequencer>> start(Store& store, proofs::NoteSigner signer,
                                                  SequencerOptions options = {});
  ~Sequencer();  // stop()
  Sequencer(const Sequencer&) = delete;
  Sequencer& operator=(const Sequencer&) = delete;

  // Queues an entry. The future resolves once the batch holding it is
  // committed (value), or with the error that refused or failed it:
  // log.entry_too_large, the admission's error, log.queue_full,
  // log.shutting_down, log.key_already_registered, or the store's error
  // (nothing of that batch is then written).
  std::future<Result<Sequenced>> submit(Submission submission);
  std::future<Result<Sequenced>> submit(proofs::Bytes entry);

  // Seals what is queued, sequences it, and stops; later submits get
  // log.shutting_down. Idempotent.
  void stop();

  // The latest signed checkpoint and its size (what the store holds).
  std::string checkpoint() const;
  std::uint64_t size() const;
  // A snapshot of the batch histograms.
  SequencerStats stats() const;

  struct Impl;

 private:
  explicit Sequencer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace verun::log
