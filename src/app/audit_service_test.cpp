#include "app/audit_service.h"

#include <gtest/gtest.h>

#include <algorithm>

#include <nlohmann/json.hpp>

#include "app/test_fixture.h"
#include "domain/account/uk_time.h"

namespace kith::app {
namespace {

// The auditors' view over a log written directly: who looked at or searched for a child, one
// user's activity, the whole authority, by UK date, in pages; and finding by name.
class AuditServiceTest : public AppFixture {
 protected:
  void SetUp() override {
    AppFixture::SetUp();
    store_->Write([&](storage::Repositories& r) {
      EXPECT_TRUE(r.Authorities().Insert({"la2", "E2", "Southmoor", false}));
      EXPECT_TRUE(r.Agencies().Insert({"ag-south", "la2", "Southmoor CSC", domain::AgencyKind::kChildrensSocialCare,
                                       "", "", ""}));
      AddChild(r, "K1", "la1", "Amélie", "O'Hart", false);
      AddChild(r, "K2", "la1", "Oliver", "Hart", true);
      AddChild(r, "K3", "la2", "Amelia", "Hart", false);
      return true;
    });
    domain::User outsider;
    outsider.id = "u-south";
    outsider.username = "south";
    outsider.display_name = "Sam South";
    outsider.role = domain::Role::kPractitioner;
    outsider.authority_id = "la2";
    outsider.agency_id = "ag-south";
    outsider.password_hash = "$argon2id$stub";
    store_->Write([&](storage::Repositories& r) {
      EXPECT_TRUE(r.Users().Insert(outsider));
      return true;
    });
    audit_.emplace(*ctx_);
  }

  static void AddChild(storage::Repositories& r, const char* id, const char* la, const char* given,
                       const char* family, bool shielded) {
    domain::Child c;
    c.id = id;
    c.authority_id = la;
    c.given_names = given;
    c.family_name = family;
    c.date_of_birth = Date::Parse("2016-04-02");
    c.postcode = "NB1 2AB";
    c.shielded = shielded;
    EXPECT_TRUE(r.Children().Insert(c));
  }

  // A record by `actor` (of `la`) at UK local `date` `hour`:00.
  void Log(const std::string& actor, const std::string& la, const std::string& action, const std::string& child,
           const std::string& date, int hour, std::vector<std::string> found = {}) {
    domain::AuditRecord a;
    a.at = domain::FromUkCivil(*Date::Parse(date), {hour, 0, 0});
    a.actor_id = actor;
    a.actor_role = "practitioner";
    a.authority_id = la;
    a.action = action;
    a.child_id = child;
    a.why = "team member";
    a.found_children = std::move(found);
    store_->Write([&](storage::Repositories& r) {
      r.Audit().Append(a);
      return true;
    });
  }

  void LogDay() {
    Log("u-sw", "la1", "child.read", "K1", "2026-06-01", 9);                 // 1
    Log("u-teacher", "la1", "child.search", "", "2026-06-01", 10, {"K2", "K1"});  // 2
    Log("u-south", "la2", "child.signposting", "K1", "2026-06-01", 11);      // 3: an outsider looks at K1
    Log("u-south", "la2", "child.read", "K3", "2026-06-01", 12);             // 4: not la1's business
    Log("u-sw", "la1", "child.read", "K2", "2026-06-02", 0);                 // 5: 00:00 BST = 23:00 UTC on the 1st
    Log("u-sw", "la1", "team.join", "K2", "2026-06-03", 9);                  // 6
  }

  static std::vector<int64_t> Seqs(const AuditPage& page) {
    std::vector<int64_t> out;
    for (const auto& v : page.records) out.push_back(v.record.seq);
    return out;
  }

  std::vector<domain::AuditRecord> Since(int64_t seq) {
    return store_->ReadValue([&](storage::Repositories& r) { return r.Audit().Range(0, seq, 1000); });
  }

  std::optional<AuditService> audit_;
};

TEST_F(AuditServiceTest, OnlyTheAuthoritysAuditorsSeeItAndEveryLookIsAudited) {
  LogDay();
  auto refused = audit_->Records(As("sw"), {});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kForbidden);
  auto page = audit_->Records(As("auditor"), {.child_id = "K1"});
  ASSERT_TRUE(page);
  const auto looks = Since(6);
  ASSERT_EQ(looks.size(), 2u);
  EXPECT_EQ(looks[0].action, "audit.records");
  EXPECT_EQ(looks[0].outcome, domain::AuditOutcome::kDenied);
  EXPECT_EQ(looks[1].actor_id, "u-auditor");
  EXPECT_EQ(looks[1].child_id, "K1") << "the auditor's look is in the child's own trail";
  EXPECT_EQ(looks[1].outcome, domain::AuditOutcome::kAllowed);
}

TEST_F(AuditServiceTest, WhoLookedAtOrSearchedForAChild) {
  LogDay();
  auto page = audit_->Records(As("auditor"), {.child_id = "K1"});
  ASSERT_TRUE(page) << page.error().message;
  EXPECT_EQ(Seqs(*page), (std::vector<int64_t>{3, 2, 1})) << "the outsider's look and the search are there";
  EXPECT_EQ(page->records[0].actor_name, "Sam South");
  EXPECT_EQ(page->records[0].child_name, "Amélie O'Hart");
  EXPECT_EQ(page->records[0].action_label, "Looked up who is involved (signposting)");
  EXPECT_EQ(page->records[1].record.found_children, (std::vector<std::string>{"K2", "K1"}));
  EXPECT_TRUE(page->next.empty());

  // A child of another authority is not this auditor's to see, and is audited as refused.
  auto other = audit_->Records(As("auditor"), {.child_id = "K3"});
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(Since(0).back().why, "no such child in the authority");
}

TEST_F(AuditServiceTest, OneUsersActivityTheWholeAuthorityAndUkDates) {
  LogDay();
  EXPECT_EQ(Seqs(*audit_->Records(As("auditor"), {.user_id = "u-sw"})), (std::vector<int64_t>{6, 5, 1}));
  EXPECT_EQ(audit_->Records(As("auditor"), {.user_id = "u-south"}).error().code, ErrorCode::kNotFound);
  // The whole authority: its own people, not the outsider.
  const auto all = audit_->Records(As("auditor"), {.to = Date::Parse("2026-06-03")});
  ASSERT_TRUE(all);
  auto seqs = Seqs(*all);
  seqs.erase(std::remove_if(seqs.begin(), seqs.end(), [](int64_t s) { return s > 6; }), seqs.end());
  EXPECT_EQ(seqs, (std::vector<int64_t>{6, 5, 2, 1}));
  // 2 June in the UK starts at 23:00 UTC on 1 June (summer time).
  EXPECT_EQ(Seqs(*audit_->Records(As("auditor"), {.from = Date::Parse("2026-06-02"), .to = Date::Parse("2026-06-02")})),
            (std::vector<int64_t>{5}));
  EXPECT_EQ(audit_->Records(As("auditor"), {.from = Date::Parse("2026-06-03"), .to = Date::Parse("2026-06-01")})
                .error()
                .field,
            "to");
}

TEST_F(AuditServiceTest, PagesFollowOnWithoutGapsOrRepeats) {
  LogDay();
  AuditFilter f{.user_id = "u-sw", .limit = 2};
  auto first = audit_->Records(As("auditor"), f);
  ASSERT_TRUE(first);
  EXPECT_EQ(Seqs(*first), (std::vector<int64_t>{6, 5}));
  ASSERT_FALSE(first->next.empty());
  f.cursor = first->next;
  auto second = audit_->Records(As("auditor"), f);
  ASSERT_TRUE(second);
  EXPECT_EQ(Seqs(*second), (std::vector<int64_t>{1}));
  EXPECT_TRUE(second->next.empty());
  f.cursor = "not a cursor";
  EXPECT_EQ(audit_->Records(As("auditor"), f).error().field, "before");
  EXPECT_EQ(audit_->Records(As("auditor"), {.limit = 501}).error().field, "limit");
}

// Every page of an export until the empty one, each page's size in `sizes`.
std::vector<domain::AuditRecord> Drain(AuditExportStream& stream, std::vector<size_t>* sizes = nullptr) {
  std::vector<domain::AuditRecord> out;
  for (;;) {
    auto page = stream.Next();
    if (page.empty()) break;
    if (sizes) sizes->push_back(page.size());
    for (auto& v : page) out.push_back(std::move(v.record));
  }
  EXPECT_TRUE(stream.Next().empty()) << "an ended export stays ended";
  return out;
}

TEST_F(AuditServiceTest, ExportHoldsEveryRecordTheFilterSelects) {
  LogDay();
  AuditService paged(*ctx_, 2);
  auto exported = paged.StartExport(As("auditor"), {.child_id = "K2", .limit = 1});
  ASSERT_TRUE(exported);
  // Audited before any record is handed out, naming the newest record the export holds.
  const auto looks = Since(6);
  ASSERT_EQ(looks.size(), 1u);
  EXPECT_EQ(looks[0].action, "audit.records.export");
  EXPECT_EQ(looks[0].child_id, "K2");
  const auto detail = nlohmann::json::parse(looks[0].detail);
  std::vector<size_t> sizes;
  const auto records = Drain(**exported, &sizes);
  std::vector<int64_t> seqs;
  for (const auto& r : records) seqs.push_back(r.seq);
  EXPECT_EQ(seqs, (std::vector<int64_t>{6, 5, 2})) << "its own record, appended after it began, is not in it";
  EXPECT_EQ(sizes, (std::vector<size_t>{2, 1}));
  EXPECT_EQ(detail.at("newest"), AuditCursor(records.front()));
  EXPECT_EQ(Since(7).size(), 0u) << "one record per export, however many pages";
  // Refused as a page of records is, and audited.
  auto refused = paged.StartExport(As("sw"), {});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kForbidden);
  EXPECT_EQ(Since(7).at(0).outcome, domain::AuditOutcome::kDenied);
}

TEST_F(AuditServiceTest, AnEmptyExportIsAuditedAndEndsAtOnce) {
  auto exported = audit_->StartExport(As("auditor"), {.child_id = "K3"});
  ASSERT_FALSE(exported) << "another authority's child";
  exported = audit_->StartExport(As("auditor"), {.child_id = "K1", .from = Date::Parse("2000-01-01"),
                                                  .to = Date::Parse("2000-01-02")});
  ASSERT_TRUE(exported);
  EXPECT_TRUE(Drain(**exported).empty());
  const auto last = Since(0).back();
  EXPECT_EQ(last.action, "audit.records.export");
  EXPECT_TRUE(nlohmann::json::parse(last.detail).at("newest").is_null());
}

// Issue 14, "Next (audit)" 4: an export beyond the old cap of 100,000 records, streamed a page at
// a time; records sharing an instant straddle the page borders.
TEST_F(AuditServiceTest, ExportBeyondOneHundredThousandRecordsIsStreamedInPages) {
  constexpr int kRecords = 100'123;
  const TimePoint base = domain::FromUkCivil(*Date::Parse("2026-06-01"), {9, 0, 0});
  store_->Write([&](storage::Repositories& r) {
    domain::AuditRecord a;
    a.actor_id = "u-sw";
    a.actor_role = "practitioner";
    a.authority_id = "la1";
    a.action = "child.read";
    a.child_id = "K1";
    a.why = "team member";
    for (int i = 0; i < kRecords; ++i) {
      a.at = base + std::chrono::seconds(i / 7);  // seven records an instant
      r.Audit().Append(a);
    }
    a.authority_id = "la2";  // another authority's record is not exported
    r.Audit().Append(a);
    return true;
  });
  AuditService paged(*ctx_, 1000);
  auto exported = paged.StartExport(As("auditor"), {});
  ASSERT_TRUE(exported);
  std::vector<size_t> sizes;
  const auto records = Drain(**exported, &sizes);
  ASSERT_EQ(records.size(), static_cast<size_t>(kRecords));
  EXPECT_EQ(sizes.size(), 101u);
  EXPECT_TRUE(std::all_of(sizes.begin(), sizes.end(), [](size_t n) { return n <= 1000; }));
  for (size_t i = 0; i < records.size(); ++i) {
    // Newest first, each once: the seqs run down without a gap.
    ASSERT_EQ(records[i].seq, kRecords - static_cast<int64_t>(i)) << "at " << i;
    ASSERT_EQ(records[i].authority_id, "la1");
  }
}

TEST_F(AuditServiceTest, FindsChildrenAndUsersByNameInTheAuthorityOnly) {
  auto found = audit_->FindChildren(As("auditor"), "ameli ohart", std::nullopt);
  ASSERT_TRUE(found) << found.error().message;
  ASSERT_EQ(found->size(), 1u);
  EXPECT_EQ((*found)[0].child_id, "K1");
  auto harts = audit_->FindChildren(As("auditor"), "HART", std::nullopt);
  ASSERT_TRUE(harts);
  ASSERT_EQ(harts->size(), 1u) << "O'Hart folds to ohart; the other Hart of la1 is shielded but found";
  EXPECT_EQ((*harts)[0].child_id, "K2");
  EXPECT_TRUE((*harts)[0].shielded);
  EXPECT_TRUE(audit_->FindChildren(As("auditor"), "hart", Date::Parse("2016-04-03"))->empty());
  EXPECT_EQ(audit_->FindChildren(As("auditor"), "a", std::nullopt).error().field, "name");
  EXPECT_EQ(audit_->FindChildren(As("sw"), "hart", std::nullopt).error().code, ErrorCode::kForbidden);
  const auto last = Since(0).back();
  EXPECT_EQ(last.action, "audit.find_child");
  EXPECT_EQ(last.outcome, domain::AuditOutcome::kDenied);

  auto users = audit_->FindUsers(As("auditor"), "teach");
  ASSERT_TRUE(users);
  ASSERT_EQ(users->size(), 1u);
  EXPECT_EQ((*users)[0].user_id, "u-teacher");
  EXPECT_EQ((*users)[0].agency_name, "Hillside Primary");
  EXPECT_TRUE(audit_->FindUsers(As("auditor"), "south")->empty()) << "another authority's user";
  const auto records = Since(0);
  const auto child_look = std::find_if(records.begin(), records.end(), [](const auto& a) {
    return a.action == "audit.find_child" && a.outcome == domain::AuditOutcome::kAllowed;
  });
  ASSERT_NE(child_look, records.end());
  EXPECT_EQ(child_look->found_children, std::vector<std::string>{"K1"});
}

}  // namespace
}  // namespace kith::app
