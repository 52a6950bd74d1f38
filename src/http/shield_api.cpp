#include "http/shield_api.h"

#include "http/handlers.h"

namespace kith::http {
namespace {

json TimeOrNull(const std::optional<TimePoint>& t) { return t ? json(FormatUtc(*t)) : json(nullptr); }
json TextOrNull(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }

json ToJson(const app::OverrideView& v) {
  const auto& o = v.shield_override;
  return {{"id", o.id},
          {"child_id", o.child_id},
          {"child_name", v.child_name},
          {"user_id", o.user_id},
          {"user_name", v.user_name},
          {"user_job_title", v.user_job_title},
          {"user_agency", v.user_agency},
          {"reason_code", domain::ToString(o.reason_code)},
          {"reason", o.reason},
          {"starts_at", FormatUtc(o.starts_at)},
          {"ends_at", FormatUtc(o.ends_at)},
          {"active", v.active},
          {"ended_early_at", TimeOrNull(o.ended_early_at)},
          {"ended_by", TextOrNull(v.ended_by_name)},
          {"reviewed_at", TimeOrNull(o.reviewed_at)},
          {"reviewed_by", TextOrNull(v.reviewed_by_name)},
          {"review_note", TextOrNull(o.review_note)}};
}

const auto kEncode = [](const auto& value) { return ToJson(value); };

}  // namespace

void RegisterShieldApi(Router& router, ShieldApiServices s, ApiOptions options) {
  router.Add("POST", "/api/v1/children/{id}/shield-override", [s, options](const Request& q, const Params& a) {
    return WithBody(s.auth, options, q, [&](const app::Principal& p, const json& body) {
      ObjectReader in(body, "", {"reason_code", "reason", "duration_hours", "password"});
      app::OverrideRequest r;
      r.reason_code = in.String("reason_code", true, 40);
      r.reason = in.String("reason", true, 500);
      if (in.Has("duration_hours")) r.duration_hours = in.Int("duration_hours");
      r.password = in.OptionalString("password", 128);
      if (in.error()) return ErrorResponse(*in.error(), q.request_id);
      return Reply(q, s.shield.Override(p, a.at("id"), r), 201, kEncode);
    });
  });
  router.Add("GET", "/api/v1/shield-overrides", [s, options](const Request& q, const Params&) {
    return WithPrincipal(s.auth, options, q, [&](const app::Principal& p) {
      return Reply(q, s.shield.ForReview(p), 200, [](const auto& v) {
        return json{{"overrides", ListJson(v, kEncode)}};
      });
    });
  });
  router.Add("POST", "/api/v1/shield-overrides/{id}/review", [s, options](const Request& q, const Params& a) {
    return WithBody(s.auth, options, q, [&](const app::Principal& p, const json& body) {
      ObjectReader in(body, "", {"note", "end"});
      const std::string note = in.String("note", true, 500);
      const bool end = in.Bool("end", false);
      if (in.error()) return ErrorResponse(*in.error(), q.request_id);
      return Reply(q, s.shield.Review(p, a.at("id"), note, end), 200, kEncode);
    });
  });
}

}  // namespace kith::http
