// Use cases of the early help assessment (issue 7): start and edit the assessment, complete
// and lock it, new versions, TAC meetings, the action plan, reviews, closure, and the lead
// professional designated and handed over on the assessment. The workflow rules are in
// domain/early_help/assessment.h; this layer adds access, audit and the effects across Kith:
//
// - Access, through the ChildGate (child_gate.h): the team reads and writes; break-glass reads;
//   supervising managers do not (the assessment holds the family's own words). Every read,
//   write and refusal is audited; a change and its audit record are written in the same
//   transaction.
// - The child's early-help flag is set when an assessment starts and cleared when it closes,
//   so the index and signposting show that one exists; the assessment's lead professional is
//   the team's (see lead_professional.h), so signposting names the same person.
// - Key events (started, completed, each TAC meeting, each review, closure) become chronology
//   entries by the actor's agency, and feed items for the team.
// - Overdue actions alert their owner and the lead professional once (SweepOverdue, run on a
//   timer by the server and before every read, against the injected clock).
// - After each change the LiveHub (if any) is told ("early_help", and "chronology" when an
//   entry was made), so team members with the account open see it without reloading.
//
// Writes take an optional `expected_revision`: when given and stale the write is refused with
// kConflict, so two people editing the same draft do not overwrite each other.
//
// Thread safety: safe from any thread.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "app/child_gate.h"
#include "app/context.h"
#include "app/live_hub.h"
#include "app/principal.h"
#include "app/word_index.h"
#include "common/result.h"
#include "domain/early_help/assessment.h"

namespace kith::app {

// An assessment with the names a reader needs.
struct AssessmentView {
  domain::early_help::Assessment assessment;
  std::map<std::string, std::string> names;  // user id -> display name, for every user it mentions
  std::vector<std::string> overdue_action_ids;
  // Whether the family sees it (none: within the team, like anything nobody shared; ADR 0017).
  std::optional<storage::VisibilityRow> family_visibility;
};

// The view of `a` as read by the team on `today` (names of every user it mentions, overdue
// actions). For other use cases that export an assessment (the subject-access export).
AssessmentView AssessmentViewOf(storage::Repositories& r, domain::early_help::Assessment a, const Date& today);

struct NewAction {
  std::string description;
  std::string owner_id;
  Date due_on;
  std::string need_id;
};

struct NewMeeting {
  Date held_on;
  std::vector<std::string> attendees;
  std::string decisions;
  std::vector<NewAction> actions;  // agreed at the meeting
};

struct NewReview {
  Date held_on;
  std::vector<domain::early_help::NeedProgress> progress;
  std::string summary;
};

class EarlyHelpService {
 public:
  // The word index must outlive the service (chronology entries are indexed as they are made).
  // `hub` may be null (no live updates).
  EarlyHelpService(Context& context, WordIndex& words, LiveHub* hub = nullptr)
      : ctx_(context), words_(words), hub_(hub) {}

  // Errors for all: kNotFound (no child, or no such assessment on this child), kForbidden (not
  // on the team), kInvalidInput (field named), kConflict (a transition the workflow refuses, a
  // stale revision).

  // The child's assessments, newest first.
  Result<std::vector<AssessmentView>> List(const Principal& p, const std::string& child_id);
  Result<AssessmentView> Get(const Principal& p, const std::string& child_id, const std::string& id);
  // Starts an assessment in draft. `lead_user_id` empty: the team's lead professional, or the
  // caller when the team has none; otherwise that member becomes the lead (team handover rules).
  // kConflict if the child already has an open assessment.
  Result<AssessmentView> Start(const Principal& p, const std::string& child_id, domain::early_help::Content content,
                               const std::string& lead_user_id);
  Result<AssessmentView> EditDraft(const Principal& p, const std::string& child_id, const std::string& id,
                                   std::optional<int64_t> expected_revision, domain::early_help::Content content);
  Result<AssessmentView> Complete(const Principal& p, const std::string& child_id, const std::string& id,
                                  std::optional<int64_t> expected_revision);
  Result<AssessmentView> NewVersion(const Principal& p, const std::string& child_id, const std::string& id,
                                    std::optional<int64_t> expected_revision);
  // Action owners must be members of the team.
  Result<AssessmentView> HoldMeeting(const Principal& p, const std::string& child_id, const std::string& id,
                                     std::optional<int64_t> expected_revision, const NewMeeting& meeting);
  Result<AssessmentView> AddAction(const Principal& p, const std::string& child_id, const std::string& id,
                                   std::optional<int64_t> expected_revision, const NewAction& action);
  Result<AssessmentView> SetActionStatus(const Principal& p, const std::string& child_id, const std::string& id,
                                         const std::string& action_id, std::optional<int64_t> expected_revision,
                                         domain::early_help::ActionStatus status);
  Result<AssessmentView> RecordReview(const Principal& p, const std::string& child_id, const std::string& id,
                                      std::optional<int64_t> expected_revision, const NewReview& review);
  Result<AssessmentView> Close(const Principal& p, const std::string& child_id, const std::string& id,
                               std::optional<int64_t> expected_revision, domain::early_help::Outcome outcome,
                               const std::string& summary);
  // Hands the lead professional role over (the team's lead changes with it). `reason`: 10..500
  // characters, as for any handover.
  Result<AssessmentView> HandOver(const Principal& p, const std::string& child_id, const std::string& id,
                                  const std::string& to_user_id, const std::string& reason);

  // Alerts the owner and the lead professional of each action that became overdue (once per
  // action) and marks it alerted, in one transaction per assessment with an audit record.
  // Returns the number of actions alerted.
  int SweepOverdue();

 private:
  template <typename F>
  Result<AssessmentView> Change(const Principal& p, const std::string& child_id, const std::string& id,
                                const char* action, std::optional<int64_t> expected_revision, F&& fn);

  Context& ctx_;
  ChildGate gate_{ctx_};
  WordIndex& words_;
  LiveHub* hub_;
};

}  // namespace kith::app
