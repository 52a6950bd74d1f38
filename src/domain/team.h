// The team around the child: practitioners join a child's account stating their role and a
// reason, leave it, and hand the lead-professional role over explicitly. These functions check
// the rules and describe the change; storing it is the caller's job.
// Pure functions; safe from any thread.
#pragma once

#include <optional>
#include <string>
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

const TeamMember* FindMember(const Team& team, const std::string& user_id);
const TeamMember* FindLead(const Team& team);

// A stated reason for an access or a change: 10..500 characters once trimmed.
Result<std::string> ValidateReason(std::string_view reason);

// Checks that `user` may join `team` with the given role and reason and returns the new
// member. Errors: kForbidden for users who do not work with children or are inactive,
// kConflict when already a member, kInvalidInput for a missing role or reason.
Result<TeamMember> Join(const Team& team, const User& user, const std::string& child_id, std::string_view role,
                        std::string_view reason, TimePoint now);

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
