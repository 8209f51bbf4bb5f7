// HPKE base mode (RFC 9180) cost: single-shot seal + open of 1 KiB and
// 1 MiB with ChaCha20-Poly1305 and AES-128-GCM, beside the raw EVP AEAD
// seal + open of the same sizes, so that the ratio shows what the KEM and
// key schedule add (two X25519 exchanges, one key generation, HKDF calls).
//   build/<dir>/bench/hpke_bench --benchmark_min_time=0.5
#include <openssl/evp.h>

#include <benchmark/benchmark.h>

#include <cstdlib>
#include <memory>

#include "verun/proofs/hpke/hpke.h"

namespace verun::proofs {
namespace {

HpkeSuite suite_for(HpkeAead aead) {
  return HpkeSuite{HpkeKem::kDhkemX25519HkdfSha256, HpkeKdf::kHkdfSha256, aead};
}

const char* name_of(HpkeAead aead) {
  return aead == HpkeAead::kAes128Gcm ? "aes-128-gcm" : "chacha20-poly1305";
}

const HpkePrivateKey& recipient() {
  static const HpkePrivateKey key = std::move(*HpkePrivateKey::derive(Bytes(32, 0x42)));
  return key;
}

void check(bool ok) {
  if (!ok) std::abort();
}

// hpke_seal to the recipient, then hpke_open: a whole job submission's
// crypto on both sides.
void BM_HpkeSealOpen(benchmark::State& state) {
  const auto aead = static_cast<HpkeAead>(state.range(0));
  const Bytes pt(static_cast<std::size_t>(state.range(1)), 0x61);
  const Bytes aad(64, 0x62), info = to_bytes(kVerunJobInfo);
  for (auto _ : state) {
    auto sealed = hpke_seal(suite_for(aead), recipient().public_key(), info, aad, pt);
    check(sealed.has_value());
    auto opened = hpke_open(suite_for(aead), recipient(), sealed->enc, info, aad, sealed->ciphertext);
    check(opened.has_value() && opened->size() == pt.size());
    benchmark::DoNotOptimize(opened->data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(1));
  state.SetLabel(name_of(aead));
}

// The same sizes through EVP_CIPHER directly: one seal and one open with a
// fixed key and nonce (the floor HPKE cannot go below).
void BM_EvpAeadSealOpen(benchmark::State& state) {
  const auto aead = static_cast<HpkeAead>(state.range(0));
  const std::size_t n = static_cast<std::size_t>(state.range(1));
  EVP_CIPHER* cipher =
      EVP_CIPHER_fetch(nullptr, aead == HpkeAead::kAes128Gcm ? "AES-128-GCM" : "ChaCha20-Poly1305", nullptr);
  check(cipher != nullptr);
  const Bytes key(hpke_aead_key_size(aead), 0x11), nonce(12, 0x22), pt(n, 0x61), aad(64, 0x62);
  Bytes ct(n), back(n);
  std::uint8_t tag[16];
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  for (auto _ : state) {
    int len = 0;
    check(EVP_EncryptInit_ex2(ctx, cipher, key.data(), nonce.data(), nullptr) == 1);
    check(EVP_EncryptUpdate(ctx, nullptr, &len, aad.data(), static_cast<int>(aad.size())) == 1);
    check(EVP_EncryptUpdate(ctx, ct.data(), &len, pt.data(), static_cast<int>(n)) == 1);
    check(EVP_EncryptFinal_ex(ctx, ct.data() + len, &len) == 1);
    check(EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG, 16, tag) == 1);
    check(EVP_DecryptInit_ex2(ctx, cipher, key.data(), nonce.data(), nullptr) == 1);
    check(EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_TAG, 16, tag) == 1);
    check(EVP_DecryptUpdate(ctx, nullptr, &len, aad.data(), static_cast<int>(aad.size())) == 1);
    check(EVP_DecryptUpdate(ctx, back.data(), &len, ct.data(), static_cast<int>(n)) == 1);
    check(EVP_DecryptFinal_ex(ctx, back.data() + len, &len) == 1);
    benchmark::DoNotOptimize(back.data());
  }
  EVP_CIPHER_CTX_free(ctx);
  EVP_CIPHER_free(cipher);
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(1));
  state.SetLabel(name_of(aead));
}

// verun's own aead_seal / aead_open (what the job output uses): the raw
// EVP cost plus a context allocation and the argument checks.
void BM_AeadWrapperSealOpen(benchmark::State& state) {
  const auto aead = static_cast<HpkeAead>(state.range(0));
  const Bytes key(hpke_aead_key_size(aead), 0x11), nonce(12, 0x22), aad(64, 0x62);
  const Bytes pt(static_cast<std::size_t>(state.range(1)), 0x61);
  for (auto _ : state) {
    auto ct = aead_seal(aead, key, nonce, aad, pt);
    check(ct.has_value());
    auto back = aead_open(aead, key, nonce, aad, *ct);
    check(back.has_value());
    benchmark::DoNotOptimize(back->data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(1));
  state.SetLabel(name_of(aead));
}

void sizes(benchmark::internal::Benchmark* b) {
  for (auto aead : {HpkeAead::kChaCha20Poly1305, HpkeAead::kAes128Gcm})
    for (std::int64_t n : {std::int64_t{1} << 10, std::int64_t{1} << 20})
      b->Args({static_cast<std::int64_t>(aead), n});
  b->ArgNames({"aead", "bytes"});
}

BENCHMARK(BM_HpkeSealOpen)->Apply(sizes);
BENCHMARK(BM_EvpAeadSealOpen)->Apply(sizes);
BENCHMARK(BM_AeadWrapperSealOpen)->Apply(sizes);

}  // namespace
}  // namespace verun::proofs

BENCHMARK_MAIN();
