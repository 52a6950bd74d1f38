// Index imports through the server as stored (storage/repositories.h, ImportJobRepository): jobs
// and their parts, the offset check of each part, the claim of the next job to run, and what a
// finished job keeps.
#include <gtest/gtest.h>

#include <chrono>

#include "conformance/fixture.h"

namespace kith::conformance {
namespace {

using storage::ImportJobState;
using storage::Repositories;
using storage::StoredImportJob;

class ImportJobsConformance : public ConformanceTest {
 protected:
  static StoredImportJob Job(std::string id, std::string authority = "la1", size_t first_bytes = 10,
                             ImportJobState state = ImportJobState::kReceiving) {
    StoredImportJob j;
    j.id = std::move(id);
    j.authority_id = std::move(authority);
    j.created_by = "u1";
    j.client = "10.0.0.7";
    j.source = "Hillside Primary";
    j.filename = "roll – 2026.csv";
    j.state = state;
    j.bytes_received = static_cast<int64_t>(first_bytes);
    j.parts = 1;
    j.created_at = kT0;
    j.last_part_at = kT0;
    return j;
  }

  void Insert(const StoredImportJob& j, const std::string& first_part) {
    Write([&](Repositories& r) { ASSERT_TRUE(r.ImportJobs().Insert(j, first_part)); });
  }

  StoredImportJob Get(const std::string& id) {
    auto j = Read([&](Repositories& r) { return r.ImportJobs().Get(id); });
    EXPECT_TRUE(j) << id;
    return j.value_or(StoredImportJob{});
  }

  std::string Data(const std::string& id) {
    return Read([&](Repositories& r) { return r.ImportJobs().Data(id); });
  }

  Status Append(const std::string& id, int64_t offset, const std::string& bytes, bool last, TimePoint at) {
    Status out = Ok{};
    Write([&](Repositories& r) { out = r.ImportJobs().AppendPart(id, offset, bytes, last, at); });
    return out;
  }

  std::optional<StoredImportJob> Claim(const std::string& runner, TimePoint now) {
    std::optional<StoredImportJob> out;
    Write([&](Repositories& r) { out = r.ImportJobs().ClaimNext(runner, now); });
    return out;
  }

  std::vector<std::string> Listed(const std::string& authority, int limit = 100) {
    std::vector<std::string> ids;
    for (const auto& j : Read([&](Repositories& r) { return r.ImportJobs().ListByAuthority(authority, limit); })) {
      ids.push_back(j.id);
    }
    return ids;
  }
};

TEST_P(ImportJobsConformance, AJobIsStoredWithItsFirstPartAndReadBackWhole) {
  // Any bytes: a NUL, bytes that are not UTF-8 (a file saved as UTF-16 is refused later, by the parser).
  const std::string first("record_id\0\xff\xfe,x\n", 15);
  auto j = Job("I1", "la1", first.size());
  j.stage = "read";
  j.stage_fraction = 0.25;
  j.summary = R"({"rows_read":3})";
  Insert(j, first);
  const auto got = Get("I1");
  EXPECT_EQ(got.authority_id, "la1");
  EXPECT_EQ(got.created_by, "u1");
  EXPECT_EQ(got.client, "10.0.0.7");
  EXPECT_EQ(got.source, "Hillside Primary");
  EXPECT_EQ(got.filename, "roll – 2026.csv");
  EXPECT_EQ(got.state, ImportJobState::kReceiving);
  EXPECT_EQ(got.bytes_received, 15);
  EXPECT_EQ(got.parts, 1);
  EXPECT_EQ(got.stage, "read");
  EXPECT_DOUBLE_EQ(got.stage_fraction, 0.25);
  EXPECT_EQ(got.summary, R"({"rows_read":3})");
  EXPECT_EQ(got.runner, "");
  EXPECT_EQ(got.attempts, 0);
  EXPECT_EQ(got.created_at, kT0);
  EXPECT_EQ(got.last_part_at, kT0);
  EXPECT_FALSE(got.started_at);
  EXPECT_FALSE(got.finished_at);
  EXPECT_EQ(Data("I1"), first);
  Write([&](Repositories& r) { EXPECT_EQ(r.ImportJobs().Insert(j, "x").error().code, ErrorCode::kConflict); });
  EXPECT_FALSE(Read([](Repositories& r) { return r.ImportJobs().Get("I-none"); }));
}

TEST_P(ImportJobsConformance, APartIsTakenOnlyAtTheOffsetTheJobHasReached) {
  Insert(Job("I1", "la1", 4), "abcd");
  const TimePoint t1 = kT0 + std::chrono::seconds(5);
  ASSERT_TRUE(Append("I1", 4, "efg", false, t1));
  // A duplicate (the same part again) and a stale or skipping part are refused, naming the size.
  for (int64_t offset : {4, 0, 6, 8}) {
    const auto refused = Append("I1", offset, "xyz", false, t1);
    ASSERT_FALSE(refused) << offset;
    EXPECT_EQ(refused.error().code, ErrorCode::kConflict);
    EXPECT_NE(refused.error().message.find("has 7 bytes"), std::string::npos) << refused.error().message;
  }
  auto j = Get("I1");
  EXPECT_EQ(j.bytes_received, 7);
  EXPECT_EQ(j.parts, 2);
  EXPECT_EQ(j.last_part_at, t1);
  EXPECT_EQ(j.state, ImportJobState::kReceiving);
  // The last part queues the job; nothing more is taken.
  ASSERT_TRUE(Append("I1", 7, "hi", true, t1 + std::chrono::seconds(1)));
  EXPECT_EQ(Get("I1").state, ImportJobState::kQueued);
  EXPECT_EQ(Get("I1").parts, 3);
  const auto late = Append("I1", 9, "j", true, t1);
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().code, ErrorCode::kConflict);
  EXPECT_NE(late.error().message.find("queued"), std::string::npos) << late.error().message;
  EXPECT_EQ(Data("I1"), "abcdefghi");
  EXPECT_EQ(Append("I-none", 0, "x", true, t1).error().code, ErrorCode::kNotFound);
  // An empty last part ends the upload and adds no bytes.
  Insert(Job("I2", "la1", 3), "abc");
  ASSERT_TRUE(Append("I2", 3, "", true, t1));
  EXPECT_EQ(Get("I2").state, ImportJobState::kQueued);
  EXPECT_EQ(Data("I2"), "abc");
}

TEST_P(ImportJobsConformance, UnfinishedJobsAreCountedPerAuthority) {
  Write([](Repositories& r) {
    EXPECT_TRUE(r.Authorities().Insert({"la2", "E09000098", "Southmere", false}));
  });
  Insert(Job("I1"), "0123456789");
  Insert(Job("I2", "la1", 10, ImportJobState::kQueued), "0123456789");
  Insert(Job("I3", "la2"), "0123456789");
  auto count = [&](const char* authority) {
    return Read([&](Repositories& r) { return r.ImportJobs().CountUnfinished(authority); });
  };
  EXPECT_EQ(count("la1"), 2);
  EXPECT_EQ(count("la2"), 1);
  ASSERT_TRUE(Claim("node-a", kT0));  // I1 is receiving: I2 is claimed
  EXPECT_EQ(Get("I2").state, ImportJobState::kRunning);
  EXPECT_EQ(count("la1"), 1) << "a running job no longer counts";
}

TEST_P(ImportJobsConformance, JobsAreClaimedOldestFirstAndOnlyTheirRunnerRecordsProgress) {
  Insert(Job("I1", "la1", 10, ImportJobState::kQueued), "0123456789");
  Insert(Job("I2"), "0123456789");
  Insert(Job("I3", "la1", 10, ImportJobState::kQueued), "0123456789");
  EXPECT_TRUE(Read([](Repositories& r) { return r.ImportJobs().AnyToRun(); }));
  const TimePoint t1 = kT0 + std::chrono::seconds(1);
  const auto first = Claim("node-a", t1);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->id, "I1");
  EXPECT_EQ(first->state, ImportJobState::kRunning);
  EXPECT_EQ(first->runner, "node-a");
  EXPECT_EQ(first->attempts, 1);
  EXPECT_EQ(first->started_at, t1);
  // Only the runner records progress.
  Write([](Repositories& r) {
    EXPECT_TRUE(r.ImportJobs().Progress("I1", "node-a", "write", 0.5, R"({"created":2})"));
    EXPECT_FALSE(r.ImportJobs().Progress("I1", "node-b", "write", 0.9, R"({"created":9})"));
    EXPECT_FALSE(r.ImportJobs().Progress("I3", "node-a", "write", 0.9, R"({"created":9})")) << "I3 is not running";
  });
  EXPECT_EQ(Get("I1").stage, "write");
  EXPECT_DOUBLE_EQ(Get("I1").stage_fraction, 0.5);
  EXPECT_EQ(Get("I1").summary, R"({"created":2})");
  // A job left running (its runner died: the next claimer holds the import lease) is claimed
  // again before later ones, and its old runner may no longer record anything.
  const TimePoint t2 = kT0 + std::chrono::minutes(10);
  const auto again = Claim("node-b", t2);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->id, "I1");
  EXPECT_EQ(again->runner, "node-b");
  EXPECT_EQ(again->attempts, 2);
  EXPECT_EQ(again->started_at, t2);
  EXPECT_EQ(again->summary, R"({"created":2})");
  Write([&](Repositories& r) {
    EXPECT_FALSE(r.ImportJobs().Progress("I1", "node-a", "write", 1, "{}"));
    EXPECT_FALSE(r.ImportJobs().Finish("I1", "node-a", ImportJobState::kFailed, "", "lost", t2));
    EXPECT_FALSE(r.ImportJobs().Requeue("I1", "node-a"));
  });
  // Put back in the queue by its runner (a clean stop), with its parts, it is the next claimed.
  Write([](Repositories& r) { EXPECT_TRUE(r.ImportJobs().Requeue("I1", "node-b")); });
  EXPECT_EQ(Get("I1").state, ImportJobState::kQueued);
  EXPECT_EQ(Get("I1").runner, "");
  EXPECT_EQ(Get("I1").attempts, 1) << "a clean stop is not a failed attempt";
  EXPECT_EQ(Data("I1"), "0123456789");
  const auto third = Claim("node-c", t2);
  ASSERT_TRUE(third);
  EXPECT_EQ(third->id, "I1");
  EXPECT_EQ(third->attempts, 2);
  // Finished by its runner: summary, error, time; the parts are gone; the next claim is I3 (I2 is
  // still receiving).
  const TimePoint t3 = t2 + std::chrono::seconds(3);
  Write([&](Repositories& r) {
    EXPECT_TRUE(r.ImportJobs().Finish("I1", "node-c", ImportJobState::kDone, R"({"created":3})", "", t3));
  });
  const auto done = Get("I1");
  EXPECT_EQ(done.state, ImportJobState::kDone);
  EXPECT_EQ(done.summary, R"({"created":3})");
  EXPECT_EQ(done.runner, "");
  EXPECT_EQ(done.finished_at, t3);
  EXPECT_EQ(Data("I1"), "");
  EXPECT_EQ(Claim("node-c", t3)->id, "I3");
  Write([&](Repositories& r) {
    // A failure without a new summary keeps the one recorded.
    EXPECT_TRUE(r.ImportJobs().Progress("I3", "node-c", "link", 0.1, R"({"rows_read":1})"));
    EXPECT_TRUE(r.ImportJobs().Finish("I3", "node-c", ImportJobState::kFailed, "", "The file broke.", t3));
  });
  EXPECT_EQ(Get("I3").summary, R"({"rows_read":1})");
  EXPECT_EQ(Get("I3").error, "The file broke.");
  EXPECT_FALSE(Claim("node-c", t3)) << "only I2 is left, and it is still receiving";
  EXPECT_FALSE(Read([](Repositories& r) { return r.ImportJobs().AnyToRun(); }));
  // Without a runner only an upload not yet running ends (too large, abandoned).
  Write([&](Repositories& r) {
    EXPECT_FALSE(r.ImportJobs().Finish("I1", "", ImportJobState::kFailed, "", "again", t3)) << "already done";
    EXPECT_TRUE(r.ImportJobs().Finish("I2", "", ImportJobState::kFailed, "", "The file is too large.", t3));
  });
  EXPECT_EQ(Get("I2").state, ImportJobState::kFailed);
  EXPECT_EQ(Data("I2"), "");
}

TEST_P(ImportJobsConformance, AbandonedUploadsFailAndOnlyTheNewestFinishedJobsAreKept) {
  Write([](Repositories& r) {
    EXPECT_TRUE(r.Authorities().Insert({"la2", "E09000098", "Southmere", false}));
  });
  Insert(Job("I1"), "0123456789");
  auto fresh = Job("I2");
  fresh.last_part_at = kT0 + std::chrono::minutes(20);
  Insert(fresh, "0123456789");
  Insert(Job("I3", "la1", 10, ImportJobState::kQueued), "0123456789");
  Insert(Job("X1", "la2"), "0123456789");
  const TimePoint at = kT0 + std::chrono::minutes(30);
  Write([&](Repositories& r) {
    EXPECT_EQ(r.ImportJobs().FailAbandoned(kT0, at, "The upload stopped."), 2);  // I1 and X1
  });
  EXPECT_EQ(Get("I1").state, ImportJobState::kFailed);
  EXPECT_EQ(Get("I1").error, "The upload stopped.");
  EXPECT_EQ(Get("I1").finished_at, at);
  EXPECT_EQ(Data("I1"), "");
  EXPECT_EQ(Get("X1").state, ImportJobState::kFailed);
  EXPECT_EQ(Get("I2").state, ImportJobState::kReceiving);
  EXPECT_EQ(Get("I3").state, ImportJobState::kQueued) << "a complete upload is not abandoned";
  EXPECT_EQ(Data("I2"), "0123456789");

  for (const char* id : {"I4", "I5", "I6"}) {
    Insert(Job(id), "0123456789");
    Write([&](Repositories& r) { EXPECT_TRUE(r.ImportJobs().Finish(id, "", ImportJobState::kFailed, "", "x", at)); });
  }
  EXPECT_EQ(Listed("la1"), (std::vector<std::string>{"I6", "I5", "I4", "I3", "I2", "I1"}));
  EXPECT_EQ(Listed("la1", 2), (std::vector<std::string>{"I6", "I5"}));
  Write([](Repositories& r) { EXPECT_EQ(r.ImportJobs().Prune("la1", 2), 2); });  // I4 and I1
  EXPECT_EQ(Listed("la1"), (std::vector<std::string>{"I6", "I5", "I3", "I2"})) << "unfinished jobs are kept";
  EXPECT_EQ(Listed("la2"), (std::vector<std::string>{"X1"})) << "another authority's are its own";
}

TEST_P(ImportJobsConformance, RowsAreReportedInLineOrderKeptAsFirstRecordedAndGoWithTheJob) {
  using storage::ImportRow;
  Insert(Job("I1"), "0123456789");
  Insert(Job("I2"), "0123456789");
  Write([](Repositories& r) {
    r.ImportJobs().AddRows("I1", {{7, "Hillside Primary", "S7", "queued", "", "R1"},
                                  {2, "Hillside Primary", "S2", "created", "K1", ""},
                                  {3, "Brook Surgery", "G3", "matched", "K1", ""}});
    r.ImportJobs().AddRows("I2", {{2, "Hillside Primary", "S2", "unchanged", "K1", ""}});
  });
  // A run again after a restart finds the rows it wrote unchanged: what they were stays.
  Write([](Repositories& r) {
    r.ImportJobs().AddRows("I1", {{2, "Hillside Primary", "S2", "unchanged", "K1", ""},
                                  {9, "Hillside Primary", "S9", "updated", "K2", ""}});
  });
  auto rows = [&](const std::string& id, int64_t after, int limit, const std::string& outcome = "") {
    std::vector<std::string> out;
    for (const ImportRow& row :
         Read([&](Repositories& r) { return r.ImportJobs().Rows(id, outcome, after, limit); })) {
      out.push_back(std::to_string(row.line) + " " + row.source + " " + row.record_id + " " + row.outcome + " " +
                    row.child_id + " " + row.review_id);
    }
    return out;
  };
  EXPECT_EQ(rows("I1", 0, 10), (std::vector<std::string>{"2 Hillside Primary S2 created K1 ",
                                                         "3 Brook Surgery G3 matched K1 ",
                                                         "7 Hillside Primary S7 queued  R1",
                                                         "9 Hillside Primary S9 updated K2 "}));
  EXPECT_EQ(rows("I1", 3, 2), (std::vector<std::string>{"7 Hillside Primary S7 queued  R1",
                                                        "9 Hillside Primary S9 updated K2 "}));
  EXPECT_EQ(rows("I1", 0, 10, "matched"), (std::vector<std::string>{"3 Brook Surgery G3 matched K1 "}));
  EXPECT_EQ(rows("I1", 3, 10, "matched"), (std::vector<std::string>{}));
  EXPECT_EQ(rows("I2", 0, 10), (std::vector<std::string>{"2 Hillside Primary S2 unchanged K1 "}));
  EXPECT_TRUE(rows("I3", 0, 10).empty());

  Write([](Repositories& r) {
    EXPECT_TRUE(r.ImportJobs().Finish("I1", "", ImportJobState::kDone, "", "", kT0));
    EXPECT_TRUE(r.ImportJobs().Finish("I2", "", ImportJobState::kDone, "", "", kT0));
    EXPECT_EQ(r.ImportJobs().Prune("la1", 1), 1);  // I1
  });
  EXPECT_TRUE(rows("I1", 0, 10).empty()) << "a forgotten job's rows go with it";
  EXPECT_EQ(rows("I2", 0, 10).size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(Backends, ImportJobsConformance, ::testing::ValuesIn(Backends()),
                         [](const auto& param_info) { return param_info.param.name; });

}  // namespace
}  // namespace kith::conformance
