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
}

}  // namespace kith::http
