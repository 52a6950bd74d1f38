// Shield overrides (issue 6, docs/shielding.md): a practitioner who has found a shielded child
// may see its address and carers' contacts for a limited time, with a stated reason. It is
// granted at once — safeguarding cannot wait — but stored, audited and alerted to the managers of
// the child's authority and the child's lead professional, who review every override and may
// end it early. It ends by itself at its time limit (the injected clock decides).
// Joining a shielded child's team alerts the same people (AlertShieldWatchers, used by
// ChildService::Join).
// Thread safety: safe from any thread.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/context.h"
#include "app/principal.h"
#include "common/result.h"
#include "domain/shield.h"

namespace kith::app {

struct OverrideRequest {
  std::string reason_code;  // domain::OverrideReason as text
  std::string reason;
  std::optional<int64_t> duration_hours;  // default: the limits' default duration
  std::optional<std::string> password;    // needed when the session is older than the re-auth window
};

// An override with the names a reviewer needs.
struct OverrideView {
  domain::ShieldOverride shield_override;
  std::string child_name;
  std::string user_name;
  std::string user_job_title;
  std::string user_agency;
  std::string reviewed_by_name;
  std::string ended_by_name;
  bool active = false;
};

class ShieldService {
 public:
  ShieldService(Context& context, domain::OverrideLimits limits) : ctx_(context), limits_(limits) {}

  // Overrides the shield of `child_id` for the caller. Errors: kNotFound (no such child, or merged
  // away), kForbidden (policy: not a practitioner, child not shielded, already on the team),
  // kUnauthenticated (field "password": re-authentication needed or wrong password),
  // kInvalidInput (reason_code, reason, duration_hours). Refusals are audited.
  Result<OverrideView> Override(const Principal& p, const std::string& child_id, const OverrideRequest& request);

  // The overrides of the caller's authority to review: every one not yet reviewed and every one
  // in force or ended in the last 30 days, newest first (at most 200). Errors: kForbidden (only
  // managers). Audited.
  Result<std::vector<OverrideView>> ForReview(const Principal& p);

  // Marks an override reviewed with a note, ending it now if `end_now`. Errors: kNotFound (no
  // such override, or one of another authority), kForbidden, kInvalidInput (note), kConflict
  // (already reviewed; ending one no longer in force).
  Result<OverrideView> Review(const Principal& p, const std::string& override_id, const std::string& note,
                              bool end_now);

 private:
  Context& ctx_;
  domain::OverrideLimits limits_;
};

// Alerts the active managers of `child`'s authority and its lead professional (everyone but
// `actor_id`) with an alert of `kind` about `subject_id`. Call inside the write that made the
// change.
void AlertShieldWatchers(storage::Repositories& r, Random& random, const domain::Child& child,
                         const std::string& actor_id, const std::string& kind, const std::string& summary,
                         const std::string& subject_id, TimePoint now);

}  // namespace kith::app
