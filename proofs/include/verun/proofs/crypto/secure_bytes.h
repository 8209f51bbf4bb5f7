// SecureBytes: an owned byte buffer for secrets (private keys, shared
// secrets, plaintexts). Its contents are wiped with OPENSSL_cleanse when it
// is destroyed or reassigned. Move-only, so secrets are not copied by
// accident; call clone() when a copy is really meant.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace verun::proofs {

void secure_wipe(void* data, std::size_t size);

class SecureBytes {
 public:
  SecureBytes() = default;
  explicit SecureBytes(std::size_t n) : b_(n) {}
  explicit SecureBytes(std::span<const std::uint8_t> data) : b_(data.begin(), data.end()) {}
  ~SecureBytes() { wipe(); }
  SecureBytes(SecureBytes&& o) noexcept : b_(std::move(o.b_)) { o.b_.clear(); }
  SecureBytes& operator=(SecureBytes&& o) noexcept {
    if (this != &o) { wipe(); b_ = std::move(o.b_); o.b_.clear(); }
    return *this;
  }
  SecureBytes(const SecureBytes&) = delete;
  SecureBytes& operator=(const SecureBytes&) = delete;

  SecureBytes clone() const { return SecureBytes(view()); }
  std::uint8_t* data() { return b_.data(); }
  const std::uint8_t* data() const { return b_.data(); }
  std::size_t size() const { return b_.size(); }
  bool empty() const { return b_.empty(); }
  std::span<const std::uint8_t> view() const { return {b_.data(), b_.size()}; }
  std::span<std::uint8_t> span() { return {b_.data(), b_.size()}; }
  std::uint8_t& operator[](std::size_t i) { return b_[i]; }
  std::uint8_t operator[](std::size_t i) const { return b_[i]; }

 private:
  void wipe() {
    if (!b_.empty()) secure_wipe(b_.data(), b_.size());
  }
  std::vector<std::uint8_t> b_;
};

}  // namespace verun::proofs
