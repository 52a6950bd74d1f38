#include "http/account_json.h"

#include <gtest/gtest.h>

#include "http/json_codec.h"

namespace kith::http {
namespace {

const TimePoint kT0 = FromMicros(1'790'000'000'123'456);

domain::Agency MakeAgency(std::string id, std::string name) {
  return {std::move(id),           "la1",          std::move(name), domain::AgencyKind::kSchool, "01632 960001",
          "office@school.example", "1 School Lane"};
}

// Every field set, with text that needs escaping (quotes, backslashes, control characters,
// non-ASCII and invalid UTF-8), empty and absent values, and null agencies and dates.
app::ChildAccount RichAccount() {
  app::ChildAccount a;
  domain::Child& c = a.child;
  c.id = "K0123456789ABCDEF";
  c.authority_id = "la1";
  c.version = 7;
  c.given_names = "Zoë \"Zee\" Anne";
  c.family_name = "O'Brien\\Smith";
  c.other_names = {"Zoe Smith", "Line\nbreak\ttab\x01"};
  c.date_of_birth = Date{2018, 3, 4};
  c.sex = domain::Sex::kFemale;
  c.address = "4 Mill Row, Northbrook \xff\xfe";
  c.postcode = "NB1 2AB";
  c.nhs_number = "9434765919";
  c.carers = {{"Dana Hart", "Mother", true, "07700 900123", "dana@example.org", ""},
              {"Lee Hart", "Father", false, "", "", "9 Other Road"}};
  c.school_agency_id = "ag-school";
  c.services = {{"ag-school", "Year 3", {2024, 9, 1}, std::nullopt},
                {"ag-gp", "Registered", {2018, 3, 20}, Date{2026, 1, 1}}};
  c.flags = {true, false, true, true, false};
  c.date_of_death = Date{2026, 2, 1};
  c.shielded = true;
  c.created_at = kT0;
  c.updated_at = kT0 + std::chrono::hours(5);
  a.team = {
      {{c.id, "u1", "Social worker", "Allocated", kT0, true},
       "Sam Hughes",
       "Social worker",
       "s@x.example",
       "0161",
       MakeAgency("ag-csc", "Children's Services")},
      {{c.id, "u2", "Class teacher", "Concern \u2014 \"urgent\"", kT0, false}, "Ellis", "", "", "", std::nullopt}};
  a.agencies = {MakeAgency("ag-school", "Hillside Primary"), MakeAgency("ag-gp", "Brook Surgery")};
  a.access = "team member";
  return a;
}

std::string Reference(const app::ChildAccount& a) {
  return ToJson(a).dump(-1, ' ', false, json::error_handler_t::replace);
}

TEST(AccountJson, MatchesTheCodecByteForByte) {
  const auto a = RichAccount();
  EXPECT_EQ(EncodeChildAccount(a), Reference(a));
}

TEST(AccountJson, MatchesTheCodecWithEmptyListsAndNoDateOfBirth) {
  app::ChildAccount a;
  a.child.id = "K1";
  a.child.created_at = kT0;
  a.child.updated_at = kT0;
  EXPECT_EQ(EncodeChildAccount(a), Reference(a));
  EXPECT_TRUE(json::accept(EncodeChildAccount(a)));
}

}  // namespace
}  // namespace kith::http
