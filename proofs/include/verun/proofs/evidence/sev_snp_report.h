// The SEV-SNP ATTESTATION_REPORT structure, byte level only (AMD "SEV Secure
// Nested Paging Firmware ABI Specification", pub. 56860, §7.3 Table
// "ATTESTATION_REPORT Structure" and "TCB_VERSION Structure"): report
// versions 2, 3 and 5, 1184 bytes, little endian. No crypto and no I/O here;
// sev_snp.h verifies. Stateless and thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include "verun/proofs/bytes.h"
#include "verun/result.h"

namespace verun::proofs {

inline constexpr std::size_t kSnpReportSize = 0x4A0;       // 1184
inline constexpr std::size_t kSnpSignedSize = 0x2A0;       // signature covers [0, 0x2A0)
inline constexpr std::uint32_t kSnpSignatureAlgoEcdsaP384Sha384 = 1;

// Product lines: their TCB_VERSION layouts and AMD roots differ.
enum class SnpProduct { kMilan, kGenoa, kTurin };
std::string_view to_string(SnpProduct product);  // "Milan", "Genoa", "Turin"

// Which key signed the report (SIGNING_KEY, bits 4:2 at 0x48).
enum class SnpSigningKey { kVcek = 0, kVlek = 1, kNone = 7 };

// One decoded TCB_VERSION. Milan/Genoa: byte 0 boot loader, 1 TEE, 6 SNP,
// 7 microcode. Turin: 0 FMC, 1 boot loader, 2 TEE, 3 SNP, 7 microcode.
struct SnpTcb {
  std::uint64_t raw = 0;  // the little-endian u64 as stored
  std::uint8_t bootloader = 0;
  std::uint8_t tee = 0;
  std::uint8_t snp = 0;
  std::uint8_t microcode = 0;
  std::optional<std::uint8_t> fmc;  // Turin only
  bool operator==(const SnpTcb&) const = default;
};
SnpTcb decode_snp_tcb(std::uint64_t raw, SnpProduct product);

// Guest POLICY bits (ABI spec "Guest Policy Structure").
inline constexpr std::uint64_t kSnpPolicySmt = 1ull << 16;
inline constexpr std::uint64_t kSnpPolicyReservedOne = 1ull << 17;  // must be 1
inline constexpr std::uint64_t kSnpPolicyMigrateMa = 1ull << 18;
inline constexpr std::uint64_t kSnpPolicyDebug = 1ull << 19;
inline constexpr std::uint64_t kSnpPolicySingleSocket = 1ull << 20;
// Bits 21..25 (CXL_ALLOW, MEM_AES_256_XTS, RAPL_DIS, CIPHERTEXT_HIDING,
// PAGE_SWAP_DISABLE) are defined by newer firmware; 26..63 must be zero.
inline constexpr std::uint64_t kSnpPolicyKnownBits = (1ull << 26) - 1;

struct SnpReport {
  std::uint32_t version = 0;
  std::uint32_t guest_svn = 0;
  std::uint64_t policy = 0;
  std::array<std::uint8_t, 16> family_id{};
  std::array<std::uint8_t, 16> image_id{};
  std::uint32_t vmpl = 0;
  std::uint32_t signature_algo = 0;
  std::uint64_t current_tcb = 0;      // raw TCB_VERSION values; decode with
  std::uint64_t reported_tcb = 0;     // decode_snp_tcb once the product is
  std::uint64_t committed_tcb = 0;    // known
  std::uint64_t launch_tcb = 0;
  std::uint64_t platform_info = 0;
  bool author_key_en = false;
  bool mask_chip_key = false;
  SnpSigningKey signing_key = SnpSigningKey::kVcek;
  Hash64 report_data{};
  std::array<std::uint8_t, 48> measurement{};
  Hash32 host_data{};
  std::array<std::uint8_t, 48> id_key_digest{};
  std::array<std::uint8_t, 48> author_key_digest{};
  Hash32 report_id{};
  Hash32 report_id_ma{};
  // CPUID_FAM_ID, CPUID_MOD_ID, CPUID_STEP: version 3 and later.
  std::optional<std::uint8_t> cpuid_fam_id;
  std::optional<std::uint8_t> cpuid_mod_id;
  std::optional<std::uint8_t> cpuid_step;
  Hash64 chip_id{};
  std::uint8_t current_build = 0, current_minor = 0, current_major = 0;
  std::uint8_t committed_build = 0, committed_minor = 0, committed_major = 0;
  // LAUNCH_MIT_VECTOR, CURRENT_MIT_VECTOR: version 5 and later.
  std::optional<std::uint64_t> launch_mit_vector;
  std::optional<std::uint64_t> current_mit_vector;
  // The ECDSA P-384 signature as big-endian r || s (96 bytes), converted from
  // the report's 72-byte little-endian R and S.
  std::array<std::uint8_t, 96> signature_p1363{};

  bool debug() const { return (policy & kSnpPolicyDebug) != 0; }
  bool operator==(const SnpReport&) const = default;
};

// Parses a raw report. Checks, in this order:
//   evidence.snp_bad_length            size != 1184
//   evidence.snp_unsupported_version   VERSION not 2, 3 or 5
//   evidence.snp_unsupported_algorithm SIGNATURE_ALGO != 1
//   evidence.snp_reserved_nonzero      POLICY bit 17 clear or a bit above 25
//     set; 0x48 bits 31:5 or SIGNING_KEY 2..6; 0x4C..0x50; 0x188 (v2) or
//     0x18B (v3+) ..0x1A0; 0x1EB; 0x1EF; 0x1F8 (v2, v3) or 0x208 (v5)
//     ..0x2A0; the high 24 bytes of R and of S; the signature's reserved
//     tail 0x330..0x4A0
Result<SnpReport> parse_sev_snp_report(ByteView data);

// The product the report's CPUID bytes name (family 19h models 00h-0Fh
// Milan, 10h-1Fh and A0h-AFh Genoa; family 1Ah models 00h-1Fh Turin), or
// nullopt for version 2 reports and unknown CPUIDs.
std::optional<SnpProduct> snp_product_from_cpuid(const SnpReport& report);

}  // namespace verun::proofs
