// Fuzz target: the SEV-SNP certificate table parser (runner's tsm platform,
// auxblob from the host). Never crashes or hangs; every certificate it
// returns is non-empty and lies inside the input; the chain it builds is at
// most three certificates.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "platform/snp_cert_table.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace verun;
  auto table = runner::parse_snp_cert_table(proofs::ByteView(data, size));
  if (!table) return 0;
  for (const auto* cert : {&table->vcek, &table->vlek, &table->ask, &table->ark}) {
    if (*cert && ((*cert)->empty() || (*cert)->size() > size)) std::abort();
  }
  for (bool vlek : {false, true}) {
    if (runner::snp_chain_from_cert_table(*table, vlek).size() > 3) std::abort();
  }
  return 0;
}
