#include "app/review_service.h"

#include <algorithm>

#include <gtest/gtest.h>

#include "app/index_import.h"
#include "app/test_fixture.h"

namespace kith::app {
namespace {

class ReviewServiceTest : public AppFixture {
 protected:
  void SetUp() override {
    AppFixture::SetUp();
    AddUser("mgr", domain::Role::kManager, "ag-csc");
    service_ = std::make_unique<ReviewService>(*ctx_, nullptr);
    Principal importer;
    importer.user.id = "cli";
    importer.user.role = domain::Role::kNationalAdmin;
    ImportOptions options;
    options.authority_id = "la1";
    options.default_source = "Hillside Primary";
    ASSERT_TRUE(ImportFeed(*ctx_, importer,
                           "record_id,given_name,family_name,date_of_birth,sex,postcode,address\n"
                           "S3,Priya,Sharma,2015-03-07,F,NB4 7QT,12 Elm Road\n",
                           options));
    options.default_source = "Brook Surgery";
    auto queued = ImportFeed(*ctx_, importer,
                             "record_id,given_name,family_name,sex,postcode\n"
                             "G3,Priya,Sharma,F,NB9 1ZZ\n",
                             options);
    ASSERT_TRUE(queued);
    ASSERT_EQ(queued->queued, 1u);
  }

  std::string OnlyReviewId() {
    auto open = service_->Open(As("mgr"));
    EXPECT_TRUE(open);
    EXPECT_EQ(open->size(), 1u);
    return open->empty() ? "" : (*open)[0].id;
  }

  std::unique_ptr<ReviewService> service_;
};

TEST_F(ReviewServiceTest, AShieldedCandidateComesWithoutWhereItLivesAndItsLeadAndManagersAreTold) {
  const std::string id = OnlyReviewId();
  const auto view = service_->Get(As("mgr"), id);
  ASSERT_TRUE(view);
  ASSERT_EQ(view->candidates.size(), 1u);
  const std::string child_id = view->candidates[0].child.id;
  EXPECT_EQ(view->candidates[0].sources[0].address, "12 Elm Road");  // not shielded: shown
  store_->Write([&](storage::Repositories& r) {
    auto child = r.Children().Get(child_id);
    child->shielded = true;
    EXPECT_TRUE(r.Children().Update(*child));
    return true;
  });
  AddToTeam(child_id, "sw", "Social worker", /*lead=*/true);
  AddUser("steward", domain::Role::kPractitioner, "ag-school", /*index_steward=*/true);
  const auto shielded = service_->Get(As("steward"), id);
  ASSERT_TRUE(shielded);
  const auto& c = shielded->candidates[0];
  EXPECT_EQ(c.child.address, "");
  EXPECT_EQ(c.child.postcode, "");
  ASSERT_FALSE(c.sources.empty());
  for (const auto& s : c.sources) {
    EXPECT_EQ(s.address, "");
    EXPECT_EQ(s.postcode, "");
    EXPECT_EQ(s.attributes, "{}");
  }
  for (const char* who : {"u-sw", "u-mgr"}) {
    const auto alerts = store_->ReadValue([&](storage::Repositories& r) { return r.Feed().Alerts(who, 10); });
    EXPECT_TRUE(std::any_of(alerts.begin(), alerts.end(), [](const auto& a) { return a.kind == "shielded_review"; }))
        << who;
  }
}

TEST_F(ReviewServiceTest, IndexStewardsReviewToo) {
  AddUser("steward", domain::Role::kPractitioner, "ag-school", /*index_steward=*/true);
  auto open = service_->Open(As("steward"));
  ASSERT_TRUE(open);
  EXPECT_EQ(open->size(), 1u);
  const auto audit = store_->ReadValue([](storage::Repositories& r) { return r.Audit().Range(0, 0, 10000); });
  EXPECT_EQ(audit.back().why, "index steward of the authority");
}

TEST_F(ReviewServiceTest, OnlyManagersOfTheAuthorityMayReview) {
  for (const char* who : {"sw", "admin", "auditor"}) {
    EXPECT_EQ(service_->Open(As(who)).error().code, ErrorCode::kForbidden) << who;
  }
  const std::string id = OnlyReviewId();
  EXPECT_EQ(service_->Get(As("sw"), id).error().code, ErrorCode::kForbidden);
  EXPECT_EQ(service_->Decide(As("admin"), id, ReviewDecision::kNotAMatch, "", "Different girl, checked with school")
                .error()
                .code,
            ErrorCode::kForbidden);
  EXPECT_EQ(service_->Get(As("mgr"), "R-nope").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(service_->Decide(As("mgr"), "R-nope", ReviewDecision::kNotAMatch, "", "Different child: another family")
                .error()
                .code,
            ErrorCode::kNotFound);
}

TEST_F(ReviewServiceTest, ShowsTheCandidatesWithEvidenceAndDecidesAMatchOnce) {
  const std::string id = OnlyReviewId();
  auto view = service_->Get(As("mgr"), id);
  ASSERT_TRUE(view) << view.error().message;
  EXPECT_EQ(view->record.postcode, "NB9 1ZZ");
  EXPECT_EQ(view->record.child_id, "");
  ASSERT_EQ(view->candidates.size(), 1u);
  const auto& candidate = view->candidates[0];
  EXPECT_EQ(candidate.child.given_names, "Priya");
  ASSERT_EQ(candidate.sources.size(), 1u);
  EXPECT_EQ(candidate.sources[0].record_id, "S3");
  EXPECT_GT(candidate.candidate.probability, 0.0);
  EXPECT_NE(candidate.candidate.evidence.find("\"field\":\"family_name\""), std::string::npos);

  EXPECT_EQ(service_->Decide(As("mgr"), id, ReviewDecision::kMatch, "K-not-a-candidate", "Same child per school file")
                .error()
                .field,
            "child_id");
  EXPECT_EQ(service_->Decide(As("mgr"), id, ReviewDecision::kMatch, candidate.child.id, "short").error().field,
            "reason");
  auto decided =
      service_->Decide(As("mgr"), id, ReviewDecision::kMatch, candidate.child.id, "Same child: GP confirmed by phone");
  ASSERT_TRUE(decided) << decided.error().message;
  EXPECT_EQ(decided->item.status, storage::ReviewStatus::kMatched);
  EXPECT_EQ(decided->item.decided_by, "u-mgr");
  EXPECT_EQ(decided->record.child_id, candidate.child.id);
  EXPECT_EQ(decided->candidates[0].sources.size(), 2u);
  EXPECT_EQ(
      service_->Decide(As("mgr"), id, ReviewDecision::kNotAMatch, "", "Changed my mind about this one").error().code,
      ErrorCode::kConflict);
  EXPECT_TRUE(service_->Open(As("mgr"))->empty());
  const auto trail = store_->ReadValue([&](storage::Repositories& r) { return r.Audit().ForChild(candidate.child.id, 10); });
  const auto decide = std::find_if(trail.begin(), trail.end(), [](const auto& a) { return a.action == "index.review.decide"; });
  ASSERT_NE(decide, trail.end());
  EXPECT_EQ(decide->reason, "Same child: GP confirmed by phone");
  // Each time the review is shown, the candidate child's own trail records who compared it.
  EXPECT_TRUE(std::any_of(trail.begin(), trail.end(), [](const auto& a) {
    return a.action == "index.review.read" && a.actor_id == "u-mgr" && a.detail.find("\"candidate\":true") != std::string::npos;
  }));
}

TEST_F(ReviewServiceTest, NotAMatchMakesANewChild) {
  const std::string id = OnlyReviewId();
  const auto before = store_->ReadValue([](storage::Repositories& r) { return r.Children().Count(); });
  auto decided = service_->Decide(As("mgr"), id, ReviewDecision::kNotAMatch, "", "Different child: another family");
  ASSERT_TRUE(decided) << decided.error().message;
  EXPECT_EQ(decided->item.status, storage::ReviewStatus::kNotMatched);
  EXPECT_EQ(store_->ReadValue([](storage::Repositories& r) { return r.Children().Count(); }), before + 1);
  auto child = store_->ReadValue([&](storage::Repositories& r) { return r.Children().Get(decided->record.child_id); });
  ASSERT_TRUE(child);
  EXPECT_EQ(child->postcode, "NB9 1ZZ");
  EXPECT_EQ(child->authority_id, "la1");
}

}  // namespace
}  // namespace kith::app
