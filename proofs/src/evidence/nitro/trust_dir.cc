// Loading the trust directory: bounded reads of *.pem / *.crt / *.der files,
// PEM CERTIFICATE blocks (RFC 7468) decoded and every certificate checked as
// exact DER; see trust_dir.h.
#include "verun/proofs/evidence/trust_dir.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <string>
#include <system_error>

#include "verun/proofs/base64.h"
#include "verun/proofs/crypto/x509_chain.h"

namespace verun::proofs {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kBegin = "-----BEGIN ";
constexpr std::string_view kCertLabel = "CERTIFICATE-----";
constexpr std::string_view kEndCert = "-----END CERTIFICATE-----";

Error unreadable(const std::string& why) { return Error(ErrorCode::kTrustDirUnreadable, "trust directory: " + why); }
Error invalid(const fs::path& name, const std::string& why) {
  return Error(ErrorCode::kTrustDirInvalidCertificate, "trust directory file " + name.filename().string() + " " + why);
}

std::string lower_extension(const fs::path& p) {
  std::string ext = p.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  return ext;
}

Result<Bytes> checked_der(Bytes der, const fs::path& name) {
  Result<X509Cert> cert = X509Cert::parse_der(der);
  if (!cert) return invalid(name, "holds a certificate that is not exact DER: " + cert.error().message);
  return der;
}

Result<std::vector<Bytes>> parse_pem(std::string_view text, const fs::path& name) {
  std::vector<Bytes> out;
  std::size_t pos = 0;
  while ((pos = text.find(kBegin, pos)) != std::string_view::npos) {
    const std::size_t label = pos + kBegin.size();
    if (text.substr(label, kCertLabel.size()) != kCertLabel) {
      pos = label;  // another block type (a key, a CRL): skipped
      continue;
    }
    const std::size_t body = label + kCertLabel.size();
    const std::size_t end = text.find(kEndCert, body);
    if (end == std::string_view::npos) return invalid(name, "has a CERTIFICATE block without its END line");
    std::string b64;
    for (char c : text.substr(body, end - body))
      if (!std::isspace(static_cast<unsigned char>(c))) b64.push_back(c);
    Result<Bytes> der = base64_decode(b64);
    if (!der) return invalid(name, "has a CERTIFICATE block that is not base64");
    VERUN_ASSIGN_OR_RETURN(Bytes cert, checked_der(std::move(*der), name));
    out.push_back(std::move(cert));
    pos = end + kEndCert.size();
  }
  if (out.empty()) return invalid(name, "holds no PEM CERTIFICATE block");
  return out;
}

}  // namespace

Result<std::vector<Bytes>> parse_trust_file(ByteView contents, const fs::path& name) {
  const std::string ext = lower_extension(name);
  const bool looks_pem = as_string_view(contents).find(kBegin) != std::string_view::npos;
  if (ext == ".pem" || (ext == ".crt" && looks_pem)) return parse_pem(as_string_view(contents), name);
  if (contents.empty()) return invalid(name, "is empty");
  VERUN_ASSIGN_OR_RETURN(Bytes der, checked_der(Bytes(contents.begin(), contents.end()), name));
  return std::vector<Bytes>{std::move(der)};
}

Result<std::vector<Bytes>> load_trust_dir(const fs::path& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return unreadable(dir.string() + " is not a readable folder");
  std::vector<fs::path> files;
  fs::directory_iterator it(dir, ec);
  if (ec) return unreadable("cannot list " + dir.string() + ": " + ec.message());
  for (; it != fs::directory_iterator(); it.increment(ec)) {
    if (ec) return unreadable("cannot list " + dir.string() + ": " + ec.message());
    const std::string ext = lower_extension(it->path());
    if (ext != ".pem" && ext != ".crt" && ext != ".der") continue;
    if (!it->is_regular_file(ec)) continue;
    if (files.size() == kTrustDirMaxFiles)
      return unreadable(dir.string() + " has more than " + std::to_string(kTrustDirMaxFiles) + " certificate files");
    files.push_back(it->path());
  }
  if (ec) return unreadable("cannot list " + dir.string() + ": " + ec.message());
  std::sort(files.begin(), files.end());
  std::vector<Bytes> out;
  for (const fs::path& f : files) {
    std::ifstream in(f, std::ios::binary);
    if (!in) return unreadable("cannot open " + f.filename().string());
    Bytes contents;
    char buf[4096];
    while (in.read(buf, sizeof buf) || in.gcount() > 0) {
      contents.insert(contents.end(), buf, buf + in.gcount());
      if (contents.size() > kTrustDirMaxFileSize)
        return unreadable(f.filename().string() + " is larger than " + std::to_string(kTrustDirMaxFileSize) + " bytes");
    }
    if (in.bad()) return unreadable("cannot read " + f.filename().string());
    VERUN_ASSIGN_OR_RETURN(std::vector<Bytes> certs, parse_trust_file(contents, f));
    for (Bytes& c : certs) {
      if (out.size() == kTrustDirMaxCertificates)
        return unreadable(dir.string() + " holds more than " + std::to_string(kTrustDirMaxCertificates) +
                          " certificates");
      out.push_back(std::move(c));
    }
  }
  return out;
}

}  // namespace verun::proofs
