// A fresh SQLite store in a temporary directory, a manual clock and seeded randomness, with one
// authority, two agencies and a few users: the fixture for app-layer tests.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <memory>

#include "app/context.h"
#include "app/principal.h"
#include "storage/sqlite/sqlite_store.h"

namespace kith::app {

class AppFixture : public ::testing::Test {
 protected:
  static constexpr const char* kPassword = "a long and unusual passphrase";

  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("kith-app-" + std::to_string(::getpid()) + "-" +
                                                     ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    store_ = storage::OpenSqliteStore({.path = (dir_ / "kith.db").string(), .readers = 2});
    ctx_ = std::make_unique<Context>(Context{*store_, clock_, random_, hasher_, Policy{}});
    store_->Write([&](storage::Repositories& r) {
      EXPECT_TRUE(r.Authorities().Insert({"la1", "E1", "Northbrook", false}));
      EXPECT_TRUE(r.Agencies().Insert({"ag-csc", "la1", "Northbrook Children's Services",
                                       domain::AgencyKind::kChildrensSocialCare, "01632 960000", "", ""}));
      EXPECT_TRUE(r.Agencies().Insert(
          {"ag-school", "la1", "Hillside Primary", domain::AgencyKind::kSchool, "01632 960001", "", ""}));
      return true;
    });
    AddUser("sw", domain::Role::kPractitioner, "ag-csc");
    AddUser("teacher", domain::Role::kPractitioner, "ag-school");
    AddUser("admin", domain::Role::kAuthorityAdmin, "ag-csc");
    AddUser("auditor", domain::Role::kAuditor, "ag-csc");
  }

  void TearDown() override {
    ctx_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  void AddUser(const std::string& name, domain::Role role, const std::string& agency, bool index_steward = false) {
    domain::User u;
    u.id = "u-" + name;
    u.username = name;
    u.display_name = name;
    u.job_title = "Job of " + name;
    u.role = role;
    u.authority_id = "la1";
    u.agency_id = agency;
    u.index_steward = index_steward;
    u.password_hash = hasher_.Hash(kPassword);
    store_->Write([&](storage::Repositories& r) {
      EXPECT_TRUE(r.Users().Insert(u));
      return true;
    });
  }

  // Gives a user the information-governance permission directly (test set-up).
  void GrantInformationGovernance(const std::string& name) {
    store_->Write([&](storage::Repositories& r) {
      auto u = r.Users().GetByUsername(name);
      u->information_governance = true;
      EXPECT_TRUE(r.Users().Update(*u));
      return true;
    });
  }

  // Puts a user on a child's team directly (test set-up; joining is TeamService's).
  void AddToTeam(const std::string& child_id, const std::string& name, const std::string& role, bool lead = false) {
    store_->Write([&](storage::Repositories& r) {
      r.Teams().AddMember({child_id, "u-" + name, role, "Added to the team for the test", clock_.Now(), lead});
      return true;
    });
  }

  // A principal for a user, as if signed in with every factor done.
  Principal As(const std::string& name) {
    auto user = store_->ReadValue([&](storage::Repositories& r) { return r.Users().GetByUsername(name); });
    EXPECT_TRUE(user) << name;
    return Principal{*user, {}, SessionState::kComplete, "127.0.0.1"};
  }

  std::filesystem::path dir_;
  ManualClock clock_{FromMicros(1'795'000'000'000'000)};  // 2026-11-18
  SeededRandom random_{42};
  PasswordHasher hasher_{HashCost::kMinimum};
  std::unique_ptr<storage::Store> store_;
  std::unique_ptr<Context> ctx_;
};

}  // namespace kith::app
