// verun-log: the transparency log service (DESIGN.md §6). Commands:
//   keygen        a note key in x/mod's private-key form (mode 0600)
//   serve         the HTTP API over a SQLite store, sequencer and admission
//   export-tiles  a static C2SP tlog-tiles copy of the store
// Exit codes: 0 ok, 1 failure, 2 usage. Keys come from files only, never
// argv or the environment.
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/program_options.hpp>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "admission.h"
#include "http/server.h"
#include "http/static_export.h"
#include "sequencer.h"
#include "store/sqlite/sqlite_store.h"
#include "verun/proofs/note/note_key.h"
#include "verun/verifier/policy.h"

namespace {

namespace po = boost::program_options;
using namespace verun;

constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;

int fail(const Error& e) {
  std::cerr << "error: " << to_string(e.code) << ": " << e.message << "\n";
  return kExitFailure;
}

// Parses args; nullopt with exit_code set after --help (0) or a usage error (2).
std::optional<po::variables_map> parse_options(const std::string& usage, const po::options_description& desc,
                                               const po::positional_options_description& pos,
                                               const std::vector<std::string>& args, int& exit_code) {
  po::options_description all(desc);
  all.add_options()("help,h", "show this help");
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(all).positional(pos).run(), vm);
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

Result<std::string> read_small_file(const std::filesystem::path& path, std::size_t max_bytes) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) return Error(ErrorCode::kIoError, "cannot read " + path.string() + ": " + ec.message());
  if (size > max_bytes) return Error(ErrorCode::kIoError, path.string() + " is larger than " + std::to_string(max_bytes) + " bytes");
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  if (!in) return Error(ErrorCode::kIoError, "cannot read " + path.string());
  return ss.str();
}

// Creates the file (it must not exist) with mode 0600 and writes data.
Result<void> write_secret_file(const std::filesystem::path& path, std::string_view data) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return Error(ErrorCode::kIoError, "cannot create " + path.string() + ": " + std::strerror(errno));
  std::size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      ::close(fd);
      return Error(ErrorCode::kIoError, "cannot write " + path.string());
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) return Error(ErrorCode::kIoError, "cannot sync " + path.string());
  return {};
}

int keygen(const std::vector<std::string>& args) {
  po::options_description desc("keygen options");
  desc.add_options()("name", po::value<std::string>()->required(), "key name (the log's origin by default)")(
      "out", po::value<std::string>()->required(), "private key file to create (mode 0600; must not exist)");
  int code = 0;
  auto vm = parse_options("verun-log keygen --name N --out FILE", desc, {}, args, code);
  if (!vm) return code;
  auto signer = proofs::NoteSigner::generate((*vm)["name"].as<std::string>());
  if (!signer) return fail(signer.error());
  const auto skey = proofs::format_signer_key(*signer);
  std::string text(reinterpret_cast<const char*>(skey.data()), skey.size());
  text += "\n";
  auto w = write_secret_file((*vm)["out"].as<std::string>(), text);
  std::fill(text.begin(), text.end(), '\0');
  if (!w) return fail(w.error());
  std::cout << proofs::format_verifier_key(signer->verifier()) << "\n";
  return kExitOk;
}

Result<proofs::NoteSigner> read_signer(const std::filesystem::path& path) {
  VERUN_ASSIGN_OR_RETURN(auto text, read_small_file(path, 4096));
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  auto signer = proofs::parse_signer_key(text);
  std::fill(text.begin(), text.end(), '\0');
  return signer;
}

int serve(const std::vector<std::string>& args) {
  po::options_description desc("serve options");
  desc.add_options()("db", po::value<std::string>()->required(), "SQLite database file (created if absent)")(
      "key", po::value<std::string>()->required(), "the log's note private key file (from keygen)")(
      "origin", po::value<std::string>(), "checkpoint origin (default: the key name)")(
      "listen", po::value<std::string>()->default_value("127.0.0.1:8080"), "HOST:PORT (port 0 picks a free one)")(
      "admission-policy", po::value<std::string>(), "admission policy JSON (without: no registration is admitted)")(
      "batch-max", po::value<std::size_t>()->default_value(1024), "entries per batch at most")(
      "batch-wait-ms", po::value<unsigned>()->default_value(50), "batch sealing delay in milliseconds")(
      "max-body-bytes", po::value<std::size_t>()->default_value(5u << 20), "request body limit");
  int code = 0;
  auto vm = parse_options(
      "verun-log serve --db FILE --key FILE [--origin O] --listen 127.0.0.1:PORT [--admission-policy FILE] "
      "[--batch-max N] [--batch-wait-ms M]",
      desc, {}, args, code);
  if (!vm) return code;
  const std::string listen = (*vm)["listen"].as<std::string>();
  const auto colon = listen.rfind(':');
  int port = -1;
  if (colon != std::string::npos && colon > 0) {
    try {
      std::size_t used = 0;
      port = std::stoi(listen.substr(colon + 1), &used);
      if (used != listen.size() - colon - 1) port = -1;
    } catch (const std::exception&) {
      port = -1;
    }
  }
  if (port < 0 || port > 65535) {
    std::cerr << "usage error: --listen must be HOST:PORT, not '" << listen << "'\n";
    return kExitUsage;
  }
  const std::string host = listen.substr(0, colon);

  // SIGINT/SIGTERM stop the server; blocked before any thread starts so
  // every thread inherits the mask and only the waiter below takes them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  auto signer = read_signer((*vm)["key"].as<std::string>());
  if (!signer) return fail(signer.error());
  const std::string vkey = proofs::format_verifier_key(signer->verifier());

  verifier::Policy policy = log::empty_admission_policy();
  if (vm->count("admission-policy")) {
    auto text = read_small_file((*vm)["admission-policy"].as<std::string>(), 1u << 20);
    if (!text) return fail(text.error());
    auto p = verifier::parse_policy(*text);
    if (!p) return fail(p.error());
    policy = std::move(*p);
  }

  auto store = log::SqliteStore::open((*vm)["db"].as<std::string>());
  if (!store) return fail(store.error());
  log::Admission admission(**store, std::move(policy));
  log::SequencerOptions so;
  if (vm->count("origin")) so.origin = (*vm)["origin"].as<std::string>();
  so.max_batch_entries = (*vm)["batch-max"].as<std::size_t>();
  so.max_batch_wait = std::chrono::milliseconds((*vm)["batch-wait-ms"].as<unsigned>());
  so.admission = admission.as_fn();
  auto seq = log::Sequencer::start(**store, std::move(*signer), std::move(so));
  if (!seq) return fail(seq.error());

  log::http::HttpOptions ho;
  ho.max_body_bytes = (*vm)["max-body-bytes"].as<std::size_t>();
  log::http::LogHttpServer server(**store, **seq, admission, ho);
  auto bound = server.bind(host, port);
  if (!bound) return fail(bound.error());

  std::thread waiter([&] {
    int sig = 0;
    sigwait(&signals, &sig);
    server.stop();
  });

  std::cout << "vkey " << vkey << "\n"
            << "listening on http://" << host << ":" << *bound << "\n"
            << std::flush;
  server.run();
  server.stop();
  (*seq)->stop();
  // Wake the waiter if the server stopped for another reason.
  pthread_kill(waiter.native_handle(), SIGTERM);
  waiter.join();
  return kExitOk;
}

int export_tiles(const std::vector<std::string>& args) {
  po::options_description desc("export-tiles options");
  desc.add_options()("db", po::value<std::string>()->required(), "SQLite database file of the log")(
      "dir", po::value<std::string>()->required(), "output folder");
  po::positional_options_description pos;
  pos.add("dir", 1);
  int code = 0;
  auto vm = parse_options("verun-log export-tiles --db FILE DIR", desc, pos, args, code);
  if (!vm) return code;
  const std::filesystem::path db = (*vm)["db"].as<std::string>();
  if (!std::filesystem::exists(db)) return fail(Error(ErrorCode::kIoError, "no database at " + db.string()));
  auto store = log::SqliteStore::open(db);
  if (!store) return fail(store.error());
  auto stats = log::http::export_tiles(**store, (*vm)["dir"].as<std::string>());
  if (!stats) return fail(stats.error());
  std::cout << "exported tree size " << stats->size << " (" << stats->files << " files) to "
            << (*vm)["dir"].as<std::string>() << "\n";
  return kExitOk;
}

}  // namespace

int main(int argc, char** argv) {
  const std::map<std::string, std::pair<std::string, std::function<int(const std::vector<std::string>&)>>> table{
      {"keygen", {"create the log's note key", keygen}},
      {"serve", {"serve the log over HTTP", serve}},
      {"export-tiles", {"write a static C2SP tlog-tiles copy", export_tiles}},
  };
  auto list = [&](std::ostream& os) {
    os << "usage: verun-log <command> [options]\n\ncommands:\n";
    for (const auto& [name, cmd] : table) os << "  " << name << std::string(14 - name.size(), ' ') << cmd.first << "\n";
    os << "\nRun 'verun-log <command> --help' for a command's options.\n";
  };
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) {
    list(std::cerr);
    return kExitUsage;
  }
  if (args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    list(std::cout);
    return kExitOk;
  }
  auto it = table.find(args[0]);
  if (it == table.end()) {
    std::cerr << "verun-log: unknown command '" << args[0] << "'\n\n";
    list(std::cerr);
    return kExitUsage;
  }
  try {
    return it->second.second(std::vector<std::string>(args.begin() + 1, args.end()));
  } catch (const std::exception& e) {
    std::cerr << "error: internal: " << e.what() << "\n";
    return kExitFailure;
  }
}
