// Who may do what with a child's record: the access policy as pure functions. Deny by default;
// every decision says why, so the caller can audit it.
//
// The rules, in short:
// - Only active users are allowed anything.
// - Practitioners and managers (anywhere in England) see a child's signposting: that the child
//   exists, which services are involved and how to reach them, whether an early-help
//   assessment exists and who the lead professional is. Never case content.
// - Members of the child's team see the child's account (case content) and may edit the index
//   record. A manager also sees the accounts of children whose team includes a member of the
//   manager's own agency (supervision).
// - Managers and index stewards of an authority decide the national index's clerical review of
//   its source feeds; only index stewards import feeds and merge or un-merge children
//   (docs/adr/0010-index-steward-permission.md).
// - Administrators manage users and agencies but never read case content by being
//   administrators; auditors read the audit trail of their own authority, and nothing else.
// Pure functions; safe from any thread.
#pragma once

#include <string>
#include <string_view>

#include "domain/user.h"

namespace kith::domain {

enum class ChildAction {
  kViewSignposting,
  kViewAccount,  // the full record and case content
  kEditRecord,   // the index record (identity, carers, services, flags)
  kJoinTeam,
  kLeaveTeam,
  kChangeLead,
  kViewAudit,  // who looked at this child's record
};

enum class AuthorityAction {
  kCreateChild,
  kManageUsers,
  kManageAgencies,
  kViewAuthorityAudit,
  // The national index's clerical review queue: managers and index stewards of the authority
  // (docs/adr/0004-index-stewards.md, docs/adr/0010-index-steward-permission.md).
  kReviewIndex,
  // Importing source feeds into the national index: index stewards of the authority.
  kImportIndex,
  // Merging and un-merging children of the national index: index stewards of the authority.
  kMergeIndex,
};

std::string_view ToString(ChildAction action);
std::string_view ToString(AuthorityAction action);

struct Actor {
  std::string user_id;
  Role role = Role::kPractitioner;
  std::string authority_id;
  std::string agency_id;
  bool active = false;
  // An authority administrator made this practitioner or manager an index steward of their
  // authority (domain::User::index_steward).
  bool index_steward = false;
};

// What the caller knows of the actor's relation to one child.
struct ChildRelation {
  std::string child_authority_id;
  bool team_member = false;
  bool lead = false;
  bool team_has_lead = false;
  bool team_includes_actors_agency = false;  // a member of the actor's agency is on the team
};

struct Decision {
  bool allowed = false;
  std::string_view why;  // a fixed phrase, safe to store in the audit trail
};

Decision Decide(const Actor& actor, ChildAction action, const ChildRelation& relation);
Decision Decide(const Actor& actor, AuthorityAction action, const std::string& authority_id);

}  // namespace kith::domain
