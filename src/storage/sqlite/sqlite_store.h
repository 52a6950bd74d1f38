// The embedded SQLite back end: one database file in WAL mode, one writer thread that commits
// queued writes in groups, and a pool of read-only connections.
// Thread safety: as Store (store.h).
#pragma once

#include <memory>
#include <string>

#include "storage/store.h"

namespace kith::storage {

struct SqliteOptions {
  std::string path;     // the database file; created if missing
  int readers = 4;      // read-only connections in the pool
  int max_batch = 512;  // most writes committed together
  bool apply_migrations = true;
};

// Opens the database, applies pending migrations (unless told not to) and starts the writer.
// Throws StorageError if the file cannot be opened or its schema is newer than this build.
std::unique_ptr<Store> OpenSqliteStore(const SqliteOptions& options);

// Applies pending migrations to the database at `path` and returns (from, to) versions.
std::pair<int, int> MigrateSqlite(const std::string& path);

}  // namespace kith::storage
