// Strict parsing and RFC 8785 canonicalization against plain nlohmann::json
// parse + dump, side by side in one binary, on a 2 KiB envelope-like
// document and a 64 KiB bundle-like one (both pretty-printed, so the
// canonical form differs from the input).
#include <cstdint>
#include <string>

#include <benchmark/benchmark.h>
#include <nlohmann/json.hpp>

#include "verun/proofs/json/jcs.h"
#include "verun/proofs/json/strict_json.h"

namespace {

using verun::proofs::Json;
using verun::proofs::JsonProfile;

// Deterministic filler text of the given length from a simple LCG.
std::string filler(std::size_t n, std::uint32_t seed, const char* alphabet, std::size_t alphabet_size) {
  std::string s;
  s.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    seed = seed * 1664525u + 1013904223u;
    s += alphabet[(seed >> 16) % alphabet_size];
  }
  return s;
}

std::string hex(std::size_t n, std::uint32_t seed) { return filler(n, seed, "0123456789abcdef", 16); }
std::string b64(std::size_t n, std::uint32_t seed) {
  static const char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  return filler(n, seed, kAlphabet, 64);
}

// An in-toto Statement with a verun-like receipt predicate (~2 KiB pretty).
Json statement(std::uint32_t seed, std::size_t evidence_bytes) {
  return Json{
      {"_type", "https://in-toto.io/Statement/v1"},
      {"subject", Json::array({Json{{"name", "output"}, {"digest", {{"sha256", hex(64, seed)}}}}})},
      {"predicateType", "https://verun.dev/receipt/v1"},
      {"predicate",
       {{"runner", {{"key_id", hex(64, seed + 1)}, {"registration_index", 1234567}}},
        {"workload",
         {{"name", "word-count"}, {"version", "1.2.3"}, {"measurement", hex(64, seed + 2)},
          {"limits", {{"timeout_ms", 30000}, {"max_input_bytes", 1048576}, {"max_output_bytes", 65536},
                      {"memory_bytes", 268435456}}}}},
        {"job", {{"nonce", hex(64, seed + 3)}, {"input", {{"sha256", hex(64, seed + 4)}}}}},
        {"output", {{"commitment", {{"scheme", "salted-v1"}, {"sha256", hex(64, seed + 5)}}}, {"size", 4096}}},
        {"status", "ok"},
        {"exit_code", 0},
        {"started_at", "2026-11-23T11:00:00Z"},
        {"finished_at", "2026-11-23T11:00:01.25Z"},
        {"evidence",
         {{"format", "sim-v1"}, {"data", b64(evidence_bytes, seed + 6)},
          {"certs", Json::array({b64(evidence_bytes / 3, seed + 7)})}}},
        {"notes", "résumé — ünïcödé ✓ 😀"}}}};
}

// A DSSE envelope carrying its statement both encoded and decoded.
Json envelope(std::uint32_t seed, std::size_t payload_bytes, std::size_t evidence_bytes) {
  return Json{{"payloadType", "application/vnd.in-toto+json"},
              {"payload", b64(payload_bytes, seed)},
              {"signatures", Json::array({Json{{"keyid", hex(64, seed + 1)}, {"sig", b64(88, seed + 2)}}})},
              {"statement", statement(seed + 3, evidence_bytes)}};
}

// A bundle: envelopes with inclusion proofs and checkpoints (~64 KiB).
Json bundle(std::size_t target_bytes) {
  Json entries = Json::array();
  std::uint32_t seed = 7;
  Json b;
  do {
    Json proof = Json::array();
    for (int i = 0; i < 20; ++i) proof.push_back(b64(44, seed++));
    entries.push_back(Json{{"envelope", envelope(seed++, 1300, 600)},
                           {"inclusion", {{"index", 1000 + seed}, {"tree_size", 1 << 20}, {"hashes", proof}}},
                           {"checkpoint", "verun.example/log\n1048576\n" + b64(44, seed++) + "\n"}});
    b = Json{{"version", 1}, {"entries", entries}};
  } while (b.dump(2).size() < target_bytes);
  return b;
}

const std::string& document(std::int64_t which) {
  static const std::string small = envelope(1, 88, 16).dump(2);  // about 2 KiB
  static const std::string large = bundle(64 * 1024).dump(2);
  return which == 0 ? small : large;
}

void label(benchmark::State& state, const std::string& text) {
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
  state.SetLabel(std::to_string(text.size()) + " B");
}

void BM_VerunParse(benchmark::State& state) {
  const std::string& text = document(state.range(0));
  for (auto _ : state) {
    auto r = verun::proofs::parse_json(text, JsonProfile::kVerun);
    if (!r) state.SkipWithError("parse failed");
    benchmark::DoNotOptimize(r);
  }
  label(state, text);
}

void BM_VerunCanonicalize(benchmark::State& state) {
  const std::string& text = document(state.range(0));
  for (auto _ : state) {
    auto r = verun::proofs::jcs_canonicalize(text, JsonProfile::kVerun);
    if (!r) state.SkipWithError("canonicalize failed");
    benchmark::DoNotOptimize(r);
  }
  label(state, text);
}

void BM_VerunSerialize(benchmark::State& state) {
  const std::string& text = document(state.range(0));
  const Json value = *verun::proofs::parse_json(text);
  for (auto _ : state) {
    auto r = verun::proofs::jcs_serialize(value);
    benchmark::DoNotOptimize(r);
  }
  label(state, text);
}

void BM_NlohmannParse(benchmark::State& state) {
  const std::string& text = document(state.range(0));
  for (auto _ : state) {
    Json j = Json::parse(text, nullptr, /*allow_exceptions=*/false);
    benchmark::DoNotOptimize(j);
  }
  label(state, text);
}

void BM_NlohmannParseDump(benchmark::State& state) {
  const std::string& text = document(state.range(0));
  for (auto _ : state) {
    Json j = Json::parse(text, nullptr, /*allow_exceptions=*/false);
    std::string out = j.dump();
    benchmark::DoNotOptimize(out);
  }
  label(state, text);
}

// Arg 0: the 2 KiB envelope; arg 1: the 64 KiB bundle.
BENCHMARK(BM_VerunParse)->Arg(0)->Arg(1);
BENCHMARK(BM_NlohmannParse)->Arg(0)->Arg(1);
BENCHMARK(BM_VerunCanonicalize)->Arg(0)->Arg(1);
BENCHMARK(BM_NlohmannParseDump)->Arg(0)->Arg(1);
BENCHMARK(BM_VerunSerialize)->Arg(0)->Arg(1);

}  // namespace

BENCHMARK_MAIN();
