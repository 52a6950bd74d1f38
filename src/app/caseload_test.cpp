#include "app/caseload.h"

#include <gtest/gtest.h>

#include "app/child_service.h"
#include "app/team_service.h"
#include "app/test_fixture.h"

namespace kith::app {
namespace {

class CaseloadTest : public AppFixture {
 protected:
  void SetUp() override {
    AppFixture::SetUp();
    AddUser("mgr", domain::Role::kManager, "ag-csc");
    AddUser("sw2", domain::Role::kPractitioner, "ag-csc");
    children_ = std::make_unique<ChildService>(*ctx_);
  }

  std::string Child(const std::string& by, const std::string& given) {
    domain::Child c;
    c.given_names = given;
    c.family_name = "Carter";
    auto made = children_->Create(As(by), c, "Referral received today");
    EXPECT_TRUE(made) << made.error().message;
    return made->child.id;
  }

  std::unique_ptr<ChildService> children_;
};

TEST_F(CaseloadTest, AManagerSeesEachWorkersChildrenTheManagerMaySee) {
  const std::string leo = Child("sw", "Leo");
  const std::string mia = Child("sw2", "Mia");
  Child("teacher", "Oscar");  // another agency's child: not the manager's
  ASSERT_TRUE(TeamService(*ctx_).ChangeLead(As("sw"), leo, "u-sw", "Allocated social worker"));
  CaseloadService caseloads(*ctx_);
  auto got = caseloads.TeamCaseloads(As("mgr"));
  ASSERT_TRUE(got) << got.error().message;
  ASSERT_EQ(got->size(), 2u) << "sw and sw2; not the teacher, not the manager";
  EXPECT_EQ((*got)[0].display_name, "sw");
  ASSERT_EQ((*got)[0].children.size(), 1u);
  EXPECT_EQ((*got)[0].children[0].child_id, leo);
  EXPECT_TRUE((*got)[0].children[0].i_am_lead);
  EXPECT_EQ((*got)[1].children.at(0).child_id, mia);
  for (const auto& who : {"sw", "teacher", "admin", "auditor"}) {
    EXPECT_EQ(caseloads.TeamCaseloads(As(who)).error().code, ErrorCode::kForbidden) << who;
  }
}

}  // namespace
}  // namespace kith::app
