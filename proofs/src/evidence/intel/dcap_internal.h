// Helpers shared by the DCAP verification sources (proofs/src/evidence/intel):
// chain parsing for PCK and TCB signing chains. Private to the library.
// Stateless and thread-safe.
#pragma once

#include <span>
#include <string_view>
#include <vector>

#include "verun/proofs/bytes.h"
#include "verun/proofs/crypto/x509_chain.h"
#include "verun/result.h"

namespace verun::proofs {

// PEM chain, leaf first: its last certificate must be a pinned root, the
// leaf's CN must start with leaf_cn_prefix, every link ECDSA with SHA-256.
Result<std::vector<X509Cert>> dcap_parse_chain(ByteView pem, std::span<const Hash32> extra_roots,
                                                std::string_view leaf_cn_prefix);

}  // namespace verun::proofs
