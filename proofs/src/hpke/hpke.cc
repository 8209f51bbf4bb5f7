// Single-shot base-mode HPKE (RFC 9180 §6.1).
#include "verun/proofs/hpke/hpke.h"

namespace verun::proofs {

Result<HpkeSealed> hpke_seal(const HpkeSuite& suite, ByteView pk_r, ByteView info, ByteView aad,
                             ByteView plaintext) {
  if (suite.aead == HpkeAead::kExportOnly)
    return Error(ErrorCode::kHpkeExportOnly, "the export-only AEAD cannot seal");
  VERUN_ASSIGN_OR_RETURN(HpkeSenderSetup setup, hpke_setup_base_sender(suite, pk_r, info));
  HpkeSealed out;
  out.enc = setup.enc;
  VERUN_ASSIGN_OR_RETURN(out.ciphertext, setup.context.seal(aad, plaintext));
  return out;
}

Result<SecureBytes> hpke_open(const HpkeSuite& suite, const HpkePrivateKey& sk_r, ByteView enc, ByteView info,
                              ByteView aad, ByteView ciphertext) {
  if (suite.aead == HpkeAead::kExportOnly)
    return Error(ErrorCode::kHpkeExportOnly, "the export-only AEAD cannot open");
  VERUN_ASSIGN_OR_RETURN(HpkeRecipientContext ctx, hpke_setup_base_recipient(suite, enc, sk_r, info));
  return ctx.open(aad, ciphertext);
}

}  // namespace verun::proofs
