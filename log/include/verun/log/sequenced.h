// What the log answers a submitter once an entry is sequenced, durable and
// covered by a signed checkpoint (DESIGN.md §6 `POST /v1/entries`): its
// index, its RFC 9162 leaf hash, and whether it was already in the log.
// A plain value type; thread-compatible.
#pragma once

#include <cstdint>

#include "verun/proofs/bytes.h"

namespace verun::log {

struct Sequenced {
  std::uint64_t index = 0;
  proofs::Hash32 leaf_hash{};
  // True when the entry was already in the log (or earlier in the same
  // batch): index is then the existing entry's index and nothing was written.
  bool duplicate = false;

  friend bool operator==(const Sequenced&, const Sequenced&) = default;
};

}  // namespace verun::log
