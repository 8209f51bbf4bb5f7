// Go's tlogcheck (golang.org/x/mod/sumdb, shared/tools/tlog-interop)
// against the live `verun-log serve` at the tile boundaries (DESIGN.md §6):
// the log grows to exactly 0, 1, 255, 256, 257 and 65,539 entries, and at
// each size `tlogcheck -all` (every tile of every level, every bundle, with
// -prev-checkpoint of the previous size) must pass. Sizes up to 257 are
// reached over HTTP with sim registrations and receipts; the bulk to 65,539
// is appended with the server stopped, through the same Sequencer and
// SqliteStore code over the same database (entries there are opaque bytes:
// tlogcheck does not parse them). Every pair of checkpoints seen during the
// growth is proven consistent by the server and verified with proofs/.
// Then the SQLite file is tampered (a byte of a stored entry; a byte of a
// stored level-1 hash tile) and tlogcheck must fail on the restarted log.
// The batch-size metric is checked to move with submissions.
#include <httplib.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <future>
#include <iostream>
#include <map>

#include "sequencer.h"
#include "serve_process.h"
#include "sim_runner.h"
#include "store/sqlite/sqlite_store.h"
#include "tests/support/matchers.h"
#include "tests/support/temp_dir.h"
#include "verun/proofs/base64.h"
#include "verun/proofs/merkle/consistency.h"
#include "verun/proofs/merkle/hasher.h"
#include "verun/proofs/note/checkpoint.h"
#include "verun/proofs/note/note_key.h"
#include "verun/proofs/note/tlog_proof.h"

namespace verun::log {
namespace {

namespace fs = std::filesystem;
using proofs::Json;
using testing::SimRunner;
using testing::slurp;
using testing::sh_quote;

constexpr const char* kOrigin = "example.com/verun-tlogcheck";
constexpr std::uint64_t kBulkTarget = 65539;
constexpr std::uint64_t kTamperedBulkEntry = 1000;

std::string bulk_entry(std::uint64_t k) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "verun tlogcheck bulk entry %09llu ", static_cast<unsigned long long>(k));
  return std::string(buf) + std::string(k % 97, 'x');
}

// Sum (or count) of a metric line `name value` in Prometheus text; -1 if absent.
double metric(const std::string& text, const std::string& name) {
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (line.size() > name.size() && line.starts_with(name) && line[name.size()] == ' ') {
      return std::stod(line.substr(name.size() + 1));
    }
  }
  return -1;
}

// Flips one bit of every occurrence of `pattern` at pattern offset `at` in
// the file; returns how many occurrences were changed.
std::size_t flip_everywhere(const fs::path& file, const std::string& pattern, std::size_t at) {
  std::string data = slurp(file);
  std::size_t n = 0;
  for (auto pos = data.find(pattern); pos != std::string::npos; pos = data.find(pattern, pos + 1)) {
    data[pos + at] = static_cast<char>(data[pos + at] ^ 0x01);
    ++n;
  }
  std::ofstream(file, std::ios::binary | std::ios::trunc) << data;
  return n;
}

class TlogcheckGrowth : public ::testing::Test {
 protected:
  void SetUp() override {
    vkey_ = testing::keygen(d(), kOrigin);
    ASSERT_FALSE(vkey_.empty()) << slurp(d() / "keygen.out");
    std::ofstream(d() / "policy.json") << testing::sim_policy_json();
    std::string why;
    bin_ = testing::tlog_interop_bin(d(), why);
    if (!bin_) GTEST_SKIP() << why;
  }
  void TearDown() override {
    if (pid_ > 0) {
      EXPECT_TRUE(testing::stop_serve(pid_));
    }
  }

  const fs::path& d() const { return dir_.path(); }

  void start() {
    pid_ = testing::start_serve(d(), port_, "serve-" + std::to_string(starts_++));
    ASSERT_NE(port_, 0) << slurp(d() / ("serve-" + std::to_string(starts_ - 1) + ".err"));
  }
  void stop() {
    EXPECT_TRUE(testing::stop_serve(pid_));
    pid_ = -1;
  }

  httplib::Client client() const {
    httplib::Client c("127.0.0.1", port_);
    c.set_read_timeout(std::chrono::seconds(30));
    return c;
  }

  // Records a checkpoint note (from /checkpoint or an answer).
  void saw(const std::string& note) {
    auto opened = proofs::open_checkpoint(note, *proofs::parse_verifier_key(vkey_), kOrigin);
    ASSERT_OK(opened);
    auto [it, fresh] = seen_.emplace(opened->checkpoint.size, opened->checkpoint.root);
    EXPECT_TRUE(fresh || it->second == opened->checkpoint.root) << "two roots at size " << it->first;
  }

  std::uint64_t served_size() {
    auto r = client().Get("/checkpoint");
    if (!r || r->status != 200) return ~0ull;
    saw(r->body);
    return proofs::open_checkpoint(r->body, *proofs::parse_verifier_key(vkey_))->checkpoint.size;
  }

  Json post(const Json& envelope, const std::string& query = "") {
    auto r = client().Post(("/v1/entries" + query).c_str(), Json{{"envelope", envelope}}.dump(), "application/json");
    if (!r) {
      ADD_FAILURE() << "no answer";
      return Json();
    }
    EXPECT_TRUE(r->status == 201 || r->status == 202) << r->status << " " << r->body;
    auto body = Json::parse(r->body, nullptr, false);
    if (r->status == 201) saw(proofs::parse_tlog_proof(body["proof"].get<std::string>())->checkpoint_note);
    return body;
  }

  // n receipts of the registered runner, queued without waiting, from 8
  // threads; then waits until the tree reaches `target`.
  void grow_by_receipts(std::uint64_t n, std::uint64_t target) {
    std::atomic<std::uint64_t> next{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t) {
      threads.emplace_back([&] {
        for (std::uint64_t i = next++; i < n; i = next++) {
          auto p = runner_.receipt_predicate(0, 7);
          p.job.id = "grow-" + std::to_string(jobs_ + i);
          auto env = proofs::serialize_envelope(*proofs::make_receipt_envelope(p, runner_.key));
          auto r = client().Post("/v1/entries?wait=false", Json{{"envelope", env}}.dump(), "application/json");
          if (!r || r->status != 202) ADD_FAILURE() << (r ? r->body : "no answer");
        }
      });
    }
    for (auto& th : threads) th.join();
    jobs_ += n;
    std::uint64_t size = 0;
    for (int i = 0; i < 1000 && size != target; ++i) {
      size = served_size();
      if (size != target) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ASSERT_EQ(size, target);
  }

  // Appends opaque entries with the server stopped, through the Sequencer.
  void grow_in_store(std::uint64_t target) {
    auto store = SqliteStore::open(d() / "log.db");
    ASSERT_OK(store);
    std::string key = slurp(d() / "log.key");
    while (!key.empty() && key.back() == '\n') key.pop_back();
    auto signer = proofs::parse_signer_key(key);
    ASSERT_OK(signer);
    SequencerOptions o;
    o.max_batch_entries = 4096;
    o.max_batch_wait = std::chrono::milliseconds(2);
    o.max_queue = 1 << 20;
    auto seq = Sequencer::start(**store, std::move(*signer), o);
    ASSERT_OK(seq);
    const std::uint64_t from = (*seq)->size();
    std::vector<std::future<Result<Sequenced>>> fs;
    for (std::uint64_t i = from; i < target; ++i) {
      const std::string e = bulk_entry(i - from);
      fs.push_back((*seq)->submit(proofs::Bytes(e.begin(), e.end())));
    }
    for (auto& f : fs) ASSERT_OK(f.get());
    EXPECT_EQ((*seq)->size(), target);
    saw((*seq)->checkpoint());
  }

  // tlogcheck -all on the live server; with -prev-checkpoint of the last
  // checked size when there is one. Returns its exit code; output in log.
  int tlogcheck(const std::string& tag, std::string* output = nullptr) {
    auto r = client().Get("/checkpoint");
    EXPECT_TRUE(r && r->status == 200);
    const fs::path cp_file = d() / ("checkpoint." + tag);
    std::ofstream(cp_file, std::ios::binary) << (r ? r->body : "");
    std::string cmd = sh_quote((*bin_ / "tlogcheck").string()) + " -vkey " + sh_quote(vkey_) + " -origin " +
                      sh_quote(kOrigin) + " -all -entries 64 -url " + sh_quote("http://127.0.0.1:" + std::to_string(port_));
    if (!prev_checkpoint_.empty()) cmd += " -prev-checkpoint " + sh_quote(prev_checkpoint_.string());
    const fs::path log = d() / ("tlogcheck." + tag + ".log");
    const int rc = testing::run(cmd, log);
    const std::string out = slurp(log);
    if (output) *output = out;
    const auto last = out.rfind('\n', out.size() >= 2 ? out.size() - 2 : 0);
    std::cout << "tlogcheck at " << tag << ": exit " << rc << ", "
              << out.substr(last == std::string::npos ? 0 : last + 1);
    if (rc == 0) prev_checkpoint_ = cp_file;
    return rc;
  }

  ::verun::testing::TempDir dir_;
  std::optional<fs::path> bin_;
  std::string vkey_;
  pid_t pid_ = -1;
  int port_ = 0;
  int starts_ = 0;
  std::uint64_t jobs_ = 0;
  SimRunner runner_{0x61};
  fs::path prev_checkpoint_;
  std::map<std::uint64_t, proofs::Hash32> seen_;
};

TEST_F(TlogcheckGrowth, PassesAtTileBoundariesAndFailsOnTamperedStorage) {
  start();
  const auto t0 = std::chrono::steady_clock::now();
  ASSERT_EQ(served_size(), 0u);
  EXPECT_EQ(tlogcheck("0"), 0) << slurp(d() / "tlogcheck.0.log");

  auto reg = post(proofs::serialize_envelope(runner_.registration()));
  ASSERT_EQ(reg.value("index", ~0ull), 0u);
  ASSERT_EQ(served_size(), 1u);
  EXPECT_EQ(tlogcheck("1"), 0) << slurp(d() / "tlogcheck.1.log");

  auto before = client().Get("/metrics");
  ASSERT_TRUE(before);
  const double batches_before = metric(before->body, "verun_log_batch_entries_count");
  const double batch_sum_before = metric(before->body, "verun_log_batch_entries_sum");
  ASSERT_GE(batches_before, 1);  // the registration's batch
  grow_by_receipts(254, 255);
  auto after = client().Get("/metrics");
  ASSERT_TRUE(after);
  EXPECT_GT(metric(after->body, "verun_log_batch_entries_count"), batches_before);
  EXPECT_EQ(metric(after->body, "verun_log_batch_entries_sum") - batch_sum_before, 254);
  EXPECT_GE(metric(after->body, "verun_log_batch_commit_seconds_count"), metric(after->body, "verun_log_batch_entries_count"));
  EXPECT_NE(after->body.find("verun_log_batch_entries_bucket{le=\"+Inf\"}"), std::string::npos);
  EXPECT_EQ(tlogcheck("255"), 0) << slurp(d() / "tlogcheck.255.log");

  for (std::uint64_t target : {256u, 257u}) {
    auto p = runner_.receipt_predicate(0, 8);
    p.job.id = "edge-" + std::to_string(target);
    auto body = post(proofs::serialize_envelope(*proofs::make_receipt_envelope(p, runner_.key)));
    EXPECT_EQ(body.value("index", ~0ull), target - 1);
    ASSERT_EQ(served_size(), target);
    EXPECT_EQ(tlogcheck(std::to_string(target)), 0) << slurp(d() / ("tlogcheck." + std::to_string(target) + ".log"));
  }

  stop();
  grow_in_store(kBulkTarget);
  start();
  ASSERT_EQ(served_size(), kBulkTarget);
  EXPECT_EQ(tlogcheck(std::to_string(kBulkTarget)), 0) << slurp(d() / "tlogcheck.65539.log");
  std::cout << "growth to " << kBulkTarget << " with 6 tlogcheck -all runs: "
            << std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() << " s\n";

  // Every pair of checkpoints seen is consistent (the empty tree is a prefix of all).
  std::size_t pairs = 0;
  auto c = client();
  for (auto a = seen_.begin(); a != seen_.end(); ++a) {
    if (a->first == 0) {
      EXPECT_EQ(a->second, proofs::empty_root());
      continue;
    }
    for (auto b = std::next(a); b != seen_.end(); ++b) {
      auto r = c.Get(("/v1/proofs/consistency?old=" + std::to_string(a->first) + "&new=" + std::to_string(b->first)).c_str());
      ASSERT_TRUE(r);
      ASSERT_EQ(r->status, 200) << r->body;
      std::vector<proofs::Hash32> hashes;
      const Json body = Json::parse(r->body);  // named: a temporary would die before the loop
      for (const auto& h : body["proof"]) hashes.push_back(*proofs::base64_decode32(h.get<std::string>()));
      EXPECT_OK(proofs::verify_consistency(a->first, b->first, hashes, a->second, b->second))
          << a->first << " -> " << b->first << ": " << r->body;
      ++pairs;
    }
  }
  std::cout << seen_.size() << " checkpoints seen, " << pairs << " pairs proven consistent\n";
  EXPECT_GE(seen_.size(), 6u);

  // Tampering: the hash of node (level 8, index 0), first hash of tile 1/000.
  auto tile1 = c.Get("/tile/1/000");
  ASSERT_TRUE(tile1);
  ASSERT_EQ(tile1->status, 200);
  const std::string node8 = tile1->body.substr(0, 32);
  stop();  // clean exit: the WAL is checkpointed into log.db
  ASSERT_FALSE(fs::exists(d() / "log.db-wal") && fs::file_size(d() / "log.db-wal") > 0);
  const std::string pristine = slurp(d() / "log.db");

  // 1. One byte of a stored entry.
  ASSERT_GE(flip_everywhere(d() / "log.db", bulk_entry(kTamperedBulkEntry), 30), 1u);
  start();
  std::string out;
  EXPECT_EQ(tlogcheck("tampered-entry", &out), 1);
  EXPECT_NE(out.find("FAIL "), std::string::npos) << out;
  stop();

  // The untouched file passes again (the failure was the tampering).
  std::ofstream(d() / "log.db", std::ios::binary | std::ios::trunc) << pristine;
  start();
  EXPECT_EQ(tlogcheck("restored"), 0) << slurp(d() / "tlogcheck.restored.log");
  stop();

  // 2. One byte of a stored level-1 hash tile.
  ASSERT_GE(flip_everywhere(d() / "log.db", node8, 5), 1u);
  start();
  EXPECT_EQ(tlogcheck("tampered-tile", &out), 1);
  EXPECT_NE(out.find("FAIL "), std::string::npos) << out;
}

}  // namespace
}  // namespace verun::log
