// report_data = SHA-512("verun/report-data/v1\n" || SHA-256(JCS(identity)) ||
// nonce32) (DESIGN.md §4, §10 "Bytes").
#include "verun/proofs/report_data.h"

#include "verun/proofs/json/jcs.h"
#include "verun/proofs/sha2.h"

namespace verun::proofs {

Result<Hash32> identity_digest(const Json& identity) {
  VERUN_ASSIGN_OR_RETURN(std::string jcs, jcs_serialize(identity, JsonProfile::kVerun));
  return sha256(jcs);
}

Result<Hash32> identity_digest(const RunnerIdentity& identity) { return identity_digest(to_json(identity)); }

Hash64 make_report_data(const Hash32& identity_digest, const Hash32& nonce) {
  Sha512 h;
  h.update(kReportDataPrefix);
  h.update(identity_digest);
  h.update(nonce);
  return h.finish();
}

Result<Hash64> make_report_data(const Json& identity, const Hash32& nonce) {
  VERUN_ASSIGN_OR_RETURN(Hash32 d, identity_digest(identity));
  return make_report_data(d, nonce);
}

Result<Hash64> make_report_data(const RunnerIdentity& identity, const Hash32& nonce) {
  VERUN_ASSIGN_OR_RETURN(Hash32 d, identity_digest(identity));
  return make_report_data(d, nonce);
}

}  // namespace verun::proofs
