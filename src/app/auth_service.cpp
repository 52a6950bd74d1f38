#include "app/auth_service.h"

#include <cctype>

#include <nlohmann/json.hpp>

#include "common/encoding.h"
#include "common/net_address.h"
#include "common/log.h"

namespace kith::app {
namespace {

using domain::AuditOutcome;
using domain::User;
using storage::Repositories;
using storage::SessionRecord;

std::chrono::seconds Until(TimePoint from, TimePoint to) {
  return std::max(std::chrono::seconds(1), std::chrono::duration_cast<std::chrono::seconds>(to - from));
}

// The same answer whether the username exists or not.
Error Locked(std::chrono::seconds retry_after) {
  return {ErrorCode::kLocked,
          "Too many failed sign-in attempts for this username. Try again after the time given in Retry-After, "
          "or ask your administrator for help.",
          {},
          retry_after};
}

std::string LowerAscii(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

Error WrongCredentials() { return Error::Unauthenticated("The username or password is wrong."); }

}  // namespace

AuthService::AuthService(Context& context, RateLimiter& limiter) : ctx_(context), limiter_(limiter) {}

SessionState AuthService::StateOf(const User& user, const SessionRecord& session, Repositories& repos) const {
  if (session.second_factor_done) return SessionState::kComplete;
  if (user.totp_enrolled) return SessionState::kNeedsSecondFactor;
  bool required = domain::IsAdministrator(user.role);
  if (!required && !user.authority_id.empty()) {
    auto authority = repos.Authorities().Get(user.authority_id);
    required = authority && authority->require_second_factor;
  }
  return required ? SessionState::kNeedsEnrolment : SessionState::kComplete;
}

void AuthService::AuditDenied(const User* user, const std::string& action, const std::string& why,
                              const std::string& client, const std::string& detail) {
  domain::AuditRecord r;
  r.at = ctx_.clock.Now();
  if (user) {
    r.actor_id = user->id;
    r.actor_role = std::string(domain::ToString(user->role));
    r.authority_id = user->authority_id;
  }
  r.action = action;
  r.outcome = AuditOutcome::kDenied;
  r.why = why;
  r.detail = detail;
  r.client = client;
  ctx_.store.Write([&](Repositories& repos) {
    repos.Audit().Append(r);
    return true;
  });
  log::Warn("auth.denied", {{"action", action}, {"why", why}, {"user_id", user ? user->id : ""}, {"client", client}});
}

bool AuthService::RecordFailure(const User& user, const std::string& action, const std::string& why,
                                const std::string& client, const std::string& detail) {
  const TimePoint now = ctx_.clock.Now();
  bool locked_now = false;
  ctx_.store.Write([&](Repositories& r) {
    locked_now = false;
    auto fresh = r.Users().Get(user.id);
    if (!fresh) return false;
    if (++fresh->failed_logins >= ctx_.policy.lockout_threshold) {
      fresh->failed_logins = 0;
      fresh->locked_until = now + ctx_.policy.lockout_duration;
      locked_now = true;
      r.Sessions().DeleteForUser(fresh->id);
    }
    if (!r.Users().RecordSignIn(*fresh)) return false;
    auto a = AuditFor({*fresh, {}, SessionState::kComplete, client}, action, now);
    a.outcome = AuditOutcome::kDenied;
    a.why = locked_now ? why + "; account locked" : why;
    a.detail = detail;
    r.Audit().Append(a);
    return true;
  });
  log::Warn("auth.denied",
            {{"action", action}, {"why", why}, {"user_id", user.id}, {"client", client}, {"locked", locked_now}});
  return locked_now;
}

Result<SignInResult> AuthService::SignIn(const std::string& username, const std::string& password,
                                         const std::string& client) {
  const Policy& policy = ctx_.policy;
  const TimePoint now = ctx_.clock.Now();
  // Counted per username as typed, whether or not it exists, so that a locked account and an
  // unknown one cannot be told apart; and per address, so that a guesser locks out only their
  // own address (docs/adr/0018-sign-in-throttling.md).
  const std::string account = LowerAscii(username);
  const std::string pair = account + '\n' + AddressKey(client);
  const bool known_address = limiter_.Check(policy.known_address, pair).has_value();
  const RateLimit& budget = known_address ? policy.failures_per_username_from_known_addresses
                                          : policy.failures_per_username_from_new_addresses;
  auto user = ctx_.store.ReadValue([&](Repositories& r) { return r.Users().GetByUsername(username); });
  const std::string detail = nlohmann::json{{"username", username}}.dump();

  std::optional<std::chrono::seconds> blocked = limiter_.Check(policy.failures_per_username_and_address, pair);
  std::string why = "too many failures from this address";
  if (!blocked && (blocked = limiter_.Check(budget, account))) {
    why = known_address ? "too many failures from known addresses" : "too many failures from new addresses";
  }
  if (!blocked && user && user->locked_until && *user->locked_until > now) {
    blocked = Until(now, *user->locked_until);
    why = "account locked";
  }
  if (blocked) {
    // As long as a password check, so that the answer's timing tells nothing either.
    ctx_.hasher.VerifyDummy(password);
    AuditDenied(user ? &*user : nullptr, "session.create", why, client, detail);
    return Locked(*blocked);
  }
  bool right;
  if (user) {
    right = ctx_.hasher.Verify(user->password_hash, password);
  } else {
    ctx_.hasher.VerifyDummy(password);
    right = false;
  }
  if (!right) {
    limiter_.Add(policy.failures_per_username_and_address, pair);
    limiter_.Add(budget, account);
    auto locked = limiter_.Check(policy.failures_per_username_and_address, pair);
    if (!locked) locked = limiter_.Check(budget, account);
    const std::string failure = user ? "wrong password" : "unknown username";
    AuditDenied(user ? &*user : nullptr, "session.create", locked ? failure + "; now refused" : failure, client,
                detail);
    if (locked) return Locked(*locked);
    return WrongCredentials();
  }
  if (!user->active) {
    AuditDenied(&*user, "session.create", "account disabled", client, detail);
    return Error::Unauthenticated("This account is disabled. Contact your administrator.");
  }
  limiter_.Reset(policy.failures_per_username_and_address, pair);
  limiter_.Add(policy.known_address, pair);

  SignInResult result;
  result.token = ctx_.random.Hex(32);
  SessionRecord session{Sha256Hex(result.token), user->id, ctx_.random.Hex(32), now, now, false, client, ""};
  ctx_.store.Write([&](Repositories& r) {
    auto fresh = r.Users().Get(user->id);
    if (!fresh) return false;
    const SessionState state = StateOf(*fresh, session, r);
    // Wrong codes keep counting until a code is accepted, so that signing in again (with the
    // password) does not reset guessing of second-factor codes.
    if (state != SessionState::kNeedsSecondFactor) {
      fresh->failed_logins = 0;
      fresh->last_login_at = now;
      if (!r.Users().RecordSignIn(*fresh)) return false;
    }
    r.Sessions().Insert(session);
    result.principal = Principal{*fresh, session, state, client};
    auto a = AuditFor(result.principal, "session.create", now);
    a.why = std::string(ToString(result.principal.state));
    r.Audit().Append(a);
    return true;
  });
  if (result.principal.user.id.empty()) {
    return Error::Conflict("The account changed while signing in; try again.");
  }
  log::Info("auth.signed_in", {{"user_id", user->id}, {"client", client}, {"state", ToString(result.principal.state)}});
  return result;
}

Result<Principal> AuthService::VerifySecondFactor(const Principal& p, const std::string& code) {
  if (p.state != SessionState::kNeedsSecondFactor) {
    AuditDenied(&p.user, "session.second_factor", "no code is due", p.client, "");
    return Error::Conflict("No second-factor code is due.");
  }
  const TimePoint now = ctx_.clock.Now();
  if (p.user.locked_until && *p.user.locked_until > now) return Locked(Until(now, *p.user.locked_until));
  // A code is accepted once: its time step must be newer than the last one accepted.
  const auto step = Totp::Match(p.user.totp_secret, code, now);
  auto fresh = ctx_.store.ReadValue([&](Repositories& r) { return r.Users().Get(p.user.id); });
  if (!fresh) return Error::Unauthenticated("Sign in to continue.");
  if (!step || *step <= fresh->totp_last_step) {
    if (RecordFailure(*fresh, "session.second_factor", step ? "code already used" : "wrong code", p.client, "")) {
      return Locked(ctx_.policy.lockout_duration);
    }
    return Error::Unauthenticated("That code is not right. Check the time on your device and try the newest code.");
  }
  Principal done = p;
  done.session.second_factor_done = true;
  done.state = SessionState::kComplete;
  fresh->failed_logins = 0;
  fresh->last_login_at = now;
  fresh->totp_last_step = *step;
  ctx_.store.Write([&](Repositories& r) {
    if (!r.Users().RecordSignIn(*fresh)) return false;
    r.Sessions().Update(done.session);
    auto a = AuditFor(done, "session.second_factor", now);
    a.why = "code accepted";
    r.Audit().Append(a);
    return true;
  });
  return done;
}

std::optional<Principal> AuthService::Lookup(const std::string& hash, const std::string& client) {
  // Read before the store, so that an entry read across a change is never served (see SessionCache).
  const uint64_t version = ctx_.store.IdentityVersion();
  std::optional<Principal> found = sessions_.Find(hash, version);
  if (!found) {
    ctx_.store.Read([&](Repositories& r) {
      auto session = r.Sessions().Get(hash);
      if (!session) return;
      auto user = r.Users().Get(session->user_id);
      if (!user) return;
      found = Principal{*user, *session, StateOf(*user, *session, r), client};
    });
    if (!found) return std::nullopt;
    sessions_.Put(hash, version, *found);
  }
  found->client = client;
  return found;
}

bool AuthService::Expired(const SessionRecord& s, TimePoint now) const {
  return now - s.last_seen_at > ctx_.policy.session_idle || now - s.created_at > ctx_.policy.session_absolute;
}

Result<Principal> AuthService::Authenticate(const std::string& token, const std::string& client) {
  if (token.size() != 64) return Error::Unauthenticated("Sign in to continue.");
  const std::string hash = Sha256Hex(token);
  const TimePoint now = ctx_.clock.Now();
  auto found = Lookup(hash, client);
  if (!found) return Error::Unauthenticated("Sign in to continue.");
  if (!found->user.active) {
    ctx_.store.Write([&](Repositories& r) {
      r.Sessions().Delete(hash);
      return true;
    });
    return Error::Unauthenticated("This account is disabled. Contact your administrator.");
  }
  if (Expired(found->session, now)) {
    // This process's copy may be older than the store's (a touch does not move the identity
    // version: another node may have seen the session since), so the store decides, and only a
    // session expired there is ended.
    std::optional<SessionRecord> stored;
    ctx_.store.Write([&](Repositories& r) {
      stored = r.Sessions().Get(hash);
      if (!stored || !Expired(*stored, now)) return false;
      r.Sessions().Delete(hash);
      return true;
    });
    if (!stored) return Error::Unauthenticated("Sign in to continue.");
    if (Expired(*stored, now)) return Error::Unauthenticated("Your session has expired. Sign in again.");
    found->session.last_seen_at = stored->last_seen_at;
    sessions_.Seen(hash, stored->last_seen_at);
  }
  if (now - found->session.last_seen_at > ctx_.policy.session_touch_interval) Touch(hash, now, found->session);
  return std::move(*found);
}

void AuthService::Touch(const std::string& hash, TimePoint now, SessionRecord& session) {
  // One touch of a session at a time in this process: requests that arrive meanwhile go on
  // without (the session stood when they read it), rather than queue to write the same row.
  {
    std::lock_guard lock(touching_mutex_);
    if (!touching_.insert(hash).second) return;
  }
  struct Untouch {
    AuthService* self;
    const std::string& hash;
    ~Untouch() {
      std::lock_guard lock(self->touching_mutex_);
      self->touching_.erase(hash);
    }
  } untouch{this, hash};
  try {
    // A write of its own, apart from whatever the request goes on to write, so that the
    // request's own transaction never touches the session's row.
    ctx_.store.Write([&](Repositories& r) {
      r.Sessions().Touch(hash, now);
      return true;
    });
  } catch (const storage::StorageError& e) {
    // The request is served all the same: its session stood when it was read, and the next
    // request touches it again. At worst the session ends as idle up to a touch interval early.
    touch_failures_.fetch_add(1, std::memory_order_relaxed);
    log::Warn("session.touch_failed", {{"error", e.what()}});
    return;
  }
  session.last_seen_at = now;
  sessions_.Seen(hash, now);
}

void AuthService::ClearFailures(const std::string& username) {
  const std::string account = LowerAscii(username);
  limiter_.ResetPrefix(ctx_.policy.failures_per_username_and_address, account + '\n');
  limiter_.Reset(ctx_.policy.failures_per_username_from_new_addresses, account);
  limiter_.Reset(ctx_.policy.failures_per_username_from_known_addresses, account);
}

bool AuthService::SessionStands(const std::string& token) {
  if (token.size() != 64) return false;
  const std::string hash = Sha256Hex(token);
  const auto found = Lookup(hash, "");
  if (!found || !found->user.active || found->state != SessionState::kComplete) return false;
  const TimePoint now = ctx_.clock.Now();
  if (!Expired(found->session, now)) return true;
  // As in Authenticate: another node may have seen the session since this process read it.
  const auto stored = ctx_.store.ReadValue([&](Repositories& r) { return r.Sessions().Get(hash); });
  return stored && !Expired(*stored, now);
}

void AuthService::SignOut(const Principal& p) {
  const TimePoint now = ctx_.clock.Now();
  ctx_.store.Write([&](Repositories& r) {
    r.Sessions().Delete(p.session.token_hash);
    r.Audit().Append(AuditFor(p, "session.delete", now));
    return true;
  });
}

Result<Enrolment> AuthService::BeginEnrolment(const Principal& p, const std::optional<std::string>& password) {
  if (p.state == SessionState::kNeedsSecondFactor) {
    return Error::Conflict("Enter a code from your current authenticator first.");
  }
  const TimePoint now = ctx_.clock.Now();
  if (now - p.session.created_at > ctx_.policy.reauth_window &&
      (!password || !ctx_.hasher.Verify(p.user.password_hash, *password))) {
    AuditDenied(&p.user, "totp.enrol", "re-authentication failed", p.client, "");
    return Error{ErrorCode::kUnauthenticated, "Enter your current password to change your second factor.", "password",
                 std::nullopt};
  }
  uint8_t secret_bytes[20];
  ctx_.random.Fill(secret_bytes);
  Enrolment e;
  e.secret = Base32Encode(secret_bytes, kRfc4648Alphabet);
  e.uri = Totp::Uri("Kith", p.user.username, e.secret);
  SessionRecord session = p.session;
  session.pending_totp_secret = e.secret;
  ctx_.store.Write([&](Repositories& r) {
    r.Sessions().Update(session);
    auto a = AuditFor(p, "totp.enrol.start", now);
    a.why = "new secret issued; not in use until confirmed";
    r.Audit().Append(a);
    return true;
  });
  return e;
}

Result<Principal> AuthService::ConfirmEnrolment(const Principal& p, const std::string& code) {
  if (p.session.pending_totp_secret.empty()) {
    AuditDenied(&p.user, "totp.enrol", "no enrolment started", p.client, "");
    return Error::Conflict("Start the enrolment first.");
  }
  const TimePoint now = ctx_.clock.Now();
  const auto step = Totp::Match(p.session.pending_totp_secret, code, now);
  if (!step) {
    AuditDenied(&p.user, "totp.enrol", "wrong confirmation code", p.client, "");
    return Error::Invalid("code", "That code does not match. Check that you scanned the newest QR code.");
  }
  Principal done = p;
  Status result = Ok{};
  ctx_.store.Write([&](Repositories& r) {
    auto fresh = r.Users().Get(p.user.id);
    if (!fresh) return false;
    fresh->totp_secret = p.session.pending_totp_secret;
    fresh->totp_enrolled = true;
    fresh->totp_last_step = *step;
    result = r.Users().Update(*fresh);
    if (!result) return false;
    // A new second factor ends every other session of this user.
    r.Sessions().DeleteForUser(fresh->id);
    done.user = *fresh;
    done.user.version += 1;
    done.session.pending_totp_secret.clear();
    done.session.second_factor_done = true;
    r.Sessions().Insert(done.session);
    done.state = SessionState::kComplete;
    auto a = AuditFor(done, "totp.enrol", now);
    a.why = "second factor enrolled";
    r.Audit().Append(a);
    return true;
  });
  if (!result) return result.error();
  return done;
}

}  // namespace kith::app
