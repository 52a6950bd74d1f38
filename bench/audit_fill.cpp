// Fills a Kith database with N audit records of one authority, for benchmarks of what reads the
// audit log (the auditors' CSV export, bench/audit_export_bench.sh). The records go through
// AuditLog::Append (sealed and chained as the server writes them), 100,000 per Write; they name
// the demo's users and 1,000 children, one action of a few kinds each, over the last 60 days.
//
//   audit_fill N STORE [AUTHORITY]
//
// STORE is the SQLite file (DATA/kith.db) or a PostgreSQL connection URI ("postgresql://…" or
// "host=… dbname=…"), opened as the server opens it; AUTHORITY defaults to the demo's
// (LNORTHBROOK000000). Prints records written, seconds and records a second.
#include <fmt/format.h>

#include <chrono>
#include <string>

#include "storage/postgres/postgres_store.h"
#include "storage/sqlite/sqlite_store.h"

namespace kith {
namespace {

int Run(int argc, char** argv) {
  if (argc < 3) {
    fmt::print(stderr, "usage: audit_fill N STORE [AUTHORITY]\n");
    return 2;
  }
  const int64_t n = std::stoll(argv[1]);
  const std::string path = argv[2];
  const std::string authority = argc > 3 ? argv[3] : "LNORTHBROOK000000";
  const bool postgres = path.starts_with("postgres") || path.find('=') != std::string::npos;
  auto store = postgres ? storage::OpenPostgresStore({.url = path, .connections = 2})
                        : storage::OpenSqliteStore({.path = path});
  static const char* kActors[] = {"Usw_hughes", "Ugp_osei", "Uteacher_ellis", "Uauditor_clarke", "Uhv_patel"};
  static const char* kActions[] = {"child.read", "child.search", "chronology.add", "team.join", "child.signposting"};
  const auto start = std::chrono::steady_clock::now();
  const TimePoint first = std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now()) -
                          std::chrono::hours(24 * 60);
  const auto step = std::chrono::microseconds(std::chrono::hours(24 * 60)) / std::max<int64_t>(n, 1);
  constexpr int64_t kPerWrite = 100'000;
  for (int64_t done = 0; done < n;) {
    const int64_t end = std::min(n, done + kPerWrite);
    store->Write([&](storage::Repositories& r) {
      for (int64_t i = done; i < end; ++i) {
        domain::AuditRecord a;
        a.at = first + step * i;
        a.actor_id = kActors[i % 5];
        a.actor_role = "practitioner";
        a.authority_id = authority;
        a.action = kActions[(i / 5) % 5];
        a.child_id = fmt::format("KBENCH{:04d}", i % 1000);
        a.reason = i % 7 == 0 ? "Checking the plan before the core group meeting" : "";
        a.why = "team member";
        a.detail = fmt::format(R"({{"fields":["name","address"],"n":{}}})", i);
        a.client = "10.0.0." + std::to_string(i % 250 + 1);
        r.Audit().Append(std::move(a));
      }
      return true;
    });
    done = end;
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  fmt::print("audit_fill: {} records of {} in {:.1f} s ({:.0f}/s) into {}\n", n, authority, seconds, n / seconds,
             postgres ? storage::RedactDatabaseUrl(path) : path);
  return 0;
}

}  // namespace
}  // namespace kith

int main(int argc, char** argv) { return kith::Run(argc, argv); }
