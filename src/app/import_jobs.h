// Imports of source feeds into the national child index through the running server (issue 6).
//
// An index steward sends a feed in one or more parts (each at most the server's request body
// limit); once the last part is in, an import worker runs ImportFeed on it in the background —
// the same parsing, linkage and batched writes as `kith import` — while the steward watches its
// progress. Why this shape:
// * The job and its parts are rows in the database (ImportJobRepository; issue 16), so any node
//   of a cluster takes the next part, runs the job or answers for it, and a server that restarts
//   (or another node) finishes a job it had accepted.
// * Imports run one at a time across the cluster, in order: two imports linked at the same
//   moment could each make a new child of the same person. Each node has one worker; it runs a
//   job only while holding the import lease (kImportLease, app/index_import.h), and claims the
//   job in the same write that takes the lease, so no two nodes run one job. A job left running
//   by a node that died (or stalled past kImportLeaseStale) is run again by whichever worker next
//   holds the lease: rows already written are found unchanged, so running a feed again is safe.
// * Each batch of rows is its own Write, so other users' writes wait at most one batch; the job's
//   row records its progress after each batch (and each stage), not each row.
// * Children created or changed are given to this node's search index (`observer`) as each batch
//   commits; the other nodes follow the change feed.
// * The whole file is read into memory when its import runs (linkage needs every row at once), so
//   a file may be at most ImportJobLimits::max_bytes and an authority may have only a few imports
//   unfinished at a time; an upload left unfinished fails after a while. A finished job's parts
//   are deleted; the newest `kept_jobs` finished jobs of each authority are kept.
// What every import did is in the audit trail for ever (index.import.*), as the steward who
// started it (loaded from the database when the job runs).
// Thread safety: every method is safe from any thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "app/child_observer.h"
#include "app/context.h"
#include "app/index_import.h"
#include "app/principal.h"
#include "common/await.h"
#include "common/result.h"
#include "storage/repositories.h"

namespace kith::app {

struct ImportJobLimits {
  // 64 MiB: about 500,000 rows of a typical feed (~130 bytes a row), ten times the largest
  // school or GP list; a bigger extract is split by source, or imported offline with
  // `kith import --db` while the server is stopped.
  size_t max_bytes = 64u << 20;
  size_t max_unfinished_per_authority = 3;   // receiving or waiting for the worker
  std::chrono::minutes abandoned_after{30};  // an upload with no new part for this long is dropped
  size_t batch_rows = 2000;                  // rows per Write at most
  // How long one batch may hold the store's writer, so other users' writes wait about this
  // long at most (docs/BENCHMARKS.md, "Import through the running server").
  std::chrono::microseconds batch_budget{std::chrono::milliseconds(50)};
  size_t kept_jobs = 100;  // finished jobs kept, per authority
  // How often a long poll (Get with a wait) reads the job again when nothing changed on this node.
  std::chrono::milliseconds wait_poll{250};
  // How often an idle worker looks for a job to run that no local change announced (one queued
  // on another node whose worker stopped, one left running by a node that died).
  std::chrono::milliseconds worker_poll{1000};
  // A job whose run was cut off this many times (its server died each time) fails.
  int max_attempts = 5;
  // This is the only server of the database (SQLite, whose lock proves that no other server or
  // `kith import` runs): the import lease a crashed run of it left is released as the worker
  // starts, so the jobs that run had accepted run at once instead of after kImportLeaseStale.
  bool sole_server = false;
};

// The bad rows kept with a job (the first ones; their total is kept too).
inline constexpr size_t kKeptBadRows = 1000;

using ImportState = storage::ImportJobState;

std::string_view ToString(ImportState state);

struct ImportJob {
  std::string id;  // "I" + 16 base-32 characters
  std::string authority_id;
  std::string created_by;  // user id
  std::string source;      // the source of rows without a source column
  std::string filename;    // as the steward named it; shown only
  ImportState state = ImportState::kReceiving;
  size_t bytes_received = 0;
  size_t parts = 0;
  std::string stage;  // "", "read", "link", "write"
  double stage_fraction = 0;
  ImportSummary summary;  // the counts so far; final once kDone (at most kKeptBadRows rejected)
  size_t bad_rows_total = 0;  // rows rejected, all of them
  std::string error;      // kFailed: what went wrong and what to do
  TimePoint created_at;
  TimePoint last_part_at;
  std::optional<TimePoint> started_at;
  std::optional<TimePoint> finished_at;

  // The share of the whole import done, in [0, 1] (read 5%, link 45%, write 50%).
  double Progress() const;
};

class ImportJobs {
 public:
  // `observer` (may be null) is told about every child an import stores.
  ImportJobs(Context& context, ChildObserver* observer, ImportJobLimits limits = {});
  // Stops the worker: a running import ends after the batch it is writing and goes back in the
  // queue (with its parts), for the next worker holding the lease to run again.
  ~ImportJobs();
  ImportJobs(const ImportJobs&) = delete;
  ImportJobs& operator=(const ImportJobs&) = delete;

  // Starts an import of the caller's authority with the file's first part (the whole file
  // when `last`). The header must be in the first part: it is checked at once. Errors:
  // kForbidden (not an index steward of the authority), kInvalidInput (source, filename, an
  // empty first part, a header that cannot be a feed's), kPayloadTooLarge (over max_bytes),
  // kConflict (too many unfinished imports).
  Result<ImportJob> Start(const Principal& p, const std::string& source, const std::string& filename, std::string data,
                          bool last);

  // Adds the next part; `offset` is the number of bytes sent before it and must equal
  // bytes_received, so a retried or lost part is noticed (read the import to resume). Errors:
  // kForbidden, kNotFound (also another authority's), kConflict (no longer receiving, wrong
  // offset), kPayloadTooLarge, kInvalidInput (empty part).
  Result<ImportJob> Append(const Principal& p, const std::string& id, size_t offset, std::string data, bool last);

  // The import as it is now, or — with `wait` — once it has finished or `wait` has passed,
  // whichever is first (long polling, so clients need not ask again and again). Errors:
  // kForbidden, kNotFound (also another authority's). Every reading is audited
  // (index.import.read: allowed, denied or failed).
  Result<ImportJob> Get(const Principal& p, const std::string& id, std::chrono::seconds wait = std::chrono::seconds(0));

  // How the rows of the caller's authority's import were applied (the import report per row):
  // the rows after line `after_line` (only those with `outcome` when it is not empty: created,
  // matched, queued, updated or unchanged), in line order, at most `limit` (1 to kMaxReportRows).
  // Rows are reported as each batch is written, so a running import's report grows. Errors:
  // kForbidden, kNotFound (also another authority's), kInvalidInput (limit). Audited:
  // index.import.rows.
  static constexpr int kMaxReportRows = 1000;
  Result<std::vector<storage::ImportRow>> Rows(const Principal& p, const std::string& id, const std::string& outcome,
                                               int64_t after_line, int limit);

  // The imports of the caller's authority that the database keeps, newest first (audited:
  // index.import.list).
  Result<std::vector<ImportJob>> List(const Principal& p);

  // Blocks until no import in the database is waiting or running (tests).
  void WaitIdle();

 private:
  // kForbidden (audited) unless `p` may import for its authority.
  Status Allow(const Principal& p, const char* action, const std::string& target);
  // Records an index steward's action (allowed unless said otherwise).
  void Audit(const Principal& p, const char* action, const std::string& target, const std::string& detail,
             domain::AuditOutcome outcome = domain::AuditOutcome::kAllowed,
             std::string_view why = "index steward of the authority");
  // Get's wait: the job once settled (finished or waiting for parts) or when `wait` is over.
  Result<ImportJob> Wait(const Principal& p, const std::string& id, std::chrono::seconds wait);
  // Fails abandoned uploads and forgets the authority's oldest finished jobs (inside a write);
  // true if it changed anything.
  bool Tidy(storage::Repositories& r, const std::string& authority_id);
  void Changed();  // wakes the worker and this node's long polls
  void Work(std::stop_token stop);
  // Claims the next job under the import lease and runs it; false if there was none to run.
  bool RunNext(std::stop_token stop);
  void Run(const storage::StoredImportJob& job, std::stop_token stop);

  Context& ctx_;
  ChildObserver* observer_;
  ImportJobLimits limits_;
  const std::string runner_;  // this worker: the holder of its import lease and the runner of its jobs
  std::mutex mutex_;
  std::condition_variable_any changed_;  // the worker and WaitIdle
  uint64_t changes_ = 0;                  // moves on at every local change (under mutex_)
  std::vector<Resume> waiters_;           // long polls in Get (they must not hold a server thread)
  std::jthread worker_;  // last: stopped and joined before the rest is destroyed
};

}  // namespace kith::app
