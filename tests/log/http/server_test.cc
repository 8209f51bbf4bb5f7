// The HTTP server in-process (log/src/http/server.h) for what the process
// test cannot force: back-pressure answers 503 with Retry-After, and the
// code -> status table (log/src/http/error_mapping.h).
#include "http/server.h"

#include <httplib.h>

#include <gtest/gtest.h>

#include <thread>

#include "http/error_mapping.h"
#include "sim_runner.h"
#include "store/sqlite/sqlite_store.h"
#include "tests/log/log_testing.h"
#include "tests/support/matchers.h"
#include "tests/support/temp_dir.h"

namespace verun::log::http {
namespace {

using proofs::Json;

TEST(ErrorMapping, ClientErrorsAre4xxAndServerErrors5xx) {
  EXPECT_EQ(http_status(ErrorCode::kAdmissionMalformedEnvelope), 400);
  EXPECT_EQ(http_status(ErrorCode::kAdmissionMalformedStatement), 400);
  EXPECT_EQ(http_status(ErrorCode::kAdmissionUnknownPredicate), 400);
  EXPECT_EQ(http_status(ErrorCode::kAdmissionMissingBlob), 400);
  EXPECT_EQ(http_status(ErrorCode::kAdmissionBadSignature), 403);
  EXPECT_EQ(http_status(ErrorCode::kAdmissionEvidenceRejected), 403);
  EXPECT_EQ(http_status(ErrorCode::kAdmissionKeyRevoked), 403);
  EXPECT_EQ(http_status(ErrorCode::kAdmissionUnregisteredSigner), 403);
  EXPECT_EQ(http_status(ErrorCode::kAdmissionRegistrationMismatch), 403);
  EXPECT_EQ(http_status(ErrorCode::kAdmissionKeyAlreadyRegistered), 409);
  EXPECT_EQ(http_status(ErrorCode::kLogKeyAlreadyRegistered), 409);
  EXPECT_EQ(http_status(ErrorCode::kAdmissionEntryTooLarge), 413);
  EXPECT_EQ(http_status(ErrorCode::kHttpBodyTooLarge), 413);
  EXPECT_EQ(http_status(ErrorCode::kNotFound), 404);
  EXPECT_EQ(http_status(ErrorCode::kJsonSyntax), 400);
  EXPECT_EQ(http_status(ErrorCode::kTileBadPath), 400);
  EXPECT_EQ(http_status(ErrorCode::kLogQueueFull), 503);
  EXPECT_EQ(http_status(ErrorCode::kLogShuttingDown), 503);
  EXPECT_EQ(http_status(ErrorCode::kLogStoreError), 500);
  EXPECT_EQ(http_status(ErrorCode::kLogStoreCorrupt), 500);
  EXPECT_EQ(http_status(ErrorCode::kInternal), 500);
}

TEST(ErrorMapping, BodyIsTheStableShape) {
  auto body = Json::parse(error_body(Error(ErrorCode::kNotFound, "entry 5 is beyond the tree")));
  EXPECT_EQ(body, (Json{{"error", {{"code", "not_found"}, {"message", "entry 5 is beyond the tree"}}}}));
  // Bytes that are not UTF-8 in a message never break the JSON.
  auto odd = Json::parse(error_body(Error(ErrorCode::kHttpBadRequest, std::string("bad \xff byte"))), nullptr, false);
  EXPECT_TRUE(odd.is_object());
}

TEST(LogHttpServer, StoppedSequencerAnswers503WithRetryAfter) {
  ::verun::testing::TempDir dir;
  auto store = SqliteStore::open(dir.path() / "log.db");
  ASSERT_OK(store);
  auto policy = verifier::parse_policy(testing::sim_policy_json());
  ASSERT_OK(policy);
  Admission admission(**store, std::move(*policy));
  SequencerOptions o;
  o.admission = admission.as_fn();
  auto seq = Sequencer::start(**store, testing::log_signer(), std::move(o));
  ASSERT_OK(seq);
  HttpOptions ho;
  ho.retry_after_seconds = 7;
  LogHttpServer server(**store, **seq, admission, ho);
  auto port = server.bind("127.0.0.1", 0);
  ASSERT_OK(port);
  std::thread t([&] { server.run(); });

  httplib::Client c("127.0.0.1", *port);
  const Json body = {{"envelope", proofs::serialize_envelope(testing::SimRunner(0x41).registration())}};
  auto ok = c.Post("/v1/entries", body.dump(), "application/json");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 201) << ok->body;

  (*seq)->stop();
  const Json body2 = {{"envelope", proofs::serialize_envelope(testing::SimRunner(0x42).registration())}};
  auto busy = c.Post("/v1/entries", body2.dump(), "application/json");
  ASSERT_TRUE(busy);
  EXPECT_EQ(busy->status, 503);
  EXPECT_EQ(busy->get_header_value("Retry-After"), "7");
  EXPECT_EQ(Json::parse(busy->body)["error"]["code"], "log.shutting_down");
  // Reads still work.
  auto cp = c.Get("/checkpoint");
  ASSERT_TRUE(cp);
  EXPECT_EQ(cp->status, 200);
  EXPECT_NE(server.metrics().render(1).find("verun_log_rejections_total{code=\"log.shutting_down\"} 1"), std::string::npos);

  server.stop();
  t.join();
}

}  // namespace
}  // namespace verun::log::http
