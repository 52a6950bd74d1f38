#include "domain/audit_actions.h"

#include <gtest/gtest.h>

namespace kith::domain {
namespace {

TEST(AuditActionsTest, TheCatalogueIsInNameOrderWithALabelForEach) {
  const auto all = AuditActions();
  ASSERT_FALSE(all.empty());
  for (size_t i = 0; i < all.size(); ++i) {
    EXPECT_FALSE(all[i].label.empty()) << all[i].name;
    if (i > 0) EXPECT_LT(all[i - 1].name, all[i].name) << "keep the catalogue in name order";
  }
  ASSERT_NE(FindAuditAction("child.read"), nullptr);
  EXPECT_EQ(FindAuditAction("child.read")->kind, AuditActionKind::kView);
  EXPECT_EQ(FindAuditAction("child.search")->kind, AuditActionKind::kSearch);
  EXPECT_EQ(FindAuditAction("child.view"), nullptr);
  EXPECT_EQ(ToString(AuditActionKind::kSignIn), "sign_in");
}

}  // namespace
}  // namespace kith::domain
