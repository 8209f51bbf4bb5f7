// The exec sandbox through run_workload, with real processes (DESIGN.md §7
// "status" and "Hygiene"): ok, exit codes, signals, timeout, memory and
// output limits, rejected input, stdin never read, clean environment, fresh
// working directory, no network, leftover processes, concurrency. Builtins
// through the same entry point.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "tests/support/matchers.h"
#include "tests/support/temp_dir.h"
#include "verun/proofs/hex.h"
#include "verun/proofs/sha2.h"
#include "verun/runner/workload/registry.h"
#include "verun/runner/workload/run.h"

namespace verun::runner {
namespace {

namespace fs = std::filesystem;
using testing::HasCode;
using testing::IsOk;
using Clock = std::chrono::steady_clock;

struct Limits {
  std::int64_t timeout_ms = 5000;
  std::int64_t max_input_bytes = 1 << 20;
  std::int64_t max_output_bytes = 1 << 20;
  std::int64_t memory_bytes = 256 << 20;
};

class Sandbox : public ::testing::Test {
 protected:
  void SetUp() override {
    // The workload may run as an unprivileged user: let it reach its script.
    fs::permissions(dir_.path(), fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                                     fs::perms::others_read | fs::perms::others_exec);
    work_root_ = dir_.path() / "work";
    fs::create_directory(work_root_);
    fs::permissions(work_root_, fs::perms::owner_all | fs::perms::others_exec | fs::perms::group_exec);
    options_.work_root = work_root_;
  }

  // An exec workload running `script` (a shell script) under `limits`.
  Workload script(const std::string& body, Limits l = {}) {
    std::string name = "w" + std::to_string(count_++);
    fs::path file = dir_.path() / (name + ".sh");
    std::string text = "#!/bin/sh\n" + body + "\n";
    std::ofstream(file) << text;
    fs::permissions(file, fs::perms::owner_all | fs::perms::others_read | fs::perms::others_exec |
                              fs::perms::group_read | fs::perms::group_exec);
    std::string limits = R"({"timeout_ms": )" + std::to_string(l.timeout_ms) +
                         R"(, "max_input_bytes": )" + std::to_string(l.max_input_bytes) +
                         R"(, "max_output_bytes": )" + std::to_string(l.max_output_bytes) +
                         R"(, "memory_bytes": )" + std::to_string(l.memory_bytes) + "}";
    std::string reg = R"({"workloads": [{"manifest": {"name": ")" + name +
                      R"(", "version": "1", "kind": "exec", "digest": {"sha256": ")" +
                      proofs::hex_encode(proofs::sha256(text)) + R"("}, "limits": )" + limits + R"(}, "path": ")" +
                      file.string() + "\"}]}";
    auto r = parse_registry(reg, dir_.path());
    EXPECT_THAT(r, IsOk());
    return r->workloads().at(0);
  }

  RunOutcome run(const Workload& w, std::string_view input = "") {
    auto r = run_workload(w, proofs::as_bytes(input), options_);
    EXPECT_THAT(r, IsOk());
    return r ? *r : RunOutcome{};
  }

  static std::string out(const RunOutcome& o) { return proofs::to_string(o.output); }

  bool work_root_empty() const { return fs::is_empty(work_root_); }

  testing::TempDir dir_;
  fs::path work_root_;
  RunOptions options_;
  int count_ = 0;
};

TEST_F(Sandbox, OkPathPipesInputToOutput) {
  auto o = run(script("exec tr a-z A-Z"), "hello, sandbox\n");
  EXPECT_EQ(o.result, RunResult::kOk);
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_EQ(out(o), "HELLO, SANDBOX\n");
  EXPECT_TRUE(o.protections.rlimits);
  EXPECT_TRUE(o.protections.seccomp);
  EXPECT_TRUE(o.protections.nproc_enforced);
  EXPECT_TRUE(work_root_empty());
}

TEST_F(Sandbox, ArgsReachTheExecutable) {
  std::string text = "#!/bin/sh\nprintf '%s|' \"$@\"\n";
  fs::path file = dir_.path() / "args.sh";
  std::ofstream(file) << text;
  fs::permissions(file, fs::perms::all);
  std::string reg = R"({"workloads": [{"manifest": {"name": "args", "version": "1", "kind": "exec",
      "digest": {"sha256": ")" + proofs::hex_encode(proofs::sha256(text)) + R"("}, "args": ["a b", "", "$HOME"],
      "limits": {"timeout_ms": 5000, "max_input_bytes": 10, "max_output_bytes": 100, "memory_bytes": 268435456}},
      "path": "args.sh"}]})";
  auto r = parse_registry(reg, dir_.path());
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(out(run(r->workloads()[0])), "a b||$HOME|");
}

TEST_F(Sandbox, NonZeroExitIsFailedWithItsCode) {
  auto o = run(script("echo partial; exit 3"));
  EXPECT_EQ(o.result, RunResult::kFailed);
  EXPECT_EQ(o.exit_code, 3);
  EXPECT_EQ(out(o), "partial\n");
}

TEST_F(Sandbox, KilledBySignalIs128PlusSignal) {
  auto o = run(script("kill -9 $$"));
  EXPECT_EQ(o.result, RunResult::kFailed);
  EXPECT_EQ(o.exit_code, 128 + 9);
  auto segv = run(script("kill -SEGV $$"));
  EXPECT_EQ(segv.exit_code, 128 + 11);
}

TEST_F(Sandbox, InfiniteLoopTimesOutAndTheRunnerSurvives) {
  auto start = Clock::now();
  auto o = run(script("while :; do :; done", {.timeout_ms = 300}));
  auto took = Clock::now() - start;
  EXPECT_EQ(o.result, RunResult::kTimeout);
  EXPECT_EQ(o.exit_code, 128 + 9);
  EXPECT_LT(took, std::chrono::seconds(5));
  EXPECT_GE(took, std::chrono::milliseconds(300));
  // A sleeping child that holds stdout open is killed with the group.
  auto s = run(script("sleep 1000 & sleep 1000", {.timeout_ms = 200}));
  EXPECT_EQ(s.result, RunResult::kTimeout);
  EXPECT_TRUE(work_root_empty());
}

TEST_F(Sandbox, MemoryHogFails) {
  // The shell's own memory grows past RLIMIT_AS (64 MiB) holding 200 MB.
  auto o = run(script("x=$(head -c 200000000 /dev/zero | tr '\\0' a); echo survived ${#x}", {.memory_bytes = 64 << 20}));
  EXPECT_EQ(o.result, RunResult::kFailed);
  EXPECT_NE(o.exit_code, 0);
  EXPECT_EQ(out(o).find("survived"), std::string::npos);
}

TEST_F(Sandbox, OutputOverTheCapFailsWithThePrefix) {
  auto o = run(script("head -c 10000000 /dev/zero", {.max_output_bytes = 4096}));
  EXPECT_EQ(o.result, RunResult::kFailed);
  EXPECT_EQ(o.output.size(), 4096u);
  auto exact = run(script("head -c 4096 /dev/zero", {.max_output_bytes = 4096}));
  EXPECT_EQ(exact.result, RunResult::kOk);
  EXPECT_EQ(exact.output.size(), 4096u);
}

TEST_F(Sandbox, InputOverTheLimitIsRejectedWithoutRunning) {
  auto w = script("sleep 5; echo ran", {.max_input_bytes = 1000});
  auto start = Clock::now();
  auto o = run(w, std::string(1001, 'x'));
  EXPECT_EQ(o.result, RunResult::kRejected);
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_TRUE(o.output.empty());
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(2));
  EXPECT_TRUE(work_root_empty());
}

TEST_F(Sandbox, WorkloadThatNeverReadsStdinDoesNotHang) {
  auto w = script("echo done", {.timeout_ms = 10000, .max_input_bytes = 32 << 20});
  auto start = Clock::now();
  auto o = run(w, std::string(32 << 20, 'x'));
  EXPECT_EQ(o.result, RunResult::kOk);
  EXPECT_EQ(out(o), "done\n");
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(5));
  // Reads a little, then exits: the runner's writes hit EPIPE, not SIGPIPE.
  auto partial = run(script("head -c 10 >/dev/null; echo read", {.max_input_bytes = 32 << 20}),
                     std::string(32 << 20, 'y'));
  EXPECT_EQ(out(partial), "read\n");
  // A workload that keeps running without reading is ended by the timeout.
  auto stuck = run(script("sleep 1000", {.timeout_ms = 300, .max_input_bytes = 32 << 20}), std::string(32 << 20, 'z'));
  EXPECT_EQ(stuck.result, RunResult::kTimeout);
}

TEST_F(Sandbox, LargeInputAndOutputStream) {
  std::string input(8 << 20, 'q');
  auto o = run(script("exec cat", {.max_input_bytes = 8 << 20, .max_output_bytes = 8 << 20}), input);
  EXPECT_EQ(o.result, RunResult::kOk);
  EXPECT_EQ(out(o), input);
}

TEST_F(Sandbox, EnvironmentIsClean) {
  ::setenv("VERUN_TEST_SECRET", "do-not-leak", 1);
  // The environment the script was started with (a shell adds PWD later).
  auto o = run(script("tr '\\0' '\\n' < /proc/$$/environ"));
  EXPECT_EQ(out(o), "PATH=/usr/bin:/bin\n");
  ::unsetenv("VERUN_TEST_SECRET");
}

TEST_F(Sandbox, WorkingDirectoryIsFreshWritableAndRemoved) {
  auto o = run(script("pwd; ls -A | wc -l; echo x > f && cat f"));
  EXPECT_EQ(o.result, RunResult::kOk);
  std::string text = out(o);
  std::string cwd = text.substr(0, text.find('\n'));
  EXPECT_EQ(fs::path(cwd).parent_path(), work_root_);
  EXPECT_EQ(fs::path(cwd).filename().string().rfind("verun-job-", 0), 0u);
  EXPECT_EQ(text.substr(text.find('\n') + 1), "0\nx\n");
  EXPECT_FALSE(fs::exists(cwd));
  EXPECT_TRUE(work_root_empty());
  // Two runs get two different folders.
  auto again = run(script("pwd"));
  EXPECT_NE(out(again), cwd + "\n");
}

TEST_F(Sandbox, NoNetwork) {
  // A listener the test itself can reach.
  int server = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  ASSERT_GE(server, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(server, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(::listen(server, 4), 0);
  socklen_t len = sizeof addr;
  ::getsockname(server, reinterpret_cast<sockaddr*>(&addr), &len);
  std::string port = std::to_string(ntohs(addr.sin_port));
  std::string probe = "bash -c 'exec 3<>/dev/tcp/127.0.0.1/" + port + " && echo connected' 2>&1; echo status=$?";
  // Outside the sandbox the probe connects (so the check below can fail).
  std::string direct = "/bin/sh -c \"" + probe + "\" > " + (dir_.path() / "direct.txt").string();
  ASSERT_EQ(std::system(direct.c_str()), 0);
  std::ifstream direct_out(dir_.path() / "direct.txt");
  std::string direct_text((std::istreambuf_iterator<char>(direct_out)), std::istreambuf_iterator<char>());
  EXPECT_NE(direct_text.find("connected"), std::string::npos) << direct_text;

  auto o = run(script(probe));
  EXPECT_EQ(out(o).find("connected"), std::string::npos) << out(o);
  EXPECT_NE(out(o).find("Permission denied"), std::string::npos) << out(o);  // seccomp's EACCES
  EXPECT_TRUE(o.protections.seccomp);
  ::close(server);
  // IPv6 too.
  auto v6 = run(script("bash -c 'exec 3<>/dev/tcp/::1/" + port + "' 2>&1"));
  EXPECT_NE(out(v6).find("Permission denied"), std::string::npos) << out(v6);
}

TEST_F(Sandbox, RootRunnerDropsPrivileges) {
  auto o = run(script("id -u; id -g"));
  if (::geteuid() != 0) {
    EXPECT_FALSE(o.protections.dropped_privileges);
    GTEST_SKIP() << "the runner is not root";
  }
  EXPECT_TRUE(o.protections.dropped_privileges);
  EXPECT_EQ(out(o), std::to_string(options_.unprivileged_uid) + "\n" + std::to_string(options_.unprivileged_gid) + "\n");
}

TEST_F(Sandbox, NonRootRunnerUsesAUserNamespace) {
  auto o = run(script("id -u"));
  if (::geteuid() == 0) GTEST_SKIP() << "the runner is root (runner_sandbox_as_nobody covers this path)";
  if (!o.protections.user_namespace) GTEST_SKIP() << "the kernel refused an unprivileged user namespace";
  // Our own uid is mapped to itself, so files and ids look the same inside.
  EXPECT_EQ(out(o), std::to_string(::geteuid()) + "\n");
}

TEST_F(Sandbox, NetworkNamespaceHasOnlyLoopback) {
  auto links = run(script("tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' '"));
  if (!links.protections.network_namespace) GTEST_SKIP() << "no network namespace here (seccomp still applies)";
  EXPECT_EQ(out(links), "lo\n");
  // Disabling namespaces leaves the host's interfaces visible (so the check above can fail).
  options_.use_namespaces = false;
  auto host = run(script("tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' '"));
  EXPECT_FALSE(host.protections.network_namespace);
  EXPECT_FALSE(host.protections.user_namespace);
  EXPECT_TRUE(host.protections.seccomp);
}

TEST_F(Sandbox, InheritedDescriptorsAreClosed) {
  int leaked = ::open("/dev/null", O_RDONLY);  // no O_CLOEXEC on purpose
  ASSERT_GE(leaked, 3);
  auto o = run(script("[ -e /proc/self/fd/" + std::to_string(leaked) + " ] && echo leaked || echo closed"));
  EXPECT_EQ(out(o), "closed\n");
  ::close(leaked);
}

// True when a process whose command line contains `needle` is alive.
bool process_alive(const std::string& needle) {
  for (const auto& e : fs::directory_iterator("/proc")) {
    std::ifstream f(e.path() / "cmdline");
    std::string cmd((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    for (char& c : cmd)
      if (c == '\0') c = ' ';
    if (cmd.find(needle) != std::string::npos && cmd.find("sh -c") == std::string::npos) return true;
  }
  return false;
}

TEST_F(Sandbox, LeftoverAndEscapingProcessesAreKilled) {
  // Background children, one trying to leave the group with setsid: the
  // main process exits at once, everything else is killed with the group.
  auto start = Clock::now();
  auto o = run(script("sleep 3117 & setsid sleep 3118 & (sleep 3119 &) ; echo started"));
  EXPECT_EQ(o.result, RunResult::kOk);
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(4));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_FALSE(process_alive("sleep 3117"));
  EXPECT_FALSE(process_alive("sleep 3118"));
  EXPECT_FALSE(process_alive("sleep 3119"));
}

TEST_F(Sandbox, ProcessCountIsBounded) {
  options_.max_processes = 8;
  auto o = run(script("n=0; for i in $(seq 50); do sleep 3120 & n=$((n+1)); done 2>/dev/null; echo tried $n",
                      {.timeout_ms = 3000}));
  // The shell cannot fork past the limit; whatever it managed is killed.
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_FALSE(process_alive("sleep 3120"));
  if (o.protections.nproc_enforced) {
    EXPECT_NE(out(o), "tried 50\n");
  }
}

TEST_F(Sandbox, ExecutableChangedAfterLoadIsRefused) {
  auto w = script("echo one");
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  std::ofstream(w.executable, std::ios::app) << "echo two\n";
  EXPECT_THAT(run_workload(w, {}, options_), HasCode(ErrorCode::kWorkloadExecutableChanged));
  fs::remove(w.executable);
  EXPECT_THAT(run_workload(w, {}, options_), HasCode(ErrorCode::kWorkloadExecutableChanged));
}

TEST_F(Sandbox, UnusableWorkRootIsASandboxFailure) {
  auto w = script("echo x");
  options_.work_root = dir_.path() / "absent";
  EXPECT_THAT(run_workload(w, {}, options_), HasCode(ErrorCode::kWorkloadSandboxFailed));
}

TEST_F(Sandbox, ManyThreadsAtOnce) {
  auto upper = script("exec tr a-z A-Z");
  auto fail = script("cat >/dev/null; exit 4");
  std::string reg = R"({"workloads": [{"manifest": {"name": "h", "version": "1", "kind": "builtin",
      "builtin": "sha256sum", "limits": {"timeout_ms": 1, "max_input_bytes": 100, "max_output_bytes": 100,
      "memory_bytes": 1}}}]})";
  auto builtin = parse_registry(reg, dir_.path()).value().workloads()[0];
  std::atomic<int> good{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 5; ++i) {
        std::string in = "job " + std::to_string(t) + "." + std::to_string(i);
        auto a = run_workload(upper, proofs::as_bytes(in), options_);
        auto b = run_workload(fail, proofs::as_bytes(in), options_);
        auto c = run_workload(builtin, proofs::as_bytes(in), options_);
        std::string want = in;
        for (char& ch : want) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
        if (a && b && c && proofs::to_string(a->output) == want && b->exit_code == 4 &&
            c->result == RunResult::kOk && c->output.size() == 68)
          ++good;
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(good.load(), 30);
  EXPECT_TRUE(work_root_empty());
}

TEST(RunWorkloadBuiltin, SameOutcomeShape) {
  std::string reg = R"({"workloads": [
    {"manifest": {"name": "h", "version": "1", "kind": "builtin", "builtin": "sha256sum",
      "limits": {"timeout_ms": 1, "max_input_bytes": 3, "max_output_bytes": 100, "memory_bytes": 1}}},
    {"manifest": {"name": "small", "version": "1", "kind": "builtin", "builtin": "sha256sum",
      "limits": {"timeout_ms": 1, "max_input_bytes": 3, "max_output_bytes": 10, "memory_bytes": 1}}},
    {"manifest": {"name": "cs", "version": "1", "kind": "builtin", "builtin": "credit-score",
      "limits": {"timeout_ms": 1, "max_input_bytes": 100, "max_output_bytes": 100, "memory_bytes": 1},
      "config": {"model": {"features": [{"name": "a", "weight": "1"}], "bias": "0", "threshold": "0.5"}}}}]})";
  auto r = parse_registry(reg, "/");
  ASSERT_THAT(r, IsOk());
  auto ok = run_workload(*r->find("h"), proofs::as_bytes("abc"));
  ASSERT_THAT(ok, IsOk());
  EXPECT_EQ(ok->result, RunResult::kOk);
  EXPECT_EQ(ok->exit_code, 0);
  EXPECT_EQ(proofs::to_string(ok->output), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad  -\n");
  EXPECT_FALSE(ok->protections.rlimits);
  auto rejected = run_workload(*r->find("h"), proofs::as_bytes("abcd"));
  EXPECT_EQ(rejected->result, RunResult::kRejected);
  auto capped = run_workload(*r->find("small"), proofs::as_bytes("abc"));
  EXPECT_EQ(capped->result, RunResult::kFailed);
  EXPECT_EQ(capped->output.size(), 10u);
  auto bad = run_workload(*r->find("cs"), proofs::as_bytes("a\nx"));
  EXPECT_EQ(bad->result, RunResult::kFailed);
  EXPECT_EQ(bad->exit_code, 1);
  auto good = run_workload(*r->find("cs"), proofs::as_bytes("a\n0"));
  EXPECT_EQ(proofs::to_string(good->output), R"({"score":"0.5000","approved":true})");
  EXPECT_EQ(to_string(RunResult::kTimeout), "timeout");
  EXPECT_EQ(to_string(RunResult::kRejected), "rejected");
}

}  // namespace
}  // namespace verun::runner
