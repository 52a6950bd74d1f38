// The hub's HTTP API through its router, with signed requests (found writing the hub_request fuzz
// target, tests/fuzz): a malformed body is refused with 400, never an exception (a 500).
#include "hub/hub_api.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace kith::hub {
namespace {

using nlohmann::json;

class HubApiTest : public ::testing::Test {
 protected:
  HubApiTest()
      : store_(OpenSqliteHubStore(":memory:")),
        key_(SigningKey::Generate("E08000035", random_)),
        authorities_({{key_.authority(), key_.public_key()}}),
        service_(*store_, {key_.authority()}) {
    RegisterHubApi(router_, {service_, *store_, authorities_, clock_});
  }

  http::Response Post(const std::string& path, const std::string& body) {
    http::Request q;
    q.method = "POST";
    q.target = q.path = path;
    q.body = body;
    q.headers = key_.Sign("POST", path, body, clock_.Now(), random_);
    q.headers["content-type"] = "application/json";
    return router_.Route(q);
  }

  SeededRandom random_{7};
  ManualClock clock_{FromMicros(1'780'000'000'000'000)};
  std::unique_ptr<HubStore> store_;
  SigningKey key_;
  std::map<std::string, PublicKey> authorities_;
  HubService service_;
  http::Router router_;
};

TEST_F(HubApiTest, AChangeWhoseRemovedIsNotABooleanIsRefusedAndNothingIsApplied) {
  const json tokens = {{"nhs", std::string(32, 'a')}, {"blocks", json::array()}};
  for (const json& removed : {json("yes"), json(1), json::object(), json(nullptr)}) {
    const json body = {{"encoding", "e1"},
                       {"changes", json::array({{{"seq", 1}, {"ref", "c-1"}, {"tokens", tokens}, {"removed", removed}}})}};
    http::Response r;
    ASSERT_NO_THROW(r = Post("/hub/v1/changes", body.dump())) << removed.dump();
    EXPECT_EQ(r.status, 400) << removed.dump() << " " << r.body;
    EXPECT_NE(r.body.find("removed"), std::string::npos) << r.body;
  }
  EXPECT_EQ(service_.LastSeq(key_.authority()), 0u);
  EXPECT_EQ(service_.Size(), 0u);
  // A boolean is taken as before.
  const json good = {{"encoding", "e1"},
                     {"changes", json::array({{{"seq", 1}, {"ref", "c-1"}, {"tokens", tokens}, {"removed", false}},
                                              {{"seq", 2}, {"ref", "c-1"}, {"removed", true}}})}};
  const http::Response ok = Post("/hub/v1/changes", good.dump());
  EXPECT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(service_.LastSeq(key_.authority()), 2u);
  EXPECT_EQ(service_.Size(), 0u);
}

}  // namespace
}  // namespace kith::hub
