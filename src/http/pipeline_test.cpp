// The pipeline's answers when the store fails (storage/store.h, "Unavailability"): a request
// that meets an unreachable database, a lost commit or endless conflicts gets 503 with
// Retry-After, never 500, and a lost commit says that the change may have been made.
#include "http/pipeline.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <stdexcept>

#include "http/metrics.h"
#include "http/router.h"
#include "http/static_files.h"
#include "storage/store.h"

namespace kith::http {
namespace {

class PipelineFailureTest : public ::testing::Test {
 protected:
  PipelineFailureTest() {
    router_.Add("GET", "/api/v1/probe/unavailable", [](const Request&, const Params&) -> Response {
      throw storage::StorageUnavailable("the connection was lost");
    });
    router_.Add("GET", "/api/v1/probe/commit-lost", [](const Request&, const Params&) -> Response {
      throw storage::StorageOutcomeUnknown("the connection was lost while committing");
    });
    router_.Add("GET", "/api/v1/probe/conflict", [](const Request&, const Params&) -> Response {
      throw storage::StorageConflict("kept conflicting");
    });
    router_.Add("GET", "/api/v1/probe/broken", [](const Request&, const Params&) -> Response {
      throw std::runtime_error("a bug");
    });
  }

  Response Get(const std::string& path) {
    Request q;
    q.method = "GET";
    q.target = q.path = path;
    q.client = "127.0.0.1";
    q.request_id = "test";
    return pipeline_.Handle(q);
  }

  static std::string Header(const Response& r, const std::string& name) {
    for (const auto& [n, v] : r.headers) {
      if (n == name) return v;
    }
    return "";
  }

  Router router_;
  StaticFiles files_{"/nonexistent"};
  Metrics metrics_{nullptr};
  Pipeline pipeline_{router_, files_, metrics_, PipelineOptions{}};
};

TEST_F(PipelineFailureTest, AnUnreachableDatabaseOrEndlessConflictsAre503WithRetryAfter) {
  for (const char* path : {"/api/v1/probe/unavailable", "/api/v1/probe/conflict"}) {
    const Response r = Get(path);
    EXPECT_EQ(r.status, 503) << path;
    EXPECT_EQ(Header(r, "Retry-After"), "2") << path;
    const auto body = nlohmann::json::parse(r.body);
    EXPECT_EQ(body["code"], "unavailable") << path;
    EXPECT_EQ(body["instance"], "urn:kith:request:test");
    EXPECT_EQ(r.body.find("connection was lost"), std::string::npos) << "no internal detail: " << r.body;
  }
}

TEST_F(PipelineFailureTest, ACommitCutOffIs503OutcomeUnknownAndSaysToRetryWithTheSameKey) {
  const Response r = Get("/api/v1/probe/commit-lost");
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(Header(r, "Retry-After"), "2");
  const auto body = nlohmann::json::parse(r.body);
  EXPECT_EQ(body["code"], "outcome_unknown");
  const std::string detail = body["detail"];
  EXPECT_NE(detail.find("may or may not have been made"), std::string::npos) << detail;
  EXPECT_NE(detail.find("same Idempotency-Key"), std::string::npos) << detail;
}

TEST_F(PipelineFailureTest, AnyOtherFailureIsABare500) {
  const Response r = Get("/api/v1/probe/broken");
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(nlohmann::json::parse(r.body)["code"], "internal");
  EXPECT_EQ(r.body.find("a bug"), std::string::npos);
}

// The hub (kith hub serve) has no web front end: it answered every unknown path with 200 and the
// front end's "not built" page (found by fuzzing the hub's requests in an earlier session). With
// StaticFiles::None an unknown path is a 404 problem and the routes still answer.
TEST(PipelineWithoutFilesTest, AnUnknownPathIsA404ProblemNotAPage) {
  Router router;
  router.Add("GET", "/healthz", [](const Request&, const Params&) {
    Response out;
    out.body = "ok";
    return out;
  });
  const StaticFiles files = StaticFiles::None();
  Metrics metrics{nullptr};
  const Pipeline pipeline{router, files, metrics, PipelineOptions{}};
  auto get = [&](const std::string& path) {
    Request q;
    q.method = "GET";
    q.target = q.path = path;
    q.client = "127.0.0.1";
    q.request_id = "test";
    return pipeline.Handle(q);
  };
  for (const char* path : {"/", "/index.html", "/hub/v1/nothing", "/assets/app.js"}) {
    const Response r = get(path);
    EXPECT_EQ(r.status, 404) << path;
    EXPECT_EQ(nlohmann::json::parse(r.body)["code"], "not_found") << path;
    EXPECT_EQ(r.body.find("web front end"), std::string::npos) << r.body;
  }
  EXPECT_EQ(get("/healthz").status, 200);
}

}  // namespace
}  // namespace kith::http
