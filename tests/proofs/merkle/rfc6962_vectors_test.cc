// The transparency-dev/merkle proof vectors (shared/vectors/tlog/
// rfc6962-proofs/transparency-dev-merkle-a): every file must verify or be
// rejected exactly as its wantErr says (files in expected.json's `either`
// list may go both ways), and the count must be the one expected.json gives.
#include <algorithm>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/support/vectors.h"
#include "verun/proofs/base64.h"
#include "verun/proofs/merkle/consistency.h"
#include "verun/proofs/merkle/inclusion.h"

namespace verun::proofs {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// Decodes a base64 hash; anything but 32 bytes fails (a verifier taking
// wire input rejects such a proof before any hashing).
Result<Hash32> hash_field(const json& j) {
  if (!j.is_string()) return Error(ErrorCode::kInvalidArgument, "not a string");
  return base64_decode32(j.get<std::string>());
}

Result<std::vector<Hash32>> proof_field(const json& j) {
  std::vector<Hash32> out;
  if (j.is_null()) return out;
  if (!j.is_array()) return Error(ErrorCode::kInvalidArgument, "not an array");
  for (const json& e : j) {
    VERUN_ASSIGN_OR_RETURN(Hash32 h, hash_field(e));
    out.push_back(h);
  }
  return out;
}

Result<void> check_inclusion(const json& v) {
  VERUN_ASSIGN_OR_RETURN(const Hash32 leaf, hash_field(v.at("leafHash")));
  VERUN_ASSIGN_OR_RETURN(const Hash32 root, hash_field(v.at("root")));
  VERUN_ASSIGN_OR_RETURN(const std::vector<Hash32> proof, proof_field(v.at("proof")));
  return verify_inclusion(leaf, v.at("leafIdx").get<std::uint64_t>(), v.at("treeSize").get<std::uint64_t>(), proof,
                          root);
}

Result<void> check_consistency(const json& v) {
  VERUN_ASSIGN_OR_RETURN(const Hash32 root1, hash_field(v.at("root1")));
  VERUN_ASSIGN_OR_RETURN(const Hash32 root2, hash_field(v.at("root2")));
  VERUN_ASSIGN_OR_RETURN(const std::vector<Hash32> proof, proof_field(v.at("proof")));
  return verify_consistency(v.at("size1").get<std::uint64_t>(), v.at("size2").get<std::uint64_t>(), proof, root1,
                            root2);
}

TEST(MerkleVectors, TransparencyDevMerkleProofsMatchWantErr) {
  VERUN_REQUIRE_VECTORS(dir, "tlog/rfc6962-proofs/transparency-dev-merkle-a");
  const json expected = verun::testing::read_json(dir / "expected.json");
  std::set<std::string> either;
  for (const json& e : expected.at("inputs").at("either")) either.insert(e.get<std::string>());

  std::vector<fs::path> files;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.is_regular_file() && e.path().extension() == ".json" && e.path().filename() != "expected.json") {
      files.push_back(e.path());
    }
  }
  std::sort(files.begin(), files.end());

  std::size_t ran = 0, accepted = 0, rejected = 0;
  for (const fs::path& f : files) {
    const std::string rel = fs::relative(f, dir).generic_string();
    SCOPED_TRACE(rel);
    // Every vector file is listed with its digest in expected.json.
    EXPECT_TRUE(expected.at("files").contains(rel));
    const json v = verun::testing::read_json(f);
    const bool inclusion = rel.rfind("inclusion/", 0) == 0;
    ASSERT_TRUE(inclusion || rel.rfind("consistency/", 0) == 0);
    const Result<void> r = inclusion ? check_inclusion(v) : check_consistency(v);
    (r ? accepted : rejected)++;
    ++ran;
    if (either.count(rel)) continue;
    EXPECT_EQ(!r.has_value(), v.at("wantErr").get<bool>())
        << v.at("desc").get<std::string>() << ": " << (r ? std::string("accepted") : r.error().to_string());
  }
  EXPECT_EQ(ran, expected.at("expected").at("count").get<std::size_t>());
  EXPECT_EQ(ran, 96u);
  EXPECT_EQ(expected.at("expected").at("all_files_match_wantErr").get<bool>(), true);
  verun::testing::report_vector_count("tlog/rfc6962-proofs/transparency-dev-merkle-a", ran);
  std::cout << "[ vectors  ] accepted " << accepted << ", rejected " << rejected << std::endl;
}

}  // namespace
}  // namespace verun::proofs
