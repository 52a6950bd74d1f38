// Conformance of the idempotency key repository: every back end listed in backends.cpp must pass
// it unchanged.
#include <gtest/gtest.h>

#include <chrono>

#include "conformance/fixture.h"

namespace kith::conformance {
namespace {

using std::chrono::hours;
using storage::IdempotencyRecord;
using storage::Repositories;

class IdempotencyConformance : public ConformanceTest {
 protected:
  static IdempotencyRecord Record(const std::string& scope, const std::string& key, TimePoint at = kT0) {
    return {scope, key, "f-" + key, "POST", "/api/v1/children", at, at + hours(24)};
  }

  std::optional<IdempotencyRecord> Get(const std::string& scope, const std::string& key, TimePoint now = kT0) {
    return Read([&](Repositories& r) { return r.Idempotency().Get(scope, key, now); });
  }
};

TEST_P(IdempotencyConformance, ARecordStartsInProgressAndCompletesWithItsResponse) {
  Write([](Repositories& r) { EXPECT_TRUE(r.Idempotency().Begin(Record("user:u1", "k1"))); });
  auto got = Get("user:u1", "k1");
  ASSERT_TRUE(got);
  EXPECT_EQ(got->fingerprint, "f-k1");
  EXPECT_EQ(got->method, "POST");
  EXPECT_EQ(got->target, "/api/v1/children");
  EXPECT_EQ(got->created_at, kT0);
  EXPECT_EQ(got->expires_at, kT0 + hours(24));
  EXPECT_FALSE(got->status);

  const std::string body = R"({"child":{"id":"K1","name":"Zoë \"Z\" Hart"}})";
  Write(
      [&](Repositories& r) { EXPECT_TRUE(r.Idempotency().Complete("user:u1", "k1", 201, "application/json", body)); });
  got = Get("user:u1", "k1");
  ASSERT_TRUE(got);
  EXPECT_EQ(got->status, 201);
  EXPECT_EQ(got->content_type, "application/json");
  EXPECT_EQ(got->body, body);
}

TEST_P(IdempotencyConformance, KeysAreScopedAndUnique) {
  Write([](Repositories& r) {
    EXPECT_TRUE(r.Idempotency().Begin(Record("user:u1", "k1")));
    EXPECT_TRUE(r.Idempotency().Begin(Record("user:u2", "k1")));  // another user's key of the same text
    auto again = r.Idempotency().Begin(Record("user:u1", "k1"));
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().code, ErrorCode::kConflict);
  });
  EXPECT_TRUE(Get("user:u2", "k1"));
  EXPECT_FALSE(Get("user:u3", "k1"));
}

TEST_P(IdempotencyConformance, CompleteOfAMissingKeyIsNotFound) {
  Write([](Repositories& r) {
    auto done = r.Idempotency().Complete("user:u1", "nope", 200, "application/json", "{}");
    ASSERT_FALSE(done);
    EXPECT_EQ(done.error().code, ErrorCode::kNotFound);
  });
}

TEST_P(IdempotencyConformance, AnExpiredRecordIsAbsentAndCanBeReplaced) {
  Write([](Repositories& r) { EXPECT_TRUE(r.Idempotency().Begin(Record("user:u1", "k1"))); });
  EXPECT_TRUE(Get("user:u1", "k1", kT0 + hours(24) - std::chrono::seconds(1)));
  EXPECT_FALSE(Get("user:u1", "k1", kT0 + hours(24)));
  auto later = Record("user:u1", "k1", kT0 + hours(25));
  later.fingerprint = "another request";
  Write([&](Repositories& r) { EXPECT_TRUE(r.Idempotency().Begin(later)); });
  auto got = Get("user:u1", "k1", kT0 + hours(25));
  ASSERT_TRUE(got);
  EXPECT_EQ(got->fingerprint, "another request");
}

TEST_P(IdempotencyConformance, DeleteExpiredRemovesOnlyExpiredRecords) {
  Write([](Repositories& r) {
    EXPECT_TRUE(r.Idempotency().Begin(Record("user:u1", "old")));
    EXPECT_TRUE(r.Idempotency().Begin(Record("user:u1", "new", kT0 + hours(2))));
  });
  int64_t removed = 0;
  Write([&](Repositories& r) { removed = r.Idempotency().DeleteExpired(kT0 + hours(24)); });
  EXPECT_EQ(removed, 1);
  EXPECT_FALSE(Get("user:u1", "old", kT0));
  EXPECT_TRUE(Get("user:u1", "new", kT0 + hours(24)));
}

TEST_P(IdempotencyConformance, RemoveForgetsTheKey) {
  Write([](Repositories& r) { EXPECT_TRUE(r.Idempotency().Begin(Record("user:u1", "k1"))); });
  Write([](Repositories& r) { r.Idempotency().Remove("user:u1", "k1"); });
  EXPECT_FALSE(Get("user:u1", "k1"));
}

TEST_P(IdempotencyConformance, AnUndoneWriteTakesItsKeyWithIt) {
  store_->Write([](Repositories& r) {
    EXPECT_TRUE(r.Idempotency().Begin(Record("user:u1", "k1")));
    return false;
  });
  EXPECT_FALSE(Get("user:u1", "k1"));
}

TEST_P(IdempotencyConformance, RecordsSurviveARestart) {
  if (!GetParam().reopen) return;  // nothing to restart
  Write([](Repositories& r) { EXPECT_TRUE(r.Idempotency().Begin(Record("user:u1", "k1"))); });
  store_.reset();
  store_ = GetParam().reopen(dir_.string());
  auto got = Get("user:u1", "k1");
  ASSERT_TRUE(got);
  EXPECT_FALSE(got->status);
}

INSTANTIATE_TEST_SUITE_P(Backends, IdempotencyConformance, ::testing::ValuesIn(Backends()),
                         [](const auto& param_info) { return param_info.param.name; });

}  // namespace
}  // namespace kith::conformance
