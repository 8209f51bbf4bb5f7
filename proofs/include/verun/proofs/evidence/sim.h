// sim-v1: the insecure software evidence format of the `sim` platform
// (DESIGN.md §5 and §10 "Bytes"). Its data is the byte-exact RFC 8785 JCS of
//   {"report": {"version": 1, "measurement": <96 hex>, "report_data": <128 hex>,
//               "debug": bool, "tcb": int >= 0, "instance_id": <32 hex>},
//    "signature": <b64 Ed25519 over JCS(report)>, "root": <b64 sim root key>}
// Stateless and thread-safe.
#pragma once

#include <array>
#include <cstdint>

#include "verun/proofs/bytes.h"
#include "verun/proofs/crypto/ed25519.h"
#include "verun/proofs/evidence/claims.h"
#include "verun/proofs/json/strict_json.h"
#include "verun/result.h"

namespace verun::proofs {

inline constexpr std::string_view kSimFormatName = "sim-v1";
inline constexpr std::int64_t kSimReportVersion = 1;
// sim-v1 data is a few hundred bytes; anything beyond this is refused unread.
inline constexpr std::size_t kMaxSimEvidenceBytes = 4096;

using Sha384Digest = std::array<std::uint8_t, 48>;

// The fields of a sim-v1 report (the version is always 1).
struct SimReport {
  Sha384Digest measurement{};                // SHA-384 of the runner executable
  Hash64 report_data{};                      // see report_data.h
  bool debug = false;
  std::uint64_t tcb = 0;                     // at most 2^53 - 1
  std::array<std::uint8_t, 16> instance_id{};
  bool operator==(const SimReport&) const = default;
};

// The report object as JSON (lowercase hex, version 1).
Json sim_report_to_json(const SimReport& report);

// The sim-v1 evidence data, signed by root_key. kInvalidArgument when tcb is
// above 2^53 - 1.
Result<Bytes> make_sim_evidence(const Ed25519PrivateKey& root_key, const SimReport& report);

// Verifies sim-v1 data: strict verun JSON of at most kMaxSimEvidenceBytes,
// byte-exact JCS, exactly the fields above with their types and lengths
// (lowercase hex), version 1, and the Ed25519 signature over JCS(report)
// under the embedded root. Whether that root is trusted is the policy's job
// (verifier/), not this function's. On success the claims carry the root's
// SHA-256 as their only chain fingerprint. Errors:
//   evidence.malformed          not verun JSON, wrong type/length/encoding
//   evidence.unknown_field / evidence.missing_field
//   evidence.not_canonical      valid content, but not byte-exact JCS
//   evidence.unsupported_version  version is an integer other than 1
//   evidence.bad_signature      the signature does not verify under root
Result<Claims> verify_sim_evidence(ByteView data);

// As verify_sim_evidence, returning the report and the root key too.
struct VerifiedSimEvidence {
  SimReport report;
  Ed25519PublicKey root{};
  Claims claims;
};
Result<VerifiedSimEvidence> verify_sim_evidence_detailed(ByteView data);

}  // namespace verun::proofs
