// Which client a request comes from. The peer of the TCP connection is the client unless it is
// one of the configured trusted proxies (`trusted_proxies`, README): then the client is read
// from the proxy's X-Forwarded-For header. From anyone else X-Forwarded-For is ignored, so a
// client cannot choose the address its rate limits and audit records are kept under.
//
// The header is read from the right, as each proxy appends the address it received the request
// from: trusted proxies' own entries are skipped, and the first entry that is not a trusted
// proxy is the client. An entry that is not an IP address stops the walk at the last trusted
// hop, whose address is then used (nothing further left can be believed).
//
// Thread safety: immutable once built; safe from any thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/net_address.h"
#include "common/result.h"

namespace kith::http {

class TrustedProxies {
 public:
  TrustedProxies() = default;  // none: every peer is the client

  // Parses a comma- or space-separated list of addresses and CIDR ranges, e.g.
  // "10.0.0.0/8, 2001:db8::1". An empty list trusts nobody. Errors name the entry at fault.
  static Result<TrustedProxies> Parse(std::string_view list);

  bool empty() const { return ranges_.empty(); }
  bool Contains(std::string_view address) const;

  // The canonical client address of a request whose TCP peer is `peer` and whose
  // X-Forwarded-For header (all its lines joined with commas) is `forwarded_for`.
  std::string ClientOf(std::string_view peer, std::string_view forwarded_for) const;

  // The ranges, as configured, for the start-up log.
  std::string ToString() const;

 private:
  bool Trusted(const IpAddress& address) const;

  std::vector<AddressRange> ranges_;
};

}  // namespace kith::http
