#include "app/admin_service.h"

#include <gtest/gtest.h>

#include "app/test_fixture.h"

namespace kith::app {
namespace {

class AdminServiceTest : public AppFixture {
 protected:
  std::vector<domain::AuditRecord> Records() {
    return store_->ReadValue([](storage::Repositories& r) { return r.Audit().Range(0, 0, 1000); });
  }
};

// Issue 14, reproduction 6: successful reads of users were not audited.
TEST_F(AdminServiceTest, Reproduction6_ReadsOfUsersAreAuditedAsReadsOfChildrenAre) {
  AdminService admin(*ctx_);
  ASSERT_TRUE(admin.GetUser(As("admin"), "u-sw"));
  auto users = admin.ListUsers(As("admin"), "");
  ASSERT_TRUE(users);
  ASSERT_FALSE(admin.GetUser(As("sw"), "u-teacher"));  // a practitioner may not

  const auto records = Records();
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0].action, "user.read");
  EXPECT_EQ(records[0].actor_id, "u-admin");
  EXPECT_EQ(records[0].target_id, "u-sw");
  EXPECT_EQ(records[0].outcome, domain::AuditOutcome::kAllowed);
  EXPECT_EQ(records[1].action, "user.list");
  EXPECT_EQ(records[1].target_id, "la1");
  EXPECT_EQ(records[1].detail, "{\"count\":" + std::to_string(users->size()) + "}");
  EXPECT_EQ(records[2].action, "user.read");
  EXPECT_EQ(records[2].actor_id, "u-sw");
  EXPECT_EQ(records[2].outcome, domain::AuditOutcome::kDenied);
}

}  // namespace
}  // namespace kith::app
