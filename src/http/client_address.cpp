#include "http/client_address.h"

namespace kith::http {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

Result<TrustedProxies> TrustedProxies::Parse(std::string_view list) {
  TrustedProxies out;
  size_t start = 0;
  while (start <= list.size()) {
    size_t end = list.find_first_of(", ", start);
    if (end == std::string_view::npos) end = list.size();
    const std::string_view entry = Trim(list.substr(start, end - start));
    if (!entry.empty()) {
      auto range = AddressRange::Parse(entry);
      if (!range) {
        return Error::Invalid("trusted_proxies", "'" + std::string(entry) +
                                                     "' is not an IP address or range (write e.g. 10.0.0.5, "
                                                     "10.0.0.0/8 or 2001:db8::/32, separated by commas).");
      }
      out.ranges_.push_back(*range);
    }
    start = end + 1;
  }
  return out;
}

bool TrustedProxies::Trusted(const IpAddress& address) const {
  for (const auto& r : ranges_) {
    if (r.Contains(address)) return true;
  }
  return false;
}

bool TrustedProxies::Contains(std::string_view address) const {
  auto a = ParseIpAddress(address);
  return a && Trusted(*a);
}

std::string TrustedProxies::ClientOf(std::string_view peer, std::string_view forwarded_for) const {
  auto hop = ParseIpAddress(peer);
  if (!hop) return std::string(peer);
  // Walk leftwards while the hop we are at is a trusted proxy, believing what it says.
  std::string_view rest = forwarded_for;
  while (Trusted(*hop) && !rest.empty()) {
    const size_t comma = rest.rfind(',');
    const std::string_view entry = Trim(comma == std::string_view::npos ? rest : rest.substr(comma + 1));
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(0, comma);
    auto next = ParseIpAddress(entry);
    if (!next) break;
    hop = next;
  }
  return hop->ToString();
}

std::string TrustedProxies::ToString() const {
  std::string out;
  for (const auto& r : ranges_) out += (out.empty() ? "" : ", ") + r.ToString();
  return out;
}

}  // namespace kith::http
