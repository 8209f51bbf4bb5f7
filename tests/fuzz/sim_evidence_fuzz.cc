// Fuzz target: verify_sim_evidence (and the appraisal built on it) on
// arbitrary bytes. Never crashes or hangs; whatever verifies is byte-exact
// JCS with claims of the sizes sim-v1 defines.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "verun/proofs/evidence/sim.h"
#include "verun/proofs/json/jcs.h"
#include "verun/verifier/appraisal.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace verun::proofs;
  ByteView input(data, size);
  auto claims = verify_sim_evidence(input);
  if (!claims) return 0;
  auto canonical = jcs_canonicalize(as_string_view(input));
  if (!canonical || *canonical != as_string_view(input)) std::abort();
  if (claims->measurement.size() != 48 || claims->instance_id.size() != 16 || claims->chain_fingerprints.size() != 1)
    std::abort();
  // Appraising verified claims must report every check.
  static const auto policy = verun::verifier::parse_policy(R"({"platforms": {"sim": {"roots": []}}})");
  if (!policy) std::abort();
  Evidence e;
  e.data.assign(input.begin(), input.end());
  auto a = verun::verifier::appraise_evidence(e, Hash32{}, Hash32{}, *policy);
  if (a.report.checks().size() != 11 || a.passed()) std::abort();  // no root is trusted
  return 0;
}
