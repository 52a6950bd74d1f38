// The trusted_proxies setting and X-Forwarded-For: input is "LIST\nPEER\nFORWARDED-FOR".
// Invariant: the client named is never empty, and a peer that is not trusted is its own client.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "common/net_address.h"
#include "http/client_address.h"

using namespace kith;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  auto next = [&in] {
    const auto end = in.find('\n');
    const std::string_view part = in.substr(0, end);
    in = end == std::string_view::npos ? std::string_view() : in.substr(end + 1);
    return part;
  };
  const std::string_view list = next();
  const std::string_view peer_text = next();
  const std::string_view forwarded_for = in;
  auto proxies = http::TrustedProxies::Parse(list);
  if (!proxies) return 0;
  (void)proxies->ToString();
  const auto peer = ParseIpAddress(peer_text);
  if (!peer) return 0;
  const std::string canonical = peer->ToString();
  const std::string client = proxies->ClientOf(canonical, forwarded_for);
  if (client.empty()) std::abort();
  if (!proxies->Contains(canonical) && client != canonical) std::abort();
  (void)AddressKey(client);
  return 0;
}
