// End-to-end benchmark of the child's account, server-side through the app layer (access
// check, SQLite reads, analyses, audit write with a durable group commit): a database of
// 100,000 children in which one child has 5,000 chronology entries (over two years, 8 agencies)
// and 2,000 forum posts, and 2,000 other children have a few entries each (so the word cloud's
// corpus statistics are not trivial).
//
// Measures
//   - the account summary: latest 20 entries, contact series (auto granularity), top-50 words,
//     wheel findings (AccountService::Summary), first call (builds the child's term index from
//     storage) and warm;
//   - adding one entry (AccountService::AddEntry: validation, the write with its audit record,
//     feed item and the word-cloud update of the in-memory index and the persisted document
//     frequencies, durable commit), and the summary right after it.
//
// Run: build-acct/bench/account_summary_bench [--db DIR] [--children N] [--repeat N]
// Text is generated deterministically (std::mt19937, fixed seed).
#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "app/account_service.h"
#include "app/child_service.h"
#include "app/context.h"
#include "app/credentials.h"
#include "app/word_index.h"
#include "domain/account/uk_time.h"
#include "storage/sqlite/sqlite_store.h"

namespace kith {
namespace {

using Steady = std::chrono::steady_clock;

constexpr std::array<const char*, 8> kAgencies = {"ACSC", "ASCH", "AGP", "AHV", "AHOSP", "APOL", "AEY", "AHOUSE"};
constexpr std::array<domain::AgencyKind, 8> kKinds = {
    domain::AgencyKind::kChildrensSocialCare, domain::AgencyKind::kSchool,   domain::AgencyKind::kGpPractice,
    domain::AgencyKind::kHealthVisiting,      domain::AgencyKind::kHospital, domain::AgencyKind::kPolice,
    domain::AgencyKind::kEarlyYears,          domain::AgencyKind::kHousing};

class Text {
 public:
  explicit Text(uint32_t seed) : rng_(seed) {}
  uint32_t Next(uint32_t bound) { return rng_() % bound; }

  std::string Sentence() {
    static constexpr std::array<const char*, 10> kWho = {
        "Mum",         "Mum's partner", "The class teacher",  "The health visitor", "The GP", "The social worker",
        "Grandmother", "A neighbour",   "The nursery worker", "The police officer"};
    static constexpr std::array<const char*, 12> kWhat = {"reported a bruise on the left arm",
                                                          "raised concerns about domestic abuse at home",
                                                          "said the child seemed hungry",
                                                          "observed the child was withdrawn and tired",
                                                          "reported a missed appointment",
                                                          "described the home conditions as poor",
                                                          "noted the child was not brought to clinic",
                                                          "said there had been shouting and police were called",
                                                          "noticed the child's clothes were dirty",
                                                          "raised concerns about alcohol misuse",
                                                          "completed a home visit and saw the child",
                                                          "shared information about rent arrears"};
    std::string s = std::string(kWho[Next(kWho.size())]) + " " + kWhat[Next(kWhat.size())];
    // A long tail of rarer words, as free text has.
    for (uint32_t i = 0, n = Next(4); i < n; ++i) s += " " + RareWord();
    return s + ".";
  }

  std::string Paragraph(int sentences) {
    std::string p;
    for (int i = 0; i < sentences; ++i) p += (i ? " " : "") + Sentence();
    return p;
  }

 private:
  std::string RareWord() {
    static constexpr const char* kSyllables[] = {"ka", "lo", "mi", "ren", "sta", "vo", "tri", "bel", "dun", "fe"};
    std::string w;
    for (uint32_t i = 0, n = 2 + Next(2); i < n; ++i) w += kSyllables[Next(10)];
    return w;
  }
  std::mt19937 rng_;
};

struct Figures {
  std::vector<double> ms;
  void Add(Steady::duration d) { ms.push_back(std::chrono::duration<double, std::milli>(d).count()); }
  double Pct(double q) {
    std::sort(ms.begin(), ms.end());
    return ms[std::min(ms.size() - 1, static_cast<size_t>(q * static_cast<double>(ms.size())))];
  }
};

void Print(const char* what, Figures& f) {
  std::printf("%-58s median %8.2f ms   p95 %8.2f ms   max %8.2f ms   (n=%zu)\n", what, f.Pct(0.5), f.Pct(0.95),
              f.Pct(1.0), f.ms.size());
}

}  // namespace
}  // namespace kith

int main(int argc, char** argv) {
  using namespace kith;
  std::string dir = (std::filesystem::temp_directory_path() / "kith-account-summary-bench").string();
  int children = 100'000, repeat = 50;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--db")) dir = argv[i + 1];
    if (!std::strcmp(argv[i], "--children")) children = std::stoi(argv[i + 1]);
    if (!std::strcmp(argv[i], "--repeat")) repeat = std::stoi(argv[i + 1]);
  }
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  auto store = storage::OpenSqliteStore({.path = dir + "/kith.db"});
  const TimePoint now = FromMicros(1'795'000'000'000'000);  // 2026-11-18
  ManualClock clock(now);
  SeededRandom random(7);
  app::PasswordHasher hasher(app::HashCost::kMinimum);
  app::Context ctx{*store, clock, random, hasher, app::Policy{}};
  const Date today = domain::UkDate(now);
  Text text(2026);

  // --- Set-up -----------------------------------------------------------------------------------
  auto t0 = Steady::now();
  store->Write([&](storage::Repositories& r) {
    (void)r.Authorities().Insert({"la1", "E1", "Benchshire", false});
    for (size_t i = 0; i < kAgencies.size(); ++i) {
      (void)r.Agencies().Insert({kAgencies[i], "la1", std::string("Agency ") + kAgencies[i], kKinds[i], "", "", ""});
      domain::User u;
      u.id = std::string("U") + kAgencies[i];
      u.username = std::string("user.") + kAgencies[i];
      u.display_name = u.username;
      u.authority_id = "la1";
      u.agency_id = kAgencies[i];
      u.password_hash = "$argon2id$bench";
      (void)r.Users().Insert(u);
    }
    return true;
  });
  for (int start = 0; start < children; start += 10'000) {
    store->Write([&](storage::Repositories& r) {
      for (int i = start; i < std::min(children, start + 10'000); ++i) {
        domain::Child c;
        c.id = "K" + std::to_string(1'000'000 + i);
        c.authority_id = "la1";
        c.given_names = "Child";
        c.family_name = "Number" + std::to_string(i);
        c.date_of_birth = Date::FromDays(today.ToDays() - 365 - i % 5000);
        c.created_at = c.updated_at = now;
        (void)r.Children().Insert(c);
      }
      return true;
    });
  }
  const std::string heavy = "K1000000";
  auto entry = [&](const std::string& child, const std::string& id, int days_ago, int agency) {
    domain::ChronologyEntry e;
    e.id = e.lineage_id = id;
    e.child_id = child;
    e.occurred_on = Date::FromDays(today.ToDays() - days_ago);
    e.occurred_time = domain::TimeOfDay{8 + static_cast<int>(text.Next(10)), static_cast<int>(text.Next(60)), 0};
    e.agency_id = kAgencies[static_cast<size_t>(agency)];
    e.agency_kind = kKinds[static_cast<size_t>(agency)];
    e.author_id = std::string("U") + e.agency_id;
    e.type = domain::AllEntryTypes()[text.Next(static_cast<uint32_t>(domain::AllEntryTypes().size()))];
    e.significance = static_cast<domain::Significance>(text.Next(3));
    e.summary = text.Sentence();
    e.detail = text.Paragraph(1 + static_cast<int>(text.Next(5)));
    e.recorded_at = now - std::chrono::hours(24 * days_ago);
    return storage::StoredEntry{e, ""};
  };
  store->Write([&](storage::Repositories& r) {
    for (size_t a = 0; a < kAgencies.size(); ++a) {
      r.Teams().AddMember({heavy, std::string("U") + kAgencies[a], "Practitioner", "Benchmark team", now, a == 0});
    }
    for (int i = 0; i < 5000; ++i) {
      (void)r.Chronology().Insert(
          entry(heavy, "E" + std::to_string(i), 1 + static_cast<int>(text.Next(730)), static_cast<int>(text.Next(8))));
    }
    for (int t = 0; t < 200; ++t) {
      const std::string tid = "T" + std::to_string(t);
      (void)r.Forum().InsertThread({tid, heavy, "concern", text.Sentence(), "UACSC", now, "", 0, {}});
      for (int p = 0; p < 10; ++p) {
        (void)r.Forum().InsertPost({"P" + std::to_string(t * 10 + p),
                                    tid,
                                    heavy,
                                    std::string("U") + kAgencies[text.Next(8)],
                                    text.Paragraph(3),
                                    now - std::chrono::hours(24 * (200 - t)) + std::chrono::minutes(p),
                                    {},
                                    1,
                                    "",
                                    {}});
      }
    }
    for (int w = 0; w < 12; ++w) {
      storage::StoredPerson p;
      p.id = "W" + std::to_string(w);
      p.child_id = heavy;
      p.name = "Person " + std::to_string(w);
      p.relationship = w == 0 ? domain::RelationshipType::kParentsPartner : domain::RelationshipType::kAuntUncle;
      p.lives_with_child = w < 3;
      p.created_at = p.updated_at = now;
      (void)r.Wheel().Insert(p);
    }
    for (int c = 1; c <= 2000; ++c) {
      const std::string child = "K" + std::to_string(1'000'000 + c * (children / 2001));
      for (int i = 0; i < 5; ++i) {
        (void)r.Chronology().Insert(entry(child, "E" + child + "-" + std::to_string(i),
                                          1 + static_cast<int>(text.Next(365)), static_cast<int>(text.Next(8))));
      }
    }
    return true;
  });
  app::WordIndex words;
  const int64_t with_text = words.Rebuild(*store);
  const double setup_s = std::chrono::duration<double>(Steady::now() - t0).count();
  std::printf("Set-up: %d children, %lld with text, heavy child 5,000 entries + 2,000 posts; %.1f s\n", children,
              static_cast<long long>(with_text), setup_s);

  // --- Measurements -----------------------------------------------------------------------------
  app::AccountService account(ctx, words, nullptr);
  app::Principal lead{*store->ReadValue([](storage::Repositories& r) { return r.Users().Get("UACSC"); }),
                      {},
                      app::SessionState::kComplete,
                      "127.0.0.1"};

  Figures cold, warm, add, after_add;
  auto start = Steady::now();
  auto s = account.Summary(lead, heavy);
  cold.Add(Steady::now() - start);
  if (!s) {
    std::fprintf(stderr, "summary failed: %s\n", s.error().message.c_str());
    return 1;
  }
  std::printf("Summary: %zu latest, %zu agencies x %zu buckets (%s), %zu words, %zu findings\n", s->latest.size(),
              s->contact.series.agencies.size(), s->contact.series.buckets.size(),
              std::string(domain::ToString(s->contact.series.granularity)).c_str(), s->words.size(),
              s->findings.size());
  for (int i = 0; i < repeat; ++i) {
    start = Steady::now();
    auto again = account.Summary(lead, heavy);
    warm.Add(Steady::now() - start);
  }
  for (int i = 0; i < repeat; ++i) {
    app::NewEntry e;
    e.occurred_on = today;
    e.type = domain::EntryType::kHomeVisit;
    e.significance = domain::Significance::kNotable;
    e.summary = text.Sentence();
    e.detail = text.Paragraph(4);
    start = Steady::now();
    auto added = account.AddEntry(lead, heavy, e);
    add.Add(Steady::now() - start);
    if (!added) {
      std::fprintf(stderr, "add failed: %s\n", added.error().message.c_str());
      return 1;
    }
    start = Steady::now();
    auto updated = account.Summary(lead, heavy);
    after_add.Add(Steady::now() - start);
    if (updated->latest.empty()) return 1;
  }
  // Where the time goes: the parts of a summary measured alone.
  Figures latest, contacts, audit, cloud, wheel;
  for (int i = 0; i < repeat; ++i) {
    start = Steady::now();
    store->Read([&](storage::Repositories& r) { (void)r.Chronology().Current(heavy, 20); });
    latest.Add(Steady::now() - start);
    start = Steady::now();
    store->Read([&](storage::Repositories& r) {
      auto rows = r.Chronology().Contacts(heavy);
      std::vector<domain::ContactEvent> events;
      for (const auto& row : rows) {
        domain::ChronologyEntry e;
        e.occurred_on = row.occurred_on;
        e.occurred_time = row.occurred_time;
        events.push_back({row.agency_id, domain::OccurredInstant(e)});
      }
      (void)domain::ComputeContactSeries(events, today);
    });
    contacts.Add(Steady::now() - start);
    start = Steady::now();
    store->Write([&](storage::Repositories& r) {
      auto a = app::AuditFor(lead, "bench.audit", now);
      r.Audit().Append(a);
      return true;
    });
    audit.Add(Steady::now() - start);
    start = Steady::now();
    {
      auto lease = words.Acquire(heavy);
      domain::TopOptions options;
      options.excluded_names = {"Child", "Number0"};
      (void)lease.Get(*store).Top(words.corpus(), options);
    }
    cloud.Add(Steady::now() - start);
    start = Steady::now();
    (void)account.Wheel(lead, heavy);
    wheel.Add(Steady::now() - start);
  }
  Print("Account summary, first call (builds the term index)", cold);
  Print("Account summary, warm", warm);
  Print("Add one entry (write + audit + feed + word-cloud update)", add);
  Print("Account summary right after adding an entry", after_add);
  std::printf("Parts:\n");
  Print("  latest 20 entries (read transaction)", latest);
  Print("  contact series: read 5,000 rows + compute", contacts);
  Print("  one audit record, durable commit", audit);
  Print("  top-50 words from the warm term index", cloud);
  Print("  wheel with findings (AccountService::Wheel, audited)", wheel);
  std::filesystem::remove_all(dir);
  return 0;
}
