// `verun`: the command-line client. Each command group lives in
// cmd/commands/; exit codes are 0 (valid / done), 1 (invalid), 2 (usage).
// One catch-all maps an escaped exception to exit 2 and code `internal`:
// reaching it is a bug to fix.
#include <exception>
#include <iostream>

#include "cmd/cli.h"
#include "cmd/commands/commands.h"

int main(int argc, char** argv) {
  using namespace verun::cli;
  try {
    CommandTable table{
        {"tlog", {"offline transparency-log tools: keygen, build, prove, verify", run_tlog}},
    };
    return dispatch("verun", table, std::vector<std::string>(argv + 1, argv + argc));
  } catch (const std::exception& e) {
    std::cerr << "error: internal: " << e.what() << "\n";
    return kExitUsage;
  }
}
