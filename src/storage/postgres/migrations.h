// The PostgreSQL schema as numbered migrations, private to the back end. Everything Kith stores
// lives in the schema `kith`; applied versions are recorded in kith.schema_migrations.
//
// Migrations run as the role that will own the tables (the owner role of README's operations
// section). After applying them, the runner grants the group role `kith_server` — the role the
// servers connect as, when it exists — what a server needs and no more: it may read and change
// the tables, but on `audit_log` only SELECT and INSERT.
//
// Not thread-safe: each function uses the connection it is given. Concurrent runners (several
// nodes starting at once) are serialised by an advisory lock.
#pragma once

#include <utility>

#include "storage/postgres/connection.h"

namespace kith::storage::postgres {

// The schema version this build writes and reads.
int LatestSchemaVersion();

// The version recorded in the database; 0 when the schema has never been created.
int SchemaVersion(Connection& connection);

// Applies pending migrations and the grants, and returns (from, to) versions. Throws StorageError
// if the database's schema is newer than this build, if its encoding is not UTF-8, or if this
// role may not create the schema (with a message saying to run `kith migrate` as the owner).
std::pair<int, int> ApplyMigrations(Connection& connection);

}  // namespace kith::storage::postgres
