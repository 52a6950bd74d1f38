// Request bodies: http::ParseObject (every JSON body the API takes), then the strict decoding of
// a child's record for POST and PUT (json_codec.h), and the record written back out as JSON.
#include <cstddef>
#include <cstdint>
#include <string>

#include "http/json_codec.h"

using namespace kith;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string body(reinterpret_cast<const char*>(data), size);
  auto object = http::ParseObject(body);
  if (!object) return 0;
  for (const bool for_update : {false, true}) {
    auto child = http::ChildFromJson(*object, for_update);
    if (child) (void)http::ToJson(*child).dump(-1, ' ', false, http::json::error_handler_t::replace);
  }
  (void)http::ChildChangesFromJson(*object);
  return 0;
}
