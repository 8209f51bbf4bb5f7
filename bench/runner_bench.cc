// The runner's own per-job work, without the workload and the log round
// trip (DESIGN.md §7): parse the POST /v1/jobs body, HPKE setup + open,
// parse the plaintext, both salted-v1 commitments, sign the receipt, seal
// the output. Compared with BM_BareSha256, the input hashed once, to show
// what the pipeline adds beyond touching the data.
//   build/release/bench/runner_bench --benchmark_min_time=1
#include <benchmark/benchmark.h>

#include "verun/proofs/base64.h"
#include "verun/proofs/commitment.h"
#include "verun/proofs/crypto/random.h"
#include "verun/proofs/intoto/receipt.h"
#include "verun/proofs/json/jcs.h"
#include "verun/proofs/key_id.h"
#include "verun/proofs/sha2.h"
#include "verun/runner/job_wire.h"

namespace {

using namespace verun;

struct Fixture {
  proofs::Ed25519PrivateKey signing = *proofs::Ed25519PrivateKey::generate();
  proofs::HpkePrivateKey hpke = *proofs::HpkePrivateKey::generate();
  std::string key_id = proofs::key_id(signing.public_key());
};

std::string make_body(const Fixture& f, std::size_t input_size) {
  runner::JobPlaintext p;
  p.input = proofs::SecureBytes(proofs::Bytes(input_size, 'x'));
  p.input_salt = *proofs::random_bytes(32);
  p.job_nonce = *proofs::random32();
  auto sender = *proofs::hpke_setup_base_sender(proofs::kVerunJobSuite, f.hpke.public_key(),
                                                proofs::as_bytes(proofs::kVerunJobInfo));
  proofs::Json body = {{"workload", "sha256sum"}, {"key_id", f.key_id}, {"enc", proofs::base64_encode(sender.enc)}};
  const std::string aad = *proofs::jcs_serialize(body);
  auto pt = *runner::format_job_plaintext(p);
  body["ciphertext"] = proofs::base64_encode(*sender.context.seal(proofs::as_bytes(aad), pt.view()));
  return body.dump();
}

void BM_RunnerJobPipeline(benchmark::State& state) {
  Fixture f;
  const std::string body = make_body(f, static_cast<std::size_t>(state.range(0)));
  const proofs::Bytes output(64, 'o');
  for (auto _ : state) {
    auto req = *runner::parse_job_request(body);
    auto ctx = *proofs::hpke_setup_base_recipient(proofs::kVerunJobSuite, req.enc, f.hpke,
                                                  proofs::as_bytes(proofs::kVerunJobInfo));
    auto plain = *ctx.open(proofs::as_bytes(req.aad), req.ciphertext);
    auto job = *runner::parse_job_plaintext(plain.view());
    proofs::ReceiptPredicate p;
    p.runner = {f.key_id, 0};
    p.workload = {"sha256sum", "1", proofs::Hash32{}};
    p.input = {*proofs::compute_commitment(job.input_scheme, job.input.view(), job.input_salt), job.input_scheme,
               job.input.size()};
    const auto salt = *proofs::random_bytes(32);
    p.output = {*proofs::compute_commitment(proofs::CommitmentScheme::kSaltedV1, output, salt),
                proofs::CommitmentScheme::kSaltedV1, output.size()};
    p.job = {"0123456789abcdef0123456789abcdef", job.job_nonce};
    p.started_at = {1767225600, 0};
    p.finished_at = {1767225601, 0};
    auto env = *proofs::make_receipt_envelope(p, f.signing);
    auto sealed = *runner::seal_job_output(ctx, p.job.id, output, salt);
    benchmark::DoNotOptimize(env);
    benchmark::DoNotOptimize(sealed);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}
BENCHMARK(BM_RunnerJobPipeline)->Arg(1 << 10)->Arg(1 << 20);

void BM_BareSha256(benchmark::State& state) {
  const proofs::Bytes input(static_cast<std::size_t>(state.range(0)), 'x');
  for (auto _ : state) benchmark::DoNotOptimize(proofs::sha256(input));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}
BENCHMARK(BM_BareSha256)->Arg(1 << 10)->Arg(1 << 20);

}  // namespace

BENCHMARK_MAIN();
