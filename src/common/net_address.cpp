#include "common/net_address.h"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>

namespace kith {
namespace {

constexpr std::array<uint8_t, 12> kV4MappedPrefix = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

// `bits` leading bits of `a` kept, the rest zeroed.
IpAddress Masked(IpAddress a, int bits) {
  for (int i = 0; i < 16; ++i) {
    const int keep = std::clamp(bits - 8 * i, 0, 8);
    a.bytes[i] &= static_cast<uint8_t>(0xff00 >> keep);
  }
  return a;
}

}  // namespace

bool IpAddress::IsV4() const { return std::equal(kV4MappedPrefix.begin(), kV4MappedPrefix.end(), bytes.begin()); }

std::string IpAddress::ToString() const {
  char out[INET6_ADDRSTRLEN] = {};
  if (IsV4()) {
    inet_ntop(AF_INET, bytes.data() + 12, out, sizeof out);
  } else {
    inet_ntop(AF_INET6, bytes.data(), out, sizeof out);
  }
  return out;
}

std::optional<IpAddress> ParseIpAddress(std::string_view text) {
  if (text.size() >= 2 && text.front() == '[' && text.back() == ']') text = text.substr(1, text.size() - 2);
  if (text.empty() || text.size() >= INET6_ADDRSTRLEN) return std::nullopt;
  const std::string z(text);  // inet_pton wants a terminated string
  IpAddress a;
  if (inet_pton(AF_INET, z.c_str(), a.bytes.data() + 12) == 1) {
    std::copy(kV4MappedPrefix.begin(), kV4MappedPrefix.end(), a.bytes.begin());
    return a;
  }
  if (inet_pton(AF_INET6, z.c_str(), a.bytes.data()) == 1) return a;
  return std::nullopt;
}

std::string CanonicalAddress(std::string_view text) {
  auto a = ParseIpAddress(text);
  return a ? a->ToString() : std::string(text);
}

std::string AddressKey(std::string_view address) {
  auto a = ParseIpAddress(address);
  if (!a) return std::string(address);
  if (a->IsV4()) return a->ToString();
  return Masked(*a, 64).ToString() + "/64";
}

std::optional<AddressRange> AddressRange::Parse(std::string_view text) {
  const auto slash = text.find('/');
  auto base = ParseIpAddress(text.substr(0, slash));
  if (!base) return std::nullopt;
  AddressRange r;
  const int width = base->IsV4() ? 32 : 128;
  int bits = width;
  if (slash != std::string_view::npos) {
    const std::string_view digits = text.substr(slash + 1);
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), bits);
    if (ec != std::errc() || end != digits.data() + digits.size() || digits.empty() || bits < 0 || bits > width) {
      return std::nullopt;
    }
  }
  r.prefix_bits_ = bits + (128 - width);
  r.base_ = Masked(*base, r.prefix_bits_);
  return r;
}

bool AddressRange::Contains(const IpAddress& address) const { return Masked(address, prefix_bits_) == base_; }

std::string AddressRange::ToString() const {
  const int width = base_.IsV4() && prefix_bits_ >= 96 ? 32 : 128;
  return base_.ToString() + "/" + std::to_string(prefix_bits_ - (128 - width));
}

}  // namespace kith
