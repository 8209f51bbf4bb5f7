// SHA-256, SHA-384 and SHA-512 through OpenSSL's EVP API: one-shot functions
// and an incremental Sha256 for streaming large inputs. Sha256 is movable,
// not copyable, and not thread-safe (one object per thread).
#pragma once

#include <memory>

#include "verun/proofs/bytes.h"

namespace verun::proofs {

Hash32 sha256(ByteView data);
inline Hash32 sha256(std::string_view data) { return sha256(as_bytes(data)); }
std::array<std::uint8_t, 48> sha384(ByteView data);
Hash64 sha512(ByteView data);

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(Sha256&&) noexcept;
  Sha256& operator=(Sha256&&) noexcept;
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  Sha256& update(ByteView data);
  Sha256& update(std::string_view data) { return update(as_bytes(data)); }
  // Returns the digest and resets the object for reuse.
  Hash32 finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

class Sha512 {
 public:
  Sha512();
  ~Sha512();
  Sha512(const Sha512&) = delete;
  Sha512& operator=(const Sha512&) = delete;

  Sha512& update(ByteView data);
  Sha512& update(std::string_view data) { return update(as_bytes(data)); }
  Hash64 finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace verun::proofs
