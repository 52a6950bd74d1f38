#include "linkage/text.h"

#include <gtest/gtest.h>

namespace kith::linkage {
namespace {

TEST(FoldNameTest, FoldsCaseAccentsApostrophesAndSeparators) {
  EXPECT_EQ(FoldName("  Zoë  O'Brien-Smith "), "zoe obrien smith");
  EXPECT_EQ(FoldName("ÉMILE"), "emile");
  EXPECT_EQ(FoldName("Łukasz Wójcik"), "lukasz wojcik");
  EXPECT_EQ(FoldName("Strauß"), "strauss");
  EXPECT_EQ(FoldName("Thomas Clifford, 1st Baron"), "thomas clifford baron");  // ordinals are not names
  EXPECT_EQ(FoldName("2nd"), "");
  EXPECT_EQ(FoldText("1st Floor"), "1st floor");
  EXPECT_EQ(FoldName("Ann3"), "ann");
  EXPECT_EQ(FoldName("---"), "");
  EXPECT_EQ(FoldText("Flat 3, 12 High St."), "flat 3 12 high st");
}

TEST(CanonicalGivenNameTest, MapsNicknamesAndTransliterations) {
  EXPECT_EQ(CanonicalGivenName("bill"), "william");
  EXPECT_EQ(CanonicalGivenName("liam"), "william");
  EXPECT_EQ(CanonicalGivenName("willie"), "william");
  EXPECT_EQ(CanonicalGivenName("reggie"), "reginald");
  EXPECT_EQ(CanonicalGivenName("mohammed"), "muhammad");
  EXPECT_EQ(CanonicalGivenName("mohamed"), "muhammad");
  EXPECT_EQ(CanonicalGivenName("kate"), "katherine");
  EXPECT_EQ(CanonicalGivenName("catherine"), "katherine");
  EXPECT_EQ(CanonicalGivenName("featherstone"), "featherstone");
}

TEST(GivenNameGroupsTest, AShortFormMeetsEachOfItsNamesWhichDoNotMeetEachOther) {
  EXPECT_TRUE(GivenNameGroupsOf("bert").Meets(GivenNameGroupsOf("herbert")));
  EXPECT_TRUE(GivenNameGroupsOf("bert").Meets(GivenNameGroupsOf("robert")));
  EXPECT_FALSE(GivenNameGroupsOf("herbert").Meets(GivenNameGroupsOf("robert")));
  EXPECT_TRUE(GivenNameGroupsOf("paolo").Meets(GivenNameGroupsOf("paul")));
  EXPECT_TRUE(GivenNameGroupsOf("featherstone").empty());
}

TEST(WithoutLeadingTitlesTest, TitlesAreNoGivenName) {
  EXPECT_EQ(WithoutLeadingTitles("sir walter"), "walter");
  EXPECT_EQ(WithoutLeadingTitles("rt hon william"), "william");
  EXPECT_EQ(WithoutLeadingTitles("brig gen"), "");
  EXPECT_EQ(WithoutLeadingTitles("major"), "major");  // also a given name
  EXPECT_EQ(WithoutLeadingTitles("walter sir"), "walter sir");
}

TEST(SameGivenNameTest, NicknamesAndNameGroupsButNotOtherWords) {
  EXPECT_TRUE(SameGivenName("tom", "thomas"));
  EXPECT_TRUE(SameGivenName("bill", "willie"));
  EXPECT_TRUE(SameGivenName("fred", "alfred"));
  EXPECT_FALSE(SameGivenName("alfred", "frederick"));
  EXPECT_FALSE(SameGivenName("pilcher", "pilcher"));  // not a known name: spelling decides
  EXPECT_TRUE(IsKnownGivenName("thomas"));
  EXPECT_FALSE(IsKnownGivenName("pilcher"));
}

TEST(PhoneticCodeTest, GroupsSpellingVariants) {
  EXPECT_EQ(PhoneticCode("robert"), PhoneticCode("rupert"));
  EXPECT_EQ(PhoneticCode("catherine"), PhoneticCode("katherine"));
  EXPECT_EQ(PhoneticCode("philip"), PhoneticCode("filip"));
  EXPECT_EQ(PhoneticCode("gerald"), PhoneticCode("jerald"));
  EXPECT_EQ(PhoneticCode("smith"), PhoneticCode("smyth"));
  EXPECT_NE(PhoneticCode("smith"), PhoneticCode("jones"));
  EXPECT_EQ(PhoneticCode("lee").size(), 4u);
  EXPECT_EQ(PhoneticCode(""), "");
}

TEST(JaroWinklerTest, KnownValues) {
  EXPECT_DOUBLE_EQ(JaroWinkler("martha", "martha"), 1.0);
  EXPECT_NEAR(JaroWinkler("martha", "marhta"), 0.961, 0.001);
  EXPECT_NEAR(JaroWinkler("dwayne", "duane"), 0.84, 0.001);
  EXPECT_NEAR(JaroWinkler("dixon", "dicksonx"), 0.813, 0.001);
  EXPECT_DOUBLE_EQ(JaroWinkler("abc", "xyz"), 0.0);
  EXPECT_DOUBLE_EQ(JaroWinkler("", "abc"), 0.0);
  EXPECT_DOUBLE_EQ(JaroWinkler("", ""), 1.0);
}

TEST(WithinOneEditTest, AcceptsOneEditOfEachKind) {
  EXPECT_TRUE(WithinOneEdit("smith", "smith"));
  EXPECT_TRUE(WithinOneEdit("smith", "smyth"));   // substitution
  EXPECT_TRUE(WithinOneEdit("smith", "smth"));    // deletion
  EXPECT_TRUE(WithinOneEdit("smith", "smitth"));  // insertion
  EXPECT_TRUE(WithinOneEdit("smith", "smiht"));   // transposition
  EXPECT_FALSE(WithinOneEdit("smith", "simht"));
  EXPECT_FALSE(WithinOneEdit("smith", "smithson"));
  EXPECT_FALSE(WithinOneEdit("ab", "ba "));
}

TEST(WithinTwoEditsTest, AcceptsTwoSlipsOfAnyKindAndNoMore) {
  EXPECT_TRUE(WithinTwoEdits("nowak", "nowak"));
  EXPECT_TRUE(WithinTwoEdits("nowak", "nowwak"));        // one insertion
  EXPECT_TRUE(WithinTwoEdits("katherine", "kahterin"));  // a transposition and a deletion
  EXPECT_TRUE(WithinTwoEdits("zofia", "zpfua"));         // two substitutions
  EXPECT_TRUE(WithinTwoEdits("smith", "smithso"));       // two insertions
  EXPECT_FALSE(WithinTwoEdits("smith", "smithson"));     // three
  EXPECT_FALSE(WithinTwoEdits("oliver", "olivia "));     // three
  EXPECT_FALSE(WithinTwoEdits("abc", "cba x"));
  EXPECT_FALSE(WithinTwoEdits(std::string(65, 'a'), std::string(65, 'a')));  // too long to judge
}

TEST(ShareTokenTest, MatchesWholeTokensOnly) {
  EXPECT_TRUE(ShareToken("smith jones", "jones"));
  EXPECT_FALSE(ShareToken("smithjones", "jones"));
  EXPECT_FALSE(ShareToken("a b", "a c", 2));
  EXPECT_EQ(HammingDistance("20010203", "20010213"), 1u);
  EXPECT_EQ(HammingDistance("a", "ab"), SIZE_MAX);
}

}  // namespace
}  // namespace kith::linkage
