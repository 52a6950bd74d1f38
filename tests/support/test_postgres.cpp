#include "support/test_postgres.h"

#include <libpq-fe.h>
#include <unistd.h>

#include <cstdlib>
#include <stdexcept>

#include "storage/postgres/postgres_store.h"

namespace kith::testing {
namespace {

void Run(const std::string& conninfo, const std::string& sql) {
  PGconn* conn = PQconnectdb(conninfo.c_str());
  if (PQstatus(conn) != CONNECTION_OK) {
    const std::string reason = PQerrorMessage(conn);
    PQfinish(conn);
    throw std::runtime_error("cannot reach the test PostgreSQL cluster (" + conninfo + "): " + reason +
                             "Run the tests with `make test` or ctest, which start it (scripts/test-postgres), or "
                             "start it yourself: scripts/test-postgres start build/postgres");
  }
  PQsetNoticeProcessor(
      conn, [](void*, const char*) {}, nullptr);  // "does not exist, skipping"
  PGresult* result = PQexec(conn, sql.c_str());
  const bool ok = PQresultStatus(result) == PGRES_COMMAND_OK || PQresultStatus(result) == PGRES_TUPLES_OK;
  const std::string error = ok ? "" : PQresultErrorMessage(result);
  PQclear(result);
  PQfinish(conn);
  if (!ok) throw std::runtime_error(sql + ": " + error);
}

std::string Quoted(const std::string& name) { return "\"" + name + "\""; }

std::string Template() {
  static const std::string name = [] {
    const std::string t = "kith_template_" + std::to_string(::getpid());
    DropDatabase(t);
    Run(AdminConnection() + " dbname=postgres", "CREATE DATABASE " + Quoted(t) + " OWNER kith_owner");
    storage::MigratePostgres(OwnerUrl(t));
    return t;
  }();
  return name;
}

}  // namespace

std::string AdminConnection() {
  const char* value = std::getenv("KITH_TEST_POSTGRES");
  return value != nullptr && *value != '\0' ? value : KITH_TEST_POSTGRES_DEFAULT;
}

void CreateKithDatabase(const std::string& name) {
  const std::string from = Template();
  DropDatabase(name);
  Run(AdminConnection() + " dbname=postgres",
      "CREATE DATABASE " + Quoted(name) + " TEMPLATE " + Quoted(from) + " OWNER kith_owner");
}

void DropDatabase(const std::string& name) {
  Run(AdminConnection() + " dbname=postgres", "DROP DATABASE IF EXISTS " + Quoted(name) + " WITH (FORCE)");
}

std::string AppUrl(const std::string& name) { return AdminConnection() + " user=kith_app dbname=" + name; }

std::string OwnerUrl(const std::string& name) { return AdminConnection() + " user=kith_owner dbname=" + name; }

}  // namespace kith::testing
