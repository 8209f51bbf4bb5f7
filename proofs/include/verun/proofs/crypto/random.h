// Randomness from the operating system (getrandom(2)), for keys, salts and
// nonces. Fails only if the kernel's source fails (kCryptoRandom).
#pragma once

#include "verun/proofs/bytes.h"
#include "verun/result.h"

namespace verun::proofs {

Result<void> random_fill(std::span<std::uint8_t> out);
Result<Bytes> random_bytes(std::size_t n);
Result<Hash32> random32();

}  // namespace verun::proofs
