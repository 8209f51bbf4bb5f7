// verun-runner: the TEE runner (DESIGN.md §7). Commands:
//   sim-root init  create the sim root key file (mode 0600, never overwritten)
//   measure        the runner's measurement and each workload's, for policies
//   serve          register with the log, then serve the job API
// Exit codes: 0 ok, 1 failure, 2 usage, 3 the log refused the registration.
// Keys come from files only, never argv or the environment.
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <atomic>
#include <boost/program_options.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "http/server.h"
#include "links.h"
#include "service.h"
#include "verun/proofs/hex.h"
#include "verun/proofs/note/note_key.h"
#include "verun/runner/key_file.h"
#include "verun/runner/platform.h"

namespace {

namespace po = boost::program_options;
using namespace verun;

constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;
constexpr int kExitRegistrationRejected = 3;

int fail(const Error& e, int code = kExitFailure) {
  std::cerr << "error: " << to_string(e.code) << ": " << e.message << "\n";
  return code;
}

std::optional<po::variables_map> parse_options(const std::string& usage, const po::options_description& desc,
                                               const std::vector<std::string>& args, int& exit_code) {
  po::options_description all(desc);
  all.add_options()("help,h", "show this help");
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(all).run(), vm);
    if (vm.count("help")) {
      std::cout << "usage: " << usage << "\n\n" << all << "\n";
      exit_code = kExitOk;
      return std::nullopt;
    }
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "usage error: " << e.what() << "\nusage: " << usage << "\n\n" << all << "\n";
    exit_code = kExitUsage;
    return std::nullopt;
  }
  return vm;
}

Result<std::string> read_small_file(const std::string& path, std::size_t max_bytes) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) return Error(ErrorCode::kIoError, "cannot read " + path + ": " + ec.message());
  if (size > max_bytes) return Error(ErrorCode::kIoError, path + " is larger than " + std::to_string(max_bytes) + " bytes");
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  if (!in && !in.eof()) return Error(ErrorCode::kIoError, "cannot read " + path);
  return ss.str();
}

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ' || s.back() == '\t')) s.pop_back();
  std::size_t i = 0;
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
  return s.substr(i);
}

// ---- sim-root init -------------------------------------------------------

int cmd_sim_root(const std::vector<std::string>& args) {
  const std::string usage =
      "verun-runner sim-root init --out FILE [--name NAME]\n\n"
      "Creates the sim platform's root key (Ed25519, x/mod private-key text,\n"
      "mode 0600; an existing file is never overwritten) and prints its public\n"
      "key in base64, the value a policy lists in platforms.sim.roots.\n"
      "sim evidence is SIMULATED: it proves nothing about hardware.";
  if (args.empty() || args[0] != "init") {
    if (!args.empty() && (args[0] == "--help" || args[0] == "-h")) {
      std::cout << "usage: " << usage << "\n";
      return kExitOk;
    }
    std::cerr << "usage error: expected `sim-root init`\nusage: " << usage << "\n";
    return kExitUsage;
  }
  po::options_description desc("options");
  desc.add_options()("out", po::value<std::string>()->required(), "the key file to create")(
      "name", po::value<std::string>()->default_value("verun-sim-root"), "the key's name")(
      "json", "print {\"public_key\", \"file\", \"simulated\": true}");
  int code = 0;
  auto vm = parse_options(usage, desc, {args.begin() + 1, args.end()}, code);
  if (!vm) return code;
  const auto path = (*vm)["out"].as<std::string>();
  auto pub = runner::create_sim_root_key_file(path, (*vm)["name"].as<std::string>());
  if (!pub) return fail(pub.error());
  if (vm->count("json")) {
    std::cout << proofs::Json{{"public_key", *pub}, {"file", path}, {"simulated", true}}.dump() << "\n";
  } else {
    std::cout << *pub << "\n";
    std::cerr << "wrote the SIMULATED platform's root key to " << path
              << " (mode 0600); list the line above in platforms.sim.roots\n";
  }
  return kExitOk;
}

// ---- measure -------------------------------------------------------------

int cmd_measure(const std::vector<std::string>& args) {
  const std::string usage =
      "verun-runner measure [--registry FILE] [--json]\n\n"
      "Prints the runner's measurement (SHA-384 of this executable: what sim\n"
      "evidence reports; SIMULATED) and each registry workload's name, version\n"
      "and measurement (SHA-256 of JCS(manifest)), for writing policies.";
  po::options_description desc("options");
  desc.add_options()("registry", po::value<std::string>(), "the workload registry file")(
      "json", "print JSON: {\"runner\": {...}, \"workloads\": [...]}");
  int code = 0;
  auto vm = parse_options(usage, desc, args, code);
  if (!vm) return code;
  auto m = runner::measure_executable();
  if (!m) return fail(m.error());
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  proofs::Json workloads = proofs::Json::array();
  if (vm->count("registry")) {
    auto set = runner::load_workload_set((*vm)["registry"].as<std::string>());
    if (!set) return fail(set.error());
    for (const auto& w : (*set)->list()) {
      workloads.push_back({{"name", w.ref.name},
                           {"version", w.ref.version},
                           {"measurement", {{"sha256", proofs::hex_encode(w.ref.measurement)}}}});
    }
  }
  if (vm->count("json")) {
    proofs::Json out = {{"runner",
                         {{"measurement", proofs::hex_encode(*m)},
                          {"platform", "sim"},
                          {"simulated", true},
                          {"runner_version", std::string(runner::kRunnerVersion)},
                          {"executable", exe.string()}}},
                        {"workloads", workloads}};
    std::cout << out.dump(2) << "\n";
    return kExitOk;
  }
  std::cout << "runner measurement (sim platform, SIMULATED): " << proofs::hex_encode(*m) << "\n"
            << "  SHA-384 of " << exe.string() << "\n";
  for (const auto& w : workloads) {
    std::cout << "workload " << w["name"].get<std::string>() << " version " << w["version"].get<std::string>()
              << " measurement sha256:" << w["measurement"]["sha256"].get<std::string>() << "\n";
  }
  return kExitOk;
}

// ---- serve ---------------------------------------------------------------

// No core dumps (keys live in memory), and not ptrace-able by other users.
void harden_process() {
  ::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
  rlimit none{0, 0};
  ::setrlimit(RLIMIT_CORE, &none);
}

Result<std::pair<std::string, int>> parse_listen(const std::string& listen) {
  const auto colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    return Error(ErrorCode::kInvalidArgument, "--listen must be HOST:PORT, got " + listen);
  }
  const std::string host = listen.substr(0, colon), port = listen.substr(colon + 1);
  if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos ||
      std::stoi(port) > 65535) {
    return Error(ErrorCode::kInvalidArgument, "--listen has a bad port: " + port);
  }
  return std::make_pair(host, std::stoi(port));
}

Result<proofs::NoteVerifier> load_vkey(const std::string& value) {
  std::string text = value;
  std::error_code ec;
  if (std::filesystem::is_regular_file(value, ec)) {
    VERUN_ASSIGN_OR_RETURN(text, read_small_file(value, 4096));
  }
  return proofs::parse_verifier_key(trim(text));
}

Result<std::vector<std::string>> load_tokens(const std::string& path) {
  VERUN_ASSIGN_OR_RETURN(auto text, read_small_file(path, 1 << 20));
  std::vector<std::string> tokens;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    line = trim(line);
    if (line.empty() || line[0] == '#') continue;
    tokens.push_back(line);
  }
  if (tokens.empty()) return Error(ErrorCode::kInvalidArgument, path + " holds no token");
  return tokens;
}

int cmd_serve(const std::vector<std::string>& args) {
  const std::string usage =
      "verun-runner serve --platform sim --log URL --log-vkey VKEY --registry FILE\n"
      "                   --listen HOST:PORT --sim-root FILE [options]\n\n"
      "Generates the runner's signing and HPKE keys in memory, registers them\n"
      "with the log (retrying with back-off while the log is unreachable; a\n"
      "refusal exits 3 with the log's code), then serves the job API of\n"
      "DESIGN.md section 7 and prints `listening on HOST:PORT`. SIGINT/SIGTERM\n"
      "stop it (exit 0). Exit codes: 0 ok, 1 failure, 2 usage, 3 registration refused.";
  po::options_description desc("options");
  desc.add_options()("platform", po::value<std::string>()->required(),
                     "sim (SIMULATED, insecure) or tsm (configfs-tsm in an SEV-SNP or TDX guest); nitro is not built")(
      "tsm-root", po::value<std::string>()->default_value("/sys/kernel/config/tsm/report"),
      "tsm: the configfs-tsm report directory (a test hook; keep the default in a guest)")(
      "log", po::value<std::string>()->required(), "the log's base URL, e.g. http://127.0.0.1:8080")(
      "log-vkey", po::value<std::string>()->required(), "the log's note verifier key, or a file holding it")(
      "registry", po::value<std::string>()->required(), "the workload registry file")(
      "listen", po::value<std::string>()->required(), "HOST:PORT to serve on (port 0: any free port)")(
      "sim-root", po::value<std::string>(), "the sim root key file (sim-root init); required for sim")(
      "workers", po::value<std::size_t>()->default_value(2), "jobs run at once")(
      "queue", po::value<std::size_t>()->default_value(64), "jobs waiting beyond those (more: 503)")(
      "max-key-age", po::value<std::int64_t>()->default_value(86400),
      "seconds; a fresh key is registered at 90% of this age")(
      "auth-tokens", po::value<std::string>(), "file of bearer tokens (one a line) required for /v1/jobs")(
      "job-timeout-ms", po::value<std::int64_t>()->default_value(0),
      "caps every workload's timeout_ms (0: the manifests' own)")(
      "rate-limit", po::value<double>()->default_value(50),
      "requests per second per client to /v1/jobs and /v1/attestation (0: none)")(
      "log-timeout-ms", po::value<std::int64_t>()->default_value(30000), "timeout of one log request");
  int code = 0;
  auto vm = parse_options(usage, desc, args, code);
  if (!vm) return code;
  const auto& v = *vm;
  if (v["workers"].as<std::size_t>() == 0 || v["queue"].as<std::size_t>() == 0 ||
      v["max-key-age"].as<std::int64_t>() <= 0 || v["job-timeout-ms"].as<std::int64_t>() < 0 ||
      v["log-timeout-ms"].as<std::int64_t>() <= 0) {
    std::cerr << "usage error: --workers, --queue, --max-key-age and --log-timeout-ms must be positive\n";
    return kExitUsage;
  }
  auto listen = parse_listen(v["listen"].as<std::string>());
  if (!listen) {
    std::cerr << "usage error: " << listen.error().message << "\n";
    return kExitUsage;
  }

  harden_process();
  // Signals are taken by one thread with sigwait; block them before any
  // other thread starts so every thread inherits the mask.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  runner::PlatformOptions popts;
  if (v.count("sim-root")) popts.sim_root_file = v["sim-root"].as<std::string>();
  popts.tsm_root = v["tsm-root"].as<std::string>();
  auto platform = runner::make_platform(v["platform"].as<std::string>(), popts);
  if (!platform) return fail(platform.error());
  auto vkey = load_vkey(v["log-vkey"].as<std::string>());
  if (!vkey) return fail(vkey.error());
  auto workloads = runner::load_workload_set(v["registry"].as<std::string>(),
                                             std::chrono::milliseconds(v["job-timeout-ms"].as<std::int64_t>()));
  if (!workloads) return fail(workloads.error());
  auto submit = runner::make_log_submit(v["log"].as<std::string>(),
                                        std::chrono::milliseconds(v["log-timeout-ms"].as<std::int64_t>()));
  if (!submit) return fail(submit.error());
  runner::http::HttpOptions hopts;
  if (v.count("auth-tokens")) {
    auto tokens = load_tokens(v["auth-tokens"].as<std::string>());
    if (!tokens) return fail(tokens.error());
    hopts.auth_tokens = std::move(*tokens);
  }
  hopts.rate_per_second = v["rate-limit"].as<double>();
  hopts.rate_burst = std::max(1.0, hopts.rate_per_second * 2);

  const bool simulated = (*platform)->simulated();
  if (simulated) {
    std::cout << "platform sim: SIMULATED evidence (software only, no hardware protection); runner measurement "
              << (*platform)->measurement_hex() << std::endl;
  } else {
    std::cout << "platform " << proofs::to_string((*platform)->kind()) << ": runner measurement "
              << (*platform)->measurement_hex() << std::endl;
  }
  runner::ServiceOptions sopts;
  sopts.workers = v["workers"].as<std::size_t>();
  sopts.queue = v["queue"].as<std::size_t>();
  sopts.max_key_age = std::chrono::seconds(v["max-key-age"].as<std::int64_t>());
  runner::RunnerService service(std::move(*platform), std::move(*workloads), std::move(*submit), std::move(*vkey),
                                sopts, std::cout);
  runner::http::RunnerHttpServer server(service, hopts);

  // The signal thread stops the service, then the server once it listens
  // (a signal that arrives between bind and run must not be lost).
  std::atomic<bool> stop_requested{false}, main_done{false};
  std::thread waiter([&] {
    int sig = 0;
    sigwait(&signals, &sig);
    stop_requested = true;
    service.stop();
    while (!main_done) {
      if (server.running()) {
        server.stop();
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  });
  auto finish = [&](int rc) {
    main_done = true;
    if (!stop_requested) pthread_kill(waiter.native_handle(), SIGTERM);
    waiter.join();
    return rc;
  };

  if (auto r = service.start(); !r) {
    const int rc = r.error().code == ErrorCode::kRunnerRegistrationRejected ? kExitRegistrationRejected
                   : r.error().code == ErrorCode::kRunnerShuttingDown     ? kExitOk
                                                                          : kExitFailure;
    if (rc != kExitOk) fail(r.error());
    return finish(rc);
  }
  auto port = server.bind(listen->first, listen->second);
  if (!port) {
    fail(port.error());
    return finish(kExitFailure);
  }
  std::cout << "runner key_id " << service.key_id() << " registered at log index " << service.registration_index()
            << "\nlistening on " << listen->first << ":" << *port << std::endl;
  if (!stop_requested) server.run();
  service.stop();
  return finish(kExitOk);
}

void print_usage(std::ostream& o) {
  o << "usage: verun-runner <command> [options]\n\n"
       "commands:\n"
       "  sim-root init  create the sim root key file (SIMULATED platform)\n"
       "  measure        print the runner's and the workloads' measurements\n"
       "  serve          register with the log and serve the job API\n\n"
       "Each command takes --help. Exit codes: 0 ok, 1 failure, 2 usage,\n"
       "3 the log refused the registration (serve).\n";
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    print_usage(args.empty() ? std::cerr : std::cout);
    return args.empty() ? kExitUsage : kExitOk;
  }
  const std::string cmd = args[0];
  args.erase(args.begin());
  try {
    if (cmd == "sim-root") return cmd_sim_root(args);
    if (cmd == "measure") return cmd_measure(args);
    if (cmd == "serve") return cmd_serve(args);
  } catch (const std::exception& e) {
    std::cerr << "error: internal: " << e.what() << "\n";
    return kExitFailure;
  }
  std::cerr << "usage error: unknown command " << cmd << "\n";
  print_usage(std::cerr);
  return kExitUsage;
}
