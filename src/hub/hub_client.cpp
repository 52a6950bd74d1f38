#include "hub/hub_client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <nlohmann/json.hpp>

#include "common/encoding.h"
#include "pprl/clk.h"

namespace kith::hub {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
using tcp = boost::asio::ip::tcp;
using nlohmann::json;

json TokensJson(const pprl::Tokens& t) {
  json blocks = json::array();
  char hex[17];
  for (uint64_t b : t.blocks) {
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(b));
    blocks.push_back(hex);
  }
  return {{"nhs", t.nhs ? json(HexEncode(*t.nhs)) : json()},
          {"upn", t.upn ? json(HexEncode(*t.upn)) : json()},
          {"blocks", blocks},
          {"clk", t.has_clk ? json(pprl::ClkToBase64(t.clk)) : json()}};
}

class HttpHubChannel final : public HubChannel {
 public:
  HttpHubChannel(std::string host, std::string port, const SigningKey& key, const Clock& clock, Random& random)
      : host_(std::move(host)), port_(std::move(port)), key_(key), clock_(clock), random_(random) {}

  Result<uint64_t> Publish(const std::string& encoding, const std::vector<HubChange>& changes) override {
    json list = json::array();
    for (const auto& c : changes) {
      json change = {{"seq", c.seq}, {"ref", c.ref}};
      if (c.tokens) {
        change["tokens"] = TokensJson(*c.tokens);
      } else {
        change["removed"] = true;
      }
      list.push_back(std::move(change));
    }
    return LastSeq("POST", "/hub/v1/changes", json{{"encoding", encoding}, {"changes", list}}.dump());
  }

  Result<uint64_t> Cursor() override { return LastSeq("GET", "/hub/v1/cursor", ""); }

 private:
  Result<uint64_t> LastSeq(const std::string& method, const std::string& path, const std::string& body) {
    int status = 0;
    std::string answer;
    try {
      boost::asio::io_context io;
      tcp::resolver resolver(io);
      beast::tcp_stream stream(io);
      stream.expires_after(std::chrono::seconds(30));
      stream.connect(resolver.resolve(host_, port_));
      http::request<http::string_body> req(method == "GET" ? http::verb::get : http::verb::post, path, 11);
      req.set(http::field::host, host_);
      for (const auto& [name, value] : key_.Sign(method, path, body, clock_.Now(), random_)) req.set(name, value);
      if (!body.empty()) {
        req.set(http::field::content_type, "application/json");
        req.body() = body;
      }
      req.prepare_payload();
      http::write(stream, req);
      beast::flat_buffer buffer;
      http::response<http::string_body> res;
      http::read(stream, buffer, res);
      status = static_cast<int>(res.result_int());
      answer = res.body();
      beast::error_code ec;
      stream.socket().shutdown(tcp::socket::shutdown_both, ec);
    } catch (const std::exception& e) {
      return Error::NotFound(std::string("the hub cannot be reached: ") + e.what());
    }
    const json j = json::parse(answer, nullptr, false);
    if (status == 200 && j.is_object() && j.contains("last_seq") && j["last_seq"].is_number_unsigned()) {
      return j["last_seq"].get<uint64_t>();
    }
    const std::string detail = j.is_object() && j.contains("detail") && j["detail"].is_string()
                                   ? j["detail"].get<std::string>()
                                   : std::to_string(status);
    if (status == 409) return Error::Conflict("the hub expects another change: " + detail);
    if (status == 401) return Error::Unauthenticated("the hub refused this node's signature (check its key and clock)");
    return Error::Invalid("hub", "the hub answered " + std::to_string(status) + ": " + detail);
  }

  std::string host_, port_;
  const SigningKey& key_;
  const Clock& clock_;
  Random& random_;
};

}  // namespace

Result<std::unique_ptr<HubChannel>> MakeHttpHubChannel(const std::string& url, const SigningKey& key,
                                                       const Clock& clock, Random& random) {
  constexpr std::string_view kScheme = "http://";
  if (url.rfind(kScheme, 0) != 0) return Error::Invalid("hub_url", "the hub's address is http://HOST:PORT");
  std::string rest = url.substr(kScheme.size());
  if (!rest.empty() && rest.back() == '/') rest.pop_back();
  const size_t colon = rest.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == rest.size() ||
      rest.find_first_not_of("0123456789", colon + 1) != std::string::npos) {
    return Error::Invalid("hub_url", "the hub's address is http://HOST:PORT");
  }
  return std::unique_ptr<HubChannel>(
      std::make_unique<HttpHubChannel>(rest.substr(0, colon), rest.substr(colon + 1), key, clock, random));
}

}  // namespace kith::hub
