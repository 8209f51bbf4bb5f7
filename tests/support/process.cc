#include "tests/support/process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

namespace verun::testing {
namespace {

namespace fs = std::filesystem;

int decode_status(int st) {
  if (WIFEXITED(st)) return WEXITSTATUS(st);
  if (WIFSIGNALED(st)) return 128 + WTERMSIG(st);
  return -1;
}

// Forks and execs argv with the given files as stdin/stdout/stderr; the
// child is killed when the test process dies. -1 when fork fails.
pid_t spawn(const std::vector<std::string>& argv, const std::string& in, const std::string& out,
            const std::string& err) {
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid != 0) return pid;
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != parent) _exit(126);
  const int fin = open(in.c_str(), O_RDONLY | O_CLOEXEC);
  const int fout = open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  const int ferr = open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fin < 0 || fout < 0 || ferr < 0) _exit(126);
  if (dup2(fin, 0) < 0 || dup2(fout, 1) < 0 || dup2(ferr, 2) < 0) _exit(126);
  execv(args[0], args.data());
  _exit(127);
}

// Waits for pid until the deadline; the decoded status, or -2 on timeout.
int wait_until(pid_t pid, std::chrono::steady_clock::time_point deadline) {
  auto pause = std::chrono::microseconds(200);
  for (;;) {
    int st = 0;
    const pid_t r = waitpid(pid, &st, WNOHANG);
    if (r == pid) return decode_status(st);
    if (r < 0) return -1;
    if (std::chrono::steady_clock::now() >= deadline) return -2;
    std::this_thread::sleep_for(pause);
    if (pause < std::chrono::milliseconds(10)) pause *= 2;
  }
}

fs::path temp_base() {
  const char* t = std::getenv("TMPDIR");
  return t && *t ? fs::path(t) : fs::path("/tmp");
}

}  // namespace

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool write_text(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  return static_cast<bool>(out.flush());
}

RunResult run_program(const std::vector<std::string>& argv, const std::string& input,
                      std::chrono::seconds timeout) {
  RunResult result;
  std::string tmpl = (temp_base() / "verun-run-XXXXXX").string();
  if (!mkdtemp(tmpl.data())) return result;
  const fs::path dir = tmpl;
  const fs::path in = dir / "in", out = dir / "out", err = dir / "err";
  if (write_text(in, input)) {
    const pid_t pid = spawn(argv, in.string(), out.string(), err.string());
    if (pid > 0) {
      result.exit_code = wait_until(pid, std::chrono::steady_clock::now() + timeout);
      if (result.exit_code == -2) {
        kill(pid, SIGKILL);
        result.exit_code = wait_until(pid, std::chrono::steady_clock::now() + std::chrono::seconds(10));
      }
      result.out = read_text(out);
      result.err = read_text(err);
    }
  }
  std::error_code ec;
  fs::remove_all(dir, ec);
  return result;
}

ChildProcess::ChildProcess(ChildProcess&& other) noexcept
    : pid_(other.pid_), status_(other.status_), prefix_(std::move(other.prefix_)) {
  other.pid_ = -1;
}

ChildProcess& ChildProcess::operator=(ChildProcess&& other) noexcept {
  if (this != &other) {
    stop();
    pid_ = other.pid_;
    status_ = other.status_;
    prefix_ = std::move(other.prefix_);
    other.pid_ = -1;
  }
  return *this;
}

ChildProcess::~ChildProcess() { stop(); }

ChildProcess ChildProcess::start(const std::vector<std::string>& argv, const fs::path& log_prefix) {
  ChildProcess p;
  p.prefix_ = log_prefix;
  const std::string out = log_prefix.string() + ".out", err = log_prefix.string() + ".err";
  write_text(out, "");
  p.pid_ = spawn(argv, "/dev/null", out, err);
  return p;
}

bool ChildProcess::running() {
  if (pid_ <= 0) return false;
  int st = 0;
  const pid_t r = waitpid(pid_, &st, WNOHANG);
  if (r == 0) return true;
  if (r == pid_) status_ = decode_status(st);
  pid_ = -1;
  return false;
}

int ChildProcess::wait_for_port(std::chrono::milliseconds timeout) {
  constexpr std::string_view kListening = "listening on ";
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    const std::string text = out();
    const auto at = text.find(kListening);
    if (at != std::string::npos) {
      const auto eol = text.find('\n', at);
      if (eol != std::string::npos) {
        const std::string addr = text.substr(at + kListening.size(), eol - at - kListening.size());
        const auto colon = addr.rfind(':');
        if (colon == std::string::npos) return 0;
        int port = 0;
        for (std::size_t i = colon + 1; i < addr.size() && addr[i] >= '0' && addr[i] <= '9'; ++i) {
          port = port * 10 + (addr[i] - '0');
          if (port > 65535) return 0;
        }
        return port;
      }
    }
    if (!running()) return 0;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return 0;
}

std::string ChildProcess::out() const { return read_text(prefix_.string() + ".out"); }
std::string ChildProcess::err() const { return read_text(prefix_.string() + ".err"); }

int ChildProcess::stop(std::chrono::milliseconds grace) {
  if (pid_ <= 0) return status_;
  kill(pid_, SIGTERM);
  int st = wait_until(pid_, std::chrono::steady_clock::now() + grace);
  if (st == -2) {
    kill(pid_, SIGKILL);
    st = wait_until(pid_, std::chrono::steady_clock::now() + std::chrono::seconds(10));
  }
  status_ = st;
  pid_ = -1;
  return status_;
}

}  // namespace verun::testing
