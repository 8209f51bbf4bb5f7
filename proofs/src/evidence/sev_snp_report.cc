// SEV-SNP ATTESTATION_REPORT parsing (AMD pub. 56860, Table
// "ATTESTATION_REPORT Structure", "TCB_VERSION Structure", "Guest Policy
// Structure", and the ECDSA P-384 signature format table); see
// sev_snp_report.h.
#include "verun/proofs/evidence/sev_snp_report.h"

#include <algorithm>
#include <cstdio>
#include <string>

namespace verun::proofs {
namespace {

std::uint32_t le32(ByteView d, std::size_t off) {
  return static_cast<std::uint32_t>(d[off]) | static_cast<std::uint32_t>(d[off + 1]) << 8 |
         static_cast<std::uint32_t>(d[off + 2]) << 16 | static_cast<std::uint32_t>(d[off + 3]) << 24;
}

std::uint64_t le64(ByteView d, std::size_t off) {
  return static_cast<std::uint64_t>(le32(d, off)) | static_cast<std::uint64_t>(le32(d, off + 4)) << 32;
}

template <std::size_t N>
void copy_to(std::array<std::uint8_t, N>& dst, ByteView d, std::size_t off) {
  std::copy_n(d.begin() + static_cast<std::ptrdiff_t>(off), N, dst.begin());
}

std::string hex_offset(std::size_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%zx", v);
  return buf;
}

// [lo, hi) must be zero.
Result<void> must_be_zero(ByteView d, std::size_t lo, std::size_t hi) {
  for (std::size_t i = lo; i < hi; ++i) {
    if (d[i] != 0)
      return Error(ErrorCode::kEvidenceSnpReservedNonzero,
                   "reserved report byte " + hex_offset(i) + " (range " + hex_offset(lo) + ".." + hex_offset(hi) +
                       ") is not zero");
  }
  return {};
}

constexpr std::size_t kSignatureOffset = 0x2A0;
constexpr std::size_t kRsWidth = 72;    // R and S fields, little endian
constexpr std::size_t kP384Width = 48;  // significant bytes of a P-384 scalar

}  // namespace

std::string_view to_string(SnpProduct product) {
  switch (product) {
    case SnpProduct::kMilan: return "Milan";
    case SnpProduct::kGenoa: return "Genoa";
    case SnpProduct::kTurin: return "Turin";
  }
  return "unknown";
}

SnpTcb decode_snp_tcb(std::uint64_t raw, SnpProduct product) {
  auto byte = [raw](int i) { return static_cast<std::uint8_t>(raw >> (8 * i)); };
  SnpTcb t;
  t.raw = raw;
  if (product == SnpProduct::kTurin) {
    t.fmc = byte(0);
    t.bootloader = byte(1);
    t.tee = byte(2);
    t.snp = byte(3);
    t.microcode = byte(7);
  } else {
    t.bootloader = byte(0);
    t.tee = byte(1);
    t.snp = byte(6);
    t.microcode = byte(7);
  }
  return t;
}

Result<SnpReport> parse_sev_snp_report(ByteView d) {
  if (d.size() != kSnpReportSize)
    return Error(ErrorCode::kEvidenceSnpBadLength,
                 "SEV-SNP report is " + std::to_string(d.size()) + " bytes, not " + std::to_string(kSnpReportSize));
  SnpReport r;
  r.version = le32(d, 0x00);
  if (r.version != 2 && r.version != 3 && r.version != 5)
    return Error(ErrorCode::kEvidenceSnpUnsupportedVersion,
                 "SEV-SNP report version " + std::to_string(r.version) + " is not 2, 3 or 5");
  r.signature_algo = le32(d, 0x34);
  if (r.signature_algo != kSnpSignatureAlgoEcdsaP384Sha384)
    return Error(ErrorCode::kEvidenceSnpUnsupportedAlgorithm,
                 "SEV-SNP signature algorithm " + std::to_string(r.signature_algo) + " is not 1 (ECDSA P-384)");

  r.guest_svn = le32(d, 0x04);
  r.policy = le64(d, 0x08);
  if ((r.policy & kSnpPolicyReservedOne) == 0)
    return Error(ErrorCode::kEvidenceSnpReservedNonzero, "guest policy bit 17 (reserved, must be one) is zero");
  if ((r.policy & ~kSnpPolicyKnownBits) != 0)
    return Error(ErrorCode::kEvidenceSnpReservedNonzero, "guest policy sets a reserved bit above 25");
  copy_to(r.family_id, d, 0x10);
  copy_to(r.image_id, d, 0x20);
  r.vmpl = le32(d, 0x30);
  r.current_tcb = le64(d, 0x38);
  r.platform_info = le64(d, 0x40);

  std::uint32_t signer = le32(d, 0x48);
  if ((signer >> 5) != 0)
    return Error(ErrorCode::kEvidenceSnpReservedNonzero, "reserved bits 31:5 of the signer info at 0x48 are not zero");
  std::uint32_t key = (signer >> 2) & 7;
  if (key != 0 && key != 1 && key != 7)
    return Error(ErrorCode::kEvidenceSnpReservedNonzero,
                 "SIGNING_KEY value " + std::to_string(key) + " is reserved");
  r.author_key_en = (signer & 1) != 0;
  r.mask_chip_key = (signer & 2) != 0;
  r.signing_key = static_cast<SnpSigningKey>(key);
  VERUN_TRY(must_be_zero(d, 0x4C, 0x50));

  copy_to(r.report_data, d, 0x50);
  copy_to(r.measurement, d, 0x90);
  copy_to(r.host_data, d, 0xC0);
  copy_to(r.id_key_digest, d, 0xE0);
  copy_to(r.author_key_digest, d, 0x110);
  copy_to(r.report_id, d, 0x140);
  copy_to(r.report_id_ma, d, 0x160);
  r.reported_tcb = le64(d, 0x180);
  if (r.version >= 3) {
    r.cpuid_fam_id = d[0x188];
    r.cpuid_mod_id = d[0x189];
    r.cpuid_step = d[0x18A];
    VERUN_TRY(must_be_zero(d, 0x18B, 0x1A0));
  } else {
    VERUN_TRY(must_be_zero(d, 0x188, 0x1A0));
  }
  copy_to(r.chip_id, d, 0x1A0);
  r.committed_tcb = le64(d, 0x1E0);
  r.current_build = d[0x1E8];
  r.current_minor = d[0x1E9];
  r.current_major = d[0x1EA];
  VERUN_TRY(must_be_zero(d, 0x1EB, 0x1EC));
  r.committed_build = d[0x1EC];
  r.committed_minor = d[0x1ED];
  r.committed_major = d[0x1EE];
  VERUN_TRY(must_be_zero(d, 0x1EF, 0x1F0));
  r.launch_tcb = le64(d, 0x1F0);
  if (r.version >= 5) {
    r.launch_mit_vector = le64(d, 0x1F8);
    r.current_mit_vector = le64(d, 0x200);
    VERUN_TRY(must_be_zero(d, 0x208, kSignatureOffset));
  } else {
    VERUN_TRY(must_be_zero(d, 0x1F8, kSignatureOffset));
  }

  // Signature: R at 0x2A0 and S at 0x2E8, 72 bytes each, little endian and
  // zero-extended; a P-384 scalar has 48 bytes, so the top 24 must be zero.
  const std::size_t r_off = kSignatureOffset;
  const std::size_t s_off = kSignatureOffset + kRsWidth;
  VERUN_TRY(must_be_zero(d, r_off + kP384Width, r_off + kRsWidth));
  VERUN_TRY(must_be_zero(d, s_off + kP384Width, s_off + kRsWidth));
  VERUN_TRY(must_be_zero(d, s_off + kRsWidth, kSnpReportSize));
  for (std::size_t i = 0; i < kP384Width; ++i) {
    r.signature_p1363[i] = d[r_off + kP384Width - 1 - i];
    r.signature_p1363[kP384Width + i] = d[s_off + kP384Width - 1 - i];
  }
  return r;
}

std::optional<SnpProduct> snp_product_from_cpuid(const SnpReport& report) {
  if (!report.cpuid_fam_id || !report.cpuid_mod_id) return std::nullopt;
  std::uint8_t fam = *report.cpuid_fam_id;
  std::uint8_t mod = *report.cpuid_mod_id;
  if (fam == 0x19) {
    if (mod <= 0x0F) return SnpProduct::kMilan;
    if ((mod >= 0x10 && mod <= 0x1F) || (mod >= 0xA0 && mod <= 0xAF)) return SnpProduct::kGenoa;
    return std::nullopt;
  }
  if (fam == 0x1A && mod <= 0x1F) return SnpProduct::kTurin;
  return std::nullopt;
}

}  // namespace verun::proofs
