// The server's signed audit checkpoints (docs/audit-format.md, "Checkpoints"). Now and then (the
// composition root asks every minute and at shutdown) the checkpointer signs the heads of every
// chain of the audit log (AuditLog::Heads) with the server's Ed25519 key, keeps the checkpoint in
// an archive outside the database, records in the log itself that it did so (action
// `audit.checkpoint`), and sends it to an external endpoint if one is configured. `kith audit
// verify` (audit_verify.h) checks the log against every checkpoint.
//
// One checkpointer signs per cluster (several servers may share one PostgreSQL database): before
// each checkpoint it renews a lease in the database (JobClaimRepository::Lease, job
// kCheckpointerLease); a server whose lease is held by another, live server signs nothing. A
// lease not renewed for kCheckpointerLeaseStale (its holder died or stalled) passes to the next
// server that asks. Docs: docs/adr/0019-one-audit-checkpointer-per-cluster.md.
//
// Thread safety: AuditCheckpointer is safe from any thread (one checkpoint at a time). Archive
// and publisher implementations are called by one checkpointer at a time.
#pragma once

#include <chrono>
#include <cstdint>
#include <string_view>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/ed25519.h"
#include "common/result.h"
#include "domain/audit_checkpoint.h"
#include "storage/store.h"

namespace kith::app {

// Where checkpoint files are kept: a directory (server/checkpoint_files.h) or memory (tests).
class CheckpointArchive {
 public:
  virtual ~CheckpointArchive() = default;
  // The numbers of the checkpoints held, ascending.
  virtual std::vector<int64_t> Numbers() const = 0;
  // The file of checkpoint `number`; nullopt if there is none.
  virtual std::optional<std::string> Read(int64_t number) const = 0;
  // Stores checkpoint `number`; durable when it returns. Throws std::runtime_error on failure.
  virtual void Write(int64_t number, const std::string& file) = 0;
  // The newest checkpoint already accepted by the external endpoint (0: none).
  virtual int64_t PublishedThrough() const = 0;
  virtual void SetPublishedThrough(int64_t number) = 0;
  // Where the checkpoints are, for messages ("the directory /var/kith/audit-checkpoints").
  virtual std::string Describe() const = 0;
};

// An external endpoint that keeps a copy of every checkpoint (server/checkpoint_files.h POSTs
// them over HTTP).
class CheckpointPublisher {
 public:
  virtual ~CheckpointPublisher() = default;
  // Sends one checkpoint file. An error says why it was not accepted; it is sent again later.
  virtual Status Publish(int64_t number, const std::string& file) = 0;
};

// The lease that makes one server of a cluster the checkpointer, and how long an unrenewed lease
// holds (the checkpointer renews it every minute).
inline constexpr std::string_view kCheckpointerLease = "audit.checkpointer";
inline constexpr std::chrono::minutes kCheckpointerLeaseStale{3};

class AuditCheckpointer {
 public:
  // `archive` and `publisher` (may be null) must outlive the checkpointer. `holder` names this
  // server in the lease (unique among the servers sharing the database).
  AuditCheckpointer(storage::Store& store, const Clock& clock, ed25519::SigningKey key, CheckpointArchive& archive,
                    CheckpointPublisher* publisher, std::string holder);

  // Takes or renews the lease; then, if this server holds it, signs the heads of every chain if
  // the log has moved since the newest checkpoint (records appended other than the
  // `audit.checkpoint` record of that checkpoint), stores the checkpoint, appends its
  // `audit.checkpoint` record and then sends every checkpoint the endpoint has not yet accepted.
  // Returns the new checkpoint, or nullopt if the log had not moved or another server holds the
  // lease. Throws if the archive or the store fail (nothing is recorded in the log then); a
  // failed send is logged and retried on the next call.
  std::optional<domain::AuditCheckpoint> Checkpoint();

  // Gives up the lease (after the last checkpoint, when the server stops cleanly), so that
  // another server, or this one restarted, signs at once rather than after the lease goes stale.
  void Release();

  // Compares the newest checkpoint with the log: empty if the log still holds the record the
  // checkpoint vouches for, otherwise what is wrong (for the start-up log; `kith audit verify`
  // gives the whole story).
  std::optional<std::string> CheckNewest();

 private:
  void PublishPending();

  storage::Store& store_;
  const Clock& clock_;
  ed25519::SigningKey key_;
  CheckpointArchive& archive_;
  CheckpointPublisher* publisher_;
  std::string holder_;
  std::mutex mutex_;
};

}  // namespace kith::app
