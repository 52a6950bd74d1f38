#include "domain/team.h"

#include <algorithm>

namespace kith::domain {
namespace {

std::string Trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(first, last - first + 1));
}

}  // namespace

const TeamMember* FindMember(const Team& team, const std::string& user_id) {
  auto it = std::find_if(team.begin(), team.end(), [&](const TeamMember& m) { return m.user_id == user_id; });
  return it == team.end() ? nullptr : &*it;
}

const TeamMember* FindLead(const Team& team) {
  auto it = std::find_if(team.begin(), team.end(), [](const TeamMember& m) { return m.lead; });
  return it == team.end() ? nullptr : &*it;
}

Result<std::string> ValidateReason(std::string_view reason) {
  std::string r = Trim(reason);
  if (r.size() < 10) {
    return Error::Invalid("reason", "Give a reason of at least 10 characters: it is recorded in the audit trail.");
  }
  if (r.size() > 500) return Error::Invalid("reason", "The reason is too long (at most 500 characters).");
  if (std::any_of(r.begin(), r.end(), [](unsigned char c) { return c < 0x20; })) {
    return Error::Invalid("reason", "The reason contains control characters.");
  }
  return r;
}

Result<TeamMember> Join(const Team& team, const User& user, const std::string& child_id, std::string_view role,
                        std::string_view reason, TimePoint now) {
  if (!user.active || !WorksWithChildren(user.role)) {
    return Error::Forbidden("Only practitioners and managers can join a child's team.");
  }
  if (FindMember(team, user.id)) return Error::Conflict("You are already on this child's team.");
  std::string r = Trim(role);
  if (r.empty() || r.size() > 100) {
    return Error::Invalid("role", "State your role for this child (at most 100 characters), e.g. 'Class teacher'.");
  }
  auto why = ValidateReason(reason);
  if (!why) return why.error();
  return TeamMember{child_id, user.id, std::move(r), std::move(why).value(), now, false};
}

std::string_view ToString(JoinRequestStatus status) {
  switch (status) {
    case JoinRequestStatus::kPending:
      return "pending";
    case JoinRequestStatus::kApproved:
      return "approved";
    case JoinRequestStatus::kDeclined:
      return "declined";
    case JoinRequestStatus::kWithdrawn:
      return "withdrawn";
  }
  return "unknown";
}

std::optional<JoinRequestStatus> ParseJoinRequestStatus(std::string_view text) {
  for (auto s : {JoinRequestStatus::kPending, JoinRequestStatus::kApproved, JoinRequestStatus::kDeclined,
                 JoinRequestStatus::kWithdrawn}) {
    if (ToString(s) == text) return s;
  }
  return std::nullopt;
}

Result<JoinRequest> NewJoinRequest(const Team& team, const User& user, const std::string& child_id,
                                   const std::string& authority_id, std::string_view role, std::string_view reason,
                                   TimePoint now) {
  auto member = Join(team, user, child_id, role, reason, now);
  if (!member) return member.error();
  JoinRequest r;
  r.child_id = child_id;
  r.authority_id = authority_id;
  r.user_id = user.id;
  r.role = std::move(member->role);
  r.reason = std::move(member->reason);
  r.created_at = now;
  return r;
}

Status DecideJoinRequest(JoinRequest& request, const std::string& decider_id, bool approve, std::string_view reason,
                         TimePoint now) {
  auto why = ValidateReason(reason);
  if (!why) return why.error();
  if (decider_id == request.user_id) return Error::Forbidden("Someone else must decide your own request to join.");
  if (request.status != JoinRequestStatus::kPending) {
    return Error::Conflict("This request has already been " + std::string(ToString(request.status)) + ".");
  }
  request.status = approve ? JoinRequestStatus::kApproved : JoinRequestStatus::kDeclined;
  request.decided_by = decider_id;
  request.decided_at = now;
  request.decision_reason = std::move(why).value();
  return Ok{};
}

Status WithdrawJoinRequest(JoinRequest& request, const std::string& user_id, TimePoint now) {
  if (user_id != request.user_id) return Error::Forbidden("Only the practitioner who asked can withdraw a request.");
  if (request.status != JoinRequestStatus::kPending) {
    return Error::Conflict("This request has already been " + std::string(ToString(request.status)) + ".");
  }
  request.status = JoinRequestStatus::kWithdrawn;
  request.decided_at = now;
  return Ok{};
}

bool EscalationDue(const JoinRequest& request, TimePoint now, std::chrono::hours after) {
  return request.status == JoinRequestStatus::kPending && !request.escalated_at && now - request.created_at >= after;
}

Status CheckLeave(const Team& team, const std::string& user_id) {
  const TeamMember* me = FindMember(team, user_id);
  if (!me) return Error::NotFound("You are not on this child's team.");
  if (me->lead && team.size() > 1) {
    return Error::Conflict("You are the lead professional: hand the role over to a colleague before leaving.");
  }
  return Ok{};
}

Result<LeadChange> Handover(const Team& team, const std::string& actor_id, const std::string& to_user_id) {
  const TeamMember* actor = FindMember(team, actor_id);
  if (!actor) return Error::Forbidden("Only members of the child's team can change the lead professional.");
  const TeamMember* lead = FindLead(team);
  if (lead && lead->user_id != actor_id) {
    return Error::Forbidden("Only the current lead professional can hand the role over.");
  }
  const TeamMember* target = FindMember(team, to_user_id);
  if (!target) return Error::NotFound("The new lead professional must be a member of the child's team.");
  if (target->lead) return Error::Conflict("That member is already the lead professional.");
  LeadChange change;
  if (lead) change.from_user_id = lead->user_id;
  change.to_user_id = to_user_id;
  return change;
}

}  // namespace kith::domain
