// AMD KDS CRL checks through OpenSSL's X509_CRL API (RFC 5280 §5, RFC 4055
// §3 RSASSA-PSS parameters); see amd_crl.h.
#include "verun/proofs/evidence/amd_crl.h"

#include <openssl/asn1.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <ctime>
#include <memory>
#include <string>

#include "verun/proofs/hex.h"

namespace verun::proofs {
namespace {

struct CrlFree {
  void operator()(X509_CRL* c) const { X509_CRL_free(c); }
};
struct X509Free {
  void operator()(X509* x) const { X509_free(x); }
};
struct PssFree {
  void operator()(RSA_PSS_PARAMS* p) const { RSA_PSS_PARAMS_free(p); }
};

Error fail(ErrorCode code, const std::string& why) {
  ERR_clear_error();
  return Error(code, "AMD CRL " + why);
}

std::unique_ptr<X509, X509Free> to_x509(const X509Cert& c) {
  const unsigned char* p = c.der().data();
  return std::unique_ptr<X509, X509Free>(d2i_X509(nullptr, &p, static_cast<long>(c.der().size())));
}

// RSASSA-PSS whose hash is SHA-384.
bool is_pss_sha384(const X509_CRL* crl) {
  if (X509_CRL_get_signature_nid(crl) != NID_rsassaPss) return false;
  const ASN1_BIT_STRING* sig = nullptr;
  const X509_ALGOR* alg = nullptr;
  X509_CRL_get0_signature(crl, &sig, &alg);
  if (!alg) return false;
  int ptype = V_ASN1_UNDEF;
  const void* pval = nullptr;
  X509_ALGOR_get0(nullptr, &ptype, &pval, alg);
  if (ptype != V_ASN1_SEQUENCE || !pval) return false;
  const auto* seq = static_cast<const ASN1_STRING*>(pval);
  const unsigned char* p = ASN1_STRING_get0_data(seq);
  std::unique_ptr<RSA_PSS_PARAMS, PssFree> pss(d2i_RSA_PSS_PARAMS(nullptr, &p, ASN1_STRING_length(seq)));
  if (!pss || !pss->hashAlgorithm) return false;
  return OBJ_obj2nid(pss->hashAlgorithm->algorithm) == NID_sha384;
}

}  // namespace

Result<void> verify_amd_crl(ByteView crl_der, const X509Cert& ark, const Timestamp& at,
                            std::span<const X509Cert> revocable) {
  if (crl_der.empty() || crl_der.size() > kAmdCrlMaxSize)
    return fail(ErrorCode::kAmdCrlMalformed, "is " + std::to_string(crl_der.size()) + " bytes, not 1.." +
                                                 std::to_string(kAmdCrlMaxSize));
  const unsigned char* p = crl_der.data();
  std::unique_ptr<X509_CRL, CrlFree> crl(d2i_X509_CRL(nullptr, &p, static_cast<long>(crl_der.size())));
  if (!crl) return fail(ErrorCode::kAmdCrlMalformed, "is not a DER X.509 CRL");
  if (p != crl_der.data() + crl_der.size()) return fail(ErrorCode::kAmdCrlMalformed, "has trailing bytes");
  const ASN1_TIME* this_update = X509_CRL_get0_lastUpdate(crl.get());
  const ASN1_TIME* next_update = X509_CRL_get0_nextUpdate(crl.get());
  if (!this_update || !next_update) return fail(ErrorCode::kAmdCrlMalformed, "has no thisUpdate or nextUpdate");

  std::unique_ptr<X509, X509Free> ark_x509 = to_x509(ark);
  if (!ark_x509) return fail(ErrorCode::kAmdCrlBadSignature, "issuer certificate does not parse");
  if (X509_NAME_cmp(X509_CRL_get_issuer(crl.get()), X509_get_subject_name(ark_x509.get())) != 0)
    return fail(ErrorCode::kAmdCrlBadSignature, "is not issued by '" + ark.subject_common_name() + "'");
  if (!is_pss_sha384(crl.get())) return fail(ErrorCode::kAmdCrlBadSignature, "is not signed with RSASSA-PSS SHA-384");
  EVP_PKEY* key = X509_get0_pubkey(ark_x509.get());
  if (!key || X509_CRL_verify(crl.get(), key) != 1)
    return fail(ErrorCode::kAmdCrlBadSignature, "signature does not verify under '" + ark.subject_common_name() + "'");

  const auto floor_t = static_cast<time_t>(at.seconds);
  const auto ceil_t = static_cast<time_t>(at.seconds + (at.nanos > 0 ? 1 : 0));
  const int tu = ASN1_TIME_cmp_time_t(this_update, floor_t);
  const int nu = ASN1_TIME_cmp_time_t(next_update, ceil_t);
  if (tu == -2 || nu == -2) return fail(ErrorCode::kAmdCrlMalformed, "has an unreadable thisUpdate or nextUpdate");
  if (tu > 0) return fail(ErrorCode::kAmdCrlNotYetValid, "is not yet valid at " + format_rfc3339(at));
  if (nu < 0) return fail(ErrorCode::kAmdCrlExpired, "is stale at " + format_rfc3339(at) + " (nextUpdate passed)");

  for (const X509Cert& cert : revocable) {
    std::unique_ptr<X509, X509Free> x = to_x509(cert);
    if (!x) return fail(ErrorCode::kAmdCrlMalformed, "check: a chain certificate does not parse");
    const ASN1_INTEGER* serial = X509_get0_serialNumber(x.get());
    if (ASN1_INTEGER_get(serial) == 0) continue;  // AMD's VCEKs all carry serial 0
    X509_REVOKED* revoked = nullptr;
    if (X509_CRL_get0_by_serial(crl.get(), &revoked, serial) == 1)
      return fail(ErrorCode::kAmdCrlRevoked,
                  "revokes certificate '" + cert.subject_common_name() + "' (SHA-256 " + hex_encode(cert.fingerprint()) + ")");
  }
  ERR_clear_error();
  return {};
}

}  // namespace verun::proofs
