// The audit log's contract (storage/repositories.h, AuditLog) beyond the chain itself: records
// are sealed as valid UTF-8, the children a search found are kept and indexed, and the auditors'
// queries (Find) and reports (Scan) select and order as documented.
#include <gtest/gtest.h>

#include "common/utf8.h"
#include "conformance/fixture.h"
#include "domain/audit.h"

namespace kith::conformance {
namespace {

using domain::AuditRecord;
using storage::AuditQuery;
using storage::Repositories;

class AuditConformance : public ConformanceTest {
 protected:
  // A record at kT0 + `minutes`.
  static AuditRecord Record(std::string action, int minutes, std::string actor = "u1", std::string authority = "la1",
                            std::string child = "") {
    AuditRecord a;
    a.at = kT0 + std::chrono::minutes(minutes);
    a.actor_id = std::move(actor);
    a.actor_role = "practitioner";
    a.authority_id = std::move(authority);
    a.action = std::move(action);
    a.child_id = std::move(child);
    a.why = "team member";
    return a;
  }

  void Append(const AuditRecord& a) {
    Write([&](Repositories& r) { r.Audit().Append(a); });
  }

  std::vector<int64_t> Seqs(const AuditQuery& q) {
    std::vector<int64_t> out;
    for (const auto& r : Read([&](Repositories& repos) { return repos.Audit().Find(q); })) out.push_back(r.seq);
    return out;
  }
};

TEST_P(AuditConformance, RecordsAreStoredAsValidUtf8AndHashedAsStored) {
  AuditRecord a = Record("index.import.start", 0);
  a.detail = "{\"filename\":\"roll\xFF.csv\"}";
  a.reason = "Zoë's school roll";
  a.client = "\xC3";
  AuditRecord stored;
  Write([&](Repositories& r) { stored = r.Audit().Append(a); });
  EXPECT_EQ(stored.detail, "{\"filename\":\"roll\\xFF.csv\"}");
  EXPECT_EQ(stored.reason, "Zoë's school roll");
  EXPECT_EQ(stored.client, "\\xC3");
  const auto read = Read([](Repositories& r) { return r.Audit().Range(0, 10); });
  ASSERT_EQ(read.size(), 1u);
  EXPECT_EQ(read[0].detail, stored.detail);
  EXPECT_EQ(read[0].client, stored.client);
  EXPECT_TRUE(utf8::IsValid(read[0].detail));
  EXPECT_EQ(read[0].hash, domain::ComputeAuditHash(read[0]));
}

TEST_P(AuditConformance, TheChildrenASearchFoundAreKeptHashedAndFindTheSearch) {
  Append(Record("child.read", 0, "u1", "la1", "K1"));
  AuditRecord search = Record("child.search", 1, "u2");
  search.found_children = {"K2", "K1", "K3"};
  Append(search);
  Append(Record("child.read", 2, "u3", "la1", "K2"));
  const auto all = Read([](Repositories& r) { return r.Audit().Range(0, 10); });
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[1].found_children, (std::vector<std::string>{"K2", "K1", "K3"}));
  EXPECT_TRUE(all[0].found_children.empty());
  EXPECT_EQ(all[1].hash, domain::ComputeAuditHash(all[1]));
  AuditRecord changed = all[1];
  changed.found_children.pop_back();
  EXPECT_NE(domain::ComputeAuditHash(changed), all[1].hash) << "the found children are part of the hash";

  auto seqs = [&](const std::string& child) {
    std::vector<int64_t> out;
    for (const auto& r : Read([&](Repositories& repos) { return repos.Audit().ForChild(child, 10); })) {
      out.push_back(r.seq);
    }
    return out;
  };
  EXPECT_EQ(seqs("K1"), (std::vector<int64_t>{2, 1}));
  EXPECT_EQ(seqs("K2"), (std::vector<int64_t>{3, 2}));
  EXPECT_EQ(seqs("K3"), (std::vector<int64_t>{2}));
  EXPECT_TRUE(seqs("K4").empty());

  // An undone write takes its found children with it.
  store_->Write([](Repositories& r) {
    AuditRecord undone = Record("child.search", 3, "u9");
    undone.found_children = {"K4"};
    r.Audit().Append(undone);
    return false;
  });
  EXPECT_TRUE(seqs("K4").empty());
}

TEST_P(AuditConformance, FindFiltersAndPagesNewestFirst) {
  Append(Record("child.read", 0, "u1", "la1", "K1"));   // 1
  Append(Record("child.read", 10, "u2", "la1", "K2"));  // 2
  Append(Record("child.read", 10, "u1", "la2", "K1"));  // 3: same instant as 2, another authority
  AuditRecord search = Record("child.search", 20, "u2");  // 4
  search.found_children = {"K1"};
  Append(search);
  Append(Record("session.create", 30, "u1"));  // 5
  Append(Record("child.read", 5, "u3", "la1", "K1"));  // 6: written late, with an earlier time

  EXPECT_EQ(Seqs({}), (std::vector<int64_t>{5, 4, 3, 2, 6, 1})) << "by time, then seq, newest first";
  EXPECT_EQ(Seqs({.authority_id = "la1"}), (std::vector<int64_t>{5, 4, 2, 6, 1}));
  EXPECT_EQ(Seqs({.actor_id = "u1"}), (std::vector<int64_t>{5, 3, 1}));
  EXPECT_EQ(Seqs({.child_id = "K1"}), (std::vector<int64_t>{4, 3, 6, 1}));
  EXPECT_EQ(Seqs({.authority_id = "la1", .child_id = "K1"}), (std::vector<int64_t>{4, 6, 1}));
  EXPECT_EQ(Seqs({.from = kT0 + std::chrono::minutes(5), .to = kT0 + std::chrono::minutes(20)}),
            (std::vector<int64_t>{3, 2, 6})) << "from is inclusive, to exclusive";
  EXPECT_EQ(Seqs({.limit = 2}), (std::vector<int64_t>{5, 4}));
  // The next page starts after the last record of the one before, also within one instant.
  EXPECT_EQ(Seqs({.before_at = kT0 + std::chrono::minutes(10), .before_seq = 3, .limit = 2}),
            (std::vector<int64_t>{2, 6}));
  EXPECT_EQ(Seqs({.actor_id = "u1", .before_at = kT0 + std::chrono::minutes(10), .before_seq = 3}),
            (std::vector<int64_t>{1}));
  EXPECT_TRUE(Seqs({.actor_id = "nobody"}).empty());
}

TEST_P(AuditConformance, ScanStreamsOneAuthorityOldestFirst) {
  Append(Record("child.read", 0, "u1", "la1", "K1"));   // 1
  Append(Record("child.read", 10, "u2", "la2", "K2"));  // 2
  Append(Record("child.read", 20, "u1", "la1", "K1"));  // 3
  Append(Record("child.read", 5, "u3", "la1", "K1"));   // 4
  Append(Record("child.read", 30, "u1", "la1", "K1"));  // 5
  std::vector<int64_t> seen;
  store_->Read([&](Repositories& r) {
    r.Audit().Scan("la1", kT0, kT0 + std::chrono::minutes(30), [&](const AuditRecord& a) { seen.push_back(a.seq); });
  });
  EXPECT_EQ(seen, (std::vector<int64_t>{1, 4, 3}));
}

INSTANTIATE_TEST_SUITE_P(Backends, AuditConformance, ::testing::ValuesIn(Backends()),
                         [](const auto& param_info) { return param_info.param.name; });

}  // namespace
}  // namespace kith::conformance
