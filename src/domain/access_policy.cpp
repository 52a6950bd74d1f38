#include "domain/access_policy.h"

namespace kith::domain {
namespace {

constexpr Decision Allow(std::string_view why) { return {true, why}; }
constexpr Decision Deny(std::string_view why) { return {false, why}; }

// Who reads the account: the team, break-glass in force, and a manager supervising a member of
// their agency (not for a shielded child: the shield is not lifted by supervision).
Decision ReadAccount(const Actor& actor, const ChildRelation& rel, bool supervision) {
  if (rel.team_member) return Allow("team member");
  if (rel.break_glass) return Allow("break-glass");
  if (supervision && actor.role == Role::kManager && rel.team_includes_actors_agency) {
    return rel.shielded ? Deny("shielded child: supervision needs break-glass") : Allow("manager of a team member");
  }
  return Deny("not on the child's team");
}

}  // namespace

std::string_view ToString(ChildAction action) {
  switch (action) {
    case ChildAction::kViewSignposting:
      return "view_signposting";
    case ChildAction::kViewAccount:
      return "view_account";
    case ChildAction::kViewEarlyHelp:
      return "view_early_help";
    case ChildAction::kContribute:
      return "contribute";
    case ChildAction::kEditRecord:
      return "edit_record";
    case ChildAction::kChangeShield:
      return "change_shield";
    case ChildAction::kLeadAct:
      return "lead_act";
    case ChildAction::kRequestJoin:
      return "request_join";
    case ChildAction::kDecideJoin:
      return "decide_join";
    case ChildAction::kLeaveTeam:
      return "leave_team";
    case ChildAction::kChangeLead:
      return "change_lead";
    case ChildAction::kBreakGlass:
      return "break_glass";
    case ChildAction::kViewAudit:
      return "view_audit";
    case ChildAction::kSubjectAccess:
      return "subject_access";
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
    case AuthorityAction::kReviewBreakGlass:
      return "review_break_glass";
  }
  return "unknown";
}

Decision Decide(const Actor& actor, ChildAction action, const ChildRelation& rel) {
  if (!actor.active) return Deny("account inactive");
  // Family members are never judged as staff: their access is family.h's DecideFamily.
  if (actor.role == Role::kFamily) return Deny("family member");
  const bool practitioner = WorksWithChildren(actor.role);
  const bool own_authority = actor.authority_id == rel.child_authority_id;
  switch (action) {
    case ChildAction::kViewSignposting:
      return practitioner ? Allow("practitioner signposting") : Deny("role does not work with children");
    case ChildAction::kViewAccount:
      if (!practitioner) return Deny("role does not work with children");
      return ReadAccount(actor, rel, true);
    case ChildAction::kViewEarlyHelp:
      if (!practitioner) return Deny("role does not work with children");
      return ReadAccount(actor, rel, false);
    case ChildAction::kContribute:
    case ChildAction::kEditRecord:
    case ChildAction::kChangeShield:
      return practitioner && rel.team_member ? Allow("team member") : Deny("not on the child's team");
    case ChildAction::kLeadAct:
      if (!practitioner || !rel.team_member) return Deny("not on the child's team");
      return rel.lead ? Allow("lead professional") : Deny("only the lead professional");
    case ChildAction::kRequestJoin:
      if (!practitioner) return Deny("role does not work with children");
      return rel.team_member ? Deny("already a team member") : Allow("practitioner asking to join");
    case ChildAction::kDecideJoin:
      if (!practitioner) return Deny("role does not work with children");
      if (rel.team_member && rel.lead) return Allow("lead professional");
      if (actor.role == Role::kManager && own_authority) return Allow("manager of the child's authority");
      if (!rel.team_has_lead && rel.duty_team) return Allow("duty team, no lead professional");
      return Deny("only the lead professional, the duty team or a manager of the authority");
    case ChildAction::kLeaveTeam:
      return rel.team_member ? Allow("team member") : Deny("not on the child's team");
    case ChildAction::kChangeLead:
      if (!practitioner || !rel.team_member) return Deny("not on the child's team");
      if (rel.lead) return Allow("lead professional");
      return rel.team_has_lead ? Deny("only the lead professional hands over")
                               : Allow("team member, no lead professional");
    case ChildAction::kBreakGlass:
      if (!practitioner) return Deny("role does not work with children");
      if (rel.team_member) return Deny("team members already see the account");
      return Allow("practitioner breaking the glass");
    case ChildAction::kViewAudit:
      if (actor.role == Role::kAuditor && own_authority) return Allow("auditor of the child's authority");
      if (practitioner && rel.lead) return Allow("lead professional");
      return Deny("neither auditor of the authority nor lead professional");
    case ChildAction::kSubjectAccess:
      // Administrators never read case content, whatever permission a stored row claims.
      if (IsAdministrator(actor.role)) return Deny("administrators never read case content");
      return actor.information_governance && own_authority
                 ? Allow("information governance of the child's authority")
                 : Deny("not information governance of the child's authority");
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
    case AuthorityAction::kReviewBreakGlass:
      return actor.role == Role::kManager && own_authority ? Allow("manager of the child's authority")
                                                           : Deny("not a manager of the child's authority");
  }
  return Deny("unknown action");
}

bool JoinApprovedAtOnce(const ChildRelation& relation) { return relation.agency_involved && !relation.shielded; }

}  // namespace kith::domain
