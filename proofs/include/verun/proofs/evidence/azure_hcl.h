// Azure confidential-VM HCL report (the "HCL report" the paravisor exposes):
// an SEV-SNP ATTESTATION_REPORT at 0x20 followed by variable runtime data
// whose SHA-256 is bound into REPORT_DATA[0, 32) (DESIGN.md §5, sev-snp).
// Byte level and hashing only; the SNP report itself is verified by
// sev_snp.h. Stateless and thread-safe.
#pragma once

#include <cstdint>

#include "verun/proofs/bytes.h"
#include "verun/result.h"

namespace verun::proofs {

inline constexpr std::size_t kHclReportOffset = 0x20;      // the embedded SNP report
inline constexpr std::size_t kHclHashTypeOffset = 0x4CC;   // u32, 1 = SHA-256
inline constexpr std::size_t kHclDataSizeOffset = 0x4D0;   // u32 variable data size
inline constexpr std::size_t kHclDataOffset = 0x4D4;       // the runtime data
inline constexpr std::uint32_t kHclHashTypeSha256 = 1;

// Views into the caller's buffer; valid only while it lives.
struct AzureHclReport {
  ByteView snp_report;    // exactly kSnpReportSize (1184) bytes
  std::uint32_t hash_type = 0;
  ByteView runtime_data;  // the variable data, size as its length field says
};

// Checks every offset and length against the buffer; no hashing.
Result<AzureHclReport> parse_azure_hcl_report(ByteView data);

// hash type is SHA-256, REPORT_DATA[0, 32) == SHA-256(runtime data) and
// REPORT_DATA[32, 64) is zero.
Result<void> verify_azure_hcl_binding(const AzureHclReport& hcl);

}  // namespace verun::proofs
