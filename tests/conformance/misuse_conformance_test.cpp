// The misuse report's repositories (storage/repositories.h): practitioners' homes, the report's
// flags and their reviews, and claims on once-per-cluster jobs.
#include <gtest/gtest.h>

#include "conformance/fixture.h"

namespace kith::conformance {
namespace {

using storage::Repositories;
using storage::StoredMisuseFlag;

class MisuseConformance : public ConformanceTest {
 protected:
  void SetUp() override {
    ConformanceTest::SetUp();
    Write([](Repositories& r) {
      InsertAuthority(r);
      InsertUsers(r, {"u1", "u2"});
    });
  }

  static StoredMisuseFlag Flag(std::string id, std::string authority, Date day, domain::MisuseKind kind) {
    StoredMisuseFlag f;
    f.flag.id = std::move(id);
    f.flag.kind = kind;
    f.flag.user_id = "u1";
    f.flag.child_id = "K1";
    f.flag.day = day;
    f.flag.explanation = "Worker looked at Amelia Hart, who shares their surname.";
    f.flag.records = {{0, 3}, {2, 5}, {0, 8}};
    f.authority_id = std::move(authority);
    f.found_at = kT0;
    return f;
  }

  std::vector<std::string> Ids(const Date& from, const Date& to, bool reviewed, int limit = 100) {
    std::vector<std::string> out;
    for (const auto& f : Read([&](Repositories& r) { return r.MisuseFlags().ForAuthority("la1", from, to, reviewed, limit); })) {
      out.push_back(f.flag.id);
    }
    return out;
  }
};

TEST_P(MisuseConformance, APractitionersHomeIsSetReplacedAndRead) {
  EXPECT_FALSE(Read([](Repositories& r) { return r.PractitionerHomes().Get("u1"); }));
  Write([](Repositories& r) { r.PractitionerHomes().Set({"u1", "1 High Street", "NB9 9ZZ", {"Okafor"}, "u2", kT0}); });
  Write([](Repositories& r) {
    r.PractitionerHomes().Set({"u1", "2 Low Road", "NB8 8YY", {"Okafor", "Smith"}, "u2", kT0 + std::chrono::hours(1)});
  });
  const auto home = Read([](Repositories& r) { return r.PractitionerHomes().Get("u1"); });
  ASSERT_TRUE(home);
  EXPECT_EQ(home->address, "2 Low Road");
  EXPECT_EQ(home->postcode, "NB8 8YY");
  EXPECT_EQ(home->other_surnames, (std::vector<std::string>{"Okafor", "Smith"}));
  EXPECT_EQ(home->updated_by, "u2");
  EXPECT_EQ(home->updated_at, kT0 + std::chrono::hours(1));
}

TEST_P(MisuseConformance, FlagsAreAddedOnceListedByDayAndReviewedOnce) {
  const Date d1{2026, 6, 1}, d2{2026, 6, 2}, d3{2026, 6, 3};
  int added = 0;
  Write([&](Repositories& r) {
    added = r.MisuseFlags().Add({Flag("Fa", "la1", d1, domain::MisuseKind::kVolume),
                                 Flag("Fb", "la1", d2, domain::MisuseKind::kSameSurname),
                                 Flag("Fc", "la1", d2, domain::MisuseKind::kOutOfHours),
                                 Flag("Fz", "la2", d2, domain::MisuseKind::kVolume)});
  });
  EXPECT_EQ(added, 4);
  const auto stored = Read([](Repositories& r) { return r.MisuseFlags().Get("Fb"); });
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->flag.kind, domain::MisuseKind::kSameSurname);
  EXPECT_EQ(stored->flag.records, (std::vector<domain::AuditRef>{{0, 3}, {2, 5}, {0, 8}}));
  EXPECT_EQ(stored->flag.day, d2);
  EXPECT_EQ(stored->flag.child_id, "K1");
  EXPECT_EQ(stored->authority_id, "la1");
  EXPECT_FALSE(stored->reviewed_at);

  EXPECT_EQ(Ids(d1, d3, false), (std::vector<std::string>{"Fc", "Fb", "Fa"}))
      << "newest day first, then kind by name (out_of_hours before same_surname)";
  EXPECT_EQ(Ids(d2, d2, false), (std::vector<std::string>{"Fc", "Fb"}));
  EXPECT_EQ(Ids(d1, d3, false, 1), (std::vector<std::string>{"Fc"}));

  Write([](Repositories& r) {
    EXPECT_TRUE(r.MisuseFlags().Review("Fb", "u2", kT0, "Explained: the child is a client's namesake."));
    EXPECT_EQ(r.MisuseFlags().Review("Fb", "u2", kT0, "again").error().code, ErrorCode::kConflict);
    EXPECT_EQ(r.MisuseFlags().Review("Fnone", "u2", kT0, "x").error().code, ErrorCode::kNotFound);
  });
  EXPECT_EQ(Ids(d1, d3, false), (std::vector<std::string>{"Fc", "Fa"}));
  EXPECT_EQ(Ids(d1, d3, true), (std::vector<std::string>{"Fc", "Fb", "Fa"}));

  // Found again by a later run: nothing new, and the review stands.
  Write([&](Repositories& r) { added = r.MisuseFlags().Add({Flag("Fb", "la1", d2, domain::MisuseKind::kSameSurname)}); });
  EXPECT_EQ(added, 0);
  const auto reviewed = Read([](Repositories& r) { return r.MisuseFlags().Get("Fb"); });
  EXPECT_EQ(reviewed->reviewed_by, "u2");
  EXPECT_EQ(reviewed->review_note, "Explained: the child is a client's namesake.");
  EXPECT_EQ(reviewed->reviewed_at, kT0);
}

TEST_P(MisuseConformance, AJobIsClaimedOnceUnlessItsHolderDiedBeforeFinishing) {
  const TimePoint t1 = kT0, t2 = kT0 + std::chrono::minutes(10), t3 = kT0 + std::chrono::hours(3);
  bool a = false, b = false, c = false;
  Write([&](Repositories& r) {
    a = r.JobClaims().Claim("misuse:la1:2026-06-01", "node-a", t1, t1 - std::chrono::hours(1));
    b = r.JobClaims().Claim("misuse:la1:2026-06-01", "node-b", t2, t2 - std::chrono::hours(1));
  });
  EXPECT_TRUE(a);
  EXPECT_FALSE(b) << "a fresh claim holds";
  // node-a died: after the stale time another node takes the job over, and finishes it.
  Write([&](Repositories& r) {
    c = r.JobClaims().Claim("misuse:la1:2026-06-01", "node-b", t3, t3 - std::chrono::hours(1));
    EXPECT_EQ(r.JobClaims().Finish("misuse:la1:2026-06-01", "node-a", t3).error().code, ErrorCode::kNotFound);
    EXPECT_TRUE(r.JobClaims().Finish("misuse:la1:2026-06-01", "node-b", t3));
  });
  EXPECT_TRUE(c);
  Write([&](Repositories& r) {
    EXPECT_FALSE(r.JobClaims().Claim("misuse:la1:2026-06-01", "node-c", t3 + std::chrono::hours(9), t3 + std::chrono::hours(8)))
        << "a finished job is never claimed again";
    EXPECT_TRUE(r.JobClaims().Claim("misuse:la1:2026-06-02", "node-c", t3, t3));
  });
}

// The audit checkpointer's lease: one holder at a time, renewed by its holder, passed on only
// when its holder stopped renewing it.
TEST_P(MisuseConformance, ALeaseIsHeldByOneHolderRenewedAndTakenOverWhenStale) {
  const auto stale = std::chrono::minutes(3);
  const TimePoint t1 = kT0, t2 = kT0 + std::chrono::minutes(1), t3 = kT0 + std::chrono::minutes(2);
  auto lease = [&](const std::string& holder, TimePoint now) {
    bool held = false;
    Write([&](Repositories& r) { held = r.JobClaims().Lease("audit.checkpointer", holder, now, now - stale); });
    return held;
  };
  EXPECT_TRUE(lease("node-a", t1)) << "nobody held it";
  EXPECT_FALSE(lease("node-b", t2)) << "node-a's lease is fresh";
  EXPECT_TRUE(lease("node-a", t3)) << "its holder renews it";
  // Renewed at t3, it is still fresh at t1 + 4 minutes (stale only 3 minutes after t3).
  EXPECT_FALSE(lease("node-b", t1 + std::chrono::minutes(4)));
  // node-a stopped renewing: three minutes after its last renewal node-b takes over, and node-a
  // (come back) no longer holds it.
  EXPECT_TRUE(lease("node-b", t3 + stale));
  EXPECT_FALSE(lease("node-a", t3 + stale + std::chrono::seconds(1)));
  EXPECT_TRUE(lease("node-b", t3 + stale + std::chrono::minutes(1)));
  // Released by a holder stopping cleanly, it is free at once; a release by another is nothing.
  Write([](Repositories& r) { r.JobClaims().Release("audit.checkpointer", "node-a"); });
  EXPECT_FALSE(lease("node-c", t3 + stale + std::chrono::minutes(2))) << "node-a does not hold it";
  Write([](Repositories& r) { r.JobClaims().Release("audit.checkpointer", "node-b"); });
  EXPECT_TRUE(lease("node-c", t3 + stale + std::chrono::minutes(2)));
  // A lease does not disturb a claim of another name.
  Write([&](Repositories& r) { EXPECT_TRUE(r.JobClaims().Claim("misuse:la1:2026-06-01", "node-a", t1, t1)); });
}

INSTANTIATE_TEST_SUITE_P(Backends, MisuseConformance, ::testing::ValuesIn(Backends()),
                         [](const auto& param_info) { return param_info.param.name; });

}  // namespace
}  // namespace kith::conformance
