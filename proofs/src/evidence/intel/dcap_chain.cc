// PCK certificates: the SGX extension (Intel "SGX PCK Certificate and
// Certificate Revocation List Profile Specification"), the PCK chain to the
// pinned Intel SGX Root CA, and the chain cache; see dcap.h.
#include <openssl/asn1.h>
#include <openssl/err.h>
#include <openssl/objects.h>

#include <algorithm>
#include <string>

#include "verun/proofs/crypto/ecdsa.h"
#include "verun/proofs/evidence/dcap.h"
#include "dcap_internal.h"
#include "verun/proofs/hex.h"
#include "verun/proofs/sha2.h"

namespace verun::proofs {
namespace {

struct SeqFree {
  void operator()(STACK_OF(ASN1_TYPE) * s) const { sk_ASN1_TYPE_pop_free(s, ASN1_TYPE_free); }
};
using SeqPtr = std::unique_ptr<STACK_OF(ASN1_TYPE), SeqFree>;

Error ext_bad(const std::string& why) {
  ERR_clear_error();
  return Error(ErrorCode::kEvidenceCertExtensionMalformed, "PCK certificate SGX extension " + why);
}

// A DER SEQUENCE, exactly, as its elements.
Result<SeqPtr> sequence(const unsigned char* data, long len, const char* what) {
  if (len <= 0) return ext_bad(std::string(what) + " is empty");
  const unsigned char* p = data;
  SeqPtr seq(d2i_ASN1_SEQUENCE_ANY(nullptr, &p, len));
  if (!seq || p != data + len) return ext_bad(std::string(what) + " is not one DER SEQUENCE");
  return seq;
}

// One (OID, value) pair of the extension.
struct Pair {
  std::string oid;
  const ASN1_TYPE* value = nullptr;
};

Result<std::vector<Pair>> pairs(const STACK_OF(ASN1_TYPE) * seq, std::vector<SeqPtr>& keep, const char* what) {
  std::vector<Pair> out;
  for (int i = 0; i < sk_ASN1_TYPE_num(seq); ++i) {
    const ASN1_TYPE* t = sk_ASN1_TYPE_value(seq, i);
    if (!t || t->type != V_ASN1_SEQUENCE || !t->value.sequence)
      return ext_bad(std::string(what) + " has an element that is not a SEQUENCE");
    const ASN1_STRING* s = t->value.sequence;
    VERUN_ASSIGN_OR_RETURN(SeqPtr inner, sequence(ASN1_STRING_get0_data(s), ASN1_STRING_length(s), what));
    if (sk_ASN1_TYPE_num(inner.get()) != 2) return ext_bad(std::string(what) + " has an element that is not a pair");
    const ASN1_TYPE* oid = sk_ASN1_TYPE_value(inner.get(), 0);
    if (!oid || oid->type != V_ASN1_OBJECT) return ext_bad(std::string(what) + " has a pair without an OID");
    char buf[80];
    int n = OBJ_obj2txt(buf, sizeof buf, oid->value.object, 1);
    if (n <= 0 || n >= static_cast<int>(sizeof buf)) return ext_bad(std::string(what) + " has an unreadable OID");
    out.push_back({std::string(buf, static_cast<std::size_t>(n)), sk_ASN1_TYPE_value(inner.get(), 1)});
    keep.push_back(std::move(inner));
  }
  return out;
}

Result<std::uint64_t> integer_value(const ASN1_TYPE* v, const std::string& oid, std::uint64_t max) {
  std::uint64_t out = 0;
  if (!v || v->type != V_ASN1_INTEGER || ASN1_INTEGER_get_uint64(&out, v->value.integer) != 1 || out > max)
    return ext_bad(oid + " is not an INTEGER in 0.." + std::to_string(max));
  return out;
}

template <std::size_t N>
Result<std::array<std::uint8_t, N>> octets_value(const ASN1_TYPE* v, const std::string& oid) {
  if (!v || v->type != V_ASN1_OCTET_STRING || ASN1_STRING_length(v->value.octet_string) != static_cast<int>(N))
    return ext_bad(oid + " is not an OCTET STRING of " + std::to_string(N) + " bytes");
  std::array<std::uint8_t, N> out{};
  std::copy_n(ASN1_STRING_get0_data(v->value.octet_string), N, out.begin());
  return out;
}

bool is_pinned(const Hash32& fp, std::span<const Hash32> extra_roots) {
  if (hex_encode(fp) == kIntelSgxRootFingerprintHex) return true;
  return std::find(extra_roots.begin(), extra_roots.end(), fp) != extra_roots.end();
}

}  // namespace

Result<PckExtensions> parse_pck_extensions(const X509Cert& pck) {
  VERUN_ASSIGN_OR_RETURN(std::optional<Bytes> ext, pck.extension_value(kSgxExtensionOid));
  if (!ext) return ext_bad("is absent");
  if (ext->size() > 4096) return ext_bad("is too large");
  VERUN_ASSIGN_OR_RETURN(SeqPtr top, sequence(ext->data(), static_cast<long>(ext->size()), "value"));
  std::vector<SeqPtr> keep;
  VERUN_ASSIGN_OR_RETURN(std::vector<Pair> items, pairs(top.get(), keep, "value"));
  const std::string arc(kSgxExtensionOid);
  PckExtensions out;
  bool have_tcb = false, have_pce_id = false, have_fmspc = false;
  for (const Pair& item : items) {
    if (item.oid == arc + ".1") {
      VERUN_ASSIGN_OR_RETURN(out.ppid, (octets_value<16>(item.value, item.oid)));
    } else if (item.oid == arc + ".2") {
      if (have_tcb) return ext_bad("has TCB twice");
      if (!item.value || item.value->type != V_ASN1_SEQUENCE) return ext_bad("TCB is not a SEQUENCE");
      const ASN1_STRING* s = item.value->value.sequence;
      VERUN_ASSIGN_OR_RETURN(SeqPtr tcb, sequence(ASN1_STRING_get0_data(s), ASN1_STRING_length(s), "TCB"));
      VERUN_ASSIGN_OR_RETURN(std::vector<Pair> comps, pairs(tcb.get(), keep, "TCB"));
      std::array<bool, 18> seen{};
      for (const Pair& c : comps) {
        const std::string prefix = arc + ".2.";
        if (c.oid.rfind(prefix, 0) != 0) continue;
        const std::string tail = c.oid.substr(prefix.size());
        int index = 0;
        if (tail.empty() || tail.size() > 2 || !std::all_of(tail.begin(), tail.end(), ::isdigit)) continue;
        index = std::stoi(tail);
        if (index < 1 || index > 18) continue;
        if (seen[static_cast<std::size_t>(index - 1)]) return ext_bad("TCB has " + c.oid + " twice");
        seen[static_cast<std::size_t>(index - 1)] = true;
        if (index <= 16) {
          VERUN_ASSIGN_OR_RETURN(std::uint64_t v, integer_value(c.value, c.oid, 255));
          out.sgx_components[static_cast<std::size_t>(index - 1)] = static_cast<std::uint8_t>(v);
        } else if (index == 17) {
          VERUN_ASSIGN_OR_RETURN(std::uint64_t v, integer_value(c.value, c.oid, 0xFFFF));
          out.pce_svn = static_cast<std::uint32_t>(v);
        } else {
          VERUN_ASSIGN_OR_RETURN(out.cpu_svn, (octets_value<16>(c.value, c.oid)));
        }
      }
      if (!std::all_of(seen.begin(), seen.begin() + 17, [](bool b) { return b; }))
        return ext_bad("TCB lacks a component SVN or the PCESVN");
      have_tcb = true;
    } else if (item.oid == arc + ".3") {
      VERUN_ASSIGN_OR_RETURN(out.pce_id, (octets_value<2>(item.value, item.oid)));
      have_pce_id = true;
    } else if (item.oid == arc + ".4") {
      VERUN_ASSIGN_OR_RETURN(out.fmspc, (octets_value<6>(item.value, item.oid)));
      have_fmspc = true;
    }
  }
  if (!have_tcb || !have_pce_id || !have_fmspc) return ext_bad("lacks TCB, PCE-ID or FMSPC");
  ERR_clear_error();
  return out;
}

Result<std::vector<X509Cert>> dcap_parse_chain(ByteView pem, std::span<const Hash32> extra_roots,
                                                std::string_view leaf_cn_prefix) {
  VERUN_ASSIGN_OR_RETURN(std::vector<Bytes> ders, split_pem_certificates(pem));
  std::vector<X509Cert> certs;
  for (const Bytes& der : ders) {
    VERUN_ASSIGN_OR_RETURN(X509Cert c, X509Cert::parse_der(der));
    certs.push_back(std::move(c));
  }
  const X509Cert& root = certs.back();
  if (!is_pinned(root.fingerprint(), extra_roots))
    return Error(ErrorCode::kEvidenceRootNotPinned, "root certificate '" + root.subject_common_name() +
                                                        "' (SHA-256 " + hex_encode(root.fingerprint()) +
                                                        ") is not the pinned Intel SGX Root CA");
  if (certs.size() < 2)
    return Error(ErrorCode::kEvidenceChainInvalid, "chain holds only the root certificate");
  const std::string cn = certs.front().subject_common_name();
  if (cn.rfind(leaf_cn_prefix, 0) != 0)
    return Error(ErrorCode::kEvidenceChainInvalid,
                 "leaf certificate CN '" + cn + "' is not '" + std::string(leaf_cn_prefix) + "'");
  VERUN_TRY(root.verify_issued_by(root, CertSignatureAlgorithm::kEcdsaSha256));
  for (std::size_t i = 0; i + 1 < certs.size(); ++i)
    VERUN_TRY(certs[i].verify_issued_by(certs[i + 1], CertSignatureAlgorithm::kEcdsaSha256));
  return certs;
}

Result<DcapPckChain> verify_dcap_pck_chain(ByteView pem_chain, std::span<const Hash32> extra_roots) {
  VERUN_ASSIGN_OR_RETURN(std::vector<X509Cert> certs, dcap_parse_chain(pem_chain, extra_roots, "Intel SGX PCK Certificate"));
  if (certs.size() != 3)
    return Error(ErrorCode::kEvidenceChainInvalid, "PCK chain holds " + std::to_string(certs.size()) +
                                                       " certificates, not 3 (PCK, PCK CA, root)");
  const std::string ca = certs[1].subject_common_name();
  if (ca != "Intel SGX PCK Platform CA" && ca != "Intel SGX PCK Processor CA")
    return Error(ErrorCode::kEvidenceChainInvalid, "PCK issuer CN '" + ca + "' is not an Intel SGX PCK CA");
  Result<EcdsaVerifier> key = EcdsaVerifier::from_spki_der(certs[0].spki_der());
  if (!key || key->curve() != EcdsaCurve::kP256)
    return Error(ErrorCode::kEvidenceChainInvalid, "PCK certificate key is not an ECDSA P-256 key");
  VERUN_ASSIGN_OR_RETURN(PckExtensions ext, parse_pck_extensions(certs[0]));
  return DcapPckChain{std::move(certs[0]), std::move(certs[1]), std::move(certs[2]), ext};
}

Result<std::shared_ptr<const DcapPckChain>> DcapChainCache::get(ByteView pem_chain,
                                                               std::span<const Hash32> extra_roots) {
  // The key covers the extra roots too, so a test root never leaks into a
  // lookup made without it.
  Bytes keyed(pem_chain.begin(), pem_chain.end());
  for (const Hash32& r : extra_roots) append(keyed, r);
  const Hash32 key = sha256(keyed);
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = entries_.find(key);
    if (it != entries_.end()) return it->second;
  }
  VERUN_ASSIGN_OR_RETURN(DcapPckChain chain, verify_dcap_pck_chain(pem_chain, extra_roots));
  auto shared = std::make_shared<const DcapPckChain>(std::move(chain));
  std::lock_guard<std::mutex> lock(mu_);
  if (entries_.size() >= max_entries_) entries_.clear();
  entries_.emplace(key, shared);
  return shared;
}

std::size_t DcapChainCache::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return entries_.size();
}

}  // namespace verun::proofs
