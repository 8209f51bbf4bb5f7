// tdx-quote / sgx-quote appraisal costs on the corpus vectors tdx-v4-dcapqvl
// and sgx-v3-dcapqvl: parsing the quote, verifying it quote-only and with
// full collateral (TCB info, QE identity, both CRLs), each with the PCK chain
// checked every time or remembered in a DcapChainCache. Reported as
// appraisals/s. The vectors come from $VERUN_VECTORS or ../shared/vectors.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "verun/proofs/evidence/dcap.h"

namespace {

using namespace verun::proofs;
using verun::Result;
namespace fs = std::filesystem;

struct Vector {
  Bytes quote;
  DcapCollateral collateral;
  Timestamp at;
  DcapTee tee = DcapTee::kTdx;
  bool ok = false;
};

Bytes read_all(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return Bytes(std::istreambuf_iterator<char>(in), {});
}

Vector load(const char* rel, DcapTee tee) {
  Vector out;
  const char* env = std::getenv("VERUN_VECTORS");
  fs::path root = env ? fs::path(env) : fs::path(VERUN_SOURCE_DIR) / ".." / "shared" / "vectors";
  fs::path dir = root / "attestation" / rel;
  if (!fs::exists(dir / "quote.bin")) return out;
  out.quote = read_all(dir / "quote.bin");
  Bytes raw = read_all(dir / "collateral.json");
  nlohmann::json c = nlohmann::json::parse(raw.begin(), raw.end(), nullptr, false);
  if (c.is_discarded()) return out;
  auto s = [&](const char* k) { return c.value(k, std::string()); };
  std::map<std::string, Bytes> m = {
      {"tcb_info", to_bytes("{\"tcbInfo\":" + s("tcb_info") + ",\"signature\":\"" + s("tcb_info_signature") + "\"}")},
      {"qe_identity", to_bytes("{\"enclaveIdentity\":" + s("qe_identity") + ",\"signature\":\"" +
                               s("qe_identity_signature") + "\"}")},
      {"tcb_info_issuer_chain", to_bytes(s("tcb_info_issuer_chain"))},
      {"qe_identity_issuer_chain", to_bytes(s("qe_identity_issuer_chain"))},
      {"pck_crl", to_bytes(s("pck_crl"))},
      {"root_ca_crl", to_bytes(s("root_ca_crl"))}};
  Result<DcapCollateral> col = dcap_collateral_from_map(m);
  if (!col) return out;
  out.collateral = *col;
  out.at = Timestamp{1'750'377'600, 0};  // 2025-06-20T00:00:00Z
  out.tee = tee;
  out.ok = true;
  return out;
}

const Vector& tdx() {
  static const Vector v = load("tdx/tdx-v4-dcapqvl", DcapTee::kTdx);
  return v;
}
const Vector& sgx() {
  static const Vector v = load("sgx-dcap/sgx-v3-dcapqvl", DcapTee::kSgx);
  return v;
}

void run(benchmark::State& state, const Vector& v, bool collateral, bool cached) {
  if (!v.ok) return state.SkipWithError("vectors not found");
  DcapChainCache cache;
  DcapOptions o;
  o.at = v.at;
  if (collateral) o.collateral = v.collateral;
  if (cached) o.chain_cache = &cache;
  if (!verify_dcap_quote_detailed(v.quote, v.tee, o)) return state.SkipWithError("vector does not verify");
  for (auto _ : state) benchmark::DoNotOptimize(verify_dcap_quote_detailed(v.quote, v.tee, o));
  state.counters["appraisals/s"] = benchmark::Counter(static_cast<double>(state.iterations()),
                                                      benchmark::Counter::kIsRate);
}

void BM_DcapParseQuote(benchmark::State& state) {
  if (!tdx().ok) return state.SkipWithError("vectors not found");
  for (auto _ : state) benchmark::DoNotOptimize(parse_dcap_quote(tdx().quote));
}
BENCHMARK(BM_DcapParseQuote);

void BM_DcapPckChain(benchmark::State& state) {
  if (!tdx().ok) return state.SkipWithError("vectors not found");
  Result<DcapQuote> q = parse_dcap_quote(tdx().quote);
  if (!q) return state.SkipWithError("quote does not parse");
  for (auto _ : state) benchmark::DoNotOptimize(verify_dcap_pck_chain(q->pck_chain_pem));
}
BENCHMARK(BM_DcapPckChain)->Unit(benchmark::kMicrosecond);

void BM_TdxQuoteOnly(benchmark::State& s) { run(s, tdx(), false, false); }
void BM_TdxQuoteOnlyCachedChain(benchmark::State& s) { run(s, tdx(), false, true); }
void BM_TdxCollateral(benchmark::State& s) { run(s, tdx(), true, false); }
void BM_TdxCollateralCachedChain(benchmark::State& s) { run(s, tdx(), true, true); }
void BM_SgxQuoteOnly(benchmark::State& s) { run(s, sgx(), false, false); }
void BM_SgxQuoteOnlyCachedChain(benchmark::State& s) { run(s, sgx(), false, true); }
void BM_SgxCollateral(benchmark::State& s) { run(s, sgx(), true, false); }
void BM_SgxCollateralCachedChain(benchmark::State& s) { run(s, sgx(), true, true); }
BENCHMARK(BM_TdxQuoteOnly)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_TdxQuoteOnlyCachedChain)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_TdxCollateral)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_TdxCollateralCachedChain)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_SgxQuoteOnly)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_SgxQuoteOnlyCachedChain)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_SgxCollateral)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_SgxCollateralCachedChain)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
