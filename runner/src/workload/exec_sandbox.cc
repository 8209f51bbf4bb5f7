// The exec sandbox (see exec_sandbox.h and README.md).
#include "exec_sandbox.h"

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/seccomp.h>
#include <grp.h>
#include <sched.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <string>

#include "seccomp_filter.h"

namespace verun::runner::detail {
namespace {

using Clock = std::chrono::steady_clock;

constexpr const char* kCleanPath = "PATH=/usr/bin:/bin";
constexpr std::size_t kChunk = 64 * 1024;

// The child's report on the status pipe: one record "about to exec" with
// the protections that applied, or one "failed at stage" with errno.
enum Stage : std::uint8_t {
  kStageExec = 0,  // ok: about to execve (flags valid)
  kStageFds,
  kStageNamespaces,
  kStageCredentials,
  kStageChdir,
  kStageRlimits,
  kStageSeccomp,
  kStageExecve,
};
enum Flag : std::uint8_t {
  kFlagRlimits = 1,
  kFlagDropped = 2,
  kFlagUserNs = 4,
  kFlagNetNs = 8,
  kFlagSeccomp = 16,
  kFlagNproc = 32,
};
struct StatusRecord {
  std::uint8_t stage = 0;
  std::uint8_t flags = 0;
  std::int32_t err = 0;
};

const char* stage_name(std::uint8_t stage) {
  switch (stage) {
    case kStageFds: return "setting up file descriptors";
    case kStageNamespaces: return "writing the user namespace maps";
    case kStageCredentials: return "dropping privileges";
    case kStageChdir: return "entering the working directory";
    case kStageRlimits: return "setting resource limits";
    case kStageSeccomp: return "installing the seccomp filter";
    case kStageExecve: return "executing the workload";
    default: return "starting the workload";
  }
}

// An owned file descriptor.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() { reset(); }
  Fd(Fd&& o) noexcept : fd_(o.release()) {}
  Fd& operator=(Fd&& o) noexcept {
    if (this != &o) {
      reset();
      fd_ = o.release();
    }
    return *this;
  }
  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  int release() {
    int f = fd_;
    fd_ = -1;
    return f;
  }
  void reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_ = -1;
};

Error sandbox_error(const std::string& what, int err) {
  return Error(ErrorCode::kWorkloadSandboxFailed, what + ": " + std::strerror(err));
}

Result<void> make_pipe(Fd& read_end, Fd& write_end) {
  int p[2];
  if (::pipe2(p, O_CLOEXEC) != 0) return sandbox_error("pipe", errno);
  read_end = Fd(p[0]);
  write_end = Fd(p[1]);
  return ok();
}

void set_nonblocking(int fd) { ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK); }

// Writes all of `data` to fd (async-signal-safe; used by the child).
void write_all(int fd, const void* data, std::size_t size) {
  const auto* p = static_cast<const char*>(data);
  while (size > 0) {
    ssize_t n = ::write(fd, p, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    p += n;
    size -= static_cast<std::size_t>(n);
  }
}

bool write_file(const char* path, const std::string& text) {
  int fd = ::open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0) return false;
  ssize_t n = ::write(fd, text.data(), text.size());
  ::close(fd);
  return n == static_cast<ssize_t>(text.size());
}

std::filesystem::path default_work_root() {
  std::error_code ec;
  if (std::filesystem::is_directory("/dev/shm", ec) && ::access("/dev/shm", W_OK | X_OK) == 0) return "/dev/shm";
  auto tmp = std::filesystem::temp_directory_path(ec);
  return ec ? std::filesystem::path("/tmp") : tmp;
}

// Everything the child needs, prepared before fork (no allocation after it).
struct ChildPlan {
  int stdin_fd = -1, stdout_fd = -1, stderr_fd = -1, status_fd = -1;
  const char* exe = nullptr;
  char* const* argv = nullptr;
  char* const* envp = nullptr;
  const char* workdir = nullptr;
  bool root = false;
  bool use_namespaces = true;
  pid_t runner_pid = 0;
  uid_t uid = 0;
  gid_t gid = 0;
  const std::string* uid_map = nullptr;
  const std::string* gid_map = nullptr;
  std::array<std::pair<int, rlimit>, 6> limits{};
  const std::vector<sock_filter>* seccomp = nullptr;
};

[[noreturn]] void child_fail(int status_fd, std::uint8_t stage, int err) {
  StatusRecord r{stage, 0, err};
  write_all(status_fd, &r, sizeof r);
  ::_exit(127);
}

// Runs in the forked child: only async-signal-safe calls from here on.
[[noreturn]] void child_main(const ChildPlan& p) {
  ::setpgid(0, 0);
  // Move the four descriptors above 9 first so that dup2 cannot clobber one.
  int in = ::fcntl(p.stdin_fd, F_DUPFD, 10);
  int out = ::fcntl(p.stdout_fd, F_DUPFD, 10);
  int err = ::fcntl(p.stderr_fd, F_DUPFD, 10);
  int st = ::fcntl(p.status_fd, F_DUPFD, 10);
  if (st < 0) ::_exit(127);
  if (in < 0 || out < 0 || err < 0) child_fail(st, kStageFds, errno);
  if (::dup2(in, 0) < 0 || ::dup2(out, 1) < 0 || ::dup2(err, 2) < 0 || ::dup2(st, 3) < 0)
    child_fail(st, kStageFds, errno);
  st = 3;
  ::fcntl(3, F_SETFD, FD_CLOEXEC);
  if (::syscall(SYS_close_range, 4U, ~0U, 0U) != 0) {
    for (int fd = 4; fd < 65536; ++fd) ::close(fd);
  }

  // Default signal dispositions and an empty mask (the runner blocks SIGPIPE).
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  for (int s = 1; s < NSIG; ++s)
    if (s != SIGKILL && s != SIGSTOP) ::sigaction(s, &dfl, nullptr);
  sigset_t none;
  ::sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);

  std::uint8_t flags = 0;
  if (p.root) {
    if (p.use_namespaces && ::unshare(CLONE_NEWNET) == 0) flags |= kFlagNetNs;
    if (::setgroups(0, nullptr) != 0 || ::setgid(p.gid) != 0 || ::setuid(p.uid) != 0)
      child_fail(st, kStageCredentials, errno);
    flags |= kFlagDropped | kFlagNproc;
  } else {
    if (p.use_namespaces && ::unshare(CLONE_NEWUSER | CLONE_NEWNET) == 0) {
      // Map our own ids so that files created in the working directory
      // have an owner; the workload keeps no capabilities across execve.
      if (!write_file("/proc/self/setgroups", "deny") || !write_file("/proc/self/uid_map", *p.uid_map) ||
          !write_file("/proc/self/gid_map", *p.gid_map))
        child_fail(st, kStageNamespaces, errno);
      flags |= kFlagUserNs | kFlagNetNs;
    }
    flags |= kFlagNproc;
  }
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() != p.runner_pid) ::_exit(127);  // the runner is already gone

  if (::chdir(p.workdir) != 0) child_fail(st, kStageChdir, errno);
  for (const auto& [resource, value] : p.limits)
    if (::setrlimit(resource, &value) != 0) child_fail(st, kStageRlimits, errno);
  flags |= kFlagRlimits;

  if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) child_fail(st, kStageSeccomp, errno);
  if (!p.seccomp->empty()) {
    sock_fprog prog{};
    prog.len = static_cast<unsigned short>(p.seccomp->size());
    prog.filter = const_cast<sock_filter*>(p.seccomp->data());
    if (::prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) != 0) child_fail(st, kStageSeccomp, errno);
    flags |= kFlagSeccomp;
  }

  StatusRecord ready{kStageExec, flags, 0};
  write_all(st, &ready, sizeof ready);
  ::execve(p.exe, p.argv, p.envp);
  child_fail(st, kStageExecve, errno);
}

// Blocks SIGPIPE in the calling thread for the object's life, and swallows
// any SIGPIPE our writes raised, so that a workload closing its stdin cannot
// kill the runner.
class SigpipeGuard {
 public:
  SigpipeGuard() {
    sigset_t pipe;
    ::sigemptyset(&pipe);
    ::sigaddset(&pipe, SIGPIPE);
    ::pthread_sigmask(SIG_BLOCK, &pipe, &old_);
    sigset_t pending;
    ::sigpending(&pending);
    was_pending_ = ::sigismember(&pending, SIGPIPE) == 1;
  }
  ~SigpipeGuard() {
    if (raised_ && !was_pending_) {
      sigset_t pipe;
      ::sigemptyset(&pipe);
      ::sigaddset(&pipe, SIGPIPE);
      timespec zero{};
      while (::sigtimedwait(&pipe, nullptr, &zero) == SIGPIPE) {
      }
    }
    ::pthread_sigmask(SIG_SETMASK, &old_, nullptr);
  }
  void raised() { raised_ = true; }

 private:
  sigset_t old_{};
  bool was_pending_ = false;
  bool raised_ = false;
};

int exit_code_of(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return 255;
}

}  // namespace

Result<RunOutcome> run_exec(const ExecJob& job, proofs::ByteView input, const RunOptions& options) {
  const WorkloadLimits& limits = job.limits;
  const bool root = ::geteuid() == 0;
  if (limits.timeout_ms <= 0 || limits.memory_bytes <= 0 || limits.max_output_bytes <= 0 ||
      options.max_processes <= 0 || options.max_open_files <= 0 || options.max_file_bytes <= 0 ||
      options.max_stderr_bytes < 0)
    return Error(ErrorCode::kWorkloadSandboxFailed, "a limit or run option is not a positive number");

  // argv and envp, built before fork.
  std::vector<std::string> args_storage;
  args_storage.push_back(job.executable.string());
  args_storage.insert(args_storage.end(), job.args.begin(), job.args.end());
  std::vector<char*> argv;
  for (auto& a : args_storage) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::string path_env = kCleanPath;
  std::array<char*, 2> envp{path_env.data(), nullptr};
  std::string uid_map = std::to_string(::geteuid()) + " " + std::to_string(::geteuid()) + " 1";
  std::string gid_map = std::to_string(::getegid()) + " " + std::to_string(::getegid()) + " 1";

  // A fresh working directory, owned by whoever the workload runs as.
  std::filesystem::path root_dir = options.work_root.empty() ? default_work_root() : options.work_root;
  std::string tmpl = (root_dir / "verun-job-XXXXXX").string();
  if (!::mkdtemp(tmpl.data())) return sandbox_error("creating a working directory in " + root_dir.string(), errno);
  std::filesystem::path workdir = tmpl;
  struct Cleanup {
    std::filesystem::path dir;
    ~Cleanup() {
      std::error_code ec;
      std::filesystem::remove_all(dir, ec);
    }
  } cleanup{workdir};
  if (root && ::chown(workdir.c_str(), options.unprivileged_uid, options.unprivileged_gid) != 0)
    return sandbox_error("giving the working directory to the workload's user", errno);

  Fd in_r, in_w, out_r, out_w, err_r, err_w, st_r, st_w;
  VERUN_TRY(make_pipe(in_r, in_w));
  VERUN_TRY(make_pipe(out_r, out_w));
  VERUN_TRY(make_pipe(err_r, err_w));
  VERUN_TRY(make_pipe(st_r, st_w));

  auto lim = [](std::int64_t soft, std::int64_t hard) {
    rlimit r{};
    r.rlim_cur = static_cast<rlim_t>(soft);
    r.rlim_max = static_cast<rlim_t>(hard);
    return r;
  };
  std::int64_t cpu_seconds = (limits.timeout_ms + 999) / 1000 + 1;
  ChildPlan plan;
  plan.stdin_fd = in_r.get();
  plan.stdout_fd = out_w.get();
  plan.stderr_fd = err_w.get();
  plan.status_fd = st_w.get();
  plan.exe = args_storage[0].c_str();
  plan.argv = argv.data();
  plan.envp = envp.data();
  plan.workdir = workdir.c_str();
  plan.root = root;
  plan.use_namespaces = options.use_namespaces;
  plan.runner_pid = ::getpid();
  plan.uid = options.unprivileged_uid;
  plan.gid = options.unprivileged_gid;
  plan.uid_map = &uid_map;
  plan.gid_map = &gid_map;
  plan.limits = {{
      {RLIMIT_CPU, lim(cpu_seconds, cpu_seconds + 1)},
      {RLIMIT_AS, lim(limits.memory_bytes, limits.memory_bytes)},
      {RLIMIT_FSIZE, lim(options.max_file_bytes, options.max_file_bytes)},
      {RLIMIT_NOFILE, lim(options.max_open_files, options.max_open_files)},
      {RLIMIT_CORE, lim(0, 0)},
      {RLIMIT_NPROC, lim(options.max_processes, options.max_processes)},
  }};
  plan.seccomp = &sandbox_seccomp_program();

  SigpipeGuard sigpipe;
  const auto start = Clock::now();
  const auto deadline = start + std::chrono::milliseconds(limits.timeout_ms);
  pid_t pid = ::fork();
  if (pid < 0) return sandbox_error("fork", errno);
  if (pid == 0) child_main(plan);

  // Parent: close the child's ends, learn how the start went.
  in_r.reset();
  out_w.reset();
  err_w.reset();
  st_w.reset();
  StatusRecord ready{};
  StatusRecord failure{};
  bool started = false, failed = false;
  while (true) {
    StatusRecord r{};
    ssize_t n = ::read(st_r.get(), &r, sizeof r);
    if (n < 0 && errno == EINTR) continue;
    if (n != static_cast<ssize_t>(sizeof r)) break;
    if (r.stage == kStageExec) {
      ready = r;
      started = true;
    } else {
      failure = r;
      failed = true;
    }
  }
  st_r.reset();
  if (failed || !started) {
    ::kill(pid, SIGKILL);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return sandbox_error(std::string(stage_name(failure.stage)) + " " + job.executable.string(),
                         failed ? failure.err : ECHILD);
  }

  RunOutcome outcome;
  outcome.protections.rlimits = ready.flags & kFlagRlimits;
  outcome.protections.dropped_privileges = ready.flags & kFlagDropped;
  outcome.protections.user_namespace = ready.flags & kFlagUserNs;
  outcome.protections.network_namespace = ready.flags & kFlagNetNs;
  outcome.protections.seccomp = ready.flags & kFlagSeccomp;
  outcome.protections.nproc_enforced = ready.flags & kFlagNproc;

  Fd pidfd(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)));
  set_nonblocking(in_w.get());
  set_nonblocking(out_r.get());
  set_nonblocking(err_r.get());
  if (input.empty()) in_w.reset();

  std::size_t written = 0;
  bool exited = false, timed_out = false, overflow = false, group_killed = false;
  const auto max_output = static_cast<std::size_t>(limits.max_output_bytes);
  std::array<std::uint8_t, kChunk> buf{};
  auto kill_group = [&] {
    if (!group_killed) ::kill(-pid, SIGKILL);
    group_killed = true;
  };

  while (!(exited && !out_r.valid() && !err_r.valid())) {
    auto now = Clock::now();
    if (now >= deadline) {
      timed_out = !exited;  // once the main process has ended, a slow drain is not a timeout
      kill_group();
      break;
    }
    std::array<pollfd, 4> fds{};
    nfds_t count = 0;
    int in_i = -1, out_i = -1, err_i = -1, pid_i = -1;
    if (in_w.valid()) {
      in_i = static_cast<int>(count);
      fds[count++] = {in_w.get(), POLLOUT, 0};
    }
    if (out_r.valid()) {
      out_i = static_cast<int>(count);
      fds[count++] = {out_r.get(), POLLIN, 0};
    }
    if (err_r.valid()) {
      err_i = static_cast<int>(count);
      fds[count++] = {err_r.get(), POLLIN, 0};
    }
    if (!exited && pidfd.valid()) {
      pid_i = static_cast<int>(count);
      fds[count++] = {pidfd.get(), POLLIN, 0};
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now).count() + 1;
    int wait_ms = static_cast<int>(std::min<std::int64_t>(left, pidfd.valid() ? 1000 : 10));
    int rc = ::poll(fds.data(), count, wait_ms);
    if (rc < 0 && errno != EINTR) break;

    if (in_i >= 0 && fds[in_i].revents) {
      std::size_t chunk = std::min(kChunk, input.size() - written);
      ssize_t n = ::write(in_w.get(), input.data() + written, chunk);
      if (n > 0) written += static_cast<std::size_t>(n);
      if (n < 0 && errno == EPIPE) sigpipe.raised();
      if ((n < 0 && errno != EAGAIN && errno != EINTR) || written == input.size()) in_w.reset();
    }
    if (out_i >= 0 && fds[out_i].revents) {
      ssize_t n = ::read(out_r.get(), buf.data(), buf.size());
      if (n > 0) {
        std::size_t room = max_output - std::min(max_output, outcome.output.size());
        std::size_t keep = std::min(room, static_cast<std::size_t>(n));
        outcome.output.insert(outcome.output.end(), buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(keep));
        if (keep < static_cast<std::size_t>(n)) {
          overflow = true;
          kill_group();
          out_r.reset();
        }
      } else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
        out_r.reset();
      }
    }
    if (err_i >= 0 && fds[err_i].revents) {
      ssize_t n = ::read(err_r.get(), buf.data(), buf.size());
      if (n > 0) {
        outcome.stderr_bytes += n;
        if (outcome.stderr_bytes > options.max_stderr_bytes) err_r.reset();
      } else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
        err_r.reset();
      }
    }
    bool child_done = pid_i >= 0 && fds[pid_i].revents;
    if (!pidfd.valid() && !exited) {
      siginfo_t info{};
      child_done = ::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid == pid;
    }
    if (child_done) {
      // The workload's main process ended (still a zombie, so its group id
      // cannot be reused): end whatever it left behind, then drain the pipes.
      exited = true;
      kill_group();
      in_w.reset();
    }
  }
  in_w.reset();
  out_r.reset();
  err_r.reset();
  kill_group();
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  outcome.exit_code = exit_code_of(status);
  auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
  if (timed_out) {
    outcome.result = RunResult::kTimeout;
    outcome.detail = "timed out after " + std::to_string(limits.timeout_ms) + " ms";
  } else if (overflow) {
    outcome.result = RunResult::kFailed;
    outcome.detail = "output exceeded " + std::to_string(limits.max_output_bytes) + " bytes";
  } else if (outcome.exit_code == 0) {
    outcome.result = RunResult::kOk;
  } else {
    outcome.result = RunResult::kFailed;
    outcome.detail = "exited with status " + std::to_string(outcome.exit_code) + " after " +
                     std::to_string(elapsed) + " ms";
  }
  return outcome;
}

}  // namespace verun::runner::detail
