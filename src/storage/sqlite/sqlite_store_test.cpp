// What the SQLite back end promises beyond the Store contract (tests/conformance): writes from
// many callers share durable commits (group commit, docs/adr/0001); the database itself keeps a
// legal hold in force and the child it protects (ADR 0020).
#include "storage/sqlite/sqlite_store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <thread>
#include <vector>

namespace kith::storage {
namespace {

TEST(SqliteStore, ConcurrentWritesShareGroupCommits) {
  const auto dir = std::filesystem::temp_directory_path() / ("kith-sqlite-store-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  {
    auto store = OpenSqliteStore({.path = (dir / "kith.db").string(), .readers = 2});
    constexpr int kThreads = 16, kPerThread = 40;
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&] {
        for (int i = 0; i < kPerThread; ++i) {
          store->Write([](Repositories& r) {
            domain::AuditRecord a;
            a.action = "w";
            r.Audit().Append(a);
            return true;
          });
        }
      });
    }
    for (auto& th : threads) th.join();
    const auto stats = store->Stats();
    EXPECT_EQ(stats.write_jobs, kThreads * kPerThread);
    EXPECT_LT(stats.write_batches, stats.write_jobs) << "no two writes were ever committed together";
    EXPECT_EQ(stats.write_retries, 0);
    const auto heads = store->ReadValue([](Repositories& r) { return r.Audit().Heads(); });
    ASSERT_EQ(heads.size(), 1u);  // one writer, one chain
    EXPECT_EQ(heads[0].chain, 0);
    EXPECT_EQ(heads[0].seq, kThreads * kPerThread);
  }
  std::filesystem::remove_all(dir);
}

// Runs `sql` on the database file directly; returns SQLite's error message, "" on success.
std::string Try(const std::filesystem::path& db, const std::string& sql) {
  sqlite3* conn = nullptr;
  EXPECT_EQ(sqlite3_open(db.c_str(), &conn), SQLITE_OK);
  char* error = nullptr;
  sqlite3_exec(conn, sql.c_str(), nullptr, nullptr, &error);
  std::string out = error ? error : "";
  sqlite3_free(error);
  sqlite3_close(conn);
  return out;
}

TEST(SqliteStore, AHoldInForceAndTheChildItProtectsAreKeptByTheDatabase) {
  const auto dir = std::filesystem::temp_directory_path() / ("kith-sqlite-holds-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const auto db = dir / "kith.db";
  {
    auto store = OpenSqliteStore({.path = db.string(), .readers = 1});
    store->Write([](Repositories& r) {
      EXPECT_TRUE(r.Authorities().Insert({"la1", "E09000099", "Northbrook", false}));
      for (const char* id : {"c1", "c2", "c3", "c4"}) {
        domain::Child c;
        c.id = id;
        c.authority_id = "la1";
        c.given_names = "Amelia";
        c.family_name = "Hart";
        EXPECT_TRUE(r.Children().Insert(c));
      }
      auto hold = [](const char* id, const char* child, Date to) {
        domain::LegalHold h;
        h.id = id;
        h.child_id = child;
        h.authority_id = "la1";
        h.reason = "Civil claim against the authority";
        h.starts_on = Date{2020, 1, 1};
        h.ends_on = to;
        h.placed_by = "u1";
        return h;
      };
      EXPECT_TRUE(r.Retention().InsertHold(hold("H1", "c1", Date{2099, 1, 1})));
      EXPECT_TRUE(r.Retention().InsertHold(hold("H2", "c2", Date{2099, 1, 1})));
      EXPECT_TRUE(r.Retention().InsertHold(hold("H3", "c3", Date{2021, 1, 1})));  // ended
      EXPECT_TRUE(
          r.Merges().Insert({"m1", "c4", "c2", {}, "u1", {}, "Same child: same NHS number", "", std::nullopt, ""}));
      return true;
    });
  }
  EXPECT_EQ(Try(db, "DELETE FROM legal_holds WHERE id = 'H1'"), "a legal hold in force cannot be deleted");
  EXPECT_EQ(Try(db, "UPDATE legal_holds SET ends_on = '2021-01-01' WHERE id = 'H1'"),
            "a legal hold is only ever released, once");
  EXPECT_EQ(Try(db, "UPDATE legal_holds SET released_on = '2021-01-01', reason = 'x' WHERE id = 'H1'"),
            "a legal hold is only ever released, once");
  EXPECT_EQ(Try(db, "DELETE FROM children WHERE id = 'c1'"), "this child is protected by a legal hold in force");
  EXPECT_EQ(Try(db, "DELETE FROM children WHERE id = 'c4'"), "this child is protected by a legal hold in force")
      << "c2's hold protects c4, its survivor";
  // Released once, a hold is never changed again; an ended hold, and the child it held, may go.
  EXPECT_EQ(Try(db, "UPDATE legal_holds SET released_on = '2026-01-01', released_by = 'u1' WHERE id = 'H1'"), "");
  EXPECT_EQ(Try(db, "UPDATE legal_holds SET released_on = NULL WHERE id = 'H1'"),
            "a legal hold is only ever released, once");
  EXPECT_EQ(Try(db, "UPDATE legal_holds SET released_on = '2026-02-01' WHERE id = 'H1'"),
            "a legal hold is only ever released, once");
  EXPECT_EQ(Try(db, "DELETE FROM children WHERE id = 'c1'"), "");
  EXPECT_EQ(Try(db, "DELETE FROM children WHERE id = 'c3'"), "");
  EXPECT_EQ(Try(db, "DELETE FROM legal_holds WHERE id = 'H3'"), "");
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace kith::storage
