#include "hub/signing.h"

#include <gtest/gtest.h>

#include <set>

namespace kith::hub {
namespace {

class MemoryLedger final : public NonceLedger {
 public:
  bool Remember(const std::string& authority, const std::string& nonce, TimePoint, TimePoint) override {
    return seen_.insert(authority + "/" + nonce).second;
  }

 private:
  std::set<std::string> seen_;
};

class SigningTest : public ::testing::Test {
 protected:
  SigningTest() : key_(SigningKey::Generate("E08000035", random_)), other_(SigningKey::Generate("E09000001", random_)) {
    auto parsed = ParseAuthorities(key_.PublicLine() + "\n# a comment\n" + other_.PublicLine() + "\n", "authorities");
    authorities_ = *parsed;
  }
  Result<std::string> Verify(const std::map<std::string, std::string>& headers, std::string_view body, TimePoint at) {
    return VerifyRequest(authorities_, ledger_, "POST", "/hub/v1/changes", headers, body, at);
  }
  SeededRandom random_{3};
  SigningKey key_, other_;
  std::map<std::string, PublicKey> authorities_;
  MemoryLedger ledger_;
  TimePoint now_ = FromMicros(1'780'000'000'000'000);
};

TEST_F(SigningTest, ASignedRequestVerifiesOnceAsItsAuthority) {
  const auto headers = key_.Sign("POST", "/hub/v1/changes", "{}", now_, random_);
  auto who = Verify(headers, "{}", now_ + std::chrono::seconds(20));
  ASSERT_TRUE(who) << who.error().message;
  EXPECT_EQ(*who, "E08000035");
  auto again = Verify(headers, "{}", now_ + std::chrono::seconds(21));
  ASSERT_FALSE(again);
  EXPECT_NE(again.error().message.find("replayed"), std::string::npos);
}

TEST_F(SigningTest, TamperedForgedStaleAndUnsignedRequestsAreRefused) {
  auto headers = key_.Sign("POST", "/hub/v1/changes", "{\"a\":1}", now_, random_);
  EXPECT_FALSE(Verify(headers, "{\"a\":2}", now_));  // body changed
  EXPECT_FALSE(VerifyRequest(authorities_, ledger_, "POST", "/hub/v1/queries", headers, "{\"a\":1}", now_));
  auto claimed = other_.Sign("POST", "/hub/v1/changes", "{}", now_, random_);
  claimed["kith-authority"] = "E08000035";  // signed by another authority's key
  auto forged = Verify(claimed, "{}", now_);
  ASSERT_FALSE(forged);
  EXPECT_NE(forged.error().message.find("bad signature"), std::string::npos);
  auto stale = Verify(key_.Sign("POST", "/hub/v1/changes", "{}", now_ - std::chrono::minutes(6), random_), "{}", now_);
  ASSERT_FALSE(stale);
  EXPECT_NE(stale.error().message.find("skew"), std::string::npos);
  auto unsigned_request = Verify({}, "{}", now_);
  ASSERT_FALSE(unsigned_request);
  EXPECT_EQ(unsigned_request.error().code, ErrorCode::kUnauthenticated);
  const auto stranger = SigningKey::Generate("W06000001", random_);
  auto unknown = Verify(stranger.Sign("POST", "/hub/v1/changes", "{}", now_, random_), "{}", now_);
  ASSERT_FALSE(unknown);
  EXPECT_NE(unknown.error().message.find("unknown authority"), std::string::npos);
}

TEST(Authorities, MalformedAndRepeatedLinesAreNamed) {
  SeededRandom random(1);
  const auto key = SigningKey::Generate("E1", random);
  auto bad = ParseAuthorities("# x\nE1 not-base64\n", "auth.txt");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("auth.txt line 2"), std::string::npos);
  auto twice = ParseAuthorities(key.PublicLine() + "\n" + key.PublicLine() + "\n", "auth.txt");
  ASSERT_FALSE(twice);
  EXPECT_NE(twice.error().message.find("listed twice"), std::string::npos);
}

}  // namespace
}  // namespace kith::hub
