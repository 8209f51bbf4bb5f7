// Fuzz target: the runner's job request parsing (DESIGN.md §7): the POST
// /v1/jobs body, then the same bytes as a sealed job plaintext. Never
// crashes or hangs; an accepted body has a 32-byte enc, a tag-sized
// ciphertext and an aad without `ciphertext`; an accepted plaintext is
// byte-exact JCS and formats back to the same bytes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "verun/runner/job_wire.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace verun;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto req = runner::parse_job_request(text)) {
    if (req->ciphertext.size() < 16 || req->key_id.size() != 64 || req->workload.empty()) std::abort();
    if (req->aad.find("\"ciphertext\"") != std::string::npos) std::abort();
  }
  if (auto plain = runner::parse_job_plaintext(proofs::ByteView(data, size))) {
    auto again = runner::format_job_plaintext(*plain);
    if (!again || proofs::as_string_view(again->view()) != text) std::abort();
  }
  return 0;
}
