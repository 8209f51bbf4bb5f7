// nitro-cose evidence verification (DESIGN.md §5; AWS Nitro Enclaves User
// Guide "Verifying the root of trust"; COSE RFC 9052, CBOR RFC 8949): the
// attestation document's payload fields, its ES384 signature by the enclave
// leaf certificate, the chain leaf <- cabundle (reversed) <- AWS Nitro
// Enclaves Root-G1 pinned by SHA-256, validity at the as-of time (the
// document's own timestamp unless a time is given). Stateless, thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "verun/proofs/bytes.h"
#include "verun/proofs/crypto/x509_chain.h"
#include "verun/proofs/evidence/claims.h"
#include "verun/proofs/evidence/cose.h"
#include "verun/proofs/schema/rfc3339.h"
#include "verun/result.h"

namespace verun::proofs {

inline constexpr std::string_view kNitroFormatName = "nitro-cose";
inline constexpr std::size_t kNitroMaxDocumentSize = 16 * 1024;
inline constexpr std::size_t kNitroMaxPcrs = 32;          // indices 0..31
inline constexpr std::size_t kNitroMaxCabundle = 16;
inline constexpr std::size_t kNitroMaxCertSize = 1024;    // certificate, each cabundle entry
inline constexpr std::size_t kNitroMaxFieldSize = 1024;   // public_key, user_data, nonce
inline constexpr std::size_t kNitroMaxModuleIdSize = 256;

// The payload of an attestation document, field by field.
struct NitroDocument {
  std::string module_id;
  std::string digest;            // always "SHA384"
  std::uint64_t timestamp_ms = 0;
  std::map<std::uint32_t, Bytes> pcrs;  // index -> 32, 48 or 64 bytes
  Bytes certificate;             // DER, the enclave leaf
  std::vector<Bytes> cabundle;   // DER, root first
  // Absent and CBOR null both read as nullopt.
  std::optional<Bytes> public_key;
  std::optional<Bytes> user_data;
  std::optional<Bytes> nonce;

  Timestamp timestamp() const;
};

struct ParsedNitro {
  CoseSign1 cose;
  NitroDocument document;
};

// Parses the COSE_Sign1 (cose.h, at most kNitroMaxDocumentSize bytes) and its
// payload map. Errors besides cose.h's: nitro.payload_malformed (not a map of
// text keys; an unknown or repeated key; a field of the wrong type or length:
// module_id empty text, digest other than "SHA384", timestamp not a uint in
// 1..9999-12-31, pcrs not 1..32 entries of index 0..31 -> 32/48/64 bytes,
// certificate or cabundle entries not 1..1024 bytes, cabundle not 1..16
// entries, public_key not 1..1024 bytes, user_data or nonce over 1024 bytes),
// nitro.missing_field (module_id, digest, timestamp, pcrs with PCR0,
// certificate, cabundle).
Result<ParsedNitro> parse_nitro_document(ByteView data);

// SHA-256 of the DER of AWS Nitro Enclaves Root-G1 (roots/README.md).
const Hash32& aws_nitro_root_fingerprint();

struct NitroOptions {
  // The as-of time at which every certificate must be valid; the document's
  // timestamp when absent (DESIGN.md §5).
  std::optional<Timestamp> at;
  // Pinned roots replacing AWS's. For unit tests with synthetic chains only:
  // nothing in a shipped binary fills this from a flag or a file. Empty means
  // AWS Nitro Enclaves Root-G1.
  std::vector<Hash32> roots;
  // Certificates from a trust directory (trust_dir.h): when cabundle[0] is
  // not a pinned root, a pinned root among these that issued it completes the
  // chain. They can never add a root.
  std::vector<Bytes> trusted_certs;
};

// A chain whose pinning and links verified (validity not yet checked).
struct NitroChain {
  X509Cert leaf;
  std::vector<X509Cert> cas;  // root first, as in cabundle
};

// cabundle[0] (or a trusted certificate that issued it) is a pinned root and
// self-signed, each later entry is issued by the one before, the leaf by the
// last, all with ECDSA SHA-384, and the leaf key is P-384. Errors:
// evidence.root_not_pinned, evidence.chain_invalid, x509.malformed.
Result<NitroChain> verify_nitro_chain(const NitroDocument& document, std::span<const Hash32> roots = {},
                                      std::span<const Bytes> trusted_certs = {});

// Every certificate valid at `at` (evidence.cert_expired / cert_not_yet_valid).
Result<void> verify_nitro_chain_validity(const NitroChain& chain, const Timestamp& at);

// The ES384 signature over the Sig_structure under the leaf's key
// (evidence.bad_signature).
Result<void> verify_nitro_signature(const CoseSign1& cose, const X509Cert& leaf);

// Claims of a verified document: platform nitro; measurements "pcr<N>" for
// every PCR, measurement = PCR0; debug = PCR0 all zero (AWS: a debug enclave
// reports zero PCRs); report_data = user_data when it is exactly 64 bytes,
// else all zero (so that verun's report_data binding fails); instance_id the
// module_id's bytes; chain fingerprints leaf first, root last; timestamp;
// public_key, user_data and nonce when present.
Claims nitro_claims(const NitroDocument& document, const NitroChain& chain);

struct VerifiedNitro {
  NitroDocument document;
  Timestamp as_of;  // the time the chain was checked at
  Claims claims;
};

// All of the above, in this order: parse, chain, validity, signature.
// A debug enclave verifies (claims.debug is true): the policy decides.
Result<VerifiedNitro> verify_nitro_evidence_detailed(ByteView data, const NitroOptions& options = {});
Result<Claims> verify_nitro_evidence(ByteView data, const NitroOptions& options = {});

}  // namespace verun::proofs
