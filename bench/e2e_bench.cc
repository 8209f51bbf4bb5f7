// End-to-end figures (issue 4), with the real verun-log and verun-runner
// (sim) on 127.0.0.1 and a raw HTTP + HPKE job client (DESIGN.md §7):
//   overhead  sequential sha256sum jobs through the runner (seal, POST,
//             receipt signed and logged, bundle, sealed output opened)
//             against the same builtin run bare in-process on the same input;
//   load      jobs/s of a trivial job with N concurrent clients (default 32),
//             p50/p99 latency;
//   hash      the commitment over a 64 MiB file (streamed, 1 MiB reads, page
//             cache warm), MB/s, to compare with `openssl speed sha256`
//             (bench/e2e_compare.sh runs both and prints the ratio).
// Usage: e2e_bench --build BUILD_DIR [--registry FILE] [--only overhead|load|hash]
//        [--jobs N] [--clients N] [--seconds S] [--hash-mib M] [--batch-wait-ms W] [--workers N]
// The runner runs with --rate-limit 0 (all clients share 127.0.0.1).
#include <httplib.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/process.h"
#include "verun/proofs/base64.h"
#include "verun/proofs/commitment.h"
#include "verun/proofs/crypto/random.h"
#include "verun/proofs/hex.h"
#include "verun/proofs/hpke/hpke.h"
#include "verun/proofs/json/jcs.h"
#include "verun/proofs/json/strict_json.h"
#include "verun/proofs/sha2.h"
#include "verun/runner/workload/builtins.h"

namespace verun::bench {
namespace {

namespace fs = std::filesystem;
using proofs::Json;
using Clock = std::chrono::steady_clock;

struct Args {
  fs::path build;
  fs::path registry;
  std::string only;
  int jobs = 200;
  int clients = 32;
  double seconds = 10;
  int hash_mib = 64;
  int batch_wait_ms = 5;
  int workers = 2;
};

[[noreturn]] void die(const std::string& what) {
  std::cerr << "e2e_bench: " << what << "\n";
  std::exit(1);
}

std::optional<fs::path> find_program(const fs::path& build, const std::string& name) {
  for (const auto& sub : {fs::path(), fs::path("log"), fs::path("runner"), fs::path("sdk"), fs::path("verifier")}) {
    const fs::path p = build / sub / name;
    if (fs::is_regular_file(p)) return p;
  }
  return std::nullopt;
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const std::size_t i = std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())));
  return v[i];
}

std::string jcs(const Json& j) { return *proofs::jcs_serialize(j); }

// A raw job client: attest once, then seal / post / open each job.
class JobClient {
 public:
  explicit JobClient(int port) : http_("127.0.0.1", port) {
    http_.set_read_timeout(std::chrono::seconds(120));
    http_.set_keep_alive(true);
  }

  bool attest() {
    auto r = http_.Get(("/v1/attestation?nonce=" + proofs::hex_encode(*proofs::random32())).c_str());
    if (!r || r->status != 200) return false;
    auto body = Json::parse(r->body, nullptr, false);
    if (!body.is_object()) return false;
    const auto& id = body["identity"];
    hpke_key_ = *proofs::base64_decode(id["hpke_key"].get<std::string>());
    key_id_ = proofs::hex_encode(proofs::sha256(*proofs::base64_decode(id["signing_key"].get<std::string>())));
    return true;
  }

  // One job; false unless the answer is 200 and the output opens.
  bool run(const std::string& workload, proofs::ByteView input, proofs::Bytes* output = nullptr) {
    const Json pt = {{"input", proofs::base64_encode(input)},
                     {"input_scheme", "sha256"},
                     {"output_scheme", "sha256"},
                     {"job_nonce", proofs::hex_encode(*proofs::random32())}};
    auto setup = proofs::hpke_setup_base_sender(proofs::kVerunJobSuite, hpke_key_,
                                                proofs::as_bytes(proofs::kVerunJobInfo));
    if (!setup) return false;
    Json body = {{"workload", workload}, {"key_id", key_id_}, {"enc", proofs::base64_encode(setup->enc)}};
    auto ct = setup->context.seal(proofs::as_bytes(jcs(body)), proofs::as_bytes(jcs(pt)));
    if (!ct) return false;
    body["ciphertext"] = proofs::base64_encode(*ct);
    auto r = http_.Post("/v1/jobs", body.dump(), "application/json");
    if (!r || r->status != 200) {
      if (r && errors_++ < 3) std::cerr << "job answer " << r->status << ": " << r->body.substr(0, 200) << "\n";
      return false;
    }
    auto ans = Json::parse(r->body, nullptr, false);
    if (!ans.is_object() || !ans.contains("output") || !ans.contains("job_id")) return false;
    auto sealed = proofs::base64_decode(ans["output"].get<std::string>());
    auto key = setup->context.export_secret(proofs::as_bytes(proofs::kVerunJobOutputKeyLabel), 32);
    auto nonce = setup->context.export_secret(proofs::as_bytes(proofs::kVerunJobOutputNonceLabel), 12);
    if (!sealed || !key || !nonce) return false;
    const std::string job_id = ans["job_id"].get<std::string>();
    auto opened = proofs::aead_open(proofs::HpkeAead::kChaCha20Poly1305, key->view(), nonce->view(),
                                    proofs::as_bytes(job_id), *sealed);
    if (!opened) return false;
    if (output) {
      const auto v = opened->view();
      auto inner = Json::parse(std::string(v.begin(), v.end()), nullptr, false);
      auto out = proofs::base64_decode(inner.value("output", ""));
      if (!out) return false;
      *output = *out;
    }
    return true;
  }

 private:
  httplib::Client http_;
  proofs::Bytes hpke_key_;
  std::string key_id_;
  int errors_ = 0;
};

// verun-log + verun-runner on 127.0.0.1 for the run's duration.
struct Services {
  fs::path dir;
  testing::ChildProcess log, runner;
  int runner_port = 0;

  Services(const Args& a) {
    std::string tmpl = (fs::temp_directory_path() / "verun-e2e-bench-XXXXXX").string();
    if (!mkdtemp(tmpl.data())) die("cannot make a temp dir");
    dir = tmpl;
    const auto log_bin = find_program(a.build, "verun-log");
    const auto runner_bin = find_program(a.build, "verun-runner");
    if (!log_bin || !runner_bin) die("verun-log or verun-runner not found under " + a.build.string());
    auto r = testing::run_program({log_bin->string(), "keygen", "--name", "bench.verun.dev/log", "--out",
                                   (dir / "log.key").string()});
    if (r.exit_code != 0) die("keygen: " + r.err);
    std::string vkey = r.out;
    while (!vkey.empty() && vkey.back() == '\n') vkey.pop_back();
    r = testing::run_program({runner_bin->string(), "sim-root", "init", "--out", (dir / "sim-root.key").string()});
    if (r.exit_code != 0) die("sim-root init: " + r.err);
    std::string root = r.out;
    while (!root.empty() && root.back() == '\n') root.pop_back();
    root = root.substr(root.find_last_of(" \n") + 1);
    const std::string exe = testing::read_text(*runner_bin);
    const std::string measurement = proofs::hex_encode(proofs::sha384(proofs::as_bytes(exe)));
    const Json admission = {{"platforms",
                             {{"sim",
                               {{"allow_insecure_simulation", true},
                                {"roots", {root}},
                                {"measurements", {measurement}},
                                {"allow_debug", false},
                                {"min_tcb", 1}}}}}};
    testing::write_text(dir / "admission.json", admission.dump());
    log = testing::ChildProcess::start({log_bin->string(), "serve", "--db", (dir / "log.db").string(), "--key",
                                        (dir / "log.key").string(), "--listen", "127.0.0.1:0", "--admission-policy",
                                        (dir / "admission.json").string(), "--batch-wait-ms",
                                        std::to_string(a.batch_wait_ms)},
                                       dir / "log");
    const int log_port = log.wait_for_port();
    if (log_port == 0) die("verun-log serve: " + log.err());
    runner = testing::ChildProcess::start(
        {runner_bin->string(), "serve", "--platform", "sim", "--log", "http://127.0.0.1:" + std::to_string(log_port),
         "--log-vkey", vkey, "--registry", a.registry.string(), "--sim-root", (dir / "sim-root.key").string(),
         "--listen", "127.0.0.1:0", "--rate-limit", "0", "--workers", std::to_string(a.workers)},
        dir / "runner");
    runner_port = runner.wait_for_port(std::chrono::milliseconds(60000));
    if (runner_port == 0) die("verun-runner serve: " + runner.out() + runner.err());
  }
  ~Services() {
    runner.stop();
    log.stop();
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
};

// CPU seconds (user + system) of this process: `openssl speed` reports
// CPU-time rates too, so the ratio holds on a busy machine.
double cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

// CPU seconds (user + system) a child process has used so far.
double process_cpu_seconds(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto close = text.rfind(')');
  if (close == std::string::npos) return 0;
  std::istringstream fields(text.substr(close + 2));
  std::string f;
  double utime = 0, stime = 0;
  for (int i = 3; fields >> f; ++i) {  // field 3 is the state
    if (i == 14) utime = std::stod(f);
    if (i == 15) {
      stime = std::stod(f);
      break;
    }
  }
  return (utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

// CPU used per job by the runner, the log and this client between two samples.
struct CpuSample {
  double runner = 0, log = 0, client = 0;
};
CpuSample sample(const testing::ChildProcess& runner, const testing::ChildProcess& log) {
  return {process_cpu_seconds(runner.pid()), process_cpu_seconds(log.pid()), cpu_seconds()};
}
void print_cpu_per_job(const CpuSample& a, const CpuSample& b, std::size_t jobs) {
  if (jobs == 0) return;
  const double n = static_cast<double>(jobs);
  std::printf("  CPU per job: runner %.2f ms, log %.2f ms, client %.2f ms\n", (b.runner - a.runner) * 1e3 / n,
              (b.log - a.log) * 1e3 / n, (b.client - a.client) * 1e3 / n);
}

proofs::Bytes pseudo_random(std::size_t n) {
  proofs::Bytes b(n);
  std::uint64_t x = 0x9e3779b97f4a7c15ull;
  for (std::size_t i = 0; i < n; ++i) {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    b[i] = static_cast<std::uint8_t>(x);
  }
  return b;
}

void overhead(const Args& a, Services& s) {
  JobClient c(s.runner_port);
  if (!c.attest()) die("attestation failed");
  for (std::size_t size : {std::size_t{1024}, std::size_t{1} << 20}) {
    const auto input = pseudo_random(size);
    // Bare: the builtin in-process on the same bytes.
    std::vector<double> bare;
    for (int i = 0; i < std::max(a.jobs, 50); ++i) {
      const auto t0 = Clock::now();
      auto out = runner::run_builtin("sha256sum", std::nullopt, input);
      bare.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
      if (out.exit_code != 0) die("bare sha256sum failed");
    }
    std::vector<double> job;
    for (int i = 0; i < 3; ++i) c.run("sha256sum", input);  // warm-up
    const CpuSample before = sample(s.runner, s.log);
    for (int i = 0; i < a.jobs; ++i) {
      const auto t0 = Clock::now();
      if (!c.run("sha256sum", input)) die("job failed");
      job.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
    }
    std::printf("overhead sha256sum %zu B: bare p50 %.1f us p99 %.1f us | job p50 %.2f ms p99 %.2f ms | "
                "overhead p50 %.2f ms (%d jobs)\n",
                size, percentile(bare, 0.5), percentile(bare, 0.99), percentile(job, 0.5), percentile(job, 0.99),
                percentile(job, 0.5) - percentile(bare, 0.5) / 1000.0, a.jobs);
    print_cpu_per_job(before, sample(s.runner, s.log), job.size());
  }
  auto m = httplib::Client("127.0.0.1", s.runner_port).Get("/metrics");
  if (m && m->status == 200) {
    std::istringstream in(m->body);
    for (std::string line; std::getline(in, line);) {
      if (line.find("log") != std::string::npos && line.rfind("#", 0) != 0) std::printf("  runner metric: %s\n", line.c_str());
    }
  }
}

void load(const Args& a, Services& s) {
  const auto input = pseudo_random(32);
  std::atomic<bool> go{false}, stop{false};
  std::atomic<int> failed{0};
  std::mutex mu;
  std::vector<double> lat;
  std::vector<std::thread> threads;
  std::atomic<int> ready{0};
  for (int t = 0; t < a.clients; ++t) {
    threads.emplace_back([&] {
      JobClient c(s.runner_port);
      const bool ok = c.attest();
      ++ready;
      while (!go) std::this_thread::yield();
      if (!ok) {
        ++failed;
        return;
      }
      std::vector<double> mine;
      while (!stop) {
        const auto t0 = Clock::now();
        if (!c.run("sha256sum", input)) {
          ++failed;
          continue;
        }
        mine.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
      }
      std::lock_guard<std::mutex> l(mu);
      lat.insert(lat.end(), mine.begin(), mine.end());
    });
  }
  while (ready < a.clients) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  const CpuSample before = sample(s.runner, s.log);
  const auto t0 = Clock::now();
  go = true;
  std::this_thread::sleep_for(std::chrono::duration<double>(a.seconds));
  stop = true;
  for (auto& t : threads) t.join();
  const double secs = std::chrono::duration<double>(Clock::now() - t0).count();
  const CpuSample after = sample(s.runner, s.log);
  std::printf("load sha256sum 32 B, runner --workers %d, %d clients, %.1f s: %zu jobs, %.1f jobs/s, p50 %.1f ms, p99 %.1f ms, %d failed\n",
              a.workers, a.clients, secs, lat.size(), static_cast<double>(lat.size()) / secs, percentile(lat, 0.5),
              percentile(lat, 0.99), failed.load());
  print_cpu_per_job(before, after, lat.size());
}

void hash(const Args& a) {
  const fs::path file = fs::temp_directory_path() / ("verun-e2e-bench-hash-" + std::to_string(getpid()));
  {
    std::ofstream out(file, std::ios::binary);
    const auto chunk = pseudo_random(1 << 20);
    for (int i = 0; i < a.hash_mib; ++i) out.write(reinterpret_cast<const char*>(chunk.data()), chunk.size());
  }
  const auto salt = *proofs::random_bytes(32);
  {
    // The same bytes from memory: what the file reads add.
    const auto chunk = pseudo_random(1 << 20);
    double best = 0, best_cpu = 0;
    for (int round = 0; round < 5; ++round) {
      const auto t0 = Clock::now();
      const double c0 = cpu_seconds();
      auto h = *proofs::CommitmentHasher::make(proofs::CommitmentScheme::kSha256);
      for (int i = 0; i < a.hash_mib; ++i) h.update(chunk);
      const auto digest = h.finish();
      const double secs = std::chrono::duration<double>(Clock::now() - t0).count();
      const double cpu = cpu_seconds() - c0;
      if (digest[0] == 0 && digest[1] == 0 && digest[2] == 0) std::printf(" ");
      best = std::max(best, static_cast<double>(a.hash_mib) * 1048576.0 / secs / 1e6);
      best_cpu = std::max(best_cpu, static_cast<double>(a.hash_mib) * 1048576.0 / cpu / 1e6);
    }
    std::printf("hash memory sha256 commitment over %d MiB in RAM: %.1f MB/s CPU, %.1f MB/s wall (best of 5)\n",
                a.hash_mib, best_cpu, best);
  }
  for (auto scheme : {proofs::CommitmentScheme::kSha256, proofs::CommitmentScheme::kSaltedV1}) {
    double best = 0, best_cpu = 0;
    for (int round = 0; round < 5; ++round) {
      std::ifstream in(file, std::ios::binary);
      std::vector<char> buf(1 << 20);
      const auto t0 = Clock::now();
      const double c0 = cpu_seconds();
      auto h = *proofs::CommitmentHasher::make(
          scheme, scheme == proofs::CommitmentScheme::kSaltedV1 ? proofs::ByteView(salt) : proofs::ByteView());
      while (in.read(buf.data(), static_cast<std::streamsize>(buf.size())) || in.gcount() > 0) {
        h.update(proofs::ByteView(reinterpret_cast<const std::uint8_t*>(buf.data()), static_cast<std::size_t>(in.gcount())));
      }
      const auto digest = h.finish();
      const double secs = std::chrono::duration<double>(Clock::now() - t0).count();
      const double cpu = cpu_seconds() - c0;
      if (digest[0] == 0 && digest[1] == 0 && digest[2] == 0) std::printf(" ");  // keep the digest alive
      best = std::max(best, static_cast<double>(a.hash_mib) * 1048576.0 / secs / 1e6);
      best_cpu = std::max(best_cpu, static_cast<double>(a.hash_mib) * 1048576.0 / cpu / 1e6);
    }
    std::printf("hash %s commitment over a %d MiB file: %.1f MB/s CPU, %.1f MB/s wall (best of 5)\n",
                std::string(proofs::to_string(scheme)).c_str(), a.hash_mib, best_cpu, best);
  }
  std::error_code ec;
  fs::remove(file, ec);
}

Args parse_args(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    const std::string k = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) die("missing value after " + k);
      return argv[++i];
    };
    if (k == "--help" || k == "-h") {
      std::printf("usage: e2e_bench --build BUILD_DIR [--registry FILE] [--only overhead|load|hash] [--jobs N]\n"
                  "       [--clients N] [--seconds S] [--hash-mib M] [--batch-wait-ms W] [--workers N]\n");
      std::exit(0);
    } else if (k == "--build") {
      a.build = next();
    } else if (k == "--registry") {
      a.registry = next();
    } else if (k == "--only") {
      a.only = next();
    } else if (k == "--jobs") {
      a.jobs = std::stoi(next());
    } else if (k == "--clients") {
      a.clients = std::stoi(next());
    } else if (k == "--seconds") {
      a.seconds = std::stod(next());
    } else if (k == "--hash-mib") {
      a.hash_mib = std::stoi(next());
    } else if (k == "--workers") {
      a.workers = std::stoi(next());
    } else if (k == "--batch-wait-ms") {
      a.batch_wait_ms = std::stoi(next());
    } else {
      die("unknown argument " + k + " (see --help)");
    }
  }
  if (a.registry.empty()) a.registry = fs::path(VERUN_SOURCE_DIR) / "examples/registry/registry.json";
  if (a.build.empty() && a.only != "hash") die("--build BUILD_DIR is required (see --help)");
  return a;
}

}  // namespace
}  // namespace verun::bench

int main(int argc, char** argv) {
  using namespace verun::bench;
  const Args a = parse_args(argc, argv);
  if (a.only.empty() || a.only == "hash") hash(a);
  if (a.only.empty() || a.only == "overhead" || a.only == "load") {
    Services s(a);
    if (a.only.empty() || a.only == "overhead") overhead(a, s);
    if (a.only.empty() || a.only == "load") load(a, s);
  }
  return 0;
}
