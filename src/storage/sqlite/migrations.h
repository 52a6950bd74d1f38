// The SQLite schema as numbered migrations, applied in order and recorded in user_version.
#pragma once

#include "storage/sqlite/connection.h"

namespace kith::storage::sqlite {

// The schema version this build expects.
int LatestSchemaVersion();

// Applies every migration newer than the database's user_version, each in its own transaction.
// Returns the number applied. Throws StorageError if the database is newer than this build.
int ApplyMigrations(Connection& connection);

// The database's current schema version (0 for an empty database).
int SchemaVersion(Connection& connection);

}  // namespace kith::storage::sqlite
