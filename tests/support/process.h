// Child processes for integration tests: run a program to completion and
// capture its output, or start a server (`verun-log serve`, `verun-runner
// serve`) and read the port from its "listening on [http://]HOST:PORT" line.
// A started process dies with the test (PR_SET_PDEATHSIG) and is stopped by
// the destructor. Test-only; one object per thread.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace verun::testing {

struct RunResult {
  int exit_code = -1;  // the exit status, 128+signal when killed, -1 if it never ran
  std::string out;     // stdout
  std::string err;     // stderr
};

// Runs argv (argv[0] is a path) with `input` on stdin; waits at most
// `timeout` (then SIGKILL, exit_code 128+9).
RunResult run_program(const std::vector<std::string>& argv, const std::string& input = "",
                      std::chrono::seconds timeout = std::chrono::seconds(120));

class ChildProcess {
 public:
  ChildProcess() = default;
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  ChildProcess(ChildProcess&& other) noexcept;
  ChildProcess& operator=(ChildProcess&& other) noexcept;
  ~ChildProcess();

  // Starts argv with stdout and stderr written to `log_prefix`.out/.err.
  static ChildProcess start(const std::vector<std::string>& argv, const std::filesystem::path& log_prefix);

  // Waits for a "listening on [http://]HOST:PORT" line on stdout; the port,
  // or 0 when the process exits or the timeout passes first.
  int wait_for_port(std::chrono::milliseconds timeout = std::chrono::milliseconds(30000));
  bool running();
  pid_t pid() const { return pid_; }
  std::string out() const;
  std::string err() const;
  // SIGTERM, then SIGKILL after `grace`; the exit status as in RunResult.
  int stop(std::chrono::milliseconds grace = std::chrono::milliseconds(5000));

 private:
  pid_t pid_ = -1;
  int status_ = -1;
  std::filesystem::path prefix_;
};

// The whole file, or "" if it cannot be read.
std::string read_text(const std::filesystem::path& path);
// Writes text to the file (replacing it); false on failure.
bool write_text(const std::filesystem::path& path, const std::string& text);

}  // namespace verun::testing
