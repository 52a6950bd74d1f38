// The storage conformance suite: every back end listed in backends.cpp must pass it unchanged.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <map>
#include <set>
#include <thread>

#include "conformance/fixture.h"

namespace kith::conformance {
namespace {

using domain::Agency;
using domain::AgencyKind;
using domain::AuditOutcome;
using domain::AuditRecord;
using domain::Child;
using domain::LocalAuthority;
using domain::Role;
using domain::User;
using storage::Repositories;
using storage::Store;

class StoreConformance : public ConformanceTest {
 protected:
  void SetUp() override {
    ConformanceTest::SetUp();
    Write([](Repositories& r) {
      InsertAuthority(r);
      EXPECT_TRUE(r.Agencies().Insert({"ag-school", "la1", "Hillside Primary", AgencyKind::kSchool, "01632 960001",
                                       "office@hillside.example", "1 School Lane"}));
      EXPECT_TRUE(r.Agencies().Insert({"ag-gp", "la1", "Brook Surgery", AgencyKind::kGpPractice, "", "", ""}));
      EXPECT_TRUE(r.Users().Insert(MakeUser("u1", "amy.jones")));
      EXPECT_TRUE(r.Users().Insert(MakeUser("u2", "ben.smith")));
    });
  }

  static User MakeUser(std::string id, std::string username) {
    User u;
    u.id = std::move(id);
    u.username = std::move(username);
    u.display_name = "Amy Jones";
    u.role = Role::kPractitioner;
    u.authority_id = "la1";
    u.agency_id = "ag-school";
    u.password_hash = "$argon2id$stub";
    return u;
  }

  static Child MakeChild(std::string id) {
    Child c;
    c.id = std::move(id);
    c.authority_id = "la1";
    c.given_names = "Amelia Rose";
    c.family_name = "Hart";
    c.other_names = {"Amelia Stone"};
    c.date_of_birth = Date{2018, 3, 4};
    c.sex = domain::Sex::kFemale;
    c.address = "4 Mill Row, Northbrook";
    c.postcode = "NB1 2AB";
    c.nhs_number = "9434765919";
    c.upn = "H801200001001";
    c.carers = {{"Dana Hart", "Mother", true, "07700 900123", "dana@example.org", ""},
                {"Lee Hart", "Father", true, "", "", "9 Other Road"}};
    c.school_agency_id = "ag-school";
    c.gp_agency_id = "ag-gp";
    c.services = {{"ag-school", "Year 3", {2024, 9, 1}, std::nullopt},
                  {"ag-gp", "Registered patient", {2018, 3, 20}, Date{2026, 1, 1}}};
    c.unconfirmed_agencies = {"ag-gp", "ag-school"};
    c.flags = {true, false, true};
    c.shielded = true;
    c.created_at = kT0;
    c.updated_at = kT0;
    return c;
  }

  static AuditRecord Audit(std::string action, std::string child_id = "") {
    AuditRecord a;
    a.at = kT0;
    a.actor_id = "u1";
    a.actor_role = "practitioner";
    a.authority_id = "la1";
    a.action = std::move(action);
    a.child_id = std::move(child_id);
    a.outcome = AuditOutcome::kAllowed;
    a.why = "team member";
    return a;
  }
};

TEST_P(StoreConformance, AuthoritiesAndAgencies) {
  auto authorities = store_->ReadValue([](Repositories& r) { return r.Authorities().List(); });
  ASSERT_EQ(authorities.size(), 1u);
  EXPECT_EQ(authorities[0].code, "E09000099");
  Write([](Repositories& r) {
    EXPECT_EQ(r.Authorities().Insert({"la2", "E09000099", "Dup", false}).error().code, ErrorCode::kConflict);
    EXPECT_EQ(r.Agencies().Insert({"ag-gp", "la1", "Dup", AgencyKind::kPolice, "", "", ""}).error().code,
              ErrorCode::kConflict);
    EXPECT_EQ(r.Agencies().Update({"nope", "la1", "X", AgencyKind::kPolice, "", "", ""}).error().code,
              ErrorCode::kNotFound);
  });
  auto agencies = store_->ReadValue([](Repositories& r) { return r.Agencies().ListByAuthority("la1"); });
  ASSERT_EQ(agencies.size(), 2u);
  EXPECT_EQ(agencies[0].name, "Brook Surgery");  // name order
  EXPECT_EQ(agencies[1].kind, AgencyKind::kSchool);
  EXPECT_EQ(agencies[1].email, "office@hillside.example");
}

TEST_P(StoreConformance, UsersHaveUniqueNamesAndOptimisticVersions) {
  Write([](Repositories& r) {
    EXPECT_EQ(r.Users().Insert(MakeUser("u9", "amy.jones")).error().code, ErrorCode::kConflict);
  });
  auto u = store_->ReadValue([](Repositories& r) { return r.Users().GetByUsername("amy.jones"); });
  ASSERT_TRUE(u);
  EXPECT_EQ(u->version, 1);
  EXPECT_FALSE(u->locked_until);
  EXPECT_FALSE(u->index_steward);
  EXPECT_FALSE(u->information_governance);
  u->failed_logins = 3;
  u->locked_until = kT0;
  u->index_steward = true;
  u->information_governance = true;
  Write([&](Repositories& r) { EXPECT_TRUE(r.Users().Update(*u)); });
  Write([&](Repositories& r) {  // the same, now stale, version
    EXPECT_EQ(r.Users().Update(*u).error().code, ErrorCode::kConflict);
  });
  auto again = store_->ReadValue([](Repositories& r) { return r.Users().Get("u1"); });
  ASSERT_TRUE(again);
  EXPECT_EQ(again->version, 2);
  EXPECT_EQ(again->failed_logins, 3);
  EXPECT_EQ(again->locked_until, kT0);
  EXPECT_TRUE(again->index_steward);
  EXPECT_TRUE(again->information_governance);
  // Sign-in state is stored without touching the version.
  again->failed_logins = 1;
  again->totp_last_step = 99;
  Write([&](Repositories& r) { EXPECT_TRUE(r.Users().RecordSignIn(*again)); });
  auto signed_in = store_->ReadValue([](Repositories& r) { return r.Users().Get("u1"); });
  EXPECT_EQ(signed_in->version, 2);
  EXPECT_EQ(signed_in->failed_logins, 1);
  EXPECT_EQ(signed_in->totp_last_step, 99);
  User ghost = MakeUser("ghost", "ghost");
  Write([&](Repositories& r) {
    EXPECT_EQ(r.Users().Update(ghost).error().code, ErrorCode::kNotFound);
    EXPECT_EQ(r.Users().RecordSignIn(ghost).error().code, ErrorCode::kNotFound);
  });
  auto listed = store_->ReadValue([](Repositories& r) { return r.Users().ListByAuthority("la1"); });
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0].username, "amy.jones");
}

TEST_P(StoreConformance, ChildRoundTripsEveryField) {
  const Child original = MakeChild("K1");
  Write([&](Repositories& r) { EXPECT_TRUE(r.Children().Insert(original)); });
  auto c = store_->ReadValue([](Repositories& r) { return r.Children().Get("K1"); });
  ASSERT_TRUE(c);
  EXPECT_EQ(c->given_names, original.given_names);
  EXPECT_EQ(c->other_names, original.other_names);
  EXPECT_EQ(c->date_of_birth, original.date_of_birth);
  EXPECT_EQ(c->sex, domain::Sex::kFemale);
  EXPECT_EQ(c->postcode, "NB1 2AB");
  EXPECT_EQ(c->nhs_number, original.nhs_number);
  EXPECT_EQ(c->upn, original.upn);
  ASSERT_EQ(c->carers.size(), 2u);
  EXPECT_EQ(c->carers[1].address, "9 Other Road");
  EXPECT_TRUE(c->carers[0].parental_responsibility);
  ASSERT_EQ(c->services.size(), 2u);
  EXPECT_FALSE(c->services[0].end);
  EXPECT_EQ(c->services[1].end, (Date{2026, 1, 1}));
  EXPECT_EQ(c->school_agency_id, "ag-school");
  EXPECT_EQ(c->unconfirmed_agencies, (std::vector<std::string>{"ag-gp", "ag-school"}));
  EXPECT_TRUE(c->flags.early_help_assessment);
  EXPECT_FALSE(c->flags.child_protection_plan);
  EXPECT_TRUE(c->flags.looked_after);
  EXPECT_TRUE(c->shielded);
  EXPECT_EQ(c->created_at, kT0);
  EXPECT_EQ(c->version, 1);
  EXPECT_FALSE(store_->ReadValue([](Repositories& r) { return r.Children().Get("K2"); }));
}

TEST_P(StoreConformance, ChildUpdateReplacesListsAndChecksVersion) {
  Write([&](Repositories& r) { EXPECT_TRUE(r.Children().Insert(MakeChild("K1"))); });
  auto c = *store_->ReadValue([](Repositories& r) { return r.Children().Get("K1"); });
  c.carers.pop_back();
  c.services.clear();
  c.unconfirmed_agencies = {"ag-school"};
  c.other_names = {"Amy Hart", "Amelia Stone"};
  c.date_of_birth.reset();
  Write([&](Repositories& r) { EXPECT_TRUE(r.Children().Update(c)); });
  Write([&](Repositories& r) { EXPECT_EQ(r.Children().Update(c).error().code, ErrorCode::kConflict); });
  auto stored = *store_->ReadValue([](Repositories& r) { return r.Children().Get("K1"); });
  EXPECT_EQ(stored.version, 2);
  EXPECT_EQ(stored.carers.size(), 1u);
  EXPECT_TRUE(stored.services.empty());
  EXPECT_EQ(stored.unconfirmed_agencies, std::vector<std::string>{"ag-school"});
  EXPECT_EQ(stored.other_names, (std::vector<std::string>{"Amy Hart", "Amelia Stone"}));
  EXPECT_FALSE(stored.date_of_birth);
  Child ghost = MakeChild("K404");
  Write([&](Repositories& r) { EXPECT_EQ(r.Children().Update(ghost).error().code, ErrorCode::kNotFound); });
}

// The change feed (issue 16): what other processes over the database follow to keep their
// search index current. Every stored child is reported after the cursor; a back end may report
// one again later (PostgreSQL: writes still running elsewhere keep the cursor back), so this
// checks what must be there, as it is now.
TEST_P(StoreConformance, ChildChangesAreReportedAfterTheCursor) {
  const auto cursor = [&] { return store_->ReadValue([](Repositories& r) { return r.Children().ChangeCursor(); }); };
  const auto since = [&](int64_t from) {
    return store_->ReadValue([&](Repositories& r) { return r.Children().ChangedSince(from); });
  };
  const auto versions = [](const storage::ChildChanges& changes) {
    std::map<std::string, int64_t> out;
    for (const auto& c : changes.records) out[c.id] = std::max(out[c.id], c.version);
    return out;
  };
  Write([&](Repositories& r) { EXPECT_TRUE(r.Children().Insert(MakeChild("K0"))); });
  // A cursor read after K0 was stored stops reporting it. On PostgreSQL the cursor is the oldest
  // transaction still running anywhere in the cluster (other tests' too: CTest runs them at once,
  // each creating its database), which may hold it back while they run: K0 may come again until
  // then (repeats are allowed), but not for ever. Waits for other processes, in real time.
  bool k0_left_behind = false;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (!k0_left_behind && std::chrono::steady_clock::now() < deadline) {
    k0_left_behind = !versions(since(cursor())).contains("K0");
    if (!k0_left_behind) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_TRUE(k0_left_behind) << "stored before the cursor was read";
  const int64_t start = cursor();
  Write([&](Repositories& r) {
    EXPECT_TRUE(r.Children().Insert(MakeChild("K1")));
    EXPECT_TRUE(r.Children().Insert(MakeChild("K2")));
  });
  const auto first = since(start);
  EXPECT_EQ(versions(first)["K1"], 1);
  EXPECT_EQ(versions(first)["K2"], 1);
  for (const auto& c : first.records) {
    if (c.id == "K1") {
      EXPECT_EQ(c.family_name, "Hart");
      EXPECT_EQ(c.date_of_birth, (Date{2018, 3, 4}));
      EXPECT_TRUE(c.carers.empty()) << "records without their lists, as ListRecordsByAuthority";
    }
  }
  EXPECT_GE(first.next_cursor, start);
  auto k1 = *store_->ReadValue([](Repositories& r) { return r.Children().Get("K1"); });
  k1.family_name = "Stone";
  Write([&](Repositories& r) { EXPECT_TRUE(r.Children().Update(k1)); });
  const auto second = since(first.next_cursor);
  ASSERT_EQ(versions(second)["K1"], 2) << "an update is reported, with the record as it is now";
  for (const auto& c : second.records) {
    if (c.id == "K1") EXPECT_EQ(c.family_name, "Stone");
  }
  // An undone write reports nothing; a refused update (stale version) moves nothing.
  store_->Write([&](Repositories& r) {
    EXPECT_TRUE(r.Children().Insert(MakeChild("K9")));
    return false;
  });
  Write([&](Repositories& r) { EXPECT_FALSE(r.Children().Update(k1)); });
  const auto third = since(second.next_cursor);
  EXPECT_FALSE(versions(third).contains("K9"));
  EXPECT_LE(versions(third)["K1"], 2);
}

TEST_P(StoreConformance, ChildrenPageInIdOrder) {
  Write([&](Repositories& r) {
    for (const char* id : {"K3", "K1", "K2", "K4"}) EXPECT_TRUE(r.Children().Insert(MakeChild(id)));
  });
  auto page1 = store_->ReadValue([](Repositories& r) { return r.Children().ListByAuthority("la1", "", 3); });
  ASSERT_EQ(page1.size(), 3u);
  EXPECT_EQ(page1[0].id, "K1");
  EXPECT_EQ(page1[2].carers.size(), 2u);
  auto page2 = store_->ReadValue([&](Repositories& r) { return r.Children().ListByAuthority("la1", page1[2].id, 3); });
  ASSERT_EQ(page2.size(), 1u);
  EXPECT_EQ(page2[0].id, "K4");
  EXPECT_EQ(store_->ReadValue([](Repositories& r) { return r.Children().Count(); }), 4);

  // The same pages without the lists, every other field as stored.
  auto records = store_->ReadValue([](Repositories& r) { return r.Children().ListRecordsByAuthority("la1", "K1", 2); });
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].id, "K2");
  EXPECT_EQ(records[1].id, "K3");
  const Child& full = page1[1];
  EXPECT_EQ(records[0].given_names, full.given_names);
  EXPECT_EQ(records[0].family_name, full.family_name);
  EXPECT_EQ(records[0].date_of_birth, full.date_of_birth);
  EXPECT_EQ(records[0].postcode, full.postcode);
  EXPECT_EQ(records[0].nhs_number, full.nhs_number);
  EXPECT_EQ(records[0].upn, full.upn);
  EXPECT_EQ(records[0].shielded, full.shielded);
  EXPECT_EQ(records[0].version, full.version);
  EXPECT_TRUE(records[0].other_names.empty());
  EXPECT_TRUE(records[0].carers.empty());
  EXPECT_TRUE(records[0].services.empty());
  EXPECT_TRUE(
      store_->ReadValue([](Repositories& r) { return r.Children().ListRecordsByAuthority("la2", "", 10); }).empty());
}

TEST_P(StoreConformance, TeamMembershipLeadAndHistory) {
  Write([&](Repositories& r) {
    EXPECT_TRUE(r.Children().Insert(MakeChild("K1")));
    r.Teams().AddMember({"K1", "u1", "Class teacher", "Teaches the child", kT0, true});
    r.Teams().AddMember({"K1", "u2", "GP", "Registered patient", kT0 + std::chrono::seconds(1), false});
    r.Teams().AppendEvent({"K1", "u1", "joined", "Class teacher", "Teaches the child", "u1", kT0});
  });
  auto team = store_->ReadValue([](Repositories& r) { return r.Teams().Members("K1"); });
  ASSERT_EQ(team.size(), 2u);
  EXPECT_EQ(team[0].user_id, "u1");
  EXPECT_TRUE(team[0].lead);
  // At most one lead per child, enforced by the store as well as by the domain.
  EXPECT_THROW(Write([](Repositories& r) { r.Teams().SetLead("K1", "u2", true); }), storage::StorageError);
  Write([](Repositories& r) {
    r.Teams().SetLead("K1", "u1", false);
    r.Teams().SetLead("K1", "u2", true);
    r.Teams().RemoveMember("K1", "u1");
  });
  team = store_->ReadValue([](Repositories& r) { return r.Teams().Members("K1"); });
  ASSERT_EQ(team.size(), 1u);
  EXPECT_TRUE(team[0].lead);
  EXPECT_EQ(store_->ReadValue([](Repositories& r) { return r.Teams().ChildrenOf("u2"); }),
            std::vector<std::string>{"K1"});
  EXPECT_TRUE(store_->ReadValue([](Repositories& r) { return r.Teams().ChildrenOf("u1"); }).empty());
  auto history = store_->ReadValue([](Repositories& r) { return r.Teams().History("K1"); });
  ASSERT_EQ(history.size(), 1u);
  EXPECT_EQ(history[0].kind, "joined");
}

TEST_P(StoreConformance, TeamMembersWithTheirUsersAndAgencies) {
  Write([&](Repositories& r) {
    EXPECT_TRUE(r.Children().Insert(MakeChild("K1")));
    EXPECT_TRUE(r.Children().Insert(MakeChild("K2")));
    User gp = MakeUser("u3", "cara.lowe");
    gp.display_name = "Dr Cara Lowe";
    gp.job_title = "GP";
    gp.email = "cara@brook.example";
    gp.phone = "01632 960002";
    gp.agency_id = "ag-gp";
    EXPECT_TRUE(r.Users().Insert(gp));
    User alone = MakeUser("u4", "dee.nash");
    alone.agency_id = "";
    EXPECT_TRUE(r.Users().Insert(alone));
    r.Teams().AddMember({"K1", "u3", "GP", "Registered patient", kT0 + std::chrono::seconds(1), false});
    r.Teams().AddMember({"K1", "u1", "Class teacher", "Teaches the child", kT0, true});
    r.Teams().AddMember({"K1", "u4", "Volunteer", "Mentors the child", kT0 + std::chrono::seconds(2), false});
    r.Teams().AddMember({"K2", "u2", "Teacher", "Other child", kT0, false});
  });
  auto team = store_->ReadValue([](Repositories& r) { return r.Teams().MembersWithPeople("K1"); });
  ASSERT_EQ(team.size(), 3u);  // K1's members only, in joining order like Members()
  EXPECT_EQ(team[0].member.user_id, "u1");
  EXPECT_TRUE(team[0].member.lead);
  EXPECT_EQ(team[0].member.role, "Class teacher");
  EXPECT_EQ(team[0].member.joined_at, kT0);
  ASSERT_TRUE(team[0].agency);
  EXPECT_EQ(team[0].agency->name, "Hillside Primary");
  EXPECT_EQ(team[0].agency->kind, AgencyKind::kSchool);
  EXPECT_EQ(team[0].agency->phone, "01632 960001");
  EXPECT_EQ(team[0].agency->email, "office@hillside.example");
  EXPECT_EQ(team[0].agency->address, "1 School Lane");
  EXPECT_EQ(team[1].member.user_id, "u3");
  EXPECT_FALSE(team[1].member.lead);
  EXPECT_EQ(team[1].member.reason, "Registered patient");
  EXPECT_EQ(team[1].display_name, "Dr Cara Lowe");
  EXPECT_EQ(team[1].job_title, "GP");
  EXPECT_EQ(team[1].email, "cara@brook.example");
  EXPECT_EQ(team[1].phone, "01632 960002");
  ASSERT_TRUE(team[1].agency);
  EXPECT_EQ(team[1].agency->id, "ag-gp");
  EXPECT_EQ(team[1].agency->authority_id, "la1");
  EXPECT_EQ(team[1].agency->kind, AgencyKind::kGpPractice);
  EXPECT_EQ(team[2].member.user_id, "u4");
  EXPECT_FALSE(team[2].agency);  // a user without an agency
  EXPECT_TRUE(store_->ReadValue([](Repositories& r) { return r.Teams().MembersWithPeople("K9"); }).empty());
}

TEST_P(StoreConformance, SessionsExpire) {
  Write([](Repositories& r) {
    r.Sessions().Insert({"h1", "u1", "csrf1", kT0, kT0, false, "127.0.0.1", ""});
    r.Sessions().Insert({"h2", "u1", "csrf2", kT0, kT0 + std::chrono::minutes(40), true, "127.0.0.1", "SECRET"});
    r.Sessions().Insert({"h3", "u2", "csrf3", kT0, kT0, false, "127.0.0.1", ""});
  });
  auto s = store_->ReadValue([](Repositories& r) { return r.Sessions().Get("h2"); });
  ASSERT_TRUE(s);
  EXPECT_TRUE(s->second_factor_done);
  EXPECT_EQ(s->pending_totp_secret, "SECRET");
  EXPECT_EQ(s->last_seen_at, kT0 + std::chrono::minutes(40));
  s->second_factor_done = false;
  Write([&](Repositories& r) {
    r.Sessions().Update(*s);
    EXPECT_EQ(r.Sessions().DeleteExpired(kT0 + std::chrono::minutes(30), kT0 - std::chrono::hours(1)), 2);
  });
  EXPECT_FALSE(store_->ReadValue([](Repositories& r) { return r.Sessions().Get("h1"); }));
  EXPECT_FALSE(store_->ReadValue([](Repositories& r) { return r.Sessions().Get("h2"); })->second_factor_done);
  Write([](Repositories& r) { r.Sessions().DeleteForUser("u1"); });
  EXPECT_FALSE(store_->ReadValue([](Repositories& r) { return r.Sessions().Get("h2"); }));
}

// A touch moves last_seen_at forward only, changes nothing else and does not move the identity
// version (app::AuthService); Update never moves last_seen_at back.
TEST_P(StoreConformance, SessionTouchesOnlyMoveLastSeenForward) {
  Write([](Repositories& r) {
    r.Sessions().Insert({"h1", "u1", "csrf1", kT0, kT0 + std::chrono::minutes(5), true, "127.0.0.1", "SECRET"});
  });
  const uint64_t identity = store_->IdentityVersion();
  const auto get = [&] { return store_->ReadValue([](Repositories& r) { return r.Sessions().Get("h1"); }); };
  Write([](Repositories& r) { r.Sessions().Touch("h1", kT0 + std::chrono::minutes(10)); });
  EXPECT_EQ(get()->last_seen_at, kT0 + std::chrono::minutes(10));
  Write([](Repositories& r) { r.Sessions().Touch("h1", kT0 + std::chrono::minutes(7)); });
  EXPECT_EQ(get()->last_seen_at, kT0 + std::chrono::minutes(10)) << "never back";
  Write([](Repositories& r) { r.Sessions().Touch("unknown", kT0 + std::chrono::minutes(7)); });
  EXPECT_EQ(store_->IdentityVersion(), identity);
  auto s = get();
  EXPECT_TRUE(s->second_factor_done);
  EXPECT_EQ(s->pending_totp_secret, "SECRET");
  EXPECT_EQ(s->csrf_token, "csrf1");
  s->last_seen_at = kT0;  // a copy read before the touch
  s->pending_totp_secret = "";
  Write([&](Repositories& r) { r.Sessions().Update(*s); });
  EXPECT_EQ(get()->last_seen_at, kT0 + std::chrono::minutes(10)) << "Update does not undo a touch";
  EXPECT_EQ(get()->pending_totp_secret, "");
  EXPECT_GT(store_->IdentityVersion(), identity) << "Update moves the identity version";
}

// The rate limiter shared by every node (app/store_rate_limiter.h) counts events kept here.
TEST_P(StoreConformance, RateEvents) {
  const auto at = [](int seconds) { return kT0 + std::chrono::seconds(seconds); };
  const auto add = [&](const std::string& key, int seconds, int keep) {
    Write([&](Repositories& r) { r.Sessions().AddRateEvent(key, at(seconds), at(seconds + 60), keep); });
  };
  const uint64_t identity = store_->IdentityVersion();
  add("sign-in\n10.0.0.1", 0, 5);
  add("sign-in\n10.0.0.1", 10, 5);
  add("sign-in\n10.0.0.2", 20, 5);
  add("sign-in\n10.0.0.1", 30, 5);
  add("sign-in\n10.0.0.1", 30, 5);  // two at one time count twice
  EXPECT_EQ(store_->IdentityVersion(), identity) << "rate events are not a change to who may act";
  const auto events = [&](const std::string& key, int seconds) {
    return store_->ReadValue([&](Repositories& r) { return r.Sessions().RateEvents(key, at(seconds)); });
  };
  EXPECT_EQ(events("sign-in\n10.0.0.1", 0), (std::vector<TimePoint>{at(0), at(10), at(30), at(30)}));
  EXPECT_EQ(events("sign-in\n10.0.0.1", 60), (std::vector<TimePoint>{at(10), at(30), at(30)}))
      << "an event expires at its expiry";
  EXPECT_EQ(events("sign-in\n10.0.0.2", 0), (std::vector<TimePoint>{at(20)}));
  EXPECT_TRUE(events("sign-in\n10.0.0.3", 0).empty());
  EXPECT_TRUE(events("sign-in\n10.0.0", 0).empty()) << "keys match whole";
  // Adding keeps the newest `keep` of that key and forgets its expired ones, no other key's.
  add("sign-in\n10.0.0.1", 40, 2);
  EXPECT_EQ(events("sign-in\n10.0.0.1", 0), (std::vector<TimePoint>{at(30), at(40)}));
  add("sign-in\n10.0.0.2", 85, 5);
  EXPECT_EQ(events("sign-in\n10.0.0.2", 0), (std::vector<TimePoint>{at(85)})) << "the one at 20 s expired at 80 s";
  // An undone write leaves no event behind.
  store_->Write([&](Repositories& r) {
    r.Sessions().AddRateEvent("sign-in\n10.0.0.1", at(41), at(101), 5);
    return false;
  });
  EXPECT_EQ(events("sign-in\n10.0.0.1", 0).size(), 2u);
  // Forgetting one key, or every key with a prefix.
  add("failures\nann\n10.0.0.1", 0, 5);
  add("failures\nann\n10.0.0.2", 0, 5);
  add("failures\nanna\n10.0.0.1", 0, 5);
  Write([&](Repositories& r) { r.Sessions().ForgetRateEvents("failures\nann\n10.0.0.1"); });
  EXPECT_TRUE(events("failures\nann\n10.0.0.1", 0).empty());
  EXPECT_EQ(events("failures\nann\n10.0.0.2", 0).size(), 1u);
  add("failures\nann\n10.0.0.1", 0, 5);
  Write([&](Repositories& r) { r.Sessions().ForgetRateEventsWithPrefix("failures\nann\n"); });
  EXPECT_TRUE(events("failures\nann\n10.0.0.1", 0).empty());
  EXPECT_TRUE(events("failures\nann\n10.0.0.2", 0).empty());
  EXPECT_EQ(events("failures\nanna\n10.0.0.1", 0).size(), 1u) << "anna is not ann";
  // The sweep forgets what has expired, of every key.
  // Left: 10.0.0.1 at 30 s and 40 s (expiring at 90 s and 100 s), 10.0.0.2 at 85 s, anna at 0 s.
  Write([&](Repositories& r) { EXPECT_EQ(r.Sessions().ForgetExpiredRateEvents(at(90)), 2); });
  EXPECT_EQ(events("sign-in\n10.0.0.1", 0), (std::vector<TimePoint>{at(40)}));
  EXPECT_TRUE(events("failures\nanna\n10.0.0.1", 0).empty());
  Write([&](Repositories& r) { EXPECT_EQ(r.Sessions().ForgetExpiredRateEvents(at(200)), 2); });
  EXPECT_TRUE(events("sign-in\n10.0.0.2", 0).empty());
}

// Session caches rely on this: every change to users, sessions or authorities moves the
// version before its Write returns, even when undone; other writes leave it alone.
TEST_P(StoreConformance, IdentityVersionMovesWithEveryChangeToWhoMayAct) {
  const std::vector<std::pair<std::string, std::function<void(Repositories&)>>> changes = {
      {"session insert",
       [](Repositories& r) {
         r.Sessions().Insert({"h1", "u1", "c", kT0, kT0, false, "", ""});
       }},
      {"session update",
       [](Repositories& r) {
         r.Sessions().Update({"h1", "u1", "c", kT0, kT0, true, "", ""});
       }},
      {"session delete", [](Repositories& r) { r.Sessions().Delete("h1"); }},
      {"sessions of a user", [](Repositories& r) { r.Sessions().DeleteForUser("u1"); }},
      {"expired sessions", [](Repositories& r) { r.Sessions().DeleteExpired(kT0, kT0); }},
      {"user insert", [](Repositories& r) { EXPECT_TRUE(r.Users().Insert(MakeUser("u3", "cat.lee"))); }},
      {"user update",
       [](Repositories& r) {
         auto u = r.Users().Get("u2");
         u->active = false;
         EXPECT_TRUE(r.Users().Update(*u));
       }},
      {"sign-in", [](Repositories& r) { EXPECT_TRUE(r.Users().RecordSignIn(*r.Users().Get("u1"))); }},
      {"authority insert",
       [](Repositories& r) {
         EXPECT_TRUE(r.Authorities().Insert({"la2", "E1", "B", false}));
       }},
      {"authority update",
       [](Repositories& r) {
         r.Authorities().Update({"la1", "E09000099", "Northbrook", true});
       }},
  };
  for (const auto& [what, change] : changes) {
    const uint64_t before = store_->IdentityVersion();
    Write(change);
    EXPECT_GT(store_->IdentityVersion(), before) << what;
  }
  // An undone write may or may not move it, but never back, and leaves nothing behind.
  const uint64_t before_undone = store_->IdentityVersion();
  store_->Write([](Repositories& r) {
    r.Sessions().Insert({"h9", "u1", "c", kT0, kT0, false, "", ""});
    return false;
  });
  EXPECT_GE(store_->IdentityVersion(), before_undone);
  EXPECT_FALSE(store_->ReadValue([](Repositories& r) { return r.Sessions().Get("h9"); }));

  const uint64_t before_other = store_->IdentityVersion();
  Write([](Repositories& r) {
    r.Audit().Append(Audit("child.read", "K1"));
    EXPECT_TRUE(r.Children().Insert(MakeChild("K1")));
    r.Users().Get("u1");
    r.Sessions().Get("h1");
  });
  EXPECT_EQ(store_->IdentityVersion(), before_other);
}

// Account caches rely on this: every change to what a child's account shows moves the version
// before its Write returns, even when undone; audit records alone leave it.
TEST_P(StoreConformance, RecordsVersionMovesWithEveryChangeToWhatAnAccountShows) {
  const std::vector<std::pair<std::string, std::function<void(Repositories&)>>> changes = {
      {"child insert",
       [](Repositories& r) {
         EXPECT_TRUE(r.Children().Insert(MakeChild("K1")));
         EXPECT_TRUE(r.Children().Insert(MakeChild("K2")));
       }},
      {"child update",
       [](Repositories& r) {
         auto c = r.Children().Get("K1");
         c->address = "5 Mill Row, Northbrook";
         EXPECT_TRUE(r.Children().Update(*c));
       }},
      {"team join",
       [](Repositories& r) {
         r.Teams().AddMember({"K1", "u1", "Teacher", "Class teacher", kT0, false});
       }},
      {"lead", [](Repositories& r) { r.Teams().SetLead("K1", "u1", true); }},
      {"team leave", [](Repositories& r) { r.Teams().RemoveMember("K1", "u1"); }},
      {"user insert", [](Repositories& r) { EXPECT_TRUE(r.Users().Insert(MakeUser("u3", "cat.lee"))); }},
      {"user update",
       [](Repositories& r) {
         auto u = r.Users().Get("u2");
         u->display_name = "Ben Smyth";
         EXPECT_TRUE(r.Users().Update(*u));
       }},
      {"sign-in", [](Repositories& r) { EXPECT_TRUE(r.Users().RecordSignIn(*r.Users().Get("u1"))); }},
      {"agency insert",
       [](Repositories& r) {
         EXPECT_TRUE(r.Agencies().Insert({"ag-hv", "la1", "Health visiting", AgencyKind::kHealthVisiting, "", "", ""}));
       }},
      {"agency update",
       [](Repositories& r) {
         EXPECT_TRUE(r.Agencies().Update({"ag-gp", "la1", "Brook Lane Surgery", AgencyKind::kGpPractice, "", "", ""}));
       }},
      {"merge",
       [](Repositories& r) {
         EXPECT_TRUE(r.Merges().Insert({"m1", "K1", "K2", {}, "u1", kT0, "Same child", "", std::nullopt, ""}));
       }},
      {"unmerge",
       [](Repositories& r) {
         EXPECT_TRUE(r.Merges().Undo({"m1", "K1", "K2", {}, "u1", kT0, "Same child", "u2", kT0, "Twins"}));
       }},
  };
  for (const auto& [what, change] : changes) {
    const uint64_t before = store_->RecordsVersion();
    Write(change);
    EXPECT_GT(store_->RecordsVersion(), before) << what;
  }
  const uint64_t before_undone = store_->RecordsVersion();
  store_->Write([](Repositories& r) {
    r.Teams().AddMember({"K2", "u2", "GP", "Registered patient", kT0, false});
    return false;
  });
  EXPECT_GE(store_->RecordsVersion(), before_undone);
  EXPECT_TRUE(store_->ReadValue([](Repositories& r) { return r.Teams().Members("K2"); }).empty());

  const uint64_t before_other = store_->RecordsVersion();
  Write([](Repositories& r) {
    r.Audit().Append(Audit("child.read", "K1"));
    r.Sessions().Insert({"h1", "u1", "c", kT0, kT0, false, "", ""});
    r.Children().Get("K1");
    r.Teams().MembersWithPeople("K1");
  });
  EXPECT_EQ(store_->RecordsVersion(), before_other);
}

TEST_P(StoreConformance, AuditRecordsAreChained) {
  Write([](Repositories& r) {
    auto first = r.Audit().Append(Audit("session.create"));
    EXPECT_EQ(first.seq, 1);  // the first record of a new log starts its chain
    EXPECT_EQ(first.prev_hash, domain::kGenesisHash);
    auto read = Audit("child.read", "K1");
    read.at = kT0 + std::chrono::seconds(1);
    auto second = r.Audit().Append(read);
    // Records of one transaction follow each other in one chain.
    EXPECT_EQ(second.chain, first.chain);
    EXPECT_EQ(second.seq, 2);
    EXPECT_EQ(second.prev_hash, first.hash);
    EXPECT_EQ(second.hash, domain::ComputeAuditHash(second));
  });
  Write([](Repositories& r) {
    auto read = Audit("child.read", "K1");
    read.at = kT0 + std::chrono::seconds(2);
    read.reason = "the newest";
    r.Audit().Append(read);
  });
  const auto all = AuditRecords();
  ASSERT_EQ(all.size(), 3u);
  ExpectAuditChainsIntact();
  auto child = store_->ReadValue([](Repositories& r) { return r.Audit().ForChild("K1", 10); });
  ASSERT_EQ(child.size(), 2u);
  EXPECT_EQ(child[0].reason, "the newest");  // newest first
  EXPECT_EQ(child[0].hash, domain::ComputeAuditHash(child[0]));
  EXPECT_EQ(store_->ReadValue([](Repositories& r) { return r.Audit().ForChild("K1", 1); }).size(), 1u);
  EXPECT_TRUE(store_->ReadValue([](Repositories& r) { return r.Audit().ForChild("K2", 10); }).empty());
  EXPECT_THROW(store_->Read([](Repositories& r) { r.Audit().Append(Audit("x")); }), storage::StorageError);
  EXPECT_TRUE(store_->ReadValue([](Repositories& r) { return r.Audit().Range(99, 0, 10); }).empty());
}

TEST_P(StoreConformance, UndoneWritesTakeTheirAuditRecordsWithThem) {
  store_->Write([](Repositories& r) {
    r.Audit().Append(Audit("kept.1"));
    return true;
  });
  store_->Write([](Repositories& r) {
    r.Audit().Append(Audit("undone"));
    EXPECT_TRUE(r.Children().Insert(MakeChild("K1")));
    return false;
  });
  EXPECT_THROW(store_->Write([](Repositories& r) -> bool {
    r.Audit().Append(Audit("thrown"));
    throw std::runtime_error("boom");
  }),
               std::runtime_error);
  store_->Write([](Repositories& r) {
    r.Audit().Append(Audit("kept.2"));
    return true;
  });
  const auto all = AuditRecords();
  ASSERT_EQ(all.size(), 2u);
  std::set<std::string> actions;
  for (const auto& a : all) actions.insert(a.action);
  EXPECT_EQ(actions, (std::set<std::string>{"kept.1", "kept.2"}));
  ExpectAuditChainsIntact();  // the undone records left no gap
  EXPECT_FALSE(store_->ReadValue([](Repositories& r) { return r.Children().Get("K1"); }));
}

TEST_P(StoreConformance, ConcurrentWritesAreAllDurableAndChained) {
  constexpr int kThreads = 16, kPerThread = 40;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        store_->Write([&](Repositories& r) {
          r.Audit().Append(Audit("w." + std::to_string(t) + "." + std::to_string(i)));
          return true;
        });
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_GE(store_->Stats().write_jobs, kThreads * kPerThread);
  store_.reset();
  if (!GetParam().reopen) return;
  store_ = GetParam().reopen(dir_.string());
  ASSERT_EQ(AuditRecords().size(), static_cast<size_t>(kThreads * kPerThread));
  ExpectAuditChainsIntact();
  // A chain continues across the restart from where it stood.
  const auto heads = Read([](Repositories& r) { return r.Audit().Heads(); });
  store_->Write([&](Repositories& r) {
    auto rec = r.Audit().Append(Audit("after.restart"));
    const auto head = std::find_if(heads.begin(), heads.end(), [&](const auto& h) { return h.chain == rec.chain; });
    if (head == heads.end()) {
      EXPECT_EQ(rec.seq, 1);
      EXPECT_EQ(rec.prev_hash, domain::kGenesisHash);
    } else {
      EXPECT_EQ(rec.seq, head->seq + 1);
      EXPECT_EQ(rec.prev_hash, head->hash);
    }
    return true;
  });
  ExpectAuditChainsIntact();
}

// Writes are serializable: two writers that each read a value and store it plus one never lose
// an increment, whatever the back end does to get there (a single writer, or retries).
TEST_P(StoreConformance, ConflictingWritesAreSerialized) {
  constexpr int kThreads = 4, kPerThread = 25;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kPerThread; ++i) {
        store_->Write([](Repositories& r) {
          auto u = r.Users().Get("u1");
          u->failed_logins += 1;
          EXPECT_TRUE(r.Users().RecordSignIn(*u));
          r.Audit().Append(Audit("increment"));
          return true;
        });
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(store_->ReadValue([](Repositories& r) { return r.Users().Get("u1"); })->failed_logins,
            kThreads * kPerThread);
  EXPECT_EQ(AuditRecords().size(), static_cast<size_t>(kThreads * kPerThread));
  ExpectAuditChainsIntact();
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreConformance, ::testing::ValuesIn(Backends()),
                         [](const auto& param_info) { return param_info.param.name; });

}  // namespace
}  // namespace kith::conformance
