// Benchmarks for the child's-account analyses on one heavily recorded child: 5,000 chronology
// entries and 2,000 forum posts of synthetic safeguarding text, against a corpus of 300 other
// children. Text is generated deterministically (fixed seed, std::mt19937 whose sequence the
// standard fixes), so figures are comparable run to run.
//
// Run: build-account/bench/account_bench --benchmark_min_time=0.5
#include <benchmark/benchmark.h>

#include <array>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "domain/account/chronology.h"
#include "domain/account/contact_series.h"
#include "domain/account/wheel.h"
#include "domain/account/word_cloud.h"

namespace kith::domain {
namespace {

constexpr Date kToday{2025, 6, 10};

class TextGenerator {
 public:
  explicit TextGenerator(uint32_t seed) : rng_(seed) {}

  std::string_view Pick(std::span<const std::string_view> options) { return options[rng_() % options.size()]; }
  uint32_t Next(uint32_t bound) { return rng_() % bound; }

  std::string Sentence() {
    static constexpr std::array<std::string_view, 12> kPeople{"Mum",
                                                              "Dad",
                                                              "Mum's partner",
                                                              "the class teacher",
                                                              "the health visitor",
                                                              "the GP",
                                                              "the social worker",
                                                              "grandmother",
                                                              "the school nurse",
                                                              "a neighbour",
                                                              "the DSL",
                                                              "the police officer"};
    static constexpr std::array<std::string_view, 14> kObservations{
        "reported a bruise on the left arm",
        "noticed bruising to the face",
        "raised concerns about domestic abuse at home",
        "said the child seemed hungry",
        "observed the child was withdrawn and tired",
        "reported a missed appointment",
        "described the home conditions as poor",
        "noted the child was not brought to clinic",
        "said there had been shouting and police were called",
        "reported school absence again",
        "noticed the child's clothes were dirty",
        "raised concerns about alcohol misuse",
        "completed a home visit and saw the child",
        "discussed the child protection plan"};
    static constexpr std::array<std::string_view, 10> kFollowUps{"Referral made to children's social care.",
                                                                 "Advice given and safeguarding lead informed.",
                                                                 "Strategy discussion to be arranged.",
                                                                 "Will review at the next core group meeting.",
                                                                 "Home visit planned for next week.",
                                                                 "Parent did not engage with the discussion.",
                                                                 "Child spoken to alone; said things were fine.",
                                                                 "Information shared with the GP.",
                                                                 "Health visitor to follow up.",
                                                                 "No further action at this time."};
    std::string s(Pick(kPeople));
    s += ' ';
    s += Pick(kObservations);
    s += ". ";
    s += Pick(kFollowUps);
    return s;
  }

  // Free-text observation: everyday words plus a long tail of rarer ones (places, names of
  // services, misspellings), as real notes have; without the tail a cloud of a few hundred
  // terms would flatter Top().
  std::string FreeText() {
    static constexpr std::array<std::string_view, 48> kWords{
        "tired",     "hungry",    "upset",    "crying",   "quiet",   "angry",    "scared",     "happy",
        "playing",   "eating",    "sleeping", "injury",   "scratch", "burn",     "mark",       "swelling",
        "bedroom",   "kitchen",   "mattress", "heating",  "rent",    "arrears",  "eviction",   "benefits",
        "money",     "food",      "bank",     "uniform",  "lunch",   "homework", "attendance", "late",
        "exclusion", "detention", "bullying", "phone",    "online",  "friends",  "older",      "boyfriend",
        "cannabis",  "drinking",  "smoking",  "fighting", "arguing", "court",    "contact",    "supervised"};
    static constexpr std::array<std::string_view, 16> kSyllables{
        "ash", "bel", "cor", "dun", "el", "fen", "gar", "hol", "ing", "kel", "lor", "mar", "nor", "pen", "ros", "wick"};
    std::string s;
    const int n = 6 + static_cast<int>(Next(10));
    for (int i = 0; i < n; ++i) {
      if (Next(6) == 0) {
        for (int k = 0, parts = 2 + static_cast<int>(Next(2)); k < parts; ++k) {
          s += Pick(kSyllables);
        }
      } else {
        s += Pick(kWords);
      }
      s += i + 1 == n ? ". " : " ";
    }
    return s;
  }

  std::string Paragraph(int sentences) {
    std::string p;
    for (int i = 0; i < sentences; ++i) p += (Next(2) == 0 ? Sentence() : FreeText()) + ' ';
    return p;
  }

 private:
  std::mt19937 rng_;
};

constexpr std::array<std::string_view, 8> kAgencies{"school-1", "gp-1",       "hv-1",      "police-1",
                                                    "csc-1",    "hospital-1", "housing-1", "charity-1"};

struct Fixture {
  std::vector<ChronologyEntry> entries;
  std::vector<std::pair<std::string, std::string>> posts;  // id, text
  CorpusStats corpus;
  std::vector<TermIndex> others;
  TermIndex child;
  WheelInput wheel;

  Fixture() {
    TextGenerator gen(20250610);
    // Two years of entries, weighted towards the recent past as concern rises.
    for (int i = 0; i < 5000; ++i) {
      ChronologyEntry e;
      e.id = "entry-" + std::to_string(i);
      e.child_id = "child-1";
      const int64_t back = gen.Next(730) * gen.Next(730) / 730;  // skewed recent
      e.occurred_on = Date::FromDays(kToday.ToDays() - back);
      if (gen.Next(3) != 0)
        e.occurred_time = TimeOfDay{static_cast<int>(gen.Next(24)), static_cast<int>(gen.Next(60)), 0};
      e.agency_id = std::string(kAgencies[gen.Next(kAgencies.size())]);
      e.author_id = "user-" + std::to_string(gen.Next(40));
      e.type = AllEntryTypes()[gen.Next(AllEntryTypes().size())];
      e.significance = static_cast<Significance>(gen.Next(3));
      e.summary = gen.Sentence().substr(0, 200);
      e.detail = gen.Paragraph(2 + static_cast<int>(gen.Next(5)));
      entries.push_back(std::move(e));
    }
    for (int i = 0; i < 2000; ++i) {
      posts.emplace_back("post-" + std::to_string(i), gen.Paragraph(1 + gen.Next(4)));
    }
    // The corpus: 300 other children with lighter records, then this child.
    TextGenerator other_gen(7);
    others.resize(300);
    for (size_t c = 0; c < others.size(); ++c) {
      for (int i = 0; i < 30; ++i) {
        corpus.Apply(others[c].Add("o" + std::to_string(i), other_gen.Paragraph(2)));
      }
    }
    for (const auto& e : entries) corpus.Apply(child.Add(e.id, e.summary + "\n" + e.detail));
    for (const auto& [id, text] : posts) corpus.Apply(child.Add(id, text));

    wheel.child = WheelChild{"child-1", Date{2016, 4, 2}, "", "school-1", false, true};
    for (int i = 0; i < 30; ++i) {
      WheelPerson p;
      p.id = "person-" + std::to_string(i);
      p.relationship = AllRelationshipTypes()[static_cast<size_t>(i) % AllRelationshipTypes().size()];
      p.lives_with_child = i % 4 == 0;
      p.living_with_since = Date::FromDays(kToday.ToDays() - 10 * i);
      p.identity_verified = i % 3 != 0;
      p.role_verified = i % 5 != 0;
      p.agency_id = std::string(kAgencies[static_cast<size_t>(i) % kAgencies.size()]);
      wheel.people.push_back(std::move(p));
    }
    wheel.involved_agency_ids.assign(kAgencies.begin(), kAgencies.end());
    wheel.last_agency_contact = Date{2025, 4, 1};
  }
};

Fixture& Shared() {
  static Fixture fixture;
  return fixture;
}

void BM_ContactSeriesAuto(benchmark::State& state) {
  const auto events = ContactEventsFrom(Shared().entries);
  for (auto _ : state) {
    auto series = ComputeContactSeries(events, kToday);
    benchmark::DoNotOptimize(series);
  }
  state.counters["buckets"] = static_cast<double>(ComputeContactSeries(events, kToday)->buckets.size());
}
BENCHMARK(BM_ContactSeriesAuto)->Unit(benchmark::kMicrosecond);

void BM_ContactSeriesWeekly(benchmark::State& state) {
  const auto events = ContactEventsFrom(Shared().entries);
  SeriesOptions options;
  options.granularity = Granularity::kWeek;
  for (auto _ : state) {
    auto series = ComputeContactSeries(events, kToday, options);
    benchmark::DoNotOptimize(series);
  }
}
BENCHMARK(BM_ContactSeriesWeekly)->Unit(benchmark::kMicrosecond);

void BM_ContactSeriesFromEntries(benchmark::State& state) {
  for (auto _ : state) {
    auto series = ComputeContactSeries(ContactEventsFrom(Shared().entries), kToday);
    benchmark::DoNotOptimize(series);
  }
}
BENCHMARK(BM_ContactSeriesFromEntries)->Unit(benchmark::kMicrosecond);

void BM_WordCloudTop50(benchmark::State& state) {
  Fixture& f = Shared();
  TopOptions options;
  options.n = 50;
  options.excluded_names = {"Jayden Smith", "Kelly Smith"};
  for (auto _ : state) {
    auto top = f.child.Top(f.corpus, options);
    benchmark::DoNotOptimize(top);
  }
  state.counters["terms"] = static_cast<double>(f.child.term_count());
  state.counters["entries"] = static_cast<double>(f.child.entry_count());
}
BENCHMARK(BM_WordCloudTop50)->Unit(benchmark::kMicrosecond);

void BM_TermIndexAddOneEntry(benchmark::State& state) {
  Fixture& f = Shared();
  TextGenerator gen(99);
  const std::string text = gen.Sentence() + "\n" + gen.Paragraph(4);
  size_t n = 0;
  for (auto _ : state) {
    f.corpus.Apply(f.child.Add("bench-add-" + std::to_string(n++), text));
  }
  // Untimed (after the loop): restore the shared index for the benchmarks that follow.
  for (size_t i = 0; i < n; ++i) f.corpus.Apply(f.child.Remove("bench-add-" + std::to_string(i)));
}
BENCHMARK(BM_TermIndexAddOneEntry)->Iterations(2000)->Unit(benchmark::kMicrosecond);

void BM_TermIndexCorrectOneEntry(benchmark::State& state) {
  Fixture& f = Shared();
  const std::string text = f.entries[0].summary + "\n" + f.entries[0].detail + " corrected";
  int flip = 0;
  for (auto _ : state) {
    // A correction: the old version leaves, the new one arrives.
    const std::string from = flip ? "bench-corr-b" : f.entries[0].id;
    const std::string to = flip ? f.entries[0].id : "bench-corr-b";
    f.corpus.Apply(f.child.Remove(from));
    f.corpus.Apply(f.child.Add(to, text));
    flip ^= 1;
  }
}
BENCHMARK(BM_TermIndexCorrectOneEntry)->Unit(benchmark::kMicrosecond);

void BM_TermIndexBuild7000(benchmark::State& state) {
  Fixture& f = Shared();
  for (auto _ : state) {
    CorpusStats corpus;
    TermIndex index;
    for (const auto& e : f.entries) corpus.Apply(index.Add(e.id, e.summary + "\n" + e.detail));
    for (const auto& [id, text] : f.posts) corpus.Apply(index.Add(id, text));
    benchmark::DoNotOptimize(index);
  }
}
BENCHMARK(BM_TermIndexBuild7000)->Unit(benchmark::kMillisecond);

void BM_WheelFindings(benchmark::State& state) {
  const WheelInput& input = Shared().wheel;
  for (auto _ : state) {
    auto findings = AnalyseWheel(input, kToday);
    benchmark::DoNotOptimize(findings);
  }
  state.counters["findings"] = static_cast<double>(AnalyseWheel(input, kToday)->size());
}
BENCHMARK(BM_WheelFindings)->Unit(benchmark::kMicrosecond);

void BM_FilterChronology(benchmark::State& state) {
  ChronologyFilter filter;
  filter.min_significance = Significance::kNotable;
  filter.from = Date{2025, 1, 1};
  for (auto _ : state) {
    auto out = FilterChronology(Shared().entries, filter);
    benchmark::DoNotOptimize(out);
  }
}
BENCHMARK(BM_FilterChronology)->Unit(benchmark::kMicrosecond);

void BM_CsvImport5000Rows(benchmark::State& state) {
  std::string csv = "date,time,agency,type,significance,summary,detail\n";
  for (const auto& e : Shared().entries) {
    csv += e.occurred_on.ToString() + ",," + e.agency_id + "," + std::string(ToString(e.type)) + "," +
           std::string(ToString(e.significance)) + ",\"" + e.summary + "\",\"" + e.detail + "\"\n";
  }
  CsvImportContext context;
  context.child_id = "child-1";
  context.author_id = "user-1";
  context.today = kToday;
  context.resolve_agency = [](std::string_view name) -> std::optional<AgencyRef> {
    return AgencyRef{std::string(name), AgencyKind::kVoluntarySector};
  };
  size_t n = 0;
  context.next_id = [&n] { return "csv-" + std::to_string(n++); };
  for (auto _ : state) {
    auto result = ParseChronologyCsv(csv, context);
    benchmark::DoNotOptimize(result);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * csv.size()));
}
BENCHMARK(BM_CsvImport5000Rows)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace kith::domain

BENCHMARK_MAIN();
