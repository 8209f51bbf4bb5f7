// Policy: what a relying party (or the log's admission) accepts, loaded from
// the policy JSON of DESIGN.md §5 (schemas/policy.schema.json) under the
// rules of §10: strict verun JSON of at most 1 MiB, unknown fields rejected,
// hand-written hex lowercased on load, an absent list accepts any value and
// an empty list none, a platform that is absent is not accepted, sim.roots
// required. A loaded Policy is immutable and safe to share between threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "verun/proofs/bytes.h"
#include "verun/proofs/crypto/ed25519.h"
#include "verun/proofs/json/strict_json.h"
#include "verun/result.h"

namespace verun::verifier {

using proofs::Hash32;
using proofs::Json;

inline constexpr std::size_t kMaxPolicyTextBytes = std::size_t{1} << 20;  // DESIGN.md §10

// An allowlist: nullopt (the field was absent) accepts any value; an empty
// list accepts none.
template <typename T>
using AllowList = std::optional<std::vector<T>>;

template <typename T>
bool allows(const AllowList<T>& list, const T& value) {
  if (!list) return true;
  for (const auto& v : *list)
    if (v == value) return true;
  return false;
}

// Hex values below are lowercase strings of the register's exact length.
struct SimPolicy {
  bool allow_insecure_simulation = false;    // absent means false
  std::vector<proofs::Ed25519PublicKey> roots;  // required; empty trusts no root
  AllowList<std::string> measurements;       // 96 hex (SHA-384)
  bool allow_debug = false;                  // absent means false
  std::optional<std::uint64_t> min_tcb;
};

struct SevSnpPolicy {
  AllowList<std::string> measurements;       // 96 hex
  AllowList<std::string> host_data;          // 64 hex
  bool allow_debug = false;
  // Minimum REPORTED_TCB components (bootloader, tee, snp, microcode, fmc);
  // a component not named is not checked. 0..255 each.
  std::map<std::string, std::uint64_t> min_tcb;
};

struct TdxPolicy {
  AllowList<std::string> mrtd;                         // 96 hex
  std::map<int, std::vector<std::string>> rtmr;        // index 0..3 -> allowlist of 96 hex
  bool allow_debug = false;
  AllowList<std::string> tcb_status;                   // Intel TCB status names
};

struct SgxPolicy {
  AllowList<std::string> mrenclave;                    // 64 hex
  AllowList<std::string> mrsigner;                     // 64 hex
  AllowList<std::uint64_t> isv_prod_id;                // 0..65535
  std::optional<std::uint64_t> min_isv_svn;            // 0..65535
  bool allow_debug = false;
  AllowList<std::string> tcb_status;
};

struct NitroPolicy {
  std::map<int, std::vector<std::string>> pcr;         // index 0..31 -> allowlist of 96 hex
  bool allow_debug = false;
};

struct PlatformPolicies {
  std::optional<SimPolicy> sim;
  std::optional<SevSnpPolicy> sev_snp;
  std::optional<TdxPolicy> tdx;
  std::optional<SgxPolicy> sgx;
  std::optional<NitroPolicy> nitro;
};

// A `workloads` entry: matches by measurement, and by name when it has one.
struct WorkloadRule {
  std::optional<std::string> name;
  Hash32 measurement{};
};

struct Policy {
  std::optional<std::string> tlog_policy;    // C2SP tlog-policy text, validated on load
  PlatformPolicies platforms;
  AllowList<WorkloadRule> workloads;
  std::vector<std::string> revoked_keys;          // key_ids (64 lowercase hex)
  std::vector<std::string> revoked_measurements;  // lowercase hex, 32 or 48 bytes
  std::optional<std::int64_t> max_evidence_age_seconds;
  std::optional<std::int64_t> max_key_age_seconds;

  Json normalized = Json::object();  // the policy as parsed (hex lowercased)
  Hash32 digest{};                   // SHA-256(JCS(normalized))
};

// Loads a policy. Errors:
//   policy.too_large            text longer than kMaxPolicyTextBytes
//   policy.invalid              not strict verun JSON (floats, null, duplicate
//                               keys ...), or a wrong type, length, encoding or value
//   policy.unknown_field        a field (or platform) the format does not define
//   policy.missing_field        `platforms`, or a required member, is absent
//   policy.sim_roots_required   `platforms.sim` without `roots`
//   policy.bad_tlog_policy      `tlog_policy` is not a valid C2SP tlog-policy
Result<Policy> parse_policy(std::string_view text);

// The policy digest (SHA-256 of JCS of the policy as parsed), lowercase hex.
std::string policy_digest_hex(const Policy& policy);

}  // namespace verun::verifier
