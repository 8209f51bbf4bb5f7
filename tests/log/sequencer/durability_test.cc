// Durability under kill -9 (DESIGN.md §6: an acknowledged entry survives
// kill -9; no checkpoint ever forks). Each round forks a child that runs a
// sequencer over the same SQLite file and reports every acknowledged entry
// (index, leaf hash) through a pipe; the parent SIGKILLs it at a random
// moment, reopens the store and checks every acknowledged entry is at its
// index and the new checkpoint is consistent with the previous round's.
// Rounds: 20 by default, VERUN_LOG_KILL_ROUNDS=<n> for more.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <random>

#include "sequencer.h"
#include "store/sqlite/sqlite_store.h"
#include "tests/log/log_testing.h"
#include "tests/support/matchers.h"
#include "tests/support/temp_dir.h"
#include "verun/proofs/merkle/consistency.h"
#include "verun/proofs/merkle/inclusion.h"

namespace verun::log {
namespace {

using namespace std::chrono_literals;
using proofs::Hash32;
using verun::testing::IsOk;

constexpr std::size_t kRecord = 8 + 32;

// The child: never returns.
[[noreturn]] void run_writer(const std::filesystem::path& db, int out, std::uint64_t round) {
  auto store = SqliteStore::open(db);
  if (!store) _exit(3);
  SequencerOptions o;
  o.max_batch_entries = 64;
  o.max_batch_wait = 1ms;
  auto seq = Sequencer::start(**store, testing::log_signer(), o);
  if (!seq) _exit(4);
  for (std::uint64_t i = 0;; i += 48) {
    std::vector<std::future<Result<Sequenced>>> fs;
    for (std::uint64_t j = 0; j < 48; ++j) {
      fs.push_back((*seq)->submit(testing::entry_bytes((round << 32) | (i + j), 16 + (i + j) % 200)));
    }
    for (auto& f : fs) {
      auto r = f.get();
      if (!r) _exit(5);
      unsigned char rec[kRecord];
      std::memcpy(rec, &r->index, 8);
      std::memcpy(rec + 8, r->leaf_hash.data(), 32);
      if (write(out, rec, kRecord) != static_cast<ssize_t>(kRecord)) _exit(6);
    }
  }
}

int rounds() {
  if (const char* v = std::getenv("VERUN_LOG_KILL_ROUNDS")) {
    const int n = std::atoi(v);
    if (n > 0) return n;
  }
  return 20;
}

TEST(SequencerDurability, AcknowledgedEntriesSurviveSigkillAndCheckpointsNeverFork) {
  verun::testing::TempDir dir;
  const auto db = dir.path() / "log.db";
  std::mt19937_64 rng(::testing::UnitTest::GetInstance()->random_seed());
  const auto verifier = testing::log_signer().verifier();
  std::uint64_t prev_size = 0;
  Hash32 prev_root = proofs::empty_root();
  std::uint64_t total_acked = 0;
  const int n = rounds();
  for (int round = 0; round < n; ++round) {
    int fds[2];
    ASSERT_EQ(pipe(fds), 0);
    const pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      close(fds[0]);
      run_writer(db, fds[1], static_cast<std::uint64_t>(round) + 1);
    }
    close(fds[1]);
    std::this_thread::sleep_for(std::chrono::microseconds(rng() % 80000));
    ASSERT_EQ(kill(pid, SIGKILL), 0);
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFSIGNALED(status)) << "the writer exited early with status " << WEXITSTATUS(status);

    std::vector<std::pair<std::uint64_t, Hash32>> acked;
    unsigned char rec[kRecord];
    std::size_t have = 0;
    for (;;) {
      const ssize_t got = read(fds[0], rec + have, kRecord - have);
      if (got <= 0) break;
      have += static_cast<std::size_t>(got);
      if (have == kRecord) {
        std::pair<std::uint64_t, Hash32> a;
        std::memcpy(&a.first, rec, 8);
        std::memcpy(a.second.data(), rec + 8, 32);
        acked.push_back(a);
        have = 0;
      }
    }
    close(fds[0]);
    total_acked += acked.size();

    auto store = SqliteStore::open(db);
    ASSERT_THAT(store, IsOk()) << "round " << round;
    auto st = (*store)->read_state();
    ASSERT_THAT(st, IsOk());
    for (const auto& [index, leaf] : acked) {
      ASSERT_LT(index, st->size) << "round " << round << ": acknowledged index lost";
      auto e = (*store)->read_entry(index);
      ASSERT_THAT(e, IsOk());
      ASSERT_EQ(proofs::leaf_hash(*e), leaf) << "round " << round << " index " << index;
    }
    if (st->checkpoint.empty()) {
      ASSERT_EQ(st->size, 0u);  // killed before the first checkpoint
    } else {
      auto cp = proofs::open_checkpoint(st->checkpoint, verifier, "example.com/log");
      ASSERT_THAT(cp, IsOk());
      ASSERT_EQ(cp->checkpoint.size, st->size);
      ASSERT_EQ(cp->checkpoint.root, st->root);
      ASSERT_GE(cp->checkpoint.size, prev_size) << "round " << round << ": the tree shrank";
      if (prev_size > 0) {
        auto proof = proofs::prove_consistency((*store)->hash_source(), prev_size, cp->checkpoint.size);
        ASSERT_THAT(proof, IsOk());
        ASSERT_THAT(proofs::verify_consistency(prev_size, cp->checkpoint.size, *proof, prev_root, cp->checkpoint.root),
                    IsOk())
            << "round " << round << ": checkpoint forked";
      }
      prev_size = cp->checkpoint.size;
      prev_root = cp->checkpoint.root;
    }
    // The sequencer's own resume check accepts what the kill left.
    auto seq = Sequencer::start(**store, testing::log_signer());
    ASSERT_THAT(seq, IsOk()) << "round " << round;
  }
  std::printf("durability: %d kill rounds, %llu acknowledged entries checked, final size %llu\n", n,
              static_cast<unsigned long long>(total_acked), static_cast<unsigned long long>(prev_size));
  EXPECT_GT(total_acked, 0u);
}

}  // namespace
}  // namespace verun::log
