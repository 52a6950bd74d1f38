#include "http/idempotency.h"

#include <gtest/gtest.h>

#include <memory>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "app/auth_service.h"
#include "app/idempotency_service.h"
#include "app/test_fixture.h"
#include "storage/idempotent_store.h"

namespace kith::http {
namespace {

TEST(IdempotencyKey, AcceptsPrintableAsciiUpTo255Characters) {
  EXPECT_EQ(ParseIdempotencyKey("8e03978e-40d5-43e8-bc93-6894a57f9324"), "8e03978e-40d5-43e8-bc93-6894a57f9324");
  EXPECT_EQ(ParseIdempotencyKey("\"quoted as an sf-string\""), "quoted as an sf-string");
  EXPECT_EQ(ParseIdempotencyKey("x"), "x");
  EXPECT_EQ(ParseIdempotencyKey(std::string(255, 'a')), std::string(255, 'a'));
}

TEST(IdempotencyKey, RefusesEmptyLongAndNonPrintableKeys) {
  EXPECT_EQ(ParseIdempotencyKey(""), "");
  EXPECT_EQ(ParseIdempotencyKey("\"\""), "");
  EXPECT_EQ(ParseIdempotencyKey(std::string(256, 'a')), "");
  EXPECT_EQ(ParseIdempotencyKey("tab\there"), "");
  EXPECT_EQ(ParseIdempotencyKey("caf\xc3\xa9"), "");
  EXPECT_EQ(ParseIdempotencyKey("back\\slash"), "");
}

TEST(RequestFingerprint, DependsOnMethodTargetAndBody) {
  Request a{.method = "POST", .target = "/api/v1/children", .body = "{}"};
  Request b = a;
  EXPECT_EQ(RequestFingerprint(a), RequestFingerprint(b));
  b.body = "{ }";
  EXPECT_NE(RequestFingerprint(a), RequestFingerprint(b));
  b = a;
  b.method = "PUT";
  EXPECT_NE(RequestFingerprint(a), RequestFingerprint(b));
  b = a;
  b.target = "/api/v1/children?x=1";
  EXPECT_NE(RequestFingerprint(a), RequestFingerprint(b));
  // No ambiguity between where the target ends and the body begins.
  Request c{.method = "POST", .target = "/a", .body = "b\nc"};
  Request d{.method = "POST", .target = "/a\nb", .body = "c"};
  EXPECT_NE(RequestFingerprint(c), RequestFingerprint(d));
}

TEST(IdempotencyExempt, CredentialRoutesAndSearchAreExempt) {
  for (const char* path :
       {"/api/v1/session", "/api/v1/session/second-factor", "/api/v1/me/second-factor/enrolment",
        "/api/v1/me/second-factor/enrolment/confirm", "/api/v1/users", "/api/v1/users/U1", "/api/v1/family/redeem",
        "/api/v1/family/links", "/api/v1/search", "/api/v1/children/K1/break-glass"}) {
    EXPECT_TRUE(IsIdempotencyExempt(path)) << path;
  }
  for (const char* path : {"/api/v1/children", "/api/v1/children/K1/team", "/api/v1/sessions", "/api/v1/search/x",
                           "/api/v1/agencies", "/api/v1/family/children/K1/entries", "/api/v1/break-glass/G1/review"}) {
    EXPECT_FALSE(IsIdempotencyExempt(path)) << path;
  }
}

// The step around a handler, on a real store wrapped as the composition root wraps it (claimed
// keys are recorded with the first write), for what the HTTP layer answers when the database
// fails in the middle of a keyed request.
class IdempotencyStepTest : public app::AppFixture {
 protected:
  void SetUp() override {
    AppFixture::SetUp();
    ctx_.reset();
    store_ = std::make_unique<storage::IdempotentStore>(std::move(store_));
    ctx_ = std::make_unique<app::Context>(app::Context{*store_, clock_, random_, hasher_, app::Policy{}});
    auth_ = std::make_unique<app::AuthService>(*ctx_, limiter_);
    keys_ = std::make_unique<app::IdempotencyService>(*ctx_);
    step_ = std::make_unique<IdempotencyStep>(*auth_, *keys_, IdempotencyOptions{});
    auto signed_in = auth_->SignIn("sw", kPassword, "127.0.0.1");
    ASSERT_TRUE(signed_in);
    cookie_ = "kith_session=" + signed_in->token;
    csrf_ = signed_in->principal.session.csrf_token;
  }

  void TearDown() override {
    step_.reset();
    keys_.reset();  // stores what is queued while the store is still open
    auth_.reset();
    AppFixture::TearDown();
  }

  Request Keyed(const std::string& key) const {
    Request q;
    q.method = "POST";
    q.path = q.target = "/api/v1/agencies";
    q.client = "127.0.0.1";
    q.request_id = "test";
    q.headers["cookie"] = cookie_;
    q.headers["x-csrf-token"] = csrf_;
    q.headers["content-type"] = "application/json";
    q.headers["idempotency-key"] = key;
    q.body = "{}";
    return q;
  }

  // The handler's change: one agency written (carrying the request's key).
  void Change(const std::string& agency_id) {
    store_->Write([&](storage::Repositories& r) {
      EXPECT_TRUE(r.Agencies().Insert({agency_id, "la1", agency_id, domain::AgencyKind::kSchool, "", "", ""}));
      return true;
    });
  }

  size_t Agencies() {
    return store_->ReadValue([](storage::Repositories& r) { return r.Agencies().ListByAuthority("la1").size(); });
  }

  app::MemoryRateLimiter limiter_{clock_};
  std::unique_ptr<app::AuthService> auth_;
  std::unique_ptr<app::IdempotencyService> keys_;
  std::unique_ptr<IdempotencyStep> step_;
  std::string cookie_;
  std::string csrf_;
};

TEST_F(IdempotencyStepTest, TheDatabaseFailingAfterTheChangeIsAnUnknownOutcomeAndTheRetryIsToldTheResponseWasLost) {
  const size_t before = Agencies();
  // As when the primary dies just after the change committed: reading for the answer fails.
  EXPECT_THROW(step_->Handle(Keyed("k1"),
                             [&]() -> Response {
                               Change("ag-new");
                               throw storage::StorageUnavailable("the connection to the database was lost");
                             }),
               storage::StorageOutcomeUnknown);
  EXPECT_EQ(Agencies(), before + 1);  // the change stands

  bool ran = false;
  const Response retry = step_->Handle(Keyed("k1"), [&] {
    ran = true;
    return Response{};
  });
  EXPECT_FALSE(ran) << "a retry must not make the change twice";
  EXPECT_EQ(retry.status, 409);
  EXPECT_EQ(nlohmann::json::parse(retry.body)["code"], "response_lost");
  EXPECT_EQ(Agencies(), before + 1);
}

TEST_F(IdempotencyStepTest, TheDatabaseFailingBeforeAnyChangeIsPlainlyUnavailableAndTheRetryRuns) {
  const size_t before = Agencies();
  try {
    step_->Handle(Keyed("k2"), []() -> Response { throw storage::StorageUnavailable("no database"); });
    ADD_FAILURE() << "the failure must reach the caller";
  } catch (const storage::StorageOutcomeUnknown&) {
    ADD_FAILURE() << "nothing was changed, so the outcome is known";
  } catch (const storage::StorageUnavailable&) {
  }
  EXPECT_EQ(Agencies(), before);

  Response made;
  made.status = 201;
  made.content_type = "application/json";
  made.body = R"({"id":"ag-k2"})";
  const Response retry = step_->Handle(Keyed("k2"), [&] {
    Change("ag-k2");
    return made;
  });
  EXPECT_EQ(retry.status, 201);
  EXPECT_EQ(Agencies(), before + 1);
}

}  // namespace
}  // namespace kith::http
