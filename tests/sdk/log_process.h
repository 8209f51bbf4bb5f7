// Test helper: a real `verun-log serve` process on 127.0.0.1 (port 0, read
// from its output) over a fresh key, database and admission policy in a
// temporary folder, stopped with SIGTERM on destruction. Used by the SDK's
// log client, client and CLI tests. Test-only; not thread-safe.
#pragma once

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

namespace verun::sdk::testing {

inline std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline std::string sh_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

class LogProcess {
 public:
  // Writes dir/policy.json, makes dir/log.key with `verun-log keygen`, starts
  // `verun-log serve`. ok() tells whether it listens.
  LogProcess(const std::filesystem::path& log_bin, const std::filesystem::path& dir, const std::string& policy_json,
             const std::string& origin = "example.com/sdk-test-log")
      : dir_(dir), origin_(origin) {
    std::ofstream(dir / "policy.json") << policy_json;
    const std::string keygen = sh_quote(log_bin.string()) + " keygen --name " + sh_quote(origin) + " --out " +
                               sh_quote((dir / "log.key").string()) + " >" + sh_quote((dir / "keygen.out").string()) +
                               " 2>&1";
    if (std::system(keygen.c_str()) != 0) return;
    vkey_ = slurp(dir / "keygen.out");
    while (!vkey_.empty() && (vkey_.back() == '\n' || vkey_.back() == '\r')) vkey_.pop_back();
    const std::string out = (dir / "serve.out").string(), err = (dir / "serve.err").string();
    std::ofstream(out).close();
    pid_ = fork();
    if (pid_ == 0) {
      if (!freopen(out.c_str(), "w", stdout) || !freopen(err.c_str(), "w", stderr)) _exit(126);
      const std::string db = (dir / "log.db").string(), key = (dir / "log.key").string(),
                        pol = (dir / "policy.json").string();
      execl(log_bin.c_str(), log_bin.c_str(), "serve", "--db", db.c_str(), "--key", key.c_str(), "--listen",
            "127.0.0.1:0", "--admission-policy", pol.c_str(), "--batch-wait-ms", "5", static_cast<char*>(nullptr));
      _exit(127);
    }
    constexpr std::string_view kListening = "listening on http://127.0.0.1:";
    for (int i = 0; i < 400 && port_ == 0 && pid_ > 0; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
      const std::string text = slurp(out);
      const auto at = text.find(kListening);
      if (at != std::string::npos && text.find('\n', at) != std::string::npos) {
        port_ = std::stoi(text.substr(at + kListening.size()));
      }
    }
  }

  ~LogProcess() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      int st = 0;
      waitpid(pid_, &st, 0);
    }
  }

  LogProcess(const LogProcess&) = delete;
  LogProcess& operator=(const LogProcess&) = delete;

  bool ok() const { return pid_ > 0 && port_ != 0; }
  int port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  const std::string& vkey() const { return vkey_; }          // the log's verifier key text
  const std::string& origin() const { return origin_; }
  std::string stderr_text() const { return slurp(dir_ / "serve.err"); }

 private:
  std::filesystem::path dir_;
  std::string origin_;
  std::string vkey_;
  pid_t pid_ = -1;
  int port_ = 0;
};

}  // namespace verun::sdk::testing
