#include "app/audit_service.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <tuple>

#include <nlohmann/json.hpp>

#include "domain/access_policy.h"
#include "domain/account/uk_time.h"
#include "domain/audit_actions.h"
#include "linkage/text.h"

namespace kith::app {
namespace {

using domain::AuditOutcome;
using storage::Repositories;

std::vector<std::string> Words(std::string_view text) {
  std::vector<std::string> out;
  const std::string folded = linkage::FoldName(text);
  size_t start = 0;
  while (start < folded.size()) {
    size_t end = folded.find(' ', start);
    if (end == std::string::npos) end = folded.size();
    if (end > start) out.push_back(folded.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

// Every word of the query begins some word of the name.
bool Matches(const std::vector<std::string>& query, const std::vector<std::string>& name) {
  return std::all_of(query.begin(), query.end(), [&](const std::string& q) {
    return std::any_of(name.begin(), name.end(), [&](const std::string& w) { return w.rfind(q, 0) == 0; });
  });
}

Result<std::vector<std::string>> QueryWords(const std::string& name) {
  if (name.size() > 200) return Error::Invalid("name", "At most 200 characters.");
  auto words = Words(name);
  if (std::none_of(words.begin(), words.end(), [](const std::string& w) { return w.size() >= 2; })) {
    return Error::Invalid("name", "Give at least two letters of a name.");
  }
  return words;
}

// "MICROS.CHAIN.SEQ": the time, chain and seq of the last record of the page before.
struct Cursor {
  TimePoint at;
  int64_t chain = 0;
  int64_t seq = 0;
};

std::optional<Cursor> ParseCursor(const std::string& cursor) {
  const size_t dot1 = cursor.find('.');
  const size_t dot2 = dot1 == std::string::npos ? dot1 : cursor.find('.', dot1 + 1);
  if (dot2 == std::string::npos) return std::nullopt;
  int64_t at = 0, chain = 0, seq = 0;
  const char* a = cursor.data();
  auto r1 = std::from_chars(a, a + dot1, at);
  auto r2 = std::from_chars(a + dot1 + 1, a + dot2, chain);
  auto r3 = std::from_chars(a + dot2 + 1, a + cursor.size(), seq);
  if (r1.ec != std::errc() || r1.ptr != a + dot1 || r2.ec != std::errc() || r2.ptr != a + dot2 || chain < 0 ||
      r3.ec != std::errc() || r3.ptr != a + cursor.size() || seq < 1) {
    return std::nullopt;
  }
  return Cursor{FromMicros(at), chain, seq};
}

}  // namespace

std::string AuditCursor(const domain::AuditRecord& record) {
  return std::to_string(ToMicros(record.at)) + "." + std::to_string(record.chain) + "." + std::to_string(record.seq);
}

void AuditService::Record(const Principal&, domain::AuditRecord a) {
  ctx_.store.Write([&](Repositories& r) {
    r.Audit().Append(a);
    return true;
  });
}

Result<storage::AuditQuery> AuditService::Authorise(const Principal& p, const AuditFilter& f, const char* action) {
  auto a = AuditFor(p, action, ctx_.clock.Now());
  a.child_id = f.child_id;
  a.target_id = f.user_id;
  nlohmann::json detail = nlohmann::json::object();
  if (f.from) detail["from"] = f.from->ToString();
  if (f.to) detail["to"] = f.to->ToString();
  a.detail = detail.empty() ? "" : detail.dump();
  const auto d = domain::Decide(p.Actor(), domain::AuthorityAction::kViewAuthorityAudit, p.user.authority_id);
  a.why = std::string(d.why);
  if (!d.allowed) {
    a.outcome = AuditOutcome::kDenied;
    Record(p, a);
    return Error::Forbidden("Only the authority's auditors (information governance) see its audit records (" +
                            std::string(d.why) + ").");
  }
  if (f.limit < 1 || f.limit > kMaxPage) {
    return Error::Invalid("limit", "Between 1 and " + std::to_string(kMaxPage) + ".");
  }
  if (f.from && f.to && *f.to < *f.from) return Error::Invalid("to", "The last day is before the first day.");
  storage::AuditQuery q;
  q.limit = f.limit;
  if (f.from) q.from = domain::UkStartOfDay(*f.from);
  if (f.to) q.to = domain::UkStartOfDay(Date::FromDays(f.to->ToDays() + 1));
  if (!f.cursor.empty()) {
    const auto cursor = ParseCursor(f.cursor);
    if (!cursor) return Error::Invalid("before", "Not a cursor this service gave out; start from the first page.");
    q.before_at = cursor->at;
    q.before_chain = cursor->chain;
    q.before_seq = cursor->seq;
  }
  // A child or a user of another authority is not the auditor's to see, and answers as missing.
  const auto [child_ok, user_ok] = ctx_.store.ReadValue([&](Repositories& r) {
    bool child = true, user = true;
    if (!f.child_id.empty()) {
      const auto c = r.Children().Get(f.child_id);
      child = c && c->authority_id == p.user.authority_id;
    }
    if (!f.user_id.empty()) {
      const auto u = r.Users().Get(f.user_id);
      user = u && u->authority_id == p.user.authority_id;
    }
    return std::pair{child, user};
  });
  if (!child_ok || !user_ok) {
    a.outcome = AuditOutcome::kDenied;
    a.why = child_ok ? "no such user in the authority" : "no such child in the authority";
    Record(p, a);
    return Error::NotFound(child_ok ? "There is no user with that id in your authority."
                                    : "There is no child with that Kith id in your authority.");
  }
  q.child_id = f.child_id;
  q.actor_id = f.user_id;
  if (f.child_id.empty() && f.user_id.empty()) q.authority_id = p.user.authority_id;
  return q;
}

std::vector<AuditRecordView> ViewAuditRecords(Repositories& r, std::vector<domain::AuditRecord> records) {
  AuditNames names;
  return ViewAuditRecords(r, std::move(records), names);
}

std::vector<AuditRecordView> ViewAuditRecords(Repositories& r, std::vector<domain::AuditRecord> records,
                                              AuditNames& names) {
  auto& users = names.users;
  auto& children = names.children;
  std::vector<AuditRecordView> out;
  out.reserve(records.size());
  for (auto& record : records) {
    AuditRecordView v;
    if (!record.actor_id.empty()) {
      auto [it, fresh] = users.try_emplace(record.actor_id);
      if (fresh) {
        if (auto u = r.Users().Get(record.actor_id)) it->second = u->display_name;
      }
      v.actor_name = it->second;
    }
    if (!record.child_id.empty()) {
      auto [it, fresh] = children.try_emplace(record.child_id);
      if (fresh) {
        if (auto c = r.Children().Get(record.child_id)) it->second = c->FullName();
      }
      v.child_name = it->second;
    }
    if (const auto* action = domain::FindAuditAction(record.action)) v.action_label = std::string(action->label);
    v.record = std::move(record);
    out.push_back(std::move(v));
  }
  return out;
}

Result<AuditPage> AuditService::Records(const Principal& p, const AuditFilter& filter) {
  auto query = Authorise(p, filter, "audit.records");
  if (!query) return query.error();
  AuditPage page;
  ++query->limit;  // one more tells whether there is a next page
  ctx_.store.Read([&](Repositories& r) {
    auto records = r.Audit().Find(*query);
    if (static_cast<int>(records.size()) == query->limit) {
      records.pop_back();
      page.next = AuditCursor(records.back());
    }
    page.records = ViewAuditRecords(r, std::move(records));
  });
  auto a = AuditFor(p, "audit.records", ctx_.clock.Now());
  a.child_id = filter.child_id;
  a.target_id = filter.user_id;
  a.why = "auditor of the authority";
  nlohmann::json detail{{"records", page.records.size()}};
  if (filter.from) detail["from"] = filter.from->ToString();
  if (filter.to) detail["to"] = filter.to->ToString();
  a.detail = detail.dump();
  Record(p, a);
  return page;
}

AuditExportStream::AuditExportStream(storage::Store& store, storage::AuditQuery query,
                                     std::vector<AuditRecordView> first)
    : store_(store), query_(std::move(query)), first_(std::move(first)) {
  done_ = static_cast<int>(first_.size()) < query_.limit;
  if (!first_.empty()) After(first_.back().record);
}

void AuditExportStream::After(const domain::AuditRecord& last) {
  query_.before_at = last.at;
  query_.before_chain = last.chain;
  query_.before_seq = last.seq;
}

std::vector<AuditRecordView> AuditExportStream::Next() {
  if (!first_given_) {
    first_given_ = true;
    return std::move(first_);
  }
  if (done_) return {};
  if (names_.users.size() + names_.children.size() > kMaxNames) names_ = {};
  auto page =
      store_.ReadValue([&](Repositories& r) { return ViewAuditRecords(r, r.Audit().Find(query_), names_); });
  done_ = static_cast<int>(page.size()) < query_.limit;
  if (!page.empty()) After(page.back().record);
  return page;
}

Result<std::unique_ptr<AuditExportStream>> AuditService::StartExport(const Principal& p, const AuditFilter& filter) {
  AuditFilter whole = filter;
  whole.cursor.clear();
  whole.limit = kMaxPage;
  auto query = Authorise(p, whole, "audit.records.export");
  if (!query) return query.error();
  query->limit = export_page_;
  auto first = ctx_.store.ReadValue([&](Repositories& r) { return ViewAuditRecords(r, r.Audit().Find(*query)); });
  auto a = AuditFor(p, "audit.records.export", ctx_.clock.Now());
  a.child_id = filter.child_id;
  a.target_id = filter.user_id;
  a.why = "auditor of the authority";
  // The export is every record the filter selects up to and including this one (none if null).
  nlohmann::json detail{{"newest", first.empty() ? nlohmann::json(nullptr) : nlohmann::json(AuditCursor(first[0].record))}};
  if (filter.from) detail["from"] = filter.from->ToString();
  if (filter.to) detail["to"] = filter.to->ToString();
  a.detail = detail.dump();
  Record(p, a);
  return std::unique_ptr<AuditExportStream>(new AuditExportStream(ctx_.store, std::move(*query), std::move(first)));
}

Result<std::vector<FoundChild>> AuditService::FindChildren(const Principal& p, const std::string& name,
                                                           const std::optional<Date>& date_of_birth) {
  auto a = AuditFor(p, "audit.find_child", ctx_.clock.Now());
  const auto d = domain::Decide(p.Actor(), domain::AuthorityAction::kViewAuthorityAudit, p.user.authority_id);
  a.why = std::string(d.why);
  if (!d.allowed) {
    a.outcome = AuditOutcome::kDenied;
    Record(p, a);
    return Error::Forbidden("Only the authority's auditors look for children here (" + std::string(d.why) + ").");
  }
  auto words = QueryWords(name);
  if (!words) return words.error();
  std::vector<FoundChild> found;
  std::string after;
  for (;;) {
    auto page = ctx_.store.ReadValue(
        [&](Repositories& r) { return r.Children().ListRecordsByAuthority(p.user.authority_id, after, 10'000); });
    for (const auto& c : page) {
      if (date_of_birth && c.date_of_birth != date_of_birth) continue;
      if (!Matches(*words, Words(c.given_names + " " + c.family_name))) continue;
      found.push_back({c.id, c.given_names, c.family_name, c.date_of_birth, c.postcode, c.shielded});
    }
    if (page.size() < 10'000) break;
    after = page.back().id;
  }
  std::sort(found.begin(), found.end(), [](const FoundChild& x, const FoundChild& y) {
    return std::tie(x.family_name, x.given_names, x.child_id) < std::tie(y.family_name, y.given_names, y.child_id);
  });
  if (found.size() > kMaxFound) found.resize(kMaxFound);
  nlohmann::json detail{{"name", name}};
  if (date_of_birth) detail["date_of_birth"] = date_of_birth->ToString();
  a.detail = detail.dump();
  for (const auto& c : found) a.found_children.push_back(c.child_id);
  Record(p, a);
  return found;
}

Result<std::vector<FoundUser>> AuditService::FindUsers(const Principal& p, const std::string& name) {
  auto a = AuditFor(p, "audit.find_user", ctx_.clock.Now());
  const auto d = domain::Decide(p.Actor(), domain::AuthorityAction::kViewAuthorityAudit, p.user.authority_id);
  a.why = std::string(d.why);
  if (!d.allowed) {
    a.outcome = AuditOutcome::kDenied;
    Record(p, a);
    return Error::Forbidden("Only the authority's auditors look for users here (" + std::string(d.why) + ").");
  }
  auto words = QueryWords(name);
  if (!words) return words.error();
  std::vector<FoundUser> found;
  ctx_.store.Read([&](Repositories& r) {
    std::map<std::string, std::string> agencies;
    for (const auto& u : r.Users().ListByAuthority(p.user.authority_id)) {
      auto names = Words(u.display_name);
      for (auto& w : Words(u.username)) names.push_back(std::move(w));
      names.push_back(u.username);
      if (!Matches(*words, names)) continue;
      auto [it, fresh] = agencies.try_emplace(u.agency_id);
      if (fresh && !u.agency_id.empty()) {
        if (auto agency = r.Agencies().Get(u.agency_id)) it->second = agency->name;
      }
      found.push_back({u.id, u.username, u.display_name, u.job_title, std::string(domain::ToString(u.role)),
                       it->second});
    }
  });
  std::sort(found.begin(), found.end(), [](const FoundUser& x, const FoundUser& y) {
    return std::tie(x.display_name, x.user_id) < std::tie(y.display_name, y.user_id);
  });
  if (found.size() > kMaxFound) found.resize(kMaxFound);
  a.detail = nlohmann::json{{"name", name}, {"found", found.size()}}.dump();
  Record(p, a);
  return found;
}

}  // namespace kith::app
