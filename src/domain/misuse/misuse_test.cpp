#include "domain/misuse/misuse.h"

#include <gtest/gtest.h>

#include "domain/account/uk_time.h"

namespace kith::domain {
namespace {

// Monday 1 June 2026 in the UK, at `hour`:`minute`, `days` later.
TimePoint At(int days, int hour, int minute = 0) {
  return FromUkCivil(Date::FromDays(Date{2026, 6, 1}.ToDays() + days), {hour, minute, 0});
}

class MisuseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Four social workers of one agency, each with five children, and a police officer.
    for (int i = 0; i < 4; ++i) {
      MisuseUser u;
      u.id = "u" + std::to_string(i);
      u.name = "Worker " + std::to_string(i);
      u.role = "practitioner";
      u.agency_id = "csc";
      u.surnames = {i == 0 ? "hughes" : "worker" + std::to_string(i)};
      if (i == 0) {
        u.home_postcode = "NB9 9ZZ";
        u.home_address = "1 high street northbrook";
      }
      for (int c = 0; c < 5; ++c) u.team_children.insert(Mine(i, c));
      users_.push_back(u);
    }
    for (int i = 0; i < 4; ++i) {
      for (int c = 0; c < 5; ++c) AddChild(Mine(i, c), "Child", "ordinary", "NB1 1AA", "2 low road", false);
    }
    AddChild("KH", "Amy", "hughes", "NB2 2BB", "3 far lane", false);
    AddChild("KA", "Ben", "other", "NB9 9ZZ", "1 high street northbrook", false);
    AddChild("KP", "Cal", "other", "NB9 9ZZ", "5 high street northbrook", false);
    AddChild("KS", "Dee", "other", "", "", true);
    for (int c = 0; c < 6; ++c) AddChild("KN" + std::to_string(c), "Eve", "far", "NB7 7GG", "", false);
    children_["KN5"].involved_agencies.insert("csc");  // one of them the agency does work with
  }

  static std::string Mine(int user, int child) { return "K" + std::to_string(user) + "_" + std::to_string(child); }

  void AddChild(const std::string& id, const std::string& given, const std::string& family, const std::string& postcode,
                const std::string& address, bool shielded) {
    MisuseChild c;
    c.id = id;
    c.name = given + " " + family;
    c.family_name = family;
    c.postcode = postcode;
    c.address = address;
    c.shielded = shielded;
    c.involved_agencies = {"school"};
    children_[id] = c;
  }

  AuditRecord Record(const std::string& user, const std::string& action, const std::string& child, TimePoint at,
                     const std::string& why = "team member", std::vector<std::string> found = {}) {
    AuditRecord r;
    // Two chains, as on PostgreSQL (one per writer): a flag names each record by chain and seq.
    ++seq_;
    r.chain = seq_ % 2;
    r.seq = seq_;
    r.at = at;
    r.actor_id = user;
    r.action = action;
    r.child_id = child;
    r.why = why;
    r.found_children = std::move(found);
    return r;
  }

  // Ordinary work: on each weekday, each worker reads each of their children's accounts once or
  // twice between 09:00 and 16:00, and searches once for one of them.
  void Ordinary(MisuseDetector& d, int from_day, int to_day, bool baseline) {
    for (int day = from_day; day < to_day; ++day) {
      if (DayOfWeek(Date::FromDays(Date{2026, 6, 1}.ToDays() + day)) >= 5) continue;
      for (int u = 0; u < 4; ++u) {
        for (int c = 0; c < 5; ++c) {
          for (int k = 0; k < 1 + (c + day) % 2; ++k) {
            auto r = Record("u" + std::to_string(u), "child.read", Mine(u, c), At(day, 9 + c + k, 10 * u));
            baseline ? d.AddBaseline(r) : d.Add(r);
          }
        }
        auto s = Record("u" + std::to_string(u), "child.search", "", At(day, 15, 5), "practitioner signposting",
                        {Mine(u, day % 5)});
        baseline ? d.AddBaseline(s) : d.Add(s);
      }
    }
  }

  MisuseDetector Detector() {
    return MisuseDetector(MisusePolicy{}, users_, [this](const std::string& id) -> const MisuseChild* {
      auto it = children_.find(id);
      return it == children_.end() ? nullptr : &it->second;
    });
  }

  static std::vector<MisuseKind> Kinds(const std::vector<MisuseFlag>& flags) {
    std::vector<MisuseKind> out;
    for (const auto& f : flags) out.push_back(f.kind);
    return out;
  }

  std::vector<MisuseUser> users_;
  std::map<std::string, MisuseChild> children_;
  int64_t seq_ = 0;
};

TEST_F(MisuseTest, OrdinaryWorkRaisesNothing) {
  auto d = Detector();
  Ordinary(d, -28, 0, true);
  Ordinary(d, 0, 7, false);
  const auto flags = d.Finish();
  EXPECT_TRUE(flags.empty()) << flags.front().explanation;
}

TEST_F(MisuseTest, EachPlantedPatternIsFlaggedExplainedAndTiedToItsRecords) {
  auto d = Detector();
  Ordinary(d, -28, 0, true);
  Ordinary(d, 0, 1, false);
  // u0 searches for their own surname and finds KH, then opens KH's signposting.
  d.Add(Record("u0", "child.search", "", At(0, 10), "practitioner signposting", {"KH", Mine(0, 1)}));
  const int64_t surname_view = seq_ + 1;
  d.Add(Record("u0", "child.signposting", "KH", At(0, 10, 5), "practitioner signposting"));
  // u0 looks at the child living at their own address, and one at their postcode.
  d.Add(Record("u0", "child.signposting", "KA", At(0, 11), "practitioner signposting"));
  d.Add(Record("u0", "child.signposting", "KP", At(0, 11, 5), "practitioner signposting"));
  // u1 views a shielded child they do not work with, at 23:40.
  d.Add(Record("u1", "child.signposting", "KS", At(0, 23, 40), "practitioner signposting"));
  // u2 joins KN0's team and leaves within the hour.
  d.Add(Record("u2", "team.join", "KN0", At(0, 12), "practitioner joining with a reason"));
  d.Add(Record("u2", "child.read", "KN0", At(0, 12, 10)));
  d.Add(Record("u2", "team.leave", "KN0", At(0, 12, 40)));
  // u3 looks up five uninvolved children (and one their agency works with) in one afternoon.
  for (int c = 0; c < 6; ++c) {
    d.Add(Record("u3", "child.signposting", "KN" + std::to_string(c), At(0, 14, c), "practitioner signposting"));
  }
  // u1 reads their children 60 times the next day.
  for (int k = 0; k < 60; ++k) d.Add(Record("u1", "child.read", Mine(1, k % 5), At(1, 9, k % 60)));
  // A manager judged u2's emergency access unjustified.
  d.AddBreakGlass({"B1", "u2", "KS", At(1, 8), false, "No emergency: curiosity about a neighbour.", {{1, 900}, {0, 901}}});
  d.AddBreakGlass({"B2", "u3", "KS", At(1, 8), true, "A missing child.", {{0, 902}}});

  const auto flags = d.Finish();
  std::map<MisuseKind, std::vector<const MisuseFlag*>> by;
  for (const auto& f : flags) by[f.kind].push_back(&f);
  ASSERT_EQ(by[MisuseKind::kSameSurname].size(), 1u);
  const auto& surname = *by[MisuseKind::kSameSurname][0];
  EXPECT_EQ(surname.user_id, "u0");
  EXPECT_EQ(surname.child_id, "KH");
  EXPECT_EQ(surname.records, (std::vector<AuditRef>{{(surname_view - 1) % 2, surname_view - 1}, {surname_view % 2, surname_view}}));
  EXPECT_NE(surname.explanation.find("Amy hughes"), std::string::npos) << surname.explanation;
  EXPECT_EQ(surname.day, (Date{2026, 6, 1}));

  ASSERT_EQ(by[MisuseKind::kSameAddress].size(), 1u);
  EXPECT_EQ(by[MisuseKind::kSameAddress][0]->child_id, "KA");
  ASSERT_EQ(by[MisuseKind::kSamePostcode].size(), 1u) << "the address match is not also a postcode flag";
  EXPECT_EQ(by[MisuseKind::kSamePostcode][0]->child_id, "KP");

  ASSERT_EQ(by[MisuseKind::kShieldedChild].size(), 1u);
  EXPECT_EQ(by[MisuseKind::kShieldedChild][0]->user_id, "u1");
  ASSERT_EQ(by[MisuseKind::kOutOfHours].size(), 1u);
  EXPECT_EQ(by[MisuseKind::kOutOfHours][0]->user_id, "u1");
  EXPECT_NE(by[MisuseKind::kOutOfHours][0]->explanation.find("from 23:40 to 23:40"), std::string::npos)
      << by[MisuseKind::kOutOfHours][0]->explanation;

  ASSERT_EQ(by[MisuseKind::kJoinLeaveQuickly].size(), 1u);
  EXPECT_EQ(by[MisuseKind::kJoinLeaveQuickly][0]->records.size(), 2u);
  EXPECT_NE(by[MisuseKind::kJoinLeaveQuickly][0]->explanation.find("joined the team of Eve far at 12:00"),
            std::string::npos);

  ASSERT_EQ(by[MisuseKind::kNoInvolvement].size(), 1u);
  EXPECT_EQ(by[MisuseKind::kNoInvolvement][0]->user_id, "u3");
  EXPECT_NE(by[MisuseKind::kNoInvolvement][0]->explanation.find("looked up 5 children"), std::string::npos)
      << "KN0 (joined by u2, not u3) counts; KN5, which u3's agency works with, does not";

  ASSERT_EQ(by[MisuseKind::kVolume].size(), 1u);
  EXPECT_EQ(by[MisuseKind::kVolume][0]->user_id, "u1");
  EXPECT_EQ(by[MisuseKind::kVolume][0]->day, (Date{2026, 6, 2}));
  EXPECT_EQ(by[MisuseKind::kVolume][0]->records.size(), 60u);

  ASSERT_EQ(by[MisuseKind::kBreakGlassUnjustified].size(), 1u);
  EXPECT_EQ(by[MisuseKind::kBreakGlassUnjustified][0]->records, (std::vector<AuditRef>{{1, 900}, {0, 901}}));
  EXPECT_NE(by[MisuseKind::kBreakGlassUnjustified][0]->explanation.find("curiosity"), std::string::npos);

  EXPECT_EQ(flags.size(), 9u);
  for (const auto& f : flags) EXPECT_EQ(f.id.size(), 17u);
}

TEST_F(MisuseTest, TheSameFindingHasTheSameIdEachRun) {
  auto run = [&] {
    seq_ = 0;
    auto d = Detector();
    d.Add(Record("u1", "child.signposting", "KS", At(0, 23, 40), "practitioner signposting"));
    return d.Finish();
  };
  const auto first = run();
  const auto second = run();
  ASSERT_EQ(first.size(), 2u);  // shielded child, out of hours
  EXPECT_EQ(first[0].id, second[0].id);
  EXPECT_NE(first[0].id, first[1].id);
}

TEST_F(MisuseTest, KindsHaveStableNames) {
  EXPECT_EQ(ParseMisuseKind("join_leave_quickly"), MisuseKind::kJoinLeaveQuickly);
  EXPECT_EQ(ToString(MisuseKind::kNoInvolvement), "no_involvement");
  EXPECT_FALSE(ParseMisuseKind("nope"));
}

}  // namespace
}  // namespace kith::domain
