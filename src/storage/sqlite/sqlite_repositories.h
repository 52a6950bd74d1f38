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

// What the writer's repositories changed in the current batch, so that the store can tell the
// caches above it (Store::IdentityVersion, Store::RecordsVersion). Touched only by the writer.
struct WriteEffects {
  bool identity = false;  // users, sessions or local authorities
  bool records = false;   // children, teams, users, agencies or merges: what an account shows
};

// Reads the head of the chain from the database.
AuditHead LoadAuditHead(Connection& connection);

// Creates the repositories for one connection. `head` is null for read-only connections;
// audit appends then throw StorageError. `effects` (null for read-only connections) is marked by
// every write that changes what it names.
std::unique_ptr<Repositories> MakeRepositories(Connection& connection, AuditHead* head,
                                               WriteEffects* effects = nullptr);

}  // namespace kith::storage::sqlite
