#include "storage/idempotent_store.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <stdexcept>
#include <thread>

#include "storage/sqlite/sqlite_store.h"

namespace kith::storage {
namespace {

const TimePoint kT0 = FromMicros(1'790'000'000'000'000);

class IdempotentStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("kith-idem-" + std::to_string(::getpid()) + "-" +
                                                     ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    store_ = std::make_unique<IdempotentStore>(OpenSqliteStore({.path = (dir_ / "kith.db").string(), .readers = 1}));
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  static IdempotencyRecord Record(const std::string& key) {
    return {"user:u1", key, "fp", "POST", "/api/v1/authorities", kT0, kT0 + std::chrono::hours(24)};
  }

  // Adds a local authority (a change any test can look for).
  static bool AddAuthority(Repositories& r, const std::string& id) {
    EXPECT_TRUE(r.Authorities().Insert({id, "E-" + id, "Authority " + id, false}));
    return true;
  }

  bool HasAuthority(const std::string& id) {
    return store_->ReadValue([&](Repositories& r) { return r.Authorities().Get(id).has_value(); });
  }
  std::optional<IdempotencyRecord> Key(const std::string& key) {
    return store_->ReadValue([&](Repositories& r) { return r.Idempotency().Get("user:u1", key, kT0); });
  }

  std::filesystem::path dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(IdempotentStoreTest, WithoutAClaimAWriteRecordsNoKey) {
  store_->Write([](Repositories& r) { return AddAuthority(r, "la1"); });
  EXPECT_TRUE(HasAuthority("la1"));
  EXPECT_FALSE(Key("k1"));
}

TEST_F(IdempotentStoreTest, TheFirstKeptWriteOfAClaimCarriesTheKey) {
  IdempotencyClaim claim(Record("k1"));
  EXPECT_FALSE(claim.recorded());
  store_->Write([](Repositories& r) { return AddAuthority(r, "la1"); });
  EXPECT_TRUE(claim.recorded());
  auto key = Key("k1");
  ASSERT_TRUE(key);
  EXPECT_FALSE(key->status);  // in progress until the response is stored
  // A second write of the same request adds nothing (Begin would refuse the same key).
  store_->Write([](Repositories& r) { return AddAuthority(r, "la2"); });
  EXPECT_TRUE(HasAuthority("la2"));
}

TEST_F(IdempotentStoreTest, AnUndoneWriteRecordsNoKeyAndLeavesTheClaimOpen) {
  IdempotencyClaim claim(Record("k1"));
  store_->Write([](Repositories& r) {
    AddAuthority(r, "la1");
    return false;
  });
  EXPECT_THROW(store_->Write([](Repositories&) -> bool { throw std::runtime_error("handler failed"); }),
               std::runtime_error);
  EXPECT_FALSE(claim.recorded());
  EXPECT_FALSE(Key("k1"));
  store_->Write([](Repositories& r) { return AddAuthority(r, "la2"); });
  EXPECT_TRUE(claim.recorded());
  EXPECT_TRUE(Key("k1"));
  EXPECT_FALSE(HasAuthority("la1"));
}

TEST_F(IdempotentStoreTest, AKeyAlreadyRecordedUndoesTheChange) {
  store_->Write([](Repositories& r) { return static_cast<bool>(r.Idempotency().Begin(Record("k1"))); });
  IdempotencyClaim claim(Record("k1"));
  EXPECT_THROW(store_->Write([](Repositories& r) { return AddAuthority(r, "la1"); }), IdempotencyKeyTaken);
  EXPECT_FALSE(HasAuthority("la1"));  // never a change without its own key
  EXPECT_FALSE(claim.recorded());
}

TEST_F(IdempotentStoreTest, AClaimBelongsToItsThreadAndEndsWithItsScope) {
  {
    IdempotencyClaim claim(Record("k1"));
    std::thread other([&] { store_->Write([](Repositories& r) { return AddAuthority(r, "la1"); }); });
    other.join();
    EXPECT_FALSE(claim.recorded());
  }
  store_->Write([](Repositories& r) { return AddAuthority(r, "la2"); });
  EXPECT_FALSE(Key("k1"));
}

}  // namespace
}  // namespace kith::storage
