// The PostgreSQL back end beyond the conformance suite (tests/conformance runs it too).
#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "storage/postgres/postgres_store.h"
#include "support/test_postgres.h"

namespace kith::storage {
namespace {

// Runs one statement on its own connection; returns the SQLSTATE of its failure, "" on success.
std::string Try(const std::string& conninfo, const std::string& sql) {
  PGconn* conn = PQconnectdb(conninfo.c_str());
  EXPECT_EQ(PQstatus(conn), CONNECTION_OK) << PQerrorMessage(conn);
  PGresult* r = PQexec(conn, sql.c_str());
  const auto status = PQresultStatus(r);
  std::string state;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    const char* s = PQresultErrorField(r, PG_DIAG_SQLSTATE);
    state = s ? s : "?";
  }
  PQclear(r);
  PQfinish(conn);
  return state;
}

class PostgresStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = std::string("kith_pg_") + ::testing::UnitTest::GetInstance()->current_test_info()->name();
    for (auto& ch : db_) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    testing::CreateKithDatabase(db_);
  }
  void TearDown() override {
    store_.reset();
    testing::DropDatabase(db_);
  }

  Store& Open() {
    store_ = OpenPostgresStore({.url = testing::AppUrl(db_), .connections = 2, .apply_migrations = false});
    return *store_;
  }

  static void AppendAudit(Repositories& r, const std::string& action) {
    domain::AuditRecord a;
    a.action = action;
    r.Audit().Append(a);
  }

  std::string db_;
  std::unique_ptr<Store> store_;
};

// SECURITY.md: the database role the server uses cannot update or delete audit records.
TEST_F(PostgresStoreTest, TheServerRoleMayOnlyReadAndAppendAuditRecords) {
  Open().Write([](Repositories& r) {
    AppendAudit(r, "first");
    return true;
  });
  const std::string app = testing::AppUrl(db_) + " options='-c search_path=kith'";
  EXPECT_EQ(Try(app, "SELECT count(*) FROM audit_log"), "");
  EXPECT_EQ(Try(app, "UPDATE audit_log SET reason = 'x'"), "42501");  // insufficient_privilege
  EXPECT_EQ(Try(app, "DELETE FROM audit_log"), "42501");
  EXPECT_EQ(Try(app, "TRUNCATE audit_log"), "42501");
  // So is the index of the children each search found (the auditors' view).
  EXPECT_EQ(Try(app, "INSERT INTO audit_found(child_id, chain, seq) VALUES ('c1', 0, 1)"), "");
  EXPECT_EQ(Try(app, "SELECT count(*) FROM audit_found"), "");
  EXPECT_EQ(Try(app, "UPDATE audit_found SET child_id = 'x'"), "42501");
  EXPECT_EQ(Try(app, "DELETE FROM audit_found"), "42501");
  EXPECT_EQ(Try(app, "TRUNCATE audit_found"), "42501");
  // The misuse report's tables are ordinary: flags are reviewed, claims taken over.
  EXPECT_EQ(Try(app, "UPDATE misuse_flags SET review_note = review_note"), "");
  EXPECT_EQ(Try(app, "UPDATE job_claims SET holder = holder"), "");
  // It may change ordinary tables, but not the record of migrations.
  EXPECT_EQ(Try(app, "UPDATE users SET display_name = display_name"), "");
  EXPECT_EQ(Try(app, "DELETE FROM schema_migrations"), "42501");
  // Even the owner cannot change a record without first dropping the trigger.
  const std::string owner = testing::OwnerUrl(db_) + " options='-c search_path=kith'";
  EXPECT_EQ(Try(owner, "UPDATE audit_log SET reason = 'x'"), "23000");
  EXPECT_EQ(Try(owner, "DELETE FROM audit_log"), "23000");
  EXPECT_EQ(Try(owner, "DELETE FROM audit_found"), "23000");
  EXPECT_EQ(store_->ReadValue([](Repositories& r) { return r.Audit().Heads(); }).size(), 1u);
}

// Retention (ADR 0020): behind domain::Assess, the database itself keeps a hold in force and the
// child it protects, for the server's role and the owner alike; a hold is only ever released.
TEST_F(PostgresStoreTest, AHoldInForceAndTheChildItProtectsAreKeptByTheDatabase) {
  Open().Write([](Repositories& r) {
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
    EXPECT_TRUE(r.Merges().Insert({"m1", "c4", "c2", {}, "u1", {}, "Same child: same NHS number", "", std::nullopt, ""}));
    return true;
  });
  for (const std::string& who : {testing::AppUrl(db_), testing::OwnerUrl(db_)}) {
    const std::string url = who + " options='-c search_path=kith'";
    EXPECT_EQ(Try(url, "DELETE FROM legal_holds WHERE id = 'H1'"), "23000");
    EXPECT_EQ(Try(url, "UPDATE legal_holds SET ends_on = '2021-01-01' WHERE id = 'H1'"), "23000");
    EXPECT_EQ(Try(url, "UPDATE legal_holds SET released_on = '2021-01-01', reason = 'x' WHERE id = 'H1'"), "23000");
    EXPECT_EQ(Try(url, "DELETE FROM children WHERE id = 'c1'"), "23000");
    EXPECT_EQ(Try(url, "DELETE FROM children WHERE id = 'c4'"), "23000") << "c2's hold protects c4, its survivor";
  }
  const std::string app = testing::AppUrl(db_) + " options='-c search_path=kith'";
  EXPECT_EQ(Try(app, "TRUNCATE legal_holds"), "42501");
  // Released once, a hold is never changed again; an ended hold, and the child it held, may go.
  EXPECT_EQ(Try(app, "UPDATE legal_holds SET released_on = '2026-01-01', released_by = 'u1' WHERE id = 'H1'"), "");
  EXPECT_EQ(Try(app, "UPDATE legal_holds SET released_on = NULL WHERE id = 'H1'"), "23000");
  EXPECT_EQ(Try(app, "UPDATE legal_holds SET released_on = '2026-02-01' WHERE id = 'H1'"), "23000");
  EXPECT_EQ(Try(app, "DELETE FROM children WHERE id = 'c1'"), "");
  EXPECT_EQ(Try(app, "DELETE FROM children WHERE id = 'c3'"), "");
  EXPECT_EQ(Try(app, "DELETE FROM legal_holds WHERE id = 'H3'"), "");
}

TEST_F(PostgresStoreTest, AnUnreachableDatabaseIsNamedWithoutItsPassword) {
  try {
    OpenPostgresStore({.url = "postgresql://kith_app:hunter2secret@127.0.0.1:1/kith?connect_timeout=2"});
    FAIL() << "opened a store on a closed port";
  } catch (const StorageUnavailable& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("postgresql://kith_app:***@127.0.0.1:1/kith"), std::string::npos) << message;
    EXPECT_EQ(message.find("hunter2secret"), std::string::npos) << message;
  }
}

TEST_F(PostgresStoreTest, TheServerRoleCannotMigrateAndSaysWhoCan) {
  testing::DropDatabase(db_);
  Try(testing::AdminConnection() + " dbname=postgres", "CREATE DATABASE " + db_ + " OWNER kith_owner");
  try {
    OpenPostgresStore({.url = testing::AppUrl(db_)});
    FAIL() << "the server's role created the schema";
  } catch (const StorageError& e) {
    EXPECT_NE(std::string(e.what()).find("kith migrate"), std::string::npos) << e.what();
  }
  EXPECT_EQ(MigratePostgres(testing::OwnerUrl(db_)).second, MigratePostgres(testing::OwnerUrl(db_)).second);
  EXPECT_NO_THROW(Open());
}

// Ends every connection the servers' role holds to the test database, as a failover or a
// restarted database server would.
void DropServerConnections(const std::string& db) {
  Try(testing::AdminConnection() + " dbname=postgres",
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + db + "' AND usename = 'kith_app'");
}

TEST_F(PostgresStoreTest, ALostConnectionIsReplacedAndAWriteCutOffRunsAgainWhole) {
  Store& store = Open();
  store.Write([](Repositories& r) {
    AppendAudit(r, "before");
    return true;
  });
  DropServerConnections(db_);
  // The next read finds its connection gone before it began and takes a new one.
  EXPECT_EQ(store.ReadValue([](Repositories& r) { return r.Audit().Heads(); }).size(), 1u);

  std::atomic<int> calls{0};
  store.Write([&](Repositories& r) {
    AppendAudit(r, "cut.off");
    if (calls.fetch_add(1) == 0) {
      DropServerConnections(db_);
      r.Children().Count();  // fails: the connection is gone, and the transaction with it
    }
    return true;
  });
  EXPECT_EQ(calls.load(), 2);
  int cut_off = 0;
  for (const auto& head : store.ReadValue([](Repositories& r) { return r.Audit().Heads(); })) {
    for (const auto& rec : store.ReadValue([&](Repositories& r) { return r.Audit().Range(head.chain, 0, 100); })) {
      cut_off += rec.action == "cut.off";
    }
  }
  EXPECT_EQ(cut_off, 1);
}

TEST_F(PostgresStoreTest, AWriteThatKeepsLosingItsConnectionIsUnavailableAndLeavesNothing) {
  Store& store = Open();
  EXPECT_THROW(store.Write([&](Repositories& r) {
    AppendAudit(r, "never");
    DropServerConnections(db_);
    r.Children().Count();
    return true;
  }),
               StorageUnavailable);
  EXPECT_TRUE(store.ReadValue([](Repositories& r) { return r.Audit().Heads(); }).empty());
}

// A connection lost during COMMIT itself (a failover, a killed primary) leaves the outcome
// unknown: the store must neither run the callback again (it may have been stored) nor call it
// a plain outage. Here a deferred trigger ends the session at its commit.
TEST_F(PostgresStoreTest, AConnectionLostDuringTheCommitIsOutcomeUnknownAndNotRunAgain) {
  Store& store = Open();
  const std::string admin = testing::AdminConnection() + " dbname=" + db_;
  ASSERT_EQ(Try(admin,
                "CREATE FUNCTION kith.end_session_at_commit() RETURNS trigger LANGUAGE plpgsql AS "
                "$$ BEGIN PERFORM pg_terminate_backend(pg_backend_pid()); RETURN NULL; END $$"),
            "");
  ASSERT_EQ(Try(admin,
                "CREATE CONSTRAINT TRIGGER end_session_at_commit AFTER INSERT ON kith.audit_log "
                "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW.action = 'cut.at.commit') "
                "EXECUTE FUNCTION kith.end_session_at_commit()"),
            "");
  int calls = 0;
  try {
    store.Write([&](Repositories& r) {
      ++calls;
      AppendAudit(r, "cut.at.commit");
      return true;
    });
    FAIL() << "the commit was cut off, yet the write returned";
  } catch (const StorageOutcomeUnknown& e) {
    EXPECT_NE(std::string(e.what()).find("may or may not have been stored"), std::string::npos) << e.what();
  }
  EXPECT_EQ(calls, 1) << "a write whose commit may have happened must not run again";
  // The store reconnects by itself; the session ended before the commit, so nothing was stored.
  store.Write([](Repositories& r) {
    AppendAudit(r, "after");
    return true;
  });
  std::vector<std::string> actions;
  for (const auto& head : store.ReadValue([](Repositories& r) { return r.Audit().Heads(); })) {
    for (const auto& rec : store.ReadValue([&](Repositories& r) { return r.Audit().Range(head.chain, 0, 100); })) {
      actions.push_back(rec.action);
    }
  }
  EXPECT_EQ(actions, std::vector<std::string>{"after"});
}

// A serialisation failure raised by COMMIT itself (here by a deferred trigger, once) is retried
// like any other; the failed COMMIT has already ended the transaction, so no ROLLBACK follows it
// (PostgreSQL would answer it with the warning "there is no transaction in progress", which
// libpq prints on standard error: seen in the nodes' output during `make ha-test`).
TEST_F(PostgresStoreTest, ASerialisationFailureAtCommitIsRetriedWithoutAStrayRollback) {
  Store& store = Open();
  const std::string admin = testing::AdminConnection() + " dbname=" + db_;
  ASSERT_EQ(Try(admin, "CREATE SEQUENCE kith.commit_failures"), "");
  ASSERT_EQ(Try(admin,
                "CREATE FUNCTION kith.fail_first_commit() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS "
                "$$ BEGIN IF nextval('kith.commit_failures') = 1 THEN RAISE EXCEPTION 'conflict at commit' USING "
                "ERRCODE = '40001'; END IF; RETURN NULL; END $$"),
            "");
  ASSERT_EQ(Try(admin,
                "CREATE CONSTRAINT TRIGGER fail_first_commit AFTER INSERT ON kith.audit_log "
                "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW.action = 'fails.at.commit') "
                "EXECUTE FUNCTION kith.fail_first_commit()"),
            "");
  int calls = 0;
  ::testing::internal::CaptureStderr();
  store.Write([&](Repositories& r) {
    ++calls;
    AppendAudit(r, "fails.at.commit");
    return true;
  });
  const std::string output = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(calls, 2) << "the serialisation failure at commit is retried once";
  EXPECT_EQ(output.find("no transaction in progress"), std::string::npos) << output;
  int stored = 0;
  for (const auto& head : store.ReadValue([](Repositories& r) { return r.Audit().Heads(); })) {
    for (const auto& rec : store.ReadValue([&](Repositories& r) { return r.Audit().Range(head.chain, 0, 100); })) {
      stored += rec.action == "fails.at.commit";
    }
  }
  EXPECT_EQ(stored, 1);
}

TEST_F(PostgresStoreTest, VersionsComeFromTheDatabaseSoEveryStoreSeesEveryWrite) {
  Store& one = Open();
  auto other = OpenPostgresStore({.url = testing::AppUrl(db_), .connections = 1, .apply_migrations = false});
  const uint64_t identity = other->IdentityVersion();
  const uint64_t records = other->RecordsVersion();
  one.Write([](Repositories& r) {
    EXPECT_TRUE(r.Authorities().Insert({"la1", "E1", "Northbrook", false}));
    return true;
  });
  EXPECT_GT(other->IdentityVersion(), identity);
  EXPECT_EQ(other->RecordsVersion(), records);
  one.Write([](Repositories& r) {
    EXPECT_TRUE(r.Agencies().Insert({"ag", "la1", "School", domain::AgencyKind::kSchool, "", "", ""}));
    return true;
  });
  EXPECT_GT(other->RecordsVersion(), records);
}

// A store that only reads writes nothing, not even on connecting: `kith audit verify` and the
// other read-only commands work where writes are refused (here every transaction is read only)
// and are never held up by commits waiting for a synchronous standby during a failover.
TEST_F(PostgresStoreTest, AStoreThatOnlyReadsWritesNothing) {
  Store& writer = Open();
  writer.Write([](Repositories& r) {
    EXPECT_TRUE(r.Authorities().Insert({"la1", "E1", "Northbrook", false}));
    AppendAudit(r, "authority.create");
    return true;
  });
  auto reader = OpenPostgresStore({.url = testing::AppUrl(db_) + " options='-c default_transaction_read_only=on'",
                                   .connections = 2,
                                   .apply_migrations = false});
  EXPECT_EQ(reader->ReadValue([](Repositories& r) { return r.Authorities().List().size(); }), 1u);
  EXPECT_EQ(reader->IdentityVersion(), writer.IdentityVersion());
  EXPECT_EQ(reader->RecordsVersion(), writer.RecordsVersion());
  EXPECT_FALSE(reader->ReadValue([](Repositories& r) { return r.Audit().Heads(); }).empty());
}

TEST_F(PostgresStoreTest, EachConnectionAppendsToAChainOfItsOwn) {
  Store& store = Open();  // two connections
  auto other = OpenPostgresStore({.url = testing::AppUrl(db_), .connections = 1, .apply_migrations = false});
  for (int i = 0; i < 3; ++i) {
    for (Store* s : {&store, other.get()}) {
      s->Write([](Repositories& r) {
        AppendAudit(r, "w");
        return true;
      });
    }
  }
  const auto heads = store.ReadValue([](Repositories& r) { return r.Audit().Heads(); });
  ASSERT_GE(heads.size(), 2u);  // at least one chain per store
  int64_t total = 0;
  for (const auto& h : heads) total += h.seq;
  EXPECT_EQ(total, 6);
}

}  // namespace
}  // namespace kith::storage
