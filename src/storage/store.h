// A Store runs transactions against one database. It is the seam between the app layer and a
// storage back end; the composition root picks the back end (sqlite/ or postgres/).
//
// What every back end guarantees:
// - Isolation. A Read sees one consistent snapshot of committed data. Writes are serializable:
//   every committed Write has the effect it would have had running alone, in some order, and a
//   Read's snapshot reflects a prefix of that order as far as any single Write is concerned.
// - Atomicity. A Write's changes (its audit records included) are stored all together or not
//   at all, whatever happens to the process, the connection or the database server.
// - Durability before acknowledgement. Write returns normally only once its changes are durable
//   (on SQLite: fsync of the WAL, synchronous=FULL; on PostgreSQL: the commit's WAL flushed, and
//   replicated when the server requires synchronous standbys). A crash after Write returned
//   loses nothing of it.
// - Bounded retry. A back end whose writes run concurrently (PostgreSQL) may find that a Write
//   conflicts with another (a serialisation failure or a deadlock). It then undoes the attempt
//   and calls the callback again in a new transaction, a bounded number of times (postgres: 8)
//   with a short random pause between; after the last it throws StorageConflict. So a Write
//   callback must be repeatable: each call starts again from nothing, must only (re)assign what
//   it reports to its caller, and must have no effects outside the repositories that a second
//   call would double (an in-memory index updated inside the callback must be reset on each
//   call: see app/word_index.h). Read callbacks run once.
// - Unavailability. When the database cannot be reached (a lost connection, a failover, a
//   server shutting down), the call throws StorageUnavailable. If it happened before any of a
//   Write's changes could have been committed, nothing of it was stored; if the connection was
//   lost while the commit was in flight, the Write may or may not have been stored, and the call
//   throws StorageOutcomeUnknown (a StorageUnavailable; clients make such requests safe to retry
//   with idempotency keys). A back end reconnects by itself
//   for later calls. Nothing is ever half-written.
// - Other failures (a broken database, a violated constraint, a write in a read transaction)
//   throw StorageError; nothing of the Write was stored.
//
// How writes are committed is the back end's own affair: SQLite queues them to a single writer
// that commits many callers' writes in one durable transaction (group commit); PostgreSQL runs
// each on a pooled connection of its own and leaves the grouping of WAL flushes to the server.
//
// Thread safety: every method may be called from any thread at once. A caller on a server fiber
// waits (for its commit, for a connection or a reader) without holding its thread: see
// common/await.h. Neither Read nor Write may be called from inside another transaction's
// callback (it could wait for itself).
#pragma once

#include <exception>
#include <functional>
#include <optional>
#include <type_traits>
#include <utility>

#include "storage/repositories.h"

namespace kith::storage {

// The database could not be reached; see "Unavailability" above. Answered 503 with Retry-After.
class StorageUnavailable : public StorageError {
 public:
  using StorageError::StorageError;
};

// The connection was lost while a Write's commit was in flight (a failover, a killed server):
// the Write may or may not have been stored, and the back end cannot tell which. Thrown instead
// of StorageUnavailable (it is one) so that the answer can say so: 503 `outcome_unknown` with
// Retry-After, telling the client to retry with the same Idempotency-Key, whose retry either
// makes the change or is told `response_lost` (it was made). Never thrown by SQLite, whose
// commit is local.
class StorageOutcomeUnknown : public StorageUnavailable {
 public:
  using StorageUnavailable::StorageUnavailable;
};

// A Write kept conflicting with concurrent writes after its bounded retries; nothing of it was
// stored. Answered 503 with Retry-After: trying again later is the remedy.
class StorageConflict : public StorageError {
 public:
  using StorageError::StorageError;
};

// True for the failures that pass by themselves (the database unreachable, as during a
// failover, or a write that kept conflicting): trying again shortly is the remedy.
inline bool IsPassing(const std::exception& e) {
  return dynamic_cast<const StorageUnavailable*>(&e) != nullptr || dynamic_cast<const StorageConflict*>(&e) != nullptr;
}

struct StoreStats {
  int64_t write_batches = 0;        // commits (SQLite: one per group; PostgreSQL: one per Write)
  int64_t write_jobs = 0;           // Write calls committed or undone
  int64_t write_commit_micros = 0;  // summed over commits
  int64_t write_retries = 0;        // callbacks run again after a conflict
  int64_t reads = 0;
};

class Store {
 public:
  virtual ~Store() = default;

  // Runs `fn` inside a read-only snapshot. Exceptions from `fn` propagate.
  virtual void Read(const std::function<void(Repositories&)>& fn) = 0;

  // Runs `fn` inside a write transaction and returns once it is durable. If `fn` returns false
  // or throws, its changes (audit records included) are undone and the exception, if any,
  // propagates; other callers' writes are unaffected. `fn` may be called more than once (see
  // "Bounded retry" above). If the commit fails, StorageError (or one of its kinds above) is
  // thrown.
  virtual void Write(const std::function<bool(Repositories&)>& fn) = 0;

  virtual StoreStats Stats() const = 0;

  // Grows after every committed write that may have changed who a session belongs to or what
  // that user may do: any change to users, sessions or local authorities, whichever process
  // made it (on a back end shared by several processes the value comes from the database). It
  // has moved before that write's Write call returns. An undone write may or may not move it.
  // Caches of authenticated sessions read it before reading what they cache, and drop an
  // entry when it moves.
  virtual uint64_t IdentityVersion() const = 0;
  // As IdentityVersion, for what a child's account shows: any change to children's records,
  // teams, users, agencies or merges. Appending audit records alone leaves it.
  virtual uint64_t RecordsVersion() const = 0;

  // Convenience: run `fn` in a read transaction and return its result.
  template <typename F>
  auto ReadValue(F&& fn) -> std::invoke_result_t<F, Repositories&> {
    using T = std::invoke_result_t<F, Repositories&>;
    std::optional<T> out;
    Read([&](Repositories& r) { out.emplace(fn(r)); });
    return std::move(*out);
  }
};

}  // namespace kith::storage
