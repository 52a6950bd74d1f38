#include "app/session_cache.h"

namespace kith::app {

std::optional<Principal> SessionCache::Find(const std::string& token_hash, uint64_t version) const {
  std::shared_ptr<const Principal> found;
  {
    std::lock_guard lock(mutex_);
    if (version != version_) return std::nullopt;
    auto it = entries_.find(token_hash);
    if (it == entries_.end()) return std::nullopt;
    found = it->second;
  }
  return *found;  // copied outside the lock
}

void SessionCache::Put(const std::string& token_hash, uint64_t version, const Principal& principal) {
  auto entry = std::make_shared<const Principal>(principal);
  std::lock_guard lock(mutex_);
  if (version < version_) return;  // read before a change that has since been committed
  if (version > version_ || entries_.size() >= kMaxEntries) {
    entries_.clear();
    version_ = version;
  }
  entries_[token_hash] = std::move(entry);
}

void SessionCache::Seen(const std::string& token_hash, TimePoint last_seen) {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(token_hash);
  if (it == entries_.end() || it->second->session.last_seen_at >= last_seen) return;
  auto copy = std::make_shared<Principal>(*it->second);
  copy->session.last_seen_at = last_seen;
  it->second = std::move(copy);
}

}  // namespace kith::app
