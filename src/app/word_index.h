// Keeps the word cloud current without recomputing it per request (docs/adr/0002): one
// in-memory domain::TermIndex per recently used child, built lazily from stored text, and one
// shared domain::CorpusStats loaded at start-up from the persisted document frequencies. Every
// write of text goes through a Lease: the child's index is updated inside the write
// transaction, the persisted statistics are updated in the same transaction, and the in-memory
// corpus once the write is durable. A write that fails after touching the index drops it, so
// it is rebuilt from storage on next use; a write whose callback runs again rebuilds it first
// (Lease::Begin).
//
// Several nodes may write one child's text (issue 16). Every write of text moves the child's
// text version on in the same transaction (WordStatsRepository::TouchChild), and a cached index
// remembers the version it was built at: Lease::Get and Lease::Begin read the version and rebuild
// an index another node has written past, so the cloud on every node shows every node's text.
// The corpus statistics (which weight the terms) learn other nodes' writes when RefreshCorpus
// reloads them from the database (on PostgreSQL every ten minutes: root.cpp).
//
// Memory (issue 17): a child's index grows with every text written to the child, so the cache is
// bounded by size as well as by number of children: when a lease ends, the least recently used
// children's indexes that nobody holds are dropped until the cached indexes' approximate bytes
// (domain::TermIndex::approximate_bytes) are within `max_cached_bytes`; a child whose index alone
// is larger is rebuilt from storage on each use. An index is charged when its lease ends, so the
// bound holds whenever no lease is in progress (each lease in progress may add its own index).
//
// Thread safety: all methods may be called from any thread. A Lease holds its child's lock:
// one writer or reader of a child's index at a time; different children proceed in parallel.
#pragma once

#include <atomic>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/await.h"
#include "domain/account/word_cloud.h"
#include "storage/store.h"

namespace kith::app {

class WordIndex {
  struct Slot {
    explicit Slot(std::string id) : child_id(std::move(id)) {}
    const std::string child_id;
    AwaitableMutex mutex;                      // held by a Lease across its write's commit
    std::unique_ptr<domain::TermIndex> index;  // null until built (or after a failed write)
    int64_t version = 0;                       // the child's text version the index was built at
    size_t charged = 0;                        // its bytes in cached_bytes_ (under slots_mutex_)
    size_t charged_entries = 0;                // its entries in cached_entries_ (likewise)
  };
  // Most recently used first.
  using Lru = std::list<std::pair<std::string, std::shared_ptr<Slot>>>;

 public:
  static constexpr size_t kDefaultMaxCachedBytes = size_t{32} << 20;

  explicit WordIndex(size_t max_cached_children = 512, size_t max_cached_bytes = kDefaultMaxCachedBytes)
      : max_cached_(max_cached_children), max_bytes_(max_cached_bytes) {}

  // What the cache holds now (for /metrics and tests).
  struct CacheStats {
    size_t children = 0;  // children with a slot (built or not)
    size_t indexes = 0;   // of those, with an index built and charged
    size_t entries = 0;   // entries in the charged indexes
    size_t bytes = 0;     // their approximate bytes
    size_t max_bytes = 0;
    uint64_t evictions = 0;  // indexes dropped to keep within max_bytes, since start
    uint64_t builds = 0;     // indexes built from storage, since start
  };
  CacheStats Stats() const;

  // Replaces the in-memory corpus with the persisted statistics (rebuilding them first when
  // there is stored text but no statistics). Call at start-up, before the index is shared
  // between threads.
  void LoadCorpus(storage::Store& store);

  // Recomputes the persisted statistics and the in-memory corpus from all stored text (after
  // a bulk load that bypassed the app layer, or to repair drift), and drops every cached
  // index. Returns the number of children with text. Like LoadCorpus, not concurrently with
  // other calls.
  int64_t Rebuild(storage::Store& store);

  // Reloads the in-memory corpus from the persisted statistics, which every node updates (another
  // node's writes are otherwise not in it). May run while the index is in use.
  void RefreshCorpus(storage::Store& store);

  const domain::CorpusStats& corpus() const { return *corpus_; }

  // Exclusive use of one child's index while the lease lives.
  class Lease {
   public:
    Lease(Lease&&) = default;
    ~Lease();

    // The child's index, built from `store` (a read transaction) if not cached or if the
    // child's text was written since it was built (on any node).
    domain::TermIndex& Get(storage::Store& store);
    // Call first in every run of the write's callback (a store may run it again after a
    // conflict: storage/store.h): when an earlier run touched the index, that run's changes are
    // forgotten — taken out again when they were only new texts added, otherwise by rebuilding
    // the index from `repos` (inside the write's transaction); when another node wrote the
    // child's text since it was built, it is rebuilt.
    void Begin(storage::Repositories& repos);
    // Inside a write transaction: indexes or forgets one text and records the change in the
    // persisted statistics through `repos`. The index must have been got first.
    void Add(storage::Repositories& repos, const std::string& id, const std::string& text);
    void Remove(storage::Repositories& repos, const std::string& id);
    // After the write: applies the recorded changes to the in-memory corpus when it was
    // committed; when it was not, takes out the texts it added, or drops the index (to be
    // rebuilt) if it changed more than that.
    void Finish(bool committed);

   private:
    friend class WordIndex;
    Lease(WordIndex& owner, std::shared_ptr<Slot> slot);
    void Record(storage::Repositories& repos, domain::TermDelta delta);
    // Takes this run's new texts out of the index again; false (nothing done) if the run did
    // more than add new texts, or there is no index.
    bool Undo();

    WordIndex* owner_;
    std::shared_ptr<Slot> slot_;
    std::unique_lock<AwaitableMutex> lock_;
    std::vector<domain::TermDelta> pending_;
    bool touched_ = false;
    std::vector<std::string> added_;  // this run's new texts, in order
    bool undoable_ = true;            // this run only added new texts
    std::optional<int64_t> version_after_;  // the child's text version once this write commits
  };

  Lease Acquire(const std::string& child_id);

  // Builds a child's index from stored text (current chronology versions, forum posts and the
  // family's own entries).
  static std::unique_ptr<domain::TermIndex> Build(storage::Repositories& repos, const std::string& child_id);
  // The indexed text of a chronology entry.
  static std::string EntryText(const domain::ChronologyEntry& entry);

 private:
  std::shared_ptr<Slot> SlotFor(const std::string& child_id);
  // Called by a lease ending, which holds `slot`'s lock: charges the slot's index as it now is,
  // then evicts least recently used slots nobody holds until within max_bytes_, and finally drops
  // `slot`'s own index if it alone is still over.
  void Settle(const std::shared_ptr<Slot>& slot);
  // Forgets a slot nobody holds; returns the next. Under slots_mutex_.
  Lru::iterator Erase(Lru::iterator it);

  size_t max_cached_;
  size_t max_bytes_;
  std::unique_ptr<domain::CorpusStats> corpus_ = std::make_unique<domain::CorpusStats>();
  mutable std::mutex slots_mutex_;
  Lru lru_;  // the map points into it
  std::unordered_map<std::string, Lru::iterator> slots_;
  size_t cached_bytes_ = 0;  // the slots' charges
  size_t cached_entries_ = 0;
  uint64_t evictions_ = 0;
  std::atomic<uint64_t> builds_{0};
};

}  // namespace kith::app
