#include "http/access_api.h"

#include "http/handlers.h"

namespace kith::http {
namespace {

json TimeOrNull(const std::optional<TimePoint>& t) { return t ? json(FormatUtc(*t)) : json(nullptr); }
json TextOrNull(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }

json ToJson(const app::BreakGlassView& v) {
  const auto& g = v.break_glass;
  return {{"id", g.id},
          {"child_id", g.child_id},
          {"child_name", v.child_name},
          {"user_id", g.user_id},
          {"user_name", v.user_name},
          {"user_job_title", v.user_job_title},
          {"user_agency", v.user_agency},
          {"reason_code", domain::ToString(g.reason_code)},
          {"reason", g.reason},
          {"starts_at", FormatUtc(g.starts_at)},
          {"ends_at", FormatUtc(g.ends_at)},
          {"active", v.active},
          {"reads", v.reads},
          {"ended_early_at", TimeOrNull(g.ended_early_at)},
          {"ended_by", TextOrNull(v.ended_by_name)},
          {"reviewed_at", TimeOrNull(g.reviewed_at)},
          {"reviewed_by", TextOrNull(v.reviewed_by_name)},
          {"review_note", TextOrNull(g.review_note)},
          {"justified", g.justified ? json(*g.justified) : json(nullptr)}};
}

json ToJson(const app::JoinRequestView& v) {
  const auto& q = v.request;
  return {{"id", q.id},
          {"child_id", q.child_id},
          {"child_name", v.child_name},
          {"user_id", q.user_id},
          {"user_name", v.user_name},
          {"user_job_title", v.user_job_title},
          {"user_agency", v.user_agency},
          {"role", q.role},
          {"reason", q.reason},
          {"created_at", FormatUtc(q.created_at)},
          {"status", domain::ToString(q.status)},
          {"automatic", q.automatic},
          {"decided_by", TextOrNull(v.decided_by_name)},
          {"decided_at", TimeOrNull(q.decided_at)},
          {"decision_reason", TextOrNull(q.decision_reason)},
          {"escalated_at", TimeOrNull(q.escalated_at)}};
}

const auto kEncode = [](const auto& value) { return ToJson(value); };

}  // namespace

void RegisterAccessApi(Router& router, AccessApiServices s, ApiOptions options) {
  // --- Joining a team ---
  router.Add("POST", "/api/v1/children/{id}/team", [s, options](const Request& q, const Params& a) {
    return WithBody(s.auth, options, q, [&](const app::Principal& p, const json& body) {
      ObjectReader in(body, "", {"role", "reason"});
      const std::string role = in.String("role", true, 100);
      const std::string reason = in.String("reason", true, 500);
      if (in.error()) return ErrorResponse(*in.error(), q.request_id);
      auto request = s.team.RequestJoin(p, a.at("id"), role, reason);
      const bool pending = request && request->request.status == domain::JoinRequestStatus::kPending;
      return Reply(q, request, pending ? 202 : 201, kEncode);
    });
  });
  router.Add("GET", "/api/v1/children/{id}/join-requests", [s, options](const Request& q, const Params& a) {
    return WithPrincipal(s.auth, options, q, [&](const app::Principal& p) {
      return Reply(q, s.team.JoinRequests(p, a.at("id")), 200, [](const auto& v) {
        return json{{"requests", ListJson(v, kEncode)}};
      });
    });
  });
  router.Add("POST", "/api/v1/children/{id}/join-requests/{request_id}/decision",
             [s, options](const Request& q, const Params& a) {
               return WithBody(s.auth, options, q, [&](const app::Principal& p, const json& body) {
                 ObjectReader in(body, "", {"approve", "reason"});
                 const auto approve = in.OptionalBool("approve");
                 if (!approve && !in.error()) in.Fail("approve", "Say whether you approve (true) or decline (false).");
                 const std::string reason = in.String("reason", true, 500);
                 if (in.error()) return ErrorResponse(*in.error(), q.request_id);
                 return Reply(q, s.team.DecideJoin(p, a.at("id"), a.at("request_id"), *approve, reason), 200, kEncode);
               });
             });
  router.Add("POST", "/api/v1/children/{id}/join-requests/{request_id}/withdraw",
             [s, options](const Request& q, const Params& a) {
               return WithBody(s.auth, options, q, [&](const app::Principal& p, const json& body) {
                 ObjectReader in(body, "", {});
                 if (in.error()) return ErrorResponse(*in.error(), q.request_id);
                 return Reply(q, s.team.WithdrawJoin(p, a.at("id"), a.at("request_id")), 200, kEncode);
               });
             });
  router.Add("GET", "/api/v1/join-requests", [s, options](const Request& q, const Params&) {
    return WithPrincipal(s.auth, options, q, [&](const app::Principal& p) {
      return Reply(q, s.team.Inbox(p), 200, [](const app::JoinRequestInbox& v) {
        return json{{"to_decide", ListJson(v.to_decide, kEncode)}, {"mine", ListJson(v.mine, kEncode)}};
      });
    });
  });
  router.Add("POST", "/api/v1/children/{id}/team/leave", [s, options](const Request& q, const Params& a) {
    return WithBody(s.auth, options, q, [&](const app::Principal& p, const json& body) {
      ObjectReader in(body, "", {"reason"});
      const std::string reason = in.String("reason", true, 500);
      if (in.error()) return ErrorResponse(*in.error(), q.request_id);
      auto done = s.team.Leave(p, a.at("id"), reason);
      return done ? NoContentResponse() : ErrorResponse(done.error(), q.request_id);
    });
  });
  router.Add("POST", "/api/v1/children/{id}/lead", [s, options](const Request& q, const Params& a) {
    return WithBody(s.auth, options, q, [&](const app::Principal& p, const json& body) {
      ObjectReader in(body, "", {"user_id", "reason"});
      const std::string to = in.String("user_id", true, 64);
      const std::string reason = in.String("reason", true, 500);
      if (in.error()) return ErrorResponse(*in.error(), q.request_id);
      if (auto done = s.team.ChangeLead(p, a.at("id"), to, reason); !done) {
        return ErrorResponse(done.error(), q.request_id);
      }
      return Reply(q, s.children.Account(p, a.at("id")), 200, [](const auto& v) { return ToJson(v); });
    });
  });

  // --- Break-glass ---
  router.Add("POST", "/api/v1/children/{id}/break-glass", [s, options](const Request& q, const Params& a) {
    return WithBody(s.auth, options, q, [&](const app::Principal& p, const json& body) {
      ObjectReader in(body, "", {"reason_code", "reason", "duration_hours", "password", "code"});
      app::BreakGlassRequest r;
      r.reason_code = in.String("reason_code", true, 40);
      r.reason = in.String("reason", true, 500);
      if (in.Has("duration_hours")) r.duration_hours = in.Int("duration_hours");
      r.password = in.OptionalString("password", 128);
      r.code = in.OptionalString("code", 16);
      if (in.error()) return ErrorResponse(*in.error(), q.request_id);
      return Reply(q, s.break_glass.Break(p, a.at("id"), r), 201, kEncode);
    });
  });
  router.Add("GET", "/api/v1/break-glass", [s, options](const Request& q, const Params&) {
    return WithPrincipal(s.auth, options, q, [&](const app::Principal& p) {
      return Reply(q, s.break_glass.ForReview(p), 200, [](const auto& v) {
        return json{{"break_glass", ListJson(v, kEncode)}};
      });
    });
  });
  router.Add("POST", "/api/v1/break-glass/{id}/review", [s, options](const Request& q, const Params& a) {
    return WithBody(s.auth, options, q, [&](const app::Principal& p, const json& body) {
      ObjectReader in(body, "", {"justified", "note", "end"});
      const auto justified = in.OptionalBool("justified");
      const std::string note = in.String("note", true, 500);
      const bool end = in.Bool("end", false);
      if (in.error()) return ErrorResponse(*in.error(), q.request_id);
      return Reply(q, s.break_glass.Review(p, a.at("id"), justified, note, end), 200, kEncode);
    });
  });
}

}  // namespace kith::http
