// sev-snp-report costs on the corpus' Turin vector (snp-turin-v5-oak):
// parsing the 1184-byte report, checking the VCEK <- ASK <- ARK chain (three
// RSASSA-PSS verifications plus DER parsing), and the whole verification.
// The vectors come from $VERUN_VECTORS or ../shared/vectors beside the source.
#include <benchmark/benchmark.h>

#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

#include "verun/proofs/evidence/sev_snp.h"

namespace {

using namespace verun::proofs;
namespace fs = std::filesystem;

struct Vector {
  Bytes report;
  std::vector<Bytes> certs;
  SevSnpOptions options;
  bool ok = false;
};

Bytes read_all(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return Bytes(std::istreambuf_iterator<char>(in), {});
}

const Vector& turin() {
  static const Vector v = [] {
    Vector out;
    const char* env = std::getenv("VERUN_VECTORS");
    fs::path root = env ? fs::path(env) : fs::path(VERUN_SOURCE_DIR) / ".." / "shared" / "vectors";
    fs::path dir = root / "attestation" / "sev-snp" / "snp-turin-v5-oak";
    if (!fs::exists(dir / "report.bin")) return out;
    out.report = read_all(dir / "report.bin");
    Bytes pem = read_all(dir / "vcek_ask_ark.pem");
    BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
    while (X509* x = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr)) {
      unsigned char* der = nullptr;
      int len = i2d_X509(x, &der);
      out.certs.emplace_back(der, der + len);
      OPENSSL_free(der);
      X509_free(x);
    }
    BIO_free(bio);
    out.options.at = Timestamp{1'754'006'400, 0};  // 2025-08-01T00:00:00Z
    out.ok = out.certs.size() == 3;
    return out;
  }();
  return v;
}

void BM_SevSnpParseReport(benchmark::State& state) {
  const Vector& v = turin();
  if (!v.ok) return state.SkipWithError("vectors not found");
  for (auto _ : state) benchmark::DoNotOptimize(parse_sev_snp_report(v.report));
}
BENCHMARK(BM_SevSnpParseReport);

void BM_SevSnpVerifyChain(benchmark::State& state) {
  const Vector& v = turin();
  if (!v.ok) return state.SkipWithError("vectors not found");
  for (auto _ : state) benchmark::DoNotOptimize(verify_sev_snp_chain(v.certs));
}
BENCHMARK(BM_SevSnpVerifyChain)->Unit(benchmark::kMicrosecond);

void BM_SevSnpVerifyEvidence(benchmark::State& state) {
  const Vector& v = turin();
  if (!v.ok) return state.SkipWithError("vectors not found");
  if (!verify_sev_snp_evidence(v.report, v.certs, v.options)) return state.SkipWithError("vector does not verify");
  for (auto _ : state) benchmark::DoNotOptimize(verify_sev_snp_evidence(v.report, v.certs, v.options));
}
BENCHMARK(BM_SevSnpVerifyEvidence)->Unit(benchmark::kMicrosecond);

// The same verification with the chain's links and pinning checked once and
// cached (a verifier that sees many reports from one chip): per report the
// parse, the chain's validity at the as-of time, the signing-key kind, the
// ECDSA P-384 report signature, the TCB binding and the chip id.
void BM_SevSnpVerifyEvidenceChainCached(benchmark::State& state) {
  const Vector& v = turin();
  if (!v.ok) return state.SkipWithError("vectors not found");
  auto chain = verify_sev_snp_chain(v.certs);
  if (!chain) return state.SkipWithError("chain does not verify");
  for (auto _ : state) {
    auto report = parse_sev_snp_report(v.report);
    bool ok = report && verify_sev_snp_chain_validity(*chain, *v.options.at) &&
              verify_sev_snp_signing_key(*report, *chain) &&
              verify_sev_snp_report_signature(*report, v.report, chain->leaf) &&
              verify_sev_snp_tcb_binding(*report, chain->product, chain->leaf) &&
              verify_sev_snp_chip_id(*report, chain->product, chain->leaf, chain->leaf_is_vlek);
    if (!ok) return state.SkipWithError("cached-chain verification failed");
    benchmark::DoNotOptimize(ok);
  }
}
BENCHMARK(BM_SevSnpVerifyEvidenceChainCached)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
