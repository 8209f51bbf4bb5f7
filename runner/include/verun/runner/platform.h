// The runner's TEE platform seam (DESIGN.md §5, §7): what a platform gives
// the runner (its kind, its own measurement, evidence binding 64 bytes of
// report_data). Built: `sim` (sim-v1, software, INSECURE) and `tsm`
// (configfs-tsm: SEV-SNP, TDX; platform/tsm.h); `nitro` (/dev/nsm) answers
// runner.platform_not_built. attest() is thread-safe.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "verun/proofs/bytes.h"
#include "verun/proofs/crypto/ed25519.h"
#include "verun/proofs/intoto/predicate_types.h"
#include "verun/result.h"

namespace verun::runner {

class Platform {
 public:
  virtual ~Platform() = default;
  // The platform named in the identity ("sim", "sev-snp", ...).
  virtual proofs::Platform kind() const = 0;
  // Whether evidence from here is simulated (every output then says SIMULATED).
  virtual bool simulated() const = 0;
  // The runner's measurement as the platform reports it, lowercase hex.
  virtual std::string measurement_hex() const = 0;
  // Fresh evidence binding report_data (proofs/report_data.h).
  virtual Result<proofs::Evidence> attest(const proofs::Hash64& report_data) const = 0;
};

// What make_platform needs; fields a platform does not use are ignored.
struct PlatformOptions {
  std::string sim_root_file;  // sim: the sim root key file (sim-root init)
  std::string tsm_root = "/sys/kernel/config/tsm/report";  // tsm: configfs-tsm report dir (tests: a fake tree)
};

// "sim" builds the sim platform, "tsm" the configfs-tsm one (make_tsm_platform
// in platform/tsm.h, runner.tsm_* codes); "nitro" gives
// runner.platform_not_built; anything else runner.unknown_platform.
Result<std::unique_ptr<Platform>> make_platform(std::string_view name, const PlatformOptions& options);

// The sim platform from a root key already loaded (tests, make_platform).
// measurement: SHA-384 of the running executable; instance_id: random per call.
Result<std::unique_ptr<Platform>> make_sim_platform(proofs::Ed25519PrivateKey root_key);

// SHA-384 of /proc/self/exe, or of `path` when given (runner.measurement_failed).
Result<std::array<std::uint8_t, 48>> measure_executable(const std::string& path = "");

}  // namespace verun::runner
