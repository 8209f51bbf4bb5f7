// Transparency-log trust policies in the C2SP tlog-policy text format (`log`,
// `witness`, `group`, `quorum` lines), and the quorum decision over verified
// witness cosignatures, including the as-of time of DESIGN.md §10 (the
// earliest moment at which cosignatures up to that moment meet the quorum).
// C2SP tlog-policy §Policy file syntax and structure. Thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "verun/proofs/note/cosignature.h"
#include "verun/proofs/note/note_key.h"
#include "verun/result.h"

namespace verun::proofs {

// Our implementation limits (the spec asks for at least 32 of each).
inline constexpr std::size_t kMaxPolicyLogs = 256;
inline constexpr std::size_t kMaxPolicyWitnesses = 256;
inline constexpr std::size_t kMaxPolicyGroups = 256;
inline constexpr std::size_t kMaxPolicyBytes = 1 << 20;

struct TlogPolicy {
  struct Log {
    NoteVerifier key;  // Ed25519 (0x01)
    std::optional<std::string> url;
  };
  struct Witness {
    std::string name;  // the policy-local name (opaque octets)
    NoteVerifier key;  // cosignature/v1 (0x04)
    std::optional<std::string> url;
  };
  struct Group {
    std::string name;
    std::size_t threshold = 1;         // 1 <= threshold <= members.size()
    std::vector<std::string> members;  // earlier witnesses or groups
  };
  std::vector<Log> logs;
  std::vector<Witness> witnesses;
  std::vector<Group> groups;
  std::string quorum;  // a witness or group name, or "none"
};

// Strict parse: allowed octets (tab, newline, 0x20-0x7E, 0x80-0xFF), every
// line ends in a newline, names defined before use, no redefinition, `none`
// reserved, a name listed as a group member at most once in the file, no two
// logs or two witnesses with the same public key, log keys of type 0x01 and
// witness keys of type 0x04, exactly one quorum line. Errors:
// tlog_policy.malformed.
Result<TlogPolicy> parse_tlog_policy(std::string_view text);

// The witness keys, for verify_cosignatures / open_checkpoint.
std::vector<NoteVerifier> policy_witness_keys(const TlogPolicy& policy);

// Whether the cosignatures (already verified) meet the quorum. A cosignature
// counts for the witness whose key name and key ID it carries; a witness
// counts once however many lines it has.
bool quorum_met(const TlogPolicy& policy, std::span<const VerifiedCosignature> cosignatures);
// tlog_policy.quorum_not_met when quorum_met is false.
Result<void> verify_quorum(const TlogPolicy& policy, std::span<const VerifiedCosignature> cosignatures);
// The earliest timestamp T such that the cosignatures with timestamp <= T
// meet the quorum; 0 for `quorum none`; nullopt if the quorum is never met.
std::optional<std::uint64_t> quorum_time(const TlogPolicy& policy,
                                         std::span<const VerifiedCosignature> cosignatures);

}  // namespace verun::proofs
