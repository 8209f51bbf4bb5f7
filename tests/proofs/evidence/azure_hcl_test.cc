// parse_azure_hcl_report / verify_azure_hcl_binding on synthetic HCL reports:
// every length field truncated, an out-of-bounds size, a wrong hash type and
// a flipped runtime-data byte each give their own error code.
#include "verun/proofs/evidence/azure_hcl.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "tests/support/matchers.h"
#include "verun/proofs/evidence/sev_snp_report.h"
#include "verun/proofs/sha2.h"

namespace verun::proofs {
namespace {

using ::verun::testing::HasCode;
using ::verun::testing::IsOk;

void put_le32(Bytes& b, std::size_t off, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) b[off + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(v >> (8 * i));
}

// A well-formed HCL report whose REPORT_DATA binds `data`.
Bytes make_hcl(const Bytes& data) {
  Bytes hcl(kHclDataOffset + data.size(), 0);
  put_le32(hcl, kHclHashTypeOffset, kHclHashTypeSha256);
  put_le32(hcl, kHclDataSizeOffset, static_cast<std::uint32_t>(data.size()));
  std::copy(data.begin(), data.end(), hcl.begin() + static_cast<std::ptrdiff_t>(kHclDataOffset));
  Hash32 h = sha256(data);
  std::copy(h.begin(), h.end(), hcl.begin() + static_cast<std::ptrdiff_t>(kHclReportOffset + 0x50));
  return hcl;
}

const Bytes kData = {'{', '"', 'k', '"', ':', '1', '}'};

TEST(AzureHcl, WellFormedReportBinds) {
  Bytes hcl = make_hcl(kData);
  Result<AzureHclReport> r = parse_azure_hcl_report(hcl);
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->snp_report.size(), kSnpReportSize);
  EXPECT_EQ(r->snp_report.data(), hcl.data() + kHclReportOffset);
  EXPECT_EQ(Bytes(r->runtime_data.begin(), r->runtime_data.end()), kData);
  EXPECT_THAT(verify_azure_hcl_binding(*r), IsOk());
}

TEST(AzureHcl, EmptyRuntimeDataParses) {
  Bytes hcl = make_hcl({});
  Result<AzureHclReport> r = parse_azure_hcl_report(hcl);
  ASSERT_THAT(r, IsOk());
  EXPECT_TRUE(r->runtime_data.empty());
  EXPECT_THAT(verify_azure_hcl_binding(*r), IsOk());
}

TEST(AzureHcl, EveryTruncationIsRejected) {
  Bytes hcl = make_hcl(kData);
  // Before the end of the SNP report, and before the end of each length field.
  for (std::size_t n : {std::size_t{0}, kHclReportOffset, kHclReportOffset + kSnpReportSize - 1,
                        kHclHashTypeOffset + 3, kHclDataSizeOffset, kHclDataSizeOffset + 3, kHclDataOffset - 1}) {
    SCOPED_TRACE(n);
    EXPECT_THAT(parse_azure_hcl_report(ByteView(hcl).first(n)), HasCode(ErrorCode::kEvidenceHclTruncated));
  }
  // Inside the runtime data: the size field now points past the end.
  for (std::size_t n = kHclDataOffset; n < hcl.size(); ++n) {
    SCOPED_TRACE(n);
    EXPECT_THAT(parse_azure_hcl_report(ByteView(hcl).first(n)), HasCode(ErrorCode::kEvidenceHclDataOutOfBounds));
  }
}

TEST(AzureHcl, SizeFieldOutsideBufferIsRejected) {
  Bytes hcl = make_hcl(kData);
  for (std::uint32_t size : {static_cast<std::uint32_t>(kData.size() + 1), 0x7FFFFFFFu, 0xFFFFFFFFu}) {
    put_le32(hcl, kHclDataSizeOffset, size);
    EXPECT_THAT(parse_azure_hcl_report(hcl), HasCode(ErrorCode::kEvidenceHclDataOutOfBounds));
  }
}

TEST(AzureHcl, FlippedRuntimeDataByteBreaksBinding) {
  Bytes hcl = make_hcl(kData);
  for (std::size_t i = 0; i < kData.size(); ++i) {
    Bytes bad = hcl;
    bad[kHclDataOffset + i] ^= 0x01;
    Result<AzureHclReport> r = parse_azure_hcl_report(bad);
    ASSERT_THAT(r, IsOk());
    EXPECT_THAT(verify_azure_hcl_binding(*r), HasCode(ErrorCode::kEvidenceHclBindingMismatch));
  }
}

TEST(AzureHcl, NonZeroReportDataTailBreaksBinding) {
  Bytes hcl = make_hcl(kData);
  hcl[kHclReportOffset + 0x50 + 63] = 1;
  Result<AzureHclReport> r = parse_azure_hcl_report(hcl);
  ASSERT_THAT(r, IsOk());
  EXPECT_THAT(verify_azure_hcl_binding(*r), HasCode(ErrorCode::kEvidenceHclBindingMismatch));
}

TEST(AzureHcl, OtherHashTypeIsRejected) {
  Bytes hcl = make_hcl(kData);
  put_le32(hcl, kHclHashTypeOffset, 2);
  Result<AzureHclReport> r = parse_azure_hcl_report(hcl);
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->hash_type, 2u);
  EXPECT_THAT(verify_azure_hcl_binding(*r), HasCode(ErrorCode::kEvidenceHclHashTypeUnsupported));
}

TEST(AzureHcl, WrongSizedSnpReportViewIsRejected) {
  Bytes hcl = make_hcl(kData);
  AzureHclReport r = parse_azure_hcl_report(hcl).value();
  r.snp_report = r.snp_report.first(100);
  EXPECT_THAT(verify_azure_hcl_binding(r), HasCode(ErrorCode::kEvidenceHclTruncated));
}

}  // namespace
}  // namespace verun::proofs
