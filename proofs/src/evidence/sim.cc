// sim-v1 evidence (DESIGN.md §5, §10 "Bytes"); see sim.h.
#include "verun/proofs/evidence/sim.h"

#include <algorithm>
#include <string>

#include "verun/proofs/base64.h"
#include "verun/proofs/hex.h"
#include "verun/proofs/json/jcs.h"
#include "verun/proofs/schema/object_reader.h"
#include "verun/proofs/sha2.h"

namespace verun::proofs {
namespace {

constexpr SchemaCodes kSimCodes{ErrorCode::kEvidenceUnknownField, ErrorCode::kEvidenceMissingField,
                                ErrorCode::kEvidenceMalformed};

template <std::size_t N>
std::array<std::uint8_t, N> to_array(const Bytes& b) {
  std::array<std::uint8_t, N> a{};
  std::copy_n(b.begin(), N, a.begin());
  return a;
}

// The report object, read strictly (every field, nothing else).
Result<SimReport> read_report(ObjectReader& r) {
  VERUN_ASSIGN_OR_RETURN(std::int64_t version, r.integer("version"));
  if (version != kSimReportVersion)
    return Error(ErrorCode::kEvidenceUnsupportedVersion,
                 "sim-v1 report version is " + std::to_string(version) + ", only 1 is accepted");
  SimReport report;
  VERUN_ASSIGN_OR_RETURN(Bytes measurement, r.hex("measurement", report.measurement.size()));
  VERUN_ASSIGN_OR_RETURN(Bytes report_data, r.hex("report_data", report.report_data.size()));
  VERUN_ASSIGN_OR_RETURN(report.debug, r.boolean("debug"));
  VERUN_ASSIGN_OR_RETURN(std::int64_t tcb, r.integer("tcb", 0, kMaxJsonInteger));
  VERUN_ASSIGN_OR_RETURN(Bytes instance_id, r.hex("instance_id", report.instance_id.size()));
  VERUN_TRY(r.finish());
  report.measurement = to_array<48>(measurement);
  report.report_data = to_array<64>(report_data);
  report.tcb = static_cast<std::uint64_t>(tcb);
  report.instance_id = to_array<16>(instance_id);
  return report;
}

Claims claims_of(const SimReport& report, const Ed25519PublicKey& root) {
  Claims c;
  c.format = std::string(kSimFormatName);
  c.platform = Platform::kSim;
  c.measurement.assign(report.measurement.begin(), report.measurement.end());
  c.measurements[kMeasurementKey] = c.measurement;
  c.debug = report.debug;
  c.tcb[kSimTcbKey] = report.tcb;
  c.report_data = report.report_data;
  c.instance_id.assign(report.instance_id.begin(), report.instance_id.end());
  c.chain_fingerprints.push_back(sha256(ByteView(root)));
  return c;
}

}  // namespace

Json sim_report_to_json(const SimReport& report) {
  Json j = Json::object();
  j["version"] = kSimReportVersion;
  j["measurement"] = hex_encode(report.measurement);
  j["report_data"] = hex_encode(report.report_data);
  j["debug"] = report.debug;
  j["tcb"] = report.tcb;
  j["instance_id"] = hex_encode(report.instance_id);
  return j;
}

Result<Bytes> make_sim_evidence(const Ed25519PrivateKey& root_key, const SimReport& report) {
  if (report.tcb > static_cast<std::uint64_t>(kMaxJsonInteger))
    return Error(ErrorCode::kInvalidArgument, "sim-v1 tcb " + std::to_string(report.tcb) + " is above 2^53-1");
  Json report_json = sim_report_to_json(report);
  VERUN_ASSIGN_OR_RETURN(std::string signed_bytes, jcs_serialize(report_json));
  Ed25519Signature sig = root_key.sign(as_bytes(signed_bytes));
  Json doc = Json::object();
  doc["report"] = std::move(report_json);
  doc["signature"] = base64_encode(sig);
  doc["root"] = base64_encode(root_key.public_key());
  VERUN_ASSIGN_OR_RETURN(std::string data, jcs_serialize(doc));
  return to_bytes(data);
}

Result<VerifiedSimEvidence> verify_sim_evidence_detailed(ByteView data) {
  if (data.size() > kMaxSimEvidenceBytes)
    return Error(ErrorCode::kEvidenceMalformed, "sim-v1 data is " + std::to_string(data.size()) +
                                                    " bytes, more than " + std::to_string(kMaxSimEvidenceBytes));
  const std::string_view text = as_string_view(data);
  auto doc = parse_json(text, JsonProfile::kVerun, JsonLimits{32, kMaxSimEvidenceBytes});
  if (!doc) return Error(ErrorCode::kEvidenceMalformed, "sim-v1 data is not verun JSON: " + doc.error().to_string());

  // DESIGN.md §10: sim-v1 data must be byte-exact JCS.
  auto canonical = jcs_serialize(*doc);
  if (!canonical) return Error(ErrorCode::kEvidenceMalformed, "sim-v1 data: " + canonical.error().to_string());
  if (*canonical != text) return Error(ErrorCode::kEvidenceNotCanonical, "sim-v1 data is not byte-exact JCS");

  VERUN_ASSIGN_OR_RETURN(ObjectReader top, ObjectReader::make(*doc, "", kSimCodes));
  VERUN_ASSIGN_OR_RETURN(ObjectReader report_reader, top.object("report"));
  VERUN_ASSIGN_OR_RETURN(SimReport report, read_report(report_reader));
  VERUN_ASSIGN_OR_RETURN(Bytes signature, top.base64("signature", 64));
  VERUN_ASSIGN_OR_RETURN(Bytes root, top.base64("root", 32));
  VERUN_TRY(top.finish());

  // The signature covers JCS(report); the data is canonical, so re-serializing
  // the report yields exactly the bytes the producer signed.
  VERUN_ASSIGN_OR_RETURN(std::string signed_bytes, jcs_serialize(doc->at("report")));
  if (auto v = ed25519_verify(root, as_bytes(signed_bytes), signature); !v)
    return Error(ErrorCode::kEvidenceBadSignature,
                 "sim-v1 signature does not verify under the embedded root (" + v.error().to_string() + ")");

  VerifiedSimEvidence out;
  out.report = report;
  out.root = to_array<32>(root);
  out.claims = claims_of(report, out.root);
  return out;
}

Result<Claims> verify_sim_evidence(ByteView data) {
  VERUN_ASSIGN_OR_RETURN(VerifiedSimEvidence v, verify_sim_evidence_detailed(data));
  return std::move(v.claims);
}

}  // namespace verun::proofs
