#include "app/account_cache.h"

namespace kith::app {

std::shared_ptr<const CachedAccount> AccountCache::Find(const std::string& child_id, uint64_t version) const {
  std::lock_guard lock(mutex_);
  if (version != version_) return nullptr;
  const auto it = entries_.find(child_id);
  return it == entries_.end() ? nullptr : it->second;
}

void AccountCache::Put(const std::string& child_id, std::shared_ptr<const CachedAccount> entry) {
  std::lock_guard lock(mutex_);
  if (entry->version < version_) return;
  if (entry->version > version_ || entries_.size() >= capacity_) {
    entries_.clear();
    version_ = entry->version;
  }
  entries_[child_id] = std::move(entry);
}

}  // namespace kith::app
