// National search index benchmark: builds the index over N synthetic children (default
// 12,000,000) and runs typical searches — given name, family name and date of birth taken from a
// source record about a known child, with realistic typos, nicknames, swapped names and date
// errors — reporting build time, memory per child (VmRSS delta), median and p99 latency and
// recall@1/@10 (the known child among the first 1/10 results).
//
//   search_bench [CHILDREN] [QUERIES] [--csv DIR]
//
// With --csv, also writes DIR/children.csv (record_id,given_name,family_name,date_of_birth,
// postcode,nhs_number,upn) and DIR/queries.csv (query_row,true_id,given_name,family_name,
// date_of_birth) for bench/search_vs_pgtrgm.sh, and DIR/kith_latency.csv (query_row,micros,hit@10).
#include <fmt/format.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "process_stats.h"
#include "linkage/search_index.h"
#include "linkage/synthetic.h"

namespace {

using kith::linkage::IndexedChild;
using kith::linkage::SyntheticChild;
using Clock = std::chrono::steady_clock;

double Since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// CPU time of this thread: unlike wall time, not inflated when other processes preempt us.
double ThreadCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

std::string Id(size_t i) { return fmt::format("c{}", i); }

IndexedChild ToIndexed(const SyntheticChild& c, size_t i) {
  return {Id(i), c.given_name, c.family_name, c.date_of_birth, c.postcode, c.nhs_number, c.upn, false};
}

std::string Csv(const std::string& s) {
  if (s.find_first_of(",\"") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  return out + "\"";
}

}  // namespace

int main(int argc, char** argv) {
  size_t n = 12'000'000;
  size_t n_queries = 10'000;
  std::string csv_dir;
  std::vector<std::string> positional;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--csv" && i + 1 < argc)
      csv_dir = argv[++i];
    else
      positional.push_back(a);
  }
  if (!positional.empty()) n = std::stoull(positional[0]);
  if (positional.size() > 1) n_queries = std::stoull(positional[1]);
  n_queries = std::min(n_queries, n);

  kith::linkage::SyntheticConfig population;
  population.seed = 42;
  // Query records: a practitioner's typing. A third of names carry a typo; nicknames,
  // transliterations, swapped names, new surnames and date errors at the generator's rates.
  kith::linkage::SyntheticConfig typing = population;
  typing.seed = 7;
  typing.given_typo_rate = 0.3;
  typing.family_typo_rate = 0.3;

  std::ofstream children_csv;
  if (!csv_dir.empty()) {
    children_csv.open(csv_dir + "/children.csv");
    children_csv << "record_id,given_name,family_name,date_of_birth,postcode,nhs_number,upn\n";
  }

  const long rss_before = kith::bench::VmRssKiB();
  const auto started = Clock::now();
  double generate_seconds = 0;
  kith::linkage::SearchIndexBuilder builder;
  builder.Reserve(n);
  const size_t stride = n / n_queries;
  std::vector<std::pair<size_t, SyntheticChild>> sample;
  sample.reserve(n_queries);
  size_t i = 0;
  auto t_gen = Clock::now();
  kith::linkage::ForEachSyntheticChild(population, n, [&](const SyntheticChild& c) {
    generate_seconds += Since(t_gen);
    if (i % stride == stride / 2 && sample.size() < n_queries) sample.emplace_back(i, c);
    if (!builder.Add(ToIndexed(c, i))) std::abort();
    if (children_csv.is_open()) {
      children_csv << Id(i) << ',' << Csv(c.given_name) << ',' << Csv(c.family_name) << ','
                   << c.date_of_birth.ToString() << ',' << c.postcode << ',' << c.nhs_number << ',' << c.upn << '\n';
    }
    ++i;
    if (i % 1'000'000 == 0) std::fprintf(stderr, "\rindexed %zu M children", i / 1'000'000);
    t_gen = Clock::now();
  });
  std::fprintf(stderr, "\n");
  const double add_seconds = Since(started) - generate_seconds;
  const auto finish_started = Clock::now();
  auto index = builder.Finish();
  const double finish_seconds = Since(finish_started);
  const long rss_after = kith::bench::VmRssKiB();
  children_csv.close();

  std::ofstream queries_csv, latency_csv;
  if (!csv_dir.empty()) {
    queries_csv.open(csv_dir + "/queries.csv");
    queries_csv << "query_row,true_id,given_name,family_name,date_of_birth\n";
    latency_csv.open(csv_dir + "/kith_latency.csv");
    latency_csv << "query_row,micros,hit_at_10\n";
  }
  std::vector<double> micros, cpu_micros;
  micros.reserve(sample.size());
  cpu_micros.reserve(sample.size());
  size_t hit1 = 0, hit10 = 0, refused = 0, candidates = 0;
  for (size_t q = 0; q < sample.size(); ++q) {
    const auto& [child_index, child] = sample[q];
    const auto record = kith::linkage::MakeSyntheticRecord(child, typing, q, "school");
    kith::linkage::SearchQuery query;
    query.given_name = record.given_name;
    query.family_name = record.family_name;
    query.date_of_birth = kith::Date::Parse(record.date_of_birth);
    query.today = population.as_of;
    const double cpu0 = ThreadCpuSeconds();
    const auto t = Clock::now();
    auto found = index->Search(query, 10);
    const double us = Since(t) * 1e6;
    cpu_micros.push_back((ThreadCpuSeconds() - cpu0) * 1e6);
    micros.push_back(us);
    if (std::getenv("SEARCH_BENCH_SLOW") && us > std::atof(std::getenv("SEARCH_BENCH_SLOW"))) {
      std::fprintf(stderr, "slow %.0f us: '%s' '%s' '%s' candidates %zu\n", us, query.given_name.c_str(),
                   query.family_name.c_str(), record.date_of_birth.c_str(), found ? found->candidates : 0);
    }
    bool at10 = false;
    if (!found) {
      ++refused;
    } else {
      candidates += found->candidates;
      const std::string want = Id(child_index);
      for (size_t r = 0; r < found->hits.size(); ++r) {
        if (found->hits[r].id != want) continue;
        at10 = true;
        hit10 += 1;
        hit1 += r == 0;
      }
    }
    if (queries_csv.is_open()) {
      queries_csv << q + 1 << ',' << Id(child_index) << ',' << Csv(record.given_name) << ',' << Csv(record.family_name)
                  << ',' << record.date_of_birth << '\n';
      latency_csv << q + 1 << ',' << fmt::format("{:.1f}", us) << ',' << (at10 ? 1 : 0) << '\n';
    }
  }
  std::sort(micros.begin(), micros.end());
  std::sort(cpu_micros.begin(), cpu_micros.end());
  auto pct_of = [](const std::vector<double>& v, double p) {
    return v[std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())))];
  };
  auto pct = [&](double p) { return pct_of(micros, p); };
  const double q_count = static_cast<double>(sample.size());

  std::printf("children                 %zu\n", n);
  std::printf("generate (not counted)   %.1f s\n", generate_seconds);
  std::printf("build                    %.1f s (add %.1f s, sort postings %.1f s)\n", add_seconds + finish_seconds,
              add_seconds, finish_seconds);
  std::printf("memory                   %.1f MiB, %.1f bytes/child (VmRSS %ld -> %ld KiB)\n",
              static_cast<double>(rss_after - rss_before) / 1024.0,
              static_cast<double>(rss_after - rss_before) * 1024.0 / static_cast<double>(n), rss_before, rss_after);
  std::printf("queries                  %zu (%zu refused), mean candidates %.0f\n", sample.size(), refused,
              static_cast<double>(candidates) / q_count);
  std::printf("latency (wall)            median %.0f us, p90 %.0f us, p99 %.0f us, max %.0f us\n", pct(0.5), pct(0.9),
              pct(0.99), micros.back());
  std::printf("latency (thread CPU)      median %.0f us, p90 %.0f us, p99 %.0f us, max %.0f us\n",
              pct_of(cpu_micros, 0.5), pct_of(cpu_micros, 0.9), pct_of(cpu_micros, 0.99), cpu_micros.back());
  std::printf("recall@1                 %.4f\n", static_cast<double>(hit1) / q_count);
  std::printf("recall@10                %.4f\n", static_cast<double>(hit10) / q_count);
  return 0;
}
