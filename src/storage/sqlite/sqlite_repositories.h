// The SQLite implementation of every repository over one connection. Private to the back end.
// Not thread-safe: used by one transaction on one thread.
#pragma once

#include <memory>
#include <string>

#include "storage/repositories.h"
#include "storage/sqlite/connection.h"

namespace kith::storage::sqlite {

// The head of the audit chain, owned by the writer so that appends need no read-back.
struct AuditHead {
  int64_t seq = 0;
  std::string hash;
};

// Reads the head of the chain from the database.
AuditHead LoadAuditHead(Connection& connection);

// Creates the repositories for one connection. `head` is null for read-only connections;
// audit appends then throw StorageError. `identity_changed` (null for read-only connections) is
// set to true by every write to users, sessions or local authorities.
std::unique_ptr<Repositories> MakeRepositories(Connection& connection, AuditHead* head,
                                               bool* identity_changed = nullptr);

}  // namespace kith::storage::sqlite
