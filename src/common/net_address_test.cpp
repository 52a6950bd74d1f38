#include "common/net_address.h"

#include <gtest/gtest.h>

namespace kith {
namespace {

TEST(NetAddressTest, ParsesAndCanonicalises) {
  EXPECT_EQ(CanonicalAddress("192.0.2.7"), "192.0.2.7");
  EXPECT_EQ(CanonicalAddress("::ffff:127.0.0.1"), "127.0.0.1");  // a dual-stack socket's IPv4 peer
  EXPECT_EQ(CanonicalAddress("2001:DB8:0:0:0:0:0:1"), "2001:db8::1");
  EXPECT_EQ(CanonicalAddress("[2001:db8::1]"), "2001:db8::1");
  EXPECT_EQ(ParseIpAddress("::ffff:127.0.0.1"), ParseIpAddress("127.0.0.1"));
  for (const char* bad : {"", "unknown", "1.2.3", "1.2.3.4:80", "1.2.3.256", "host.example", "fe80::1%eth0",
                          "[::1]:443", " 1.2.3.4"}) {
    EXPECT_FALSE(ParseIpAddress(bad)) << bad;
  }
  EXPECT_EQ(CanonicalAddress("not an address"), "not an address");
}

TEST(NetAddressTest, RateLimitKeysGroupIpv6ByItsSlash64) {
  EXPECT_EQ(AddressKey("192.0.2.7"), "192.0.2.7");
  EXPECT_EQ(AddressKey("::ffff:192.0.2.7"), "192.0.2.7");
  EXPECT_EQ(AddressKey("2001:db8:1:2:aaaa::1"), "2001:db8:1:2::/64");
  EXPECT_EQ(AddressKey("2001:db8:1:2:ffff:ffff:ffff:ffff"), AddressKey("2001:db8:1:2::1"));
  EXPECT_NE(AddressKey("2001:db8:1:3::1"), AddressKey("2001:db8:1:2::1"));
}

TEST(NetAddressTest, RangesContainTheirAddresses) {
  auto ten = AddressRange::Parse("10.0.0.0/8");
  ASSERT_TRUE(ten);
  EXPECT_TRUE(ten->Contains(*ParseIpAddress("10.255.1.2")));
  EXPECT_TRUE(ten->Contains(*ParseIpAddress("::ffff:10.0.0.1")));
  EXPECT_FALSE(ten->Contains(*ParseIpAddress("11.0.0.1")));
  EXPECT_EQ(ten->ToString(), "10.0.0.0/8");

  auto one = AddressRange::Parse("192.0.2.7");
  ASSERT_TRUE(one);
  EXPECT_TRUE(one->Contains(*ParseIpAddress("192.0.2.7")));
  EXPECT_FALSE(one->Contains(*ParseIpAddress("192.0.2.8")));
  EXPECT_EQ(one->ToString(), "192.0.2.7/32");

  auto v6 = AddressRange::Parse("2001:db8::/32");
  ASSERT_TRUE(v6);
  EXPECT_TRUE(v6->Contains(*ParseIpAddress("2001:db8:ffff::1")));
  EXPECT_FALSE(v6->Contains(*ParseIpAddress("2001:db9::1")));
  EXPECT_FALSE(v6->Contains(*ParseIpAddress("10.0.0.1")));

  auto all = AddressRange::Parse("0.0.0.0/0");
  ASSERT_TRUE(all);
  EXPECT_TRUE(all->Contains(*ParseIpAddress("203.0.113.9")));
  EXPECT_FALSE(all->Contains(*ParseIpAddress("2001:db8::1")));

  for (const char* bad : {"10.0.0.0/33", "2001:db8::/129", "10.0.0.0/", "10.0.0.0/x", "10.0.0.0/-1", "nope/8"}) {
    EXPECT_FALSE(AddressRange::Parse(bad)) << bad;
  }
}

}  // namespace
}  // namespace kith
