// Several nodes over one PostgreSQL database behave as one system (issue 16, part 2): each
// "node" here is a store of its own (its own pool of connections) with the app pieces on top,
// driven from threads at the same time.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cctype>
#include <condition_variable>
#include <iostream>
#include <map>
#include <mutex>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "app/audit_checkpoints.h"
#include "app/audit_verify.h"
#include "app/auth_service.h"
#include "app/change_follower.h"
#include "app/credentials.h"
#include "app/store_rate_limiter.h"
#include "common/random.h"
#include "common/clock.h"
#include "domain/audit_checkpoint.h"
#include "storage/postgres/postgres_store.h"
#include "support/test_postgres.h"

namespace kith {
namespace {

class ClusterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // A database per test: CTest runs the tests of this file at the same time.
    database_ = "kith_pg_cluster_";
    for (char c : std::string(::testing::UnitTest::GetInstance()->current_test_info()->name())) {
      database_ += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    database_.resize(std::min<size_t>(database_.size(), 63));
    testing::CreateKithDatabase(database_);
    for (int i = 0; i < 2; ++i) {
      nodes_.push_back(storage::OpenPostgresStore(
          {.url = testing::AppUrl(database_), .connections = 2, .apply_migrations = false}));
    }
  }
  void TearDown() override {
    nodes_.clear();
    testing::DropDatabase(database_);
  }

  std::string database_;
  ManualClock clock_{FromMicros(1'790'000'000'000'000)};
  std::vector<std::unique_ptr<storage::Store>> nodes_;
};

// SECURITY.md: at most 20 sign-in attempts a minute from one address (the sign-in route's
// limit, http/pipeline.cpp). Two nodes, two threads each, all taking at once for one address:
// 20 go ahead in all, not 20 per node.
TEST_F(ClusterTest, ARateLimitHoldsAcrossNodes) {
  constexpr app::RateLimit kSignIn{"route.sign-in", 20, std::chrono::minutes(1)};
  std::vector<std::unique_ptr<app::StoreRateLimiter>> limiters;
  for (auto& node : nodes_) limiters.push_back(std::make_unique<app::StoreRateLimiter>(*node, clock_));
  std::atomic<int> allowed{0}, refused{0};
  std::vector<std::thread> threads;
  for (auto& limiter : limiters) {
    for (int t = 0; t < 2; ++t) {
      threads.emplace_back([&, limiter = limiter.get()] {
        for (int i = 0; i < 15; ++i) (limiter->Take(kSignIn, "10.7.7.7") ? refused : allowed)++;
      });
    }
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(allowed.load(), kSignIn.count);
  EXPECT_EQ(refused.load(), 60 - kSignIn.count);
  EXPECT_EQ(limiters[0]->Check(kSignIn, "10.7.7.7"), std::chrono::seconds(60));
  EXPECT_FALSE(limiters[1]->Take(kSignIn, "10.7.7.8")) << "another address is counted apart, on either node";
  clock_.Advance(std::chrono::seconds(60));
  EXPECT_FALSE(limiters[0]->Take(kSignIn, "10.7.7.7")) << "a minute later the address may try again";
}

// The change feed on PostgreSQL, where writes run at once and commit in any order: a write still
// running when another node reads the feed (and moves its cursor on) is reported by that node's
// next read, once it has committed; nothing slips behind the cursor.
TEST_F(ClusterTest, TheChangeFeedMissesNoWriteThatCommitsLate) {
  auto& one = *nodes_[0];
  auto& two = *nodes_[1];
  const auto child = [](const std::string& id, const std::string& family_name) {
    domain::Child c;
    c.id = id;
    c.authority_id = "la1";
    c.given_names = "Ada";
    c.family_name = family_name;
    return c;
  };
  one.Write([&](storage::Repositories& r) {
    EXPECT_TRUE(r.Authorities().Insert({"la1", "E1", "Northbrook", false}));
    return true;
  });
  const int64_t start = two.ReadValue([](storage::Repositories& r) { return r.Children().ChangeCursor(); });

  // Node one stores K-late and holds its transaction open; meanwhile it stores K-early in another
  // transaction, which commits first.
  std::mutex mutex;
  std::condition_variable changed;
  bool stored = false, release = false;
  std::thread late([&] {
    bool first_run = true;
    one.Write([&](storage::Repositories& r) {
      EXPECT_TRUE(r.Children().Insert(child("K-late", "Late")));
      if (first_run) {
        first_run = false;
        std::unique_lock lock(mutex);
        stored = true;
        changed.notify_all();
        changed.wait(lock, [&] { return release; });
      }
      return true;
    });
  });
  {
    std::unique_lock lock(mutex);
    changed.wait(lock, [&] { return stored; });
  }
  one.Write([&](storage::Repositories& r) {
    EXPECT_TRUE(r.Children().Insert(child("K-early", "Early")));
    return true;
  });
  const auto seen = two.ReadValue([&](storage::Repositories& r) { return r.Children().ChangedSince(start); });
  std::set<std::string> ids;
  for (const auto& c : seen.records) ids.insert(c.id);
  EXPECT_TRUE(ids.contains("K-early"));
  EXPECT_FALSE(ids.contains("K-late")) << "not committed yet";
  {
    std::lock_guard lock(mutex);
    release = true;
  }
  changed.notify_all();
  late.join();
  const auto next = two.ReadValue([&](storage::Repositories& r) { return r.Children().ChangedSince(seen.next_cursor); });
  ids.clear();
  for (const auto& c : next.records) ids.insert(c.id);
  EXPECT_TRUE(ids.contains("K-late")) << "committed after the cursor moved on, and reported all the same";
}

// Every write to children notifies its commit (PostgreSQL migration 10), and a follower given a bus
// on that channel makes its pass at once: another node's child reaches it within a second even
// though it polls only every hour. (The listener connects in the background, so the first
// children may come before it listens: each is stored and waited for in turn until one arrives;
// the pass it wakes hands over every child stored since the cursor.)
TEST_F(ClusterTest, AChildStoredOnOneNodeWakesTheOthersChangeFollowerAtOnce) {
  class Recorder final : public app::ChildObserver {
   public:
    void ChildStored(const domain::Child& child) override {
      std::lock_guard lock(mutex_);
      ids_.insert(child.id);
    }
    bool Has(const std::string& id) {
      std::lock_guard lock(mutex_);
      return ids_.contains(id);
    }
    size_t Size() {
      std::lock_guard lock(mutex_);
      return ids_.size();
    }

   private:
    std::mutex mutex_;
    std::set<std::string> ids_;
  };
  auto& one = *nodes_[0];
  auto& two = *nodes_[1];
  one.Write([&](storage::Repositories& r) {
    EXPECT_TRUE(r.Authorities().Insert({"la1", "E1", "Northbrook", false}));
    return true;
  });
  Recorder recorder;
  app::ChangeFollower follower(
      two, recorder, two.ReadValue([](storage::Repositories& r) { return r.Children().ChangeCursor(); }),
      std::chrono::hours(1), storage::OpenPostgresBus(testing::AppUrl(database_), storage::kChildChangesChannel));
  follower.Start();
  std::string arrived;
  int stored = 0;
  std::chrono::steady_clock::duration took{};
  for (; stored < 10 && arrived.empty(); ++stored) {
    const std::string id = "K-woken-" + std::to_string(stored);
    const auto start = std::chrono::steady_clock::now();
    one.Write([&](storage::Repositories& r) {
      domain::Child c;
      c.id = id;
      c.authority_id = "la1";
      c.given_names = "Ada";
      c.family_name = "Woken";
      EXPECT_TRUE(r.Children().Insert(c));
      return true;
    });
    while (std::chrono::steady_clock::now() - start < std::chrono::seconds(1)) {
      if (recorder.Has(id)) {
        arrived = id;
        took = std::chrono::steady_clock::now() - start;
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  }
  ASSERT_FALSE(arrived.empty()) << "none of " << stored << " children stored on node one reached node two's "
                                << "follower within a second of its commit";
  EXPECT_EQ(recorder.Size(), static_cast<size_t>(stored)) << "the pass hands over every child stored before it";
  std::cout << "  a child stored on node one reached node two's follower "
            << std::chrono::duration_cast<std::chrono::microseconds>(took).count() / 1000.0 << " ms after its write began"
            << " (child " << stored << " of those stored)\n";
}

// One session used on two nodes at once (issue 16; the cluster bench's two-node writes got 503
// when the requests of one session all wrote its row and kept conflicting): a minute after the
// last touch, every request on both nodes, eight threads at once, is served; each node touches
// the row in a write of its own, at most once per thread that raced for it, and the row ends
// touched.
TEST_F(ClusterTest, OneSessionUsedOnTwoNodesAtOnceIsServedAndTouchedByFewWrites) {
  app::PasswordHasher hasher{app::HashCost::kMinimum};
  SeededRandom random{7};
  nodes_[0]->Write([&](storage::Repositories& r) {
    EXPECT_TRUE(r.Authorities().Insert({"la1", "E1", "Northbrook", false}));
    EXPECT_TRUE(r.Agencies().Insert({"ag-csc", "la1", "Northbrook Children's Services",
                                     domain::AgencyKind::kChildrensSocialCare, "01632 960000", "", ""}));
    domain::User u;
    u.id = "u-sw";
    u.username = "sw";
    u.display_name = "sw";
    u.role = domain::Role::kPractitioner;
    u.authority_id = "la1";
    u.agency_id = "ag-csc";
    u.password_hash = hasher.Hash("a long and unusual passphrase");
    EXPECT_TRUE(r.Users().Insert(u));
    return true;
  });
  std::vector<std::unique_ptr<app::StoreRateLimiter>> limiters;
  std::vector<std::unique_ptr<app::Context>> contexts;
  std::vector<std::unique_ptr<app::AuthService>> auths;
  for (auto& node : nodes_) {
    limiters.push_back(std::make_unique<app::StoreRateLimiter>(*node, clock_));
    contexts.push_back(std::make_unique<app::Context>(app::Context{*node, clock_, random, hasher, app::Policy{}}));
    auths.push_back(std::make_unique<app::AuthService>(*contexts.back(), *limiters.back()));
  }
  auto in = auths[0]->SignIn("sw", "a long and unusual passphrase", "10.0.0.1");
  ASSERT_TRUE(in) << in.error().message;
  for (auto& auth : auths) ASSERT_TRUE(auth->Authenticate(in->token, "10.0.0.1"));  // cached on both
  clock_.Advance(app::Policy{}.session_touch_interval + std::chrono::seconds(1));
  constexpr int kThreads = 4, kRequests = 25;
  std::vector<int64_t> writes_before;
  for (auto& node : nodes_) writes_before.push_back(node->Stats().write_jobs);
  std::atomic<int> served{0}, refused{0};
  std::vector<std::thread> threads;
  for (auto& auth : auths) {
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, auth = auth.get()] {
        for (int i = 0; i < kRequests; ++i) {
          try {
            (auth->Authenticate(in->token, "10.0.0.1") ? served : refused)++;
          } catch (const std::exception&) {
            refused++;
          }
        }
      });
    }
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(served.load(), 2 * kThreads * kRequests);
  EXPECT_EQ(refused.load(), 0);
  for (size_t n = 0; n < nodes_.size(); ++n) {
    EXPECT_LE(nodes_[n]->Stats().write_jobs - writes_before[n], kThreads) << "node " << n;
    EXPECT_EQ(auths[n]->TouchFailures(), 0u) << "node " << n;
  }
  const auto stored = nodes_[1]->ReadValue(
      [&](storage::Repositories& r) { return r.Sessions().Get(in->principal.session.token_hash); });
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->last_seen_at, clock_.Now());
}

// A node's checkpoint directory, in memory.
class MemoryArchive final : public app::CheckpointArchive {
 public:
  std::vector<int64_t> Numbers() const override {
    std::lock_guard lock(mutex_);
    std::vector<int64_t> out;
    for (const auto& [n, f] : files_) out.push_back(n);
    return out;
  }
  std::optional<std::string> Read(int64_t n) const override {
    std::lock_guard lock(mutex_);
    auto it = files_.find(n);
    if (it == files_.end()) return std::nullopt;
    return it->second;
  }
  void Write(int64_t n, const std::string& file) override {
    std::lock_guard lock(mutex_);
    files_[n] = file;
  }
  int64_t PublishedThrough() const override { return 0; }
  void SetPublishedThrough(int64_t) override {}
  std::string Describe() const override { return "a node's test archive"; }

  std::map<int64_t, std::string> Files() const {
    std::lock_guard lock(mutex_);
    return files_;
  }
  // Every checkpoint of several nodes together, as an operator gathers their directories.
  void Add(const MemoryArchive& other) {
    for (const auto& [n, f] : other.Files()) Write(n, f);
  }

 private:
  mutable std::mutex mutex_;
  std::map<int64_t, std::string> files_;
};

// ADR 0019 with two nodes on one PostgreSQL database, each with its own store, checkpointer and
// checkpoint directory, both asking to sign at the same moments (every "minute", from two
// threads, while both write records): only one signs; when it stops (dies, never releasing the
// lease) the other signs nothing until the lease is stale, then takes over and continues the
// numbering and the link from the log's newest checkpoint record; the log verifies against both
// nodes' checkpoints together, as `kith audit verify` checks it (app::VerifyAuditChain).
TEST_F(ClusterTest, OneNodeSignsAuditCheckpointsAndTheOtherTakesOverWhenItStops) {
  ed25519::Seed seed;
  seed.fill(7);
  const auto key = ed25519::SigningKey::FromSeed(seed);  // the cluster's key, shared by its nodes
  MemoryArchive archives[2];
  std::vector<std::unique_ptr<app::AuditCheckpointer>> checkpointers;
  for (int i = 0; i < 2; ++i) {
    checkpointers.push_back(std::make_unique<app::AuditCheckpointer>(*nodes_[i], clock_, key, archives[i], nullptr,
                                                                     "node-" + std::to_string(i)));
  }
  auto append = [&](int node, int n) {
    for (int i = 0; i < n; ++i) {
      domain::AuditRecord a;
      a.at = clock_.Now();
      a.actor_id = "u" + std::to_string(node);
      a.actor_role = "practitioner";
      a.authority_id = "la1";
      a.action = "child.read";
      a.child_id = "K" + std::to_string(i);
      a.why = "team member";
      nodes_[node]->Write([&](storage::Repositories& r) {
        r.Audit().Append(a);
        return true;
      });
    }
  };
  // Both nodes at once: each writes and then asks to sign; returns which signed.
  auto minute = [&] {
    std::optional<domain::AuditCheckpoint> signed_by[2];
    std::vector<std::thread> threads;
    for (int node = 0; node < 2; ++node) {
      threads.emplace_back([&, node] {
        append(node, 3);
        signed_by[node] = checkpointers[node]->Checkpoint();
      });
    }
    for (auto& t : threads) t.join();
    clock_.Advance(std::chrono::minutes(1));
    return std::pair{signed_by[0].has_value(), signed_by[1].has_value()};
  };
  constexpr int kMinutes = 6;
  int holder = -1;
  for (int m = 0; m < kMinutes; ++m) {
    const auto [zero, one] = minute();
    ASSERT_NE(zero, one) << "minute " << m << ": exactly one node signs (the log moved on both)";
    const int now = zero ? 0 : 1;
    if (holder < 0) holder = now;
    ASSERT_EQ(now, holder) << "minute " << m << ": the lease stays with its holder while it renews it";
  }
  const int other = 1 - holder;
  EXPECT_EQ(archives[holder].Files().size(), static_cast<size_t>(kMinutes));
  EXPECT_TRUE(archives[other].Files().empty());
  // The holder stops without giving the lease up (killed). The other keeps asking every minute.
  checkpointers[holder].reset();
  int waited = 0;
  for (;; ++waited) {
    append(other, 2);
    if (checkpointers[other]->Checkpoint()) break;
    ASSERT_LT(waited, 10) << "the other node never took over";
    clock_.Advance(std::chrono::minutes(1));
  }
  EXPECT_GE(std::chrono::minutes(waited), app::kCheckpointerLeaseStale - std::chrono::minutes(1))
      << "the lease was taken before it went stale";
  EXPECT_LE(std::chrono::minutes(waited), app::kCheckpointerLeaseStale) << "taken over once stale";
  clock_.Advance(std::chrono::minutes(1));
  append(other, 2);
  ASSERT_TRUE(checkpointers[other]->Checkpoint()) << "the new holder goes on signing";
  // It continued the numbering and the link of the node that stopped.
  const auto theirs = archives[holder].Files();
  const auto mine = archives[other].Files();
  ASSERT_EQ(mine.size(), 2u);
  EXPECT_EQ(mine.begin()->first, kMinutes + 1);
  EXPECT_EQ(domain::ParseCheckpoint(mine.begin()->second)->previous,
            domain::CheckpointFileHash(theirs.at(kMinutes)));
  EXPECT_EQ(domain::ParseCheckpoint(mine.at(kMinutes + 2))->previous, domain::CheckpointFileHash(mine.begin()->second));
  // The log verifies against both directories together, every checkpoint valid; either alone
  // misses the other's checkpoints, and verification says so.
  MemoryArchive gathered;
  gathered.Add(archives[0]);
  gathered.Add(archives[1]);
  auto report = app::VerifyAuditChain(*nodes_[0], {.checkpoints = &gathered, .trusted_keys = {key.public_key()}});
  std::string problems;
  for (const auto& p : report.problems) problems += p + "\n";
  EXPECT_TRUE(report.ok) << problems;
  EXPECT_EQ(report.checkpoints_valid, kMinutes + 2);
  EXPECT_GE(report.heads.size(), 2u) << "both nodes' chains (one per connection) are checked";
  report = app::VerifyAuditChain(*nodes_[1], {.checkpoints = &archives[other], .trusted_keys = {key.public_key()}});
  EXPECT_FALSE(report.ok) << "the stopped node's checkpoints are missing from the other's directory";
}

}  // namespace
}  // namespace kith
