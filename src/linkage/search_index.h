// The national search index: an in-memory index over every child for fuzzy search by any
// combination of given name, family name, date of birth (or an age range), postcode, NHS number
// and UPN. Tolerates typos, nicknames and transliterations (text.h), case and accents, missing
// fields, given and family names swapped, and a mistyped date of birth (day and month swapped,
// a day out, one digit wrong). Results are ranked by a score in [0, 1].
//
// Shielded children are found only by an exact match (after case and accent folding) on given
// names, family name and date of birth, all three given in the query; their location is never
// returned.
//
// Layout (see docs/adr/0003-search-index.md): one 40-byte row per child (interned name ids; NHS
// number, date of birth and flags packed into one integer; UPN and postcode packed), the
// child's id in a byte arena, and one sorted array of 64-bit postings, each a 32-bit hashed key
// and a 32-bit row number. Keys are: NHS number; UPN; date of birth + phonetic code of either
// name; date of birth + both codes; the unordered pair of given and family phonetic codes;
// family phonetic + birth year;
// postcode; id. A hash collision only adds a candidate, which scoring then rejects.
// Updates go to a small sorted delta array, merged into the main one when it grows; a changed
// child keeps its row, so postings for its old values merely add candidates that are scored
// against the current values.
//
// Thread safety: Search and Size may run concurrently from any number of threads; Upsert takes
// an exclusive lock, so it briefly blocks searches. SearchIndexBuilder is single-threaded.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/date.h"
#include "common/result.h"

namespace kith::linkage {

// One child as the index sees it. Text as written; the index folds and normalises it.
struct IndexedChild {
  std::string id;  // the Kith id, or a source record id; at most 255 bytes
  std::string given_names;
  std::string family_name;
  std::optional<Date> date_of_birth;
  std::string postcode;
  std::string nhs_number;  // ignored unless a valid NHS number
  std::string upn;         // ignored unless a valid UPN
  bool shielded = false;
};

struct SearchQuery {
  std::string given_name;
  std::string family_name;
  std::optional<Date> date_of_birth;
  // Whole years of age on `today`, inclusive; used when no date of birth is given.
  std::optional<int> age_from;
  std::optional<int> age_to;
  Date today;
  std::string postcode;  // a full postcode, or just its district ("SW1A")
  std::string nhs_number;
  std::string upn;
};

struct SearchHit {
  std::string id;
  double score = 0;  // in [0, 1]; 1 is an exact match on everything asked
  bool shielded = false;
  std::string postcode_district;  // outward code; empty when shielded or unknown
};

struct SearchResults {
  std::vector<SearchHit> hits;  // best first, at most the limit
  bool truncated = false;       // more children than the limit scored above the threshold
  size_t candidates = 0;        // children scored
};

class SearchIndex {
 public:
  // Scores below this are not returned: a child must resemble the query on most of what was
  // asked.
  static constexpr double kMinScore = 0.6;
  static constexpr size_t kMaxResults = 20;

  SearchIndex();
  ~SearchIndex();
  SearchIndex(const SearchIndex&) = delete;
  SearchIndex& operator=(const SearchIndex&) = delete;

  // Searches. Fails with kInvalidInput (field named) when the query is too thin to search
  // proportionately — it needs an NHS number or UPN, or at least two of given name, family
  // name, date of birth or age range, and postcode, of which one can be looked up (given name
  // with an age range alone cannot) — or when an NHS number, UPN, date or age range is
  // malformed. `limit` is capped at kMaxResults.
  Result<SearchResults> Search(const SearchQuery& query, size_t limit = kMaxResults) const;

  // Adds a child, or replaces the indexed values of the child with the same id.
  // Fails with kInvalidInput when the id is empty or longer than 255 bytes.
  Status Upsert(const IndexedChild& child);

  size_t Size() const;

 private:
  friend class SearchIndexBuilder;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Builds an index in bulk: Add every child (ids must be unique; a repeated id is indexed twice),
// then Finish, which sorts the postings on `threads` threads.
class SearchIndexBuilder {
 public:
  SearchIndexBuilder();
  ~SearchIndexBuilder();
  // Reserves room for this many children (avoids growth copies while adding).
  void Reserve(size_t children);
  // Fails with kInvalidInput when the id is empty or longer than 255 bytes.
  Status Add(const IndexedChild& child);
  size_t Size() const;
  // The finished index; the builder is empty afterwards. threads = 0: hardware concurrency.
  std::unique_ptr<SearchIndex> Finish(unsigned threads = 0);

 private:
  std::unique_ptr<SearchIndex> index_;
};

}  // namespace kith::linkage
