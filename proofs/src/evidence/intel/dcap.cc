// tdx-quote / sgx-quote verification: quote and QE report signatures, QE
// binding, PCK chain, collateral (TCB info, QE identity, CRLs) and TCB level
// matching (Intel DCAP Quote Library API, TDX DCAP QVL, PCS API v4); see
// dcap.h.
#include "verun/proofs/evidence/dcap.h"

#include <openssl/err.h>
#include <openssl/x509.h>

#include <algorithm>
#include <chrono>
#include <climits>
#include <cstdio>
#include <ctime>
#include <string>

#include "dcap_internal.h"
#include "verun/proofs/crypto/ecdsa.h"
#include "verun/proofs/hex.h"
#include "verun/proofs/sha2.h"

namespace verun::proofs {
namespace {

struct X509Free {
  void operator()(X509* x) const { X509_free(x); }
};
struct CrlFree {
  void operator()(X509_CRL* c) const { X509_CRL_free(c); }
};
using X509Ptr = std::unique_ptr<X509, X509Free>;
using CrlPtr = std::unique_ptr<X509_CRL, CrlFree>;

X509Ptr openssl_cert(const X509Cert& c) {
  const unsigned char* p = c.der().data();
  return X509Ptr(d2i_X509(nullptr, &p, static_cast<long>(c.der().size())));
}

Error not_current(const std::string& what, const Timestamp& at) {
  return Error(ErrorCode::kIntelCollateralNotCurrent, what + " is not current at " + format_rfc3339(at));
}

Result<void> check_current(const std::string& what, const Timestamp& issue, const Timestamp& next,
                           const Timestamp& at) {
  if (at < issue || next < at)
    return Error(ErrorCode::kIntelCollateralNotCurrent, what + " is not current at " + format_rfc3339(at) +
                                                            " (issueDate " + format_rfc3339(issue) +
                                                            ", nextUpdate " + format_rfc3339(next) + ")");
  return {};
}

Result<void> chain_valid_at(std::span<const X509Cert> certs, const Timestamp& at) {
  for (const X509Cert& c : certs) VERUN_TRY(c.verify_valid_at(at));
  return {};
}

// A CRL signed by `issuer`, current at `at`, revoking none of `subjects`.
Result<void> check_crl(ByteView crl_bytes, const X509Cert& issuer, const Timestamp& at,
                       std::span<const X509Cert* const> subjects, const std::string& what) {
  VERUN_ASSIGN_OR_RETURN(Bytes der, dcap_crl_der(crl_bytes));
  if (der.size() > static_cast<std::size_t>(INT_MAX)) return Error(ErrorCode::kIntelCollateralMalformed, what + " is too large");
  const unsigned char* p = der.data();
  CrlPtr crl(d2i_X509_CRL(nullptr, &p, static_cast<long>(der.size())));
  if (!crl || p != der.data() + der.size()) {
    ERR_clear_error();
    return Error(ErrorCode::kIntelCollateralMalformed, what + " is not one DER CRL");
  }
  X509Ptr iss = openssl_cert(issuer);
  if (!iss) return Error(ErrorCode::kX509Malformed, "issuer certificate of the " + what + " does not parse");
  if (X509_NAME_cmp(X509_CRL_get_issuer(crl.get()), X509_get_subject_name(iss.get())) != 0)
    return Error(ErrorCode::kIntelCollateralMismatch,
                 what + " is not issued by '" + issuer.subject_common_name() + "'");
  EVP_PKEY* key = X509_get0_pubkey(iss.get());
  if (!key || X509_CRL_verify(crl.get(), key) != 1) {
    ERR_clear_error();
    return Error(ErrorCode::kIntelCollateralBadSignature,
                 what + " signature does not verify under '" + issuer.subject_common_name() + "'");
  }
  const time_t floor_t = static_cast<time_t>(at.seconds);
  const time_t ceil_t = static_cast<time_t>(at.seconds + (at.nanos > 0 ? 1 : 0));
  const ASN1_TIME* this_update = X509_CRL_get0_lastUpdate(crl.get());
  const ASN1_TIME* next_update = X509_CRL_get0_nextUpdate(crl.get());
  if (!this_update || !next_update)
    return Error(ErrorCode::kIntelCollateralMalformed, what + " lacks thisUpdate or nextUpdate");
  int tu = ASN1_TIME_cmp_time_t(this_update, floor_t);
  int nu = ASN1_TIME_cmp_time_t(next_update, ceil_t);
  if (tu == -2 || nu == -2) return Error(ErrorCode::kIntelCollateralMalformed, what + " has an unreadable time");
  if (tu > 0 || nu < 0) return not_current(what, at);
  for (const X509Cert* s : subjects) {
    X509Ptr x = openssl_cert(*s);
    if (!x) return Error(ErrorCode::kX509Malformed, "certificate checked against the " + what + " does not parse");
    X509_REVOKED* rev = nullptr;
    if (X509_CRL_get0_by_serial(crl.get(), &rev, X509_get0_serialNumber(x.get())) == 1)
      return Error(ErrorCode::kIntelCertRevoked,
                   "certificate '" + s->subject_common_name() + "' is revoked by the " + what);
  }
  ERR_clear_error();
  return {};
}

struct SignedCollateral {
  Bytes signed_bytes;
  std::vector<X509Cert> chain;  // TCB signing certificate, ..., root
};

// A TCB info or QE identity body: signature under the TCB signing chain.
Result<SignedCollateral> verify_signed_body(ByteView body, ByteView issuer_chain, std::string_view key,
                                            const std::string& what, const Timestamp& at,
                                            std::span<const Hash32> extra_roots) {
  VERUN_ASSIGN_OR_RETURN(SignedBody sb, split_signed_body(body, key));
  Result<std::vector<X509Cert>> chain = dcap_parse_chain(issuer_chain, extra_roots, "Intel SGX TCB Signing");
  if (!chain) {
    if (chain.error().code == ErrorCode::kIntelQuoteMalformed)
      return Error(ErrorCode::kIntelCollateralMalformed, what + " issuer chain: " + chain.error().message);
    return chain.error();
  }
  VERUN_TRY(chain_valid_at(*chain, at));
  Result<EcdsaVerifier> verifier = EcdsaVerifier::from_spki_der(chain->front().spki_der());
  if (!verifier || verifier->curve() != EcdsaCurve::kP256)
    return Error(ErrorCode::kEvidenceChainInvalid, what + " signing certificate key is not an ECDSA P-256 key");
  if (!verifier->verify(sb.signed_bytes, sb.signature, EcdsaSignatureFormat::kP1363))
    return Error(ErrorCode::kIntelCollateralBadSignature,
                 what + " signature does not verify over the served bytes under '" +
                     chain->front().subject_common_name() + "'");
  return SignedCollateral{std::move(sb.signed_bytes), std::move(*chain)};
}

template <std::size_t N>
bool masked_equal(const std::array<std::uint8_t, N>& a, const std::array<std::uint8_t, N>& b,
                  const std::array<std::uint8_t, N>& mask) {
  for (std::size_t i = 0; i < N; ++i)
    if ((a[i] & mask[i]) != (b[i] & mask[i])) return false;
  return true;
}

template <std::size_t N>
bool all_le(const std::array<std::uint8_t, N>& level, const std::array<std::uint8_t, N>& have) {
  for (std::size_t i = 0; i < N; ++i)
    if (level[i] > have[i]) return false;
  return true;
}

void add_advisories(std::vector<std::string>& out, const std::vector<std::string>& ids) {
  for (const std::string& id : ids)
    if (std::find(out.begin(), out.end(), id) == out.end()) out.push_back(id);
}

std::string status_text(const std::optional<DcapTcbStatus>& s) {
  return s ? std::string(to_string(*s)) : "TcbNotSupported";
}

Claims make_claims(const DcapQuote& q, const DcapPckChain& chain) {
  Claims c;
  auto bytes = [](const auto& a) { return Bytes(a.begin(), a.end()); };
  if (q.td_body) {
    const TdReportBody& t = *q.td_body;
    c.format = std::string(kTdxFormatName);
    c.platform = Platform::kTdx;
    c.measurement = bytes(t.mr_td);
    c.measurements["mrtd"] = c.measurement;
    for (std::size_t i = 0; i < 4; ++i) c.measurements["rtmr" + std::to_string(i)] = bytes(t.rtmr[i]);
    c.measurements["mrseam"] = bytes(t.mr_seam);
    c.measurements["mrconfigid"] = bytes(t.mr_config_id);
    c.measurements["mrowner"] = bytes(t.mr_owner);
    c.measurements["mrownerconfig"] = bytes(t.mr_owner_config);
    c.debug = t.debug();
    c.tcb["tdx_module_svn"] = t.tee_tcb_svn[0];
    c.tcb["tdx_module_major"] = t.tee_tcb_svn[1];
    c.tcb_raw = bytes(t.tee_tcb_svn);
    c.report_data = t.report_data;
  } else {
    const SgxReportBody& s = *q.sgx_body;
    c.format = std::string(kSgxFormatName);
    c.platform = Platform::kSgx;
    c.measurement = bytes(s.mr_enclave);
    c.measurements["mrenclave"] = c.measurement;
    c.measurements["mrsigner"] = bytes(s.mr_signer);
    c.debug = s.debug();
    c.tcb["isv_prod_id"] = s.isv_prod_id;
    c.tcb["isv_svn"] = s.isv_svn;
    c.tcb_raw = bytes(s.cpu_svn);
    c.report_data = s.report_data;
  }
  c.tcb["pce_svn"] = chain.extensions.pce_svn;
  c.chain_fingerprints = {chain.leaf.fingerprint(), chain.intermediate.fingerprint(), chain.root.fingerprint()};
  return c;
}

}  // namespace

Result<DcapTcbEvaluation> evaluate_dcap_tcb(const DcapQuote& q, const PckExtensions& pck, const TcbInfo& tcb_info,
                                            const QeIdentity& qe_identity) {
  DcapTcbEvaluation ev;
  const bool tdx = q.td_body.has_value();
  // Platform level.
  for (const DcapTcbLevel& level : tcb_info.levels) {
    if (!all_le(level.sgx_components, pck.sgx_components) || level.pce_svn > pck.pce_svn) continue;
    if (tdx && (!level.tdx_components || !all_le(*level.tdx_components, q.td_body->tee_tcb_svn))) continue;
    ev.platform = level.status;
    add_advisories(ev.advisory_ids, level.advisory_ids);
    break;
  }
  // TDX module.
  if (tdx) {
    const TdReportBody& t = *q.td_body;
    const std::uint8_t major = t.tee_tcb_svn[1];
    const TdxModuleIdentity* module = nullptr;
    std::string name = "tdxModule";
    if (major > 0) {
      char id[8];
      std::snprintf(id, sizeof id, "TDX_%02X", static_cast<unsigned>(major));
      name = id;
      for (const TdxModuleIdentity& m : tcb_info.tdx_module_identities)
        if (m.id == name) module = &m;
      if (!module)
        return Error(ErrorCode::kIntelTdxModuleMismatch, "TCB info has no TDX module identity " + name);
    } else if (tcb_info.tdx_module) {
      module = &*tcb_info.tdx_module;
    }
    if (module) {
      if (module->mr_signer != t.mr_signer_seam)
        return Error(ErrorCode::kIntelTdxModuleMismatch,
                     "MRSIGNERSEAM " + hex_encode(t.mr_signer_seam) + " differs from " + name + "'s mrsigner");
      if (!masked_equal(t.seam_attributes, module->attributes, module->attributes_mask))
        return Error(ErrorCode::kIntelTdxModuleMismatch,
                     "SEAMATTRIBUTES " + hex_encode(t.seam_attributes) + " differ from " + name + "'s attributes");
      if (major > 0) {
        ev.tdx_module = DcapTcbStatus::kTcbNotSupported;
        for (const DcapIsvLevel& level : module->levels)
          if (level.isv_svn <= t.tee_tcb_svn[0]) {
            ev.tdx_module = level.status;
            add_advisories(ev.advisory_ids, level.advisory_ids);
            break;
          }
      }
    }
  }
  // QE identity.
  const SgxReportBody& qe = q.qe_report;
  if (qe.mr_signer != qe_identity.mr_signer)
    return Error(ErrorCode::kIntelQeIdentityMismatch, "QE MRSIGNER " + hex_encode(qe.mr_signer) +
                                                          " differs from the QE identity's " +
                                                          hex_encode(qe_identity.mr_signer));
  if (qe.isv_prod_id != qe_identity.isv_prod_id)
    return Error(ErrorCode::kIntelQeIdentityMismatch, "QE ISVPRODID " + std::to_string(qe.isv_prod_id) +
                                                          " differs from the QE identity's " +
                                                          std::to_string(qe_identity.isv_prod_id));
  if ((qe.misc_select & qe_identity.misc_select_mask) != (qe_identity.misc_select & qe_identity.misc_select_mask))
    return Error(ErrorCode::kIntelQeIdentityMismatch, "QE masked MISCSELECT differs from the QE identity's");
  if (!masked_equal(qe.attributes, qe_identity.attributes, qe_identity.attributes_mask))
    return Error(ErrorCode::kIntelQeIdentityMismatch,
                 "QE masked ATTRIBUTES " + hex_encode(qe.attributes) + " differ from the QE identity's");
  for (const DcapIsvLevel& level : qe_identity.levels)
    if (level.isv_svn <= qe.isv_svn) {
      ev.qe = level.status;
      add_advisories(ev.advisory_ids, level.advisory_ids);
      break;
    }
  if (!ev.platform || !ev.qe || ev.tdx_module == DcapTcbStatus::kTcbNotSupported) {
    ev.overall = DcapTcbStatus::kTcbNotSupported;
  } else {
    ev.overall = combine_tcb_status(*ev.platform, *ev.qe);
    if (ev.tdx_module) ev.overall = combine_tcb_status(ev.overall, *ev.tdx_module);
  }
  return ev;
}

Result<VerifiedDcap> verify_dcap_quote_detailed(ByteView quote_bytes, DcapTee tee, const DcapOptions& options) {
  VERUN_ASSIGN_OR_RETURN(DcapQuote q, parse_dcap_quote(quote_bytes));
  const bool is_tdx = q.td_body.has_value();
  if (is_tdx != (tee == DcapTee::kTdx))
    return Error(ErrorCode::kIntelQuoteUnsupported, std::string("evidence format ") +
                                                        (tee == DcapTee::kTdx ? "tdx-quote" : "sgx-quote") +
                                                        " carries a quote of TEE type " +
                                                        std::to_string(q.header.tee_type));
  std::shared_ptr<const DcapPckChain> chain;
  if (options.chain_cache) {
    VERUN_ASSIGN_OR_RETURN(chain, options.chain_cache->get(q.pck_chain_pem, options.extra_roots));
  } else {
    VERUN_ASSIGN_OR_RETURN(DcapPckChain c, verify_dcap_pck_chain(q.pck_chain_pem, options.extra_roots));
    chain = std::make_shared<const DcapPckChain>(std::move(c));
  }
  const Timestamp at = options.at ? *options.at : Timestamp::from_time_point(std::chrono::system_clock::now());
  VERUN_TRY(chain->leaf.verify_valid_at(at));
  VERUN_TRY(chain->intermediate.verify_valid_at(at));
  VERUN_TRY(chain->root.verify_valid_at(at));

  // Quote signature: ECDSA P-256 over header || [descriptor ||] body.
  VERUN_ASSIGN_OR_RETURN(EcdsaVerifier att_key, EcdsaVerifier::from_point(EcdsaCurve::kP256, q.attestation_key));
  if (!att_key.verify(quote_bytes.first(q.signed_size), q.signature, EcdsaSignatureFormat::kP1363))
    return Error(ErrorCode::kIntelQuoteBadSignature, "quote signature does not verify under the attestation key");
  // QE report signature by the PCK key.
  VERUN_ASSIGN_OR_RETURN(EcdsaVerifier pck_key, EcdsaVerifier::from_spki_der(chain->leaf.spki_der()));
  if (!pck_key.verify(q.qe_report_raw, q.qe_report_signature, EcdsaSignatureFormat::kP1363))
    return Error(ErrorCode::kIntelQeReportBadSignature, "QE report signature does not verify under the PCK key");
  // QE REPORTDATA = SHA-256(attestation key || QE authentication data) || 0^32.
  Bytes bound(q.attestation_key.begin(), q.attestation_key.end());
  append(bound, q.qe_auth_data);
  const Hash32 want = sha256(bound);
  const bool head = std::equal(want.begin(), want.end(), q.qe_report.report_data.begin());
  const bool tail = std::all_of(q.qe_report.report_data.begin() + 32, q.qe_report.report_data.end(),
                                [](std::uint8_t b) { return b == 0; });
  if (!head || !tail)
    return Error(ErrorCode::kIntelQeReportDataMismatch,
                 "QE REPORTDATA " + hex_encode(q.qe_report.report_data) +
                     " does not bind the attestation key and QE authentication data");

  VerifiedDcap out;
  out.claims = make_claims(q, *chain);
  out.pck = chain->extensions;

  if (!options.collateral) {
    if (options.require_collateral)
      return Error(ErrorCode::kIntelCollateralMissing, "DCAP collateral is required and none was given (" +
                                                           std::string("tcb_info, qe_identity, pck_crl, root_ca_crl") +
                                                           ")");
    out.quote = std::move(q);
    return out;
  }
  const DcapCollateral& col = *options.collateral;
  VERUN_ASSIGN_OR_RETURN(SignedCollateral tcb, verify_signed_body(col.tcb_info, col.tcb_info_issuer_chain, "tcbInfo",
                                                                  "TCB info", at, options.extra_roots));
  VERUN_ASSIGN_OR_RETURN(SignedCollateral qei,
                         verify_signed_body(col.qe_identity, col.qe_identity_issuer_chain, "enclaveIdentity",
                                            "QE identity", at, options.extra_roots));
  // Root CA CRL: by the root, revoking neither the PCK CA nor a TCB signer.
  std::vector<const X509Cert*> intermediates = {&chain->intermediate, &tcb.chain.front(), &qei.chain.front()};
  VERUN_TRY(check_crl(col.root_ca_crl, chain->root, at, intermediates, "root CA CRL"));
  // PCK CRL: by the PCK's CA, not revoking the PCK.
  if (!col.pck_crl_issuer_chain.empty()) {
    Result<std::vector<X509Cert>> crl_chain =
        dcap_parse_chain(col.pck_crl_issuer_chain, options.extra_roots, "Intel SGX PCK");
    if (!crl_chain) {
      if (crl_chain.error().code == ErrorCode::kIntelQuoteMalformed)
        return Error(ErrorCode::kIntelCollateralMalformed, "PCK CRL issuer chain: " + crl_chain.error().message);
      return crl_chain.error();
    }
  }
  const X509Cert* leaf[] = {&chain->leaf};
  VERUN_TRY(check_crl(col.pck_crl, chain->intermediate, at, leaf, "PCK CRL"));

  VERUN_ASSIGN_OR_RETURN(TcbInfo tcb_info, parse_tcb_info(tcb.signed_bytes));
  VERUN_ASSIGN_OR_RETURN(QeIdentity qe_identity, parse_qe_identity(qei.signed_bytes));
  VERUN_TRY(check_current("TCB info", tcb_info.issue_date, tcb_info.next_update, at));
  VERUN_TRY(check_current("QE identity", qe_identity.issue_date, qe_identity.next_update, at));
  const char* want_tcb_id = is_tdx ? "TDX" : "SGX";
  const char* want_qe_id = is_tdx ? "TD_QE" : "QE";
  if (tcb_info.id != want_tcb_id)
    return Error(ErrorCode::kIntelCollateralMismatch, "TCB info id " + tcb_info.id + " is not " + want_tcb_id);
  if (qe_identity.id != want_qe_id)
    return Error(ErrorCode::kIntelCollateralMismatch, "QE identity id " + qe_identity.id + " is not " + want_qe_id);
  if (tcb_info.fmspc != chain->extensions.fmspc)
    return Error(ErrorCode::kIntelCollateralMismatch, "TCB info FMSPC " + hex_encode(tcb_info.fmspc) +
                                                          " differs from the PCK certificate's " +
                                                          hex_encode(chain->extensions.fmspc));
  if (tcb_info.pce_id != chain->extensions.pce_id)
    return Error(ErrorCode::kIntelCollateralMismatch, "TCB info PCE-ID " + hex_encode(tcb_info.pce_id) +
                                                          " differs from the PCK certificate's " +
                                                          hex_encode(chain->extensions.pce_id));
  VERUN_ASSIGN_OR_RETURN(DcapTcbEvaluation ev, evaluate_dcap_tcb(q, chain->extensions, tcb_info, qe_identity));
  if (ev.overall == DcapTcbStatus::kTcbNotSupported)
    return Error(ErrorCode::kIntelTcbNotSupported, "TCB level not supported (platform " + status_text(ev.platform) +
                                                       ", QE " + status_text(ev.qe) + ")");
  if (ev.overall == DcapTcbStatus::kRevoked)
    return Error(ErrorCode::kIntelTcbRevoked, "the platform, TDX module or QE TCB is Revoked");
  out.claims.tcb_status = std::string(to_string(ev.overall));
  out.claims.advisory_ids = ev.advisory_ids;
  out.tcb = std::move(ev);
  out.quote = std::move(q);
  return out;
}

Result<Claims> verify_tdx_evidence(ByteView quote, const DcapOptions& options) {
  VERUN_ASSIGN_OR_RETURN(VerifiedDcap v, verify_dcap_quote_detailed(quote, DcapTee::kTdx, options));
  return std::move(v.claims);
}

Result<Claims> verify_sgx_evidence(ByteView quote, const DcapOptions& options) {
  VERUN_ASSIGN_OR_RETURN(VerifiedDcap v, verify_dcap_quote_detailed(quote, DcapTee::kSgx, options));
  return std::move(v.claims);
}

}  // namespace verun::proofs
