// report_data: the 64 bytes a runner puts in its TEE report to bind its
// identity (DESIGN.md §4, §10 "Bytes"):
//   SHA-512("verun/report-data/v1\n" || SHA-256(JCS(identity)) || nonce32)
// The boot registration binds the all-zero nonce. Stateless, thread-safe.
#pragma once

#include <string_view>

#include "verun/proofs/bytes.h"
#include "verun/proofs/intoto/predicate_types.h"
#include "verun/proofs/json/strict_json.h"
#include "verun/result.h"

namespace verun::proofs {

inline constexpr std::string_view kReportDataPrefix = "verun/report-data/v1\n";  // 21 ASCII bytes
inline constexpr Hash32 kZeroNonce{};

// SHA-256(JCS(identity)) of an identity JSON object, or of to_json(identity)
// (json.* codes if a value is outside verun's JSON profile, e.g. a
// caller-built string that is not valid UTF-8).
Result<Hash32> identity_digest(const Json& identity);
Result<Hash32> identity_digest(const RunnerIdentity& identity);

// report_data from an identity digest and the nonce.
Hash64 make_report_data(const Hash32& identity_digest, const Hash32& nonce);
Result<Hash64> make_report_data(const Json& identity, const Hash32& nonce);
Result<Hash64> make_report_data(const RunnerIdentity& identity, const Hash32& nonce);

}  // namespace verun::proofs
