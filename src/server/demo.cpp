#include "server/demo.h"

#include <fmt/format.h>
#include <algorithm>
#include <array>
#include <cctype>
#include <stdexcept>

#include "common/random.h"
#include "domain/identifiers.h"
#include "server/demo_account.h"
#include "server/demo_early_help.h"

namespace kith::server {
namespace {

using domain::Agency;
using domain::AgencyKind;
using domain::Child;
using domain::Role;
using domain::User;

constexpr const char* kAuthorityId = "LNORTHBROOK000000";
constexpr const char* kPassword = "Northbrook-demo-2026";

struct AgencySpec {
  const char* id;
  const char* name;
  AgencyKind kind;
  const char* phone;
};

constexpr AgencySpec kAgencies[] = {
    {"ACSC", "Northbrook Children's Services", AgencyKind::kChildrensSocialCare, "01632 960100"},
    {"ASCHHILL", "Hillside Primary School", AgencyKind::kSchool, "01632 960201"},
    {"ASCHANNE", "St Anne's CofE Primary School", AgencyKind::kSchool, "01632 960202"},
    {"ASCHRIVR", "Riverside Primary School", AgencyKind::kSchool, "01632 960203"},
    {"ASCHACAD", "Northbrook Academy", AgencyKind::kSchool, "01632 960204"},
    {"ASCHMEAD", "Meadowbank High School", AgencyKind::kSchool, "01632 960205"},
    {"AGPBROOK", "Brook Lane Surgery", AgencyKind::kGpPractice, "01632 960301"},
    {"AGPMARKT", "Market Street Medical Centre", AgencyKind::kGpPractice, "01632 960302"},
    {"AGPRIVER", "Riverside Health Centre", AgencyKind::kGpPractice, "01632 960303"},
    {"AHV", "Northbrook Health Visiting Team", AgencyKind::kHealthVisiting, "01632 960401"},
    {"ASN", "Northbrook School Nursing Service", AgencyKind::kSchoolNursing, "01632 960402"},
    {"AMW", "Northbrook Community Midwives", AgencyKind::kMidwifery, "01632 960403"},
    {"AHOSP", "Northbrook General Hospital", AgencyKind::kHospital, "01632 960500"},
    {"APOL", "Northbrook Police Safeguarding Hub", AgencyKind::kPolice, "01632 960600"},
    {"AEY", "Oakfield Children's Centre", AgencyKind::kEarlyYears, "01632 960701"},
    {"AYOUTH", "Northbrook Youth Service", AgencyKind::kYouthService, "01632 960702"},
    {"AHOUSE", "Northbrook Homes", AgencyKind::kHousing, "01632 960800"},
    {"AVCS", "Northbrook Family Support (charity)", AgencyKind::kVoluntarySector, "01632 960900"},
    {"ACAMHS", "Northbrook CAMHS", AgencyKind::kCamhs, "01632 960950"},
};

struct UserSpec {
  const char* username;
  const char* name;
  const char* job;
  Role role;
  const char* agency;
  const char* description;
  bool index_steward = false;
};

constexpr UserSpec kUsers[] = {
    {"sw.hughes", "Sam Hughes", "Social worker", Role::kPractitioner, "ACSC",
     "Lead professional for Leo Carter; sees the whole account."},
    {"sw.okafor", "Grace Okafor", "Social worker", Role::kPractitioner, "ACSC", "Social worker with a caseload."},
    {"mgr.patel", "Priya Patel", "Team manager", Role::kManager, "ACSC",
     "Manager: sees the accounts her social workers are on."},
    {"dsl.morgan", "Rhys Morgan", "Designated safeguarding lead", Role::kPractitioner, "ASCHHILL",
     "School safeguarding lead on several teams."},
    {"teacher.ellis", "Hannah Ellis", "Class teacher", Role::kPractitioner, "ASCHHILL",
     "On no team: try signposting and joining a team with a reason."},
    {"dsl.khan", "Aisha Khan", "Designated safeguarding lead", Role::kPractitioner, "ASCHACAD",
     "Secondary school DSL."},
    {"teacher.novak", "Piotr Novak", "Head of year", Role::kPractitioner, "ASCHMEAD", "Secondary school teacher."},
    {"dsl.brown", "Joanne Brown", "Designated safeguarding lead", Role::kPractitioner, "ASCHANNE", "Primary DSL."},
    {"dsl.singh", "Harpreet Singh", "Designated safeguarding lead", Role::kPractitioner, "ASCHRIVR", "Primary DSL."},
    {"gp.osei", "Dr Kwame Osei", "GP", Role::kPractitioner, "AGPBROOK", "GP on Leo Carter's team."},
    {"gp.walsh", "Dr Fiona Walsh", "GP", Role::kPractitioner, "AGPMARKT", "GP."},
    {"gp.ahmed", "Dr Yusuf Ahmed", "GP", Role::kPractitioner, "AGPRIVER", "GP."},
    {"hv.bennett", "Laura Bennett", "Health visitor", Role::kPractitioner, "AHV", "Health visitor for under-fives."},
    {"hv.mensah", "Abena Mensah", "Health visitor", Role::kPractitioner, "AHV", "Health visitor."},
    {"sn.price", "Owen Price", "School nurse", Role::kPractitioner, "ASN", "School nurse."},
    {"mw.roberts", "Cerys Roberts", "Community midwife", Role::kPractitioner, "AMW", "Midwife."},
    {"ed.kaur", "Simran Kaur", "Paediatric liaison nurse", Role::kPractitioner, "AHOSP", "Hospital liaison."},
    {"pc.davies", "PC Tom Davies", "Police officer", Role::kPractitioner, "APOL", "Police safeguarding officer."},
    {"ds.murphy", "DS Niamh Murphy", "Detective sergeant", Role::kManager, "APOL", "Police manager."},
    {"ey.wright", "Ellie Wright", "Early years practitioner", Role::kPractitioner, "AEY", "Children's centre."},
    {"yw.ali", "Bilal Ali", "Youth worker", Role::kPractitioner, "AYOUTH", "Youth worker."},
    {"ho.green", "Martin Green", "Housing officer", Role::kPractitioner, "AHOUSE", "Housing officer."},
    {"fs.jones", "Megan Jones", "Family support worker", Role::kPractitioner, "AVCS", "Voluntary-sector worker."},
    {"camhs.ng", "Dr Wei Ng", "Clinical psychologist", Role::kPractitioner, "ACAMHS", "CAMHS clinician."},
    {"sw.taylor", "Chris Taylor", "Social worker", Role::kPractitioner, "ACSC", "Social worker."},
    {"sw.evans", "Bethan Evans", "Early help coordinator", Role::kPractitioner, "ACSC", "Early help."},
    {"admin.lee", "Jordan Lee", "Kith administrator", Role::kAuthorityAdmin, "ACSC",
     "Manages users and agencies; must set up a second factor; sees no case content."},
    {"auditor.clarke", "Morgan Clarke", "Information governance officer", Role::kAuditor, "ACSC",
     "Reads the audit trail: who looked at which child, when and why."},
    {"dq.shah", "Amir Shah", "Data quality officer", Role::kPractitioner, "ACSC",
     "Index steward: imports source feeds, decides the index's reviews, merges duplicates.", true},
};

constexpr std::array kGirls = {"Amelia", "Olivia", "Isla", "Ava",   "Mia",  "Ivy",  "Lily", "Freya", "Grace",  "Sophia",
                               "Aisha",  "Zara",   "Maya", "Poppy", "Evie", "Ruby", "Nia",  "Hana",  "Alicja", "Chloe"};
constexpr std::array kBoys = {"Oliver", "Noah", "George", "Leo",     "Arthur", "Muhammad", "Oscar",
                              "Harry",  "Jack", "Theo",   "Freddie", "Jacob",  "Ibrahim",  "Kai",
                              "Reuben", "Kofi", "Jakub",  "Ethan",   "Rowan",  "Dylan"};
constexpr std::array kSurnames = {
    "Smith",    "Jones",    "Taylor", "Brown",   "Williams", "Wilson",  "Johnson", "Davies", "Patel",  "Robinson",
    "Wright",   "Thompson", "Evans",  "Walker",  "White",    "Roberts", "Green",   "Hall",   "Khan",   "Wood",
    "Kowalski", "Okonkwo",  "Murphy", "Hussain", "Clarke",   "Mensah",  "Nowak",   "Lewis",  "Hughes", "Begum"};
constexpr std::array kAdults = {"Sarah",  "Emma",  "Laura", "Rebecca", "Fatima", "Joanna", "Kelly",  "Nadia",
                                "Daniel", "James", "Mark",  "Imran",   "Paul",   "Steven", "Tomasz", "Lee"};
constexpr std::array kStreets = {"Mill Row",         "Canal Street",  "Station Road", "Beech Avenue",   "Church Lane",
                                 "Victoria Terrace", "Orchard Close", "Peel Street",  "Riverside Walk", "Hope Street"};

// A mailbox name people can read ("st-annes-cofe-primary-school"), from the agency's name
// without the town: the agency's id is an internal code and never appears in an address.
std::string MailboxName(std::string_view agency_name) {
  std::string out;
  std::string word;
  auto flush = [&] {
    if (!word.empty() && word != "northbrook") out += (out.empty() ? "" : "-") + word;
    word.clear();
  };
  for (char c : agency_name) {
    if (std::isalnum(static_cast<unsigned char>(c)) != 0) {
      word.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    } else if (c != '\'') {
      flush();
    }
  }
  flush();
  return out;
}

std::string NhsNumber(Random& rng) {
  for (;;) {
    std::string d;
    for (int i = 0; i < 9; ++i) d.push_back(static_cast<char>('0' + rng.Uniform(10)));
    const auto check = domain::NhsCheckDigit(d);
    if (!check) continue;
    d.push_back(static_cast<char>('0' + *check));
    return d;
  }
}

std::string Upn(Random& rng) {
  std::string body = "999";  // a fictional authority number
  for (int i = 0; i < 9; ++i) body.push_back(static_cast<char>('0' + rng.Uniform(10)));
  return std::string(1, *domain::UpnCheckLetter(body)) + body;
}

void Must(const Status& s) {
  if (!s) throw storage::StorageError("demo data: " + s.error().message);
}

template <typename A>
const char* Pick(Random& rng, const A& items) {
  return items[rng.Uniform(items.size())];
}

}  // namespace

bool IsEmpty(storage::Store& store) {
  return store.ReadValue([](storage::Repositories& r) { return r.Authorities().List().empty(); });
}

DemoSummary CreateDemoData(storage::Store& store, const app::PasswordHasher& hasher, TimePoint now, uint64_t seed) {
  if (!IsEmpty(store))
    throw storage::StorageError("the database already holds data; demo data goes only into an empty one");
  SeededRandom rng(seed);
  const Date today = Date::FromTime(now);
  DemoSummary summary;
  summary.password = kPassword;
  const std::string password_hash = hasher.Hash(kPassword);

  std::vector<User> users;
  for (const auto& u : kUsers) {
    User user;
    user.id = std::string("U") + u.username;
    std::replace(user.id.begin(), user.id.end(), '.', '_');
    user.username = u.username;
    user.display_name = u.name;
    user.job_title = u.job;
    user.role = u.role;
    user.authority_id = kAuthorityId;
    user.agency_id = u.agency;
    user.index_steward = u.index_steward;
    user.email = std::string(u.username) + "@northbrook.example";
    user.phone = "01632 96" + std::to_string(1000 + users.size());
    user.password_hash = password_hash;
    users.push_back(user);
    std::string agency_name;
    for (const auto& a : kAgencies) {
      if (std::string_view(a.id) == u.agency) agency_name = a.name;
    }
    summary.logins.push_back({u.username, std::string(u.job) + ", " + agency_name, u.description});
  }
  auto user_id = [&](std::string_view username) {
    for (const auto& u : users) {
      if (u.username == username) return u.id;
    }
    throw std::logic_error("demo: unknown user");
  };

  std::vector<Child> children;
  std::vector<domain::TeamMember> members;
  auto make_child = [&](const std::string& given, const std::string& family, domain::Sex sex, Date dob) {
    Child c;
    c.id = rng.Id("K");
    c.authority_id = kAuthorityId;
    c.given_names = given;
    c.family_name = family;
    c.sex = sex;
    c.date_of_birth = dob;
    c.address = fmt::format("{} {}, Northbrook", 1 + rng.Uniform(120), Pick(rng, kStreets));
    c.postcode = fmt::format("NB{} {}{}{}", 1 + rng.Uniform(9), rng.Uniform(10),
                             static_cast<char>('A' + rng.Uniform(26)), static_cast<char>('A' + rng.Uniform(26)));
    c.nhs_number = NhsNumber(rng);
    const int age = dob.AgeOn(today);
    c.gp_agency_id = std::array{"AGPBROOK", "AGPMARKT", "AGPRIVER"}[rng.Uniform(3)];
    c.services.push_back({c.gp_agency_id, "Registered patient", dob, std::nullopt});
    if (age < 5) {
      c.services.push_back({"AHV", "Healthy Child Programme", dob, std::nullopt});
    }
    if (age >= 4 && age < 11) {
      c.school_agency_id = std::array{"ASCHHILL", "ASCHANNE", "ASCHRIVR"}[rng.Uniform(3)];
    } else if (age >= 11 && age < 17) {
      c.school_agency_id = std::array{"ASCHACAD", "ASCHMEAD"}[rng.Uniform(2)];
    }
    if (!c.school_agency_id.empty()) {
      c.upn = Upn(rng);
      const int year = age - 4;
      c.services.push_back({c.school_agency_id, year == 0 ? "Reception" : fmt::format("Year {}", year),
                            Date{today.year - (today.month >= 9 ? 0 : 1), 9, 1}, std::nullopt});
    }
    const std::string parent = Pick(rng, kAdults);
    c.carers.push_back({fmt::format("{} {}", parent, family), "Parent", true,
                        fmt::format("07700 9{:05}", rng.Uniform(100000)), "", ""});
    if (rng.Uniform(3) == 0) {
      c.carers.push_back({fmt::format("{} {}", Pick(rng, kAdults), family), "Parent", true, "", "", ""});
    }
    c.created_at = now;
    c.updated_at = now;
    c.version = 1;
    return c;
  };

  // The children with rich multi-agency pictures.
  // Leo Carter, 22 months: the pattern serious case reviews describe — rising contacts from
  // several agencies, missed health appointments, and a new adult in the household whom
  // nobody has checked.
  Child leo = make_child("Leo", "Carter", domain::Sex::kMale, Date::FromDays(today.ToDays() - 670));
  leo.carers = {{"Tracey Carter", "Mother", true, "07700 900461", "", ""},
                {"Jason Kerr", "Mother's partner (moved in recently)", false, "", "", ""}};
  leo.gp_agency_id = "AGPBROOK";
  leo.services = {{"AGPBROOK", "Registered patient", *leo.date_of_birth, std::nullopt},
                  {"AHV", "Healthy Child Programme (universal plus)", *leo.date_of_birth, std::nullopt},
                  {"ACSC", "Child in need assessment", Date::FromDays(today.ToDays() - 40), std::nullopt},
                  {"AEY", "Stay and play sessions", Date::FromDays(today.ToDays() - 300), std::nullopt}};
  children.push_back(leo);
  const TimePoint joined = now - std::chrono::hours(24 * 30);
  members.push_back(
      {leo.id, user_id("sw.hughes"), "Allocated social worker", "Allocated following referral from A&E", joined, true});
  members.push_back(
      {leo.id, user_id("hv.bennett"), "Health visitor", "Universal plus health visiting caseload", joined, false});
  members.push_back(
      {leo.id, user_id("gp.osei"), "GP", "Registered GP; concerns about missed immunisations", joined, false});
  members.push_back({leo.id, user_id("pc.davies"), "Police safeguarding officer",
                     "Attended domestic incident at the address", joined, false});
  members.push_back({leo.id, user_id("ey.wright"), "Early years practitioner",
                     "Attends stay and play at the children's centre", joined, false});

  // Amira and Yusuf Begum: siblings; Amira has an early help assessment led by the school.
  for (const char* given : {"Amira", "Yusuf"}) {
    const bool girl = std::string_view(given) == "Amira";
    Child c = make_child(given, "Begum", girl ? domain::Sex::kFemale : domain::Sex::kMale,
                         girl ? Date{today.year - 9, 4, 12} : Date{today.year - 6, 11, 3});
    c.flags.early_help_assessment = girl;  // Amira's assessment is made by demo_early_help.cpp
    c.services.push_back({"AVCS", "Family support", Date::FromDays(today.ToDays() - 120), std::nullopt});
    children.push_back(c);
    members.push_back(
        {c.id, user_id("dsl.brown"), "Designated safeguarding lead", "Early help lead at school", joined, true});
    members.push_back({c.id, user_id("fs.jones"), "Family support worker",
                       "Family support following early help assessment", joined, false});
  }

  // Kayden Walsh, 15: a looked-after young person on a child protection history.
  Child kayden = make_child("Kayden", "Walsh", domain::Sex::kMale, Date{today.year - 15, 2, 20});
  kayden.flags = {false, false, true};
  kayden.carers = {{"Janet and Robert Fielding", "Foster carers", false, "07700 900777", "", ""}};
  kayden.services.push_back({"AYOUTH", "Detached youth work", Date::FromDays(today.ToDays() - 200), std::nullopt});
  kayden.services.push_back({"ACAMHS", "Assessment", Date::FromDays(today.ToDays() - 60), std::nullopt});
  children.push_back(kayden);
  members.push_back({kayden.id, user_id("sw.okafor"), "Child's social worker",
                     "Allocated social worker for a looked-after child", joined, true});
  members.push_back({kayden.id, user_id("dsl.khan"), "Designated safeguarding lead",
                     "Designated teacher for looked-after children", joined, false});
  members.push_back({kayden.id, user_id("yw.ali"), "Youth worker", "Detached youth work engagement", joined, false});
  members.push_back({kayden.id, user_id("camhs.ng"), "CAMHS clinician", "Referred for assessment", joined, false});

  // Ruby Nowak, 7: a shielded child (the family fled domestic abuse).
  Child ruby = make_child("Ruby", "Nowak", domain::Sex::kFemale, Date{today.year - 7, 8, 30});
  ruby.shielded = true;
  ruby.carers = {{"Agnieszka Nowak", "Mother", true, "07700 900555", "", ""}};
  ruby.flags.child_protection_plan = true;
  children.push_back(ruby);
  members.push_back({ruby.id, user_id("sw.taylor"), "Child's social worker", "Child protection plan", joined, true});
  members.push_back({ruby.id, user_id("dsl.singh"), "Designated safeguarding lead", "Child protection plan core group",
                     joined, false});

  // The rest of the authority's children.
  const char* practitioners[] = {"sw.okafor", "sw.taylor", "sw.evans",      "dsl.morgan", "dsl.khan", "dsl.brown",
                                 "dsl.singh", "gp.walsh",  "gp.ahmed",      "hv.mensah",  "sn.price", "yw.ali",
                                 "ho.green",  "fs.jones",  "teacher.novak", "camhs.ng"};
  while (children.size() < 200) {
    const bool girl = rng.Uniform(2) == 0;
    const Date dob = Date::FromDays(today.ToDays() - 30 - static_cast<int64_t>(rng.Uniform(17 * 365)));
    Child c = make_child(girl ? Pick(rng, kGirls) : Pick(rng, kBoys), Pick(rng, kSurnames),
                         girl ? domain::Sex::kFemale : domain::Sex::kMale, dob);
    // Drawn as before, so that the rest of the demo (names, teams) stays the same; early help
    // flags follow assessments, and these children have none.
    (void)rng.Uniform(8);
    if (rng.Uniform(40) == 0) c.flags.child_protection_plan = true;
    if (rng.Uniform(50) == 0) c.flags.looked_after = true;
    if (rng.Uniform(4) == 0) {
      const int team_size = 1 + static_cast<int>(rng.Uniform(3));
      std::vector<std::string> chosen;
      for (int i = 0; i < team_size; ++i) {
        const std::string who = practitioners[rng.Uniform(std::size(practitioners))];
        if (std::find(chosen.begin(), chosen.end(), who) != chosen.end()) continue;
        chosen.push_back(who);
        members.push_back({c.id, user_id(who), "Practitioner", "Working with the family", joined, chosen.size() == 1});
      }
    }
    children.push_back(std::move(c));
  }

  store.Write([&](storage::Repositories& r) {
    Must(r.Authorities().Insert({kAuthorityId, "E06009999", "Northbrook (demo)", false}));
    for (const auto& a : kAgencies) {
      Must(r.Agencies().Insert({a.id, kAuthorityId, a.name, a.kind, a.phone,
                                fmt::format("{}@northbrook.example", MailboxName(a.name)), "Northbrook"}));
    }
    for (const auto& u : users) Must(r.Users().Insert(u));
    for (const auto& c : children) Must(r.Children().Insert(c));
    for (const auto& m : members) {
      r.Teams().AddMember(m);
      r.Teams().AppendEvent({m.child_id, m.user_id, "joined", m.role, m.reason, m.user_id, m.joined_at});
      if (m.lead)
        r.Teams().AppendEvent({m.child_id, m.user_id, "lead_assigned", m.role, m.reason, m.user_id, m.joined_at});
    }
    domain::AuditRecord a;
    a.at = now;
    a.action = "demo.create";
    a.why = "kith demo";
    a.detail = fmt::format("{{\"children\":{},\"users\":{}}}", children.size(), users.size());
    r.Audit().Append(a);
    return true;
  });
  summary.chronology_entries = CreateAccountDemo(
      store, rng, now, {children[0].id, children[1].id, children[2].id, children[3].id, children[4].id}, user_id);
  CreateEarlyHelpDemo(store, rng, now, children[1].id, user_id);
  // A family portal login (issue 5): Leo's mother, linked to Leo as if she had redeemed an
  // invitation from his social worker.
  User mother;
  mother.id = "Utracey_carter";
  mother.username = "tracey.carter";
  mother.display_name = "Tracey Carter";
  mother.role = domain::Role::kFamily;
  mother.authority_id = kAuthorityId;
  mother.password_hash = password_hash;
  store.Write([&](storage::Repositories& r) {
    Must(r.Users().Insert(mother));
    Must(r.Family().Link({mother.id, children[0].id, domain::FamilyRelation::kParentCarer, now, "demo"}));
    return true;
  });
  summary.logins.push_back(
      {mother.username, "Parent, family portal", "Leo Carter's mother: sees what the team shares with the family"});
  summary.agencies = static_cast<int>(std::size(kAgencies));
  summary.users = static_cast<int>(users.size()) + 1;  // with Leo's mother
  summary.children = static_cast<int>(children.size());
  summary.team_memberships = static_cast<int>(members.size());
  return summary;
}

void PrintDemoLogins(const DemoSummary& s, std::ostream& out) {
  out << fmt::format(
      "\nDemo data created: {} agencies, {} users, {} children, {} team memberships, {} chronology "
      "entries.\n",
      s.agencies, s.users, s.children, s.team_memberships, s.chronology_entries);
  out << fmt::format("Every demo login uses the password: {}\n\n", s.password);
  for (const auto& l : s.logins) {
    out << fmt::format("  {:<16} {:<58} {}\n", l.username, l.role, l.description);
  }
  out << "\nThese accounts exist only in the demo database.\n\n";
}

}  // namespace kith::server
