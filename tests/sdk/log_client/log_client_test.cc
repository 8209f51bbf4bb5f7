// LogClient against a real `verun-log serve` on 127.0.0.1: sim registrations
// and receipts made with proofs/, duplicates, admission refusals carrying the
// log's code, every read (checkpoint, proofs, entries, keys, blobs, tiles)
// verified with proofs/ and the log's key; and small in-test HTTP servers for
// what a real log does not do (5xx, garbage, lies, silence), plus an
// unreachable port.
#include "verun/sdk/log_client.h"

#include <arpa/inet.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <thread>

#include "sim_runner.h"
#include "tests/sdk/log_process.h"
#include "tests/support/matchers.h"
#include "tests/support/temp_dir.h"
#include "verun/proofs/json/jcs.h"
#include "verun/proofs/merkle/consistency.h"
#include "verun/proofs/merkle/hasher.h"
#include "verun/proofs/merkle/inclusion.h"
#include "verun/proofs/merkle/tiles.h"
#include "verun/proofs/note/checkpoint.h"
#include "verun/proofs/note/note_key.h"
#include "verun/proofs/note/tlog_proof.h"
#include "verun/sdk/tile_hash_source.h"

namespace verun::sdk {
namespace {

using log::testing::SimRunner;
using proofs::Json;
using ::verun::testing::HasCode;

class LogClientTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new ::verun::testing::TempDir();
    log_ = new testing::LogProcess(VERUN_LOG_BIN, dir_->path(), log::testing::sim_policy_json());
    ASSERT_TRUE(log_->ok()) << log_->stderr_text();
  }
  static void TearDownTestSuite() {
    delete log_;
    delete dir_;
  }

  static LogClient client() { return *LogClient::make(log_->url()); }
  static proofs::NoteVerifier log_key() { return *proofs::parse_verifier_key(log_->vkey()); }

  // Registers runner `seed` once per suite; returns its index.
  static std::uint64_t registered(const SimRunner& runner) {
    auto logged = client().submit(runner.registration());
    EXPECT_OK(logged);
    return logged ? logged->index : 0;
  }

  static ::verun::testing::TempDir* dir_;
  static testing::LogProcess* log_;
};
::verun::testing::TempDir* LogClientTest::dir_ = nullptr;
testing::LogProcess* LogClientTest::log_ = nullptr;

TEST_F(LogClientTest, SubmitsARegistrationAndItsProofVerifies) {
  const SimRunner runner(0x31);
  const auto envelope = runner.registration();
  auto logged = client().submit(envelope);
  ASSERT_OK(logged);
  EXPECT_FALSE(logged->duplicate);
  const auto leaf = *proofs::envelope_leaf(envelope);
  EXPECT_EQ(logged->leaf_hash, proofs::leaf_hash(proofs::as_bytes(leaf)));
  auto proof = proofs::parse_tlog_proof(logged->proof);
  ASSERT_OK(proof);
  EXPECT_EQ(proof->index, logged->index);
  EXPECT_OK(proofs::verify_tlog_proof(*proof, logged->leaf_hash, log_key(), log_->origin()));

  // The same envelope again: 200, same index, duplicate.
  auto again = client().submit(envelope);
  ASSERT_OK(again);
  EXPECT_TRUE(again->duplicate);
  EXPECT_EQ(again->index, logged->index);
  EXPECT_EQ(again->leaf_hash, logged->leaf_hash);
  EXPECT_OK(proofs::verify_tlog_proof(*proofs::parse_tlog_proof(again->proof), again->leaf_hash, log_key(),
                                      log_->origin()));

  // The entry, the key's registration.
  auto entry = client().entry(logged->index);
  ASSERT_OK(entry);
  EXPECT_EQ(proofs::to_string(*entry), leaf);
  auto key = client().key(runner.key_id);
  ASSERT_OK(key);
  EXPECT_EQ((*key)["index"].get<std::uint64_t>(), logged->index);
  EXPECT_EQ(*proofs::jcs_serialize((*key)["envelope"]), leaf);
}

TEST_F(LogClientTest, SubmitsAReceiptOfARegisteredRunner) {
  const SimRunner runner(0x32);
  const auto reg_index = registered(runner);
  auto logged = client().submit(runner.receipt(reg_index, 7));
  ASSERT_OK(logged);
  EXPECT_FALSE(logged->duplicate);
  EXPECT_GT(logged->index, reg_index);
  EXPECT_OK(proofs::verify_tlog_proof(*proofs::parse_tlog_proof(logged->proof), logged->leaf_hash, log_key(),
                                      log_->origin()));
}

TEST_F(LogClientTest, RefusalsAreLogRejectedWithTheServersCode) {
  const SimRunner debug_runner(0x33);
  auto refused = client().submit(debug_runner.registration(debug_runner.predicate(/*debug=*/true)));
  EXPECT_THAT(refused, HasCode(ErrorCode::kSdkLogRejected));
  EXPECT_EQ(server_error_code(refused.error()), "admission.evidence_rejected") << refused.error().message;
  EXPECT_NE(refused.error().message.find("(HTTP "), std::string::npos);

  const SimRunner stranger(0x34);
  auto unregistered = client().submit(stranger.receipt(0, 1));
  EXPECT_THAT(unregistered, HasCode(ErrorCode::kSdkLogRejected));
  EXPECT_EQ(server_error_code(unregistered.error()), "admission.unregistered_signer");

  auto missing_key = client().key(stranger.key_id);
  EXPECT_THAT(missing_key, HasCode(ErrorCode::kSdkLogRejected));
  EXPECT_EQ(server_error_code(missing_key.error()), "not_found");

  auto beyond = client().entry(1u << 30);
  EXPECT_THAT(beyond, HasCode(ErrorCode::kSdkLogRejected));
  EXPECT_EQ(server_error_code(beyond.error()), "not_found");

  auto no_blob = client().blob(proofs::hex_encode(proofs::sha256(std::string_view("absent"))));
  EXPECT_THAT(no_blob, HasCode(ErrorCode::kSdkLogRejected));

  auto bad_proof = client().inclusion_proof(5, 1u << 30);
  EXPECT_THAT(bad_proof, HasCode(ErrorCode::kSdkLogRejected));
  EXPECT_FALSE(server_error_code(bad_proof.error()).empty());
}

TEST_F(LogClientTest, ReadsCheckpointProofsAndTilesThatVerify) {
  const SimRunner runner(0x35);
  const auto reg_index = registered(runner);
  ASSERT_OK(client().submit(runner.receipt(reg_index, 1)));
  ASSERT_OK(client().submit(runner.receipt(reg_index, 2)));

  auto note = client().checkpoint();
  ASSERT_OK(note);
  auto cp = proofs::open_checkpoint(*note, log_key(), log_->origin());
  ASSERT_OK(cp);
  const std::uint64_t size = cp->checkpoint.size;
  ASSERT_GE(size, 3u);

  // Inclusion of the registration at the checkpoint's size.
  auto proof_text = client().inclusion_proof(reg_index, size);
  ASSERT_OK(proof_text);
  auto entry = client().entry(reg_index);
  ASSERT_OK(entry);
  EXPECT_OK(proofs::verify_tlog_proof_for_entry(*proofs::parse_tlog_proof(*proof_text), *entry, log_key(),
                                                log_->origin()));

  // Consistency from 1 to size against both signed roots.
  auto one = client().inclusion_proof(0, 1);
  ASSERT_OK(one);
  auto cp1 = proofs::open_checkpoint(proofs::parse_tlog_proof(*one)->checkpoint_note, log_key(), log_->origin());
  ASSERT_OK(cp1);
  auto consistency = client().consistency_proof(1, size);
  ASSERT_OK(consistency);
  EXPECT_OK(proofs::verify_consistency(1, size, *consistency, cp1->checkpoint.root, cp->checkpoint.root));
  auto same = client().consistency_proof(size, size);
  ASSERT_OK(same);
  EXPECT_TRUE(same->empty());

  // The tiles: a TileHashSource over the client proves the same inclusion.
  TileHashSource tiles(client().tile_fetcher(), size);
  auto path = proofs::prove_inclusion(tiles, reg_index, size);
  ASSERT_OK(path);
  EXPECT_OK(proofs::verify_inclusion(proofs::leaf_hash(*entry), reg_index, size, *path, cp->checkpoint.root));
  auto via_tile = client().tile("checkpoint");
  ASSERT_OK(via_tile);
  EXPECT_EQ(proofs::to_string(*via_tile).substr(0, 20), note->substr(0, 20));
  auto fetcher = client().tile_fetcher();
  EXPECT_THAT(fetcher("tile/0/999"), HasCode(ErrorCode::kNotFound));
}

TEST_F(LogClientTest, RefusesBadArgumentsWithoutCallingTheLog) {
  EXPECT_THAT(LogClient::make("ftp://127.0.0.1:1"), HasCode(ErrorCode::kInvalidArgument));
  EXPECT_THAT(LogClient::make("http://"), HasCode(ErrorCode::kInvalidArgument));
  EXPECT_THAT(LogClient::make("http://a b"), HasCode(ErrorCode::kInvalidArgument));
  EXPECT_THAT(LogClient::make("http://127.0.0.1:1/x?y"), HasCode(ErrorCode::kInvalidArgument));
  EXPECT_THAT(LogClient::make("127.0.0.1:8080"), HasCode(ErrorCode::kInvalidArgument));
  EXPECT_THAT(LogClient::make("http://127.0.0.1:1", {std::chrono::milliseconds(0)}), HasCode(ErrorCode::kInvalidArgument));
  EXPECT_OK(LogClient::make("http://127.0.0.1:1/"));
  EXPECT_OK(LogClient::make("https://log.example/prefix/"));
  EXPECT_THAT(client().tile("../etc/passwd"), HasCode(ErrorCode::kInvalidArgument));
  EXPECT_THAT(client().tile("/checkpoint"), HasCode(ErrorCode::kInvalidArgument));
  EXPECT_THAT(client().tile("tile/0/000?x=1"), HasCode(ErrorCode::kInvalidArgument));
  EXPECT_THAT(client().key("ABC"), HasCode(ErrorCode::kInvalidArgument));
  EXPECT_THAT(client().blob("00"), HasCode(ErrorCode::kInvalidArgument));
}

// A port nobody listens on: bound, then closed.
int unused_port() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) return 1;
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

TEST(LogClientUnreachable, ARefusedConnectionFailsQuickly) {
  auto client = *LogClient::make("http://127.0.0.1:" + std::to_string(unused_port()));
  const auto start = std::chrono::steady_clock::now();
  auto cp = client.checkpoint();
  EXPECT_THAT(cp, HasCode(ErrorCode::kSdkLogUnreachable));
  EXPECT_THAT(client.submit(SimRunner(0x40).registration()), HasCode(ErrorCode::kSdkLogUnreachable));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
  EXPECT_TRUE(server_error_code(cp.error()).empty());
}

// A small HTTP server on 127.0.0.1 whose answers the test chooses.
class FakeLog {
 public:
  explicit FakeLog(httplib::Server::Handler handler) {
    server_.Get(R"(/.*)", handler);
    server_.Post(R"(/.*)", handler);
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  ~FakeLog() {
    server_.stop();
    thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
};

TEST(LogClientFakeLog, FiveHundredsAreServerErrorsWithTheServersCode) {
  FakeLog fake([](const httplib::Request&, httplib::Response& res) {
    res.status = 503;
    res.set_header("Retry-After", "1");
    res.set_content(R"({"error":{"code":"log.queue_full","message":"the queue is full"}})", "application/json");
  });
  auto client = *LogClient::make(fake.url());
  auto r = client.submit(SimRunner(0x41).registration());
  EXPECT_THAT(r, HasCode(ErrorCode::kSdkLogServerError));
  EXPECT_EQ(server_error_code(r.error()), "log.queue_full");
  EXPECT_NE(r.error().message.find("the queue is full"), std::string::npos);
  EXPECT_THAT(client.checkpoint(), HasCode(ErrorCode::kSdkLogServerError));
}

TEST(LogClientFakeLog, NonJsonErrorsKeepTheStatus) {
  FakeLog fake([](const httplib::Request&, httplib::Response& res) {
    res.status = 418;
    res.set_content("teapot\n", "text/plain");
  });
  auto r = LogClient::make(fake.url())->checkpoint();
  EXPECT_THAT(r, HasCode(ErrorCode::kSdkLogRejected));
  EXPECT_EQ(server_error_code(r.error()), "http.418");
}

TEST(LogClientFakeLog, GarbageAndLiesAreBadResponses) {
  const SimRunner runner(0x42);
  const auto envelope = runner.registration();
  std::atomic<int> mode{0};
  FakeLog fake([&](const httplib::Request&, httplib::Response& res) {
    res.status = 201;
    const std::string real_leaf = proofs::hex_encode(proofs::leaf_hash(proofs::as_bytes(*proofs::envelope_leaf(envelope))));
    switch (mode.load()) {
      case 0: res.set_content("not json", "application/json"); break;
      case 1: res.set_content(R"([1,2])", "application/json"); break;
      case 2: res.set_content(R"({"index":-1,"leaf_hash":")" + real_leaf + R"(","proof":"x"})", "application/json"); break;
      case 3:  // another envelope's leaf hash
        res.set_content(R"({"index":0,"leaf_hash":")" + std::string(64, 'a') + R"(","proof":"x"})", "application/json");
        break;
      case 4:  // right leaf, proof that does not parse
        res.set_content(R"({"index":0,"leaf_hash":")" + real_leaf + R"(","proof":"garbage"})", "application/json");
        break;
      case 5: res.status = 302; res.set_header("Location", "http://127.0.0.1:1/"); break;
      case 6: res.status = 200; res.set_content(std::string(17 * 1024 * 1024, 'x'), "application/octet-stream"); break;
      case 7: res.status = 200; res.set_content(R"({"proof":["AAAA"]})", "application/json"); break;
      case 8: res.status = 200; res.set_content(R"({"index":3,"leaf_hash":")" + real_leaf + R"(","envelope":{}})", "application/json"); break;
      case 9: res.status = 200; res.set_content("not the blob", "application/octet-stream"); break;
    }
  });
  auto client = *LogClient::make(fake.url());
  for (int m = 0; m <= 5; ++m) {
    mode = m;
    EXPECT_THAT(client.submit(envelope), HasCode(ErrorCode::kSdkBadResponse)) << "mode " << m;
  }
  mode = 6;
  EXPECT_THAT(client.tile("tile/0/000"), HasCode(ErrorCode::kSdkBadResponse));
  mode = 7;
  EXPECT_THAT(client.consistency_proof(1, 2), HasCode(ErrorCode::kSdkBadResponse));
  mode = 8;
  EXPECT_THAT(client.entry(3), HasCode(ErrorCode::kSdkBadResponse));  // envelope does not hash to leaf_hash
  EXPECT_THAT(client.entry(4), HasCode(ErrorCode::kSdkBadResponse));  // another index
  mode = 9;
  EXPECT_THAT(client.blob(proofs::hex_encode(proofs::sha256(std::string_view("blob")))), HasCode(ErrorCode::kSdkBadResponse));
}

TEST(LogClientFakeLog, ASilentLogTimesOutAsUnreachable) {
  std::atomic<bool> release{false};
  FakeLog fake([&](const httplib::Request&, httplib::Response& res) {
    for (int i = 0; i < 100 && !release; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    res.set_content("late", "text/plain");
  });
  auto client = *LogClient::make(fake.url(), {std::chrono::milliseconds(200)});
  const auto start = std::chrono::steady_clock::now();
  EXPECT_THAT(client.checkpoint(), HasCode(ErrorCode::kSdkLogUnreachable));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(1500));
  release = true;
}

}  // namespace
}  // namespace verun::sdk
