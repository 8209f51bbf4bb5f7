// Claims: what a verified piece of attestation evidence says, normalized
// across formats (DESIGN.md §5 "returns normalized claims"). Every evidence
// verifier in proofs/evidence/ (sim-v1 now; SEV-SNP, TDX, SGX, Nitro later)
// fills this one struct, and verifier/ matches it against a policy.
// A plain value type: copyable, no shared state, thread-compatible.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "verun/proofs/bytes.h"
#include "verun/proofs/intoto/predicate_types.h"
#include "verun/proofs/json/strict_json.h"
#include "verun/proofs/schema/rfc3339.h"

namespace verun::proofs {

// Names of measurement registers in Claims::measurements, one convention for
// all formats, so that a policy list maps to exactly one entry:
//   sim-v1          "measurement"            (SHA-384 of the runner executable)
//   sev-snp-report  "measurement", "host_data"
//   tdx-quote       "mrtd", "rtmr0".."rtmr3", "mrseam", "mrconfigid", "mrowner",
//                   "mrownerconfig"
//   sgx-quote       "mrenclave", "mrsigner"
//   nitro-cose      "pcr0".."pcr31"
inline constexpr const char* kMeasurementKey = "measurement";

// Names of TCB components in Claims::tcb:
//   sim-v1          "tcb"
//   sev-snp-report  "bootloader", "tee", "snp", "microcode", "fmc" (REPORTED_TCB)
//   sgx-quote       "isv_prod_id", "isv_svn", "pce_svn"
//   tdx-quote       "tdx_module_svn", "tdx_module_major", "pce_svn"
inline constexpr const char* kSimTcbKey = "tcb";

struct Claims {
  std::string format;                 // the evidence format name, e.g. "sim-v1"
  Platform platform = Platform::kSim;
  // The register the platform policy's `measurements` list is compared with
  // (sim, SEV-SNP: "measurement"; TDX: "mrtd"; SGX: "mrenclave"; Nitro: "pcr0").
  Bytes measurement;
  std::map<std::string, Bytes> measurements;     // every named register, see above
  bool debug = false;
  std::map<std::string, std::uint64_t> tcb;      // named TCB components, see above
  Bytes tcb_raw;                                 // the raw SVN bytes where the format has them
  std::optional<std::string> tcb_status;         // from collateral (Intel), when checked
  std::vector<std::string> advisory_ids;         // Intel advisories of the matched TCB levels
  Hash64 report_data{};                          // the 64-byte user-data field
  Bytes instance_id;                             // sim instance_id, SNP CHIP_ID, Nitro module id ...
  // SHA-256 of each certificate of the chain that signed the evidence, leaf
  // first and root last; for sim-v1 the SHA-256 of the 32-byte sim root key.
  std::vector<Hash32> chain_fingerprints;
  std::optional<Timestamp> timestamp;            // only where the format carries one (Nitro)
  // Nitro's optional payload fields, as carried (absent or CBOR null: nullopt).
  std::optional<Bytes> public_key;
  std::optional<Bytes> user_data;
  std::optional<Bytes> nonce;

  bool operator==(const Claims&) const = default;
};

// The claims as JSON for reports (DESIGN.md §8 `claims`): byte strings as
// lowercase hex, the timestamp as RFC 3339; absent optional parts omitted.
Json claims_to_json(const Claims& claims);

}  // namespace verun::proofs
