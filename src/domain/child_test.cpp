#include "domain/child.h"

#include <gtest/gtest.h>

#include "domain/user.h"

namespace kith::domain {
namespace {

const Date kToday{2026, 11, 22};

Child Valid() {
  Child c;
  c.given_names = "  Amelia ";
  c.family_name = "Hart";
  c.date_of_birth = Date{2018, 3, 4};
  c.postcode = "sw1a1aa";
  c.nhs_number = "943 476 5919";
  c.upn = "h801200001001";
  c.carers.push_back({"Dana Hart", "Mother", true, "07700 900123", "dana@example.org", ""});
  c.services.push_back({"agency-1", "Year 3", {2024, 9, 1}, std::nullopt});
  return c;
}

TEST(ChildTest, NormalisesAValidRecord) {
  Child c = Valid();
  ASSERT_TRUE(NormaliseChild(c, kToday));
  EXPECT_EQ(c.given_names, "Amelia");
  EXPECT_EQ(c.postcode, "SW1A 1AA");
  EXPECT_EQ(c.nhs_number, "9434765919");
  EXPECT_EQ(c.upn, "H801200001001");
  c.date_of_death = Date{2018, 3, 4};  // the day of birth, and today, are possible days of death
  EXPECT_TRUE(NormaliseChild(c, kToday));
  c.date_of_death = kToday;
  EXPECT_TRUE(NormaliseChild(c, kToday));
}

TEST(ChildTest, EachInvalidFieldIsNamedAndNothingChanges) {
  struct Case {
    std::string field;
    void (*spoil)(Child&);
  };
  const Case cases[] = {
      {"given_names", [](Child& c) { c.given_names = "  "; }},
      {"family_name", [](Child& c) { c.family_name = std::string(101, 'x'); }},
      {"date_of_birth",
       [](Child& c) {
         c.date_of_birth = Date{2027, 1, 1};
       }},
      {"date_of_birth",
       [](Child& c) {
         c.date_of_birth = Date{1990, 1, 1};
       }},
      {"date_of_death", [](Child& c) { c.date_of_death = Date{2026, 11, 23}; }},
      {"date_of_death", [](Child& c) { c.date_of_death = Date{2018, 3, 3}; }},
      {"date_of_death", [](Child& c) { c.date_of_death = Date{2026, 2, 30}; }},
      {"postcode", [](Child& c) { c.postcode = "12345"; }},
      {"nhs_number", [](Child& c) { c.nhs_number = "9434765918"; }},
      {"upn", [](Child& c) { c.upn = "A801200001001"; }},
      {"carers.email", [](Child& c) { c.carers[0].email = "not-an-email"; }},
      {"carers.phone", [](Child& c) { c.carers[0].phone = "call me"; }},
      {"carers.name", [](Child& c) { c.carers[0].name = ""; }},
      {"services.end",
       [](Child& c) {
         c.services[0].end = Date{2020, 1, 1};
       }},
      {"address", [](Child& c) { c.address = "line\x01injected"; }},
  };
  for (const auto& tc : cases) {
    Child c = Valid();
    tc.spoil(c);
    const Child before = c;
    auto status = NormaliseChild(c, kToday);
    ASSERT_FALSE(status) << tc.field;
    EXPECT_EQ(status.error().field, tc.field);
    EXPECT_EQ(c.given_names, before.given_names) << "record changed although invalid";
  }
}

TEST(ChildTest, PostcodeShapes) {
  EXPECT_EQ(NormalisePostcode("m1 1ae"), "M1 1AE");
  EXPECT_EQ(NormalisePostcode("EC1A1BB"), "EC1A 1BB");
  EXPECT_EQ(NormalisePostcode("B33 8TH"), "B33 8TH");
  EXPECT_EQ(NormalisePostcode("1AB 1AA"), "");
  EXPECT_EQ(NormalisePostcode("SW1A-1AA"), "");
  EXPECT_EQ(NormalisePostcode("SW1A 1A1"), "");
}

using Agencies = std::vector<std::string>;

TEST(InvolvementTest, EveryNamedAgencyOnceInOrder) {
  Child c;
  c.school_agency_id = "SCHOOL";
  c.gp_agency_id = "GP";
  c.services = {{"SCHOOL", "Year 3", {2024, 9, 1}, std::nullopt}, {"CAMHS", "Ended", {2020, 1, 1}, Date{2021, 1, 1}}};
  EXPECT_EQ(InvolvedAgencies(c), (Agencies{"CAMHS", "GP", "SCHOOL"}));
}

// A team member may not open the team to another agency by naming it (docs/access.md).
TEST(InvolvementTest, AnotherAgencyNamedByATeamMemberIsUnconfirmedUntilADeciderSendsIt) {
  Child before;
  before.gp_agency_id = "GP";
  Child after = before;
  after.school_agency_id = "SCHOOL";
  after.services = {{"YOUTH", "Detached youth work", {2026, 1, 1}, std::nullopt},
                    {"HV", "Healthy Child Programme", {2026, 1, 1}, std::nullopt}};
  const auto all = NamedInvolvement::All();
  const NamedInvolvement nothing;
  // A health visitor on the team: their own agency is confirmed, the others are not; the GP
  // practice named before stays as it was.
  EXPECT_EQ(InvolvementAfterChange(before, after, "HV", false, all), (Agencies{"SCHOOL", "YOUTH"}));
  // The same change by whoever decides joins confirms everything it names.
  EXPECT_EQ(InvolvementAfterChange(before, after, "HV", true, all), Agencies{});

  after.unconfirmed_agencies = {"SCHOOL", "YOUTH"};
  Child later = after;
  later.address = "1 New Street";
  // A change that does not name the involvement confirms nothing, even by a decider or by the
  // school itself.
  EXPECT_EQ(InvolvementAfterChange(after, later, "SCHOOL", true, nothing), (Agencies{"SCHOOL", "YOUTH"}));
  // The school's own practitioner sending the involvement confirms the school only.
  EXPECT_EQ(InvolvementAfterChange(after, later, "SCHOOL", false, all), Agencies{"YOUTH"});
  // Only the fields sent confirm: a decider who sends the services confirms the youth service, not
  // the school a team member named; the school's own practitioner sending the services (where the
  // school is not) does not confirm the school either.
  EXPECT_EQ(InvolvementAfterChange(after, later, "HV", true, {.services = true}), Agencies{"SCHOOL"});
  EXPECT_EQ(InvolvementAfterChange(after, later, "SCHOOL", false, {.services = true}), (Agencies{"SCHOOL", "YOUTH"}));
  // A decider who changes the school confirms the new school only.
  Child moved = after;
  moved.school_agency_id = "ACADEMY";
  EXPECT_EQ(InvolvementAfterChange(after, moved, "HV", true, {.school = true}), Agencies{"YOUTH"});
  // An agency no longer named is no longer unconfirmed.
  later.services.erase(later.services.begin());
  EXPECT_EQ(InvolvementAfterChange(after, later, "HV", false, all), Agencies{"SCHOOL"});
  // An actor with no agency confirms nothing of their own.
  EXPECT_EQ(InvolvementAfterChange(before, after, "", false, all), (Agencies{"HV", "SCHOOL", "YOUTH"}));
}

TEST(PasswordTest, Rules) {
  EXPECT_TRUE(ValidatePassword("correct horse battery", "amy"));
  EXPECT_FALSE(ValidatePassword("short", "amy"));
  EXPECT_FALSE(ValidatePassword("Password1234", "amy"));
  EXPECT_FALSE(ValidatePassword("aaaaaaaaaaaaaa", "amy"));
  EXPECT_FALSE(ValidatePassword("123456789012345", "amy"));
  EXPECT_FALSE(ValidatePassword("my name is amy.jones!", "amy.jones"));
  EXPECT_FALSE(ValidatePassword(std::string(129, 'q') + "x", "amy"));
}

TEST(UsernameTest, Shape) {
  EXPECT_TRUE(ValidateUsername("amy.jones"));
  EXPECT_FALSE(ValidateUsername("Amy"));
  EXPECT_FALSE(ValidateUsername("a"));
  EXPECT_FALSE(ValidateUsername("1amy"));
  EXPECT_FALSE(ValidateUsername("amy jones"));
}

}  // namespace
}  // namespace kith::domain
