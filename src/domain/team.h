// The team around the child: practitioners ask to join a child's account stating their role and
// a reason (a request the lead professional decides, access_policy.h), leave it, and hand the
// lead-professional role over explicitly. These functions check the rules and describe the
// change; storing it is the caller's job.
// Pure functions; safe from any thread.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/result.h"
#include "domain/user.h"

namespace kith::domain {

struct TeamMember {
  std::string child_id;
  std::string user_id;
  std::string role;    // the member's role for this child: "Class teacher", "Social worker"
  std::string reason;  // why they joined
  TimePoint joined_at;
  bool lead = false;
};

// The active members of one child's team.
using Team = std::vector<TeamMember>;

// Both return a pointer into `team` (nullptr when not found), so `team` must outlive it: a
// temporary team is refused at compile time (a lead read from a team destroyed before it was
// used was a use after free, found by fuzzing).
const TeamMember* FindMember(const Team& team, const std::string& user_id);
const TeamMember* FindLead(const Team& team);
const TeamMember* FindMember(const Team&& team, const std::string& user_id) = delete;
const TeamMember* FindLead(const Team&& team) = delete;

// A stated reason for an access or a change: 10..500 characters once trimmed.
Result<std::string> ValidateReason(std::string_view reason);

// Checks that `user` may join `team` with the given role and reason and returns the new
// member. Errors: kForbidden for users who do not work with children or are inactive,
// kConflict when already a member, kInvalidInput for a missing role or reason.
Result<TeamMember> Join(const Team& team, const User& user, const std::string& child_id, std::string_view role,
                        std::string_view reason, TimePoint now);

enum class JoinRequestStatus { kPending, kApproved, kDeclined, kWithdrawn };
std::string_view ToString(JoinRequestStatus status);
std::optional<JoinRequestStatus> ParseJoinRequestStatus(std::string_view text);

// A practitioner's request to join a child's team. Kept for ever with its decision.
struct JoinRequest {
  std::string id;  // "J" + 16 base-32 characters
  std::string child_id;
  std::string authority_id;  // the child's authority
  std::string user_id;       // who asks
  std::string role;          // the role they would have on the team
  std::string reason;
  TimePoint created_at;
  JoinRequestStatus status = JoinRequestStatus::kPending;
  // Approved at once because the requester's agency is involved with the child.
  bool automatic = false;
  std::string decided_by;  // empty for automatic approvals and withdrawals
  std::optional<TimePoint> decided_at;
  std::string decision_reason;
  // When the authority's managers were alerted that it waited too long.
  std::optional<TimePoint> escalated_at;
};

// A new pending request by `user` to join `team`, checked as Join checks a member (the same
// errors). The id is left empty.
Result<JoinRequest> NewJoinRequest(const Team& team, const User& user, const std::string& child_id,
                                   const std::string& authority_id, std::string_view role, std::string_view reason,
                                   TimePoint now);

// Approves or declines a pending request, with a reason (10..500 characters). Errors:
// kInvalidInput ("reason"), kForbidden (deciding one's own request), kConflict (no longer
// pending). Nothing is changed on error.
Status DecideJoinRequest(JoinRequest& request, const std::string& decider_id, bool approve, std::string_view reason,
                         TimePoint now);

// The requester withdraws a pending request. Errors: kForbidden (someone else's), kConflict (no
// longer pending).
Status WithdrawJoinRequest(JoinRequest& request, const std::string& user_id, TimePoint now);

// Whether a pending request not yet escalated has waited `after` or longer at `now`.
bool EscalationDue(const JoinRequest& request, TimePoint now, std::chrono::hours after);

// Checks that `user_id` may leave. The lead professional must hand over first unless they are
// the only member. Errors: kNotFound when not a member, kConflict for a lead with colleagues.
Status CheckLeave(const Team& team, const std::string& user_id);

struct LeadChange {
  std::optional<std::string> from_user_id;  // none when the team had no lead
  std::string to_user_id;
};

// Checks that `actor_id` may make `to_user_id` the lead professional. The current lead hands
// over; when there is no lead, any member may take or assign the role. The new lead must be an
// active member. Errors: kForbidden, kNotFound (target not a member), kConflict (already lead).
Result<LeadChange> Handover(const Team& team, const std::string& actor_id, const std::string& to_user_id);

}  // namespace kith::domain
