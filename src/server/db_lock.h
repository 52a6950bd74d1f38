// Who may write a database file: a running server, or one offline writer (`kith import --db`),
// never both. A server's store keeps the audit chain's head in memory and its search index in
// memory, so a second writer behind its back would fork the audit chain and leave imported
// children unsearchable. Each holds an exclusive advisory lock (flock) on "<database>.lock" for
// as long as it writes; the lock goes with the process, so a crash leaves nothing to clean up.
// Thread safety: a DatabaseLock is used by one thread; distinct instances are independent.
#pragma once

#include <memory>
#include <string>

#include "common/result.h"

namespace kith::server {

class DatabaseLock {
 public:
  ~DatabaseLock();
  DatabaseLock(const DatabaseLock&) = delete;
  DatabaseLock& operator=(const DatabaseLock&) = delete;

  // Takes the lock of `database_path`, or fails with kConflict when another process holds it
  // (`holder` names who is expected to hold it, for the message).
  static Result<std::unique_ptr<DatabaseLock>> Acquire(const std::string& database_path, const std::string& holder);

 private:
  explicit DatabaseLock(int fd) : fd_(fd) {}
  int fd_;
};

}  // namespace kith::server
