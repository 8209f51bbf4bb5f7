// verify_evidence: the one entry point that verifies an Evidence object
// ({"format", "data", "certs", "collateral"}, DESIGN.md §4, §5) with the
// verifier of its format and returns normalized Claims: sim-v1, sev-snp-report
// (sev_snp.h), tdx-quote and sgx-quote (dcap.h), nitro-cose (nitro.h), each
// with its vendor's pinned roots only. Stateless and thread-safe.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "verun/proofs/evidence/claims.h"
#include "verun/proofs/intoto/predicate_types.h"
#include "verun/proofs/schema/rfc3339.h"
#include "verun/result.h"

namespace verun::proofs {

struct EvidenceOptions {
  // The time at which certificates and collateral must be valid (the as-of
  // time of DESIGN.md §5); unused by sim-v1, which has neither.
  std::optional<Timestamp> at;
  // Collateral bytes by collateral name: the exact bytes whose SHA-256 the
  // Evidence names in `collateral` (a bundle's collateral map fills this).
  // Each given entry must be named by the Evidence with that digest
  // (intel.collateral_digest_mismatch otherwise). tdx-quote / sgx-quote use
  // them (dcap.h); without any, only the quote is verified.
  std::map<std::string, Bytes> collateral_bytes;
  // DER certificates from --trust-dir (trust_dir.h), used to complete chains
  // (SNP without ASK/ARK, Nitro without its root); roots must still match a
  // pinned fingerprint, so these can never add a root.
  std::vector<Bytes> trusted_certs;
};

// Whether this build has a verifier for the format.
bool evidence_format_supported(EvidenceFormat format);

// Verifies the evidence and returns its claims. sim-v1 takes no certs and no
// collateral (evidence.unexpected_material otherwise); see sim.h for its
// other codes. sev-snp-report takes certs (see sev_snp.h) and no collateral
// but `amd_crl` (checked with amd_crl.h when its bytes are in collateral_bytes;
// nitro-cose takes neither: its chain is the cabundle). tdx-quote and sgx-quote (dcap.h, Intel
// root only) take no certs and the DCAP collateral names of dcap_collateral.h;
// their collateral is checked when collateral_bytes supplies it (all of the
// required names, intel.collateral_missing otherwise). evidence.unsupported_format for a format
// without a verifier.
Result<Claims> verify_evidence(const Evidence& evidence, const EvidenceOptions& options = {});

}  // namespace verun::proofs
