// The signed checkpoints against an insider with write access to the database (issue 14,
// reproduction 5): a record changed and every later hash recomputed, a record deleted and the
// rest renumbered, the newest records removed, a checkpoint removed or forged. Each passes the
// chain check alone and is caught against the checkpoints.
#include "app/audit_verify.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <map>

#include "app/audit_checkpoints.h"
#include "domain/audit.h"
#include "storage/sqlite/sqlite_store.h"

namespace kith::app {
namespace {

class MemoryArchive final : public CheckpointArchive {
 public:
  std::vector<int64_t> Numbers() const override {
    std::vector<int64_t> out;
    for (const auto& [n, f] : files) out.push_back(n);
    return out;
  }
  std::optional<std::string> Read(int64_t n) const override {
    auto it = files.find(n);
    if (it == files.end()) return std::nullopt;
    return it->second;
  }
  void Write(int64_t n, const std::string& file) override { files[n] = file; }
  int64_t PublishedThrough() const override { return published; }
  void SetPublishedThrough(int64_t n) override { published = n; }
  std::string Describe() const override { return "the test archive"; }

  std::map<int64_t, std::string> files;
  int64_t published = 0;
};

class FlakyPublisher final : public CheckpointPublisher {
 public:
  Status Publish(int64_t number, const std::string& file) override {
    if (fail_next) {
      fail_next = false;
      return Error::Conflict("the endpoint is down");
    }
    sent.emplace_back(number, file);
    return Ok{};
  }
  bool fail_next = false;
  std::vector<std::pair<int64_t, std::string>> sent;
};

ed25519::SigningKey Key(uint8_t fill) {
  ed25519::Seed seed;
  seed.fill(fill);
  return ed25519::SigningKey::FromSeed(seed);
}

class AuditVerifyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("kith-audit-verify-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    Open();
  }
  void TearDown() override {
    checkpointer_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::string DbPath() const { return (dir_ / "kith.db").string(); }

  void Open() {
    store_ = storage::OpenSqliteStore({.path = DbPath(), .readers = 1});
    checkpointer_ = std::make_unique<AuditCheckpointer>(*store_, clock_, Key(1), archive_, &publisher_, "node-a");
  }

  void Append(int n) {
    for (int i = 0; i < n; ++i) {
      domain::AuditRecord a;
      a.at = clock_.Now();
      a.actor_id = "u" + std::to_string(i % 3);
      a.actor_role = "practitioner";
      a.authority_id = "la1";
      a.action = "child.read";
      a.child_id = "K" + std::to_string(i % 5);
      a.outcome = domain::AuditOutcome::kAllowed;
      a.why = "team member";
      store_->Write([&](storage::Repositories& r) {
        r.Audit().Append(a);
        return true;
      });
      clock_.Advance(std::chrono::seconds(1));
    }
  }

  std::vector<domain::AuditRecord> All() {
    return store_->ReadValue([](storage::Repositories& r) { return r.Audit().Range(0, 0, 1'000'000); });
  }

  // The insider: with the server stopped, drops the triggers and replaces the whole log with
  // `records`, their chain recomputed so that it verifies on its own.
  void Rewrite(std::vector<domain::AuditRecord> records) {
    checkpointer_.reset();
    store_.reset();
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(DbPath().c_str(), &db), SQLITE_OK);
    auto exec = [&](const std::string& sql) {
      char* error = nullptr;
      ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error), SQLITE_OK) << (error ? error : "");
    };
    exec("DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log;");
    std::string prev(domain::kGenesisHash);
    int64_t seq = 0;
    for (auto& r : records) {
      r.seq = ++seq;
      r.prev_hash = prev;
      r.hash = domain::ComputeAuditHash(r);
      prev = r.hash;
      sqlite3_stmt* s = nullptr;
      ASSERT_EQ(sqlite3_prepare_v2(db,
                                   "INSERT INTO audit_log(seq, at, actor_id, actor_role, authority_id, action, "
                                   "child_id, target_id, reason, outcome, why, detail, client, prev_hash, hash) "
                                   "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                                   -1, &s, nullptr),
                SQLITE_OK);
      int i = 0;
      sqlite3_bind_int64(s, ++i, r.seq);
      sqlite3_bind_int64(s, ++i, ToMicros(r.at));
      for (const std::string* f : std::initializer_list<const std::string*>{
               &r.actor_id, &r.actor_role, &r.authority_id, &r.action, &r.child_id, &r.target_id, &r.reason}) {
        sqlite3_bind_text(s, ++i, f->c_str(), -1, SQLITE_TRANSIENT);
      }
      const std::string outcome(domain::ToString(r.outcome));
      for (const std::string* f :
           std::initializer_list<const std::string*>{&outcome, &r.why, &r.detail, &r.client, &r.prev_hash, &r.hash}) {
        sqlite3_bind_text(s, ++i, f->c_str(), -1, SQLITE_TRANSIENT);
      }
      ASSERT_EQ(sqlite3_step(s), SQLITE_DONE);
      sqlite3_finalize(s);
    }
    sqlite3_close(db);
    Open();
  }

  ChainReport ChainAlone() { return VerifyAuditChain(*store_, {}); }
  ChainReport Verify(std::vector<ed25519::PublicKey> keys = {Key(1).public_key()}) {
    return VerifyAuditChain(*store_, {.checkpoints = &archive_, .trusted_keys = std::move(keys)});
  }
  static std::string Problems(const ChainReport& r) {
    std::string out;
    for (const auto& p : r.problems) out += p + "\n";
    return out;
  }
  static bool Mentions(const ChainReport& r, const std::string& text) {
    return Problems(r).find(text) != std::string::npos;
  }

  std::filesystem::path dir_;
  ManualClock clock_{FromMicros(1'796'379'300'000'000)};
  std::unique_ptr<storage::Store> store_;
  MemoryArchive archive_;
  FlakyPublisher publisher_;
  std::unique_ptr<AuditCheckpointer> checkpointer_;
};

TEST_F(AuditVerifyTest, SignsTheHeadOnlyWhenTheLogMovedAndRecordsEachCheckpoint) {
  EXPECT_FALSE(checkpointer_->Checkpoint());  // an empty log: nothing to vouch for
  Append(3);
  auto first = checkpointer_->Checkpoint();
  ASSERT_TRUE(first);
  EXPECT_EQ(first->number, 1);
  EXPECT_EQ(first->previous, std::string(domain::kGenesisHash));
  ASSERT_EQ(first->chains.size(), 1u);
  EXPECT_EQ(first->chains[0].chain, 0);
  EXPECT_EQ(first->chains[0].seq, 3);
  EXPECT_EQ(first->chains[0].hash, All()[2].hash);
  const auto log = All();
  ASSERT_EQ(log.size(), 4u);
  EXPECT_EQ(log[3].action, "audit.checkpoint");
  EXPECT_EQ(log[3].target_id, "1");
  EXPECT_EQ(log[3].actor_role, "system");

  EXPECT_FALSE(checkpointer_->Checkpoint()) << "its own record is not a move of the log";
  Append(1);
  auto second = checkpointer_->Checkpoint();
  ASSERT_TRUE(second);
  EXPECT_EQ(second->number, 2);
  EXPECT_EQ(second->chains[0].seq, 5);
  EXPECT_EQ(second->previous, domain::CheckpointFileHash(archive_.files.at(1)));
  EXPECT_EQ(publisher_.sent.size(), 2u);

  const auto report = Verify();
  EXPECT_TRUE(report.ok) << Problems(report);
  EXPECT_EQ(report.checkpoints_valid, 2);
  EXPECT_EQ(report.newest_checkpoint->number, 2);
  EXPECT_EQ(report.checked, 6);
  EXPECT_FALSE(checkpointer_->CheckNewest());
}

TEST_F(AuditVerifyTest, ACheckpointTheEndpointRefusedIsSentAgainInOrder) {
  Append(1);
  publisher_.fail_next = true;
  ASSERT_TRUE(checkpointer_->Checkpoint());
  EXPECT_TRUE(publisher_.sent.empty());
  EXPECT_EQ(archive_.published, 0);
  Append(1);
  ASSERT_TRUE(checkpointer_->Checkpoint());
  ASSERT_EQ(publisher_.sent.size(), 2u);
  EXPECT_EQ(publisher_.sent[0].first, 1);
  EXPECT_EQ(publisher_.sent[1].first, 2);
  EXPECT_EQ(publisher_.sent[1].second, archive_.files.at(2));
  EXPECT_EQ(archive_.published, 2);
}

TEST_F(AuditVerifyTest, Reproduction5_AChangedRecordWithItsLaterHashesRecomputedIsCaught) {
  Append(10);
  ASSERT_TRUE(checkpointer_->Checkpoint());
  Append(5);
  auto records = All();
  records[4].reason = "nothing to see here";  // record 5
  Rewrite(records);
  EXPECT_TRUE(ChainAlone().ok) << "the rewritten chain verifies on its own";
  EXPECT_TRUE(checkpointer_->CheckNewest()) << "the server notices at start";
  const auto report = Verify();
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.first_broken_seq, 10);
  EXPECT_TRUE(Mentions(report, "Record 10 of chain 0 is not the record checkpoint 1 (signed 2026-12-04T10:15:10.000000Z) vouches for"))
      << Problems(report);
  EXPECT_TRUE(Mentions(report, "after the start and up to record 10 of chain 0")) << Problems(report);
}

TEST_F(AuditVerifyTest, Reproduction5_ADeletedAndRenumberedRecordIsCaught) {
  Append(6);
  ASSERT_TRUE(checkpointer_->Checkpoint());
  Append(6);
  ASSERT_TRUE(checkpointer_->Checkpoint());
  auto records = All();
  records.erase(records.begin() + 9);  // record 10, after checkpoint 1, before checkpoint 2
  Rewrite(records);
  EXPECT_TRUE(ChainAlone().ok);
  const auto report = Verify();
  EXPECT_FALSE(report.ok);
  EXPECT_TRUE(Mentions(report, "Record 13 of chain 0 is not the record checkpoint 2")) << Problems(report);
  EXPECT_TRUE(Mentions(report, "after record 6 and up to record 13")) << Problems(report);
}

TEST_F(AuditVerifyTest, Reproduction5_TruncationUpToACheckpointIsCaught) {
  Append(8);
  ASSERT_TRUE(checkpointer_->Checkpoint());
  auto records = All();
  records.resize(5);  // the newest records and the checkpoint's own record removed
  Rewrite(records);
  EXPECT_TRUE(ChainAlone().ok);
  const auto report = Verify();
  EXPECT_FALSE(report.ok);
  EXPECT_TRUE(Mentions(report, "Chain 0 ends at record 5 but checkpoint 1")) << Problems(report);
  EXPECT_TRUE(Mentions(report, "records 6 to 8 of chain 0 were removed")) << Problems(report);
}

TEST_F(AuditVerifyTest, Reproduction5_ARemovedCheckpointIsCaught) {
  for (int i = 0; i < 3; ++i) {
    Append(2);
    ASSERT_TRUE(checkpointer_->Checkpoint());
  }
  ASSERT_TRUE(Verify().ok);
  auto middle = archive_.files;
  middle.erase(2);
  std::swap(archive_.files, middle);
  auto report = Verify();
  EXPECT_FALSE(report.ok);
  EXPECT_TRUE(Mentions(report, "Checkpoint 2 is missing from the test archive")) << Problems(report);
  EXPECT_TRUE(Mentions(report, "made at record 6 of chain 0 of the log")) << Problems(report);
  std::swap(archive_.files, middle);

  archive_.files.erase(3);  // the newest: only the log remembers it
  report = Verify();
  EXPECT_FALSE(report.ok);
  EXPECT_TRUE(Mentions(report, "Checkpoint 3, made at record 9 of chain 0 of the log, is missing")) << Problems(report);
}

TEST_F(AuditVerifyTest, AForgedOrAlteredCheckpointIsCaught) {
  Append(4);
  ASSERT_TRUE(checkpointer_->Checkpoint());
  // The insider rewrites the log and signs a new checkpoint with a key of their own.
  auto records = All();
  records[1].why = "changed";
  records.pop_back();  // its audit.checkpoint record
  Rewrite(records);
  domain::AuditCheckpoint forged;
  forged.number = 1;
  forged.issued_at = clock_.Now();
  forged.previous = std::string(domain::kGenesisHash);
  forged.chains = store_->ReadValue([](storage::Repositories& r) { return r.Audit().Heads(); });
  archive_.files[1] = domain::SignCheckpoint(forged, Key(9));
  auto report = Verify();
  EXPECT_FALSE(report.ok);
  EXPECT_TRUE(Mentions(report, "is signed by a key that is not trusted")) << Problems(report);
  EXPECT_EQ(report.checkpoints_valid, 0);

  std::string altered = archive_.files[1];
  altered.replace(altered.find("chain 0 4 "), 10, "chain 0 3 ");
  archive_.files[1] = altered;
  report = Verify({Key(9).public_key()});
  EXPECT_TRUE(Mentions(report, "does not match its signature: it was altered")) << Problems(report);
}

// Several servers share one database: only the holder of the lease signs; when it stops
// renewing the lease (it died), another server takes over.
TEST_F(AuditVerifyTest, OneCheckpointerSignsPerClusterAndAnotherTakesOverWhenItDies) {
  MemoryArchive other_archive;
  AuditCheckpointer other(*store_, clock_, Key(1), other_archive, nullptr, "node-b");
  Append(2);
  ASSERT_TRUE(checkpointer_->Checkpoint()) << "node-a takes the lease";
  Append(2);
  EXPECT_FALSE(other.Checkpoint()) << "node-b signs nothing while node-a's lease is fresh";
  EXPECT_TRUE(other_archive.files.empty());
  clock_.Advance(std::chrono::minutes(1));
  ASSERT_TRUE(checkpointer_->Checkpoint()) << "node-a renews its lease and signs";
  clock_.Advance(kCheckpointerLeaseStale);
  Append(1);
  ASSERT_TRUE(other.Checkpoint()) << "node-a stopped renewing: node-b takes over";
  EXPECT_EQ(other_archive.files.size(), 1u);
  EXPECT_FALSE(checkpointer_->Checkpoint()) << "node-a, back, no longer holds the lease";
  // node-b stops cleanly and gives the lease up: node-a takes it at once.
  other.Release();
  Append(1);
  EXPECT_TRUE(checkpointer_->Checkpoint());
  // Each node numbers from the log's newest checkpoint record, not only its own directory:
  // node-b, with an empty one, continued node-a's sequence (3, linked to node-a's 2), and
  // node-a continued node-b's (4, linked to 3) (ADR 0019).
  ASSERT_EQ(other_archive.files.size(), 1u);
  ASSERT_EQ(other_archive.files.count(3), 1u);
  ASSERT_EQ(archive_.files.count(4), 1u);
  EXPECT_EQ(domain::ParseCheckpoint(other_archive.files.at(3))->previous,
            domain::CheckpointFileHash(archive_.files.at(2)));
  EXPECT_EQ(domain::ParseCheckpoint(archive_.files.at(4))->previous,
            domain::CheckpointFileHash(other_archive.files.at(3)));
  // One node's directory alone misses the other's checkpoint, and verification says so; the
  // directories brought together verify whole.
  auto report = Verify();
  EXPECT_FALSE(report.ok);
  EXPECT_TRUE(Mentions(report, "Checkpoint 3")) << Problems(report);
  archive_.files.insert(other_archive.files.begin(), other_archive.files.end());
  report = Verify();
  EXPECT_TRUE(report.ok) << Problems(report);
  EXPECT_EQ(report.checkpoints_valid, 4);
}

TEST_F(AuditVerifyTest, WithoutAKeyTheCheckpointsCannotBeBelieved) {
  Append(2);
  ASSERT_TRUE(checkpointer_->Checkpoint());
  const auto report = Verify({});
  EXPECT_FALSE(report.ok);
  EXPECT_TRUE(Mentions(report, "no public key")) << Problems(report);
}

}  // namespace
}  // namespace kith::app
