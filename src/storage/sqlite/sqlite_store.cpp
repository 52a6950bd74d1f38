#include "storage/sqlite/sqlite_store.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

#include "common/await.h"
#include "storage/sqlite/connection.h"
#include "storage/sqlite/migrations.h"
#include "storage/sqlite/sqlite_repositories.h"

namespace kith::storage {
namespace {

using sqlite::AuditHead;
using sqlite::Connection;

// A queued write, on its caller's stack (or fiber): no allocation per write beyond the waker.
// The writer stores `error`, then wakes the caller through `resume`.
struct WriteJob {
  const std::function<bool(Repositories&)>* fn;
  std::exception_ptr error;
  Resume resume;

  void Finish(std::exception_ptr e) {
    error = std::move(e);
    Resume wake = std::move(resume);  // the job is gone once its caller wakes
    wake();
  }
};

class SqliteStore final : public Store {
 public:
  explicit SqliteStore(const SqliteOptions& options)
      : options_(options), writer_(options.path, Connection::Mode::kReadWrite) {
    if (options.apply_migrations) sqlite::ApplyMigrations(writer_);
    if (sqlite::SchemaVersion(writer_) != sqlite::LatestSchemaVersion()) {
      throw StorageError("the database schema is out of date; run `kith migrate` first");
    }
    head_ = sqlite::LoadAuditHead(writer_);
    writer_repos_ = sqlite::MakeRepositories(writer_, &head_, &effects_);
    for (int i = 0; i < options.readers; ++i) {
      auto conn = std::make_unique<Connection>(options.path, Connection::Mode::kReadOnly);
      auto repos = sqlite::MakeRepositories(*conn, nullptr);
      idle_readers_.push_back(readers_.size());
      readers_.push_back({std::move(conn), std::move(repos)});
    }
    thread_ = std::thread([this] { WriterLoop(); });
  }

  ~SqliteStore() override {
    {
      std::lock_guard lock(queue_mutex_);
      stopping_ = true;
    }
    queue_cv_.notify_all();
    thread_.join();
  }

  void Read(const std::function<void(Repositories&)>& fn) override {
    struct Return {
      SqliteStore* self;
      size_t index;
      ~Return() { self->ReleaseReader(index); }
    } give_back{this, AcquireReader()};
    const size_t index = give_back.index;
    auto& reader = readers_[index];
    // One transaction, so that every query in `fn` sees the same snapshot.
    reader.connection->Run("BEGIN");
    try {
      fn(*reader.repos);
    } catch (...) {
      reader.connection->Exec("ROLLBACK");
      throw;
    }
    reader.connection->Run("COMMIT");
    reads_.fetch_add(1, std::memory_order_relaxed);
  }

  void Write(const std::function<bool(Repositories&)>& fn) override {
    WriteJob job{&fn};
    bool refused = false;
    Await([&](Resume resume) {
      job.resume = std::move(resume);
      {
        std::lock_guard lock(queue_mutex_);
        refused = stopping_;
        if (!refused) queue_.push_back(&job);
      }
      if (refused) {
        job.resume();
      } else {
        queue_cv_.notify_one();
      }
    });
    if (refused) throw StorageError("the store is shutting down");
    if (job.error) std::rethrow_exception(job.error);
  }

  StoreStats Stats() const override {
    return {.write_batches = batches_.load(),
            .write_jobs = jobs_.load(),
            .write_commit_micros = commit_micros_.load(),
            .reads = reads_.load()};
  }

  uint64_t IdentityVersion() const override { return identity_version_.load(std::memory_order_acquire); }
  uint64_t RecordsVersion() const override { return records_version_.load(std::memory_order_acquire); }

 private:
  struct Reader {
    std::unique_ptr<Connection> connection;
    std::unique_ptr<Repositories> repos;
  };

  // A waiting caller Awaits (see common/await.h): on a server fiber, its thread serves other
  // requests meanwhile. Readers go straight to the longest waiter.
  size_t AcquireReader() {
    {
      std::lock_guard lock(reader_mutex_);
      if (!idle_readers_.empty()) {
        const size_t index = idle_readers_.back();
        idle_readers_.pop_back();
        return index;
      }
    }
    size_t index = 0;
    Await([&](Resume resume) {
      std::unique_lock lock(reader_mutex_);
      if (idle_readers_.empty()) {
        reader_waiters_.push_back({&index, std::move(resume)});
        return;
      }
      index = idle_readers_.back();
      idle_readers_.pop_back();
      lock.unlock();
      resume();
    });
    return index;
  }

  void ReleaseReader(size_t index) {
    std::unique_lock lock(reader_mutex_);
    if (reader_waiters_.empty()) {
      idle_readers_.push_back(index);
      return;
    }
    ReaderWaiter next = std::move(reader_waiters_.front());
    reader_waiters_.pop_front();
    lock.unlock();
    *next.index = index;
    next.resume();
  }

  void WriterLoop() {
    std::vector<WriteJob*> batch;
    for (;;) {
      {
        std::unique_lock lock(queue_mutex_);
        queue_cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
        if (queue_.empty()) return;  // stopping and drained
        while (!queue_.empty() && batch.size() < static_cast<size_t>(options_.max_batch)) {
          batch.push_back(queue_.front());
          queue_.pop_front();
        }
      }
      RunBatch(batch);
      batch.clear();
    }
  }

  // Runs each job in its own savepoint inside one transaction, then commits once: the whole
  // group becomes durable with a single fsync.
  void RunBatch(std::vector<WriteJob*>& batch) {
    std::vector<std::exception_ptr> errors(batch.size());
    const AuditHead head_before_batch = head_;
    try {
      writer_.Run("BEGIN IMMEDIATE");
      for (size_t i = 0; i < batch.size(); ++i) {
        const AuditHead head_before_job = head_;
        writer_.Run("SAVEPOINT job");
        bool keep = false;
        try {
          keep = (*batch[i]->fn)(*writer_repos_);
        } catch (...) {
          errors[i] = std::current_exception();
        }
        if (!keep) {
          writer_.Run("ROLLBACK TO job");
          head_ = head_before_job;
        }
        writer_.Run("RELEASE job");
      }
      const auto start = std::chrono::steady_clock::now();
      writer_.Run("COMMIT");
      commit_micros_ +=
          std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start).count();
    } catch (...) {
      // The commit (or the transaction around the jobs) failed: nothing of the batch is stored.
      try {
        writer_.Exec("ROLLBACK");
      } catch (...) {
      }
      head_ = head_before_batch;
      const auto failure = std::current_exception();
      for (auto& e : errors) e = failure;
    }
    // Before any caller returns, so that no cache serves what this batch changed.
    if (effects_.identity) identity_version_.fetch_add(1, std::memory_order_acq_rel);
    if (effects_.records) records_version_.fetch_add(1, std::memory_order_acq_rel);
    effects_ = {};
    batches_.fetch_add(1, std::memory_order_relaxed);
    jobs_.fetch_add(static_cast<int64_t>(batch.size()), std::memory_order_relaxed);
    for (size_t i = 0; i < batch.size(); ++i) batch[i]->Finish(errors[i]);
  }

  SqliteOptions options_;
  Connection writer_;
  AuditHead head_;
  sqlite::WriteEffects effects_;  // marked by the writer's repositories; touched only by the writer
  std::unique_ptr<Repositories> writer_repos_;

  std::vector<Reader> readers_;
  struct ReaderWaiter {
    size_t* index;
    Resume resume;
  };
  std::vector<size_t> idle_readers_;
  std::deque<ReaderWaiter> reader_waiters_;
  std::mutex reader_mutex_;

  std::mutex queue_mutex_;
  std::condition_variable queue_cv_;
  std::deque<WriteJob*> queue_;
  bool stopping_ = false;
  std::thread thread_;

  std::atomic<int64_t> batches_{0}, jobs_{0}, commit_micros_{0}, reads_{0};
  std::atomic<uint64_t> identity_version_{0}, records_version_{0};
};

}  // namespace

std::unique_ptr<Store> OpenSqliteStore(const SqliteOptions& options) { return std::make_unique<SqliteStore>(options); }

std::pair<int, int> MigrateSqlite(const std::string& path) {
  Connection connection(path, Connection::Mode::kReadWrite);
  const int from = sqlite::SchemaVersion(connection);
  sqlite::ApplyMigrations(connection);
  return {from, sqlite::SchemaVersion(connection)};
}

}  // namespace kith::storage
