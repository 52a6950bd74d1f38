#include "app/search_service.h"

#include <gtest/gtest.h>

#include <algorithm>

#include <nlohmann/json.hpp>

#include "app/child_service.h"
#include "app/test_fixture.h"

namespace kith::app {
namespace {

class SearchServiceTest : public AppFixture {
 protected:
  void SetUp() override {
    AppFixture::SetUp();
    search_ = std::make_unique<SearchService>(*ctx_, index_);
    children_ = std::make_unique<ChildService>(*ctx_, search_.get());
  }

  std::string Create(const std::string& given, const std::string& family, const char* dob, bool shielded) {
    domain::Child c;
    c.given_names = given;
    c.family_name = family;
    c.date_of_birth = Date::Parse(dob);
    c.postcode = "NB1 2AB";
    c.shielded = shielded;
    auto made = children_->Create(As("sw"), c, "New referral from the health visitor");
    EXPECT_TRUE(made) << (made ? "" : made.error().message);
    return made ? made->child.id : "";
  }

  std::vector<domain::AuditRecord> Searches() {
    std::vector<domain::AuditRecord> out;
    for (auto& a : store_->ReadValue([](storage::Repositories& r) { return r.Audit().Range(0, 0, 1000); })) {
      if (a.action == "child.search") out.push_back(a);
    }
    return out;
  }

  linkage::SearchIndex index_;
  std::unique_ptr<SearchService> search_;
  std::unique_ptr<ChildService> children_;
};

TEST_F(SearchServiceTest, FindsCreatedAndUpdatedChildrenAndAuditsTheTerms) {
  const std::string id = Create("Mohammed", "Khan", "2015-03-07", false);
  auto found = search_->Search(
      As("teacher"), {.given_name = "Muhammad", .family_name = "Kahn", .date_of_birth = Date::Parse("2015-07-03")},
      "Checking a new pupil's record");
  ASSERT_TRUE(found) << found.error().message;
  ASSERT_EQ(found->results.size(), 1u);
  EXPECT_EQ(found->results[0].child_id, id);
  EXPECT_EQ(found->results[0].given_names, "Mohammed");
  EXPECT_EQ(found->results[0].postcode_district, "NB1");
  EXPECT_FALSE(found->results[0].on_my_team);  // the teacher is not on the team
  auto mine = search_->Search(
      As("sw"), {.given_name = "Mohammed", .family_name = "Khan", .date_of_birth = Date::Parse("2015-03-07")},
      "Checking my own caseload");
  ASSERT_TRUE(mine);
  ASSERT_EQ(mine->results.size(), 1u);
  EXPECT_TRUE(mine->results[0].on_my_team);

  const auto audits = Searches();
  ASSERT_EQ(audits.size(), 2u);
  EXPECT_EQ(audits[0].actor_id, "u-teacher");
  EXPECT_EQ(audits[0].reason, "Checking a new pupil's record");
  const auto detail = nlohmann::json::parse(audits[0].detail);
  EXPECT_EQ(detail["terms"]["family_name"], "Kahn");
  EXPECT_EQ(detail["terms"]["date_of_birth"], "2015-07-03");
  EXPECT_EQ(audits[0].found_children, std::vector<std::string>{id});
  EXPECT_FALSE(detail.contains("results")) << "the found children are a field of their own";
  // So the child's trail shows who searched for them.
  const auto trail = store_->ReadValue([&](storage::Repositories& r) { return r.Audit().ForChild(id, 50); });
  EXPECT_TRUE(std::any_of(trail.begin(), trail.end(), [&](const domain::AuditRecord& a) {
    return a.action == "child.search" && a.actor_id == "u-teacher";
  }));

  // An update reaches the index through the observer.
  auto account = children_->Account(As("sw"), id);
  ASSERT_TRUE(account);
  ChildChanges changed;
  changed.version = account->child.version;
  changed.family_name = "Rahman";
  ASSERT_TRUE(children_->Update(As("sw"), id, changed));
  auto renamed = search_->Search(
      As("teacher"), {.given_name = "Mohammed", .family_name = "Rahman", .date_of_birth = Date::Parse("2015-03-07")},
      "Checking a new pupil's record");
  ASSERT_TRUE(renamed);
  ASSERT_EQ(renamed->results.size(), 1u);
  EXPECT_EQ(renamed->results[0].family_name, "Rahman");
}

TEST_F(SearchServiceTest, ShieldedChildOnlyByExactNameAndDateAndWithoutLocation) {
  const std::string id = Create("Amelia", "Watson", "2016-08-20", true);
  auto fuzzy = search_->Search(
      As("teacher"), {.given_name = "Amelia", .family_name = "Watsen", .date_of_birth = Date::Parse("2016-08-20")},
      "Checking a new pupil's record");
  ASSERT_TRUE(fuzzy);
  EXPECT_TRUE(fuzzy->results.empty());
  auto exact = search_->Search(
      As("teacher"), {.given_name = "Amelia", .family_name = "Watson", .date_of_birth = Date::Parse("2016-08-20")},
      "Checking a new pupil's record");
  ASSERT_TRUE(exact);
  ASSERT_EQ(exact->results.size(), 1u);
  EXPECT_EQ(exact->results[0].child_id, id);
  EXPECT_TRUE(exact->results[0].shielded);
  EXPECT_EQ(exact->results[0].postcode_district, "");
}

TEST_F(SearchServiceTest, RefusesWithoutReasonOrRoleAndAuditsRefusals) {
  Create("Oliver", "Smith", "2015-03-07", false);
  auto no_reason = search_->Search(As("teacher"), {.given_name = "Oliver", .family_name = "Smith"}, "too short");
  ASSERT_FALSE(no_reason);
  EXPECT_EQ(no_reason.error().field, "reason");
  auto auditor =
      search_->Search(As("auditor"), {.given_name = "Oliver", .family_name = "Smith"}, "Looking for a child please");
  ASSERT_FALSE(auditor);
  EXPECT_EQ(auditor.error().code, ErrorCode::kForbidden);
  const auto audits = Searches();
  ASSERT_EQ(audits.size(), 1u);
  EXPECT_EQ(audits[0].outcome, domain::AuditOutcome::kDenied);
}

}  // namespace
}  // namespace kith::app
