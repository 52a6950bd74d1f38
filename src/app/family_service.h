// Use cases of the family portal (issue 5).
//
// For the team around a child: invite a parent, carer or young person (a one-time code that
// expires; only its hash is stored), list invitations and family accounts, suspend or reinstate
// a family account, set the family visibility of an entry or thread (restricting needs a reason
// from the fixed list), review restrictions (the lead professional confirms or lifts them),
// read the family's own entries. For administrators: the authority's visibility defaults and
// young-person age. For information governance: a full subject-access export of a child with
// restricted parts marked.
// For family members (Role::kFamily): redeem an invitation (identity check: the child's date
// of birth and postcode), link a further child, see their children (the team, family-visible
// entries and threads, their own entries), add their own view, download what they may see.
//
// Access: every act on a child goes through the ChildGate (child_gate.h): team acts with the
// practitioners' policy (domain/access_policy.h), family acts with domain::DecideFamily, the
// subject-access export with the information-governance permission (never administrators).
// Every act, read and refusal is audited
// like AccountService's, with the actor's role ("family" for family members).
// Thread safety: safe from any thread.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "app/account_service.h"
#include "app/child_gate.h"
#include "app/context.h"
#include "app/early_help_service.h"
#include "app/live_hub.h"
#include "app/principal.h"
#include "common/result.h"
#include "domain/account/family.h"
#include "domain/early_help/assessment.h"
#include "storage/repositories.h"

namespace kith::app {

inline constexpr std::chrono::hours kInvitationLifetime{24 * 14};
inline constexpr int kMaxIdentityChecks = 5;  // failed checks before an invitation is cancelled

struct NewInvitation {
  domain::FamilyRelation relation = domain::FamilyRelation::kParentCarer;
  std::string name;             // required unless wheel_person_id names someone on the wheel
  std::string wheel_person_id;  // optional
};

struct InvitationView {
  storage::FamilyInvitation invitation;
  std::string status;  // pending | redeemed | expired | cancelled
  std::string invited_by_name;
  std::string code;  // only in the answer to Invite: shown once, never stored
};

struct FamilyMemberView {
  std::string user_id;
  std::string display_name;
  std::string username;
  domain::FamilyRelation relation = domain::FamilyRelation::kParentCarer;
  bool active = true;
  bool second_factor = false;
  TimePoint linked_at;
};

struct Redemption {
  std::string code;
  Date child_date_of_birth;
  std::string postcode;
  // For a new account; ignored by AddLink.
  std::string username;
  std::string password;
  std::string display_name;
};

struct RestrictionView {
  storage::VisibilityRow row;
  std::string title;  // the entry's summary or the thread's title
  std::string set_by_name;
  std::string reviewed_by_name;
  std::string restricting_agency_name;
  std::string recording_agency_name;
  // For the reader: the agencies whose agreement they would need to share it (none: they may
  // share it themselves, with a reason), and whether a release request is waiting.
  std::vector<std::string> agreement_needed;  // agency names
  bool release_pending = false;
};

// One agency's part in a request to release a subject to the family.
struct ReleaseView {
  storage::ReleaseRequest request;
  std::string title;         // the entry's summary, the thread's title or "Early help assessment"
  std::string subject_kind;  // "entry" | "thread" | "assessment"
  std::string agency_name;
  std::string requested_by_name;
  std::string decided_by_name;
  // The request as a whole: "pending" until every agency agreed ("agreed", and the subject is
  // shared) or one declined ("declined").
  domain::ReleaseStatus request_status = domain::ReleaseStatus::kPending;
  bool may_decide = false;      // the reader is on the team for this agency and it is still pending
  bool agency_on_team = false;  // someone from this agency is on the team to answer
  // With nobody from the agency on the team: who in that agency was told of the request when it
  // was made (display names), to ask to join the team and answer. Empty otherwise, and when the
  // agency has nobody active to tell.
  std::vector<std::string> told;
};

// What a release did: shared at once (the reader's own agency holds it), or asked the agencies
// whose agreement it needs.
struct ReleaseOutcome {
  storage::VisibilityRow row;
  bool released = false;
  std::vector<ReleaseView> requests;  // those made or still waiting, one per agency
};

struct FamilyEntryView {
  storage::FamilyEntry entry;
  std::string author_name;
  domain::FamilyRelation relation = domain::FamilyRelation::kParentCarer;
  // What about_entry_id names: "entry" (a chronology lineage), "assessment" (an early help
  // assessment), or empty for thoughts, so readers label a view on the assessment as such.
  std::string about_kind;
};

struct FamilySettings {
  std::vector<std::pair<std::string, domain::Visibility>> defaults;  // every subject type, effective
  std::vector<std::string> fixed;  // safeguarding-sensitive types: team only whatever is set
  int young_person_min_age = domain::kDefaultYoungPersonMinAge;
};

struct FamilyChildSummary {
  std::string child_id;
  std::string name;
  domain::FamilyRelation relation = domain::FamilyRelation::kParentCarer;
};

struct TeamContact {
  std::string name;
  std::string role;  // on the team ("Class teacher")
  std::string agency_name;
  std::string agency_phone;
  std::string agency_email;
  bool lead = false;
};

// An action of the plan as the family sees it: the owner by name and agency, not by user id.
struct FamilyActionView {
  std::string description;
  std::string owner_name;
  std::string owner_agency;
  Date due_on;
  domain::early_help::ActionStatus status = domain::early_help::ActionStatus::kNotStarted;
  bool overdue = false;
  std::string need_id;
};

// An early help assessment as the family sees it (issues 5 and 7): only the version of record
// (the latest completed and locked version; never a draft, never earlier versions), the TAC
// meetings' dates and decisions (not the attendee list, which may name third parties), the
// plan, the reviews and the closure. Practitioners' user ids are not included.
struct FamilyAssessmentView {
  std::string id;
  domain::early_help::Stage stage = domain::early_help::Stage::kCompleted;
  std::string lead_name;
  int version = 1;  // the number of the version of record
  TimePoint completed_at{};
  domain::early_help::Content content;  // of the version of record
  struct MeetingView {
    Date held_on;
    std::string decisions;
  };
  std::vector<MeetingView> meetings;
  std::vector<FamilyActionView> actions;
  std::vector<domain::early_help::Review> reviews;  // recorded_by cleared
  std::optional<TimePoint> closed_at;
  std::optional<domain::early_help::Outcome> outcome;
  std::string closure_summary;
};

// What a family member may see of one child.
struct FamilyChildView {
  FamilyChildSummary child;
  std::optional<Date> date_of_birth;
  // For a shielded child: the team is not listed (nor agencies named) and the family is told
  // whom to contact instead ("Contact through …"); empty otherwise.
  std::string contact_through;
  std::vector<TeamContact> team;
  std::vector<EntryView> entries;           // family-visible, newest first
  std::vector<ThreadDetail> threads;        // family-visible, most recently active first
  std::vector<FamilyEntryView> my_entries;  // written by this family member, newest first
  // Completed early help assessments not restricted from the family, newest first.
  std::vector<FamilyAssessmentView> early_help;
};

struct FamilyExport {
  std::string account_name;
  TimePoint produced_at;
  std::vector<FamilyChildView> children;
};

// An early help assessment in a subject-access export: every version (drafts included: they
// are held about the child too), the meetings, actions, reviews and closure, with the family's
// visibility. No row means the family sees it (assessments are shared unless restricted).
struct SubjectAccessAssessment {
  AssessmentView view;
  std::optional<storage::VisibilityRow> visibility;
  bool family_may_see = false;
};

// Everything held about a child, for an administrator answering a subject-access request.
struct SubjectAccessExport {
  domain::Child child;
  TimePoint produced_at;
  std::string produced_by;
  std::string reason;
  std::vector<EntryView> entries;  // every version, oldest first, each with its visibility
  std::vector<ThreadDetail> threads;
  std::vector<FamilyEntryView> family_entries;
  std::vector<SubjectAccessAssessment> assessments;  // newest first
};

class FamilyService {
 public:
  // `hub` may be null (no live updates). The word index must outlive the service.
  FamilyService(Context& context, WordIndex& words, LiveHub* hub = nullptr) : ctx_(context), words_(words), hub_(hub) {}

  // --- The team's side. Errors: kNotFound (no child), kForbidden, kInvalidInput, kConflict.
  // A team member invites; a young person must have reached the authority's age.
  Result<InvitationView> Invite(const Principal& p, const std::string& child_id, const NewInvitation& invitation);
  Result<std::vector<InvitationView>> Invitations(const Principal& p, const std::string& child_id);
  // Cancels a pending invitation (team members). kConflict if it is no longer pending.
  Result<InvitationView> CancelInvitation(const Principal& p, const std::string& child_id,
                                          const std::string& invitation_id);
  Result<std::vector<FamilyMemberView>> Members(const Principal& p, const std::string& child_id);
  // Suspends (active=false: sessions end at once) or reinstates a family account linked to the
  // child: team members, or an administrator of the child's authority. A reason is required.
  Result<FamilyMemberView> SetMemberActive(const Principal& p, const std::string& child_id, const std::string& user_id,
                                           bool active, const std::string& reason);
  // Sets the visibility of an entry (any version's id; applies to its lineage), a thread or an
  // early help assessment (subject kind "assessment"; visible to the family unless restricted).
  Result<storage::VisibilityRow> SetVisibility(const Principal& p, const std::string& child_id,
                                               const std::string& subject_id, const domain::VisibilityChoice& choice);
  // Restrictions made with a reason (pending first, then newest), for the team.
  Result<std::vector<RestrictionView>> Restrictions(const Principal& p, const std::string& child_id);
  // The lead professional keeps a pending restriction (sharing it instead is a release).
  Result<storage::VisibilityRow> Confirm(const Principal& p, const std::string& child_id, const std::string& subject_id,
                                         const std::string& note);
  // A team member asks to share with the family something the team holds back, saying why.
  // When the holders (the agency that recorded it and the agency that restricted it) are the
  // team member's own, it is shared at once; otherwise each other holder is asked to agree (its
  // team members are alerted; with nobody from that agency on the team, the people of that agency
  // who recorded or restricted it, or else its managers, are alerted to ask to join the team and
  // answer). kConflict if it is already shared or a request is waiting.
  Result<ReleaseOutcome> Release(const Principal& p, const std::string& child_id, const std::string& subject_id,
                                 const std::string& reason);
  // A team member of an agency asked to agree answers, with a reason. Once every agency asked
  // has agreed the subject is shared with the family; one refusal ends the request. The
  // requester is alerted either way, and the restricting practitioner when it is shared.
  // kNotFound if nothing waits on the caller's agency for this subject.
  Result<ReleaseOutcome> DecideRelease(const Principal& p, const std::string& child_id, const std::string& subject_id,
                                       bool agree, const std::string& reason);
  // The child's release requests, newest first, for the team.
  Result<std::vector<ReleaseView>> Releases(const Principal& p, const std::string& child_id);
  // The family's own entries, for the team (newest first).
  Result<std::vector<FamilyEntryView>> FamilyEntries(const Principal& p, const std::string& child_id);

  // --- Administrators of an authority. Both audited (family.settings_read, _update), allowed or
  // refused.
  Result<FamilySettings> Settings(const Principal& p);
  Result<FamilySettings> UpdateSettings(const Principal& p,
                                        const std::vector<std::pair<std::string, domain::Visibility>>& defaults,
                                        std::optional<int> young_person_min_age);
  // Information governance of the child's authority (domain::User::information_governance),
  // with a stated reason (10..500 characters); the lead professional is alerted. Errors:
  // kNotFound, kForbidden, kInvalidInput ("reason").
  Result<SubjectAccessExport> SubjectAccess(const Principal& p, const std::string& child_id, const std::string& reason);

  // --- Family members.
  // Anonymous: checks the code and identity, creates the family account and links it.
  // Errors: kNotFound (unknown, used, expired or cancelled code — one message for all, so codes
  // cannot be probed; a code is about 59 random bits), kInvalidInput (identity does not match,
  // counted on the invitation, which is cancelled after kMaxIdentityChecks; username or password
  // rules), kConflict (username taken).
  Result<FamilyMemberView> Redeem(const Redemption& redemption, const std::string& client);
  // A signed-in parent or carer links a further child (a sibling) with that child's code.
  Result<FamilyChildSummary> AddLink(const Principal& p, const Redemption& redemption);
  Result<std::vector<FamilyChildSummary>> Children(const Principal& p);
  Result<FamilyChildView> Child(const Principal& p, const std::string& child_id);
  Result<FamilyEntryView> AddEntry(const Principal& p, const std::string& child_id, domain::FamilyEntryKind kind,
                                   const std::string& about_entry_id, const std::string& text);
  Result<FamilyExport> Export(const Principal& p);

  // For LiveHub: may this family member receive this event now?
  bool MaySeeLive(const std::string& user_id, const LiveEvent& event);

 private:
  void Refuse(const Principal& p, const std::string& action, const std::string& child_id, std::string_view why);
  Result<storage::FamilyInvitation> CheckRedemption(storage::Repositories& r, const Redemption& redemption,
                                                    bool& identity_failed);

  Context& ctx_;
  ChildGate gate_{ctx_};
  WordIndex& words_;
  LiveHub* hub_;
};

}  // namespace kith::app
