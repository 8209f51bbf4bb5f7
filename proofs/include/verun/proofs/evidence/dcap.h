// tdx-quote and sgx-quote evidence verification (DESIGN.md §5): the quote
// signature, the QE report signature and binding, the PCK chain to the Intel
// SGX Root CA pinned by SHA-256, and, with collateral, TCB info / QE identity
// signatures and currency, CRLs, FMSPC/PCE-ID, QE identity and TCB level
// matching (Intel DCAP Quote Library API, TDX DCAP Quote Verification
// Library, PCS API v4, SGX PCK Certificate and CRL Profile). Functions are
// stateless and thread-safe; DcapChainCache is internally synchronized.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "verun/proofs/bytes.h"
#include "verun/proofs/crypto/x509_chain.h"
#include "verun/proofs/evidence/claims.h"
#include "verun/proofs/evidence/dcap_collateral.h"
#include "verun/proofs/evidence/dcap_quote.h"
#include "verun/proofs/schema/rfc3339.h"
#include "verun/result.h"

namespace verun::proofs {

inline constexpr std::string_view kTdxFormatName = "tdx-quote";
inline constexpr std::string_view kSgxFormatName = "sgx-quote";
// SHA-256 of the DER of the Intel SGX Root CA (roots/README.md of the corpus).
inline constexpr std::string_view kIntelSgxRootFingerprintHex =
    "44a0196b2b99f889b8e149e95b807a350e7424964399e885a7cbb8ccfab674d3";
// The SGX extension of PCK certificates (SGX PCK Certificate and CRL Profile).
inline constexpr std::string_view kSgxExtensionOid = "1.2.840.113741.1.13.1";

// Which quote a caller expects: tdx-quote evidence must hold a TDX quote.
enum class DcapTee { kSgx, kTdx };

// What a PCK certificate's SGX extension says.
struct PckExtensions {
  std::array<std::uint8_t, 16> sgx_components{};  // .2.1 .. .2.16
  std::uint32_t pce_svn = 0;                       // .2.17
  std::array<std::uint8_t, 16> cpu_svn{};          // .2.18
  std::array<std::uint8_t, 2> pce_id{};            // .3
  std::array<std::uint8_t, 6> fmspc{};             // .4
  std::optional<std::array<std::uint8_t, 16>> ppid;  // .1
};

// Reads the SGX extension with OpenSSL's ASN.1 decoder, every element
// bounds- and type-checked: evidence.cert_extension_malformed when it is
// absent, not a SEQUENCE of (OID, value) pairs, or lacks TCB, PCE-ID or FMSPC.
Result<PckExtensions> parse_pck_extensions(const X509Cert& pck);

// The PCK chain from a quote's certification data, verified for shape,
// pinning and signatures (not yet for validity time or revocation).
struct DcapPckChain {
  X509Cert leaf;          // Intel SGX PCK Certificate
  X509Cert intermediate;  // Intel SGX PCK Platform CA or Processor CA
  X509Cert root;          // Intel SGX Root CA (pinned)
  PckExtensions extensions;
};

// evidence.chain_invalid (not 3 certificates, names, algorithms, links, leaf
// key not P-256), evidence.root_not_pinned, x509.malformed,
// intel.quote_malformed (PEM), evidence.cert_extension_malformed.
Result<DcapPckChain> verify_dcap_pck_chain(ByteView pem_chain, std::span<const Hash32> extra_roots = {});

// Remembers chains whose links and pinning verified, keyed by SHA-256 of the
// PEM bytes, so an appraiser seeing the same platform again skips the three
// certificate signature checks (validity and revocation are still checked on
// every call). Bounded: cleared when it reaches max_entries.
class DcapChainCache {
 public:
  explicit DcapChainCache(std::size_t max_entries = 1024) : max_entries_(max_entries) {}
  Result<std::shared_ptr<const DcapPckChain>> get(ByteView pem_chain, std::span<const Hash32> extra_roots);
  std::size_t size() const;

 private:
  std::size_t max_entries_;
  mutable std::mutex mu_;
  std::map<Hash32, std::shared_ptr<const DcapPckChain>> entries_;
};

struct DcapOptions {
  // The as-of time for certificates and collateral; now when absent.
  std::optional<Timestamp> at;
  // Roots trusted besides Intel's, by SHA-256 of their DER. For unit tests
  // with synthetic chains only: nothing in a shipped binary fills this.
  std::vector<Hash32> extra_roots;
  // Collateral; without it only the quote is verified (tcb_status absent).
  std::optional<DcapCollateral> collateral;
  // Fail with intel.collateral_missing when no collateral is given.
  bool require_collateral = false;
  // Optional cache of verified PCK chains (not owned).
  DcapChainCache* chain_cache = nullptr;
};

// The result of TCB level matching.
struct DcapTcbEvaluation {
  std::optional<DcapTcbStatus> platform;    // absent: no level matched
  std::optional<DcapTcbStatus> tdx_module;  // TDX with a module identity only
  std::optional<DcapTcbStatus> qe;          // absent: no level matched
  DcapTcbStatus overall = DcapTcbStatus::kTcbNotSupported;  // worst of the three
  std::vector<std::string> advisory_ids;    // of the matched levels, deduplicated
};

// Matches a TCB level (first in order whose SGX components and PCESVN are <=
// the PCK's, and for TDX whose TDX components are <= TEE_TCB_SVN), the TDX
// module identity TDX_%02X of TEE_TCB_SVN[1] when it is > 0 (MRSIGNERSEAM and
// masked SEAMATTRIBUTES must match: intel.tdx_module_mismatch), and the QE
// level (first whose ISVSVN <= the QE's). A missing match yields status
// TcbNotSupported, not an error. The QE's identity (MRSIGNER, ISVPRODID,
// masked MISCSELECT and ATTRIBUTES) must match: intel.qe_identity_mismatch.
Result<DcapTcbEvaluation> evaluate_dcap_tcb(const DcapQuote& quote, const PckExtensions& pck, const TcbInfo& tcb_info,
                                            const QeIdentity& qe_identity);

struct VerifiedDcap {
  DcapQuote quote;
  PckExtensions pck;
  std::optional<DcapTcbEvaluation> tcb;  // with collateral only
  Claims claims;
};

// Everything, in this order: parse (dcap_quote.h; a TEE type other than
// `tee` is intel.quote_unsupported), PCK chain, validity at the as-of time
// (evidence.cert_expired / cert_not_yet_valid), quote signature
// (intel.quote_bad_signature), QE report signature
// (intel.qe_report_bad_signature), QE report data binding
// (intel.qe_report_data_mismatch); then with collateral: TCB info and QE
// identity signatures and their TCB signing chains
// (intel.collateral_bad_signature, evidence.chain_invalid,
// evidence.root_not_pinned), root CA and PCK CRL signatures, issuers and
// revocation (intel.cert_revoked), currency of every item
// (intel.collateral_not_current), TCB info id / FMSPC / PCE-ID and QE
// identity id (intel.collateral_mismatch), evaluate_dcap_tcb, and a final
// status of TcbNotSupported (intel.tcb_not_supported) or Revoked
// (intel.tcb_revoked). A debug TD or enclave verifies (claims.debug): the
// policy decides.
Result<VerifiedDcap> verify_dcap_quote_detailed(ByteView quote, DcapTee tee, const DcapOptions& options = {});

// Claims: TDX measurement "mrtd"; measurements "mrtd", "rtmr0".."rtmr3",
// "mrseam", "mrconfigid", "mrowner", "mrownerconfig"; tcb "tdx_module_svn",
// "tdx_module_major", "pce_svn"; tcb_raw TEE_TCB_SVN. SGX measurement
// "mrenclave"; measurements "mrenclave", "mrsigner"; tcb "isv_prod_id",
// "isv_svn", "pce_svn"; tcb_raw CPUSVN. Both: report_data, chain
// fingerprints PCK, CA, root; instance_id empty; tcb_status and
// advisory_ids with collateral.
Result<Claims> verify_tdx_evidence(ByteView quote, const DcapOptions& options = {});
Result<Claims> verify_sgx_evidence(ByteView quote, const DcapOptions& options = {});

}  // namespace verun::proofs
