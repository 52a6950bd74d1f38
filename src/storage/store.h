// A Store runs transactions against one database. It is the seam between the app layer and a
// storage back end; the composition root picks the back end.
//
// Thread safety: every method may be called from any thread at once. Read transactions run
// concurrently on a pool of connections. Write transactions are queued to a single writer and
// committed in groups (many callers' writes in one durable commit), so a Write returns only
// once its changes are durable. A caller on a server fiber waits (for its commit, or for a free
// reader) without holding its thread: see common/await.h. A Write must not be called from inside another transaction's
// callback (it would wait for itself).
#pragma once

#include <functional>
#include <optional>
#include <type_traits>
#include <utility>

#include "storage/repositories.h"

namespace kith::storage {

struct StoreStats {
  int64_t write_batches = 0;
  int64_t write_jobs = 0;
  int64_t write_commit_micros = 0;  // summed over batches
  int64_t reads = 0;
};

class Store {
 public:
  virtual ~Store() = default;

  // Runs `fn` inside a read-only snapshot. Exceptions from `fn` propagate.
  virtual void Read(const std::function<void(Repositories&)>& fn) = 0;

  // Runs `fn` inside a write transaction and returns once it is durable. If `fn` returns false
  // or throws, its changes (audit records included) are undone and the exception, if any,
  // propagates; other callers' writes in the same group are unaffected. If the commit itself
  // fails, StorageError is thrown and nothing of `fn` was stored.
  virtual void Write(const std::function<bool(Repositories&)>& fn) = 0;

  virtual StoreStats Stats() const = 0;

  // Grows after every write that may have changed who a session belongs to or what that user
  // may do: any change to users, sessions or local authorities (a batch is counted once its
  // commit or rollback is over, before its Write calls return). Caches of authenticated
  // sessions keep entries read at one version and drop them when it moves.
  virtual uint64_t IdentityVersion() const = 0;
  // Grows after every write that may have changed what a child's account shows: any change to
  // children's records, teams, users, agencies or merges (counted as IdentityVersion is).
  // Appending audit records alone leaves it. Caches of accounts keep entries read at one
  // version, taken before the read began, and drop them when it moves.
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
