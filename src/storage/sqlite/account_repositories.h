// The SQLite implementation of the child's-account repositories (chronology, forum, wheel,
// word statistics, feed). Private to the back end; created by MakeRepositories.
// Not thread-safe: used by one transaction on one thread.
#pragma once

#include <memory>

#include "storage/repositories.h"
#include "storage/sqlite/connection.h"

namespace kith::storage::sqlite {

class AccountRepositories {
 public:
  virtual ~AccountRepositories() = default;
  virtual ChronologyRepository& Chronology() = 0;
  virtual ForumRepository& Forum() = 0;
  virtual WheelRepository& Wheel() = 0;
  virtual WordStatsRepository& WordStats() = 0;
  virtual FeedRepository& Feed() = 0;
};

std::unique_ptr<AccountRepositories> MakeAccountRepositories(Connection& connection);

// The family portal's repository (family_repositories.cpp).
std::unique_ptr<FamilyRepository> MakeFamilyRepository(Connection& connection);

// Runs an insert; a uniqueness or primary-key violation becomes kConflict ("<what> already
// exists"); any other failure throws StorageError.
Status InsertOrConflict(Connection& db, Statement& stmt, const std::string& what);

}  // namespace kith::storage::sqlite
