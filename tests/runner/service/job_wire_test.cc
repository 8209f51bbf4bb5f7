// The runner's job wire formats (DESIGN.md §7), its platforms and key files:
// round trips, and every refusal with its code.
#include <sys/stat.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "tests/support/matchers.h"
#include "tests/support/temp_dir.h"
#include "verun/proofs/base64.h"
#include "verun/proofs/evidence/sim.h"
#include "verun/proofs/hex.h"
#include "verun/proofs/json/jcs.h"
#include "verun/proofs/sha2.h"
#include "verun/runner/job_wire.h"
#include "verun/runner/key_file.h"
#include "verun/runner/platform.h"

namespace verun::runner {
namespace {

using proofs::Json;
using ::verun::testing::HasCode;

std::string body_of(const Json& j) { return j.dump(); }

Json valid_body() {
  return {{"workload", "sha256sum"},
          {"key_id", std::string(64, 'a')},
          {"enc", proofs::base64_encode(proofs::Bytes(32, 7))},
          {"ciphertext", proofs::base64_encode(proofs::Bytes(40, 9))}};
}

TEST(JobRequest, ParsesAndComputesAadWithoutCiphertext) {
  auto r = parse_job_request(body_of(valid_body()));
  ASSERT_OK(r);
  EXPECT_EQ(r->workload, "sha256sum");
  EXPECT_EQ(r->ciphertext.size(), 40u);
  Json aad = valid_body();
  aad.erase("ciphertext");
  EXPECT_EQ(r->aad, *proofs::jcs_serialize(aad));
  EXPECT_EQ(r->aad.find("ciphertext"), std::string::npos);
}

TEST(JobRequest, RefusesEveryMalformedBody) {
  std::vector<std::string> bad = {"", "{", "[]", "null", "{\"workload\":1}", "{}"};
  auto with = [](const std::string& k, Json v) {
    Json b = valid_body();
    b[k] = std::move(v);
    return body_of(b);
  };
  auto without = [](const std::string& k) {
    Json b = valid_body();
    b.erase(k);
    return body_of(b);
  };
  bad.push_back(with("extra", "x"));
  bad.push_back(with("key_id", std::string(64, 'A')));
  bad.push_back(with("key_id", std::string(63, 'a')));
  bad.push_back(with("enc", proofs::base64_encode(proofs::Bytes(31, 1))));
  bad.push_back(with("enc", "not base64!"));
  bad.push_back(with("ciphertext", proofs::base64_encode(proofs::Bytes(15, 1))));
  bad.push_back(with("ciphertext", ""));
  bad.push_back(with("workload", ""));
  bad.push_back(with("workload", std::string(300, 'w')));
  bad.push_back(with("workload", 1.5));
  for (const char* k : {"workload", "key_id", "enc", "ciphertext"}) bad.push_back(without(k));
  for (const auto& b : bad) {
    EXPECT_THAT(parse_job_request(b), HasCode(ErrorCode::kRunnerBadRequest)) << b;
  }
}

JobPlaintext sample_plaintext(proofs::CommitmentScheme in = proofs::CommitmentScheme::kSaltedV1) {
  JobPlaintext p;
  p.input = proofs::SecureBytes(proofs::as_bytes("hello world\n"));
  p.input_scheme = in;
  if (in == proofs::CommitmentScheme::kSaltedV1) p.input_salt = proofs::Bytes(32, 3);
  p.output_scheme = proofs::CommitmentScheme::kSha256;
  p.job_nonce.fill(5);
  return p;
}

TEST(JobPlaintext, RoundTripsBothSchemes) {
  for (auto scheme : {proofs::CommitmentScheme::kSaltedV1, proofs::CommitmentScheme::kSha256}) {
    auto text = format_job_plaintext(sample_plaintext(scheme));
    ASSERT_OK(text);
    auto back = parse_job_plaintext(text->view());
    ASSERT_OK(back);
    EXPECT_EQ(proofs::to_string(back->input.view()), "hello world\n");
    EXPECT_EQ(back->input_scheme, scheme);
    EXPECT_EQ(back->input_salt, sample_plaintext(scheme).input_salt);
    EXPECT_EQ(back->output_scheme, proofs::CommitmentScheme::kSha256);
    EXPECT_EQ(back->job_nonce, sample_plaintext().job_nonce);
  }
  JobPlaintext empty = sample_plaintext();
  empty.input = proofs::SecureBytes();
  auto text = format_job_plaintext(empty);
  ASSERT_OK(text);
  ASSERT_OK(parse_job_plaintext(text->view()));
}

TEST(JobPlaintext, RefusesEveryBadPlaintext) {
  const Json good = Json::parse(proofs::to_string(format_job_plaintext(sample_plaintext())->view()));
  std::vector<std::string> bad = {"", "{}", "[]", "not json", good.dump(2) /* not JCS */};
  auto mutate = [&](auto f) {
    Json j = good;
    f(j);
    return *proofs::jcs_serialize(j);
  };
  bad.push_back(mutate([](Json& j) { j["extra"] = 1; }));
  bad.push_back(mutate([](Json& j) { j.erase("input"); }));
  bad.push_back(mutate([](Json& j) { j.erase("job_nonce"); }));
  bad.push_back(mutate([](Json& j) { j.erase("input_salt"); }));
  bad.push_back(mutate([](Json& j) { j["input_scheme"] = "sha256"; }));  // salt with sha256
  bad.push_back(mutate([](Json& j) { j["input_scheme"] = "md5"; }));
  bad.push_back(mutate([](Json& j) { j["output_scheme"] = "salted-v2"; }));
  bad.push_back(mutate([](Json& j) { j["input_salt"] = std::string(62, 'a'); }));
  bad.push_back(mutate([](Json& j) { j["input_salt"] = std::string(64, 'A'); }));
  bad.push_back(mutate([](Json& j) { j["job_nonce"] = std::string(64, 'g'); }));
  bad.push_back(mutate([](Json& j) { j["input"] = "***"; }));
  for (const auto& b : bad) {
    EXPECT_THAT(parse_job_plaintext(proofs::as_bytes(b)), HasCode(ErrorCode::kRunnerBadPlaintext)) << b;
  }
  JobPlaintext wrong = sample_plaintext(proofs::CommitmentScheme::kSha256);
  wrong.input_salt = proofs::Bytes(32, 1);
  EXPECT_THAT(format_job_plaintext(wrong), HasCode(ErrorCode::kInvalidArgument));
}

TEST(JobOutput, SealsUnderTheExportsAndOpensOnlyWithTheJobId) {
  auto sk = proofs::HpkePrivateKey::generate();
  ASSERT_OK(sk);
  auto sender = proofs::hpke_setup_base_sender(proofs::kVerunJobSuite, sk->public_key(),
                                               proofs::as_bytes(proofs::kVerunJobInfo));
  ASSERT_OK(sender);
  auto recipient = proofs::hpke_setup_base_recipient(proofs::kVerunJobSuite, sender->enc, *sk,
                                                     proofs::as_bytes(proofs::kVerunJobInfo));
  ASSERT_OK(recipient);
  const proofs::Bytes salt(32, 0x44);
  auto sealed = seal_job_output(*recipient, "job-1", proofs::as_bytes("out\n"), salt);
  ASSERT_OK(sealed);
  auto opened = open_job_output(sender->context, "job-1", *sealed);
  ASSERT_OK(opened);
  EXPECT_EQ(proofs::to_string(opened->output.view()), "out\n");
  EXPECT_EQ(opened->output_salt, salt);
  EXPECT_THAT(open_job_output(sender->context, "job-2", *sealed), HasCode(ErrorCode::kRunnerUndecryptable));
  auto tampered = *sealed;
  tampered[0] ^= 1;
  EXPECT_THAT(open_job_output(sender->context, "job-1", tampered), HasCode(ErrorCode::kRunnerUndecryptable));

  // sha256 output scheme: output_salt is absent.
  auto unsalted = seal_job_output(*recipient, "job-3", proofs::as_bytes("x"), {});
  ASSERT_OK(unsalted);
  auto o2 = open_job_output(sender->context, "job-3", *unsalted);
  ASSERT_OK(o2);
  EXPECT_TRUE(o2->output_salt.empty());
}

TEST(KeyFile, CreatesMode0600NeverOverwritesAndReadsBack) {
  ::verun::testing::TempDir dir;
  const auto path = (dir.path() / "sim-root.key").string();
  auto pub = create_sim_root_key_file(path, "test-root");
  ASSERT_OK(pub);
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_THAT(create_sim_root_key_file(path, "test-root"), HasCode(ErrorCode::kRunnerKeyFileExists));
  auto key = read_sim_root_key_file(path);
  ASSERT_OK(key);
  EXPECT_EQ(proofs::base64_encode(key->public_key()), *pub);
  std::ifstream in(path);
  std::string text;
  std::getline(in, text);
  EXPECT_EQ(text.rfind("PRIVATE+KEY+test-root+", 0), 0u);

  EXPECT_THAT(read_sim_root_key_file((dir.path() / "missing").string()), HasCode(ErrorCode::kRunnerBadKeyFile));
  std::ofstream(dir.path() / "garbage") << "PRIVATE+KEY+x+00000000+AAAA\n";
  EXPECT_THAT(read_sim_root_key_file((dir.path() / "garbage").string()), HasCode(ErrorCode::kRunnerBadKeyFile));
  std::ofstream(dir.path() / "big") << std::string(5000, 'a');
  EXPECT_THAT(read_sim_root_key_file((dir.path() / "big").string()), HasCode(ErrorCode::kRunnerBadKeyFile));
  EXPECT_THAT(create_sim_root_key_file((dir.path() / "bad").string(), "bad name"), HasCode(ErrorCode::kNoteBadKey));
}

TEST(Platform, NitroIsNotBuiltAndUnknownNamesAreRefused) {
  EXPECT_THAT(make_platform("nitro", {}), HasCode(ErrorCode::kRunnerPlatformNotBuilt));
  EXPECT_THAT(make_platform("sgx", {}), HasCode(ErrorCode::kRunnerUnknownPlatform));
  EXPECT_THAT(make_platform("sim", {}), HasCode(ErrorCode::kRunnerBadKeyFile));
  EXPECT_THAT(measure_executable("/nonexistent/file"), HasCode(ErrorCode::kRunnerMeasurementFailed));
}

TEST(Platform, SimEvidenceBindsReportDataAndMeasuresThisExecutable) {
  auto root = proofs::Ed25519PrivateKey::generate();
  ASSERT_OK(root);
  const auto root_pub = root->public_key();
  auto platform = make_sim_platform(std::move(*root));
  ASSERT_OK(platform);
  EXPECT_TRUE((*platform)->simulated());
  EXPECT_EQ((*platform)->kind(), proofs::Platform::kSim);
  auto self = measure_executable();
  ASSERT_OK(self);
  EXPECT_EQ((*platform)->measurement_hex(), proofs::hex_encode(*self));
  proofs::Hash64 rd{};
  rd.fill(0x77);
  auto ev = (*platform)->attest(rd);
  ASSERT_OK(ev);
  EXPECT_EQ(ev->format, proofs::EvidenceFormat::kSimV1);
  auto v = proofs::verify_sim_evidence_detailed(ev->data);
  ASSERT_OK(v);
  EXPECT_EQ(v->report.report_data, rd);
  EXPECT_EQ(v->report.measurement, *self);
  EXPECT_EQ(v->report.tcb, 1u);
  EXPECT_FALSE(v->report.debug);
  EXPECT_EQ(v->root, root_pub);
  // instance_id is the same for every attestation of one boot.
  auto ev2 = (*platform)->attest(rd);
  ASSERT_OK(ev2);
  EXPECT_EQ(proofs::verify_sim_evidence_detailed(ev2->data)->report.instance_id, v->report.instance_id);
}

}  // namespace
}  // namespace verun::runner
