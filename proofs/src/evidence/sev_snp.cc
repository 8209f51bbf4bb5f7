// sev-snp-report verification: signature, chain to a pinned AMD ARK, validity,
// VCEK/VLEK extension binding, claims (DESIGN.md §5; AMD pub. 56860 and the
// VCEK/VLEK certificate specifications); see sev_snp.h.
#include "verun/proofs/evidence/sev_snp.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <string>

#include "verun/proofs/crypto/ecdsa.h"
#include "verun/proofs/evidence/amd_crl.h"
#include "verun/proofs/hex.h"
#include "verun/proofs/sha2.h"

namespace verun::proofs {
namespace {

// SHA-256 of the DER of AMD's ARKs (cross-checked against the vector corpus'
// roots/amd/*.pem and roots/README.md).
constexpr std::array<std::pair<std::string_view, SnpProduct>, 3> kAmdRootHex = {{
    {"69d063b45344d26a2e94e1f4210de49ef555308287d4c174445c95639a540bcd", SnpProduct::kMilan},
    {"4c6598d19c18719c5dfd4a7d335f674e5bfe1d8f800cea2cf270c10d103db2f1", SnpProduct::kGenoa},
    {"1f084161a44bb6d93778a904877d4819cafa5d05ef4193b2ded9dd9c73dd3f6a", SnpProduct::kTurin},
}};

// VCEK/VLEK extension OIDs (arc 1.3.6.1.4.1.3704.1).
constexpr std::string_view kOidBlSpl = "1.3.6.1.4.1.3704.1.3.1";
constexpr std::string_view kOidTeeSpl = "1.3.6.1.4.1.3704.1.3.2";
constexpr std::string_view kOidSnpSpl = "1.3.6.1.4.1.3704.1.3.3";
constexpr std::string_view kOidUcodeSpl = "1.3.6.1.4.1.3704.1.3.8";
constexpr std::string_view kOidFmcSpl = "1.3.6.1.4.1.3704.1.3.9";
constexpr std::string_view kOidProductName = "1.3.6.1.4.1.3704.1.2";
constexpr std::string_view kOidHwId = "1.3.6.1.4.1.3704.1.4";

constexpr std::string_view kVcekCn = "SEV-VCEK";
constexpr std::string_view kVlekCn = "SEV-VLEK";

Result<std::uint64_t> spl_extension(const X509Cert& leaf, std::string_view oid, const char* name) {
  VERUN_ASSIGN_OR_RETURN(std::optional<Bytes> value, leaf.extension_value(oid));
  if (!value)
    return Error(ErrorCode::kEvidenceCertExtensionMalformed, std::string("leaf certificate lacks the ") + name +
                                                                 " extension " + std::string(oid));
  std::optional<std::uint64_t> v = parse_der_uint(*value);
  if (!v || *v > 255)
    return Error(ErrorCode::kEvidenceCertExtensionMalformed,
                 std::string("leaf certificate ") + name + " extension is not a DER INTEGER in 0..255");
  return *v;
}

Result<void> compare_spl(std::uint64_t cert, std::uint8_t report, const char* name) {
  if (cert != report)
    return Error(ErrorCode::kEvidenceSnpTcbMismatch, std::string("REPORTED_TCB ") + name + " SPL " +
                                                         std::to_string(report) + " differs from the certificate's " +
                                                         std::to_string(cert));
  return {};
}

Bytes tcb_bytes(std::uint64_t raw) {
  Bytes out(8);
  for (int i = 0; i < 8; ++i) out[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(raw >> (8 * i));
  return out;
}

}  // namespace

std::span<const SnpTrustedRoot> amd_snp_roots() {
  static const std::array<SnpTrustedRoot, 3> roots = [] {
    std::array<SnpTrustedRoot, 3> out{};
    for (std::size_t i = 0; i < kAmdRootHex.size(); ++i) {
      out[i].fingerprint = hex_decode32(kAmdRootHex[i].first).value();
      out[i].product = kAmdRootHex[i].second;
    }
    return out;
  }();
  return roots;
}

Result<SevSnpChain> verify_sev_snp_chain(std::span<const Bytes> certs, std::span<const SnpTrustedRoot> extra_roots) {
  if (certs.size() != kSevSnpChainLength)
    return Error(ErrorCode::kEvidenceChainInvalid, "SEV-SNP evidence carries " + std::to_string(certs.size()) +
                                                       " certificates, not 3 (VCEK or VLEK, ASK or ASVK, ARK)");
  VERUN_ASSIGN_OR_RETURN(X509Cert leaf, X509Cert::parse_der(certs[0]));
  VERUN_ASSIGN_OR_RETURN(X509Cert intermediate, X509Cert::parse_der(certs[1]));
  VERUN_ASSIGN_OR_RETURN(X509Cert root, X509Cert::parse_der(certs[2]));

  // The root is trusted by exact certificate, never by name.
  const Hash32 fp = root.fingerprint();
  std::optional<SnpProduct> product;
  for (const SnpTrustedRoot& r : amd_snp_roots())
    if (r.fingerprint == fp) product = r.product;
  for (const SnpTrustedRoot& r : extra_roots)
    if (!product && r.fingerprint == fp) product = r.product;
  if (!product)
    return Error(ErrorCode::kEvidenceRootNotPinned,
                 "root certificate '" + root.subject_common_name() + "' (SHA-256 " + hex_encode(fp) +
                     ") is not a pinned AMD root");

  const std::string cn = leaf.subject_common_name();
  if (cn != kVcekCn && cn != kVlekCn)
    return Error(ErrorCode::kEvidenceChainInvalid, "leaf certificate CN '" + cn + "' is neither SEV-VCEK nor SEV-VLEK");
  Result<EcdsaVerifier> key = EcdsaVerifier::from_spki_der(leaf.spki_der());
  if (!key || key->curve() != EcdsaCurve::kP384)
    return Error(ErrorCode::kEvidenceChainInvalid, "leaf certificate key is not an ECDSA P-384 key");

  VERUN_TRY(root.verify_issued_by(root, CertSignatureAlgorithm::kRsaPssSha384));
  VERUN_TRY(intermediate.verify_issued_by(root, CertSignatureAlgorithm::kRsaPssSha384));
  VERUN_TRY(leaf.verify_issued_by(intermediate, CertSignatureAlgorithm::kRsaPssSha384));

  SevSnpChain chain{std::move(leaf), std::move(intermediate), std::move(root), *product, cn == kVlekCn};
  return chain;
}

std::vector<Bytes> complete_sev_snp_chain(std::span<const Bytes> certs, std::span<const Bytes> trusted,
                                          std::span<const SnpTrustedRoot> extra_roots) {
  std::vector<Bytes> out(certs.begin(), certs.end());
  if (trusted.empty() || certs.empty() || certs.size() > 2) return out;
  auto is_pinned = [&](const X509Cert& c) {
    const Hash32 fp = c.fingerprint();
    for (const SnpTrustedRoot& r : amd_snp_roots())
      if (r.fingerprint == fp) return true;
    for (const SnpTrustedRoot& r : extra_roots)
      if (r.fingerprint == fp) return true;
    return false;
  };
  // The first trusted certificate that issued `child` (and is pinned, for a root).
  auto find_issuer = [&](const Bytes& child_der, bool want_root) -> std::optional<Bytes> {
    Result<X509Cert> child = X509Cert::parse_der(child_der);
    if (!child) return std::nullopt;
    for (const Bytes& der : trusted) {
      Result<X509Cert> t = X509Cert::parse_der(der);
      if (!t || is_pinned(*t) != want_root) continue;
      if (child->verify_issued_by(*t, CertSignatureAlgorithm::kRsaPssSha384)) return der;
    }
    return std::nullopt;
  };
  if (out.size() == 1) {
    std::optional<Bytes> intermediate = find_issuer(out[0], false);
    if (!intermediate) return out;
    out.push_back(std::move(*intermediate));
  }
  std::optional<Bytes> root = find_issuer(out[1], true);
  if (!root) return std::vector<Bytes>(certs.begin(), certs.end());
  out.push_back(std::move(*root));
  return out;
}

Result<void> verify_sev_snp_chain_validity(const SevSnpChain& chain, const Timestamp& at) {
  VERUN_TRY(chain.leaf.verify_valid_at(at));
  VERUN_TRY(chain.intermediate.verify_valid_at(at));
  VERUN_TRY(chain.root.verify_valid_at(at));
  return {};
}

Result<void> verify_sev_snp_signing_key(const SnpReport& report, const SevSnpChain& chain) {
  switch (report.signing_key) {
    case SnpSigningKey::kVcek:
      if (chain.leaf_is_vlek)
        return Error(ErrorCode::kEvidenceSnpSigningKeyMismatch, "report is signed by a VCEK but the leaf is a VLEK");
      return {};
    case SnpSigningKey::kVlek:
      if (!chain.leaf_is_vlek)
        return Error(ErrorCode::kEvidenceSnpSigningKeyMismatch, "report is signed by a VLEK but the leaf is a VCEK");
      return {};
    case SnpSigningKey::kNone:
      break;
  }
  return Error(ErrorCode::kEvidenceSnpSigningKeyMismatch, "report says it is not signed (SIGNING_KEY none)");
}

Result<void> verify_sev_snp_report_signature(const SnpReport& report, ByteView report_bytes, const X509Cert& leaf) {
  if (report_bytes.size() < kSnpSignedSize)
    return Error(ErrorCode::kEvidenceSnpBadLength, "SEV-SNP report is shorter than its signed part");
  Result<EcdsaVerifier> key = EcdsaVerifier::from_spki_der(leaf.spki_der());
  if (!key || key->curve() != EcdsaCurve::kP384)
    return Error(ErrorCode::kEvidenceChainInvalid, "leaf certificate key is not an ECDSA P-384 key");
  Result<void> ok = key->verify(report_bytes.first(kSnpSignedSize), report.signature_p1363,
                                EcdsaSignatureFormat::kP1363);
  if (!ok)
    return Error(ErrorCode::kEvidenceBadSignature, "SEV-SNP report signature does not verify under '" +
                                                       leaf.subject_common_name() + "'");
  return {};
}

Result<void> verify_sev_snp_tcb_binding(const SnpReport& report, SnpProduct product, const X509Cert& leaf) {
  const SnpTcb tcb = decode_snp_tcb(report.reported_tcb, product);
  VERUN_ASSIGN_OR_RETURN(std::uint64_t bl, spl_extension(leaf, kOidBlSpl, "blSPL"));
  VERUN_ASSIGN_OR_RETURN(std::uint64_t tee, spl_extension(leaf, kOidTeeSpl, "teeSPL"));
  VERUN_ASSIGN_OR_RETURN(std::uint64_t snp, spl_extension(leaf, kOidSnpSpl, "snpSPL"));
  VERUN_ASSIGN_OR_RETURN(std::uint64_t ucode, spl_extension(leaf, kOidUcodeSpl, "ucodeSPL"));
  VERUN_TRY(compare_spl(bl, tcb.bootloader, "boot loader"));
  VERUN_TRY(compare_spl(tee, tcb.tee, "TEE"));
  VERUN_TRY(compare_spl(snp, tcb.snp, "SNP"));
  VERUN_TRY(compare_spl(ucode, tcb.microcode, "microcode"));
  if (product == SnpProduct::kTurin) {
    VERUN_ASSIGN_OR_RETURN(std::uint64_t fmc, spl_extension(leaf, kOidFmcSpl, "fmcSPL"));
    VERUN_TRY(compare_spl(fmc, tcb.fmc.value_or(0), "FMC"));
  }
  return {};
}

Result<void> verify_sev_snp_chip_id(const SnpReport& report, SnpProduct product, const X509Cert& leaf,
                                    bool leaf_is_vlek) {
  if (leaf_is_vlek || report.mask_chip_key) return {};
  VERUN_ASSIGN_OR_RETURN(std::optional<Bytes> hwid, leaf.extension_value(kOidHwId));
  const std::size_t want = product == SnpProduct::kTurin ? 8 : 64;
  if (!hwid || hwid->size() != want)
    return Error(ErrorCode::kEvidenceCertExtensionMalformed,
                 "VCEK hwID extension is missing or not " + std::to_string(want) + " bytes");
  const bool prefix_equal = std::equal(hwid->begin(), hwid->end(), report.chip_id.begin());
  const bool rest_zero = std::all_of(report.chip_id.begin() + static_cast<std::ptrdiff_t>(want), report.chip_id.end(),
                                     [](std::uint8_t b) { return b == 0; });
  if (!prefix_equal || !rest_zero)
    return Error(ErrorCode::kEvidenceSnpChipIdMismatch, "CHIP_ID " + hex_encode(report.chip_id) +
                                                            " differs from the VCEK hwID " + hex_encode(*hwid));
  return {};
}

std::optional<SnpProduct> snp_product_from_certificate(const X509Cert& leaf) {
  Result<std::optional<Bytes>> value = leaf.extension_value(kOidProductName);
  if (!value || !*value) return std::nullopt;
  const Bytes& v = **value;
  // A short-form IA5String: tag 0x16, one length byte, the text.
  if (v.size() < 2 || v[0] != 0x16 || v[1] != v.size() - 2) return std::nullopt;
  std::string_view name(reinterpret_cast<const char*>(v.data() + 2), v.size() - 2);
  name = name.substr(0, name.find('-'));  // "Milan-B0" -> "Milan"
  for (SnpProduct p : {SnpProduct::kMilan, SnpProduct::kGenoa, SnpProduct::kTurin})
    if (name == to_string(p)) return p;
  return std::nullopt;
}

Result<VerifiedSevSnp> verify_sev_snp_evidence_detailed(ByteView report_bytes, std::span<const Bytes> certs,
                                                        const SevSnpOptions& options) {
  VERUN_ASSIGN_OR_RETURN(SnpReport report, parse_sev_snp_report(report_bytes));
  const std::vector<Bytes> full = complete_sev_snp_chain(certs, options.trusted_certs, options.extra_roots);
  VERUN_ASSIGN_OR_RETURN(SevSnpChain chain, verify_sev_snp_chain(full, options.extra_roots));
  const std::optional<SnpProduct> cpuid_product = snp_product_from_cpuid(report);
  if (cpuid_product && *cpuid_product != chain.product)
    return Error(ErrorCode::kEvidenceSnpUnknownProduct, "report CPUID names " + std::string(to_string(*cpuid_product)) +
                                                            " but the chain's root is for " +
                                                            std::string(to_string(chain.product)));
  const std::optional<SnpProduct> leaf_product = snp_product_from_certificate(chain.leaf);
  if (leaf_product && *leaf_product != chain.product)
    return Error(ErrorCode::kEvidenceSnpUnknownProduct, "leaf certificate names " +
                                                            std::string(to_string(*leaf_product)) +
                                                            " but the chain's root is for " +
                                                            std::string(to_string(chain.product)));
  const Timestamp at = options.at ? *options.at : Timestamp::from_time_point(std::chrono::system_clock::now());
  VERUN_TRY(verify_sev_snp_chain_validity(chain, at));
  if (options.amd_crl) {
    const X509Cert revocable[] = {chain.intermediate, chain.leaf};
    VERUN_TRY(verify_amd_crl(*options.amd_crl, chain.root, at, revocable));
  }
  VERUN_TRY(verify_sev_snp_signing_key(report, chain));
  VERUN_TRY(verify_sev_snp_report_signature(report, report_bytes, chain.leaf));
  VERUN_TRY(verify_sev_snp_chip_id(report, chain.product, chain.leaf, chain.leaf_is_vlek));
  VERUN_TRY(verify_sev_snp_tcb_binding(report, chain.product, chain.leaf));

  VerifiedSevSnp out;
  out.product = chain.product;
  out.current_tcb = decode_snp_tcb(report.current_tcb, chain.product);
  out.reported_tcb = decode_snp_tcb(report.reported_tcb, chain.product);
  out.committed_tcb = decode_snp_tcb(report.committed_tcb, chain.product);
  out.launch_tcb = decode_snp_tcb(report.launch_tcb, chain.product);

  Claims& c = out.claims;
  c.format = std::string(kSevSnpFormatName);
  c.platform = Platform::kSevSnp;
  c.measurement.assign(report.measurement.begin(), report.measurement.end());
  c.measurements[kMeasurementKey] = c.measurement;
  c.measurements["host_data"] = Bytes(report.host_data.begin(), report.host_data.end());
  c.debug = report.debug();
  c.tcb["bootloader"] = out.reported_tcb.bootloader;
  c.tcb["tee"] = out.reported_tcb.tee;
  c.tcb["snp"] = out.reported_tcb.snp;
  c.tcb["microcode"] = out.reported_tcb.microcode;
  if (out.reported_tcb.fmc) c.tcb["fmc"] = *out.reported_tcb.fmc;
  c.tcb_raw = tcb_bytes(report.reported_tcb);
  c.report_data = report.report_data;
  c.instance_id.assign(report.chip_id.begin(), report.chip_id.end());
  c.chain_fingerprints = {chain.leaf.fingerprint(), chain.intermediate.fingerprint(), chain.root.fingerprint()};
  out.report = std::move(report);
  return out;
}

Result<Claims> verify_sev_snp_evidence(ByteView report_bytes, std::span<const Bytes> certs,
                                       const SevSnpOptions& options) {
  VERUN_ASSIGN_OR_RETURN(VerifiedSevSnp v, verify_sev_snp_evidence_detailed(report_bytes, certs, options));
  return std::move(v.claims);
}

}  // namespace verun::proofs
