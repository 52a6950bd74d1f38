#include "app/auth_service.h"

#include "app/audit_verify.h"
#include "app/test_fixture.h"

namespace kith::app {
namespace {

using std::chrono::minutes;

class AuthServiceTest : public AppFixture {
 protected:
  void SetUp() override {
    AppFixture::SetUp();
    auth_ = std::make_unique<AuthService>(*ctx_);
  }
  // Enrols "sw" in TOTP and returns the secret; the enrolment code's time step is then past.
  std::string Enrol() {
    auto in = auth_->SignIn("sw", kPassword, "c");
    EXPECT_TRUE(in);
    auto enrol = auth_->BeginEnrolment(in->principal, std::nullopt);
    EXPECT_TRUE(enrol);
    auto p = *auth_->Authenticate(in->token, "c");
    EXPECT_TRUE(auth_->ConfirmEnrolment(p, Totp::Code(enrol->secret, clock_.Now())));
    clock_.Advance(std::chrono::seconds(30));
    return enrol->secret;
  }

  std::unique_ptr<AuthService> auth_;
};

TEST_F(AuthServiceTest, SignInOpensASessionThatAuthenticates) {
  auto in = auth_->SignIn("sw", kPassword, "10.0.0.1");
  ASSERT_TRUE(in) << in.error().message;
  EXPECT_EQ(in->token.size(), 64u);
  EXPECT_EQ(in->principal.state, SessionState::kComplete);
  auto p = auth_->Authenticate(in->token, "10.0.0.1");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->user.username, "sw");
  EXPECT_EQ(p->session.csrf_token, in->principal.session.csrf_token);
  auth_->SignOut(*p);
  EXPECT_EQ(auth_->Authenticate(in->token, "10.0.0.1").error().code, ErrorCode::kUnauthenticated);
}

// Sessions are served from memory after the first request; a change to the user, its
// authority's policy or the session itself must still count on the very next request.
TEST_F(AuthServiceTest, CachedSessionsFollowChangesToTheUserAndTheAuthority) {
  auto in = auth_->SignIn("sw", kPassword, "10.0.0.1");
  ASSERT_TRUE(in);
  ASSERT_TRUE(auth_->Authenticate(in->token, "10.0.0.1"));
  auto again = auth_->Authenticate(in->token, "10.0.0.2");  // cached, but with this request's client
  ASSERT_TRUE(again);
  EXPECT_EQ(again->client, "10.0.0.2");

  store_->Write([](storage::Repositories& r) {
    r.Authorities().Update({"la1", "E1", "Northbrook", true});  // second factor now required
    return true;
  });
  auto now_required = auth_->Authenticate(in->token, "c");
  ASSERT_TRUE(now_required);
  EXPECT_EQ(now_required->state, SessionState::kNeedsEnrolment);

  store_->Write([](storage::Repositories& r) {
    auto u = r.Users().Get("u-sw");
    u->active = false;
    return static_cast<bool>(r.Users().Update(*u));
  });
  EXPECT_EQ(auth_->Authenticate(in->token, "c").error().message,
            "This account is disabled. Contact your administrator.");
}

TEST_F(AuthServiceTest, WrongPasswordAndUnknownUserLookAlike) {
  auto wrong = auth_->SignIn("sw", "not the password at all", "10.0.0.1");
  auto unknown = auth_->SignIn("nobody", "not the password at all", "10.0.0.1");
  ASSERT_FALSE(wrong);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(wrong.error().code, ErrorCode::kUnauthenticated);
  EXPECT_EQ(wrong.error().message, unknown.error().message);
}

TEST_F(AuthServiceTest, AccountLocksAfterRepeatedFailuresAndUnlocksLater) {
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(auth_->SignIn("sw", "wrong password " + std::to_string(i), "10.0.0.1").error().code,
              ErrorCode::kUnauthenticated);
  }
  auto fifth = auth_->SignIn("sw", "wrong password 5", "10.0.0.2");
  ASSERT_FALSE(fifth);
  EXPECT_EQ(fifth.error().code, ErrorCode::kLocked);
  ASSERT_TRUE(fifth.error().retry_after);
  EXPECT_EQ(*fifth.error().retry_after, std::chrono::seconds(15 * 60));
  // Even the right password is refused while locked.
  EXPECT_EQ(auth_->SignIn("sw", kPassword, "10.0.0.3").error().code, ErrorCode::kLocked);
  clock_.Advance(minutes(16));
  EXPECT_TRUE(auth_->SignIn("sw", kPassword, "10.0.0.3"));
}

TEST_F(AuthServiceTest, ClientAddressIsRateLimited) {
  for (int i = 0; i < 20; ++i) (void)auth_->SignIn("nobody" + std::to_string(i), "whatever whatever", "10.9.9.9");
  auto limited = auth_->SignIn("sw", kPassword, "10.9.9.9");
  ASSERT_FALSE(limited);
  EXPECT_EQ(limited.error().code, ErrorCode::kRateLimited);
  EXPECT_TRUE(limited.error().retry_after);
  EXPECT_TRUE(auth_->SignIn("sw", kPassword, "10.1.1.1")) << "other addresses are unaffected";
  clock_.Advance(minutes(1) + std::chrono::seconds(1));
  EXPECT_TRUE(auth_->SignIn("sw", kPassword, "10.9.9.9"));
}

TEST_F(AuthServiceTest, SessionsExpireWhenIdleAndAfterTwelveHours) {
  auto in = auth_->SignIn("sw", kPassword, "c");
  ASSERT_TRUE(in);
  clock_.Advance(minutes(29));
  EXPECT_TRUE(auth_->Authenticate(in->token, "c"));
  clock_.Advance(minutes(31));
  EXPECT_EQ(auth_->Authenticate(in->token, "c").error().message, "Your session has expired. Sign in again.");

  auto busy = auth_->SignIn("sw", kPassword, "c");
  ASSERT_TRUE(busy);
  for (int i = 0; i < 12 * 3 - 1; ++i) {  // active every 20 minutes for 11h40m
    clock_.Advance(minutes(20));
    ASSERT_TRUE(auth_->Authenticate(busy->token, "c")) << i;
  }
  clock_.Advance(minutes(21));
  EXPECT_FALSE(auth_->Authenticate(busy->token, "c"));
}

TEST_F(AuthServiceTest, EnrolledUsersNeedACode) {
  auto in = auth_->SignIn("sw", kPassword, "c");
  ASSERT_TRUE(in);
  auto enrol = auth_->BeginEnrolment(in->principal, std::nullopt);
  ASSERT_TRUE(enrol);
  EXPECT_EQ(enrol->uri.rfind("otpauth://totp/Kith:sw?secret=", 0), 0u);
  auto p = *auth_->Authenticate(in->token, "c");
  EXPECT_EQ(auth_->ConfirmEnrolment(p, "000000").error().code, ErrorCode::kInvalidInput);
  ASSERT_TRUE(auth_->ConfirmEnrolment(p, Totp::Code(enrol->secret, clock_.Now())));
  clock_.Advance(std::chrono::seconds(30));  // the code used to enrol is spent

  auto again = auth_->SignIn("sw", kPassword, "c");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->principal.state, SessionState::kNeedsSecondFactor);
  EXPECT_EQ(auth_->VerifySecondFactor(again->principal, "123456").error().code, ErrorCode::kUnauthenticated);
  auto done = auth_->VerifySecondFactor(again->principal, Totp::Code(enrol->secret, clock_.Now()));
  ASSERT_TRUE(done);
  EXPECT_EQ(done->state, SessionState::kComplete);
  EXPECT_EQ(auth_->Authenticate(again->token, "c")->state, SessionState::kComplete);
}

TEST_F(AuthServiceTest, ACodeCompletesOnlyOneSignIn) {
  const std::string secret = Enrol();
  const std::string code = Totp::Code(secret, clock_.Now());
  auto first = auth_->SignIn("sw", kPassword, "c");
  ASSERT_TRUE(first);
  ASSERT_TRUE(auth_->VerifySecondFactor(first->principal, code));
  auto second = auth_->SignIn("sw", kPassword, "c");
  ASSERT_TRUE(second);
  EXPECT_EQ(auth_->VerifySecondFactor(second->principal, code).error().code, ErrorCode::kUnauthenticated);
}

TEST_F(AuthServiceTest, GuessingCodesAcrossSignInsLocksTheAccount) {
  const std::string secret = Enrol();
  auto in = auth_->SignIn("sw", kPassword, "c");
  ASSERT_TRUE(in);
  for (int i = 0; i < 4; ++i) EXPECT_FALSE(auth_->VerifySecondFactor(in->principal, "000000"));
  // Signing in again with the right password does not reset the count while a code is due.
  auto again = auth_->SignIn("sw", kPassword, "c");
  ASSERT_TRUE(again);
  EXPECT_EQ(auth_->VerifySecondFactor(again->principal, "000000").error().code, ErrorCode::kLocked);
  EXPECT_EQ(auth_->Authenticate(again->token, "c").error().code, ErrorCode::kUnauthenticated)
      << "locking ends the account's sessions";
}

TEST_F(AuthServiceTest, SignInAttemptsDoNotMakeAdministratorsEditsStale) {
  const auto before = store_->ReadValue([](storage::Repositories& r) { return r.Users().GetByUsername("sw"); });
  (void)auth_->SignIn("sw", "wrong password!!", "c");
  ASSERT_TRUE(auth_->SignIn("sw", kPassword, "c"));
  const auto after = store_->ReadValue([](storage::Repositories& r) { return r.Users().GetByUsername("sw"); });
  EXPECT_EQ(after->version, before->version);
  EXPECT_TRUE(after->last_login_at);
}

TEST_F(AuthServiceTest, AdministratorsMustEnrolAndReauthenticateLater) {
  auto in = auth_->SignIn("admin", kPassword, "c");
  ASSERT_TRUE(in);
  EXPECT_EQ(in->principal.state, SessionState::kNeedsEnrolment);
  clock_.Advance(minutes(10));
  auto p = *auth_->Authenticate(in->token, "c");
  EXPECT_EQ(auth_->BeginEnrolment(p, std::nullopt).error().code, ErrorCode::kUnauthenticated);
  EXPECT_EQ(auth_->BeginEnrolment(p, std::string("wrong password!!")).error().code, ErrorCode::kUnauthenticated);
  EXPECT_TRUE(auth_->BeginEnrolment(p, std::string(kPassword)));
}

TEST_F(AuthServiceTest, EveryDecisionIsAuditedAndTheChainVerifies) {
  (void)auth_->SignIn("sw", "wrong password!!", "c");
  auto in = auth_->SignIn("sw", kPassword, "c");
  ASSERT_TRUE(in);
  auth_->SignOut(in->principal);
  auto records = store_->ReadValue([](storage::Repositories& r) { return r.Audit().Range(0, 100); });
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0].action, "session.create");
  EXPECT_EQ(records[0].outcome, domain::AuditOutcome::kDenied);
  EXPECT_EQ(records[1].outcome, domain::AuditOutcome::kAllowed);
  EXPECT_EQ(records[2].action, "session.delete");
  for (const auto& r : records) EXPECT_EQ(r.detail.find(kPassword), std::string::npos);
  auto report = VerifyAuditChain(*store_, {});
  EXPECT_TRUE(report.ok);
  EXPECT_EQ(report.checked, 3);
  EXPECT_EQ(report.head_hash, records[2].hash);
}

}  // namespace
}  // namespace kith::app
