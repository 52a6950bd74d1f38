// The access rules as the documentation states them, for property-based tests (issue 17): an
// independent reference against which the real policy (domain/access_policy.h) and the services
// that apply it (app/) are checked with random actors, relations, flags and actions.
//
// Written from docs/access.md, docs/shielding.md, docs/family-portal.md, docs/openapi.yaml and
// ADRs 0004, 0006, 0010 and 0012 — never from the policy's code, whose vocabulary it does not
// share: a fact here is what the documentation says about a person and a child, and each rule
// names the sentence it comes from. Where the documentation and the product disagreed, the
// disagreement and what was done about it is listed in docs/access.md ("Property-based tests").
//
// Test-only; pure; safe from any thread.
#pragma once

#include <string>
#include <string_view>

namespace kith::reference {

// The kinds of people docs/access.md's table "Who sees what" distinguishes.
enum class Kind { kPractitioner, kManager, kAuthorityAdmin, kAuditor, kNationalAdmin, kFamily };

inline std::string_view Name(Kind k) {
  switch (k) {
    case Kind::kPractitioner:
      return "practitioner";
    case Kind::kManager:
      return "manager";
    case Kind::kAuthorityAdmin:
      return "authority administrator";
    case Kind::kAuditor:
      return "auditor";
    case Kind::kNationalAdmin:
      return "national administrator";
    case Kind::kFamily:
      return "family member";
  }
  return "?";
}

// What is true of one person and one child, in the documentation's words.
struct Facts {
  Kind kind = Kind::kPractitioner;
  bool active = true;          // a disabled account is allowed nothing
  bool same_authority = true;  // the person belongs to the child's local authority
  // Grants as the person's stored account claims them (whatever their role).
  bool steward_grant = false;  // index steward (ADR 0010)
  bool ig_grant = false;       // information governance (docs/access.md, "No back doors")
  // The team around the child.
  bool on_team = false;
  bool is_lead = false;        // the person is the child's lead professional
  bool team_has_lead = false;  // the child has a lead professional (whoever it is)
  bool colleague_on_team = false;  // someone of the person's own agency is on the team
  // The person's agency is recorded as involved with the child: its school, GP practice, or the
  // agency of a current service in the index record — and confirmed, i.e. not named by a team
  // member who does not decide joins (access.md, "Joining is a request").
  bool agency_involved = false;
  // The person's agency is the children's social care of the child's authority (the duty team).
  bool duty_team = false;
  bool break_glass_in_force = false;  // the person's own break-glass of this child, in force
  bool shielded = false;
  bool family_linked = false;  // a family account linked to the child (by a redeemed invitation)

  std::string Describe() const {
    std::string s(Name(kind));
    auto add = [&](bool b, const char* what) {
      if (b) s += std::string(", ") + what;
    };
    add(!active, "disabled");
    add(!same_authority, "of another authority");
    add(steward_grant, "steward grant");
    add(ig_grant, "information-governance grant");
    add(on_team, "on the team");
    add(is_lead, "lead professional");
    add(team_has_lead, "the child has a lead");
    add(colleague_on_team, "a colleague of their agency on the team");
    add(agency_involved, "agency involved");
    add(duty_team, "duty team");
    add(break_glass_in_force, "break-glass in force");
    add(shielded, "child shielded");
    add(family_linked, "linked family member");
    return s;
  }
};

// What someone may try to do with a child.
enum class Act {
  kSignposting,    // who is involved and how to reach them
  kAccount,        // case content: record, chronology, forum, wheel, requests to join
  kEarlyHelp,      // the early help assessment
  kContribute,     // add to the account
  kEditRecord,     // change the index record
  kShield,         // set or remove the shield
  kLeadAct,        // lead-only acts (reviewing family restrictions)
  kAskToJoin,      // ask to join the team
  kDecideJoin,     // approve or decline someone else's request to join
  kLeave,          // leave the team
  kChangeLead,     // hand the lead over, or take it when there is none
  kBreakGlass,     // emergency read-only access
  kAuditTrail,     // the child's audit trail: who looked
  kSubjectAccess,  // export everything held about the child
  kFamilyPortal,   // the child as the family portal shows it
};

inline constexpr Act kAllActs[] = {Act::kSignposting, Act::kAccount,     Act::kEarlyHelp,  Act::kContribute,
                                   Act::kEditRecord,  Act::kShield,      Act::kLeadAct,    Act::kAskToJoin,
                                   Act::kDecideJoin,  Act::kLeave,       Act::kChangeLead, Act::kBreakGlass,
                                   Act::kAuditTrail,  Act::kSubjectAccess, Act::kFamilyPortal};

inline std::string_view Name(Act a) {
  switch (a) {
    case Act::kSignposting:
      return "signposting";
    case Act::kAccount:
      return "read the account";
    case Act::kEarlyHelp:
      return "read early help";
    case Act::kContribute:
      return "contribute";
    case Act::kEditRecord:
      return "edit the record";
    case Act::kShield:
      return "change the shield";
    case Act::kLeadAct:
      return "lead-only act";
    case Act::kAskToJoin:
      return "ask to join";
    case Act::kDecideJoin:
      return "decide a request to join";
    case Act::kLeave:
      return "leave the team";
    case Act::kChangeLead:
      return "change the lead";
    case Act::kBreakGlass:
      return "break the glass";
    case Act::kAuditTrail:
      return "read the child's audit trail";
    case Act::kSubjectAccess:
      return "subject-access export";
    case Act::kFamilyPortal:
      return "family portal";
  }
  return "?";
}

// What the documentation says of the authority-wide acts.
enum class AuthorityAct {
  kCreateChild,
  kManageUsers,
  kManageAgencies,
  kAuthorityAudit,
  kReviewIndex,
  kImportIndex,
  kMergeIndex,
  kReviewBreakGlass,
};

inline constexpr AuthorityAct kAllAuthorityActs[] = {
    AuthorityAct::kCreateChild,  AuthorityAct::kManageUsers, AuthorityAct::kManageAgencies,
    AuthorityAct::kAuthorityAudit, AuthorityAct::kReviewIndex, AuthorityAct::kImportIndex,
    AuthorityAct::kMergeIndex,   AuthorityAct::kReviewBreakGlass};

struct Expected {
  bool allowed = false;
  std::string_view rule;  // the documentation's sentence behind the answer
};

namespace detail {
constexpr Expected Yes(std::string_view rule) { return {true, rule}; }
constexpr Expected No(std::string_view rule) { return {false, rule}; }
}  // namespace detail

// The answer the documentation gives for `f` trying `act`.
inline Expected Expect(const Facts& f, Act act) {
  using detail::No;
  using detail::Yes;
  if (!f.active) return No("a disabled account is allowed nothing");
  // ADR 0006: the practitioners' policy denies a family member everything; the portal is theirs.
  if (f.kind == Kind::kFamily) {
    if (act == Act::kFamilyPortal && f.family_linked) {
      return Yes("family-portal.md: a family member sees, of a linked child only, what is shared");
    }
    return No("ADR 0006: a family member is granted nothing by the practitioners' policy");
  }
  if (act == Act::kFamilyPortal) return No("the family portal is for linked family members");
  // access.md: "Administrators never see case content, by any route"; auditors and information
  // governance read no account either. Only practitioners and managers work with children.
  const bool works = f.kind == Kind::kPractitioner || f.kind == Kind::kManager;
  const bool admin = f.kind == Kind::kAuthorityAdmin || f.kind == Kind::kNationalAdmin;
  switch (act) {
    case Act::kSignposting:
      // "Who sees what": team members and practitioners or managers off the team: yes;
      // administrator, auditor: no.
      return works ? Yes("access.md: practitioners and managers see signposting")
                   : No("access.md: administrators and auditors see no signposting");
    case Act::kAccount:
      if (!works) return No("access.md: only the team, break-glass and supervision see the account");
      if (f.on_team) return Yes("access.md: the team sees the account");
      if (f.break_glass_in_force) return Yes("access.md: with break-glass in force, the account read-only");
      if (f.kind == Kind::kManager && f.colleague_on_team) {
        return f.shielded ? No("access.md: supervision respects the shield (break-glass only)")
                          : Yes("access.md: a manager sees the accounts their agency's members work on");
      }
      return No("access.md: off the team, no account");
    case Act::kEarlyHelp:
      if (!works) return No("access.md: early help is the team's and break-glass's");
      if (f.on_team) return Yes("access.md: the team sees early help");
      if (f.break_glass_in_force) return Yes("access.md: break-glass shows early help read-only");
      return No("access.md: early help is not shown to supervision or anyone off the team");
    case Act::kContribute:
    case Act::kEditRecord:
      // "add, change": team members only; break-glass is read-only (ADR 0012: it never writes).
      return works && f.on_team ? Yes("access.md: team members add and change")
                                : No("access.md: only team members add and change; break-glass never writes");
    case Act::kShield:
      return works && f.on_team ? Yes("shielding.md: a shield is set or removed only by a team member")
                                : No("shielding.md: only a team member sets or removes a shield");
    case Act::kLeadAct:
      return works && f.on_team && f.is_lead ? Yes("access.md: lead-only acts are the lead professional's")
                                             : No("access.md: lead-only acts are the lead professional's");
    case Act::kAskToJoin:
      // README: practitioners join a child's account; access.md: the requester waits or joins.
      if (!works) return No("access.md: only practitioners and managers join teams");
      return f.on_team ? No("already on the team") : Yes("access.md: a practitioner asks to join");
    case Act::kDecideJoin:
      // access.md "Joining is a request": the lead decides; without a lead, the children's
      // social care duty team of the child's authority; the authority's managers may always.
      if (!works) return No("access.md: the lead, the duty team or the authority's managers decide");
      if (f.on_team && f.is_lead) return Yes("access.md: the lead professional decides");
      if (f.kind == Kind::kManager && f.same_authority) return Yes("access.md: the authority's managers may always decide");
      if (!f.team_has_lead && f.duty_team) return Yes("access.md: without a lead, the duty team decides");
      return No("access.md: only the lead, the duty team (no lead) or the authority's managers decide");
    case Act::kLeave:
      return f.on_team ? Yes("README: practitioners leave") : No("not on the team");
    case Act::kChangeLead:
      // README: "hand the lead-professional role over explicitly"; access.md: taking the lead of
      // a child who had none by the team.
      if (!works || !f.on_team) return No("only the team changes its lead");
      if (f.is_lead) return Yes("README: the lead hands the role over");
      return f.team_has_lead ? No("README: only the lead hands the role over")
                             : Yes("access.md: the team takes the lead of a child who has none");
    case Act::kBreakGlass:
      // access.md "Break-glass": a practitioner or manager off the team, any child.
      if (!works) return No("access.md: break-glass is for practitioners and managers");
      return f.on_team ? No("team members already see the account")
                       : Yes("access.md: a practitioner or manager off the team breaks the glass");
    case Act::kAuditTrail:
      // openapi.yaml /children/{id}/audit: "For auditors of the child's local authority and the
      // child's lead professional".
      if (f.kind == Kind::kAuditor && f.same_authority) return Yes("openapi: auditors of the child's authority");
      if (works && f.on_team && f.is_lead) return Yes("openapi: the child's lead professional");
      return No("openapi: auditors of the child's authority and the lead professional only");
    case Act::kSubjectAccess:
      // access.md "No back doors": the information-governance permission of the child's
      // authority, refused to an administrator even if a stored row claimed it.
      if (admin) return No("access.md: administrators never read case content, whatever a row claims");
      return f.ig_grant && f.same_authority ? Yes("access.md: information governance of the child's authority")
                                            : No("access.md: subject access needs information governance of the "
                                                 "child's authority");
    case Act::kFamilyPortal:
      break;
  }
  return No("not documented");
}

// access.md "Joining is a request": approved at once only for an involved agency and a child who
// is not shielded (ADR 0012).
inline bool JoinsAtOnce(const Facts& f) { return f.agency_involved && !f.shielded; }

// The authority-wide acts for `f` and an authority that is theirs or not (`f.same_authority`).
inline Expected Expect(const Facts& f, AuthorityAct act) {
  using detail::No;
  using detail::Yes;
  if (!f.active) return No("a disabled account is allowed nothing");
  if (f.kind == Kind::kFamily) return No("ADR 0006: a family member is granted nothing by the practitioners' policy");
  const bool works = f.kind == Kind::kPractitioner || f.kind == Kind::kManager;
  // ADR 0010: "the grant counts only for an active practitioner or manager of the same authority".
  const bool steward = f.steward_grant && works && f.same_authority;
  switch (act) {
    case AuthorityAct::kCreateChild:
      return works && f.same_authority ? Yes("README: practitioners add a child to their authority's index")
                                       : No("README: practitioners add children");
    case AuthorityAct::kManageUsers:
    case AuthorityAct::kManageAgencies:
      // README: the authority administrator manages users and agencies; ADR 0010: "an
      // administrator of the user's authority (or a national administrator)".
      if (f.kind == Kind::kNationalAdmin) return Yes("ADR 0010: a national administrator");
      return f.kind == Kind::kAuthorityAdmin && f.same_authority ? Yes("README: the authority's administrators")
                                                                 : No("README: administrators of the authority");
    case AuthorityAct::kAuthorityAudit:
      return f.kind == Kind::kAuditor && f.same_authority ? Yes("openapi: auditors of the authority")
                                                          : No("openapi: auditors of the authority only");
    case AuthorityAct::kReviewIndex:
      if (steward) return Yes("ADR 0010: index stewards review");
      return f.kind == Kind::kManager && f.same_authority ? Yes("ADR 0010: managers keep review")
                                                          : No("ADR 0010: managers and index stewards");
    case AuthorityAct::kImportIndex:
    case AuthorityAct::kMergeIndex:
      return steward ? Yes("ADR 0010: index stewards import and merge") : No("ADR 0010: index stewards only");
    case AuthorityAct::kReviewBreakGlass:
      return f.kind == Kind::kManager && f.same_authority ? Yes("access.md: a manager of the child's authority reviews")
                                                          : No("access.md: managers of the child's authority review");
  }
  return No("not documented");
}

inline std::string_view Name(AuthorityAct a) {
  switch (a) {
    case AuthorityAct::kCreateChild:
      return "create a child";
    case AuthorityAct::kManageUsers:
      return "manage users";
    case AuthorityAct::kManageAgencies:
      return "manage agencies";
    case AuthorityAct::kAuthorityAudit:
      return "authority audit";
    case AuthorityAct::kReviewIndex:
      return "review the index";
    case AuthorityAct::kImportIndex:
      return "import into the index";
    case AuthorityAct::kMergeIndex:
      return "merge in the index";
    case AuthorityAct::kReviewBreakGlass:
      return "review break-glass";
  }
  return "?";
}

}  // namespace kith::reference
