// ECDSA P-256/P-384 verification through EVP. DER signatures are checked by
// OpenSSL, which rejects non-canonical encodings; P1363 (r || s) signatures
// are length-checked and converted to DER first.
#include "verun/proofs/crypto/ecdsa.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/x509.h>

#include <cstring>
#include <string>

#include "verun/proofs/sha2.h"

namespace verun::proofs {
namespace {

struct PkeyDeleter {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyDeleter>;

std::size_t field_bytes(EcdsaCurve c) { return c == EcdsaCurve::kP256 ? 32 : 48; }
const char* group_name(EcdsaCurve c) { return c == EcdsaCurve::kP256 ? "prime256v1" : "secp384r1"; }

Result<Bytes> p1363_to_der(EcdsaCurve curve, ByteView sig) {
  std::size_t n = field_bytes(curve);
  if (sig.size() != 2 * n)
    return Error(ErrorCode::kCryptoBadSignatureEncoding,
                 "a P1363 signature on this curve is " + std::to_string(2 * n) + " bytes, got " + std::to_string(sig.size()));
  ECDSA_SIG* s = ECDSA_SIG_new();
  BIGNUM* r = BN_bin2bn(sig.data(), static_cast<int>(n), nullptr);
  BIGNUM* ss = BN_bin2bn(sig.data() + n, static_cast<int>(n), nullptr);
  if (!s || !r || !ss || ECDSA_SIG_set0(s, r, ss) != 1) {
    ECDSA_SIG_free(s);
    BN_free(r);
    BN_free(ss);
    return Error(ErrorCode::kCryptoBackend, "ECDSA_SIG construction failed");
  }
  unsigned char* der = nullptr;
  int len = i2d_ECDSA_SIG(s, &der);
  ECDSA_SIG_free(s);
  if (len <= 0) return Error(ErrorCode::kCryptoBackend, "i2d_ECDSA_SIG failed");
  Bytes out(der, der + len);
  OPENSSL_free(der);
  return out;
}

}  // namespace

struct EcdsaVerifier::Impl {
  PkeyPtr pkey;
};

Result<EcdsaVerifier> EcdsaVerifier::from_spki_der(ByteView spki) {
  const unsigned char* p = spki.data();
  PkeyPtr pkey(d2i_PUBKEY(nullptr, &p, static_cast<long>(spki.size())));
  if (!pkey || p != spki.data() + spki.size())
    return Error(ErrorCode::kCryptoBadKey, "the SubjectPublicKeyInfo does not parse as one DER public key");
  if (EVP_PKEY_get_base_id(pkey.get()) != EVP_PKEY_EC)
    return Error(ErrorCode::kCryptoBadKey, "the public key is not an elliptic-curve key");
  char group[64] = {0};
  std::size_t glen = 0;
  if (EVP_PKEY_get_group_name(pkey.get(), group, sizeof group, &glen) != 1)
    return Error(ErrorCode::kCryptoBadKey, "the public key names no curve");
  EcdsaVerifier v;
  if (std::strcmp(group, "prime256v1") == 0) v.curve_ = EcdsaCurve::kP256;
  else if (std::strcmp(group, "secp384r1") == 0) v.curve_ = EcdsaCurve::kP384;
  else return Error(ErrorCode::kCryptoBadKey, std::string("unsupported curve ") + group);
  v.impl_ = std::make_unique<Impl>();
  v.impl_->pkey = std::move(pkey);
  return v;
}

Result<EcdsaVerifier> EcdsaVerifier::from_point(EcdsaCurve curve, ByteView point) {
  std::size_t n = field_bytes(curve);
  Bytes sec1;
  if (point.size() == 2 * n) {
    sec1.push_back(0x04);
    append(sec1, point);
  } else if (point.size() == 2 * n + 1 && point[0] == 0x04) {
    sec1.assign(point.begin(), point.end());
  } else {
    return Error(ErrorCode::kCryptoBadKey, "an uncompressed point on this curve is " + std::to_string(2 * n + 1) +
                                               " bytes, got " + std::to_string(point.size()));
  }
  OSSL_PARAM_BLD* bld = OSSL_PARAM_BLD_new();
  OSSL_PARAM* params = nullptr;
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr);
  EVP_PKEY* raw = nullptr;
  bool ok = bld && ctx &&
            OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, group_name(curve), 0) == 1 &&
            OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, sec1.data(), sec1.size()) == 1 &&
            (params = OSSL_PARAM_BLD_to_param(bld)) != nullptr && EVP_PKEY_fromdata_init(ctx) == 1 &&
            EVP_PKEY_fromdata(ctx, &raw, EVP_PKEY_PUBLIC_KEY, params) == 1;
  OSSL_PARAM_free(params);
  OSSL_PARAM_BLD_free(bld);
  EVP_PKEY_CTX_free(ctx);
  PkeyPtr pkey(raw);
  if (!ok || !pkey) return Error(ErrorCode::kCryptoBadKey, "the point is not a valid public key on the curve");
  // EVP_PKEY_fromdata does not always check the point; do it explicitly.
  EVP_PKEY_CTX* check = EVP_PKEY_CTX_new_from_pkey(nullptr, pkey.get(), nullptr);
  int valid = check ? EVP_PKEY_public_check(check) : 0;
  EVP_PKEY_CTX_free(check);
  if (valid != 1) return Error(ErrorCode::kCryptoBadKey, "the point is not on the curve");
  EcdsaVerifier v;
  v.curve_ = curve;
  v.impl_ = std::make_unique<Impl>();
  v.impl_->pkey = std::move(pkey);
  return v;
}

EcdsaVerifier::EcdsaVerifier(EcdsaVerifier&&) noexcept = default;
EcdsaVerifier& EcdsaVerifier::operator=(EcdsaVerifier&&) noexcept = default;
EcdsaVerifier::~EcdsaVerifier() = default;

Result<void> EcdsaVerifier::verify(ByteView message, ByteView signature, EcdsaSignatureFormat format) const {
  if (curve_ == EcdsaCurve::kP256) {
    Hash32 d = sha256(message);
    return verify_digest(d, signature, format);
  }
  auto d = sha384(message);
  return verify_digest(d, signature, format);
}

Result<void> EcdsaVerifier::verify_digest(ByteView digest, ByteView signature, EcdsaSignatureFormat format) const {
  Bytes der;
  if (format == EcdsaSignatureFormat::kP1363) {
    VERUN_ASSIGN_OR_RETURN(der, p1363_to_der(curve_, signature));
  } else {
    der.assign(signature.begin(), signature.end());
  }
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_pkey(nullptr, impl_->pkey.get(), nullptr);
  if (!ctx || EVP_PKEY_verify_init(ctx) != 1) {
    EVP_PKEY_CTX_free(ctx);
    return Error(ErrorCode::kCryptoBackend, "EVP_PKEY_verify_init failed");
  }
  int rc = EVP_PKEY_verify(ctx, der.data(), der.size(), digest.data(), digest.size());
  EVP_PKEY_CTX_free(ctx);
  if (rc != 1) return Error(ErrorCode::kCryptoBadSignature, "the ECDSA signature does not verify");
  return {};
}

}  // namespace verun::proofs
