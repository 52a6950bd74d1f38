#include "app/word_index.h"

#include <map>
#include <set>

namespace kith::app {

std::string WordIndex::EntryText(const domain::ChronologyEntry& entry) {
  // A line break between summary and detail stops a phrase running across them.
  return entry.detail.empty() ? entry.summary : entry.summary + "\n" + entry.detail;
}

std::unique_ptr<domain::TermIndex> WordIndex::Build(storage::Repositories& repos, const std::string& child_id) {
  auto index = std::make_unique<domain::TermIndex>();
  auto entries = repos.Chronology().Current(child_id, 0);
  // Oldest first, so that "most recently added" in the cloud follows the record.
  for (auto it = entries.rbegin(); it != entries.rend(); ++it) index->Add(it->entry.id, EntryText(it->entry));
  for (const auto& [id, body] : repos.Forum().PostTexts(child_id)) index->Add(id, body);
  for (const auto& e : repos.Family().Entries(child_id)) index->Add(e.id, e.text);
  return index;
}

namespace {

// The persisted statistics as one delta (CorpusStats only learns through deltas: a term used by n
// children appears n times); `missing` when there is text but no statistics.
domain::TermDelta ReadCorpus(storage::Store& store, bool& missing) {
  domain::TermDelta all;
  store.Read([&](storage::Repositories& r) {
    all = {};
    all.documents = static_cast<int>(r.WordStats().Documents());
    // Text written without the statistics (a bulk load, the demo data, a database from before
    // they existed).
    missing =
        all.documents == 0 && (!r.Chronology().ChildrenWithEntries().empty() || !r.Forum().ChildrenWithPosts().empty());
    r.WordStats().ForEach([&](const std::string& term, int64_t df) {
      for (int64_t i = 0; i < df; ++i) all.appeared.push_back(term);
    });
  });
  return all;
}

}  // namespace

void WordIndex::LoadCorpus(storage::Store& store) {
  bool missing = false;
  domain::TermDelta all = ReadCorpus(store, missing);
  // Compute the statistics now rather than serve a cloud weighted against nothing.
  if (missing) {
    Rebuild(store);
    return;
  }
  corpus_ = std::make_unique<domain::CorpusStats>();
  corpus_->Apply(all);
}

void WordIndex::RefreshCorpus(storage::Store& store) {
  bool missing = false;
  corpus_->Reset(ReadCorpus(store, missing));
}

int64_t WordIndex::Rebuild(storage::Store& store) {
  {
    std::lock_guard lock(slots_mutex_);
    slots_.clear();
    lru_.clear();
    cached_bytes_ = cached_entries_ = 0;
  }
  domain::TermDelta corpus_delta;
  int64_t children = 0;
  store.Write([&](storage::Repositories& r) {
    corpus_delta = {};
    children = 0;
    r.WordStats().Clear();
    std::set<std::string> ids;
    for (auto& id : r.Chronology().ChildrenWithEntries()) ids.insert(std::move(id));
    for (auto& id : r.Forum().ChildrenWithPosts()) ids.insert(std::move(id));
    for (auto& id : r.Family().ChildrenWithEntries()) ids.insert(std::move(id));
    for (const auto& id : ids) {
      // The terms a child uses are the net of the deltas of building its index.
      domain::TermIndex index;
      std::map<std::string, int> net;
      int documents = 0;
      auto note = [&](const domain::TermDelta& d) {
        for (const auto& t : d.appeared) ++net[t];
        for (const auto& t : d.disappeared) --net[t];
        documents += d.documents;
      };
      auto entries = r.Chronology().Current(id, 0);
      for (auto it = entries.rbegin(); it != entries.rend(); ++it) note(index.Add(it->entry.id, EntryText(it->entry)));
      for (const auto& [post_id, body] : r.Forum().PostTexts(id)) note(index.Add(post_id, body));
      for (const auto& e : r.Family().Entries(id)) note(index.Add(e.id, e.text));
      std::vector<std::string> used;
      for (const auto& [term, n] : net) {
        if (n > 0) used.push_back(term);
      }
      r.WordStats().Apply(used, {}, documents);
      corpus_delta.appeared.insert(corpus_delta.appeared.end(), used.begin(), used.end());
      corpus_delta.documents += documents;
      if (documents > 0) ++children;
    }
    return true;
  });
  corpus_ = std::make_unique<domain::CorpusStats>();
  corpus_->Apply(corpus_delta);
  return children;
}

WordIndex::Lease WordIndex::Acquire(const std::string& child_id) { return Lease(*this, SlotFor(child_id)); }

std::shared_ptr<WordIndex::Slot> WordIndex::SlotFor(const std::string& child_id) {
  std::lock_guard lock(slots_mutex_);
  if (auto it = slots_.find(child_id); it != slots_.end()) {
    lru_.splice(lru_.begin(), lru_, it->second);
    return it->second->second;
  }
  lru_.emplace_front(child_id, std::make_shared<Slot>(child_id));
  slots_[child_id] = lru_.begin();
  // Evict the least recently used slots nobody holds; a held one is kept until next time.
  for (auto it = std::prev(lru_.end()); slots_.size() > max_cached_ && it != lru_.begin();) {
    auto prev = std::prev(it);
    if (it->second.use_count() == 1) Erase(it);
    it = prev;
  }
  return lru_.front().second;
}

WordIndex::Lru::iterator WordIndex::Erase(Lru::iterator it) {
  cached_bytes_ -= it->second->charged;
  cached_entries_ -= it->second->charged_entries;
  if (it->second->charged > 0) ++evictions_;
  slots_.erase(it->first);
  return lru_.erase(it);
}

void WordIndex::Settle(const std::shared_ptr<Slot>& slot) {
  std::lock_guard lock(slots_mutex_);
  // A slot forgotten while held (Rebuild) is no longer counted.
  const auto found = slots_.find(slot->child_id);
  if (found == slots_.end() || found->second->second != slot) {
    slot->charged = slot->charged_entries = 0;
    return;
  }
  cached_bytes_ -= slot->charged;
  cached_entries_ -= slot->charged_entries;
  slot->charged = slot->index ? slot->index->approximate_bytes() : 0;
  slot->charged_entries = slot->index ? slot->index->entry_count() : 0;
  cached_bytes_ += slot->charged;
  cached_entries_ += slot->charged_entries;
  // Least recently used first; `slot` itself, just used, is kept to the last.
  for (auto it = lru_.end(); cached_bytes_ > max_bytes_ && it != lru_.begin();) {
    --it;
    if (it->second != slot && it->second->charged > 0 && it->second.use_count() == 1) it = Erase(it);
  }
  if (cached_bytes_ > max_bytes_ && slot->index) {
    cached_bytes_ -= slot->charged;
    cached_entries_ -= slot->charged_entries;
    slot->charged = slot->charged_entries = 0;
    slot->index.reset();
    ++evictions_;
  }
}

WordIndex::CacheStats WordIndex::Stats() const {
  std::lock_guard lock(slots_mutex_);
  CacheStats stats;
  stats.children = slots_.size();
  stats.entries = cached_entries_;
  stats.bytes = cached_bytes_;
  stats.max_bytes = max_bytes_;
  stats.evictions = evictions_;
  stats.builds = builds_.load(std::memory_order_relaxed);
  for (const auto& [id, slot] : lru_) {
    if (slot->charged > 0) ++stats.indexes;
  }
  return stats;
}

WordIndex::Lease::Lease(WordIndex& owner, std::shared_ptr<Slot> slot)
    : owner_(&owner), slot_(std::move(slot)), lock_(slot_->mutex) {}

WordIndex::Lease::~Lease() {
  if (!slot_) return;  // moved from
  // A lease abandoned mid-write (an exception between Add and Finish) must not leave an index
  // that disagrees with storage.
  if (touched_) slot_->index.reset();
  owner_->Settle(slot_);
}

domain::TermIndex& WordIndex::Lease::Get(storage::Store& store) {
  store.Read([&](storage::Repositories& r) {
    const int64_t version = r.WordStats().ChildVersion(slot_->child_id);
    if (slot_->index && slot_->version == version) return;
    slot_->index = Build(r, slot_->child_id);
    owner_->builds_.fetch_add(1, std::memory_order_relaxed);
    slot_->version = version;
  });
  return *slot_->index;
}

void WordIndex::Lease::Begin(storage::Repositories& repos) {
  const int64_t version = repos.WordStats().ChildVersion(slot_->child_id);
  // A run again after a conflict: its texts are taken out rather than the child's whole record
  // read and indexed again, which cost more with every text the child had (docs/BENCHMARKS.md,
  // "Soak", run 5).
  const bool current = slot_->index && slot_->version == version;
  if (current && (!touched_ || Undo())) {
    pending_.clear();
    touched_ = false;
    version_after_.reset();
    return;
  }
  slot_->index = Build(repos, slot_->child_id);
  owner_->builds_.fetch_add(1, std::memory_order_relaxed);
  slot_->version = version;
  pending_.clear();
  added_.clear();
  undoable_ = true;
  touched_ = false;
  version_after_.reset();
}

bool WordIndex::Lease::Undo() {
  if (!undoable_ || !slot_->index) return false;
  for (auto it = added_.rbegin(); it != added_.rend(); ++it) slot_->index->Remove(*it);
  added_.clear();
  return true;
}

void WordIndex::Lease::Record(storage::Repositories& repos, domain::TermDelta delta) {
  touched_ = true;
  if (!version_after_) version_after_ = repos.WordStats().TouchChild(slot_->child_id);
  repos.WordStats().Apply(delta.appeared, delta.disappeared, delta.documents);
  pending_.push_back(std::move(delta));
}

void WordIndex::Lease::Add(storage::Repositories& repos, const std::string& id, const std::string& text) {
  const size_t before = slot_->index->entry_count();
  auto delta = slot_->index->Add(id, text);
  if (slot_->index->entry_count() == before + 1) {
    added_.push_back(id);
  } else {
    undoable_ = false;  // it replaced a text
  }
  Record(repos, std::move(delta));
}

void WordIndex::Lease::Remove(storage::Repositories& repos, const std::string& id) {
  undoable_ = false;
  Record(repos, slot_->index->Remove(id));
}

void WordIndex::Lease::Finish(bool committed) {
  if (committed) {
    for (const auto& d : pending_) owner_->corpus_->Apply(d);
    if (version_after_) slot_->version = *version_after_;
  } else if (touched_ && !Undo()) {
    slot_->index.reset();
  }
  pending_.clear();
  added_.clear();
  undoable_ = true;
  touched_ = false;
  version_after_.reset();
}

}  // namespace kith::app
