// Fuzz target: C2SP tlog-proof parsing, and verification against a fixed log
// key, origin and leaf. A parsed proof must format back to the same bytes.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "verun/proofs/merkle/hasher.h"
#include "verun/proofs/note/tlog_proof.h"

namespace {

using namespace verun::proofs;

const NoteVerifier& log_key() {
  static const NoteVerifier v = [] {
    const std::uint8_t log_seed[32] = {1};
    return NoteSigner::from_seed("fuzz.example/log", log_seed)->verifier();
  }();
  return v;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  auto proof = parse_tlog_proof(in);
  if (!proof) return 0;
  if (format_tlog_proof(*proof) != in) std::abort();
  if (proof->hashes.size() > kMaxTlogProofHashes) std::abort();
  auto r = verify_tlog_proof_for_entry(*proof, as_bytes(std::string_view("fuzz leaf")), log_key(), "fuzz.example/log");
  if (r && r->index >= r->checkpoint.checkpoint.size) std::abort();
  return 0;
}
