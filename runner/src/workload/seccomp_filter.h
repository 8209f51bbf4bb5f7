// The exec sandbox's seccomp filter (DESIGN.md §7 hygiene), compiled once to
// classic BPF with libseccomp so that the forked child installs it with two
// prctl calls (no allocation between fork and exec). Rules: socket() for
// AF_INET and AF_INET6 fails with EACCES; setsid() and setpgid() fail with
// EPERM (a workload cannot leave the process group the runner kills);
// io_uring_setup() fails with ENOSYS (it could open sockets without socket()).
// Everything else is allowed. Thread-safe.
#pragma once

#include <linux/filter.h>

#include <vector>

namespace verun::runner::detail {

// The filter program, or empty when libseccomp could not build it (the
// sandbox then reports seccomp as not applied).
const std::vector<sock_filter>& sandbox_seccomp_program();

}  // namespace verun::runner::detail
