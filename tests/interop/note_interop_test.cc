// Interop with golang.org/x/mod/sumdb/note through shared/tools/tlog-interop:
// (a) checkpoints signed by x/mod (reflog) open with our verifier and match
//     reflog/meta.json; (b) checkpoints we sign (and cosign) pass x/mod's
//     tlogcheck, for the empty tree and a 1,000-entry tree, and a flipped
//     signature bit makes tlogcheck fail. Skips visibly without Go or shared/.
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "tests/support/matchers.h"
#include "tests/support/temp_dir.h"
#include "tests/support/vectors.h"
#include "verun/proofs/base64.h"
#include "verun/proofs/merkle/hasher.h"
#include "verun/proofs/note/checkpoint.h"

namespace verun::proofs {
namespace {

namespace fs = std::filesystem;
using verun::testing::read_file;
using verun::testing::read_json;
using verun::testing::report_vector_count;

std::string sh_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// Runs a shell command; returns its exit status (or -1), output to `log`.
int run(const std::string& cmd, const fs::path& log) {
  const int st = std::system((cmd + " >" + sh_quote(log.string()) + " 2>&1").c_str());
  return st != -1 && WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

void write_file(const fs::path& p, const std::string& data) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out << data;
}

class NoteInterop : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto shared = verun::testing::shared_root();
    if (!shared || !fs::exists(*shared / "tools/tlog-interop/build.sh")) {
      skip_ = "shared/tools/tlog-interop not found";
      return;
    }
    if (std::system("command -v go >/dev/null 2>&1") != 0 ||
        !fs::exists("/usr/share/gocode/src/golang.org/x/mod/sumdb/note/note.go")) {
      skip_ = "Go or golang.org/x/mod (golang-golang-x-mod-dev) is not installed";
      return;
    }
    // $TLOG_INTEROP_BIN (as build.sh reads it), else <build>/tlog-interop-bin,
    // built once under the same lock as the merkle interop test.
    const char* env_bin = std::getenv("TLOG_INTEROP_BIN");
    bin_ = env_bin && *env_bin ? fs::path(env_bin) : fs::path(VERUN_BINARY_DIR) / "tlog-interop-bin";
    if (!fs::exists(bin_ / "tlogcheck") || !fs::exists(bin_ / "reflog")) {
      const fs::path log = fs::path(VERUN_BINARY_DIR) / "tlog-interop-note-build.log";
      const int rc = run("flock " + sh_quote((fs::path(VERUN_BINARY_DIR) / "tlog-interop-bin.lock").string()) +
                             " env TLOG_INTEROP_BIN=" + sh_quote(bin_.string()) + " bash " +
                             sh_quote((*shared / "tools/tlog-interop/build.sh").string()),
                         log);
      if (rc != 0 || !fs::exists(bin_ / "tlogcheck")) {
        skip_ = "building the Go tools failed (see " + log.string() + ")";
        return;
      }
    }
  }

  void SetUp() override {
    if (!skip_.empty()) GTEST_SKIP() << "SKIPPED: " << skip_;
  }

  // reflog -out dir -n n -origin origin -seed verun [-checkpoints ...]
  fs::path reflog(std::uint64_t n, const std::string& origin, const std::string& checkpoints = "") {
    const fs::path out = tmp_.path() / ("reflog-" + std::to_string(n)) / "log";
    std::string cmd = sh_quote((bin_ / "reflog").string()) + " -out " + sh_quote(out.string()) + " -n " +
                      std::to_string(n) + " -origin " + sh_quote(origin) + " -seed verun-interop";
    if (!checkpoints.empty()) cmd += " -checkpoints " + checkpoints;
    EXPECT_EQ(run(cmd, tmp_.path() / "reflog.log"), 0) << read_file(tmp_.path() / "reflog.log");
    return out;
  }

  int tlogcheck(const fs::path& dir, const std::string& vkey, const std::string& origin,
                const std::string& extra = "") {
    const fs::path log = tmp_.path() / "tlogcheck.log";
    const int rc = run(sh_quote((bin_ / "tlogcheck").string()) + " -url " + sh_quote(dir.string()) + " -vkey " +
                           sh_quote(vkey) + " -origin " + sh_quote(origin) + " " + extra,
                       log);
    last_output_ = read_file(log);
    return rc;
  }

  static inline std::string skip_;
  static inline fs::path bin_;
  verun::testing::TempDir tmp_;
  std::string last_output_;
};

TEST_F(NoteInterop, XmodSignedCheckpointsOpenWithOurVerifier) {
  const std::string origin = "example.com/interop";
  const fs::path dir = reflog(1000, origin, "1,255,256,300");
  const auto meta = read_json(dir / "reflog/meta.json");
  auto key = parse_verifier_key(meta.at("vkey").get<std::string>());
  ASSERT_OK(key);
  auto cp = open_checkpoint(read_file(dir / "checkpoint"), *key, origin);
  ASSERT_OK(cp);
  EXPECT_EQ(cp->checkpoint.size, meta.at("size").get<std::uint64_t>());
  EXPECT_EQ(base64_encode(cp->checkpoint.root), meta.at("root").get<std::string>());
  std::size_t n = 0;
  for (const auto& c : meta.at("checkpoints")) {
    auto old = open_checkpoint(read_file(dir / c.at("file").get<std::string>()), *key, origin);
    ASSERT_OK(old);
    EXPECT_EQ(old->checkpoint.size, c.at("size").get<std::uint64_t>());
    EXPECT_EQ(base64_encode(old->checkpoint.root), c.at("root").get<std::string>());
    ++n;
  }
  EXPECT_EQ(n, 5u);  // 1, 255, 256, 300 and the final 1000
  // A bit flipped in x/mod's signature is rejected by us too.
  auto note = *parse_signed_note(read_file(dir / "checkpoint"));
  note.signatures[0].signature[9] ^= 0x20;
  EXPECT_THAT(open_checkpoint(format_signed_note(note), *key, origin),
              verun::testing::HasCode(ErrorCode::kNoteBadSignature));
  report_vector_count("x/mod-signed reflog checkpoints", n);
}

TEST_F(NoteInterop, OurCheckpointsPassXmodTlogcheck) {
  std::size_t n = 0;
  for (std::uint64_t size : {std::uint64_t{0}, std::uint64_t{1000}}) {
    const std::string origin = "example.com/verun-interop-" + std::to_string(size);
    const fs::path dir = reflog(size, origin);
    const auto meta = read_json(dir / "reflog/meta.json");
    auto signer = NoteSigner::generate(origin);
    ASSERT_OK(signer);
    Checkpoint cp{origin, meta.at("size").get<std::uint64_t>(), *base64_decode32(meta.at("root").get<std::string>()), {}};
    if (size == 0) {
      EXPECT_EQ(cp.root, empty_root());
    }
    auto note = sign_checkpoint(cp, *signer);
    ASSERT_OK(note);
    write_file(dir / "checkpoint", *note);
    const std::string vkey = format_verifier_key(signer->verifier());
    EXPECT_EQ(tlogcheck(dir, vkey, origin), 0) << last_output_;
    // The reflog key no longer verifies it: our checkpoint replaced x/mod's.
    EXPECT_EQ(tlogcheck(dir, meta.at("vkey").get<std::string>(), origin), 1) << last_output_;

    // With a cosignature by our witness key, x/mod's cosignature check passes.
    auto witness = NoteSigner::generate("witness.example/verun", NoteKeyType::kCosignatureV1);
    ASSERT_OK(witness);
    auto cosigned = add_cosignature(*note, *witness, 1779000000);
    ASSERT_OK(cosigned);
    write_file(dir / "checkpoint", *cosigned);
    const std::string wflag = "-witness-vkey " + sh_quote(format_verifier_key(witness->verifier())) + " -witness-quorum 1";
    EXPECT_EQ(tlogcheck(dir, vkey, origin, wflag), 0) << last_output_;

    // Flip one bit inside our Ed25519 signature: tlogcheck must fail.
    auto bad = *parse_signed_note(*note);
    bad.signatures[0].signature[17] ^= 0x01;
    write_file(dir / "checkpoint", format_signed_note(bad));
    EXPECT_EQ(tlogcheck(dir, vkey, origin), 1) << last_output_;
    // Flip one bit of the cosignature: the witness check fails.
    auto badw = *parse_signed_note(*cosigned);
    badw.signatures[1].signature[30] ^= 0x01;
    write_file(dir / "checkpoint", format_signed_note(badw));
    EXPECT_EQ(tlogcheck(dir, vkey, origin, wflag), 1) << last_output_;
    ++n;
  }
  report_vector_count("verun-signed checkpoints checked by x/mod tlogcheck", n);
}

}  // namespace
}  // namespace verun::proofs
