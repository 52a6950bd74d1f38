#include "linkage/linker.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
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
