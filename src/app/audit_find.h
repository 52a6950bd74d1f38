// Auditors find a child by name (issue 15), not only by Kith id: the search index's fuzzy match on
// names (and a date of birth when given), limited to children of the auditor's own authority, so
// the audit trail of a child can be opened from a name. Shielded children are found only by their
// exact name and date of birth, as in every search. Each search is audited with its terms.
// Thread safety: safe from any thread.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/context.h"
#include "app/principal.h"
#include "common/result.h"
#include "linkage/search_index.h"

namespace kith::app {

struct FoundChild {
  std::string child_id;
  std::string given_names;
  std::string family_name;
  std::optional<Date> date_of_birth;
  double score = 0;
};

class AuditFind {
 public:
  // `index` must outlive the service.
  AuditFind(Context& context, const linkage::SearchIndex& index) : ctx_(context), index_(index) {}

  // Children of the auditor's authority matching the names, best first (at most 20). Errors:
  // kForbidden (not an auditor of an authority), kInvalidInput (no name: field "family_name").
  Result<std::vector<FoundChild>> Children(const Principal& p, const std::string& given_name,
                                           const std::string& family_name, std::optional<Date> date_of_birth);

 private:
  Context& ctx_;
  const linkage::SearchIndex& index_;
};

}  // namespace kith::app
