// Signed-in sessions held in memory, so that authenticating a request needs no database read.
//
// An entry is the principal as read from the store at one Store::IdentityVersion(); it is
// served only while the version has not moved, so signing out, expiry, a disabled or changed
// user and a changed authority policy all take effect on the next request (the store moves the
// version before the Write that made the change returns). The whole cache is dropped when the
// version moves: entries are cheap to read again and this needs no per-entry bookkeeping.
// Thread safety: safe from any thread.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "app/principal.h"

namespace kith::app {

class SessionCache {
 public:
  // The principal cached for `token_hash` at `version`, if any (its client is as read).
  std::optional<Principal> Find(const std::string& token_hash, uint64_t version) const;

  // Keeps `principal`, read from the store at `version` (read before the store was read).
  void Put(const std::string& token_hash, uint64_t version, const Principal& principal);

  // The session was seen at `last_seen` (a touch, which does not move the identity version):
  // its entry, if held, takes that time if it is later than its own.
  void Seen(const std::string& token_hash, TimePoint last_seen);

 private:
  // Beyond this many sessions the cache starts again rather than growing.
  static constexpr size_t kMaxEntries = 100'000;

  mutable std::mutex mutex_;
  uint64_t version_ = 0;  // the version every entry was read at
  std::unordered_map<std::string, std::shared_ptr<const Principal>> entries_;
};

}  // namespace kith::app
