// Keeps what this process holds in memory about children — the search index — in step with
// children stored by other processes over the same database (the other nodes of a cluster on
// PostgreSQL): follows the change feed (ChildRepository::ChangeCursor/ChangedSince) and hands
// every changed child's record to an observer (the search service), as the process's own writes
// do. Polls the database every `interval`; the feed is durable and ordered by commit, so a pass
// that fails (the database away) or a long pause misses nothing: the next pass starts from the
// same cursor. A child may be handed over more than once (the observer's update is idempotent),
// and the process's own writes come back through the feed too.
//
// Woken at once (PostgreSQL): given a bus on the channel every write to children notifies at its
// commit (storage::kChildChangesChannel), a pass starts as soon as a notification arrives, so
// another node's child is searchable here within milliseconds rather than at the next poll. The
// notification only prompts: a pass still reads the feed from the cursor, and the poll goes on,
// so one lost (the bus reconnecting after a failover) delays nothing beyond `interval`.
// Notifications that arrive during a pass make one more pass, not one each, and passes are at
// least 25 ms apart.
//
// Cost on PostgreSQL: a pass re-reads every child stored since the oldest transaction still
// running anywhere in the cluster began (the cursor cannot pass it), so a long transaction (a
// pg_dump, a long report) makes each pass re-read what was stored meanwhile. Back up with base
// backups and WAL archiving (README, operations), not with pg_dump against a busy primary.
//
// The word index and live updates follow the other nodes by other means (app/word_index.h,
// app/live_relay.h).
//
// Thread safety: CatchUp may be called from any thread (passes run one at a time); Start once.
// The destructor stops the follower's thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>

#include "app/child_observer.h"
#include "storage/message_bus.h"
#include "storage/store.h"

namespace kith::app {

class ChangeFollower {
 public:
  // Follows the feed from `cursor` (ChildRepository::ChangeCursor(), read before what `observer`
  // keeps was loaded from the database). `store` and `observer` must outlive the follower.
  // `prompt` (may be null): a bus whose every message wakes the follower for a pass at once (see
  // above); the follower listens on it from Start.
  ChangeFollower(storage::Store& store, ChildObserver& observer, int64_t cursor,
                 std::chrono::milliseconds interval = std::chrono::milliseconds(250),
                 std::unique_ptr<storage::MessageBus> prompt = nullptr)
      : store_(store), observer_(observer), cursor_(cursor), interval_(interval), prompt_(std::move(prompt)) {}
  ~ChangeFollower();
  ChangeFollower(const ChangeFollower&) = delete;
  ChangeFollower& operator=(const ChangeFollower&) = delete;

  // One pass now: hands over every child stored by a write committed before the call, then
  // returns how many records it handed over. Throws StorageError (StorageUnavailable) when the
  // database cannot be read; the cursor is then left where it was.
  int CatchUp();

  // Starts a thread that makes a pass every `interval`, and whenever woken, until the follower is
  // destroyed; starts listening on the `prompt` bus. A pass that fails is logged
  // (changes.follow_failed) and tried again at the next.
  void Start();

  // Asks the thread for a pass now (what a message on the `prompt` bus does).
  void Wake();

  // Records handed over so far.
  int64_t applied() const { return applied_.load(std::memory_order_relaxed); }

 private:
  storage::Store& store_;
  ChildObserver& observer_;
  std::mutex pass_mutex_;
  int64_t cursor_;  // under pass_mutex_
  const std::chrono::milliseconds interval_;
  std::atomic<int64_t> applied_{0};
  std::mutex wake_mutex_;
  std::condition_variable_any wake_;
  bool woken_ = false;  // under wake_mutex_
  std::jthread thread_;
  std::unique_ptr<storage::MessageBus> prompt_;  // last: destroyed (its listener joined) first
};

}  // namespace kith::app
