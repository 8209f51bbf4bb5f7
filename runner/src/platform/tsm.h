// The tsm platform (DESIGN.md §5, §7): SEV-SNP and TDX guest evidence from the
// Linux configfs-tsm report interface (kernel Documentation/ABI/testing/
// configfs-tsm: <root>/<entry>/{inblob, outblob, auxblob, provider,
// generation}). The file operations go through TsmFs so tests can put a fake
// kernel in front of a temp directory. A TsmPlatform is thread-safe (each
// attest() uses its own report entry).
#pragma once

#include <memory>
#include <string>

#include "verun/proofs/bytes.h"
#include "verun/result.h"
#include "verun/runner/platform.h"

namespace verun::runner {

// The few operations attest() makes on the configfs tree. Errors are
// runner.tsm_io (runner.tsm_unavailable for make_dir).
class TsmFs {
 public:
  virtual ~TsmFs() = default;
  virtual Result<void> make_dir(const std::string& path) = 0;
  virtual Result<void> remove_dir(const std::string& path) = 0;
  // The whole file, at most max_bytes (runner.tsm_io beyond).
  virtual Result<proofs::Bytes> read_file(const std::string& path, std::size_t max_bytes) = 0;
  virtual Result<void> write_file(const std::string& path, proofs::ByteView data) = 0;
};

// The real thing: mkdir(2), rmdir(2), open/read/write(2).
std::shared_ptr<TsmFs> make_posix_tsm_fs();

struct TsmOptions {
  std::string root = "/sys/kernel/config/tsm/report";
  std::shared_ptr<TsmFs> fs;  // null: make_posix_tsm_fs()
  int max_attempts = 10;      // generation races tolerated per attest()
};

// Attests once at startup (all-zero report_data) to learn the provider
// (sev_guest -> sev-snp, tdx_guest -> tdx, else runner.tsm_unknown_provider)
// and the measurement (SNP MEASUREMENT, TDX MRTD).
// attest(): mkdir a fresh entry <root>/verun-<16 hex>, read generation, write
// the 64 report_data bytes to inblob, read outblob and auxblob (absent or
// empty: no certificate table), read generation again; a generation that
// moved by more than our one write is a race and the attempt is repeated (up
// to max_attempts, then runner.tsm_generation_race). The entry is removed on
// every path. SNP: sev-snp-report, data the 1184-byte report, certs from the
// auxblob table (snp_cert_table.h); TDX: tdx-quote, no certs. Codes:
// runner.tsm_unavailable, tsm_unknown_provider, tsm_io, tsm_generation_race,
// tsm_bad_report (unparseable report/quote, or report_data not the one
// written), tsm_bad_cert_table.
Result<std::unique_ptr<Platform>> make_tsm_platform(const TsmOptions& options);

}  // namespace verun::runner
