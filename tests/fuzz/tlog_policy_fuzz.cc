// Fuzz target: C2SP tlog-policy parsing and quorum evaluation. For a parsed
// policy, cosignatures by every witness at times taken from the input must
// give a quorum time consistent with quorum_met.
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "verun/proofs/note/tlog_policy.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace verun::proofs;
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  auto p = parse_tlog_policy(in);
  if (!p) return 0;
  std::vector<VerifiedCosignature> cos;
  for (std::size_t i = 0; i < p->witnesses.size(); ++i) {
    const auto& k = p->witnesses[i].key;
    if (i % 3 != 2) cos.push_back({k.name(), k.key_id(), size > i ? data[i] : i});
  }
  const auto t = quorum_time(*p, cos);
  if (t.has_value() != quorum_met(*p, cos)) std::abort();
  if (p->quorum != "none" && quorum_met(*p, std::vector<VerifiedCosignature>{})) std::abort();
  return 0;
}
