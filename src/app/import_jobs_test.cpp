#include "app/import_jobs.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <mutex>
#include <set>

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
    ImportJobLimits limits;
    limits.max_bytes = 4096;
    limits.batch_rows = 2;  // several batches even for a small feed
    jobs_ = std::make_unique<ImportJobs>(*ctx_, &recorder_, limits);
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

}  // namespace
}  // namespace kith::app
