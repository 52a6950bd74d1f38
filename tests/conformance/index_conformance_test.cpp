// Conformance of the national index repositories (source records and the clerical review
// queue): every back end listed in backends.cpp must pass it unchanged.
#include <gtest/gtest.h>

#include <filesystem>

#include "conformance/fixture.h"

namespace kith::conformance {
namespace {

using storage::Repositories;
using storage::ReviewItem;
using storage::ReviewStatus;
using storage::SourceRecord;

class IndexConformance : public ConformanceTest {
 protected:
  void SetUp() override {
    ConformanceTest::SetUp();
    Write([](Repositories& r) {
      InsertAuthority(r);
      EXPECT_TRUE(r.Authorities().Insert({"la2", "E09000098", "Southmere", false}));
      InsertChildren(r, {"c1", "c2"});
    });
  }

  static SourceRecord Record(std::string id, std::string record_id, std::string child, TimePoint at = kT0) {
    SourceRecord s;
    s.id = std::move(id);
    s.source = "Hillside Primary";
    s.record_id = std::move(record_id);
    s.content_hash = "h-" + s.record_id;
    s.child_id = std::move(child);
    s.given_name = "Amelia";
    s.family_name = "Hart";
    s.date_of_birth = "2016-04-02";
    s.sex = "female";
    s.postcode = "NB1 2AB";
    s.address = "4 Mill Lane";
    s.nhs_number = "9434765919";
    s.upn = "";
    s.attributes = R"({"year_group":"4"})";
    s.imported_at = at;
    s.updated_at = at;
    return s;
  }
};

TEST_P(IndexConformance, SourceRecordsAreUniquePerSourceAndKeepEveryValue) {
  Write([](Repositories& r) {
    EXPECT_TRUE(r.SourceRecords().Insert(Record("s1", "A1", "c1")));
    EXPECT_EQ(r.SourceRecords().Insert(Record("s2", "A1", "c2")).error().code, ErrorCode::kConflict);
    EXPECT_EQ(r.SourceRecords().Insert(Record("s1", "A9", "c2")).error().code, ErrorCode::kConflict);
    auto other_source = Record("s3", "A1", "");
    other_source.source = "Brook Surgery";
    EXPECT_TRUE(r.SourceRecords().Insert(other_source));
  });
  auto found = Read([](Repositories& r) { return r.SourceRecords().Find("Hillside Primary", "A1"); });
  ASSERT_TRUE(found);
  EXPECT_EQ(found->id, "s1");
  EXPECT_EQ(found->child_id, "c1");
  EXPECT_EQ(found->content_hash, "h-A1");
  EXPECT_EQ(found->date_of_birth, "2016-04-02");
  EXPECT_EQ(found->nhs_number, "9434765919");
  EXPECT_EQ(found->attributes, R"({"year_group":"4"})");
  EXPECT_EQ(found->imported_at, kT0);
  auto pending = Read([](Repositories& r) { return r.SourceRecords().Get("s3"); });
  ASSERT_TRUE(pending);
  EXPECT_EQ(pending->child_id, "");
  EXPECT_FALSE(Read([](Repositories& r) { return r.SourceRecords().Find("Hillside Primary", "A2"); }));
}

TEST_P(IndexConformance, UpdateMovesARecordAndForChildListsOldestFirst) {
  Write([](Repositories& r) {
    EXPECT_TRUE(r.SourceRecords().Insert(Record("s2", "A2", "c1", kT0 + std::chrono::seconds(5))));
    EXPECT_TRUE(r.SourceRecords().Insert(Record("s1", "A1", "c1", kT0)));
    EXPECT_TRUE(r.SourceRecords().Insert(Record("s3", "A3", "")));
  });
  auto of_c1 = Read([](Repositories& r) { return r.SourceRecords().ForChild("c1"); });
  ASSERT_EQ(of_c1.size(), 2u);
  EXPECT_EQ(of_c1[0].id, "s1");
  EXPECT_EQ(of_c1[1].id, "s2");
  Write([](Repositories& r) {
    auto s3 = *r.SourceRecords().Get("s3");
    s3.child_id = "c2";
    s3.content_hash = "changed";
    s3.source = "ignored";  // source and record_id never change
    EXPECT_TRUE(r.SourceRecords().Update(s3));
    EXPECT_EQ(r.SourceRecords().Update(Record("nope", "X", "c1")).error().code, ErrorCode::kNotFound);
  });
  auto s3 = Read([](Repositories& r) { return r.SourceRecords().Get("s3"); });
  EXPECT_EQ(s3->child_id, "c2");
  EXPECT_EQ(s3->content_hash, "changed");
  EXPECT_EQ(s3->source, "Hillside Primary");
  EXPECT_EQ(Read([](Repositories& r) { return r.SourceRecords().ForChild("c2"); }).size(), 1u);
}

TEST_P(IndexConformance, ReviewQueueHoldsCandidatesAndIsDecidedOnce) {
  Write([](Repositories& r) {
    EXPECT_TRUE(r.SourceRecords().Insert(Record("s1", "A1", "")));
    EXPECT_TRUE(r.SourceRecords().Insert(Record("s2", "A2", "")));
    ReviewItem a{"r-a",
                 "la1",
                 "s1",
                 {{"c1", 0.91, 3.35, R"([{"field":"given_name"}])"}, {"c2", 0.6, 0.58, "[]"}},
                 ReviewStatus::kOpen,
                 kT0 + std::chrono::seconds(1),
                 "",
                 std::nullopt,
                 "",
                 ""};
    ReviewItem b{"r-b", "la1", "s2", {{"c2", 0.75, 1.58, "[]"}}, ReviewStatus::kOpen, kT0, "", std::nullopt, "", ""};
    ReviewItem c{"r-c", "la2", "s2", {{"c2", 0.75, 1.58, "[]"}}, ReviewStatus::kOpen, kT0, "", std::nullopt, "", ""};
    EXPECT_TRUE(r.Reviews().Insert(a));
    EXPECT_TRUE(r.Reviews().Insert(b));
    EXPECT_TRUE(r.Reviews().Insert(c));
    EXPECT_EQ(r.Reviews().Insert(a).error().code, ErrorCode::kConflict);
  });
  auto open = Read([](Repositories& r) { return r.Reviews().Open("la1", 10); });
  ASSERT_EQ(open.size(), 2u);
  EXPECT_EQ(open[0].id, "r-b");  // oldest first
  EXPECT_EQ(open[1].id, "r-a");
  ASSERT_EQ(open[1].candidates.size(), 2u);
  EXPECT_EQ(open[1].candidates[0].child_id, "c1");
  EXPECT_DOUBLE_EQ(open[1].candidates[0].probability, 0.91);
  EXPECT_DOUBLE_EQ(open[1].candidates[0].weight, 3.35);
  EXPECT_EQ(open[1].candidates[0].evidence, R"([{"field":"given_name"}])");
  EXPECT_EQ(Read([](Repositories& r) { return r.Reviews().Open("la1", 1); }).size(), 1u);

  Write([](Repositories& r) {
    auto d = *r.Reviews().Get("r-a");
    d.status = ReviewStatus::kMatched;
    d.decided_by = "u1";
    d.decided_at = kT0 + std::chrono::seconds(60);
    d.decided_child_id = "c1";
    d.reason = "Same NHS number on the school's paper file";
    EXPECT_TRUE(r.Reviews().Decide(d));
    d.status = ReviewStatus::kNotMatched;
    EXPECT_EQ(r.Reviews().Decide(d).error().code, ErrorCode::kConflict);
    d.id = "nope";
    EXPECT_EQ(r.Reviews().Decide(d).error().code, ErrorCode::kNotFound);
  });
  auto decided = Read([](Repositories& r) { return r.Reviews().Get("r-a"); });
  ASSERT_TRUE(decided);
  EXPECT_EQ(decided->status, ReviewStatus::kMatched);
  EXPECT_EQ(decided->decided_by, "u1");
  EXPECT_EQ(decided->decided_at, kT0 + std::chrono::seconds(60));
  EXPECT_EQ(decided->decided_child_id, "c1");
  EXPECT_EQ(decided->reason, "Same NHS number on the school's paper file");
  EXPECT_EQ(decided->candidates.size(), 2u);
  auto still_open = Read([](Repositories& r) { return r.Reviews().Open("la1", 10); });
  ASSERT_EQ(still_open.size(), 1u);
  EXPECT_EQ(still_open[0].id, "r-b");
}

TEST_P(IndexConformance, AChildIsMergedAwayOnceAtATimeAndEveryMergeIsKept) {
  storage::ChildMerge m{"m1", "c1", "c2", {"s2", "s3"}, "u1", kT0, "Same child: same NHS number", "", std::nullopt, ""};
  Write([&](Repositories& r) {
    EXPECT_TRUE(r.Merges().Insert(m));
    auto again = m;
    again.id = "m2";
    EXPECT_EQ(r.Merges().Insert(again).error().code, ErrorCode::kConflict);  // c2 is merged already
  });
  auto away = Read([](Repositories& r) { return r.Merges().MergedAway("c2"); });
  ASSERT_TRUE(away);
  EXPECT_EQ(away->survivor_id, "c1");
  EXPECT_EQ(away->moved_source_records, (std::vector<std::string>{"s2", "s3"}));
  EXPECT_EQ(away->merged_at, kT0);
  EXPECT_EQ(away->reason, "Same child: same NHS number");
  EXPECT_FALSE(Read([](Repositories& r) { return r.Merges().MergedAway("c1"); }));

  Write([&](Repositories& r) {
    auto undone = m;
    undone.unmerged_by = "u2";
    undone.unmerged_at = kT0 + std::chrono::seconds(30);
    undone.unmerge_reason = "Twins: different GP records";
    EXPECT_TRUE(r.Merges().Undo(undone));
    EXPECT_EQ(r.Merges().Undo(undone).error().code, ErrorCode::kConflict);
    undone.id = "nope";
    EXPECT_EQ(r.Merges().Undo(undone).error().code, ErrorCode::kNotFound);
  });
  EXPECT_FALSE(Read([](Repositories& r) { return r.Merges().MergedAway("c2"); }));
  Write([&](Repositories& r) {
    auto later = m;
    later.id = "m3";
    later.merged_at = kT0 + std::chrono::seconds(60);
    later.moved_source_records = {};
    EXPECT_TRUE(r.Merges().Insert(later));  // merged again after the un-merge
  });
  auto history = Read([](Repositories& r) { return r.Merges().ForChild("c1"); });
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[0].id, "m3");
  EXPECT_TRUE(history[0].moved_source_records.empty());
  EXPECT_EQ(history[1].id, "m1");
  EXPECT_EQ(history[1].unmerged_by, "u2");
  EXPECT_EQ(history[1].unmerged_at, kT0 + std::chrono::seconds(30));
  EXPECT_EQ(history[1].unmerge_reason, "Twins: different GP records");
  EXPECT_EQ(Read([](Repositories& r) { return r.Merges().ForChild("c2"); }).size(), 2u);
  EXPECT_EQ(Read([](Repositories& r) { return r.Merges().Get("m1"); })->merged_by, "u1");
}

INSTANTIATE_TEST_SUITE_P(Backends, IndexConformance, ::testing::ValuesIn(Backends()),
                         [](const auto& param_info) { return param_info.param.name; });

}  // namespace
}  // namespace kith::conformance
