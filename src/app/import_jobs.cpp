#include "app/import_jobs.h"

#include <algorithm>
#include <utility>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "common/log.h"
#include "common/utf8.h"
#include "domain/access_policy.h"

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
    : ctx_(context), observer_(observer), limits_(limits), worker_([this](std::stop_token stop) { Work(stop); }) {}

ImportJobs::~ImportJobs() {
  worker_.request_stop();
  changed_.notify_all();
}

void ImportJobs::Changed() {
  changed_.notify_all();
  for (auto& resume : std::exchange(waiters_, {})) resume();
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

ImportJobs::Entry* ImportJobs::Find(const Principal& p, const std::string& id) {
  auto it = jobs_.find(id);
  if (it == jobs_.end() || it->second->job.authority_id != p.user.authority_id) return nullptr;
  return it->second.get();
}

void ImportJobs::Enqueue(Entry& entry) {
  entry.job.state = ImportState::kQueued;
  queue_.push_back(entry.job.id);
  Changed();
}

void ImportJobs::Forget() {
  const TimePoint now = ctx_.clock.Now();
  for (auto& [id, entry] : jobs_) {
    ImportJob& job = entry->job;
    if (job.state == ImportState::kReceiving && now - job.last_part_at >= limits_.abandoned_after) {
      job.state = ImportState::kFailed;
      job.error = "The upload stopped before its last part arrived; import the file again.";
      job.finished_at = now;
      entry->data = std::string();
    }
  }
  size_t finished = 0;
  for (const auto& [id, entry] : jobs_) finished += Finished(entry->job.state) ? 1 : 0;
  while (finished > limits_.kept_jobs) {
    auto oldest = jobs_.end();
    for (auto it = jobs_.begin(); it != jobs_.end(); ++it) {
      if (Finished(it->second->job.state) && (oldest == jobs_.end() || it->second->seq < oldest->second->seq)) {
        oldest = it;
      }
    }
    jobs_.erase(oldest);
    --finished;
  }
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
  Entry* entry = nullptr;
  {
    std::lock_guard lock(mutex_);
    Forget();
    const size_t unfinished = std::count_if(jobs_.begin(), jobs_.end(), [&](const auto& j) {
      const ImportJob& job = j.second->job;
      return job.authority_id == p.user.authority_id &&
             (job.state == ImportState::kReceiving || job.state == ImportState::kQueued);
    });
    if (unfinished >= limits_.max_unfinished_per_authority) {
      return Error::Conflict(fmt::format(
          "Your authority already has {} imports being sent or waiting; wait for one to start, then try again.",
          unfinished));
    }
    auto fresh = std::make_unique<Entry>();
    fresh->seq = ++next_seq_;
    fresh->actor = p;
    fresh->data = std::move(data);
    ImportJob& job = fresh->job;
    job.id = ctx_.random.Id("I");
    job.authority_id = p.user.authority_id;
    job.created_by = p.user.id;
    job.source = source;
    job.filename = filename;
    job.bytes_received = fresh->data.size();
    job.parts = 1;
    job.created_at = job.last_part_at = ctx_.clock.Now();
    entry = jobs_.emplace(job.id, std::move(fresh)).first->second.get();
  }
  const std::string id = entry->job.id;
  const size_t bytes = entry->job.bytes_received;
  // Audited before it may run: a job whose start record could not be written never runs.
  Audit(p, "index.import.start", id,
        nlohmann::json{{"source", source}, {"filename", filename}, {"bytes", bytes}, {"last", last}}.dump());
  std::lock_guard lock(mutex_);
  const auto it = jobs_.find(id);  // the entry could have been forgotten meanwhile
  if (it == jobs_.end()) return NotFound();
  if (last) Enqueue(*it->second);
  return it->second->job;
}

Result<ImportJob> ImportJobs::Append(const Principal& p, const std::string& id, size_t offset, std::string data,
                                     bool last) {
  if (auto s = Allow(p, "index.import.part", id); !s) return s.error();
  if (data.empty() && !last) return Error::Invalid("file", "The part is empty.");
  ImportJob job;
  {
    std::lock_guard lock(mutex_);
    Forget();
    Entry* entry = Find(p, id);
    if (!entry) return NotFound();
    if (entry->job.state != ImportState::kReceiving) {
      return Error::Conflict("This import has all its parts already (it is " + std::string(ToString(entry->job.state)) +
                             ").");
    }
    if (offset != entry->job.bytes_received) {
      return Error::Conflict(
          fmt::format("This part starts at byte {} but the import has {} bytes; send the part "
                      "that starts at byte {}.",
                      offset, entry->job.bytes_received, entry->job.bytes_received));
    }
    if (entry->data.size() + data.size() > limits_.max_bytes) {
      entry->job.state = ImportState::kFailed;
      entry->job.error = TooLarge(limits_.max_bytes).message;
      entry->job.finished_at = ctx_.clock.Now();
      entry->data = std::string();
      return TooLarge(limits_.max_bytes);
    }
    entry->data += data;
    entry->job.bytes_received = entry->data.size();
    entry->job.parts += 1;
    entry->job.last_part_at = ctx_.clock.Now();
    if (last) Enqueue(*entry);
    job = entry->job;
  }
  if (last) {
    Audit(p, "index.import.received", id, nlohmann::json{{"bytes", job.bytes_received}, {"parts", job.parts}}.dump());
  }
  return job;
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

Result<ImportJob> ImportJobs::Wait(const Principal& p, const std::string& id, std::chrono::seconds wait) {
  // Only finished jobs are forgotten, so the entry stays while the wait is on.
  auto settled = [&] {  // under mutex_
    const Entry* entry = Find(p, id);
    return !entry || Finished(entry->job.state) || entry->job.state == ImportState::kReceiving;
  };
  const auto deadline = std::chrono::steady_clock::now() + wait;
  for (;;) {
    const auto left = deadline - std::chrono::steady_clock::now();
    {
      std::lock_guard lock(mutex_);
      if (left <= left.zero() || settled()) {
        if (Entry* entry = Find(p, id)) return entry->job;
        return NotFound();
      }
    }
    // A long poll: wait for the next change without holding the server thread (common/await.h).
    AwaitFor(
        [&](Resume resume) {
          std::unique_lock lock(mutex_);
          if (settled()) {
            lock.unlock();
            resume();
          } else {
            waiters_.push_back(std::move(resume));
          }
        },
        left);
  }
}

Result<std::vector<ImportJob>> ImportJobs::List(const Principal& p) {
  if (auto s = Allow(p, "index.import.list", ""); !s) return s.error();
  std::vector<ImportJob> out;
  {
    std::lock_guard lock(mutex_);
    Forget();
    std::vector<const Entry*> mine;
    for (const auto& [id, entry] : jobs_) {
      if (entry->job.authority_id == p.user.authority_id) mine.push_back(entry.get());
    }
    std::sort(mine.begin(), mine.end(), [](const Entry* a, const Entry* b) { return a->seq > b->seq; });
    for (const Entry* entry : mine) out.push_back(entry->job);
  }
  Audit(p, "index.import.list", "", nlohmann::json{{"count", out.size()}}.dump());
  return out;
}

void ImportJobs::WaitIdle() {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] { return queue_.empty() && !running_; });
}

void ImportJobs::Work(std::stop_token stop) {
  for (;;) {
    std::string id;
    {
      std::unique_lock lock(mutex_);
      if (!changed_.wait(lock, stop, [&] { return !queue_.empty(); })) return;
      id = queue_.front();
      queue_.pop_front();
      running_ = true;
    }
    try {
      Run(id, stop);
    } catch (const std::exception& e) {
      log::Error("index_import.failed", {{"import_id", id}, {"reason", e.what()}});
      std::lock_guard lock(mutex_);
      if (auto it = jobs_.find(id); it != jobs_.end()) {
        it->second->job.state = ImportState::kFailed;
        it->second->job.error = "The import failed on the server; rows already written stay. Import the file again.";
        it->second->job.finished_at = ctx_.clock.Now();
        it->second->data = std::string();
      }
    }
    std::lock_guard lock(mutex_);
    running_ = false;
    Changed();
  }
}

void ImportJobs::Run(const std::string& id, std::stop_token stop) {
  std::string data;
  Principal actor;
  ImportOptions options;
  {
    std::lock_guard lock(mutex_);
    auto it = jobs_.find(id);
    if (it == jobs_.end()) return;
    Entry& entry = *it->second;
    entry.job.state = ImportState::kRunning;
    entry.job.started_at = ctx_.clock.Now();
    data = std::move(entry.data);
    entry.data = std::string();
    actor = entry.actor;
    options.authority_id = entry.job.authority_id;
    options.default_source = entry.job.source;
  }
  // Updates the job (which stays in jobs_ while it runs: only finished jobs are forgotten).
  auto update = [&](auto&& change) {
    std::lock_guard lock(mutex_);
    change(jobs_.at(id)->job);
  };
  options.batch_rows = limits_.batch_rows;
  options.batch_budget = limits_.batch_budget;
  options.observer = observer_;
  options.stop = stop;
  options.progress = [&](std::string_view stage, double fraction) {
    update([&](ImportJob& job) {
      job.stage = std::string(stage);
      job.stage_fraction = fraction;
    });
  };
  options.counted = [&](const ImportSummary& so_far) { update([&](ImportJob& job) { job.summary = so_far; }); };
  log::Info("index_import.started", {{"import_id", id}, {"bytes", data.size()}});
  auto result = ImportFeed(ctx_, actor, data, options);
  const TimePoint now = ctx_.clock.Now();
  update([&](ImportJob& job) {
    job.finished_at = now;
    if (result) {
      job.state = ImportState::kDone;
      job.summary = std::move(*result);
    } else {
      job.state = ImportState::kFailed;
      job.error = result.error().message;
    }
  });
  if (!result) {
    Audit(actor, "index.import.failed", id, nlohmann::json{{"reason", result.error().message}}.dump());
  }
  log::Info("index_import.finished", {{"import_id", id}, {"ok", static_cast<bool>(result)}});
}

}  // namespace kith::app
