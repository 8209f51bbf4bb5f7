// Bundle verification throughput (DESIGN.md §8): a batch of N bundles of one
// registration (N receipts proven against one checkpoint, the registration
// appraisal and the checkpoint opening cached), one bundle without the
// cache, and verun's Ed25519 verify as the unit the target is stated in
// (bench/verify_compare.sh: bundles/s >= 0.8x `openssl speed ed25519`
// verify/s). `verify_bench --write-batch FILE N POLICY` writes N bundles,
// one per line, and their policy for timing the real `verun-verify bundle -`.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "tests/support/bundle_factory.h"
#include "verun/proofs/crypto/ed25519.h"
#include "verun/verifier/verify_bundle.h"

namespace {

using verun::testing::BundleFactory;
using namespace verun::verifier;

std::vector<std::string> batch(std::size_t n) {
  BundleFactory f;
  auto built = f.build_batch_json(n);
  std::vector<std::string> out;
  if (!built) return out;
  for (const auto& j : *built) out.push_back(j.dump());
  return out;
}

// bundles/s of a batch: parse + every check, with the cache a batch uses.
void BM_VerifyBundleBatch(benchmark::State& state) {
  const std::size_t n = static_cast<std::size_t>(state.range(0));
  const auto texts = batch(n);
  const Policy policy = BundleFactory().policy();
  for (auto _ : state) {
    BundleVerifier v(policy, {});
    for (const auto& t : texts) {
      BundleReport r = v.verify_text(t);
      if (!r.passed()) state.SkipWithError("a bundle failed");
      benchmark::DoNotOptimize(r);
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * n));
}
BENCHMARK(BM_VerifyBundleBatch)->Arg(100)->Arg(1000)->Unit(benchmark::kMillisecond);

// One bundle with nothing cached (a fresh verifier each time).
void BM_VerifyBundleUncached(benchmark::State& state) {
  const auto texts = batch(1);
  const Policy policy = BundleFactory().policy();
  for (auto _ : state) {
    BundleVerifier v(policy, {});
    BundleReport r = v.verify_text(texts[0]);
    if (!r.passed()) state.SkipWithError("the bundle failed");
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_VerifyBundleUncached)->Unit(benchmark::kMicrosecond);

// Parsing alone (strict JSON, envelopes, tlog-proofs, leaf JCS).
void BM_ParseBundle(benchmark::State& state) {
  const auto texts = batch(1);
  for (auto _ : state) {
    auto b = parse_bundle(texts[0]);
    if (!b) state.SkipWithError("parse failed");
    benchmark::DoNotOptimize(b);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_ParseBundle)->Unit(benchmark::kMicrosecond);

// A report as the CLI prints it (--json): written directly, and checked to
// be the bytes of to_json().dump() (a valid and an invalid bundle).
void BM_ReportJsonLine(benchmark::State& state) {
  const auto texts = batch(1);
  BundleVerifier v(BundleFactory().policy(), {});
  const BundleReport valid = v.verify_text(texts[0]);
  std::string tampered = texts[0];
  tampered[tampered.size() / 2] ^= 1;
  for (const BundleReport& r : {valid, v.verify_text(tampered), v.verify_text("{}")}) {
    verun::proofs::Json j = r.to_json();
    j["bundle"] = "-:1";
    if (r.to_json_line("-:1") != j.dump() || r.to_json_line() != r.to_json().dump())
      state.SkipWithError("to_json_line differs from to_json().dump()");
  }
  for (auto _ : state) benchmark::DoNotOptimize(valid.to_json_line("-:1"));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_ReportJsonLine)->Unit(benchmark::kMicrosecond);

// The same report as a JSON tree, dumped (what to_json_line replaces).
void BM_ReportJsonTree(benchmark::State& state) {
  const auto texts = batch(1);
  BundleVerifier v(BundleFactory().policy(), {});
  const BundleReport valid = v.verify_text(texts[0]);
  for (auto _ : state) {
    verun::proofs::Json j = valid.to_json();
    j["bundle"] = "-:1";
    benchmark::DoNotOptimize(j.dump());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_ReportJsonTree)->Unit(benchmark::kMicrosecond);

// verun's Ed25519 verify of a receipt-sized message, for the same-run unit.
void BM_Ed25519Verify(benchmark::State& state) {
  const std::uint8_t seed[32] = {9};
  auto key = *verun::proofs::Ed25519PrivateKey::from_seed(seed);
  const std::string msg(1000, 'r');
  const auto sig = key.sign(verun::proofs::as_bytes(msg));
  auto v = *verun::proofs::Ed25519Verifier::make(key.public_key());
  for (auto _ : state) {
    auto r = v.verify(verun::proofs::as_bytes(msg), sig);
    if (!r) state.SkipWithError("verify failed");
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_Ed25519Verify)->Unit(benchmark::kMicrosecond);

}  // namespace

int main(int argc, char** argv) {
  if (argc == 5 && std::string(argv[1]) == "--write-batch") {
    const auto n = static_cast<std::size_t>(std::strtoull(argv[3], nullptr, 10));
    std::ofstream out(argv[2]);
    for (const auto& t : batch(n)) out << t << "\n";
    std::ofstream(argv[4]) << BundleFactory().policy_json().dump();
    return out ? 0 : 1;
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
