// Helpers for the log's process-level tests: run a command, start the real
// `verun-log serve` on 127.0.0.1:0 (port read from its output), and find or
// build Go's tlogcheck (shared/tools/tlog-interop). Test-only; the functions
// are thread-safe except where they share a directory.
#pragma once

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "tests/support/vectors.h"

namespace verun::log::testing {

namespace fs = std::filesystem;

inline std::string sh_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

inline std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Runs cmd through the shell with stdout and stderr into log; its exit code.
inline int run(const std::string& cmd, const fs::path& log) {
  const int st = std::system((cmd + " >" + sh_quote(log.string()) + " 2>&1").c_str());
  return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

// Creates d/log.key (named `name`) and returns the vkey (empty on failure).
inline std::string keygen(const fs::path& d, const std::string& name) {
  if (run(std::string(VERUN_LOG_BIN) + " keygen --name " + sh_quote(name) + " --out " +
              sh_quote((d / "log.key").string()),
          d / "keygen.out") != 0) {
    return "";
  }
  std::string vkey = slurp(d / "keygen.out");
  while (!vkey.empty() && vkey.back() == '\n') vkey.pop_back();
  return vkey;
}

// Starts `verun-log serve` on 127.0.0.1:0 over d/log.db with d/log.key and
// d/policy.json (plus `extra` arguments); returns its pid and sets port (0
// if it never listened within 10 s). Output goes to d/<tag>.out/.err.
inline pid_t start_serve(const fs::path& d, int& port, const std::string& tag = "serve",
                         const std::vector<std::string>& extra = {}) {
  port = 0;
  const std::string out = (d / (tag + ".out")).string(), err = (d / (tag + ".err")).string();
  std::ofstream(out).close();
  const std::string db = (d / "log.db").string(), key = (d / "log.key").string(), pol = (d / "policy.json").string();
  std::vector<std::string> args = {VERUN_LOG_BIN, "serve", "--db", db, "--key", key, "--listen", "127.0.0.1:0",
                                   "--admission-policy", pol, "--batch-wait-ms", "5", "--max-body-bytes", "1048576"};
  args.insert(args.end(), extra.begin(), extra.end());
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::fflush(nullptr);  // the child's freopen would flush our buffers again
  const pid_t pid = fork();
  if (pid == 0) {
    if (!freopen(out.c_str(), "w", stdout) || !freopen(err.c_str(), "w", stderr)) _exit(126);
    execv(VERUN_LOG_BIN, argv.data());
    _exit(127);
  }
  constexpr std::string_view kListening = "listening on http://127.0.0.1:";
  for (int i = 0; i < 2000 && port == 0 && pid > 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    const std::string text = slurp(out);
    const auto at = text.find(kListening);
    if (at != std::string::npos && text.find('\n', at) != std::string::npos) {
      port = std::stoi(text.substr(at + kListening.size()));
    }
  }
  return pid;
}

// SIGTERM and wait; true when it exited 0.
inline bool stop_serve(pid_t pid) {
  if (pid <= 0) return false;
  kill(pid, SIGTERM);
  int st = 0;
  waitpid(pid, &st, 0);
  return WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

// The folder holding Go's tlogcheck, built on first use into
// <build>/tlog-interop-bin (or $TLOG_INTEROP_BIN); nullopt with `why` set
// when Go, x/mod or shared/ is missing (tests then skip visibly).
inline std::optional<fs::path> tlog_interop_bin(const fs::path& scratch, std::string& why) {
  auto shared = ::verun::testing::shared_root();
  if (!shared || !fs::exists(*shared / "tools/tlog-interop/build.sh")) {
    why = "SKIPPED: shared/tools/tlog-interop not found";
    return std::nullopt;
  }
  const char* env_bin = std::getenv("TLOG_INTEROP_BIN");
  const fs::path bin = env_bin && *env_bin ? fs::path(env_bin) : fs::path(VERUN_BINARY_DIR) / "tlog-interop-bin";
  if (fs::exists(bin / "tlogcheck")) return bin;
  if (std::system("command -v go >/dev/null 2>&1") != 0 ||
      !fs::exists("/usr/share/gocode/src/golang.org/x/mod/sumdb/note/note.go")) {
    why = "SKIPPED: Go or golang.org/x/mod (golang-golang-x-mod-dev) is not installed";
    return std::nullopt;
  }
  const int rc = run("flock " + sh_quote((fs::path(VERUN_BINARY_DIR) / "tlog-interop-bin.lock").string()) +
                         " env TLOG_INTEROP_BIN=" + sh_quote(bin.string()) + " bash " +
                         sh_quote((*shared / "tools/tlog-interop/build.sh").string()),
                     scratch / "go-build.log");
  if (rc != 0 || !fs::exists(bin / "tlogcheck")) {
    why = "SKIPPED: building the Go tools failed";
    return std::nullopt;
  }
  return bin;
}

}  // namespace verun::log::testing
