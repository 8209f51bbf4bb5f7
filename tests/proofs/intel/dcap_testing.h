// Synthetic Intel DCAP material for tests: a P-256 PKI shaped like Intel's
// (test "Intel SGX Root CA", PCK Platform CA, PCK leaf with an SGX
// extension, TCB Signing certificate), quotes (SGX v3, TDX v4, v5 TD 1.0 /
// 1.5) signed with an attestation key bound by a QE report, and collateral
// (TCB info, QE identity, CRLs) signed with it. The root is trusted only
// through DcapOptions::extra_roots. Tests only; not thread-safe.
#pragma once

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <array>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "verun/proofs/base64.h"
#include "verun/proofs/evidence/dcap.h"
#include "verun/proofs/hex.h"
#include "verun/proofs/sha2.h"

namespace verun::proofs::dcap_testing {

struct PkeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;

inline constexpr std::int64_t kNow = 1'750'000'000;  // 2025-06-15T15:06:40Z
inline constexpr std::int64_t kDay = 86'400;
inline Timestamp now() { return Timestamp{kNow, 0}; }

inline Bytes der_len(std::size_t n) {
  if (n < 0x80) return {static_cast<std::uint8_t>(n)};
  if (n < 0x100) return {0x81, static_cast<std::uint8_t>(n)};
  return {0x82, static_cast<std::uint8_t>(n >> 8), static_cast<std::uint8_t>(n)};
}
inline Bytes tlv(std::uint8_t tag, const Bytes& content) {
  Bytes out{tag};
  append(out, der_len(content.size()));
  append(out, content);
  return out;
}
inline Bytes oid(const std::string& dotted) {
  ASN1_OBJECT* o = OBJ_txt2obj(dotted.c_str(), 1);
  unsigned char* der = nullptr;
  int len = i2d_ASN1_OBJECT(o, &der);
  Bytes out(der, der + len);
  OPENSSL_free(der);
  ASN1_OBJECT_free(o);
  return out;
}
inline Bytes der_int(std::uint32_t v) {
  if (v == 0) return tlv(0x02, {0});
  Bytes c;
  for (int shift = 24; shift >= 0; shift -= 8)
    if (!c.empty() || (v >> shift) != 0) c.push_back(static_cast<std::uint8_t>(v >> shift));
  if (c[0] & 0x80) c.insert(c.begin(), 0);
  return tlv(0x02, c);
}
inline Bytes pair(const std::string& dotted, const Bytes& value) {
  Bytes c = oid(dotted);
  append(c, value);
  return tlv(0x30, c);
}

struct PckTcb {
  std::array<std::uint8_t, 16> sgx{3, 3, 2, 2, 4, 1, 0, 5};
  std::uint32_t pce_svn = 11;
  std::array<std::uint8_t, 6> fmspc{0xB0, 0xC0, 0x6F, 0, 0, 0};
  std::array<std::uint8_t, 2> pce_id{0, 0};
  bool with_fmspc = true;
};

// The SGX extension's extnValue.
inline Bytes sgx_extension(const PckTcb& t) {
  const std::string arc(kSgxExtensionOid);
  Bytes tcb;
  for (std::size_t i = 0; i < 16; ++i) append(tcb, pair(arc + ".2." + std::to_string(i + 1), der_int(t.sgx[i])));
  append(tcb, pair(arc + ".2.17", der_int(t.pce_svn)));
  append(tcb, pair(arc + ".2.18", tlv(0x04, Bytes(t.sgx.begin(), t.sgx.end()))));
  Bytes all;
  append(all, pair(arc + ".1", tlv(0x04, Bytes(16, 0xAB))));
  append(all, pair(arc + ".2", tlv(0x30, tcb)));
  append(all, pair(arc + ".3", tlv(0x04, Bytes(t.pce_id.begin(), t.pce_id.end()))));
  if (t.with_fmspc) append(all, pair(arc + ".4", tlv(0x04, Bytes(t.fmspc.begin(), t.fmspc.end()))));
  append(all, pair(arc + ".5", tlv(0x0A, {0})));
  return tlv(0x30, all);
}

inline X509_NAME* intel_name(const std::string& cn) {
  X509_NAME* n = X509_NAME_new();
  auto add = [&](const char* f, const std::string& v) {
    X509_NAME_add_entry_by_txt(n, f, MBSTRING_ASC, reinterpret_cast<const unsigned char*>(v.c_str()), -1, -1, 0);
  };
  add("CN", cn);
  add("O", "Intel Corporation");
  add("L", "Santa Clara");
  add("ST", "CA");
  add("C", "US");
  return n;
}

struct CertSpec {
  std::string cn, issuer_cn;
  EVP_PKEY* key = nullptr;
  EVP_PKEY* issuer_key = nullptr;
  bool ca = false;
  long serial = 1;
  std::int64_t not_before = kNow - 365 * kDay;
  std::int64_t not_after = kNow + 365 * kDay;
  std::optional<Bytes> sgx_ext;
};

inline Bytes make_cert(const CertSpec& s) {
  X509* x = X509_new();
  X509_set_version(x, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(x), s.serial);
  X509_NAME* subject = intel_name(s.cn);
  X509_NAME* issuer = intel_name(s.issuer_cn);
  X509_set_subject_name(x, subject);
  X509_set_issuer_name(x, issuer);
  X509_NAME_free(subject);
  X509_NAME_free(issuer);
  ASN1_TIME_set(X509_getm_notBefore(x), static_cast<time_t>(s.not_before));
  ASN1_TIME_set(X509_getm_notAfter(x), static_cast<time_t>(s.not_after));
  X509_set_pubkey(x, s.key);
  if (s.ca) {
    X509_EXTENSION* bc = X509V3_EXT_conf_nid(nullptr, nullptr, NID_basic_constraints, "critical,CA:TRUE");
    X509_add_ext(x, bc, -1);
    X509_EXTENSION_free(bc);
  }
  if (s.sgx_ext) {
    ASN1_OBJECT* obj = OBJ_txt2obj(std::string(kSgxExtensionOid).c_str(), 1);
    ASN1_OCTET_STRING* os = ASN1_OCTET_STRING_new();
    ASN1_OCTET_STRING_set(os, s.sgx_ext->data(), static_cast<int>(s.sgx_ext->size()));
    X509_EXTENSION* ext = X509_EXTENSION_create_by_OBJ(nullptr, obj, 0, os);
    X509_add_ext(x, ext, -1);
    X509_EXTENSION_free(ext);
    ASN1_OCTET_STRING_free(os);
    ASN1_OBJECT_free(obj);
  }
  X509_sign(x, s.issuer_key, EVP_sha256());
  unsigned char* der = nullptr;
  int len = i2d_X509(x, &der);
  Bytes out(der, der + len);
  OPENSSL_free(der);
  X509_free(x);
  return out;
}

inline std::string pem(const Bytes& der) {
  std::string b64 = base64_encode(der);
  std::string out = "-----BEGIN CERTIFICATE-----\n";
  for (std::size_t i = 0; i < b64.size(); i += 64) out += b64.substr(i, 64) + "\n";
  return out + "-----END CERTIFICATE-----\n";
}

// ECDSA P-256 / SHA-256 over msg as r || s.
inline std::array<std::uint8_t, 64> sign_p1363(EVP_PKEY* key, ByteView msg) {
  EVP_MD_CTX* md = EVP_MD_CTX_new();
  EVP_DigestSignInit(md, nullptr, EVP_sha256(), nullptr, key);
  std::size_t len = 0;
  EVP_DigestSign(md, nullptr, &len, msg.data(), msg.size());
  Bytes der(len);
  EVP_DigestSign(md, der.data(), &len, msg.data(), msg.size());
  EVP_MD_CTX_free(md);
  const unsigned char* p = der.data();
  ECDSA_SIG* sig = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(len));
  const BIGNUM* r = nullptr;
  const BIGNUM* s = nullptr;
  ECDSA_SIG_get0(sig, &r, &s);
  std::array<std::uint8_t, 64> out{};
  BN_bn2binpad(r, out.data(), 32);
  BN_bn2binpad(s, out.data() + 32, 32);
  ECDSA_SIG_free(sig);
  return out;
}

inline std::array<std::uint8_t, 64> raw_point(EVP_PKEY* key) {
  std::uint8_t buf[65] = {};
  std::size_t len = 0;
  EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_PUB_KEY, buf, sizeof buf, &len);
  std::array<std::uint8_t, 64> out{};
  std::copy(buf + 1, buf + 65, out.begin());
  return out;
}

inline Bytes make_crl(const std::string& issuer_cn, EVP_PKEY* key, const std::vector<long>& revoked,
                      std::int64_t this_update = kNow - kDay, std::int64_t next_update = kNow + 30 * kDay) {
  X509_CRL* crl = X509_CRL_new();
  X509_CRL_set_version(crl, 1);
  X509_NAME* n = intel_name(issuer_cn);
  X509_CRL_set_issuer_name(crl, n);
  X509_NAME_free(n);
  ASN1_TIME* tu = ASN1_TIME_set(nullptr, static_cast<time_t>(this_update));
  ASN1_TIME* nu = ASN1_TIME_set(nullptr, static_cast<time_t>(next_update));
  X509_CRL_set1_lastUpdate(crl, tu);
  X509_CRL_set1_nextUpdate(crl, nu);
  for (long serial : revoked) {
    X509_REVOKED* r = X509_REVOKED_new();
    ASN1_INTEGER* s = ASN1_INTEGER_new();
    ASN1_INTEGER_set(s, serial);
    X509_REVOKED_set_serialNumber(r, s);
    X509_REVOKED_set_revocationDate(r, tu);
    X509_CRL_add0_revoked(crl, r);
    ASN1_INTEGER_free(s);
  }
  X509_CRL_sort(crl);
  X509_CRL_sign(crl, key, EVP_sha256());
  unsigned char* der = nullptr;
  int len = i2d_X509_CRL(crl, &der);
  Bytes out(der, der + len);
  OPENSSL_free(der);
  ASN1_TIME_free(tu);
  ASN1_TIME_free(nu);
  X509_CRL_free(crl);
  return out;
}

inline constexpr long kRootSerial = 1, kCaSerial = 2, kPckSerial = 3, kTcbSignerSerial = 4;
inline const std::array<std::uint8_t, 32> kQeMrSigner = {0xDC, 0x9E, 0x2A, 0x7C, 1, 2, 3, 4};

// A whole synthetic Intel PKI.
struct Pki {
  PkeyPtr root_key{EVP_EC_gen("P-256")};
  PkeyPtr ca_key{EVP_EC_gen("P-256")};
  PkeyPtr pck_key{EVP_EC_gen("P-256")};
  PkeyPtr tcb_key{EVP_EC_gen("P-256")};
  PkeyPtr att_key{EVP_EC_gen("P-256")};
  Bytes root, ca, pck, tcb_signer;
  PckTcb pck_tcb;

  Pki() { rebuild(); }
  void rebuild(std::int64_t pck_not_before = kNow - 365 * kDay, std::int64_t pck_not_after = kNow + 365 * kDay) {
    root = make_cert({"Intel SGX Root CA", "Intel SGX Root CA", root_key.get(), root_key.get(), true, kRootSerial});
    ca = make_cert({"Intel SGX PCK Platform CA", "Intel SGX Root CA", ca_key.get(), root_key.get(), true, kCaSerial});
    pck = make_cert({"Intel SGX PCK Certificate", "Intel SGX PCK Platform CA", pck_key.get(), ca_key.get(), false,
                     kPckSerial, pck_not_before, pck_not_after, sgx_extension(pck_tcb)});
    tcb_signer = make_cert({"Intel SGX TCB Signing", "Intel SGX Root CA", tcb_key.get(), root_key.get(), false,
                            kTcbSignerSerial});
  }
  std::string pck_chain() const { return pem(pck) + pem(ca) + pem(root); }
  std::string tcb_chain() const { return pem(tcb_signer) + pem(root); }
  std::vector<Hash32> roots() const { return {sha256(root)}; }
};

struct QuoteSpec {
  DcapTee tee = DcapTee::kTdx;
  std::uint16_t version = 4;
  DcapBodyType body_type = DcapBodyType::kTd10;  // v5
  bool debug = false;
  std::array<std::uint8_t, 16> tee_tcb_svn{6, 1, 3};
  Bytes auth_data = Bytes(32, 0x5A);
  std::uint16_t qe_isv_svn = 8;
  std::uint16_t qe_prod_id = 2;
  std::string pem_chain;  // the Pki's when empty
};

inline void put16(Bytes& b, std::uint16_t v) {
  b.push_back(static_cast<std::uint8_t>(v));
  b.push_back(static_cast<std::uint8_t>(v >> 8));
}
inline void put32(Bytes& b, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) b.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}

inline Bytes qe_report(const Pki& pki, const QuoteSpec& s) {
  Bytes r(384, 0);
  r[48] = 0x11;  // ATTRIBUTES: INIT | PROVISIONKEY
  std::copy(kQeMrSigner.begin(), kQeMrSigner.end(), r.begin() + 128);
  r[256] = static_cast<std::uint8_t>(s.qe_prod_id);
  r[258] = static_cast<std::uint8_t>(s.qe_isv_svn);
  Bytes bound;
  const auto key = raw_point(pki.att_key.get());
  append(bound, ByteView(key));
  append(bound, s.auth_data);
  const Hash32 h = sha256(bound);
  std::copy(h.begin(), h.end(), r.begin() + 320);
  return r;
}

// Offsets of the parts of a built quote, for tests that edit them.
struct QuoteLayout {
  std::size_t signed_size = 0;
  std::size_t sig_len_at = 0;       // u32 signature data length
  std::size_t cert6_size_at = 0;    // u32 (TDX only)
  std::size_t qe_report_at = 0;
  std::size_t auth_size_at = 0;     // u16
  std::size_t auth_at = 0;
  std::size_t cert5_size_at = 0;    // u32
  std::size_t end = 0;
};

inline Bytes build_quote(const Pki& pki, const QuoteSpec& s, QuoteLayout* layout = nullptr) {
  QuoteLayout l;
  Bytes q;
  const bool tdx = s.tee == DcapTee::kTdx;
  put16(q, s.version);
  put16(q, kDcapAttKeyEcdsaP256);
  put32(q, tdx ? kDcapTeeTdx : kDcapTeeSgx);
  put16(q, tdx ? 0 : 8);
  put16(q, tdx ? 0 : 11);
  const std::array<std::uint8_t, 16> vendor = {0x93, 0x9a, 0x72, 0x33, 0xf7, 0x9c, 0x4c, 0xa9,
                                               0x94, 0x0a, 0x0d, 0xb3, 0x95, 0x7f, 0x06, 0x07};
  append(q, ByteView(vendor));
  append(q, Bytes(20, 0x07));
  if (tdx) {
    std::size_t body_size = s.body_type == DcapBodyType::kTd15 ? kTdReport15Size : kTdReport10Size;
    if (s.version == 5) {
      put16(q, static_cast<std::uint16_t>(s.body_type));
      put32(q, static_cast<std::uint32_t>(body_size));
    }
    Bytes body(body_size, 0);
    std::copy(s.tee_tcb_svn.begin(), s.tee_tcb_svn.end(), body.begin());
    for (std::size_t i = 16; i < 64; ++i) body[i] = 0x30;         // MRSEAM
    body[120] = s.debug ? 0x01 : 0x00;                             // TDATTRIBUTES
    body[123] = 0x10;
    for (std::size_t i = 136; i < 184; ++i) body[i] = 0x91;        // MRTD
    for (std::size_t i = 328; i < 520; ++i) body[i] = static_cast<std::uint8_t>(i);  // RTMRs
    for (std::size_t i = 520; i < 584; ++i) body[i] = 0xEE;        // REPORTDATA
    append(q, body);
  } else {
    Bytes body(384, 0);
    body[0] = 3;
    body[48] = s.debug ? 0x07 : 0x05;                              // FLAGS: INIT | MODE64 (| DEBUG)
    for (std::size_t i = 64; i < 96; ++i) body[i] = 0x33;          // MRENCLAVE
    for (std::size_t i = 128; i < 160; ++i) body[i] = 0x81;        // MRSIGNER
    body[256] = 4;                                                 // ISVPRODID
    body[258] = 9;                                                 // ISVSVN
    for (std::size_t i = 320; i < 384; ++i) body[i] = 0xEE;
    append(q, body);
  }
  l.signed_size = q.size();
  const auto sig = sign_p1363(pki.att_key.get(), q);
  const Bytes qe = qe_report(pki, s);
  const auto qe_sig = sign_p1363(pki.pck_key.get(), qe);
  const std::string chain = s.pem_chain.empty() ? pki.pck_chain() : s.pem_chain;

  Bytes qe_part;
  append(qe_part, qe);
  append(qe_part, ByteView(qe_sig));
  put16(qe_part, static_cast<std::uint16_t>(s.auth_data.size()));
  append(qe_part, s.auth_data);
  put16(qe_part, kDcapCertDataPckChain);
  put32(qe_part, static_cast<std::uint32_t>(chain.size()));
  append(qe_part, chain);

  Bytes sig_data;
  append(sig_data, ByteView(sig));
  append(sig_data, ByteView(raw_point(pki.att_key.get())));
  std::size_t qe_part_at = 0;
  if (tdx) {
    put16(sig_data, kDcapCertDataQeReport);
    l.cert6_size_at = l.signed_size + 4 + sig_data.size();
    put32(sig_data, static_cast<std::uint32_t>(qe_part.size()));
  }
  qe_part_at = l.signed_size + 4 + sig_data.size();
  append(sig_data, qe_part);
  l.sig_len_at = l.signed_size;
  put32(q, static_cast<std::uint32_t>(sig_data.size()));
  append(q, sig_data);
  l.qe_report_at = qe_part_at;
  l.auth_size_at = qe_part_at + 384 + 64;
  l.auth_at = l.auth_size_at + 2;
  l.cert5_size_at = l.auth_at + s.auth_data.size() + 2;
  l.end = q.size();
  if (layout) *layout = l;
  return q;
}

// TCB info / QE identity bodies, Intel's compact JSON shape.
struct TcbLevelSpec {
  std::array<std::uint8_t, 16> sgx{3, 3, 2, 2, 4, 1, 0, 5};
  std::uint32_t pce_svn = 11;
  std::array<std::uint8_t, 16> tdx{5, 0, 2};
  std::string status = "UpToDate";
  std::vector<std::string> advisories;
};

struct CollateralSpec {
  std::string id = "TDX";
  std::string fmspc = "B0C06F000000";
  std::string issue = "2025-06-10T00:00:00Z";
  std::string next = "2025-07-10T00:00:00Z";
  std::vector<TcbLevelSpec> levels{TcbLevelSpec{}};
  std::string module_mrsigner = std::string(96, '0');
  std::string module_status = "UpToDate";
  std::uint32_t module_isvsvn = 4;
  std::string qe_id = "TD_QE";
  std::uint32_t qe_prod_id = 2;
  std::uint32_t qe_isvsvn = 8;
  std::string qe_status = "UpToDate";
  std::vector<long> pck_crl_revoked;
  std::vector<long> root_crl_revoked;
  std::int64_t crl_next = kNow + 30 * kDay;
};

inline std::string json_list(const std::vector<std::string>& ids) {
  std::string out = "[";
  for (std::size_t i = 0; i < ids.size(); ++i) out += (i ? ",\"" : "\"") + ids[i] + "\"";
  return out + "]";
}

inline std::string components(const std::array<std::uint8_t, 16>& c) {
  std::string out = "[";
  for (std::size_t i = 0; i < 16; ++i) out += (i ? "," : "") + std::string("{\"svn\":") + std::to_string(c[i]) + "}";
  return out + "]";
}

inline std::string tcb_info_json(const CollateralSpec& c) {
  const bool tdx = c.id == "TDX";
  std::string j = "{\"id\":\"" + c.id + "\",\"version\":3,\"issueDate\":\"" + c.issue + "\",\"nextUpdate\":\"" +
                  c.next + "\",\"fmspc\":\"" + c.fmspc + "\",\"pceId\":\"0000\",\"tcbType\":0,\"tcbEvaluationDataNumber\":17,";
  if (tdx) {
    j += "\"tdxModule\":{\"mrsigner\":\"" + c.module_mrsigner +
         "\",\"attributes\":\"0000000000000000\",\"attributesMask\":\"FFFFFFFFFFFFFFFF\"},";
    j += "\"tdxModuleIdentities\":[{\"id\":\"TDX_01\",\"mrsigner\":\"" + c.module_mrsigner +
         "\",\"attributes\":\"0000000000000000\",\"attributesMask\":\"FFFFFFFFFFFFFFFF\",\"tcbLevels\":[{\"tcb\":{"
         "\"isvsvn\":" + std::to_string(c.module_isvsvn) + "},\"tcbDate\":\"2024-03-13T00:00:00Z\",\"tcbStatus\":\"" +
         c.module_status + "\"}]}],";
  }
  j += "\"tcbLevels\":[";
  for (std::size_t i = 0; i < c.levels.size(); ++i) {
    const TcbLevelSpec& l = c.levels[i];
    j += (i ? "," : "") + std::string("{\"tcb\":{\"sgxtcbcomponents\":") + components(l.sgx) +
         ",\"pcesvn\":" + std::to_string(l.pce_svn);
    if (tdx) j += ",\"tdxtcbcomponents\":" + components(l.tdx);
    j += "},\"tcbDate\":\"2024-03-13T00:00:00Z\",\"tcbStatus\":\"" + l.status + "\"";
    if (!l.advisories.empty()) j += ",\"advisoryIDs\":" + json_list(l.advisories);
    j += "}";
  }
  return j + "]}";
}

inline std::string qe_identity_json(const CollateralSpec& c) {
  return "{\"id\":\"" + c.qe_id + "\",\"version\":2,\"issueDate\":\"" + c.issue + "\",\"nextUpdate\":\"" + c.next +
         "\",\"tcbEvaluationDataNumber\":17,\"miscselect\":\"00000000\",\"miscselectMask\":\"FFFFFFFF\","
         "\"attributes\":\"11000000000000000000000000000000\",\"attributesMask\":"
         "\"FBFFFFFFFFFFFFFF0000000000000000\",\"mrsigner\":\"" +
         hex_encode(kQeMrSigner) + "\",\"isvprodid\":" + std::to_string(c.qe_prod_id) +
         ",\"tcbLevels\":[{\"tcb\":{\"isvsvn\":" + std::to_string(c.qe_isvsvn) +
         "},\"tcbDate\":\"2024-03-13T00:00:00Z\",\"tcbStatus\":\"" + c.qe_status + "\"}]}";
}

inline Bytes signed_body(EVP_PKEY* key, const std::string& member, const std::string& value) {
  const auto sig = sign_p1363(key, as_bytes(value));
  return to_bytes("{\"" + member + "\":" + value + ",\"signature\":\"" + hex_encode(sig) + "\"}");
}

inline DcapCollateral make_collateral(const Pki& pki, const CollateralSpec& c) {
  DcapCollateral out;
  out.tcb_info = signed_body(pki.tcb_key.get(), "tcbInfo", tcb_info_json(c));
  out.tcb_info_issuer_chain = to_bytes(pki.tcb_chain());
  out.qe_identity = signed_body(pki.tcb_key.get(), "enclaveIdentity", qe_identity_json(c));
  out.qe_identity_issuer_chain = to_bytes(pki.tcb_chain());
  out.pck_crl = make_crl("Intel SGX PCK Platform CA", pki.ca_key.get(), c.pck_crl_revoked, kNow - kDay, c.crl_next);
  out.pck_crl_issuer_chain = to_bytes(pem(pki.ca) + pem(pki.root));
  out.root_ca_crl = make_crl("Intel SGX Root CA", pki.root_key.get(), c.root_crl_revoked, kNow - kDay, c.crl_next);
  return out;
}

inline DcapOptions options(const Pki& pki) {
  DcapOptions o;
  o.at = now();
  o.extra_roots = pki.roots();
  return o;
}

}  // namespace verun::proofs::dcap_testing
