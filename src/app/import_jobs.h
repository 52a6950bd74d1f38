// Imports of source feeds into the national child index through the running server (issue 6).
//
// An index steward sends a feed in one or more parts (each at most the server's request body
// limit); once the last part is in, the server's one import worker runs ImportFeed on it in the
// background — the same parsing, linkage and batched writes as `kith import` — while the steward
// watches its progress. Why this shape:
// * Imports run one at a time, in order: two imports linked at the same moment could each make
//   a new child of the same person.
// * Each batch of rows is its own Write, so other users' writes wait at most one batch.
// * Children created or changed are given to the search index (`observer`) as each batch
//   commits, so they are found at once; review items are in the queue as soon as written.
// * The whole file is held in memory until its import ends (linkage needs every row at once),
//   so a file may be at most ImportJobLimits::max_bytes and an authority may have only a few
//   imports unfinished at a time; an upload left unfinished is dropped after a while.
// Job states live in memory for the server's lifetime (the newest `kept_jobs`); what every
// import did is in the audit trail for ever (index.import.*).
// Thread safety: every method is safe from any thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
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
  size_t kept_jobs = 100;  // finished jobs remembered
};

enum class ImportState { kReceiving, kQueued, kRunning, kDone, kFailed };

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
  ImportSummary summary;  // the counts so far; final once kDone
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
  // Stops the worker: a running import ends after the batch it is writing.
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

  // The imports of the caller's authority that the server remembers, newest first (audited:
  // index.import.list).
  Result<std::vector<ImportJob>> List(const Principal& p);

  // Blocks until no import is waiting or running.
  void WaitIdle();

 private:
  struct Entry {
    uint64_t seq = 0;  // order of starting, for "newest first" when the clock stands still
    ImportJob job;
    Principal actor;   // who started it: the import is audited as theirs
    std::string data;  // the file, until its import ends
  };

  // kForbidden (audited) unless `p` may import for its authority.
  Status Allow(const Principal& p, const char* action, const std::string& target);
  // Records an index steward's action (allowed unless said otherwise).
  void Audit(const Principal& p, const char* action, const std::string& target, const std::string& detail,
             domain::AuditOutcome outcome = domain::AuditOutcome::kAllowed,
             std::string_view why = "index steward of the authority");
  // Get's wait: the job once settled (finished or waiting for parts) or when `wait` is over.
  Result<ImportJob> Wait(const Principal& p, const std::string& id, std::chrono::seconds wait);
  Entry* Find(const Principal& p, const std::string& id);  // under mutex_
  void Enqueue(Entry& entry);                              // under mutex_
  void Forget();                                           // under mutex_: abandoned and old jobs
  void Changed();                                          // under mutex_: wakes the worker and long polls
  void Work(std::stop_token stop);
  void Run(const std::string& id, std::stop_token stop);

  Context& ctx_;
  ChildObserver* observer_;
  ImportJobLimits limits_;
  std::mutex mutex_;
  std::condition_variable_any changed_;  // the worker and WaitIdle
  std::vector<Resume> waiters_;           // long polls in Get (they must not hold a server thread)
  std::map<std::string, std::unique_ptr<Entry>> jobs_;
  std::deque<std::string> queue_;
  bool running_ = false;
  uint64_t next_seq_ = 0;
  std::jthread worker_;  // last: stopped and joined before the rest is destroyed
};

}  // namespace kith::app
