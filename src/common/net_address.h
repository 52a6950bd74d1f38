// IP addresses as text: parsing and canonical form, ranges (CIDR), and the key under which a
// client address is counted by rate limits. Plain functions over inet_pton, no Asio.
// Thread safety: all functions are pure; an AddressRange is immutable once parsed.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kith {

// An IPv4 or IPv6 address. IPv4 is held as its IPv4-mapped IPv6 form (::ffff:a.b.c.d), so that
// "127.0.0.1" and "::ffff:127.0.0.1" (how a dual-stack socket reports an IPv4 peer) are equal.
struct IpAddress {
  std::array<uint8_t, 16> bytes{};
  bool operator==(const IpAddress&) const = default;
  bool IsV4() const;
  // Dotted quad for IPv4 (mapped or not), RFC 5952 form for IPv6.
  std::string ToString() const;
};

// Parses "192.0.2.7", "2001:db8::1", "::ffff:192.0.2.7" or "[2001:db8::1]". Nothing else (no
// ports, no host names, no zone ids): nullopt.
std::optional<IpAddress> ParseIpAddress(std::string_view text);

// The canonical text of an address ("::ffff:10.0.0.1" becomes "10.0.0.1"), or `text` itself if
// it is not an address.
std::string CanonicalAddress(std::string_view text);

// The key a client address is counted under by rate limits and lockouts: an IPv4 address
// itself, an IPv6 address by its /64 prefix ("2001:db8:1:2::/64"), since one subscriber is
// usually given a whole /64 and could otherwise take a fresh address for every attempt.
std::string AddressKey(std::string_view address);

// "10.0.0.0/8", "2001:db8::/32", or a single address (a /32 or /128).
class AddressRange {
 public:
  static std::optional<AddressRange> Parse(std::string_view text);
  bool Contains(const IpAddress& address) const;
  std::string ToString() const;

 private:
  IpAddress base_;
  int prefix_bits_ = 128;  // of the 128-bit (mapped) form
};

}  // namespace kith
