// The runner's per-job cost of the exec sandbox against running the same
// executable bare with posix_spawn (/bin/true, and /bin/cat on 4 KiB), and
// the builtin sha256sum on 64 MiB against raw EVP SHA-256 of the same bytes
// (target >= 0.9x). See bench/RESULTS.md "Workloads".
#include <fcntl.h>
#include <openssl/evp.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <benchmark/benchmark.h>

#include <string>

#include "verun/proofs/hex.h"
#include "verun/runner/workload/registry.h"
#include "verun/runner/workload/run.h"

extern char** environ;

namespace {

using namespace verun;
using namespace verun::runner;

Workload exec_workload(const std::string& exe) {
  auto hashed = hash_file(exe);
  if (!hashed) std::abort();
  std::string reg = R"({"workloads": [{"manifest": {"name": "w", "version": "1", "kind": "exec",
      "digest": {"sha256": ")" + proofs::hex_encode(hashed->sha256) + R"("},
      "limits": {"timeout_ms": 10000, "max_input_bytes": 1048576, "max_output_bytes": 1048576,
                 "memory_bytes": 268435456}}, "path": ")" + exe + "\"}]}";
  return parse_registry(reg, "/").value().workloads()[0];
}

Workload sha256_builtin() {
  std::string reg = R"({"workloads": [{"manifest": {"name": "h", "version": "1", "kind": "builtin",
      "builtin": "sha256sum", "limits": {"timeout_ms": 10000, "max_input_bytes": 67108864,
      "max_output_bytes": 128, "memory_bytes": 268435456}}}]})";
  return parse_registry(reg, "/").value().workloads()[0];
}

const std::string kInput4k(4096, 'v');

void BM_Sandbox_True(benchmark::State& state) {
  Workload w = exec_workload("/bin/true");
  for (auto _ : state) {
    auto r = run_workload(w, {});
    if (!r || r->result != RunResult::kOk) state.SkipWithError("run failed");
  }
}
BENCHMARK(BM_Sandbox_True)->Unit(benchmark::kMicrosecond)->UseRealTime();

// The same without unshare(CLONE_NEWNET) (seccomp still denies sockets):
// what the network namespace costs per job.
void BM_Sandbox_True_NoNetns(benchmark::State& state) {
  Workload w = exec_workload("/bin/true");
  RunOptions options;
  options.use_namespaces = false;
  for (auto _ : state) {
    auto r = run_workload(w, {}, options);
    if (!r || r->result != RunResult::kOk) state.SkipWithError("run failed");
  }
}
BENCHMARK(BM_Sandbox_True_NoNetns)->Unit(benchmark::kMicrosecond)->UseRealTime();

void BM_Sandbox_Cat4k(benchmark::State& state) {
  Workload w = exec_workload("/bin/cat");
  for (auto _ : state) {
    auto r = run_workload(w, proofs::as_bytes(kInput4k));
    if (!r || r->output.size() != kInput4k.size()) state.SkipWithError("run failed");
  }
}
BENCHMARK(BM_Sandbox_Cat4k)->Unit(benchmark::kMicrosecond)->UseRealTime();

void BM_PosixSpawn_True(benchmark::State& state) {
  char arg0[] = "/bin/true";
  char* argv[] = {arg0, nullptr};
  for (auto _ : state) {
    pid_t pid = 0;
    if (posix_spawn(&pid, "/bin/true", nullptr, nullptr, argv, environ) != 0) state.SkipWithError("spawn failed");
    int status = 0;
    waitpid(pid, &status, 0);
  }
}
BENCHMARK(BM_PosixSpawn_True)->Unit(benchmark::kMicrosecond)->UseRealTime();

// cat with stdin/stdout pipes: write 4 KiB (fits in the pipe), close, read all.
void BM_PosixSpawn_Cat4k(benchmark::State& state) {
  char arg0[] = "/bin/cat";
  char* argv[] = {arg0, nullptr};
  std::string out;
  for (auto _ : state) {
    int in[2], o[2];
    if (pipe2(in, O_CLOEXEC) != 0 || pipe2(o, O_CLOEXEC) != 0) state.SkipWithError("pipe failed");
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, in[0], 0);
    posix_spawn_file_actions_adddup2(&fa, o[1], 1);
    pid_t pid = 0;
    if (posix_spawn(&pid, "/bin/cat", &fa, nullptr, argv, environ) != 0) state.SkipWithError("spawn failed");
    posix_spawn_file_actions_destroy(&fa);
    close(in[0]);
    close(o[1]);
    if (write(in[1], kInput4k.data(), kInput4k.size()) != static_cast<ssize_t>(kInput4k.size()))
      state.SkipWithError("write failed");
    close(in[1]);
    out.clear();
    char buf[8192];
    ssize_t n;
    while ((n = read(o[0], buf, sizeof buf)) > 0) out.append(buf, static_cast<std::size_t>(n));
    close(o[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    if (out.size() != kInput4k.size()) state.SkipWithError("short output");
  }
}
BENCHMARK(BM_PosixSpawn_Cat4k)->Unit(benchmark::kMicrosecond)->UseRealTime();

const std::string& big_input() {
  static const std::string s(64 << 20, 'x');
  return s;
}

void BM_BuiltinSha256sum_64MiB(benchmark::State& state) {
  Workload w = sha256_builtin();
  for (auto _ : state) {
    auto r = run_workload(w, proofs::as_bytes(big_input()));
    if (!r || r->result != RunResult::kOk) state.SkipWithError("run failed");
    benchmark::DoNotOptimize(r);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(big_input().size()));
}
BENCHMARK(BM_BuiltinSha256sum_64MiB)->Unit(benchmark::kMillisecond);

void BM_RawEvpSha256_64MiB(benchmark::State& state) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  unsigned char md[32];
  for (auto _ : state) {
    unsigned int len = 0;
    if (EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr) != 1 ||
        EVP_DigestUpdate(ctx, big_input().data(), big_input().size()) != 1 || EVP_DigestFinal_ex(ctx, md, &len) != 1)
      state.SkipWithError("digest failed");
    benchmark::DoNotOptimize(md);
  }
  EVP_MD_CTX_free(ctx);
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(big_input().size()));
}
BENCHMARK(BM_RawEvpSha256_64MiB)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
