// OS randomness via getrandom(2), retried on EINTR and short reads.
#include "verun/proofs/crypto/random.h"

#include <sys/random.h>

#include <cerrno>
#include <cstring>

namespace verun::proofs {

Result<void> random_fill(std::span<std::uint8_t> out) {
  std::size_t done = 0;
  while (done < out.size()) {
    ssize_t n = getrandom(out.data() + done, out.size() - done, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Error(ErrorCode::kCryptoRandom, std::string("getrandom failed: ") + std::strerror(errno));
    }
    done += static_cast<std::size_t>(n);
  }
  return {};
}

Result<Bytes> random_bytes(std::size_t n) {
  Bytes b(n);
  VERUN_TRY(random_fill(b));
  return b;
}

Result<Hash32> random32() {
  Hash32 h{};
  VERUN_TRY(random_fill(h));
  return h;
}

}  // namespace verun::proofs
