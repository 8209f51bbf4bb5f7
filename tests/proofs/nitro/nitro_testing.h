// Test helpers for nitro-cose and the AMD CRL: synthetic keys, certificates
// (ECDSA P-384 or RSASSA-PSS SHA-384 signed), CRLs and attestation documents
// made here with OpenSSL and verun's CBOR writer. Tests only: the roots they
// make are trusted through NitroOptions::roots alone.
#pragma once

#include <gtest/gtest.h>

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "verun/proofs/bytes.h"
#include "verun/proofs/evidence/cbor.h"
#include "verun/proofs/evidence/cose.h"

namespace verun::proofs::nitro_testing {

struct PkeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;

inline PkeyPtr make_p384() { return PkeyPtr(EVP_EC_gen("P-384")); }
inline PkeyPtr make_rsa(unsigned bits = 2048) { return PkeyPtr(EVP_RSA_gen(bits)); }

// 2024-09-07T14:37:39.545Z, the time of the corpus' blocky document.
constexpr std::int64_t kDocSeconds = 1'725'719'859;
constexpr std::uint64_t kDocMs = 1'725'719'859'545ULL;
constexpr std::int64_t kHour = 3600;
constexpr std::int64_t kDay = 86'400;

enum class SignWith { kEcdsaSha384, kPssSha384, kPkcs1Sha384 };

struct CertSpec {
  std::string cn;
  std::string issuer_cn;
  EVP_PKEY* subject_key = nullptr;
  EVP_PKEY* issuer_key = nullptr;
  bool ca = false;
  long serial = 1;
  std::int64_t not_before = kDocSeconds - 30 * kDay;
  std::int64_t not_after = kDocSeconds + 30 * kDay;
  SignWith sign = SignWith::kEcdsaSha384;
  std::map<std::string, Bytes> extensions = {};  // OID -> extnValue contents
};

inline X509_NAME* name_of(const std::string& cn) {
  X509_NAME* n = X509_NAME_new();
  X509_NAME_add_entry_by_txt(n, "O", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("verun test"), -1, -1, 0);
  X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0);
  return n;
}

// Signs with SHA-384, as ECDSA, RSASSA-PSS (salt 48, MGF1 SHA-384) or PKCS#1 v1.5.
inline void sign_setup(EVP_MD_CTX* md, EVP_PKEY* key, SignWith sign) {
  EVP_PKEY_CTX* pctx = nullptr;
  EVP_DigestSignInit(md, &pctx, EVP_sha384(), nullptr, key);
  if (sign == SignWith::kPssSha384) {
    EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING);
    EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, 48);
    EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, EVP_sha384());
  }
}

inline Bytes make_cert(const CertSpec& s) {
  X509* x = X509_new();
  X509_set_version(x, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(x), s.serial);
  X509_NAME* subject = name_of(s.cn);
  X509_NAME* issuer = name_of(s.issuer_cn);
  X509_set_subject_name(x, subject);
  X509_set_issuer_name(x, issuer);
  X509_NAME_free(subject);
  X509_NAME_free(issuer);
  ASN1_TIME_set(X509_getm_notBefore(x), static_cast<time_t>(s.not_before));
  ASN1_TIME_set(X509_getm_notAfter(x), static_cast<time_t>(s.not_after));
  X509_set_pubkey(x, s.subject_key);
  if (s.ca) {
    X509_EXTENSION* bc = X509V3_EXT_conf_nid(nullptr, nullptr, NID_basic_constraints, "critical,CA:TRUE");
    X509_add_ext(x, bc, -1);
    X509_EXTENSION_free(bc);
  }
  for (const auto& [oid, value] : s.extensions) {
    ASN1_OBJECT* obj = OBJ_txt2obj(oid.c_str(), 1);
    ASN1_OCTET_STRING* os = ASN1_OCTET_STRING_new();
    ASN1_OCTET_STRING_set(os, value.data(), static_cast<int>(value.size()));
    X509_EXTENSION* ext = X509_EXTENSION_create_by_OBJ(nullptr, obj, 0, os);
    X509_add_ext(x, ext, -1);
    X509_EXTENSION_free(ext);
    ASN1_OCTET_STRING_free(os);
    ASN1_OBJECT_free(obj);
  }
  EVP_MD_CTX* md = EVP_MD_CTX_new();
  sign_setup(md, s.issuer_key, s.sign);
  EXPECT_GT(X509_sign_ctx(x, md), 0);
  EVP_MD_CTX_free(md);
  unsigned char* der = nullptr;
  int len = i2d_X509(x, &der);
  Bytes out(der, der + len);
  OPENSSL_free(der);
  X509_free(x);
  return out;
}

// ECDSA P-384 / SHA-384 over msg as r || s (48 bytes each).
inline Bytes sign_p1363(EVP_PKEY* key, ByteView msg) {
  EVP_MD_CTX* md = EVP_MD_CTX_new();
  EVP_DigestSignInit(md, nullptr, EVP_sha384(), nullptr, key);
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
  Bytes out(96);
  BN_bn2binpad(r, out.data(), 48);
  BN_bn2binpad(s, out.data() + 48, 48);
  ECDSA_SIG_free(sig);
  return out;
}

// A three-level Nitro-like chain: root (self-signed CA) -> zonal CA -> leaf,
// all P-384 / ECDSA SHA-384.
struct Chain {
  PkeyPtr root_key = make_p384();
  PkeyPtr ca_key = make_p384();
  PkeyPtr leaf_key = make_p384();
  Bytes root, ca, leaf;

  explicit Chain(std::int64_t leaf_not_before = kDocSeconds - kHour, std::int64_t leaf_not_after = kDocSeconds + 2 * kHour) {
    root = make_cert({"test.nitro-root", "test.nitro-root", root_key.get(), root_key.get(), true, 1,
                      kDocSeconds - 365 * kDay, kDocSeconds + 365 * kDay});
    ca = make_cert({"test.zonal", "test.nitro-root", ca_key.get(), root_key.get(), true, 2});
    leaf = make_cert({"i-0123-enc0456", "test.zonal", leaf_key.get(), ca_key.get(), false, 3, leaf_not_before,
                      leaf_not_after});
  }
};

// One payload entry: a text key and the encoded value; entries are written
// in order, so a test may repeat, drop or add any.
struct Entry {
  std::string key;
  Bytes value;  // CBOR of the value
};

inline Bytes cbor_uint(std::uint64_t v) { Bytes b; append_cbor_head(b, 0, v); return b; }
inline Bytes cbor_bytes(ByteView v) { Bytes b; append_cbor_bytes(b, v); return b; }
inline Bytes cbor_text(std::string_view v) { Bytes b; append_cbor_text(b, v); return b; }
inline Bytes cbor_null() { return {0xF6}; }

inline Bytes cbor_pcrs(const std::map<std::uint64_t, Bytes>& pcrs) {
  Bytes b;
  append_cbor_head(b, 5, pcrs.size());
  for (const auto& [i, v] : pcrs) {
    append_cbor_head(b, 0, i);
    append_cbor_bytes(b, v);
  }
  return b;
}

inline Bytes cbor_cabundle(const std::vector<Bytes>& certs) {
  Bytes b;
  append_cbor_head(b, 4, certs.size());
  for (const Bytes& c : certs) append_cbor_bytes(b, c);
  return b;
}

inline std::map<std::uint64_t, Bytes> sample_pcrs(bool debug = false) {
  std::map<std::uint64_t, Bytes> pcrs;
  for (std::uint64_t i = 0; i < 16; ++i) {
    Bytes v(48, 0);
    if (!debug && (i < 3 || i == 4))
      for (std::size_t k = 0; k < 48; ++k) v[k] = static_cast<std::uint8_t>(0x40 + 3 * i + k);
    pcrs[i] = v;
  }
  return pcrs;
}

inline Bytes sample_user_data() {
  Bytes u(64);
  for (std::size_t i = 0; i < 64; ++i) u[i] = static_cast<std::uint8_t>(0x80 + i);
  return u;
}

inline std::vector<Entry> sample_entries(const Chain& c) {
  return {
      {"module_id", cbor_text("i-0123-enc0456")},
      {"digest", cbor_text("SHA384")},
      {"timestamp", cbor_uint(kDocMs)},
      {"pcrs", cbor_pcrs(sample_pcrs())},
      {"certificate", cbor_bytes(c.leaf)},
      {"cabundle", cbor_cabundle({c.root, c.ca})},
      {"public_key", cbor_bytes(Bytes(91, 0x04))},
      {"user_data", cbor_bytes(sample_user_data())},
      {"nonce", cbor_null()},
  };
}

inline Bytes cbor_map(const std::vector<Entry>& entries) {
  Bytes b;
  append_cbor_head(b, 5, entries.size());
  for (const Entry& e : entries) {
    append_cbor_text(b, e.key);
    append(b, e.value);
  }
  return b;
}

inline const Bytes& es384_protected() {
  static const Bytes p = {0xA1, 0x01, 0x38, 0x22};  // {1: -35}
  return p;
}

// COSE_Sign1 [protected, {}, payload, signature] signed by `key`.
inline Bytes make_document(ByteView payload, EVP_PKEY* key, ByteView protected_header = es384_protected(),
                           bool tagged = false) {
  const Bytes sig = sign_p1363(key, cose_sign1_to_be_signed(protected_header, payload));
  Bytes d;
  if (tagged) append_cbor_head(d, 6, kCoseSign1Tag);
  append_cbor_head(d, 4, 4);
  append_cbor_bytes(d, protected_header);
  append_cbor_head(d, 5, 0);
  append_cbor_bytes(d, payload);
  append_cbor_bytes(d, sig);
  return d;
}

}  // namespace verun::proofs::nitro_testing
