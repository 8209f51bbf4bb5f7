// The `verun` CLI's command groups, one file each in cmd/commands/.
#pragma once

#include <string>
#include <vector>

namespace verun::cli {

int run_tlog(const std::vector<std::string>& args);            // tlog.cc
int run_submit_command(const std::vector<std::string>& args);   // submit.cc
int run_verify_command(const std::vector<std::string>& args);   // verify.cc
int run_inspect_command(const std::vector<std::string>& args);  // inspect.cc
int run_log(const std::vector<std::string>& args);             // log.cc

}  // namespace verun::cli
