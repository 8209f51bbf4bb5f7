// Sim root key files (DESIGN.md §6 "Key files"); see verun/runner/key_file.h.
#include "verun/runner/key_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "verun/proofs/base64.h"
#include "verun/proofs/note/note_key.h"

namespace verun::runner {
namespace {

constexpr std::size_t kMaxKeyFileBytes = 4096;

}  // namespace

Result<std::string> create_sim_root_key_file(const std::string& path, const std::string& name) {
  VERUN_ASSIGN_OR_RETURN(auto signer, proofs::NoteSigner::generate(name, proofs::NoteKeyType::kEd25519));
  proofs::SecureBytes text = proofs::format_signer_key(signer);
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST) return Error(ErrorCode::kRunnerKeyFileExists, path + " already exists and is not overwritten");
    return Error(ErrorCode::kIoError, "cannot create " + path + ": " + std::strerror(errno));
  }
  ::fchmod(fd, 0600);
  std::size_t done = 0;
  bool ok = true;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) { ok = false; break; }
    done += static_cast<std::size_t>(n);
  }
  if (ok && ::write(fd, "\n", 1) != 1) ok = false;
  if (ok && ::fsync(fd) != 0) ok = false;
  ::close(fd);
  if (!ok) {
    ::unlink(path.c_str());
    return Error(ErrorCode::kIoError, "cannot write " + path);
  }
  return proofs::base64_encode(signer.verifier().public_key());
}

Result<proofs::Ed25519PrivateKey> read_sim_root_key_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Error(ErrorCode::kRunnerBadKeyFile, "cannot open " + path + ": " + std::strerror(errno));
  proofs::SecureBytes buf(kMaxKeyFileBytes + 1);
  std::size_t got = 0;
  while (got < buf.size()) {
    const ssize_t n = ::read(fd, buf.data() + got, buf.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += static_cast<std::size_t>(n);
  }
  ::close(fd);
  if (got > kMaxKeyFileBytes) return Error(ErrorCode::kRunnerBadKeyFile, path + " is larger than 4096 bytes");
  std::string_view text(reinterpret_cast<const char*>(buf.data()), got);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.remove_suffix(1);
  auto signer = proofs::parse_signer_key(text);
  if (!signer) return Error(ErrorCode::kRunnerBadKeyFile, path + " is not an x/mod private key: " + signer.error().message);
  if (signer->type() != proofs::NoteKeyType::kEd25519) {
    return Error(ErrorCode::kRunnerBadKeyFile, path + " is not an Ed25519 (type 0x01) key");
  }
  auto key = proofs::Ed25519PrivateKey::from_seed(signer->seed().view());
  if (!key) return Error(ErrorCode::kRunnerBadKeyFile, path + " holds an unusable seed");
  return std::move(*key);
}

}  // namespace verun::runner
