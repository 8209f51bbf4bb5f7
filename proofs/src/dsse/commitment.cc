// sha256 and salted-v1 commitments (DESIGN.md §4, §10 "Bytes").
#include "verun/proofs/commitment.h"

#include <string>

#include "verun/proofs/ct_compare.h"

namespace verun::proofs {
namespace {

Result<void> check_salt(CommitmentScheme scheme, ByteView salt) {
  if (scheme == CommitmentScheme::kSha256 && !salt.empty())
    return Error(ErrorCode::kCommitmentBadSalt, "the sha256 commitment scheme takes no salt");
  if (scheme == CommitmentScheme::kSaltedV1 && salt.size() != kCommitmentSaltSize)
    return Error(ErrorCode::kCommitmentBadSalt,
                 "a salted-v1 salt is 32 bytes, got " + std::to_string(salt.size()));
  return ok();
}

}  // namespace

std::string_view to_string(CommitmentScheme scheme) {
  return scheme == CommitmentScheme::kSha256 ? "sha256" : "salted-v1";
}

Result<CommitmentScheme> parse_commitment_scheme(std::string_view name) {
  if (name == "sha256") return CommitmentScheme::kSha256;
  if (name == "salted-v1") return CommitmentScheme::kSaltedV1;
  return Error(ErrorCode::kCommitmentBadScheme, "unknown commitment scheme '" + std::string(name) + "'");
}

Result<CommitmentHasher> CommitmentHasher::make(CommitmentScheme scheme, ByteView salt) {
  VERUN_TRY(check_salt(scheme, salt));
  CommitmentHasher h;
  if (scheme == CommitmentScheme::kSaltedV1) {
    h.sha_.update(kSaltedV1Prefix);
    h.sha_.update(salt);
  }
  return h;
}

CommitmentHasher& CommitmentHasher::update(ByteView data) {
  sha_.update(data);
  size_ += data.size();
  return *this;
}

Hash32 CommitmentHasher::finish() { return sha_.finish(); }

Result<Hash32> compute_commitment(CommitmentScheme scheme, ByteView data, ByteView salt) {
  VERUN_ASSIGN_OR_RETURN(CommitmentHasher h, CommitmentHasher::make(scheme, salt));
  h.update(data);
  return h.finish();
}

Result<void> verify_commitment(CommitmentScheme scheme, const Hash32& expected, ByteView data, ByteView salt) {
  VERUN_ASSIGN_OR_RETURN(Hash32 got, compute_commitment(scheme, data, salt));
  if (!ct_equal(got, expected))
    return Error(ErrorCode::kCommitmentMismatch,
                 std::string("the data does not match the ") + std::string(to_string(scheme)) + " commitment");
  return ok();
}

}  // namespace verun::proofs
