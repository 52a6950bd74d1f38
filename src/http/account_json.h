// The child's account (GET /api/v1/children/{id}, the API's hottest response) written straight
// into a string, without building a nlohmann DOM of std::maps first: that DOM took about a
// quarter of the server's CPU under load (docs/BENCHMARKS.md).
//
// The output is byte for byte ToJson(account).dump() (keys in the same sorted order, the same
// escaping, invalid UTF-8 replaced the same way); account_json_test.cpp holds it to that, so a
// field added to the json_codec encoding without being added here fails the test.
// Thread safety: a pure function.
#pragma once

#include <string>

#include "app/child_service.h"

namespace kith::http {

std::string EncodeChildAccount(const app::ChildAccount& account);

}  // namespace kith::http
