#include "server/test_hooks.h"

#include <cstdlib>

#include <nlohmann/json.hpp>

#include "http/json_codec.h"
#include "http/problem.h"

namespace kith::server {

Status TestHooks::Check(const Config& config) {
  const std::string& a = config.address;
  if (a != "127.0.0.1" && a != "::1" && a != "localhost") {
    return Error::Invalid("address", "kith-test is the test build (a clock anyone can move, fault injection): it serves "
                                     "only on a loopback address. Run `kith` to serve anywhere else.");
  }
  return Ok{};
}

const Clock& TestHooks::ServerClock(const Clock& system) {
  clock_ = std::make_unique<ManualClock>(system.Now());
  return *clock_;
}

void TestHooks::AddRoutes(http::Router& router) {
  router.Add("POST", "/api/v1/test/clock", [this](const http::Request& q, const http::Params&) {
    auto body = http::ParseObject(q.body);
    if (!body) return http::ErrorResponse(body.error(), q.request_id);
    http::ObjectReader in(*body, "", {"advance_seconds"});
    const int64_t seconds = in.Int("advance_seconds", true);
    if (in.error()) return http::ErrorResponse(*in.error(), q.request_id);
    clock_->Advance(std::chrono::seconds(seconds));
    http::Response r;
    r.content_type = "application/json";
    r.body = nlohmann::json{{"now", FormatUtc(clock_->Now())}}.dump();
    return r;
  });
}

void TestHooks::AfterDurableWrite(const http::Request& request) {
  if (request.Header("x-kith-test-fault") == "crash-after-write") std::_Exit(137);
}

}  // namespace kith::server
