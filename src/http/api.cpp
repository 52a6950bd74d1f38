#include "http/api.h"

#include <memory>

#include "http/account_json.h"
#include "http/handlers.h"

namespace kith::http {
namespace {

// Handlers capture a shared pointer to the Api, so it lives as long as the router holds them.
class Api : public std::enable_shared_from_this<Api> {
 public:
  Api(Services s, ApiOptions o) : s_(s), o_(o) {}

  std::string SessionCookie(const std::string& token, int max_age) const {
    return SessionCookieName(o_) + "=" + token +
           "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + std::to_string(max_age) +
           (o_.secure_cookies ? "; Secure" : "");
  }

  Result<app::Principal> Authed(const Request& req, bool allow_incomplete) const {
    return AuthenticateRequest(s_.auth, o_, req, allow_incomplete);
  }

  void Register(Router& r) {
    auto keep = shared_from_this();
    r.Add("POST", "/api/v1/session", [this, keep](const Request& q, const Params&) { return SignIn(q); });
    r.Add("GET", "/api/v1/session", [this, keep](const Request& q, const Params&) {
      auto p = Authed(q, true);
      return Reply(q, p, 200, [](const auto& v) { return ToJson(v); });
    });
    r.Add("DELETE", "/api/v1/session", [this, keep](const Request& q, const Params&) {
      auto p = Authed(q, true);
      if (!p) return ErrorResponse(p.error(), q.request_id);
      s_.auth.SignOut(*p);
      Response out = NoContentResponse();
      out.SetHeader("Set-Cookie", SessionCookie("", 0));
      return out;
    });
    r.Add("POST", "/api/v1/session/second-factor", [this, keep](const Request& q, const Params&) {
      auto p = Authed(q, true);
      if (!p) return ErrorResponse(p.error(), q.request_id);
      auto body = ParseObject(q.body);
      if (!body) return ErrorResponse(body.error(), q.request_id);
      ObjectReader in(*body, "", {"code"});
      const std::string code = in.String("code", true, 10);
      if (in.error()) return ErrorResponse(*in.error(), q.request_id);
      return Reply(q, s_.auth.VerifySecondFactor(*p, code), 200, [](const auto& v) { return ToJson(v); });
    });
    r.Add("POST", "/api/v1/me/second-factor/enrolment", [this, keep](const Request& q, const Params&) {
      auto p = Authed(q, true);
      if (!p) return ErrorResponse(p.error(), q.request_id);
      auto body = ParseObject(q.body);
      if (!body) return ErrorResponse(body.error(), q.request_id);
      ObjectReader in(*body, "", {"password"});
      auto password = in.OptionalString("password", 128);
      if (in.error()) return ErrorResponse(*in.error(), q.request_id);
      return Reply(q, s_.auth.BeginEnrolment(*p, password), 201, [](const app::Enrolment& e) {
        return json{{"secret", e.secret}, {"otpauth_uri", e.uri}};
      });
    });
    r.Add("POST", "/api/v1/me/second-factor/enrolment/confirm", [this, keep](const Request& q, const Params&) {
      auto p = Authed(q, true);
      if (!p) return ErrorResponse(p.error(), q.request_id);
      auto body = ParseObject(q.body);
      if (!body) return ErrorResponse(body.error(), q.request_id);
      ObjectReader in(*body, "", {"code"});
      const std::string code = in.String("code", true, 10);
      if (in.error()) return ErrorResponse(*in.error(), q.request_id);
      return Reply(q, s_.auth.ConfirmEnrolment(*p, code), 200, [](const auto& v) { return ToJson(v); });
    });

    r.Add("GET", "/api/v1/me/children", [this, keep](const Request& q, const Params&) {
      return WithPrincipal(q, [&](const app::Principal& p) {
        return Reply(q, s_.children.MyChildren(p), 200, [](const auto& v) { return json{{"children", ListJson(v)}}; });
      });
    });
    r.Add("POST", "/api/v1/children", [this, keep](const Request& q, const Params&) {
      return WithBody(q, [&](const app::Principal& p, const json& body) {
        auto child = ChildFromJson(body, false);
        if (!child) return ErrorResponse(child.error(), q.request_id);
        const auto it = body.find("reason");
        if (it != body.end() && !it->is_string()) {
          return ErrorResponse(Error::Invalid("reason", "Expected text."), q.request_id);
        }
        const std::string reason = it == body.end() ? std::string() : it->get<std::string>();
        return Reply(q, s_.children.Create(p, std::move(*child), reason), 201, [](const auto& v) { return ToJson(v); });
      });
    });
    r.Add("GET", "/api/v1/children/{id}", [this, keep](const Request& q, const Params& a) {
      return WithPrincipal(q, [&](const app::Principal& p) {
        auto account = s_.children.Account(p, a.at("id"));
        if (!account) return ErrorResponse(account.error(), q.request_id);
        Response out;
        out.content_type = "application/json";
        out.body = EncodeChildAccount(*account);  // the hottest response: no JSON DOM
        return out;
      });
    });
    r.Add("PUT", "/api/v1/children/{id}", [this, keep](const Request& q, const Params& a) {
      return WithBody(q, [&](const app::Principal& p, const json& body) {
        auto changes = ChildChangesFromJson(body);
        if (!changes) return ErrorResponse(changes.error(), q.request_id);
        return Reply(q, s_.children.Update(p, a.at("id"), *changes), 200, [](const auto& v) { return ToJson(v); });
      });
    });
    r.Add("POST", "/api/v1/children/{id}/signposting", [this, keep](const Request& q, const Params& a) {
      return WithBody(q, [&](const app::Principal& p, const json& body) {
        ObjectReader in(body, "", {"reason"});
        const std::string reason = in.String("reason", true, 500);
        if (in.error()) return ErrorResponse(*in.error(), q.request_id);
        return Reply(q, s_.children.Signpost(p, a.at("id"), reason), 200, [](const auto& v) { return ToJson(v); });
      });
    });
    r.Add("POST", "/api/v1/children/{id}/shield", [this, keep](const Request& q, const Params& a) {
      return WithBody(q, [&](const app::Principal& p, const json& body) {
        ObjectReader in(body, "", {"shielded", "reason"});
        const auto shielded = in.OptionalBool("shielded");
        if (!shielded && !in.error())
          in.Fail("shielded", "Say whether the child is to be shielded (true) or not (false).");
        const std::string reason = in.String("reason", true, 500);
        if (in.error()) return ErrorResponse(*in.error(), q.request_id);
        return Reply(q, s_.children.SetShield(p, a.at("id"), *shielded, reason), 200,
                     [](const auto& v) { return ToJson(v); });
      });
    });
    r.Add("GET", "/api/v1/children/{id}/audit", [this, keep](const Request& q, const Params& a) {
      return WithPrincipal(q, [&](const app::Principal& p) {
        return Reply(q, s_.children.AuditTrail(p, a.at("id"), QueryInt(q, "limit", 200)), 200, [](const auto& v) {
          return json{{"records", ListJson(v)}};
        });
      });
    });

    r.Add("GET", "/api/v1/authorities", [this, keep](const Request& q, const Params&) {
      return WithPrincipal(q, [&](const app::Principal& p) {
        return Reply(q, s_.admin.ListAuthorities(p), 200, [](const auto& v) {
          return json{{"authorities", ListJson(v)}};
        });
      });
    });
    r.Add("POST", "/api/v1/authorities", [this, keep](const Request& q, const Params&) {
      return WithBody(q, [&](const app::Principal& p, const json& body) {
        ObjectReader in(body, "", {"code", "name", "require_second_factor"});
        domain::LocalAuthority la{"", in.String("code", true, 20), in.String("name", true, 200),
                                  in.Bool("require_second_factor")};
        if (in.error()) return ErrorResponse(*in.error(), q.request_id);
        return Reply(q, s_.admin.CreateAuthority(p, la), 201, [](const auto& v) { return ToJson(v); });
      });
    });
    r.Add("GET", "/api/v1/agencies", [this, keep](const Request& q, const Params&) {
      return WithPrincipal(q, [&](const app::Principal& p) {
        return Reply(q, s_.admin.ListAgencies(p, QueryString(q, "authority_id")), 200, [](const auto& v) {
          return json{{"agencies", ListJson(v)}};
        });
      });
    });
    r.Add("POST", "/api/v1/agencies", [this, keep](const Request& q, const Params&) {
      return WithBody(q, [&](const app::Principal& p, const json& body) {
        auto agency = AgencyFromJson(body);
        if (!agency) return ErrorResponse(agency.error(), q.request_id);
        return Reply(q, s_.admin.CreateAgency(p, *agency), 201, [](const auto& v) { return ToJson(v); });
      });
    });
    r.Add("PUT", "/api/v1/agencies/{id}", [this, keep](const Request& q, const Params& a) {
      return WithBody(q, [&](const app::Principal& p, const json& body) {
        // An update replaces the agency: a contact detail left out would otherwise be wiped.
        for (const char* key : {"phone", "email", "address"}) {
          if (!body.contains(key)) {
            return ErrorResponse(Error::Invalid(key, "An update replaces the agency: send every field (\"\" where "
                                                     "there is none), as read from GET /api/v1/agencies."),
                                 q.request_id);
          }
        }
        auto agency = AgencyFromJson(body);
        if (!agency) return ErrorResponse(agency.error(), q.request_id);
        agency->id = a.at("id");
        return Reply(q, s_.admin.UpdateAgency(p, *agency), 200, [](const auto& v) { return ToJson(v); });
      });
    });
    r.Add("GET", "/api/v1/users", [this, keep](const Request& q, const Params&) {
      return WithPrincipal(q, [&](const app::Principal& p) {
        return Reply(q, s_.admin.ListUsers(p, QueryString(q, "authority_id")), 200, [](const auto& v) {
          return json{{"users", ListJson(v)}};
        });
      });
    });
    r.Add("GET", "/api/v1/users/{id}", [this, keep](const Request& q, const Params& a) {
      return WithPrincipal(q, [&](const app::Principal& p) {
        return Reply(q, s_.admin.GetUser(p, a.at("id")), 200, [](const auto& v) { return ToJson(v); });
      });
    });
    r.Add("POST", "/api/v1/users", [this, keep](const Request& q, const Params&) {
      return WithBody(q, [&](const app::Principal& p, const json& body) {
        ObjectReader in(body, "",
                        {"username", "display_name", "job_title", "email", "phone", "role", "authority_id", "agency_id",
                         "password"});
        app::NewUser n;
        n.username = in.String("username", true, 64);
        n.display_name = in.String("display_name", true, 200);
        n.job_title = in.String("job_title", false, 100);
        n.email = in.String("email", false, 254);
        n.phone = in.String("phone", false, 40);
        n.authority_id = in.String("authority_id", false, 64);
        n.agency_id = in.String("agency_id", false, 64);
        n.password = in.String("password", true, 128);
        if (!in.Has("role")) in.Fail("role", "This field is required.");
        if (auto role = ReadRole(in)) n.role = *role;
        if (in.error()) return ErrorResponse(*in.error(), q.request_id);
        return Reply(q, s_.admin.CreateUser(p, std::move(n)), 201, [](const auto& v) { return ToJson(v); });
      });
    });
    r.Add("PATCH", "/api/v1/users/{id}", [this, keep](const Request& q, const Params& a) {
      return WithBody(q, [&](const app::Principal& p, const json& body) {
        ObjectReader in(body, "",
                        {"version", "display_name", "job_title", "email", "phone", "agency_id", "password", "role",
                         "active", "unlock", "reset_second_factor", "index_steward", "information_governance"});
        app::UserChanges c;
        c.version = in.Int("version", true);
        c.display_name = in.OptionalString("display_name", 200);
        c.job_title = in.OptionalString("job_title", 100);
        c.email = in.OptionalString("email", 254);
        c.phone = in.OptionalString("phone", 40);
        c.agency_id = in.OptionalString("agency_id", 64);
        c.password = in.OptionalString("password", 128);
        c.role = ReadRole(in);
        c.active = in.OptionalBool("active");
        c.index_steward = in.OptionalBool("index_steward");
        c.information_governance = in.OptionalBool("information_governance");
        c.unlock = in.Bool("unlock");
        c.reset_totp = in.Bool("reset_second_factor");
        if (in.error()) return ErrorResponse(*in.error(), q.request_id);
        return Reply(q, s_.admin.UpdateUser(p, a.at("id"), c), 200, [](const auto& v) { return ToJson(v); });
      });
    });
  }

 private:
  Response SignIn(const Request& q) {
    auto body = ParseObject(q.body);
    if (!body) return ErrorResponse(body.error(), q.request_id);
    ObjectReader in(*body, "", {"username", "password"});
    const std::string username = in.String("username", false, 64);
    const std::string password = in.String("password", false, 128);
    // An empty form is not a wrong password: say what to enter (and spend no hashing on it).
    if (!in.error() && username.find_first_not_of(" \t") == std::string::npos) in.Fail("username", "Enter your username");
    if (!in.error() && password.empty()) in.Fail("password", "Enter your password");
    if (in.error()) return ErrorResponse(*in.error(), q.request_id);
    auto result = s_.auth.SignIn(username, password, q.client);
    if (!result) return ErrorResponse(result.error(), q.request_id);
    Response out = JsonResponse(201, ToJson(result->principal));
    out.SetHeader("Set-Cookie", SessionCookie(result->token, o_.session_cookie_max_age_seconds));
    return out;
  }

  template <typename F>
  Response WithPrincipal(const Request& q, F&& f) const {
    return http::WithPrincipal(s_.auth, o_, q, std::forward<F>(f));
  }

  template <typename F>
  Response WithBody(const Request& q, F&& f) const {
    return http::WithBody(s_.auth, o_, q, std::forward<F>(f));
  }

  // The role at "role", if present and known; an unknown role is noted as the reader's problem.
  static std::optional<domain::Role> ReadRole(ObjectReader& in) {
    auto text = in.OptionalString("role", 30);
    if (!text) return std::nullopt;
    auto role = domain::ParseRole(*text);
    if (!role || !domain::IsStaffRole(*role)) {
      in.Fail("role", "Expected practitioner, manager, authority_admin, auditor or national_admin.");
    }
    return role;
  }

  static Result<domain::Agency> AgencyFromJson(const json& body) {
    ObjectReader in(body, "", {"authority_id", "name", "kind", "phone", "email", "address"});
    domain::Agency a;
    a.authority_id = in.String("authority_id", false, 64);
    a.name = in.String("name", true, 200);
    a.phone = in.String("phone", false, 40);
    a.email = in.String("email", false, 254);
    a.address = in.String("address", false, 300);
    const std::string kind = in.String("kind", true, 40);
    if (auto k = domain::ParseAgencyKind(kind)) {
      a.kind = *k;
    } else if (!in.error()) {
      in.Fail("kind", "Not a known kind of agency.");
    }
    if (in.error()) return *in.error();
    return a;
  }

  Services s_;
  ApiOptions o_;
};

}  // namespace

void RegisterApi(Router& router, Services services, ApiOptions options) {
  std::make_shared<Api>(services, options)->Register(router);
}

}  // namespace kith::http
