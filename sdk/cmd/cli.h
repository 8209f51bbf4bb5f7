// Plumbing shared by the `verun` CLI's commands: exit codes (0 valid, 1
// invalid, 2 usage), option parsing with --help on every command, file I/O
// (atomic writes, 0600 for secrets, size-limited reads), and printing an
// Error. Commands live one per file in cmd/commands/.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include <boost/program_options.hpp>

#include "verun/result.h"

namespace verun::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitInvalid = 1;
inline constexpr int kExitUsage = 2;

namespace po = boost::program_options;

// A command: its one-line summary, its usage line, and its handler, which
// receives the arguments after the command's name.
struct Command {
  std::string summary;
  std::function<int(const std::vector<std::string>&)> run;
};
using CommandTable = std::map<std::string, Command>;

// Runs `table[args[0]]` with the remaining arguments, or prints the list of
// commands (for --help, or with exit 2 for an unknown or missing command).
// `footer` is printed after the list (e.g. the exit codes).
int dispatch(const std::string& prog, const CommandTable& table, const std::vector<std::string>& args,
             const std::string& footer = "");

// Parses args against desc (positional names in pos). Returns nullopt and
// sets exit_code when the command should stop: 0 after printing --help, 2
// after printing a usage error.
std::optional<po::variables_map> parse_options(const std::string& usage, const po::options_description& desc,
                                               const po::positional_options_description& pos,
                                               const std::vector<std::string>& args, int& exit_code);

// Reads a whole file, refusing files larger than max_bytes.
Result<std::string> read_file(const std::filesystem::path& path, std::size_t max_bytes = 64u << 20);
// Writes via a temporary file in the same folder, fsync, then rename, so a
// crash leaves either the old file or the new one. mode applies to the new
// file (0600 for secrets).
Result<void> write_file_atomic(const std::filesystem::path& path, std::string_view data, unsigned mode = 0644);

// Prints "error: <code>: <message>" to stderr.
void print_error(const Error& e);

}  // namespace verun::cli
