// Building the views of a child's account that readers see (names resolved, visibility
// attached), shared by the account and family use cases.
// Not thread-safe: a Names lives inside one transaction.
#pragma once

#include <map>
#include <string>

#include "app/account_service.h"
#include "storage/repositories.h"

namespace kith::app {

// Display names looked up once per request.
class Names {
 public:
  explicit Names(storage::Repositories& r) : r_(r) {}
  // The user's display name, the agency's name, the child's full name; empty if unknown.
  const std::string& User(const std::string& id);
  const std::string& Agency(const std::string& id);
  const std::string& Child(const std::string& id);

 private:
  storage::Repositories& r_;
  std::map<std::string, std::string> users_, agencies_, children_;
};

// An entry with its agency and author names and, when `visibility` is given, its lineage's
// visibility row.
EntryView ViewOf(storage::StoredEntry e, Names& names,
                 const std::map<std::string, storage::VisibilityRow>* visibility = nullptr);

}  // namespace kith::app
