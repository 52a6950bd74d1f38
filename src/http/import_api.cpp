#include "http/import_api.h"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "http/handlers.h"

namespace kith::http {
namespace {

json TimeOrNull(const std::optional<TimePoint>& t) { return t ? json(FormatUtc(*t)) : json(nullptr); }

json ToJson(const app::ImportJob& j, bool with_bad_rows) {
  const auto& s = j.summary;
  json out = {{"id", j.id},
              {"state", app::ToString(j.state)},
              {"source", j.source.empty() ? json(nullptr) : json(j.source)},
              {"filename", j.filename.empty() ? json(nullptr) : json(j.filename)},
              {"created_by", j.created_by},
              {"created_at", FormatUtc(j.created_at)},
              {"started_at", TimeOrNull(j.started_at)},
              {"finished_at", TimeOrNull(j.finished_at)},
              {"bytes_received", j.bytes_received},
              {"parts", j.parts},
              {"stage", j.stage.empty() ? json(nullptr) : json(j.stage)},
              {"progress", std::round(j.Progress() * 1000) / 1000},
              {"rows_read", s.rows_read},
              {"to_import", s.to_write},
              {"imported", s.created + s.matched + s.queued + s.updated},
              {"created", s.created},
              {"matched", s.matched},
              {"queued_for_review", s.queued},
              {"unchanged", s.unchanged},
              {"updated", s.updated},
              {"bad_rows_total", j.bad_rows_total},
              {"children_before", s.children_before},
              {"error", j.error.empty() ? json(nullptr) : json(j.error)}};
  if (with_bad_rows) {
    json bad = json::array();
    for (size_t i = 0; i < s.rejected.size() && i < kListedBadRows; ++i) {
      bad.push_back({{"line", s.rejected[i].line}, {"reason", s.rejected[i].reason}});
    }
    out["bad_rows"] = std::move(bad);
  }
  return out;
}

Response NotCsv(const Request& q) {
  return ErrorResponse({ErrorCode::kUnsupportedMediaType,
                        "Send the file as text/csv (the body is the CSV file itself, or a part of it).",
                        {},
                        std::nullopt},
                       q.request_id);
}

// A long poll holds one of the server's threads, so it is kept short.
constexpr int kMaxWaitSeconds = 30;

bool IsCsv(const Request& q) { return q.Header("content-type").rfind("text/csv", 0) == 0; }

// The `last` query parameter: true when absent (a file sent whole).
std::optional<bool> Last(const Request& q) {
  const std::string v = QueryString(q, "last");
  if (v.empty() || v == "true") return true;
  if (v == "false") return false;
  return std::nullopt;
}

// A whole number from the query, `fallback` when absent; nullopt when it is not one (or negative).
std::optional<int64_t> QueryCount(const Request& q, const std::string& key, int64_t fallback) {
  const std::string text = QueryString(q, key);
  if (text.empty()) return fallback;
  int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < 0) return std::nullopt;
  return value;
}

json ToJson(const storage::ImportRow& row) {
  return {{"line", row.line},
          {"source", row.source},
          {"record_id", row.record_id},
          {"outcome", row.outcome},
          {"child_id", row.child_id.empty() ? json(nullptr) : json(row.child_id)},
          {"review_id", row.review_id.empty() ? json(nullptr) : json(row.review_id)}};
}

}  // namespace

void RegisterImportApi(Router& router, ImportApiServices s, ApiOptions options) {
  router.Add("POST", "/api/v1/index/imports", [s, options](const Request& q, const Params&) {
    return WithPrincipal(s.auth, options, q, [&](const app::Principal& p) {
      if (!IsCsv(q)) return NotCsv(q);
      const auto last = Last(q);
      if (!last) return ErrorResponse(Error::Invalid("last", "Expected true or false."), q.request_id);
      return Reply(q, s.imports.Start(p, QueryString(q, "source"), QueryString(q, "filename"), q.body, *last), 202,
                   [](const app::ImportJob& j) { return ToJson(j, true); });
    });
  });
  router.Add("POST", "/api/v1/index/imports/{id}/parts", [s, options](const Request& q, const Params& a) {
    return WithPrincipal(s.auth, options, q, [&](const app::Principal& p) {
      if (!IsCsv(q)) return NotCsv(q);
      const auto last = Last(q);
      if (!last) return ErrorResponse(Error::Invalid("last", "Expected true or false."), q.request_id);
      const auto offset = QueryCount(q, "offset", -1);
      if (!offset || *offset < 0) {
        return ErrorResponse(Error::Invalid("offset", "Give the part's first byte in the file, e.g. offset=1048576."),
                             q.request_id);
      }
      return Reply(q, s.imports.Append(p, a.at("id"), static_cast<size_t>(*offset), q.body, *last), 202,
                   [](const app::ImportJob& j) { return ToJson(j, true); });
    });
  });
  router.Add("GET", "/api/v1/index/imports", [s, options](const Request& q, const Params&) {
    return WithPrincipal(s.auth, options, q, [&](const app::Principal& p) {
      return Reply(q, s.imports.List(p), 200, [](const std::vector<app::ImportJob>& v) {
        return json{{"imports", ListJson(v, [](const app::ImportJob& j) { return ToJson(j, false); })}};
      });
    });
  });
  router.Add("GET", "/api/v1/index/imports/{id}", [s, options](const Request& q, const Params& a) {
    return WithPrincipal(s.auth, options, q, [&](const app::Principal& p) {
      const int wait = QueryInt(q, "wait_seconds", 0);
      if (wait > kMaxWaitSeconds) {
        return ErrorResponse(Error::Invalid("wait_seconds", "At most 30 seconds."), q.request_id);
      }
      return Reply(q, s.imports.Get(p, a.at("id"), std::chrono::seconds(wait)), 200,
                   [](const app::ImportJob& j) { return ToJson(j, true); });
    });
  });
  router.Add("GET", "/api/v1/index/imports/{id}/rows", [s, options](const Request& q, const Params& a) {
    return WithPrincipal(s.auth, options, q, [&](const app::Principal& p) {
      const auto after = QueryCount(q, "after", 0);
      if (!after) return ErrorResponse(Error::Invalid("after", "Give a line number, e.g. after=1000."), q.request_id);
      // The use case checks the limit (and audits a refusal); anything not a count is out of range.
      const auto limit = QueryCount(q, "limit", 200);
      const int wanted = static_cast<int>(std::min<int64_t>(limit.value_or(0), app::ImportJobs::kMaxReportRows + 1));
      return Reply(q, s.imports.Rows(p, a.at("id"), QueryString(q, "outcome"), *after, wanted), 200,
                   [wanted](const std::vector<storage::ImportRow>& rows) {
                     const bool more = static_cast<int>(rows.size()) == wanted;
                     return json{{"rows", ListJson(rows, [](const storage::ImportRow& r) { return ToJson(r); })},
                                 {"next_after", more ? json(rows.back().line) : json(nullptr)}};
                   });
    });
  });
}

}  // namespace kith::http
