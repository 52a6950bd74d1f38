#include "http/account_api.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>

#include <fmt/format.h>

#include "domain/account/uk_time.h"
#include "http/family_api.h"
#include "http/handlers.h"

namespace kith::http {
namespace {

using app::Principal;

json OrNull(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }
json OrNull(const std::optional<Date>& d) { return d ? json(d->ToString()) : json(nullptr); }
json OrNull(const std::optional<TimePoint>& t) { return t ? json(FormatUtc(*t)) : json(nullptr); }

std::string Hhmm(const domain::TimeOfDay& t) { return fmt::format("{:02}:{:02}", t.hour, t.minute); }

std::optional<domain::TimeOfDay> ParseHhmm(const std::string& s) {
  if (s.size() != 5 || s[2] != ':' || !std::isdigit(static_cast<unsigned char>(s[0])) ||
      !std::isdigit(static_cast<unsigned char>(s[1])) || !std::isdigit(static_cast<unsigned char>(s[3])) ||
      !std::isdigit(static_cast<unsigned char>(s[4]))) {
    return std::nullopt;
  }
  domain::TimeOfDay t{(s[0] - '0') * 10 + (s[1] - '0'), (s[3] - '0') * 10 + (s[4] - '0'), 0};
  if (!t.IsValid()) return std::nullopt;
  return t;
}

// --- Encodings -----------------------------------------------------------------------------------

json ToJson(const app::EntryView& v) {
  const auto& e = v.stored.entry;
  return {{"id", e.id},
          {"child_id", e.child_id},
          {"occurred_on", e.occurred_on.ToString()},
          {"occurred_time", e.occurred_time ? json(Hhmm(*e.occurred_time)) : json(nullptr)},
          {"agency_id", e.agency_id},
          {"agency_name", v.agency_name},
          {"agency_kind", domain::ToString(e.agency_kind)},
          {"author_id", e.author_id},
          {"author_name", v.author_name},
          {"type", domain::ToString(e.type)},
          {"significance", domain::ToString(e.significance)},
          {"summary", e.summary},
          {"detail", e.detail},
          {"recorded_at", FormatUtc(e.recorded_at)},
          {"version", e.version},
          {"lineage_id", e.lineage_id},
          {"supersedes_id", OrNull(e.supersedes_id)},
          {"correction_reason", OrNull(e.correction_reason)},
          {"source",
           {{"kind", v.stored.source_thread_id.empty() ? "practitioner" : "forum"},
            {"thread_id", OrNull(v.stored.source_thread_id)}}},
          {"family_visibility", VisibilityJson(v.visibility)}};
}

json ToJson(const app::ContactSeriesView& v) {
  json buckets = json::array();
  for (const auto& b : v.series.buckets) {
    std::string label = v.series.granularity == domain::Granularity::kMonth
                            ? fmt::format("{:04}-{:02}", b.start.year, b.start.month)
                            : "w/c " + b.start.ToString();
    buckets.push_back(
        {{"start", b.start.ToString()}, {"end", b.end.ToString()}, {"label", label}, {"partial", b.partial}});
  }
  json agencies = json::array();
  for (size_t i = 0; i < v.series.agencies.size(); ++i) {
    const auto& s = v.series.agencies[i];
    agencies.push_back({{"agency_id", s.agency_id},
                        {"name", v.agencies[i].name},
                        {"kind", domain::ToString(v.agencies[i].kind)},
                        {"counts", s.counts},
                        {"total", s.total},
                        {"last_contact", OrNull(s.last_contact)}});
  }
  json flags = json::array();
  for (const auto& f : v.series.flags) {
    json flag = {{"kind", domain::ToString(f.kind)},
                 {"agency_id", f.agency_id.empty() ? json(nullptr) : json(f.agency_id)},
                 {"bucket_index", f.bucket},
                 {"explanation", f.explanation}};
    if (f.kind == domain::ContactFlagKind::kSuddenRise) flag["p_value"] = f.p_value;
    flags.push_back(std::move(flag));
  }
  return {{"granularity", domain::ToString(v.series.granularity)},
          {"buckets", buckets},
          {"totals", v.series.totals},
          {"agencies", agencies},
          {"flags", flags}};
}

json ToJson(const app::ThreadView& v) {
  const auto& t = v.thread;
  return {{"id", t.id},
          {"category", t.category},
          {"title", t.title},
          {"author_id", t.author_id},
          {"author_name", v.author_name},
          {"created_at", FormatUtc(t.created_at)},
          {"post_count", t.post_count},
          {"last_post_at", OrNull(t.last_post_at)},
          {"promoted_entry_id", OrNull(t.promoted_entry_id)},
          {"family_visibility", VisibilityJson(v.visibility)}};
}

json ToJson(const app::PostView& v) {
  const auto& p = v.post;
  return {{"id", p.id},
          {"thread_id", p.thread_id},
          {"author_id", p.author_id},
          {"author_name", v.author_name},
          {"body", p.body},
          {"created_at", FormatUtc(p.created_at)},
          {"edited_at", OrNull(p.edited_at)},
          {"versions", p.version},
          {"reply_to", OrNull(p.reply_to)},
          {"mentions", p.mentions}};
}

json ToJson(const app::ThreadDetail& d) {
  json posts = json::array();
  for (const auto& p : d.posts) posts.push_back(ToJson(p));
  return {{"thread", ToJson(d.thread)}, {"posts", posts}};
}

json ToJson(const std::vector<domain::CloudTerm>& terms) {
  double max_weight = 0;
  for (const auto& t : terms) max_weight = std::max(max_weight, t.weight);
  json out = json::array();
  for (const auto& t : terms) {
    out.push_back({{"term", t.term},
                   {"display", t.display},
                   {"phrase", t.phrase},
                   {"safeguarding", t.safeguarding},
                   {"weight", max_weight > 0 ? std::round(t.weight / max_weight * 1000) / 1000 : 0.0},
                   {"count", t.count},
                   {"entry_count", t.entry_count},
                   {"entry_ids", t.entry_ids}});
  }
  return out;
}

std::string_view SeverityCode(domain::Severity s) {
  switch (s) {
    case domain::Severity::kLow:
      return "info";
    case domain::Severity::kMedium:
      return "warning";
    case domain::Severity::kHigh:
      return "serious";
  }
  return "warning";
}

json ToJson(const domain::WheelFinding& f) {
  return {{"kind", domain::ToString(f.kind)},     {"group", domain::ToString(domain::GroupOf(f.kind))},
          {"severity", SeverityCode(f.severity)}, {"explanation", f.explanation},
          {"person_ids", f.person_ids},           {"facts", f.facts}};
}

json ToJson(const app::PersonView& v) {
  const auto& p = v.person;
  return {{"id", p.id},
          {"name", p.name},
          {"relationship", domain::ToString(p.relationship)},
          {"category", domain::ToString(domain::CategoryOf(p.relationship))},
          {"lives_with_child", p.lives_with_child},
          {"since", OrNull(p.since)},
          {"date_of_birth", OrNull(p.date_of_birth)},
          {"adult", v.adult},
          {"verified", p.verified},
          {"verified_by_agency_id", OrNull(p.verified_by_agency_id)},
          {"notes", p.notes},
          {"user_id", OrNull(v.user_id)},
          {"version", p.version}};
}

json ToJson(const app::WheelView& v) {
  json people = json::array();
  for (const auto& p : v.people) people.push_back(ToJson(p));
  json findings = json::array();
  for (const auto& f : v.findings) findings.push_back(ToJson(f));
  return {{"child", {{"id", v.child.id}, {"name", v.child.FullName()}, {"age", v.age}}},
          {"people", people},
          {"findings", findings}};
}

json ToJson(const app::FeedItemView& i) {
  return {{"id", i.id},
          {"at", FormatUtc(i.at)},
          {"child_id", i.child_id},
          {"child_name", i.child_name},
          {"kind", i.kind},
          {"summary", i.summary},
          {"actor_name", i.actor_name},
          {"significance", OrNull(i.significance)}};
}

json ToJson(const app::AlertView& a) {
  return {{"id", a.alert.id},
          {"at", FormatUtc(a.alert.at)},
          {"child_id", a.alert.child_id},
          {"child_name", a.child_name},
          {"kind", a.alert.kind},
          {"summary", a.alert.summary},
          {"read", a.alert.read_at.has_value()}};
}

// Encodes with this file's ToJson overloads as well as json_codec.h's.
const auto kEncode = [](const auto& value) { return ToJson(value); };

// --- The printable chronology --------------------------------------------------------------------

std::string_view Label(domain::EntryType type) {
  static const std::map<domain::EntryType, std::string_view> kLabels = {
      {domain::EntryType::kContact, "Contact"},
      {domain::EntryType::kHomeVisit, "Home visit"},
      {domain::EntryType::kAppointmentAttended, "Appointment attended"},
      {domain::EntryType::kWasNotBrought, "Was not brought"},
      {domain::EntryType::kSchoolAbsence, "School absence"},
      {domain::EntryType::kExclusion, "Exclusion"},
      {domain::EntryType::kReferral, "Referral"},
      {domain::EntryType::kStrategyDiscussion, "Strategy discussion"},
      {domain::EntryType::kAssessment, "Assessment"},
      {domain::EntryType::kPlanStarted, "Plan started"},
      {domain::EntryType::kPlanEnded, "Plan ended"},
      {domain::EntryType::kIncident, "Incident"},
      {domain::EntryType::kHospitalAttendance, "Hospital attendance"},
      {domain::EntryType::kPoliceCallOut, "Police call-out"},
      {domain::EntryType::kMeeting, "Meeting"},
      {domain::EntryType::kCaseConference, "Case conference"},
      {domain::EntryType::kNote, "Note"},
      {domain::EntryType::kOther, "Other"},
  };
  auto it = kLabels.find(type);
  return it == kLabels.end() ? domain::ToString(type) : it->second;
}

using domain::LongDate;
constexpr auto UkLocal = domain::UkDateTimeText;

// Plain HTML with no script and no inline style (the CSP forbids both): table borders come
// from the border attribute, and the browser's print-to-PDF does the rest. Dates and times are UK
// local; serious entries are marked in words and listed first, so nothing relies on colour.
std::string PrintHtml(const app::PrintableChronology& c) {
  const std::string name = HtmlEscape(c.child.FullName());
  std::string h;
  h += "<!DOCTYPE html>\n<html lang=\"en-GB\"><head><meta charset=\"utf-8\"><title>Multi-agency chronology: " + name +
       "</title></head><body>\n";
  h += "<p><strong>OFFICIAL-SENSITIVE</strong></p>\n<h1>Multi-agency chronology: " + name + "</h1>\n";
  h += "<table border=\"1\" cellpadding=\"4\">\n<tr><th scope=\"row\">Child</th><td>" + name +
       "</td></tr>\n<tr><th scope=\"row\">Date of birth</th><td>" +
       (c.child.date_of_birth ? LongDate(*c.child.date_of_birth) : "Not recorded") +
       "</td></tr>\n<tr><th scope=\"row\">Kith ID</th><td>" + HtmlEscape(c.child.id) + "</td></tr>\n";
  if (!c.entries.empty()) {
    h += "<tr><th scope=\"row\">Period covered</th><td>" + LongDate(c.entries.front().stored.entry.occurred_on) +
         " to " + LongDate(c.entries.back().stored.entry.occurred_on) + "</td></tr>\n";
  }
  size_t serious = 0;
  for (const auto& v : c.entries) serious += v.stored.entry.significance == domain::Significance::kSerious ? 1 : 0;
  h += "<tr><th scope=\"row\">Entries</th><td>" + std::to_string(c.entries.size()) + ", of which " +
       std::to_string(serious) + " serious</td></tr>\n<tr><th scope=\"row\">Prepared by</th><td>" +
       HtmlEscape(c.printed_by) + (c.printed_by_role.empty() ? "" : ", " + HtmlEscape(c.printed_by_role)) +
       "</td></tr>\n<tr><th scope=\"row\">Printed</th><td>" + UkLocal(c.printed_at) + "</td></tr>\n</table>\n";
  h += "<p>This is every current entry of the child's chronology in Kith when it was printed, oldest first, as each "
       "agency recorded it. Dates and times are UK local time. Corrections never overwrite an entry: a corrected entry "
       "says so, and its earlier versions follow the chronology. <strong>SERIOUS</strong> marks an entry its author "
       "recorded as a safeguarding concern in itself.</p>\n";
  if (serious > 0) {
    h += "<h2>Serious entries</h2>\n<ol>\n";
    for (const auto& v : c.entries) {
      const auto& e = v.stored.entry;
      if (e.significance != domain::Significance::kSerious) continue;
      h += "<li>" + LongDate(e.occurred_on) + ": <strong>" + HtmlEscape(e.summary) + "</strong> (" +
           HtmlEscape(v.agency_name) + ")</li>\n";
    }
    h += "</ol>\n";
  }
  h += "<h2>Chronology</h2>\n<table border=\"1\" cellpadding=\"4\">\n<thead><tr><th scope=\"col\">Date and time</th>"
       "<th scope=\"col\">Agency</th><th scope=\"col\">Type</th><th scope=\"col\">Significance</th>"
       "<th scope=\"col\">What happened</th><th scope=\"col\">Recorded by</th></tr></thead>\n<tbody>\n";
  for (const auto& v : c.entries) {
    const auto& e = v.stored.entry;
    const bool is_serious = e.significance == domain::Significance::kSerious;
    std::string significance(domain::ToString(e.significance));
    significance[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(significance[0])));
    h += "<tr><td>" + LongDate(e.occurred_on) + (e.occurred_time ? ", " + Hhmm(*e.occurred_time) : "") + "</td><td>" +
         HtmlEscape(v.agency_name) + "</td><td>" + std::string(Label(e.type)) + "</td><td>" +
         (is_serious ? "<strong>SERIOUS</strong>" : significance) + "</td><td><strong>" + HtmlEscape(e.summary) +
         "</strong>";
    if (!e.detail.empty()) h += "<br>" + HtmlEscape(e.detail);
    if (e.version > 1) {
      h +=
          "<br><em>Corrected (version " + std::to_string(e.version) + "): " + HtmlEscape(e.correction_reason) + "</em>";
    }
    if (!v.stored.source_thread_id.empty()) h += "<br><em>Recorded from a forum discussion.</em>";
    h += "</td><td>" + HtmlEscape(v.author_name) + ", " + UkLocal(e.recorded_at) + "</td></tr>\n";
  }
  h += "</tbody></table>\n";
  if (!c.corrected.empty()) {
    h += "<h2>Earlier versions of corrected entries</h2>\n<table border=\"1\" cellpadding=\"4\">\n"
         "<thead><tr><th scope=\"col\">Entry</th><th scope=\"col\">Version</th><th scope=\"col\">Date</th>"
         "<th scope=\"col\">What it said</th><th scope=\"col\">Recorded by</th></tr></thead>\n<tbody>\n";
    for (const auto& v : c.corrected) {
      const auto& e = v.stored.entry;
      h += "<tr><td>" + HtmlEscape(e.lineage_id) + "</td><td>" + std::to_string(e.version) + "</td><td>" +
           LongDate(e.occurred_on) + "</td><td>" + HtmlEscape(e.summary) +
           (e.detail.empty() ? "" : "<br>" + HtmlEscape(e.detail)) + "</td><td>" + HtmlEscape(v.author_name) + ", " +
           UkLocal(e.recorded_at) + "</td></tr>\n";
    }
    h += "</tbody></table>\n";
  }
  h += "<p>End of chronology. Printed from Kith by " + HtmlEscape(c.printed_by) + " on " + UkLocal(c.printed_at) +
       ".</p>\n</body></html>\n";
  return h;
}

// --- Request decoding ----------------------------------------------------------------------------

std::vector<std::string> SplitList(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= s.size() && !s.empty()) {
    const size_t comma = s.find(',', start);
    std::string part = s.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (!part.empty()) out.push_back(part);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

Result<std::optional<Date>> QueryDate(const Request& q, const std::string& key) {
  const std::string v = QueryString(q, key);
  if (v.empty()) return std::optional<Date>{};
  auto d = Date::Parse(v);
  if (!d) return Error::Invalid(key, "Expected a date as YYYY-MM-DD.");
  return std::optional<Date>(*d);
}

Result<domain::ChronologyFilter> FilterFrom(const Request& q) {
  domain::ChronologyFilter f;
  f.agency_ids = SplitList(QueryString(q, "agency_id"));
  for (const auto& t : SplitList(QueryString(q, "type"))) {
    auto type = domain::ParseEntryType(t);
    if (!type) return Error::Invalid("type", "Not a known entry type: " + t);
    f.types.push_back(*type);
  }
  for (const auto& s : SplitList(QueryString(q, "significance"))) {
    auto sig = domain::ParseSignificance(s);
    if (!sig) return Error::Invalid("significance", "Expected routine, notable or serious.");
    f.significances.push_back(*sig);
  }
  if (const std::string m = QueryString(q, "min_significance"); !m.empty()) {
    f.min_significance = domain::ParseSignificance(m);
    if (!f.min_significance) return Error::Invalid("min_significance", "Expected routine, notable or serious.");
  }
  auto from = QueryDate(q, "from");
  if (!from) return from.error();
  auto to = QueryDate(q, "to");
  if (!to) return to.error();
  f.from = *from;
  f.to = *to;
  return f;
}

// The fields of an entry; `partial` for corrections (all optional).
struct EntryFields {
  std::optional<Date> occurred_on;
  std::optional<std::optional<domain::TimeOfDay>> occurred_time;
  std::optional<domain::EntryType> type;
  std::optional<domain::Significance> significance;
  std::optional<std::string> summary;
  std::optional<std::string> detail;
};

EntryFields ReadEntryFields(ObjectReader& in, bool required) {
  EntryFields f;
  f.occurred_on = in.DateValue("occurred_on", required);
  if (in.Has("occurred_time")) {
    auto t = in.OptionalString("occurred_time", 5);
    auto parsed = t ? ParseHhmm(*t) : std::nullopt;
    if (t && !parsed) in.Fail("occurred_time", "Expected a time as HH:MM.");
    f.occurred_time = parsed;
  }
  if (auto t = in.OptionalString("type", 40)) {
    f.type = domain::ParseEntryType(*t);
    if (!f.type) in.Fail("type", "Not a known entry type.");
  } else if (required) {
    in.Fail("type", "This field is required.");
  }
  if (auto s = in.OptionalString("significance", 20)) {
    f.significance = domain::ParseSignificance(*s);
    if (!f.significance) in.Fail("significance", "Expected routine, notable or serious.");
  } else if (required) {
    in.Fail("significance", "This field is required.");
  }
  f.summary = in.OptionalString("summary", 2000);
  f.detail = in.OptionalString("detail", 100'000);
  return f;
}

Result<app::NewPerson> PersonFrom(const json& body, bool update) {
  ObjectReader in(body, "",
                  {"name", "relationship", "lives_with_child", "since", "date_of_birth", "adult", "notes", "verified"});
  // An update replaces the person: a field left out would otherwise be cleared unseen (a
  // partner's "lives with the child" or the note that nobody has checked who he is).
  if (update) {
    for (const char* key : {"name", "relationship", "lives_with_child", "since", "date_of_birth", "adult", "notes"}) {
      if (!body.contains(key)) {
        in.Fail(key, "An update replaces the person: send every field (null where unknown), as read from the wheel.");
        return *in.error();
      }
    }
  }
  app::NewPerson n;
  n.name = in.String("name", true, 1000);
  const std::string rel = in.String("relationship", true, 40);
  if (auto r = domain::ParseRelationshipType(rel)) {
    n.relationship = *r;
  } else if (!in.error()) {
    in.Fail("relationship", "Not a known relationship type (see /api/v1/relationship-types).");
  }
  n.lives_with_child = in.Bool("lives_with_child");
  n.since = in.DateValue("since");
  n.date_of_birth = in.DateValue("date_of_birth");
  n.adult = in.OptionalBool("adult");
  n.notes = in.String("notes", false, 10'000);
  if (in.Has("verified") && !update) in.Fail("verified", "A person is verified by updating them once checked.");
  n.verified = in.OptionalBool("verified");
  if (in.error()) return *in.error();
  return n;
}

class AccountApi : public std::enable_shared_from_this<AccountApi> {
 public:
  AccountApi(AccountApiServices s, ApiOptions o) : s_(s), o_(o) {}

  void Register(Router& r) {
    auto keep = shared_from_this();
    auto& account = s_.account;
    // Chronology
    r.Add("GET", "/api/v1/children/{id}/chronology", [this, keep, &account](const Request& q, const Params& a) {
      return WithPrincipal(q, [&](const Principal& p) {
        auto filter = FilterFrom(q);
        if (!filter) return ErrorResponse(filter.error(), q.request_id);
        return Reply(q, account.Chronology(p, a.at("id"), *filter), 200, [](const auto& v) {
          return json{{"entries", ListJson(v, kEncode)}};
        });
      });
    });
    r.Add("POST", "/api/v1/children/{id}/chronology", [this, keep, &account](const Request& q, const Params& a) {
      return WithBody(q, [&](const Principal& p, const json& body) {
        ObjectReader in(body, "",
                        {"occurred_on", "occurred_time", "type", "significance", "summary", "detail", "visibility",
                         "restriction_reason", "restriction_text"});
        auto f = ReadEntryFields(in, true);
        if (!f.summary && !in.error()) in.Fail("summary", "This field is required.");
        auto visibility = ReadVisibilityChoice(in);
        if (in.error()) return ErrorResponse(*in.error(), q.request_id);
        app::NewEntry e{*f.occurred_on, f.occurred_time.value_or(std::nullopt),
                        *f.type,        *f.significance,
                        *f.summary,     f.detail.value_or(""),
                        visibility};
        return Reply(q, account.AddEntry(p, a.at("id"), e), 201, [](const auto& v) { return ToJson(v); });
      });
    });
    r.Add("POST", "/api/v1/children/{id}/chronology/{entry_id}/corrections",
          [this, keep, &account](const Request& q, const Params& a) {
            return WithBody(q, [&](const Principal& p, const json& body) {
              ObjectReader in(body, "",
                              {"occurred_on", "occurred_time", "type", "significance", "summary", "detail", "reason",
                               "visibility", "restriction_reason", "restriction_text"});
              auto f = ReadEntryFields(in, false);
              app::EntryCorrection c{f.occurred_on,
                                     f.occurred_time,
                                     f.type,
                                     f.significance,
                                     f.summary,
                                     f.detail,
                                     in.String("reason", true, 4000),
                                     ReadVisibilityChoice(in)};
              if (in.error()) return ErrorResponse(*in.error(), q.request_id);
              return Reply(q, account.CorrectEntry(p, a.at("id"), a.at("entry_id"), c), 201,
                           [](const auto& v) { return ToJson(v); });
            });
          });
    r.Add("GET", "/api/v1/children/{id}/chronology/{entry_id}/history",
          [this, keep, &account](const Request& q, const Params& a) {
            return WithPrincipal(q, [&](const Principal& p) {
              return Reply(q, account.EntryHistory(p, a.at("id"), a.at("entry_id")), 200, [](const auto& v) {
                return json{{"versions", ListJson(v, kEncode)}};
              });
            });
          });
    r.Add("POST", "/api/v1/children/{id}/chronology/import", [this, keep, &account](const Request& q, const Params& a) {
      return WithPrincipal(q, [&](const Principal& p) {
        if (q.Header("content-type").rfind("text/csv", 0) != 0) {
          return ErrorResponse({ErrorCode::kUnsupportedMediaType, "Send the file as text/csv.", {}, std::nullopt},
                               q.request_id);
        }
        return Reply(q, account.Import(p, a.at("id"), q.body), 200, [](const app::ImportReport& v) {
          json errors = json::array();
          for (const auto& e : v.errors) errors.push_back({{"line", e.line}, {"field", e.field}, {"reason", e.reason}});
          return json{{"imported", v.imported}, {"rows_read", v.rows_read}, {"errors", errors}};
        });
      });
    });
    r.Add("GET", "/api/v1/children/{id}/chronology/print", [this, keep, &account](const Request& q, const Params& a) {
      return WithPrincipal(q, [&](const Principal& p) {
        auto printable = account.Print(p, a.at("id"));
        if (!printable) return ErrorResponse(printable.error(), q.request_id);
        Response out;
        out.content_type = "text/html; charset=utf-8";
        out.body = PrintHtml(*printable);
        return out;
      });
    });
    // Contact series
    r.Add("GET", "/api/v1/children/{id}/contact-series", [this, keep, &account](const Request& q, const Params& a) {
      return WithPrincipal(q, [&](const Principal& p) {
        domain::SeriesOptions options;
        const std::string g = QueryString(q, "granularity");
        if (g == "week") {
          options.granularity = domain::Granularity::kWeek;
        } else if (g == "month") {
          options.granularity = domain::Granularity::kMonth;
        } else if (!g.empty() && g != "auto") {
          return ErrorResponse(Error::Invalid("granularity", "Expected auto, week or month."), q.request_id);
        }
        auto from = QueryDate(q, "from");
        if (!from) return ErrorResponse(from.error(), q.request_id);
        auto to = QueryDate(q, "to");
        if (!to) return ErrorResponse(to.error(), q.request_id);
        options.from = *from;
        options.to = *to;
        return Reply(q, account.ContactSeries(p, a.at("id"), options), 200, [](const auto& v) { return ToJson(v); });
      });
    });
    // Forum
    r.Add("GET", "/api/v1/children/{id}/forum", [this, keep, &account](const Request& q, const Params& a) {
      return WithPrincipal(q, [&](const Principal& p) {
        return Reply(q, account.Threads(p, a.at("id")), 200, [](const auto& v) {
          return json{{"threads", ListJson(v, kEncode)}};
        });
      });
    });
    r.Add("POST", "/api/v1/children/{id}/forum", [this, keep, &account](const Request& q, const Params& a) {
      return WithBody(q, [&](const Principal& p, const json& body) {
        ObjectReader in(body, "",
                        {"category", "title", "body", "visibility", "restriction_reason", "restriction_text"});
        const std::string category = in.String("category", true, 20);
        const std::string title = in.String("title", true, 1000);
        const std::string text = in.String("body", true, 50'000);
        auto visibility = ReadVisibilityChoice(in);
        if (in.error()) return ErrorResponse(*in.error(), q.request_id);
        return Reply(q, account.CreateThread(p, a.at("id"), category, title, text, visibility), 201,
                     [](const auto& v) { return ToJson(v); });
      });
    });
    r.Add("GET", "/api/v1/children/{id}/forum/{thread_id}", [this, keep, &account](const Request& q, const Params& a) {
      return WithPrincipal(q, [&](const Principal& p) {
        return Reply(q, account.Thread(p, a.at("id"), a.at("thread_id")), 200, [](const auto& v) { return ToJson(v); });
      });
    });
    r.Add("POST", "/api/v1/children/{id}/forum/{thread_id}/posts",
          [this, keep, &account](const Request& q, const Params& a) {
            return WithBody(q, [&](const Principal& p, const json& body) {
              ObjectReader in(body, "", {"body", "reply_to"});
              const std::string text = in.String("body", true, 50'000);
              const std::string reply_to = in.String("reply_to", false, 64);
              if (in.error()) return ErrorResponse(*in.error(), q.request_id);
              return Reply(q, account.AddPost(p, a.at("id"), a.at("thread_id"), text, reply_to), 201,
                           [](const auto& v) { return ToJson(v); });
            });
          });
    r.Add("PUT", "/api/v1/children/{id}/forum/{thread_id}/posts/{post_id}",
          [this, keep, &account](const Request& q, const Params& a) {
            return WithBody(q, [&](const Principal& p, const json& body) {
              ObjectReader in(body, "", {"body"});
              const std::string text = in.String("body", true, 50'000);
              if (in.error()) return ErrorResponse(*in.error(), q.request_id);
              return Reply(q, account.EditPost(p, a.at("id"), a.at("thread_id"), a.at("post_id"), text), 200,
                           [](const auto& v) { return ToJson(v); });
            });
          });
    r.Add("GET", "/api/v1/children/{id}/forum/{thread_id}/posts/{post_id}/history",
          [this, keep, &account](const Request& q, const Params& a) {
            return WithPrincipal(q, [&](const Principal& p) {
              return Reply(
                  q, account.PostHistory(p, a.at("id"), a.at("thread_id"), a.at("post_id")), 200,
                  [](const std::vector<storage::PostVersion>& v) {
                    json out = json::array();
                    for (const auto& x : v) {
                      out.push_back({{"version", x.version}, {"body", x.body}, {"edited_at", FormatUtc(x.at)}});
                    }
                    return json{{"versions", out}};
                  });
            });
          });
    r.Add("POST", "/api/v1/children/{id}/forum/{thread_id}/promote",
          [this, keep, &account](const Request& q, const Params& a) {
            return WithBody(q, [&](const Principal& p, const json& body) {
              ObjectReader in(body, "",
                              {"occurred_on", "occurred_time", "type", "significance", "summary", "visibility",
                               "restriction_reason", "restriction_text"});
              auto f = ReadEntryFields(in, true);
              auto visibility = ReadVisibilityChoice(in);
              if (in.error()) return ErrorResponse(*in.error(), q.request_id);
              app::NewEntry e{*f.occurred_on,
                              f.occurred_time.value_or(std::nullopt),
                              *f.type,
                              *f.significance,
                              f.summary.value_or(""),
                              "",
                              visibility};
              return Reply(q, account.Promote(p, a.at("id"), a.at("thread_id"), e), 201,
                           [](const auto& v) { return ToJson(v); });
            });
          });
    // Word cloud
    r.Add("GET", "/api/v1/children/{id}/word-cloud", [this, keep, &account](const Request& q, const Params& a) {
      return WithPrincipal(q, [&](const Principal& p) {
        const std::string n = QueryString(q, "n");
        size_t count = 50;
        if (!n.empty()) {
          if (n.size() > 3 || n.find_first_not_of("0123456789") != std::string::npos || std::stoi(n) < 1 ||
              std::stoi(n) > 200) {
            return ErrorResponse(Error::Invalid("n", "Expected a whole number from 1 to 200."), q.request_id);
          }
          count = static_cast<size_t>(std::stoi(n));
        }
        return Reply(q, account.WordCloud(p, a.at("id"), count), 200, [](const auto& v) {
          return json{{"terms", ToJson(v)}};
        });
      });
    });
    // Wheel
    r.Add("GET", "/api/v1/children/{id}/wheel", [this, keep, &account](const Request& q, const Params& a) {
      return WithPrincipal(q, [&](const Principal& p) {
        return Reply(q, account.Wheel(p, a.at("id")), 200, [](const auto& v) { return ToJson(v); });
      });
    });
    r.Add("POST", "/api/v1/children/{id}/wheel/people", [this, keep, &account](const Request& q, const Params& a) {
      return WithBody(q, [&](const Principal& p, const json& body) {
        auto person = PersonFrom(body, false);
        if (!person) return ErrorResponse(person.error(), q.request_id);
        return Reply(q, account.AddPerson(p, a.at("id"), *person), 201, [](const auto& v) { return ToJson(v); });
      });
    });
    r.Add("PUT", "/api/v1/children/{id}/wheel/people/{person_id}",
          [this, keep, &account](const Request& q, const Params& a) {
            return WithBody(q, [&](const Principal& p, const json& body) {
              auto person = PersonFrom(body, true);
              if (!person) return ErrorResponse(person.error(), q.request_id);
              return Reply(q, account.UpdatePerson(p, a.at("id"), a.at("person_id"), *person), 200,
                           [](const auto& v) { return ToJson(v); });
            });
          });
    r.Add("GET", "/api/v1/relationship-types", [this, keep](const Request& q, const Params&) {
      return WithPrincipal(q, [&](const Principal&) {
        json types = json::array();
        for (const auto& t : app::AccountService::RelationshipTypes()) {
          types.push_back({{"code", domain::ToString(t.type)},
                           {"label", t.label},
                           {"category", domain::ToString(domain::CategoryOf(t.type))}});
        }
        return JsonResponse(200, {{"types", types}});
      });
    });
    // Summary (one call for the account's overview page)
    r.Add("GET", "/api/v1/children/{id}/summary", [this, keep, &account](const Request& q, const Params& a) {
      return WithPrincipal(q, [&](const Principal& p) {
        return Reply(q, account.Summary(p, a.at("id")), 200, [](const app::AccountSummary& s) {
          json findings = json::array();
          for (const auto& f : s.findings) findings.push_back(ToJson(f));
          return json{{"latest", ListJson(s.latest, kEncode)},
                      {"contact_series", ToJson(s.contact)},
                      {"words", ToJson(s.words)},
                      {"findings", findings}};
        });
      });
    });
    // Feed and alerts
    r.Add("GET", "/api/v1/feed", [this, keep, &account](const Request& q, const Params&) {
      return WithPrincipal(q, [&](const Principal& p) {
        const std::string l = QueryString(q, "limit");
        int limit = 50;
        if (!l.empty() && l.size() <= 3 && l.find_first_not_of("0123456789") == std::string::npos) limit = std::stoi(l);
        return Reply(q, account.Feed(p, limit), 200, [](const auto& v) {
          return json{{"items", ListJson(v, kEncode)}};
        });
      });
    });
    r.Add("GET", "/api/v1/alerts", [this, keep, &account](const Request& q, const Params&) {
      return WithPrincipal(q, [&](const Principal& p) {
        return Reply(q, account.Alerts(p, 100), 200, [](const auto& v) {
          return json{{"alerts", ListJson(v, kEncode)}};
        });
      });
    });
    r.Add("POST", "/api/v1/alerts/{alert_id}/read", [this, keep, &account](const Request& q, const Params& a) {
      return WithPrincipal(q, [&](const Principal& p) {
        auto done = account.MarkAlertRead(p, a.at("alert_id"));
        if (!done) return ErrorResponse(done.error(), q.request_id);
        Response out;
        out.status = 204;
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

  AccountApiServices s_;
  ApiOptions o_;
};

// --- Live updates --------------------------------------------------------------------------------

class LiveSession final : public WebSocketSession {
 public:
  // Subscribes `user_id`'s connection; `stands` says whether its session still stands, and the
  // hub closes the connection with `close` once it does not.
  LiveSession(app::LiveHub& hub, const std::string& user_id, WebSocketEndpoint::Send send,
              app::LiveHub::Stands stands, WebSocketEndpoint::Close close)
      : hub_(hub), send_(std::move(send)) {
    id_ = hub_.Subscribe(
        user_id,
        [send = send_](const app::LiveEvent& e) {
          json message = e.item ? json{{"type", "feed"}, {"item", ToJson(*e.item)}}
                                : json{{"type", "child_updated"}, {"child_id", e.child_id}, {"what", e.what}};
          send(message.dump(-1, ' ', false, json::error_handler_t::replace));
          if (e.item) {
            send(json{{"type", "child_updated"}, {"child_id", e.child_id}, {"what", e.what}}.dump());
          }
        },
        std::move(stands), [close = std::move(close)](const std::string& reason) { close(reason); });
  }
  ~LiveSession() override { hub_.Unsubscribe(id_); }

  void OnText(const std::string& text) override {
    json in = json::parse(text, nullptr, false);
    if (in.is_object() && in.value("type", "") == "ping") {
      send_(R"({"type":"pong"})");
    } else {
      send_(R"({"type":"error","detail":"Only {\"type\":\"ping\"} is understood."})");
    }
  }

 private:
  app::LiveHub& hub_;
  WebSocketEndpoint::Send send_;
  uint64_t id_ = 0;
};

class LiveEndpoint final : public WebSocketEndpoint {
 public:
  LiveEndpoint(app::AuthService& auth, app::LiveHub& hub, ApiOptions options)
      : auth_(auth), hub_(hub), options_(options) {}

  std::variant<std::unique_ptr<WebSocketSession>, Response> Open(const Request& upgrade, Send send,
                                                                 Close close) override {
    // Browsers always send Origin on WebSocket upgrades; another site's page must not ride
    // on the user's cookie (cross-site WebSocket hijacking).
    const std::string& origin = upgrade.Header("origin");
    const std::string& host = upgrade.Header("host");
    if (!origin.empty() && origin != "http://" + host && origin != "https://" + host) {
      return ProblemResponse(403, "cross_origin", "Not allowed", "Connections from other sites are refused.",
                             upgrade.request_id);
    }
    auto p = AuthenticateRequest(auth_, options_, upgrade);
    if (!p) return ErrorResponse(p.error(), upgrade.request_id);
    if (!domain::WorksWithChildren(p->user.role) && p->user.role != domain::Role::kFamily) {
      return ErrorResponse(Error::Forbidden("Live updates are for practitioners and families."), upgrade.request_id);
    }
    // The connection outlives the request that opened it: it is closed once its session falls
    // (signed out, expired, user disabled), checked without counting as activity.
    auto stands = [&auth = auth_, token = upgrade.Cookie(SessionCookieName(options_))] {
      return auth.SessionStands(token);
    };
    return std::make_unique<LiveSession>(hub_, p->user.id, std::move(send), std::move(stands), std::move(close));
  }

 private:
  app::AuthService& auth_;
  app::LiveHub& hub_;
  ApiOptions options_;
};

}  // namespace

void RegisterAccountApi(Router& router, AccountApiServices services, ApiOptions options) {
  std::make_shared<AccountApi>(services, options)->Register(router);
}

std::unique_ptr<WebSocketEndpoint> MakeLiveEndpoint(app::AuthService& auth, app::LiveHub& hub, ApiOptions options) {
  return std::make_unique<LiveEndpoint>(auth, hub, options);
}

}  // namespace kith::http
