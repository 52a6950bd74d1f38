#include "http/retention_api.h"

#include "http/handlers.h"

namespace kith::http {
namespace {

json OrNull(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }

json ToJson(const storage::StoredRetentionRules& s) {
  const auto& r = s.rules;
  return {{"authority_id", s.authority_id},
          {"version", s.version},
          {"updated_by", OrNull(s.updated_by)},
          {"updated_at", s.version == 0 ? json(nullptr) : json(FormatUtc(s.updated_at))},
          {"archive_age_years", r.archive_age_years},
          {"extended_archive_age_years", r.extended_archive_age_years},
          {"purge_after_archive_years", r.purge_after_archive_years},
          {"purge_after_death_years", r.purge_after_death_years},
          {"remove_unused_after_months", r.remove_unused_after_months}};
}

json ToJson(const domain::LegalHold& h) {
  return {{"id", h.id},
          {"child_id", h.child_id},
          {"authority_id", h.authority_id},
          {"kind", domain::ToString(h.kind)},
          {"reason", h.reason},
          {"starts_on", h.starts_on.ToString()},
          {"ends_on", h.ends_on.ToString()},
          {"placed_by", h.placed_by},
          {"placed_at", FormatUtc(h.placed_at)},
          {"released_on", h.released_on ? json(h.released_on->ToString()) : json(nullptr)},
          {"released_by", OrNull(h.released_by)},
          {"release_reason", OrNull(h.release_reason)}};
}

json ToJson(const app::RetentionOutlook& o) {
  json steps = json::array();
  for (const auto& d : o.steps) {
    const auto& a = d.assessment;
    steps.push_back({{"child_id", d.child_id},
                     {"step", domain::ToString(a.next)},
                     {"due_on", a.next_on ? json(a.next_on->ToString()) : json(nullptr)},
                     {"rule", domain::ToString(a.rule)},
                     {"due_now", a.due != domain::RetentionStep::kNone},
                     {"held_by", a.held_by}});
  }
  return {{"from", o.from.ToString()}, {"until", o.until.ToString()}, {"checked", o.checked},
          {"steps", steps},           {"more", o.more},                {"no_date_of_birth", o.no_date}};
}

// Every rule, each required: a change replaces the authority's rules whole.
Result<std::pair<domain::RetentionRules, int64_t>> RulesFromJson(const json& body) {
  ObjectReader in(body, "",
                  {"version", "archive_age_years", "extended_archive_age_years", "purge_after_archive_years",
                   "purge_after_death_years", "remove_unused_after_months"});
  const int64_t version = in.Int("version", true);
  const auto rule = [&](std::string_view key) {
    const int64_t v = in.Int(key, true);
    // Wider than any rule allows (domain::ValidateRetentionRules names the limits), narrow enough for an int.
    if (!in.error() && (v < -100'000 || v > 100'000)) in.Fail(key, "Out of range.");
    return static_cast<int>(v);
  };
  domain::RetentionRules r;
  r.archive_age_years = rule("archive_age_years");
  r.extended_archive_age_years = rule("extended_archive_age_years");
  r.purge_after_archive_years = rule("purge_after_archive_years");
  r.purge_after_death_years = rule("purge_after_death_years");
  r.remove_unused_after_months = rule("remove_unused_after_months");
  if (in.error()) return *in.error();
  return std::make_pair(r, version);
}

}  // namespace

void RegisterRetentionApi(Router& router, RetentionApiServices s, ApiOptions o) {
  router.Add("GET", "/api/v1/authorities/{id}/retention-rules", [s, o](const Request& q, const Params& a) {
    return WithPrincipal(s.auth, o, q, [&](const app::Principal& p) {
      return Reply(q, s.retention.GetRules(p, a.at("id")), 200, [](const auto& v) { return ToJson(v); });
    });
  });
  router.Add("PUT", "/api/v1/authorities/{id}/retention-rules", [s, o](const Request& q, const Params& a) {
    return WithBody(s.auth, o, q, [&](const app::Principal& p, const json& body) {
      auto in = RulesFromJson(body);
      if (!in) return ErrorResponse(in.error(), q.request_id);
      return Reply(q, s.retention.PutRules(p, a.at("id"), in->first, in->second), 200,
                   [](const auto& v) { return ToJson(v); });
    });
  });
  router.Add("GET", "/api/v1/authorities/{id}/legal-holds", [s, o](const Request& q, const Params& a) {
    return WithPrincipal(s.auth, o, q, [&](const app::Principal& p) {
      return Reply(q, s.retention.HoldsInForce(p, a.at("id")), 200, [](const auto& v) {
        return json{{"holds", ListJson(v, [](const auto& h) { return ToJson(h); })}};
      });
    });
  });
  router.Add("GET", "/api/v1/authorities/{id}/retention-due", [s, o](const Request& q, const Params& a) {
    return WithPrincipal(s.auth, o, q, [&](const app::Principal& p) {
      // A malformed number is refused by the use case, naming the field, like one out of range.
      const int days = QueryString(q, "days").empty() ? 90 : QueryInt(q, "days", -1);
      return Reply(q, s.retention.Upcoming(p, a.at("id"), days), 200, [](const auto& v) { return ToJson(v); });
    });
  });
  router.Add("POST", "/api/v1/children/{id}/legal-holds", [s, o](const Request& q, const Params& a) {
    return WithBody(s.auth, o, q, [&](const app::Principal& p, const json& body) {
      ObjectReader in(body, "", {"kind", "reason", "ends_on"});
      const std::string kind = in.String("kind", true, 40);
      const std::string reason = in.String("reason", true, 2000);
      const auto ends_on = in.DateValue("ends_on", true);
      if (in.error()) return ErrorResponse(*in.error(), q.request_id);
      return Reply(q, s.retention.PlaceHold(p, a.at("id"), kind, reason, *ends_on), 201,
                   [](const auto& v) { return ToJson(v); });
    });
  });
  router.Add("POST", "/api/v1/legal-holds/{id}/release", [s, o](const Request& q, const Params& a) {
    return WithBody(s.auth, o, q, [&](const app::Principal& p, const json& body) {
      ObjectReader in(body, "", {"reason"});
      const std::string reason = in.String("reason", true, 2000);
      if (in.error()) return ErrorResponse(*in.error(), q.request_id);
      return Reply(q, s.retention.ReleaseHold(p, a.at("id"), reason), 200, [](const auto& v) { return ToJson(v); });
    });
  });
}

}  // namespace kith::http
