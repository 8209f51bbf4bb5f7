// One PEM or DER certificate in, its DER and SubjectPublicKeyInfo DER out
// (RFC 5280 §4.1, RFC 7468 for PEM), through OpenSSL.
#include "verun/proofs/crypto/x509.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <climits>
#include <memory>

namespace verun::proofs {
namespace {

struct X509Deleter {
  void operator()(X509* x) const { X509_free(x); }
};
struct BioDeleter {
  void operator()(BIO* b) const { BIO_free(b); }
};
using X509Ptr = std::unique_ptr<X509, X509Deleter>;

// Also clears OpenSSL's thread error queue, so a failed parse leaves no trace.
Error malformed(const char* why) {
  ERR_clear_error();
  return Error(ErrorCode::kX509Malformed, std::string("certificate ") + why);
}

bool looks_like_pem(ByteView in) {
  std::string_view s = as_string_view(in);
  return s.find("-----BEGIN") != std::string_view::npos;
}

}  // namespace

Result<Certificate> parse_certificate(ByteView in) {
  if (in.empty()) return malformed("input is empty");
  if (in.size() > static_cast<std::size_t>(INT_MAX)) return malformed("input is too large");
  X509Ptr cert;
  if (looks_like_pem(in)) {
    std::unique_ptr<BIO, BioDeleter> bio(BIO_new_mem_buf(in.data(), static_cast<int>(in.size())));
    if (!bio) return Error(ErrorCode::kCryptoBackend, "BIO_new_mem_buf failed");
    cert.reset(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
    if (!cert) return malformed("PEM has no readable CERTIFICATE block");
  } else {
    const unsigned char* p = in.data();
    cert.reset(d2i_X509(nullptr, &p, static_cast<long>(in.size())));
    if (!cert) return malformed("DER does not parse");
    if (p != in.data() + in.size()) return malformed("DER has trailing bytes");
  }
  Certificate out;
  unsigned char* der = nullptr;
  int len = i2d_X509(cert.get(), &der);
  if (len <= 0) return malformed("cannot be re-encoded as DER");
  out.der.assign(der, der + len);
  OPENSSL_free(der);
  int len_spki = 0;

  X509_PUBKEY* pub = X509_get_X509_PUBKEY(cert.get());
  if (!pub) return malformed("has no SubjectPublicKeyInfo");
  unsigned char* spki = nullptr;
  len_spki = i2d_X509_PUBKEY(pub, &spki);
  if (len_spki <= 0) return malformed("SubjectPublicKeyInfo cannot be encoded");
  out.spki_der.assign(spki, spki + len_spki);
  OPENSSL_free(spki);
  return out;
}

}  // namespace verun::proofs
