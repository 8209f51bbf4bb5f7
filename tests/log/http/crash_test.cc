// Crash safety of verun-log over HTTP (DESIGN.md §6: an acknowledged entry
// is durable; no checkpoint ever forks). The real `verun-log serve` process
// takes receipts from 8 concurrent submitters and is SIGKILLed at a random
// moment, then restarted on the same database, VERUN_CRASH_KILLS times
// (default 50). After every restart each entry acknowledged since the last
// one (201/200) must be at its index with its leaf hash, and the served tree
// must be at least as large as every checkpoint seen; at the end every
// acknowledged entry is checked again and every distinct checkpoint seen
// (from answers and /checkpoint) is proven consistent with the next larger
// one by the restarted server, verified with proofs/.
#include <httplib.h>

#include <gtest/gtest.h>

#include <atomic>
#include <iostream>
#include <map>
#include <mutex>
#include <random>
#include <set>

#include "serve_process.h"
#include "sim_runner.h"
#include "tests/support/matchers.h"
#include "tests/support/temp_dir.h"
#include "verun/proofs/base64.h"
#include "verun/proofs/hex.h"
#include "verun/proofs/merkle/consistency.h"
#include "verun/proofs/note/checkpoint.h"
#include "verun/proofs/note/tlog_proof.h"

namespace verun::log {
namespace {

namespace fs = std::filesystem;
using proofs::Json;
using testing::SimRunner;

struct Acked {
  std::uint64_t index = 0;
  std::string leaf_hash;  // hex
};

int kills() {
  const char* v = std::getenv("VERUN_CRASH_KILLS");
  const int n = v ? std::atoi(v) : 0;
  return n > 0 ? n : 50;
}

class Checkpoints {
 public:
  explicit Checkpoints(proofs::NoteVerifier key) : key_(std::move(key)) {}

  // Opens a checkpoint note and records it; a second root at a size already
  // seen is a fork.
  void add(const std::string& note, const char* where) {
    auto opened = proofs::open_checkpoint(note, key_);
    if (!opened) {
      ADD_FAILURE() << where << ": checkpoint does not open: " << opened.error().to_string();
      return;
    }
    std::lock_guard lock(mu_);
    auto [it, fresh] = roots_.emplace(opened->checkpoint.size, opened->checkpoint.root);
    if (!fresh && it->second != opened->checkpoint.root) {
      ADD_FAILURE() << where << ": two roots for tree size " << opened->checkpoint.size << " (fork)";
    }
  }

  std::uint64_t largest() const {
    std::lock_guard lock(mu_);
    return roots_.empty() ? 0 : roots_.rbegin()->first;
  }
  std::map<std::uint64_t, proofs::Hash32> all() const {
    std::lock_guard lock(mu_);
    return roots_;
  }

 private:
  proofs::NoteVerifier key_;
  mutable std::mutex mu_;
  std::map<std::uint64_t, proofs::Hash32> roots_;
};

std::optional<std::string> current_checkpoint(int port) {
  httplib::Client c("127.0.0.1", port);
  auto r = c.Get("/checkpoint");
  if (!r || r->status != 200) return std::nullopt;
  return r->body;
}

// Every entry in `acked` is at its index with its leaf hash; returns how many.
std::size_t count_present(int port, const std::vector<Acked>& acked) {
  httplib::Client c("127.0.0.1", port);
  c.set_keep_alive(true);
  std::size_t found = 0;
  for (const Acked& a : acked) {
    auto g = c.Get(("/v1/entries?leaf_hash=" + a.leaf_hash).c_str());
    if (!g || g->status != 200) {
      ADD_FAILURE() << "acknowledged entry " << a.index << " (" << a.leaf_hash << ") is missing: "
                    << (g ? g->body : "no answer");
      continue;
    }
    auto body = Json::parse(g->body, nullptr, false);
    if (!body.is_object() || body.value("index", std::uint64_t{~0ull}) != a.index) {
      ADD_FAILURE() << "acknowledged entry " << a.leaf_hash << " moved from index " << a.index << ": " << g->body;
      continue;
    }
    ++found;
  }
  return found;
}

TEST(LogHttpCrash, AcknowledgedEntriesAndCheckpointsSurviveRepeatedSigkill) {
  ::verun::testing::TempDir dir;
  const fs::path d = dir.path();
  const std::string vkey = testing::keygen(d, "crash.example/log");
  ASSERT_FALSE(vkey.empty()) << testing::slurp(d / "keygen.out");
  const auto key = proofs::parse_verifier_key(vkey);
  ASSERT_OK(key);
  std::ofstream(d / "policy.json") << testing::sim_policy_json();
  Checkpoints seen(*key);

  int port = 0;
  pid_t pid = testing::start_serve(d, port);
  ASSERT_NE(port, 0) << testing::slurp(d / "serve.err");
  SimRunner runner(0x51);
  {
    httplib::Client c("127.0.0.1", port);
    const Json body = {{"envelope", proofs::serialize_envelope(runner.registration())}};
    auto reg = c.Post("/v1/entries", body.dump(), "application/json");
    ASSERT_TRUE(reg);
    ASSERT_EQ(reg->status, 201) << reg->body;
  }

  const int rounds = kills();
  std::mt19937 rng(20261123);
  std::vector<Acked> all_acked;
  std::atomic<std::uint64_t> next_job{0};
  std::size_t total_requests = 0, refused = 0;
  const auto t0 = std::chrono::steady_clock::now();
  for (int round = 0; round < rounds; ++round) {
    if (auto cp = current_checkpoint(port)) seen.add(*cp, "/checkpoint after start");
    std::mutex mu;
    std::vector<Acked> acked;
    std::atomic<bool> stop{false};
    std::atomic<std::size_t> requests{0}, bad{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t) {
      threads.emplace_back([&] {
        httplib::Client c("127.0.0.1", port);
        c.set_connection_timeout(std::chrono::seconds(2));
        c.set_read_timeout(std::chrono::seconds(10));
        while (!stop) {
          auto p = runner.receipt_predicate(0, 40);
          p.job.id = "crash-" + std::to_string(next_job++);
          const Json body = {{"envelope", proofs::serialize_envelope(*proofs::make_receipt_envelope(p, runner.key))}};
          auto res = c.Post("/v1/entries", body.dump(), "application/json");
          ++requests;
          if (!res) {  // the server is gone: wait for the round to end
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
            continue;
          }
          if (res->status != 201 && res->status != 200) {
            ++bad;
            continue;
          }
          auto a = Json::parse(res->body, nullptr, false);
          if (!a.is_object() || !a["index"].is_number_unsigned() || !a["leaf_hash"].is_string() ||
              !a["proof"].is_string()) {
            ++bad;
            continue;
          }
          auto proof = proofs::parse_tlog_proof(a["proof"].get<std::string>());
          if (!proof) {
            ++bad;
            continue;
          }
          seen.add(proof->checkpoint_note, "answer");
          std::lock_guard lock(mu);
          acked.push_back({a["index"].get<std::uint64_t>(), a["leaf_hash"].get<std::string>()});
        }
      });
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(std::uniform_int_distribution<int>(20, 400)(rng)));
    ASSERT_EQ(kill(pid, SIGKILL), 0);
    int st = 0;
    waitpid(pid, &st, 0);
    EXPECT_TRUE(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL) << "round " << round << ": the server had exited: " << st;
    stop = true;
    for (auto& th : threads) th.join();
    total_requests += requests;
    refused += bad;
    EXPECT_EQ(bad.load(), 0u) << "round " << round << ": answers other than 201/200 with a tlog-proof";

    pid = testing::start_serve(d, port, "serve-" + std::to_string(round % 2));
    ASSERT_NE(port, 0) << testing::slurp(d / ("serve-" + std::to_string(round % 2) + ".err"));
    auto cp = current_checkpoint(port);
    ASSERT_TRUE(cp) << "round " << round << ": no checkpoint after restart";
    const std::uint64_t before = seen.largest();
    seen.add(*cp, "/checkpoint after restart");
    auto opened = proofs::open_checkpoint(*cp, *key);
    ASSERT_OK(opened);
    EXPECT_GE(opened->checkpoint.size, before) << "round " << round << ": the restarted log lost checkpointed entries";
    EXPECT_EQ(count_present(port, acked), acked.size()) << "round " << round;
    all_acked.insert(all_acked.end(), acked.begin(), acked.end());
  }
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  // Everything again against the last restart, then the checkpoint chain.
  EXPECT_EQ(count_present(port, all_acked), all_acked.size());
  const auto roots = seen.all();
  httplib::Client c("127.0.0.1", port);
  std::size_t proven = 0;
  for (auto it = roots.begin(); it != roots.end() && std::next(it) != roots.end(); ++it) {
    const auto& [old_size, old_root] = *it;
    const auto& [new_size, new_root] = *std::next(it);
    if (old_size == 0) continue;  // the empty tree is a prefix of every tree
    auto r = c.Get(("/v1/proofs/consistency?old=" + std::to_string(old_size) + "&new=" + std::to_string(new_size)).c_str());
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 200) << r->body;
    std::vector<proofs::Hash32> hashes;
    const Json body = Json::parse(r->body);  // named: a temporary would die before the loop
    for (const auto& h : body["proof"]) hashes.push_back(*proofs::base64_decode32(h.get<std::string>()));
    EXPECT_OK(proofs::verify_consistency(old_size, new_size, hashes, old_root, new_root))
        << old_size << " -> " << new_size;
    ++proven;
  }
  std::set<std::uint64_t> indices;
  for (const Acked& a : all_acked) indices.insert(a.index);
  EXPECT_EQ(indices.size(), all_acked.size()) << "two acknowledged entries share an index";
  std::cout << rounds << " SIGKILLs in " << secs << " s: " << total_requests << " requests, " << all_acked.size()
            << " acknowledged (all found at their index after restarts), " << refused << " refused, "
            << roots.size() << " distinct checkpoints, " << proven << " consecutive consistency proofs verified\n";
  EXPECT_GT(all_acked.size(), static_cast<std::size_t>(rounds));
  EXPECT_TRUE(testing::stop_serve(pid));
}

}  // namespace
}  // namespace verun::log
