// Who may do what with a child's record: the access policy as pure functions. Deny by default;
// every decision says why, so the caller can audit it. The app layer asks it through one gate
// (app/child_gate.h) on every read and write of child data.
//
// The rules, in short (need to know, docs/access.md):
// - Only active users are allowed anything.
// - Practitioners and managers (anywhere in England) see a child's signposting: that the child
//   exists, which services are involved and how to reach them, whether an early-help
//   assessment exists and who the lead professional is. Never case content.
// - Members of the child's team see the child's account (case content), add to it and may edit
//   the index record. Joining is a request: the lead professional decides it (without a lead,
//   the authority's children's social care duty team; the authority's managers may always
//   decide, and are alerted when a request waits too long). It is approved at once only when the
//   requester's agency is recorded as involved with the child (its school, GP practice or a
//   current service) and the child is not shielded.
// - Break-glass: in an emergency a practitioner or manager not on the team may read the account
//   for a limited time with a reason and re-authentication; it is alerted and reviewed
//   (domain/break_glass.h). It never lets them change anything.
// - A manager also sees the accounts of children whose team includes a member of the manager's
//   own agency (supervision), except a shielded child's, which needs break-glass like anyone's.
// - Administrators manage users and agencies and never read case content; auditors read the
//   audit trail of their own authority and nothing else. A subject-access export (everything
//   held about a child) needs the information-governance permission of the child's authority,
//   which an administrator grants to staff other than administrators, never to themselves.
// Pure functions; safe from any thread.
#pragma once

#include <string>
#include <string_view>

#include "domain/user.h"

namespace kith::domain {

enum class ChildAction {
  kViewSignposting,
  kViewAccount,    // case content: the record, chronology, forum, wheel, word cloud, summaries
  kViewEarlyHelp,  // the early help assessment: the team and break-glass (not supervision)
  kContribute,     // add to or change the account (entries, posts, people, early help, family portal)
  kEditRecord,     // the index record (identity, carers, services, flags)
  kChangeShield,   // shield or unshield the child: an explicit act with a reason
  kLeadAct,        // acts reserved to the lead professional (reviewing family restrictions)
  kRequestJoin,    // ask to join the team
  kDecideJoin,     // approve or decline someone's request to join
  kLeaveTeam,
  kChangeLead,
  kBreakGlass,     // emergency, time-limited read access to the account
  kViewAudit,      // who looked at this child's record
  kSubjectAccess,  // export everything held about the child (information governance)
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
  // Reviewing break-glass uses of the authority's children: its managers.
  kReviewBreakGlass,
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
  // An authority administrator gave this user the information-governance permission
  // (domain::User::information_governance): subject-access exports of the authority's children.
  bool information_governance = false;
};

// What the caller knows of the actor's relation to one child.
struct ChildRelation {
  std::string child_authority_id;
  bool team_member = false;
  bool lead = false;
  bool team_has_lead = false;
  bool team_includes_actors_agency = false;  // a member of the actor's agency is on the team
  bool shielded = false;                     // the child is shielded
  // The actor's agency is recorded as involved with the child: the child's school or GP
  // practice, or the agency of a current service in the index record.
  bool agency_involved = false;
  // The actor's agency is the children's social care of the child's authority (its duty team).
  bool duty_team = false;
  bool break_glass = false;  // the actor's break-glass access to this child is in force
};

struct Decision {
  bool allowed = false;
  std::string_view why;  // a fixed phrase, safe to store in the audit trail
};

Decision Decide(const Actor& actor, ChildAction action, const ChildRelation& relation);
Decision Decide(const Actor& actor, AuthorityAction action, const std::string& authority_id);

// Whether a request to join a child's team is approved at once, without a decision: only when
// the requester's agency is involved with the child and the child is not shielded.
bool JoinApprovedAtOnce(const ChildRelation& relation);

}  // namespace kith::domain
