// Constant-time equality for secrets and MACs (CRYPTO_memcmp underneath).
// The time taken depends on the lengths only, never on the contents.
#pragma once

#include "verun/proofs/bytes.h"

namespace verun::proofs {

bool ct_equal(ByteView a, ByteView b);

}  // namespace verun::proofs
