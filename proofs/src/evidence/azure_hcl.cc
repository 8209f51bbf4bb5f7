// Azure HCL report parsing and runtime-data binding; see azure_hcl.h.
#include "verun/proofs/evidence/azure_hcl.h"

#include <algorithm>
#include <string>

#include "verun/proofs/ct_compare.h"
#include "verun/proofs/evidence/sev_snp_report.h"
#include "verun/proofs/sha2.h"

namespace verun::proofs {
namespace {

constexpr std::size_t kReportDataOffset = 0x50;  // within the SNP report
constexpr std::size_t kReportDataSize = 64;

std::uint32_t read_le32(ByteView data, std::size_t off) {
  return static_cast<std::uint32_t>(data[off]) | static_cast<std::uint32_t>(data[off + 1]) << 8 |
         static_cast<std::uint32_t>(data[off + 2]) << 16 | static_cast<std::uint32_t>(data[off + 3]) << 24;
}

}  // namespace

Result<AzureHclReport> parse_azure_hcl_report(ByteView data) {
  static_assert(kHclReportOffset + kSnpReportSize <= kHclHashTypeOffset);
  if (data.size() < kHclReportOffset + kSnpReportSize) {
    return Error{ErrorCode::kEvidenceHclTruncated,
                 "hcl report of " + std::to_string(data.size()) + " bytes is too short for its snp report"};
  }
  if (data.size() < kHclDataOffset) {
    return Error{ErrorCode::kEvidenceHclTruncated,
                 "hcl report of " + std::to_string(data.size()) + " bytes is too short for its runtime data header"};
  }
  AzureHclReport out;
  out.snp_report = data.subspan(kHclReportOffset, kSnpReportSize);
  out.hash_type = read_le32(data, kHclHashTypeOffset);
  const std::uint32_t size = read_le32(data, kHclDataSizeOffset);
  if (data.size() - kHclDataOffset < size) {
    return Error{ErrorCode::kEvidenceHclDataOutOfBounds,
                 "hcl runtime data size " + std::to_string(size) + " exceeds the " +
                     std::to_string(data.size() - kHclDataOffset) + " bytes after its header"};
  }
  out.runtime_data = data.subspan(kHclDataOffset, size);
  return out;
}

Result<void> verify_azure_hcl_binding(const AzureHclReport& hcl) {
  if (hcl.snp_report.size() != kSnpReportSize) {
    return Error{ErrorCode::kEvidenceHclTruncated,
                 "hcl snp report is " + std::to_string(hcl.snp_report.size()) + " bytes, not 1184"};
  }
  if (hcl.hash_type != kHclHashTypeSha256) {
    return Error{ErrorCode::kEvidenceHclHashTypeUnsupported,
                 "hcl runtime data hash type " + std::to_string(hcl.hash_type) + " is not 1 (sha-256)"};
  }
  const Hash32 digest = sha256(hcl.runtime_data);
  ByteView report_data = hcl.snp_report.subspan(kReportDataOffset, kReportDataSize);
  if (!ct_equal(ByteView(digest.data(), digest.size()), report_data.first(32)) ||
      !std::all_of(report_data.begin() + 32, report_data.end(), [](std::uint8_t b) { return b == 0; })) {
    return Error{ErrorCode::kEvidenceHclBindingMismatch,
                 "report_data does not hold the sha-256 of the hcl runtime data followed by zeros"};
  }
  return {};
}

}  // namespace verun::proofs
