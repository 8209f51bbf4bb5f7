// Owning pointers for the OpenSSL EVP objects of the hpke module, and the
// algorithm objects it fetches once per process (EVP_KDF, EVP_CIPHER).
// Private to proofs/src/hpke. The fetched objects are immutable and shared.
#pragma once

#include <openssl/evp.h>
#include <openssl/kdf.h>

#include <memory>

namespace verun::proofs::hpke_detail {

struct EvpDeleter {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
  void operator()(EVP_PKEY_CTX* p) const { EVP_PKEY_CTX_free(p); }
  void operator()(EVP_CIPHER_CTX* p) const { EVP_CIPHER_CTX_free(p); }
  void operator()(EVP_KDF_CTX* p) const { EVP_KDF_CTX_free(p); }
};
template <typename T>
using EvpPtr = std::unique_ptr<T, EvpDeleter>;

}  // namespace verun::proofs::hpke_detail
