// Ed25519 through EVP (EVP_PKEY_ED25519, EVP_DigestSign/Verify one-shot).
#include "verun/proofs/crypto/ed25519.h"

#include <openssl/evp.h>

#include <stdexcept>

#include "verun/proofs/crypto/random.h"

namespace verun::proofs {
namespace {

struct PkeyDeleter {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyDeleter>;
struct MdCtxDeleter {
  void operator()(EVP_MD_CTX* p) const { EVP_MD_CTX_free(p); }
};
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, MdCtxDeleter>;

}  // namespace

struct Ed25519PrivateKey::Impl {
  PkeyPtr pkey;
};
struct Ed25519Verifier::Impl {
  PkeyPtr pkey;
};

Result<Ed25519PrivateKey> Ed25519PrivateKey::generate() {
  SecureBytes seed(32);
  VERUN_TRY(random_fill(seed.span()));
  return from_seed(seed.view());
}

Result<Ed25519PrivateKey> Ed25519PrivateKey::from_seed(ByteView seed) {
  if (seed.size() != 32)
    return Error(ErrorCode::kCryptoBadKey, "an Ed25519 seed is 32 bytes, got " + std::to_string(seed.size()));
  PkeyPtr pkey(EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, seed.data(), seed.size()));
  if (!pkey) return Error(ErrorCode::kCryptoBackend, "EVP_PKEY_new_raw_private_key failed");
  Ed25519PrivateKey key;
  std::size_t len = 32;
  if (EVP_PKEY_get_raw_public_key(pkey.get(), key.public_key_.data(), &len) != 1 || len != 32)
    return Error(ErrorCode::kCryptoBackend, "EVP_PKEY_get_raw_public_key failed");
  key.seed_ = SecureBytes(seed);
  key.impl_ = std::make_unique<Impl>();
  key.impl_->pkey = std::move(pkey);
  return key;
}

Ed25519PrivateKey::Ed25519PrivateKey(Ed25519PrivateKey&&) noexcept = default;
Ed25519PrivateKey& Ed25519PrivateKey::operator=(Ed25519PrivateKey&&) noexcept = default;
Ed25519PrivateKey::~Ed25519PrivateKey() = default;

Ed25519Signature Ed25519PrivateKey::sign(ByteView message) const {
  MdCtxPtr ctx(EVP_MD_CTX_new());
  Ed25519Signature sig;
  std::size_t len = sig.size();
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, impl_->pkey.get()) != 1 ||
      EVP_DigestSign(ctx.get(), sig.data(), &len, message.data(), message.size()) != 1 || len != 64)
    throw std::runtime_error("Ed25519 signing failed");  // only on allocation failure
  return sig;
}

Result<Ed25519Verifier> Ed25519Verifier::make(ByteView public_key) {
  if (public_key.size() != 32)
    return Error(ErrorCode::kCryptoBadKey, "an Ed25519 public key is 32 bytes, got " + std::to_string(public_key.size()));
  PkeyPtr pkey(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, public_key.data(), public_key.size()));
  if (!pkey) return Error(ErrorCode::kCryptoBadKey, "the Ed25519 public key was refused");
  Ed25519Verifier v;
  std::copy(public_key.begin(), public_key.end(), v.public_key_.begin());
  v.impl_ = std::make_unique<Impl>();
  v.impl_->pkey = std::move(pkey);
  return v;
}

Ed25519Verifier::Ed25519Verifier(Ed25519Verifier&&) noexcept = default;
Ed25519Verifier& Ed25519Verifier::operator=(Ed25519Verifier&&) noexcept = default;
Ed25519Verifier::~Ed25519Verifier() = default;

Result<void> Ed25519Verifier::verify(ByteView message, ByteView signature) const {
  if (signature.size() != 64)
    return Error(ErrorCode::kCryptoBadSignatureEncoding,
                 "an Ed25519 signature is 64 bytes, got " + std::to_string(signature.size()));
  MdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, impl_->pkey.get()) != 1)
    return Error(ErrorCode::kCryptoBackend, "EVP_DigestVerifyInit failed");
  if (EVP_DigestVerify(ctx.get(), signature.data(), signature.size(), message.data(), message.size()) != 1)
    return Error(ErrorCode::kCryptoBadSignature, "the Ed25519 signature does not verify");
  return {};
}

Result<void> ed25519_verify(ByteView public_key, ByteView message, ByteView signature) {
  VERUN_ASSIGN_OR_RETURN(auto v, Ed25519Verifier::make(public_key));
  return v.verify(message, signature);
}

}  // namespace verun::proofs
