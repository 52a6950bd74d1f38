// The early help assessment (eCAF, formerly the Common Assessment Framework) and the work of
// the Team Around the Child (TAC) that follows it, as pure rules: the assessment in the CAF
// structure, its versions, and the workflow as an explicit state machine.
//
//   draft ──Complete──▶ completed ──HoldMeeting──▶ plan ──RecordReview──▶ review ──▶ …
//                          │                        │                       │
//                          └────────────── Close (with an outcome) ─────────┴──▶ closed
//
// - An assessment starts as version 1 in draft. Completing a draft locks it for ever.
// - Later changes are new versions: StartNewVersion opens a draft copy of the latest locked
//   version while the locked one stays the version of record; completing it locks it in turn.
//   Every version is kept, so the history is visible.
// - A TAC meeting needs a completed assessment; the action plan needs a TAC meeting; a review
//   records progress against every agreed need of the version of record; closure records an
//   outcome and ends the plan. Nothing happens to a closed assessment.
// Every refused transition returns kConflict with a message saying what to do instead; bad
// content returns kInvalidInput naming the field.
//
// The family's view of each element, and the child's and parents' views, are part of the
// content, so the family portal can later show the assessment and plan and take the family's
// view (see docs/early-help.md).
//
// Plain values and pure functions; safe from any thread.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/date.h"
#include "common/result.h"

namespace kith::domain::early_help {

enum class Stage { kDraft, kCompleted, kPlan, kReview, kClosed };
enum class Outcome { kNeedsMet, kSteppedUp, kSteppedDown, kMovedAway };
enum class ActionStatus { kNotStarted, kInProgress, kDone, kCancelled };
enum class Progress { kWorse, kNoChange, kSomeProgress, kMet };

// Stable codes: "draft", "completed", "plan", "review", "closed"; "needs_met", "stepped_up"
// (to children's social care), "stepped_down" (to universal services), "moved_away";
// "not_started", "in_progress", "done", "cancelled"; "worse", "no_change", "some_progress",
// "met".
std::string_view ToString(Stage stage);
std::string_view ToString(Outcome outcome);
std::string_view ToString(ActionStatus status);
std::string_view ToString(Progress progress);
std::optional<Stage> ParseStage(std::string_view code);
std::optional<Outcome> ParseOutcome(std::string_view code);
std::optional<ActionStatus> ParseActionStatus(std::string_view code);
std::optional<Progress> ParseProgress(std::string_view code);
// How a person reads them ("stepped up to children's social care").
std::string_view Label(Outcome outcome);

// One element of the CAF triangle, in one of its three domains.
struct ElementInfo {
  std::string_view code;          // "health", "learning_aspirations", ...
  std::string_view domain;        // "development", "parenting", "family_environment"
  std::string_view domain_label;  // "Development of the child", ...
  std::string_view label;         // "Health"
};
// Every element in the order of the CAF form.
std::span<const ElementInfo> Elements();
const ElementInfo* FindElement(std::string_view code);

inline constexpr size_t kMaxTextChars = 10'000;  // each free-text field, Unicode code points
inline constexpr size_t kMaxLineChars = 300;     // single-line fields (names, needs, actions)
inline constexpr size_t kMaxNeeds = 30;
inline constexpr size_t kMaxAttendees = 40;

struct Consent {
  std::string given_by;  // who consented ("Sarah Carter, mother")
  std::optional<Date> given_on;
  std::string lawful_basis;  // recorded when proceeding without consent
};

struct ElementAssessment {
  std::string code;  // an ElementInfo code
  std::string strengths;
  std::string needs;
  std::string family_view;
};

struct Need {
  std::string id;  // stable within an assessment ("N1", "N2", ...) so plans and reviews can refer to it
  std::string text;
};

struct Content {
  Consent consent;
  std::vector<ElementAssessment> elements;  // at most one per code, in form order
  std::string child_view;
  std::string parents_view;
  std::string conclusion;
  std::vector<Need> agreed_needs;
};

struct Version {
  int number = 1;
  Content content;
  bool locked = false;
  TimePoint created_at{};
  std::string created_by;
  std::optional<TimePoint> completed_at;
  std::string completed_by;
};

struct Meeting {
  std::string id;
  Date held_on;
  std::vector<std::string> attendees;  // "Name, role or agency", as written
  std::string decisions;
  std::string recorded_by;
  TimePoint recorded_at{};
};

struct Action {
  std::string id;
  std::string description;
  std::string owner_id;  // a member of the team
  Date due_on;
  ActionStatus status = ActionStatus::kNotStarted;
  std::string need_id;     // the agreed need it serves; empty if none in particular
  std::string meeting_id;  // the TAC meeting that agreed it; empty if added between meetings
  TimePoint created_at{};
  TimePoint updated_at{};
  std::optional<Date> overdue_alerted_on;  // when its owner and the lead were told it is overdue
};

struct NeedProgress {
  std::string need_id;
  Progress progress = Progress::kNoChange;
  std::string note;
};

struct Review {
  std::string id;
  Date held_on;
  std::vector<NeedProgress> progress;  // one per agreed need of the version reviewed
  int version_reviewed = 1;
  std::string summary;
  std::string recorded_by;
  TimePoint recorded_at{};
};

struct LeadChange {
  std::string user_id;
  std::string by;
  std::string reason;
  TimePoint at{};
};

struct Assessment {
  std::string id;
  std::string child_id;
  Stage stage = Stage::kDraft;
  std::string lead_id;                   // the lead professional designated on the assessment
  std::vector<LeadChange> lead_history;  // designation then each handover, oldest first
  std::vector<Version> versions;         // oldest first; at most the last is an unlocked draft
  std::vector<Meeting> meetings;         // in the order recorded
  std::vector<Action> actions;
  std::vector<Review> reviews;
  TimePoint opened_at{};
  std::string opened_by;
  std::optional<TimePoint> closed_at;
  std::string closed_by;
  std::optional<Outcome> outcome;
  std::string closure_summary;
  int64_t revision = 0;  // optimistic concurrency, kept by storage

  // The latest locked version (the version of record); null before the first is completed.
  const Version* OfRecord() const;
  // The unlocked draft version, if one is open.
  const Version* Draft() const;
  const Action* FindAction(std::string_view action_id) const;
  bool IsOpen() const { return stage != Stage::kClosed; }
};

// Checks content: known and unrepeated element codes (sorted into form order), lengths, a
// consent date not in the future, needs with ids unique and text. Normalises in place.
Status ValidateContent(Content& content, const Date& today);

// Opens version 1 in draft with `lead_id` designated. `content` is validated; agreed needs
// without an id get the next "N<n>" never used in the assessment (also in EditDraft).
Result<Assessment> Start(std::string id, std::string child_id, std::string lead_id, Content content,
                         const std::string& by, TimePoint at, const Date& today);
// Replaces the content of the open draft. kConflict when no draft is open.
Status EditDraft(Assessment& a, Content content, const Date& today);
// Locks the open draft. Completion needs consent (who and when) or a lawful basis, at least one
// element assessed, a conclusion and at least one agreed need (kInvalidInput naming the field).
// The first completion moves the stage from draft to completed.
Status Complete(Assessment& a, const std::string& by, TimePoint at);
// Opens a draft of the next version, a copy of the version of record. kConflict before the
// first completion, when a draft is already open, or when closed.
Status StartNewVersion(Assessment& a, const std::string& by, TimePoint at);
// Records a TAC meeting (the meeting's id, date, attendees and decisions as given; at least one
// attendee). Needs a completed assessment; moves completed to plan.
Status HoldMeeting(Assessment& a, Meeting meeting, const Date& today);
// Adds an action to the plan. Needs a TAC meeting to have been held (stage plan or review);
// `need_id`, when set, must be an agreed need of the version of record; `meeting_id`, when
// set, a meeting of this assessment. The owner's team membership is the app layer's check.
Status AddAction(Assessment& a, Action action);
// Changes an action's status (and clears its overdue mark when done or cancelled).
// kNotFound for an unknown action; kConflict when closed.
Status SetActionStatus(Assessment& a, std::string_view action_id, ActionStatus status, TimePoint at);
// Records progress against every agreed need of the version of record (kInvalidInput names a
// missing or unknown need). Needs a TAC meeting first; moves plan to review.
Status RecordReview(Assessment& a, Review review, const Date& today);
// Closes with an outcome. Refused in draft (complete the assessment first) and while a new
// version's draft is open (complete it first).
Status Close(Assessment& a, Outcome outcome, std::string summary, const std::string& by, TimePoint at);
// Designates a new lead professional. kConflict when closed or when `to` already leads.
Status HandOver(Assessment& a, const std::string& to, const std::string& by, std::string reason, TimePoint at);

// Actions of an open assessment that are not done or cancelled and were due before `today`.
std::vector<const Action*> OverdueActions(const Assessment& a, const Date& today);
bool IsOverdue(const Action& action, const Date& today);

}  // namespace kith::domain::early_help
