// Vendor attestation certificates through OpenSSL's X509 and EVP APIs
// (RFC 5280 §4.1 fields, §6.1.3 link checks, RFC 4055 §3 RSASSA-PSS); see
// x509_chain.h.
#include "verun/proofs/crypto/x509_chain.h"

#include <openssl/asn1.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/objects.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <climits>
#include <ctime>

#include "verun/proofs/sha2.h"

namespace verun::proofs {
namespace {

struct X509Free {
  void operator()(X509* x) const { X509_free(x); }
};
struct ObjFree {
  void operator()(ASN1_OBJECT* o) const { ASN1_OBJECT_free(o); }
};
struct IntFree {
  void operator()(ASN1_INTEGER* i) const { ASN1_INTEGER_free(i); }
};

Error malformed(const std::string& why) {
  ERR_clear_error();
  return Error(ErrorCode::kX509Malformed, "certificate " + why);
}

Error chain_invalid(const std::string& why) {
  ERR_clear_error();
  return Error(ErrorCode::kEvidenceChainInvalid, why);
}

const char* algorithm_name(CertSignatureAlgorithm a) {
  switch (a) {
    case CertSignatureAlgorithm::kRsaPssSha384: return "RSASSA-PSS with SHA-384";
    case CertSignatureAlgorithm::kEcdsaSha384: return "ECDSA with SHA-384";
    case CertSignatureAlgorithm::kEcdsaSha256: return "ECDSA with SHA-256";
  }
  return "unknown";
}

}  // namespace

struct X509Cert::Impl {
  std::unique_ptr<X509, X509Free> x509;
  // Computed once at parse time, so that no later call touches OpenSSL's
  // lazily filled caches of a shared object.
  int sig_md_nid = NID_undef;
  int sig_pk_nid = NID_undef;
  bool is_ca = false;
  std::string subject_cn;
};

X509Cert::X509Cert(const X509Cert&) = default;
X509Cert& X509Cert::operator=(const X509Cert&) = default;
X509Cert::X509Cert(X509Cert&&) noexcept = default;
X509Cert& X509Cert::operator=(X509Cert&&) noexcept = default;
X509Cert::~X509Cert() = default;

Result<X509Cert> X509Cert::parse_der(ByteView der) {
  if (der.empty()) return malformed("DER is empty");
  if (der.size() > static_cast<std::size_t>(INT_MAX)) return malformed("DER is too large");
  auto impl = std::make_shared<Impl>();
  const unsigned char* p = der.data();
  impl->x509.reset(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
  if (!impl->x509) return malformed("DER does not parse");
  if (p != der.data() + der.size()) return malformed("DER has trailing bytes");
  X509* x = impl->x509.get();
  // Fills the extension cache (basicConstraints, key usage ...) now.
  X509_check_purpose(x, -1, 0);
  std::uint32_t ext_flags = X509_get_extension_flags(x);
  if ((ext_flags & EXFLAG_INVALID) != 0) return malformed("has an invalid or duplicated standard extension");
  impl->is_ca = (ext_flags & EXFLAG_CA) != 0;
  int md_nid = NID_undef, pk_nid = NID_undef, secbits = 0;
  std::uint32_t sig_flags = 0;
  if (X509_get_signature_info(x, &md_nid, &pk_nid, &secbits, &sig_flags) == 1) {
    impl->sig_md_nid = md_nid;
    impl->sig_pk_nid = pk_nid;
  }
  X509_NAME* subject = X509_get_subject_name(x);
  int idx = subject ? X509_NAME_get_index_by_NID(subject, NID_commonName, -1) : -1;
  if (idx >= 0) {
    ASN1_STRING* s = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, idx));
    if (s && ASN1_STRING_length(s) >= 0)
      impl->subject_cn.assign(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                              static_cast<std::size_t>(ASN1_STRING_length(s)));
  }
  ERR_clear_error();
  X509Cert out;
  out.impl_ = std::move(impl);
  out.der_.assign(der.begin(), der.end());
  return out;
}

Hash32 X509Cert::fingerprint() const { return sha256(der_); }

Bytes X509Cert::spki_der() const {
  X509_PUBKEY* pub = X509_get_X509_PUBKEY(impl_->x509.get());
  if (!pub) return {};
  unsigned char* spki = nullptr;
  int len = i2d_X509_PUBKEY(pub, &spki);
  if (len <= 0) {
    ERR_clear_error();
    return {};
  }
  Bytes out(spki, spki + len);
  OPENSSL_free(spki);
  return out;
}

std::string X509Cert::subject_common_name() const { return impl_->subject_cn; }

bool X509Cert::is_ca() const { return impl_->is_ca; }

Result<void> X509Cert::verify_issued_by(const X509Cert& issuer, CertSignatureAlgorithm algorithm) const {
  X509* child = impl_->x509.get();
  X509* parent = issuer.impl_->x509.get();
  const std::string who = "certificate '" + subject_common_name() + "'";
  if (X509_NAME_cmp(X509_get_issuer_name(child), X509_get_subject_name(parent)) != 0)
    return chain_invalid(who + " names an issuer other than '" + issuer.subject_common_name() + "'");
  if (!issuer.is_ca()) return chain_invalid("issuer '" + issuer.subject_common_name() + "' is not a CA");
  int want_md = NID_undef, want_pk = NID_undef;
  switch (algorithm) {
    case CertSignatureAlgorithm::kRsaPssSha384: want_md = NID_sha384; want_pk = EVP_PKEY_RSA_PSS; break;
    case CertSignatureAlgorithm::kEcdsaSha384: want_md = NID_sha384; want_pk = EVP_PKEY_EC; break;
    case CertSignatureAlgorithm::kEcdsaSha256: want_md = NID_sha256; want_pk = EVP_PKEY_EC; break;
  }
  if (impl_->sig_md_nid != want_md || impl_->sig_pk_nid != want_pk)
    return chain_invalid(who + " is not signed with " + algorithm_name(algorithm));
  EVP_PKEY* key = X509_get0_pubkey(parent);
  if (!key) return chain_invalid("issuer '" + issuer.subject_common_name() + "' has no usable public key");
  if (X509_verify(child, key) != 1)
    return chain_invalid(who + " signature does not verify under '" + issuer.subject_common_name() + "'");
  ERR_clear_error();
  return {};
}

Result<void> X509Cert::verify_valid_at(const Timestamp& at) const {
  X509* x = impl_->x509.get();
  const std::string who = "certificate '" + subject_common_name() + "'";
  // notBefore <= at, and at <= notAfter (at rounded up when it has a fraction).
  time_t floor_t = static_cast<time_t>(at.seconds);
  time_t ceil_t = static_cast<time_t>(at.seconds + (at.nanos > 0 ? 1 : 0));
  int nb = ASN1_TIME_cmp_time_t(X509_get0_notBefore(x), floor_t);
  int na = ASN1_TIME_cmp_time_t(X509_get0_notAfter(x), ceil_t);
  if (nb == -2 || na == -2) return malformed("has an unreadable validity time");
  if (nb > 0)
    return Error(ErrorCode::kEvidenceCertNotYetValid, who + " is not yet valid at " + format_rfc3339(at));
  if (na < 0) return Error(ErrorCode::kEvidenceCertExpired, who + " has expired at " + format_rfc3339(at));
  return {};
}

Result<std::optional<Bytes>> X509Cert::extension_value(std::string_view dotted_oid) const {
  std::string oid(dotted_oid);
  std::unique_ptr<ASN1_OBJECT, ObjFree> obj(OBJ_txt2obj(oid.c_str(), 1));
  if (!obj) return malformed("extension OID '" + oid + "' is not a dotted OID");
  X509* x = impl_->x509.get();
  int idx = X509_get_ext_by_OBJ(x, obj.get(), -1);
  if (idx < 0) return std::optional<Bytes>{};
  if (X509_get_ext_by_OBJ(x, obj.get(), idx) >= 0) return malformed("has extension " + oid + " twice");
  X509_EXTENSION* ext = X509_get_ext(x, idx);
  ASN1_OCTET_STRING* data = ext ? X509_EXTENSION_get_data(ext) : nullptr;
  if (!data) return malformed("extension " + oid + " has no value");
  const unsigned char* p = ASN1_STRING_get0_data(data);
  int len = ASN1_STRING_length(data);
  if (len < 0) return malformed("extension " + oid + " has a negative length");
  return std::optional<Bytes>(Bytes(p, p + len));
}

std::optional<std::uint64_t> parse_der_uint(ByteView der) {
  if (der.empty() || der.size() > 32) return std::nullopt;
  const unsigned char* p = der.data();
  std::unique_ptr<ASN1_INTEGER, IntFree> v(d2i_ASN1_INTEGER(nullptr, &p, static_cast<long>(der.size())));
  if (!v || p != der.data() + der.size()) {
    ERR_clear_error();
    return std::nullopt;
  }
  std::uint64_t out = 0;
  if (ASN1_INTEGER_get_uint64(&out, v.get()) != 1) {
    ERR_clear_error();
    return std::nullopt;
  }
  return out;
}

}  // namespace verun::proofs
