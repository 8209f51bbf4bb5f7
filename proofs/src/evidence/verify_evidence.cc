// The evidence dispatcher (DESIGN.md §5); see evidence.h.
#include "verun/proofs/evidence/evidence.h"

#include <algorithm>
#include <string>

#include "verun/proofs/hex.h"
#include "verun/proofs/sha2.h"

#include "verun/proofs/evidence/dcap.h"
#include "verun/proofs/evidence/nitro.h"
#include "verun/proofs/evidence/sev_snp.h"
#include "verun/proofs/evidence/sim.h"

namespace verun::proofs {

bool evidence_format_supported(EvidenceFormat format) {
  return format == EvidenceFormat::kSimV1 || format == EvidenceFormat::kSevSnpReport ||
         format == EvidenceFormat::kTdxQuote || format == EvidenceFormat::kSgxQuote ||
         format == EvidenceFormat::kNitroCose;
}

namespace {

// Every supplied collateral byte string is one the Evidence names, with the
// SHA-256 it names.
Result<void> check_collateral_bytes(const Evidence& evidence, const EvidenceOptions& options) {
  for (const auto& [name, bytes] : options.collateral_bytes) {
    auto it = evidence.collateral.find(name);
    if (it == evidence.collateral.end())
      return Error(ErrorCode::kIntelCollateralDigestMismatch, "collateral " + name + " is not named by the evidence");
    const Hash32 digest = sha256(bytes);
    if (digest != it->second)
      return Error(ErrorCode::kIntelCollateralDigestMismatch, "collateral " + name + " has SHA-256 " +
                                                                  hex_encode(digest) + ", the evidence names " +
                                                                  hex_encode(it->second));
  }
  return {};
}

// tdx-quote / sgx-quote: the PCK chain travels inside the quote, collateral
// by the names of dcap_collateral.h; only Intel's pinned root is trusted.
Result<Claims> verify_dcap_evidence(const Evidence& evidence, const EvidenceOptions& options, DcapTee tee) {
  const char* name = tee == DcapTee::kTdx ? "tdx-quote" : "sgx-quote";
  if (!evidence.certs.empty())
    return Error(ErrorCode::kEvidenceUnexpectedMaterial,
                 std::string(name) + " takes no certs (the PCK chain is inside the quote)");
  for (const auto& [cname, digest] : evidence.collateral)
    if (std::find(kDcapCollateralNames.begin(), kDcapCollateralNames.end(), cname) == kDcapCollateralNames.end())
      return Error(ErrorCode::kEvidenceUnexpectedMaterial, std::string(name) + " takes no collateral named " + cname);
  DcapOptions dcap;
  dcap.at = options.at;
  if (!options.collateral_bytes.empty()) {
    VERUN_ASSIGN_OR_RETURN(DcapCollateral collateral, dcap_collateral_from_map(options.collateral_bytes));
    dcap.collateral = std::move(collateral);
  }
  VERUN_ASSIGN_OR_RETURN(VerifiedDcap v, verify_dcap_quote_detailed(evidence.data, tee, dcap));
  return std::move(v.claims);
}

}  // namespace

Result<Claims> verify_evidence(const Evidence& evidence, const EvidenceOptions& options) {
  VERUN_TRY(check_collateral_bytes(evidence, options));
  switch (evidence.format) {
    case EvidenceFormat::kSimV1:
      // A sim root signs the report directly: there is no chain and no
      // collateral that anything could check, so carrying some is an error.
      if (!evidence.certs.empty() || !evidence.collateral.empty())
        return Error(ErrorCode::kEvidenceUnexpectedMaterial, "sim-v1 evidence takes no certs and no collateral");
      return verify_sim_evidence(evidence.data);
    case EvidenceFormat::kSevSnpReport: {
      // AMD's CRL (`amd_crl`) is the only collateral SNP defines (DESIGN.md
      // §5); it is checked when its bytes are supplied (check_collateral_bytes
      // has matched them with the digest the evidence names).
      for (const auto& [name, digest] : evidence.collateral)
        if (name != "amd_crl")
          return Error(ErrorCode::kEvidenceUnexpectedMaterial, "sev-snp-report takes no collateral named " + name);
      // Only AMD's pinned roots: SevSnpOptions::extra_roots stays empty here.
      SevSnpOptions snp;
      snp.at = options.at;
      snp.trusted_certs = options.trusted_certs;
      if (auto crl = options.collateral_bytes.find("amd_crl"); crl != options.collateral_bytes.end())
        snp.amd_crl = crl->second;
      return verify_sev_snp_evidence(evidence.data, evidence.certs, snp);
    }
    case EvidenceFormat::kTdxQuote:
      return verify_dcap_evidence(evidence, options, DcapTee::kTdx);
    case EvidenceFormat::kSgxQuote:
      return verify_dcap_evidence(evidence, options, DcapTee::kSgx);
    case EvidenceFormat::kNitroCose: {
      // The chain travels inside the document (cabundle); nothing else is used.
      if (!evidence.certs.empty() || !evidence.collateral.empty())
        return Error(ErrorCode::kEvidenceUnexpectedMaterial, "nitro-cose evidence takes no certs and no collateral");
      NitroOptions nitro;
      nitro.at = options.at;
      nitro.trusted_certs = options.trusted_certs;
      return verify_nitro_evidence(evidence.data, nitro);
    }
  }
  return Error(ErrorCode::kEvidenceUnsupportedFormat,
               "no verifier for evidence format " + std::string(to_string(evidence.format)) + " in this build");
}

}  // namespace verun::proofs
