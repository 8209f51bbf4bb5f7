// Commitments to job inputs and outputs (DESIGN.md §4, §10 "Bytes"):
//   sha256    = SHA-256(data)                                   (public data)
//   salted-v1 = SHA-256("verun/commit/v1\n" || salt32 || data)  (private data)
// verify_commitment compares in constant time. CommitmentHasher streams large
// inputs; it is movable, not copyable, one object per thread. The free
// functions are stateless and thread-safe. The salt is never logged.
#pragma once

#include <cstdint>
#include <string_view>

#include "verun/proofs/bytes.h"
#include "verun/proofs/sha2.h"
#include "verun/result.h"

namespace verun::proofs {

enum class CommitmentScheme { kSha256, kSaltedV1 };

inline constexpr std::string_view kSaltedV1Prefix = "verun/commit/v1\n";  // 16 ASCII bytes
inline constexpr std::size_t kCommitmentSaltSize = 32;

// "sha256" or "salted-v1".
std::string_view to_string(CommitmentScheme scheme);
// kCommitmentBadScheme for any other name.
Result<CommitmentScheme> parse_commitment_scheme(std::string_view name);

// The salt must be empty for kSha256 and exactly 32 bytes for kSaltedV1
// (kCommitmentBadSalt otherwise).
Result<Hash32> compute_commitment(CommitmentScheme scheme, ByteView data, ByteView salt = {});
// kCommitmentMismatch when (data, salt) does not give `expected`;
// kCommitmentBadSalt as above. The comparison is constant-time.
Result<void> verify_commitment(CommitmentScheme scheme, const Hash32& expected, ByteView data,
                               ByteView salt = {});

// Streaming form: make(), update() any number of times, finish().
class CommitmentHasher {
 public:
  static Result<CommitmentHasher> make(CommitmentScheme scheme, ByteView salt = {});

  CommitmentHasher& update(ByteView data);
  // The commitment; the hasher must not be used afterwards except through make().
  Hash32 finish();
  // Bytes of data fed so far (the `size` a receipt records).
  std::uint64_t size() const { return size_; }

 private:
  CommitmentHasher() = default;
  Sha256 sha_;
  std::uint64_t size_ = 0;
};

}  // namespace verun::proofs
