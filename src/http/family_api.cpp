#include "http/family_api.h"

#include <fmt/format.h>

#include <algorithm>

#include "domain/account/uk_time.h"
#include "http/early_help_api.h"
#include "http/handlers.h"

namespace kith::http {

json VisibilityJson(const std::optional<storage::VisibilityRow>& row) {
  if (!row) {
    return {{"visibility", "team"}, {"restriction_reason", nullptr}, {"restriction_text", ""}, {"review", "none"}};
  }
  const auto& r = row->record;
  return {{"visibility", domain::ToString(r.visibility)},
          {"restriction_reason", r.reason ? json(domain::ToString(*r.reason)) : json(nullptr)},
          {"restriction_text", r.reason_text},
          {"review", domain::ToString(r.review)}};
}

std::optional<domain::VisibilityChoice> ReadVisibilityChoice(ObjectReader& in) {
  auto v = in.OptionalString("visibility", 20);
  auto reason = in.OptionalString("restriction_reason", 30);
  const std::string text = in.String("restriction_text", false, 4000);
  if (!v) {
    if (reason || !text.empty()) in.Fail("visibility", "Say the visibility (team) when giving a restriction reason.");
    return std::nullopt;
  }
  domain::VisibilityChoice choice;
  if (auto parsed = domain::ParseVisibility(*v)) {
    choice.visibility = *parsed;
  } else {
    in.Fail("visibility", "Expected team or team_and_family.");
  }
  if (reason) {
    choice.reason = domain::ParseRestrictionReason(*reason);
    if (!choice.reason)
      in.Fail("restriction_reason", "Expected risk_of_harm, third_party, police_investigation or other.");
  }
  choice.reason_text = text;
  return choice;
}

namespace {

using app::Principal;

json OrNull(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }
json OrNull(const std::optional<TimePoint>& t) { return t ? json(FormatUtc(*t)) : json(nullptr); }

json ToJson(const app::InvitationView& v) {
  const auto& i = v.invitation;
  json out = {{"id", i.id},
              {"child_id", i.child_id},
              {"relation", domain::ToString(i.relation)},
              {"name", i.name},
              {"wheel_person_id", OrNull(i.wheel_person_id)},
              {"invited_by_name", v.invited_by_name},
              {"created_at", FormatUtc(i.created_at)},
              {"expires_at", FormatUtc(i.expires_at)},
              {"redeemed_at", OrNull(i.redeemed_at)},
              {"failed_checks", i.failed_checks},
              {"status", v.status}};
  if (!v.code.empty()) out["code"] = v.code;
  return out;
}

json ToJson(const app::FamilyMemberView& m) {
  return {{"user_id", m.user_id},
          {"display_name", m.display_name},
          {"username", m.username},
          {"relation", domain::ToString(m.relation)},
          {"active", m.active},
          {"second_factor", m.second_factor},
          {"linked_at", FormatUtc(m.linked_at)}};
}

json ToJson(const storage::VisibilityRow& row) {
  json out = VisibilityJson(row);
  out["subject_id"] = row.subject_id;
  out["subject_kind"] = row.subject_kind;
  out["set_at"] = FormatUtc(row.set_at);
  out["reviewed_at"] = OrNull(row.reviewed_at);
  return out;
}

json ToJson(const app::RestrictionView& v) {
  json out = ToJson(v.row);
  out["title"] = v.title;
  out["set_by_name"] = v.set_by_name;
  out["reviewed_by_name"] = OrNull(v.reviewed_by_name);
  out["restricting_agency_name"] = v.restricting_agency_name;
  out["recording_agency_name"] = v.recording_agency_name;
  out["agreement_needed"] = v.agreement_needed;
  out["release_pending"] = v.release_pending;
  return out;
}

json ToJson(const app::ReleaseView& v) {
  const auto& q = v.request;
  json out = {{"id", q.id},
          {"request_id", q.request_id},
          {"subject_id", q.subject_id},
          {"subject_kind", v.subject_kind},
          {"title", v.title},
          {"agency_name", v.agency_name},
          {"agency_on_team", v.agency_on_team},
          {"requested_by_name", v.requested_by_name},
          {"requested_at", FormatUtc(q.requested_at)},
          {"reason", q.reason},
          {"status", domain::ToString(q.status)},
          {"request_status", domain::ToString(v.request_status)},
          {"decided_by_name", OrNull(v.decided_by_name)},
          {"decided_at", OrNull(q.decided_at)},
          {"decision_reason", OrNull(q.decision_reason)},
          {"may_decide", v.may_decide}};
  if (!v.told.empty()) out["told"] = v.told;
  return out;
}

json ToJson(const app::ReleaseOutcome& o) {
  return {{"released", o.released},
          {"visibility", ToJson(o.row)},
          {"requests", ListJson(o.requests, [](const auto& v) { return ToJson(v); })}};
}

json ToJson(const app::FamilyEntryView& v) {
  const auto& e = v.entry;
  return {{"id", e.id},
          {"child_id", e.child_id},
          {"kind", domain::ToString(e.kind)},
          {"about_entry_id", OrNull(e.about_entry_id)},
          {"about_kind", OrNull(v.about_kind)},
          {"text", e.text},
          {"author_name", v.author_name},
          {"relation", domain::ToString(v.relation)},
          {"created_at", FormatUtc(e.created_at)}};
}

// An entry as a family member sees it: what happened and who recorded it, nothing of the
// team's visibility decisions or ids of staff records.
json FamilyEntryJson(const app::EntryView& v) {
  const auto& e = v.stored.entry;
  return {{"id", e.id},
          {"lineage_id", e.lineage_id},
          {"occurred_on", e.occurred_on.ToString()},
          {"occurred_time", e.occurred_time
                                ? json(fmt::format("{:02}:{:02}", e.occurred_time->hour, e.occurred_time->minute))
                                : json(nullptr)},
          {"agency_name", v.agency_name},
          {"author_name", v.author_name},
          {"type", domain::ToString(e.type)},
          {"significance", domain::ToString(e.significance)},
          {"summary", e.summary},
          {"detail", e.detail},
          {"recorded_at", FormatUtc(e.recorded_at)},
          {"corrected", e.version > 1}};
}

json FamilyThreadJson(const app::ThreadDetail& d) {
  json posts = json::array();
  for (const auto& p : d.posts) {
    posts.push_back({{"id", p.post.id},
                     {"author_name", p.author_name},
                     {"body", p.post.body},
                     {"created_at", FormatUtc(p.post.created_at)},
                     {"edited_at", OrNull(p.post.edited_at)}});
  }
  const auto& t = d.thread.thread;
  return {{"id", t.id},
          {"category", t.category},
          {"title", t.title},
          {"author_name", d.thread.author_name},
          {"created_at", FormatUtc(t.created_at)},
          {"posts", posts}};
}

json ToJson(const app::FamilyChildSummary& c) {
  return {{"child_id", c.child_id}, {"name", c.name}, {"relation", domain::ToString(c.relation)}};
}

json ToJson(const app::FamilyAssessmentView& v) {
  namespace eh = domain::early_help;
  json meetings = json::array();
  for (const auto& m : v.meetings) meetings.push_back({{"held_on", m.held_on.ToString()}, {"decisions", m.decisions}});
  json actions = json::array();
  for (const auto& x : v.actions) {
    actions.push_back({{"description", x.description},
                       {"owner_name", x.owner_name},
                       {"owner_agency", x.owner_agency},
                       {"due_on", x.due_on.ToString()},
                       {"status", eh::ToString(x.status)},
                       {"overdue", x.overdue},
                       {"need_id", OrNull(x.need_id)}});
  }
  json reviews = json::array();
  for (const auto& r : v.reviews) {
    json progress = json::array();
    for (const auto& p : r.progress) {
      progress.push_back({{"need_id", p.need_id}, {"progress", eh::ToString(p.progress)}, {"note", p.note}});
    }
    reviews.push_back({{"held_on", r.held_on.ToString()}, {"progress", progress}, {"summary", r.summary}});
  }
  json labels = json::object();
  for (const auto& e : v.content.elements) {
    if (const auto* info = eh::FindElement(e.code)) labels[e.code] = info->label;
  }
  return {{"id", v.id},
          {"stage", eh::ToString(v.stage)},
          {"element_labels", labels},
          {"lead_professional_name", v.lead_name},
          {"version", v.version},
          {"completed_at", FormatUtc(v.completed_at)},
          {"content", EarlyHelpContentJson(v.content)},
          {"meetings", meetings},
          {"actions", actions},
          {"reviews", reviews},
          {"closed_at", OrNull(v.closed_at)},
          {"outcome", v.outcome ? json(eh::ToString(*v.outcome)) : json(nullptr)},
          {"outcome_label", v.outcome ? json(eh::Label(*v.outcome)) : json(nullptr)},
          {"closure_summary", v.closure_summary}};
}

json ToJson(const app::FamilyChildView& v) {
  json team = json::array();
  for (const auto& m : v.team) {
    team.push_back({{"name", m.name},
                    {"role", m.role},
                    {"agency_name", m.agency_name},
                    {"agency_phone", m.agency_phone},
                    {"agency_email", m.agency_email},
                    {"lead", m.lead}});
  }
  return {{"child", ToJson(v.child)},
          {"date_of_birth", v.date_of_birth ? json(v.date_of_birth->ToString()) : json(nullptr)},
          {"team", team},
          {"contact_through", v.contact_through.empty() ? json(nullptr) : json(v.contact_through)},
          {"entries", ListJson(v.entries, FamilyEntryJson)},
          {"threads", ListJson(v.threads, FamilyThreadJson)},
          {"my_entries", ListJson(v.my_entries, [](const auto& e) { return ToJson(e); })},
          {"early_help", ListJson(v.early_help, [](const auto& a) { return ToJson(a); })}};
}

json ToJson(const app::FamilyExport& x) {
  return {{"account_name", x.account_name},
          {"produced_at", FormatUtc(x.produced_at)},
          {"children", ListJson(x.children, [](const auto& c) { return ToJson(c); })}};
}

json ToJson(const app::FamilySettings& s) {
  json defaults = json::object();
  for (const auto& [type, v] : s.defaults) defaults[type] = domain::ToString(v);
  return {{"defaults", defaults}, {"fixed", s.fixed}, {"young_person_min_age", s.young_person_min_age}};
}

json ToJson(const app::SubjectAccessExport& x) {
  json entries = json::array();
  for (const auto& v : x.entries) {
    json e = FamilyEntryJson(v);
    e["version"] = v.stored.entry.version;
    e["correction_reason"] = OrNull(v.stored.entry.correction_reason);
    e["family_visibility"] = VisibilityJson(v.visibility);
    e["redaction_review"] = !domain::FamilyMaySee(v.visibility ? &v.visibility->record : nullptr);
    entries.push_back(std::move(e));
  }
  json threads = json::array();
  for (const auto& t : x.threads) {
    json j = FamilyThreadJson(t);
    j["family_visibility"] = VisibilityJson(t.thread.visibility);
    j["redaction_review"] = !domain::FamilyMaySee(t.thread.visibility ? &t.thread.visibility->record : nullptr);
    threads.push_back(std::move(j));
  }
  return {{"child",
           {{"id", x.child.id},
            {"name", x.child.FullName()},
            {"date_of_birth", x.child.date_of_birth ? json(x.child.date_of_birth->ToString()) : json(nullptr)}}},
          {"produced_at", FormatUtc(x.produced_at)},
          {"produced_by", x.produced_by},
          {"reason", x.reason},
          {"entries", entries},
          {"threads", threads},
          {"family_entries", ListJson(x.family_entries, [](const auto& e) { return ToJson(e); })},
          {"early_help", ListJson(x.assessments, [](const auto& a) {
             const auto* draft = a.view.assessment.Draft();
             // Shared unless restricted: with no row the family sees the version of record.
             return json{{"assessment", EarlyHelpAssessmentJson(a.view)},
                         {"draft_version", draft ? json(draft->number) : json(nullptr)},
                         {"family_visibility", a.visibility ? VisibilityJson(a.visibility)
                                                            : json{{"visibility", "team_and_family"},
                                                                   {"restriction_reason", nullptr},
                                                                   {"restriction_text", ""},
                                                                   {"review", "none"}}},
                         {"redaction_review", !a.family_may_see}};
           })}};
}

std::string_view KindLabel(const app::FamilyEntryView& v) {
  const bool assessment = v.about_kind == "assessment";
  switch (v.entry.kind) {
    case domain::FamilyEntryKind::kThoughts:
      return "My thoughts and feelings";
    case domain::FamilyEntryKind::kResponse:
      return assessment ? "My view on the early help assessment" : "My response to an entry";
    case domain::FamilyEntryKind::kDisagreement:
      return assessment ? "I disagree with part of the early help assessment" : "I disagree with this";
  }
  return "";
}

// The printable copy of a family member's download reads as plain English: dates as "13 April
// 2026" and times in UK local time saying GMT or BST, as the printable chronology does
// (domain/account/uk_time.h), never UTC stamps or codes.
using domain::LongDate;
using domain::UkDateTimeText;

// "in_progress" -> "in progress".
std::string PlainStatus(domain::early_help::ActionStatus status) {
  std::string text(domain::early_help::ToString(status));
  std::replace(text.begin(), text.end(), '_', ' ');
  return text;
}

// The early help assessments in the printable download, section by section in plain words.
std::string EarlyHelpHtml(const std::vector<app::FamilyAssessmentView>& assessments) {
  namespace eh = domain::early_help;
  std::string h;
  for (const auto& a : assessments) {
    const auto& c = a.content;
    h += "<h3>Early help assessment (version " + std::to_string(a.version) + ", completed " +
         UkDateTimeText(a.completed_at) + ")</h3>\n<p>Lead professional: " + HtmlEscape(a.lead_name) + "</p>\n";
    for (const auto& e : c.elements) {
      const auto* info = eh::FindElement(e.code);
      h += "<h4>" + HtmlEscape(info ? std::string(info->label) : e.code) +
           "</h4>\n<p>What is going well: " + HtmlEscape(e.strengths) +
           "</p>\n<p>What needs to change: " + HtmlEscape(e.needs) +
           "</p>\n<p>The family's view: " + HtmlEscape(e.family_view) + "</p>\n";
    }
    h += "<h4>Views and conclusion</h4>\n<p>The child's view: " + HtmlEscape(c.child_view) +
         "</p>\n<p>The parents' view: " + HtmlEscape(c.parents_view) +
         "</p>\n<p>Conclusion: " + HtmlEscape(c.conclusion) + "</p>\n<ul>\n";
    for (const auto& n : c.agreed_needs) h += "<li>" + HtmlEscape(n.id + ": " + n.text) + "</li>\n";
    h += "</ul>\n<h4>Meetings of the team around the child</h4>\n<ul>\n";
    for (const auto& m : a.meetings) h += "<li>" + LongDate(m.held_on) + ": " + HtmlEscape(m.decisions) + "</li>\n";
    h += "</ul>\n<h4>The plan</h4>\n<ul>\n";
    for (const auto& x : a.actions) {
      h += "<li>" + HtmlEscape(x.description) + " (" + HtmlEscape(x.owner_name) + ", " + HtmlEscape(x.owner_agency) +
           "; by " + LongDate(x.due_on) + "; " + PlainStatus(x.status) + ")</li>\n";
    }
    h += "</ul>\n<h4>Reviews</h4>\n<ul>\n";
    for (const auto& r : a.reviews) h += "<li>" + LongDate(r.held_on) + ": " + HtmlEscape(r.summary) + "</li>\n";
    h += "</ul>\n";
    if (a.outcome) {
      h += "<p>Closed: " + HtmlEscape(std::string(eh::Label(*a.outcome))) + ". " + HtmlEscape(a.closure_summary) +
           "</p>\n";
    }
  }
  return h;
}

// The printable copy of a family member's download: plain HTML, no script or inline style.
// What the family added comes first, as on their page.
std::string ExportHtml(const app::FamilyExport& x) {
  std::string h = "<!DOCTYPE html>\n<html lang=\"en-GB\"><head><meta charset=\"utf-8\"><title>What Kith holds: " +
                  HtmlEscape(x.account_name) + "</title></head><body>\n";
  h += "<h1>What Kith holds that you can see</h1>\n<p>Downloaded by " + HtmlEscape(x.account_name) + " on " +
       UkDateTimeText(x.produced_at) +
       ". Some records may be kept from families for safety reasons; you can ask the local authority about them "
       "through a subject access request.</p>\n";
  for (const auto& c : x.children) {
    h += "<h2>" + HtmlEscape(c.child.name) + "</h2>\n<h3>What you added</h3>\n";
    if (c.my_entries.empty()) {
      h += "<p>You have not added anything yet.</p>\n";
    } else {
      h += "<ul>\n";
      for (const auto& e : c.my_entries) {
        h += "<li><strong>" + std::string(KindLabel(e)) + "</strong>, " + UkDateTimeText(e.entry.created_at) + ": " +
             HtmlEscape(e.entry.text) + "</li>\n";
      }
      h += "</ul>\n";
    }
    h += "<h3>The team around " + HtmlEscape(c.child.name) + "</h3>\n<ul>\n";
    for (const auto& m : c.team) {
      h += "<li>" + HtmlEscape(m.name) + ", " + HtmlEscape(m.role) + (m.lead ? " (lead professional)" : "") + ", " +
           HtmlEscape(m.agency_name) + (m.agency_phone.empty() ? "" : ", " + HtmlEscape(m.agency_phone)) + "</li>\n";
    }
    h += "</ul>\n<h3>What the team has shared with you</h3>\n<table border=\"1\" cellpadding=\"4\">\n<thead><tr>"
         "<th>Date</th><th>Agency</th><th>What happened</th><th>Recorded by</th></tr></thead>\n<tbody>\n";
    for (auto it = c.entries.rbegin(); it != c.entries.rend(); ++it) {
      const auto& e = it->stored.entry;
      h += "<tr><td>" + LongDate(e.occurred_on) + "</td><td>" + HtmlEscape(it->agency_name) + "</td><td><strong>" +
           HtmlEscape(e.summary) + "</strong>" + (e.detail.empty() ? "" : "<br>" + HtmlEscape(e.detail)) + "</td><td>" +
           HtmlEscape(it->author_name) + "</td></tr>\n";
    }
    h += "</tbody></table>\n<h3>Discussions shared with you</h3>\n";
    for (const auto& t : c.threads) {
      h += "<h4>" + HtmlEscape(t.thread.thread.title) + "</h4>\n<ul>\n";
      for (const auto& p : t.posts) {
        h += "<li><strong>" + HtmlEscape(p.author_name) + "</strong>, " + UkDateTimeText(p.post.created_at) + ": " +
             HtmlEscape(p.post.body) + "</li>\n";
      }
      h += "</ul>\n";
    }
    h += EarlyHelpHtml(c.early_help);
  }
  h += "</body></html>\n";
  return h;
}

Result<app::Redemption> RedemptionFrom(const json& body, bool new_account) {
  ObjectReader in(body, "",
                  new_account ? std::initializer_list<std::string_view>{"code", "child_date_of_birth", "postcode",
                                                                        "username", "password", "display_name"}
                              : std::initializer_list<std::string_view>{"code", "child_date_of_birth", "postcode"});
  app::Redemption r;
  r.code = in.String("code", true, 40);
  r.child_date_of_birth = in.DateValue("child_date_of_birth", true).value_or(Date{});
  r.postcode = in.String("postcode", true, 10);
  if (new_account) {
    r.username = in.String("username", true, 64);
    r.password = in.String("password", true, 128);
    r.display_name = in.String("display_name", true, 200);
  }
  if (in.error()) return *in.error();
  return r;
}

class FamilyApi : public std::enable_shared_from_this<FamilyApi> {
 public:
  FamilyApi(FamilyApiServices s, ApiOptions o) : s_(s), o_(o) {}

  void Register(Router& r) {
    auto keep = shared_from_this();
    auto& family = s_.family;
    const auto one = [](const auto& v) { return ToJson(v); };
    // --- The team's side
    r.Add("POST", "/api/v1/children/{id}/family/invitations",
          [this, keep, &family, one](const Request& q, const Params& a) {
            return WithBody(q, [&](const Principal& p, const json& body) {
              ObjectReader in(body, "", {"relation", "name", "wheel_person_id"});
              app::NewInvitation n;
              const std::string relation = in.String("relation", true, 20);
              if (auto rel = domain::ParseFamilyRelation(relation)) {
                n.relation = *rel;
              } else if (!in.error()) {
                in.Fail("relation", "Expected parent_carer or young_person.");
              }
              n.name = in.String("name", false, 1000);
              n.wheel_person_id = in.String("wheel_person_id", false, 64);
              if (in.error()) return ErrorResponse(*in.error(), q.request_id);
              return Reply(q, family.Invite(p, a.at("id"), n), 201, one);
            });
          });
    r.Add("GET", "/api/v1/children/{id}/family/invitations",
          [this, keep, &family, one](const Request& q, const Params& a) {
            return WithPrincipal(q, [&](const Principal& p) {
              return Reply(q, family.Invitations(p, a.at("id")), 200, [&](const auto& v) {
                return json{{"invitations", ListJson(v, one)}};
              });
            });
          });
    r.Add("POST", "/api/v1/children/{id}/family/invitations/{invitation_id}/cancel",
          [this, keep, &family, one](const Request& q, const Params& a) {
            return WithPrincipal(q, [&](const Principal& p) {
              return Reply(q, family.CancelInvitation(p, a.at("id"), a.at("invitation_id")), 200, one);
            });
          });
    r.Add("GET", "/api/v1/children/{id}/family/members", [this, keep, &family, one](const Request& q, const Params& a) {
      return WithPrincipal(q, [&](const Principal& p) {
        return Reply(q, family.Members(p, a.at("id")), 200, [&](const auto& v) {
          return json{{"members", ListJson(v, one)}};
        });
      });
    });
    const auto set_active = [this, keep, &family, one](bool active) {
      return [this, keep, &family, one, active](const Request& q, const Params& a) {
        return WithBody(q, [&](const Principal& p, const json& body) {
          ObjectReader in(body, "", {"reason"});
          const std::string reason = in.String("reason", true, 4000);
          if (in.error()) return ErrorResponse(*in.error(), q.request_id);
          return Reply(q, family.SetMemberActive(p, a.at("id"), a.at("user_id"), active, reason), 200, one);
        });
      };
    };
    r.Add("POST", "/api/v1/children/{id}/family/members/{user_id}/suspend", set_active(false));
    r.Add("POST", "/api/v1/children/{id}/family/members/{user_id}/reinstate", set_active(true));
    r.Add("GET", "/api/v1/children/{id}/family/entries", [this, keep, &family, one](const Request& q, const Params& a) {
      return WithPrincipal(q, [&](const Principal& p) {
        return Reply(q, family.FamilyEntries(p, a.at("id")), 200, [&](const auto& v) {
          return json{{"entries", ListJson(v, one)}};
        });
      });
    });
    r.Add("PUT", "/api/v1/children/{id}/visibility/{subject_id}",
          [this, keep, &family, one](const Request& q, const Params& a) {
            return WithBody(q, [&](const Principal& p, const json& body) {
              ObjectReader in(body, "", {"visibility", "restriction_reason", "restriction_text"});
              auto choice = ReadVisibilityChoice(in);
              if (!choice && !in.error()) in.Fail("visibility", "This field is required.");
              if (in.error()) return ErrorResponse(*in.error(), q.request_id);
              return Reply(q, family.SetVisibility(p, a.at("id"), a.at("subject_id"), *choice), 200, one);
            });
          });
    r.Add("GET", "/api/v1/children/{id}/restrictions", [this, keep, &family, one](const Request& q, const Params& a) {
      return WithPrincipal(q, [&](const Principal& p) {
        return Reply(q, family.Restrictions(p, a.at("id")), 200, [&](const auto& v) {
          return json{{"restrictions", ListJson(v, one)}};
        });
      });
    });
    r.Add("POST", "/api/v1/children/{id}/restrictions/{subject_id}/review",
          [this, keep, &family, one](const Request& q, const Params& a) {
            return WithBody(q, [&](const Principal& p, const json& body) {
              ObjectReader in(body, "", {"decision", "note"});
              const std::string decision = in.String("decision", true, 10);
              const std::string note = in.String("note", false, 4000);
              if (!in.error() && decision == "lift") {
                in.Fail("decision",
                        "Sharing a restricted entry with the family needs a reason and the agreement of the agency "
                        "that restricted it: use POST /api/v1/children/{id}/visibility/{subject_id}/release.");
              } else if (!in.error() && decision != "confirm") {
                in.Fail("decision", "Expected confirm.");
              }
              if (in.error()) return ErrorResponse(*in.error(), q.request_id);
              return Reply(q, family.Confirm(p, a.at("id"), a.at("subject_id"), note), 200, one);
            });
          });
    r.Add("POST", "/api/v1/children/{id}/visibility/{subject_id}/release",
          [this, keep, &family, one](const Request& q, const Params& a) {
            return WithBody(q, [&](const Principal& p, const json& body) {
              ObjectReader in(body, "", {"reason"});
              const std::string reason = in.String("reason", true, 4000);
              if (in.error()) return ErrorResponse(*in.error(), q.request_id);
              return Reply(q, family.Release(p, a.at("id"), a.at("subject_id"), reason), 200, one);
            });
          });
    r.Add("POST", "/api/v1/children/{id}/visibility/{subject_id}/release/decision",
          [this, keep, &family, one](const Request& q, const Params& a) {
            return WithBody(q, [&](const Principal& p, const json& body) {
              ObjectReader in(body, "", {"decision", "reason"});
              const std::string decision = in.String("decision", true, 10);
              const std::string reason = in.String("reason", true, 4000);
              if (!in.error() && decision != "agree" && decision != "decline") {
                in.Fail("decision", "Choose agree or decline.");
              }
              if (in.error()) return ErrorResponse(*in.error(), q.request_id);
              return Reply(q, family.DecideRelease(p, a.at("id"), a.at("subject_id"), decision == "agree", reason), 200,
                           one);
            });
          });
    r.Add("GET", "/api/v1/children/{id}/family/releases",
          [this, keep, &family, one](const Request& q, const Params& a) {
            return WithPrincipal(q, [&](const Principal& p) {
              return Reply(q, family.Releases(p, a.at("id")), 200, [&](const auto& v) {
                return json{{"releases", ListJson(v, one)}};
              });
            });
          });
    r.Add("POST", "/api/v1/children/{id}/subject-access",
          [this, keep, &family, one](const Request& q, const Params& a) {
            return WithBody(q, [&](const Principal& p, const json& body) {
              ObjectReader in(body, "", {"reason"});
              const std::string reason = in.String("reason", true, 4000);
              if (in.error()) return ErrorResponse(*in.error(), q.request_id);
              return Reply(q, family.SubjectAccess(p, a.at("id"), reason), 200, one);
            });
          });
    // --- Administrators
    r.Add("GET", "/api/v1/authority/family-settings", [this, keep, &family, one](const Request& q, const Params&) {
      return WithPrincipal(q, [&](const Principal& p) { return Reply(q, family.Settings(p), 200, one); });
    });
    r.Add("PUT", "/api/v1/authority/family-settings", [this, keep, &family, one](const Request& q, const Params&) {
      return WithBody(q, [&](const Principal& p, const json& body) {
        ObjectReader in(body, "", {"defaults", "young_person_min_age"});
        std::vector<std::pair<std::string, domain::Visibility>> defaults;
        if (in.Has("defaults")) {
          const json& d = body.at("defaults");
          if (!d.is_object() || d.size() > 40) {
            in.Fail("defaults", "Expected an object of subject type to visibility.");
          } else {
            for (const auto& [type, value] : d.items()) {
              auto v = value.is_string() ? domain::ParseVisibility(value.get<std::string>()) : std::nullopt;
              if (!v) {
                in.Fail("defaults." + type, "Expected team or team_and_family.");
                break;
              }
              defaults.emplace_back(type, *v);
            }
          }
        }
        std::optional<int> age;
        if (in.Has("young_person_min_age")) age = static_cast<int>(in.Int("young_person_min_age"));
        if (in.error()) return ErrorResponse(*in.error(), q.request_id);
        return Reply(q, family.UpdateSettings(p, defaults, age), 200, one);
      });
    });
    // --- Families
    r.Add("POST", "/api/v1/family/redeem", [this, keep, &family, one](const Request& q, const Params&) {
      auto body = ParseObject(q.body);
      if (!body) return ErrorResponse(body.error(), q.request_id);
      auto redemption = RedemptionFrom(*body, true);
      if (!redemption) return ErrorResponse(redemption.error(), q.request_id);
      return Reply(q, family.Redeem(*redemption, q.client), 201, one);
    });
    r.Add("POST", "/api/v1/family/links", [this, keep, &family, one](const Request& q, const Params&) {
      return WithBody(q, [&](const Principal& p, const json& body) {
        auto redemption = RedemptionFrom(body, false);
        if (!redemption) return ErrorResponse(redemption.error(), q.request_id);
        return Reply(q, family.AddLink(p, *redemption), 201, one);
      });
    });
    r.Add("GET", "/api/v1/family/children", [this, keep, &family, one](const Request& q, const Params&) {
      return WithPrincipal(q, [&](const Principal& p) {
        return Reply(q, family.Children(p), 200, [&](const auto& v) { return json{{"children", ListJson(v, one)}}; });
      });
    });
    r.Add("GET", "/api/v1/family/children/{id}", [this, keep, &family, one](const Request& q, const Params& a) {
      return WithPrincipal(q, [&](const Principal& p) { return Reply(q, family.Child(p, a.at("id")), 200, one); });
    });
    r.Add("POST", "/api/v1/family/children/{id}/entries",
          [this, keep, &family, one](const Request& q, const Params& a) {
            return WithBody(q, [&](const Principal& p, const json& body) {
              ObjectReader in(body, "", {"kind", "about_entry_id", "text"});
              const std::string kind_text = in.String("kind", true, 20);
              auto kind = domain::ParseFamilyEntryKind(kind_text);
              if (!kind && !in.error()) in.Fail("kind", "Expected thoughts, response or disagreement.");
              const std::string about = in.String("about_entry_id", false, 64);
              const std::string text = in.String("text", true, 50'000);
              if (in.error()) return ErrorResponse(*in.error(), q.request_id);
              return Reply(q, family.AddEntry(p, a.at("id"), *kind, about, text), 201, one);
            });
          });
    r.Add("GET", "/api/v1/family/export", [this, keep, &family, one](const Request& q, const Params&) {
      return WithPrincipal(q, [&](const Principal& p) {
        auto x = family.Export(p);
        if (!x) return ErrorResponse(x.error(), q.request_id);
        if (QueryString(q, "format") == "html") {
          Response out;
          out.content_type = "text/html; charset=utf-8";
          out.body = ExportHtml(*x);
          return out;
        }
        Response out = JsonResponse(200, one(*x));
        out.SetHeader("Content-Disposition", "attachment; filename=\"kith-family-export.json\"");
        return out;
      });
    });
  }

 private:
  template <typename F>
  Response WithPrincipal(const Request& q, F&& f) const {
    return http::WithPrincipal(s_.auth, o_, q, std::forward<F>(f));
  }

  template <typename F>
  Response WithBody(const Request& q, F&& f) const {
    return http::WithBody(s_.auth, o_, q, std::forward<F>(f));
  }

  FamilyApiServices s_;
  ApiOptions o_;
};

}  // namespace

void RegisterFamilyApi(Router& router, FamilyApiServices services, ApiOptions options) {
  std::make_shared<FamilyApi>(services, options)->Register(router);
}

}  // namespace kith::http
