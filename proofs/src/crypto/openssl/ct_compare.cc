#include "verun/proofs/ct_compare.h"

#include <openssl/crypto.h>

#include "verun/proofs/crypto/secure_bytes.h"

namespace verun::proofs {

bool ct_equal(ByteView a, ByteView b) {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

void secure_wipe(void* data, std::size_t size) { OPENSSL_cleanse(data, size); }

}  // namespace verun::proofs
