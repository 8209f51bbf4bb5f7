// The evidence dispatcher (DESIGN.md §5); see evidence.h.
#include "verun/proofs/evidence/evidence.h"

#include <string>

#include "verun/proofs/evidence/sev_snp.h"
#include "verun/proofs/evidence/sim.h"

namespace verun::proofs {

bool evidence_format_supported(EvidenceFormat format) {
  return format == EvidenceFormat::kSimV1 || format == EvidenceFormat::kSevSnpReport;
}

Result<Claims> verify_evidence(const Evidence& evidence, const EvidenceOptions& options) {
  switch (evidence.format) {
    case EvidenceFormat::kSimV1:
      // A sim root signs the report directly: there is no chain and no
      // collateral that anything could check, so carrying some is an error.
      if (!evidence.certs.empty() || !evidence.collateral.empty())
        return Error(ErrorCode::kEvidenceUnexpectedMaterial, "sim-v1 evidence takes no certs and no collateral");
      return verify_sim_evidence(evidence.data);
    case EvidenceFormat::kSevSnpReport: {
      // AMD's CRL (`amd_crl`) is the only collateral SNP defines (DESIGN.md
      // §5); it is carried but not yet checked here.
      for (const auto& [name, digest] : evidence.collateral)
        if (name != "amd_crl")
          return Error(ErrorCode::kEvidenceUnexpectedMaterial, "sev-snp-report takes no collateral named " + name);
      // Only AMD's pinned roots: SevSnpOptions::extra_roots stays empty here.
      SevSnpOptions snp;
      snp.at = options.at;
      return verify_sev_snp_evidence(evidence.data, evidence.certs, snp);
    }
    case EvidenceFormat::kTdxQuote:
    case EvidenceFormat::kSgxQuote:
    case EvidenceFormat::kNitroCose:
      break;
  }
  return Error(ErrorCode::kEvidenceUnsupportedFormat,
               "no verifier for evidence format " + std::string(to_string(evidence.format)) + " in this build");
}

}  // namespace verun::proofs
