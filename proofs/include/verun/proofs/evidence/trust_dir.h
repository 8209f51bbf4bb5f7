// The trust directory (`--trust-dir`, DESIGN.md §5): DER certificates read
// from the *.pem, *.crt and *.der files of one folder, used to complete
// evidence chains (SNP without ASK/ARK, DCAP, Nitro). It can never add a
// root: chains still end at a root pinned by SHA-256 in code. Reads the
// file system; stateless and thread-safe.
#pragma once

#include <cstddef>
#include <filesystem>
#include <vector>

#include "verun/proofs/bytes.h"
#include "verun/result.h"

namespace verun::proofs {

inline constexpr std::size_t kTrustDirMaxFiles = 256;
inline constexpr std::size_t kTrustDirMaxFileSize = 256 * 1024;
inline constexpr std::size_t kTrustDirMaxCertificates = 1024;

// Every certificate of the folder's regular files named *.pem, *.crt or
// *.der (case-insensitive), in file name order; other files and
// subfolders are ignored. A PEM file may hold several CERTIFICATE blocks
// (other block types are skipped); a .der file is exactly one certificate;
// a .crt file is either. Errors: trust_dir.unreadable (not a folder, a file
// that cannot be read, over kTrustDirMaxFiles files, a file over
// kTrustDirMaxFileSize bytes, over kTrustDirMaxCertificates certificates),
// trust_dir.invalid_certificate (a file with no certificate, a certificate
// that is not exact DER, a PEM block that does not decode).
Result<std::vector<Bytes>> load_trust_dir(const std::filesystem::path& dir);

// The certificates of one file's contents (the rules above; `name` for
// messages, its extension deciding PEM or DER).
Result<std::vector<Bytes>> parse_trust_file(ByteView contents, const std::filesystem::path& name);

}  // namespace verun::proofs
