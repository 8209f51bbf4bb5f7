// Fuzz target for HPKE base-mode Open (RFC 9180 §6.1): the input supplies
// the AEAD choice, enc, aad and ciphertext, opened with a fixed recipient
// key under every AEAD. Layout:
//   [aead selector: 1][enc length: 1][enc][aad length: 1][aad][ct: rest]
// (lengths are cut to what is left). It must never crash or leak; success
// must return exactly len(ct) - 16 bytes.
#include <cstdint>
#include <cstdlib>

#include "verun/proofs/hpke/hpke.h"

namespace {

using verun::proofs::ByteView;
using verun::proofs::HpkeAead;
using verun::proofs::HpkePrivateKey;
using verun::proofs::HpkeSuite;

const HpkePrivateKey& recipient() {
  // 32 fixed bytes of ikm: "verun/fuzz/hpke_open recipient!!".
  static const HpkePrivateKey key =
      std::move(*HpkePrivateKey::derive(verun::proofs::as_bytes("verun/fuzz/hpke_open recipient!!")));
  return key;
}

// Takes a length byte and then up to that many bytes from the front of in.
ByteView take_prefixed(ByteView& in) {
  if (in.empty()) return {};
  const std::size_t want = in[0];
  in = in.subspan(1);
  const std::size_t n = want < in.size() ? want : in.size();
  ByteView out = in.first(n);
  in = in.subspan(n);
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  constexpr HpkeAead kAeads[] = {HpkeAead::kAes128Gcm, HpkeAead::kAes256Gcm, HpkeAead::kChaCha20Poly1305,
                                 HpkeAead::kExportOnly};
  ByteView in(data, size);
  if (in.empty()) return 0;
  const HpkeAead aead = kAeads[in[0] % 4];
  in = in.subspan(1);
  const ByteView enc = take_prefixed(in);
  const ByteView aad = take_prefixed(in);
  const ByteView ct = in;
  const HpkeSuite suite{verun::proofs::HpkeKem::kDhkemX25519HkdfSha256, verun::proofs::HpkeKdf::kHkdfSha256, aead};
  auto pt = verun::proofs::hpke_open(suite, recipient(), enc, verun::proofs::as_bytes(verun::proofs::kVerunJobInfo),
                                     aad, ct);
  if (pt && pt->size() + verun::proofs::kAeadTagSize != ct.size()) std::abort();
  return 0;
}
