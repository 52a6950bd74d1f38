#include "http/search_api.h"

#include <cmath>

#include "http/handlers.h"

namespace kith::http {
namespace {

json ToJson(const app::SearchResultView& v) {
  return {{"child_id", v.child_id},
          {"given_names", v.given_names},
          {"family_name", v.family_name},
          {"date_of_birth", v.date_of_birth ? json(v.date_of_birth->ToString()) : json(nullptr)},
          {"postcode_district", v.shielded || v.postcode_district.empty() ? json(nullptr) : json(v.postcode_district)},
          {"score", std::round(v.score * 1000) / 1000},
          {"shielded", v.shielded},
          {"on_my_team", v.on_my_team}};
}

// Encodes with this file's ToJson overloads as well as json_codec.h's.
const auto kEncode = [](const auto& value) { return ToJson(value); };

// The search terms of a request body; unknown fields and wrong types are refused.
Result<std::pair<app::SearchTerms, std::string>> TermsFromJson(const json& body) {
  ObjectReader in(
      body, "",
      {"given_name", "family_name", "date_of_birth", "age_from", "age_to", "postcode", "nhs_number", "upn", "reason"});
  app::SearchTerms t;
  t.given_name = in.String("given_name", false, 100);
  t.family_name = in.String("family_name", false, 100);
  t.date_of_birth = in.DateValue("date_of_birth");
  auto age = [&](std::string_view key) -> std::optional<int> {
    if (!in.Has(key)) return std::nullopt;
    const int64_t v = in.Int(key);
    if (v < 0 || v > 25) {
      in.Fail(key, "An age must be a whole number of years from 0 to 25.");
      return std::nullopt;
    }
    return static_cast<int>(v);
  };
  t.age_from = age("age_from");
  t.age_to = age("age_to");
  t.postcode = in.String("postcode", false, 10);
  t.nhs_number = in.String("nhs_number", false, 14);
  t.upn = in.String("upn", false, 16);
  std::string reason = in.String("reason", true, 500);
  if (in.error()) return *in.error();
  return std::pair{std::move(t), std::move(reason)};
}

}  // namespace

void RegisterSearchApi(Router& router, SearchApiServices s, ApiOptions options) {
  router.Add("POST", "/api/v1/search", [s, options](const Request& q, const Params&) {
    return WithBody(s.auth, options, q, [&](const app::Principal& p, const json& body) {
      auto terms = TermsFromJson(body);
      if (!terms) return ErrorResponse(terms.error(), q.request_id);
      return Reply(q, s.search.Search(p, std::move(terms->first), terms->second), 200, [](const auto& found) {
        return json{{"results", ListJson(found.results, kEncode)}, {"truncated", found.truncated}};
      });
    });
  });
}

}  // namespace kith::http
