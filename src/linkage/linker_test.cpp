#include "linkage/linker.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>

#include "linkage/evaluate.h"

namespace kith::linkage {
namespace {

std::string DataDir() {
  const char* source = std::getenv("KITH_SOURCE_DIR");
  return std::string(source != nullptr ? source : ".") + "/../shared/data/linkage";
}

InputRecord Rec(std::string id, std::string given, std::string family, std::string dob, std::string postcode,
                std::string nhs = "") {
  InputRecord r;
  r.record_id = std::move(id);
  r.given_name = std::move(given);
  r.family_name = std::move(family);
  r.date_of_birth = std::move(dob);
  r.postcode = std::move(postcode);
  r.nhs_number = std::move(nhs);
  r.sex = "F";
  return r;
}

TEST(LinkerTest, RejectsInconsistentThresholds) {
  LinkOptions options;
  options.match_probability = 0.4;
  options.review_probability = 0.6;
  EXPECT_FALSE(Link({Rec("a", "Amy", "Smith", "2015-01-01", "LS1 1AA")}, options).ok());
}

TEST(LinkerTest, EmptyInputGivesEmptyResult) {
  auto result = Link({}, LinkOptions{});
  ASSERT_TRUE(result.ok());
  EXPECT_TRUE(result->cluster_of.empty());
}

// With a fixed model, small cases show each rule on its own.
Model FixedModel() {
  Model model({{ComparisonKind::kGivenName, 0, "given_name"},
               {ComparisonKind::kFamilyName, 0, "family_name"},
               {ComparisonKind::kDateOfBirth, 0, "date_of_birth"},
               {ComparisonKind::kSex, 0, "sex"},
               {ComparisonKind::kPostcode, 0, "postcode"},
               {ComparisonKind::kNhsNumber, 0, "nhs_number"}});
  model.prior = 1e-3;
  model.tf_weight = 0;
  model.Finalise();
  return model;
}

TEST(LinkerTest, TwinsAreNotMergedButNicknamesAre) {
  const Model model = FixedModel();
  LinkOptions options;
  options.model = &model;
  options.threads = 1;
  const std::vector<InputRecord> records = {
      Rec("1", "William", "Featherstonehaugh", "2016-04-02", "YO1 7HH"),
      Rec("2", "Bill", "Featherstonehaugh", "2016-04-02", "YO1 7HH"),
      Rec("3", "Olivia", "Featherstonehaugh", "2016-04-02", "YO1 7HH"),  // William's twin
  };
  auto result = Link(records, options);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->cluster_of[0], result->cluster_of[1]);
  EXPECT_NE(result->cluster_of[0], result->cluster_of[2]);
  EXPECT_GE(result->stats.sibling_guarded, 1u);

  options.sibling_guard = false;  // the rule is what keeps the twins apart
  auto unguarded = Link(records, options);
  ASSERT_TRUE(unguarded.ok());
  EXPECT_EQ(unguarded->cluster_of[0], unguarded->cluster_of[2]);
}

// Two newborns recorded with placeholders ("Baby", ZZ99 for no fixed abode, 1 January for an
// unknown day) share only a surname and a year: not enough to be one child. Without reading the
// placeholders as missing they agreed exactly on every field.
TEST(LinkerTest, PlaceholdersAreNotEvidence) {
  const Model model = FixedModel();
  LinkOptions options;
  options.model = &model;
  options.threads = 1;
  const std::vector<InputRecord> records = {Rec("1", "Baby", "Featherstonehaugh", "2024-01-01", "ZZ99 3VZ"),
                                            Rec("2", "Baby", "Featherstonehaugh", "2024-01-01", "ZZ99 3VZ"),
                                            Rec("3", "Amara", "Okafor", "2024-01-01", "LS1 1AA"),
                                            Rec("4", "Amara", "Okafor", "2024-01-01", "LS1 1AA")};
  auto result = Link(records, options);
  ASSERT_TRUE(result.ok());
  EXPECT_NE(result->cluster_of[0], result->cluster_of[1]);
  for (const ScoredPair& p : result->pairs) EXPECT_FALSE(p.a == 0 && p.b == 1 && p.outcome == Outcome::kMatch);
  // Real names and a real postcode still link with a defaulted date.
  EXPECT_EQ(result->cluster_of[2], result->cluster_of[3]);
}

// FixedModel with one level's weight set to log2(m/u) = `weight` (u moved, m kept).
Model WithWeight(Model model, ComparisonKind kind, int level, double weight) {
  for (size_t c = 0; c < model.size(); ++c) {
    if (model.comparisons()[c].kind == kind) model.u[c][level] = model.m[c][level] / std::exp2(weight);
  }
  model.Finalise();
  return model;
}

// Links two records and returns the outcome of their pair (non-match when not scored) and
// whether they share a cluster.
std::pair<Outcome, bool> LinkTwo(const InputRecord& a, const InputRecord& b, const Model& model,
                                 uint32_t strong_evidence = kStrongEvidenceDefault) {
  LinkOptions options;
  options.model = &model;
  options.threads = 1;
  options.keep_match_pairs = true;
  options.strong_evidence = strong_evidence;
  options.strong_evidence_from_data = false;  // each part in force without settled pairs
  auto result = Link({a, b}, options);
  EXPECT_TRUE(result.ok());
  if (!result.ok()) return {Outcome::kNonMatch, false};
  Outcome outcome = Outcome::kNonMatch;
  for (const ScoredPair& p : result->pairs) outcome = p.outcome;
  return {outcome, result->cluster_of[0] == result->cluster_of[1]};
}

// The strong-evidence rule (issue 19), part by part: each shape is an automatic match without
// the rule and a review with it.
TEST(StrongEvidenceTest, TwinsWithNamesOneSlipApartAreQueuedNotMerged) {
  const Model model = FixedModel();
  const InputRecord zayn = Rec("1", "Zayn", "Bond", "2017-05-09", "LS6 2AB");
  const InputRecord zain = Rec("2", "Zain", "Bond", "2017-05-09", "LS6 2AB");
  EXPECT_EQ(LinkTwo(zayn, zain, model, 0), std::make_pair(Outcome::kMatch, true));
  EXPECT_EQ(LinkTwo(zayn, zain, model, kStrongHouseholdGivenSlip), std::make_pair(Outcome::kReview, false));
  EXPECT_EQ(LinkTwo(zayn, zain, model), std::make_pair(Outcome::kReview, false));
  // Not one household (another sector): the slip is matched on its evidence.
  EXPECT_EQ(LinkTwo(zayn, Rec("2", "Zain", "Bond", "2017-05-09", "LS9 7QT"), WithWeight(model, ComparisonKind::kPostcode, 1, 0)),
            std::make_pair(Outcome::kMatch, true));
}

TEST(StrongEvidenceTest, ASiblingsNhsNumberWithAnotherNameAndDateIsNotMerged) {
  // An NHS number that agrees is worth 30 bits here, enough to outweigh any disagreement.
  const Model model = WithWeight(FixedModel(), ComparisonKind::kNhsNumber, 3, 30);
  const InputRecord darryn = Rec("1", "Darryn", "Daniel", "2013-06-21", "M14 5RT", "9434765919");
  const InputRecord trecer = Rec("2", "Trecer", "Daniel", "2011-02-03", "M14 5RT", "9434765919");
  EXPECT_EQ(LinkTwo(darryn, trecer, model, 0), std::make_pair(Outcome::kMatch, true));
  EXPECT_EQ(LinkTwo(darryn, trecer, model, kStrongIdentifierContradicted), std::make_pair(Outcome::kReview, false));
  EXPECT_EQ(LinkTwo(darryn, trecer, model), std::make_pair(Outcome::kReview, false));
  // The NHS number with the same child's details (a typo in the date, a nickname) still joins.
  EXPECT_EQ(LinkTwo(darryn, Rec("2", "Darryn", "Daniel", "2013-06-12", "M14 5RT", "9434765919"), model),
            std::make_pair(Outcome::kMatch, true));
  EXPECT_EQ(LinkTwo(darryn, Rec("2", "Daryn", "Daniel", "2011-02-03", "M14 5RT", "9434765919"), model),
            std::make_pair(Outcome::kMatch, true));
}

TEST(StrongEvidenceTest, SiblingsAtOneAddressWithDatesApartAreQueued) {
  // Dates of birth years apart weigh little here, as in populations with many date errors.
  Model with_full_name({{ComparisonKind::kGivenName, 0, "given_name"},
                        {ComparisonKind::kFamilyName, 0, "family_name"},
                        {ComparisonKind::kFullName, 0, "full_name"},
                        {ComparisonKind::kDateOfBirth, 0, "date_of_birth"},
                        {ComparisonKind::kSex, 0, "sex"},
                        {ComparisonKind::kPostcode, 0, "postcode"}});
  with_full_name.prior = 1e-3;
  with_full_name.tf_weight = 0;
  const Model model = WithWeight(with_full_name, ComparisonKind::kDateOfBirth, 1, -1);
  const InputRecord older = Rec("1", "Caleb", "Okoye", "2009-03-14", "B11 4LT");
  const InputRecord younger = Rec("2", "Caleb", "Okoye", "2014-08-30", "B11 4LT");
  EXPECT_EQ(LinkTwo(older, younger, model, 0), std::make_pair(Outcome::kMatch, true));
  EXPECT_EQ(LinkTwo(older, younger, model, kStrongHouseholdDate), std::make_pair(Outcome::kReview, false));
  EXPECT_EQ(LinkTwo(older, younger, model), std::make_pair(Outcome::kReview, false));
  // Full names that agree at half their tokens beyond the surname are one person (a source
  // about adults with noisy dates), and exempt from the household parts.
  InputRecord a = older;
  InputRecord b = younger;
  a.full_name = "Caleb Adebayo Okoye";
  b.full_name = "Caleb Adebayo Okoye";
  EXPECT_EQ(LinkTwo(a, b, model).second, true);
  EXPECT_EQ(LinkTwo(a, b, model, kStrongHouseholdDate).second, false);
}

TEST(StrongEvidenceTest, AnInitialOrNoGivenNameGoesToReview) {
  const Model model = FixedModel();
  const InputRecord leo = Rec("1", "Leo", "Carter", "2025-04-02", "NB1 2AB");
  for (const char* given : {"L", "", "Baby"}) {
    const InputRecord initial = Rec("2", given, "Carter", "2025-04-02", "NB1 2AB");
    EXPECT_EQ(LinkTwo(leo, initial, model, 0), std::make_pair(Outcome::kMatch, true)) << given;
    EXPECT_EQ(LinkTwo(leo, initial, model, kStrongNoGivenName), std::make_pair(Outcome::kReview, false)) << given;
    EXPECT_EQ(LinkTwo(leo, initial, model), std::make_pair(Outcome::kReview, false)) << given;
  }
  // With an NHS number that agrees the record joins.
  EXPECT_EQ(LinkTwo(Rec("1", "Leo", "Carter", "2025-04-02", "NB1 2AB", "9434765919"),
                    Rec("2", "L", "Carter", "2025-04-02", "NB1 2AB", "9434765919"), model),
            std::make_pair(Outcome::kMatch, true));
}

TEST(StrongEvidenceTest, ANearDateWithAFamilyNameOneSlipOffGoesToReviewButATypoJoins) {
  const Model model = FixedModel();
  const InputRecord leo = Rec("1", "Leo", "Carter", "2025-04-02", "NB1 2AB");
  const InputRecord karter = Rec("2", "Leo", "Karter", "2025-02-04", "NB1 2AD");  // day and month swapped
  EXPECT_EQ(LinkTwo(leo, karter, model, 0), std::make_pair(Outcome::kMatch, true));
  EXPECT_EQ(LinkTwo(leo, karter, model, kStrongNearDateAndFamily), std::make_pair(Outcome::kReview, false));
  EXPECT_EQ(LinkTwo(leo, karter, model), std::make_pair(Outcome::kReview, false));
  // A true match with one typo is still joined: the surname, or the date, or the postcode.
  EXPECT_EQ(LinkTwo(leo, Rec("2", "Leo", "Crater", "2025-04-02", "NB1 2AB"), model), std::make_pair(Outcome::kMatch, true));
  EXPECT_EQ(LinkTwo(leo, Rec("2", "Leo", "Carter", "2025-04-03", "NB1 2AB"), model), std::make_pair(Outcome::kMatch, true));
  EXPECT_EQ(LinkTwo(leo, Rec("2", "Leo", "Carter", "2025-04-02", "NB1 2AD"), model), std::make_pair(Outcome::kMatch, true));
}

// By default a part is in force only when the data shows its shape between children whose NHS
// numbers tell them apart: here two pairs of twins with their own NHS numbers and names one slip
// apart. Then a third pair of twins without NHS numbers is queued, not merged.
TEST(StrongEvidenceTest, APartIsInForceWhenTheDataShowsItsShapeBetweenChildrenWithTheirOwnNhsNumbers) {
  const Model model = FixedModel();
  LinkOptions options;
  options.model = &model;
  options.threads = 1;
  std::vector<InputRecord> records = {Rec("1", "Safa", "Khan", "2016-02-11", "BD7 1AB"),
                                      Rec("2", "Sana", "Khan", "2016-02-11", "BD7 1AB")};
  auto alone = Link(records, options);
  ASSERT_TRUE(alone.ok());
  EXPECT_EQ(alone->cluster_of[0], alone->cluster_of[1]);  // nothing shows that twins have such names
  EXPECT_EQ(alone->stats.strong_evidence_in_force, static_cast<uint32_t>(kStrongIdentifierContradicted));

  records.push_back(Rec("3", "Zayn", "Bond", "2017-05-09", "LS6 2AB", "9434765919"));
  records.push_back(Rec("4", "Zain", "Bond", "2017-05-09", "LS6 2AB", "9434765870"));
  records.push_back(Rec("5", "Rosie", "Adeyemi", "2015-10-30", "SE15 4QT", "4010232137"));
  records.push_back(Rec("6", "Roxie", "Adeyemi", "2015-10-30", "SE15 4QT", "4010232129"));
  auto settled = Link(records, options);
  ASSERT_TRUE(settled.ok());
  EXPECT_NE(settled->cluster_of[0], settled->cluster_of[1]);
  EXPECT_NE(settled->stats.strong_evidence_in_force & kStrongHouseholdGivenSlip, 0u);
  EXPECT_EQ(settled->stats.strong_evidence_in_force & kStrongHouseholdDate, 0u);
  EXPECT_EQ(StrongEvidenceParts(alone->stats.strong_evidence_in_force), "identifier contradicted");
  EXPECT_NE(StrongEvidenceParts(settled->stats.strong_evidence_in_force).find("household given-name slip"),
            std::string::npos);
  EXPECT_EQ(StrongEvidenceParts(0), "none");
  EXPECT_GE(settled->stats.strong_evidence_reviews, 1u);
  EXPECT_NE(settled->cluster_of[2], settled->cluster_of[3]);  // their NHS numbers differ
  EXPECT_NE(settled->cluster_of[4], settled->cluster_of[5]);

  options.strong_evidence_min_pairs = 3;  // two pairs are not enough
  auto fewer = Link(records, options);
  ASSERT_TRUE(fewer.ok());
  EXPECT_EQ(fewer->cluster_of[0], fewer->cluster_of[1]);
}

TEST(LinkerTest, SimilarGivenNamesGoToReviewUnlessTheOptionIsOff) {
  const Model model = FixedModel();
  LinkOptions options;
  options.model = &model;
  options.threads = 1;
  // Graham/Graeme: similar (one phonetic code), neither a typo nor a nickname of the other;
  // everything else agrees, as it would for twins.
  const std::vector<InputRecord> records = {Rec("1", "Graham", "Featherstonehaugh", "2016-04-02", "YO1 7HH"),
                                            Rec("2", "Graeme", "Featherstonehaugh", "2016-04-02", "YO1 7HH")};
  auto capped = Link(records, options);
  ASSERT_TRUE(capped.ok());
  EXPECT_NE(capped->cluster_of[0], capped->cluster_of[1]);
  ASSERT_EQ(capped->pairs.size(), 1u);
  EXPECT_EQ(capped->pairs[0].outcome, Outcome::kReview);
  EXPECT_TRUE(capped->pairs[0].sibling_guard);

  options.similar_given_names_to_review = false;
  auto matched = Link(records, options);
  ASSERT_TRUE(matched.ok());
  EXPECT_EQ(matched->cluster_of[0], matched->cluster_of[1]);
  EXPECT_EQ(matched->stats.sibling_guarded, 0u);
}

// A given name found among the other record's full-name tokens (a middle name used as the first
// name) is not the twins-and-siblings signal of two different given names.
TEST(LinkerTest, GivenNameInsideTheOtherFullNameIsNotASibling) {
  const Model model = FixedModel();
  LinkOptions options;
  options.model = &model;
  options.threads = 1;
  std::vector<InputRecord> records = {
      Rec("1", "Thomas", "Featherstonehaugh", "2016-04-02", "YO1 7HH"),
      Rec("2", "Clifford", "Featherstonehaugh", "2016-04-02", "YO1 7HH"),
      Rec("3", "Olivia", "Featherstonehaugh", "2016-04-02", "YO1 7HH"),  // a twin
  };
  records[0].full_name = "Thomas Clifford Featherstonehaugh";
  records[1].full_name = "Clifford Featherstonehaugh";
  records[2].full_name = "Olivia Featherstonehaugh";
  auto result = Link(records, options);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->cluster_of[0], result->cluster_of[1]);
  EXPECT_NE(result->cluster_of[0], result->cluster_of[2]);

  records[0].full_name = "Thomas Featherstonehaugh";  // no shared token: the rule applies
  auto apart = Link(records, options);
  ASSERT_TRUE(apart.ok());
  EXPECT_NE(apart->cluster_of[0], apart->cluster_of[1]);
}

TEST(LinkerTest, DifferentNhsNumbersNeverShareACluster) {
  const Model model = FixedModel();
  LinkOptions options;
  options.model = &model;
  options.sibling_guard = false;
  options.threads = 1;
  // Two children with the same details but different NHS numbers, and a record without one
  // that matches both: it may join one of them, never both.
  auto result = Link({Rec("1", "Amy", "Smith", "2016-04-02", "YO1 7HH", "9434765919"),
                      Rec("2", "Amy", "Smith", "2016-04-02", "YO1 7HH"),
                      Rec("3", "Amy", "Smith", "2016-04-02", "YO1 7HH", "4010232137")},
                     options);
  ASSERT_TRUE(result.ok());
  EXPECT_NE(result->cluster_of[0], result->cluster_of[2]);
  EXPECT_GE(result->stats.identifier_conflicts + result->stats.reviews, 1u);
}

// Candidate pairs (returned with their scores) of `records` under `rules` alone.
std::vector<std::pair<uint32_t, uint32_t>> CandidatePairs(const std::vector<InputRecord>& records,
                                                          std::vector<BlockingRule> rules) {
  const Model model = FixedModel();
  LinkOptions options;
  options.model = &model;
  options.threads = 1;
  options.keep_match_pairs = true;
  options.sibling_guard = false;
  options.review_probability = 1e-12;  // every compared pair comes back
  options.blocking_rules = std::move(rules);
  auto result = Link(records, options);
  EXPECT_TRUE(result.ok());
  std::vector<std::pair<uint32_t, uint32_t>> pairs;
  for (const ScoredPair& p : result->pairs) pairs.emplace_back(p.a, p.b);
  return pairs;
}

InputRecord FullNameRec(std::string id, std::string given, std::string full, std::string dob, std::string postcode) {
  InputRecord r = Rec(std::move(id), std::move(given), "", std::move(dob), std::move(postcode));
  r.full_name = std::move(full);
  return r;
}

TEST(LinkerTest, NameTokenBlockingFindsNamesInAnyColumn) {
  using P = BlockPart;
  // Record 1 gives the surname alone as its given name; 0 and 1 share the token "kerr" and the
  // date, 0 and 2 the token "william" and the date; 3 shares only one-letter tokens with 0.
  const std::vector<InputRecord> records = {
      FullNameRec("0", "William", "William Alexander Kerr", "1831-07-18", "DY4 8RP"),
      FullNameRec("1", "Kerr", "Kerr", "1831-07-18", ""),
      FullNameRec("2", "William", "William Hooker", "1831-07-18", "NR1 3BB"),
      FullNameRec("3", "J", "J A", "1831-07-18", "")};
  using Pairs = std::vector<std::pair<uint32_t, uint32_t>>;
  EXPECT_EQ(CandidatePairs(records, {{"t", {P::kNameToken, P::kDateOfBirth}}}), (Pairs{{0, 1}, {0, 2}}));
  // No full name, no key.
  std::vector<InputRecord> no_full = records;
  for (InputRecord& r : no_full) r.full_name.clear();
  EXPECT_TRUE(CandidatePairs(no_full, {{"t", {P::kNameToken, P::kDateOfBirth}}}).empty());
}

// The number of distinct pairs compared under `rules` (the default rules when empty).
size_t CandidateCount(const std::vector<InputRecord>& records, std::vector<BlockingRule> rules,
                      size_t max_block_size = LinkOptions{}.max_block_size, size_t* oversized = nullptr) {
  const Model model = FixedModel();
  LinkOptions options;
  options.model = &model;
  options.threads = 1;
  options.blocking_rules = std::move(rules);
  options.max_block_size = max_block_size;
  auto result = Link(records, options);
  EXPECT_TRUE(result.ok());
  if (!result.ok()) return 0;
  if (oversized != nullptr) *oversized = result->stats.oversized_blocks;
  return result->stats.candidate_pairs;
}

std::vector<BlockingRule> DefaultRulesWithout(std::string_view name) {
  std::vector<BlockingRule> rules = DefaultBlockingRules();
  const size_t before = rules.size();
  std::erase_if(rules, [&](const BlockingRule& r) { return r.name == name; });
  EXPECT_EQ(rules.size() + 1, before) << name;
  return rules;
}

InputRecord Located(InputRecord r, std::string full_name, std::string locality) {
  r.full_name = std::move(full_name);
  r.locality = std::move(locality);
  return r;
}

// For each default rule, two records that share its key and no other rule's: they are compared
// under the default rules, not without that rule, and not once one of the rule's parts is
// missing from one record.
TEST(LinkerTest, EachDefaultBlockingKeyFindsPairsSharingOnlyIt) {
  using Strip = std::function<void(InputRecord&)>;
  const Strip no_nhs = [](InputRecord& r) { r.nhs_number.clear(); };
  const Strip no_upn = [](InputRecord& r) { r.upn.clear(); };
  const Strip no_identifier = [](InputRecord& r) { r.identifier.clear(); };
  const Strip no_given = [](InputRecord& r) { r.given_name.clear(); };
  const Strip no_family = [](InputRecord& r) { r.family_name.clear(); };
  const Strip no_dob = [](InputRecord& r) { r.date_of_birth.clear(); };
  const Strip no_postcode = [](InputRecord& r) { r.postcode.clear(); };
  const Strip no_full_name = [](InputRecord& r) { r.full_name.clear(); };
  const Strip no_locality = [](InputRecord& r) { r.locality.clear(); };
  const Strip bad_dob = [](InputRecord& r) { r.date_of_birth = "April 2016"; };
  struct Case {
    std::string rule;
    InputRecord a;
    InputRecord b;
    std::vector<Strip> strips;
  };
  InputRecord upn_a = Rec("a", "Amelia", "Hart", "2016-04-02", "NB1 2AB");
  InputRecord upn_b = Rec("b", "Oscar", "Whitfield", "2012-11-23", "LS6 3QR");
  upn_a.upn = "H801200001001";
  upn_b.upn = "h801 2000 01001";
  InputRecord id_a = Rec("a", "Amelia", "Hart", "2016-04-02", "NB1 2AB");
  InputRecord id_b = Rec("b", "Oscar", "Whitfield", "2012-11-23", "LS6 3QR");
  id_a.identifier = "KX-4471";
  id_b.identifier = "kx-4471";
  const std::vector<Case> cases = {
      {"nhs_number",
       Rec("a", "Amelia", "Hart", "2016-04-02", "NB1 2AB", "943 476 5919"),
       Rec("b", "Oscar", "Whitfield", "2012-11-23", "LS6 3QR", "9434765919"),
       {no_nhs}},
      {"upn", upn_a, upn_b, {no_upn}},
      {"identifier", id_a, id_b, {no_identifier}},
      {"family_phonetic+birth_year+given_initial",
       Rec("a", "Amelia", "Smith", "2016-04-02", "NB1 2AB"),
       Rec("b", "Anna", "Smyth", "2016-09-15", "LS6 3QR"),
       {no_family, no_dob, no_given}},
      {"date_of_birth+postcode_district",
       Rec("a", "Amelia", "Hart", "2016-04-02", "LS6 3QR"),
       Rec("b", "Oscar", "Whitfield", "2016-04-02", "LS6 1AB"),
       {no_dob, no_postcode, bad_dob}},
      {"given_phonetic+date_of_birth",
       Rec("a", "Amelia", "Hart", "2016-04-02", "NB1 2AB"),
       Rec("b", "Amelia", "Whitfield", "2016-04-02", "LS6 3QR"),
       {no_given, no_dob}},
      {"family_phonetic+date_of_birth",
       Rec("a", "Amelia", "Hart", "2016-04-02", "NB1 2AB"),
       Rec("b", "Oscar", "Hart", "2016-04-02", "LS6 3QR"),
       {no_family, no_dob}},
      {"given_phonetic+family_phonetic+postcode_district",
       Rec("a", "Amelia", "Smith", "2016-04-02", "LS6 3QR"),
       Rec("b", "Amelia", "Smyth", "2012-11-23", "LS6 1AB"),
       {no_given, no_family, no_postcode}},
      {"family_name+given_phonetic",
       Rec("a", "Amelia", "Hart", "2016-04-02", "NB1 2AB"),
       Rec("b", "Amelia", "Hart", "2012-11-23", "LS6 3QR"),
       {no_family, no_given}},
      {"given_phonetic+family_phonetic+birth_month_day",
       Rec("a", "Amelia", "Smith", "2016-04-02", "NB1 2AB"),
       Rec("b", "Amelia", "Smyth", "2013-04-02", "LS6 3QR"),
       {no_given, no_family, no_dob}},
      {"name_token+date_of_birth",
       Located(Rec("a", "", "", "2016-04-02", "NB1 2AB"), "Rose Amelia Hart", ""),
       Located(Rec("b", "", "", "2016-04-02", "LS6 3QR"), "Oscar Hart", ""),
       {no_full_name, no_dob}},
      {"name_token+postcode_district",
       Located(Rec("a", "", "", "2016-04-02", "LS6 3QR"), "Rose Amelia Hart", ""),
       Located(Rec("b", "", "", "2012-11-23", "LS6 1AB"), "Oscar Hart", ""),
       {no_full_name, no_postcode}},
      {"name_token+locality",
       Located(Rec("a", "", "", "2016-04-02", "NB1 2AB"), "Rose Amelia Hart", "Headingley"),
       Located(Rec("b", "", "", "2012-11-23", "LS6 3QR"), "Oscar Hart", "headingley"),
       {no_full_name, no_locality}},
  };
  // Every default rule has a case.
  std::set<std::string> covered;
  for (const Case& c : cases) covered.insert(c.rule);
  for (const BlockingRule& rule : DefaultBlockingRules()) EXPECT_TRUE(covered.count(rule.name)) << rule.name;

  for (const Case& c : cases) {
    SCOPED_TRACE(c.rule);
    EXPECT_EQ(CandidateCount({c.a, c.b}, {}), 1u);
    EXPECT_EQ(CandidateCount({c.a, c.b}, DefaultRulesWithout(c.rule)), 0u);
    for (size_t i = 0; i < c.strips.size(); ++i) {
      InputRecord b = c.b;
      c.strips[i](b);
      EXPECT_EQ(CandidateCount({c.a, b}, {}), 0u) << "part " << i << " missing";
    }
  }
}

TEST(LinkerTest, APairSharingNoBlockingKeyIsNotCompared) {
  InputRecord a = Located(Rec("a", "Amelia", "Hart", "2016-04-02", "NB1 2AB", "9434765919"), "Amelia Hart", "Morpeth");
  InputRecord b =
      Located(Rec("b", "Oscar", "Whitfield", "2012-11-23", "LS6 3QR", "4010232137"), "Oscar Whitfield", "Headingley");
  a.upn = "H801200001001";
  b.upn = "R801120010012";
  EXPECT_EQ(CandidateCount({a, b}, {}), 0u);
  // The same two records with one date of birth and postcode district are compared.
  b.date_of_birth = a.date_of_birth;
  b.postcode = "NB1 9ZZ";
  EXPECT_EQ(CandidateCount({a, b}, {}), 1u);
}

TEST(LinkerTest, InvalidIdentifiersMakeNoBlockingKey) {
  // The same NHS number and UPN, each with a wrong check digit or letter: not identifiers, so
  // they block nothing.
  InputRecord a = Rec("a", "Amelia", "Hart", "2016-04-02", "NB1 2AB", "9434765918");
  InputRecord b = Rec("b", "Oscar", "Whitfield", "2012-11-23", "LS6 3QR", "9434765918");
  a.upn = "A801200001001";
  b.upn = "A801200001001";
  EXPECT_EQ(CandidateCount({a, b}, {}), 0u);
  a.nhs_number = b.nhs_number = "9434765919";
  EXPECT_EQ(CandidateCount({a, b}, {}), 1u);
}

TEST(LinkerTest, BlocksOverTheSizeCapAreSkippedAndCounted) {
  // Five records share a family name; two of them also share a date of birth and district.
  std::vector<InputRecord> records = {Rec("0", "Amelia", "Smith", "2016-04-02", "NB1 2AB"),
                                      Rec("1", "Oscar", "Smith", "2012-11-23", "LS6 3QR"),
                                      Rec("2", "Isla", "Smith", "2010-01-30", "YO1 7HH"),
                                      Rec("3", "Noah", "Smith", "2014-06-09", "M1 1AE"),
                                      Rec("4", "Ruby", "Smith", "2016-04-02", "NB1 4XY")};
  const std::vector<BlockingRule> by_family = {{"family_name", {BlockPart::kFamilyName}}};
  size_t oversized = 99;
  // A block as big as the cap is compared in full: 5 × 4 / 2 pairs.
  EXPECT_EQ(CandidateCount(records, by_family, 5, &oversized), 10u);
  EXPECT_EQ(oversized, 0u);
  // One over the cap: skipped, and reported.
  EXPECT_EQ(CandidateCount(records, by_family, 4, &oversized), 0u);
  EXPECT_EQ(oversized, 1u);
  // Another rule still finds its pairs among the skipped block's records.
  std::vector<BlockingRule> both = by_family;
  both.push_back({"date_of_birth+postcode_district", {BlockPart::kDateOfBirth, BlockPart::kPostcodeDistrict}});
  EXPECT_EQ(CandidateCount(records, both, 4, &oversized), 1u);
  EXPECT_EQ(oversized, 1u);
  // The default cap is documented as 1000.
  EXPECT_EQ(LinkOptions{}.max_block_size, 1000u);
}

TEST(LinkerTest, ThresholdsDecideTheOutcome) {
  const Model model = FixedModel();
  LinkOptions options;
  options.model = &model;
  options.threads = 1;
  options.keep_match_pairs = true;
  options.review_probability = 1e-6;  // so that the pair is returned whatever its score
  options.blocking_rules = {{"family_name", {BlockPart::kFamilyName}}};
  // Agreement on family name and sex only: a probability well away from 0 and 1.
  const std::vector<InputRecord> records = {Rec("1", "Amy", "Smith", "2016-04-02", "YO1 7HH"),
                                            Rec("2", "", "Smith", "", "")};
  auto result = Link(records, options);
  ASSERT_TRUE(result.ok());
  ASSERT_EQ(result->pairs.size(), 1u);
  const double p = Model::ToProbability(result->pairs[0].weight);
  EXPECT_EQ(result->pairs[0].outcome, p >= options.match_probability ? Outcome::kMatch : Outcome::kReview);

  ASSERT_GT(p, 0.01);
  ASSERT_LT(p, 0.99);
  options.match_probability = Model::ToProbability(result->pairs[0].weight + 1);
  options.review_probability = Model::ToProbability(result->pairs[0].weight - 1);
  auto review = Link(records, options);
  ASSERT_TRUE(review.ok());
  ASSERT_EQ(review->pairs.size(), 1u);
  EXPECT_EQ(review->pairs[0].outcome, Outcome::kReview);
  EXPECT_NE(review->cluster_of[0], review->cluster_of[1]);
}

TEST(LinkerTest, LinkCsvFileWritesEveryRow) {
  const std::string in_path = ::testing::TempDir() + "/kith_link_in.csv";
  const std::string out_path = ::testing::TempDir() + "/kith_link_out.csv";
  {
    std::ofstream f(in_path);
    f << "record_id,given_name,family_name,date_of_birth,postcode\n"
         "a,Amy,Smith,2015-01-01,LS1 1AA\n"
         "b,Amy,Smith,2015-01-01,LS1 1AA\n"
         "c,Bad\n"
         "d,Zed,Jones,2010-05-05,M1 1AE\n";
  }
  LinkCsvOptions options;
  options.link.threads = 1;
  auto summary = LinkCsvFile({in_path}, out_path, options);
  ASSERT_TRUE(summary.ok()) << summary.error().message;
  EXPECT_EQ(summary->rows_read, 3u);
  ASSERT_EQ(summary->row_errors.size(), 1u);
  EXPECT_EQ(summary->row_errors[0].line, 4u);
  std::ifstream out(out_path);
  std::stringstream text;
  text << out.rdbuf();
  EXPECT_EQ(text.str().substr(0, 21), "record_id,cluster_id\n");
  EXPECT_NE(text.str().find("a,"), std::string::npos);
  EXPECT_NE(text.str().find("d,"), std::string::npos);
  EXPECT_FALSE(LinkCsvFile({in_path + ".missing"}, out_path, options).ok());
}

// CI accuracy gate on the public FEBRL dataset1 (1,000 records, 500 true pairs).
TEST(LinkerAccuracyTest, FebrlDataset1) {
  auto loaded = ReadRecordsCsvFile(DataDir() + "/febrl/dataset1.csv", {});
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  ASSERT_EQ(loaded->records.size(), 1000u);
  EXPECT_TRUE(loaded->errors.empty());
  LinkOptions options;
  options.threads = 2;
  options.text_names = loaded->schema.text_columns;
  auto result = Link(loaded->records, options);
  ASSERT_TRUE(result.ok()) << result.error().message;
  const PairwiseMetrics m = EvaluatePairwise(result->cluster_of, TruthEntities(loaded->records));
  EXPECT_EQ(m.true_pairs, 500u);
  EXPECT_GE(m.precision, 0.99);
  EXPECT_GE(m.recall, 0.96);
  EXPECT_GE(m.f1, 0.98);
}

// Splink's historical_50k: large clusters whose records resemble parts of several people. Weak
// links must not chain clusters together (cluster_join_margin); with the rule off precision
// falls to about 0.41. Recall comes from names in other fields (given name inside the other
// full name, full-name token blocking, a single name compared with the family name) and
// nicknames: F1 0.70, 0.75 with nicknames, 0.865 with the full-name work, 0.917 with name
// groups (Fred/Alfred, Carl/Charles), titles and initials as no given name, the frequency of
// shared full-name tokens and full-name tokens agreeing as one given name (tom/thomas); 0.926
// when similar given names may match (no twins among historical figures).
TEST(LinkerAccuracyTest, SplinkHistoricalDoesNotChainPeopleTogether) {
  auto loaded = ReadRecordsCsvFile(DataDir() + "/splink/historical_figures_with_errors_50k.csv", {});
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  LinkOptions options;
  options.threads = 2;
  options.text_names = loaded->schema.text_columns;
  auto result = Link(loaded->records, options);
  ASSERT_TRUE(result.ok()) << result.error().message;
  const PairwiseMetrics m = EvaluatePairwise(result->cluster_of, TruthEntities(loaded->records));
  EXPECT_GE(m.precision, 0.97);
  EXPECT_GE(m.recall, 0.865);
  EXPECT_GE(m.f1, 0.915);
  EXPECT_GT(result->stats.weak_bridges, 0u);

  options.similar_given_names_to_review = false;
  auto similar = Link(loaded->records, options);
  ASSERT_TRUE(similar.ok()) << similar.error().message;
  const PairwiseMetrics s = EvaluatePairwise(similar->cluster_of, TruthEntities(loaded->records));
  EXPECT_GE(s.precision, 0.97);
  EXPECT_GE(s.recall, 0.88);
  EXPECT_GE(s.f1, 0.925);
}

}  // namespace
}  // namespace kith::linkage
