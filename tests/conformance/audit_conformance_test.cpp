// The audit log's contract (storage/repositories.h, AuditLog) beyond the chain itself: records
// are sealed as valid UTF-8, the children a search found are kept and indexed, and the auditors'
// queries (Find) and reports (Scan) select and order as documented.
#include <gtest/gtest.h>

#include <set>

#include "common/utf8.h"
#include "conformance/fixture.h"
#include "domain/audit.h"

namespace kith::conformance {
namespace {

using domain::AuditRecord;
using storage::AuditQuery;
using storage::Repositories;

// Records are named by a label in `reason`: on PostgreSQL consecutive writes may append to
// different chains (one per connection), so seq alone neither names a record nor orders the log.
class AuditConformance : public ConformanceTest {
 protected:
  // A record at kT0 + `minutes`, labelled `label`.
  static AuditRecord Record(std::string label, std::string action, int minutes, std::string actor = "u1",
                            std::string authority = "la1", std::string child = "") {
    AuditRecord a;
    a.at = kT0 + std::chrono::minutes(minutes);
    a.actor_id = std::move(actor);
    a.actor_role = "practitioner";
    a.authority_id = std::move(authority);
    a.action = std::move(action);
    a.child_id = std::move(child);
    a.reason = std::move(label);
    a.why = "team member";
    return a;
  }

  AuditRecord Append(const AuditRecord& a) {
    AuditRecord stored;
    Write([&](Repositories& r) { stored = r.Audit().Append(a); });
    return stored;
  }

  static std::vector<std::string> Labels(const std::vector<AuditRecord>& records) {
    std::vector<std::string> out;
    for (const auto& r : records) out.push_back(r.reason);
    return out;
  }

  std::vector<std::string> Found(const AuditQuery& q) {
    return Labels(Read([&](Repositories& repos) { return repos.Audit().Find(q); }));
  }

  // The stored record labelled `label`.
  AuditRecord Labelled(const std::string& label) {
    for (const auto& r : AuditRecords()) {
      if (r.reason == label) return r;
    }
    ADD_FAILURE() << "no record labelled " << label;
    return {};
  }

  // `a` then `b` if `a` comes first newest-first at one instant (higher chain, then higher seq).
  std::vector<std::string> NewestFirst(const std::string& a, const std::string& b) {
    const auto ra = Labelled(a), rb = Labelled(b);
    return std::pair{ra.chain, ra.seq} > std::pair{rb.chain, rb.seq} ? std::vector<std::string>{a, b}
                                                                      : std::vector<std::string>{b, a};
  }

  static std::vector<std::string> Cat(std::vector<std::string> a, const std::vector<std::string>& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
  }
};

TEST_P(AuditConformance, RecordsAreStoredAsValidUtf8AndHashedAsStored) {
  AuditRecord a = Record("1", "index.import.start", 0);
  a.detail = "{\"filename\":\"roll\xFF.csv\"}";
  a.reason = "Zoë's school roll";
  a.client = "\xC3";
  const AuditRecord stored = Append(a);
  EXPECT_EQ(stored.detail, "{\"filename\":\"roll\\xFF.csv\"}");
  EXPECT_EQ(stored.reason, "Zoë's school roll");
  EXPECT_EQ(stored.client, "\\xC3");
  const auto read = AuditRecords();
  ASSERT_EQ(read.size(), 1u);
  EXPECT_EQ(read[0].detail, stored.detail);
  EXPECT_EQ(read[0].client, stored.client);
  EXPECT_TRUE(utf8::IsValid(read[0].detail));
  EXPECT_EQ(read[0].hash, domain::ComputeAuditHash(read[0]));
  EXPECT_EQ(read[0].hash, stored.hash);
}

TEST_P(AuditConformance, TheChildrenASearchFoundAreKeptHashedAndFindTheSearch) {
  Append(Record("1", "child.read", 0, "u1", "la1", "K1"));
  AuditRecord search = Record("2", "child.search", 1, "u2");
  search.found_children = {"K2", "K1", "K3"};
  Append(search);
  Append(Record("3", "child.read", 2, "u3", "la1", "K2"));
  ASSERT_EQ(AuditRecords().size(), 3u);
  const auto found = Labelled("2");
  EXPECT_EQ(found.found_children, (std::vector<std::string>{"K2", "K1", "K3"}));
  EXPECT_TRUE(Labelled("1").found_children.empty());
  EXPECT_EQ(found.hash, domain::ComputeAuditHash(found));
  AuditRecord changed = found;
  changed.found_children.pop_back();
  EXPECT_NE(domain::ComputeAuditHash(changed), found.hash) << "the found children are part of the hash";
  ExpectAuditChainsIntact();

  auto of = [&](const std::string& child) {
    return Labels(Read([&](Repositories& repos) { return repos.Audit().ForChild(child, 10); }));
  };
  EXPECT_EQ(of("K1"), (std::vector<std::string>{"2", "1"}));
  EXPECT_EQ(of("K2"), (std::vector<std::string>{"3", "2"}));
  EXPECT_EQ(of("K3"), (std::vector<std::string>{"2"}));
  EXPECT_TRUE(of("K4").empty());
  EXPECT_EQ(Found({.child_id = "K3"}), (std::vector<std::string>{"2"}));

  // An undone write takes its found children with it.
  store_->Write([](Repositories& r) {
    AuditRecord undone = Record("4", "child.search", 3, "u9");
    undone.found_children = {"K4"};
    r.Audit().Append(undone);
    return false;
  });
  EXPECT_TRUE(of("K4").empty());
  EXPECT_TRUE(Found({.child_id = "K4"}).empty());
}

TEST_P(AuditConformance, FindFiltersAndPagesNewestFirst) {
  Append(Record("1", "child.read", 0, "u1", "la1", "K1"));
  Append(Record("2", "child.read", 10, "u2", "la1", "K2"));
  Append(Record("3", "child.read", 10, "u1", "la2", "K1"));  // same instant as 2, another authority
  AuditRecord search = Record("4", "child.search", 20, "u2");
  search.found_children = {"K1"};
  Append(search);
  Append(Record("5", "session.create", 30, "u1"));
  Append(Record("6", "child.read", 5, "u3", "la1", "K1"));  // written late, with an earlier time

  // 2 and 3 share an instant: newest first by chain, then seq (on SQLite, one chain: 3 then 2).
  const auto tie = NewestFirst("2", "3");
  EXPECT_EQ(Found({}), Cat(Cat({"5", "4"}, tie), {"6", "1"})) << "by time, then chain and seq, newest first";
  EXPECT_EQ(Found({.authority_id = "la1"}), (std::vector<std::string>{"5", "4", "2", "6", "1"}));
  EXPECT_EQ(Found({.actor_id = "u1"}), (std::vector<std::string>{"5", "3", "1"}));
  EXPECT_EQ(Found({.child_id = "K1"}), (std::vector<std::string>{"4", "3", "6", "1"}));
  EXPECT_EQ(Found({.authority_id = "la1", .child_id = "K1"}), (std::vector<std::string>{"4", "6", "1"}));
  EXPECT_EQ(Found({.from = kT0 + std::chrono::minutes(5), .to = kT0 + std::chrono::minutes(20)}),
            Cat(tie, {"6"}))
      << "from is inclusive, to exclusive";
  EXPECT_EQ(Found({.limit = 2}), (std::vector<std::string>{"5", "4"}));
  // The next page starts after the last record of the one before, also within one instant.
  const auto first_of_tie = Labelled(tie[0]);
  EXPECT_EQ(Found({.before_at = first_of_tie.at,
                   .before_chain = first_of_tie.chain,
                   .before_seq = first_of_tie.seq,
                   .limit = 2}),
            (std::vector<std::string>{tie[1], "6"}));
  const auto three = Labelled("3");
  EXPECT_EQ(Found({.actor_id = "u1", .before_at = three.at, .before_chain = three.chain, .before_seq = three.seq}),
            (std::vector<std::string>{"1"}));
  EXPECT_TRUE(Found({.actor_id = "nobody"}).empty());
}

// The checkpointer numbers from the newest checkpoint record (ADR 0019), whatever came after it.
TEST_P(AuditConformance, TheNewestCheckpointRecordIsFound) {
  EXPECT_FALSE(Read([](Repositories& r) { return r.Audit().NewestCheckpointRecord(); }));
  Append(Record("1", "child.read", 0));
  Append(Record("2", "audit.checkpoint", 1, ""));
  Append(Record("3", "child.read", 2));
  Append(Record("4", "audit.checkpoint", 3, ""));
  Append(Record("5", "child.read", 4));
  const auto newest = Read([](Repositories& r) { return r.Audit().NewestCheckpointRecord(); });
  ASSERT_TRUE(newest);
  EXPECT_EQ(newest->reason, "4");
  EXPECT_EQ(newest->action, "audit.checkpoint");
}

TEST_P(AuditConformance, ScanStreamsOneAuthorityOldestFirst) {
  Append(Record("1", "child.read", 0, "u1", "la1", "K1"));
  Append(Record("2", "child.read", 10, "u2", "la2", "K2"));
  Append(Record("3", "child.read", 20, "u1", "la1", "K1"));
  Append(Record("4", "child.read", 5, "u3", "la1", "K1"));
  Append(Record("5", "child.read", 30, "u1", "la1", "K1"));
  std::vector<std::string> seen;
  store_->Read([&](Repositories& r) {
    r.Audit().Scan("la1", kT0, kT0 + std::chrono::minutes(30), [&](const AuditRecord& a) { seen.push_back(a.reason); });
  });
  EXPECT_EQ(seen, (std::vector<std::string>{"1", "4", "3"}));
}

// Scan reads in pages on some back ends: a page boundary inside one instant loses or repeats
// nothing.
TEST_P(AuditConformance, ScanOfManyRecordsAtFewInstantsSeesEachOnce) {
  constexpr int kRecords = 25'000;
  store_->Write([](Repositories& r) {
    for (int i = 0; i < kRecords; ++i) {
      r.Audit().Append(Record(std::to_string(i), "child.read", i / 7'000, "u1", "la1", "K1"));
    }
    return true;
  });
  int seen = 0;
  std::set<std::string> labels;
  store_->Read([&](Repositories& r) {
    r.Audit().Scan("la1", kT0, kT0 + std::chrono::minutes(10), [&](const AuditRecord& a) {
      ++seen;
      labels.insert(a.reason);
    });
  });
  EXPECT_EQ(seen, kRecords);
  EXPECT_EQ(labels.size(), static_cast<size_t>(kRecords));
}

INSTANTIATE_TEST_SUITE_P(Backends, AuditConformance, ::testing::ValuesIn(Backends()),
                         [](const auto& param_info) { return param_info.param.name; });

}  // namespace
}  // namespace kith::conformance
