// inspect_document: recognizes a verun document by its shape and describes
// it for humans and scripts (`verun inspect`): a DSSE envelope (with its
// decoded in-toto Statement), a §8 bundle, a signed note / checkpoint, a
// C2SP tlog-proof, an evidence object (claims of verified sim-v1 evidence,
// SIMULATED), sim-v1 data, a runner attestation answer, a policy. It
// verifies signatures only where no key needs trusting (sim-v1's own root
// is NOT trusted: the claims are shown as reported). Stateless, thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "verun/proofs/json/strict_json.h"
#include "verun/result.h"

namespace verun::sdk {

struct Inspection {
  std::string kind;      // "envelope", "bundle", "checkpoint", "signed-note", "tlog-proof",
                         // "evidence", "sim-v1-data", "attestation", "policy", "statement"
  proofs::Json details;  // what the document says, decoded
  bool simulated = false;  // sim evidence or a sim runner is involved
  std::vector<std::string> problems;  // parts that did not parse or verify

  // {"kind", "simulated", "problems", "details"}.
  proofs::Json to_json() const;
  // A short human description ending in a newline (SIMULATED in capitals).
  std::string to_text() const;
};

// sdk.unknown_document when the text is none of these (at most 8 MiB).
Result<Inspection> inspect_document(std::string_view text);

}  // namespace verun::sdk
