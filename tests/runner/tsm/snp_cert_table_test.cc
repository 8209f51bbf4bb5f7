// The SEV-SNP certificate table parser (runner/src/platform/snp_cert_table.h):
// well-formed tables, every refusal with its code, and the chain order.
#include "platform/snp_cert_table.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/runner/tsm/cert_table_builder.h"
#include "tests/support/matchers.h"

namespace verun::runner {
namespace {

using ::verun::testing::HasCode;
using proofs::Bytes;

TEST(SnpCertTable, EmptyBlobIsAnEmptyTable) {
  Result<SnpCertTable> t = parse_snp_cert_table({});
  ASSERT_OK(t);
  EXPECT_FALSE(t->vcek || t->vlek || t->ask || t->ark);
  EXPECT_TRUE(snp_chain_from_cert_table(*t, false).empty());
}

TEST(SnpCertTable, ParsesKnownEntriesAndNamesOthers) {
  const Bytes blob = build_cert_table({{kArkGuidText, Bytes{3, 3, 3}},
                                       {kVcekGuidText, Bytes{1}},
                                       {kCrlGuidText, Bytes{9, 9}},
                                       {kAskGuidText, Bytes{2, 2}}});
  Result<SnpCertTable> t = parse_snp_cert_table(blob);
  ASSERT_OK(t);
  EXPECT_EQ(*t->vcek, Bytes{1});
  EXPECT_EQ(*t->ask, (Bytes{2, 2}));
  EXPECT_EQ(*t->ark, (Bytes{3, 3, 3}));
  EXPECT_FALSE(t->vlek);
  EXPECT_EQ(t->ignored_guids, std::vector<std::string>{kCrlGuidText});
  EXPECT_EQ(snp_chain_from_cert_table(*t, false), (std::vector<Bytes>{{1}, {2, 2}, {3, 3, 3}}));
  EXPECT_TRUE(snp_chain_from_cert_table(*t, true).empty());  // VLEK-signed, no VLEK given
}

TEST(SnpCertTable, VlekLeafAndShortChains) {
  Result<SnpCertTable> t = parse_snp_cert_table(
      build_cert_table({{kVlekGuidText, Bytes{7}}, {kVcekGuidText, Bytes{1}}, {kArkGuidText, Bytes{3}}}));
  ASSERT_OK(t);
  EXPECT_EQ(snp_chain_from_cert_table(*t, true), std::vector<Bytes>{{7}});  // no ASK: stop at the leaf
  EXPECT_EQ(snp_chain_from_cert_table(*t, false), std::vector<Bytes>{{1}});
}

TEST(SnpCertTable, TerminatorOnlyIsEmpty) {
  Result<SnpCertTable> t = parse_snp_cert_table(Bytes(kSnpCertTableEntrySize, 0));
  ASSERT_OK(t);
  EXPECT_FALSE(t->vcek);
}

TEST(SnpCertTable, MissingTerminatorIsRefused) {
  Bytes blob = build_cert_table({{kVcekGuidText, Bytes{1, 2, 3}}});
  // Drop the terminator and the data: one entry, nothing after it.
  blob.resize(kSnpCertTableEntrySize);
  EXPECT_THAT(parse_snp_cert_table(blob), HasCode(ErrorCode::kRunnerTsmBadCertTable));
  EXPECT_THAT(parse_snp_cert_table(Bytes(10, 0)), HasCode(ErrorCode::kRunnerTsmBadCertTable));
}

void set_u32(Bytes& b, std::size_t at, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) b[at + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(v >> (8 * i));
}

TEST(SnpCertTable, EntryOutsideTheBlobIsRefused) {
  const Bytes good = build_cert_table({{kVcekGuidText, Bytes{1, 2, 3}}});
  ASSERT_OK(parse_snp_cert_table(good));
  Bytes b = good;
  set_u32(b, 20, 4);  // length 4: one byte past the end
  EXPECT_THAT(parse_snp_cert_table(b), HasCode(ErrorCode::kRunnerTsmBadCertTable));
  b = good;
  set_u32(b, 16, 0xFFFFFFFFu);  // offset + length overflows 32 bits
  EXPECT_THAT(parse_snp_cert_table(b), HasCode(ErrorCode::kRunnerTsmBadCertTable));
  b = good;
  set_u32(b, 16, 8);  // inside the table itself
  EXPECT_THAT(parse_snp_cert_table(b), HasCode(ErrorCode::kRunnerTsmBadCertTable));
  b = good;
  set_u32(b, 20, 0);  // empty certificate
  EXPECT_THAT(parse_snp_cert_table(b), HasCode(ErrorCode::kRunnerTsmBadCertTable));
}

TEST(SnpCertTable, DuplicateGuidIsRefused) {
  EXPECT_THAT(parse_snp_cert_table(build_cert_table({{kAskGuidText, Bytes{1}}, {kAskGuidText, Bytes{2}}})),
              HasCode(ErrorCode::kRunnerTsmBadCertTable));
}

}  // namespace
}  // namespace verun::runner
