#include "server/db_lock.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

namespace kith::server {
namespace {

TEST(DatabaseLockTest, OneWriterAtATimeAndTheLockGoesWithItsHolder) {
  const auto dir = std::filesystem::temp_directory_path() / ("kith-lock-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string db = (dir / "kith.db").string();
  {
    auto first = DatabaseLock::Acquire(db, "A running Kith server");
    ASSERT_TRUE(first) << first.error().message;
    auto second = DatabaseLock::Acquire(db, "A running Kith server");
    ASSERT_FALSE(second);
    EXPECT_EQ(second.error().code, ErrorCode::kConflict);
    EXPECT_EQ(second.error().message, "A running Kith server is using " + db + ".");
  }
  EXPECT_TRUE(DatabaseLock::Acquire(db, "x")) << "released when its holder is gone";
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace kith::server
