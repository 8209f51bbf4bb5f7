// Test helper: builds an SEV-SNP certificate table (GUID, offset u32 LE,
// length u32 LE, all-zero terminator, then the certificates) the way a host
// hands one to a guest. Used by the tsm tests only.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "verun/proofs/bytes.h"
#include "verun/proofs/hex.h"

namespace verun::runner {

inline const std::string kVcekGuidText = "63da758d-e664-4564-adc5-f4b93be8accd";
inline const std::string kVlekGuidText = "a8074bc2-a25a-483e-aae6-39c045a0b8a1";
inline const std::string kAskGuidText = "4ab7b379-bbac-4fe4-a02f-05aef327c782";
inline const std::string kArkGuidText = "c0b406a4-a803-4952-9743-3fb6014cd0ae";
inline const std::string kCrlGuidText = "92f81bc3-5811-4d3d-97ff-d19f88dc67ea";

inline proofs::Bytes build_cert_table(const std::vector<std::pair<std::string, proofs::Bytes>>& entries) {
  const std::size_t table_size = (entries.size() + 1) * 24;
  proofs::Bytes table;
  proofs::Bytes data;
  for (const auto& [guid, der] : entries) {
    std::string hex;
    for (char c : guid) {
      if (c != '-') hex.push_back(c);
    }
    proofs::append(table, *proofs::hex_decode(hex));
    const auto offset = static_cast<std::uint32_t>(table_size + data.size());
    const auto length = static_cast<std::uint32_t>(der.size());
    for (int i = 0; i < 4; ++i) table.push_back(static_cast<std::uint8_t>(offset >> (8 * i)));
    for (int i = 0; i < 4; ++i) table.push_back(static_cast<std::uint8_t>(length >> (8 * i)));
    proofs::append(data, der);
  }
  table.resize(table_size, 0);
  proofs::append(table, data);
  return table;
}

}  // namespace verun::runner
