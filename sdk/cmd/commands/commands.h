// The `verun` CLI's command groups, one file each in cmd/commands/.
#pragma once

#include <string>
#include <vector>

namespace verun::cli {

int run_tlog(const std::vector<std::string>& args);  // tlog.cc

}  // namespace verun::cli
