// SHA-2 through EVP. One-shot calls use EVP_Digest with a cached EVP_MD
// (fetched once), which avoids a provider lookup per call.
#include "verun/proofs/sha2.h"

#include <openssl/evp.h>

#include <stdexcept>

namespace verun::proofs {
namespace {

const EVP_MD* md_sha256() {
  static EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  return md;
}
const EVP_MD* md_sha384() {
  static EVP_MD* md = EVP_MD_fetch(nullptr, "SHA384", nullptr);
  return md;
}
const EVP_MD* md_sha512() {
  static EVP_MD* md = EVP_MD_fetch(nullptr, "SHA512", nullptr);
  return md;
}

template <std::size_t N>
std::array<std::uint8_t, N> digest(const EVP_MD* md, ByteView data) {
  std::array<std::uint8_t, N> out;
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), out.data(), &len, md, nullptr) != 1 || len != N)
    throw std::runtime_error("EVP_Digest failed");  // only on allocation failure
  return out;
}

}  // namespace

Hash32 sha256(ByteView data) { return digest<32>(md_sha256(), data); }
std::array<std::uint8_t, 48> sha384(ByteView data) { return digest<48>(md_sha384(), data); }
Hash64 sha512(ByteView data) { return digest<64>(md_sha512(), data); }

struct Sha256::Impl {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  Impl() {
    if (!ctx || EVP_DigestInit_ex(ctx, md_sha256(), nullptr) != 1) throw std::bad_alloc();
  }
  ~Impl() { EVP_MD_CTX_free(ctx); }
};

Sha256::Sha256() : impl_(std::make_unique<Impl>()) {}
Sha256::~Sha256() = default;
Sha256::Sha256(Sha256&&) noexcept = default;
Sha256& Sha256::operator=(Sha256&&) noexcept = default;

Sha256& Sha256::update(ByteView data) {
  if (EVP_DigestUpdate(impl_->ctx, data.data(), data.size()) != 1) throw std::runtime_error("EVP_DigestUpdate failed");
  return *this;
}

Hash32 Sha256::finish() {
  Hash32 out{};
  unsigned int len = 0;
  if (EVP_DigestFinal_ex(impl_->ctx, out.data(), &len) != 1 ||
      EVP_DigestInit_ex(impl_->ctx, md_sha256(), nullptr) != 1)
    throw std::runtime_error("EVP_DigestFinal_ex failed");
  return out;
}

struct Sha512::Impl {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  Impl() {
    if (!ctx || EVP_DigestInit_ex(ctx, md_sha512(), nullptr) != 1) throw std::bad_alloc();
  }
  ~Impl() { EVP_MD_CTX_free(ctx); }
};

Sha512::Sha512() : impl_(std::make_unique<Impl>()) {}
Sha512::~Sha512() = default;

Sha512& Sha512::update(ByteView data) {
  if (EVP_DigestUpdate(impl_->ctx, data.data(), data.size()) != 1) throw std::runtime_error("EVP_DigestUpdate failed");
  return *this;
}

Hash64 Sha512::finish() {
  Hash64 out{};
  unsigned int len = 0;
  if (EVP_DigestFinal_ex(impl_->ctx, out.data(), &len) != 1 ||
      EVP_DigestInit_ex(impl_->ctx, md_sha512(), nullptr) != 1)
    throw std::runtime_error("EVP_DigestFinal_ex failed");
  return out;
}

}  // namespace verun::proofs
