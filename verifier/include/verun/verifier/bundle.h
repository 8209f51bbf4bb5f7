// The bundle a relying party verifies (DESIGN.md §8): the receipt and the
// registration, each a DSSE envelope with its C2SP tlog-proof, plus the
// collateral the registration names, read under §10's rules (strict verun
// JSON of at most 4 MiB, unknown fields rejected, exact mediaType, collateral
// keyed by the SHA-256 of its bytes). Parsing checks shape only; signatures,
// proofs and policy are verify_bundle.h's job. Stateless and thread-safe.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>

#include "verun/proofs/bytes.h"
#include "verun/proofs/dsse/envelope.h"
#include "verun/proofs/json/strict_json.h"
#include "verun/proofs/note/tlog_proof.h"
#include "verun/result.h"

namespace verun::verifier {

inline constexpr std::string_view kBundleMediaType = "application/vnd.verun.bundle.v1+json";
inline constexpr std::size_t kMaxBundleBytes = std::size_t{4} << 20;  // DESIGN.md §10

// One half: {"envelope": {...}, "proof": "<tlog-proof text>"}.
struct BundleEntry {
  proofs::Envelope envelope;   // read in EnvelopeMode::kVerifier
  std::string leaf;            // JCS(envelope as carried): the log leaf data
  proofs::TlogProof proof;     // parsed, nothing verified
  std::string proof_text;      // verbatim
};

struct Bundle {
  BundleEntry receipt;
  BundleEntry registration;
  // lowercase hex SHA-256 of the bytes -> the bytes (checked on parse).
  std::map<std::string, proofs::Bytes> collateral;
};

// Errors: bundle.too_large, bundle.malformed (JSON, types, base64),
// bundle.unknown_field, bundle.missing_field, bundle.bad_media_type,
// bundle.collateral_digest_mismatch; an envelope's dsse.* codes
// (dsse.too_large when its JCS exceeds 65,535 bytes); a proof's
// tlog_proof.* / note.* / checkpoint.* syntax codes. No partial result.
Result<Bundle> parse_bundle(std::string_view text);
Result<Bundle> parse_bundle_json(const proofs::Json& json);

// Parses bundles like parse_bundle (same results, same errors), remembering
// each registration half it parsed by its exact bytes, so that a batch of
// bundles of one registration reads that half once. Not thread-safe.
class BundleParser {
 public:
  BundleParser() = default;
  BundleParser(const BundleParser&) = delete;
  BundleParser& operator=(const BundleParser&) = delete;
  BundleParser(BundleParser&&) = default;
  BundleParser& operator=(BundleParser&&) = default;

  Result<Bundle> parse(std::string_view text);

 private:
  std::unordered_map<std::string, BundleEntry> registrations_;
  // The entry last parsed or found, or null: a node of registrations_
  // (stable across inserts and moves), reset whenever the map is cleared.
  const std::pair<const std::string, BundleEntry>* last_ = nullptr;
};

// The bundle as JSON (§8 shape) and as text (one line, no trailing newline).
proofs::Json bundle_to_json(const Bundle& bundle);
std::string format_bundle(const Bundle& bundle);

}  // namespace verun::verifier
