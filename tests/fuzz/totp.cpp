// Second-factor codes as sign-in, enrolment and break-glass take them (app::Totp): the code is
// the user's, the secret is what enrolment stored. Input: "SECRET\nCODE". Invariants: a code
// matches only at a step next to now, and the code made for now always matches.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "app/credentials.h"

using namespace kith;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  const auto newline = in.find('\n');
  const std::string_view secret = newline == std::string_view::npos ? "JBSWY3DPEHPK3PXP" : in.substr(0, newline);
  const std::string_view code = newline == std::string_view::npos ? in : in.substr(newline + 1);
  const TimePoint now = FromMicros(1'796'000'000'000'000);
  const int64_t step = ToMicros(now) / 1'000'000 / app::Totp::kStepSeconds;
  if (auto matched = app::Totp::Match(secret, code, now)) {
    if (*matched < step - 1 || *matched > step + 1) std::abort();
  }
  const std::string expected = app::Totp::Code(secret, now);
  if (!expected.empty() && app::Totp::Match(secret, expected, now) != step) std::abort();
  (void)app::Totp::Uri("Kith", code, secret);
  return 0;
}
