// The SQLite implementation of the national index repositories (source records, the clerical
// review queue and merges). Private to the back end; created by MakeRepositories.
// Not thread-safe: used by one transaction on one thread.
#pragma once

#include <memory>

#include "storage/repositories.h"
#include "storage/sqlite/connection.h"

namespace kith::storage::sqlite {

struct WriteEffects;  // sqlite_repositories.h

class IndexRepositories {
 public:
  virtual ~IndexRepositories() = default;
  virtual SourceRecordRepository& SourceRecords() = 0;
  virtual ReviewRepository& Reviews() = 0;
  virtual MergeRepository& Merges() = 0;
};

std::unique_ptr<IndexRepositories> MakeIndexRepositories(Connection& connection, WriteEffects* effects);

}  // namespace kith::storage::sqlite
