// Finding the shared test vectors: $VERUN_VECTORS, else ../shared/vectors
// beside the project (the path CMake records). Tests call
// VERUN_REQUIRE_VECTORS("crypto/hpke") which GTEST_SKIPs with a visible
// reason when the folder is absent, and report how many vectors ran with
// report_vector_count().
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "verun/proofs/bytes.h"

namespace verun::testing {

// The vectors root, or nullopt when it does not exist.
std::optional<std::filesystem::path> vectors_root();
// The shared/ root (for shared/tools), or nullopt.
std::optional<std::filesystem::path> shared_root();

// Whole file contents; throws std::runtime_error if unreadable (tests only).
std::string read_file(const std::filesystem::path& p);
proofs::Bytes read_file_bytes(const std::filesystem::path& p);
nlohmann::json read_json(const std::filesystem::path& p);

// Prints "[ vectors  ] <what>: <n> vectors ran" and records it as a test
// property, so the count shows in the output and the XML report.
void report_vector_count(const std::string& what, std::size_t n);

}  // namespace verun::testing

// Sets `var` to the vector folder `rel` (a std::filesystem::path), or skips
// the test visibly when it is absent.
#define VERUN_REQUIRE_VECTORS(var, rel)                                                   \
  std::filesystem::path var;                                                              \
  do {                                                                                    \
    auto verun_root_ = ::verun::testing::vectors_root();                                  \
    if (!verun_root_ || !std::filesystem::exists(*verun_root_ / (rel)))                   \
      GTEST_SKIP() << "SKIPPED: vectors folder '" << (rel)                                \
                   << "' not found (set VERUN_VECTORS or put shared/ beside the project)"; \
    var = *verun_root_ / (rel);                                                           \
  } while (0)
