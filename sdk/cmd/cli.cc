#include "cmd/cli.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>

namespace verun::cli {

int dispatch(const std::string& prog, const CommandTable& table, const std::vector<std::string>& args,
             const std::string& footer) {
  auto list = [&](std::ostream& os) {
    os << "usage: " << prog << " <command> [options]\n\ncommands:\n";
    for (const auto& [name, cmd] : table) os << "  " << name << std::string(name.size() < 12 ? 12 - name.size() : 1, ' ') << cmd.summary << "\n";
    os << "\nRun '" << prog << " <command> --help' for a command's options.\n" << footer;
  };
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
    std::cerr << prog << ": unknown command '" << args[0] << "'\n\n";
    list(std::cerr);
    return kExitUsage;
  }
  return it->second.run(std::vector<std::string>(args.begin() + 1, args.end()));
}

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

Result<std::string> read_file(const std::filesystem::path& path, std::size_t max_bytes) {
  std::error_code ec;
  auto size = std::filesystem::file_size(path, ec);
  if (ec) return Error(ErrorCode::kIoError, "cannot read " + path.string() + ": " + ec.message());
  if (size > max_bytes)
    return Error(ErrorCode::kIoError, path.string() + " is larger than " + std::to_string(max_bytes) + " bytes");
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error(ErrorCode::kIoError, "cannot open " + path.string());
  std::ostringstream ss;
  ss << in.rdbuf();
  if (!in.good() && !in.eof()) return Error(ErrorCode::kIoError, "cannot read " + path.string());
  return ss.str();
}

Result<void> write_file_atomic(const std::filesystem::path& path, std::string_view data, unsigned mode) {
  auto dir = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
  std::string tmpl = (dir / ("." + path.filename().string() + ".tmp-XXXXXX")).string();
  int fd = mkstemp(tmpl.data());
  if (fd < 0) return Error(ErrorCode::kIoError, "cannot create a file in " + dir.string() + ": " + std::strerror(errno));
  auto fail = [&](const char* what) {
    Error e(ErrorCode::kIoError, std::string(what) + " " + path.string() + ": " + std::strerror(errno));
    close(fd);
    unlink(tmpl.c_str());
    return e;
  };
  if (fchmod(fd, mode) != 0) return fail("cannot set the mode of");
  std::size_t done = 0;
  while (done < data.size()) {
    ssize_t n = write(fd, data.data() + done, data.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail("cannot write");
    }
    done += static_cast<std::size_t>(n);
  }
  if (fsync(fd) != 0) return fail("cannot sync");
  if (close(fd) != 0) {
    unlink(tmpl.c_str());
    return Error(ErrorCode::kIoError, "cannot close " + path.string());
  }
  if (rename(tmpl.c_str(), path.c_str()) != 0) {
    Error e(ErrorCode::kIoError, "cannot rename into " + path.string() + ": " + std::strerror(errno));
    unlink(tmpl.c_str());
    return e;
  }
  return {};
}

void print_error(const Error& e) { std::cerr << "error: " << e.to_string() << "\n"; }

}  // namespace verun::cli
