// The request target as the server takes it apart (http::ParseTarget, then routing): bytes a
// client chooses in full. Invariants: a target that parses gives a path of well-formed UTF-8
// without NUL, and routing it answers (404/405 or a route) without throwing.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "common/utf8.h"
#include "http/message.h"
#include "http/router.h"

using namespace kith;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const http::Router* router = [] {
    auto* r = new http::Router;
    const http::Handler ok = [](const http::Request&, const http::Params& params) {
      http::Response out;
      for (const auto& [name, value] : params) out.body += name + "=" + value + "\n";
      return out;
    };
    r->Add("GET", "/api/v1/children/{id}", ok);
    r->Add("PUT", "/api/v1/children/{id}", ok);
    r->Add("GET", "/api/v1/children/{id}/chronology/{entry}", ok);
    r->Add("POST", "/api/v1/search", ok);
    return r;
  }();
  http::Request request;
  request.method = "GET";
  request.target.assign(reinterpret_cast<const char*>(data), size);
  if (!http::ParseTarget(request.target, &request.path, &request.query)) return 0;
  if (request.path.find('\0') != std::string::npos || !utf8::IsValid(request.path)) std::abort();
  for (const auto& [key, value] : request.query) {
    if (!utf8::IsValid(key) || !utf8::IsValid(value)) std::abort();
  }
  const http::Response response = router->Route(request);
  if (response.status != 200 && response.status != 404 && response.status != 405) std::abort();
  return 0;
}
