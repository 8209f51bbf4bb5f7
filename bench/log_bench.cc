// verun-log storage and sequencer benchmarks (DESIGN.md §6):
//  - BM_DurableAppend/<batch>: 1 KiB entries through the Sequencer into a
//    SQLite store (WAL, synchronous=FULL), one batch per iteration; every
//    entry acknowledged only after its batch is committed and signed.
//  - BM_DurableStream/<max batch>: 200,000 1 KiB entries from 2 submitter
//    threads that keep up to 8,192 submissions each outstanding (what a
//    loaded server sees): the pipelined sequencer seals the next batch while
//    the previous one commits. Durable as above; counter entries_per_s.
//  - BM_Fill/<n>: n 1 KiB entries in batches of 1,024 (submitted by 4
//    threads), then the storage overhead per entry (database file minus
//    entry bytes, over n), open time at that size, and inclusion-proof
//    generation from storage (p50, p99 over random indices).
//  - BM_OpenSmall: open time at 10 entries, to compare with BM_Fill's.
// Entry count for BM_Fill: VERUN_LOG_BENCH_ENTRIES (default 1,000,000).
#include <benchmark/benchmark.h>

#include <time.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <deque>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <thread>

#include "sequencer.h"
#include "store/sqlite/sqlite_store.h"
#include "verun/proofs/merkle/inclusion.h"
#include "verun/proofs/note/checkpoint.h"

namespace {

using verun::log::Sequencer;
using verun::log::SequencerOptions;
using verun::log::SqliteStore;
using Clock = std::chrono::steady_clock;

std::filesystem::path fresh_dir(const char* name) {
  auto dir = std::filesystem::temp_directory_path() / (std::string("verun-log-bench-") + name + "-" +
                                                       std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

verun::proofs::NoteSigner signer() {
  verun::proofs::Bytes seed(32, 7);
  return *verun::proofs::NoteSigner::from_seed("bench.example/log", seed);
}

verun::proofs::Bytes entry(std::uint64_t i, std::size_t size = 1024) {
  verun::proofs::Bytes b(size, static_cast<std::uint8_t>(i * 31));
  for (int k = 0; k < 8; ++k) b[k] = static_cast<std::uint8_t>(i >> (8 * k));
  return b;
}

void BM_DurableAppend(benchmark::State& state) {
  const auto batch = static_cast<std::size_t>(state.range(0));
  const auto dir = fresh_dir("append");
  {
    auto store = *SqliteStore::open(dir / "log.db");
    SequencerOptions o;
    o.max_batch_entries = batch;
    o.max_batch_wait = std::chrono::milliseconds(50);
    auto seq = *Sequencer::start(*store, signer(), o);
    std::uint64_t next = 0;
    std::vector<std::future<verun::Result<verun::log::Sequenced>>> fs;
    for (auto _ : state) {
      fs.clear();
      for (std::size_t i = 0; i < batch; ++i) fs.push_back(seq->submit(entry(next++)));
      for (auto& f : fs) {
        if (!f.get()) state.SkipWithError("submit failed");
      }
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(next));
    state.SetBytesProcessed(static_cast<std::int64_t>(next * 1024));
  }
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_DurableAppend)->Arg(256)->Arg(1024)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_DurableStream(benchmark::State& state) {
  constexpr std::uint64_t kEntries = 200000;
  constexpr int kThreads = 2;
  constexpr std::size_t kWindow = 8192;
  const auto dir = fresh_dir("stream");
  std::uint64_t base = 0;
  double total_s = 0;
  {
    auto store = *SqliteStore::open(dir / "log.db");
    SequencerOptions o;
    o.max_batch_entries = static_cast<std::size_t>(state.range(0));
    o.max_batch_wait = std::chrono::milliseconds(2);
    o.max_queue = 1 << 20;
    auto seq = *Sequencer::start(*store, signer(), o);
    for (auto _ : state) {
      const auto t0 = Clock::now();
      std::vector<std::thread> threads;
      std::atomic<bool> failed{false};
      for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
          std::deque<std::future<verun::Result<verun::log::Sequenced>>> fs;
          for (std::uint64_t i = base + t; i < base + kEntries; i += kThreads) {
            fs.push_back(seq->submit(entry(i)));
            if (fs.size() >= kWindow) {
              if (!fs.front().get()) failed = true;
              fs.pop_front();
            }
          }
          for (auto& f : fs) {
            if (!f.get()) failed = true;
          }
        });
      }
      for (auto& th : threads) th.join();
      total_s += std::chrono::duration<double>(Clock::now() - t0).count();
      if (failed) state.SkipWithError("submit failed");
      base += kEntries;
    }
    const auto st = seq->stats();
    state.counters["mean_batch"] = st.batch_entries.count ? st.batch_entries.sum / st.batch_entries.count : 0;
    state.counters["mean_commit_ms"] = st.commit_seconds.count ? 1e3 * st.commit_seconds.sum / st.commit_seconds.count : 0;
  }
  state.counters["entries_per_s"] = static_cast<double>(base) / total_s;
  state.SetItemsProcessed(static_cast<std::int64_t>(base));
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_DurableStream)->Arg(1024)->Arg(4096)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(2);

double percentile(std::vector<double>& v, double p) {
  std::sort(v.begin(), v.end());
  return v[static_cast<std::size_t>(p * static_cast<double>(v.size() - 1))];
}

void BM_Fill(benchmark::State& state) {
  std::uint64_t n = 1000000;
  if (const char* v = std::getenv("VERUN_LOG_BENCH_ENTRIES")) n = std::strtoull(v, nullptr, 10);
  const auto dir = fresh_dir("fill");
  const auto db = dir / "log.db";
  for (auto _ : state) {
    auto store = *SqliteStore::open(db);
    SequencerOptions o;
    o.max_batch_entries = 1024;
    o.max_batch_wait = std::chrono::milliseconds(5);
    o.max_queue = 1 << 20;
    auto seq = *Sequencer::start(*store, signer(), o);
    const auto t0 = Clock::now();
    constexpr int kThreads = 4;
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        std::vector<std::future<verun::Result<verun::log::Sequenced>>> fs;
        for (std::uint64_t i = t; i < n; i += kThreads) {
          fs.push_back(seq->submit(entry(i)));
          if (fs.size() == 2048) {
            for (auto& f : fs) (void)f.get();
            fs.clear();
          }
        }
        for (auto& f : fs) (void)f.get();
      });
    }
    for (auto& th : threads) th.join();
    const double secs = std::chrono::duration<double>(Clock::now() - t0).count();
    state.counters["fill_entries_per_s"] = static_cast<double>(n) / secs;
    seq.reset();
    store.reset();  // the last connection checkpoints the WAL into the file
  }
  const double file = static_cast<double>(std::filesystem::file_size(db));
  state.counters["overhead_bytes_per_entry"] = (file - static_cast<double>(n) * 1024) / static_cast<double>(n);
  state.counters["db_mib"] = file / (1024.0 * 1024.0);

  const auto t_open = Clock::now();
  auto store = *SqliteStore::open(db);
  state.counters["open_us"] = std::chrono::duration<double, std::micro>(Clock::now() - t_open).count();
  auto cp = *verun::proofs::parse_checkpoint(
      store->read_state()->checkpoint.substr(0, store->read_state()->checkpoint.find("\n\n") + 1));
  std::mt19937_64 rng(1);
  std::vector<double> us;
  // Warm-up: the upper tiles and the right edge enter the tile cache.
  for (int i = 0; i < 200; ++i) (void)verun::proofs::prove_inclusion(store->hash_source(), rng() % cp.size, cp.size);
  // Wall time, and this thread's CPU time (which leaves out the time the
  // thread waits for a core: on a loaded 2-core machine the wall p99 is
  // mostly scheduling).
  std::vector<double> cpu_us;
  auto thread_cpu_us = [] {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e6 + static_cast<double>(ts.tv_nsec) / 1e3;
  };
  for (int i = 0; i < 2000; ++i) {
    const std::uint64_t idx = rng() % cp.size;
    const double c0 = thread_cpu_us();
    const auto t = Clock::now();
    auto proof = verun::proofs::prove_inclusion(store->hash_source(), idx, cp.size);
    us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t).count());
    cpu_us.push_back(thread_cpu_us() - c0);
    if (!proof) state.SkipWithError("prove_inclusion failed");
  }
  state.counters["incl_p50_us"] = percentile(us, 0.50);
  state.counters["incl_p99_us"] = percentile(us, 0.99);
  state.counters["incl_cpu_p50_us"] = percentile(cpu_us, 0.50);
  state.counters["incl_cpu_p99_us"] = percentile(cpu_us, 0.99);
  store.reset();
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_Fill)->Unit(benchmark::kSecond)->Iterations(1)->UseRealTime();

void BM_OpenSmall(benchmark::State& state) {
  const auto dir = fresh_dir("open");
  {
    auto store = *SqliteStore::open(dir / "log.db");
    auto seq = *Sequencer::start(*store, signer());
    for (int i = 0; i < 10; ++i) (void)seq->submit(entry(i));
  }
  for (auto _ : state) {
    auto store = SqliteStore::open(dir / "log.db");
    benchmark::DoNotOptimize(store);
  }
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_OpenSmall)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
