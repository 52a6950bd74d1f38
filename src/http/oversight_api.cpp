#include "http/oversight_api.h"

#include "http/handlers.h"
#include "http/json_codec.h"

namespace kith::http {

void RegisterOversightApi(Router& router, OversightApiServices s, ApiOptions options) {
  router.Add("GET", "/api/v1/me/caseload", [s, options](const Request& q, const Params&) {
    return WithPrincipal(s.auth, options, q, [&](const app::Principal& p) {
      return Reply(q, s.caseloads.TeamCaseloads(p), 200, [](const auto& workers) {
        json out = json::array();
        for (const auto& w : workers) {
          out.push_back({{"user_id", w.user_id},
                         {"display_name", w.display_name},
                         {"job_title", w.job_title},
                         {"children", ListJson(w.children, [](const auto& c) { return ToJson(c); })}});
        }
        return json{{"workers", out}};
      });
    });
  });
  router.Add("POST", "/api/v1/audit/children/find", [s, options](const Request& q, const Params&) {
    return WithBody(s.auth, options, q, [&](const app::Principal& p, const json& body) {
      ObjectReader in(body, "", {"given_name", "family_name", "date_of_birth"});
      const std::string given = in.String("given_name", false, 100);
      const std::string family = in.String("family_name", false, 100);
      const auto dob = in.DateValue("date_of_birth");
      if (in.error()) return ErrorResponse(*in.error(), q.request_id);
      return Reply(q, s.audit_find.Children(p, given, family, dob), 200, [](const auto& found) {
        json out = json::array();
        for (const auto& c : found) {
          out.push_back({{"child_id", c.child_id},
                         {"given_names", c.given_names},
                         {"family_name", c.family_name},
                         {"date_of_birth", c.date_of_birth ? json(c.date_of_birth->ToString()) : json(nullptr)},
                         {"score", c.score}});
        }
        return json{{"children", out}};
      });
    });
  });
}

}  // namespace kith::http
