// Keeps what this process holds in memory about children — the search index and the word index —
// in step with the database when other processes write to it (other nodes of a cluster, the
// command line): follows the store's change feed (storage::ChangeFeed). It wakes when the store
// hears of changes (Store::Listen, topic "changes"; PostgreSQL delivers them within milliseconds)
// and at least every `interval` besides, so a missed message delays a change by at most that.
// For every child whose record changed it reads the record into the search index; for every child
// whose text changed it drops that child's word index (rebuilt from the database on next use) and
// reloads the corpus statistics (at most once per `corpus_interval`). Applying a change twice is
// harmless, so the feed may repeat itself. When the feed cannot say what changed (this process
// was away longer than the feed remembers), the search index is rebuilt from the database.
//
// Thread safety: constructed and destroyed on one thread; CatchUp may be called from any thread.
// The follower's own thread does the rest.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>

#include "app/word_index.h"
#include "linkage/search_index.h"
#include "storage/store.h"

namespace kith::app {

struct FollowerOptions {
  std::chrono::milliseconds interval{1000};
  std::chrono::milliseconds corpus_interval{30'000};
  int page = 50'000;  // changes read at once; more mean the index is rebuilt
};

class ChangeFollower {
 public:
  // Follows the feed from `position` (Repositories::Changes().Position(), read before `index` and
  // `words` were loaded). `index` and `words` must outlive the follower.
  ChangeFollower(storage::Store& store, linkage::SearchIndex& index, WordIndex& words, uint64_t position,
                 FollowerOptions options = {});
  ~ChangeFollower();

  // Applies every change committed before the call, then returns. Throws StorageError (or
  // StorageUnavailable) when the database cannot be read.
  void CatchUp();

  // Changes applied so far (a change that came twice counts twice).
  int64_t applied() const;

 private:
  void Run(std::stop_token stop);
  void Apply();  // one pass over the feed; callers hold apply_mutex_

  storage::Store& store_;
  linkage::SearchIndex& index_;
  WordIndex& words_;
  FollowerOptions options_;
  std::mutex apply_mutex_;  // one pass at a time
  uint64_t position_;       // under apply_mutex_
  std::chrono::steady_clock::time_point corpus_loaded_;
  bool corpus_stale_ = false;
  std::mutex wake_mutex_;
  std::condition_variable_any wake_;
  bool woken_ = false;
  std::atomic<int64_t> applied_{0};
  std::unique_ptr<storage::Subscription> subscription_;
  std::jthread thread_;  // last: stops before the rest goes
};

}  // namespace kith::app
