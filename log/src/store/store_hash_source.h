// A proofs::HashSource over a Store's C2SP hash tiles (tlog-tiles: height 8),
// for RFC 9162 §2.1.3/§2.1.4 proof generation. A node at level 8L + k is
// folded from 2^k hashes of tile level L; each tile a batch touches is read
// once, at the width the batch needs. Thread-safe (the Store is).
#pragma once

#include "store/store.h"
#include "verun/proofs/merkle/hash_source.h"

namespace verun::log {

class StoreHashSource final : public proofs::HashSource {
 public:
  explicit StoreHashSource(const Store& store) : store_(store) {}

  // Errors: proof.missing_hash for a node the store does not (yet) hold, and
  // the store's errors other than not_found.
  Result<void> get_hashes(std::span<const proofs::NodeId> ids, std::span<proofs::Hash32> out) const override;

 private:
  const Store& store_;
};

}  // namespace verun::log
