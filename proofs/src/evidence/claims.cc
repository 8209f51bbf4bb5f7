// Claims as report JSON (DESIGN.md §8 `claims`); see claims.h.
#include "verun/proofs/evidence/claims.h"

#include "verun/proofs/hex.h"

namespace verun::proofs {

Json claims_to_json(const Claims& claims) {
  Json j = Json::object();
  j["format"] = claims.format;
  j["platform"] = std::string(to_string(claims.platform));
  j["measurement"] = hex_encode(claims.measurement);
  Json measurements = Json::object();
  for (const auto& [name, value] : claims.measurements) measurements[name] = hex_encode(value);
  j["measurements"] = std::move(measurements);
  j["debug"] = claims.debug;
  Json tcb = Json::object();
  for (const auto& [name, value] : claims.tcb) tcb[name] = value;
  j["tcb"] = std::move(tcb);
  if (!claims.tcb_raw.empty()) j["tcb_raw"] = hex_encode(claims.tcb_raw);
  if (claims.tcb_status) {
    j["tcb_status"] = *claims.tcb_status;
    j["advisory_ids"] = claims.advisory_ids;
  }
  j["report_data"] = hex_encode(claims.report_data);
  if (!claims.instance_id.empty()) j["instance_id"] = hex_encode(claims.instance_id);
  Json chain = Json::array();
  for (const auto& fp : claims.chain_fingerprints) chain.push_back(hex_encode(fp));
  j["chain_fingerprints"] = std::move(chain);
  if (claims.timestamp) j["timestamp"] = format_rfc3339(*claims.timestamp);
  if (claims.public_key) j["public_key"] = hex_encode(*claims.public_key);
  if (claims.user_data) j["user_data"] = hex_encode(*claims.user_data);
  if (claims.nonce) j["nonce"] = hex_encode(*claims.nonce);
  return j;
}

}  // namespace verun::proofs
