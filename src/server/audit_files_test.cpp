#include "server/audit_files.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace kith::server {
namespace {

class AuditFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("kith-audit-files-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

TEST_F(AuditFilesTest, KeepsCheckpointsByNumberAndIgnoresOtherFiles) {
  auto archive = CheckpointDirectory::Open((dir_ / "cp").string());
  EXPECT_TRUE(archive.Numbers().empty());
  archive.Write(2, "two\n");
  archive.Write(10, "ten\n");
  archive.Write(1, "one\n");
  std::ofstream((dir_ / "cp" / "notes.txt").string()) << "x";
  std::ofstream((dir_ / "cp" / "00000000000x.checkpoint").string()) << "x";
  EXPECT_EQ(archive.Numbers(), (std::vector<int64_t>{1, 2, 10}));
  EXPECT_EQ(archive.Read(10), "ten\n");
  EXPECT_FALSE(archive.Read(3));
  EXPECT_TRUE(std::filesystem::exists(dir_ / "cp" / "000000000010.checkpoint"));
  EXPECT_EQ(archive.PublishedThrough(), 0);
  archive.SetPublishedThrough(2);
  EXPECT_EQ(CheckpointDirectory((dir_ / "cp").string()).PublishedThrough(), 2);
  EXPECT_TRUE(CheckpointDirectory((dir_ / "missing").string()).Numbers().empty());
}

TEST_F(AuditFilesTest, MakesTheSigningKeyOnceAndPrivately) {
  const std::string path = (dir_ / "keys" / "audit-signing.key").string();
  SeededRandom random(1);
  auto missing = LoadSigningKey(path, false, random);
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("no audit signing key"), std::string::npos);
  auto made = LoadSigningKey(path, true, random);
  ASSERT_TRUE(made) << made.error().message;
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  auto again = LoadSigningKey(path, true, random);  // never replaced
  ASSERT_TRUE(again);
  EXPECT_EQ(again->public_key(), made->public_key());

  ::chmod(path.c_str(), 0644);
  auto exposed = LoadSigningKey(path, false, random);
  ASSERT_FALSE(exposed);
  EXPECT_NE(exposed.error().message.find("chmod 600"), std::string::npos);
  ::chmod(path.c_str(), 0600);
  std::ofstream(path, std::ios::trunc) << "not a key\n";
  auto garbled = LoadSigningKey(path, false, random);
  ASSERT_FALSE(garbled);
  EXPECT_NE(garbled.error().message.find("is not a Kith audit signing key"), std::string::npos);
}

}  // namespace
}  // namespace kith::server
