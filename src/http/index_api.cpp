#include "http/index_api.h"

#include <cmath>

#include "http/handlers.h"

namespace kith::http {
namespace {

json TextOrNull(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }

double Rounded(double v, double scale) { return std::round(v * scale) / scale; }

json ToJson(const storage::SourceRecord& r) {
  json attributes = json::parse(r.attributes.empty() ? "{}" : r.attributes, nullptr, false);
  if (attributes.is_discarded()) attributes = json::object();
  return {{"id", r.id},
          {"source", r.source},
          {"record_id", r.record_id},
          {"child_id", TextOrNull(r.child_id)},
          {"given_name", r.given_name},
          {"family_name", r.family_name},
          {"date_of_birth", TextOrNull(r.date_of_birth)},
          {"sex", TextOrNull(r.sex)},
          {"postcode", r.postcode},
          {"address", r.address},
          {"nhs_number", r.nhs_number},
          {"upn", r.upn},
          {"attributes", attributes},
          {"imported_at", FormatUtc(r.imported_at)}};
}

json ToJson(const app::ReviewSummary& s) {
  return {{"id", s.id},
          {"created_at", FormatUtc(s.created_at)},
          {"source", s.source},
          {"record_id", s.record_id},
          {"given_name", s.given_name},
          {"family_name", s.family_name},
          {"date_of_birth", TextOrNull(s.date_of_birth)},
          {"candidates", s.candidates},
          {"best_probability", Rounded(s.best_probability, 1000)}};
}

std::string_view StatusName(storage::ReviewStatus status) {
  switch (status) {
    case storage::ReviewStatus::kMatched:
      return "matched";
    case storage::ReviewStatus::kNotMatched:
      return "not_matched";
    case storage::ReviewStatus::kOpen:
      break;
  }
  return "open";
}

json ToJson(const app::ReviewView& v) {
  json candidates = json::array();
  for (const auto& c : v.candidates) {
    json evidence = json::parse(c.candidate.evidence, nullptr, false);
    if (!evidence.is_array()) evidence = json::array();
    json sources = json::array();
    for (const auto& s : c.sources) sources.push_back(ToJson(s));
    const auto& k = c.child;
    candidates.push_back({{"child",
                           {{"id", k.id},
                            {"authority_id", k.authority_id},
                            {"given_names", k.given_names},
                            {"family_name", k.family_name},
                            {"date_of_birth", k.date_of_birth ? json(k.date_of_birth->ToString()) : json(nullptr)},
                            {"sex", domain::ToString(k.sex)},
                            {"address", k.address},
                            {"postcode", k.postcode},
                            {"nhs_number", k.nhs_number},
                            {"upn", k.upn},
                            {"shielded", k.shielded}}},
                          {"probability", Rounded(c.candidate.probability, 1000)},
                          {"weight", Rounded(c.candidate.weight, 100)},
                          {"evidence", evidence},
                          {"sources", sources}});
  }
  const auto& i = v.item;
  return {{"id", i.id},
          {"status", StatusName(i.status)},
          {"created_at", FormatUtc(i.created_at)},
          {"decided_by", TextOrNull(i.decided_by)},
          {"decided_at", i.decided_at ? json(FormatUtc(*i.decided_at)) : json(nullptr)},
          {"decided_child_id", TextOrNull(i.decided_child_id)},
          {"reason", TextOrNull(i.reason)},
          {"record", ToJson(v.record)},
          {"candidates", candidates}};
}

json ToJson(const storage::ChildMerge& m) {
  return {{"id", m.id},
          {"survivor_id", m.survivor_id},
          {"merged_id", m.merged_id},
          {"moved_source_records", m.moved_source_records},
          {"merged_by", m.merged_by},
          {"merged_at", FormatUtc(m.merged_at)},
          {"reason", m.reason},
          {"unmerged_by", TextOrNull(m.unmerged_by)},
          {"unmerged_at", m.unmerged_at ? json(FormatUtc(*m.unmerged_at)) : json(nullptr)},
          {"unmerge_reason", TextOrNull(m.unmerge_reason)}};
}

const auto kEncode = [](const auto& value) { return ToJson(value); };

}  // namespace

void RegisterIndexApi(Router& router, IndexApiServices s, ApiOptions options) {
  router.Add("GET", "/api/v1/index/reviews", [s, options](const Request& q, const Params&) {
    return WithPrincipal(s.auth, options, q, [&](const app::Principal& p) {
      return Reply(q, s.reviews.Open(p), 200, [](const auto& v) { return json{{"reviews", ListJson(v, kEncode)}}; });
    });
  });
  router.Add("GET", "/api/v1/index/reviews/{id}", [s, options](const Request& q, const Params& a) {
    return WithPrincipal(s.auth, options, q,
                         [&](const app::Principal& p) { return Reply(q, s.reviews.Get(p, a.at("id")), 200, kEncode); });
  });
  router.Add("POST", "/api/v1/index/reviews/{id}/decision", [s, options](const Request& q, const Params& a) {
    return WithBody(s.auth, options, q, [&](const app::Principal& p, const json& body) {
      ObjectReader in(body, "", {"decision", "child_id", "reason"});
      const std::string decision = in.String("decision", true, 20);
      const std::string child_id = in.String("child_id", false, 40);
      const std::string reason = in.String("reason", true, 500);
      if (!in.error() && decision != "match" && decision != "not_a_match") {
        in.Fail("decision", "Expected \"match\" or \"not_a_match\".");
      }
      if (in.error()) return ErrorResponse(*in.error(), q.request_id);
      const auto d = decision == "match" ? app::ReviewDecision::kMatch : app::ReviewDecision::kNotAMatch;
      return Reply(q, s.reviews.Decide(p, a.at("id"), d, child_id, reason), 200, kEncode);
    });
  });
  router.Add("POST", "/api/v1/index/merges", [s, options](const Request& q, const Params&) {
    return WithBody(s.auth, options, q, [&](const app::Principal& p, const json& body) {
      ObjectReader in(body, "", {"survivor_id", "merged_id", "reason"});
      const std::string survivor = in.String("survivor_id", true, 64);
      const std::string merged = in.String("merged_id", true, 64);
      const std::string reason = in.String("reason", true, 500);
      if (in.error()) return ErrorResponse(*in.error(), q.request_id);
      return Reply(q, s.merges.Merge(p, survivor, merged, reason), 201, kEncode);
    });
  });
  router.Add("GET", "/api/v1/index/merges/{id}", [s, options](const Request& q, const Params& a) {
    return WithPrincipal(s.auth, options, q,
                         [&](const app::Principal& p) { return Reply(q, s.merges.Get(p, a.at("id")), 200, kEncode); });
  });
  router.Add("POST", "/api/v1/index/merges/{id}/undo", [s, options](const Request& q, const Params& a) {
    return WithBody(s.auth, options, q, [&](const app::Principal& p, const json& body) {
      ObjectReader in(body, "", {"reason"});
      const std::string reason = in.String("reason", true, 500);
      if (in.error()) return ErrorResponse(*in.error(), q.request_id);
      return Reply(q, s.merges.Unmerge(p, a.at("id"), reason), 200, kEncode);
    });
  });
}

}  // namespace kith::http
