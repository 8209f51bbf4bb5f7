// The SEV-SNP certificate table a host hands an SNP guest with an extended
// report (GHCB specification, "SNP Extended Guest Request": entries of GUID
// (16 bytes, RFC 4122 byte order), offset u32 LE, length u32 LE, ended by an
// all-zero GUID; configfs-tsm passes it as `auxblob`). Byte level only, no
// I/O; every offset and length is checked. Stateless and thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "verun/proofs/bytes.h"
#include "verun/result.h"

namespace verun::runner {

inline constexpr std::size_t kSnpCertTableEntrySize = 24;

// The certificates this build uses, DER as carried; anything else the host
// put in the table (a CRL, vendor entries) is named in ignored_guids.
struct SnpCertTable {
  std::optional<proofs::Bytes> vcek;
  std::optional<proofs::Bytes> vlek;
  std::optional<proofs::Bytes> ask;  // ASK, or the ASVK issuing a VLEK
  std::optional<proofs::Bytes> ark;
  std::vector<std::string> ignored_guids;  // lowercase 8-4-4-4-12 text
};

// Parses a table. An empty blob is an empty table (the host gave none).
// runner.tsm_bad_cert_table: no terminating entry inside the blob, an entry
// whose offset/length runs past the blob, points into the table itself or
// has length 0, or a GUID that appears twice.
Result<SnpCertTable> parse_snp_cert_table(proofs::ByteView blob);

// certs for sev-snp-report evidence (DESIGN.md §5): [leaf, ASK, ARK] where the
// leaf is the VLEK when `vlek_signed` (the report's SIGNING_KEY) else the
// VCEK; cut short at the first missing certificate, and empty without a leaf
// (the verifier then completes the chain from --trust-dir).
std::vector<proofs::Bytes> snp_chain_from_cert_table(const SnpCertTable& table, bool vlek_signed);

}  // namespace verun::runner
