// Merkle benchmarks, the figures tlogbench reports for x/mod's sumdb/tlog:
// leaf hashing of 1 KiB leaves (and raw EVP SHA-256 of the same 1,025 bytes
// as the ceiling), appending 1M leaves into a MemoryHashStore through
// CompactRange (hashing included), tree hash, inclusion and consistency
// proof generation and verification at 1M leaves, and all hash tiles.
// bench/run_merkle_vs_go.sh runs this beside tlogbench and prints ratios.
#include <openssl/evp.h>

#include <random>
#include <vector>

#include <benchmark/benchmark.h>

#include "verun/proofs/merkle/compact_range.h"
#include "verun/proofs/merkle/consistency.h"
#include "verun/proofs/merkle/hasher.h"
#include "verun/proofs/merkle/inclusion.h"
#include "verun/proofs/merkle/memory_hash_store.h"
#include "verun/proofs/merkle/tiles.h"

namespace {

using namespace verun::proofs;

constexpr std::size_t kLeafSize = 1024;
constexpr std::uint64_t kTreeSize = 1'000'000;
constexpr std::size_t kSamples = 10'000;

// 1M leaves of 1 KiB of pseudo-random bytes, made once, before timing.
const std::vector<std::uint8_t>& leaf_data() {
  static const std::vector<std::uint8_t> data = [] {
    std::vector<std::uint8_t> d(kTreeSize * kLeafSize);
    std::mt19937_64 rng(1);
    for (std::size_t i = 0; i < d.size(); i += 8) {
      const std::uint64_t v = rng();
      for (std::size_t j = 0; j < 8; ++j) d[i + j] = static_cast<std::uint8_t>(v >> (8 * j));
    }
    return d;
  }();
  return data;
}

ByteView leaf(std::uint64_t i) { return ByteView(leaf_data().data() + i * kLeafSize, kLeafSize); }

// The 1M-leaf tree, for the proof benchmarks.
const MemoryHashStore& tree() {
  static const MemoryHashStore store = [] {
    MemoryHashStore s;
    s.reserve(kTreeSize);
    for (std::uint64_t i = 0; i < kTreeSize; ++i) s.append_leaf(leaf_hash(leaf(i)));
    return s;
  }();
  return store;
}

std::vector<std::uint64_t> random_below(std::uint64_t bound, std::uint64_t seed, std::uint64_t min = 0) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<std::uint64_t> dist(min, bound - 1);
  std::vector<std::uint64_t> out(kSamples);
  for (auto& x : out) x = dist(rng);
  return out;
}

// Cycles over the same 1,024 leaves (1 MiB) as the raw EVP baseline below,
// so both run from the same cache level.
void BM_LeafHash1KiB(benchmark::State& state) {
  leaf_data();
  std::uint64_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(leaf_hash(leaf(i)));
    i = (i + 1) % 1024;
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(kLeafSize + 1));
}
BENCHMARK(BM_LeafHash1KiB);

// The ceiling: SHA-256 of 0x00 || leaf as 1,025 contiguous bytes through one
// reused EVP context (no prefix handling, no allocation).
void BM_RawEvpSha256_1025B(benchmark::State& state) {
  std::vector<std::vector<std::uint8_t>> bufs(1024, std::vector<std::uint8_t>(kLeafSize + 1, 0));
  for (std::size_t b = 0; b < bufs.size(); ++b) {
    const ByteView l = leaf(b);
    std::copy(l.begin(), l.end(), bufs[b].begin() + 1);
  }
  EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  unsigned char out[32];
  unsigned int len = 0;
  std::size_t i = 0;
  for (auto _ : state) {
    EVP_DigestInit_ex(ctx, md, nullptr);
    EVP_DigestUpdate(ctx, bufs[i].data(), bufs[i].size());
    EVP_DigestFinal_ex(ctx, out, &len);
    benchmark::DoNotOptimize(out);
    i = (i + 1) % bufs.size();
  }
  EVP_MD_CTX_free(ctx);
  EVP_MD_free(md);
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(kLeafSize + 1));
}
BENCHMARK(BM_RawEvpSha256_1025B);

// One-shot EVP_Digest of the same bytes (a context allocated per call).
void BM_RawEvpDigestOneShot_1025B(benchmark::State& state) {
  std::vector<std::uint8_t> buf(kLeafSize + 1, 0);
  const ByteView l = leaf(0);
  std::copy(l.begin(), l.end(), buf.begin() + 1);
  EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  unsigned char out[32];
  unsigned int len = 0;
  for (auto _ : state) {
    EVP_Digest(buf.data(), buf.size(), out, &len, md, nullptr);
    benchmark::DoNotOptimize(out);
  }
  EVP_MD_free(md);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RawEvpDigestOneShot_1025B);

void BM_NodeHash(benchmark::State& state) {
  Hash32 a = leaf_hash(leaf(0));
  const Hash32 b = leaf_hash(leaf(1));
  for (auto _ : state) {
    a = node_hash(a, b);
    benchmark::DoNotOptimize(a);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_NodeHash);

// 1M appends of 1 KiB leaves: leaf hash, the nodes each completes, all
// stored in a MemoryHashStore through the CompactRange visitor (as x/mod's
// StoredHashes into an in-memory slice).
void BM_Append1M(benchmark::State& state) {
  leaf_data();
  for (auto _ : state) {
    MemoryHashStore store;
    store.reserve(kTreeSize);
    CompactRange range;
    const CompactRange::NodeVisitor visit = [&store](NodeId id, const Hash32& h) { (void)store.put(id, h); };
    for (std::uint64_t i = 0; i < kTreeSize; ++i) range.append(leaf_hash(leaf(i)), visit);
    benchmark::DoNotOptimize(range.root());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(kTreeSize));
}
BENCHMARK(BM_Append1M)->Unit(benchmark::kMillisecond)->Iterations(1);

void BM_TreeHash1M(benchmark::State& state) {
  const MemoryHashStore& store = tree();
  for (auto _ : state) benchmark::DoNotOptimize(tree_hash(store, kTreeSize));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_TreeHash1M);

void BM_TreeHashRandomSize1M(benchmark::State& state) {
  const MemoryHashStore& store = tree();
  const auto sizes = random_below(kTreeSize + 1, 4, 1);
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(tree_hash(store, sizes[i]));
    i = (i + 1) % sizes.size();
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_TreeHashRandomSize1M);

void BM_InclusionProve1M(benchmark::State& state) {
  const MemoryHashStore& store = tree();
  const auto idx = random_below(kTreeSize, 2);
  std::size_t i = 0;
  for (auto _ : state) {
    auto p = prove_inclusion(store, idx[i], kTreeSize);
    if (!p) state.SkipWithError("prove failed");
    benchmark::DoNotOptimize(p);
    i = (i + 1) % idx.size();
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_InclusionProve1M);

void BM_InclusionVerify1M(benchmark::State& state) {
  const MemoryHashStore& store = tree();
  const Hash32 root = *tree_hash(store, kTreeSize);
  const auto idx = random_below(kTreeSize, 2);
  std::vector<std::vector<Hash32>> proofs;
  std::vector<Hash32> leaves;
  for (std::uint64_t x : idx) {
    proofs.push_back(*prove_inclusion(store, x, kTreeSize));
    leaves.push_back(leaf_hash(leaf(x)));
  }
  std::size_t i = 0;
  for (auto _ : state) {
    auto r = verify_inclusion(leaves[i], idx[i], kTreeSize, proofs[i], root);
    if (!r) state.SkipWithError("verify failed");
    i = (i + 1) % idx.size();
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_InclusionVerify1M);

void BM_ConsistencyProve1M(benchmark::State& state) {
  const MemoryHashStore& store = tree();
  const auto olds = random_below(kTreeSize, 3, 1);
  std::size_t i = 0;
  for (auto _ : state) {
    auto p = prove_consistency(store, olds[i], kTreeSize);
    if (!p) state.SkipWithError("prove failed");
    benchmark::DoNotOptimize(p);
    i = (i + 1) % olds.size();
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ConsistencyProve1M);

void BM_ConsistencyVerify1M(benchmark::State& state) {
  const MemoryHashStore& store = tree();
  const Hash32 root = *tree_hash(store, kTreeSize);
  const auto olds = random_below(kTreeSize, 3, 1);
  std::vector<std::vector<Hash32>> proofs;
  std::vector<Hash32> roots;
  for (std::uint64_t s : olds) {
    proofs.push_back(*prove_consistency(store, s, kTreeSize));
    roots.push_back(*tree_hash(store, s));
  }
  std::size_t i = 0;
  for (auto _ : state) {
    auto r = verify_consistency(olds[i], kTreeSize, proofs[i], roots[i], root);
    if (!r) state.SkipWithError("verify failed");
    i = (i + 1) % olds.size();
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ConsistencyVerify1M);

// Every hash tile of the 1M tree (3,924 tiles), per tile.
void BM_AllTiles1M(benchmark::State& state) {
  const MemoryHashStore& store = tree();
  const std::vector<Tile> tiles = hash_tiles_for_size(kTreeSize);
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(read_hash_tile(store, tiles[i]));
    i = (i + 1) % tiles.size();
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_AllTiles1M);

}  // namespace

BENCHMARK_MAIN();
