// The PostgreSQL back end: for a national deployment, where several Kith nodes share one
// database (docs/architecture.md).
//
// Each store keeps a pool of connections, each served by a thread of its own; a Read or Write
// is handed to a free connection and its caller waits through Await (common/await.h), so a
// server fiber never blocks its thread on the network. Writes run at SERIALIZABLE isolation (with
// sequential scans discouraged, enable_seqscan off, since one takes a predicate lock on its whole
// table) and are retried after a serialisation failure or deadlock (storage/store.h, "Bounded retry");
// reads run at REPEATABLE READ, read only. Every connection owns an audit chain while it lives
// (docs/adr/0014-audit-chains-per-writer.md) and a row of kith.store_versions, made and moved by its writes when they change
// identities or records, so that IdentityVersion and RecordsVersion (the sums over the rows)
// move for every node's writes. A lost connection is replaced on next use; a multi-host URL with
// target_session_attrs=read-write finds the new primary after a failover.
//
// Thread safety: as Store (store.h).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "storage/message_bus.h"
#include "storage/store.h"

namespace kith::storage {

struct PostgresOptions {
  std::string url;               // a libpq connection URI or key=value string
  int connections = 8;           // the pool; each connection is a server process on the database
  int max_attempts = 8;          // of a Write's callback, after serialisation failures
  bool apply_migrations = true;  // as the schema's owner; otherwise the schema must be current
  std::string application_name = "kith";
};

// Connects, applies pending migrations (unless told not to) and opens the pool. Throws
// StorageUnavailable (naming the URL without its password) if the database cannot be reached,
// and StorageError if the schema is newer than this build, or older and not to be migrated.
std::unique_ptr<Store> OpenPostgresStore(const PostgresOptions& options);

// The channel every write to `children` notifies at its commit (a trigger: PostgreSQL migration
// 10), so that a bus listening on it learns at once that the change feed has moved on.
inline constexpr const char* kChildChangesChannel = "kith_children";

// A MessageBus between the processes over the database at `url` (LISTEN/NOTIFY on `channel`, a
// lower-case identifier), on connections of its own. Connects when first used.
std::unique_ptr<MessageBus> OpenPostgresBus(const std::string& url, const std::string& channel);

// The connection URI or string with any password replaced by "***", for messages and logs.
std::string RedactDatabaseUrl(std::string_view url);

// Applies pending migrations (and the grants to the kith_server role) as the role of `url`, and
// returns (from, to) versions.
std::pair<int, int> MigratePostgres(const std::string& url);

}  // namespace kith::storage
