// Sign-in, the second factor, sessions and sign-out. Every decision is audited.
//
// Session tokens are 256 random bits; only their SHA-256 is stored, so a copy of the database
// does not yield usable sessions. Sessions expire after Policy::session_idle without use and
// Policy::session_absolute after sign-in, whichever comes first.
// Thread safety: safe from any thread.
#pragma once

#include <atomic>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_set>

#include "app/context.h"
#include "app/principal.h"
#include "app/session_cache.h"
#include "app/rate_limiter.h"
#include "common/result.h"

namespace kith::app {

struct SignInResult {
  std::string token;  // for the session cookie; never stored or logged
  Principal principal;
};

struct Enrolment {
  std::string secret;  // base-32, for manual entry
  std::string uri;     // otpauth:// URI for a QR code
};

class AuthService {
 public:
  // `limiter` counts failed sign-ins (Policy says how many are allowed) and must outlive this.
  AuthService(Context& context, RateLimiter& limiter);

  // Checks the password and opens a session. Errors: kLocked with retry_after (too many
  // failures for this username from this address, or from all addresses within the hour —
  // Policy; or the account is locked after wrong second-factor codes), kUnauthenticated (wrong
  // username or password — the message never says which — or a disabled account). An unknown
  // username is counted and refused exactly as a known one, in about the same time (a password
  // check is spent on every attempt), so neither the status nor the timing tells whether a
  // username exists. How many attempts one address may make at all is the HTTP layer's limit
  // (http/pipeline.h), applied before this is called.
  Result<SignInResult> SignIn(const std::string& username, const std::string& password, const std::string& client);

  // Completes sign-in with a TOTP code. Errors: kConflict (no code is due), kUnauthenticated
  // (wrong code; counts towards the account lockout), kLocked.
  Result<Principal> VerifySecondFactor(const Principal& principal, const std::string& code);

  // The principal for a session token. Errors: kUnauthenticated (unknown, expired, or the
  // user was disabled).
  Result<Principal> Authenticate(const std::string& token, const std::string& client);

  void SignOut(const Principal& principal);

  // Forgets the failed sign-ins counted for `username` (from every address): an administrator
  // unlocking the account (AdminService). The account's own lock is the caller's to clear.
  void ClearFailures(const std::string& username);

  // Whether the session of this cookie token still stands — it exists, has not expired, its
  // user is active and its sign-in is complete — without counting as activity (the idle expiry
  // is not pushed back): for connections that outlive requests, such as the live-updates
  // WebSocket, which is closed once its session falls.
  bool SessionStands(const std::string& token);
  // Touches of last_seen_at that failed (the requests were served all the same).
  uint64_t TouchFailures() const { return touch_failures_.load(std::memory_order_relaxed); }

  // Starts enrolling a TOTP second factor. More than Policy::reauth_window after sign-in the
  // current password is required again. Errors: kUnauthenticated (password wrong or missing),
  // kConflict (a code is due first).
  Result<Enrolment> BeginEnrolment(const Principal& principal, const std::optional<std::string>& password);
  // Confirms enrolment with a code from the new secret. Errors: kConflict (no enrolment
  // started), kInvalidInput (wrong code).
  Result<Principal> ConfirmEnrolment(const Principal& principal, const std::string& code);

 private:
  // The principal of the session with this token hash (cached; see SessionCache), if any.
  std::optional<Principal> Lookup(const std::string& hash, const std::string& client);
  bool Expired(const storage::SessionRecord& session, TimePoint now) const;
  // Moves the session's last_seen_at to `now` in a write of its own (at most one at a time per
  // session in this process) and into `session` and the cache; a failure is logged and counted,
  // never the request's.
  void Touch(const std::string& hash, TimePoint now, storage::SessionRecord& session);
  SessionState StateOf(const domain::User& user, const storage::SessionRecord& session,
                       storage::Repositories& repos) const;
  // Counts a wrong second-factor code towards the account's lockout (users.failed_logins), audits
  // it, and returns true if the account is now locked (its sessions are then ended).
  bool RecordFailure(const domain::User& user, const std::string& action, const std::string& why,
                     const std::string& client, const std::string& detail);
  void AuditDenied(const domain::User* user, const std::string& action, const std::string& why,
                   const std::string& client, const std::string& detail);

  Context& ctx_;
  RateLimiter& limiter_;
  SessionCache sessions_;  // so that most requests authenticate without reading the store
  std::mutex touching_mutex_;
  std::unordered_set<std::string> touching_;  // the sessions being touched now
  std::atomic<uint64_t> touch_failures_{0};
};

}  // namespace kith::app
