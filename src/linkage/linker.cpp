#include "linkage/linker.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cmath>
#include <fstream>
#include <numeric>
#include <random>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "linkage/text.h"

namespace kith::linkage {
namespace {

using SteadyClock = std::chrono::steady_clock;

double SecondsSince(SteadyClock::time_point start) {
  return std::chrono::duration<double>(SteadyClock::now() - start).count();
}

uint64_t Mix(uint64_t h, uint64_t v) {
  // splitmix64 finaliser over the running hash: cheap and well spread.
  uint64_t x = h ^ (v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2));
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

uint64_t HashText(std::string_view s) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (char c : s) {
    h ^= static_cast<uint8_t>(c);
    h *= 0x100000001b3ULL;
  }
  return h;
}

// The value of one single-valued part for record r, or false when r lacks it.
bool PartValue(BlockPart part, const Record& r, uint64_t* value) {
  uint64_t v = 0;
  switch (part) {
    case BlockPart::kNhsNumber:
      if (r.nhs_number.empty()) return false;
      v = HashText(r.nhs_number);
      break;
    case BlockPart::kUpn:
      if (r.upn.empty()) return false;
      v = HashText(r.upn);
      break;
    case BlockPart::kIdentifier:
      if (r.identifier.empty()) return false;
      v = HashText(r.identifier);
      break;
    case BlockPart::kGivenPhonetic:
      if (r.given_phonetic == 0) return false;
      v = r.given_phonetic;
      break;
    case BlockPart::kGivenInitial:
      if (r.given_canonical.empty()) return false;
      v = static_cast<uint8_t>(r.given_canonical[0]);
      break;
    case BlockPart::kFamilyPhonetic:
      if (r.family_phonetic == 0) return false;
      v = r.family_phonetic;
      break;
    case BlockPart::kFamilyName:
      if (r.family.empty()) return false;
      v = HashText(r.family);
      break;
    case BlockPart::kBirthYear:
      if (!r.dob.present) return false;
      v = static_cast<uint64_t>(r.dob.year);
      break;
    case BlockPart::kDateOfBirth:
      if (!r.dob.present) return false;
      v = HashText(std::string_view(r.dob.digits.data(), 8));
      break;
    case BlockPart::kBirthMonthDay:
      if (!r.dob.present) return false;
      v = static_cast<uint64_t>(r.dob.month * 100 + r.dob.day);
      break;
    case BlockPart::kPostcode:
      if (r.postcode.empty()) return false;
      v = HashText(r.postcode);
      break;
    case BlockPart::kPostcodeDistrict:
      if (r.postcode.empty()) return false;
      v = HashText(r.postcode_outward != 0 ? std::string_view(r.postcode).substr(0, r.postcode_outward)
                                           : std::string_view(r.postcode));
      break;
    case BlockPart::kLocality:
      if (r.locality.empty()) return false;
      v = HashText(r.locality);
      break;
    case BlockPart::kNameToken:
      return false;  // multi-valued: see BlockKeys
  }
  *value = v;
  return true;
}

// Appends the keys of `rule` for record r to `keys`: none when r lacks one of its parts, one
// per distinct full-name token for a rule with kNameToken, otherwise one.
void BlockKeys(const BlockingRule& rule, size_t rule_index, const Record& r, std::vector<uint64_t>* keys) {
  uint64_t h = Mix(0, rule_index + 1);
  bool by_token = false;
  for (BlockPart part : rule.parts) {
    if (part == BlockPart::kNameToken) {
      by_token = true;
      continue;
    }
    uint64_t v;
    if (!PartValue(part, r, &v)) return;
    h = Mix(h, v);
  }
  if (!by_token) {
    keys->push_back(h);
    return;
  }
  const size_t first = keys->size();
  ForEachToken(r.full_name, [&](std::string_view token) {
    if (token.size() >= 2) keys->push_back(Mix(h, PackPhonetic(PhoneticCode(token))));
  });
  std::sort(keys->begin() + static_cast<std::ptrdiff_t>(first), keys->end());
  keys->erase(std::unique(keys->begin() + static_cast<std::ptrdiff_t>(first), keys->end()), keys->end());
}

// One blocking rule's groups: members sorted by (key, record index), so that a record's
// candidates under this rule are the members after it in its group. A record has one position
// per key (several for kNameToken rules).
struct RuleIndex {
  static constexpr uint32_t kNone = UINT32_MAX;
  std::vector<uint32_t> members;
  std::vector<uint32_t> group_begin;  // per member position
  std::vector<uint32_t> group_end;
  std::vector<uint32_t> record_begin;  // per record, n + 1: its positions are
  std::vector<uint32_t> positions;     // positions[record_begin[i] .. record_begin[i + 1])
  size_t oversized = 0;
};

// Runs fn(begin, end, worker) over [0, n) in chunks on `threads` threads; the calling thread is
// worker 0 and alone reports progress.
template <typename Fn>
void ParallelChunks(unsigned threads, size_t n, size_t chunk, const Fn& fn, const std::function<void(double)>& report) {
  std::atomic<size_t> next{0};
  std::atomic<size_t> done{0};
  auto work = [&](unsigned worker) {
    for (;;) {
      const size_t begin = next.fetch_add(chunk);
      if (begin >= n) break;
      const size_t end = std::min(n, begin + chunk);
      fn(begin, end, worker);
      done += end - begin;
      if (worker == 0 && report) report(static_cast<double>(done.load()) / static_cast<double>(n));
    }
  };
  std::vector<std::thread> pool;
  for (unsigned w = 1; w < threads; ++w) pool.emplace_back(work, w);
  work(0);
  for (auto& t : pool) t.join();
}

RuleIndex BuildRuleIndex(const std::vector<Record>& records, const BlockingRule& rule, size_t rule_index,
                         size_t max_block_size) {
  const size_t n = records.size();
  std::vector<std::pair<uint64_t, uint32_t>> entries;
  entries.reserve(n);
  std::vector<uint64_t> keys;
  RuleIndex index;
  index.record_begin.assign(n + 1, 0);
  for (size_t i = 0; i < n; ++i) {
    keys.clear();
    BlockKeys(rule, rule_index, records[i], &keys);
    for (uint64_t key : keys) entries.emplace_back(key, static_cast<uint32_t>(i));
    index.record_begin[i + 1] = static_cast<uint32_t>(entries.size());
  }
  std::sort(entries.begin(), entries.end());
  index.members.resize(entries.size());
  index.group_begin.resize(entries.size());
  index.group_end.resize(entries.size());
  index.positions.resize(entries.size());
  std::vector<uint32_t> filled(index.record_begin.begin(), index.record_begin.end() - 1);
  for (size_t begin = 0; begin < entries.size();) {
    size_t end = begin + 1;
    while (end < entries.size() && entries[end].first == entries[begin].first) ++end;
    if (end - begin > max_block_size) ++index.oversized;
    for (size_t p = begin; p < end; ++p) {
      index.members[p] = entries[p].second;
      index.group_begin[p] = static_cast<uint32_t>(begin);
      index.group_end[p] = static_cast<uint32_t>(end);
      index.positions[filled[entries[p].second]++] = static_cast<uint32_t>(p);
    }
    begin = end;
  }
  return index;
}

// Per record and comparison, the frequency of the record's value among all records (0 when
// the comparison has no term frequency or the value is missing).
std::vector<float> TermFrequencies(const std::vector<Record>& records, const Comparator& comparator, unsigned threads) {
  const size_t width = comparator.size();
  const size_t n = records.size();
  std::vector<float> tf(n * width, 0.0f);
  ParallelChunks(
      threads, width, 1,
      [&](size_t begin, size_t end, unsigned) {
        for (size_t c = begin; c < end; ++c) {
          const ComparisonSpec& spec = comparator.specs()[c];
          if (!UsesTermFrequency(spec.kind)) continue;
          std::unordered_map<std::string_view, uint32_t> counts;
          for (const Record& r : records) {
            const std::string_view v = TermValue(spec, r);
            if (!v.empty()) ++counts[v];
          }
          for (size_t i = 0; i < n; ++i) {
            const std::string_view v = TermValue(spec, records[i]);
            if (!v.empty()) tf[i * width + c] = static_cast<float>(counts[v]) / static_cast<float>(n);
          }
        }
      },
      nullptr);
  return tf;
}

// Each record's full-name tokens with their frequency: the share of records whose full name
// holds the token. For the term-frequency adjustment of full names that share some tokens.
class FullNameTokens {
 public:
  // Empty (RarestShared must not be called) when `build` is false: the records have no full names.
  FullNameTokens(const std::vector<Record>& records, bool build) : records_(records) {
    if (!build) return;
    begin_.assign(records.size() + 1, 0);
    std::unordered_map<std::string_view, uint32_t> counts;
    for (const Record& r : records) {
      ForEachToken(r.full_name, [&](std::string_view t) {
        if (FirstOccurrence(r.full_name, t)) ++counts[t];
      });
    }
    const float n = static_cast<float>(std::max<size_t>(records.size(), 1));
    for (size_t i = 0; i < records.size(); ++i) {
      ForEachToken(records[i].full_name,
                   [&](std::string_view t) { frequency_.push_back(static_cast<float>(counts[t]) / n); });
      begin_[i + 1] = static_cast<uint32_t>(frequency_.size());
    }
  }

  // The frequency of the rarest token the full names of records a and b share, or 0 when they
  // share none. (The rarest rather than the product of all: tokens of one name are not
  // independent — a family shares its surname and often its titles — and the product made
  // precision fall from 0.977 to 0.958 on historical_50k.)
  float RarestShared(uint32_t a, uint32_t b) const {
    const std::string_view name_b = records_[b].full_name;
    float rarest = 0;
    uint32_t k = begin_[a];
    ForEachToken(records_[a].full_name, [&](std::string_view t) {
      const float f = frequency_[k++];
      if ((rarest == 0 || f < rarest) && ShareToken(name_b, t, 1)) rarest = f;
    });
    return rarest;
  }

 private:
  // Whether `token` (a view into `name`) is its first occurrence in `name`.
  static bool FirstOccurrence(std::string_view name, std::string_view token) {
    return name.find(token) == static_cast<size_t>(token.data() - name.data()) ||
           !ShareToken(name.substr(0, static_cast<size_t>(token.data() - name.data())), token, 1);
  }

  const std::vector<Record>& records_;
  std::vector<uint32_t> begin_;   // per record, n + 1: its tokens' frequencies are
  std::vector<float> frequency_;  // frequency_[begin_[i] .. begin_[i + 1])
};

std::vector<uint8_t> CompareAll(const std::vector<Record>& records, const Comparator& comparator,
                                const std::vector<std::pair<uint32_t, uint32_t>>& pairs, unsigned threads) {
  const size_t width = comparator.size();
  std::vector<uint8_t> gammas(pairs.size() * width);
  ParallelChunks(
      threads, pairs.size(), 4096,
      [&](size_t begin, size_t end, unsigned) {
        for (size_t p = begin; p < end; ++p) {
          comparator.Compare(records[pairs[p].first], records[pairs[p].second], &gammas[p * width]);
        }
      },
      nullptr);
  return gammas;
}

// Up to about `budget` pairs drawn uniformly from all pairs of records sharing a key
// (key 0 = no key).
std::vector<std::pair<uint32_t, uint32_t>> SampleGroupPairs(const std::vector<uint64_t>& keys, size_t budget,
                                                            std::mt19937_64& rng) {
  std::vector<uint32_t> order;
  for (size_t i = 0; i < keys.size(); ++i) {
    if (keys[i] != 0) order.push_back(static_cast<uint32_t>(i));
  }
  std::sort(order.begin(), order.end(),
            [&](uint32_t a, uint32_t b) { return keys[a] != keys[b] ? keys[a] < keys[b] : a < b; });
  std::vector<std::pair<size_t, size_t>> groups;
  double total = 0;
  for (size_t begin = 0; begin < order.size();) {
    size_t end = begin + 1;
    while (end < order.size() && keys[order[end]] == keys[order[begin]]) ++end;
    if (end - begin > 1) {
      groups.emplace_back(begin, end);
      const double s = static_cast<double>(end - begin);
      total += s * (s - 1) / 2;
    }
    begin = end;
  }
  std::vector<std::pair<uint32_t, uint32_t>> pairs;
  if (total == 0) return pairs;
  const double rate = std::min(1.0, static_cast<double>(budget) / total);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  for (const auto& [begin, end] : groups) {
    const size_t s = end - begin;
    if (rate >= 1.0) {
      for (size_t x = begin; x < end; ++x) {
        for (size_t y = x + 1; y < end; ++y) pairs.emplace_back(order[x], order[y]);
      }
      continue;
    }
    const double expected = static_cast<double>(s) * static_cast<double>(s - 1) / 2 * rate;
    size_t draws = static_cast<size_t>(expected);
    if (unit(rng) < expected - static_cast<double>(draws)) ++draws;
    std::uniform_int_distribution<size_t> pick(begin, end - 1);
    for (size_t d = 0; d < draws; ++d) {
      size_t x = pick(rng);
      size_t y = pick(rng);
      while (y == x) y = pick(rng);
      pairs.emplace_back(std::min(order[x], order[y]), std::max(order[x], order[y]));
    }
  }
  return pairs;
}

struct Session {
  ComparisonKind blocked;                // the comparison the pairs agree on exactly
  std::vector<ComparisonKind> excluded;  // left out of EM (the blocked one and its kin)
  bool for_prior;                        // estimates the prior (identifier sessions cannot:
                                         // nearly all their pairs match)
};

// The blocking value of a training session for one record, or 0 when it has none.
uint64_t SessionKey(ComparisonKind kind, const Record& r) {
  std::string_view v;
  switch (kind) {
    case ComparisonKind::kNhsNumber:
      v = r.nhs_number;
      break;
    case ComparisonKind::kUpn:
      v = r.upn;
      break;
    case ComparisonKind::kIdentifier:
      v = r.identifier;
      break;
    case ComparisonKind::kFamilyName:
      v = r.family;
      break;
    case ComparisonKind::kDateOfBirth:
      // A defaulted 1 January is shared by many children born in that year, not a match signal.
      if (r.dob.present && !r.dob.defaulted) v = std::string_view(r.dob.digits.data(), 8);
      break;
    default:
      break;
  }
  return v.empty() ? 0 : HashText(v) | 1;
}

Model Train(const std::vector<Record>& records, const Comparator& comparator, const LinkOptions& options,
            unsigned threads, const ProgressFn& progress) {
  Model model(comparator.specs());
  model.tf_weight = options.tf_weight;
  const size_t n = records.size();
  const size_t width = comparator.size();
  std::mt19937_64 rng(options.seed);
  if (n < 2) return model;

  // u from random pairs.
  const double all_pairs = static_cast<double>(n) * static_cast<double>(n - 1) / 2;
  const size_t u_pairs = static_cast<size_t>(std::min<double>(static_cast<double>(options.u_sample_pairs), all_pairs));
  std::vector<std::pair<uint32_t, uint32_t>> pairs;
  pairs.reserve(u_pairs);
  std::uniform_int_distribution<uint32_t> pick(0, static_cast<uint32_t>(n - 1));
  while (pairs.size() < u_pairs) {
    const uint32_t a = pick(rng);
    const uint32_t b = pick(rng);
    if (a != b) pairs.emplace_back(a, b);
  }
  EstimateU(CountPatterns(CompareAll(records, comparator, pairs, threads), width), &model);
  if (progress) progress("train", 0.3);

  // m by EM in sessions that each hold one field fixed, in order of trust: pairs sharing an
  // identifier are nearly all matches, so they estimate m cleanly even where twins and
  // siblings (who share surname, address and sometimes date of birth) would mislead EM on
  // pairs sharing a date of birth or a surname. Each comparison takes m from the first session
  // that estimates it.
  const std::vector<Session> sessions = {
      {ComparisonKind::kNhsNumber, {ComparisonKind::kNhsNumber}, false},
      {ComparisonKind::kUpn, {ComparisonKind::kUpn}, false},
      {ComparisonKind::kIdentifier, {ComparisonKind::kIdentifier}, false},
      {ComparisonKind::kDateOfBirth, {ComparisonKind::kDateOfBirth}, true},
      {ComparisonKind::kFamilyName, {ComparisonKind::kFamilyName, ComparisonKind::kFullName}, true},
  };
  std::vector<bool> m_set(width, false);
  struct PriorSession {
    size_t blocked;
    std::vector<bool> active;
    PatternCounts patterns;
  };
  std::vector<PriorSession> prior_sessions;
  for (const Session& session : sessions) {
    size_t blocked = width;
    for (size_t c = 0; c < width; ++c) {
      if (comparator.specs()[c].kind == session.blocked) blocked = c;
    }
    if (blocked == width) continue;
    std::vector<uint64_t> keys(n, 0);
    for (size_t i = 0; i < n; ++i) keys[i] = SessionKey(session.blocked, records[i]);
    pairs = SampleGroupPairs(keys, options.em_sample_pairs, rng);
    if (pairs.size() < 50) continue;
    PatternCounts patterns = CountPatterns(CompareAll(records, comparator, pairs, threads), width);
    std::vector<bool> active(width, true);
    for (size_t c = 0; c < width; ++c) {
      for (ComparisonKind k : session.excluded) {
        if (comparator.specs()[c].kind == k) active[c] = false;
      }
    }
    const EmResult em = RunEm(model, patterns, active, options.em_max_iterations);
    for (size_t c = 0; c < width; ++c) {
      if (!active[c] || m_set[c]) continue;
      model.m[c] = em.m[c];
      m_set[c] = true;
    }
    if (session.for_prior) prior_sessions.push_back({blocked, std::move(active), std::move(patterns)});
  }
  // The prior: within a session, posterior odds = prior odds × Bayes factor of exact agreement
  // on the blocked field. The match share is re-estimated with every m fixed, and the
  // sessions' estimates are averaged in log odds.
  if (!prior_sessions.empty()) {
    model.Finalise();
    double log_odds = 0;
    for (const PriorSession& p : prior_sessions) {
      const EmResult em = RunEm(model, p.patterns, p.active, options.em_max_iterations, false);
      const int top = LevelCount(comparator.specs()[p.blocked].kind) - 1;
      log_odds += std::log2(em.lambda / (1 - em.lambda)) - model.LevelWeight(p.blocked, top);
    }
    model.prior = Model::ToProbability(log_odds / static_cast<double>(prior_sessions.size()));
  }
  model.Finalise();
  if (progress) progress("train", 1.0);
  return model;
}

class UnionFind {
 public:
  explicit UnionFind(size_t n) : parent_(n) { std::iota(parent_.begin(), parent_.end(), 0u); }
  uint32_t Find(uint32_t x) {
    while (parent_[x] != x) {
      parent_[x] = parent_[parent_[x]];
      x = parent_[x];
    }
    return x;
  }
  // Joins two roots; returns the root of the union.
  uint32_t Unite(uint32_t root_a, uint32_t root_b) {
    const uint32_t root = std::min(root_a, root_b);
    parent_[std::max(root_a, root_b)] = root;
    return root;
  }

 private:
  std::vector<uint32_t> parent_;
};

// The first token of a record's given name.
std::string_view FirstToken(std::string_view name) { return name.substr(0, name.find(' ')); }

// True when either record's given name appears among the other's full-name tokens: the records
// then name the same person with the given name in another place (a middle name used as the
// first name, a title or surname in the given-name column), which is not the twins-and-siblings
// signal of two different given names. Siblings' full names hold their own given names.
bool GivenNameInOtherFullName(const Record& a, const Record& b) {
  return ShareToken(FirstToken(a.given), b.full_name) || ShareToken(FirstToken(b.given), a.full_name);
}

// The comparisons the strong-evidence rule reads (-1 when not compared).
struct StrongEvidenceFields {
  int given = -1;
  int family = -1;
  int full_name = -1;
  int dob = -1;
  int postcode = -1;
  int address = -1;
  int locality = -1;
};

// The shapes of the strong-evidence rule a pair shows, as StrongEvidence bits among `parts`
// (LinkOptions::strong_evidence). kStrongIdentifierContradicted is shown only by pairs whose
// identifier agrees (`identifier_agrees`); the other parts only by pairs whose identifier does
// not. Levels: given 0 missing or an agreeing initial, 1 different, 3 one slip; family 3 one
// slip; date 1 different, 2 two digits off or within a year, 3 one digit off, 4 day and month
// swapped; full name 3 half the tokens shared; postcode 3 same sector.
uint32_t StrongEvidenceShape(const uint8_t* gamma, const StrongEvidenceFields& f, const Record& a, const Record& b,
                             bool identifier_agrees, uint32_t parts) {
  auto level = [&](int c) { return c >= 0 ? static_cast<int>(gamma[c]) : 0; };
  const int given = level(f.given);
  const int family = level(f.family);
  const int dob = level(f.dob);
  // Two digits or more apart; two 1 January defaults of one year compare at level 2 too, and
  // are not apart (only their year is known).
  const bool dates_apart = dob == 1 || (dob == 2 && !(a.dob.defaulted && b.dob.defaulted));
  if (identifier_agrees) {
    const bool contradicted = (parts & kStrongIdentifierContradicted) != 0 && f.given >= 0 && given == 1 &&
                              dates_apart && !GivenNameInOtherFullName(a, b);
    return contradicted ? static_cast<uint32_t>(kStrongIdentifierContradicted) : 0u;
  }
  uint32_t shape = 0;
  const bool full_names_agree = level(f.full_name) >= 3;
  if (f.given >= 0 && given == 0 && !full_names_agree) shape |= kStrongNoGivenName;
  if ((dob == 3 || dob == 4) && family == 3) shape |= kStrongNearDateAndFamily;
  if (family >= 3 && !((parts & kStrongHouseholdFullNameExempt) != 0 && full_names_agree)) {
    // The first place both records fill, agreeing to the postcode sector.
    bool one_place = false;
    if (level(f.postcode) > 0) {
      one_place = level(f.postcode) >= 3;
    } else if (level(f.address) > 0) {
      one_place = level(f.address) >= 3;
    } else if (level(f.locality) > 0) {
      one_place = level(f.locality) == LevelCount(ComparisonKind::kLocality) - 1;
    }
    if (one_place && dates_apart) shape |= kStrongHouseholdDate;
    if (one_place && given == 3) shape |= kStrongHouseholdGivenSlip;
  }
  return shape & parts & ~kStrongHouseholdFullNameExempt;
}

}  // namespace

std::vector<BlockingRule> DefaultBlockingRules() {
  using P = BlockPart;
  return {
      {"nhs_number", {P::kNhsNumber}},
      {"upn", {P::kUpn}},
      {"identifier", {P::kIdentifier}},
      {"family_phonetic+birth_year+given_initial", {P::kFamilyPhonetic, P::kBirthYear, P::kGivenInitial}},
      {"date_of_birth+postcode_district", {P::kDateOfBirth, P::kPostcodeDistrict}},
      {"given_phonetic+date_of_birth", {P::kGivenPhonetic, P::kDateOfBirth}},
      {"family_phonetic+date_of_birth", {P::kFamilyPhonetic, P::kDateOfBirth}},
      {"given_phonetic+family_phonetic+postcode_district",
       {P::kGivenPhonetic, P::kFamilyPhonetic, P::kPostcodeDistrict}},
      {"family_name+given_phonetic", {P::kFamilyName, P::kGivenPhonetic}},
      {"given_phonetic+family_phonetic+birth_month_day", {P::kGivenPhonetic, P::kFamilyPhonetic, P::kBirthMonthDay}},
      {"name_token+date_of_birth", {P::kNameToken, P::kDateOfBirth}},
      {"name_token+postcode_district", {P::kNameToken, P::kPostcodeDistrict}},
      {"name_token+locality", {P::kNameToken, P::kLocality}},
  };
}

std::string_view ToString(Outcome outcome) {
  switch (outcome) {
    case Outcome::kMatch:
      return "match";
    case Outcome::kReview:
      return "review";
    case Outcome::kNonMatch:
      return "non_match";
  }
  return "non_match";
}

std::string StrongEvidenceParts(uint32_t parts) {
  static constexpr std::pair<uint32_t, std::string_view> kNames[] = {
      {kStrongNoGivenName, "no given name"},
      {kStrongIdentifierContradicted, "identifier contradicted"},
      {kStrongHouseholdDate, "household date"},
      {kStrongHouseholdGivenSlip, "household given-name slip"},
      {kStrongNearDateAndFamily, "near date and family name"},
  };
  std::string names;
  for (const auto& [bit, name] : kNames) {
    if ((parts & bit) == 0) continue;
    if (!names.empty()) names += ", ";
    names += name;
  }
  return names.empty() ? "none" : names;
}

Result<LinkResult> LinkNormalised(const std::vector<Record>& records, const LinkOptions& options) {
  if (!(options.review_probability > 0 && options.review_probability <= options.match_probability &&
        options.match_probability < 1)) {
    return Error::Invalid("threshold", "thresholds must satisfy 0 < review <= match < 1");
  }
  if (records.size() >= RuleIndex::kNone) {
    return Error::Invalid("input", "too many records for one run (limit 4,294,967,294)");
  }
  const unsigned threads = options.threads != 0 ? options.threads : std::max(1u, std::thread::hardware_concurrency());
  const ProgressFn& progress = options.progress;
  LinkResult result;
  result.stats.records = records.size();
  const size_t n = records.size();

  // Comparisons and model.
  auto t0 = SteadyClock::now();
  Comparator comparator(options.model != nullptr ? options.model->comparisons()
                                                 : ChooseComparisons(records, options.text_names));
  if (n > 0 && comparator.size() == 0) {
    return Error::Invalid("input", "no field is filled in often enough to compare records");
  }
  result.model = options.model != nullptr ? *options.model : Train(records, comparator, options, threads, progress);
  const Model& model = result.model;
  const std::vector<float> tf = TermFrequencies(records, comparator, threads);
  result.stats.train_seconds = SecondsSince(t0);

  // Blocking.
  t0 = SteadyClock::now();
  const std::vector<BlockingRule> rules =
      options.blocking_rules.empty() ? DefaultBlockingRules() : options.blocking_rules;
  std::vector<RuleIndex> index(rules.size());
  ParallelChunks(
      threads, rules.size(), 1,
      [&](size_t begin, size_t end, unsigned) {
        for (size_t r = begin; r < end; ++r) index[r] = BuildRuleIndex(records, rules[r], r, options.max_block_size);
      },
      nullptr);
  for (const RuleIndex& ri : index) result.stats.oversized_blocks += ri.oversized;
  result.stats.block_seconds = SecondsSince(t0);
  if (progress) progress("block", 1.0);

  // Scoring.
  t0 = SteadyClock::now();
  const size_t width = comparator.size();
  int given = -1;
  int full_name = -1;
  std::vector<size_t> identifiers;
  StrongEvidenceFields strong;
  for (size_t c = 0; c < width; ++c) {
    const int ci = static_cast<int>(c);
    switch (comparator.specs()[c].kind) {
      case ComparisonKind::kGivenName:
        given = strong.given = ci;
        break;
      case ComparisonKind::kFamilyName:
        strong.family = ci;
        break;
      case ComparisonKind::kFullName:
        full_name = strong.full_name = ci;
        break;
      case ComparisonKind::kDateOfBirth:
        strong.dob = ci;
        break;
      case ComparisonKind::kPostcode:
        strong.postcode = ci;
        break;
      case ComparisonKind::kAddress:
        strong.address = ci;
        break;
      case ComparisonKind::kLocality:
        strong.locality = ci;
        break;
      default:
        break;
    }
    if (IsIdentifier(comparator.specs()[c].kind)) identifiers.push_back(c);
  }
  const double match_weight = Model::ToWeight(options.match_probability);
  const double review_weight = Model::ToWeight(options.review_probability);
  // Pairs that the children's identifiers settle as two children: both records give an NHS
  // number (or a UPN) and they differ.
  std::vector<size_t> settling;
  for (size_t c = 0; c < width; ++c) {
    const ComparisonKind kind = comparator.specs()[c].kind;
    if (kind == ComparisonKind::kNhsNumber || kind == ComparisonKind::kUpn) settling.push_back(c);
  }
  auto settling_ids_agree = [&](const uint8_t* gamma) {
    for (size_t c : settling) {
      if (gamma[c] == LevelCount(comparator.specs()[c].kind) - 1) return true;
    }
    return false;
  };
  auto settling_ids_differ = [&](const uint8_t* gamma) {
    bool differ = false;
    for (size_t c : settling) {
      if (gamma[c] == LevelCount(comparator.specs()[c].kind) - 1) return false;
      differ |= gamma[c] == 1;
    }
    return differ;
  };
  struct WorkerOutput {
    std::vector<ScoredPair> matches;
    std::vector<ScoredPair> reviews;
    size_t compared = 0;
    size_t guarded = 0;
    size_t strong = 0;
    std::array<size_t, 32> evidence{};  // per StrongEvidence bit: settled pairs of different children
    std::vector<uint32_t> stamp;
  };
  const FullNameTokens full_name_tokens(records, full_name >= 0);
  const int full_name_top = full_name >= 0 ? LevelCount(ComparisonKind::kFullName) - 1 : 0;
  std::vector<WorkerOutput> outputs(threads);
  for (auto& o : outputs) o.stamp.assign(n, RuleIndex::kNone);
  auto score_range = [&](size_t begin, size_t end, unsigned worker) {
    WorkerOutput& out = outputs[worker];
    uint8_t gamma[kMaxComparisons];
    for (size_t i = begin; i < end; ++i) {
      for (const RuleIndex& ri : index) {
        for (uint32_t k = ri.record_begin[i]; k < ri.record_begin[i + 1]; ++k) {
          const uint32_t p = ri.positions[k];
          const uint32_t group_end = ri.group_end[p];
          if (group_end - ri.group_begin[p] > options.max_block_size) continue;
          for (uint32_t q = p + 1; q < group_end; ++q) {
            const uint32_t j = ri.members[q];
            if (out.stamp[j] == i) continue;
            out.stamp[j] = static_cast<uint32_t>(i);
            ++out.compared;
            comparator.Compare(records[i], records[j], gamma);
            const float* pair_tf = &tf[i * width];
            float shared_tf[kMaxComparisons];
            if (full_name >= 0 && gamma[full_name] >= 2 && gamma[full_name] < full_name_top) {
              // Full names sharing some tokens: adjusted by how common the rarest of them is.
              std::copy(pair_tf, pair_tf + width, shared_tf);
              shared_tf[full_name] = full_name_tokens.RarestShared(static_cast<uint32_t>(i), j);
              pair_tf = shared_tf;
            }
            const double w = model.Score(gamma, pair_tf);
            if (settling_ids_differ(gamma)) {
              // Two children told apart by their NHS numbers or UPNs: were the identifiers not
              // there, would they be an automatic match, and of which shape?
              double without_ids = w;
              for (size_t c : identifiers) without_ids -= model.LevelWeight(c, gamma[c]);
              if (without_ids >= match_weight) {
                const uint32_t shape = StrongEvidenceShape(gamma, strong, records[i], records[j], false, options.strong_evidence);
                for (uint32_t bit = 0; bit < 32; ++bit) out.evidence[bit] += (shape >> bit) & 1u;
              }
            }
            if (w < review_weight) continue;
            Outcome outcome = w >= match_weight ? Outcome::kMatch : Outcome::kReview;
            bool guarded = false;
            bool identifier_agrees = false;
            for (size_t c : identifiers) {
              identifier_agrees |= gamma[c] == LevelCount(comparator.specs()[c].kind) - 1;
            }
            if (options.sibling_guard && given >= 0 && (gamma[given] == 1 || gamma[given] == 2)) {
              if (!identifier_agrees && !GivenNameInOtherFullName(records[i], records[j])) {
                if (gamma[given] == 1) {
                  ++out.guarded;
                  continue;
                }
                if (options.similar_given_names_to_review && outcome == Outcome::kMatch) {
                  outcome = Outcome::kReview;
                  guarded = true;
                  ++out.guarded;
                }
              }
            }
            uint32_t shape = 0;
            if (outcome == Outcome::kMatch && options.strong_evidence != 0) {
              // The identifier part reads NHS numbers and UPNs only (a sibling's written in the
              // record); another identifier that agrees (an email, FEBRL's social security
              // number) exempts the pair from every part.
              shape = identifier_agrees && !settling_ids_agree(gamma)
                          ? 0
                          : StrongEvidenceShape(gamma, strong, records[i], records[j], identifier_agrees,
                                                options.strong_evidence);
              if ((shape & kStrongIdentifierContradicted) != 0) {
                outcome = Outcome::kReview;
                ++out.strong;
                shape = 0;
              }
            }
            ScoredPair sp{static_cast<uint32_t>(i), j, static_cast<float>(w), outcome, guarded,
                          static_cast<uint8_t>(shape)};
            (outcome == Outcome::kMatch ? out.matches : out.reviews).push_back(sp);
          }
        }
      }
    }
  };
  ParallelChunks(threads, n, 2048, score_range, [&](double f) {
    if (progress) progress("score", f);
  });
  result.stats.score_seconds = SecondsSince(t0);

  // Clusters: connected components of automatic matches, strongest first, never joining two
  // clusters that hold different valid NHS numbers or UPNs (a child has one of each). Without
  // that rule a record lacking identifiers can chain two siblings together. Nor are two clusters
  // of several records joined by a link that is not strong (cluster_join_margin): one record
  // that resembles parts of two people would otherwise chain them into one.
  t0 = SteadyClock::now();
  // The strong-evidence parts in force: the identifier part always; each other part when the
  // data shows its shape between children its identifiers tell apart (or always, when
  // strong_evidence_from_data is off).
  std::array<size_t, 32> evidence{};
  for (const WorkerOutput& out : outputs) {
    for (size_t bit = 0; bit < 32; ++bit) evidence[bit] += out.evidence[bit];
  }
  uint32_t in_force = options.strong_evidence & kStrongIdentifierContradicted;
  for (uint32_t bit = 0; bit < 32; ++bit) {
    const uint32_t part = 1u << bit;
    if ((options.strong_evidence & part) == 0 || part == kStrongIdentifierContradicted ||
        part == kStrongHouseholdFullNameExempt) {
      continue;  // the identifier part is in force already; the exemption is no part
    }
    if (!options.strong_evidence_from_data || evidence[bit] >= options.strong_evidence_min_pairs) in_force |= part;
    result.stats.strong_evidence_settled_pairs += evidence[bit];
  }
  result.stats.strong_evidence_in_force = in_force;
  std::vector<ScoredPair> matches;
  for (WorkerOutput& out : outputs) {
    result.stats.candidate_pairs += out.compared;
    result.stats.sibling_guarded += out.guarded;
    result.stats.strong_evidence_reviews += out.strong;
    for (ScoredPair& sp : out.matches) {
      if ((sp.strong_shape & in_force) == 0) continue;
      sp.outcome = Outcome::kReview;
      ++result.stats.strong_evidence_reviews;
      out.reviews.push_back(sp);
    }
    std::erase_if(out.matches, [](const ScoredPair& sp) { return sp.outcome != Outcome::kMatch; });
    result.stats.reviews += out.reviews.size();
    matches.insert(matches.end(), out.matches.begin(), out.matches.end());
    result.pairs.insert(result.pairs.end(), out.reviews.begin(), out.reviews.end());
    out = WorkerOutput{};
  }
  std::sort(matches.begin(), matches.end(), [](const ScoredPair& x, const ScoredPair& y) {
    return x.weight != y.weight ? x.weight > y.weight : (x.a != y.a ? x.a < y.a : x.b < y.b);
  });
  UnionFind uf(n);
  std::vector<uint32_t> nhs_holder(n, RuleIndex::kNone);  // per root: a record with an NHS number
  std::vector<uint32_t> upn_holder(n, RuleIndex::kNone);
  for (size_t i = 0; i < n; ++i) {
    if (!records[i].nhs_number.empty()) nhs_holder[i] = static_cast<uint32_t>(i);
    if (!records[i].upn.empty()) upn_holder[i] = static_cast<uint32_t>(i);
  }
  auto conflict = [&](const std::vector<uint32_t>& holder, uint32_t ra, uint32_t rb, auto field) {
    return holder[ra] != RuleIndex::kNone && holder[rb] != RuleIndex::kNone &&
           records[holder[ra]].*field != records[holder[rb]].*field;
  };
  std::vector<uint32_t> cluster_size(n, 1);  // per root
  const double strong_link = Model::ToWeight(options.match_probability) + options.cluster_join_margin;
  for (ScoredPair& sp : matches) {
    const uint32_t ra = uf.Find(sp.a);
    const uint32_t rb = uf.Find(sp.b);
    if (ra == rb) {
      ++result.stats.matches;
    } else if (conflict(nhs_holder, ra, rb, &Record::nhs_number) || conflict(upn_holder, ra, rb, &Record::upn)) {
      sp.outcome = Outcome::kReview;
      ++result.stats.reviews;
      ++result.stats.identifier_conflicts;
    } else if (options.cluster_join_margin > 0 && cluster_size[ra] > 1 && cluster_size[rb] > 1 &&
               sp.weight < strong_link) {
      sp.outcome = Outcome::kReview;
      ++result.stats.reviews;
      ++result.stats.weak_bridges;
    } else {
      const uint32_t root = uf.Unite(ra, rb);
      const uint32_t other = root == ra ? rb : ra;
      cluster_size[root] += cluster_size[other];
      if (nhs_holder[root] == RuleIndex::kNone) nhs_holder[root] = nhs_holder[other];
      if (upn_holder[root] == RuleIndex::kNone) upn_holder[root] = upn_holder[other];
      ++result.stats.matches;
    }
    if (options.keep_match_pairs || sp.outcome == Outcome::kReview) result.pairs.push_back(sp);
  }
  matches = {};
  std::sort(result.pairs.begin(), result.pairs.end(),
            [](const ScoredPair& x, const ScoredPair& y) { return x.a != y.a ? x.a < y.a : x.b < y.b; });
  result.cluster_of.assign(n, 0);
  std::vector<uint32_t> cluster_of_root(n, RuleIndex::kNone);
  uint32_t next_cluster = 0;
  for (size_t i = 0; i < n; ++i) {
    const uint32_t root = uf.Find(static_cast<uint32_t>(i));
    if (cluster_of_root[root] == RuleIndex::kNone) cluster_of_root[root] = next_cluster++;
    result.cluster_of[i] = cluster_of_root[root];
  }
  result.stats.clusters = next_cluster;
  result.stats.cluster_seconds = SecondsSince(t0);
  if (progress) progress("cluster", 1.0);
  return result;
}

Result<LinkResult> Link(const std::vector<InputRecord>& inputs, const LinkOptions& options) {
  const auto t0 = SteadyClock::now();
  const unsigned threads = options.threads != 0 ? options.threads : std::max(1u, std::thread::hardware_concurrency());
  std::vector<Record> records(inputs.size());
  ParallelChunks(
      threads, inputs.size(), 4096,
      [&](size_t begin, size_t end, unsigned) {
        for (size_t i = begin; i < end; ++i) records[i] = NormaliseRecord(inputs[i]);
      },
      [&](double f) {
        if (options.progress) options.progress("normalise", f);
      });
  const double normalise_seconds = SecondsSince(t0);
  auto result = LinkNormalised(records, options);
  if (result) result->stats.normalise_seconds = normalise_seconds;
  return result;
}

Result<LinkCsvSummary> LinkCsvFile(const std::vector<std::string>& input_paths, const std::string& output_path,
                                   const LinkCsvOptions& options) {
  if (input_paths.empty()) return Error::Invalid("input", "no input file");
  LinkCsvSummary summary;
  std::vector<InputRecord> records;
  std::vector<std::string> header;
  std::unordered_set<std::string> ids;
  for (const std::string& path : input_paths) {
    auto loaded = ReadRecordsCsvFile(path, options.fields);
    if (!loaded) return loaded.error();
    if (header.empty()) {
      header = loaded->schema.columns;
    } else if (loaded->schema.columns != header) {
      return Error::Invalid("input", fmt::format("'{}' has a different header from '{}'", path, input_paths[0]));
    }
    for (RowError& e : loaded->errors) {
      e.reason = fmt::format("{}: {}", path, e.reason);
      summary.row_errors.push_back(std::move(e));
    }
    for (InputRecord& r : loaded->records) {
      if (!ids.insert(r.record_id).second) {
        summary.row_errors.push_back(
            {0, fmt::format("{}: duplicate record id '{}' (also in an earlier file)", path, r.record_id)});
        continue;
      }
      records.push_back(std::move(r));
    }
  }
  summary.rows_read = records.size();
  LinkOptions link = options.link;
  if (link.text_names.empty()) {
    auto schema = ResolveSchema(header, options.fields);
    if (schema) link.text_names = schema->text_columns;
  }
  auto result = Link(records, link);
  if (!result) return result.error();
  summary.stats = result->stats;

  std::ofstream out(output_path, std::ios::binary | std::ios::trunc);
  if (!out) return Error::NotFound(fmt::format("cannot write '{}'", output_path));
  out << "record_id,cluster_id\n";
  for (size_t i = 0; i < records.size(); ++i) {
    out << CsvQuote(records[i].record_id) << ',' << result->cluster_of[i] << '\n';
  }
  if (!out) return Error::NotFound(fmt::format("error writing '{}'", output_path));
  if (!options.review_path.empty()) {
    std::ofstream review(options.review_path, std::ios::binary | std::ios::trunc);
    if (!review) return Error::NotFound(fmt::format("cannot write '{}'", options.review_path));
    review << "record_id_a,record_id_b,match_probability,sibling_guard\n";
    for (const ScoredPair& p : result->pairs) {
      if (p.outcome != Outcome::kReview) continue;
      review << CsvQuote(records[p.a].record_id) << ',' << CsvQuote(records[p.b].record_id) << ','
             << fmt::format("{:.4f}", Model::ToProbability(p.weight)) << ',' << (p.sibling_guard ? 1 : 0) << '\n';
    }
    if (!review) return Error::NotFound(fmt::format("error writing '{}'", options.review_path));
  }
  return summary;
}

}  // namespace kith::linkage
