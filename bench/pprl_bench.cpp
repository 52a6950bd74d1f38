// Privacy-preserving linkage benchmark: accuracy of linking by tokens alone against plaintext
// `kith link` on the same records, and the speed of the Dice kernel. Plain timed executable.
//
//   pprl_bench accuracy [DATA_DIR] [THRESHOLD]  FEBRL 4a+4b and a synthetic population split
//                                               across three authorities: plaintext F1,
//                                               token F1, twins and siblings merged
//   pprl_bench dice [CANDIDATES] [SECONDS]      Dice comparisons per second on one core
//   pprl_bench sweep [DATA_DIR]                 F1 for other field weights, widths, thresholds
//   pprl_bench fields [DATA_DIR]                address and identifier weights tuned on FEBRL 1-3
//                                               and the synthetic twins, FEBRL 4 held out
//
// DATA_DIR defaults to ../shared/data/linkage relative to KITH_SOURCE_DIR (or the current
// directory). The secret is a fixed test secret: accuracy does not depend on it.
#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <set>
#include <string>
#include <vector>

#include "linkage/csv.h"
#include "linkage/evaluate.h"
#include "linkage/linker.h"
#include "linkage/synthetic.h"
#include "pprl/encoder.h"
#include "pprl/token_link.h"

namespace {

using namespace kith;

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

pprl::LinkageSecret BenchSecret() {
  return *pprl::LinkageSecret::FromHex("6b6974682d7070726c2d62656e63682d7365637265742d6e6f742d7265616c21");
}

// Records of different children of one family (twins and siblings) placed in one cluster.
size_t SiblingsMerged(const linkage::SyntheticPopulation& pop, const std::vector<uint32_t>& cluster_of) {
  std::vector<std::vector<uint32_t>> members;
  for (size_t i = 0; i < cluster_of.size(); ++i) {
    if (cluster_of[i] >= members.size()) members.resize(cluster_of[i] + 1);
    members[cluster_of[i]].push_back(pop.child_of[i]);
  }
  size_t merged = 0;
  for (const auto& m : members) {
    std::set<uint32_t> children(m.begin(), m.end());
    for (auto a = children.begin(); a != children.end(); ++a) {
      for (auto b = std::next(a); b != children.end(); ++b) {
        if (pop.children[*a].family == pop.children[*b].family) ++merged;
      }
    }
  }
  return merged;
}

struct Compared {
  linkage::PairwiseMetrics plain, tokens;
  std::vector<uint32_t> plain_clusters, token_clusters;
  pprl::TokenLinkStats stats;
};

Compared Compare(const std::vector<linkage::InputRecord>& records, const std::vector<std::string>& truth,
                 const std::vector<size_t>& authority_of, double threshold,
                 const pprl::EncoderOptions& encoder_options = {}) {
  Compared c;
  auto plain = linkage::Link(records, linkage::LinkOptions{});
  if (!plain) {
    fmt::print(stderr, "plaintext link failed: {}\n", plain.error().message);
    std::exit(1);
  }
  c.plain_clusters = plain->cluster_of;
  c.plain = linkage::EvaluatePairwise(plain->cluster_of, truth);
  // Each authority encodes its own records; the tokens are linked together.
  const pprl::Encoder encoder(BenchSecret(), encoder_options);
  std::vector<pprl::Tokens> tokens(records.size());
  for (size_t i = 0; i < records.size(); ++i) tokens[i] = encoder.Encode(records[i]);
  (void)authority_of;
  pprl::TokenLinkOptions options;
  options.threshold = threshold;
  auto linked = pprl::LinkTokens(tokens, options);
  c.token_clusters = linked->cluster_of;
  c.stats = linked->stats;
  c.tokens = linkage::EvaluatePairwise(linked->cluster_of, truth);
  return c;
}

void PrintRow(std::string_view name, size_t records, const linkage::PairwiseMetrics& m) {
  fmt::print("| {} | {} | {} | {} | {:.4f} | {:.4f} | {:.4f} |\n", name, records, m.true_pairs, m.predicted_pairs,
             m.precision, m.recall, m.f1);
}

int RunAccuracy(const std::string& dir, double threshold) {
  fmt::print(
      "| data | records | true pairs | predicted pairs | precision | recall | F1 |\n|---|---|---|---|---|---|---|\n");
  std::vector<linkage::InputRecord> febrl;
  std::vector<size_t> authority_of;
  for (const char* file : {"febrl/dataset4a.csv", "febrl/dataset4b.csv"}) {
    auto loaded = linkage::ReadRecordsCsvFile(dir + "/" + file, {});
    if (!loaded) {
      fmt::print(stderr, "{}/{}: {}\n", dir, file, loaded.error().message);
      return 1;
    }
    for (auto& r : loaded->records) {
      febrl.push_back(std::move(r));
      authority_of.push_back(file[14] == 'a' ? 0 : 1);
    }
  }
  const auto f = Compare(febrl, linkage::TruthEntities(febrl), authority_of, threshold);
  PrintRow("FEBRL 4a+4b, plaintext", febrl.size(), f.plain);
  PrintRow("FEBRL 4a+4b, tokens", febrl.size(), f.tokens);
  fmt::print(stderr, "febrl: {} id matches, {} clk matches, {} conflicts, {} weak bridges, {:.2f} s compare\n",
             f.stats.identifier_matches, f.stats.clk_matches, f.stats.identifier_conflicts, f.stats.weak_bridges,
             f.stats.compare_seconds);

  linkage::SyntheticConfig config;
  config.records = 20'000;
  config.seed = 7;
  const auto pop = linkage::GenerateChildren(config);
  // Three authorities: each family lives in one, as children's records do.
  authority_of.assign(pop.records.size(), 0);
  for (size_t i = 0; i < pop.records.size(); ++i) authority_of[i] = pop.children[pop.child_of[i]].family % 3;
  const auto s = Compare(pop.records, linkage::SyntheticTruth(pop), authority_of, threshold);
  PrintRow("synthetic, 3 authorities, plaintext", pop.records.size(), s.plain);
  PrintRow("synthetic, 3 authorities, tokens", pop.records.size(), s.tokens);
  fmt::print("twins or siblings merged: plaintext {}, tokens {}\n", SiblingsMerged(pop, s.plain_clusters),
             SiblingsMerged(pop, s.token_clusters));
  fmt::print(stderr, "synthetic: {} id matches, {} clk matches, {} conflicts, {} weak bridges, {:.2f} s compare\n",
             s.stats.identifier_matches, s.stats.clk_matches, s.stats.identifier_conflicts, s.stats.weak_bridges,
             s.stats.compare_seconds);
  fmt::print("F1 differences (tokens - plaintext): FEBRL {:+.4f}, synthetic {:+.4f}\n", f.tokens.f1 - f.plain.f1,
             s.tokens.f1 - s.plain.f1);
  return 0;
}

// Tuning: F1 of token linkage for several field weights, diffusion widths and thresholds, on
// both data sets (plaintext once). Custom weights are another encoding than the scheme's.
int RunSweep(const std::string& dir) {
  std::vector<linkage::InputRecord> febrl;
  for (const char* file : {"febrl/dataset4a.csv", "febrl/dataset4b.csv"}) {
    auto loaded = linkage::ReadRecordsCsvFile(dir + "/" + file, {});
    if (!loaded) return 1;
    for (auto& r : loaded->records) febrl.push_back(std::move(r));
  }
  linkage::SyntheticConfig config;
  config.records = 20'000;
  config.seed = 7;
  const auto pop = linkage::GenerateChildren(config);
  const auto febrl_truth = linkage::TruthEntities(febrl), pop_truth = linkage::SyntheticTruth(pop);
  const auto febrl_plain = linkage::EvaluatePairwise(linkage::Link(febrl, {})->cluster_of, febrl_truth);
  const auto pop_plain_link = linkage::Link(pop.records, {});
  const auto pop_plain = linkage::EvaluatePairwise(pop_plain_link->cluster_of, pop_truth);
  fmt::print("plaintext F1: FEBRL {:.4f}, synthetic {:.4f} (siblings merged {})\n", febrl_plain.f1, pop_plain.f1,
             SiblingsMerged(pop, pop_plain_link->cluster_of));
  std::vector<std::pair<std::string, pprl::EncoderOptions>> variants;
  variants.emplace_back("default", pprl::EncoderOptions{});
  {
    pprl::EncoderOptions o;
    o.diffusion_width = 2;
    variants.emplace_back("width 2", o);
  }
  for (int given : {300, 400}) {
    pprl::EncoderOptions o;
    o.bits.given = given;
    variants.emplace_back(fmt::format("given {}", given), o);
  }
  {
    pprl::EncoderOptions o;
    o.bits.given = 400;
    o.diffusion_width = 2;
    variants.emplace_back("given 400 w2", o);
  }
  for (const auto& [name, options] : variants) {
    const pprl::Encoder encoder(BenchSecret(), options);
    std::vector<pprl::Tokens> ft, pt;
    for (const auto& r : febrl) ft.push_back(encoder.Encode(r));
    for (const auto& r : pop.records) pt.push_back(encoder.Encode(r));
    for (double threshold : {0.62, 0.65, 0.68, 0.70, 0.72, 0.75, 0.78, 0.80}) {
      pprl::TokenLinkOptions lo;
      lo.threshold = threshold;
      const auto f = linkage::EvaluatePairwise(pprl::LinkTokens(ft, lo)->cluster_of, febrl_truth);
      const auto p = pprl::LinkTokens(pt, lo);
      const auto s = linkage::EvaluatePairwise(p->cluster_of, pop_truth);
      fmt::print(
          "{:10} t={:.2f}  FEBRL P {:.4f} R {:.4f} F1 {:.4f} ({:+.4f})  synthetic P {:.4f} R {:.4f} F1 {:.4f} "
          "({:+.4f}) siblings merged {}\n",
          name, threshold, f.precision, f.recall, f.f1, f.f1 - febrl_plain.f1, s.precision, s.recall, s.f1,
          s.f1 - pop_plain.f1, SiblingsMerged(pop, p->cluster_of));
    }
  }
  return 0;
}

// Tuning of the weights of the fields children's records rarely have (address, locality, another
// identifier) on FEBRL 1, 2 and 3, with the synthetic population as the guard against merging
// twins; FEBRL 4a+4b is held out (printed, never used to choose).
int RunFields(const std::string& dir) {
  auto load = [&](std::initializer_list<const char*> files) {
    std::vector<linkage::InputRecord> out;
    for (const char* file : files) {
      auto loaded = linkage::ReadRecordsCsvFile(dir + "/" + file, {});
      if (!loaded) {
        fmt::print(stderr, "{}/{}: {}\n", dir, file, loaded.error().message);
        std::exit(1);
      }
      for (auto& r : loaded->records) out.push_back(std::move(r));
    }
    return out;
  };
  struct Set {
    std::string name;
    std::vector<linkage::InputRecord> records;
    std::vector<std::string> truth;
    double plain_f1 = 0;
  };
  std::vector<Set> sets;
  for (const auto& [name, files] : std::vector<std::pair<std::string, std::vector<const char*>>>{
           {"FEBRL 1", {"febrl/dataset1.csv"}},
           {"FEBRL 2", {"febrl/dataset2.csv"}},
           {"FEBRL 3", {"febrl/dataset3.csv"}},
           {"FEBRL 4 (held out)", {"febrl/dataset4a.csv", "febrl/dataset4b.csv"}}}) {
    Set set{name, {}, {}, 0};
    for (const char* f : files) {
      auto part = load({f});
      set.records.insert(set.records.end(), part.begin(), part.end());
    }
    set.truth = linkage::TruthEntities(set.records);
    set.plain_f1 = linkage::EvaluatePairwise(linkage::Link(set.records, {})->cluster_of, set.truth).f1;
    sets.push_back(std::move(set));
  }
  linkage::SyntheticConfig config;
  config.records = 20'000;
  config.seed = 7;
  const auto pop = linkage::GenerateChildren(config);
  const auto pop_truth = linkage::SyntheticTruth(pop);
  const double pop_plain = linkage::EvaluatePairwise(linkage::Link(pop.records, {})->cluster_of, pop_truth).f1;
  fmt::print("plaintext F1:");
  for (const auto& set : sets) fmt::print(" {} {:.4f},", set.name, set.plain_f1);
  fmt::print(" synthetic {:.4f}\n", pop_plain);
  for (int address : {100, 200, 300}) {
    for (int other : {100, 200, 300}) {
      pprl::EncoderOptions o;
      o.bits.address = address;
      o.bits.locality = address * 6 / 10;
      o.bits.other_id = other;
      const pprl::Encoder encoder(BenchSecret(), o);
      std::vector<pprl::Tokens> pt;
      for (const auto& r : pop.records) pt.push_back(encoder.Encode(r));
      std::vector<std::vector<pprl::Tokens>> st(sets.size());
      for (size_t i = 0; i < sets.size(); ++i)
        for (const auto& r : sets[i].records) st[i].push_back(encoder.Encode(r));
      for (double threshold : {0.62, 0.65, 0.68, 0.71}) {
        pprl::TokenLinkOptions lo;
        lo.threshold = threshold;
        fmt::print("address {} other {} t={:.2f}:", address, other, threshold);
        double tuning_gap = 0;
        for (size_t i = 0; i < sets.size(); ++i) {
          const auto m = linkage::EvaluatePairwise(pprl::LinkTokens(st[i], lo)->cluster_of, sets[i].truth);
          if (i + 1 < sets.size()) tuning_gap = std::min(tuning_gap, m.f1 - sets[i].plain_f1);
          fmt::print(" {} {:.4f} ({:+.4f}),", sets[i].name, m.f1, m.f1 - sets[i].plain_f1);
        }
        const auto p = pprl::LinkTokens(pt, lo);
        const auto s = linkage::EvaluatePairwise(p->cluster_of, pop_truth);
        fmt::print(" synthetic {:.4f} ({:+.4f}) merged {} | worst tuning gap {:+.4f}\n", s.f1, s.f1 - pop_plain,
                   SiblingsMerged(pop, p->cluster_of), tuning_gap);
      }
    }
  }
  return 0;
}

int RunDice(size_t candidates, double seconds) {
  linkage::SyntheticConfig config;
  config.records = candidates;
  config.seed = 3;
  const auto pop = linkage::GenerateChildren(config);
  const pprl::Encoder encoder(BenchSecret());
  std::vector<pprl::Clk> clks;
  std::vector<uint32_t> pops;
  for (const auto& r : pop.records) {
    const auto t = encoder.Encode(r);
    clks.push_back(t.clk);
    pops.push_back(pprl::PopCount(t.clk));
  }
  std::vector<float> out(clks.size());
  uint64_t comparisons = 0;
  double checksum = 0;
  const auto t0 = std::chrono::steady_clock::now();
  size_t q = 0;
  while (Seconds(t0) < seconds) {
    pprl::DiceMany(clks[q], pops[q], clks, pops, out);
    comparisons += clks.size();
    checksum += out[q];
    q = (q + 1) % clks.size();
  }
  const double elapsed = Seconds(t0);
  fmt::print(
      "kernel {}: {} comparisons in {:.2f} s on one thread = {:.1f} million Dice comparisons per second "
      "({} candidates of {} bytes; checksum {:.0f})\n",
      pprl::DiceKernelName(), comparisons, elapsed, comparisons / elapsed / 1e6, clks.size(), sizeof(pprl::Clk),
      checksum);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "accuracy";
  if (mode == "accuracy") {
    const char* src = std::getenv("KITH_SOURCE_DIR");
    const std::string dir = argc > 2 ? argv[2] : std::string(src ? src : ".") + "/../shared/data/linkage";
    return RunAccuracy(dir, argc > 3 ? std::atof(argv[3]) : pprl::TokenLinkOptions{}.threshold);
  }
  if (mode == "sweep") {
    const char* src = std::getenv("KITH_SOURCE_DIR");
    return RunSweep(argc > 2 ? argv[2] : std::string(src ? src : ".") + "/../shared/data/linkage");
  }
  if (mode == "fields") {
    const char* src = std::getenv("KITH_SOURCE_DIR");
    return RunFields(argc > 2 ? argv[2] : std::string(src ? src : ".") + "/../shared/data/linkage");
  }
  if (mode == "dice") {
    return RunDice(argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 100'000, argc > 3 ? std::atof(argv[3]) : 5.0);
  }
  fmt::print(stderr, "usage: pprl_bench accuracy [DATA_DIR] [THRESHOLD] | sweep [DATA_DIR] | fields [DATA_DIR] | dice [CANDIDATES] [SECONDS]\n");
  return 2;
}
