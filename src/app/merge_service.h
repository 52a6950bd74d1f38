// Merge and un-merge of two child records found to be one child (issue 6), for index stewards of
// the authority both children belong to (docs/adr/0010-index-steward-permission.md).
//
// Merging moves the merged-away child's source records to the survivor and hides the merged
// child: search skips it and every act on it but reading its audit trail answers "no such
// child". Nothing else changes, so an un-merge restores both records exactly: the moved source
// records go back and the merged child reappears. The safe rule for case content: a child with
// any team member, chronology entry, forum thread or person on its wheel cannot be merged away
// (merge the other way round, or have its team close it first), so no case content ever
// follows a survivor it might later have to leave. Who, when and why of both acts are kept for
// ever in the merge record and in both children's audit trails.
// Thread safety: safe from any thread.
#pragma once

#include <string>

#include "app/context.h"
#include "app/principal.h"
#include "common/result.h"
#include "storage/repositories.h"

namespace kith::app {

class MergeService {
 public:
  explicit MergeService(Context& context) : ctx_(context) {}

  // Errors: kForbidden (not an index steward of both children's authority), kNotFound (either child),
  // kInvalidInput (reason; the same child twice), kConflict (either is merged away already, the
  // merged child is itself a survivor, different NHS numbers or UPNs, or the merged child has
  // case content).
  Result<storage::ChildMerge> Merge(const Principal& p, const std::string& survivor_id, const std::string& merged_id,
                                    const std::string& reason);

  // Errors: kForbidden, kNotFound, kInvalidInput (reason), kConflict (already undone).
  Result<storage::ChildMerge> Unmerge(const Principal& p, const std::string& merge_id, const std::string& reason);

  // One merge. Audited (index.merge.read) whether allowed, refused or not found. Errors:
  // kForbidden, kNotFound.
  Result<storage::ChildMerge> Get(const Principal& p, const std::string& merge_id);

 private:
  Context& ctx_;
};

}  // namespace kith::app
