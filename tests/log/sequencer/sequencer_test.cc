// Sequencer: acknowledgement after commit, dedup (in batch and against the
// store), batching bounds, queue_full, admission seam, registrations,
// concurrent submitters (distinct dense indices, checkpoints never fork),
// restart, a store that fails a chosen write, and refusal of a store whose
// checkpoint is not the log's.
#include "sequencer.h"

#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>

#include "store/sqlite/sqlite_store.h"
#include "tests/log/log_testing.h"
#include "tests/support/matchers.h"
#include "tests/support/temp_dir.h"
#include "verun/proofs/merkle/consistency.h"
#include "verun/proofs/merkle/inclusion.h"
#include "verun/proofs/sha2.h"

namespace verun::log {
namespace {

using namespace std::chrono_literals;
using proofs::Bytes;
using proofs::Hash32;
using testing::entry_bytes;
using testing::log_signer;
using verun::testing::HasCode;
using verun::testing::IsOk;
using verun::testing::TempDir;

std::unique_ptr<SqliteStore> open_store(const TempDir& dir) {
  auto s = SqliteStore::open(dir.path() / "log.db");
  EXPECT_THAT(s, IsOk());
  return s ? std::move(*s) : nullptr;
}

std::unique_ptr<Sequencer> start(Store& store, SequencerOptions o = {}) {
  auto s = Sequencer::start(store, log_signer(), std::move(o));
  EXPECT_THAT(s, IsOk());
  return s ? std::move(*s) : nullptr;
}

SequencerOptions fast() {
  SequencerOptions o;
  o.max_batch_wait = 2ms;
  return o;
}

// Every stored checkpoint opens under the log key, and each is consistent
// with every earlier one (proofs built from the store's tiles).
void expect_no_fork(const Store& store) {
  auto sizes = store.checkpoint_sizes();
  ASSERT_OK(sizes);
  const auto verifier = log_signer().verifier();
  std::vector<proofs::Checkpoint> cps;
  for (std::uint64_t s : *sizes) {
    auto cp = proofs::open_checkpoint(*store.read_checkpoint(s), verifier, "example.com/log");
    ASSERT_OK(cp);
    ASSERT_EQ(cp->checkpoint.size, s);
    cps.push_back(cp->checkpoint);
  }
  for (std::size_t a = 0; a < cps.size(); ++a) {
    for (std::size_t b = a + 1; b < cps.size(); ++b) {
      if (cps[a].size == 0) continue;  // nothing to prove from the empty tree
      auto proof = proofs::prove_consistency(store.hash_source(), cps[a].size, cps[b].size);
      ASSERT_OK(proof);
      EXPECT_OK(proofs::verify_consistency(cps[a].size, cps[b].size, *proof, cps[a].root, cps[b].root))
          << cps[a].size << " -> " << cps[b].size;
    }
  }
}

TEST(Sequencer, StartsWithASignedEmptyCheckpoint) {
  TempDir dir;
  auto store = open_store(dir);
  auto seq = start(*store);
  EXPECT_EQ(seq->size(), 0u);
  auto cp = proofs::open_checkpoint(seq->checkpoint(), log_signer().verifier(), "example.com/log");
  ASSERT_OK(cp);
  EXPECT_EQ(cp->checkpoint.size, 0u);
  EXPECT_EQ(cp->checkpoint.root, proofs::empty_root());
  EXPECT_EQ(store->read_state()->checkpoint, seq->checkpoint());
}

TEST(Sequencer, AcknowledgedEntriesAreStoredAndProvable) {
  TempDir dir;
  auto store = open_store(dir);
  auto seq = start(*store, fast());
  std::vector<std::future<Result<Sequenced>>> fs;
  for (int i = 0; i < 40; ++i) fs.push_back(seq->submit(entry_bytes(i)));
  std::set<std::uint64_t> indices;
  for (int i = 0; i < 40; ++i) {
    auto r = fs[i].get();
    ASSERT_OK(r);
    EXPECT_FALSE(r->duplicate);
    EXPECT_EQ(r->leaf_hash, proofs::leaf_hash(entry_bytes(i)));
    indices.insert(r->index);
    // Acknowledged means stored and covered by the stored checkpoint.
    const TreeState st = *store->read_state();
    ASSERT_GT(st.size, r->index);
    EXPECT_EQ(*store->read_entry(r->index), entry_bytes(i));
    auto cp = proofs::open_checkpoint(st.checkpoint, log_signer().verifier());
    ASSERT_OK(cp);
    auto proof = proofs::prove_inclusion(store->hash_source(), r->index, cp->checkpoint.size);
    ASSERT_OK(proof);
    EXPECT_OK(proofs::verify_inclusion(r->leaf_hash, r->index, cp->checkpoint.size, *proof, cp->checkpoint.root));
  }
  EXPECT_EQ(indices.size(), 40u);
  EXPECT_EQ(*indices.rbegin(), 39u);
  EXPECT_EQ(seq->size(), 40u);
  expect_no_fork(*store);
}

TEST(Sequencer, DuplicatesGetTheExistingIndex) {
  TempDir dir;
  auto store = open_store(dir);
  auto seq = start(*store, fast());
  auto first = seq->submit(entry_bytes(1)).get();
  ASSERT_OK(first);
  // Against the store.
  auto again = seq->submit(entry_bytes(1)).get();
  ASSERT_OK(again);
  EXPECT_TRUE(again->duplicate);
  EXPECT_EQ(again->index, first->index);
  // Within one batch.
  SequencerOptions slow;
  slow.max_batch_wait = 200ms;
  seq.reset();
  seq = start(*store, slow);
  auto a = seq->submit(entry_bytes(2));
  auto b = seq->submit(entry_bytes(3));
  auto c = seq->submit(entry_bytes(2));
  auto ra = a.get(), rb = b.get(), rc = c.get();
  ASSERT_OK(ra);
  ASSERT_OK(rb);
  ASSERT_OK(rc);
  EXPECT_FALSE(ra->duplicate);
  EXPECT_TRUE(rc->duplicate);
  EXPECT_EQ(rc->index, ra->index);
  EXPECT_EQ(rb->index, ra->index + 1);
  EXPECT_EQ(store->read_state()->size, 3u);
}

TEST(Sequencer, BatchesAreBoundedBySize) {
  TempDir dir;
  auto store = open_store(dir);
  SequencerOptions o;
  o.max_batch_entries = 10;
  o.max_batch_wait = 10s;  // only the size bound can seal a batch quickly
  auto seq = start(*store, o);
  std::vector<std::future<Result<Sequenced>>> fs;
  for (int i = 0; i < 100; ++i) fs.push_back(seq->submit(entry_bytes(i)));
  const auto t0 = std::chrono::steady_clock::now();
  for (auto& f : fs) ASSERT_OK(f.get());
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 5s);
  auto sizes = *store->checkpoint_sizes();
  for (std::size_t i = 1; i < sizes.size(); ++i) EXPECT_LE(sizes[i] - sizes[i - 1], 10u);
  EXPECT_EQ(sizes.back(), 100u);
}

TEST(Sequencer, BatchesAreBoundedByTime) {
  TempDir dir;
  auto store = open_store(dir);
  SequencerOptions o;
  o.max_batch_wait = 30ms;
  auto seq = start(*store, o);
  const auto t0 = std::chrono::steady_clock::now();
  ASSERT_OK(seq->submit(entry_bytes(1)).get());
  const auto waited = std::chrono::steady_clock::now() - t0;
  EXPECT_GE(waited, 25ms);
  EXPECT_LT(waited, 3s);
}

TEST(Sequencer, RefusesWhenTheQueueIsFull) {
  TempDir dir;
  auto store = open_store(dir);
  SequencerOptions o;
  o.max_queue = 2;
  o.max_batch_wait = 300ms;
  auto seq = start(*store, o);
  auto a = seq->submit(entry_bytes(1));
  auto b = seq->submit(entry_bytes(2));
  auto c = seq->submit(entry_bytes(3));
  EXPECT_THAT(c.get(), HasCode(ErrorCode::kLogQueueFull));
  EXPECT_OK(a.get());
  EXPECT_OK(b.get());
  EXPECT_EQ(store->read_state()->size, 2u);
}

TEST(Sequencer, AdmissionCanRefuseAndNothingIsWritten) {
  TempDir dir;
  auto store = open_store(dir);
  SequencerOptions o = fast();
  o.admission = [](const Submission& s) -> Result<void> {
    if (!s.entry.empty() && s.entry[0] == 0xff) return Error(ErrorCode::kDsseBadSignature, "refused for the test");
    return ok();
  };
  auto seq = start(*store, o);
  Bytes bad = entry_bytes(5);
  bad[0] = 0xff;
  EXPECT_THAT(seq->submit(bad).get(), HasCode(ErrorCode::kDsseBadSignature));
  EXPECT_EQ(store->read_state()->size, 0u);
  EXPECT_FALSE(store->find_leaf(proofs::leaf_hash(bad))->has_value());
  EXPECT_OK(seq->submit(entry_bytes(6)).get());
}

TEST(Sequencer, RefusesOversizeEntries) {
  TempDir dir;
  auto store = open_store(dir);
  auto seq = start(*store, fast());
  EXPECT_THAT(seq->submit(Bytes(65536, 7)).get(), HasCode(ErrorCode::kLogEntryTooLarge));
  EXPECT_OK(seq->submit(Bytes(65535, 7)).get());
}

TEST(Sequencer, AKeyRegistersOnce) {
  TempDir dir;
  auto store = open_store(dir);
  SequencerOptions o;
  o.max_batch_wait = 100ms;
  auto seq = start(*store, o);
  auto reg = [&](int i, const std::string& key) {
    Submission s;
    s.entry = entry_bytes(i);
    s.key_id = key;
    s.blobs.push_back(proofs::to_bytes("collateral " + std::to_string(i)));
    return seq->submit(std::move(s));
  };
  // Same batch: the second is refused.
  auto a = reg(1, "key-a");
  auto b = reg(2, "key-a");
  auto ra = a.get();
  ASSERT_OK(ra);
  EXPECT_THAT(b.get(), HasCode(ErrorCode::kLogKeyAlreadyRegistered));
  // Later batch: refused against the store.
  EXPECT_THAT(reg(3, "key-a").get(), HasCode(ErrorCode::kLogKeyAlreadyRegistered));
  EXPECT_EQ(**store->find_registration("key-a"), ra->index);
  EXPECT_EQ(store->read_state()->size, 1u);
  EXPECT_OK(store->read_blob(proofs::sha256(proofs::to_bytes("collateral 1"))));
  // Resubmitting the same registration is a duplicate, not a refusal.
  auto dup = reg(1, "key-a").get();
  ASSERT_OK(dup);
  EXPECT_TRUE(dup->duplicate);
}

TEST(Sequencer, ConcurrentSubmittersGetDistinctDenseIndices) {
  TempDir dir;
  auto store = open_store(dir);
  SequencerOptions o;
  o.max_batch_entries = 64;
  o.max_batch_wait = 1ms;
  auto seq = start(*store, o);
  constexpr int kThreads = 8, kPer = 300;
  std::vector<std::vector<Sequenced>> got(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      std::vector<std::future<Result<Sequenced>>> fs;
      for (int i = 0; i < kPer; ++i) {
        fs.push_back(seq->submit(entry_bytes(t * kPer + i)));
        if (i % 50 == 49) std::this_thread::sleep_for(1ms);
      }
      for (auto& f : fs) {
        auto r = f.get();
        if (r) got[t].push_back(*r);
      }
    });
  }
  for (auto& th : threads) th.join();
  std::set<std::uint64_t> indices;
  for (int t = 0; t < kThreads; ++t) {
    ASSERT_EQ(got[t].size(), std::size_t{kPer});
    for (int i = 0; i < kPer; ++i) {
      EXPECT_FALSE(got[t][i].duplicate);
      indices.insert(got[t][i].index);
      EXPECT_EQ(*store->read_entry(got[t][i].index), entry_bytes(t * kPer + i));
    }
  }
  ASSERT_EQ(indices.size(), std::size_t{kThreads * kPer});
  EXPECT_EQ(*indices.begin(), 0u);
  EXPECT_EQ(*indices.rbegin(), std::uint64_t{kThreads * kPer - 1});
  EXPECT_GT(store->checkpoint_sizes()->size(), 2u);
  expect_no_fork(*store);
}

TEST(Sequencer, ResumesAfterRestartWithoutForking) {
  TempDir dir;
  std::string before;
  {
    auto store = open_store(dir);
    auto seq = start(*store, fast());
    for (int i = 0; i < 300; ++i) (void)seq->submit(entry_bytes(i));
    seq->stop();  // drains
    EXPECT_EQ(seq->size(), 300u);
    EXPECT_THAT(seq->submit(entry_bytes(1000)).get(), HasCode(ErrorCode::kLogShuttingDown));
    before = seq->checkpoint();
  }
  auto store = open_store(dir);
  auto seq = start(*store, fast());
  EXPECT_EQ(seq->checkpoint(), before);
  auto r = seq->submit(entry_bytes(300)).get();
  ASSERT_OK(r);
  EXPECT_EQ(r->index, 300u);
  expect_no_fork(*store);
}

TEST(Sequencer, RefusesAStoreSignedByAnotherKey) {
  TempDir dir;
  auto store = open_store(dir);
  {
    auto other = Sequencer::start(*store, log_signer("other.example/log"));
    ASSERT_OK(other);
    (void)(*other)->submit(entry_bytes(1)).get();
  }
  EXPECT_THAT(Sequencer::start(*store, log_signer()), HasCode(ErrorCode::kLogStoreCorrupt));
}

TEST(Sequencer, RejectsBadOptions) {
  TempDir dir;
  auto store = open_store(dir);
  SequencerOptions o;
  o.max_batch_entries = 0;
  EXPECT_THAT(Sequencer::start(*store, log_signer(), o), HasCode(ErrorCode::kInvalidArgument));
}

// Forwards to a real store, failing the append calls chosen by the test.
class FailingStore final : public Store {
 public:
  explicit FailingStore(Store& inner) : inner_(inner) {}
  std::atomic<int> fail_next{0};
  std::atomic<bool> hold{false};     // append() waits while set...
  std::atomic<bool> holding{false};  // ...and says so here
  mutable std::atomic<int> lookups{0};  // find_leaves calls (one per prepared batch)

  Result<TreeState> read_state() const override { return inner_.read_state(); }
  Result<void> append(const AppendBatch& b) override {
    while (hold) {
      holding = true;
      std::this_thread::sleep_for(1ms);
    }
    holding = false;
    if (fail_next > 0) {
      --fail_next;
      return Error(ErrorCode::kIoError, "injected write failure");
    }
    return inner_.append(b);
  }
  Result<Bytes> read_entry(std::uint64_t i) const override { return inner_.read_entry(i); }
  Result<std::optional<std::uint64_t>> find_leaf(const Hash32& h) const override { return inner_.find_leaf(h); }
  Result<std::vector<std::optional<std::uint64_t>>> find_leaves(std::span<const Hash32> h) const override {
    ++lookups;
    return inner_.find_leaves(h);
  }
  Result<std::optional<std::uint64_t>> find_registration(std::string_view k) const override {
    return inner_.find_registration(k);
  }
  Result<Bytes> read_hash_tile(std::uint32_t l, std::uint64_t i, std::uint32_t w) const override {
    return inner_.read_hash_tile(l, i, w);
  }
  Result<Bytes> read_entry_bundle(std::uint64_t i, std::uint32_t w) const override {
    return inner_.read_entry_bundle(i, w);
  }
  Result<std::string> read_checkpoint(std::uint64_t s) const override { return inner_.read_checkpoint(s); }
  Result<std::vector<std::uint64_t>> checkpoint_sizes() const override { return inner_.checkpoint_sizes(); }
  Result<Hash32> put_blob(proofs::ByteView d) override { return inner_.put_blob(d); }
  Result<Bytes> read_blob(const Hash32& h) const override { return inner_.read_blob(h); }
  const proofs::HashSource& hash_source() const override { return inner_.hash_source(); }

 private:
  Store& inner_;
};

TEST(Sequencer, AFailedWriteFailsItsBatchAndTheLogContinues) {
  TempDir dir;
  auto sqlite = open_store(dir);
  FailingStore store(*sqlite);
  SequencerOptions o;
  o.max_batch_wait = 50ms;
  auto seq = start(store, o);
  ASSERT_OK(seq->submit(entry_bytes(0)).get());
  const std::string cp_before = seq->checkpoint();
  store.fail_next = 1;
  auto a = seq->submit(entry_bytes(1));
  auto dup_of_stored = seq->submit(entry_bytes(0));
  auto b = seq->submit(entry_bytes(2));
  EXPECT_THAT(a.get(), HasCode(ErrorCode::kIoError));
  EXPECT_THAT(b.get(), HasCode(ErrorCode::kIoError));
  auto d = dup_of_stored.get();  // already durable: still answered
  ASSERT_OK(d);
  EXPECT_EQ(d->index, 0u);
  EXPECT_EQ(seq->checkpoint(), cp_before);
  EXPECT_EQ(seq->size(), 1u);
  EXPECT_EQ(sqlite->read_state()->size, 1u);
  // The next batch takes index 1: nothing of the failed batch was used.
  auto again = seq->submit(entry_bytes(2)).get();
  ASSERT_OK(again);
  EXPECT_EQ(again->index, 1u);
  expect_no_fork(*sqlite);
}

// Pipelining: batch 2 is prepared on top of batch 1 while batch 1 commits;
// when batch 1's commit fails, batch 2 (built on it) fails too, including a
// duplicate of batch 1's entry, and the log continues from the stored tree.
TEST(Sequencer, AFailedCommitFailsTheBatchPreparedOnIt) {
  TempDir dir;
  auto sqlite = open_store(dir);
  FailingStore store(*sqlite);
  SequencerOptions o;
  o.max_batch_wait = 30ms;  // b and its duplicate share batch 2
  auto seq = start(store, o);
  ASSERT_OK(seq->submit(entry_bytes(0)).get());
  store.fail_next = 1;
  store.hold = true;
  auto a = seq->submit(entry_bytes(1));
  while (!store.holding) std::this_thread::sleep_for(1ms);  // batch 1 is committing
  const int lookups = store.lookups;
  auto b = seq->submit(entry_bytes(2));
  auto dup_in_flight = seq->submit(entry_bytes(1));
  while (store.lookups == lookups) std::this_thread::sleep_for(1ms);  // batch 2 is being prepared
  std::this_thread::sleep_for(20ms);
  store.hold = false;
  EXPECT_THAT(a.get(), HasCode(ErrorCode::kIoError));
  EXPECT_THAT(b.get(), HasCode(ErrorCode::kLogStoreError));
  EXPECT_THAT(dup_in_flight.get(), HasCode(ErrorCode::kLogStoreError));
  EXPECT_EQ(seq->size(), 1u);
  auto again = seq->submit(entry_bytes(2)).get();
  ASSERT_OK(again);
  EXPECT_EQ(again->index, 1u);
  auto one = seq->submit(entry_bytes(1)).get();
  ASSERT_OK(one);
  EXPECT_EQ(one->index, 2u);
  EXPECT_FALSE(one->duplicate);
  EXPECT_EQ(sqlite->read_state()->size, 3u);
  expect_no_fork(*sqlite);
}

// The batch histograms count committed batches and their new entries.
TEST(Sequencer, StatsCountCommittedBatches) {
  TempDir dir;
  auto store = open_store(dir);
  auto seq = start(*store, fast());
  EXPECT_EQ(seq->stats().batch_entries.count, 0u);
  std::vector<std::future<Result<Sequenced>>> fs;
  for (int i = 0; i < 10; ++i) fs.push_back(seq->submit(entry_bytes(i)));
  for (auto& f : fs) ASSERT_OK(f.get());
  ASSERT_OK(seq->submit(entry_bytes(3)).get());  // a duplicate: no new batch entry
  const auto st = seq->stats();
  EXPECT_GE(st.batch_entries.count, 1u);
  EXPECT_EQ(st.batch_entries.sum, 10);
  EXPECT_EQ(st.commit_seconds.count, st.batch_entries.count);
  EXPECT_EQ(st.batch_entries.counts.back(), st.batch_entries.count);  // all <= the largest bound
}

}  // namespace
}  // namespace verun::log
