// Search of the national child index (issue 6): finds children by any combination of names,
// date of birth or age range, postcode, NHS number and UPN through the in-memory search index
// (linkage/search_index.h). Every search states a reason (10..500 characters) and is audited
// with its terms; results never carry a shielded child's location, and shielded children are
// found only by an exact name and date of birth.
// The service also keeps the index current: it is the ChildObserver the ChildService tells
// about every child created or changed.
// Thread safety: safe from any thread.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/child_observer.h"
#include "app/context.h"
#include "app/principal.h"
#include "common/result.h"
#include "linkage/search_index.h"

namespace kith::app {

// The search terms as asked; every field optional. `today` is filled by the service.
using SearchTerms = linkage::SearchQuery;

struct SearchResultView {
  std::string child_id;
  std::string given_names;
  std::string family_name;
  std::optional<Date> date_of_birth;
  std::string postcode_district;  // empty (null in the API) when shielded or unknown
  double score = 0;               // in [0, 1]
  bool shielded = false;
  bool on_my_team = false;
};

struct SearchOutcome {
  std::vector<SearchResultView> results;  // best first, at most 20
  bool truncated = false;
};

class SearchService : public ChildObserver {
 public:
  // `index` must outlive the service.
  SearchService(Context& context, linkage::SearchIndex& index) : ctx_(context), index_(index) {}

  // Errors: kForbidden (role does not work with children), kInvalidInput (reason, or terms too
  // thin or malformed, with the field named). Refusals and searches are audited.
  Result<SearchOutcome> Search(const Principal& p, SearchTerms terms, const std::string& reason);

  void ChildStored(const domain::Child& child) override;

 private:
  Context& ctx_;
  linkage::SearchIndex& index_;
};

// The index entry of a child record.
linkage::IndexedChild ToIndexedChild(const domain::Child& child);

// Builds the index from every child in the store, authority by authority in pages; calls
// `progress` with the number of children indexed so far (every 100,000 and at the end).
std::unique_ptr<linkage::SearchIndex> BuildSearchIndex(storage::Store& store,
                                                       const std::function<void(size_t indexed)>& progress);

}  // namespace kith::app
