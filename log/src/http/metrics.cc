// Prometheus text exposition for verun-log (DESIGN.md §6 `/metrics`).
#include "http/metrics.h"

#include <sstream>

namespace verun::log::http {

void Metrics::count_submission(const std::string& outcome) {
  std::lock_guard lock(mu_);
  ++submissions_[outcome];
}

void Metrics::count_rejection(const std::string& code) {
  std::lock_guard lock(mu_);
  ++rejections_[code];
}

void Metrics::count_response(int status) {
  std::lock_guard lock(mu_);
  ++responses_[status];
}

void Metrics::observe_submit_latency(double seconds) {
  std::lock_guard lock(mu_);
  for (std::size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) ++latency_buckets_[i];
  }
  ++latency_count_;
  latency_sum_ += seconds;
}

std::string Metrics::render(std::uint64_t tree_size) const {
  std::lock_guard lock(mu_);
  std::ostringstream o;
  o << "# HELP verun_log_tree_size Leaves in the latest signed checkpoint.\n"
    << "# TYPE verun_log_tree_size gauge\n"
    << "verun_log_tree_size " << tree_size << "\n"
    << "# HELP verun_log_submissions_total Admitted submissions by outcome.\n"
    << "# TYPE verun_log_submissions_total counter\n";
  for (const auto& [k, v] : submissions_) o << "verun_log_submissions_total{outcome=\"" << k << "\"} " << v << "\n";
  o << "# HELP verun_log_rejections_total Refused submissions by error code.\n"
    << "# TYPE verun_log_rejections_total counter\n";
  for (const auto& [k, v] : rejections_) o << "verun_log_rejections_total{code=\"" << k << "\"} " << v << "\n";
  o << "# HELP verun_log_http_responses_total HTTP responses by status.\n"
    << "# TYPE verun_log_http_responses_total counter\n";
  for (const auto& [k, v] : responses_) o << "verun_log_http_responses_total{status=\"" << k << "\"} " << v << "\n";
  o << "# HELP verun_log_submit_latency_seconds POST /v1/entries latency (admission to sequenced).\n"
    << "# TYPE verun_log_submit_latency_seconds histogram\n";
  for (std::size_t i = 0; i < kBuckets.size(); ++i) {
    o << "verun_log_submit_latency_seconds_bucket{le=\"" << kBuckets[i] << "\"} " << latency_buckets_[i] << "\n";
  }
  o << "verun_log_submit_latency_seconds_bucket{le=\"+Inf\"} " << latency_count_ << "\n"
    << "verun_log_submit_latency_seconds_sum " << latency_sum_ << "\n"
    << "verun_log_submit_latency_seconds_count " << latency_count_ << "\n";
  return o.str();
}

namespace {

void histogram(std::ostringstream& o, const std::string& name, const std::string& help, const Histogram& h) {
  o << "# HELP " << name << " " << help << "\n"
    << "# TYPE " << name << " histogram\n";
  for (std::size_t i = 0; i < h.bounds.size(); ++i) {
    o << name << "_bucket{le=\"" << h.bounds[i] << "\"} " << h.counts[i] << "\n";
  }
  o << name << "_bucket{le=\"+Inf\"} " << h.count << "\n"
    << name << "_sum " << h.sum << "\n"
    << name << "_count " << h.count << "\n";
}

}  // namespace

std::string Metrics::render(std::uint64_t tree_size, const SequencerStats& stats) const {
  std::ostringstream o;
  o << render(tree_size);
  histogram(o, "verun_log_batch_entries", "New entries per committed batch.", stats.batch_entries);
  histogram(o, "verun_log_batch_commit_seconds", "Store transaction time per committed batch (includes the fsync).",
            stats.commit_seconds);
  return o.str();
}

}  // namespace verun::log::http
