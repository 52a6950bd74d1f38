// The national search index built from the database, as the server builds it at start-up
// (app::BuildSearchIndex paging through Children().ListRecordsByAuthority), at N synthetic children.
// bench/search_bench.cpp measures the index over a synthetic stream; this one adds the reads.
//
//   search_db_bench N DB_PATH
//   search_db_bench N postgresql://... | "host=... dbname=..."   (PostgreSQL, issue 16)
//
// DB_PATH is a SQLite file, or a libpq connection URI or key=value string (anything starting with
// "postgres" or holding '='), which is opened as the server opens it (storage::OpenPostgresStore,
// migrations applied: connect as the schema's owner), with 8 connections.
// If the database holds no children, it is first filled with N synthetic children
// (linkage::ForEachSyntheticChild) in 150 authorities, each with carers, a GP and, from school
// age, a school; 20,000 children per Write. The fill is set-up, timed apart and not the measure;
// a second run on the same file skips it. Then reports the children indexed, the build's wall and
// CPU seconds, VmRSS before and after, and bytes per child (VmRSS delta over children indexed,
// with the index held; SQLite's page caches are included, they are small).
#include <fmt/format.h>
#include <time.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "process_stats.h"
#include "app/search_service.h"
#include "linkage/synthetic.h"
#include "storage/postgres/postgres_store.h"
#include "storage/sqlite/sqlite_store.h"

namespace kith {
namespace {

using Steady = std::chrono::steady_clock;

constexpr int kAuthorities = 150;
constexpr size_t kPerWrite = 20'000;

double Since(Steady::time_point t) { return std::chrono::duration<double>(Steady::now() - t).count(); }

double ProcessCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

std::string AuthorityId(int a) { return fmt::format("LBENCH{:011d}", a); }
std::string SchoolId(int a) { return fmt::format("ASCHOOL{:010d}", a); }
std::string GpId(int a) { return fmt::format("AGP{:014d}", a); }

// A stored child from a synthetic one: the n-th child gets id "K" + 16 hex digits of n (ids
// ascend as inserted), an authority by family, one or two carers, a GP and, with a UPN, a school.
domain::Child ToChild(const linkage::SyntheticChild& s, size_t n, TimePoint now) {
  const int a = static_cast<int>(s.family % kAuthorities);
  domain::Child c;
  c.id = fmt::format("K{:016X}", n);
  c.authority_id = AuthorityId(a);
  c.given_names = s.given_name;
  c.family_name = s.family_name;
  if (n % 40 == 0) c.other_names.push_back(s.given_name + " Smith");  // a former surname
  c.date_of_birth = s.date_of_birth;
  c.sex = s.sex == 'M' ? domain::Sex::kMale : domain::Sex::kFemale;
  c.address = s.address;
  c.postcode = s.postcode;
  c.nhs_number = s.nhs_number;
  c.upn = s.upn;
  c.carers.push_back({"Parent " + s.family_name, "Mother", true, fmt::format("07700 9{:05d}", n % 100'000),
                      "", ""});
  if (s.family % 5 < 3) c.carers.push_back({"Carer " + s.family_name, "Father", true, "", "", ""});
  c.gp_agency_id = GpId(a);
  c.services.push_back({GpId(a), "Registered patient", s.date_of_birth, std::nullopt});
  if (!s.upn.empty()) {
    c.school_agency_id = SchoolId(a);
    c.services.push_back({SchoolId(a), "Pupil", Date{2025, 9, 1}, std::nullopt});
  }
  c.flags.early_help_assessment = n % 50 == 0;
  c.flags.child_protection_plan = n % 250 == 0;
  c.flags.looked_after = n % 150 == 0;
  c.shielded = n % 5000 == 0;
  c.created_at = now;
  c.updated_at = now;
  return c;
}

void Fill(storage::Store& store, size_t n) {
  const auto t0 = Steady::now();
  store.Write([](storage::Repositories& r) {
    for (int a = 0; a < kAuthorities; ++a) {
      if (!r.Authorities().Insert({AuthorityId(a), fmt::format("E{:08d}", a), fmt::format("Bench {}", a), false})) {
        return false;
      }
      (void)r.Agencies().Insert({SchoolId(a), AuthorityId(a), "Bench Primary", domain::AgencyKind::kSchool, "", "", ""});
      (void)r.Agencies().Insert({GpId(a), AuthorityId(a), "Bench Surgery", domain::AgencyKind::kGpPractice, "", "", ""});
    }
    return true;
  });
  const TimePoint now = SystemClock().Now();
  std::vector<domain::Child> batch;
  batch.reserve(kPerWrite);
  size_t written = 0;
  auto flush = [&] {
    bool ok = true;
    store.Write([&](storage::Repositories& r) {
      for (const auto& c : batch) {
        if (auto s = r.Children().Insert(c); !s) {
          std::fprintf(stderr, "insert %s failed: %s\n", c.id.c_str(), s.error().message.c_str());
          ok = false;
          return false;
        }
      }
      return true;
    });
    if (!ok) std::exit(1);
    written += batch.size();
    batch.clear();
    const double s = Since(t0);
    std::fprintf(stderr, "\rfill: %zu / %zu children, %.0f s, %.0f/s   ", written, n, s, written / s);
  };
  linkage::SyntheticConfig config;
  config.seed = 42;
  size_t i = 0;
  linkage::ForEachSyntheticChild(config, n, [&](const linkage::SyntheticChild& s) {
    batch.push_back(ToChild(s, i++, now));
    if (batch.size() == kPerWrite) flush();
  });
  if (!batch.empty()) flush();
  std::fprintf(stderr, "\n");
  std::printf("fill (set-up)            %zu children in %.1f s (%.0f/s)\n", written, Since(t0), written / Since(t0));
}

int Run(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: search_db_bench N DB_PATH\n");
    return 2;
  }
  const size_t n = std::stoul(argv[1]);
  const std::string path = argv[2];
  const bool postgres = path.starts_with("postgres") || path.find('=') != std::string::npos;
  auto store = postgres ? storage::OpenPostgresStore({.url = path, .connections = 8})
                        : storage::OpenSqliteStore({.path = path});
  const std::string where = postgres ? storage::RedactDatabaseUrl(path) : path;
  const auto stored = store->ReadValue([](storage::Repositories& r) { return r.Children().Count(); });
  if (stored == 0) {
    Fill(*store, n);
  } else {
    std::printf("fill                     skipped: %s holds %lld children\n", where.c_str(),
                static_cast<long long>(stored));
  }
  if (postgres) {
    std::printf("database                 PostgreSQL at %s\n", where.c_str());
  } else {
    std::printf("database                 %.2f GiB\n",
                static_cast<double>(std::filesystem::file_size(path)) / (1024.0 * 1024 * 1024));
  }
  std::fflush(stdout);

  const long rss_before = kith::bench::VmRssKiB();
  const double cpu0 = ProcessCpuSeconds();
  const auto t0 = Steady::now();
  auto index = app::BuildSearchIndex(*store, [&](size_t indexed) {
    std::fprintf(stderr, "\rbuild: %zu indexed, %.0f s   ", indexed, Since(t0));
  });
  const double seconds = Since(t0);
  const double cpu = ProcessCpuSeconds() - cpu0;
  const long rss_after = kith::bench::VmRssKiB();
  std::fprintf(stderr, "\n");
  const size_t indexed = index->Size();
  std::printf("children indexed         %zu\n", indexed);
  std::printf("build from the database  %.1f s wall, %.1f s CPU (all threads), %.0f children/s\n", seconds, cpu,
              indexed / seconds);
  std::printf("memory                   VmRSS %ld -> %ld KiB, %.1f bytes/child\n", rss_before, rss_after,
              indexed ? (rss_after - rss_before) * 1024.0 / static_cast<double>(indexed) : 0.0);
  return 0;
}

}  // namespace
}  // namespace kith

int main(int argc, char** argv) { return kith::Run(argc, argv); }
