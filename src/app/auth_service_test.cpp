#include "app/auth_service.h"

#include <vector>

#include "app/admin_service.h"
#include "app/audit_verify.h"
#include "app/store_rate_limiter.h"
#include "app/test_fixture.h"

namespace kith::app {
namespace {

using std::chrono::minutes;

class AuthServiceTest : public AppFixture {
 protected:
  void SetUp() override {
    AppFixture::SetUp();
    auth_ = std::make_unique<AuthService>(*ctx_, limiter_);
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

  ErrorCode Fails(const std::string& username, const std::string& client) {
    auto r = auth_->SignIn(username, "wrong password " + std::to_string(++guesses_), client);
    EXPECT_FALSE(r);
    return r ? ErrorCode::kConflict : r.error().code;
  }

  MemoryRateLimiter limiter_{clock_};
  std::unique_ptr<AuthService> auth_;
  int guesses_ = 0;
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

// Issue 14: five requests locked anyone out for 15 minutes. Now the fifth failure from one
// address locks that address out of that username, and nobody else.
TEST_F(AuthServiceTest, AGuesserLocksOutOnlyTheirOwnAddress) {
  for (int i = 0; i < 4; ++i) EXPECT_EQ(Fails("sw", "203.0.113.9"), ErrorCode::kUnauthenticated) << i;
  auto fifth = auth_->SignIn("sw", "wrong password 5", "203.0.113.9");
  ASSERT_FALSE(fifth);
  EXPECT_EQ(fifth.error().code, ErrorCode::kLocked);
  EXPECT_EQ(fifth.error().retry_after, std::chrono::seconds(15 * 60));
  EXPECT_EQ(auth_->SignIn("sw", kPassword, "203.0.113.9").error().code, ErrorCode::kLocked)
      << "even the right password, from the guesser's address";
  EXPECT_TRUE(auth_->SignIn("sw", kPassword, "198.51.100.4")) << "the holder, elsewhere, signs in";
  clock_.Advance(minutes(15));
  EXPECT_TRUE(auth_->SignIn("sw", kPassword, "203.0.113.9")) << "and the guesser's address after 15 minutes";
}

TEST_F(AuthServiceTest, AnIpv6GuesserCannotTakeAFreshAddressForEachAttempt) {
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(Fails("sw", "2001:db8:1:2::" + std::to_string(i + 1)), ErrorCode::kUnauthenticated);
  }
  EXPECT_EQ(Fails("sw", "2001:db8:1:2:ffff::9"), ErrorCode::kLocked) << "one /64 counts as one address";
}

// Issue 14: a locked account answered 423 at once while an unknown username took a password
// check, so lockout told which usernames exist. Unknown usernames are now counted and refused
// alike (and every refusal spends a password check: see the functional test of the timing).
TEST_F(AuthServiceTest, ALockedAccountAnswersLikeAnUnknownOne) {
  std::vector<Error> known, unknown;
  for (int i = 0; i < 6; ++i) {
    known.push_back(auth_->SignIn("sw", "wrong password " + std::to_string(i), "203.0.113.9").error());
    unknown.push_back(auth_->SignIn("nobody.here", "wrong password " + std::to_string(i), "203.0.113.9").error());
  }
  for (int i = 0; i < 6; ++i) {
    EXPECT_EQ(known[i].code, i < 4 ? ErrorCode::kUnauthenticated : ErrorCode::kLocked) << i;
    EXPECT_EQ(known[i].code, unknown[i].code) << i;
    EXPECT_EQ(known[i].message, unknown[i].message) << i;
    EXPECT_EQ(known[i].retry_after, unknown[i].retry_after) << i;
  }
}

// SECURITY.md: never more than 100 failed attempts per account per hour — without letting
// guessers elsewhere lock the holder out of the addresses they use.
TEST_F(AuthServiceTest, AtMostAHundredFailuresAnHourAndTheHolderStillSignsInFromHome) {
  ASSERT_TRUE(auth_->SignIn("sw", kPassword, "198.51.100.1"));  // home and office: known addresses
  ASSERT_TRUE(auth_->SignIn("sw", kPassword, "198.51.100.2"));
  ASSERT_TRUE(auth_->SignIn("sw", kPassword, "198.51.100.3"));
  ASSERT_TRUE(auth_->SignIn("sw", kPassword, "198.51.100.4"));
  ASSERT_TRUE(auth_->SignIn("sw", kPassword, "198.51.100.5"));
  int failures = 0;
  // Guessers on 16 new addresses spend the 80 failures new addresses get.
  for (int a = 0; a < 16; ++a) {
    for (int i = 0; i < 5; ++i, ++failures) Fails("sw", "203.0.113." + std::to_string(a + 1));
  }
  EXPECT_EQ(auth_->SignIn("sw", kPassword, "203.0.113.200").error().code, ErrorCode::kLocked)
      << "a further new address is refused";
  EXPECT_EQ(auth_->SignIn("nobody", kPassword, "203.0.113.200").error().code, ErrorCode::kUnauthenticated)
      << "other usernames are not";
  auto home = auth_->SignIn("sw", kPassword, "198.51.100.1");
  ASSERT_TRUE(home) << "the holder signs in from home";
  // Failures from known addresses have 20 of their own.
  for (int a = 1; a <= 4; ++a) {
    for (int i = 0; i < 5; ++i, ++failures) Fails("sw", "198.51.100." + std::to_string(a));
  }
  EXPECT_EQ(failures, 100);
  for (const char* where : {"198.51.100.5", "203.0.113.77"}) {
    EXPECT_EQ(auth_->SignIn("sw", kPassword, where).error().code, ErrorCode::kLocked) << where;
  }
  clock_.Advance(minutes(60));
  EXPECT_TRUE(auth_->SignIn("sw", kPassword, "198.51.100.5")) << "an hour later";
}

TEST_F(AuthServiceTest, AnAdministratorsUnlockForgetsFailuresFromEveryAddress) {
  for (int i = 0; i < 5; ++i) Fails("SW", "203.0.113.9");  // usernames are counted without regard to case
  for (int i = 0; i < 5; ++i) Fails("sw", "203.0.113.10");
  EXPECT_EQ(auth_->SignIn("sw", kPassword, "203.0.113.9").error().code, ErrorCode::kLocked);
  AdminService admin(*ctx_, auth_.get());
  const auto user = store_->ReadValue([](storage::Repositories& r) { return r.Users().GetByUsername("sw"); });
  UserChanges unlock;
  unlock.version = user->version;
  unlock.unlock = true;
  ASSERT_TRUE(admin.UpdateUser(As("admin"), user->id, unlock));
  EXPECT_TRUE(auth_->SignIn("sw", kPassword, "203.0.113.9"));
  EXPECT_TRUE(auth_->SignIn("sw", kPassword, "203.0.113.10"));
}

// Two nodes over one database (two AuthServices, each with its own StoreRateLimiter, over one
// store) count the same failures: a guesser alternating between them is locked out after five in
// all, on both, and an administrator's unlock on one node counts on the other.
TEST_F(AuthServiceTest, LockoutHoldsAcrossNodes) {
  StoreRateLimiter limiter_one(*store_, clock_), limiter_two(*store_, clock_);
  AuthService one(*ctx_, limiter_one), two(*ctx_, limiter_two);
  for (int i = 0; i < 4; ++i) {
    AuthService& node = i % 2 == 0 ? one : two;
    EXPECT_EQ(node.SignIn("sw", "wrong password " + std::to_string(i), "203.0.113.9").error().code,
              ErrorCode::kUnauthenticated)
        << i;
  }
  EXPECT_EQ(one.SignIn("sw", "wrong password 4", "203.0.113.9").error().code, ErrorCode::kLocked);
  EXPECT_EQ(two.SignIn("sw", kPassword, "203.0.113.9").error().code, ErrorCode::kLocked)
      << "the other node refuses the guesser's address too";
  AdminService admin(*ctx_, &one);
  const auto user = store_->ReadValue([](storage::Repositories& r) { return r.Users().GetByUsername("sw"); });
  UserChanges unlock;
  unlock.version = user->version;
  unlock.unlock = true;
  ASSERT_TRUE(admin.UpdateUser(As("admin"), user->id, unlock));
  EXPECT_TRUE(two.SignIn("sw", kPassword, "203.0.113.9")) << "unlocked on one node, unlocked on both";
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

// last_seen_at is written at most once a touch interval, in a write of its own, and the touch
// leaves the cached sessions in place (it does not move the identity version).
TEST_F(AuthServiceTest, ABusySessionIsTouchedOnceATouchIntervalWithoutDroppingTheCache) {
  auto in = auth_->SignIn("sw", kPassword, "c");
  ASSERT_TRUE(in);
  ASSERT_TRUE(auth_->Authenticate(in->token, "c"));
  clock_.Advance(ctx_->policy.session_touch_interval + std::chrono::seconds(1));
  const TimePoint touched = clock_.Now();
  const auto writes = store_->Stats().write_jobs;
  const auto identity = store_->IdentityVersion();
  for (int i = 0; i < 50; ++i) {
    ASSERT_TRUE(auth_->Authenticate(in->token, "c"));
    clock_.Advance(std::chrono::seconds(1));  // 50 s: within one touch interval
  }
  EXPECT_EQ(store_->Stats().write_jobs - writes, 1) << "one touch for fifty requests";
  EXPECT_EQ(store_->IdentityVersion(), identity) << "a touch only lengthens a session";
  const auto stored = store_->ReadValue(
      [&](storage::Repositories& r) { return r.Sessions().Get(in->principal.session.token_hash); });
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->last_seen_at, touched);
  EXPECT_EQ(auth_->Authenticate(in->token, "c")->session.last_seen_at, touched)
      << "the cache holds the touched time, so the next interval's request touches again";
}

// A node whose cached copy of a session is older than the store's (the session was used on
// another node meanwhile) asks the store before it ends the session as idle; a session idle on
// every node still ends on time.
TEST_F(AuthServiceTest, ASessionUsedOnAnotherNodeIsNotEndedAsIdle) {
  AuthService two(*ctx_, limiter_);
  auto in = auth_->SignIn("sw", kPassword, "c");
  ASSERT_TRUE(in);
  ASSERT_TRUE(two.Authenticate(in->token, "c"));  // node two holds it, last seen at sign-in
  for (int i = 0; i < 3; ++i) {                   // used on node one every 20 minutes
    clock_.Advance(minutes(20));
    ASSERT_TRUE(auth_->Authenticate(in->token, "c")) << i;
  }
  EXPECT_TRUE(two.Authenticate(in->token, "c")) << "seen on node one 0 minutes ago, not 60";
  EXPECT_TRUE(two.SessionStands(in->token));
  clock_.Advance(minutes(29));
  EXPECT_TRUE(two.SessionStands(in->token));
  EXPECT_TRUE(auth_->Authenticate(in->token, "c")) << "node one's copy is older than node two's touch";
  clock_.Advance(minutes(31));
  EXPECT_FALSE(two.SessionStands(in->token));
  EXPECT_EQ(two.Authenticate(in->token, "c").error().message, "Your session has expired. Sign in again.");
  EXPECT_EQ(auth_->Authenticate(in->token, "c").error().code, ErrorCode::kUnauthenticated);
}

// A store whose writes can be made to fail, as a write that kept conflicting does.
class FailingWrites final : public storage::Store {
 public:
  explicit FailingWrites(storage::Store& inner) : inner_(inner) {}
  void Read(const std::function<void(storage::Repositories&)>& fn) override { inner_.Read(fn); }
  void Write(const std::function<bool(storage::Repositories&)>& fn) override {
    if (failing) throw storage::StorageConflict("the change kept conflicting with others' (test)");
    inner_.Write(fn);
  }
  storage::StoreStats Stats() const override { return inner_.Stats(); }
  uint64_t IdentityVersion() const override { return inner_.IdentityVersion(); }
  uint64_t RecordsVersion() const override { return inner_.RecordsVersion(); }
  bool failing = false;

 private:
  storage::Store& inner_;
};

TEST_F(AuthServiceTest, ATouchThatFailsDoesNotFailTheRequest) {
  FailingWrites store(*store_);
  Context ctx{store, clock_, random_, hasher_, Policy{}};
  AuthService auth(ctx, limiter_);
  auto in = auth.SignIn("sw", kPassword, "c");
  ASSERT_TRUE(in);
  clock_.Advance(minutes(10));
  store.failing = true;
  auto p = auth.Authenticate(in->token, "c");
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_EQ(auth.TouchFailures(), 1u);
  store.failing = false;
  clock_.Advance(std::chrono::seconds(1));
  ASSERT_TRUE(auth.Authenticate(in->token, "c"));
  const auto stored = store_->ReadValue(
      [&](storage::Repositories& r) { return r.Sessions().Get(in->principal.session.token_hash); });
  EXPECT_EQ(stored->last_seen_at, clock_.Now()) << "the next request touched it";
  EXPECT_EQ(auth.TouchFailures(), 1u);
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
  auto records = store_->ReadValue([](storage::Repositories& r) { return r.Audit().Range(0, 0, 100); });
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0].action, "session.create");
  EXPECT_EQ(records[0].outcome, domain::AuditOutcome::kDenied);
  EXPECT_EQ(records[1].outcome, domain::AuditOutcome::kAllowed);
  EXPECT_EQ(records[2].action, "session.delete");
  for (const auto& r : records) EXPECT_EQ(r.detail.find(kPassword), std::string::npos);
  auto report = VerifyAuditChain(*store_, {});
  EXPECT_TRUE(report.ok);
  EXPECT_EQ(report.checked, 3);
  ASSERT_EQ(report.heads.size(), 1u);
  EXPECT_EQ(report.heads[0].seq, 3);
  EXPECT_EQ(report.heads[0].hash, records[2].hash);
}

}  // namespace
}  // namespace kith::app
