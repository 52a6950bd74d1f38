#include "app/search_service.h"

#include <set>

#include <nlohmann/json.hpp>

#include "common/log.h"

namespace kith::app {
namespace {

// The search terms as they go into the audit detail: only what was asked.
nlohmann::json Terms(const SearchTerms& t) {
  nlohmann::json j = nlohmann::json::object();
  auto put = [&](const char* key, const std::string& value) {
    if (!value.empty()) j[key] = value;
  };
  put("given_name", t.given_name);
  put("family_name", t.family_name);
  if (t.date_of_birth) j["date_of_birth"] = t.date_of_birth->ToString();
  if (t.age_from) j["age_from"] = *t.age_from;
  if (t.age_to) j["age_to"] = *t.age_to;
  put("postcode", t.postcode);
  put("nhs_number", t.nhs_number);
  put("upn", t.upn);
  return j;
}

std::string District(const std::string& postcode) { return postcode.substr(0, postcode.find(' ')); }

}  // namespace

linkage::IndexedChild ToIndexedChild(const domain::Child& c) {
  return {c.id, c.given_names, c.family_name, c.date_of_birth, c.postcode, c.nhs_number, c.upn, c.shielded};
}

Result<SearchOutcome> SearchService::Search(const Principal& p, SearchTerms terms, const std::string& reason) {
  const TimePoint now = ctx_.clock.Now();
  auto audit = AuditFor(p, "child.search", now);
  audit.detail = nlohmann::json{{"terms", Terms(terms)}}.dump();
  const domain::Decision d = domain::Decide(p.Actor(), domain::ChildAction::kViewSignposting, {});
  if (!d.allowed) {
    audit.outcome = domain::AuditOutcome::kDenied;
    audit.why = std::string(d.why);
    ctx_.store.Write([&](storage::Repositories& r) {
      r.Audit().Append(audit);
      return true;
    });
    return Error::Forbidden("Your role does not include searching the child index (" + std::string(d.why) + ").");
  }
  auto why = domain::ValidateReason(reason);
  if (!why) return why.error();
  terms.today = Date::FromTime(now);
  auto found = index_.Search(terms);
  if (!found) return found.error();

  SearchOutcome out;
  out.truncated = found->truncated;
  ctx_.store.Read([&](storage::Repositories& r) {
    const auto mine = r.Teams().ChildrenOf(p.user.id);
    const std::set<std::string> my_children(mine.begin(), mine.end());
    for (const auto& hit : found->hits) {
      auto child = r.Children().Get(hit.id);
      if (!child || r.Merges().MergedAway(child->id)) continue;  // merged into another child
      // The index may lag a change by a moment; the stored shield always wins.
      if (child->shielded && !hit.shielded) continue;
      SearchResultView v;
      v.child_id = child->id;
      v.given_names = child->given_names;
      v.family_name = child->family_name;
      v.date_of_birth = child->date_of_birth;
      v.shielded = child->shielded;
      if (!v.shielded) v.postcode_district = District(child->postcode);
      v.score = hit.score;
      v.on_my_team = my_children.count(child->id) > 0;
      out.results.push_back(std::move(v));
    }
  });

  // The children found are indexed with the record: "who searched for this child" (issue 14).
  for (const auto& v : out.results) audit.found_children.push_back(v.child_id);
  audit.why = std::string(d.why);
  audit.reason = *why;
  audit.detail = nlohmann::json{{"terms", Terms(terms)}, {"truncated", out.truncated}}.dump();
  ctx_.store.Write([&](storage::Repositories& r) {
    r.Audit().Append(audit);
    return true;
  });
  return out;
}

void SearchService::ChildStored(const domain::Child& child) {
  if (auto s = index_.Upsert(ToIndexedChild(child)); !s) {
    log::Warn("search_index.update_failed", {{"child_id", child.id}, {"reason", s.error().message}});
  }
}

std::unique_ptr<linkage::SearchIndex> BuildSearchIndex(storage::Store& store,
                                                       const std::function<void(size_t indexed)>& progress) {
  constexpr int kPage = 10'000;
  linkage::SearchIndexBuilder builder;
  builder.Reserve(static_cast<size_t>(store.ReadValue([](storage::Repositories& r) { return r.Children().Count(); })));
  const auto authorities = store.ReadValue([](storage::Repositories& r) { return r.Authorities().List(); });
  size_t next_report = 100'000;
  for (const auto& authority : authorities) {
    std::string after;
    for (;;) {
      auto page = store.ReadValue(
          [&](storage::Repositories& r) { return r.Children().ListRecordsByAuthority(authority.id, after, kPage); });
      for (const auto& c : page) {
        if (auto s = builder.Add(ToIndexedChild(c)); !s) {
          log::Warn("search_index.skipped", {{"child_id", c.id}, {"reason", s.error().message}});
        }
      }
      if (progress && builder.Size() >= next_report) {
        progress(builder.Size());
        next_report += 100'000;
      }
      if (page.size() < static_cast<size_t>(kPage)) break;
      after = page.back().id;
    }
  }
  if (progress) progress(builder.Size());
  return builder.Finish();
}

}  // namespace kith::app
