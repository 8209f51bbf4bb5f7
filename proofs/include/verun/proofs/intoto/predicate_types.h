// Types shared by verun's predicates (DESIGN.md §4, §5, §10): platforms,
// evidence formats and their platform links, the runner identity, evidence
// and workload references, with strict readers (unknown fields rejected, every
// value checked) and to_json writers. Readers return no partial state.
// Stateless, thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "verun/proofs/bytes.h"
#include "verun/proofs/crypto/ed25519.h"
#include "verun/proofs/json/strict_json.h"
#include "verun/proofs/schema/object_reader.h"
#include "verun/result.h"

namespace verun::proofs {

// The codes predicate readers use.
inline constexpr SchemaCodes kPredicateCodes{ErrorCode::kPredicateUnknownField, ErrorCode::kPredicateMissingField,
                                             ErrorCode::kPredicateInvalidField};

// Upper bounds on free-form strings (names, versions, ids), in bytes.
inline constexpr std::size_t kMaxNameBytes = 256;

enum class Platform { kSim, kSevSnp, kTdx, kSgx, kNitro };
enum class EvidenceFormat { kSimV1, kSevSnpReport, kTdxQuote, kSgxQuote, kNitroCose };

// "sim", "sev-snp", "tdx", "sgx", "nitro".
std::string_view to_string(Platform platform);
std::optional<Platform> platform_from_string(std::string_view name);
// "sim-v1", "sev-snp-report", "tdx-quote", "sgx-quote", "nitro-cose".
std::string_view to_string(EvidenceFormat format);
std::optional<EvidenceFormat> evidence_format_from_string(std::string_view name);
// The platform an evidence format belongs to (DESIGN.md §10 "Links").
Platform platform_of(EvidenceFormat format);

// {"name", "version", "measurement": DigestSet}.
struct WorkloadRef {
  std::string name;
  std::string version;
  Hash32 measurement{};
  bool operator==(const WorkloadRef&) const = default;
};

// {"platform", "signing_key", "hpke_key", "runner_version", "boot_id", "workloads"}.
struct RunnerIdentity {
  Platform platform = Platform::kSim;
  Ed25519PublicKey signing_key{};      // base64 of 32 bytes
  std::array<std::uint8_t, 32> hpke_key{};  // base64 of the 32-byte X25519 key
  std::string runner_version;
  std::array<std::uint8_t, 16> boot_id{};   // 32 lowercase hex
  std::vector<WorkloadRef> workloads;
  bool operator==(const RunnerIdentity&) const = default;
};

// {"format", "data", "certs"?, "collateral"?}; absent certs/collateral are empty.
struct Evidence {
  EvidenceFormat format = EvidenceFormat::kSimV1;
  Bytes data;                              // base64, non-empty
  std::vector<Bytes> certs;                // base64 DER each, non-empty
  std::map<std::string, Hash32> collateral;  // name ([a-z0-9_]+) -> DigestSet
  bool operator==(const Evidence&) const = default;
};

// Readers. `path` names the object in errors ("predicate.identity").
Result<WorkloadRef> parse_workload_ref(const Json& json, const std::string& path,
                                       SchemaCodes codes = kPredicateCodes);
Result<RunnerIdentity> parse_runner_identity(const Json& json, const std::string& path,
                                             SchemaCodes codes = kPredicateCodes);
Result<Evidence> parse_evidence(const Json& json, const std::string& path, SchemaCodes codes = kPredicateCodes);

// Writers (certs and collateral are omitted when empty).
Json to_json(const WorkloadRef& workload);
Json to_json(const RunnerIdentity& identity);
Json to_json(const Evidence& evidence);

}  // namespace verun::proofs
