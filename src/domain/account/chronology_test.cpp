#include "domain/account/chronology.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace kith::domain {
namespace {

using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::SizeIs;

constexpr Date kToday{2025, 6, 10};

ChronologyEntry ValidEntry() {
  ChronologyEntry e;
  e.id = "e1";
  e.lineage_id = "e1";
  e.child_id = "c1";
  e.occurred_on = Date{2025, 6, 1};
  e.agency_id = "school-1";
  e.agency_kind = AgencyKind::kSchool;
  e.author_id = "u1";
  e.type = EntryType::kIncident;
  e.significance = Significance::kNotable;
  e.summary = "Bruise on left forearm noticed in PE";
  return e;
}

std::string FieldOf(const Status& s) { return s.ok() ? "" : s.error().field; }

TEST(EntryTypeTest, EveryTypeRoundTripsThroughItsStableCode) {
  EXPECT_EQ(AllEntryTypes().size(), 18u);
  for (const EntryType type : AllEntryTypes()) {
    const auto code = ToString(type);
    EXPECT_EQ(ParseEntryType(code), type) << code;
  }
  EXPECT_EQ(ToString(EntryType::kWasNotBrought), "was_not_brought");
  EXPECT_EQ(ToString(EntryType::kHospitalAttendance), "hospital_attendance");
  EXPECT_EQ(ToString(EntryType::kPoliceCallOut), "police_call_out");
  EXPECT_FALSE(ParseEntryType("Home visit"));
  EXPECT_FALSE(ParseEntryType(""));
  EXPECT_EQ(ParseSignificance("serious"), Significance::kSerious);
  EXPECT_FALSE(ParseSignificance("urgent"));
  EXPECT_EQ(ParseAgencyKind("gp_practice"), AgencyKind::kGpPractice);
}

TEST(ValidateEntryTest, AcceptsAValidEntry) { EXPECT_TRUE(ValidateEntry(ValidEntry(), kToday)); }

TEST(ValidateEntryTest, SummaryIsRequiredAndLimitedTo200Characters) {
  auto e = ValidEntry();
  e.summary = "   ";
  EXPECT_EQ(FieldOf(ValidateEntry(e, kToday)), "summary");
  e.summary = std::string(200, 'x');
  EXPECT_TRUE(ValidateEntry(e, kToday));
  e.summary = std::string(201, 'x');
  EXPECT_EQ(FieldOf(ValidateEntry(e, kToday)), "summary");
  // Characters, not bytes: 200 two-byte letters are fine.
  e.summary.clear();
  for (int i = 0; i < 200; ++i) e.summary += "é";
  EXPECT_TRUE(ValidateEntry(e, kToday));
  e.summary = "two\nlines";
  EXPECT_EQ(FieldOf(ValidateEntry(e, kToday)), "summary");
  e.summary = "bad \xC3 utf8";
  EXPECT_EQ(FieldOf(ValidateEntry(e, kToday)), "summary");
}

TEST(ValidateEntryTest, DetailIsLimitedTo20000Characters) {
  auto e = ValidEntry();
  e.detail = std::string(20'000, 'x');
  EXPECT_TRUE(ValidateEntry(e, kToday));
  e.detail = "Line one\nLine two\twith tab";
  EXPECT_TRUE(ValidateEntry(e, kToday));
  e.detail = std::string(20'001, 'x');
  EXPECT_EQ(FieldOf(ValidateEntry(e, kToday)), "detail");
}

TEST(ValidateEntryTest, DateMustBeValidAndNotInTheFuture) {
  auto e = ValidEntry();
  e.occurred_on = kToday;
  EXPECT_TRUE(ValidateEntry(e, kToday));
  e.occurred_on = Date{2025, 6, 11};
  EXPECT_EQ(FieldOf(ValidateEntry(e, kToday)), "occurred_on");
  e.occurred_on = Date{2025, 2, 30};
  EXPECT_EQ(FieldOf(ValidateEntry(e, kToday)), "occurred_on");
  e.occurred_on = Date{1899, 12, 31};
  EXPECT_EQ(FieldOf(ValidateEntry(e, kToday)), "occurred_on");
  e.occurred_on = Date{2025, 6, 1};
  e.occurred_time = TimeOfDay{24, 0, 0};
  EXPECT_EQ(FieldOf(ValidateEntry(e, kToday)), "occurred_time");
}

TEST(ValidateEntryTest, IdsAreRequired) {
  for (auto member :
       {&ChronologyEntry::id, &ChronologyEntry::child_id, &ChronologyEntry::agency_id, &ChronologyEntry::author_id}) {
    auto e = ValidEntry();
    e.*member = "";
    EXPECT_FALSE(ValidateEntry(e, kToday));
  }
  auto e = ValidEntry();
  e.agency_id = "";
  EXPECT_EQ(FieldOf(ValidateEntry(e, kToday)), "agency_id");
}

TEST(SupersedeTest, ProducesANewLinkedVersionAndKeepsTheOld) {
  const auto original = ValidEntry();
  auto changed = original;
  changed.summary = "Bruise on right forearm noticed in PE";
  auto v2 = Supersede(original, changed, "e2", "Wrong arm recorded", "u2", FromMicros(1'000'000), kToday);
  ASSERT_TRUE(v2) << v2.error().message;
  EXPECT_EQ(v2->id, "e2");
  EXPECT_EQ(v2->version, 2);
  EXPECT_EQ(v2->supersedes_id, "e1");
  EXPECT_EQ(v2->lineage_id, "e1");
  EXPECT_EQ(v2->correction_reason, "Wrong arm recorded");
  EXPECT_EQ(v2->author_id, "u2");
  EXPECT_EQ(original.summary, "Bruise on left forearm noticed in PE");

  auto v3 = Supersede(*v2, *v2, "e3", "Time added", "u1", FromMicros(2'000'000), kToday);
  ASSERT_TRUE(v3);
  EXPECT_EQ(v3->version, 3);
  EXPECT_EQ(v3->supersedes_id, "e2");
  EXPECT_EQ(v3->lineage_id, "e1");

  const std::vector<ChronologyEntry> all{original, *v2, *v3};
  EXPECT_THAT(CurrentVersions(all), ElementsAre(Field(&ChronologyEntry::id, "e3")));
}

TEST(SupersedeTest, RequiresAReasonANewIdAndTheSameChild) {
  const auto original = ValidEntry();
  EXPECT_EQ(Supersede(original, original, "e2", " ", "u1", {}, kToday).error().field, "correction_reason");
  EXPECT_EQ(Supersede(original, original, "e1", "why", "u1", {}, kToday).error().field, "id");
  auto moved = original;
  moved.child_id = "c2";
  EXPECT_EQ(Supersede(original, moved, "e2", "why", "u1", {}, kToday).error().field, "child_id");
  auto invalid = original;
  invalid.summary = "";
  EXPECT_EQ(Supersede(original, invalid, "e2", "why", "u1", {}, kToday).error().field, "summary");
}

TEST(FilterTest, FiltersByAgencyTypeSignificanceAndDateInChronologicalOrder) {
  std::vector<ChronologyEntry> entries;
  auto add = [&](std::string id, Date d, std::string agency, EntryType type, Significance s) {
    auto e = ValidEntry();
    e.id = std::move(id);
    e.occurred_on = d;
    e.agency_id = std::move(agency);
    e.type = type;
    e.significance = s;
    entries.push_back(e);
  };
  add("a", {2025, 5, 3}, "gp", EntryType::kWasNotBrought, Significance::kNotable);
  add("b", {2025, 4, 1}, "school", EntryType::kSchoolAbsence, Significance::kRoutine);
  add("c", {2025, 5, 1}, "police", EntryType::kPoliceCallOut, Significance::kSerious);
  add("d", {2025, 5, 20}, "gp", EntryType::kAppointmentAttended, Significance::kRoutine);

  auto ids = [](const std::vector<ChronologyEntry>& es) {
    std::vector<std::string> out;
    for (const auto& e : es) out.push_back(e.id);
    return out;
  };
  EXPECT_THAT(ids(FilterChronology(entries, {})), ElementsAre("b", "c", "a", "d"));
  EXPECT_THAT(ids(FilterChronology(entries, {.agency_ids = {"gp"}})), ElementsAre("a", "d"));
  EXPECT_THAT(ids(FilterChronology(entries, {.types = {EntryType::kPoliceCallOut}})), ElementsAre("c"));
  EXPECT_THAT(ids(FilterChronology(entries, {.min_significance = Significance::kNotable})), ElementsAre("c", "a"));
  EXPECT_THAT(ids(FilterChronology(entries, {.significances = {Significance::kRoutine}})), ElementsAre("b", "d"));
  EXPECT_THAT(ids(FilterChronology(entries, {.from = Date{2025, 5, 1}, .to = Date{2025, 5, 3}})),
              ElementsAre("c", "a"));
  EXPECT_THAT(ids(FilterChronology(entries, {.agency_ids = {"gp"}, .from = Date{2025, 5, 4}})), ElementsAre("d"));
}

TEST(ChronologicalLessTest, DateOnlyEntriesComeFirstWithinADay) {
  auto timed = ValidEntry();
  timed.id = "timed";
  timed.occurred_time = TimeOfDay{9, 0, 0};
  auto untimed = ValidEntry();
  untimed.id = "untimed";
  EXPECT_TRUE(ChronologicalLess(untimed, timed));
  EXPECT_FALSE(ChronologicalLess(timed, untimed));
}

CsvImportContext Context() {
  CsvImportContext ctx;
  ctx.child_id = "c1";
  ctx.author_id = "u1";
  ctx.today = kToday;
  ctx.resolve_agency = [](std::string_view name) -> std::optional<AgencyRef> {
    if (name == "Oak Primary") return AgencyRef{"school-1", AgencyKind::kSchool};
    if (name == "Elm Surgery") return AgencyRef{"gp-1", AgencyKind::kGpPractice};
    return std::nullopt;
  };
  ctx.next_id = [n = 0]() mutable { return "imp-" + std::to_string(++n); };
  return ctx;
}

TEST(CsvImportTest, ParsesGoodRowsAndReportsBadOnesByLine) {
  const std::string csv =
      "date,time,agency,type,significance,summary,detail\n"            // line 1
      "2025-05-01,09:15,Oak Primary,school_absence,routine,Absent,\n"  // 2 good
      "01/05/2025,,Elm Surgery,Missed appointment,Notable,Not brought to clinic,\"Mum said \"\"car "
      "broke down\"\"\"\n"                                                                // 3 good
      "2025-05-02,25:00,Oak Primary,incident,notable,Late,\n"                             // 4 bad time
      "2025-05-03,,Unknown School,incident,notable,Hurt,\n"                               // 5 bad agency
      "2025-05-04,,Oak Primary,party,notable,Hurt,\n"                                     // 6 bad type
      "2025-05-05,,Oak Primary,incident,huge,Hurt,\n"                                     // 7 bad significance
      "2099-01-01,,Oak Primary,incident,notable,Future,\n"                                // 8 future date
      "2025-05-06,,Oak Primary,incident,notable,,\n"                                      // 9 no summary
      "2025-05-07,,Oak Primary,incident\n"                                                // 10 too few columns
      "\n"                                                                                // 11 blank
      "2025-05-08,10:00,Oak Primary,Home visit,serious,Visit,\"Two lines\nof detail\"\n"  // 12-13
                                                                                          // good
      "31/02/2025,,Oak Primary,incident,notable,Bad date,\n";                             // 14 bad date
  auto result = ParseChronologyCsv(csv, Context());
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(result->rows_read, 11);
  ASSERT_THAT(result->entries, SizeIs(3));
  const auto& first = result->entries[0];
  EXPECT_EQ(first.id, "imp-1");
  EXPECT_EQ(first.child_id, "c1");
  EXPECT_EQ(first.occurred_on, (Date{2025, 5, 1}));
  EXPECT_EQ(first.occurred_time, (TimeOfDay{9, 15, 0}));
  EXPECT_EQ(first.agency_id, "school-1");
  EXPECT_EQ(first.type, EntryType::kSchoolAbsence);
  const auto& second = result->entries[1];
  EXPECT_EQ(second.occurred_on, (Date{2025, 5, 1}));
  EXPECT_FALSE(second.occurred_time);
  EXPECT_EQ(second.type, EntryType::kWasNotBrought);
  EXPECT_EQ(second.significance, Significance::kNotable);
  EXPECT_EQ(second.detail, "Mum said \"car broke down\"");
  EXPECT_EQ(result->entries[2].type, EntryType::kHomeVisit);
  EXPECT_EQ(result->entries[2].detail, "Two lines\nof detail");

  std::vector<std::pair<int, std::string>> errors;
  for (const auto& e : result->errors) errors.emplace_back(e.line, e.field);
  EXPECT_THAT(errors, ElementsAre(std::pair{4, "time"}, std::pair{5, "agency"}, std::pair{6, "type"},
                                  std::pair{7, "significance"}, std::pair{8, "date"}, std::pair{9, "summary"},
                                  std::pair{10, "row"}, std::pair{14, "date"}));
}

TEST(CsvImportTest, WithoutHeaderUsesFixedOrderAndHandlesCrlfAndBom) {
  const std::string csv =
      "\xEF\xBB\xBF"
      "2025-05-01,,Oak Primary,note,routine,First,\r\n"
      "2025-05-02,,Oak Primary,note,routine,Second,detail\r\n";
  auto result = ParseChronologyCsv(csv, Context());
  ASSERT_TRUE(result);
  ASSERT_THAT(result->entries, SizeIs(2));
  EXPECT_EQ(result->entries[1].detail, "detail");
  EXPECT_TRUE(result->errors.empty());
}

TEST(CsvImportTest, HeaderMayReorderAndOmitOptionalColumns) {
  const std::string csv =
      "Summary,Date,Agency,Type,Significance\n"
      "Seen at home,2025-05-01,Elm Surgery,home_visit,routine\n";
  auto result = ParseChronologyCsv(csv, Context());
  ASSERT_TRUE(result);
  ASSERT_THAT(result->entries, SizeIs(1));
  EXPECT_EQ(result->entries[0].summary, "Seen at home");
  EXPECT_EQ(result->entries[0].agency_id, "gp-1");
}

TEST(CsvImportTest, UnusableHeaderFailsTheWholeFile) {
  EXPECT_EQ(ParseChronologyCsv("date,agency,type,significance\n", Context()).error().field, "header");
  EXPECT_EQ(ParseChronologyCsv("date,agency,colour,type,significance,summary\n", Context()).error().field, "header");
}

TEST(CsvImportTest, UnterminatedQuoteIsABadRowNotACrash) {
  const std::string csv =
      "2025-05-01,,Oak Primary,note,routine,Fine,\n"
      "2025-05-02,,Oak Primary,note,routine,\"Never closed,\n";
  auto result = ParseChronologyCsv(csv, Context());
  ASSERT_TRUE(result);
  EXPECT_THAT(result->entries, SizeIs(1));
  ASSERT_THAT(result->errors, SizeIs(1));
  EXPECT_EQ(result->errors[0].line, 2);
  EXPECT_EQ(result->errors[0].field, "row");
}

TEST(CsvImportTest, RowLimitFailsTheWholeFile) {
  auto ctx = Context();
  ctx.max_rows = 1;
  const std::string csv = "2025-05-01,,Oak Primary,note,routine,One,\n2025-05-02,,Oak Primary,note,routine,Two,\n";
  EXPECT_EQ(ParseChronologyCsv(csv, ctx).error().field, "file");
}

TEST(OccurredInstantTest, DateOnlyEntriesSitAtUkNoon) {
  auto e = ValidEntry();
  e.occurred_on = Date{2025, 7, 1};
  EXPECT_EQ(FormatUtc(OccurredInstant(e)), "2025-07-01T11:00:00.000Z");
  e.occurred_time = TimeOfDay{0, 30, 0};
  EXPECT_EQ(FormatUtc(OccurredInstant(e)), "2025-06-30T23:30:00.000Z");
}

}  // namespace
}  // namespace kith::domain
