// What the log does per admitted entry and the verifier per bundle half:
// parse an envelope (log-admission mode), verify a receipt envelope end to
// end (statement + predicate + Ed25519 over PAE), sign one; plus salted-v1
// commitment throughput and report_data.
#include <benchmark/benchmark.h>

#include "verun/proofs/commitment.h"
#include "verun/proofs/intoto/receipt.h"
#include "verun/proofs/json/jcs.h"
#include "verun/proofs/key_id.h"
#include "verun/proofs/report_data.h"

namespace {

using namespace verun::proofs;

struct Fixture {
  Ed25519PrivateKey key = *Ed25519PrivateKey::from_seed(Bytes(32, 1));
  ReceiptPredicate receipt;
  Envelope envelope;
  std::string leaf;
  Fixture() {
    Hash32 h{};
    h.fill(0xab);
    receipt.runner = {key_id(key.public_key()), 12};
    receipt.workload = {"wordcount", "1", h};
    receipt.input = {h, CommitmentScheme::kSaltedV1, 1234};
    receipt.output = {h, CommitmentScheme::kSaltedV1, 56};
    receipt.job = {"job-0001", h};
    receipt.started_at = *parse_rfc3339("2026-11-23T12:00:00Z");
    receipt.finished_at = *parse_rfc3339("2026-11-23T12:00:01.25Z");
    envelope = *make_receipt_envelope(receipt, key);
    leaf = *envelope_leaf(envelope);
  }
};

const Fixture& fixture() {
  static const Fixture f;
  return f;
}

void BM_ParseEnvelopeLogAdmission(benchmark::State& state) {
  const auto& f = fixture();
  for (auto _ : state) benchmark::DoNotOptimize(parse_envelope(std::string_view(f.leaf), EnvelopeMode::kLogAdmission));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * f.leaf.size()));
}
BENCHMARK(BM_ParseEnvelopeLogAdmission);

void BM_VerifyReceiptEnvelope(benchmark::State& state) {
  const auto& f = fixture();
  auto verifier = *Ed25519Verifier::make(f.key.public_key());
  for (auto _ : state) benchmark::DoNotOptimize(verify_receipt_envelope(f.envelope, verifier));
}
BENCHMARK(BM_VerifyReceiptEnvelope);

void BM_MakeReceiptEnvelope(benchmark::State& state) {
  const auto& f = fixture();
  for (auto _ : state) benchmark::DoNotOptimize(make_receipt_envelope(f.receipt, f.key));
}
BENCHMARK(BM_MakeReceiptEnvelope);

void BM_SaltedCommitment(benchmark::State& state) {
  Bytes data(static_cast<std::size_t>(state.range(0)), 0x5a);
  Bytes salt(32, 7);
  for (auto _ : state) benchmark::DoNotOptimize(compute_commitment(CommitmentScheme::kSaltedV1, data, salt));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * data.size()));
}
BENCHMARK(BM_SaltedCommitment)->Arg(64)->Arg(4096)->Arg(1 << 20);

void BM_ReportData(benchmark::State& state) {
  RunnerIdentity id;
  id.runner_version = "0.1.0";
  id.workloads = {{"wordcount", "1", Hash32{}}};
  for (auto _ : state) benchmark::DoNotOptimize(make_report_data(id, kZeroNonce));
}
BENCHMARK(BM_ReportData);

}  // namespace

BENCHMARK_MAIN();
