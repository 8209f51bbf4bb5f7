// AES-128-GCM, AES-256-GCM and ChaCha20-Poly1305 via EVP_CIPHER (RFC 9180
// §7.3). The ciphers are fetched once and shared; each call has its own
// EVP_CIPHER_CTX.
#include "verun/proofs/hpke/aead.h"

#include <algorithm>
#include <string>

#include "evp_ptr.h"

namespace verun::proofs {
namespace {

using hpke_detail::EvpPtr;

// EVP_*Update take an int length; larger inputs go in pieces.
constexpr std::size_t kChunk = std::size_t{1} << 30;

const EVP_CIPHER* cipher_for(HpkeAead aead) {
  static EVP_CIPHER* const aes128 = EVP_CIPHER_fetch(nullptr, "AES-128-GCM", nullptr);
  static EVP_CIPHER* const aes256 = EVP_CIPHER_fetch(nullptr, "AES-256-GCM", nullptr);
  static EVP_CIPHER* const chacha = EVP_CIPHER_fetch(nullptr, "ChaCha20-Poly1305", nullptr);
  switch (aead) {
    case HpkeAead::kAes128Gcm:
      return aes128;
    case HpkeAead::kAes256Gcm:
      return aes256;
    case HpkeAead::kChaCha20Poly1305:
      return chacha;
    case HpkeAead::kExportOnly:
      return nullptr;
  }
  return nullptr;
}

Result<const EVP_CIPHER*> check_args(HpkeAead aead, ByteView key, ByteView nonce) {
  if (aead == HpkeAead::kExportOnly)
    return Error(ErrorCode::kHpkeExportOnly, "the export-only AEAD cannot seal or open");
  const std::size_t nk = hpke_aead_key_size(aead);
  if (nk == 0)
    return Error(ErrorCode::kHpkeUnsupportedSuite,
                 "unsupported HPKE AEAD id " + std::to_string(static_cast<unsigned>(aead)));
  if (key.size() != nk)
    return Error(ErrorCode::kHpkeBadKey, "the AEAD key is " + std::to_string(nk) + " bytes, got " +
                                             std::to_string(key.size()));
  if (nonce.size() != kAeadNonceSize)
    return Error(ErrorCode::kHpkeBadNonce, "the AEAD nonce is 12 bytes, got " + std::to_string(nonce.size()));
  const EVP_CIPHER* cipher = cipher_for(aead);
  if (cipher == nullptr) return Error(ErrorCode::kCryptoBackend, "EVP_CIPHER_fetch failed");
  return cipher;
}

// Feeds `in` through EVP_EncryptUpdate / EVP_DecryptUpdate; out may be null
// for AAD. Returns the bytes written, or -1.
using UpdateFn = int (*)(EVP_CIPHER_CTX*, unsigned char*, int*, const unsigned char*, int);
long long update_all(UpdateFn fn, EVP_CIPHER_CTX* ctx, std::uint8_t* out, ByteView in) {
  long long written = 0;
  for (std::size_t off = 0; off < in.size(); off += kChunk) {
    const std::size_t n = std::min(kChunk, in.size() - off);
    int len = 0;
    if (fn(ctx, out == nullptr ? nullptr : out + written, &len, in.data() + off, static_cast<int>(n)) != 1)
      return -1;
    written += len;
  }
  return written;
}

}  // namespace

Result<Bytes> aead_seal(HpkeAead aead, ByteView key, ByteView nonce, ByteView aad, ByteView plaintext) {
  VERUN_ASSIGN_OR_RETURN(const EVP_CIPHER* cipher, check_args(aead, key, nonce));
  EvpPtr<EVP_CIPHER_CTX> ctx(EVP_CIPHER_CTX_new());
  if (!ctx || EVP_EncryptInit_ex2(ctx.get(), cipher, key.data(), nonce.data(), nullptr) != 1)
    return Error(ErrorCode::kCryptoBackend, "EVP_EncryptInit_ex2 failed");
  Bytes out(plaintext.size() + kAeadTagSize);
  if (update_all(EVP_EncryptUpdate, ctx.get(), nullptr, aad) < 0)
    return Error(ErrorCode::kCryptoBackend, "EVP_EncryptUpdate (aad) failed");
  const long long n = update_all(EVP_EncryptUpdate, ctx.get(), out.data(), plaintext);
  if (n < 0) return Error(ErrorCode::kCryptoBackend, "EVP_EncryptUpdate failed");
  int fin = 0;
  if (EVP_EncryptFinal_ex(ctx.get(), out.data() + n, &fin) != 1 ||
      static_cast<std::size_t>(n) + static_cast<std::size_t>(fin) != plaintext.size())
    return Error(ErrorCode::kCryptoBackend, "EVP_EncryptFinal_ex failed");
  if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_AEAD_GET_TAG, static_cast<int>(kAeadTagSize),
                          out.data() + plaintext.size()) != 1)
    return Error(ErrorCode::kCryptoBackend, "EVP_CTRL_AEAD_GET_TAG failed");
  return out;
}

Result<SecureBytes> aead_open(HpkeAead aead, ByteView key, ByteView nonce, ByteView aad, ByteView ciphertext) {
  VERUN_ASSIGN_OR_RETURN(const EVP_CIPHER* cipher, check_args(aead, key, nonce));
  if (ciphertext.size() < kAeadTagSize) return Error(ErrorCode::kHpkeOpenFailed, "the ciphertext does not open");
  const std::size_t pt_size = ciphertext.size() - kAeadTagSize;
  EvpPtr<EVP_CIPHER_CTX> ctx(EVP_CIPHER_CTX_new());
  if (!ctx || EVP_DecryptInit_ex2(ctx.get(), cipher, key.data(), nonce.data(), nullptr) != 1)
    return Error(ErrorCode::kCryptoBackend, "EVP_DecryptInit_ex2 failed");
  // The tag is copied out so that OpenSSL never writes through a const view.
  std::uint8_t tag[kAeadTagSize];
  std::copy(ciphertext.begin() + pt_size, ciphertext.end(), tag);
  if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_AEAD_SET_TAG, static_cast<int>(kAeadTagSize), tag) != 1)
    return Error(ErrorCode::kCryptoBackend, "EVP_CTRL_AEAD_SET_TAG failed");
  SecureBytes pt(pt_size);  // wiped on every early return
  if (update_all(EVP_DecryptUpdate, ctx.get(), nullptr, aad) < 0)
    return Error(ErrorCode::kCryptoBackend, "EVP_DecryptUpdate (aad) failed");
  const long long n = update_all(EVP_DecryptUpdate, ctx.get(), pt.data(), ciphertext.first(pt_size));
  if (n < 0) return Error(ErrorCode::kCryptoBackend, "EVP_DecryptUpdate failed");
  int fin = 0;
  if (EVP_DecryptFinal_ex(ctx.get(), pt.data() + n, &fin) != 1)
    return Error(ErrorCode::kHpkeOpenFailed, "the ciphertext does not open");
  return pt;
}

}  // namespace verun::proofs
