// Fresh databases in the throwaway PostgreSQL cluster that `make test` starts
// (scripts/test-postgres, in build/postgres; KITH_TEST_POSTGRES, the connection string of its
// superuser, may name another). A test that needs PostgreSQL fails, never skips, when the
// cluster is missing.
//
// Thread safety: call from one thread (a test's set-up).
#pragma once

#include <string>

namespace kith::testing {

// KITH_TEST_POSTGRES, or the build tree's cluster.
std::string AdminConnection();

// Creates (or re-creates, empty) database `name` with Kith's schema applied by the owner role
// kith_owner, copied from a template migrated once per process.
void CreateKithDatabase(const std::string& name);

// Drops database `name` if it exists.
void DropDatabase(const std::string& name);

// Connection strings for database `name` as the server's login role (kith_app, a member of
// kith_server) and as the schema's owner.
std::string AppUrl(const std::string& name);
std::string OwnerUrl(const std::string& name);

}  // namespace kith::testing
