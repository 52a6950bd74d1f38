// `kith import` speed and accuracy through the app layer on SQLite: a synthetic population of
// English children (linkage/synthetic.h: typos, nicknames, moves, missing NHS numbers in school
// records, twins and siblings) split into two feeds. Feed A is imported into an empty index,
// feed B against the children A made, then B again (every row unchanged). Reports rows per
// second for each step and the pairwise accuracy of the result (source records about the same
// child attached to the same child) with and without the records waiting in review.
//
// Run: build/bench/import_bench [RECORDS] [--db DIR]   (default 100000 records, a temp dir)
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <string>
#include <unistd.h>

#include <fmt/format.h>

#include "app/index_import.h"
#include "linkage/evaluate.h"
#include "linkage/synthetic.h"
#include "storage/sqlite/sqlite_store.h"

namespace kith {
namespace {

using Steady = std::chrono::steady_clock;

std::string Csv(const std::vector<linkage::InputRecord>& records, size_t begin, size_t end) {
  std::string out = "record_id,source,given_name,family_name,date_of_birth,sex,postcode,address,nhs_number,upn\n";
  for (size_t i = begin; i < end; ++i) {
    const auto& r = records[i];
    std::string dob = r.date_of_birth;  // the generator writes YYYYMMDD
    if (dob.size() == 8) dob = dob.substr(0, 4) + "-" + dob.substr(4, 2) + "-" + dob.substr(6, 2);
    out += fmt::format("{},{},{},{},{},{},{},\"{}\",{},{}\n", r.record_id, r.source, r.given_name, r.family_name, dob,
                       r.sex, r.postcode, r.address, r.nhs_number, r.upn);
  }
  return out;
}

int Run(int argc, char** argv) {
  size_t n = 100'000;
  std::string dir;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--db") == 0 && i + 1 < argc) {
      dir = argv[++i];
    } else {
      n = std::stoul(argv[i]);
    }
  }
  const bool temporary = dir.empty();
  if (temporary) dir = (std::filesystem::temp_directory_path() / ("kith-import-bench-" + std::to_string(getpid()))).string();
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);

  linkage::SyntheticConfig config;
  config.seed = 42;
  config.records = n;
  const auto population = linkage::GenerateChildren(config);
  const size_t half = population.records.size() / 2;
  const std::string feed_a = Csv(population.records, 0, half);
  const std::string feed_b = Csv(population.records, half, population.records.size());

  auto store = storage::OpenSqliteStore({.path = dir + "/kith.db"});
  store->Write([](storage::Repositories& r) { return static_cast<bool>(r.Authorities().Insert({"la1", "E1", "Bench", false})); });
  SystemClock clock;
  SystemRandom random;
  app::PasswordHasher hasher(app::HashCost::kMinimum);
  app::Context ctx{*store, clock, random, hasher, {}};
  app::Principal actor;
  actor.user.id = "bench";
  actor.user.role = domain::Role::kNationalAdmin;
  app::ImportOptions options;
  options.authority_id = "la1";

  std::printf("%zu synthetic records about %zu children; feed A %zu rows, feed B %zu rows\n",
              population.records.size(), population.children.size(), half, population.records.size() - half);
  std::printf("%-28s %8s %8s %8s %8s %8s %8s %9s %10s\n", "step", "rows", "created", "matched", "queued",
              "unchanged", "rejected", "seconds", "rows/s");
  auto step = [&](const char* name, const std::string& feed) {
    const auto t0 = Steady::now();
    auto s = app::ImportFeed(ctx, actor, feed, options);
    const double seconds = std::chrono::duration<double>(Steady::now() - t0).count();
    if (!s) {
      std::printf("%s failed: %s\n", name, s.error().message.c_str());
      std::exit(1);
    }
    std::printf("%-28s %8zu %8zu %8zu %8zu %8zu %8zu %9.2f %10.0f\n", name, s->rows_read, s->created, s->matched,
                s->queued, s->unchanged, s->rejected.size(), seconds, static_cast<double>(s->rows_read) / seconds);
    std::map<std::string, size_t> reasons;  // by column
    for (const auto& e : s->rejected) ++reasons[e.reason.substr(0, e.reason.find(':'))];
    for (const auto& [column, count] : reasons) std::printf("    rejected for %s: %zu\n", column.c_str(), count);
  };
  step("A into an empty index", feed_a);
  step("B against A's children", feed_b);
  step("B again (idempotent)", feed_b);

  // Accuracy: records attached to one child should be about one child. Records in review
  // (no child yet) count as their own cluster.
  std::vector<uint32_t> cluster_of;
  std::vector<std::string> truth;
  std::map<std::string, uint32_t> clusters;
  size_t pending = 0;
  store->Read([&](storage::Repositories& r) {
    for (size_t i = 0; i < population.records.size(); ++i) {
      const auto& rec = population.records[i];
      auto stored = r.SourceRecords().Find(rec.source, rec.record_id);
      if (!stored) continue;  // rejected
      std::string key = stored->child_id;
      if (key.empty()) {
        key = "pending:" + stored->id;
        ++pending;
      }
      cluster_of.push_back(clusters.emplace(key, static_cast<uint32_t>(clusters.size())).first->second);
      truth.push_back(std::to_string(population.child_of[i]));
    }
  });
  const auto m = linkage::EvaluatePairwise(cluster_of, truth);
  std::printf("stored %zu records (%zu in review); pairwise precision %.4f recall %.4f F1 %.4f\n", cluster_of.size(),
              pending, m.precision, m.recall, m.f1);
  store.reset();
  if (temporary) std::filesystem::remove_all(dir);
  return 0;
}

}  // namespace
}  // namespace kith

int main(int argc, char** argv) { return kith::Run(argc, argv); }
