#include "http/early_help_api.h"

#include "http/family_api.h"
#include "http/handlers.h"

namespace kith::http {
namespace {

namespace eh = domain::early_help;
using app::Principal;

constexpr size_t kMaxText = 40'000;  // bytes; the domain counts characters within this

json OrNull(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }
json OrNull(const std::optional<TimePoint>& t) { return t ? json(FormatUtc(*t)) : json(nullptr); }

// --- Encodings -----------------------------------------------------------------------------------

json ToJson(const eh::Content& c) {
  json elements = json::array();
  for (const auto& e : c.elements) {
    elements.push_back(
        {{"code", e.code}, {"strengths", e.strengths}, {"needs", e.needs}, {"family_view", e.family_view}});
  }
  json needs = json::array();
  for (const auto& n : c.agreed_needs) needs.push_back({{"id", n.id}, {"text", n.text}});
  return {{"consent",
           {{"given_by", c.consent.given_by},
            {"given_on", c.consent.given_on ? json(c.consent.given_on->ToString()) : json(nullptr)},
            {"lawful_basis", c.consent.lawful_basis}}},
          {"elements", elements},
          {"child_view", c.child_view},
          {"parents_view", c.parents_view},
          {"conclusion", c.conclusion},
          {"agreed_needs", needs}};
}

json ToJson(const app::AssessmentView& v) {
  const auto& a = v.assessment;
  auto person = [&](const std::string& id) -> json {
    if (id.empty()) return nullptr;
    auto it = v.names.find(id);
    return {{"user_id", id}, {"name", it == v.names.end() ? "" : it->second}};
  };
  json versions = json::array();
  for (const auto& x : a.versions) {
    versions.push_back({{"number", x.number},
                        {"locked", x.locked},
                        {"created_at", FormatUtc(x.created_at)},
                        {"created_by", person(x.created_by)},
                        {"completed_at", OrNull(x.completed_at)},
                        {"completed_by", person(x.completed_by)},
                        {"content", ToJson(x.content)}});
  }
  json leads = json::array();
  for (const auto& l : a.lead_history) {
    leads.push_back({{"lead", person(l.user_id)}, {"by", person(l.by)}, {"reason", l.reason}, {"at", FormatUtc(l.at)}});
  }
  json meetings = json::array();
  for (const auto& m : a.meetings) {
    meetings.push_back({{"id", m.id},
                        {"held_on", m.held_on.ToString()},
                        {"attendees", m.attendees},
                        {"decisions", m.decisions},
                        {"recorded_by", person(m.recorded_by)},
                        {"recorded_at", FormatUtc(m.recorded_at)}});
  }
  json actions = json::array();
  for (const auto& x : a.actions) {
    const bool overdue =
        std::find(v.overdue_action_ids.begin(), v.overdue_action_ids.end(), x.id) != v.overdue_action_ids.end();
    actions.push_back({{"id", x.id},
                       {"description", x.description},
                       {"owner", person(x.owner_id)},
                       {"due_on", x.due_on.ToString()},
                       {"status", eh::ToString(x.status)},
                       {"overdue", overdue},
                       {"need_id", OrNull(x.need_id)},
                       {"meeting_id", OrNull(x.meeting_id)},
                       {"updated_at", FormatUtc(x.updated_at)}});
  }
  json reviews = json::array();
  for (const auto& r : a.reviews) {
    json progress = json::array();
    for (const auto& p : r.progress) {
      progress.push_back({{"need_id", p.need_id}, {"progress", eh::ToString(p.progress)}, {"note", p.note}});
    }
    reviews.push_back({{"id", r.id},
                       {"held_on", r.held_on.ToString()},
                       {"version_reviewed", r.version_reviewed},
                       {"progress", progress},
                       {"summary", r.summary},
                       {"recorded_by", person(r.recorded_by)},
                       {"recorded_at", FormatUtc(r.recorded_at)}});
  }
  return {{"id", a.id},
          {"child_id", a.child_id},
          {"stage", eh::ToString(a.stage)},
          {"revision", a.revision},
          {"lead_professional", person(a.lead_id)},
          {"lead_history", leads},
          {"opened_at", FormatUtc(a.opened_at)},
          {"opened_by", person(a.opened_by)},
          {"closed_at", OrNull(a.closed_at)},
          {"closed_by", person(a.closed_by)},
          {"outcome", a.outcome ? json(eh::ToString(*a.outcome)) : json(nullptr)},
          {"outcome_label", a.outcome ? json(eh::Label(*a.outcome)) : json(nullptr)},
          {"closure_summary", a.closure_summary},
          {"versions", versions},
          {"meetings", meetings},
          {"actions", actions},
          {"reviews", reviews},
          {"family_visibility", VisibilityJson(v.family_visibility)}};
}

json ElementsJson() {
  json out = json::array();
  for (const auto& e : eh::Elements()) {
    out.push_back({{"code", e.code}, {"domain", e.domain}, {"domain_label", e.domain_label}, {"label", e.label}});
  }
  return out;
}

// --- Decoding ------------------------------------------------------------------------------------

// The content of an assessment from {"consent", "elements", "child_view", "parents_view",
// "conclusion", "agreed_needs"}; every part optional (a draft may be nearly empty).
eh::Content ContentFrom(const json& body, ObjectReader& outer) {
  eh::Content c;
  ObjectReader in(body, outer.Path("content"),
                  {"consent", "elements", "child_view", "parents_view", "conclusion", "agreed_needs"});
  if (in.Has("consent")) {
    ObjectReader consent(body.at("consent"), in.Path("consent"), {"given_by", "given_on", "lawful_basis"});
    c.consent.given_by = consent.String("given_by", false, kMaxText);
    c.consent.given_on = consent.DateValue("given_on");
    c.consent.lawful_basis = consent.String("lawful_basis", false, kMaxText);
    if (consent.error()) outer.Fail("content", consent.error()->message + " (" + consent.error()->field + ")");
  }
  for (const auto& item : in.Array("elements", eh::Elements().size() * 2)) {
    ObjectReader e(item, in.Path("elements"), {"code", "strengths", "needs", "family_view"});
    c.elements.push_back({e.String("code", true, 60), e.String("strengths", false, kMaxText),
                          e.String("needs", false, kMaxText), e.String("family_view", false, kMaxText)});
    if (e.error()) {
      outer.Fail("content", e.error()->message + " (" + e.error()->field + ")");
      break;
    }
  }
  c.child_view = in.String("child_view", false, kMaxText);
  c.parents_view = in.String("parents_view", false, kMaxText);
  c.conclusion = in.String("conclusion", false, kMaxText);
  for (const auto& item : in.Array("agreed_needs", eh::kMaxNeeds)) {
    ObjectReader n(item, in.Path("agreed_needs"), {"id", "text"});
    c.agreed_needs.push_back({n.String("id", false, 20), n.String("text", true, 2000)});
    if (n.error()) {
      outer.Fail("content", n.error()->message + " (" + n.error()->field + ")");
      break;
    }
  }
  if (in.error()) outer.Fail("content", in.error()->message + " (" + in.error()->field + ")");
  return c;
}

std::optional<int64_t> RevisionFrom(ObjectReader& in) {
  if (!in.Has("revision")) return std::nullopt;
  return in.Int("revision");
}

app::NewAction ActionFrom(const json& item, const std::string& path, ObjectReader& outer) {
  ObjectReader in(item, path, {"description", "owner_id", "due_on", "need_id"});
  app::NewAction a{in.String("description", true, 2000), in.String("owner_id", true, 100),
                   in.DateValue("due_on", true).value_or(Date{}), in.String("need_id", false, 20)};
  if (in.error()) outer.Fail(path, in.error()->message + " (" + in.error()->field + ")");
  return a;
}

class EarlyHelpApi {
 public:
  EarlyHelpApi(EarlyHelpApiServices s, ApiOptions o) : s_(s), o_(o) {}

  void Register(Router& r) const {
    const EarlyHelpApiServices s = s_;
    const ApiOptions o = o_;
    auto reply = [](const Request& q, const Result<app::AssessmentView>& v, int status) {
      return Reply(q, v, status, [](const auto& x) { return ToJson(x); });
    };
    r.Add("GET", "/api/v1/children/{id}/early-help", [s, o](const Request& q, const Params& a) {
      return WithPrincipal(s.auth, o, q, [&](const Principal& p) {
        return Reply(q, s.early_help.List(p, a.at("id")), 200, [](const auto& v) {
          return json{{"assessments", ListJson(v, [](const auto& x) { return ToJson(x); })},
                      {"elements", ElementsJson()}};
        });
      });
    });
    r.Add("POST", "/api/v1/children/{id}/early-help", [s, o, reply](const Request& q, const Params& a) {
      return WithBody(s.auth, o, q, [&](const Principal& p, const json& body) {
        ObjectReader in(body, "", {"content", "lead_user_id"});
        eh::Content content;
        if (in.Has("content")) content = ContentFrom(body.at("content"), in);
        const std::string lead = in.String("lead_user_id", false, 100);
        if (in.error()) return ErrorResponse(*in.error(), q.request_id);
        return reply(q, s.early_help.Start(p, a.at("id"), std::move(content), lead), 201);
      });
    });
    r.Add("GET", "/api/v1/children/{id}/early-help/{assessment_id}", [s, o, reply](const Request& q, const Params& a) {
      return WithPrincipal(s.auth, o, q, [&](const Principal& p) {
        return reply(q, s.early_help.Get(p, a.at("id"), a.at("assessment_id")), 200);
      });
    });
    r.Add("PUT", "/api/v1/children/{id}/early-help/{assessment_id}/draft",
          [s, o, reply](const Request& q, const Params& a) {
            return WithBody(s.auth, o, q, [&](const Principal& p, const json& body) {
              ObjectReader in(body, "", {"revision", "content"});
              const auto revision = RevisionFrom(in);
              if (!in.Has("content")) in.Fail("content", "This field is required.");
              eh::Content content;
              if (!in.error()) content = ContentFrom(body.at("content"), in);
              if (in.error()) return ErrorResponse(*in.error(), q.request_id);
              return reply(
                  q, s.early_help.EditDraft(p, a.at("id"), a.at("assessment_id"), revision, std::move(content)), 200);
            });
          });
    // Acts that take only the optional revision.
    using Act = Result<app::AssessmentView> (app::EarlyHelpService::*)(const Principal&, const std::string&,
                                                                       const std::string&, std::optional<int64_t>);
    auto revision_only = [s, o, reply](Act act, int status) {
      return [s, o, reply, act, status](const Request& q, const Params& a) {
        return WithBody(s.auth, o, q, [&](const Principal& p, const json& body) {
          ObjectReader in(body, "", {"revision"});
          const auto revision = RevisionFrom(in);
          if (in.error()) return ErrorResponse(*in.error(), q.request_id);
          return reply(q, (s.early_help.*act)(p, a.at("id"), a.at("assessment_id"), revision), status);
        });
      };
    };
    r.Add("POST", "/api/v1/children/{id}/early-help/{assessment_id}/complete",
          revision_only(&app::EarlyHelpService::Complete, 200));
    r.Add("POST", "/api/v1/children/{id}/early-help/{assessment_id}/versions",
          revision_only(&app::EarlyHelpService::NewVersion, 201));
    r.Add("POST", "/api/v1/children/{id}/early-help/{assessment_id}/meetings",
          [s, o, reply](const Request& q, const Params& a) {
            return WithBody(s.auth, o, q, [&](const Principal& p, const json& body) {
              ObjectReader in(body, "", {"revision", "held_on", "attendees", "decisions", "actions"});
              const auto revision = RevisionFrom(in);
              app::NewMeeting m;
              m.held_on = in.DateValue("held_on", true).value_or(Date{});
              for (const auto& x : in.Array("attendees", eh::kMaxAttendees)) {
                if (!x.is_string()) {
                  in.Fail("attendees", "Expected a list of names.");
                  break;
                }
                m.attendees.push_back(x.get<std::string>());
              }
              m.decisions = in.String("decisions", true, kMaxText);
              for (const auto& x : in.Array("actions", 50)) m.actions.push_back(ActionFrom(x, "actions", in));
              if (in.error()) return ErrorResponse(*in.error(), q.request_id);
              return reply(q, s.early_help.HoldMeeting(p, a.at("id"), a.at("assessment_id"), revision, m), 201);
            });
          });
    r.Add("POST", "/api/v1/children/{id}/early-help/{assessment_id}/actions",
          [s, o, reply](const Request& q, const Params& a) {
            return WithBody(s.auth, o, q, [&](const Principal& p, const json& body) {
              ObjectReader in(body, "", {"revision", "description", "owner_id", "due_on", "need_id"});
              const auto revision = RevisionFrom(in);
              if (in.error()) return ErrorResponse(*in.error(), q.request_id);
              json fields = body;
              fields.erase("revision");
              const auto action = ActionFrom(fields, "", in);
              if (in.error()) return ErrorResponse(*in.error(), q.request_id);
              return reply(q, s.early_help.AddAction(p, a.at("id"), a.at("assessment_id"), revision, action), 201);
            });
          });
    r.Add("PUT", "/api/v1/children/{id}/early-help/{assessment_id}/actions/{action_id}/status",
          [s, o, reply](const Request& q, const Params& a) {
            return WithBody(s.auth, o, q, [&](const Principal& p, const json& body) {
              ObjectReader in(body, "", {"revision", "status"});
              const auto revision = RevisionFrom(in);
              const std::string code = in.String("status", true, 20);
              const auto status = eh::ParseActionStatus(code);
              if (!in.error() && !status) in.Fail("status", "Expected not_started, in_progress, done or cancelled.");
              if (in.error()) return ErrorResponse(*in.error(), q.request_id);
              return reply(q,
                           s.early_help.SetActionStatus(p, a.at("id"), a.at("assessment_id"), a.at("action_id"),
                                                        revision, *status),
                           200);
            });
          });
    r.Add("POST", "/api/v1/children/{id}/early-help/{assessment_id}/reviews",
          [s, o, reply](const Request& q, const Params& a) {
            return WithBody(s.auth, o, q, [&](const Principal& p, const json& body) {
              ObjectReader in(body, "", {"revision", "held_on", "progress", "summary"});
              const auto revision = RevisionFrom(in);
              app::NewReview review;
              review.held_on = in.DateValue("held_on", true).value_or(Date{});
              for (const auto& x : in.Array("progress", eh::kMaxNeeds)) {
                ObjectReader pr(x, "progress", {"need_id", "progress", "note"});
                const std::string need = pr.String("need_id", true, 20);
                const std::string code = pr.String("progress", true, 20);
                const std::string note = pr.String("note", false, kMaxText);
                const auto progress = eh::ParseProgress(code);
                if (!pr.error() && !progress) pr.Fail("progress", "Expected worse, no_change, some_progress or met.");
                if (pr.error()) {
                  in.Fail("progress", pr.error()->message + " (" + pr.error()->field + ")");
                  break;
                }
                review.progress.push_back({need, *progress, note});
              }
              review.summary = in.String("summary", false, kMaxText);
              if (in.error()) return ErrorResponse(*in.error(), q.request_id);
              return reply(q, s.early_help.RecordReview(p, a.at("id"), a.at("assessment_id"), revision, review), 201);
            });
          });
    r.Add("POST", "/api/v1/children/{id}/early-help/{assessment_id}/close",
          [s, o, reply](const Request& q, const Params& a) {
            return WithBody(s.auth, o, q, [&](const Principal& p, const json& body) {
              ObjectReader in(body, "", {"revision", "outcome", "summary"});
              const auto revision = RevisionFrom(in);
              const auto outcome = eh::ParseOutcome(in.String("outcome", true, 20));
              if (!in.error() && !outcome) {
                in.Fail("outcome", "Expected needs_met, stepped_up, stepped_down or moved_away.");
              }
              const std::string summary = in.String("summary", true, kMaxText);
              if (in.error()) return ErrorResponse(*in.error(), q.request_id);
              return reply(q, s.early_help.Close(p, a.at("id"), a.at("assessment_id"), revision, *outcome, summary),
                           200);
            });
          });
    r.Add("POST", "/api/v1/children/{id}/early-help/{assessment_id}/lead",
          [s, o, reply](const Request& q, const Params& a) {
            return WithBody(s.auth, o, q, [&](const Principal& p, const json& body) {
              ObjectReader in(body, "", {"user_id", "reason"});
              const std::string user = in.String("user_id", true, 100);
              const std::string reason = in.String("reason", true, 2000);
              if (in.error()) return ErrorResponse(*in.error(), q.request_id);
              return reply(q, s.early_help.HandOver(p, a.at("id"), a.at("assessment_id"), user, reason), 200);
            });
          });
  }

 private:
  EarlyHelpApiServices s_;
  ApiOptions o_;
};

}  // namespace

nlohmann::json EarlyHelpContentJson(const domain::early_help::Content& content) { return ToJson(content); }
nlohmann::json EarlyHelpAssessmentJson(const app::AssessmentView& view) { return ToJson(view); }

void RegisterEarlyHelpApi(Router& router, EarlyHelpApiServices services, ApiOptions options) {
  EarlyHelpApi(services, options).Register(router);
}

}  // namespace kith::http
