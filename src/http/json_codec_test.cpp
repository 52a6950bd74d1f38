#include "http/json_codec.h"

#include <gtest/gtest.h>

namespace kith::http {
namespace {

TEST(JsonCodecTest, ChildRoundTrips) {
  json body = {{"given_names", "Amelia"},
               {"family_name", "Hart"},
               {"date_of_birth", "2018-03-04"},
               {"sex", "female"},
               {"carers", {{{"name", "Dana Hart"}, {"relationship", "Mother"}, {"parental_responsibility", true}}}},
               {"services", {{{"agency_id", "A1"}, {"description", "Year 3"}, {"start", "2024-09-01"}}}},
               {"flags", {{"looked_after", true}}}};
  auto c = ChildFromJson(body, false);
  ASSERT_TRUE(c) << c.error().field << ": " << c.error().message;
  EXPECT_EQ(c->carers[0].name, "Dana Hart");
  EXPECT_TRUE(c->flags.looked_after);
  EXPECT_EQ(c->services[0].start, (Date{2024, 9, 1}));
  json out = ToJson(*c);
  EXPECT_EQ(out["date_of_birth"], "2018-03-04");
  EXPECT_EQ(out["services"][0]["end"], nullptr);
  EXPECT_EQ(out["flags"]["looked_after"], true);
}

TEST(JsonCodecTest, RefusesUnknownFieldsWrongTypesAndMissingOnes) {
  struct Case {
    json body;
    std::string field;
  };
  const Case cases[] = {
      {{{"given_names", "A"}, {"family_name", "B"}, {"admin", true}}, "admin"},
      {{{"given_names", 7}, {"family_name", "B"}}, "given_names"},
      {{{"family_name", "B"}}, "given_names"},
      {{{"given_names", "A"}, {"family_name", "B"}, {"date_of_birth", "04/03/2018"}}, "date_of_birth"},
      {{{"given_names", "A"}, {"family_name", "B"}, {"sex", "other"}}, "sex"},
      {{{"given_names", "A"}, {"family_name", "B"}, {"carers", {{{"relationship", "Mother"}}}}}, "carers[0].name"},
      {{{"given_names", "A"}, {"family_name", "B"}, {"services", {{{"agency_id", "A1"}}}}}, "services[0].start"},
      {{{"given_names", "A"}, {"family_name", "B"}, {"flags", {{"secret", true}}}}, "flags.secret"},
      {{{"given_names", "A"}, {"family_name", "B"}, {"other_names", "not a list"}}, "other_names"},
  };
  for (const auto& tc : cases) {
    auto c = ChildFromJson(tc.body, false);
    ASSERT_FALSE(c) << tc.body.dump();
    EXPECT_EQ(c.error().field, tc.field) << tc.body.dump();
    EXPECT_EQ(c.error().code, ErrorCode::kInvalidInput);
  }
  EXPECT_EQ(ChildFromJson({{"given_names", "A"}, {"family_name", "B"}}, true).error().field, "version");
}

// Issue 18: the retention facts of the record are read, and only those sent change.
TEST(JsonCodecTest, AnUpdateCarriesTheRetentionFlagsAndTheDateOfDeath) {
  auto c = ChildChangesFromJson({{"version", 4},
                                 {"date_of_death", "2026-02-01"},
                                 {"flags", {{"care_leaver", true}, {"special_educational_needs", false}}}});
  ASSERT_TRUE(c) << c.error().field << ": " << c.error().message;
  ASSERT_TRUE(c->date_of_death.has_value());
  EXPECT_EQ(*c->date_of_death, (Date{2026, 2, 1}));
  EXPECT_EQ(c->care_leaver, true);
  EXPECT_EQ(c->special_educational_needs, false);
  EXPECT_FALSE(c->looked_after.has_value()) << "a flag not sent keeps its value";
  EXPECT_FALSE(c->date_of_birth.has_value());
  EXPECT_EQ(c->Given(), (std::vector<std::string>{"date_of_death", "flags.care_leaver", "flags.special_educational_needs"}));
  auto cleared = ChildChangesFromJson({{"version", 4}, {"date_of_death", nullptr}});
  ASSERT_TRUE(cleared);
  ASSERT_TRUE(cleared->date_of_death.has_value()) << "null clears it";
  EXPECT_FALSE(cleared->date_of_death->has_value());
  EXPECT_EQ(ChildChangesFromJson({{"version", 4}, {"date_of_death", "yesterday"}}).error().field, "date_of_death");
  EXPECT_EQ(ChildChangesFromJson({{"version", 4}, {"flags", {{"care_leaver", "yes"}}}}).error().field,
            "flags.care_leaver");
  domain::Child child;
  child.date_of_death = Date{2026, 2, 1};
  child.flags.special_educational_needs = true;
  const json out = ToJson(child);
  EXPECT_EQ(out["date_of_death"], "2026-02-01");
  EXPECT_EQ(out["flags"]["special_educational_needs"], true);
  EXPECT_EQ(out["flags"]["care_leaver"], false);
}

TEST(JsonCodecTest, UsersNeverCarryCredentials) {
  domain::User u;
  u.password_hash = "$argon2id$secret";
  u.totp_secret = "TOTPSECRET";
  const std::string text = ToJson(u).dump();
  EXPECT_EQ(text.find("argon2id"), std::string::npos);
  EXPECT_EQ(text.find("TOTPSECRET"), std::string::npos);
}

TEST(JsonCodecTest, ParseObjectRejectsNonObjects) {
  EXPECT_FALSE(ParseObject("[1,2]"));
  EXPECT_FALSE(ParseObject("{bad json"));
  EXPECT_TRUE(ParseObject("{}"));
}

}  // namespace
}  // namespace kith::http
