// Intel DCAP collateral as Intel's PCS serves it (Intel "Provisioning
// Certification Service for ECDSA Attestation" API v4: TCB info v2/v3 and
// enclave identity v2 response bodies, CRLs, issuer chains; DESIGN.md §5).
// Parsing only: the signed span of a body is located in the raw text, never
// re-serialized; dcap.h verifies signatures and evaluates TCB levels.
// Stateless and thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "verun/proofs/bytes.h"
#include "verun/proofs/schema/rfc3339.h"
#include "verun/result.h"

namespace verun::proofs {

// The collateral names of DESIGN.md §5, each the exact bytes Intel served:
// `tcb_info` and `qe_identity` the PCS response bodies
// ({"tcbInfo": {...}, "signature": "<hex>"} / {"enclaveIdentity": ...}),
// `pck_crl` and `root_ca_crl` a CRL as DER, PEM or hex of DER, the
// `*_issuer_chain`s PEM (the certificate chain PCS returns in its
// *-Issuer-Chain header, URL-decoded).
inline constexpr std::array<std::string_view, 8> kDcapCollateralNames = {
    "tcb_info",    "tcb_info_issuer_chain", "qe_identity",  "qe_identity_issuer_chain",
    "pck_crl",     "pck_crl_issuer_chain",  "root_ca_crl",  "root_ca_crl_issuer_chain"};
// The names that must all be present when any collateral is given.
inline constexpr std::array<std::string_view, 6> kDcapRequiredCollateral = {
    "tcb_info", "tcb_info_issuer_chain", "qe_identity", "qe_identity_issuer_chain", "pck_crl", "root_ca_crl"};

struct DcapCollateral {
  Bytes tcb_info;
  Bytes tcb_info_issuer_chain;
  Bytes qe_identity;
  Bytes qe_identity_issuer_chain;
  Bytes pck_crl;
  Bytes pck_crl_issuer_chain;  // optional: the quote's own chain is used
  Bytes root_ca_crl;
};

// From collateral bytes by name: every required name must be present
// (intel.collateral_missing naming the absent ones), no unknown name
// (evidence.unexpected_material).
Result<DcapCollateral> dcap_collateral_from_map(const std::map<std::string, Bytes>& by_name);

// A served body split into the signed JSON value (exact bytes) and the
// signature (64 bytes r || s, from its hex).
struct SignedBody {
  Bytes signed_bytes;
  std::array<std::uint8_t, 64> signature{};
};

// Finds `key` ("tcbInfo" or "enclaveIdentity") in the top-level object of
// `body` and returns the exact bytes of its value and the decoded
// "signature". intel.collateral_malformed when the body is not strict JSON,
// lacks either member, or the signature is not 128 hex digits.
Result<SignedBody> split_signed_body(ByteView body, std::string_view key);

// TCB statuses of Intel's PCS, best first.
enum class DcapTcbStatus {
  kUpToDate,
  kSwHardeningNeeded,
  kConfigurationNeeded,
  kConfigurationAndSwHardeningNeeded,
  kOutOfDate,
  kOutOfDateConfigurationNeeded,
  kRevoked,
  kTcbNotSupported,  // no level matched (not a status Intel lists in a level)
};
std::string_view to_string(DcapTcbStatus status);  // "UpToDate", ...
std::optional<DcapTcbStatus> parse_dcap_tcb_status(std::string_view text);
// The combination of two statuses (Intel QVL's convergence): the worse one,
// except that OutOfDate with a configuration status gives
// OutOfDateConfigurationNeeded.
DcapTcbStatus combine_tcb_status(DcapTcbStatus a, DcapTcbStatus b);

struct DcapTcbLevel {
  std::array<std::uint8_t, 16> sgx_components{};
  std::uint32_t pce_svn = 0;
  std::optional<std::array<std::uint8_t, 16>> tdx_components;  // TDX TCB info
  DcapTcbStatus status = DcapTcbStatus::kUpToDate;
  std::vector<std::string> advisory_ids;
};

// A TCB level of a TDX module identity or of a QE identity: one ISV SVN.
struct DcapIsvLevel {
  std::uint32_t isv_svn = 0;
  DcapTcbStatus status = DcapTcbStatus::kUpToDate;
  std::vector<std::string> advisory_ids;
};

struct TdxModuleIdentity {
  std::string id;  // "TDX_01" ...; empty for the top-level "tdxModule"
  std::array<std::uint8_t, 48> mr_signer{};
  std::array<std::uint8_t, 8> attributes{};
  std::array<std::uint8_t, 8> attributes_mask{};
  std::vector<DcapIsvLevel> levels;
};

struct TcbInfo {
  std::string id;  // "SGX" or "TDX" (absent in v2: "SGX")
  std::int64_t version = 0;
  Timestamp issue_date, next_update;
  std::array<std::uint8_t, 6> fmspc{};
  std::array<std::uint8_t, 2> pce_id{};
  std::optional<TdxModuleIdentity> tdx_module;
  std::vector<TdxModuleIdentity> tdx_module_identities;
  std::vector<DcapTcbLevel> levels;
};

struct QeIdentity {
  std::string id;  // "QE" or "TD_QE"
  Timestamp issue_date, next_update;
  std::uint32_t misc_select = 0;
  std::uint32_t misc_select_mask = 0;
  std::array<std::uint8_t, 16> attributes{};
  std::array<std::uint8_t, 16> attributes_mask{};
  std::array<std::uint8_t, 32> mr_signer{};
  std::uint16_t isv_prod_id = 0;
  std::vector<DcapIsvLevel> levels;
};

// The JSON value of "tcbInfo" (TCB info v2 with sgxtcbcompNNsvn, or v3 with
// sgxtcbcomponents / tdxtcbcomponents): intel.collateral_malformed on any
// missing or mistyped field, a component list not of 16, an unknown status.
Result<TcbInfo> parse_tcb_info(ByteView tcb_info_json);
// The JSON value of "enclaveIdentity" (version 2).
Result<QeIdentity> parse_qe_identity(ByteView enclave_identity_json);

// A CRL given as DER, PEM ("X509 CRL") or hex text of DER, as DER.
// intel.collateral_malformed otherwise.
Result<Bytes> dcap_crl_der(ByteView crl);

}  // namespace verun::proofs
