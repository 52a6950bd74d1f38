#include "storage/postgres/postgres_store.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <random>
#include <thread>
#include <vector>

#include "common/await.h"
#include "storage/postgres/connection.h"
#include "storage/postgres/migrations.h"
#include "storage/postgres/repositories.h"

namespace kith::storage {
namespace {

using postgres::Connection;
using postgres::PgError;
using postgres::TransactionState;

// Advisory lock space of the audit chains (two-int form): ("KITH" + 1, chain number).
constexpr int kChainLockSpace = 0x4b495449;

// Set on a pool thread while it runs a transaction's callback: a Read or Write from inside one
// would wait for a connection it may itself be holding.
thread_local bool in_transaction = false;

struct Job {
  enum class Kind { kRead, kWrite, kVersions };
  Kind kind;
  const std::function<void(Repositories&)>* read = nullptr;
  const std::function<bool(Repositories&)>* write = nullptr;
  uint64_t identity = 0, records = 0;  // kVersions: the answer
  std::exception_ptr error;
  Resume resume;

  void Finish(std::exception_ptr e) {
    error = std::move(e);
    Resume wake = std::move(resume);  // the job is gone once its caller wakes
    wake();
  }
};

class PgStore;

// One connection and the thread that uses it.
class Worker {
 public:
  explicit Worker(PgStore& store) : store_(store) {}
  void Run();

  // Guarded by the store's mutex: the job handed to this worker while it waited, if any.
  Job* assigned = nullptr;
  std::condition_variable wake;

 private:
  void Serve(Job& job);
  void Connect();
  void Disconnect();
  void Begin(std::string_view begin);
  void Rollback();
  void RunRead(Job& job);
  void RunWrite(Job& job);
  void RunVersions(Job& job);

  PgStore& store_;
  std::unique_ptr<Connection> connection_;
  TransactionState state_;
  std::unique_ptr<Repositories> repos_;
  std::minstd_rand jitter_{std::random_device{}()};
};

class PgStore final : public Store {
 public:
  explicit PgStore(const PostgresOptions& options) : options_(options) {
    {
      Connection first(options.url, options.application_name);
      if (options.apply_migrations) postgres::ApplyMigrations(first);
      const int version = postgres::SchemaVersion(first);
      if (version != postgres::LatestSchemaVersion()) {
        throw StorageError("the database schema is at version " + std::to_string(version) + ", this build needs " +
                           std::to_string(postgres::LatestSchemaVersion()) +
                           "; run `kith migrate` as the schema's owner first");
      }
    }
    const int n = std::max(1, options.connections);
    for (int i = 0; i < n; ++i) workers_.push_back(std::make_unique<Worker>(*this));
    for (auto& w : workers_) threads_.emplace_back([worker = w.get()] { worker->Run(); });
  }

  ~PgStore() override {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
      for (auto& w : workers_) w->wake.notify_one();
    }
    for (auto& t : threads_) t.join();
  }

  void Read(const std::function<void(Repositories&)>& fn) override {
    Job job{Job::Kind::kRead};
    job.read = &fn;
    Submit(job);
    reads_.fetch_add(1, std::memory_order_relaxed);
  }

  void Write(const std::function<bool(Repositories&)>& fn) override {
    Job job{Job::Kind::kWrite};
    job.write = &fn;
    Submit(job);
  }

  StoreStats Stats() const override {
    return {.write_batches = commits_.load(),
            .write_jobs = writes_.load(),
            .write_commit_micros = commit_micros_.load(),
            .write_retries = retries_.load(),
            .reads = reads_.load()};
  }

  uint64_t IdentityVersion() const override { return Versions().first; }
  uint64_t RecordsVersion() const override { return Versions().second; }

  const PostgresOptions& options() const { return options_; }
  void CountCommit(int64_t micros) {
    commits_.fetch_add(1, std::memory_order_relaxed);
    commit_micros_.fetch_add(micros, std::memory_order_relaxed);
  }
  void CountWrite() { writes_.fetch_add(1, std::memory_order_relaxed); }
  void CountRetry() { retries_.fetch_add(1, std::memory_order_relaxed); }

  // The next job for `worker`; null once the store is stopping and the queue is empty. A worker
  // with nothing to do waits on top of the idle stack, so the most recently used connection
  // serves the next job: a caller alone keeps one connection (and one audit chain), and
  // connections open only as concurrency needs them.
  Job* Take(Worker& worker) {
    std::unique_lock lock(mutex_);
    for (;;) {
      if (worker.assigned) return std::exchange(worker.assigned, nullptr);
      if (!queue_.empty()) {
        Job* job = queue_.front();
        queue_.pop_front();
        return job;
      }
      if (stopping_) return nullptr;
      idle_.push_back(&worker);
      worker.wake.wait(lock, [&] { return worker.assigned != nullptr || stopping_; });
      if (!worker.assigned) std::erase(idle_, &worker);
    }
  }

 private:
  std::pair<uint64_t, uint64_t> Versions() const {
    Job job{Job::Kind::kVersions};
    const_cast<PgStore*>(this)->Submit(job);
    return {job.identity, job.records};
  }

  void Submit(Job& job) {
    if (in_transaction) {
      throw StorageError("a Read or Write was called inside another transaction's callback; call it outside");
    }
    bool refused = false;
    Await([&](Resume resume) {
      job.resume = std::move(resume);
      std::unique_lock lock(mutex_);
      refused = stopping_;
      if (refused) {
        lock.unlock();
        job.resume();
      } else if (!idle_.empty()) {
        Worker* worker = idle_.back();
        idle_.pop_back();
        worker->assigned = &job;
        worker->wake.notify_one();
      } else {
        queue_.push_back(&job);
      }
    });
    if (refused) throw StorageUnavailable("the store is shutting down");
    if (job.error) std::rethrow_exception(job.error);
  }

  PostgresOptions options_;
  std::vector<std::unique_ptr<Worker>> workers_;
  std::vector<std::thread> threads_;
  std::mutex mutex_;
  std::deque<Job*> queue_;     // jobs waiting for a worker
  std::vector<Worker*> idle_;  // workers waiting for a job, most recently idle last
  bool stopping_ = false;
  std::atomic<int64_t> commits_{0}, writes_{0}, commit_micros_{0}, retries_{0}, reads_{0};
};

void Worker::Run() {
  while (Job* job = store_.Take(*this)) {
    std::exception_ptr error;
    try {
      Serve(*job);
    } catch (...) {
      error = std::current_exception();
    }
    job->Finish(error);
  }
  Disconnect();
}

void Worker::Serve(Job& job) {
  switch (job.kind) {
    case Job::Kind::kRead:
      return RunRead(job);
    case Job::Kind::kWrite:
      return RunWrite(job);
    case Job::Kind::kVersions:
      return RunVersions(job);
  }
}

// Opens the connection and claims an audit chain: the lowest number no live connection holds
// (a session advisory lock, released when the connection ends however it ends).
void Worker::Connect() {
  Disconnect();
  auto connection = std::make_unique<Connection>(store_.options().url, store_.options().application_name);
  connection->Exec("SET search_path TO kith");
  int64_t chain = 0;
  for (;; ++chain) {
    auto locked = connection->Prepare("SELECT pg_try_advisory_lock($1, $2)").Bind(kChainLockSpace).Bind(chain).Run();
    locked.Next();
    if (locked.Bool(0)) break;
  }
  state_ = TransactionState{};
  state_.chain = chain;
  auto head =
      connection->Prepare("SELECT seq, hash FROM audit_log WHERE chain=$1 ORDER BY seq DESC LIMIT 1").Bind(chain).Run();
  if (head.Next()) {
    state_.head_seq = head.Int(0);
    state_.head_hash = head.Text(1);
  } else {
    state_.head_hash = std::string(domain::kGenesisHash);
  }
  repos_ = postgres::MakeRepositories(*connection, state_);
  connection_ = std::move(connection);
}

void Worker::Disconnect() {
  repos_.reset();
  connection_.reset();
}

// Starts a transaction on a working connection, reconnecting once if the one held was lost
// (nothing has run yet, so nothing can be doubled).
void Worker::Begin(std::string_view begin) {
  for (int attempt = 0;; ++attempt) {
    try {
      if (!connection_ || !connection_->healthy()) Connect();
      connection_->Exec(begin);
      return;
    } catch (const StorageUnavailable&) {
      Disconnect();
      if (attempt > 0) throw;
    }
  }
}

void Worker::Rollback() {
  if (!connection_ || !connection_->healthy()) return;
  try {
    connection_->Exec("ROLLBACK");
  } catch (const StorageError&) {
    Disconnect();  // a connection in an unknown state is not reused
  }
}

void Worker::RunRead(Job& job) {
  Begin("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  state_.writable = false;
  connection_->StartTransaction(true);
  in_transaction = true;
  try {
    (*job.read)(*repos_);
  } catch (...) {
    in_transaction = false;
    Rollback();
    throw;
  }
  in_transaction = false;
  connection_->Exec("COMMIT");
}

void Worker::RunWrite(Job& job) {
  store_.CountWrite();
  const int attempts = std::max(1, store_.options().max_attempts);
  int lost = 0;  // connections lost before the commit
  for (int attempt = 1;; ++attempt) {
    // Index scans wherever an index serves: a sequential scan in a serialisable transaction
    // takes a predicate lock on the whole table, so that a write reading one row of a small or
    // young table (word_child_versions, family_visibility, feed_items) conflicted with every
    // concurrent write to it, for any child, and was retried or failed (PostgreSQL's manual,
    // "Serializable Isolation Level", advises encouraging index scans; docs/BENCHMARKS.md,
    // "Soak", run 5). Writes look rows up by key, so the index is the right plan for them anyway.
    Begin("BEGIN ISOLATION LEVEL SERIALIZABLE; SET LOCAL enable_seqscan = off");
    const int64_t head_seq = state_.head_seq;
    const std::string head_hash = state_.head_hash;
    auto undo_head = [&] {
      state_.head_seq = head_seq;
      state_.head_hash = head_hash;
    };
    state_.writable = true;
    state_.identity_changed = state_.records_changed = false;
    connection_->StartTransaction(false);
    bool keep = false;
    bool committing = false;
    try {
      in_transaction = true;
      try {
        keep = (*job.write)(*repos_);
      } catch (...) {
        in_transaction = false;
        throw;
      }
      in_transaction = false;
      // A statement that failed inside the callback (and was caught there) aborted the
      // transaction: COMMIT would quietly roll it back.
      connection_->ThrowIfTransactionFailed();
      if (!keep) {
        undo_head();
        Rollback();
        return;
      }
      if (state_.identity_changed || state_.records_changed) {
        // The chain's row is made by its first change, not on connecting: a connection that only
        // reads (`kith audit verify` among them) writes nothing, so it is never held up by commits
        // waiting for a synchronous standby.
        connection_
            ->Prepare(
                "INSERT INTO store_versions AS v(chain, identity, records) VALUES ($3, $1, $2)"
                " ON CONFLICT (chain) DO UPDATE SET identity=v.identity+excluded.identity,"
                " records=v.records+excluded.records")
            .Bind(static_cast<int64_t>(state_.identity_changed ? 1 : 0))
            .Bind(static_cast<int64_t>(state_.records_changed ? 1 : 0))
            .Bind(state_.chain)
            .Run();
      }
      committing = true;
      const auto start = std::chrono::steady_clock::now();
      connection_->Commit();
      store_.CountCommit(
          std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start).count());
      return;
    } catch (const PgError& e) {
      undo_head();
      // A failed COMMIT has ended the transaction already (PostgreSQL rolled it back); a ROLLBACK
      // now would only draw the warning "there is no transaction in progress".
      if (!committing) Rollback();
      if (!e.retryable()) throw;
      if (attempt >= attempts) {
        throw StorageConflict("the change kept conflicting with others' (" + std::to_string(attempts) +
                              " attempts); nothing was stored: " + std::string(e.what()));
      }
      store_.CountRetry();
      // Back off a little, more each time, at random so that the conflicting writers part.
      std::uniform_int_distribution<int> pause(1, 2 << std::min(attempt, 6));
      std::this_thread::sleep_for(std::chrono::milliseconds(pause(jitter_)));
    } catch (const StorageUnavailable& e) {
      undo_head();
      Disconnect();
      if (committing) {
        throw StorageOutcomeUnknown(std::string(e.what()) +
                                    " (while committing: the change may or may not have been stored)");
      }
      // Lost before the commit: nothing was stored, and the callback may run again, once (on a
      // fresh connection: a failover's outage is for the caller to wait out, not this thread).
      if (++lost > 1) throw;
    } catch (...) {
      undo_head();
      if (!committing) Rollback();
      throw;
    }
  }
}

void Worker::RunVersions(Job& job) {
  for (int attempt = 0;; ++attempt) {
    try {
      if (!connection_ || !connection_->healthy()) Connect();
      auto rows = connection_
                      ->Prepare(
                          "SELECT coalesce(sum(identity), 0)::bigint, coalesce(sum(records), 0)::bigint"
                          " FROM store_versions")
                      .Run();
      rows.Next();
      job.identity = static_cast<uint64_t>(rows.Int(0));
      job.records = static_cast<uint64_t>(rows.Int(1));
      return;
    } catch (const StorageUnavailable&) {
      Disconnect();
      if (attempt > 0) throw;
    }
  }
}

}  // namespace

std::unique_ptr<Store> OpenPostgresStore(const PostgresOptions& options) { return std::make_unique<PgStore>(options); }

std::string RedactDatabaseUrl(std::string_view url) { return postgres::RedactUrl(url); }

std::pair<int, int> MigratePostgres(const std::string& url) {
  postgres::Connection connection(url, "kith migrate");
  return postgres::ApplyMigrations(connection);
}

}  // namespace kith::storage
