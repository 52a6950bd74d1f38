// The misuse report (app::MisuseService::Run) over one authority's audit log: N audit
// records (default 10,000,000) of ordinary work by 2,000 practitioners on 100,000 children over
// 58 days, with one planted pattern of each kind the log can show; the report covers the last 30
// days and reads the 28 before as the baseline, so every record is read. Target: under 60 s
// (issue 14).
//
//   misuse_bench [N] [DB_PATH | POSTGRES_URL]
//
// SQLite by default; a PostgreSQL connection URI ("postgresql://…" or "host=… dbname=…", as
// search_db_bench takes it) runs it on PostgreSQL (bench/misuse_bench_postgres.sh makes a
// throwaway cluster: `make misuse-bench-postgres`).
// If the database (default /tmp/kith-misuse-bench.db) holds no audit records it is filled first
// (set-up, timed apart: records go through AuditLog::Append, sealed and chained, 200,000 per
// Write). Then the report runs twice (the second with a warm page cache) and prints records read,
// flags found by kind, seconds and peak RSS; it fails (exit 1) if a planted pattern is missed or
// ordinary work is flagged.
#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>

#include "app/misuse_service.h"
#include "common/random.h"
#include "domain/account/uk_time.h"
#include "process_stats.h"
#include "storage/postgres/postgres_store.h"
#include "storage/sqlite/sqlite_store.h"

namespace kith {
namespace {

using Steady = std::chrono::steady_clock;
using storage::Repositories;

constexpr const char* kAuthority = "LBENCH";
constexpr int kUsers = 2000;
constexpr int kChildren = 100'000;
constexpr int kAgencies = 40;
constexpr int kDays = 58;
const Date kFirstDay{2026, 4, 6};  // a Monday

double Since(Steady::time_point t) { return std::chrono::duration<double>(Steady::now() - t).count(); }

std::string User(int u) { return fmt::format("U{:05d}", u); }
std::string ChildId(int c) { return fmt::format("K{:07d}", c); }
std::string Agency(int a) { return fmt::format("A{:03d}", a); }
TimePoint At(int day, int minute_of_day) {
  return domain::FromUkCivil(Date::FromDays(kFirstDay.ToDays() + day), {minute_of_day / 60, minute_of_day % 60, 0});
}

// Practitioner u works with the 20 children 50u .. 50u+19 (every child has a team of one).
int TeamChild(int u, int k) { return (u * 50 + k) % kChildren; }

void Fill(storage::Store& store, int64_t n) {
  store.Write([&](Repositories& r) {
    (void)r.Authorities().Insert({kAuthority, "E99999999", "Benchshire", false});
    for (int a = 0; a < kAgencies; ++a) {
      (void)r.Agencies().Insert({Agency(a), kAuthority, "Agency " + std::to_string(a),
                                 domain::AgencyKind::kChildrensSocialCare, "", "", ""});
    }
    for (int u = 0; u < kUsers + 1; ++u) {
      domain::User user;
      user.id = User(u);
      user.username = "user" + std::to_string(u);
      user.display_name = "Worker Number" + std::to_string(u) + (u == 7 ? " Zephyr" : "");
      user.role = domain::Role::kPractitioner;
      user.authority_id = kAuthority;
      user.agency_id = Agency(u % kAgencies);
      user.password_hash = "$argon2id$bench";
      (void)r.Users().Insert(user);
    }
    for (int c = 0; c < kChildren; ++c) {
      domain::Child child;
      child.id = ChildId(c);
      child.authority_id = kAuthority;
      child.given_names = "Child";
      child.family_name = c == 424'242 % kChildren ? "Zephyr" : "Family" + std::to_string(c % 5000);
      child.postcode = fmt::format("BX{} {}AA", c % 90 + 10, c % 9 + 1);
      child.address = std::to_string(c % 200 + 1) + " Bench Street";
      child.shielded = c % 1000 == 999;
      child.school_agency_id = Agency(c % kAgencies);
      (void)r.Children().Insert(child);
    }
    for (int u = 0; u < kUsers; ++u) {
      for (int k = 0; k < 20; ++k) {
        r.Teams().AddMember({ChildId(TeamChild(u, k)), User(u), "Worker", "bench", At(0, 0), false});
      }
    }
    return true;
  });
  // Ordinary work, spread evenly over the weekdays' working hours: reads of the practitioner's
  // own children (why "team member") and searches finding one of them.
  int weekdays = 0;
  for (int d = 0; d < kDays; ++d) weekdays += domain::DayOfWeek(Date::FromDays(kFirstDay.ToDays() + d)) < 5;
  const int64_t per_day = n / weekdays;
  SeededRandom rng(14);
  int64_t written = 0;
  for (int d = 0; d < kDays && written < n; ++d) {
    if (domain::DayOfWeek(Date::FromDays(kFirstDay.ToDays() + d)) >= 5) continue;
    for (int64_t i = 0; i < per_day && written < n;) {
      store.Write([&](Repositories& r) {
        for (int k = 0; k < 200'000 && i < per_day && written < n; ++k, ++i, ++written) {
          const int u = static_cast<int>(rng.Uniform(kUsers));
          domain::AuditRecord a;
          a.at = At(d, 8 * 60 + static_cast<int>(i * (11 * 60) / per_day));
          a.actor_id = User(u);
          a.actor_role = "practitioner";
          a.authority_id = kAuthority;
          a.client = "10.1.2.3";
          const int child = TeamChild(u, static_cast<int>(rng.Uniform(20)));
          if (k % 10 == 0) {
            a.action = "child.search";
            a.why = "practitioner signposting";
            a.reason = "Checking my own case before a visit";
            a.detail = R"({"terms":{"family_name":"Family","given_name":"Child"},"truncated":false})";
            a.found_children = {ChildId(child)};
          } else {
            a.action = "child.read";
            a.why = "team member";
            a.child_id = ChildId(child);
          }
          r.Audit().Append(std::move(a));
        }
        return true;
      });
    }
  }
  // The planted patterns, on the last weekday.
  int last = kDays - 1;
  while (domain::DayOfWeek(Date::FromDays(kFirstDay.ToDays() + last)) >= 5) --last;
  store.Write([&](Repositories& r) {
    auto record = [&](int u, const char* action, int child, int minute, const char* why) {
      domain::AuditRecord a;
      a.at = At(last, minute);
      a.actor_id = User(u);
      a.actor_role = "practitioner";
      a.authority_id = kAuthority;
      a.action = action;
      a.child_id = child >= 0 ? ChildId(child) : "";
      a.why = why;
      r.Audit().Append(std::move(a));
    };
    record(7, "child.signposting", 424'242 % kChildren, 600, "practitioner signposting");       // surname
    record(8, "child.signposting", 999, 601, "practitioner signposting");                       // shielded
    record(9, "child.read", TeamChild(9, 0), 23 * 60 + 30, "team member");                      // out of hours
    record(10, "team.join", 5555, 700, "practitioner joining with a reason");                   // join ...
    record(10, "team.leave", 5555, 740, "team member");                                          // ... and leave
    for (int k = 0; k < 6; ++k) record(11, "child.signposting", 60'001 + k * 7, 800 + k, "practitioner signposting");
    for (int k = 0; k < 400; ++k) record(12, "child.read", TeamChild(12, k % 20), 540 + k % 400, "team member");
    record(13, "child.signposting", 31'337, 900, "practitioner signposting");                   // address
    return true;
  });
  store.Write([&](Repositories& r) {
    r.PractitionerHomes().Set({User(13), std::to_string(31'337 % 200 + 1) + " Bench Street",
                               fmt::format("BX{} {}AA", 31'337 % 90 + 10, 31'337 % 9 + 1), {}, "bench", At(0, 0)});
    return true;
  });
}

// Records in the log: the sum of every chain's head (each chain runs 1, 2, 3 …).
int64_t AuditRecordCount(Repositories& r) {
  int64_t n = 0;
  for (const auto& head : r.Audit().Heads()) n += head.seq;
  return n;
}

int Run(int64_t n, const std::string& path) {
  const bool postgres = path.starts_with("postgres") || path.find('=') != std::string::npos;
  auto store = postgres ? storage::OpenPostgresStore({.url = path, .connections = 4})
                        : storage::OpenSqliteStore({.path = path, .readers = 2});
  const std::string where = postgres ? storage::RedactDatabaseUrl(path) : path;
  const int64_t have = store->ReadValue([](Repositories& r) { return AuditRecordCount(r); });
  if (have == 0) {
    const auto filling = Steady::now();
    Fill(*store, n);
    fmt::print("filled {} with {} audit records in {:.1f} s\n", where,
               store->ReadValue([](Repositories& r) { return AuditRecordCount(r); }), Since(filling));
  } else {
    fmt::print("{} holds {} audit records; not filled again\n", where, have);
  }
  ManualClock clock(At(kDays, 3 * 60));
  SeededRandom random(1);
  app::PasswordHasher hasher(app::HashCost::kMinimum);
  app::Context context{*store, clock, random, hasher, app::Policy{}};
  app::MisuseService misuse(context);
  const Date to = Date::FromDays(kFirstDay.ToDays() + kDays - 1);
  const Date from = Date::FromDays(to.ToDays() - 29);
  bool ok = true;
  for (int pass = 1; pass <= 2; ++pass) {
    const auto run = misuse.Run(kAuthority, from, to);
    std::map<std::string, int> kinds;
    for (const auto& f : store->ReadValue([&](Repositories& r) {
           return r.MisuseFlags().ForAuthority(kAuthority, from, to, true, 10'000);
         })) {
      ++kinds[std::string(domain::ToString(f.flag.kind))];
    }
    fmt::print("pass {}: {} records in the window ({} to {}), {} flags ({} new) in {:.1f} s; peak RSS {} MiB\n", pass,
               run.records, from.ToString(), to.ToString(), run.flags, run.new_flags, run.seconds,
               bench::PeakRssKiB() / 1024);
    for (const auto& [kind, count] : kinds) fmt::print("  {:<24} {}\n", kind, count);
    for (const char* expected : {"same_surname", "same_address", "shielded_child", "out_of_hours",
                                 "join_leave_quickly", "no_involvement", "volume"}) {
      if (kinds[expected] != 1) {
        fmt::print("FAILED: expected one {} flag, got {}\n", expected, kinds[expected]);
        ok = false;
      }
    }
    if (run.flags != 7) {
      fmt::print("FAILED: ordinary work was flagged ({} flags in all)\n", run.flags);
      ok = false;
    }
  }
  return ok ? 0 : 1;
}

}  // namespace
}  // namespace kith

int main(int argc, char** argv) {
  const int64_t n = argc > 1 ? std::atoll(argv[1]) : 10'000'000;
  const std::string path = argc > 2 ? argv[2] : "/tmp/kith-misuse-bench.db";
  return kith::Run(n, path);
}
