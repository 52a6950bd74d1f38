// The team around the child (issue 14; docs/access.md): joining is a request, not a right.
//
// A practitioner asks to join with their role on the team and a reason, and sees signposting
// meanwhile. The request is approved at once only when their agency is recorded as involved
// with the child (its school, GP practice or a current service) and the child is not shielded;
// otherwise the lead professional decides it with a reason — without a lead, the children's
// social care duty team of the child's authority; the authority's managers may always decide.
// A request not decided within the authority's time (Policy::join_escalation) is escalated:
// the managers are alerted, once. Every request, decision, withdrawal and escalation is audited
// and visible to the team; emergencies use break-glass (BreakGlassService).
// Members leave with a reason, and the lead professional hands the role over explicitly.
//
// Every act goes through the ChildGate (child_gate.h). Thread safety: safe from any thread.
#pragma once

#include <string>
#include <vector>

#include "app/child_gate.h"
#include "app/context.h"
#include "app/principal.h"
#include "common/result.h"
#include "domain/team.h"

namespace kith::app {

// A request to join with the names a reader needs.
struct JoinRequestView {
  domain::JoinRequest request;
  std::string child_name;
  std::string user_name;
  std::string user_job_title;
  std::string user_agency;
  std::string decided_by_name;
};

// What a practitioner has to act on or is waiting for.
struct JoinRequestInbox {
  std::vector<JoinRequestView> to_decide;  // pending requests the caller may decide, oldest first
  std::vector<JoinRequestView> mine;       // the caller's own requests, newest first
};

class TeamService {
 public:
  explicit TeamService(Context& context) : ctx_(context) {}

  // Asks to join the team of `child_id` as `role`. Approved at once (the caller is then a
  // member) when their agency is involved with an unshielded child; pending otherwise, and the
  // people who may decide it are alerted. Errors: kNotFound, kForbidden (not a practitioner,
  // already a member), kInvalidInput (role, reason), kConflict (a request of theirs is pending).
  Result<JoinRequestView> RequestJoin(const Principal& p, const std::string& child_id, const std::string& role,
                                      const std::string& reason);
  // The requests to join the child's team, newest first: for whoever may see the account.
  Result<std::vector<JoinRequestView>> JoinRequests(const Principal& p, const std::string& child_id);
  // The caller's requests and those they may decide. Errors: kForbidden (not a practitioner or
  // manager).
  Result<JoinRequestInbox> Inbox(const Principal& p);
  // Approves (the requester joins with the role asked for) or declines a pending request, with a
  // reason; the requester is alerted. Errors: kNotFound (no such request on this child),
  // kForbidden, kInvalidInput (reason), kConflict (no longer pending; the requester meanwhile
  // joined or left Kith).
  Result<JoinRequestView> DecideJoin(const Principal& p, const std::string& child_id, const std::string& request_id,
                                     bool approve, const std::string& reason);
  // The requester withdraws their pending request. Errors: kNotFound, kForbidden, kConflict.
  Result<JoinRequestView> WithdrawJoin(const Principal& p, const std::string& child_id, const std::string& request_id);

  // Leaves the team with a reason. Errors: kNotFound (no such child, or not a member),
  // kInvalidInput, kConflict (the lead must hand over first).
  Status Leave(const Principal& p, const std::string& child_id, const std::string& reason);
  // Hands the lead professional role to `to_user_id`. Errors: kNotFound, kForbidden,
  // kInvalidInput, kConflict.
  Status ChangeLead(const Principal& p, const std::string& child_id, const std::string& to_user_id,
                    const std::string& reason);

  // Escalates every pending request older than Policy::join_escalation: alerts the managers of
  // the child's authority and marks it escalated, once (a request decided meanwhile is left),
  // with an audit record. Run on a timer by the server. Returns the number escalated.
  int SweepEscalations();

 private:
  Context& ctx_;
  ChildGate gate_{ctx_};
};

}  // namespace kith::app
