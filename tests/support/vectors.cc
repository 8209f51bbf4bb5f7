#include "tests/support/vectors.h"

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>

namespace verun::testing {

namespace fs = std::filesystem;

static std::optional<fs::path> existing(const char* env, const char* fallback_env) {
  for (const char* name : {env, fallback_env}) {
    if (const char* v = std::getenv(name); v && *v && fs::is_directory(v)) return fs::path(v);
  }
  return std::nullopt;
}

std::optional<fs::path> vectors_root() {
  if (auto p = existing("VERUN_VECTORS", "VERUN_VECTORS_DEFAULT")) return p;
#ifdef VERUN_SOURCE_DIR
  fs::path p = fs::path(VERUN_SOURCE_DIR) / ".." / "shared" / "vectors";
  if (fs::is_directory(p)) return p;
#endif
  return std::nullopt;
}

std::optional<fs::path> shared_root() {
  if (auto p = existing("VERUN_SHARED", "VERUN_SHARED_DEFAULT")) return p;
  if (auto v = vectors_root(); v && fs::is_directory(v->parent_path() / "tools")) return v->parent_path();
  return std::nullopt;
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + p.string());
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

proofs::Bytes read_file_bytes(const fs::path& p) { return proofs::to_bytes(read_file(p)); }

nlohmann::json read_json(const fs::path& p) { return nlohmann::json::parse(read_file(p)); }

void report_vector_count(const std::string& what, std::size_t n) {
  std::cout << "[ vectors  ] " << what << ": " << n << " vectors ran" << std::endl;
  ::testing::Test::RecordProperty("vectors", static_cast<int>(n));
}

}  // namespace verun::testing
