// Fuzz target: parse_bundle on arbitrary text, then (when it parses) a
// round trip through format_bundle and a full verification under a fixed
// policy. Never crashes or hangs; a parsed bundle formats to text that parses
// to the same leaves and proofs, and every report has all 36 checks.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "verun/proofs/base64.h"
#include "verun/proofs/bytes.h"
#include "verun/proofs/crypto/ed25519.h"
#include "verun/proofs/note/note_key.h"
#include "verun/verifier/bundle.h"
#include "verun/verifier/verify_bundle.h"

namespace {

using verun::proofs::Bytes;

// The keys of tests/support/bundle_factory (seeds 1, 3, 4), so the seed
// corpus' bundles get deep into the checks.
const verun::verifier::Policy& policy() {
  static const verun::verifier::Policy p = [] {
    auto log = verun::proofs::NoteSigner::from_seed("verun.test/log", Bytes(32, 3)).value();
    auto w1 = verun::proofs::NoteSigner::from_seed("w1", Bytes(32, 4), verun::proofs::NoteKeyType::kCosignatureV1).value();
    auto root = verun::proofs::Ed25519PrivateKey::from_seed(Bytes(32, 1)).value();
    verun::proofs::Json j = verun::proofs::Json::object();
    j["tlog_policy"] = "log " + verun::proofs::format_verifier_key(log.verifier()) + "\nwitness w1 " +
                       verun::proofs::format_verifier_key(w1.verifier()) + "\nquorum w1\n";
    j["platforms"]["sim"] = {{"allow_insecure_simulation", true},
                             {"roots", verun::proofs::Json::array({verun::proofs::base64_encode(root.public_key())})}};
    j["max_key_age_seconds"] = 86400;
    return verun::verifier::parse_policy(j.dump()).value();
  }();
  return p;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto b = verun::verifier::parse_bundle(text);
  verun::verifier::BundleOptions options;
  options.at = verun::proofs::Timestamp{1767225600 + 86400, 0};
  verun::verifier::BundleVerifier verifier(policy(), options);
  if (!b) {
    if (verifier.verify_text(text).report.checks().size() != 36) std::abort();
    return 0;
  }
  auto again = verun::verifier::parse_bundle(verun::verifier::format_bundle(*b));
  if (!again || again->receipt.leaf != b->receipt.leaf || again->registration.leaf != b->registration.leaf ||
      again->receipt.proof_text != b->receipt.proof_text || again->collateral != b->collateral)
    std::abort();
  auto report = verifier.verify(*b);
  if (report.report.checks().size() != 36) std::abort();
  (void)report.to_json().dump();
  (void)report.to_text();
  return 0;
}
