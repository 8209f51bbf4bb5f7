// Fuzz target: the SEV-SNP ATTESTATION_REPORT parser (AMD pub. 56860) and,
// behind it, the chain checks of sev-snp-report verification. The input is
// parsed as a report as given; then its first 1184 bytes, with a supported
// version and the ECDSA algorithm forced in, are verified against up to three
// certificates cut from the rest (each prefixed by a 2-byte big-endian
// length). Nothing may crash, and a parsed report must read its fields from
// their offsets.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "verun/proofs/evidence/sev_snp.h"

namespace {

using namespace verun::proofs;

void check_fields(const SnpReport& r, const std::uint8_t* data) {
  if (!std::equal(r.measurement.begin(), r.measurement.end(), data + 0x90)) std::abort();
  if (!std::equal(r.report_data.begin(), r.report_data.end(), data + 0x50)) std::abort();
  if (!std::equal(r.chip_id.begin(), r.chip_id.end(), data + 0x1A0)) std::abort();
  if (r.version != 2 && r.version != 3 && r.version != 5) std::abort();
  if ((r.policy & kSnpPolicyReservedOne) == 0) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto parsed = parse_sev_snp_report(ByteView(data, size));
  if (parsed) {
    if (size != kSnpReportSize) std::abort();
    check_fields(*parsed, data);
  }
  if (size < kSnpReportSize) return 0;

  Bytes report(data, data + kSnpReportSize);
  static const std::uint32_t kVersions[] = {2, 3, 5};
  report[0] = static_cast<std::uint8_t>(kVersions[report[0] % 3]);
  report[1] = report[2] = report[3] = 0;
  report[0x34] = 1;
  report[0x35] = report[0x36] = report[0x37] = 0;
  if (auto r = parse_sev_snp_report(report)) check_fields(*r, report.data());

  std::vector<Bytes> certs;
  std::size_t pos = kSnpReportSize;
  while (certs.size() < kSevSnpChainLength && size - pos >= 2) {
    std::size_t len = static_cast<std::size_t>(data[pos]) << 8 | data[pos + 1];
    pos += 2;
    len = std::min(len, size - pos);
    certs.emplace_back(data + pos, data + pos + len);
    pos += len;
  }
  SevSnpOptions options;
  options.at = Timestamp{1'750'000'000, 0};
  auto v = verify_sev_snp_evidence(report, certs, options);
  (void)v;
  return 0;
}
