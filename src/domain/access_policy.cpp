#include "domain/access_policy.h"

namespace kith::domain {
namespace {

constexpr Decision Allow(std::string_view why) { return {true, why}; }
constexpr Decision Deny(std::string_view why) { return {false, why}; }

}  // namespace

std::string_view ToString(ChildAction action) {
  switch (action) {
    case ChildAction::kViewSignposting:
      return "view_signposting";
    case ChildAction::kViewAccount:
      return "view_account";
    case ChildAction::kEditRecord:
      return "edit_record";
    case ChildAction::kJoinTeam:
      return "join_team";
    case ChildAction::kLeaveTeam:
      return "leave_team";
    case ChildAction::kChangeLead:
      return "change_lead";
    case ChildAction::kViewAudit:
      return "view_audit";
  }
  return "unknown";
}

std::string_view ToString(AuthorityAction action) {
  switch (action) {
    case AuthorityAction::kCreateChild:
      return "create_child";
    case AuthorityAction::kManageUsers:
      return "manage_users";
    case AuthorityAction::kManageAgencies:
      return "manage_agencies";
    case AuthorityAction::kViewAuthorityAudit:
      return "view_authority_audit";
    case AuthorityAction::kReviewIndex:
      return "review_index";
    case AuthorityAction::kImportIndex:
      return "import_index";
    case AuthorityAction::kMergeIndex:
      return "merge_index";
  }
  return "unknown";
}

Decision Decide(const Actor& actor, ChildAction action, const ChildRelation& rel) {
  if (!actor.active) return Deny("account inactive");
  // Family members are never judged as staff: their access is family.h's DecideFamily.
  if (actor.role == Role::kFamily) return Deny("family member");
  const bool practitioner = WorksWithChildren(actor.role);
  switch (action) {
    case ChildAction::kViewSignposting:
      return practitioner ? Allow("practitioner signposting") : Deny("role does not work with children");
    case ChildAction::kViewAccount:
      if (practitioner && rel.team_member) return Allow("team member");
      if (actor.role == Role::kManager && rel.team_includes_actors_agency) {
        return Allow("manager of a team member");
      }
      return Deny("not on the child's team");
    case ChildAction::kEditRecord:
      return practitioner && rel.team_member ? Allow("team member") : Deny("not on the child's team");
    case ChildAction::kJoinTeam:
      if (!practitioner) return Deny("role does not work with children");
      return rel.team_member ? Deny("already a team member") : Allow("practitioner joining with a reason");
    case ChildAction::kLeaveTeam:
      return rel.team_member ? Allow("team member") : Deny("not on the child's team");
    case ChildAction::kChangeLead:
      if (!rel.team_member) return Deny("not on the child's team");
      if (rel.lead) return Allow("lead professional");
      return rel.team_has_lead ? Deny("only the lead professional hands over")
                               : Allow("team member, no lead professional");
    case ChildAction::kViewAudit:
      if (actor.role == Role::kAuditor && actor.authority_id == rel.child_authority_id) {
        return Allow("auditor of the child's authority");
      }
      if (practitioner && rel.lead) return Allow("lead professional");
      return Deny("neither auditor of the authority nor lead professional");
  }
  return Deny("unknown action");
}

Decision Decide(const Actor& actor, AuthorityAction action, const std::string& authority_id) {
  if (!actor.active) return Deny("account inactive");
  if (actor.role == Role::kFamily) return Deny("family member");
  const bool own_authority = actor.authority_id == authority_id;
  // The grant counts only while the user works with children: an administrator or auditor
  // keeps no steward rights from a grant made before a change of role.
  const bool steward = actor.index_steward && WorksWithChildren(actor.role);
  switch (action) {
    case AuthorityAction::kCreateChild:
      return WorksWithChildren(actor.role) && own_authority ? Allow("practitioner of the authority")
                                                            : Deny("not a practitioner of the authority");
    case AuthorityAction::kManageUsers:
    case AuthorityAction::kManageAgencies:
      if (actor.role == Role::kNationalAdmin) return Allow("national administrator");
      return actor.role == Role::kAuthorityAdmin && own_authority ? Allow("administrator of the authority")
                                                                  : Deny("not an administrator of the authority");
    case AuthorityAction::kViewAuthorityAudit:
      return actor.role == Role::kAuditor && own_authority ? Allow("auditor of the authority")
                                                           : Deny("not an auditor of the authority");
    case AuthorityAction::kReviewIndex:
      if (!own_authority) return Deny("not a manager or index steward of the authority");
      if (steward) return Allow("index steward of the authority");
      return actor.role == Role::kManager ? Allow("manager of the authority")
                                          : Deny("not a manager or index steward of the authority");
    case AuthorityAction::kImportIndex:
    case AuthorityAction::kMergeIndex:
      return steward && own_authority ? Allow("index steward of the authority")
                                      : Deny("not an index steward of the authority");
  }
  return Deny("unknown action");
}

}  // namespace kith::domain
