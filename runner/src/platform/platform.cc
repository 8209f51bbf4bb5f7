// Platform selection and the sim platform (DESIGN.md §5 sim-v1, §7); see
// verun/runner/platform.h. tsm and nitro are seams only in this version.
#include "verun/runner/platform.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "verun/proofs/crypto/random.h"
#include "verun/proofs/evidence/sim.h"
#include "verun/proofs/hex.h"
#include "verun/proofs/sha2.h"
#include "platform/tsm.h"
#include "verun/runner/key_file.h"

namespace verun::runner {
namespace {

// sim-v1: signed by the user's sim root key; INSECURE, for development and CI.
class SimPlatform final : public Platform {
 public:
  SimPlatform(proofs::Ed25519PrivateKey root, proofs::Sha384Digest measurement, std::array<std::uint8_t, 16> instance)
      : root_(std::move(root)), measurement_(measurement), instance_id_(instance) {}

  proofs::Platform kind() const override { return proofs::Platform::kSim; }
  bool simulated() const override { return true; }
  std::string measurement_hex() const override { return proofs::hex_encode(measurement_); }

  Result<proofs::Evidence> attest(const proofs::Hash64& report_data) const override {
    proofs::SimReport report;
    report.measurement = measurement_;
    report.report_data = report_data;
    report.debug = false;
    report.tcb = 1;
    report.instance_id = instance_id_;
    proofs::Evidence evidence;
    evidence.format = proofs::EvidenceFormat::kSimV1;
    VERUN_ASSIGN_OR_RETURN(evidence.data, proofs::make_sim_evidence(root_, report));
    return evidence;
  }

 private:
  proofs::Ed25519PrivateKey root_;
  proofs::Sha384Digest measurement_;
  std::array<std::uint8_t, 16> instance_id_;
};

}  // namespace

Result<std::array<std::uint8_t, 48>> measure_executable(const std::string& path) {
  const std::string file = path.empty() ? "/proc/self/exe" : path;
  const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Error(ErrorCode::kRunnerMeasurementFailed, "cannot open " + file + ": " + std::strerror(errno));
  std::vector<std::uint8_t> data;
  std::vector<std::uint8_t> buf(1 << 16);
  for (;;) {
    const ssize_t n = ::read(fd, buf.data(), buf.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      ::close(fd);
      return Error(ErrorCode::kRunnerMeasurementFailed, "cannot read " + file + ": " + std::strerror(errno));
    }
    if (n == 0) break;
    data.insert(data.end(), buf.begin(), buf.begin() + n);
  }
  ::close(fd);
  return proofs::sha384(data);
}

Result<std::unique_ptr<Platform>> make_sim_platform(proofs::Ed25519PrivateKey root_key) {
  VERUN_ASSIGN_OR_RETURN(auto measurement, measure_executable());
  std::array<std::uint8_t, 16> instance{};
  VERUN_TRY(proofs::random_fill(instance));
  return std::unique_ptr<Platform>(new SimPlatform(std::move(root_key), measurement, instance));
}

Result<std::unique_ptr<Platform>> make_platform(std::string_view name, const PlatformOptions& options) {
  if (name == "sim") {
    if (options.sim_root_file.empty()) {
      return Error(ErrorCode::kRunnerBadKeyFile, "the sim platform needs --sim-root FILE (create it with sim-root init)");
    }
    VERUN_ASSIGN_OR_RETURN(auto root, read_sim_root_key_file(options.sim_root_file));
    return make_sim_platform(std::move(root));
  }
  if (name == "tsm") {
    TsmOptions tsm;
    tsm.root = options.tsm_root;
    return make_tsm_platform(tsm);
  }
  if (name == "nitro") {
    return Error(ErrorCode::kRunnerPlatformNotBuilt,
                 "platform " + std::string(name) + " is not built in this version of verun-runner (only sim is)");
  }
  return Error(ErrorCode::kRunnerUnknownPlatform, "unknown platform " + std::string(name) + " (sim, tsm or nitro)");
}

}  // namespace verun::runner
