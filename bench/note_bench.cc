// Checkpoint signing and opening (C2SP signed note, Ed25519), the figures
// tlogbench reports for x/mod's note.Sign / note.Open; plus opening with
// three witness cosignatures, and tlog-proof parse + verify.
// bench/note_compare.sh runs this beside tlogbench and prints the ratios.
#include <benchmark/benchmark.h>

#include "verun/proofs/merkle/hasher.h"
#include "verun/proofs/note/checkpoint.h"
#include "verun/proofs/note/tlog_proof.h"
#include "verun/proofs/sha2.h"

namespace {

using namespace verun::proofs;

struct Fixture {
  NoteSigner log = *NoteSigner::generate("example.com/bench-log");
  std::vector<NoteSigner> witnesses;
  Checkpoint cp{"example.com/bench-log", 1000000, sha256(std::string_view("root")), {}};
  std::string note;
  std::string cosigned;
  Fixture() {
    for (int i = 0; i < 3; ++i)
      witnesses.push_back(*NoteSigner::generate("w" + std::to_string(i) + ".example", NoteKeyType::kCosignatureV1));
    note = *sign_checkpoint(cp, log);
    cosigned = note;
    for (const auto& w : witnesses) cosigned = *add_cosignature(cosigned, w, 1779000000);
  }
  std::vector<NoteVerifier> witness_keys() const {
    std::vector<NoteVerifier> out;
    for (const auto& w : witnesses) out.push_back(w.verifier());
    return out;
  }
};

const Fixture& fixture() {
  static const Fixture f;
  return f;
}

void BM_CheckpointSign(benchmark::State& state) {
  const auto& f = fixture();
  for (auto _ : state) benchmark::DoNotOptimize(sign_checkpoint(f.cp, f.log));
}
BENCHMARK(BM_CheckpointSign);

void BM_CheckpointOpen(benchmark::State& state) {
  const auto& f = fixture();
  const NoteVerifier key = f.log.verifier();
  for (auto _ : state) {
    auto r = open_checkpoint(f.note, key);
    if (!r) state.SkipWithError("open failed");
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_CheckpointOpen);

void BM_CheckpointOpenFromVkey(benchmark::State& state) {
  // Includes parsing the vkey each time, as note.NewVerifier + note.Open do.
  const auto& f = fixture();
  const std::string vkey = format_verifier_key(f.log.verifier());
  for (auto _ : state) {
    auto key = parse_verifier_key(vkey);
    auto r = open_checkpoint(f.note, *key);
    if (!r) state.SkipWithError("open failed");
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_CheckpointOpenFromVkey);

void BM_CheckpointOpenWith3Cosignatures(benchmark::State& state) {
  const auto& f = fixture();
  const NoteVerifier key = f.log.verifier();
  const auto w = f.witness_keys();
  for (auto _ : state) {
    auto r = open_checkpoint(f.cosigned, key, w);
    if (!r || r->cosignatures.size() != 3) state.SkipWithError("open failed");
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_CheckpointOpenWith3Cosignatures);

void BM_SignedNoteParse(benchmark::State& state) {
  const auto& f = fixture();
  for (auto _ : state) benchmark::DoNotOptimize(parse_signed_note(f.cosigned));
}
BENCHMARK(BM_SignedNoteParse);

void BM_TlogProofParseAndVerify(benchmark::State& state) {
  // A proof of depth 20 (index 0 of a 2^20 tree with all-equal subtrees).
  const auto& f = fixture();
  TlogProof p;
  Hash32 h = leaf_hash(verun::proofs::as_bytes(std::string_view("leaf")));
  for (int i = 0; i < 20; ++i) {
    p.hashes.push_back(h);
    h = node_hash(h, h);
  }
  p.checkpoint_note = *sign_checkpoint(Checkpoint{"example.com/bench-log", 1u << 20, h, {}}, f.log);
  const std::string text = format_tlog_proof(p);
  const NoteVerifier key = f.log.verifier();
  const Hash32 leaf = leaf_hash(verun::proofs::as_bytes(std::string_view("leaf")));
  for (auto _ : state) {
    auto parsed = parse_tlog_proof(text);
    auto r = verify_tlog_proof(*parsed, leaf, key, "example.com/bench-log");
    if (!r) state.SkipWithError("verify failed");
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_TlogProofParseAndVerify);

}  // namespace

BENCHMARK_MAIN();
