#include "app/merge_service.h"

#include <algorithm>

#include <gtest/gtest.h>

#include "app/child_service.h"
#include "app/index_import.h"
#include "app/search_service.h"
#include "app/test_fixture.h"

namespace kith::app {
namespace {

// Two feeds make two records of one child (the school's without a date of birth, imported
// with a very high match threshold so that they stay apart) and one of her brother.
class MergeServiceTest : public AppFixture {
 protected:
  void SetUp() override {
    AppFixture::SetUp();
    AddUser("mgr", domain::Role::kManager, "ag-csc");
    AddUser("steward", domain::Role::kPractitioner, "ag-csc", /*index_steward=*/true);
    merges_ = std::make_unique<MergeService>(*ctx_);
    Principal importer;
    importer.user.id = "cli";
    importer.user.role = domain::Role::kNationalAdmin;
    ImportOptions options;
    options.authority_id = "la1";
    options.default_source = "Brook Surgery";
    ASSERT_TRUE(ImportFeed(*ctx_, importer,
                           "record_id,given_name,family_name,date_of_birth,sex,postcode,nhs_number\n"
                           "G1,Amelia,Hart,2016-04-02,F,NB1 2AB,9434765919\n"
                           "G2,Oliver,Hart,2014-09-10,M,NB1 2AB,\n",
                           options));
    options.default_source = "Hillside Primary";
    options.review_probability = 0.999999;
    options.match_probability = 0.999999;
    ASSERT_TRUE(ImportFeed(*ctx_, importer,
                           "record_id,given_name,family_name,sex,postcode\n"
                           "S1,Millie,Hart,F,NB2 9XY\n",
                           options));
    amelia_ = ChildOf("Brook Surgery", "G1");
    oliver_ = ChildOf("Brook Surgery", "G2");
    millie_ = ChildOf("Hillside Primary", "S1");
    ASSERT_NE(amelia_, millie_);
  }

  std::string ChildOf(const std::string& source, const std::string& record_id) {
    auto record =
        store_->ReadValue([&](storage::Repositories& r) { return r.SourceRecords().Find(source, record_id); });
    EXPECT_TRUE(record);
    return record ? record->child_id : "";
  }

  static constexpr const char* kReason = "Same girl: the school confirmed her date of birth";
  std::unique_ptr<MergeService> merges_;
  std::string amelia_, oliver_, millie_;
};

TEST_F(MergeServiceTest, MergeHidesTheDuplicateAndUnmergeRestoresItExactly) {
  ChildService children(*ctx_);
  const auto before = children.Signpost(As("sw"), millie_, "Checking who is involved");
  ASSERT_TRUE(before);
  auto index = BuildSearchIndex(*store_, nullptr);
  SearchService search(*ctx_, *index);
  auto found = [&](const std::string& id) {
    SearchTerms terms;
    terms.given_name = "Millie";
    terms.family_name = "Hart";
    auto out = search.Search(As("sw"), terms, "Looking for Millie before a visit");
    EXPECT_TRUE(out);
    return std::any_of(out->results.begin(), out->results.end(), [&](const auto& v) { return v.child_id == id; });
  };
  EXPECT_TRUE(found(millie_));

  auto merged = merges_->Merge(As("steward"), amelia_, millie_, kReason);
  ASSERT_TRUE(merged) << merged.error().message;
  EXPECT_EQ(merged->moved_source_records.size(), 1u);
  EXPECT_EQ(ChildOf("Hillside Primary", "S1"), amelia_);
  EXPECT_EQ(children.Signpost(As("sw"), millie_, "Checking who is involved").error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(children.Signpost(As("sw"), amelia_, "Checking who is involved"));
  EXPECT_FALSE(found(millie_));
  // A merged-away child is no candidate for newly imported records.
  Principal importer;
  importer.user.id = "cli";
  importer.user.role = domain::Role::kNationalAdmin;
  ImportOptions options;
  options.authority_id = "la1";
  options.default_source = "Hillside Primary";
  ASSERT_TRUE(ImportFeed(*ctx_, importer, "record_id,given_name,family_name,sex,postcode\nS9,Millie,Hart,F,NB2 9XY\n",
                         options));
  EXPECT_NE(ChildOf("Hillside Primary", "S9"), millie_);
  for (const auto& item : store_->ReadValue([](storage::Repositories& r) { return r.Reviews().Open("la1", 10); })) {
    for (const auto& c : item.candidates) EXPECT_NE(c.child_id, millie_);
  }
  EXPECT_EQ(merges_->Merge(As("steward"), oliver_, millie_, kReason).error().code, ErrorCode::kConflict);

  auto undone = merges_->Unmerge(As("steward"), merged->id, "Not the same girl: different GP on paper");
  ASSERT_TRUE(undone) << undone.error().message;
  EXPECT_EQ(undone->unmerged_by, "u-steward");
  EXPECT_EQ(ChildOf("Hillside Primary", "S1"), millie_);
  EXPECT_EQ(ChildOf("Brook Surgery", "G1"), amelia_);
  auto after = children.Signpost(As("sw"), millie_, "Checking who is involved");
  ASSERT_TRUE(after);
  EXPECT_EQ(after->given_names, before->given_names);
  EXPECT_TRUE(found(millie_));
  EXPECT_EQ(merges_->Unmerge(As("steward"), merged->id, "Undoing it a second time").error().code, ErrorCode::kConflict);

  const auto trail = store_->ReadValue([&](storage::Repositories& r) { return r.Audit().ForChild(millie_, 20); });
  std::vector<std::string> actions;
  for (const auto& a : trail) {
    if (a.action.starts_with("index.")) actions.push_back(a.action + " by " + a.actor_id + ": " + a.reason);
  }
  ASSERT_GE(actions.size(), 2u);
  EXPECT_EQ(actions[0], "index.unmerge by u-steward: Not the same girl: different GP on paper");
  EXPECT_EQ(actions[1], std::string("index.merge by u-steward: ") + kReason);
}

TEST_F(MergeServiceTest, OnlyIndexStewardsOfTheAuthorityMergeAndUnmerge) {
  // Managers keep the review queue but not merging (docs/adr/0010-index-steward-permission.md).
  for (const char* who : {"mgr", "sw", "admin", "auditor"}) {
    auto refused = merges_->Merge(As(who), amelia_, millie_, kReason);
    ASSERT_FALSE(refused) << who;
    EXPECT_EQ(refused.error().code, ErrorCode::kForbidden) << who;
  }
  auto merged = merges_->Merge(As("steward"), amelia_, millie_, kReason);
  ASSERT_TRUE(merged) << merged.error().message;
  EXPECT_EQ(merges_->Get(As("mgr"), merged->id).error().code, ErrorCode::kForbidden);
  EXPECT_EQ(merges_->Unmerge(As("mgr"), merged->id, "Not the same girl after all").error().code, ErrorCode::kForbidden);
  // Taking the grant away takes the permission with it.
  auto steward = As("steward");
  steward.user.index_steward = false;
  EXPECT_EQ(merges_->Unmerge(steward, merged->id, "Not the same girl after all").error().code, ErrorCode::kForbidden);
  // Every refusal is recorded: four merges, the manager's reading of the merge, two unmerges.
  const auto denied = store_->ReadValue([](storage::Repositories& r) { return r.Audit().Range(0, 0, 10000); });
  EXPECT_EQ(std::count_if(denied.begin(), denied.end(),
                          [](const auto& a) { return a.outcome == domain::AuditOutcome::kDenied; }),
            7);
}

TEST_F(MergeServiceTest, RefusesUnsafeMerges) {
  EXPECT_EQ(merges_->Merge(As("sw"), amelia_, millie_, kReason).error().code, ErrorCode::kForbidden);
  EXPECT_EQ(merges_->Merge(As("admin"), amelia_, millie_, kReason).error().code, ErrorCode::kForbidden);
  EXPECT_EQ(merges_->Merge(As("steward"), amelia_, amelia_, kReason).error().code, ErrorCode::kInvalidInput);
  EXPECT_EQ(merges_->Merge(As("steward"), amelia_, "K-none", kReason).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(merges_->Merge(As("steward"), amelia_, millie_, "short").error().field, "reason");

  // A child with a team (case content) is never merged away; the other way round is fine.
  store_->Write([&](storage::Repositories& r) {
    r.Teams().AddMember({millie_, "u-teacher", "Class teacher", "Teaching her this year", clock_.Now(), false});
    return true;
  });
  auto refused = merges_->Merge(As("steward"), amelia_, millie_, kReason);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kConflict);
  EXPECT_NE(refused.error().message.find("team"), std::string::npos);
  EXPECT_TRUE(merges_->Merge(As("steward"), millie_, amelia_, kReason));
}

// Found by the property-based test of access (issue 17): a child whose team had left but whose
// family account was still linked could be merged away, and its family portal still answered
// while every other act on it answered 404.
TEST_F(MergeServiceTest, AChildWithALinkedFamilyAccountIsNeverMergedAway) {
  AddUser("parent", domain::Role::kFamily, "");
  store_->Write([&](storage::Repositories& r) {
    EXPECT_TRUE(r.Family().Link({"u-parent", millie_, domain::FamilyRelation::kParentCarer, clock_.Now(), ""}));
    return true;
  });
  auto refused = merges_->Merge(As("steward"), amelia_, millie_, kReason);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kConflict);
  EXPECT_NE(refused.error().message.find("family"), std::string::npos);
  EXPECT_TRUE(merges_->Merge(As("steward"), millie_, amelia_, kReason));
}

TEST_F(MergeServiceTest, RefusesRecordsWithDifferentNhsNumbers) {
  store_->Write([&](storage::Repositories& r) {
    auto oliver = *r.Children().Get(oliver_);
    oliver.nhs_number = "4010232137";
    EXPECT_TRUE(r.Children().Update(oliver));
    return true;
  });
  EXPECT_EQ(merges_->Merge(As("steward"), amelia_, oliver_, kReason).error().code, ErrorCode::kConflict);
}

}  // namespace
}  // namespace kith::app
