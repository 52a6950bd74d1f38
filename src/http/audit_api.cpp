#include "http/audit_api.h"

#include <algorithm>

#include "domain/audit_actions.h"
#include "http/handlers.h"

namespace kith::http {
namespace {

json ToJson(const app::AuditRecordView& v) {
  json out = http::ToJson(v.record);
  out["actor_name"] = v.actor_name;
  out["child_name"] = v.child_name;
  out["action_label"] = v.action_label;
  return out;
}

json ToJson(const app::FoundChild& c) {
  return {{"child_id", c.child_id},
          {"given_names", c.given_names},
          {"family_name", c.family_name},
          {"date_of_birth", c.date_of_birth ? json(c.date_of_birth->ToString()) : json(nullptr)},
          {"postcode", c.postcode},
          {"shielded", c.shielded}};
}

json ToJson(const app::FoundUser& u) {
  return {{"user_id", u.user_id},         {"username", u.username}, {"display_name", u.display_name},
          {"job_title", u.job_title},     {"role", u.role},         {"agency_name", u.agency_name}};
}

json AuditRefsJson(const std::vector<domain::AuditRef>& refs) {
  json out = json::array();
  for (const auto& ref : refs) out.push_back({{"chain", ref.chain}, {"seq", ref.seq}});
  return out;
}

json ToJson(const app::MisuseFlagView& v) {
  const auto& s = v.stored;
  return {{"id", s.flag.id},
          {"kind", domain::ToString(s.flag.kind)},
          {"user_id", s.flag.user_id},
          {"user_name", v.user_name},
          {"child_id", s.flag.child_id},
          {"child_name", v.child_name},
          {"day", s.flag.day.ToString()},
          {"explanation", s.flag.explanation},
          {"record_refs", AuditRefsJson(s.flag.records)},
          {"found_at", FormatUtc(s.found_at)},
          {"reviewed_at", s.reviewed_at ? json(FormatUtc(*s.reviewed_at)) : json(nullptr)},
          {"reviewed_by", s.reviewed_by},
          {"reviewed_by_name", v.reviewed_by_name},
          {"review_note", s.review_note}};
}

const auto kEncode = [](const auto& value) { return ToJson(value); };

// The filter of a records or export request; bad dates are the caller's problem.
Result<app::AuditFilter> FilterFrom(const Request& q) {
  app::AuditFilter f;
  f.child_id = QueryString(q, "child_id");
  f.user_id = QueryString(q, "user_id");
  f.cursor = QueryString(q, "before");
  for (const char* key : {"from", "to"}) {
    const std::string text = QueryString(q, key);
    if (text.empty()) continue;
    const auto date = Date::Parse(text);
    if (!date) return Error::Invalid(key, "Expected a date, YYYY-MM-DD.");
    (std::string_view(key) == "from" ? f.from : f.to) = date;
  }
  const std::string limit = QueryString(q, "limit");
  if (!limit.empty()) {
    f.limit = QueryInt(q, "limit", -1);
    if (f.limit < 0) return Error::Invalid("limit", "Expected a whole number.");
  }
  return f;
}

std::string CsvCell(std::string_view text) {
  std::string cell(text);
  // A spreadsheet runs a cell that begins with one of these as a formula (CSV injection).
  if (!cell.empty() && std::string_view("=+-@\t\r").find(cell[0]) != std::string_view::npos) cell.insert(0, "'");
  if (cell.find_first_of(",\"\r\n") == std::string::npos) return cell;
  std::string out = "\"";
  for (char c : cell) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace

std::string AuditCsvHeader() {
  return "chain,seq,at,actor_id,actor_name,actor_role,authority_id,action,action_label,child_id,child_name,target_id,"
         "reason,outcome,why,detail,client,found_children,hash\r\n";
}

void AppendAuditCsv(const std::vector<app::AuditRecordView>& records, std::string& out) {
  for (const auto& v : records) {
    const auto& r = v.record;
    std::string found;
    for (const auto& id : r.found_children) found += (found.empty() ? "" : " ") + id;
    const std::string cells[] = {std::to_string(r.chain), std::to_string(r.seq), FormatUtc(r.at), r.actor_id, v.actor_name, r.actor_role,
                                 r.authority_id, r.action, v.action_label, r.child_id, v.child_name, r.target_id,
                                 r.reason, std::string(domain::ToString(r.outcome)), r.why, r.detail, r.client, found,
                                 r.hash};
    bool first = true;
    for (const auto& c : cells) {
      if (!first) out += ',';
      first = false;
      out += CsvCell(c);
    }
    out += "\r\n";
  }
}

void RegisterAuditApi(Router& router, AuditApiServices s, ApiOptions o) {
  router.Add("GET", "/api/v1/audit/misuse", [s, o](const Request& q, const Params&) {
    return WithPrincipal(s.auth, o, q, [&](const app::Principal& p) {
      std::optional<Date> dates[2];
      for (int i = 0; i < 2; ++i) {
        const char* key = i == 0 ? "from" : "to";
        const std::string text = QueryString(q, key);
        if (text.empty()) continue;
        dates[i] = Date::Parse(text);
        if (!dates[i]) return ErrorResponse(Error::Invalid(key, "Expected a date, YYYY-MM-DD."), q.request_id);
      }
      const auto& from = dates[0];
      const auto& to = dates[1];
      const bool reviewed = QueryString(q, "include_reviewed") == "true";
      return Reply(q, s.misuse.Flags(p, from, to, reviewed), 200,
                   [](const auto& flags) { return json{{"flags", ListJson(flags, kEncode)}}; });
    });
  });
  router.Add("GET", "/api/v1/audit/misuse/{id}", [s, o](const Request& q, const Params& a) {
    return WithPrincipal(s.auth, o, q, [&](const app::Principal& p) {
      return Reply(q, s.misuse.Flag(p, a.at("id")), 200, [](const app::MisuseFlagDetail& d) {
        json out = ToJson(d.flag);
        out["records"] = ListJson(d.records, kEncode);
        return out;
      });
    });
  });
  router.Add("POST", "/api/v1/audit/misuse/{id}/review", [s, o](const Request& q, const Params& a) {
    return WithBody(s.auth, o, q, [&](const app::Principal& p, const json& body) {
      ObjectReader in(body, "", {"note"});
      const std::string note = in.String("note", true, 2000);
      if (in.error()) return ErrorResponse(*in.error(), q.request_id);
      return Reply(q, s.misuse.Review(p, a.at("id"), note), 200, kEncode);
    });
  });
  router.Add("POST", "/api/v1/audit/misuse/runs", [s, o](const Request& q, const Params&) {
    return WithBody(s.auth, o, q, [&](const app::Principal& p, const json& body) {
      ObjectReader in(body, "", {"from", "to"});
      const auto from = in.DateValue("from", true);
      const auto to = in.DateValue("to", true);
      if (in.error()) return ErrorResponse(*in.error(), q.request_id);
      return Reply(q, s.misuse.RunNow(p, *from, *to), 200, [](const app::MisuseRun& run) {
        return json{{"records", run.records},
                    {"flags", run.flags},
                    {"new_flags", run.new_flags},
                    {"seconds", run.seconds}};
      });
    });
  });
  router.Add("PUT", "/api/v1/users/{id}/home", [s, o](const Request& q, const Params& a) {
    return WithBody(s.auth, o, q, [&](const app::Principal& p, const json& body) {
      ObjectReader in(body, "", {"address", "postcode", "other_surnames"});
      app::HomeChange change;
      change.address = in.String("address", false, 300);
      change.postcode = in.String("postcode", false, 10);
      if (in.Has("other_surnames")) {
        const json& names = body.at("other_surnames");
        if (!names.is_array() || !std::all_of(names.begin(), names.end(), [](const json& n) { return n.is_string(); })) {
          in.Fail("other_surnames", "Expected a list of surnames.");
        } else {
          for (const auto& n : names) change.other_surnames.push_back(n.get<std::string>());
        }
      }
      if (in.error()) return ErrorResponse(*in.error(), q.request_id);
      return Reply(q, s.misuse.SetHome(p, a.at("id"), std::move(change)), 200, [](const storage::PractitionerHome& h) {
        return json{{"user_id", h.user_id},
                    {"address", h.address},
                    {"postcode", h.postcode},
                    {"other_surnames", h.other_surnames},
                    {"updated_by", h.updated_by},
                    {"updated_at", FormatUtc(h.updated_at)}};
      });
    });
  });
  router.Add("GET", "/api/v1/audit/actions", [s, o](const Request& q, const Params&) {
    return WithPrincipal(s.auth, o, q, [&](const app::Principal&) {
      json list = json::array();
      for (const auto& a : domain::AuditActions()) {
        list.push_back({{"action", a.name}, {"label", a.label}, {"kind", domain::ToString(a.kind)}});
      }
      return JsonResponse(200, json{{"actions", list}});
    });
  });
  router.Add("GET", "/api/v1/audit/records", [s, o](const Request& q, const Params&) {
    return WithPrincipal(s.auth, o, q, [&](const app::Principal& p) {
      auto filter = FilterFrom(q);
      if (!filter) return ErrorResponse(filter.error(), q.request_id);
      return Reply(q, s.audit.Records(p, *filter), 200, [](const app::AuditPage& page) {
        return json{{"records", ListJson(page.records, kEncode)},
                    {"next", page.next.empty() ? json(nullptr) : json(page.next)}};
      });
    });
  });
  router.Add("GET", "/api/v1/audit/export", [s, o](const Request& q, const Params&) {
    return WithPrincipal(s.auth, o, q, [&](const app::Principal& p) {
      auto filter = FilterFrom(q);
      if (!filter) return ErrorResponse(filter.error(), q.request_id);
      auto exported = s.audit.StartExport(p, *filter);
      if (!exported) return ErrorResponse(exported.error(), q.request_id);
      Response out;
      out.content_type = "text/csv; charset=utf-8";
      out.body = AuditCsvHeader();
      // A page of records per piece: the export is never held whole (std::function wants a
      // copyable callable, hence the shared pointer).
      out.body_stream = [stream = std::shared_ptr<app::AuditExportStream>(std::move(*exported))](std::string& piece) {
        const auto page = stream->Next();
        if (page.empty()) return false;
        piece.clear();
        AppendAuditCsv(page, piece);
        return true;
      };
      out.SetHeader("Content-Disposition", "attachment; filename=\"kith-audit.csv\"");
      return out;
    });
  });
  router.Add("POST", "/api/v1/audit/children/find", [s, o](const Request& q, const Params&) {
    return WithBody(s.auth, o, q, [&](const app::Principal& p, const json& body) {
      ObjectReader in(body, "", {"name", "date_of_birth"});
      const std::string name = in.String("name", true, 200);
      const auto dob = in.DateValue("date_of_birth");
      if (in.error()) return ErrorResponse(*in.error(), q.request_id);
      return Reply(q, s.audit.FindChildren(p, name, dob), 200,
                   [](const auto& found) { return json{{"children", ListJson(found, kEncode)}}; });
    });
  });
  router.Add("POST", "/api/v1/audit/users/find", [s, o](const Request& q, const Params&) {
    return WithBody(s.auth, o, q, [&](const app::Principal& p, const json& body) {
      ObjectReader in(body, "", {"name"});
      const std::string name = in.String("name", true, 200);
      if (in.error()) return ErrorResponse(*in.error(), q.request_id);
      return Reply(q, s.audit.FindUsers(p, name), 200,
                   [](const auto& found) { return json{{"users", ListJson(found, kEncode)}}; });
    });
  });
}

}  // namespace kith::http
