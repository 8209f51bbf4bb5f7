// nitro-cose costs on the corpus' genuine document (nitro-blocky, 7.5 KB,
// four CA certificates): parsing (CBOR + COSE + payload), the whole
// verification (chain of four ECDSA P-384 links, validity, ES384 document
// signature), and the verification with the chain's validation cached by
// the SHA-256 of its certificates, as a verifier appraising many documents
// from the same enclave would do (the cache lives in this benchmark, not in
// the library). Vectors from $VERUN_VECTORS or ../shared/vectors.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>

#include "verun/proofs/evidence/nitro.h"
#include "verun/proofs/sha2.h"

namespace {

using namespace verun::proofs;
using verun::Result;
namespace fs = std::filesystem;

struct Vector {
  Bytes doc;
  bool ok = false;
};

const Vector& blocky() {
  static const Vector v = [] {
    Vector out;
    const char* env = std::getenv("VERUN_VECTORS");
    fs::path root = env ? fs::path(env) : fs::path(VERUN_SOURCE_DIR) / ".." / "shared" / "vectors";
    fs::path file = root / "attestation" / "nitro" / "nitro-blocky" / "attestation.cbor";
    if (!fs::exists(file)) return out;
    std::ifstream in(file, std::ios::binary);
    out.doc = Bytes(std::istreambuf_iterator<char>(in), {});
    out.ok = static_cast<bool>(verify_nitro_evidence(out.doc));
    return out;
  }();
  return v;
}

// SHA-256 over the leaf and the bundle, each prefixed by its length.
Hash32 chain_key(const NitroDocument& d) {
  Bytes all;
  auto add = [&](const Bytes& der) {
    append_u64_be(all, der.size());
    append(all, der);
  };
  add(d.certificate);
  for (const Bytes& c : d.cabundle) add(c);
  return sha256(all);
}

void BM_NitroParseDocument(benchmark::State& state) {
  const Vector& v = blocky();
  if (!v.ok) return state.SkipWithError("vectors not found");
  for (auto _ : state) benchmark::DoNotOptimize(parse_nitro_document(v.doc));
}
BENCHMARK(BM_NitroParseDocument)->Unit(benchmark::kMicrosecond);

void BM_NitroVerifyChain(benchmark::State& state) {
  const Vector& v = blocky();
  if (!v.ok) return state.SkipWithError("vectors not found");
  const NitroDocument d = parse_nitro_document(v.doc)->document;
  for (auto _ : state) benchmark::DoNotOptimize(verify_nitro_chain(d));
}
BENCHMARK(BM_NitroVerifyChain)->Unit(benchmark::kMicrosecond);

// One appraisal as verify_evidence does it: nothing cached.
void BM_NitroVerifyEvidence(benchmark::State& state) {
  const Vector& v = blocky();
  if (!v.ok) return state.SkipWithError("vectors not found");
  for (auto _ : state) benchmark::DoNotOptimize(verify_nitro_evidence(v.doc));
  state.counters["appraisals/s"] = benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_NitroVerifyEvidence)->Unit(benchmark::kMicrosecond);

// Parse, look the chain up by its certificates' digest (validated once),
// check validity at the document time and the document signature.
void BM_NitroVerifyEvidenceChainCached(benchmark::State& state) {
  const Vector& v = blocky();
  if (!v.ok) return state.SkipWithError("vectors not found");
  std::map<Hash32, NitroChain> cache;
  for (auto _ : state) {
    Result<ParsedNitro> p = parse_nitro_document(v.doc);
    if (!p) return state.SkipWithError("parse failed");
    const Hash32 key = chain_key(p->document);
    auto it = cache.find(key);
    if (it == cache.end()) {
      Result<NitroChain> chain = verify_nitro_chain(p->document);
      if (!chain) return state.SkipWithError("chain failed");
      it = cache.emplace(key, std::move(*chain)).first;
    }
    if (!verify_nitro_chain_validity(it->second, p->document.timestamp())) return state.SkipWithError("validity");
    if (!verify_nitro_signature(p->cose, it->second.leaf)) return state.SkipWithError("signature");
    benchmark::DoNotOptimize(nitro_claims(p->document, it->second));
  }
  state.counters["appraisals/s"] = benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_NitroVerifyEvidenceChainCached)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
