// The log's Prometheus metrics (text exposition format 0.0.4): submissions
// by outcome, rejections by error code, HTTP responses by status, and the
// latency of POST /v1/entries; the tree size and the sequencer's batch-size
// and commit-time histograms are read at scrape time.
// Thread-safe: counters are updated from any handler thread.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

#include "sequencer.h"

namespace verun::log::http {

class Metrics {
 public:
  void count_submission(const std::string& outcome);  // "new", "duplicate", "queued"
  void count_rejection(const std::string& code);
  void count_response(int status);
  void observe_submit_latency(double seconds);

  // The exposition text, with the tree size given by the caller.
  std::string render(std::uint64_t tree_size) const;
  // ... and the sequencer's histograms (verun_log_batch_entries,
  // verun_log_batch_commit_seconds).
  std::string render(std::uint64_t tree_size, const SequencerStats& stats) const;

 private:
  static constexpr std::array<double, 10> kBuckets{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10};
  mutable std::mutex mu_;
  std::map<std::string, std::uint64_t> submissions_;
  std::map<std::string, std::uint64_t> rejections_;
  std::map<int, std::uint64_t> responses_;
  std::array<std::uint64_t, kBuckets.size()> latency_buckets_{};
  std::uint64_t latency_count_ = 0;
  double latency_sum_ = 0;
};

}  // namespace verun::log::http
