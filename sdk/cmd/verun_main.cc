// `verun`: the command-line client. Each command group lives in
// cmd/commands/; exit codes are 0 (valid / done), 1 (invalid), 2 (usage),
// 3 (a runner or log unavailable: retry).
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
        {"submit", {"attest a runner, send it a sealed job, check the receipt, write output and bundle", run_submit_command}},
        {"verify", {"verify a bundle under a policy (as verun-verify bundle; --online checks the log)", run_verify_command}},
        {"inspect", {"describe a verun file: envelope, bundle, checkpoint, tlog-proof, evidence, policy", run_inspect_command}},
        {"log", {"talk to verun-log: checkpoint, entry, proof, consistency, key, blob (JSON)", run_log}},
    };
    const std::string footer =
        "\nExit codes: 0 done / valid; 1 invalid, refused or failed (a check names its stable code,\n"
        "see docs/error-codes.md); 2 usage error (bad flag, unreadable file, invalid policy, a salted\n"
        "commitment checked without its salt); 3 a runner or log is unreachable, busy or timed out\n"
        "(submit, verify --online, log: retry later).\n";
    return dispatch("verun", table, std::vector<std::string>(argv + 1, argv + argc), footer);
  } catch (const std::exception& e) {
    std::cerr << "error: internal: " << e.what() << "\n";
    return kExitUsage;
  }
}
