// Red team: attacks on token files by someone who holds them (the hub, or a thief of the
// hub's disk) but not the linkage secret, and who knows the scheme (Kerckhoffs) and the
// distribution of English children's names. Issue 20 asks that they re-identify under 1% of
// records. The frequency attack is first run against field-level encodings, on which it must
// succeed, so that a broken attack cannot pass the test; the pattern-mining attack here is a
// simplified miner whose rate on unhardened name encodings is reported but not asserted (it
// finds few bigrams there: a stronger miner is future work, docs/ROADMAP.md).
//
// A record counts as re-identified when the attacker's guess of its given name (canonical, as
// encoded) and family name are both right.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <random>
#include <set>
#include <tuple>
#include <unordered_map>

#include "linkage/record.h"
#include "linkage/synthetic.h"
#include "linkage/text.h"
#include "pprl/encoder.h"
#include "pprl/test_secret.h"

namespace kith::pprl {
namespace {

struct Name {
  std::string given, family;
  bool operator<(const Name& o) const { return std::tie(given, family) < std::tie(o.given, o.family); }
  bool operator==(const Name& o) const = default;
};

Name NameOf(const linkage::InputRecord& r) {
  const auto n = linkage::NormaliseRecord(r);
  return {n.given_canonical, n.family};
}

std::set<std::string> Bigrams(const std::string& text) {
  std::set<std::string> out;
  linkage::ForEachToken(text, [&](std::string_view token) {
    const std::string padded = "_" + std::string(token) + "_";
    for (size_t i = 0; i + 1 < padded.size(); ++i) out.insert(padded.substr(i, 2));
  });
  return out;
}

// What the attacker knows: the distribution of English children's names. Real names are far
// from uniform (the commonest given names and surnames are each borne by one to five per cent of
// children), so the test gives its population Zipf distributions (weight rank^-s) over the 200
// commonest given names (s = 0.6: the first 4.8%) and the 1,000 commonest family names (s = 0.7:
// the first 5.5%) of the synthetic generator, and tells the attacker those distributions
// exactly: an attacker with perfect knowledge of name frequencies. Guessing the commonest pair
// for every record is right for 0.26% of them.
struct NameDistribution {
  std::vector<std::string> given_ranked, family_ranked;
  std::map<std::string, size_t> given, family;  // weight per name, each summing to `records`
  std::map<Name, size_t> full;                  // weight per pair (independent draws)
  size_t records = 0;
};

std::vector<std::string> Commonest(const std::map<std::string, size_t>& counts, size_t n) {
  std::vector<std::pair<size_t, std::string>> v;
  for (const auto& [name, c] : counts) v.emplace_back(c, name);
  std::sort(v.begin(), v.end(),
            [](auto& a, auto& b) { return a.first != b.first ? a.first > b.first : a.second < b.second; });
  std::vector<std::string> out;
  for (size_t i = 0; i < v.size() && i < n; ++i) out.push_back(v[i].second);
  return out;
}

NameDistribution KnownNames() {
  linkage::SyntheticConfig config;
  config.records = 30'000;
  config.seed = 991;
  std::map<std::string, size_t> given_counts, family_counts;
  for (const auto& r : linkage::GenerateChildren(config).records) {
    const Name n = NameOf(r);
    if (n.given.find(' ') == std::string::npos && !n.given.empty()) ++given_counts[n.given];
    if (n.family.find(' ') == std::string::npos && !n.family.empty()) ++family_counts[n.family];
  }
  NameDistribution d;
  d.given_ranked = Commonest(given_counts, 200);
  d.family_ranked = Commonest(family_counts, 1000);
  constexpr double kTotal = 1'000'000;
  auto zipf = [&](const std::vector<std::string>& ranked, double exponent, std::map<std::string, size_t>* out) {
    double h = 0;
    for (size_t k = 1; k <= ranked.size(); ++k) h += std::pow(static_cast<double>(k), -exponent);
    for (size_t k = 1; k <= ranked.size(); ++k) {
      (*out)[ranked[k - 1]] = static_cast<size_t>(kTotal * std::pow(static_cast<double>(k), -exponent) / h);
    }
  };
  zipf(d.given_ranked, 0.6, &d.given);
  zipf(d.family_ranked, 0.7, &d.family);
  for (const auto& [g, wg] : d.given) {
    for (const auto& [f, wf] : d.family) d.full[{g, f}] = wg * wf / static_cast<size_t>(kTotal);
  }
  d.records = static_cast<size_t>(kTotal);
  return d;
}

// The synthetic records with each child's names drawn from the distribution (one draw per
// child, so a child's records agree on the names); everything else as generated.
std::vector<linkage::InputRecord> WithKnownNames(const linkage::SyntheticPopulation& pop, const NameDistribution& d) {
  std::mt19937_64 rng(77);
  auto draw = [&](const std::vector<std::string>& ranked, const std::map<std::string, size_t>& weights) {
    std::vector<double> w;
    for (const auto& name : ranked) w.push_back(static_cast<double>(weights.at(name)));
    std::discrete_distribution<size_t> pick(w.begin(), w.end());
    return ranked[pick(rng)];
  };
  std::vector<std::pair<std::string, std::string>> names(pop.children.size());
  for (auto& n : names) n = {draw(d.given_ranked, d.given), draw(d.family_ranked, d.family)};
  std::vector<linkage::InputRecord> out = pop.records;
  for (size_t i = 0; i < out.size(); ++i) {
    out[i].given_name = names[pop.child_of[i]].first;
    out[i].family_name = names[pop.child_of[i]].second;
  }
  return out;
}

struct Target {
  std::vector<Name> truth;
  std::vector<Clk> clks;
  std::vector<std::vector<uint64_t>> blocks;
};

Target Encode(const std::vector<linkage::InputRecord>& records, const Encoder& encoder, bool names_only) {
  Target t;
  for (auto r : records) {
    if (names_only) r.date_of_birth = r.sex = r.postcode = r.address = r.locality = r.identifier = "";
    t.truth.push_back(NameOf(r));
    auto tokens = encoder.Encode(r);
    t.clks.push_back(tokens.clk);
    t.blocks.push_back(tokens.blocks);
  }
  return t;
}

double Rate(const Target& t, const std::vector<Name>& guesses) {
  size_t right = 0;
  for (size_t i = 0; i < guesses.size(); ++i) right += !guesses[i].given.empty() && guesses[i] == t.truth[i];
  return static_cast<double>(right) / t.truth.size();
}

// Frequency attack: records with an identical token are grouped, and the largest group is taken
// to hold the most frequent value, the second the second, and so on; a record with several
// tokens (blocking tokens) takes the value of its largest group.
using Keys = std::vector<std::vector<std::vector<uint64_t>>>;  // per record, its tokens

std::vector<std::string> RankAlign(const Keys& keys_of, const std::map<std::string, size_t>& known) {
  std::map<std::vector<uint64_t>, std::vector<size_t>> groups;
  for (size_t i = 0; i < keys_of.size(); ++i) {
    for (const auto& key : keys_of[i]) groups[key].push_back(i);
  }
  std::vector<const std::vector<size_t>*> by_size;
  for (const auto& [key, members] : groups) by_size.push_back(&members);
  std::stable_sort(by_size.begin(), by_size.end(), [](auto* a, auto* b) { return a->size() > b->size(); });
  std::vector<std::pair<size_t, std::string>> values;
  for (const auto& [value, count] : known) values.emplace_back(count, value);
  std::stable_sort(values.begin(), values.end(), [](auto& a, auto& b) { return a.first > b.first; });
  std::vector<std::string> guesses(keys_of.size());
  for (size_t g = 0; g < by_size.size() && g < values.size(); ++g) {
    for (size_t i : *by_size[g]) {
      if (guesses[i].empty()) guesses[i] = values[g].second;
    }
  }
  return guesses;
}

Keys ClkKeys(const Target& t) {
  Keys keys;
  for (const auto& c : t.clks) keys.push_back({std::vector<uint64_t>(c.words.begin(), c.words.end())});
  return keys;
}

Keys BlockKeys(const Target& t) {
  Keys keys;
  for (const auto& blocks : t.blocks) {
    keys.emplace_back();
    for (uint64_t b : blocks) keys.back().push_back({b});
  }
  return keys;
}

// Full names as "given|family" with their frequencies, for aligning whole-record tokens.
std::map<std::string, size_t> FullNames(const NameDistribution& known) {
  std::map<std::string, size_t> out;
  for (const auto& [name, count] : known.full) out[name.given + "|" + name.family] = count;
  return out;
}

std::vector<Name> AsNames(const std::vector<std::string>& full) {
  std::vector<Name> out;
  for (const auto& f : full) {
    const size_t bar = f.find('|');
    out.push_back(bar == std::string::npos ? Name{} : Name{f.substr(0, bar), f.substr(bar + 1)});
  }
  return out;
}

// Pattern-mining attack after Christen, Ranbaduge, Vatsalan and Schnell ("Precise and fast
// cryptanalysis for Bloom filter based privacy-preserving record linkage", IEEE TKDE 2019):
// for each frequent bigram of given and family names, most frequent first, find the largest
// set of bit positions that are all set together in about as many encodings as records hold
// that bigram; those positions are the bigram's, and the encodings having them all hold it.
// Each encoding is then given the known name whose bigrams best agree with the bigrams found
// present and absent in it.
class PatternMiningAttack {
 public:
  PatternMiningAttack(const Target& t, const NameDistribution& known) : t_(t), known_(known) {
    words_ = (t.clks.size() + 63) / 64;
    columns_.assign(kClkBits, std::vector<uint64_t>(words_, 0));
    for (size_t r = 0; r < t.clks.size(); ++r) {
      for (size_t b = 0; b < kClkBits; ++b) {
        if (t.clks[r].Test(b)) columns_[b][r / 64] |= uint64_t{1} << (r % 64);
      }
    }
  }

  std::vector<Name> Run(size_t features_per_field) {
    struct Feature {
      double share;
      std::string bigram;
      bool given;
    };
    std::vector<Feature> features;
    for (const bool given : {true, false}) {
      std::map<std::string, size_t> counts;
      for (const auto& [name, count] : given ? known_.given : known_.family) {
        for (const auto& b : Bigrams(name)) counts[b] += count;
      }
      std::vector<Feature> field;
      for (const auto& [b, c] : counts) field.push_back({static_cast<double>(c) / known_.records, b, given});
      std::sort(field.begin(), field.end(), [](auto& a, auto& b) { return a.share > b.share; });
      field.resize(std::min(field.size(), features_per_field));
      features.insert(features.end(), field.begin(), field.end());
    }
    std::sort(features.begin(), features.end(), [](auto& a, auto& b) { return a.share > b.share; });

    std::vector<bool> assigned(kClkBits, false);
    std::vector<std::pair<Feature, std::vector<uint64_t>>> found;  // feature, encodings holding it
    for (const auto& f : features) {
      const double target = f.share * static_cast<double>(t_.clks.size());
      std::vector<size_t> candidates;
      for (size_t b = 0; b < kClkBits; ++b) {
        if (!assigned[b] && Count(columns_[b]) >= 0.9 * target) candidates.push_back(b);
      }
      std::sort(candidates.begin(), candidates.end(),
                [&](size_t a, size_t b) { return Count(columns_[a]) < Count(columns_[b]); });
      std::vector<size_t> best;
      std::vector<uint64_t> best_rows;
      for (size_t s = 0; s < candidates.size() && s < 4; ++s) {
        std::vector<size_t> positions{candidates[s]};
        std::vector<uint64_t> rows = columns_[candidates[s]];
        while (true) {
          size_t pick = SIZE_MAX, pick_count = 0;
          for (size_t c : candidates) {
            if (std::find(positions.begin(), positions.end(), c) != positions.end()) continue;
            const size_t n = AndCount(rows, columns_[c]);
            if (n > pick_count) pick = c, pick_count = n;
          }
          if (pick == SIZE_MAX || static_cast<double>(pick_count) < 0.9 * target) break;
          positions.push_back(pick);
          for (size_t w = 0; w < words_; ++w) rows[w] &= columns_[pick][w];
        }
        if (positions.size() > best.size()) best = positions, best_rows = rows;
      }
      if (best.size() < 5) continue;
      for (size_t b : best) assigned[b] = true;
      found.emplace_back(f, best_rows);
    }

    // Name each encoding by agreement with the bigrams found present or absent.
    auto guess = [&](size_t r, bool given) {
      std::string chosen;
      long best_score = -1;
      size_t best_count = 0;
      for (const auto& [name, count] : given ? known_.given : known_.family) {
        const auto grams = Bigrams(name);
        long score = 0;
        for (const auto& [f, rows] : found) {
          if (f.given != given) continue;
          const bool present = (rows[r / 64] >> (r % 64)) & 1;
          score += present == (grams.count(f.bigram) > 0);
        }
        if (score > best_score || (score == best_score && count > best_count)) {
          chosen = name, best_score = score, best_count = count;
        }
      }
      return chosen;
    };
    std::vector<Name> guesses(t_.clks.size());
    for (size_t r = 0; r < t_.clks.size(); ++r) guesses[r] = {guess(r, true), guess(r, false)};
    mined_ = found.size();
    return guesses;
  }

  size_t mined() const { return mined_; }

 private:
  static size_t Count(const std::vector<uint64_t>& v) {
    size_t n = 0;
    for (uint64_t w : v) n += static_cast<size_t>(__builtin_popcountll(w));
    return n;
  }
  size_t AndCount(const std::vector<uint64_t>& a, const std::vector<uint64_t>& b) const {
    size_t n = 0;
    for (size_t w = 0; w < words_; ++w) n += static_cast<size_t>(__builtin_popcountll(a[w] & b[w]));
    return n;
  }

  const Target& t_;
  const NameDistribution& known_;
  size_t words_ = 0;
  std::vector<std::vector<uint64_t>> columns_;
  size_t mined_ = 0;
};

class RedTeam : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    known_ = new NameDistribution(KnownNames());
    linkage::SyntheticConfig config;
    config.records = 3'000;
    config.seed = 2026;
    records_ = new std::vector<linkage::InputRecord>(WithKnownNames(linkage::GenerateChildren(config), *known_));
  }
  static void TearDownTestSuite() {
    delete known_;
    delete records_;
  }
  static NameDistribution* known_;
  static std::vector<linkage::InputRecord>* records_;
};
NameDistribution* RedTeam::known_ = nullptr;
std::vector<linkage::InputRecord>* RedTeam::records_ = nullptr;

TEST_F(RedTeam, FrequencyAttackReidentifiesUnderOnePercent) {
  const Encoder hardened(TestSecret());
  // The attack works on encodings of one field each (what the scheme avoids): given names and
  // family names are guessed by the frequency of their encodings, and combined.
  std::vector<linkage::InputRecord> given_only = *records_, family_only = *records_;
  for (auto& r : given_only) r.family_name = "";
  for (auto& r : family_only) r.given_name = "";
  const Target given_field = Encode(given_only, hardened, true);
  const Target family_field = Encode(family_only, hardened, true);
  const auto given = RankAlign(ClkKeys(given_field), known_->given);
  const auto family = RankAlign(ClkKeys(family_field), known_->family);
  std::vector<Name> combined;
  for (size_t i = 0; i < given.size(); ++i) combined.push_back({given[i], family[i]});
  const Target target = Encode(*records_, hardened, false);
  const double control = Rate(target, combined);
  // Field-level encodings fail the bar under this attack; the scheme must meet it.
  EXPECT_GT(control, 0.01) << "the frequency attack no longer works on field-level encodings";

  const double on_clks = Rate(target, AsNames(RankAlign(ClkKeys(target), FullNames(*known_))));
  const double on_blocks = Rate(target, AsNames(RankAlign(BlockKeys(target), FullNames(*known_))));
  RecordProperty("frequency_attack_field_level", std::to_string(control));
  RecordProperty("frequency_attack_clks", std::to_string(on_clks));
  RecordProperty("frequency_attack_blocks", std::to_string(on_blocks));
  EXPECT_LT(on_clks, 0.01) << "field-level encodings: " << control;
  EXPECT_LT(on_blocks, 0.01) << "field-level encodings: " << control;
  std::printf("frequency attack: field-level encodings %.4f, CLKs %.4f, blocking tokens %.4f\n", control, on_clks,
              on_blocks);
}

TEST_F(RedTeam, PatternMiningAttackReidentifiesUnderOnePercent) {
  // Bloom filters of the names alone without the diffusion layer: the classic target.
  const Target plain = Encode(*records_, Encoder(TestSecret(), {.diffusion_width = 0}), true);
  PatternMiningAttack on_plain(plain, *known_);
  // This miner is simpler than the published one and finds few bigrams' positions even without
  // the diffusion layer: its rate there is reported (docs/BENCHMARKS.md), not asserted.
  const double control = Rate(plain, on_plain.Run(20));
  const Target target = Encode(*records_, Encoder(TestSecret()), false);
  PatternMiningAttack on_hardened(target, *known_);
  const double rate = Rate(target, on_hardened.Run(20));
  RecordProperty("pattern_mining", std::to_string(rate));
  RecordProperty("pattern_mining_unhardened_names", std::to_string(control));
  EXPECT_LT(rate, 0.01) << "unhardened: " << control << "; bigrams mined from hardened CLKs: " << on_hardened.mined();
  std::printf("pattern mining: unhardened name encodings %.4f (%zu bigrams mined), hardened %.4f (%zu)\n", control,
              on_plain.mined(), rate, on_hardened.mined());
}

}  // namespace
}  // namespace kith::pprl
