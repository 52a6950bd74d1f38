#include "app/credentials.h"

#include <gtest/gtest.h>

#include "common/encoding.h"

namespace kith::app {
namespace {

// RFC 6238 appendix B, SHA-1 rows; the key is "12345678901234567890".
std::string RfcSecret() {
  const std::string key = "12345678901234567890";
  return Base32Encode({reinterpret_cast<const uint8_t*>(key.data()), key.size()}, kRfc4648Alphabet);
}

TEST(TotpTest, MatchesRfc6238Vectors) {
  // The RFC lists 8-digit codes; ours are their last six digits.
  EXPECT_EQ(Totp::Code(RfcSecret(), FromMicros(59'000'000)), "287082");
  EXPECT_EQ(Totp::Code(RfcSecret(), FromMicros(1111111109'000'000)), "081804");
  EXPECT_EQ(Totp::Code(RfcSecret(), FromMicros(1234567890'000'000)), "005924");
  EXPECT_EQ(Totp::Code(RfcSecret(), FromMicros(2000000000'000'000)), "279037");
}

TEST(TotpTest, AcceptsOneStepOfDriftOnly) {
  const TimePoint t = FromMicros(1234567890'000'000);
  const std::string code = Totp::Code(RfcSecret(), t);
  const int64_t step = 1234567890 / 30;
  EXPECT_EQ(Totp::Match(RfcSecret(), code, t), step);
  EXPECT_EQ(Totp::Match(RfcSecret(), code, t + std::chrono::seconds(30)), step);
  EXPECT_FALSE(Totp::Match(RfcSecret(), code, t + std::chrono::seconds(90)));
  EXPECT_FALSE(Totp::Match(RfcSecret(), "12345", t));
  EXPECT_FALSE(Totp::Match("not base32!", code, t));
}

TEST(TotpTest, UriNamesIssuerAndAccount) {
  EXPECT_EQ(Totp::Uri("Kith", "amy.jones", "ABC"),
            "otpauth://totp/Kith:amy.jones?secret=ABC&issuer=Kith&algorithm=SHA1&digits=6&period=30");
}

TEST(PasswordHasherTest, VerifiesOnlyTheRightPassword) {
  PasswordHasher hasher(HashCost::kMinimum);
  const std::string hash = hasher.Hash("correct horse battery");
  EXPECT_EQ(hash.rfind("$argon2id$", 0), 0u);
  EXPECT_TRUE(hasher.Verify(hash, "correct horse battery"));
  EXPECT_FALSE(hasher.Verify(hash, "correct horse battery "));
  EXPECT_FALSE(hasher.Verify("garbage", "correct horse battery"));
  EXPECT_NE(hasher.Hash("correct horse battery"), hash) << "salts must differ";
}

}  // namespace
}  // namespace kith::app
