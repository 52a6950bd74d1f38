// Record-linkage benchmark and accuracy report. Plain timed executable (not Google Benchmark):
// one run of a million records is the figure that matters, with its peak memory.
//
//   linkage_bench synthetic [RECORDS] [THREADS]   link the first synthetic population (synthetic.h)
//   linkage_bench population [--held-out] [--seed S] [RECORDS...]
//                                                 link the harder population (population.h) at each
//                                                 size (default 20000 100000 500000 1000000): one
//                                                 table row per size, twins and siblings merged, the
//                                                 review pile
//   linkage_bench population [--held-out] [--seed S] --csv FILE RECORDS
//                                                 write that population's records as CSV (truth in
//                                                 `cluster`) for `kith link` or another linker
//   linkage_bench score-population [--held-out] [--seed S] RECORDS CLUSTERS_CSV [REVIEW_CSV]
//                                                 score another linker's clusters (and review pairs)
//                                                 on that population: the `population` table row
//   linkage_bench datasets [DATA_DIR]             accuracy on the public FEBRL and Splink sets
//
// DATA_DIR defaults to ../shared/data/linkage relative to the source tree (KITH_SOURCE_DIR or
// the current directory). KITH_BENCH_VERBOSE=1 also prints the trained weights and examples of
// split or wrongly merged children (synthetic) to stderr.
#include <fmt/format.h>

#include <cctype>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "linkage/csv.h"
#include "linkage/evaluate.h"
#include "linkage/linker.h"
#include "linkage/population.h"
#include "linkage/synthetic.h"

namespace {

using kith::linkage::EvaluatePairwise;
using kith::linkage::InputRecord;
using kith::linkage::LinkOptions;
using kith::linkage::PairwiseMetrics;

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

// Peak resident set size in MiB, from /proc/self/status (VmHWM); 0 when unavailable.
double PeakRssMiB() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::strtod(line.c_str() + 6, nullptr) / 1024.0;
  }
  return 0;
}

void PrintModel(const kith::linkage::Model& model) {
  fmt::print(stderr, "  prior {:.3g}\n", model.prior);
  for (size_t c = 0; c < model.size(); ++c) {
    std::string line = fmt::format("  {:14}", model.comparisons()[c].name);
    for (int l = 1; l < kith::linkage::LevelCount(model.comparisons()[c].kind); ++l) {
      line += fmt::format(" {}:{:+.1f}", l, model.LevelWeight(c, l));
    }
    fmt::print(stderr, "{}\n", line);
  }
}

// Options from the environment, for trying variants without a rebuild:
// KITH_LINK_SIMILAR_MATCH=1, KITH_LINK_MARGIN=bits (cluster_join_margin), KITH_LINK_MATCH=p, KITH_LINK_REVIEW=p.
void ApplyEnvironment(LinkOptions* o) {
  auto flag = [](const char* name, bool* value) {
    if (const char* v = std::getenv(name)) *value = std::string(v) == "1";
  };
  auto number = [](const char* name, double* value) {
    if (const char* v = std::getenv(name)) *value = std::strtod(v, nullptr);
  };
  bool similar_match = !o->similar_given_names_to_review;
  flag("KITH_LINK_SIMILAR_MATCH", &similar_match);
  o->similar_given_names_to_review = !similar_match;
  number("KITH_LINK_MARGIN", &o->cluster_join_margin);
  number("KITH_LINK_MATCH", &o->match_probability);
  number("KITH_LINK_REVIEW", &o->review_probability);
  // KITH_LINK_STRONG=mask: the parts of the strong-evidence rule (LinkOptions::strong_evidence,
  // linker.h), e.g. 0 for none, 1 for the no-given-name part alone.
  if (const char* v = std::getenv("KITH_LINK_STRONG")) o->strong_evidence = static_cast<uint32_t>(std::strtoul(v, nullptr, 0));
  // KITH_LINK_STRONG_ALWAYS=1: every part in force, whatever the data shows.
  if (const char* v = std::getenv("KITH_LINK_STRONG_ALWAYS")) o->strong_evidence_from_data = std::string(v) != "1";
}

void PrintMetrics(std::string_view name, size_t records, const PairwiseMetrics& m, double seconds) {
  fmt::print("| {} | {} | {} | {} | {:.4f} | {:.4f} | {:.4f} | {:.2f} s |\n", name, records, m.true_pairs,
             m.predicted_pairs, m.precision, m.recall, m.f1, seconds);
}

int RunSynthetic(size_t n, unsigned threads) {
  auto t0 = std::chrono::steady_clock::now();
  kith::linkage::SyntheticConfig config;
  config.records = n;
  config.seed = 42;
  const auto population = kith::linkage::GenerateChildren(config);
  const double generate_seconds = Seconds(t0);
  fmt::print("generated {} records of {} children in {:.2f} s\n", population.records.size(), population.children.size(),
             generate_seconds);

  LinkOptions options;
  options.threads = threads;
  double last = -1;
  options.progress = [&](std::string_view stage, double f) {
    if (f >= last + 0.25 || f >= 1.0 || f < last) {
      fmt::print(stderr, "  {} {:.0f}%\n", stage, f * 100);
      last = f >= 1.0 ? -1 : f;
    }
  };
  t0 = std::chrono::steady_clock::now();
  auto result = kith::linkage::Link(population.records, options);
  const double link_seconds = Seconds(t0);
  if (!result) {
    fmt::print(stderr, "link failed: {}\n", result.error().message);
    return 1;
  }
  const auto& s = result->stats;
  const PairwiseMetrics m = EvaluatePairwise(result->cluster_of, kith::linkage::SyntheticTruth(population));
  // Twins and siblings merged: clusters holding two different children of one family.
  std::unordered_map<uint64_t, uint32_t> first_child;
  size_t sibling_merges = 0;
  for (size_t i = 0; i < population.records.size(); ++i) {
    const uint32_t child = population.child_of[i];
    const uint64_t key = (static_cast<uint64_t>(result->cluster_of[i]) << 32) | population.children[child].family;
    auto [it, inserted] = first_child.try_emplace(key, child);
    if (!inserted && it->second != child) {
      if (++sibling_merges <= 10 && std::getenv("KITH_BENCH_VERBOSE") != nullptr) {
        for (uint32_t c : {it->second, child}) {
          const auto& k = population.children[c];
          fmt::print(stderr, "  merged child {}: {} {} {} twin={}\n", c, k.given_name, k.family_name,
                     k.date_of_birth.ToString(), k.twin);
        }
        for (size_t j = 0; j < population.records.size(); ++j) {
          if (result->cluster_of[j] != result->cluster_of[i]) continue;
          const auto& r = population.records[j];
          fmt::print(stderr, "    {} child {}: {} | {} | {} | {} | {} | {}\n", r.record_id, population.child_of[j],
                     r.given_name, r.family_name, r.date_of_birth, r.postcode, r.nhs_number, r.upn);
        }
      }
    }
  }
  if (std::getenv("KITH_BENCH_VERBOSE") != nullptr) {
    PrintModel(result->model);
    // Children split over clusters: the records of the first few.
    std::unordered_map<uint32_t, uint32_t> cluster_of_child;
    size_t shown = 0;
    for (size_t i = 0; i < population.records.size() && shown < 12; ++i) {
      auto [it, inserted] = cluster_of_child.try_emplace(population.child_of[i], result->cluster_of[i]);
      if (inserted || it->second == result->cluster_of[i]) continue;
      ++shown;
      for (size_t j = 0; j < population.records.size(); ++j) {
        if (population.child_of[j] != population.child_of[i]) continue;
        const auto& r = population.records[j];
        fmt::print(stderr, "  split {} cluster {}: {} | {} | {} | {} | {} | {} | {} | {}\n", r.record_id,
                   result->cluster_of[j], r.source, r.given_name, r.family_name, r.date_of_birth, r.sex, r.postcode,
                   r.nhs_number, r.upn);
      }
    }
  }
  fmt::print("linked {} records in {:.2f} s ({:.0f} records/s) with {} threads\n", n, link_seconds,
             static_cast<double>(n) / link_seconds, threads == 0 ? std::thread::hardware_concurrency() : threads);
  fmt::print("  stages: normalise {:.2f} s, train+tf {:.2f} s, block {:.2f} s, score {:.2f} s, cluster {:.2f} s\n",
             s.normalise_seconds, s.train_seconds, s.block_seconds, s.score_seconds, s.cluster_seconds);
  fmt::print("  candidate pairs {}, matches {}, reviews {}, sibling-guarded {}, oversized blocks {}, clusters {}\n",
             s.candidate_pairs, s.matches, s.reviews, s.sibling_guarded, s.oversized_blocks, s.clusters);
  fmt::print("  pairwise precision {:.4f} recall {:.4f} F1 {:.4f}; records of twins/siblings merged: {}\n", m.precision,
             m.recall, m.f1, sibling_merges);
  fmt::print("  prior {:.3g}\n", result->model.prior);
  fmt::print("peak RSS {:.0f} MiB\n", PeakRssMiB());
  return 0;
}

kith::linkage::Population MakePopulation(size_t n, bool held_out, uint64_t seed) {
  kith::linkage::PopulationConfig config =
      held_out ? kith::linkage::HeldOutPopulationConfig(n) : kith::linkage::PopulationConfig{};
  config.records = n;
  if (seed != 0) config.seed = seed;
  const auto t0 = std::chrono::steady_clock::now();
  auto population = kith::linkage::GeneratePopulation(config);
  fmt::print(stderr, "generated {} records of {} children in {:.2f} s\n", population.records.size(),
             population.children.size(), Seconds(t0));
  return population;
}

void PrintPopulationHeader() {
  fmt::print("| population | records | children | precision | recall | F1 | twins / siblings / household / other merged | "
             "review items (% of records) | link s | peak RSS MiB |\n|---|---|---|---|---|---|---|---|---|---|\n");
}

// One table row: accuracy against the truth, children wrongly merged by relation, and the review
// pile as the records in a review pair between two clusters.
void PrintPopulationRow(const kith::linkage::Population& population, bool held_out,
                        const std::vector<uint32_t>& cluster_of,
                        const std::vector<std::pair<uint32_t, uint32_t>>& review_pairs, double link_seconds) {
  const size_t n = population.records.size();
  const PairwiseMetrics m = EvaluatePairwise(cluster_of, kith::linkage::PopulationTruth(population));
  const auto merges = kith::linkage::CountFalseMerges(population, cluster_of);
  std::vector<bool> in_review(n, false);
  size_t review_records = 0;
  for (const auto& [a, b] : review_pairs) {
    if (cluster_of[a] == cluster_of[b]) continue;
    for (uint32_t r : {a, b}) {
      if (!in_review[r]) {
        in_review[r] = true;
        ++review_records;
      }
    }
  }
  std::vector<bool> seen(population.children.size(), false);
  size_t children_with_records = 0;
  for (uint32_t c : population.child_of) {
    if (!seen[c]) {
      seen[c] = true;
      ++children_with_records;
    }
  }
  fmt::print("| {} | {} | {} | {:.4f} | {:.4f} | {:.4f} | {} / {} / {} / {} | {} ({:.2f}%) | {:.1f} | {:.0f} |\n",
             held_out ? "held-out" : "standard", n, children_with_records, m.precision, m.recall, m.f1, merges.twins,
             merges.siblings, merges.household, merges.unrelated, review_records,
             100.0 * static_cast<double>(review_records) / static_cast<double>(n), link_seconds, PeakRssMiB());
}

// Writes the population's records as a CSV that `kith link` (or another linker) reads, the truth
// in the `cluster` column.
int WritePopulationCsv(const kith::linkage::Population& population, const std::string& path) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) {
    fmt::print(stderr, "cannot write '{}': check the directory exists and is writable\n", path);
    return 1;
  }
  using kith::linkage::CsvQuote;
  out << "record_id,source,cluster,given_name,family_name,full_name,date_of_birth,sex,postcode,address,locality,"
         "nhs_number,upn\n";
  for (size_t i = 0; i < population.records.size(); ++i) {
    const auto& r = population.records[i];
    out << CsvQuote(r.record_id) << ',' << CsvQuote(r.source) << ',' << population.child_of[i] << ','
        << CsvQuote(r.given_name) << ',' << CsvQuote(r.family_name) << ',' << CsvQuote(r.full_name) << ','
        << CsvQuote(r.date_of_birth) << ',' << CsvQuote(r.sex) << ',' << CsvQuote(r.postcode) << ','
        << CsvQuote(r.address) << ',' << CsvQuote(r.locality) << ',' << CsvQuote(r.nhs_number) << ','
        << CsvQuote(r.upn) << '\n';
  }
  if (!out) {
    fmt::print(stderr, "error writing '{}' (disk full?)\n", path);
    return 1;
  }
  fmt::print(stderr, "wrote {} records to {}\n", population.records.size(), path);
  return 0;
}

// Reads the first two columns of a CSV with a header (record ids, or a record id and a cluster).
bool ReadTwoColumns(const std::string& path, std::vector<std::pair<std::string, std::string>>* rows) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    fmt::print(stderr, "cannot read '{}': give the file `kith link --out` (or --review-out) wrote\n", path);
    return false;
  }
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  size_t pos = 0, lines = 0;
  std::vector<std::string> fields;
  std::string error;
  for (bool header = true; pos < text.size(); header = false) {
    if (!kith::linkage::SplitCsvRecord(text, &pos, &fields, &lines, &error) || fields.size() < 2) {
      fmt::print(stderr, "{}:{}: {}\n", path, lines, error.empty() ? "expected two columns" : error);
      return false;
    }
    if (!header) rows->emplace_back(fields[0], fields[1]);
  }
  return true;
}

// Scores another linker's output (`kith link --out`, and its --review-out) on the population
// that `population --csv` wrote: the same table row as `population`.
int ScorePopulation(const kith::linkage::Population& population, bool held_out, const std::string& clusters_path,
                    const std::string& review_path) {
  std::unordered_map<std::string, uint32_t> index;
  for (size_t i = 0; i < population.records.size(); ++i) index.emplace(population.records[i].record_id, i);
  std::vector<std::pair<std::string, std::string>> rows;
  if (!ReadTwoColumns(clusters_path, &rows)) return 1;
  std::unordered_map<std::string, uint32_t> cluster_ids;
  std::vector<uint32_t> cluster_of(population.records.size(), UINT32_MAX);
  for (const auto& [id, cluster] : rows) {
    const auto it = index.find(id);
    if (it == index.end()) {
      fmt::print(stderr, "{}: record '{}' is not in this population: generate and score with the same size, seed "
                 "and --held-out\n", clusters_path, id);
      return 1;
    }
    cluster_of[it->second] = cluster_ids.try_emplace(cluster, static_cast<uint32_t>(cluster_ids.size())).first->second;
  }
  for (auto& c : cluster_of) {
    if (c == UINT32_MAX) c = static_cast<uint32_t>(cluster_ids.size() + (&c - cluster_of.data()));  // left out: alone
  }
  std::vector<std::pair<uint32_t, uint32_t>> review_pairs;
  if (!review_path.empty()) {
    std::vector<std::pair<std::string, std::string>> pairs;
    if (!ReadTwoColumns(review_path, &pairs)) return 1;
    for (const auto& [a, b] : pairs) {
      const auto ia = index.find(a);
      const auto ib = index.find(b);
      if (ia != index.end() && ib != index.end()) review_pairs.emplace_back(ia->second, ib->second);
    }
  }
  PrintPopulationHeader();
  PrintPopulationRow(population, held_out, cluster_of, review_pairs, 0);
  return 0;
}

int RunPopulation(const std::vector<size_t>& sizes, bool held_out, uint64_t seed) {
  PrintPopulationHeader();
  for (size_t n : sizes) {
    const auto population = MakePopulation(n, held_out, seed);
    LinkOptions options;
    options.keep_match_pairs = true;  // for the examples of errors
    ApplyEnvironment(&options);
    const auto t0 = std::chrono::steady_clock::now();
    auto result = kith::linkage::Link(population.records, options);
    const double link_seconds = Seconds(t0);
    if (!result) {
      fmt::print(stderr, "link failed: {}\n", result.error().message);
      return 1;
    }
    std::vector<std::pair<uint32_t, uint32_t>> review_pairs;
    for (const auto& p : result->pairs) {
      if (p.outcome == kith::linkage::Outcome::kReview) review_pairs.emplace_back(p.a, p.b);
    }
    const auto& s = result->stats;
    fmt::print(stderr, "  candidates {}, matches {}, reviews {}, guarded {}, strong-evidence reviews {} (parts in force: {}; settled pairs {}), id conflicts {}, weak bridges {}, oversized {}\n",
               s.candidate_pairs, s.matches, s.reviews, s.sibling_guarded, s.strong_evidence_reviews, kith::linkage::StrongEvidenceParts(s.strong_evidence_in_force), s.strong_evidence_settled_pairs, s.identifier_conflicts, s.weak_bridges, s.oversized_blocks);
    PrintPopulationRow(population, held_out, result->cluster_of, review_pairs, link_seconds);
    if (std::getenv("KITH_BENCH_VERBOSE") != nullptr) {
      PrintModel(result->model);
      // Examples of each kind of error: split children and false merges.
      size_t shown_split = 0, shown_merge = 0;
      for (const auto& p : result->pairs) {
        const bool same = population.child_of[p.a] == population.child_of[p.b];
        const bool joined = result->cluster_of[p.a] == result->cluster_of[p.b];
        if (same == joined) continue;
        size_t& shown = same ? shown_split : shown_merge;
        if (shown++ >= 15) continue;
        fmt::print(stderr, "  {} p={:.3f} {}\n", same ? "SPLIT" : "MERGED", kith::linkage::Model::ToProbability(p.weight),
                   kith::linkage::ToString(p.outcome));
        for (uint32_t r : {p.a, p.b}) {
          const auto& x = population.records[r];
          fmt::print(stderr, "     {} {} | {} | {} | {} | {} | {} | {} | {} | {}\n", x.record_id, population.child_of[r],
                     x.given_name, x.family_name, x.date_of_birth, x.sex, x.postcode, x.address, x.nhs_number, x.upn);
        }
      }
    }
  }
  return 0;
}

bool LoadAll(const std::vector<std::string>& paths, std::vector<InputRecord>* out,
             std::vector<std::string>* text_names) {
  for (const auto& path : paths) {
    auto loaded = kith::linkage::ReadRecordsCsvFile(path, {});
    if (!loaded) {
      fmt::print(stderr, "{}: {}\n", path, loaded.error().message);
      return false;
    }
    for (const auto& e : loaded->errors) fmt::print(stderr, "{}:{}: {}\n", path, e.line, e.reason);
    *text_names = loaded->schema.text_columns;
    for (auto& r : loaded->records) out->push_back(std::move(r));
  }
  return true;
}

int RunDatasets(const std::string& dir) {
  struct Set {
    std::string name;
    std::vector<std::string> files;
    bool similar_names_match = false;  // LinkOptions::similar_given_names_to_review off
  };
  const std::vector<Set> sets = {
      {"febrl dataset1", {dir + "/febrl/dataset1.csv"}},
      {"febrl dataset2", {dir + "/febrl/dataset2.csv"}},
      {"febrl dataset3", {dir + "/febrl/dataset3.csv"}},
      {"febrl dataset4a+4b", {dir + "/febrl/dataset4a.csv", dir + "/febrl/dataset4b.csv"}},
      {"splink fake_1000", {dir + "/splink/fake_1000.csv"}},
      {"splink historical_50k", {dir + "/splink/historical_figures_with_errors_50k.csv"}},
      {"splink historical_50k, similar names match", {dir + "/splink/historical_figures_with_errors_50k.csv"}, true},
  };
  fmt::print("| data set | records | true pairs | predicted pairs | precision | recall | F1 | time |\n");
  fmt::print("|---|---|---|---|---|---|---|---|\n");
  for (const Set& set : sets) {
    std::vector<InputRecord> records;
    LinkOptions options;
    options.similar_given_names_to_review = !set.similar_names_match;
    if (const char* v = std::getenv("KITH_LINK_STRONG")) options.strong_evidence = static_cast<uint32_t>(std::strtoul(v, nullptr, 0));
    if (const char* v = std::getenv("KITH_LINK_STRONG_ALWAYS")) options.strong_evidence_from_data = std::string(v) != "1";
    if (!LoadAll(set.files, &records, &options.text_names)) return 1;
    const auto t0 = std::chrono::steady_clock::now();
    auto result = kith::linkage::Link(records, options);
    const double seconds = Seconds(t0);
    if (!result) {
      fmt::print(stderr, "{}: {}\n", set.name, result.error().message);
      return 1;
    }
    PrintMetrics(set.name, records.size(), EvaluatePairwise(result->cluster_of, kith::linkage::TruthEntities(records)),
                 seconds);
    if (std::getenv("KITH_BENCH_VERBOSE") != nullptr) {
      fmt::print(stderr, "  candidates {}, reviews {}, guarded {}\n", result->stats.candidate_pairs,
                 result->stats.reviews, result->stats.sibling_guarded);
      PrintModel(result->model);
    }
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "synthetic";
  if (mode == "synthetic") {
    const size_t n = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 1'000'000;
    const unsigned threads = argc > 3 ? static_cast<unsigned>(std::strtoul(argv[3], nullptr, 10)) : 0;
    return RunSynthetic(n, threads);
  }
  if (mode == "population" || mode == "score-population") {
    std::vector<size_t> sizes;
    std::vector<std::string> files;
    std::string csv;
    bool held_out = false;
    uint64_t seed = 0;
    for (int i = 2; i < argc; ++i) {
      const std::string a = argv[i];
      if (a == "--held-out") {
        held_out = true;
      } else if (a == "--seed" && i + 1 < argc) {
        seed = std::strtoull(argv[++i], nullptr, 10);
      } else if (a == "--csv" && i + 1 < argc) {
        csv = argv[++i];
      } else if (!a.empty() && std::isdigit(static_cast<unsigned char>(a[0]))) {
        sizes.push_back(std::strtoull(a.c_str(), nullptr, 10));
      } else {
        files.push_back(a);
      }
    }
    if (mode == "score-population") {
      if (sizes.size() != 1 || files.empty() || files.size() > 2) {
        fmt::print(stderr, "usage: linkage_bench score-population [--held-out] [--seed S] RECORDS CLUSTERS_CSV "
                   "[REVIEW_CSV]\n");
        return 2;
      }
      return ScorePopulation(MakePopulation(sizes[0], held_out, seed), held_out, files[0],
                             files.size() > 1 ? files[1] : std::string());
    }
    if (!csv.empty()) {
      if (sizes.size() != 1) {
        fmt::print(stderr, "population --csv FILE takes one size\n");
        return 2;
      }
      return WritePopulationCsv(MakePopulation(sizes[0], held_out, seed), csv);
    }
    if (sizes.empty()) sizes = {20'000, 100'000, 500'000, 1'000'000};
    return RunPopulation(sizes, held_out, seed);
  }
  if (mode == "datasets") {
    std::string dir;
    if (argc > 2) {
      dir = argv[2];
    } else {
      const char* source = std::getenv("KITH_SOURCE_DIR");
      dir = std::string(source != nullptr ? source : ".") + "/../shared/data/linkage";
    }
    return RunDatasets(dir);
  }
  fmt::print(stderr,
             "usage: linkage_bench synthetic [RECORDS] [THREADS] | population [--held-out] [--seed S] [--csv FILE] [RECORDS...] | "
             "score-population [--held-out] [--seed S] RECORDS CLUSTERS_CSV [REVIEW_CSV] | "
             "datasets [DATA_DIR]\n");
  return 2;
}
