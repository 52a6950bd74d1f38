#include "domain/audit_actions.h"

#include <algorithm>
#include <array>

namespace kith::domain {
namespace {

using K = AuditActionKind;

// Keep in name order (a unit test checks); a new action is added here before it is written.
constexpr std::array kActions{
    AuditAction{"account.summary", "Looked at the account's summary", K::kView},
    AuditAction{"agency.create", "Added an agency", K::kAdministration},
    AuditAction{"agency.update", "Changed an agency", K::kAdministration},
    AuditAction{"alert.read", "Marked an alert read", K::kOwn},
    AuditAction{"alerts.read", "Looked at own alerts", K::kOwn},
    AuditAction{"audit.checkpoint", "Signed an audit checkpoint", K::kSystem},
    AuditAction{"audit.find_child", "Looked for a child by name (audit)", K::kAudit},
    AuditAction{"audit.find_user", "Looked for a user by name (audit)", K::kAudit},
    AuditAction{"audit.records", "Looked at audit records", K::kAudit},
    AuditAction{"audit.records.export", "Exported audit records (CSV)", K::kAudit},
    AuditAction{"authority.create", "Added a local authority", K::kAdministration},
    AuditAction{"break_glass.end", "Ended emergency access early", K::kAdministration},
    AuditAction{"break_glass.list", "Listed emergency access to review", K::kAdministration},
    AuditAction{"break_glass.review", "Reviewed emergency access (justified or not)", K::kAdministration},
    AuditAction{"break_glass.start", "Broke the glass: emergency access to the account", K::kView},
    AuditAction{"caseload.read", "Looked at the caseloads of the workers they manage", K::kOwn},
    AuditAction{"child.audit_trail", "Looked at the child's audit trail", K::kAudit},
    AuditAction{"child.create", "Added the child to the index", K::kChange},
    AuditAction{"child.read", "Opened the child's account", K::kView},
    AuditAction{"child.search", "Searched the child index", K::kSearch},
    AuditAction{"child.search.batch", "Started a batch search (command line)", K::kSearch},
    AuditAction{"child.search.batch.results", "Finished a batch search (command line)", K::kSearch},
    AuditAction{"child.shield", "Shielded the child", K::kChange},
    AuditAction{"child.signposting", "Looked up who is involved (signposting)", K::kView},
    AuditAction{"child.unshield", "Removed the child's shield", K::kChange},
    AuditAction{"child.update", "Changed the child's index record", K::kChange},
    AuditAction{"children.mine", "Listed own caseload", K::kOwn},
    AuditAction{"chronology.add", "Added a chronology entry", K::kChange},
    AuditAction{"chronology.correct", "Corrected a chronology entry", K::kChange},
    AuditAction{"chronology.history", "Looked at a chronology entry's history", K::kView},
    AuditAction{"chronology.import", "Imported chronology entries", K::kChange},
    AuditAction{"chronology.print", "Printed the chronology", K::kView},
    AuditAction{"chronology.read", "Read the chronology", K::kView},
    AuditAction{"contact.flag_alert", "Alerted the lead professional to a change in agencies' contact", K::kSystem},
    AuditAction{"contact_series.read", "Looked at agency contact over time", K::kView},
    AuditAction{"demo.create", "Created the demo authority", K::kSystem},
    AuditAction{"early_help.action_add", "Added an action to the early help plan", K::kChange},
    AuditAction{"early_help.action_status", "Changed an early help action", K::kChange},
    AuditAction{"early_help.close", "Closed an early help assessment", K::kChange},
    AuditAction{"early_help.complete", "Completed an early help assessment", K::kChange},
    AuditAction{"early_help.edit", "Edited an early help assessment", K::kChange},
    AuditAction{"early_help.handover", "Handed over the early help lead", K::kChange},
    AuditAction{"early_help.list", "Listed the early help assessments", K::kView},
    AuditAction{"early_help.meeting", "Recorded a Team Around the Child meeting", K::kChange},
    AuditAction{"early_help.new_version", "Started a new version of an early help assessment", K::kChange},
    AuditAction{"early_help.overdue_alert", "Alerted owners of overdue early help actions", K::kSystem},
    AuditAction{"early_help.read", "Read an early help assessment", K::kView},
    AuditAction{"early_help.review", "Reviewed the early help plan", K::kChange},
    AuditAction{"early_help.start", "Started an early help assessment", K::kChange},
    AuditAction{"family.child_read", "Read the child's record (family portal)", K::kFamily},
    AuditAction{"family.children", "Listed own children (family portal)", K::kFamily},
    AuditAction{"family.entries_read", "Read the family's entries", K::kView},
    AuditAction{"family.entry_add", "Added a family entry (family portal)", K::kFamily},
    AuditAction{"family.export", "Downloaded the family's record (family portal)", K::kFamily},
    AuditAction{"family.invitation_cancel", "Cancelled a family invitation", K::kChange},
    AuditAction{"family.invitations", "Listed family invitations", K::kView},
    AuditAction{"family.invite", "Invited a family member", K::kChange},
    AuditAction{"family.link", "Linked a family account", K::kFamily},
    AuditAction{"family.members", "Listed family members", K::kView},
    AuditAction{"family.redeem", "Redeemed a family invitation", K::kFamily},
    AuditAction{"family.reinstate", "Reinstated a family member", K::kChange},
    AuditAction{"family.release", "Asked to release an entry to the family", K::kChange},
    AuditAction{"family.release_agree", "Agreed to release an entry to the family", K::kChange},
    AuditAction{"family.release_decline", "Declined to release an entry to the family", K::kChange},
    AuditAction{"family.releases", "Looked at the requests to release entries to the family", K::kView},
    AuditAction{"family.restriction_confirm", "Confirmed a restriction from the family", K::kChange},
    AuditAction{"family.restriction_lift", "Lifted a restriction from the family", K::kChange},
    AuditAction{"family.restrictions", "Listed restrictions from the family", K::kView},
    AuditAction{"family.settings_read", "Read the family portal settings", K::kAdministration},
    AuditAction{"family.settings_update", "Changed the family portal settings", K::kAdministration},
    AuditAction{"family.subject_access", "Exported the child's record (subject access)", K::kView},
    AuditAction{"family.suspend", "Suspended a family member", K::kChange},
    AuditAction{"family.visibility_set", "Changed what the family sees", K::kChange},
    AuditAction{"feed.read", "Read own news feed", K::kOwn},
    AuditAction{"forum.edit", "Edited a forum post", K::kChange},
    AuditAction{"forum.history", "Looked at a forum post's history", K::kView},
    AuditAction{"forum.post", "Posted in the forum", K::kChange},
    AuditAction{"forum.promote", "Promoted a forum thread to the chronology", K::kChange},
    AuditAction{"forum.read", "Read the forum", K::kView},
    AuditAction{"forum.thread_create", "Started a forum thread", K::kChange},
    AuditAction{"index.import", "Imported a source feed (command line)", K::kAdministration},
    AuditAction{"index.import.attach", "Attached an imported record to a child", K::kAdministration},
    AuditAction{"index.import.create", "Added a child from an imported record", K::kAdministration},
    AuditAction{"index.import.failed", "An import failed", K::kAdministration},
    AuditAction{"index.import.list", "Listed imports", K::kAdministration},
    AuditAction{"index.import.part", "Sent part of an import", K::kAdministration},
    AuditAction{"index.import.queue", "Queued an imported record for review", K::kAdministration},
    AuditAction{"index.import.read", "Looked at an import", K::kAdministration},
    AuditAction{"index.import.received", "Finished sending an import", K::kAdministration},
    AuditAction{"index.import.rows", "Looked at how an import's rows were applied", K::kAdministration},
    AuditAction{"index.import.start", "Started an import", K::kAdministration},
    AuditAction{"index.import.update", "Updated a child from an imported record", K::kAdministration},
    AuditAction{"index.merge", "Merged two children's records", K::kChange},
    AuditAction{"index.merge.read", "Looked at a merge of two children's records", K::kAdministration},
    AuditAction{"index.review.decide", "Decided an index review", K::kAdministration},
    AuditAction{"index.review.list", "Listed index reviews", K::kAdministration},
    AuditAction{"index.review.read", "Looked at an index review", K::kAdministration},
    AuditAction{"index.unmerge", "Undid a merge of two children's records", K::kChange},
    AuditAction{"live.push", "Received a live update carrying an entry's summary", K::kOwn},
    AuditAction{"misuse.flag.read", "Looked at a misuse flag and its records", K::kAudit},
    AuditAction{"misuse.flag.review", "Marked a misuse flag reviewed", K::kAudit},
    AuditAction{"misuse.report", "Looked at the misuse report", K::kAudit},
    AuditAction{"misuse.run", "Ran the misuse report", K::kAudit},
    AuditAction{"request.replay", "Repeated a request: answered from its idempotency key", K::kOwn},
    AuditAction{"retention.dry_run", "Listed what retention rules make due (command line)", K::kAdministration},
    AuditAction{"retention.due.read", "Looked at what retention rules make due soon", K::kAdministration},
    AuditAction{"retention.hold.list", "Listed the legal holds in force", K::kAdministration},
    AuditAction{"retention.hold.place", "Placed a legal hold on a child's record", K::kAdministration},
    AuditAction{"retention.hold.release", "Released a legal hold", K::kAdministration},
    AuditAction{"retention.rules.read", "Looked at the retention rules", K::kAdministration},
    AuditAction{"retention.rules.update", "Changed the retention rules", K::kAdministration},
    AuditAction{"session.create", "Signed in", K::kSignIn},
    AuditAction{"session.delete", "Signed out", K::kSignIn},
    AuditAction{"session.second_factor", "Entered a second-factor code", K::kSignIn},
    AuditAction{"shield.override", "Overrode a child's shield (before break-glass)", K::kView},
    AuditAction{"shield.override.end", "Ended a shield override (before break-glass)", K::kAdministration},
    AuditAction{"shield.override.list", "Listed shield overrides (before break-glass)", K::kAdministration},
    AuditAction{"shield.override.review", "Reviewed a shield override (before break-glass)", K::kAdministration},
    AuditAction{"team.join", "Joined the child's team", K::kChange},
    AuditAction{"team.join_approve", "Approved a request to join the team", K::kChange},
    AuditAction{"team.join_decline", "Declined a request to join the team", K::kChange},
    AuditAction{"team.join_escalate", "Escalated an undecided request to join to the managers", K::kSystem},
    AuditAction{"team.join_inbox", "Looked at requests to join to decide", K::kOwn},
    AuditAction{"team.join_request", "Asked to join the child's team", K::kChange},
    AuditAction{"team.join_requests", "Looked at the requests to join the team", K::kView},
    AuditAction{"team.join_withdraw", "Withdrew a request to join the team", K::kChange},
    AuditAction{"team.lead_change", "Changed the lead professional", K::kChange},
    AuditAction{"team.leave", "Left the child's team", K::kChange},
    AuditAction{"totp.enrol", "Enrolled a second factor", K::kSignIn},
    AuditAction{"totp.enrol.start", "Started enrolling a second factor", K::kSignIn},
    AuditAction{"user.create", "Added a user", K::kAdministration},
    AuditAction{"user.home", "Recorded where a user lives (for the misuse report)", K::kAdministration},
    AuditAction{"user.list", "Listed users", K::kAdministration},
    AuditAction{"user.read", "Looked at a user's account", K::kAdministration},
    AuditAction{"user.update", "Changed a user's account", K::kAdministration},
    AuditAction{"wheel.person_add", "Added a person to the relationships wheel", K::kChange},
    AuditAction{"wheel.person_update", "Changed a person on the relationships wheel", K::kChange},
    AuditAction{"wheel.read", "Looked at the relationships wheel", K::kView},
    AuditAction{"word_cloud.read", "Looked at the word cloud", K::kView},
};

}  // namespace

std::string_view ToString(AuditActionKind kind) {
  switch (kind) {
    case K::kView:
      return "view";
    case K::kSearch:
      return "search";
    case K::kChange:
      return "change";
    case K::kSignIn:
      return "sign_in";
    case K::kOwn:
      return "own";
    case K::kAdministration:
      return "administration";
    case K::kFamily:
      return "family";
    case K::kAudit:
      return "audit";
    case K::kSystem:
      return "system";
  }
  return "system";
}

std::span<const AuditAction> AuditActions() { return kActions; }

const AuditAction* FindAuditAction(std::string_view name) {
  const auto it = std::lower_bound(kActions.begin(), kActions.end(), name,
                                   [](const AuditAction& a, std::string_view n) { return a.name < n; });
  return it != kActions.end() && it->name == name ? &*it : nullptr;
}

}  // namespace kith::domain
