// HKDF-SHA256 via EVP_KDF (OpenSSL 3.0 "HKDF", RFC 5869).
#include "hkdf.h"

#include <openssl/core_names.h>
#include <openssl/params.h>

#include <string>

#include "evp_ptr.h"

namespace verun::proofs::hpke_detail {
namespace {

constexpr std::size_t kNh = 32;

// Fetched once; an EVP_KDF is immutable and may be shared by threads.
EVP_KDF* hkdf() {
  static EVP_KDF* const kdf = EVP_KDF_fetch(nullptr, "HKDF", nullptr);
  return kdf;
}

// OSSL_PARAM wants a non-null pointer even for empty octet strings.
void* param_ptr(ByteView b) {
  static std::uint8_t empty = 0;
  return b.empty() ? &empty : const_cast<std::uint8_t*>(b.data());
}

Result<SecureBytes> run(int mode, ByteView key, ByteView salt, ByteView info, std::size_t length) {
  if (hkdf() == nullptr) return Error(ErrorCode::kCryptoBackend, "EVP_KDF_fetch(HKDF) failed");
  EvpPtr<EVP_KDF_CTX> ctx(EVP_KDF_CTX_new(hkdf()));
  if (!ctx) return Error(ErrorCode::kCryptoBackend, "EVP_KDF_CTX_new failed");
  char digest[] = "SHA256";
  OSSL_PARAM params[6];
  std::size_t i = 0;
  params[i++] = OSSL_PARAM_construct_int(OSSL_KDF_PARAM_MODE, &mode);
  params[i++] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest, 0);
  params[i++] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, param_ptr(key), key.size());
  if (!salt.empty())
    params[i++] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, param_ptr(salt), salt.size());
  if (!info.empty())
    params[i++] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, param_ptr(info), info.size());
  params[i] = OSSL_PARAM_construct_end();
  SecureBytes out(length);
  if (EVP_KDF_derive(ctx.get(), out.data(), out.size(), params) != 1)
    return Error(ErrorCode::kCryptoBackend, "EVP_KDF_derive(HKDF) failed");
  return out;
}

}  // namespace

Result<SecureBytes> hkdf_sha256_extract(ByteView salt, ByteView ikm) {
  return run(EVP_KDF_HKDF_MODE_EXTRACT_ONLY, ikm, salt, {}, kNh);
}

Result<SecureBytes> hkdf_sha256_expand(ByteView prk, ByteView info, std::size_t length) {
  if (length == 0 || length > 255 * kNh)
    return Error(ErrorCode::kHpkeBadExportLength,
                 "an HKDF-SHA256 output is 1 to 8160 bytes, asked for " + std::to_string(length));
  if (info.size() > kHkdfMaxInfo)
    return Error(ErrorCode::kInvalidArgument,
                 "the HKDF info is " + std::to_string(info.size()) + " bytes, above the limit of " +
                     std::to_string(kHkdfMaxInfo));
  return run(EVP_KDF_HKDF_MODE_EXPAND_ONLY, prk, {}, info, length);
}

}  // namespace verun::proofs::hpke_detail
