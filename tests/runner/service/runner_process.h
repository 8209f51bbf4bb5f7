// Test helpers for the runner's integration tests: start a program with its
// output in files and read its "listening on HOST:PORT" line, run a program
// to completion, pick a free port. Processes die with the test
// (PR_SET_PDEATHSIG). Test-only; one object per thread.
#pragma once

#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace verun::runner::testing {

inline std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class Proc {
 public:
  Proc() = default;
  Proc(const Proc&) = delete;
  Proc& operator=(const Proc&) = delete;
  ~Proc() { stop(); }

  void start(const std::vector<std::string>& argv, const std::filesystem::path& prefix) {
    out_ = prefix.string() + ".out";
    err_ = prefix.string() + ".err";
    std::ofstream(out_).close();
    std::ofstream(err_).close();
    pid_ = fork();
    if (pid_ == 0) {
      ::prctl(PR_SET_PDEATHSIG, SIGKILL);
      const int o = ::open(out_.c_str(), O_WRONLY | O_TRUNC);
      const int e = ::open(err_.c_str(), O_WRONLY | O_TRUNC);
      if (o < 0 || e < 0) _exit(126);
      ::dup2(o, 1);
      ::dup2(e, 2);
      std::vector<char*> args;
      for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
      args.push_back(nullptr);
      ::execv(args[0], args.data());
      _exit(127);
    }
  }

  // The port of the first "listening on [http://]HOST:PORT" line, 0 if the
  // process exits or the timeout passes first.
  int wait_for_port(std::chrono::milliseconds timeout = std::chrono::milliseconds(60000)) {
    const auto until = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < until) {
      const std::string text = slurp(out_);
      const auto at = text.find("listening on ");
      if (at != std::string::npos) {
        const auto nl = text.find('\n', at);
        if (nl != std::string::npos) {
          const auto colon = text.rfind(':', nl);
          return std::stoi(text.substr(colon + 1, nl - colon - 1));
        }
      }
      if (!running()) return 0;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return 0;
  }

  bool running() {
    if (pid_ <= 0) return false;
    int st = 0;
    const pid_t r = ::waitpid(pid_, &st, WNOHANG);
    if (r == pid_) {
      status_ = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
      pid_ = -1;
      return false;
    }
    return true;
  }

  // Waits for the exit (at most `timeout`, then SIGKILL); the exit code.
  int wait(std::chrono::milliseconds timeout) {
    const auto until = std::chrono::steady_clock::now() + timeout;
    while (running() && std::chrono::steady_clock::now() < until) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      int st = 0;
      ::waitpid(pid_, &st, 0);
      pid_ = -1;
      status_ = 128 + SIGKILL;
    }
    return status_;
  }

  // SIGTERM, then SIGKILL after 10 s; the exit code.
  int stop() {
    if (pid_ > 0) ::kill(pid_, SIGTERM);
    return wait(std::chrono::milliseconds(10000));
  }

  std::string out() const { return slurp(out_); }
  std::string err() const { return slurp(err_); }

 private:
  pid_t pid_ = -1;
  int status_ = -1;
  std::string out_, err_;
};

struct Ran {
  int code = -1;
  std::string out, err;
};

// Runs argv to completion with output in prefix.out/.err.
inline Ran run_to_end(const std::vector<std::string>& argv, const std::filesystem::path& prefix) {
  Proc p;
  p.start(argv, prefix);
  Ran r;
  r.code = p.wait(std::chrono::milliseconds(120000));
  r.out = p.out();
  r.err = p.err();
  return r;
}

// A port that was free a moment ago on 127.0.0.1.
inline int free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = 0;
  ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  const int port = ntohs(a.sin_port);
  ::close(fd);
  return port;
}

}  // namespace verun::runner::testing
