// Builds the exec sandbox's seccomp filter (see seccomp_filter.h).
#include "seccomp_filter.h"

#include <seccomp.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace verun::runner::detail {
namespace {

std::vector<sock_filter> build() {
  std::vector<sock_filter> program;
  scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
  if (!ctx) return program;
  bool ok = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EACCES), SCMP_SYS(socket), 1, SCMP_A0(SCMP_CMP_EQ, AF_INET)) == 0 &&
            seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EACCES), SCMP_SYS(socket), 1, SCMP_A0(SCMP_CMP_EQ, AF_INET6)) == 0 &&
            seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(setsid), 0) == 0 &&
            seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(setpgid), 0) == 0 &&
            seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(io_uring_setup), 0) == 0;
  if (ok) {
    int fd = memfd_create("verun-seccomp", MFD_CLOEXEC);
    if (fd >= 0) {
      if (seccomp_export_bpf(ctx, fd) == 0) {
        off_t size = lseek(fd, 0, SEEK_END);
        if (size > 0 && size % static_cast<off_t>(sizeof(sock_filter)) == 0 && size < (1 << 20)) {
          program.resize(static_cast<std::size_t>(size) / sizeof(sock_filter));
          if (pread(fd, program.data(), static_cast<std::size_t>(size), 0) != size) program.clear();
        }
      }
      close(fd);
    }
  }
  seccomp_release(ctx);
  return program;
}

}  // namespace

const std::vector<sock_filter>& sandbox_seccomp_program() {
  static const std::vector<sock_filter> program = build();
  return program;
}

}  // namespace verun::runner::detail
