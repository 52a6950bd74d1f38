// Recording and reading the family visibility of chronology entries, forum threads and early
// help assessments (issues 5 and 15; the rules are in domain/account/family.h). Used inside the
// caller's transaction by the account and family use cases, so that an entry and its visibility
// are written together.
// Thread safety: functions run inside the caller's transaction.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"
#include "domain/account/family.h"
#include "storage/repositories.h"

namespace kith::app {

// The authority's setting for a subject type (an entry type code or "forum_thread"), if any.
std::optional<domain::Visibility> AuthoritySetting(storage::Repositories& r, const std::string& authority_id,
                                                   std::string_view subject_type);

struct VisibilitySubject {
  std::string child_id;
  std::string authority_id;  // the child's authority, whose defaults apply
  std::string subject_id;    // entry lineage id, thread id or assessment id
  std::string_view kind;     // "entry" | "thread" | "assessment"
  std::string_view type;     // entry type code, "forum_thread" or "early_help_assessment"
  bool serious = false;      // an entry whose current version is serious
  // The agency that recorded it (an entry's agency, a thread author's; for an early help
  // assessment, its lead professional's agency, which leads the work with the family).
  std::string recording_agency_id;
};

// Who set a visibility: the user and the agency they act for.
struct Setter {
  std::string user_id;
  std::string agency_id;
};

// The visibility of a new subject: `choice`, or without one domain::DefaultVisibility for the
// type (the authority's setting above the floor). Stored, replacing any previous row.
// Errors: kInvalidInput (domain::ResolveVisibility).
Result<storage::VisibilityRow> RecordVisibility(storage::Repositories& r, const VisibilitySubject& subject,
                                                const std::optional<domain::VisibilityChoice>& choice, const Setter& by,
                                                TimePoint at);

// The subject `subject_id` names on the child's account (any version of an entry, a thread or an
// early help assessment), with its type and recording agency; nullopt if there is none.
std::optional<VisibilitySubject> FindSubject(storage::Repositories& r, const std::string& child_id,
                                             const std::string& authority_id, const std::string& subject_id);

// The subject's visibility now: its row, or without one the fail-closed default (team only,
// set by nobody) — except an assessment, which the family sees unless it is restricted.
storage::VisibilityRow CurrentVisibility(storage::Repositories& r, const VisibilitySubject& subject);

// The agencies behind the subject's current visibility (domain::Holders).
domain::Holders HoldersOf(const VisibilitySubject& subject, const storage::VisibilityRow& current);

// Changes the visibility of an existing subject as `by` asks. Holding it back (kTeam) is checked
// by domain::CheckRestrict, and taking back what the family already sees needs a restriction
// reason; sharing something the team holds back is a release, which needs a reason and the
// holders' agreement, so it is refused here (kConflict naming the way to do it).
// Errors: kInvalidInput, kConflict.
Result<storage::VisibilityRow> ChangeVisibility(storage::Repositories& r, const VisibilitySubject& subject,
                                                const domain::VisibilityChoice& choice, const Setter& by, TimePoint at);

// Every visibility row of a child by subject id.
std::map<std::string, storage::VisibilityRow> VisibilityOf(storage::Repositories& r, const std::string& child_id);

}  // namespace kith::app
