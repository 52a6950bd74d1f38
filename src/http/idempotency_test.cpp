#include "http/idempotency.h"

#include <gtest/gtest.h>

namespace kith::http {
namespace {

TEST(IdempotencyKey, AcceptsPrintableAsciiUpTo255Characters) {
  EXPECT_EQ(ParseIdempotencyKey("8e03978e-40d5-43e8-bc93-6894a57f9324"), "8e03978e-40d5-43e8-bc93-6894a57f9324");
  EXPECT_EQ(ParseIdempotencyKey("\"quoted as an sf-string\""), "quoted as an sf-string");
  EXPECT_EQ(ParseIdempotencyKey("x"), "x");
  EXPECT_EQ(ParseIdempotencyKey(std::string(255, 'a')), std::string(255, 'a'));
}

TEST(IdempotencyKey, RefusesEmptyLongAndNonPrintableKeys) {
  EXPECT_EQ(ParseIdempotencyKey(""), "");
  EXPECT_EQ(ParseIdempotencyKey("\"\""), "");
  EXPECT_EQ(ParseIdempotencyKey(std::string(256, 'a')), "");
  EXPECT_EQ(ParseIdempotencyKey("tab\there"), "");
  EXPECT_EQ(ParseIdempotencyKey("caf\xc3\xa9"), "");
  EXPECT_EQ(ParseIdempotencyKey("back\\slash"), "");
}

TEST(RequestFingerprint, DependsOnMethodTargetAndBody) {
  Request a{.method = "POST", .target = "/api/v1/children", .body = "{}"};
  Request b = a;
  EXPECT_EQ(RequestFingerprint(a), RequestFingerprint(b));
  b.body = "{ }";
  EXPECT_NE(RequestFingerprint(a), RequestFingerprint(b));
  b = a;
  b.method = "PUT";
  EXPECT_NE(RequestFingerprint(a), RequestFingerprint(b));
  b = a;
  b.target = "/api/v1/children?x=1";
  EXPECT_NE(RequestFingerprint(a), RequestFingerprint(b));
  // No ambiguity between where the target ends and the body begins.
  Request c{.method = "POST", .target = "/a", .body = "b\nc"};
  Request d{.method = "POST", .target = "/a\nb", .body = "c"};
  EXPECT_NE(RequestFingerprint(c), RequestFingerprint(d));
}

TEST(IdempotencyExempt, CredentialRoutesAndSearchAreExempt) {
  for (const char* path :
       {"/api/v1/session", "/api/v1/session/second-factor", "/api/v1/me/second-factor/enrolment",
        "/api/v1/me/second-factor/enrolment/confirm", "/api/v1/users", "/api/v1/users/U1", "/api/v1/family/redeem",
        "/api/v1/family/links", "/api/v1/search", "/api/v1/children/K1/break-glass"}) {
    EXPECT_TRUE(IsIdempotencyExempt(path)) << path;
  }
  for (const char* path : {"/api/v1/children", "/api/v1/children/K1/team", "/api/v1/sessions", "/api/v1/search/x",
                           "/api/v1/agencies", "/api/v1/family/children/K1/entries", "/api/v1/break-glass/G1/review"}) {
    EXPECT_FALSE(IsIdempotencyExempt(path)) << path;
  }
}

}  // namespace
}  // namespace kith::http
