// The composition root: the one place where the store, clock, randomness, services, router and
// server are built and wired together, and where every command (serve, the administration
// commands, the tools) gets its database.
#pragma once

#include <memory>
#include <string>

#include "common/result.h"
#include "server/config.h"
#include "server/db_lock.h"
#include "storage/store.h"

namespace kith::server {

class ServeHooks;

// How a command uses the database.
struct DatabaseRequest {
  // The SQLite file to use instead of the data directory's (import and search --db); ignored
  // when database_url is set.
  std::string sqlite_path;
  // The SQLite file must exist already (a tool does not create an empty database).
  bool must_exist = false;
  // The command writes behind a server's back what a SQLite server keeps in memory (its audit
  // chain head, its search index): it must then have the file alone (DatabaseLock). `in_the_way`
  // names who would hold it, for the message. PostgreSQL needs no such lock.
  bool exclusive = false;
  std::string in_the_way;
  // Database connections (PostgreSQL) or readers (SQLite).
  int connections = 4;
};

struct Database {
  std::unique_ptr<storage::Store> store;  // wrapped in storage::IdempotentStore
  std::unique_ptr<DatabaseLock> lock;     // SQLite, when exclusive
  std::string where;                      // the file, or the URL without its password
};

// Opens the database of `config`: PostgreSQL when database_url is set, else the embedded SQLite
// database. kConflict when another process holds a SQLite file this use must have alone,
// kNotFound when a file that must exist does not. Throws storage::StorageUnavailable (naming the
// database without its password) when PostgreSQL cannot be reached, storage::StorageError when
// the schema does not fit.
Result<Database> OpenDatabase(const Config& config, const DatabaseRequest& request);

// Applies pending migrations and returns "<where>: schema version <from> -> <to>".
std::string MigrateDatabase(const Config& config);

// Runs the server until SIGTERM/SIGINT. With `demo_if_empty`, an empty database first gets the
// demo data and the demo logins are printed. `hooks` (may be null) extend the server: the test
// build's (server/hooks.h). Returns the process exit code.
int Serve(const Config& config, bool demo_if_empty, ServeHooks* hooks = nullptr);

}  // namespace kith::server
