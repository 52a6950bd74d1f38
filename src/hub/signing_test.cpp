#include "hub/signing.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include <set>

#include "common/encoding.h"

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

// Signed by a trusted authority over any timestamp text (the secret key from its key file), so
// that verification reaches the timestamp.
std::map<std::string, std::string> SignWithTimestamp(const SigningKey& key, const std::string& timestamp,
                                                     std::string_view body) {
  const std::string file = key.FileText();
  const std::string line = file.substr(file.find('\n') + 1);
  const std::string b64 = line.substr(line.find(' ') + 1, line.find('\n') - line.find(' ') - 1);
  std::array<uint8_t, 64> sk{};
  size_t len = 0;
  EXPECT_EQ(sodium_base642bin(sk.data(), sk.size(), b64.data(), b64.size(), nullptr, &len, nullptr,
                              sodium_base64_VARIANT_ORIGINAL),
            0);
  const std::string nonce(32, 'a');
  const std::string text = "kith-hub-1\nPOST\n/hub/v1/changes\n" + key.authority() + "\n" + timestamp + "\n" +
                           nonce + "\n" + Sha256Hex(body);
  std::array<uint8_t, crypto_sign_BYTES> sig{};
  crypto_sign_detached(sig.data(), nullptr, reinterpret_cast<const uint8_t*>(text.data()), text.size(), sk.data());
  std::string b64sig(sodium_base64_ENCODED_LEN(sig.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(b64sig.data(), b64sig.size(), sig.data(), sig.size(), sodium_base64_VARIANT_ORIGINAL);
  b64sig.resize(b64sig.size() - 1);
  return {{"kith-authority", key.authority()}, {"kith-timestamp", timestamp}, {"kith-nonce", nonce},
          {"kith-signature", b64sig}};
}

// Found writing the hub_request fuzz target (tests/fuzz; its corpus holds the input): a validly signed timestamp of more than about
// 9.2e12 seconds overflowed the conversion to the clock's microseconds (undefined behaviour,
// reported by UBSan); it is compared in seconds and refused as out of the skew.
TEST_F(SigningTest, ATimestampFarOutsideTheClockIsRefusedWithoutOverflow) {
  for (const std::string timestamp : {"9999999999999", "999999999999999999", "4611686018427387903"}) {
    auto far = Verify(SignWithTimestamp(key_, timestamp, "{}"), "{}", now_);
    ASSERT_FALSE(far) << timestamp;
    EXPECT_NE(far.error().message.find("skew"), std::string::npos) << timestamp << ": " << far.error().message;
  }
  // The same signing, with the clock's own seconds, is accepted: the refusal above is the timestamp's.
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(now_.time_since_epoch()).count();
  EXPECT_TRUE(Verify(SignWithTimestamp(key_, std::to_string(seconds), "{}"), "{}", now_));
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
