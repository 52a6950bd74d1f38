#include "conformance/backends.h"

#include <cstdio>
#include <functional>

#include "storage/postgres/postgres_store.h"
#include "storage/sqlite/sqlite_store.h"
#include "support/test_postgres.h"

namespace kith::conformance {
namespace {

// One database per test directory in the throwaway cluster; a test's database is dropped when
// the next test makes its own (tests of one process run one after another).
std::string DatabaseFor(const std::string& dir) {
  char name[32];
  std::snprintf(name, sizeof name, "kith_conf_%016zx", std::hash<std::string>{}(dir));
  return name;
}

std::unique_ptr<storage::Store> OpenPostgres(const std::string& dir) {
  // As a server: the login role of kith_server, with the schema its owner made.
  return storage::OpenPostgresStore(
      {.url = testing::AppUrl(DatabaseFor(dir)), .connections = 4, .apply_migrations = false});
}

}  // namespace

std::vector<Backend> Backends() {
  auto sqlite = [](const std::string& dir) {
    return storage::OpenSqliteStore({.path = dir + "/kith.db", .readers = 2});
  };
  auto postgres = [](const std::string& dir) {
    static std::string previous;
    if (!previous.empty() && previous != DatabaseFor(dir)) testing::DropDatabase(previous);
    previous = DatabaseFor(dir);
    testing::CreateKithDatabase(previous);
    return OpenPostgres(dir);
  };
  return {{"sqlite", sqlite, sqlite}, {"postgres", postgres, OpenPostgres}};
}

}  // namespace kith::conformance
