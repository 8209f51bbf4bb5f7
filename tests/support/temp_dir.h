// TempDir: a fresh directory under $TMPDIR removed (recursively) when the
// object is destroyed. For tests that write files.
#pragma once

#include <filesystem>

namespace verun::testing {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace verun::testing
