// The children's accounts most recently read (record, team, agencies), so that reading an
// account again — the most frequent request — needs no queries. An entry is what one read
// transaction saw, tagged with Store::RecordsVersion() as it stood before that transaction
// began; it is served only while the version has not moved, so a change to any child's record,
// team, user, agency or merge empties the cache before its Write returns. Who may see the
// account is still decided on every request, from the entry's team and the caller.
// Thread safety: safe from any thread; the lock is never held across a wait.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "domain/child.h"
#include "domain/organisation.h"
#include "storage/repositories.h"

namespace kith::app {

struct CachedAccount {
  uint64_t version = 0;  // Store::RecordsVersion() before the read
  domain::Child child;
  std::vector<storage::TeamMemberDetail> team;
  std::vector<domain::Agency> agencies;  // every agency the record refers to
};

class AccountCache {
 public:
  explicit AccountCache(size_t capacity = 4096) : capacity_(capacity) {}

  // The entry for `child_id` read at `version`, or null.
  std::shared_ptr<const CachedAccount> Find(const std::string& child_id, uint64_t version) const;

  // Keeps `entry` unless a newer version has been seen; a newer version drops every older entry.
  // When full, the cache starts again empty (accounts are cheap to read again).
  void Put(const std::string& child_id, std::shared_ptr<const CachedAccount> entry);

 private:
  const size_t capacity_;
  mutable std::mutex mutex_;
  uint64_t version_ = 0;
  std::unordered_map<std::string, std::shared_ptr<const CachedAccount>> entries_;
};

}  // namespace kith::app
