// Identifiers typed by people and read from feeds: NHS numbers, UPNs, dates, sex, IP addresses.
// Invariant: what is accepted as valid stays valid once normalised.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "common/date.h"
#include "common/net_address.h"
#include "domain/child.h"
#include "domain/identifiers.h"

using namespace kith;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (domain::IsValidNhsNumber(text) && !domain::IsValidNhsNumber(domain::NormaliseNhsNumber(text))) std::abort();
  if (domain::IsValidUpn(text) && !domain::IsValidUpn(domain::NormaliseUpn(text))) std::abort();
  (void)domain::NhsCheckDigit(text);
  (void)domain::UpnCheckLetter(text);
  if (auto date = Date::Parse(text)) {
    if (!date->IsValid() || Date::Parse(date->ToString()) != date) std::abort();
    if (Date::FromDays(date->ToDays()) != *date) std::abort();
  }
  (void)domain::ParseSex(text);
  if (auto address = ParseIpAddress(text)) {
    if (ParseIpAddress(address->ToString()) != address) std::abort();
  }
  if (auto range = AddressRange::Parse(text)) (void)range->ToString();
  return 0;
}
