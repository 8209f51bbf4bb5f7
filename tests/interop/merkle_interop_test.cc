// Merkle and C2SP tlog-tiles interop: our roots, hash tiles and entry
// bundles against reflog (x/mod sumdb/tlog) for several entry counts, and
// against the reflog-made vector folders tlog/tiles/reflog-1000 and
// reflog-empty. Files must be byte-identical and the sets of files equal.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/support/matchers.h"
#include "tests/support/temp_dir.h"
#include "tests/support/vectors.h"
#include "verun/proofs/base64.h"
#include "verun/proofs/merkle/compact_range.h"
#include "verun/proofs/merkle/hasher.h"
#include "verun/proofs/merkle/memory_hash_store.h"
#include "verun/proofs/merkle/tiles.h"
#include "verun/proofs/sha2.h"

namespace verun::proofs {
namespace {

namespace fs = std::filesystem;
using Files = std::map<std::string, Bytes>;  // path under the log root -> contents

// The tile directory a C2SP log publishes for these entries, at the final
// size and at every checkpoint size: hash tiles and entry bundles.
Files our_tiles(const std::vector<Bytes>& entries, const std::vector<std::uint64_t>& sizes) {
  MemoryHashStore store;
  for (const Bytes& e : entries) store.append_leaf(leaf_hash(e));
  Files out;
  for (std::uint64_t size : sizes) {
    for (const Tile& t : hash_tiles_for_size(size)) {
      auto data = read_hash_tile(store, t);
      EXPECT_TRUE(data.has_value()) << format_tile_path(t);
      if (data) out[format_tile_path(t)] = *data;
    }
    for (const Tile& t : entry_bundles_for_size(size)) {
      Bytes bundle;
      for (std::uint64_t i = t.index * kTileWidth; i < t.index * kTileWidth + t.width; ++i) {
        EXPECT_OK(append_bundle_entry(bundle, entries[i]));
      }
      out[format_tile_path(t)] = bundle;
    }
  }
  return out;
}

// Every regular file under root/tile, keyed by its path relative to root.
Files read_tile_dir(const fs::path& root) {
  Files out;
  if (!fs::exists(root / "tile")) return out;
  for (const auto& e : fs::recursive_directory_iterator(root / "tile")) {
    if (e.is_regular_file()) {
      out[fs::relative(e.path(), root).generic_string()] = verun::testing::read_file_bytes(e.path());
    }
  }
  return out;
}

// Compares two tile sets: the differences, one line each (empty when
// identical), and how many files matched.
std::vector<std::string> diff_files(const Files& ours, const Files& theirs, std::size_t* same_out = nullptr) {
  std::set<std::string> names;
  for (const auto& [k, v] : ours) names.insert(k);
  for (const auto& [k, v] : theirs) names.insert(k);
  std::vector<std::string> diffs;
  std::size_t same = 0;
  for (const std::string& n : names) {
    const auto a = ours.find(n);
    const auto b = theirs.find(n);
    if (a == ours.end()) {
      diffs.push_back(n + ": written by the reference, not by us");
    } else if (b == theirs.end()) {
      diffs.push_back(n + ": written by us, not by the reference");
    } else if (a->second != b->second) {
      diffs.push_back(n + ": contents differ");
    } else {
      ++same;
    }
  }
  if (same_out) *same_out = same;
  return diffs;
}

std::size_t expect_same_files(const Files& ours, const Files& theirs) {
  std::size_t same = 0;
  for (const std::string& d : diff_files(ours, theirs, &same)) ADD_FAILURE() << d;
  return same;
}

// Runs a shell command, returns its stdout; fails the test on a non-zero
// exit.
std::string run(const std::string& cmd) {
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) {
    ADD_FAILURE() << "cannot run " << cmd;
    return out;
  }
  char buf[4096];
  while (std::size_t n = fread(buf, 1, sizeof buf, p)) out.append(buf, n);
  const int rc = pclose(p);
  EXPECT_EQ(rc, 0) << cmd << "\n" << out;
  return out;
}

std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// The reference tools: $TLOG_INTEROP_BIN (as build.sh reads it), else
// <build>/tlog-interop-bin, built there on first use (under a lock, so
// parallel tests do not race). Empty, with the reason, when they are not
// built and go, x/mod or shared/ is missing.
std::optional<fs::path> reference_tools(std::string& why) {
  const char* env_bin = std::getenv("TLOG_INTEROP_BIN");
  const fs::path bin = env_bin && *env_bin ? fs::path(env_bin) : fs::path(VERUN_BINARY_DIR) / "tlog-interop-bin";
  if (fs::exists(bin / "reflog") && fs::exists(bin / "tlogbench")) return bin;

  auto shared = verun::testing::shared_root();
  if (!shared || !fs::exists(*shared / "tools/tlog-interop/build.sh")) {
    why = "shared/tools/tlog-interop not found (set VERUN_SHARED or put shared/ beside the project)";
    return std::nullopt;
  }
  // build.sh would apt-get what is missing; a test must not, so it skips.
  if (std::system("command -v go >/dev/null 2>&1") != 0 ||
      !fs::exists("/usr/share/gocode/src/golang.org/x/mod/sumdb/tlog/tlog.go")) {
    why = "go or x/mod is not installed (apt-get install golang-go golang-golang-x-mod-dev)";
    return std::nullopt;
  }
  const std::string cmd = "flock " + shell_quote((fs::path(VERUN_BINARY_DIR) / "tlog-interop-bin.lock").string()) +
                          " env TLOG_INTEROP_BIN=" + shell_quote(bin.string()) + " bash " +
                          shell_quote((*shared / "tools/tlog-interop/build.sh").string()) + " >&2";
  if (std::system(cmd.c_str()) != 0 || !fs::exists(bin / "reflog")) {
    why = "building the tlog-interop tools failed: " + cmd;
    return std::nullopt;
  }
  return bin;
}

#define VERUN_REQUIRE_REFERENCE(var)                                 \
  std::string var##_why;                                             \
  const auto var##_opt = reference_tools(var##_why);                 \
  if (!var##_opt) GTEST_SKIP() << "SKIPPED: " << var##_why;          \
  const fs::path var = *var##_opt

// Deterministic entries of varied length (0 to ~700 bytes, every byte
// value), with an occasional maximal 65,535-byte entry when asked.
std::vector<Bytes> make_entries(std::uint64_t n, bool with_max_entry) {
  std::vector<Bytes> out;
  out.reserve(n);
  for (std::uint64_t i = 0; i < n; ++i) {
    const Hash32 seed = sha256(as_bytes("verun interop entry " + std::to_string(i)));
    std::size_t len = (i % 7 == 3) ? 0 : seed[0] + (seed[1] % 3) * 256u;
    if (with_max_entry && i == n / 2) len = kMaxEntrySize;
    Bytes e(len);
    for (std::size_t j = 0; j < len; ++j) e[j] = static_cast<std::uint8_t>(seed[j % 32] ^ (j * 131));
    out.push_back(std::move(e));
  }
  return out;
}

void write_base64_lines(const fs::path& p, const std::vector<Bytes>& entries) {
  std::ofstream f(p, std::ios::binary);
  for (const Bytes& e : entries) f << base64_encode(e) << '\n';
}

std::string line_value(const std::string& text, const std::string& key) {
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(key + " ", 0) == 0) return line.substr(key.size() + 1);
  }
  return {};
}

struct Case {
  std::uint64_t n;
  std::vector<std::uint64_t> checkpoints;
  bool with_max_entry;
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.n << " entries"; }

class ReflogInterop : public ::testing::TestWithParam<Case> {};

TEST_P(ReflogInterop, RootsTilesAndBundlesAreByteIdentical) {
  VERUN_REQUIRE_REFERENCE(bin);
  const Case c = GetParam();
  verun::testing::TempDir tmp;
  const std::vector<Bytes> entries = make_entries(c.n, c.with_max_entry);
  const fs::path in = tmp.path() / "entries.b64";
  write_base64_lines(in, entries);

  CompactRange range;
  for (const Bytes& e : entries) range.append(leaf_hash(e));
  const std::string root_only =
      run(shell_quote((bin / "reflog").string()) + " -root-only -in " + shell_quote(in.string()) + " -in-format base64");
  EXPECT_EQ(line_value(root_only, "size"), std::to_string(c.n));
  EXPECT_EQ(line_value(root_only, "root"), base64_encode(range.root()));

  std::string cps;
  for (std::uint64_t s : c.checkpoints) cps += (cps.empty() ? "" : ",") + std::to_string(s);
  const fs::path out = tmp.path() / "ref";
  run(shell_quote((bin / "reflog").string()) + " -out " + shell_quote(out.string()) + " -in " +
      shell_quote(in.string()) + " -in-format base64" + (cps.empty() ? "" : " -checkpoints " + cps) + " >/dev/null");

  std::vector<std::uint64_t> sizes = c.checkpoints;
  sizes.push_back(c.n);
  const Files ours = our_tiles(entries, sizes);
  const Files theirs = read_tile_dir(out);
  const std::size_t same = expect_same_files(ours, theirs);
  EXPECT_EQ(same, ours.size());
  EXPECT_EQ(same == 0, c.n == 0);
  std::cout << "[ interop  ] " << c.n << " entries: root and " << same << " tile files identical to reflog"
            << std::endl;
}

INSTANTIATE_TEST_SUITE_P(
    Sizes, ReflogInterop,
    ::testing::Values(Case{0, {}, false}, Case{1, {}, false}, Case{255, {1, 254}, false},
                      Case{256, {255}, false}, Case{257, {1, 256}, false}, Case{1000, {1, 255, 256, 300}, true},
                      Case{65539, {256, 65535, 65536, 65537}, false}),
    [](const ::testing::TestParamInfo<Case>& i) { return "n" + std::to_string(i.param.n); });

// --- The reflog vector folders (no Go needed) -------------------------------

TEST(TilesVectors, Reflog1000TilesEqualOursForTheSameEntries) {
  VERUN_REQUIRE_VECTORS(dir, "tlog/tiles/reflog-1000");
  const nlohmann::json expected = verun::testing::read_json(dir / "expected.json").at("expected");
  const fs::path log = dir / "log";
  const std::uint64_t size = expected.at("size").get<std::uint64_t>();
  ASSERT_EQ(size, 1000u);

  // Recover the entries from the full-size bundles, strictly.
  std::vector<Bytes> entries;
  for (const Tile& t : entry_bundles_for_size(size)) {
    auto got = parse_entry_bundle(verun::testing::read_file_bytes(log / format_tile_path(t)), t.width);
    ASSERT_THAT(got, verun::testing::IsOk()) << format_tile_path(t);
    entries.insert(entries.end(), got->begin(), got->end());
  }
  ASSERT_EQ(entries.size(), size);

  // Roots at the final size and at every checkpoint.
  MemoryHashStore store;
  for (const Bytes& e : entries) store.append_leaf(leaf_hash(e));
  std::vector<std::uint64_t> sizes;
  std::size_t roots = 0;
  EXPECT_EQ(base64_encode(*tree_hash(store, size)), expected.at("root").get<std::string>());
  ++roots;
  for (const auto& cp : expected.at("checkpoints")) {
    const auto s = cp.at("size").get<std::uint64_t>();
    sizes.push_back(s);
    EXPECT_EQ(base64_encode(*tree_hash(store, s)), cp.at("root").get<std::string>()) << s;
    ++roots;
  }
  sizes.push_back(size);

  // expected.json counts every file under log/; 7 of them are the
  // checkpoint and reflog/ metadata, the rest are tiles.
  std::size_t all_files = 0;
  for (const auto& e : fs::recursive_directory_iterator(log)) all_files += e.is_regular_file() ? 1 : 0;
  EXPECT_EQ(all_files, verun::testing::read_json(dir / "expected.json").at("files").at("count").get<std::size_t>());
  const Files theirs = read_tile_dir(log);
  EXPECT_EQ(theirs.size(), all_files - 7);
  const std::size_t same = expect_same_files(our_tiles(entries, sizes), theirs);
  EXPECT_EQ(same, 16u);  // 9 hash tiles and 7 entry bundles in log/tile/
  verun::testing::report_vector_count("tlog/tiles/reflog-1000 tile files", same);
  verun::testing::report_vector_count("tlog/tiles/reflog-1000 roots", roots);
}

TEST(TilesVectors, TheComparisonCatchesOneFlippedBitAMissingAndAnExtraFile) {
  VERUN_REQUIRE_VECTORS(dir, "tlog/tiles/reflog-1000");
  const Files theirs = read_tile_dir(dir / "log");
  ASSERT_FALSE(theirs.empty());
  Files flipped = theirs;
  flipped["tile/0/001"][125 * 32] ^= 1;
  EXPECT_EQ(diff_files(flipped, theirs).size(), 1u);
  Files missing = theirs;
  missing.erase("tile/1/000.p/3");
  EXPECT_EQ(diff_files(missing, theirs).size(), 1u);
  Files extra = theirs;
  extra["tile/1/000"] = Bytes(256 * 32);
  EXPECT_EQ(diff_files(extra, theirs).size(), 1u);
  EXPECT_TRUE(diff_files(theirs, theirs).empty());
}

TEST(TilesVectors, ReflogEmptyHasNoTilesAndTheEmptyRoot) {
  VERUN_REQUIRE_VECTORS(dir, "tlog/tiles/reflog-empty");
  const nlohmann::json expected = verun::testing::read_json(dir / "expected.json").at("expected");
  EXPECT_EQ(expected.at("size").get<std::uint64_t>(), 0u);
  EXPECT_EQ(expected.at("root").get<std::string>(), base64_encode(empty_root()));
  EXPECT_TRUE(read_tile_dir(dir / "log").empty());
  EXPECT_TRUE(hash_tiles_for_size(0).empty());
  verun::testing::report_vector_count("tlog/tiles/reflog-empty", 1);
}

}  // namespace
}  // namespace verun::proofs
