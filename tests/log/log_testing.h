// Helpers shared by the log's tests: deterministic entries, a fixed note
// key, and an AppendBatch built the way the sequencer builds one (so store
// tests need no sequencer). Test-only; not thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "store/store.h"
#include "verun/proofs/merkle/compact_range.h"
#include "verun/proofs/merkle/hasher.h"
#include "verun/proofs/merkle/tiles.h"
#include "verun/proofs/note/checkpoint.h"

namespace verun::log::testing {

// Entry i: distinct bytes of a length that varies with i (1..300 bytes).
inline proofs::Bytes entry_bytes(std::uint64_t i, std::size_t size = 0) {
  if (size == 0) size = 1 + (i * 7) % 300;
  proofs::Bytes b(size);
  for (std::size_t j = 0; j < size; ++j) b[j] = static_cast<std::uint8_t>((i >> (8 * (j % 8))) + j);
  if (size >= 8) {
    for (int k = 0; k < 8; ++k) b[k] = static_cast<std::uint8_t>(i >> (8 * k));
  }
  return b;
}

inline proofs::NoteSigner log_signer(const std::string& name = "example.com/log") {
  proofs::Bytes seed(32, 0x42);
  return *proofs::NoteSigner::from_seed(name, seed);
}

// Extends `range` with entries and returns the batch that records them.
inline AppendBatch make_batch(proofs::CompactRange& range, const std::vector<proofs::Bytes>& entries,
                              const proofs::NoteSigner& signer) {
  AppendBatch b;
  b.old_size = range.size();
  for (const auto& e : entries) {
    NewEntry n;
    n.data = e;
    n.leaf_hash = proofs::leaf_hash(e);
    range.append(n.leaf_hash, [&](proofs::NodeId id, const proofs::Hash32& h) {
      if (id.level > 0 && id.level % proofs::kTileHeight == 0) b.tile_nodes.emplace_back(id, h);
    });
    b.entries.push_back(std::move(n));
  }
  b.root = range.root();
  b.right_edge.assign(range.right_edge().begin(), range.right_edge().end());
  proofs::Checkpoint cp{signer.name(), range.size(), range.root(), {}};
  b.checkpoint = *proofs::sign_checkpoint(cp, signer);
  return b;
}

}  // namespace verun::log::testing
