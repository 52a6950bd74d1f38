#include "http/message.h"

#include <gtest/gtest.h>

#include "http/problem.h"
#include "http/router.h"

namespace kith::http {
namespace {

TEST(MessageTest, ParsesTargetWithQuery) {
  std::string path;
  std::map<std::string, std::string> query;
  ASSERT_TRUE(ParseTarget("/api/v1/children/K1%2F?limit=5&q=a+b&flag", &path, &query));
  EXPECT_EQ(path, "/api/v1/children/K1/");
  EXPECT_EQ(query["limit"], "5");
  EXPECT_EQ(query["q"], "a b");
  EXPECT_TRUE(query.count("flag"));
  EXPECT_FALSE(ParseTarget("/bad%zz", &path, &query));
  EXPECT_FALSE(ParseTarget("/bad%4", &path, &query));
  EXPECT_FALSE(ParseTarget("no-slash", &path, &query));
  EXPECT_FALSE(ParseTarget("/nul%00", &path, &query));
}

// Issue 17: invalid UTF-8 in a query parameter produced a 500 (the bytes reached JSON encoding
// deep in a handler). A target whose decoded parts are not UTF-8 is malformed: 400 at the door.
TEST(MessageTest, InvalidUtf8InAQueryParameterIsAMalformedTarget) {
  std::string path;
  std::map<std::string, std::string> query;
  EXPECT_FALSE(ParseTarget("/api/v1/index/imports?filename=%FF.csv", &path, &query));
  EXPECT_FALSE(ParseTarget("/api/v1/agencies?authority_id=%C3", &path, &query));
  EXPECT_FALSE(ParseTarget("/api/v1/agencies?%ED%A0%80=1", &path, &query));  // a surrogate as a name
  EXPECT_FALSE(ParseTarget("/api/v1/children/%C0%AF", &path, &query));      // overlong '/' in the path
  ASSERT_TRUE(ParseTarget("/api/v1/agencies?name=Zo%C3%AB", &path, &query));
  EXPECT_EQ(query["name"], "Zo\xc3\xab");
}

TEST(MessageTest, ReadsCookies) {
  Request r;
  r.headers["cookie"] = "a=1; kith_session=abc; b=2";
  EXPECT_EQ(r.Cookie("kith_session"), "abc");
  EXPECT_EQ(r.Cookie("b"), "2");
  EXPECT_EQ(r.Cookie("missing"), "");
}

TEST(RouterTest, MatchesParametersAndReportsWrongMethod) {
  Router router;
  router.Add("GET", "/api/v1/children/{id}", [](const Request&, const Params& p) {
    Response r;
    r.body = p.at("id");
    return r;
  });
  Request get;
  get.method = "GET";
  get.path = "/api/v1/children/K42";
  Response ok = router.Route(get);
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(ok.body, "K42");
  EXPECT_EQ(ok.route, "/api/v1/children/{id}");
  Request post = get;
  post.method = "POST";
  Response wrong = router.Route(post);
  EXPECT_EQ(wrong.status, 405);
  EXPECT_TRUE(wrong.HasHeader("allow"));
  Request missing = get;
  missing.path = "/api/v1/children/K42/extra";
  EXPECT_EQ(router.Route(missing).status, 404);
  missing.path = "/api/v1/children/";
  EXPECT_EQ(router.Route(missing).status, 404);
}

TEST(ProblemTest, EveryErrorCodeHasItsStatus) {
  EXPECT_EQ(StatusFor(ErrorCode::kInvalidInput), 400);
  EXPECT_EQ(StatusFor(ErrorCode::kUnauthenticated), 401);
  EXPECT_EQ(StatusFor(ErrorCode::kForbidden), 403);
  EXPECT_EQ(StatusFor(ErrorCode::kNotFound), 404);
  EXPECT_EQ(StatusFor(ErrorCode::kConflict), 409);
  EXPECT_EQ(StatusFor(ErrorCode::kUnsupportedMediaType), 415);
  EXPECT_EQ(StatusFor(ErrorCode::kLocked), 423);
  EXPECT_EQ(StatusFor(ErrorCode::kRateLimited), 429);
  Response r = ErrorResponse({ErrorCode::kLocked, "locked", {}, std::chrono::seconds(90)}, "req-1");
  EXPECT_EQ(r.status, 423);
  EXPECT_EQ(r.content_type, "application/problem+json");
  bool has_retry = false;
  for (const auto& [n, v] : r.headers) has_retry |= n == "Retry-After" && v == "90";
  EXPECT_TRUE(has_retry);
}

}  // namespace
}  // namespace kith::http
