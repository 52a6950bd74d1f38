#include "http/client_address.h"

#include <gtest/gtest.h>

namespace kith::http {
namespace {

TrustedProxies Proxies(std::string_view list) {
  auto p = TrustedProxies::Parse(list);
  EXPECT_TRUE(p) << list;
  return p ? *p : TrustedProxies();
}

// Issue 14: behind the TLS proxy the README recommends, every user shared one sign-in rate limit
// and every audit record named the proxy's address.
TEST(ClientAddressTest, BehindATrustedProxyTheClientIsTheForwardedAddress) {
  const auto proxies = Proxies("10.0.0.5");
  EXPECT_EQ(proxies.ClientOf("10.0.0.5", "203.0.113.9"), "203.0.113.9");
  EXPECT_EQ(proxies.ClientOf("::ffff:10.0.0.5", "203.0.113.9"), "203.0.113.9");
  EXPECT_EQ(proxies.ClientOf("10.0.0.5", "2001:DB8::7"), "2001:db8::7");
}

TEST(ClientAddressTest, XForwardedForFromAnyoneElseIsIgnored) {
  EXPECT_EQ(TrustedProxies().ClientOf("198.51.100.1", "203.0.113.9"), "198.51.100.1");
  EXPECT_EQ(Proxies("10.0.0.5").ClientOf("198.51.100.1", "203.0.113.9"), "198.51.100.1");
  EXPECT_EQ(Proxies("10.0.0.5").ClientOf("::ffff:198.51.100.1", ""), "198.51.100.1");
}

TEST(ClientAddressTest, TheRightmostUntrustedEntryIsTheClient) {
  const auto proxies = Proxies("10.0.0.0/8");
  // The client put a made-up address first; the proxies appended what they saw.
  EXPECT_EQ(proxies.ClientOf("10.0.0.5", "1.1.1.1, 203.0.113.9, 10.1.2.3"), "203.0.113.9");
  // Every entry trusted: the leftmost is as far as anyone can tell.
  EXPECT_EQ(proxies.ClientOf("10.0.0.5", "10.9.9.9, 10.1.2.3"), "10.9.9.9");
  // A garbled entry stops the walk at the last trusted hop.
  EXPECT_EQ(proxies.ClientOf("10.0.0.5", "203.0.113.9, unknown"), "10.0.0.5");
  EXPECT_EQ(proxies.ClientOf("10.0.0.5", "203.0.113.9, 10.1.2.3, garbage"), "10.0.0.5");
  EXPECT_EQ(proxies.ClientOf("10.0.0.5", "garbage, 10.1.2.3"), "10.1.2.3");
  // No header: the proxy itself.
  EXPECT_EQ(proxies.ClientOf("10.0.0.5", ""), "10.0.0.5");
}

TEST(ClientAddressTest, ParsesLists) {
  auto p = TrustedProxies::Parse(" 10.0.0.0/8,2001:db8::1  192.0.2.7 ");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->ToString(), "10.0.0.0/8, 2001:db8::1/128, 192.0.2.7/32");
  EXPECT_TRUE(p->Contains("::ffff:10.3.4.5"));
  EXPECT_FALSE(p->Contains("192.0.2.8"));
  EXPECT_TRUE(TrustedProxies::Parse("")->empty());
  auto bad = TrustedProxies::Parse("10.0.0.0/8, proxy.example");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("'proxy.example'"), std::string::npos);
}

}  // namespace
}  // namespace kith::http
