// sev-snp-report evidence verification (DESIGN.md §5): the report signature
// (AMD pub. 56860, ECDSA P-384 / SHA-384 over [0, 0x2A0)), the chain VCEK or
// VLEK <- ASK or ASVK <- ARK (RSASSA-PSS SHA-384) to an AMD root pinned by
// SHA-256, validity at the as-of time, and the VCEK/VLEK extension binding
// (AMD "VCEK Certificate and KDS Interface Specification", pub. 57230:
// SPLs = REPORTED_TCB, hwID = CHIP_ID). Stateless and thread-safe.
#pragma once

#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "verun/proofs/bytes.h"
#include "verun/proofs/crypto/x509_chain.h"
#include "verun/proofs/evidence/claims.h"
#include "verun/proofs/evidence/sev_snp_report.h"
#include "verun/proofs/schema/rfc3339.h"
#include "verun/result.h"

namespace verun::proofs {

inline constexpr std::string_view kSevSnpFormatName = "sev-snp-report";
// certs = [VCEK or VLEK, ASK or ASVK, ARK], DER, leaf first (DESIGN.md §5).
inline constexpr std::size_t kSevSnpChainLength = 3;

// A root certificate trusted by SHA-256 of its DER, for one product line.
struct SnpTrustedRoot {
  Hash32 fingerprint{};
  SnpProduct product = SnpProduct::kMilan;
};

// AMD's ARKs for Milan, Genoa and Turin, pinned in code.
std::span<const SnpTrustedRoot> amd_snp_roots();

struct SevSnpOptions {
  // The as-of time at which every certificate must be valid; now when absent.
  std::optional<Timestamp> at;
  // Roots trusted besides AMD's. For unit tests with synthetic chains only:
  // nothing in a shipped binary fills this from a flag or a file.
  std::vector<SnpTrustedRoot> extra_roots;
  // DER certificates from a trust directory (trust_dir.h) completing a chain
  // carried without its ASK/ASVK and ARK, or without its ARK (see
  // complete_sev_snp_chain). They never add a root.
  std::vector<Bytes> trusted_certs;
  // AMD's CRL (`amd_crl` collateral bytes) when supplied: checked with
  // verify_amd_crl (amd_crl.h) against the chain at the as-of time.
  std::optional<Bytes> amd_crl;
};

// `certs` completed from `trusted`: a lone VCEK/VLEK gets the trusted
// ASK/ASVK that issued it and the pinned trusted ARK that issued that; a
// [leaf, ASK] pair gets the pinned trusted ARK that issued the ASK. Anything
// else (3 certificates already, nothing found) comes back unchanged, so that
// verify_sev_snp_chain reports what is missing.
std::vector<Bytes> complete_sev_snp_chain(std::span<const Bytes> certs, std::span<const Bytes> trusted,
                                          std::span<const SnpTrustedRoot> extra_roots = {});

// A chain whose links and pinning verified (validity not yet checked).
struct SevSnpChain {
  X509Cert leaf;          // VCEK or VLEK
  X509Cert intermediate;  // ASK or ASVK
  X509Cert root;          // ARK
  SnpProduct product = SnpProduct::kMilan;  // of the pinned root
  bool leaf_is_vlek = false;                // subject CN "SEV-VLEK"
};

// Checks the chain's shape and signatures:
//   evidence.chain_invalid    not exactly 3 certificates, a leaf whose CN is
//       neither SEV-VCEK nor SEV-VLEK, a leaf key that is not P-384, a link
//       whose names, CA flag, RSASSA-PSS SHA-384 algorithm or signature fail
//   evidence.root_not_pinned  the third certificate is not a pinned root
//   x509.malformed            a certificate does not parse as exact DER
Result<SevSnpChain> verify_sev_snp_chain(std::span<const Bytes> certs,
                                         std::span<const SnpTrustedRoot> extra_roots = {});

// Every certificate of the chain is valid at `at`
// (evidence.cert_expired / evidence.cert_not_yet_valid).
Result<void> verify_sev_snp_chain_validity(const SevSnpChain& chain, const Timestamp& at);

// The report's SIGNING_KEY names the kind of leaf offered
// (evidence.snp_signing_key_mismatch; also for SIGNING_KEY = none).
Result<void> verify_sev_snp_signing_key(const SnpReport& report, const SevSnpChain& chain);

// ECDSA P-384 / SHA-384 signature of report_bytes[0, 0x2A0) under the leaf's
// key (evidence.bad_signature). report_bytes is the raw report `report`
// was parsed from.
Result<void> verify_sev_snp_report_signature(const SnpReport& report, ByteView report_bytes, const X509Cert& leaf);

// REPORTED_TCB equals the leaf's blSPL, teeSPL, snpSPL, ucodeSPL (and fmcSPL
// on Turin) extensions: evidence.snp_tcb_mismatch, or
// evidence.cert_extension_malformed when one is missing or not an INTEGER.
Result<void> verify_sev_snp_tcb_binding(const SnpReport& report, SnpProduct product, const X509Cert& leaf);

// For a VCEK: CHIP_ID equals the hwID extension (64 bytes; Turin 8 bytes,
// the rest of CHIP_ID zero): evidence.snp_chip_id_mismatch, or
// evidence.cert_extension_malformed. Skipped for a VLEK (no hwID) and when
// MASK_CHIP_KEY is set.
Result<void> verify_sev_snp_chip_id(const SnpReport& report, SnpProduct product, const X509Cert& leaf,
                                    bool leaf_is_vlek);

// The product a VCEK or VLEK names in its productName extension
// (1.3.6.1.4.1.3704.1.2, an IA5String such as "Milan-B0", "Genoa", "Turin"),
// or nullopt when absent or unknown.
std::optional<SnpProduct> snp_product_from_certificate(const X509Cert& leaf);

struct VerifiedSevSnp {
  SnpReport report;
  SnpProduct product = SnpProduct::kMilan;
  SnpTcb current_tcb, reported_tcb, committed_tcb, launch_tcb;
  Claims claims;
};

// All of the above, in this order: parse (sev_snp_report.h), chain completed
// from options.trusted_certs, product
// (the root's; a v3+ report whose CPUID, or a leaf whose productName, names
// another product fails with evidence.snp_unknown_product), validity, the AMD
// CRL when options.amd_crl is set (amd_crl.*), signing key, report signature,
// chip id, TCB binding. A debug guest verifies (claims.debug is true): the
// policy decides. Claims: measurements "measurement" and "host_data", tcb
// from REPORTED_TCB ("bootloader", "tee", "snp", "microcode", "fmc" on
// Turin), tcb_raw the 8 REPORTED_TCB bytes as stored, instance_id CHIP_ID,
// chain fingerprints leaf, intermediate, root.
Result<VerifiedSevSnp> verify_sev_snp_evidence_detailed(ByteView report_bytes, std::span<const Bytes> certs,
                                                        const SevSnpOptions& options = {});
Result<Claims> verify_sev_snp_evidence(ByteView report_bytes, std::span<const Bytes> certs,
                                       const SevSnpOptions& options = {});

}  // namespace verun::proofs
