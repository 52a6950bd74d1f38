#include "app/import_jobs.h"

#include <algorithm>
#include <optional>
#include <set>
#include <stop_token>
#include <utility>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "common/log.h"
#include "common/utf8.h"
#include "domain/access_policy.h"
#include "storage/store.h"

namespace kith::app {
namespace {

using domain::AuditOutcome;
using storage::Repositories;

Error NotFound() { return Error::NotFound("There is no import with that id in your authority."); }

Error TooLarge(size_t max_bytes) {
  return {ErrorCode::kPayloadTooLarge,
          fmt::format("The file is larger than {} MiB, the most one import takes; split it (by source, or into "
                      "several files with the header line in each) and import the parts one after another.",
                      max_bytes >> 20),
          {},
          std::nullopt};
}

bool Finished(ImportState s) { return s == ImportState::kDone || s == ImportState::kFailed; }

constexpr char kAbandoned[] = "The upload stopped before its last part arrived; import the file again.";

// The summary as the job's row keeps it: the counts, the first kKeptBadRows bad rows and their total.
std::string SummaryJson(const ImportSummary& s) {
  nlohmann::json bad = nlohmann::json::array();
  for (size_t i = 0; i < s.rejected.size() && i < kKeptBadRows; ++i) {
    bad.push_back({{"line", s.rejected[i].line}, {"reason", s.rejected[i].reason}});
  }
  return nlohmann::json{{"rows_read", s.rows_read},
                        {"created", s.created},
                        {"matched", s.matched},
                        {"queued", s.queued},
                        {"unchanged", s.unchanged},
                        {"updated", s.updated},
                        {"to_write", s.to_write},
                        {"children_before", s.children_before},
                        {"bad_rows_total", s.rejected.size()},
                        {"bad_rows", std::move(bad)}}
      .dump();
}

ImportJob FromStored(const storage::StoredImportJob& j) {
  ImportJob job;
  job.id = j.id;
  job.authority_id = j.authority_id;
  job.created_by = j.created_by;
  job.source = j.source;
  job.filename = j.filename;
  job.state = j.state;
  job.bytes_received = static_cast<size_t>(j.bytes_received);
  job.parts = static_cast<size_t>(j.parts);
  job.stage = j.stage;
  job.stage_fraction = j.stage_fraction;
  job.error = j.error;
  job.created_at = j.created_at;
  job.last_part_at = j.last_part_at;
  job.started_at = j.started_at;
  job.finished_at = j.finished_at;
  if (j.summary.empty()) return job;
  const auto doc = nlohmann::json::parse(j.summary, nullptr, false);
  if (!doc.is_object()) return job;  // never written so; shown as no counts rather than failing the read
  ImportSummary& s = job.summary;
  s.rows_read = doc.value("rows_read", size_t{0});
  s.created = doc.value("created", size_t{0});
  s.matched = doc.value("matched", size_t{0});
  s.queued = doc.value("queued", size_t{0});
  s.unchanged = doc.value("unchanged", size_t{0});
  s.updated = doc.value("updated", size_t{0});
  s.to_write = doc.value("to_write", size_t{0});
  s.children_before = doc.value("children_before", size_t{0});
  if (const auto bad = doc.find("bad_rows"); bad != doc.end() && bad->is_array()) {
    for (const auto& row : *bad) {
      s.rejected.push_back({row.value("line", size_t{0}), row.value("reason", std::string())});
    }
  }
  job.bad_rows_total = doc.value("bad_rows_total", s.rejected.size());
  return job;
}

}  // namespace

std::string_view ToString(ImportState state) {
  switch (state) {
    case ImportState::kReceiving:
      return "receiving";
    case ImportState::kQueued:
      return "queued";
    case ImportState::kRunning:
      return "running";
    case ImportState::kDone:
      return "done";
    case ImportState::kFailed:
      return "failed";
  }
  return "unknown";
}

double ImportJob::Progress() const {
  if (state == ImportState::kDone) return 1.0;
  const double f = std::clamp(stage_fraction, 0.0, 1.0);
  if (stage == "read") return 0.05 * f;
  if (stage == "link") return 0.05 + 0.45 * f;
  if (stage == "write") return 0.5 + 0.5 * f;
  return 0.0;
}

ImportJobs::ImportJobs(Context& context, ChildObserver* observer, ImportJobLimits limits)
    : ctx_(context),
      observer_(observer),
      limits_(limits),
      runner_(context.random.Id("importer-")),
      worker_([this](std::stop_token stop) { Work(stop); }) {}

ImportJobs::~ImportJobs() {
  worker_.request_stop();
  changed_.notify_all();
}

void ImportJobs::Changed() {
  std::vector<Resume> waiters;
  {
    std::lock_guard lock(mutex_);
    ++changes_;
    waiters = std::exchange(waiters_, {});
  }
  changed_.notify_all();
  for (auto& resume : waiters) resume();
}

Status ImportJobs::Allow(const Principal& p, const char* action, const std::string& target) {
  const auto d = domain::Decide(p.Actor(), domain::AuthorityAction::kImportIndex, p.user.authority_id);
  if (d.allowed) return Ok{};
  auto a = AuditFor(p, action, ctx_.clock.Now());
  a.target_id = target;
  a.outcome = AuditOutcome::kDenied;
  a.why = std::string(d.why);
  ctx_.store.Write([&](Repositories& r) {
    r.Audit().Append(a);
    return true;
  });
  return Error::Forbidden("Only index stewards of the authority import source feeds (" + std::string(d.why) +
                          "); ask your authority administrator.");
}

void ImportJobs::Audit(const Principal& p, const char* action, const std::string& target, const std::string& detail,
                       AuditOutcome outcome, std::string_view why) {
  auto a = AuditFor(p, action, ctx_.clock.Now());
  a.target_id = target;
  a.outcome = outcome;
  a.why = std::string(why);
  a.detail = detail;
  ctx_.store.Write([&](Repositories& r) {
    r.Audit().Append(a);
    return true;
  });
}

bool ImportJobs::Tidy(Repositories& r, const std::string& authority_id) {
  const TimePoint now = ctx_.clock.Now();
  const int64_t failed = r.ImportJobs().FailAbandoned(now - limits_.abandoned_after, now, kAbandoned);
  return failed + r.ImportJobs().Prune(authority_id, static_cast<int>(limits_.kept_jobs)) > 0;
}

Result<ImportJob> ImportJobs::Start(const Principal& p, const std::string& source, const std::string& filename,
                                    std::string data, bool last) {
  if (auto s = Allow(p, "index.import.start", ""); !s) return s.error();
  if (source.size() > 200) return Error::Invalid("source", "At most 200 characters.");
  if (filename.size() > 255) return Error::Invalid("filename", "At most 255 characters.");
  // Both go into the audit trail, which holds only UTF-8 (issue 14).
  if (!utf8::IsValid(source)) {
    return Error::Invalid("source", "The source's name is not valid UTF-8; send it in UTF-8 (percent-encoded).");
  }
  if (!utf8::IsValid(filename)) {
    return Error::Invalid("filename",
                          "The file name is not valid UTF-8; send it in UTF-8 (percent-encoded), or rename the file.");
  }
  if (data.empty()) return Error::Invalid("file", "The file is empty; it needs a header line and one row per child.");
  if (data.size() > limits_.max_bytes) return TooLarge(limits_.max_bytes);
  // The header is checked now, so a file that cannot be a feed is refused before it is sent.
  const size_t header_end = data.find('\n');
  if (header_end != std::string::npos || last) {
    const std::string_view header =
        std::string_view(data).substr(0, header_end == std::string::npos ? data.size() : header_end + 1);
    if (auto parsed = ParseFeed(header, source, Date::FromTime(ctx_.clock.Now())); !parsed) return parsed.error();
  }
  storage::StoredImportJob job;
  job.id = ctx_.random.Id("I");
  job.authority_id = p.user.authority_id;
  job.created_by = p.user.id;
  job.client = p.client;
  job.source = source;
  job.filename = filename;
  job.state = last ? ImportState::kQueued : ImportState::kReceiving;
  job.bytes_received = static_cast<int64_t>(data.size());
  job.parts = 1;
  job.created_at = job.last_part_at = ctx_.clock.Now();
  auto start = AuditFor(p, "index.import.start", job.created_at);
  start.target_id = job.id;
  start.why = "index steward of the authority";
  start.detail =
      nlohmann::json{{"source", source}, {"filename", filename}, {"bytes", data.size()}, {"last", last}}.dump();
  // One write: the limit counted, the job and its first part stored, and its start audited (a job
  // whose start record could not be written never runs).
  Status refused = Ok{};
  ctx_.store.Write([&](Repositories& r) {
    refused = Ok{};
    const bool tidied = Tidy(r, job.authority_id);
    const int64_t unfinished = r.ImportJobs().CountUnfinished(job.authority_id);
    if (unfinished >= static_cast<int64_t>(limits_.max_unfinished_per_authority)) {
      refused = Error::Conflict(fmt::format(
          "Your authority already has {} imports being sent or waiting; wait for one to start, then try again.",
          unfinished));
      return tidied;  // the tidying stays; nothing else was written
    }
    if (auto inserted = r.ImportJobs().Insert(job, data); !inserted) {
      throw storage::StorageError("import " + job.id + ": " + inserted.error().message);  // ids are random
    }
    r.Audit().Append(start);
    return true;
  });
  if (!refused) return refused.error();
  Changed();
  return FromStored(job);
}

Result<ImportJob> ImportJobs::Append(const Principal& p, const std::string& id, size_t offset, std::string data,
                                     bool last) {
  if (auto s = Allow(p, "index.import.part", id); !s) return s.error();
  if (data.empty() && !last) return Error::Invalid("file", "The part is empty.");
  const TimePoint now = ctx_.clock.Now();
  Result<ImportJob> out = NotFound();
  ctx_.store.Write([&](Repositories& r) {
    out = NotFound();
    const bool tidied = Tidy(r, p.user.authority_id);
    const auto job = r.ImportJobs().Get(id);
    if (!job || job->authority_id != p.user.authority_id) return tidied;
    if (job->state == ImportState::kReceiving && job->bytes_received == static_cast<int64_t>(offset) &&
        static_cast<size_t>(job->bytes_received) + data.size() > limits_.max_bytes) {
      r.ImportJobs().Finish(id, "", ImportState::kFailed, "", TooLarge(limits_.max_bytes).message, now);
      out = TooLarge(limits_.max_bytes);
      return true;
    }
    // The offset is checked in the same statement that takes the part: a part sent twice, or to
    // two nodes at once, is taken once.
    if (auto s = r.ImportJobs().AppendPart(id, static_cast<int64_t>(offset), data, last, now); !s) {
      out = s.error();
      return tidied;
    }
    const auto stored = r.ImportJobs().Get(id);
    if (!stored) throw storage::StorageError("import " + id + " vanished while a part was added");
    if (last) {
      auto received = AuditFor(p, "index.import.received", now);
      received.target_id = id;
      received.why = "index steward of the authority";
      received.detail = nlohmann::json{{"bytes", stored->bytes_received}, {"parts", stored->parts}}.dump();
      r.Audit().Append(received);
    }
    out = FromStored(*stored);
    return true;
  });
  if (out) Changed();
  return out;
}

Result<ImportJob> ImportJobs::Get(const Principal& p, const std::string& id, std::chrono::seconds wait) {
  if (auto s = Allow(p, "index.import.read", id); !s) return s.error();
  auto job = Wait(p, id, wait);
  if (job) {
    Audit(p, "index.import.read", id, nlohmann::json{{"state", ToString(job->state)}}.dump());
  } else {
    Audit(p, "index.import.read", id, "", AuditOutcome::kFailed, "no such import in the authority");
  }
  return job;
}

Result<std::vector<storage::ImportRow>> ImportJobs::Rows(const Principal& p, const std::string& id,
                                                         const std::string& outcome, int64_t after_line, int limit) {
  if (auto s = Allow(p, "index.import.rows", id); !s) return s.error();
  static const std::set<std::string, std::less<>> kOutcomes = {"created", "matched", "queued", "updated", "unchanged"};
  std::optional<Error> invalid;
  if (limit < 1 || limit > kMaxReportRows) {
    invalid = Error::Invalid("limit", fmt::format("Ask for 1 to {} rows at a time.", kMaxReportRows));
  } else if (!outcome.empty() && !kOutcomes.contains(outcome)) {
    invalid = Error::Invalid("outcome", "Ask for created, matched, queued, updated or unchanged rows, or leave it out.");
  }
  if (invalid) {
    Audit(p, "index.import.rows", id, "", AuditOutcome::kFailed, invalid->message);
    return *invalid;
  }
  std::optional<std::vector<storage::ImportRow>> rows;
  ctx_.store.Read([&](Repositories& r) {
    const auto job = r.ImportJobs().Get(id);
    if (job && job->authority_id == p.user.authority_id) rows = r.ImportJobs().Rows(id, outcome, after_line, limit);
  });
  if (!rows) {
    Audit(p, "index.import.rows", id, "", AuditOutcome::kFailed, "no such import in the authority");
    return NotFound();
  }
  Audit(p, "index.import.rows", id,
        nlohmann::json{{"outcome", outcome}, {"after_line", after_line}, {"rows", rows->size()}}.dump());
  return std::move(*rows);
}

Result<ImportJob> ImportJobs::Wait(const Principal& p, const std::string& id, std::chrono::seconds wait) {
  const auto deadline = std::chrono::steady_clock::now() + wait;
  for (;;) {
    const auto stored = ctx_.store.ReadValue([&](Repositories& r) { return r.ImportJobs().Get(id); });
    if (!stored || stored->authority_id != p.user.authority_id) return NotFound();
    const auto left = deadline - std::chrono::steady_clock::now();
    if (left <= left.zero() || Finished(stored->state) || stored->state == ImportState::kReceiving) {
      return FromStored(*stored);
    }
    // A long poll: wait for a change on this node, or the next look at the database (the job may
    // run on another node), without holding the server thread (common/await.h).
    AwaitFor(
        [&](Resume resume) {
          std::lock_guard lock(mutex_);
          // Waits that timed out leave their resume here until the next local change; a node
          // where nothing changes for long calls them now and then (harmless: each is once).
          if (waiters_.size() >= 1024) {
            for (auto& stale : std::exchange(waiters_, {})) stale();
          }
          waiters_.push_back(std::move(resume));
        },
        std::min<std::chrono::steady_clock::duration>(left, limits_.wait_poll));
  }
}

Result<std::vector<ImportJob>> ImportJobs::List(const Principal& p) {
  if (auto s = Allow(p, "index.import.list", ""); !s) return s.error();
  std::vector<ImportJob> out;
  auto listed = AuditFor(p, "index.import.list", ctx_.clock.Now());
  listed.why = "index steward of the authority";
  ctx_.store.Write([&](Repositories& r) {
    out.clear();
    Tidy(r, p.user.authority_id);
    const int limit = static_cast<int>(limits_.kept_jobs + limits_.max_unfinished_per_authority) + 16;
    for (const auto& j : r.ImportJobs().ListByAuthority(p.user.authority_id, limit)) out.push_back(FromStored(j));
    auto record = listed;
    record.detail = nlohmann::json{{"count", out.size()}}.dump();
    r.Audit().Append(std::move(record));
    return true;
  });
  return out;
}

void ImportJobs::WaitIdle() {
  while (ctx_.store.ReadValue([](Repositories& r) { return r.ImportJobs().AnyToRun(); })) {
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, std::chrono::milliseconds(20));
  }
}

void ImportJobs::Work(std::stop_token stop) {
  auto tidied = std::chrono::steady_clock::now();
  if (limits_.sole_server) {
    try {
      ctx_.store.Write([&](Repositories& r) {
        // Taken whoever holds it (every lease is stale before now), then given up.
        const TimePoint now = ctx_.clock.Now();
        if (!r.JobClaims().Lease(std::string(kImportLease), runner_, now, now)) return false;
        r.JobClaims().Release(std::string(kImportLease), runner_);
        return true;
      });
    } catch (const std::exception& e) {
      log::Error("index_import.release_failed", {{"reason", e.what()}});
    }
  }
  while (!stop.stop_requested()) {
    uint64_t seen = 0;
    {
      std::lock_guard lock(mutex_);
      seen = changes_;
    }
    bool ran = false;
    try {
      ran = RunNext(stop);
      // Uploads abandoned on any node fail even when nobody starts or lists imports.
      if (std::chrono::steady_clock::now() - tidied >= std::chrono::minutes(1)) {
        tidied = std::chrono::steady_clock::now();
        const TimePoint now = ctx_.clock.Now();
        int64_t failed = 0;
        ctx_.store.Write([&](Repositories& r) {
          failed = r.ImportJobs().FailAbandoned(now - limits_.abandoned_after, now, kAbandoned);
          return failed > 0;
        });
        if (failed > 0) Changed();
      }
    } catch (const std::exception& e) {
      // The database unreachable (a failover) or a job that could not be claimed: try again later.
      log::Error("index_import.worker_failed", {{"reason", e.what()}});
    }
    if (ran) continue;
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, stop, limits_.worker_poll, [&] { return changes_ != seen; });
  }
}

bool ImportJobs::RunNext(std::stop_token stop) {
  if (!ctx_.store.ReadValue([](Repositories& r) { return r.ImportJobs().AnyToRun(); })) return false;
  const TimePoint now = ctx_.clock.Now();
  std::optional<storage::StoredImportJob> job;
  std::vector<std::string> gave_up;
  // The lease and the claim in one write: a job is run by the one worker holding the lease, and
  // a job left running is one whose runner no longer holds it (it died, or stalled past the
  // stale time; its next batch would be undone).
  ctx_.store.Write([&](Repositories& r) {
    job.reset();
    gave_up.clear();
    if (!r.JobClaims().Lease(std::string(kImportLease), runner_, now, now - kImportLeaseStale)) return true;
    while ((job = r.ImportJobs().ClaimNext(runner_, now)) && job->attempts > limits_.max_attempts) {
      r.ImportJobs().Finish(job->id, runner_, ImportState::kFailed, "",
                            fmt::format("The import was cut off {} times (its server stopped or lost the "
                                        "database each time) and was given up; rows already written stay. "
                                        "Import the file again.",
                                        limits_.max_attempts),
                            now);
      gave_up.push_back(job->id);
    }
    if (!job) r.JobClaims().Release(std::string(kImportLease), runner_);
    return true;
  });
  for (const auto& id : gave_up) log::Error("index_import.given_up", {{"import_id", id}});
  if (!gave_up.empty()) Changed();
  if (!job) return false;
  Changed();  // it is running
  Run(*job, stop);
  return true;
}

void ImportJobs::Run(const storage::StoredImportJob& job, std::stop_token stop) {
  const std::string& id = job.id;
  // The steward who started it, as the database has them now: the import runs and is audited as
  // them, whichever node runs it.
  std::optional<domain::User> steward;
  std::string data;
  ctx_.store.Read([&](Repositories& r) {
    steward = r.Users().Get(job.created_by);
    data = r.ImportJobs().Data(id);
  });
  // Ends the job (or puts it back in the queue) and gives up the lease in one write, so that no
  // other worker sees the lease free while the job still looks running.
  auto end = [&](std::optional<ImportState> state, const std::string& summary, const std::string& error) {
    bool ended = false;
    ctx_.store.Write([&](Repositories& r) {
      ended = state ? r.ImportJobs().Finish(id, runner_, *state, summary, error, ctx_.clock.Now())
                    : r.ImportJobs().Requeue(id, runner_);
      r.JobClaims().Release(std::string(kImportLease), runner_);
      return true;
    });
    Changed();
    return ended;
  };
  if (!steward) {
    end(ImportState::kFailed, "", "The steward who started this import no longer exists; import the file again.");
    return;
  }
  Principal actor;
  actor.user = *steward;
  actor.client = job.client;

  // The run stops when the worker stops, or when the job is no longer this worker's.
  std::stop_source halt;
  std::stop_callback relay(stop, [&halt] { halt.request_stop(); });
  std::string stage = job.stage;
  double fraction = job.stage_fraction;
  ImportSummary so_far;
  bool counted = false;
  auto last_write = std::chrono::steady_clock::now();
  auto record = [&](bool now) {
    if (!now && std::chrono::steady_clock::now() - last_write < limits_.wait_poll) return;
    last_write = std::chrono::steady_clock::now();
    bool ours = true;
    try {
      ctx_.store.Write([&](Repositories& r) {
        ours = r.ImportJobs().Progress(id, runner_, stage, fraction, counted ? SummaryJson(so_far) : job.summary);
        return true;
      });
    } catch (const std::exception& e) {
      // Progress is worth a retry at the next batch; the batches themselves fail if the database is gone.
      log::Error("index_import.progress_failed", {{"import_id", id}, {"reason", e.what()}});
      return;
    }
    if (!ours) {
      log::Info("index_import.taken_over", {{"import_id", id}});
      halt.request_stop();
    }
    Changed();
  };
  ImportOptions options;
  options.authority_id = job.authority_id;
  options.default_source = job.source;
  options.batch_rows = limits_.batch_rows;
  options.batch_budget = limits_.batch_budget;
  options.observer = observer_;
  options.stop = halt.get_token();
  options.lease_holder = runner_;
  options.report_to = id;
  options.progress = [&](std::string_view s, double f) {
    const bool moved = s != stage;
    stage = std::string(s);
    fraction = f;
    record(moved);
  };
  options.counted = [&](const ImportSummary& s) {
    so_far = s;
    counted = true;
    record(true);  // after each batch
  };
  log::Info("index_import.started", {{"import_id", id}, {"bytes", data.size()}, {"attempt", job.attempts}});
  Result<ImportSummary> result = Error::Conflict("not run");
  try {
    result = ImportFeed(ctx_, actor, data, options);
  } catch (const std::exception& e) {
    log::Error("index_import.failed", {{"import_id", id}, {"reason", e.what()}});
    if (storage::IsPassing(e)) {
      // The database went away (a failover): run it again once it is back. If this write fails
      // too, the job stays running under a lease that goes stale, and is claimed again.
      try {
        end(std::nullopt, "", "");
      } catch (const std::exception&) {
      }
      return;
    }
    end(ImportState::kFailed, "", "The import failed on the server; rows already written stay. Import the file again.");
    return;
  }
  if (result) {
    end(ImportState::kDone, SummaryJson(*result), "");
  } else if (result.error().code == ErrorCode::kConflict) {
    // Stopped (the server is stopping, or the job was taken over) or the lease passed to another
    // import: back in the queue, unless another worker has it now. Run again, the rows already
    // written are found unchanged.
    end(std::nullopt, "", "");
  } else if (end(ImportState::kFailed, counted ? SummaryJson(so_far) : "", result.error().message)) {
    Audit(actor, "index.import.failed", id, nlohmann::json{{"reason", result.error().message}}.dump());
  }
  log::Info("index_import.finished", {{"import_id", id}, {"ok", static_cast<bool>(result)}});
}

}  // namespace kith::app
