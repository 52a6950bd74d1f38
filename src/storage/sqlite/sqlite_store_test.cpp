// What the SQLite back end promises beyond the Store contract (tests/conformance): writes from
// many callers share durable commits (group commit, docs/adr/0001).
#include "storage/sqlite/sqlite_store.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <thread>
#include <vector>

namespace kith::storage {
namespace {

TEST(SqliteStore, ConcurrentWritesShareGroupCommits) {
  const auto dir = std::filesystem::temp_directory_path() / ("kith-sqlite-store-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  {
    auto store = OpenSqliteStore({.path = (dir / "kith.db").string(), .readers = 2});
    constexpr int kThreads = 16, kPerThread = 40;
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&] {
        for (int i = 0; i < kPerThread; ++i) {
          store->Write([](Repositories& r) {
            domain::AuditRecord a;
            a.action = "w";
            r.Audit().Append(a);
            return true;
          });
        }
      });
    }
    for (auto& th : threads) th.join();
    const auto stats = store->Stats();
    EXPECT_EQ(stats.write_jobs, kThreads * kPerThread);
    EXPECT_LT(stats.write_batches, stats.write_jobs) << "no two writes were ever committed together";
    EXPECT_EQ(stats.write_retries, 0);
    const auto heads = store->ReadValue([](Repositories& r) { return r.Audit().Heads(); });
    ASSERT_EQ(heads.size(), 1u);  // one writer, one chain
    EXPECT_EQ(heads[0].chain, 0);
    EXPECT_EQ(heads[0].seq, kThreads * kPerThread);
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace kith::storage
