// The search query (POST /api/v1/search, `kith search --batch`): linkage::SearchIndex::Search
// over a small index. Input: the query's fields separated by '|' in the order given_name,
// family_name, date_of_birth, postcode, nhs_number, upn, age_from, age_to. Invariant: hits are
// scored in [0, 1], best first, no more than asked.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "linkage/search_index.h"

using namespace kith;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const linkage::SearchIndex* index = [] {
    auto* i = new linkage::SearchIndex;
    (void)i->Upsert({"c1", "Leo James", "Carter", Date{2021, 3, 14}, "NB1 4AA", "9434765919", "", false});
    (void)i->Upsert({"c2", "Aisha", "Khan", Date{2016, 11, 2}, "NB2 7QT", "", "A123456789012", false});
    (void)i->Upsert({"c3", "Zoë", "O'Brien-Nowak", Date{2012, 1, 30}, "NB3 1ZZ", "", "", true});
    (void)i->Upsert({"c4", "Mohammed", "Ali", std::nullopt, "", "", "", false});
    return i;
  }();
  std::string_view in(reinterpret_cast<const char*>(data), size);
  auto next = [&in] {
    const auto bar = in.find('|');
    const std::string part(in.substr(0, bar));
    in = bar == std::string_view::npos ? std::string_view() : in.substr(bar + 1);
    return part;
  };
  linkage::SearchQuery query;
  query.today = Date{2026, 12, 7};
  query.given_name = next();
  query.family_name = next();
  query.date_of_birth = Date::Parse(next());
  query.postcode = next();
  query.nhs_number = next();
  query.upn = next();
  const std::string age_from = next(), age_to = next();
  if (!age_from.empty()) query.age_from = static_cast<unsigned char>(age_from[0]) % 30 - 2;
  if (!age_to.empty()) query.age_to = static_cast<unsigned char>(age_to[0]) % 30 - 2;
  auto found = index->Search(query, 3);
  if (!found) return 0;
  if (found->hits.size() > 3) std::abort();
  for (size_t i = 0; i < found->hits.size(); ++i) {
    const double score = found->hits[i].score;
    if (!(score >= 0 && score <= 1)) std::abort();
    if (i > 0 && score > found->hits[i - 1].score) std::abort();
  }
  return 0;
}
