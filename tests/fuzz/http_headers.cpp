// Request headers as handlers read them: lines "Name: value" (as the server joins repeated
// headers with ", " and lower-cases names), then the session cookie, the CSRF header and the
// client address behind a trusted proxy.
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "http/client_address.h"
#include "http/message.h"

using namespace kith;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const http::TrustedProxies proxies = *http::TrustedProxies::Parse("10.0.0.0/8, 2001:db8::/32");
  http::Request request;
  request.method = size > 0 && data[0] % 2 ? "POST" : "GET";
  std::string_view rest(reinterpret_cast<const char*>(data), size);
  while (!rest.empty()) {
    const auto end = rest.find('\n');
    std::string_view line = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string name(line.substr(0, colon));
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    auto& slot = request.headers[name];
    slot = slot.empty() ? std::string(value) : slot + ", " + std::string(value);
  }
  const std::string session = request.Cookie("kith_session");
  const std::string host_session = request.Cookie("__Host-kith");
  if (session.find(';') != std::string::npos || host_session.find(';') != std::string::npos) std::abort();
  (void)request.Header("x-csrf-token");
  (void)request.IsStateChanging();
  const std::string client = proxies.ClientOf("10.1.2.3", request.Header("x-forwarded-for"));
  if (client.empty()) std::abort();
  return 0;
}
