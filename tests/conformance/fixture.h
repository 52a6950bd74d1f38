// The fixture every conformance suite derives from: a fresh store of the back end under test in
// a directory of its own (removed afterwards), helpers to write and read through it, and the
// rows most suites start from. A suite's SetUp calls ConformanceTest::SetUp() and then writes its
// own rows.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <functional>
#include <initializer_list>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "conformance/backends.h"
#include "domain/audit.h"
#include "storage/repositories.h"
#include "storage/store.h"

namespace kith::conformance {

inline const TimePoint kT0 = FromMicros(1'790'000'000'000'000);

class ConformanceTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = std::filesystem::temp_directory_path() /
           ("kith-conf-" + std::to_string(::getpid()) + "-" + test->test_suite_name() + "-" + test->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    store_ = GetParam().open(dir_.string());
  }

  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  // Runs `fn` in one committed write transaction.
  void Write(const std::function<void(storage::Repositories&)>& fn) {
    store_->Write([&](storage::Repositories& r) {
      fn(r);
      return true;
    });
  }

  template <typename F>
  auto Read(F&& fn) {
    return store_->ReadValue(std::forward<F>(fn));
  }

  // Every audit record, chain by chain in chain order, each chain in seq order.
  std::vector<domain::AuditRecord> AuditRecords() {
    return Read([](storage::Repositories& r) {
      std::vector<domain::AuditRecord> all;
      for (const auto& head : r.Audit().Heads()) {
        auto chain = r.Audit().Range(head.chain, 0, 1'000'000);
        all.insert(all.end(), chain.begin(), chain.end());
      }
      return all;
    });
  }

  // Every chain runs 1, 2, 3, … from the genesis hash, each record linked to the one before and
  // hashed correctly, and ends at the head Heads() reports.
  void ExpectAuditChainsIntact() {
    const auto heads = Read([](storage::Repositories& r) { return r.Audit().Heads(); });
    for (const auto& head : heads) {
      const auto chain = Read([&](storage::Repositories& r) { return r.Audit().Range(head.chain, 0, 1'000'000); });
      std::string prev(domain::kGenesisHash);
      for (size_t i = 0; i < chain.size(); ++i) {
        EXPECT_EQ(chain[i].chain, head.chain);
        EXPECT_EQ(chain[i].seq, static_cast<int64_t>(i + 1)) << "chain " << head.chain;
        EXPECT_EQ(chain[i].prev_hash, prev) << "chain " << head.chain << " record " << chain[i].seq;
        EXPECT_EQ(chain[i].hash, domain::ComputeAuditHash(chain[i])) << "chain " << head.chain;
        prev = chain[i].hash;
      }
      ASSERT_FALSE(chain.empty()) << "chain " << head.chain << " has a head but no records";
      EXPECT_EQ(head.seq, chain.back().seq);
      EXPECT_EQ(head.hash, chain.back().hash);
    }
  }

  // The authority most rows belong to: la1, Northbrook.
  static void InsertAuthority(storage::Repositories& r) {
    EXPECT_TRUE(r.Authorities().Insert({"la1", "E09000099", "Northbrook", false}));
  }

  // Practitioners of la1 named by their ids ("user.<id>"), in `agency_id` if one is given.
  static void InsertUsers(storage::Repositories& r, std::initializer_list<const char*> ids,
                          const std::string& agency_id = "") {
    for (const char* id : ids) {
      domain::User u;
      u.id = id;
      u.username = std::string("user.") + id;
      u.display_name = id;
      u.authority_id = "la1";
      u.agency_id = agency_id;
      u.password_hash = "$argon2id$stub";
      EXPECT_TRUE(r.Users().Insert(u));
    }
  }

  // Children of la1, each called Amelia Hart, recorded at kT0.
  static void InsertChildren(storage::Repositories& r, std::initializer_list<const char*> ids) {
    for (const char* id : ids) {
      domain::Child c;
      c.id = id;
      c.authority_id = "la1";
      c.given_names = "Amelia";
      c.family_name = "Hart";
      c.created_at = kT0;
      c.updated_at = kT0;
      EXPECT_TRUE(r.Children().Insert(c));
    }
  }

  std::filesystem::path dir_;
  std::unique_ptr<storage::Store> store_;
};

}  // namespace kith::conformance
