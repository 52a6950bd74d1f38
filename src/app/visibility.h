// Recording and reading the family visibility of chronology entries and forum threads (issue 5;
// the rules are in domain/account/family.h). Used inside the caller's transaction by the
// account and family use cases, so that an entry and its visibility are written together.
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

// The authority's default for a subject type (an entry type code or "forum_thread"), or the
// built-in default when the authority has set none.
domain::Visibility AuthorityDefault(storage::Repositories& r, const std::string& authority_id,
                                    std::string_view subject_type);

struct VisibilitySubject {
  std::string child_id;
  std::string authority_id;  // the child's authority, whose defaults apply
  std::string subject_id;    // entry lineage id or thread id
  std::string_view kind;     // "entry" | "thread"
  std::string_view type;     // entry type code or "forum_thread"
};

// Resolves `choice` against the authority's default and stores it for the subject, replacing
// any previous row. Errors: kInvalidInput (domain::ResolveVisibility).
Result<storage::VisibilityRow> RecordVisibility(storage::Repositories& r, const VisibilitySubject& subject,
                                                const std::optional<domain::VisibilityChoice>& choice,
                                                const std::string& by, TimePoint at);

// Every visibility row of a child by subject id.
std::map<std::string, storage::VisibilityRow> VisibilityOf(storage::Repositories& r, const std::string& child_id);

}  // namespace kith::app
