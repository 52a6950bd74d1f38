#include "app/idempotency_service.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>

#include "app/test_fixture.h"
#include "storage/idempotent_store.h"

namespace kith::app {
namespace {

class IdempotencyServiceTest : public AppFixture {
 protected:
  void SetUp() override {
    AppFixture::SetUp();
    // As the composition root does: the store records claimed keys.
    ctx_.reset();
    store_ = std::make_unique<storage::IdempotentStore>(std::move(store_));
    ctx_ = std::make_unique<Context>(Context{*store_, clock_, random_, hasher_, Policy{}});
    keys_ = std::make_unique<IdempotencyService>(*ctx_);
  }

  void TearDown() override {
    keys_.reset();  // stores what is queued while the store is still open
    AppFixture::TearDown();
  }

  static KeyedRequest Request(const std::string& key, const std::string& body = "{}") {
    return {"user:u-sw", key, "fp:" + body, "POST", "/api/v1/agencies"};
  }

  // Runs a request as the HTTP step does: claimed, writing one agency, then finished.
  KeyCheck Run(const KeyedRequest& q, const std::string& agency_id, int status = 201, bool finish = true) {
    KeyCheck check = keys_->Start(q);
    if (check.verdict != KeyVerdict::kRun) return check;
    bool recorded;
    {
      storage::IdempotencyClaim claim(keys_->NewRecord(q));
      store_->Write([&](storage::Repositories& r) {
        EXPECT_TRUE(r.Agencies().Insert({agency_id, "la1", agency_id, domain::AgencyKind::kSchool, "", "", ""}));
        return true;
      });
      recorded = claim.recorded();
    }
    if (finish)
      keys_->Finish(q, recorded, StoredResponse{status, "application/json", "{\"id\":\"" + agency_id + "\"}"});
    return check;
  }

  size_t Agencies() {
    return store_->ReadValue([](storage::Repositories& r) { return r.Agencies().ListByAuthority("la1").size(); });
  }

  std::unique_ptr<IdempotencyService> keys_;
};

TEST_F(IdempotencyServiceTest, TheSameRequestAgainIsAnsweredFromTheStoredResponse) {
  EXPECT_EQ(Run(Request("k1"), "ag-new").verdict, KeyVerdict::kRun);
  const size_t agencies = Agencies();
  auto again = Run(Request("k1"), "ag-twice");
  EXPECT_EQ(again.verdict, KeyVerdict::kReplay);
  ASSERT_TRUE(again.response);
  EXPECT_EQ(again.response->status, 201);
  EXPECT_EQ(again.response->body, "{\"id\":\"ag-new\"}");
  EXPECT_EQ(Agencies(), agencies);
}

TEST_F(IdempotencyServiceTest, AStoredResponseIsReplayedAfterARestart) {
  Run(Request("k1"), "ag-new");
  keys_.reset();  // shutting down stores every finished response
  IdempotencyService restarted(*ctx_);
  auto again = restarted.Start(Request("k1"));
  EXPECT_EQ(again.verdict, KeyVerdict::kReplay);
  ASSERT_TRUE(again.response);
  EXPECT_EQ(again.response->body, "{\"id\":\"ag-new\"}");
  keys_ = std::make_unique<IdempotencyService>(*ctx_);
}

TEST_F(IdempotencyServiceTest, AResponseIsReplayedFromMemoryUntilItIsDurable) {
  Run(Request("k1"), "ag-new");
  EXPECT_EQ(keys_->Start(Request("k1")).verdict, KeyVerdict::kReplay);  // from memory or the store
  keys_->Flush();
  auto stored =
      store_->ReadValue([&](storage::Repositories& r) { return r.Idempotency().Get("user:u-sw", "k1", clock_.Now()); });
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->status, 201);
  EXPECT_EQ(keys_->Start(Request("k1")).verdict, KeyVerdict::kReplay);  // from the store
}

TEST_F(IdempotencyServiceTest, TheKeyOnADifferentRequestIsAMismatch) {
  Run(Request("k1", "{\"name\":\"A\"}"), "ag-a");
  EXPECT_EQ(keys_->Start(Request("k1", "{\"name\":\"B\"}")).verdict, KeyVerdict::kMismatch);
}

TEST_F(IdempotencyServiceTest, ASecondRequestWhileTheFirstRunsIsInFlight) {
  ASSERT_EQ(keys_->Start(Request("k1")).verdict, KeyVerdict::kRun);
  EXPECT_EQ(keys_->Start(Request("k1")).verdict, KeyVerdict::kInFlight);
  EXPECT_EQ(keys_->Start(Request("k1", "other")).verdict, KeyVerdict::kMismatch);
  keys_->Finish(Request("k1"), false, StoredResponse{400, "application/problem+json", "{}"});
  // Nothing was written, so nothing was kept: the retry runs.
  EXPECT_EQ(keys_->Start(Request("k1")).verdict, KeyVerdict::kRun);
}

TEST_F(IdempotencyServiceTest, AChangeWhoseResponseWasLostIsNeverMadeTwice) {
  Run(Request("k1"), "ag-new", 201, /*finish=*/false);  // the process dies here
  const size_t agencies = Agencies();
  IdempotencyService restarted(*ctx_);  // a new process (or another node): nothing in flight
  // Just after the change, the run may still be going on elsewhere: retry shortly.
  clock_.Advance(kIdempotencyRunGrace - std::chrono::seconds(1));
  EXPECT_EQ(restarted.Start(Request("k1")).verdict, KeyVerdict::kInFlight);
  EXPECT_EQ(restarted.Start(Request("k1", "other")).verdict, KeyVerdict::kMismatch);
  clock_.Advance(std::chrono::seconds(1));
  EXPECT_EQ(restarted.Start(Request("k1")).verdict, KeyVerdict::kResponseLost);
  EXPECT_EQ(Agencies(), agencies);
}

TEST_F(IdempotencyServiceTest, AnotherNodesResponseIsReplayedOnceItIsStored) {
  IdempotencyService other(*ctx_);  // a second node over the same database
  Run(Request("k1"), "ag-new");     // on this node; its response is written in the background
  const KeyVerdict seen = other.Start(Request("k1")).verdict;
  EXPECT_TRUE(seen == KeyVerdict::kInFlight || seen == KeyVerdict::kReplay) << static_cast<int>(seen);
  keys_->Flush();
  auto replayed = other.Start(Request("k1"));
  EXPECT_EQ(replayed.verdict, KeyVerdict::kReplay);
  ASSERT_TRUE(replayed.response);
  EXPECT_EQ(replayed.response->body, "{\"id\":\"ag-new\"}");
}

// A database that refuses the next `refuse` writes, as one does while its primary fails over.
class Outage final : public storage::Store {
 public:
  explicit Outage(storage::Store& inner) : inner_(inner) {}
  void Read(const std::function<void(storage::Repositories&)>& fn) override { inner_.Read(fn); }
  void Write(const std::function<bool(storage::Repositories&)>& fn) override {
    if (refuse > 0) {
      --refuse;
      throw storage::StorageUnavailable("the database is failing over");
    }
    inner_.Write(fn);
  }
  storage::StoreStats Stats() const override { return inner_.Stats(); }
  uint64_t IdentityVersion() const override { return inner_.IdentityVersion(); }
  uint64_t RecordsVersion() const override { return inner_.RecordsVersion(); }

  std::atomic<int> refuse = 0;

 private:
  storage::Store& inner_;
};

class IdempotencyOutageTest : public IdempotencyServiceTest {
 protected:
  // A node whose change (with its key) was made just before the database became unavailable,
  // and whose response it then stores in the background.
  void RunBeforeAnOutage(int refusals) {
    ASSERT_EQ(node_->Start(Request("k1")).verdict, KeyVerdict::kRun);
    {
      storage::IdempotencyClaim claim(node_->NewRecord(Request("k1")));
      store_->Write([](storage::Repositories& r) {
        EXPECT_TRUE(r.Agencies().Insert({"ag-new", "la1", "ag-new", domain::AgencyKind::kSchool, "", "", ""}));
        return true;
      });
      ASSERT_TRUE(claim.recorded());
    }
    outage_->refuse = refusals;
    node_->Finish(Request("k1"), /*recorded=*/true, StoredResponse{201, "application/json", "{\"id\":\"ag-new\"}"});
    node_->Flush();
  }

  void SetUp() override {
    IdempotencyServiceTest::SetUp();
    outage_ = std::make_unique<Outage>(*store_);
    node_ctx_ = std::make_unique<Context>(Context{*outage_, clock_, random_, hasher_, Policy{}});
    node_ = std::make_unique<IdempotencyService>(*node_ctx_, std::chrono::milliseconds(1));
  }
  void TearDown() override {
    node_.reset();
    node_ctx_.reset();
    outage_.reset();
    IdempotencyServiceTest::TearDown();
  }

  std::unique_ptr<Outage> outage_;
  std::unique_ptr<Context> node_ctx_;
  std::unique_ptr<IdempotencyService> node_;
};

TEST_F(IdempotencyOutageTest, AResponseIsStoredOnceTheDatabaseIsBack) {
  RunBeforeAnOutage(5);
  EXPECT_EQ(outage_->refuse, 0) << "every refused attempt was followed by another";
  auto replayed = keys_->Start(Request("k1"));  // another node, reading the database
  EXPECT_EQ(replayed.verdict, KeyVerdict::kReplay);
  ASSERT_TRUE(replayed.response);
  EXPECT_EQ(replayed.response->body, "{\"id\":\"ag-new\"}");
}

TEST_F(IdempotencyOutageTest, AResponseThatCannotBeStoredIsLostAndNeverRunAgain) {
  RunBeforeAnOutage(kResponseStoreAttempts);
  EXPECT_EQ(outage_->refuse, 0);
  EXPECT_EQ(node_->Start(Request("k1")).verdict, KeyVerdict::kResponseLost);
  clock_.Advance(kIdempotencyRunGrace);
  EXPECT_EQ(keys_->Start(Request("k1")).verdict, KeyVerdict::kResponseLost);
}

TEST_F(IdempotencyServiceTest, AFailureAfterTheChangeIsALostResponseAtOnceOnItsOwnNode) {
  // The handler threw after its change: the process that ran it knows the response is gone and
  // does not ask for a retry.
  Run(Request("k1"), "ag-new", 201, /*finish=*/false);
  keys_->Finish(Request("k1"), /*recorded=*/true, std::nullopt);
  EXPECT_EQ(keys_->Start(Request("k1")).verdict, KeyVerdict::kResponseLost);
}

TEST_F(IdempotencyServiceTest, AServerErrorAfterTheChangeIsALostResponse) {
  Run(Request("k1"), "ag-new", 500);
  EXPECT_EQ(keys_->Start(Request("k1")).verdict, KeyVerdict::kResponseLost);
}

TEST_F(IdempotencyServiceTest, ARetryLaterResponseIsNotKept) {
  Run(Request("k1"), "ag-new", 429);
  EXPECT_EQ(keys_->Start(Request("k1")).verdict, KeyVerdict::kRun);
}

TEST_F(IdempotencyServiceTest, KeysExpireAfterADayAndAreSwept) {
  Run(Request("k1"), "ag-new");
  Run(Request("k2"), "ag-other");
  keys_->Flush();
  clock_.Advance(kIdempotencyKeyLifetime - std::chrono::seconds(1));
  EXPECT_EQ(keys_->Start(Request("k1", "changed")).verdict, KeyVerdict::kMismatch);
  clock_.Advance(std::chrono::seconds(1));
  EXPECT_EQ(keys_->Sweep(), 2);
  EXPECT_EQ(keys_->Sweep(), 0);
  EXPECT_EQ(Run(Request("k1", "changed"), "ag-later").verdict, KeyVerdict::kRun);
}

TEST_F(IdempotencyServiceTest, AReplayIsAudited) {
  const auto p = As("sw");
  keys_->AuditReplay(p, Request("k1"), "K123", 201);
  auto last = store_->ReadValue(
      [](storage::Repositories& r) { return r.Audit().Range(0, r.Audit().Heads().at(0).seq - 1, 1); });
  ASSERT_EQ(last.size(), 1u);
  EXPECT_EQ(last[0].action, "request.replay");
  EXPECT_EQ(last[0].actor_id, "u-sw");
  EXPECT_EQ(last[0].child_id, "K123");
  EXPECT_EQ(last[0].detail, R"({"method":"POST","status":201,"target":"/api/v1/agencies"})");
}

}  // namespace
}  // namespace kith::app
