#include "hub/hub_api.h"

#include <nlohmann/json.hpp>

#include "common/log.h"
#include "http/problem.h"
#include "pprl/clk.h"

namespace kith::hub {
namespace {

using nlohmann::json;

http::Response Json(const json& body, int status = 200) {
  http::Response r;
  r.status = status;
  r.content_type = "application/json";
  r.body = body.dump();
  return r;
}

http::Response Invalid(const http::Request& q, const std::string& message) {
  return http::ErrorResponse(Error::Invalid("body", message), q.request_id);
}

bool ParseId(const json& v, std::optional<pprl::IdToken>* out) {
  if (v.is_null()) return true;
  if (!v.is_string() || v.get_ref<const std::string&>().size() != 32) return false;
  const auto& s = v.get_ref<const std::string&>();
  pprl::IdToken t{};
  for (size_t i = 0; i < t.size(); ++i) {
    int byte = 0;
    for (size_t j = 0; j < 2; ++j) {
      const char c = s[2 * i + j];
      const int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
      if (d < 0) return false;
      byte = byte * 16 + d;
    }
    t[i] = static_cast<uint8_t>(byte);
  }
  *out = t;
  return true;
}

// The tokens object T; false (with `why`) when malformed.
bool ParseTokens(const json& j, pprl::Tokens* t, std::string* why) {
  if (!j.is_object()) return *why = "tokens must be an object", false;
  if (!ParseId(j.value("nhs", json()), &t->nhs)) return *why = "nhs must be 32 hex characters or null", false;
  if (!ParseId(j.value("upn", json()), &t->upn)) return *why = "upn must be 32 hex characters or null", false;
  const json blocks = j.value("blocks", json::array());
  if (!blocks.is_array() || blocks.size() > 16) return *why = "blocks must be an array of at most 16 tokens", false;
  for (const auto& b : blocks) {
    if (!b.is_string() || b.get_ref<const std::string&>().size() != 16 ||
        b.get_ref<const std::string&>().find_first_not_of("0123456789abcdef") != std::string::npos) {
      return *why = "each block must be 16 hex characters", false;
    }
    t->blocks.push_back(std::stoull(b.get_ref<const std::string&>(), nullptr, 16));
  }
  const json clk = j.value("clk", json());
  if (!clk.is_null()) {
    if (!clk.is_string() || !pprl::ClkFromBase64(clk.get_ref<const std::string&>(), &t->clk)) {
      return *why = "clk must be base64 of 128 bytes or null", false;
    }
    t->has_clk = true;
  }
  if (!t->nhs && !t->upn && !t->has_clk) return *why = "tokens hold no token", false;
  return true;
}

class Api {
 public:
  explicit Api(HubApiDeps deps) : d_(deps) {}

  // Runs `fn` with the verified authority, or refuses (401, logged and recorded).
  template <typename Fn>
  http::Response Signed(const http::Request& q, Fn&& fn) const {
    auto who = VerifyRequest(d_.authorities, d_.store, q.method, q.path, q.headers, q.body, d_.clock.Now());
    if (!who) {
      const std::string& claimed = q.Header("kith-authority");
      log::Warn("hub.request_refused", {{"client", q.client},
                                        {"authority", claimed},
                                        {"path", q.path},
                                        {"reason", who.error().message},
                                        {"request_id", q.request_id}});
      d_.store.LogRefusal({d_.clock.Now(), q.client, claimed.substr(0, 64), q.path, who.error().message});
      return http::ProblemResponse(401, "refused", "Refused",
                                   "The request is not signed by a trusted authority, or was already received.",
                                   q.request_id);
    }
    if (q.method == "POST" && q.Header("content-type").rfind("application/json", 0) != 0) {
      return http::ErrorResponse({ErrorCode::kUnsupportedMediaType, "Send the body as application/json.", {}, {}},
                                 q.request_id);
    }
    json body;
    if (q.method == "POST") {
      body = json::parse(q.body, nullptr, false);
      if (!body.is_object()) return Invalid(q, "the body must be a JSON object");
    }
    return fn(*who, body);
  }

  http::Response Changes(const http::Request& q) const {
    return Signed(q, [&](const std::string& authority, const json& body) {
      const json changes = body.value("changes", json());
      const json encoding = body.value("encoding", json());
      if (!changes.is_array() || changes.empty() || changes.size() > 10'000 || !encoding.is_string()) {
        return Invalid(q, "expected {\"encoding\": string, \"changes\": [1 to 10,000 changes]}");
      }
      std::vector<HubChange> parsed;
      for (size_t i = 0; i < changes.size(); ++i) {
        const json& c = changes[i];
        HubChange h;
        if (!c.is_object() || !c.contains("seq") || !c["seq"].is_number_unsigned() || !c.contains("ref") ||
            !c["ref"].is_string()) {
          return Invalid(q, "change " + std::to_string(i) + ": seq (a positive integer) and ref are required");
        }
        h.seq = c["seq"].get<uint64_t>();
        h.ref = c["ref"].get<std::string>();
        // (json::value would throw on a "removed" that is not a boolean: a 500; found writing the hub_request fuzz target.)
        const auto removed = c.find("removed");
        if (removed != c.end() && !removed->is_boolean()) {
          return Invalid(q, "change " + std::to_string(i) + ": removed must be true or false");
        }
        if (removed == c.end() || !removed->get<bool>()) {
          pprl::Tokens t;
          std::string why;
          if (!ParseTokens(c.value("tokens", json()), &t, &why)) {
            return Invalid(q, "change " + std::to_string(i) + ": " + why);
          }
          h.tokens = std::move(t);
        }
        parsed.push_back(std::move(h));
      }
      auto last = d_.service.Publish(authority, encoding.get<std::string>(), std::move(parsed));
      if (!last) {
        if (last.error().code == ErrorCode::kConflict) {
          return Json({{"type", "about:blank#conflict"},
                       {"title", "Out of sequence"},
                       {"status", 409},
                       {"detail", last.error().message},
                       {"expected_seq", d_.service.LastSeq(authority) + 1}},
                      409);
        }
        return http::ErrorResponse(last.error(), q.request_id);
      }
      log::Info("hub.changes_applied", {{"authority", authority}, {"last_seq", *last}});
      return Json({{"last_seq", *last}});
    });
  }

  http::Response Queries(const http::Request& q) const {
    return Signed(q, [&](const std::string& authority, const json& body) {
      pprl::Tokens t;
      std::string why;
      const json encoding = body.value("encoding", json());
      if (!encoding.is_string()) return Invalid(q, "encoding is required");
      if (!ParseTokens(body.value("tokens", json()), &t, &why)) return Invalid(q, why);
      auto matches = d_.service.Query(authority, encoding.get<std::string>(), t);
      if (!matches) return http::ErrorResponse(matches.error(), q.request_id);
      json out = json::array();
      for (const auto& m : *matches)
        out.push_back({{"authority", m.authority}, {"ref", m.ref}, {"band", ToString(m.band)}});
      return Json({{"matches", out}});
    });
  }

  http::Response Cursor(const http::Request& q) const {
    return Signed(q, [&](const std::string& authority, const json&) {
      return Json({{"last_seq", d_.service.LastSeq(authority)}});
    });
  }

  http::Response Health() const { return Json({{"status", "ok"}, {"children", d_.service.Size()}}); }

 private:
  HubApiDeps d_;
};

}  // namespace

void RegisterHubApi(http::Router& router, HubApiDeps deps) {
  auto api = std::make_shared<Api>(deps);
  router.Add("POST", "/hub/v1/changes", [api](const http::Request& q, const http::Params&) { return api->Changes(q); });
  router.Add("POST", "/hub/v1/queries", [api](const http::Request& q, const http::Params&) { return api->Queries(q); });
  router.Add("GET", "/hub/v1/cursor", [api](const http::Request& q, const http::Params&) { return api->Cursor(q); });
  router.Add("GET", "/healthz", [api](const http::Request&, const http::Params&) { return api->Health(); });
}

}  // namespace kith::hub
