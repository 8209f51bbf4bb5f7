// SEV-SNP certificate table parsing; see snp_cert_table.h.
#include "platform/snp_cert_table.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <set>

#include "verun/proofs/hex.h"

namespace verun::runner {
namespace {

using Guid = std::array<std::uint8_t, 16>;

// GHCB specification GUIDs, in RFC 4122 (textual) byte order.
constexpr Guid kVcekGuid = {0x63, 0xda, 0x75, 0x8d, 0xe6, 0x64, 0x45, 0x64,
                            0xad, 0xc5, 0xf4, 0xb9, 0x3b, 0xe8, 0xac, 0xcd};
constexpr Guid kVlekGuid = {0xa8, 0x07, 0x4b, 0xc2, 0xa2, 0x5a, 0x48, 0x3e,
                            0xaa, 0xe6, 0x39, 0xc0, 0x45, 0xa0, 0xb8, 0xa1};
constexpr Guid kAskGuid = {0x4a, 0xb7, 0xb3, 0x79, 0xbb, 0xac, 0x4f, 0xe4,
                           0xa0, 0x2f, 0x05, 0xae, 0xf3, 0x27, 0xc7, 0x82};
constexpr Guid kArkGuid = {0xc0, 0xb4, 0x06, 0xa4, 0xa8, 0x03, 0x49, 0x52,
                           0x97, 0x43, 0x3f, 0xb6, 0x01, 0x4c, 0xd0, 0xae};

std::uint32_t read_u32_le(proofs::ByteView b, std::size_t at) {
  return static_cast<std::uint32_t>(b[at]) | static_cast<std::uint32_t>(b[at + 1]) << 8 |
         static_cast<std::uint32_t>(b[at + 2]) << 16 | static_cast<std::uint32_t>(b[at + 3]) << 24;
}

std::string guid_text(const Guid& g) {
  const std::string h = proofs::hex_encode(proofs::ByteView(g.data(), g.size()));
  return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) + "-" + h.substr(20);
}

Error bad_table(const std::string& what) { return Error(ErrorCode::kRunnerTsmBadCertTable, what); }

struct Entry {
  Guid guid{};
  std::uint32_t offset = 0;
  std::uint32_t length = 0;
};

}  // namespace

Result<SnpCertTable> parse_snp_cert_table(proofs::ByteView blob) {
  SnpCertTable table;
  if (blob.empty()) return table;
  std::vector<Entry> entries;
  std::size_t at = 0;
  bool terminated = false;
  while (at + kSnpCertTableEntrySize <= blob.size()) {
    Entry e;
    std::copy_n(blob.begin() + static_cast<std::ptrdiff_t>(at), 16, e.guid.begin());
    e.offset = read_u32_le(blob, at + 16);
    e.length = read_u32_le(blob, at + 20);
    at += kSnpCertTableEntrySize;
    if (e.guid == Guid{}) {
      terminated = true;
      break;
    }
    entries.push_back(e);
  }
  if (!terminated) {
    return bad_table("the certificate table of " + std::to_string(blob.size()) +
                     " bytes has no terminating all-zero entry");
  }
  const std::size_t table_end = at;
  std::set<Guid> seen;
  for (const Entry& e : entries) {
    const std::string name = guid_text(e.guid);
    if (!seen.insert(e.guid).second) return bad_table("the certificate table names " + name + " twice");
    const std::uint64_t end = static_cast<std::uint64_t>(e.offset) + e.length;
    if (e.length == 0) return bad_table("certificate " + name + " has length 0");
    if (e.offset < table_end) {
      return bad_table("certificate " + name + " at offset " + std::to_string(e.offset) +
                       " overlaps the table, which ends at " + std::to_string(table_end));
    }
    if (end > blob.size()) {
      return bad_table("certificate " + name + " (offset " + std::to_string(e.offset) + ", length " +
                       std::to_string(e.length) + ") runs past the " + std::to_string(blob.size()) +
                       "-byte blob");
    }
    proofs::Bytes der(blob.begin() + e.offset, blob.begin() + static_cast<std::ptrdiff_t>(end));
    if (e.guid == kVcekGuid) {
      table.vcek = std::move(der);
    } else if (e.guid == kVlekGuid) {
      table.vlek = std::move(der);
    } else if (e.guid == kAskGuid) {
      table.ask = std::move(der);
    } else if (e.guid == kArkGuid) {
      table.ark = std::move(der);
    } else {
      table.ignored_guids.push_back(name);
    }
  }
  return table;
}

std::vector<proofs::Bytes> snp_chain_from_cert_table(const SnpCertTable& table, bool vlek_signed) {
  std::vector<proofs::Bytes> chain;
  const std::optional<proofs::Bytes>& leaf = vlek_signed ? table.vlek : table.vcek;
  if (!leaf) return chain;
  chain.push_back(*leaf);
  if (!table.ask) return chain;
  chain.push_back(*table.ask);
  if (table.ark) chain.push_back(*table.ark);
  return chain;
}

}  // namespace verun::runner
