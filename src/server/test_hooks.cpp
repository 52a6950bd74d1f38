#include "server/test_hooks.h"

#include <libpq-fe.h>
#include <sqlite3.h>

#include <cstdlib>
#include <optional>

#include <nlohmann/json.hpp>

#include "http/handlers.h"
#include "http/json_codec.h"
#include "http/problem.h"

namespace kith::server {
namespace {

// The injectable query: the word is pasted in, quotes and all. The table is a literal one-row
// table, so the control reads nothing of the server's data when used as meant; the same text
// runs on SQLite and PostgreSQL.
std::string InjectableQuery(const std::string& word) {
  return "SELECT count(*) FROM (SELECT 'kith' AS word) AS w WHERE w.word = '" + word + "'";
}

// The count, or nothing when the database refused the text (a syntax error from a stray quote).
std::optional<int64_t> CountOnSqlite(const std::string& path, const std::string& query) {
  sqlite3* db = nullptr;
  std::optional<int64_t> count;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_busy_timeout(db, 5000);
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db, query.c_str(), -1, &stmt, nullptr) == SQLITE_OK && stmt &&
        sqlite3_step(stmt) == SQLITE_ROW) {
      count = sqlite3_column_int64(stmt, 0);
    }
    sqlite3_finalize(stmt);
  }
  sqlite3_close(db);
  return count;
}

std::optional<int64_t> CountOnPostgres(const std::string& url, const std::string& query) {
  PGconn* conn = PQconnectdb(url.c_str());
  std::optional<int64_t> count;
  if (PQstatus(conn) == CONNECTION_OK) {
    // One statement only (the extended protocol), like the product's own queries.
    PGresult* res = PQexecParams(conn, query.c_str(), 0, nullptr, nullptr, nullptr, nullptr, 0);
    if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1) {
      count = std::strtoll(PQgetvalue(res, 0, 0), nullptr, 10);
    }
    PQclear(res);
  }
  PQfinish(conn);
  return count;
}

}  // namespace

Status TestHooks::Check(const Config& config) {
  const std::string& a = config.address;
  if (a != "127.0.0.1" && a != "::1" && a != "localhost") {
    return Error::Invalid("address", "kith-test is the test build (a clock anyone can move, fault injection): it serves "
                                     "only on a loopback address. Run `kith` to serve anywhere else.");
  }
  database_url_ = config.database_url;
  database_path_ = config.DatabasePath();
  return Ok{};
}

const Clock& TestHooks::ServerClock(const Clock& system) {
  clock_ = std::make_unique<ManualClock>(system.Now());
  return *clock_;
}

void TestHooks::AddRoutes(http::Router& router, app::AuthService& auth, const http::ApiOptions& options) {
  router.Add("POST", "/api/v1/test/clock", [this](const http::Request& q, const http::Params&) {
    auto body = http::ParseObject(q.body);
    if (!body) return http::ErrorResponse(body.error(), q.request_id);
    http::ObjectReader in(*body, "", {"advance_seconds"});
    const int64_t seconds = in.Int("advance_seconds", true);
    if (in.error()) return http::ErrorResponse(*in.error(), q.request_id);
    clock_->Advance(std::chrono::seconds(seconds));
    http::Response r;
    r.content_type = "application/json";
    r.body = nlohmann::json{{"now", FormatUtc(clock_->Now())}}.dump();
    return r;
  });
  router.Add("POST", "/api/v1/test/injectable", [this, &auth, options](const http::Request& q, const http::Params&) {
    return http::WithBody(auth, options, q, [&](const app::Principal&, const http::json& body) {
      http::ObjectReader in(body, "", {"word"});
      const std::string word = in.String("word", true, 200);
      if (in.error()) return http::ErrorResponse(*in.error(), q.request_id);
      const std::string query = InjectableQuery(word);
      const auto count = database_url_.empty() ? CountOnSqlite(database_path_, query)
                                               : CountOnPostgres(database_url_, query);
      if (!count) {
        return http::ProblemResponse(500, "internal", "Internal error", "The query failed.", q.request_id);
      }
      return http::JsonResponse(200, {{"matches", *count}});
    });
  });
}

void TestHooks::AfterDurableWrite(const http::Request& request) {
  if (request.Header("x-kith-test-fault") == "crash-after-write") std::_Exit(137);
}

}  // namespace kith::server
