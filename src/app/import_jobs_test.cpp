#include "app/import_jobs.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <future>
#include <map>
#include <mutex>
#include <set>
#include <stop_token>

#include "app/test_fixture.h"

namespace kith::app {
namespace {

// Remembers the children it is told about, as the search index would index them.
class Recorder : public ChildObserver {
 public:
  void ChildStored(const domain::Child& child) override {
    std::lock_guard lock(mutex_);
    ids_.insert(child.id);
  }
  size_t Size() {
    std::lock_guard lock(mutex_);
    return ids_.size();
  }

 private:
  std::mutex mutex_;
  std::set<std::string> ids_;
};

const std::string kFeed =
    "record_id,given_name,family_name,date_of_birth,sex,postcode,nhs_number\n"
    "S1,Amelia,Hart,2016-04-02,F,NB1 2AB,9434765919\n"
    "S2,Oliver,Hart,2014-09-10,M,NB1 2AB,\n"
    "S3,Leo,Carter,2016-02-30,M,NB1 3CD,\n"
    "S4,Priya,Sharma,2015-03-07,F,NB4 7QT,\n";

class ImportJobsTest : public AppFixture {
 protected:
  void SetUp() override {
    AppFixture::SetUp();
    AddUser("steward", domain::Role::kPractitioner, "ag-csc", /*index_steward=*/true);
    AddUser("mgr", domain::Role::kManager, "ag-csc");
    jobs_ = std::make_unique<ImportJobs>(*ctx_, &recorder_, Limits());
  }
  void TearDown() override {
    jobs_.reset();
    AppFixture::TearDown();
  }

  ImportJob Finish(const std::string& id) {
    jobs_->WaitIdle();
    auto job = jobs_->Get(As("steward"), id);
    EXPECT_TRUE(job);
    return *job;
  }

  // The import's report per row as "line outcome, …".
  std::string Outcomes(const std::string& id, const std::string& outcome = "") {
    auto rows = jobs_->Rows(As("steward"), id, outcome, 0, ImportJobs::kMaxReportRows);
    if (!rows) return "error: " + rows.error().message;
    std::string out;
    for (const auto& row : *rows) {
      out += (out.empty() ? "" : ", ") + std::to_string(row.line) + " " + row.outcome;
    }
    return out;
  }

  ImportJobLimits Limits() {
    ImportJobLimits limits;
    limits.max_bytes = 4096;
    limits.batch_rows = 2;  // several batches even for a small feed
    limits.worker_poll = std::chrono::milliseconds(20);
    limits.wait_poll = std::chrono::milliseconds(20);
    return limits;
  }

  // Another server of the cluster (or `kith import`) holding the import lease, or giving it up.
  bool Lease(const std::string& holder) {
    bool took = false;
    store_->Write([&](storage::Repositories& r) {
      const TimePoint now = clock_.Now();
      took = r.JobClaims().Lease(std::string(kImportLease), holder, now, now - kImportLeaseStale);
      return true;
    });
    return took;
  }
  void Release(const std::string& holder) {
    store_->Write([&](storage::Repositories& r) {
      r.JobClaims().Release(std::string(kImportLease), holder);
      return true;
    });
  }
  int64_t Children() {
    return store_->ReadValue([](storage::Repositories& r) { return r.Children().Count(); });
  }
  size_t Audited(const std::string& action) {
    size_t n = 0;
    for (const auto& a : store_->ReadValue([](storage::Repositories& r) { return r.Audit().Range(0, 0, 100000); })) {
      n += a.action == action ? 1 : 0;
    }
    return n;
  }

  Recorder recorder_;
  std::unique_ptr<ImportJobs> jobs_;
};

TEST_F(ImportJobsTest, ImportsAFileSentInPartsInTheBackground) {
  // Parts split anywhere, even inside a row.
  auto started = jobs_->Start(As("steward"), "Hillside Primary", "roll.csv", kFeed.substr(0, 100), false);
  ASSERT_TRUE(started) << started.error().message;
  EXPECT_EQ(started->state, ImportState::kReceiving);
  EXPECT_EQ(started->bytes_received, 100u);
  // A part that does not follow on is refused and changes nothing.
  EXPECT_EQ(jobs_->Append(As("steward"), started->id, 0, kFeed.substr(100), true).error().code, ErrorCode::kConflict);
  auto appended = jobs_->Append(As("steward"), started->id, 100, kFeed.substr(100), true);
  ASSERT_TRUE(appended) << appended.error().message;
  EXPECT_EQ(appended->parts, 2u);
  EXPECT_EQ(jobs_->Append(As("steward"), started->id, kFeed.size(), "S9,Ivy\n", true).error().code,
            ErrorCode::kConflict);

  const ImportJob done = Finish(started->id);
  EXPECT_EQ(done.state, ImportState::kDone);
  EXPECT_EQ(done.Progress(), 1.0);
  EXPECT_EQ(done.summary.rows_read, 4u);
  EXPECT_EQ(done.summary.created, 3u);
  EXPECT_EQ(done.summary.to_write, 3u);
  ASSERT_EQ(done.summary.rejected.size(), 1u);
  EXPECT_EQ(done.summary.rejected[0].line, 4u);
  EXPECT_EQ(recorder_.Size(), 3u) << "every new child is given to the search index";
  EXPECT_EQ(store_->ReadValue([](storage::Repositories& r) { return r.Children().Count(); }), 3);

  // The same file again changes nothing.
  auto again = jobs_->Start(As("steward"), "Hillside Primary", "roll.csv", kFeed, true);
  ASSERT_TRUE(again);
  const ImportJob twice = Finish(again->id);
  EXPECT_EQ(twice.state, ImportState::kDone);
  EXPECT_EQ(twice.summary.unchanged, 3u);
  EXPECT_EQ(twice.summary.created + twice.summary.matched + twice.summary.queued, 0u);
  EXPECT_EQ(store_->ReadValue([](storage::Repositories& r) { return r.Children().Count(); }), 3);

  auto listed = jobs_->List(As("steward"));
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[0].id, again->id);
}

// The import report per row (issue 19): what became of each row, with the child it made or
// joined and the review item it raised, in pages and by outcome.
TEST_F(ImportJobsTest, TheReportSaysWhatBecameOfEachRow) {
  auto first = jobs_->Start(As("steward"), "Hillside Primary", "roll.csv", kFeed, true);
  ASSERT_TRUE(first);
  ASSERT_EQ(Finish(first->id).state, ImportState::kDone);
  EXPECT_EQ(Outcomes(first->id), "2 created, 3 created, 5 created") << "line 4 is a bad row, reported as such";

  const std::string second_feed =
      "record_id,given_name,family_name,date_of_birth,sex,postcode,nhs_number\n"
      "S1,Amelia,Hart,2016-04-02,F,NB1 2AB,9434765919\n"  // as before
      "S2,Oliver,Hart,2014-09-10,M,NB1 2AB,4010232137\n"  // an NHS number added
      "G1,Amelia,Hart,2016-04-02,F,NB1 2AB,9434765919\n"  // the same child from another row
      "G2,A,Hart,2016-04-02,F,NB1 2AB,\n";                // an initial: a person decides
  auto second = jobs_->Start(As("steward"), "Hillside Primary", "update.csv", second_feed, true);
  ASSERT_TRUE(second);
  ASSERT_EQ(Finish(second->id).state, ImportState::kDone);
  EXPECT_EQ(Outcomes(second->id), "2 unchanged, 3 updated, 4 matched, 5 queued");

  auto rows = jobs_->Rows(As("steward"), second->id, "", 0, 100);
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->size(), 4u);
  const auto amelia = store_->ReadValue(
      [](storage::Repositories& r) { return r.SourceRecords().Find("Hillside Primary", "S1")->child_id; });
  EXPECT_EQ((*rows)[0].child_id, amelia);
  EXPECT_EQ((*rows)[2].record_id, "G1");
  EXPECT_EQ((*rows)[2].child_id, amelia) << "the child the row joined";
  EXPECT_EQ((*rows)[3].child_id, "");
  const auto open = store_->ReadValue([](storage::Repositories& r) { return r.Reviews().Open("la1", 10); });
  ASSERT_EQ(open.size(), 1u);
  EXPECT_EQ((*rows)[3].review_id, open[0].id);

  EXPECT_EQ(Outcomes(second->id, "matched"), "4 matched");
  auto page = jobs_->Rows(As("steward"), second->id, "", 3, 1);
  ASSERT_TRUE(page);
  ASSERT_EQ(page->size(), 1u);
  EXPECT_EQ((*page)[0].line, 4);

  EXPECT_EQ(jobs_->Rows(As("mgr"), second->id, "", 0, 10).error().code, ErrorCode::kForbidden);
  EXPECT_EQ(jobs_->Rows(As("steward"), "I-nope", "", 0, 10).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(jobs_->Rows(As("steward"), second->id, "", 0, 0).error().field, "limit");
  EXPECT_EQ(jobs_->Rows(As("steward"), second->id, "", 0, ImportJobs::kMaxReportRows + 1).error().field, "limit");
  EXPECT_EQ(jobs_->Rows(As("steward"), second->id, "joined", 0, 10).error().field, "outcome");
  const auto audit = store_->ReadValue([](storage::Repositories& r) { return r.Audit().Range(0, 0, 100000); });
  std::map<domain::AuditOutcome, int> outcomes;
  for (const auto& a : audit) {
    if (a.action == "index.import.rows") ++outcomes[a.outcome];
  }
  EXPECT_EQ(outcomes[domain::AuditOutcome::kAllowed], 5);  // the readings above
  EXPECT_EQ(outcomes[domain::AuditOutcome::kDenied], 1);
  EXPECT_EQ(outcomes[domain::AuditOutcome::kFailed], 4);
}

TEST_F(ImportJobsTest, OnlyIndexStewardsImportAndEveryRefusalIsAudited) {
  for (const char* who : {"mgr", "sw", "admin", "auditor"}) {
    EXPECT_EQ(jobs_->Start(As(who), "Hillside Primary", "", kFeed, true).error().code, ErrorCode::kForbidden) << who;
  }
  auto started = jobs_->Start(As("steward"), "Hillside Primary", "", kFeed, true);
  ASSERT_TRUE(started);
  EXPECT_EQ(jobs_->Get(As("mgr"), started->id).error().code, ErrorCode::kForbidden);
  EXPECT_EQ(jobs_->Get(As("steward"), "I-nope").error().code, ErrorCode::kNotFound);
  jobs_->WaitIdle();
  const auto audit = store_->ReadValue([](storage::Repositories& r) { return r.Audit().Range(0, 0, 100000); });
  size_t denied = 0, starts = 0, summaries = 0;
  for (const auto& a : audit) {
    denied += a.outcome == domain::AuditOutcome::kDenied ? 1 : 0;
    starts += a.action == "index.import.start" && a.outcome == domain::AuditOutcome::kAllowed ? 1 : 0;
    summaries += a.action == "index.import" && a.actor_id == "u-steward" ? 1 : 0;
  }
  EXPECT_EQ(denied, 5u);
  EXPECT_EQ(starts, 1u);
  EXPECT_EQ(summaries, 1u);
}

TEST_F(ImportJobsTest, RefusesWhatCannotBeImported) {
  const auto steward = As("steward");
  // Not a feed: refused at once, before the rest is sent.
  auto bare = jobs_->Start(steward, "X", "", "S1,Amelia,Hart\nS2,Ava,Hart\n", false);
  ASSERT_FALSE(bare);
  EXPECT_NE(bare.error().message.find("header"), std::string::npos);
  EXPECT_EQ(jobs_->Start(steward, "", "", "record_id,given_name\n", true).error().field, "source");
  EXPECT_EQ(jobs_->Start(steward, "X", "", "", true).error().code, ErrorCode::kInvalidInput);
  // Too large, at once or part by part.
  EXPECT_EQ(jobs_->Start(steward, "X", "", std::string(5000, 'a'), true).error().code, ErrorCode::kPayloadTooLarge);
  auto growing = jobs_->Start(steward, "X", "", kFeed, false);
  ASSERT_TRUE(growing);
  EXPECT_EQ(jobs_->Append(steward, growing->id, kFeed.size(), std::string(4000, 'a'), true).error().code,
            ErrorCode::kPayloadTooLarge);
  EXPECT_EQ(jobs_->Get(steward, growing->id)->state, ImportState::kFailed);
  // A few unfinished uploads per authority; an abandoned one is dropped after a while.
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(jobs_->Start(steward, "X", "", kFeed, false));
  EXPECT_EQ(jobs_->Start(steward, "X", "", kFeed, false).error().code, ErrorCode::kConflict);
  clock_.Advance(std::chrono::minutes(31));
  auto later = jobs_->Start(steward, "X", "", kFeed, false);
  ASSERT_TRUE(later) << later.error().message;
  size_t abandoned = 0;
  const auto listed = jobs_->List(steward);
  ASSERT_TRUE(listed);
  for (const auto& job : *listed) {
    abandoned += job.state == ImportState::kFailed && job.error.find("stopped before") != std::string::npos;
  }
  EXPECT_EQ(abandoned, 3u);
}

// Issue 14, reproduction 6: an import started with a file name that is not UTF-8 answered 500
// and yet ran, with no start record. Now it is refused before anything runs, and a started
// import always has its start record.
TEST_F(ImportJobsTest, Reproduction6_AFileNameThatIsNotUtf8IsRefusedBeforeAnythingRuns) {
  auto refused = jobs_->Start(As("steward"), "Hillside Primary", "roll\xFF.csv", kFeed, true);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kInvalidInput);
  EXPECT_EQ(refused.error().field, "filename");
  EXPECT_EQ(jobs_->Start(As("steward"), "Hill\xC3", "roll.csv", kFeed, true).error().field, "source");
  jobs_->WaitIdle();
  EXPECT_EQ(recorder_.Size(), 0u) << "nothing was imported";

  auto started = jobs_->Start(As("steward"), "Hillside Primary", "roll – 2026.csv", kFeed, true);
  ASSERT_TRUE(started);
  EXPECT_EQ(started->state, ImportState::kQueued);
  Finish(started->id);
  const auto records = store_->ReadValue([](storage::Repositories& r) { return r.Audit().Range(0, 0, 1000); });
  const auto start = std::find_if(records.begin(), records.end(),
                                  [](const domain::AuditRecord& a) { return a.action == "index.import.start"; });
  ASSERT_NE(start, records.end());
  EXPECT_EQ(start->target_id, started->id);
  EXPECT_NE(start->detail.find("roll – 2026.csv"), std::string::npos);
}

// Issue 16: jobs live in the database. A server that stops (or dies) with a job accepted but not
// run has it run by the next server over the same database.
TEST_F(ImportJobsTest, ARestartedServerRunsTheJobItHadAccepted) {
  ASSERT_TRUE(Lease("other-server"));  // another import of the cluster runs meanwhile
  auto started = jobs_->Start(As("steward"), "Hillside Primary", "roll.csv", kFeed.substr(0, 100), false);
  ASSERT_TRUE(started);
  ASSERT_TRUE(jobs_->Append(As("steward"), started->id, 100, kFeed.substr(100), true));
  auto queued = jobs_->Get(As("steward"), started->id, std::chrono::seconds(0));
  ASSERT_TRUE(queued);
  EXPECT_EQ(queued->state, ImportState::kQueued) << "it waits while another holds the lease";
  jobs_.reset();  // the server stops
  Release("other-server");
  EXPECT_EQ(Children(), 0);

  jobs_ = std::make_unique<ImportJobs>(*ctx_, &recorder_, Limits());  // and starts again
  const ImportJob done = Finish(started->id);
  EXPECT_EQ(done.state, ImportState::kDone);
  EXPECT_EQ(done.summary.created, 3u);
  EXPECT_EQ(done.bad_rows_total, 1u);
  ASSERT_EQ(done.summary.rejected.size(), 1u);
  EXPECT_EQ(done.summary.rejected[0].line, 4u);
  EXPECT_EQ(done.parts, 2u);
  EXPECT_EQ(Children(), 3);
  // Audited as the steward who started it, from the address they sent it from.
  const auto records = store_->ReadValue([](storage::Repositories& r) { return r.Audit().Range(0, 0, 100000); });
  const auto summary = std::find_if(records.begin(), records.end(),
                                    [](const domain::AuditRecord& a) { return a.action == "index.import"; });
  ASSERT_NE(summary, records.end());
  EXPECT_EQ(summary->actor_id, "u-steward");
  // Its parts are gone; the job is kept.
  EXPECT_EQ(store_->ReadValue([&](storage::Repositories& r) { return r.ImportJobs().Data(started->id); }), "");
}

// A job left running by a server that died is run again by whichever server next holds the lease
// (once the dead one's lease is stale); the rows the dead one wrote are found unchanged.
TEST_F(ImportJobsTest, AJobLeftRunningByADeadServerIsFinishedByTheNextLeaseHolder) {
  ASSERT_TRUE(Lease("dead-server"));
  auto started = jobs_->Start(As("steward"), "Hillside Primary", "roll.csv", kFeed, true);
  ASSERT_TRUE(started);
  // The dead server claimed the job and wrote its first batch (two rows) before it died.
  store_->Write([&](storage::Repositories& r) {
    auto claimed = r.ImportJobs().ClaimNext("dead-server", clock_.Now());
    EXPECT_TRUE(claimed && claimed->id == started->id);
    return true;
  });
  {
    std::stop_source died;
    ImportOptions options;
    options.authority_id = "la1";
    options.default_source = "Hillside Primary";
    options.batch_rows = 2;
    options.lease_holder = "dead-server";
    options.report_to = started->id;
    options.stop = died.get_token();
    options.counted = [&](const ImportSummary& s) {
      if (s.created > 0) died.request_stop();
    };
    auto cut = ImportFeed(*ctx_, As("steward"), kFeed, options);
    ASSERT_FALSE(cut);
  }
  ASSERT_EQ(Children(), 2);
  // While its lease is fresh, nobody else runs the job.
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  auto running = jobs_->Get(As("steward"), started->id);
  ASSERT_TRUE(running);
  EXPECT_EQ(running->state, ImportState::kRunning);
  EXPECT_EQ(Children(), 2);

  clock_.Advance(kImportLeaseStale);
  const ImportJob done = Finish(started->id);
  ASSERT_EQ(done.state, ImportState::kDone) << done.error;
  EXPECT_EQ(done.summary.unchanged, 2u) << "the rows the dead server wrote";
  EXPECT_EQ(done.summary.created, 1u);
  EXPECT_EQ(Children(), 3) << "nobody twice";
  EXPECT_EQ(Outcomes(started->id), "2 created, 3 created, 5 created")
      << "the report says what the dead server's batch did, not that the rerun found it unchanged";
  EXPECT_EQ(Audited("index.import"), 1u) << "only the run that finished wrote the summary";
  EXPECT_EQ(store_->ReadValue([&](storage::Repositories& r) { return r.ImportJobs().Get(started->id)->attempts; }), 2);
}

// The only server of a SQLite database, restarted after a crash: the import lease its crashed run
// left (fresh by the clock) is released as its worker starts, so an accepted job runs at once
// rather than after kImportLeaseStale (ROADMAP issue 16).
TEST_F(ImportJobsTest, ASoleServerReleasesTheLeaseItsCrashedRunLeftAndRunsTheJobAtOnce) {
  jobs_.reset();
  ASSERT_TRUE(Lease("crashed-run"));
  auto limits = Limits();
  limits.sole_server = true;
  jobs_ = std::make_unique<ImportJobs>(*ctx_, &recorder_, limits);
  auto started = jobs_->Start(As("steward"), "Hillside Primary", "roll.csv", kFeed, true);
  ASSERT_TRUE(started) << started.error().message;
  const ImportJob done = Finish(started->id);  // the clock has not moved
  ASSERT_EQ(done.state, ImportState::kDone) << done.error;
  EXPECT_EQ(Children(), 3);
}

// Without it (a server of a cluster), a fresh lease of another holder is waited out.
TEST_F(ImportJobsTest, AServerOfAClusterWaitsOutAnotherHoldersFreshLease) {
  jobs_.reset();
  ASSERT_TRUE(Lease("another-node"));
  jobs_ = std::make_unique<ImportJobs>(*ctx_, &recorder_, Limits());
  auto started = jobs_->Start(As("steward"), "Hillside Primary", "roll.csv", kFeed, true);
  ASSERT_TRUE(started) << started.error().message;
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_EQ(Children(), 0);
  EXPECT_FALSE(Lease("yet-another")) << "still the other node's";
}

// Two servers over one database: a part may go to either, either answers a long poll, and the
// job runs once.
TEST_F(ImportJobsTest, AnyServerTakesAPartAndAnswersForAnImportThatRunsOnce) {
  ImportJobs other(*ctx_, &recorder_, Limits());
  auto started = jobs_->Start(As("steward"), "Hillside Primary", "roll.csv", kFeed.substr(0, 100), false);
  ASSERT_TRUE(started);
  // The same part sent to both at once: one takes it, the other answers conflict.
  auto a = std::async(std::launch::async, [&] { return jobs_->Append(As("steward"), started->id, 100, kFeed.substr(100), true); });
  auto b = std::async(std::launch::async, [&] { return other.Append(As("steward"), started->id, 100, kFeed.substr(100), true); });
  auto ra = a.get();
  auto rb = b.get();
  ASSERT_NE(static_cast<bool>(ra), static_cast<bool>(rb)) << "exactly one takes the part";
  EXPECT_EQ((ra ? rb : ra).error().code, ErrorCode::kConflict);
  auto waited = other.Get(As("steward"), started->id, std::chrono::seconds(10));
  ASSERT_TRUE(waited);
  EXPECT_EQ(waited->state, ImportState::kDone);
  EXPECT_EQ(waited->summary.created, 3u);
  EXPECT_EQ(waited->bytes_received, kFeed.size());
  EXPECT_EQ(Children(), 3);
  EXPECT_EQ(Audited("index.import"), 1u);
  EXPECT_EQ(Audited("index.import.received"), 1u);
  // Both list it.
  EXPECT_EQ(other.List(As("steward"))->size(), 1u);
  EXPECT_EQ(jobs_->List(As("steward"))->size(), 1u);
}

// Issue 16: a job that kept being cut off (its server died each time) is given up, not retried
// for ever.
TEST_F(ImportJobsTest, AJobCutOffTooOftenFails) {
  ASSERT_TRUE(Lease("dead-server"));
  auto started = jobs_->Start(As("steward"), "Hillside Primary", "roll.csv", kFeed, true);
  ASSERT_TRUE(started);
  for (int i = 0; i < Limits().max_attempts; ++i) {
    store_->Write([&](storage::Repositories& r) {
      EXPECT_TRUE(r.ImportJobs().ClaimNext("dead-server", clock_.Now()));
      return true;
    });
  }
  clock_.Advance(kImportLeaseStale);
  const ImportJob failed = Finish(started->id);
  EXPECT_EQ(failed.state, ImportState::kFailed);
  EXPECT_NE(failed.error.find("cut off 5 times"), std::string::npos) << failed.error;
  EXPECT_EQ(Children(), 0);
}

}  // namespace
}  // namespace kith::app
