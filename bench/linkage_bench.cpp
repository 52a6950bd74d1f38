// Record-linkage benchmark and accuracy report. Plain timed executable (not Google Benchmark):
// one run of a million records is the figure that matters, with its peak memory.
//
//   linkage_bench synthetic [RECORDS] [THREADS]   link a synthetic population of children
//   linkage_bench datasets [DATA_DIR]             accuracy on the public FEBRL and Splink sets
//
// DATA_DIR defaults to ../shared/data/linkage relative to the source tree (KITH_SOURCE_DIR or
// the current directory). KITH_BENCH_VERBOSE=1 also prints the trained weights and examples of
// split or wrongly merged children (synthetic) to stderr.
#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "linkage/csv.h"
#include "linkage/evaluate.h"
#include "linkage/linker.h"
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
  fmt::print(stderr, "usage: linkage_bench synthetic [RECORDS] [THREADS] | datasets [DATA_DIR]\n");
  return 2;
}
