// verun-log over HTTP, end to end: the real `verun-log serve` process on
// 127.0.0.1 (port 0, read from its output), sim registrations and receipts
// made here, duplicates, every refusal with its code, garbage on every
// endpoint (clean 4xx JSON, server survives), proofs verified with
// proofs/, and the Go reference checker (tlogcheck, golang.org/x/mod/sumdb)
// against the live server and an export-tiles copy.
#include <httplib.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <iostream>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "sim_runner.h"
#include "tests/support/matchers.h"
#include "tests/support/temp_dir.h"
#include "tests/support/vectors.h"
#include "verun/proofs/merkle/consistency.h"
#include "verun/proofs/merkle/hasher.h"
#include "verun/proofs/merkle/tiles.h"
#include "verun/proofs/note/checkpoint.h"
#include "verun/proofs/note/tlog_proof.h"

namespace verun::log {
namespace {

namespace fs = std::filesystem;
using proofs::Json;
using testing::SimRunner;

std::string sh_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

int run(const std::string& cmd, const fs::path& log) {
  const int st = std::system((cmd + " >" + sh_quote(log.string()) + " 2>&1").c_str());
  return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

// Starts `verun-log serve` on 127.0.0.1:0 over dir/log.db with dir/log.key
// and dir/policy.json; returns its pid and sets port (0 if it never listened).
pid_t start_serve(const fs::path& d, int& port, const std::string& tag = "serve") {
  port = 0;
  const std::string out = (d / (tag + ".out")).string(), err = (d / (tag + ".err")).string();
  std::ofstream(out).close();
  const pid_t pid = fork();
  if (pid == 0) {
    if (!freopen(out.c_str(), "w", stdout) || !freopen(err.c_str(), "w", stderr)) _exit(126);
    const std::string db = (d / "log.db").string(), key = (d / "log.key").string(), pol = (d / "policy.json").string();
    execl(VERUN_LOG_BIN, VERUN_LOG_BIN, "serve", "--db", db.c_str(), "--key", key.c_str(), "--listen", "127.0.0.1:0",
          "--admission-policy", pol.c_str(), "--batch-wait-ms", "5", "--max-body-bytes", "1048576",
          static_cast<char*>(nullptr));
    _exit(127);
  }
  constexpr std::string_view kListening = "listening on http://127.0.0.1:";
  for (int i = 0; i < 400 && port == 0 && pid > 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
    const std::string text = slurp(out);
    const auto at = text.find(kListening);
    if (at != std::string::npos && text.find('\n', at) != std::string::npos) {
      port = std::stoi(text.substr(at + kListening.size()));
    }
  }
  return pid;
}

class LogHttp : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new ::verun::testing::TempDir();
    const fs::path d = dir_->path();
    ASSERT_EQ(run(std::string(VERUN_LOG_BIN) + " keygen --name " + kOrigin + " --out " + sh_quote((d / "log.key").string()),
                  d / "keygen.out"),
              0);
    vkey_ = slurp(d / "keygen.out");
    while (!vkey_.empty() && vkey_.back() == '\n') vkey_.pop_back();
    EXPECT_EQ(fs::status(d / "log.key").permissions() & fs::perms::all, fs::perms::owner_read | fs::perms::owner_write);
    std::ofstream(d / "policy.json") << testing::sim_policy_json();

    pid_ = start_serve(d, port_);
    ASSERT_GT(pid_, 0);
    ASSERT_NE(port_, 0) << slurp(d / "serve.err");
    EXPECT_NE(slurp(d / "serve.out").find("vkey " + vkey_), std::string::npos);
  }

  static void TearDownTestSuite() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      int st = 0;
      waitpid(pid_, &st, 0);
      EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0) << "verun-log serve did not exit cleanly: " << st;
    }
    delete dir_;
  }

  static httplib::Client client() {
    httplib::Client c("127.0.0.1", port_);
    c.set_read_timeout(std::chrono::seconds(30));
    return c;
  }

  static httplib::Result post(const Json& envelope, const Json& blobs = Json(), const std::string& query = "") {
    Json body = {{"envelope", envelope}};
    if (!blobs.is_null()) body["blobs"] = blobs;
    return client().Post(("/v1/entries" + query).c_str(), body.dump(), "application/json");
  }

  // The response is a JSON error with this status and code.
  static void expect_error(const httplib::Result& r, int status, ErrorCode code, const std::string& what) {
    ASSERT_TRUE(r) << what << ": no response";
    EXPECT_EQ(r->status, status) << what << ": " << r->body;
    EXPECT_EQ(r->get_header_value("Content-Type"), "application/json") << what;
    auto body = Json::parse(r->body, nullptr, false);
    ASSERT_TRUE(body.is_object() && body.contains("error")) << what << ": " << r->body;
    EXPECT_EQ(body["error"]["code"], std::string(to_string(code))) << what << ": " << r->body;
    EXPECT_TRUE(body["error"]["message"].is_string()) << what;
  }

  // Registers runner A once (index 0 on a fresh log), then returns its index.
  static std::uint64_t register_a() {
    auto r = post(proofs::serialize_envelope(a_.registration()));
    EXPECT_TRUE(r && (r->status == 201 || r->status == 200)) << (r ? r->body : "no response");
    return r ? Json::parse(r->body).value("index", std::uint64_t{0}) : 0;
  }

  static proofs::NoteVerifier log_key() { return *proofs::parse_verifier_key(vkey_); }

  static constexpr const char* kOrigin = "example.com/verun-log-test";
  static inline ::verun::testing::TempDir* dir_ = nullptr;
  static inline std::string vkey_;
  static inline pid_t pid_ = -1;
  static inline int port_ = 0;
  static inline SimRunner a_{0x31};
};

TEST_F(LogHttp, RegistrationReceiptAndDuplicatesWithVerifiedProofs) {
  const auto reg_env = a_.registration();
  auto r = post(proofs::serialize_envelope(reg_env));
  ASSERT_TRUE(r);
  ASSERT_TRUE(r->status == 201 || r->status == 200) << r->body;
  auto body = Json::parse(r->body);
  const std::uint64_t reg_index = body["index"];
  const auto leaf = *proofs::envelope_leaf(reg_env);
  const proofs::Bytes leaf_bytes(leaf.begin(), leaf.end());
  EXPECT_EQ(body["leaf_hash"], proofs::hex_encode(proofs::leaf_hash(leaf_bytes)));
  auto proof = proofs::parse_tlog_proof(body["proof"].get<std::string>());
  ASSERT_OK(proof);
  ASSERT_OK(proofs::verify_tlog_proof_for_entry(*proof, leaf_bytes, log_key(), kOrigin));

  auto dup = post(proofs::serialize_envelope(reg_env));
  ASSERT_TRUE(dup);
  EXPECT_EQ(dup->status, 200) << dup->body;
  EXPECT_EQ(Json::parse(dup->body)["index"], reg_index);

  const auto receipt = a_.receipt(reg_index, 1);
  auto rr = post(proofs::serialize_envelope(receipt));
  ASSERT_TRUE(rr);
  ASSERT_EQ(rr->status, 201) << rr->body;
  auto rb = Json::parse(rr->body);
  EXPECT_GT(rb["index"].get<std::uint64_t>(), reg_index);
  const auto rleaf = *proofs::envelope_leaf(receipt);
  auto rproof = proofs::parse_tlog_proof(rb["proof"].get<std::string>());
  ASSERT_OK(rproof);
  ASSERT_OK(proofs::verify_tlog_proof_for_entry(*rproof, proofs::Bytes(rleaf.begin(), rleaf.end()), log_key(), kOrigin));
  auto rdup = post(proofs::serialize_envelope(receipt));
  ASSERT_TRUE(rdup);
  EXPECT_EQ(rdup->status, 200);
  EXPECT_EQ(Json::parse(rdup->body)["index"], rb["index"]);

  // The entry, by index and by leaf hash, and the key.
  auto e = client().Get(("/v1/entries/" + std::to_string(reg_index)).c_str());
  ASSERT_TRUE(e);
  ASSERT_EQ(e->status, 200) << e->body;
  EXPECT_EQ(Json::parse(e->body)["envelope"], proofs::serialize_envelope(reg_env));
  auto byhash = client().Get(("/v1/entries?leaf_hash=" + rb["leaf_hash"].get<std::string>()).c_str());
  ASSERT_TRUE(byhash);
  ASSERT_EQ(byhash->status, 200) << byhash->body;
  EXPECT_EQ(Json::parse(byhash->body)["index"], rb["index"]);
  auto key = client().Get(("/v1/keys/" + a_.key_id).c_str());
  ASSERT_TRUE(key);
  ASSERT_EQ(key->status, 200) << key->body;
  EXPECT_EQ(Json::parse(key->body)["index"], reg_index);
}

TEST_F(LogHttp, WaitFalseAnswers202ThenTheEntryAppears) {
  const auto idx = register_a();
  const auto receipt = a_.receipt(idx, 2);
  auto r = post(proofs::serialize_envelope(receipt), Json(), "?wait=false");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 202) << r->body;
  const std::string leaf = Json::parse(r->body)["leaf_hash"];
  int status = 0;
  for (int i = 0; i < 200 && status != 200; ++i) {
    auto g = client().Get(("/v1/entries?leaf_hash=" + leaf).c_str());
    status = g ? g->status : 0;
    if (status != 200) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(status, 200);
  // wait=false still refuses at once.
  expect_error(post(proofs::serialize_envelope(SimRunner(0x32).receipt(0, 1)), Json(), "?wait=false"), 403,
               ErrorCode::kAdmissionUnregisteredSigner, "async unregistered");
  expect_error(post(proofs::serialize_envelope(receipt), Json(), "?wait=maybe"), 400, ErrorCode::kHttpBadRequest,
               "wait=maybe");
}

TEST_F(LogHttp, EveryRefusalHasItsCodeAndWritesNothing) {
  const auto idx = register_a();
  auto before = client().Get("/healthz");
  ASSERT_TRUE(before);
  const auto size_before = Json::parse(before->body)["size"];

  expect_error(post(proofs::serialize_envelope(a_.registration(a_.predicate(false, 2)))), 409,
               ErrorCode::kAdmissionKeyAlreadyRegistered, "second registration");
  expect_error(post(proofs::serialize_envelope(SimRunner(0x33).receipt(0, 1))), 403,
               ErrorCode::kAdmissionUnregisteredSigner, "unregistered signer");
  expect_error(post(proofs::serialize_envelope(a_.receipt(idx + 1000, 1))), 403,
               ErrorCode::kAdmissionRegistrationMismatch, "wrong registration index");
  SimRunner b(0x34);
  expect_error(post(proofs::serialize_envelope(b.registration(b.predicate(true)))), 403,
               ErrorCode::kAdmissionEvidenceRejected, "debug evidence");
  auto bad_sig = b.registration();
  bad_sig.signatures[0].sig[3] ^= 0x04;
  expect_error(post(proofs::serialize_envelope(bad_sig)), 403, ErrorCode::kAdmissionBadSignature, "bad signature");
  auto env = proofs::serialize_envelope(b.registration());
  env["extra"] = 1;
  expect_error(post(env), 400, ErrorCode::kAdmissionMalformedEnvelope, "extra field");
  const std::string other = R"({"_type":"https://in-toto.io/Statement/v1","predicate":{},"predicateType":"x:y",)"
                            R"("subject":[{"digest":{"sha256":")" + std::string(64, 'b') + R"("},"name":"x"}]})";
  expect_error(post(proofs::serialize_envelope(proofs::sign_envelope(
                   proofs::kInTotoPayloadType,
                   proofs::ByteView(reinterpret_cast<const std::uint8_t*>(other.data()), other.size()), b.key))),
               400, ErrorCode::kAdmissionUnknownPredicate, "unknown predicate");
  const std::string big(60000, 'x');
  expect_error(post(proofs::serialize_envelope(proofs::sign_envelope(
                   proofs::kInTotoPayloadType,
                   proofs::ByteView(reinterpret_cast<const std::uint8_t*>(big.data()), big.size()), b.key))),
               413, ErrorCode::kAdmissionEntryTooLarge, "too large");
  auto p = b.predicate();
  p.evidence.collateral["tcb_info"] = proofs::sha256(proofs::Bytes{1, 2, 3});
  expect_error(post(proofs::serialize_envelope(b.registration(p))), 400, ErrorCode::kAdmissionMissingBlob,
               "missing blob");

  auto after = client().Get("/healthz");
  ASSERT_TRUE(after);
  EXPECT_EQ(Json::parse(after->body)["size"], size_before);
  auto metrics = client().Get("/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_NE(metrics->body.find("verun_log_rejections_total{code=\"admission.unregistered_signer\"}"), std::string::npos);
  EXPECT_NE(metrics->body.find("verun_log_tree_size "), std::string::npos);
}

TEST_F(LogHttp, GarbageGetsCleanJsonErrorsAndTheServerSurvives) {
  register_a();
  auto c = client();
  struct Case {
    const char* path;
    int status;
    ErrorCode code;
  };
  const Case gets[] = {
      {"/nope", 404, ErrorCode::kHttpNotFound},
      {"/tile/0/0000", 400, ErrorCode::kTileBadPath},
      {"/tile/64/000", 400, ErrorCode::kTileBadPath},
      {"/tile/0/000.p/256", 400, ErrorCode::kTileBadPath},
      {"/tile/entries/x001", 400, ErrorCode::kTileBadPath},
      {"/tile/0/x001/000", 404, ErrorCode::kNotFound},
      {"/tile/0/000", 404, ErrorCode::kNotFound},
      {"/tile/1/000.p/1", 404, ErrorCode::kNotFound},
      {"/tile/entries/000.p/255", 404, ErrorCode::kNotFound},
      {"/v1/entries/999999", 404, ErrorCode::kNotFound},
      {"/v1/entries/-1", 400, ErrorCode::kHttpBadRequest},
      {"/v1/entries/007", 400, ErrorCode::kHttpBadRequest},
      {"/v1/entries/18446744073709551616", 400, ErrorCode::kHttpBadRequest},
      {"/v1/entries", 400, ErrorCode::kHttpBadRequest},
      {"/v1/entries?leaf_hash=xyz", 400, ErrorCode::kHttpBadRequest},
      {"/v1/entries?leaf_hash=0000000000000000000000000000000000000000000000000000000000000000", 404,
       ErrorCode::kNotFound},
      {"/v1/keys/ABC", 400, ErrorCode::kHttpBadRequest},
      {"/v1/keys/1111111111111111111111111111111111111111111111111111111111111111", 404, ErrorCode::kNotFound},
      {"/v1/blobs/zz", 400, ErrorCode::kHttpBadRequest},
      {"/v1/blobs/1111111111111111111111111111111111111111111111111111111111111111", 404, ErrorCode::kNotFound},
      {"/v1/proofs/inclusion?index=0", 400, ErrorCode::kHttpBadRequest},
      {"/v1/proofs/inclusion?index=1&size=1", 400, ErrorCode::kHttpBadRequest},
      {"/v1/proofs/inclusion?index=0&size=99999999", 404, ErrorCode::kNotFound},
      {"/v1/proofs/inclusion?index=x&size=1", 400, ErrorCode::kHttpBadRequest},
      {"/v1/proofs/consistency?old=2&new=1", 400, ErrorCode::kHttpBadRequest},
      {"/v1/proofs/consistency?old=1&new=99999999", 404, ErrorCode::kNotFound},
      {"/v1/proofs/consistency?old=1", 400, ErrorCode::kHttpBadRequest},
  };
  for (const auto& g : gets) expect_error(c.Get(g.path), g.status, g.code, g.path);

  expect_error(c.Post("/v1/entries", "{", "application/json"), 400, ErrorCode::kJsonSyntax, "bad json");
  expect_error(c.Post("/v1/entries", "[]", "application/json"), 400, ErrorCode::kHttpBadRequest, "array body");
  expect_error(c.Post("/v1/entries", R"({"envelope": {}, "x": 1})", "application/json"), 400,
               ErrorCode::kHttpBadRequest, "unknown field");
  expect_error(c.Post("/v1/entries", R"({"blobs": {}})", "application/json"), 400, ErrorCode::kHttpBadRequest,
               "no envelope");
  expect_error(c.Post("/v1/entries", R"({"envelope": 1.5})", "application/json"), 400, ErrorCode::kJsonFloatNotAllowed,
               "float");
  expect_error(c.Post("/v1/entries", std::string(2u << 20, 'x'), "application/json"), 413,
               ErrorCode::kHttpBodyTooLarge, "huge body");
  expect_error(c.Post("/v1/entries", "\xff\xfe", "application/json"), 400, ErrorCode::kJsonInvalidUtf8, "bad utf8");
  expect_error(c.Delete("/v1/entries"), 404, ErrorCode::kHttpNotFound, "DELETE");

  auto h = c.Get("/healthz");
  ASSERT_TRUE(h);
  EXPECT_EQ(h->status, 200);
}

TEST_F(LogHttp, ReadApiTilesProofsAndCheckpoint) {
  const auto idx = register_a();
  for (std::uint8_t j = 10; j < 14; ++j) ASSERT_TRUE(post(proofs::serialize_envelope(a_.receipt(idx, j))));
  auto c = client();
  auto cp = c.Get("/checkpoint");
  ASSERT_TRUE(cp);
  ASSERT_EQ(cp->status, 200);
  EXPECT_EQ(cp->get_header_value("Content-Type"), "text/plain; charset=utf-8");
  auto opened = proofs::open_checkpoint(cp->body, log_key());
  ASSERT_OK(opened);
  const std::uint64_t size = opened->checkpoint.size;
  ASSERT_GE(size, 5u);
  ASSERT_LT(size, 256u);

  const std::string w = std::to_string(size);
  auto tile = c.Get(("/tile/0/000.p/" + w).c_str());
  ASSERT_TRUE(tile);
  ASSERT_EQ(tile->status, 200);
  EXPECT_EQ(tile->body.size(), size * 32);
  EXPECT_EQ(tile->get_header_value("Cache-Control"), "public, max-age=2");
  auto bundle = c.Get(("/tile/entries/000.p/" + w).c_str());
  ASSERT_TRUE(bundle);
  ASSERT_EQ(bundle->status, 200);
  auto entries = proofs::parse_entry_bundle(
      proofs::ByteView(reinterpret_cast<const std::uint8_t*>(bundle->body.data()), bundle->body.size()), size);
  ASSERT_OK(entries);
  auto smaller = c.Get("/tile/entries/000.p/1");
  ASSERT_TRUE(smaller);
  EXPECT_EQ(smaller->status, 200);

  auto inc = c.Get(("/v1/proofs/inclusion?index=0&size=" + w).c_str());
  ASSERT_TRUE(inc);
  ASSERT_EQ(inc->status, 200) << inc->body;
  auto tp = proofs::parse_tlog_proof(Json::parse(inc->body)["proof"].get<std::string>());
  ASSERT_OK(tp);
  ASSERT_OK(proofs::verify_tlog_proof_for_entry(*tp, (*entries)[0], log_key(), kOrigin));

  // Consistency between two stored checkpoint sizes.
  auto inc1 = c.Get("/v1/proofs/inclusion?index=0&size=1");
  ASSERT_TRUE(inc1);
  ASSERT_EQ(inc1->status, 200) << inc1->body;
  auto tp1 = proofs::parse_tlog_proof(Json::parse(inc1->body)["proof"].get<std::string>());
  ASSERT_OK(tp1);
  auto cp1 = proofs::open_checkpoint(tp1->checkpoint_note, log_key());
  ASSERT_OK(cp1);
  auto cons = c.Get(("/v1/proofs/consistency?old=1&new=" + w).c_str());
  ASSERT_TRUE(cons);
  ASSERT_EQ(cons->status, 200) << cons->body;
  std::vector<proofs::Hash32> hashes;
  const Json cons_body = Json::parse(cons->body);
  for (const auto& h : cons_body["proof"]) hashes.push_back(*proofs::base64_decode32(h.get<std::string>()));
  EXPECT_OK(proofs::verify_consistency(1, size, hashes, cp1->checkpoint.root, opened->checkpoint.root));
  ASSERT_FALSE(hashes.empty());
  hashes[0][0] ^= 1;
  EXPECT_FALSE(proofs::verify_consistency(1, size, hashes, cp1->checkpoint.root, opened->checkpoint.root).has_value());
}

TEST_F(LogHttp, ConcurrentSubmittersGetDistinctIndices) {
  const auto idx = register_a();
  constexpr int kThreads = 16, kEach = 5;
  std::vector<std::vector<std::uint64_t>> got(kThreads);
  std::vector<std::thread> threads;
  const auto start = std::chrono::steady_clock::now();
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        auto p = a_.receipt_predicate(idx, 30);
        p.job.id = "concurrent-" + std::to_string(t) + "-" + std::to_string(i);
        auto r = post(proofs::serialize_envelope(*proofs::make_receipt_envelope(p, a_.key)));
        if (r && r->status == 201) {
          got[t].push_back(Json::parse(r->body)["index"]);
        } else {
          ADD_FAILURE() << (r ? std::to_string(r->status) + " " + r->body : "error " + httplib::to_string(r.error()));
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  const auto elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cout << kThreads * kEach << " receipts from " << kThreads << " concurrent submitters (wait=true) in " << elapsed
            << " s: " << (kThreads * kEach) / elapsed << " entries/s\n";
  if (auto m = client().Get("/metrics")) {
    std::istringstream lines(m->body);
    for (std::string line; std::getline(lines, line);) {
      if (line.starts_with("verun_log_submit_latency_seconds_sum") || line.starts_with("verun_log_submit_latency_seconds_count")) {
        std::cout << "server side: " << line << "\n";
      }
    }
  }
  std::set<std::uint64_t> all;
  for (const auto& v : got) all.insert(v.begin(), v.end());
  EXPECT_EQ(all.size(), static_cast<std::size_t>(kThreads * kEach));
}

TEST_F(LogHttp, GoReferenceCheckerAcceptsLiveServerAndExport) {
  const auto idx = register_a();
  ASSERT_TRUE(post(proofs::serialize_envelope(a_.receipt(idx, 20))));
  // Past the first full tile (256 leaves), queued without waiting.
  for (int i = 0; i < 300; ++i) {
    auto p = a_.receipt_predicate(idx, 21);
    p.job.id = "bulk-" + std::to_string(i);
    auto r = post(proofs::serialize_envelope(*proofs::make_receipt_envelope(p, a_.key)), Json(), "?wait=false");
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 202) << r->body;
  }
  std::uint64_t size = 0;
  for (int i = 0; i < 500 && size < 300; ++i) {
    auto h = client().Get("/healthz");
    if (h && h->status == 200) size = Json::parse(h->body)["size"];
    if (size < 300) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_GE(size, 300u);
  auto full = client().Get("/tile/0/000");
  ASSERT_TRUE(full);
  ASSERT_EQ(full->status, 200);
  EXPECT_EQ(full->body.size(), 256u * 32);
  EXPECT_EQ(full->get_header_value("Cache-Control"), "public, max-age=31536000, immutable");
  auto full_bundle = client().Get("/tile/entries/000");
  ASSERT_TRUE(full_bundle);
  EXPECT_EQ(full_bundle->status, 200);

  const fs::path d = dir_->path();
  ASSERT_EQ(run(std::string(VERUN_LOG_BIN) + " export-tiles --db " + sh_quote((d / "log.db").string()) + " " +
                    sh_quote((d / "export").string()),
                d / "export.out"),
            0)
      << slurp(d / "export.out");
  EXPECT_TRUE(fs::exists(d / "export/checkpoint"));

  auto shared = ::verun::testing::shared_root();
  if (!shared || !fs::exists(*shared / "tools/tlog-interop/build.sh")) GTEST_SKIP() << "SKIPPED: shared/tools/tlog-interop not found";
  if (std::system("command -v go >/dev/null 2>&1") != 0 ||
      !fs::exists("/usr/share/gocode/src/golang.org/x/mod/sumdb/note/note.go")) {
    GTEST_SKIP() << "SKIPPED: Go or golang.org/x/mod (golang-golang-x-mod-dev) is not installed";
  }
  const char* env_bin = std::getenv("TLOG_INTEROP_BIN");
  const fs::path bin = env_bin && *env_bin ? fs::path(env_bin) : fs::path(VERUN_BINARY_DIR) / "tlog-interop-bin";
  if (!fs::exists(bin / "tlogcheck")) {
    const int rc = run("flock " + sh_quote((fs::path(VERUN_BINARY_DIR) / "tlog-interop-bin.lock").string()) +
                           " env TLOG_INTEROP_BIN=" + sh_quote(bin.string()) + " bash " +
                           sh_quote((*shared / "tools/tlog-interop/build.sh").string()),
                       d / "go-build.log");
    if (rc != 0 || !fs::exists(bin / "tlogcheck")) GTEST_SKIP() << "SKIPPED: building the Go tools failed";
  }
  const std::string check = sh_quote((bin / "tlogcheck").string()) + " -vkey " + sh_quote(vkey_) + " -origin " +
                            sh_quote(kOrigin) + " -all -url ";
  EXPECT_EQ(run(check + sh_quote("http://127.0.0.1:" + std::to_string(port_)), d / "tlogcheck-live.log"), 0)
      << slurp(d / "tlogcheck-live.log");
  EXPECT_EQ(run(check + sh_quote((d / "export").string()), d / "tlogcheck-export.log"), 0)
      << slurp(d / "tlogcheck-export.log");
  for (const char* name : {"tlogcheck-live.log", "tlogcheck-export.log"}) {
    const std::string out = slurp(d / name);
    EXPECT_NE(out.find(" passed, 0 failed"), std::string::npos) << out;
    const auto last = out.rfind('\n', out.size() - 2);
    std::cout << name << ": " << out.substr(last == std::string::npos ? 0 : last + 1);
  }
}

TEST(LogCli, UsageErrorsExitTwoAndHelpZero) {
  ::verun::testing::TempDir d;
  const std::string bin = VERUN_LOG_BIN;
  const fs::path log = d.path() / "out";
  EXPECT_EQ(run(bin, log), 2);
  EXPECT_EQ(run(bin + " frobnicate", log), 2);
  EXPECT_EQ(run(bin + " --help", log), 0);
  EXPECT_EQ(run(bin + " serve --help", log), 0);
  EXPECT_EQ(run(bin + " keygen --help", log), 0);
  EXPECT_EQ(run(bin + " export-tiles --help", log), 0);
  EXPECT_EQ(run(bin + " serve --key k", log), 2);
  EXPECT_EQ(run(bin + " keygen --name x", log), 2);
  EXPECT_EQ(run(bin + " serve --db x --key k --listen nope", log), 2);
  EXPECT_EQ(run(bin + " serve --db x --key k --bogus", log), 2);
  EXPECT_EQ(run(bin + " export-tiles --db " + sh_quote((d.path() / "absent.db").string()) + " out", log), 1);
  // A key file that is not a key: exit 1, nothing served.
  std::ofstream(d.path() / "bad.key") << "not a key\n";
  EXPECT_EQ(run(bin + " serve --db " + sh_quote((d.path() / "l.db").string()) + " --key " +
                    sh_quote((d.path() / "bad.key").string()) + " --listen 127.0.0.1:0",
                log),
            1);
}

// kill -9 of the serving process while submitters wait: after a restart on
// the same database every entry acknowledged with 201 is there (DESIGN.md
// §6: an acknowledged entry is durable).
TEST(LogHttpCrash, AcknowledgedEntriesSurviveSigkill) {
  ::verun::testing::TempDir dir;
  const fs::path d = dir.path();
  ASSERT_EQ(run(std::string(VERUN_LOG_BIN) + " keygen --name crash.example/log --out " +
                    sh_quote((d / "log.key").string()),
                d / "keygen.out"),
            0);
  std::ofstream(d / "policy.json") << testing::sim_policy_json();
  int port = 0;
  pid_t pid = start_serve(d, port);
  ASSERT_NE(port, 0) << slurp(d / "serve.err");

  SimRunner r(0x51);
  {
    httplib::Client c("127.0.0.1", port);
    Json body = {{"envelope", proofs::serialize_envelope(r.registration())}};
    auto reg = c.Post("/v1/entries", body.dump(), "application/json");
    ASSERT_TRUE(reg);
    ASSERT_EQ(reg->status, 201) << reg->body;
  }
  std::mutex mu;
  std::vector<std::string> acked;  // leaf hashes answered 201
  std::atomic<bool> stop{false};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; !stop && i < 10000; ++i) {
        auto p = r.receipt_predicate(0, 40);
        p.job.id = "crash-" + std::to_string(t) + "-" + std::to_string(i);
        Json body = {{"envelope", proofs::serialize_envelope(*proofs::make_receipt_envelope(p, r.key))}};
        httplib::Client c("127.0.0.1", port);
        c.set_connection_timeout(std::chrono::seconds(2));
        auto res = c.Post("/v1/entries", body.dump(), "application/json");
        if (!res) break;  // the server is gone
        if (res->status == 201) {
          std::lock_guard lock(mu);
          acked.push_back(Json::parse(res->body)["leaf_hash"]);
        }
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  kill(pid, SIGKILL);
  int st = 0;
  waitpid(pid, &st, 0);
  stop = true;
  for (auto& th : threads) th.join();
  ASSERT_FALSE(acked.empty());

  pid = start_serve(d, port, "serve2");
  ASSERT_NE(port, 0) << slurp(d / "serve2.err");
  httplib::Client c("127.0.0.1", port);
  std::size_t found = 0;
  for (const auto& leaf : acked) {
    auto g = c.Get(("/v1/entries?leaf_hash=" + leaf).c_str());
    if (g && g->status == 200) ++found;
  }
  EXPECT_EQ(found, acked.size());
  std::cout << acked.size() << " entries acknowledged before SIGKILL, all " << found << " found after restart\n";
  kill(pid, SIGTERM);
  waitpid(pid, &st, 0);
  EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

}  // namespace
}  // namespace verun::log
