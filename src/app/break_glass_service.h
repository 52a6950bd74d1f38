// Break-glass (issue 14; docs/access.md, ADR 0012): in an emergency a practitioner or manager
// who is not on a child's team may read the whole account — a shielded child's address and
// carers included — for a limited time. They choose a reason category, explain it and
// re-enter their password or a second-factor code; access is granted at once (safeguarding
// cannot wait), stored, audited and alerted to the child's lead professional and the managers
// of the child's authority, one of whom reviews every use as justified or not and may end it
// early. It ends by itself at its time limit (the injected clock decides). While it lasts the
// ChildGate lets the holder read the account (domain::ChildAction::kViewAccount and
// kViewEarlyHelp), never change it; every read is audited with the reason "break-glass".
// Thread safety: safe from any thread.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/child_gate.h"
#include "app/context.h"
#include "app/principal.h"
#include "common/result.h"
#include "domain/break_glass.h"

namespace kith::app {

struct BreakGlassRequest {
  std::string reason_code;  // domain::BreakGlassReason as text
  std::string reason;
  std::optional<int64_t> duration_hours;  // default: Policy::break_glass's default duration
  // Re-authentication: the password, or a current second-factor code (one of them, every time).
  std::optional<std::string> password;
  std::optional<std::string> code;
};

// A break-glass with the names a reviewer needs.
struct BreakGlassView {
  domain::BreakGlass break_glass;
  std::string child_name;
  std::string user_name;
  std::string user_job_title;
  std::string user_agency;
  std::string reviewed_by_name;
  std::string ended_by_name;
  bool active = false;
  int reads = 0;  // audited reads of the child's account made under it (ForReview only)
};

class BreakGlassService {
 public:
  explicit BreakGlassService(Context& context) : ctx_(context) {}

  // Breaks the glass on `child_id` for the caller. Errors: kNotFound (no such child, or merged
  // away), kForbidden (not a practitioner or manager, already on the team), kUnauthenticated
  // (field "password": no or a wrong password or code), kInvalidInput (reason_code, reason,
  // duration_hours). Refusals are audited.
  Result<BreakGlassView> Break(const Principal& p, const std::string& child_id, const BreakGlassRequest& request);

  // The break-glass uses of the caller's authority to review: every one not yet reviewed and
  // every one in force or ended in the last 30 days, newest first (at most 200), each with the
  // number of reads made under it. Errors: kForbidden (only managers). Audited.
  Result<std::vector<BreakGlassView>> ForReview(const Principal& p);

  // Records a manager's review: `justified` or not (required on the first review), a note, and
  // ends it now if `end_now`. Errors: kNotFound (no such break-glass, or one of another
  // authority), kForbidden (not a manager; one's own), kInvalidInput (note, justified),
  // kConflict (already reviewed; ending one no longer in force).
  Result<BreakGlassView> Review(const Principal& p, const std::string& id, std::optional<bool> justified,
                                const std::string& note, bool end_now);

 private:
  // Checks the password or second-factor code of the request; on success returns the TOTP step
  // to record as used (0 for a password).
  Result<int64_t> Reauthenticate(const Principal& p, const BreakGlassRequest& request);

  Context& ctx_;
  ChildGate gate_{ctx_};
};

}  // namespace kith::app
