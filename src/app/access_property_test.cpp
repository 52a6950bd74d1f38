// Property-based test of access where the decisions are made (issue 17): random worlds — people
// of every role, in agencies of two authorities, active or disabled, with grants their rows claim;
// a child with or without a shield, a school, a GP practice and services current or ended (some
// of them named by a team member who does not decide joins, so not yet confirmed); a
// team with or without a lead; pending requests to join; break-glass in force, expired, ended
// early or judged unjustified; linked family accounts — and random acts by random people through
// the real services (ChildService, AccountService, EarlyHelpService, TeamService,
// BreakGlassService, FamilyService, AdminService) over SQLite, one after another, so that each
// act changes the world the next one is decided in (a join, a shield, a handover, a break-glass,
// a role change, time passing).
//
// Each answer is checked against the documentation's reference table
// (domain/test_access_reference.h), with the facts about the person and the child worked out
// from this test's own model of the world, not from the product's access snapshot. Each act must
// also leave its audit record (allowed, or denied/failed for a refusal), and what a shielded
// child's signposting and family portal show is checked against docs/shielding.md.
//
// The seed is printed; KITH_PROPTEST_SEED replays a run, KITH_PROPTEST_CASES sets the number of
// acts.
#include <gtest/gtest.h>

#include <cstdlib>
#include <functional>
#include <map>
#include <set>
#include <sstream>

#include "app/account_service.h"
#include "app/admin_service.h"
#include "app/break_glass_service.h"
#include "app/child_service.h"
#include "app/early_help_service.h"
#include "app/family_service.h"
#include "app/team_service.h"
#include "app/test_fixture.h"
#include "app/word_index.h"
#include "common/test_seed.h"
#include "domain/test_access_reference.h"

namespace kith::app {
namespace {

using reference::Act;
using reference::Facts;
using reference::Kind;
using std::chrono::hours;
using std::chrono::minutes;

// The agencies of the two authorities: the child's authority is usually la1.
struct AgencyRow {
  const char* id;
  const char* authority;
  domain::AgencyKind kind;
};
constexpr AgencyRow kAgencies[] = {
    {"ag-csc", "la1", domain::AgencyKind::kChildrensSocialCare},
    {"ag-school", "la1", domain::AgencyKind::kSchool},
    {"ag-gp", "la1", domain::AgencyKind::kGpPractice},
    {"ag-police", "la1", domain::AgencyKind::kPolice},
    {"ag2-csc", "la2", domain::AgencyKind::kChildrensSocialCare},
    {"ag2-school", "la2", domain::AgencyKind::kSchool},
};

const AgencyRow* AgencyOf(const std::string& id) {
  for (const auto& a : kAgencies) {
    if (id == a.id) return &a;
  }
  return nullptr;
}

domain::Role RoleOf(Kind k) {
  switch (k) {
    case Kind::kPractitioner:
      return domain::Role::kPractitioner;
    case Kind::kManager:
      return domain::Role::kManager;
    case Kind::kAuthorityAdmin:
      return domain::Role::kAuthorityAdmin;
    case Kind::kAuditor:
      return domain::Role::kAuditor;
    case Kind::kNationalAdmin:
      return domain::Role::kNationalAdmin;
    case Kind::kFamily:
      return domain::Role::kFamily;
  }
  return domain::Role::kPractitioner;
}

bool WorksWithChildren(Kind k) { return k == Kind::kPractitioner || k == Kind::kManager; }

// This test's own model of one world.
struct Person {
  std::string id;
  Kind kind = Kind::kPractitioner;
  std::string authority;
  std::string agency;  // empty for a family member
  bool active = true;
  bool steward = false;
  bool ig = false;
};

struct Glass {
  std::string user;
  TimePoint starts, ends;
  std::optional<TimePoint> ended_early;
  std::optional<bool> justified;
  bool InForce(TimePoint now) const { return !ended_early && starts <= now && now < ends; }
};

struct Request {
  std::string id;
  std::string user;
  bool pending = true;
};

struct World {
  std::string child;
  std::string authority;
  bool shielded = false;
  std::string school, gp;
  std::vector<std::pair<std::string, bool>> services;  // agency, current
  std::set<std::string> unconfirmed;  // named by a team member who does not decide joins
  std::vector<Person> people;
  std::map<std::string, bool> team;  // user -> lead
  std::vector<Request> requests;
  std::vector<Glass> glass;
  std::set<std::string> family;  // linked family accounts
  bool merged = false;           // merged away into another record of the same child

  const Person& Of(const std::string& id) const {
    for (const auto& p : people) {
      if (p.id == id) return p;
    }
    throw std::logic_error("no person " + id);
  }
  Person& Of(const std::string& id) { return const_cast<Person&>(std::as_const(*this).Of(id)); }
  bool HasLead() const {
    for (const auto& [_, lead] : team) {
      if (lead) return true;
    }
    return false;
  }
};

// The facts of docs/access.md about `p` and the world's child at `now`, from the model alone.
Facts FactsOf(const World& w, const Person& p, TimePoint now) {
  Facts f;
  f.kind = p.kind;
  f.active = p.active;
  f.same_authority = p.authority == w.authority;
  f.steward_grant = p.steward;
  f.ig_grant = p.ig;
  f.on_team = w.team.count(p.id) > 0;
  f.is_lead = f.on_team && w.team.at(p.id);
  f.team_has_lead = w.HasLead();
  f.shielded = w.shielded;
  f.family_linked = w.family.count(p.id) > 0;
  if (!p.agency.empty()) {
    for (const auto& [member, _] : w.team) f.colleague_on_team |= w.Of(member).agency == p.agency;
    f.agency_involved = w.school == p.agency || w.gp == p.agency;
    for (const auto& [agency, current] : w.services) f.agency_involved |= current && agency == p.agency;
    f.agency_involved &= w.unconfirmed.count(p.agency) == 0;
    const auto* agency = AgencyOf(p.agency);
    f.duty_team = agency && agency->kind == domain::AgencyKind::kChildrensSocialCare && agency->authority == w.authority;
  }
  for (const auto& g : w.glass) f.break_glass_in_force |= g.user == p.id && g.InForce(now);
  return f;
}

// access.md: after a use a manager judged unjustified (in the last 30 days), the same person
// cannot break the glass on that child again.
bool JudgedUnjustified(const World& w, const std::string& user, TimePoint now) {
  for (const auto& g : w.glass) {
    if (g.user == user && g.justified == false && g.starts >= now - hours(24 * 30)) return true;
  }
  return false;
}

constexpr Kind kKinds[] = {Kind::kPractitioner,   Kind::kPractitioner, Kind::kPractitioner, Kind::kManager,
                           Kind::kManager,        Kind::kAuthorityAdmin, Kind::kAuditor,    Kind::kNationalAdmin,
                           Kind::kFamily,         Kind::kFamily};
constexpr const char* kLa1Agencies[] = {"ag-csc", "ag-school", "ag-gp", "ag-police"};
constexpr const char* kLa2Agencies[] = {"ag2-csc", "ag2-school"};

// What one act did, as seen from outside the access policy.
struct Seen {
  bool through = false;  // the gate let it through (it may still have failed for another reason)
  bool ok = false;
  std::string error;     // the error's code and message, if any
};

class AccessPropertyTest : public AppFixture {
 protected:
  void SetUp() override {
    // Thousands of small write transactions: on tmpfs where there is one, fsync costs nothing.
    if (std::filesystem::is_directory("/dev/shm")) ::setenv("TMPDIR", "/dev/shm", 1);
    AppFixture::SetUp();
    store_->Write([&](storage::Repositories& r) {
      EXPECT_TRUE(r.Authorities().Insert({"la2", "E2", "Southmoor", false}));
      for (const auto& a : kAgencies) {
        if (r.Agencies().Get(a.id)) continue;
        EXPECT_TRUE(r.Agencies().Insert({a.id, a.authority, std::string("Agency ") + a.id, a.kind, "01632 960100", "", ""}));
      }
      return true;
    });
    password_hash_ = hasher_.Hash(kPassword);
    children_ = std::make_unique<ChildService>(*ctx_);
    account_ = std::make_unique<AccountService>(*ctx_, words_);
    early_help_ = std::make_unique<EarlyHelpService>(*ctx_, words_);
    team_ = std::make_unique<TeamService>(*ctx_);
    glass_ = std::make_unique<BreakGlassService>(*ctx_);
    family_ = std::make_unique<FamilyService>(*ctx_, words_);
    admin_ = std::make_unique<AdminService>(*ctx_);
  }

  void TearDown() override {
    admin_.reset();
    family_.reset();
    glass_.reset();
    team_.reset();
    early_help_.reset();
    account_.reset();
    children_.reset();
    AppFixture::TearDown();
  }

  // A fresh database (the clock runs on): the authority-wide lists some acts read grow with
  // every world, and a run must stay linear in its number of acts.
  void Reopen() {
    TearDown();
    SetUp();
  }

  // A new random world, stored directly (the set-up is not under test).
  World MakeWorld(testing::Draw& d, int n) {
    World w;
    const std::string tag = "w" + std::to_string(n);
    const TimePoint now = clock_.Now();
    const Date today = Date::FromTime(now);
    w.child = "K" + tag;
    w.authority = d.Chance(80) ? "la1" : "la2";
    w.shielded = d.Chance(40);
    constexpr const char* kSchools[] = {"", "ag-school", "ag2-school"};
    w.school = d.Pick(kSchools);
    w.gp = d.Chance(50) ? "ag-gp" : "";
    for (const char* agency : {"ag-csc", "ag-police", "ag2-csc", "ag-gp"}) {
      if (d.Chance(30)) w.services.emplace_back(agency, d.Chance(60));
    }
    // Some of the agencies named were named by a team member who does not decide joins.
    for (const auto& agency : {w.school, w.gp}) {
      if (!agency.empty() && d.Chance(25)) w.unconfirmed.insert(agency);
    }
    for (const auto& [agency, _] : w.services) {
      if (d.Chance(25)) w.unconfirmed.insert(agency);
    }
    const int people = 5 + static_cast<int>(d.Below(5));
    for (int i = 0; i < people; ++i) {
      Person p;
      p.id = "u-" + tag + "-" + std::to_string(i);
      p.kind = d.Pick(kKinds);
      p.authority = d.Chance(75) ? "la1" : "la2";
      if (p.kind == Kind::kFamily) {
        p.authority = w.authority;  // as redeeming an invitation makes it, with no agency
      } else if (p.kind == Kind::kNationalAdmin) {
        p.authority.clear();  // national administrators belong to no authority (domain/user.h)
      } else {
        p.agency = p.authority == "la1" ? d.Pick(kLa1Agencies) : d.Pick(kLa2Agencies);
      }
      p.active = d.Chance(85);
      // Grants as rows may claim them, whatever the role: the rules must hold anyway.
      p.steward = p.kind != Kind::kFamily && d.Chance(20);
      p.ig = p.kind != Kind::kFamily && d.Chance(25);
      w.people.push_back(p);
    }
    for (const auto& p : w.people) {
      if (!WorksWithChildren(p.kind)) continue;
      if (d.Chance(40)) {
        w.team[p.id] = false;
      } else {
        if (d.Chance(20)) w.requests.push_back({"J" + p.id, p.id, true});
        if (d.Chance(35)) {
          Glass g{p.id, now - hours(1), now + hours(3), std::nullopt, std::nullopt};
          switch (d.Below(5)) {
            case 0:  // expired
              g.starts = now - hours(30);
              g.ends = now - hours(26);
              break;
            case 1:  // ended early by a manager
              g.ended_early = now - minutes(10);
              break;
            case 2:  // expired and judged unjustified
              g.starts = now - hours(50);
              g.ends = now - hours(46);
              g.justified = false;
              break;
            case 3:  // judged unjustified long ago
              g.starts = now - hours(24 * 40);
              g.ends = g.starts + hours(4);
              g.justified = false;
              break;
            default:  // in force
              break;
          }
          w.glass.push_back(g);
        }
      }
    }
    if (!w.team.empty() && d.Chance(60)) {
      auto it = w.team.begin();
      std::advance(it, d.Below(w.team.size()));
      it->second = true;
    }
    for (const auto& p : w.people) {
      if (p.kind == Kind::kFamily && d.Chance(70)) w.family.insert(p.id);
    }

    domain::Child c;
    c.id = w.child;
    c.authority_id = w.authority;
    c.given_names = "Robin";
    c.family_name = "Ashdown";
    c.date_of_birth = Date::Parse("2017-03-04");
    c.address = "12 Quarry Road, Northbrook";
    c.postcode = "NB3 7QR";
    c.carers.push_back({"Sam Ashdown", "Mother", true, "07700 900456", "", ""});
    c.school_agency_id = w.school;
    c.gp_agency_id = w.gp;
    for (const auto& [agency, current] : w.services) {
      if (current) {
        c.services.push_back({agency, "Current service", *Date::Parse("2024-01-01"), std::nullopt});
      } else if (d.Chance(50)) {
        c.services.push_back({agency, "Ended service", *Date::Parse("2023-01-01"), *Date::Parse("2024-06-30")});
      } else {
        c.services.push_back({agency, "Future service", Date::FromDays(today.ToDays() + 30), std::nullopt});
      }
    }
    c.unconfirmed_agencies.assign(w.unconfirmed.begin(), w.unconfirmed.end());
    c.shielded = w.shielded;
    const bool busy = d.Chance(15);
    w.merged = d.Chance(8);
    c.created_at = c.updated_at = now - hours(24 * 60);
    c.version = 1;
    store_->Write([&](storage::Repositories& r) {
      for (const auto& p : w.people) {
        domain::User u;
        u.id = p.id;
        u.username = p.id;
        u.display_name = "Person " + p.id;
        u.job_title = "Job of " + p.id;
        u.role = RoleOf(p.kind);
        u.authority_id = p.authority;
        u.agency_id = p.agency;
        u.active = p.active;
        u.index_steward = p.steward;
        u.information_governance = p.ig;
        u.password_hash = password_hash_;
        EXPECT_TRUE(r.Users().Insert(u)) << p.id;
      }
      EXPECT_TRUE(r.Children().Insert(c));
      if (w.merged) {
        domain::Child survivor = c;
        survivor.id = "S" + tag;
        EXPECT_TRUE(r.Children().Insert(survivor));
        storage::ChildMerge m;
        m.id = "M" + tag;
        m.survivor_id = survivor.id;
        m.merged_id = w.child;
        m.merged_by = "u-admin";
        m.merged_at = now - hours(1);
        m.reason = "The same child recorded twice";
        EXPECT_TRUE(r.Merges().Insert(m));
      }
      for (const auto& [user, lead] : w.team) {
        r.Teams().AddMember({w.child, user, "Worker", "On the team from the start", now - hours(24 * 50), lead});
      }
      for (const auto& q : w.requests) {
        domain::JoinRequest j;
        j.id = q.id;
        j.child_id = w.child;
        j.authority_id = w.authority;
        j.user_id = q.user;
        j.role = "Worker";
        j.reason = "I work with this child now";
        j.created_at = now - hours(2);
        EXPECT_TRUE(r.JoinRequests().Insert(j));
      }
      int i = 0;
      for (const auto& g : w.glass) {
        domain::BreakGlass b;
        b.id = "G" + tag + "-" + std::to_string(i++);
        b.child_id = w.child;
        b.authority_id = w.authority;
        b.user_id = g.user;
        b.reason = "A missing child, police need the address";
        b.starts_at = g.starts;
        b.ends_at = g.ends;
        b.ended_early_at = g.ended_early;
        if (g.ended_early) b.ended_by = "u-admin";
        b.justified = g.justified;
        if (g.justified) {
          b.reviewed_at = g.ends;
          b.reviewed_by = "u-admin";
          b.review_note = "Not an emergency";
        }
        EXPECT_TRUE(r.BreakGlass().Insert(b));
        if (g.justified || g.ended_early) {
          EXPECT_TRUE(r.BreakGlass().UpdateReview(b));
        }
      }
      if (busy) {
        // A busy authority, or one behind with its reviews: many uses since any verdict of
        // this world, none reviewed (by a member of staff outside the world).
        for (int k = 0; k < 210; ++k) {
          domain::BreakGlass b;
          b.id = "G" + tag + "-busy-" + std::to_string(k);
          b.child_id = w.child;
          b.authority_id = w.authority;
          b.user_id = "u-sw";
          b.reason = "Another emergency in the authority";
          b.starts_at = now - minutes(30) + std::chrono::seconds(k);
          b.ends_at = b.starts_at + minutes(1);
          EXPECT_TRUE(r.BreakGlass().Insert(b));
        }
      }
      for (const auto& user : w.family) {
        EXPECT_TRUE(r.Family().Link({user, w.child, domain::FamilyRelation::kParentCarer, now - hours(24 * 10), ""}));
      }
      return true;
    });
    return w;
  }

  Principal Signed(const std::string& id) {
    auto user = store_->ReadValue([&](storage::Repositories& r) { return r.Users().Get(id); });
    EXPECT_TRUE(user) << id;
    Principal p{*user, {}, SessionState::kComplete, "127.0.0.1"};
    p.session.created_at = clock_.Now();
    return p;
  }

  std::optional<domain::AuditRecord> NewestAudit(const std::string& child) {
    auto records = store_->ReadValue([&](storage::Repositories& r) { return r.Audit().ForChild(child, 1); });
    if (records.empty()) return std::nullopt;
    return records.front();
  }

  // Runs one service call and reads what it did: through the gate or refused, by its answer and
  // the audit record it must have left for `actor` on `child`.
  template <typename R>
  Seen Observe(const World& w, const std::string& actor, const std::function<R()>& call, std::string* trouble) {
    const auto before = NewestAudit(w.child);
    R result = call();
    Seen s;
    s.ok = static_cast<bool>(result);
    if (!s.ok) s.error = std::string(ToString(result.error().code)) + ": " + result.error().message;
    const auto after = NewestAudit(w.child);
    if (!after || (before && before->chain == after->chain && before->seq == after->seq)) {
      *trouble = "no audit record was written";
      s.through = s.ok;
      return s;
    }
    if (after->actor_id != actor) *trouble = "the newest audit record is " + after->actor_id + "'s";
    const bool denied = after->outcome == domain::AuditOutcome::kDenied;
    if (s.ok && after->outcome != domain::AuditOutcome::kAllowed) *trouble = "an allowed act audited as not allowed";
    if (denied && s.ok) *trouble = "a refused act answered";
    // A refusal after the gate (one's own request, a verdict of unjustified) is the service's
    // access decision too: Forbidden, audited as failed.
    s.through = !denied && !(!s.ok && result.error().code == ErrorCode::kForbidden);
    return s;
  }

  std::string password_hash_;
  WordIndex words_;
  std::unique_ptr<ChildService> children_;
  std::unique_ptr<AccountService> account_;
  std::unique_ptr<EarlyHelpService> early_help_;
  std::unique_ptr<TeamService> team_;
  std::unique_ptr<BreakGlassService> glass_;
  std::unique_ptr<FamilyService> family_;
  std::unique_ptr<AdminService> admin_;
};

// The acts a step may try, with their weights.
enum class Step { kAct, kRoleChange, kTimePasses };

TEST_F(AccessPropertyTest, EveryServiceDecisionMatchesTheDocumentedTable) {
  const uint64_t seed = testing::PropertySeed("AccessPropertyTest.EveryServiceDecisionMatchesTheDocumentedTable");
  SCOPED_TRACE("seed " + std::to_string(seed) + " (KITH_PROPTEST_SEED replays it)");
  testing::Draw d(seed);
  const int cases = testing::PropertyCases(3'000);
  constexpr int kStepsPerWorld = 30;
  constexpr int kMaxReported = 10;
  int failures = 0;
  int done = 0;
  std::map<Act, std::pair<int, int>> tally;  // act -> (allowed, refused) seen
  constexpr int kWorldsPerDatabase = 20;
  for (int n = 0; done < cases && failures < kMaxReported; ++n) {
    if (n > 0 && n % kWorldsPerDatabase == 0) Reopen();
    World w = MakeWorld(d, n);
    std::ostringstream history;  // the acts so far in this world, for a failure's message
    for (int step = 0; step < kStepsPerWorld && done < cases && failures < kMaxReported; ++step, ++done) {
      const TimePoint now = clock_.Now();
      const Person& person = w.people[d.Below(w.people.size())];
      const Principal p = Signed(person.id);
      const Facts f = FactsOf(w, person, now);
      auto fail = [&](const std::string& what) {
        ++failures;
        ADD_FAILURE() << "world " << n << (w.merged ? " (child merged away)" : "") << " step " << step << ": " << person.id << " (" << f.Describe() << "): " << what
                      << "\n  acts before in this world:\n"
                      << history.str();
      };
      const uint64_t kind = d.Below(100);
      if (kind < 5) {
        const auto by = hours(1 + d.Below(6));
        clock_.Advance(by);
        history << "    time passes " << by.count() << " h\n";
        continue;
      }
      if (kind < 15) {
        // An administrator changes someone's account (docs/access.md, "No back doors"): a role,
        // an agency, enabling or disabling it, the information-governance grant. What the
        // change does to access is then checked by the acts that follow.
        Person& target = w.people[d.Below(w.people.size())];
        const bool administers =
            person.active && (person.kind == Kind::kNationalAdmin ||
                              (person.kind == Kind::kAuthorityAdmin && person.authority == target.authority));
        const bool self = target.id == person.id;
        UserChanges c;
        c.version = store_->ReadValue([&](storage::Repositories& r) { return r.Users().Get(target.id)->version; });
        bool want = administers;
        std::string what;
        std::function<void()> apply;
        switch (d.Below(4)) {
          case 0: {
            constexpr Kind kNewKinds[] = {Kind::kPractitioner, Kind::kManager, Kind::kAuthorityAdmin, Kind::kAuditor};
            const Kind to = d.Pick(kNewKinds);
            c.role = RoleOf(to);
            what = "role to " + std::string(reference::Name(to));
            // Nobody changes their own role; a family account keeps its kind.
            want = want && !self && target.kind != Kind::kFamily;
            apply = [&target, &w, to] {
              if (WorksWithChildren(target.kind) && !WorksWithChildren(to)) w.team.erase(target.id);  // leaves teams
              target.kind = to;
              if (!WorksWithChildren(to)) target.steward = false;
              if (to == Kind::kAuthorityAdmin) target.ig = false;
            };
            break;
          }
          case 1: {
            if (target.kind == Kind::kFamily || target.authority.empty()) continue;
            const std::string to = target.authority == "la1" ? d.Pick(kLa1Agencies) : d.Pick(kLa2Agencies);
            c.agency_id = to;
            what = "agency to " + to;
            apply = [&target, to] { target.agency = to; };
            break;
          }
          case 2: {
            const bool to = d.Chance(50);
            c.active = to;
            what = to ? "enabling" : "disabling";
            // Nobody disables themselves; only the child's team lets a family member back in.
            if (!to && self) want = false;
            if (to && target.kind == Kind::kFamily) want = false;
            apply = [&target, to] { target.active = to; };
            break;
          }
          default: {
            const bool to = d.Chance(60);
            c.information_governance = to;
            what = to ? "granting information governance" : "taking information governance away";
            // Nobody grants themselves a permission; never to administrators (or family).
            if (self) want = false;
            if (to && (target.kind == Kind::kAuthorityAdmin || target.kind == Kind::kNationalAdmin ||
                       target.kind == Kind::kFamily)) {
              want = false;
            }
            apply = [&target, to] { target.ig = to; };
            break;
          }
        }
        auto result = admin_->UpdateUser(p, target.id, c);
        history << "    " << person.id << " changes " << target.id << "'s " << what << ": "
                << (result ? "done" : std::string(ToString(result.error().code))) << "\n";
        if (static_cast<bool>(result) != want) {
          fail("changing " + target.id + "'s " + what + ": the product " +
               (result ? "does it" : "refuses it (" + result.error().message + ")") + ", the documentation " +
               (want ? "allows it" : "refuses it (docs/access.md, No back doors)"));
          continue;
        }
        if (result) apply();
        continue;
      }
      if (kind < 20) {
        // The "Requests to join" page (docs/access.md): every pending request of someone else
        // that the caller may decide, and their own.
        auto inbox = team_->Inbox(p);
        history << "    " << person.id << " reads their requests to join: "
                << (inbox ? "done" : std::string(ToString(inbox.error().code))) << "\n";
        const bool may_decide = reference::Expect(f, Act::kDecideJoin).allowed;
        if (static_cast<bool>(inbox) != (person.active && WorksWithChildren(person.kind))) {
          fail("requests to join page: the product " + std::string(inbox ? "answers" : "refuses") +
               ", the documentation says it is every practitioner's and manager's");
          continue;
        }
        if (!inbox) continue;
        for (const auto& q : w.requests) {
          if (!q.pending) continue;
          bool listed = false;
          for (const auto& v : inbox->to_decide) listed |= v.request.id == q.id;
          bool mine = false;
          for (const auto& v : inbox->mine) mine |= v.request.id == q.id;
          const bool want_listed = may_decide && q.user != person.id && !w.merged;
          if (listed != want_listed) {
            fail("requests to join page: " + q.user + "'s pending request is " + (listed ? "" : "not ") +
                 "listed to decide; the documentation says it " + (want_listed ? "is" : "is not") +
                 " (access.md: what they may decide, and their own)");
            break;
          }
          if (mine != (q.user == person.id)) {
            fail("requests to join page: their own pending request " + q.id + (mine ? " is" : " is not") + " listed");
            break;
          }
        }
        continue;
      }
      // An act on the child.
      Act act = d.Pick(reference::kAllActs);
      std::vector<const Request*> pending;
      for (const auto& q : w.requests) {
        if (q.pending) pending.push_back(&q);
      }
      if (act == Act::kDecideJoin && pending.empty()) act = Act::kAskToJoin;
      reference::Expected want = reference::Expect(f, act);
      if (w.merged && act != Act::kAuditTrail && act != Act::kSubjectAccess) {
        // docs/linkage.md: every act on a merged-away child answers 404 but its audit trail (and,
        // docs/access.md, information governance's export of everything held about it).
        want = {false, "linkage.md: a merged-away child is hidden from every act"};
      }
      std::string trouble;
      Seen seen;
      std::string detail;
      switch (act) {
        case Act::kSignposting: {
          std::optional<Signposting> view;
          seen = Observe<Result<Signposting>>(w, person.id, [&] {
            auto r = children_->Signpost(p, w.child, "Checking who to contact today");
            if (r) view = *r;
            return r;
          }, &trouble);
          if (view) {
            // docs/shielding.md's table: off the team without break-glass, a shielded child's
            // address, carers, agencies, lead and practitioners are withheld.
            const bool hidden = w.shielded && !f.on_team && !f.break_glass_in_force;
            bool agencies_named = false;
            for (const auto& s : view->services) agencies_named |= s.agency.has_value();
            if (hidden && (!view->address.empty() || !view->postcode.empty() || !view->carers.empty() ||
                           !view->practitioners.empty() || view->lead_professional || agencies_named ||
                           !view->withheld || view->contact_through.empty())) {
              trouble = "a shielded child's signposting shows what the shield withholds";
            }
            if (!hidden && (view->address.empty() || view->withheld || view->practitioners.size() != w.team.size())) {
              trouble = "signposting withholds what the caller may see (address, team)";
            }
            if (w.shielded && f.break_glass_in_force && !f.on_team && view->carers.empty()) {
              trouble = "break-glass on a shielded child does not show the carers";
            }
          }
          break;
        }
        case Act::kAccount: {
          switch (d.Below(3)) {
            case 0:
              seen = Observe<Result<ChildAccount>>(w, person.id, [&] { return children_->Account(p, w.child); }, &trouble);
              break;
            case 1:
              seen = Observe<Result<std::vector<EntryView>>>(
                  w, person.id, [&] { return account_->Chronology(p, w.child, {}); }, &trouble);
              break;
            default:
              seen = Observe<Result<std::vector<JoinRequestView>>>(
                  w, person.id, [&] { return team_->JoinRequests(p, w.child); }, &trouble);
              break;
          }
          break;
        }
        case Act::kEarlyHelp:
          seen = Observe<Result<std::vector<AssessmentView>>>(w, person.id, [&] { return early_help_->List(p, w.child); },
                                                              &trouble);
          break;
        case Act::kContribute: {
          NewEntry e;
          e.occurred_on = Date::FromTime(now);
          e.summary = "Saw the child at the clinic";
          e.detail = "Well and happy";
          seen = Observe<Result<EntryView>>(w, person.id, [&] { return account_->AddEntry(p, w.child, e); }, &trouble);
          break;
        }
        case Act::kEditRecord: {
          ChildChanges c;
          c.version = store_->ReadValue([&](storage::Repositories& r) { return r.Children().Get(w.child)->version; });
          c.address = "12 Quarry Road, Northbrook";
          seen = Observe<Result<ChildAccount>>(w, person.id, [&] { return children_->Update(p, w.child, c); }, &trouble);
          break;
        }
        case Act::kShield:
          seen = Observe<Result<ChildAccount>>(
              w, person.id, [&] { return children_->SetShield(p, w.child, !w.shielded, "The family's situation changed"); },
              &trouble);
          if (seen.ok) w.shielded = !w.shielded;
          break;
        case Act::kLeadAct:
          // Confirming a restriction that does not exist: the gate decides first.
          seen = Observe<Result<storage::VisibilityRow>>(
              w, person.id, [&] { return family_->Confirm(p, w.child, "no-such-subject", "Keep it from the family"); },
              &trouble);
          break;
        case Act::kAskToJoin: {
          std::optional<JoinRequestView> view;
          bool asked_before = false;
          for (const auto* q : pending) asked_before |= q->user == person.id;
          seen = Observe<Result<JoinRequestView>>(w, person.id, [&] {
            auto r = team_->RequestJoin(p, w.child, "Worker", "I have started working with this child");
            if (r) view = *r;
            return r;
          }, &trouble);
          if (seen.through && asked_before && seen.ok) trouble = "a second pending request to join was accepted";
          if (view) {
            const bool at_once = view->request.status == domain::JoinRequestStatus::kApproved;
            if (at_once != reference::JoinsAtOnce(f)) {
              trouble = std::string("the request was ") + (at_once ? "approved at once" : "left waiting") +
                        "; the documentation says it " + (reference::JoinsAtOnce(f) ? "joins at once" : "waits");
            }
            if (at_once) {
              w.team[person.id] = false;
            } else {
              w.requests.push_back({view->request.id, person.id, true});
            }
          }
          break;
        }
        case Act::kDecideJoin: {
          Request& q = *const_cast<Request*>(pending[d.Below(pending.size())]);
          const bool approve = d.Chance(70);
          detail = " (" + std::string(approve ? "approving " : "declining ") + q.user + "'s request)";
          if (want.allowed && q.user == person.id) want = {false, "one's own request is decided by someone else"};
          seen = Observe<Result<JoinRequestView>>(
              w, person.id, [&] { return team_->DecideJoin(p, w.child, q.id, approve, "Agreed with the lead today"); },
              &trouble);
          if (seen.ok) {
            q.pending = false;
            const Person& requester = w.Of(q.user);
            if (approve) {
              if (!requester.active || !WorksWithChildren(requester.kind) || w.team.count(q.user)) {
                trouble = "approved a request of someone who can no longer join, or is already on the team";
              }
              w.team[q.user] = false;
            }
          }
          break;
        }
        case Act::kLeave: {
          const bool lead_with_others = f.is_lead && w.team.size() > 1;
          seen = Observe<Result<bool>>(w, person.id, [&]() -> Result<bool> {
            auto s = team_->Leave(p, w.child, "I no longer work with this child");
            if (!s) return s.error();
            return true;
          }, &trouble);
          if (seen.ok && lead_with_others) trouble = "the lead left a team without handing over";
          if (seen.ok) w.team.erase(person.id);
          break;
        }
        case Act::kChangeLead: {
          std::vector<std::string> others;
          for (const auto& [member, lead] : w.team) {
            if (!lead && (member != person.id || !w.HasLead())) others.push_back(member);
          }
          const std::string to = others.empty() ? person.id : others[d.Below(others.size())];
          detail = " (to " + to + ")";
          seen = Observe<Result<bool>>(w, person.id, [&]() -> Result<bool> {
            auto s = team_->ChangeLead(p, w.child, to, "Handing over to a colleague");
            if (!s) return s.error();
            return true;
          }, &trouble);
          if (seen.ok) {
            for (auto& [_, lead] : w.team) lead = false;
            w.team[to] = true;
          }
          break;
        }
        case Act::kBreakGlass: {
          if (JudgedUnjustified(w, person.id, now)) detail = " (after a use judged unjustified)";
          if (want.allowed && JudgedUnjustified(w, person.id, now)) {
            want = {false, "access.md: not again after a use judged unjustified in the last 30 days"};
          }
          seen = Observe<Result<BreakGlassView>>(w, person.id, [&] {
            return glass_->Break(p, w.child, {"missing_child", "The child is missing and police need the address",
                                              std::nullopt, std::string(kPassword), std::nullopt});
          }, &trouble);
          if (seen.ok) w.glass.push_back({person.id, now, now + hours(4), std::nullopt, std::nullopt});
          break;
        }
        case Act::kAuditTrail:
          seen = Observe<Result<std::vector<AuditEntryView>>>(
              w, person.id, [&] { return children_->AuditTrail(p, w.child, 5); }, &trouble);
          break;
        case Act::kSubjectAccess:
          seen = Observe<Result<SubjectAccessExport>>(
              w, person.id, [&] { return family_->SubjectAccess(p, w.child, "Subject access request SAR-2026-17"); },
              &trouble);
          break;
        case Act::kFamilyPortal: {
          std::optional<FamilyChildView> view;
          seen = Observe<Result<FamilyChildView>>(w, person.id, [&] {
            auto r = family_->Child(p, w.child);
            if (r) view = *r;
            return r;
          }, &trouble);
          // docs/shielding.md: once shielded, the portal lists no team and names no agency.
          if (view && w.shielded && (!view->team.empty() || view->contact_through.empty())) {
            trouble = "the family portal of a shielded child lists the team";
          }
          if (view && !w.shielded && view->team.size() != w.team.size()) {
            trouble = "the family portal does not list the team";
          }
          break;
        }
      }
      history << "    " << person.id << " " << reference::Name(act) << detail << ": "
              << (seen.ok ? "done" : seen.error) << "\n";
      auto& t = tally[act];
      (want.allowed ? t.first : t.second)++;
      if (seen.through != want.allowed) {
        fail(std::string(reference::Name(act)) + detail + ": the product " +
             (seen.through ? "lets it through" : "refuses it") + (seen.ok ? "" : " (" + seen.error + ")") +
             "; the documentation " + (want.allowed ? "allows it" : "refuses it") + " (" + std::string(want.rule) + ")");
      } else if (!trouble.empty()) {
        fail(std::string(reference::Name(act)) + detail + ": " + trouble + (seen.ok ? "" : " (" + seen.error + ")"));
      }
    }
  }
  // Every act must have come up both allowed and refused, or the run checked less than it says.
  for (Act act : reference::kAllActs) {
    EXPECT_GT(tally[act].first, 0) << reference::Name(act) << " was never allowed";
    EXPECT_GT(tally[act].second, 0) << reference::Name(act) << " was never refused";
  }
  std::cout << "[ proptest ] " << done << " acts in " << tally.size() << " kinds\n";
}

}  // namespace
}  // namespace kith::app
