// verun's Ed25519 and SHA-256 wrappers against raw OpenSSL EVP calls in the
// same binary (target: wrapper throughput >= 0.95 of raw). The raw versions
// keep one EVP_PKEY and one EVP_MD_CTX and re-initialise it per call, the
// cheapest correct use of the one-shot EVP Ed25519 API.
// bench/crypto_compare.sh prints the ratios.
#include <openssl/evp.h>

#include <benchmark/benchmark.h>

#include "verun/proofs/crypto/ed25519.h"
#include "verun/proofs/sha2.h"

namespace {

using namespace verun::proofs;

const std::uint8_t kSeed[32] = {7, 1, 2, 3};
// A checkpoint-sized message (origin, size, root: ~100 bytes).
const std::string kMsg = "example.com/bench-log\n1000000\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";

void BM_Ed25519Sign_Wrapper(benchmark::State& state) {
  auto key = *Ed25519PrivateKey::from_seed(kSeed);
  for (auto _ : state) benchmark::DoNotOptimize(key.sign(as_bytes(kMsg)));
}
BENCHMARK(BM_Ed25519Sign_Wrapper);

void BM_Ed25519Sign_RawEvp(benchmark::State& state) {
  EVP_PKEY* pkey = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, kSeed, 32);
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  std::uint8_t sig[64];
  for (auto _ : state) {
    std::size_t len = sizeof sig;
    EVP_MD_CTX_reset(ctx);
    if (EVP_DigestSignInit(ctx, nullptr, nullptr, nullptr, pkey) != 1 ||
        EVP_DigestSign(ctx, sig, &len, reinterpret_cast<const std::uint8_t*>(kMsg.data()), kMsg.size()) != 1)
      state.SkipWithError("sign failed");
    benchmark::DoNotOptimize(sig);
  }
  EVP_MD_CTX_free(ctx);
  EVP_PKEY_free(pkey);
}
BENCHMARK(BM_Ed25519Sign_RawEvp);

void BM_Ed25519Verify_Wrapper(benchmark::State& state) {
  auto key = *Ed25519PrivateKey::from_seed(kSeed);
  const auto sig = key.sign(as_bytes(kMsg));
  auto v = *Ed25519Verifier::make(key.public_key());
  for (auto _ : state) {
    auto r = v.verify(as_bytes(kMsg), sig);
    if (!r) state.SkipWithError("verify failed");
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_Ed25519Verify_Wrapper);

void BM_Ed25519Verify_RawEvp(benchmark::State& state) {
  auto key = *Ed25519PrivateKey::from_seed(kSeed);
  const auto sig = key.sign(as_bytes(kMsg));
  EVP_PKEY* pkey = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, key.public_key().data(), 32);
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  for (auto _ : state) {
    EVP_MD_CTX_reset(ctx);
    const int ok = EVP_DigestVerifyInit(ctx, nullptr, nullptr, nullptr, pkey) == 1 &&
                   EVP_DigestVerify(ctx, sig.data(), sig.size(), reinterpret_cast<const std::uint8_t*>(kMsg.data()),
                                    kMsg.size()) == 1;
    if (!ok) state.SkipWithError("verify failed");
    benchmark::DoNotOptimize(ok);
  }
  EVP_MD_CTX_free(ctx);
  EVP_PKEY_free(pkey);
}
BENCHMARK(BM_Ed25519Verify_RawEvp);

void BM_Sha256_513B_Wrapper(benchmark::State& state) {
  const std::string leaf(513, 'x');
  for (auto _ : state) benchmark::DoNotOptimize(sha256(as_bytes(leaf)));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * 513);
}
BENCHMARK(BM_Sha256_513B_Wrapper);

void BM_Sha256_513B_RawEvp(benchmark::State& state) {
  const std::string leaf(513, 'x');
  std::uint8_t out[32];
  for (auto _ : state) {
    unsigned int len = 32;
    EVP_Digest(leaf.data(), leaf.size(), out, &len, EVP_sha256(), nullptr);
    benchmark::DoNotOptimize(out);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * 513);
}
BENCHMARK(BM_Sha256_513B_RawEvp);

}  // namespace

BENCHMARK_MAIN();
