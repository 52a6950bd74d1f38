#include "pprl/secret.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace kith::pprl {
namespace {

class SecretFile : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("kith_secret_test_" + std::to_string(::getpid()) + "_" +
                                                     ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string Write(const std::string& text, mode_t mode = 0600) {
    const std::string path = (dir_ / "secret").string();
    std::ofstream(path) << text;
    ::chmod(path.c_str(), mode);
    return path;
  }
  std::filesystem::path dir_;
};

TEST_F(SecretFile, ReadsTheKeyLineAmongComments) {
  const std::string hex(64, 'b');
  auto secret = LinkageSecret::FromFile(Write("# a comment\n\n" + hex + "\n"));
  ASSERT_TRUE(secret) << secret.error().message;
  EXPECT_EQ(secret->KeyId(), LinkageSecret::FromHex(hex)->KeyId());
}

TEST_F(SecretFile, WhatKeygenWritesReadsBack) {
  SeededRandom random(1);
  const auto secret = LinkageSecret::Generate(random);
  auto back = LinkageSecret::FromFile(Write(secret.FileText()));
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->KeyId(), secret.KeyId());
  EXPECT_EQ(back->Derive("nhs-number"), secret.Derive("nhs-number"));
}

TEST_F(SecretFile, RefusesAFileOthersCanRead) {
  auto secret = LinkageSecret::FromFile(Write(std::string(64, 'b'), 0644));
  ASSERT_FALSE(secret);
  EXPECT_NE(secret.error().message.find("chmod 600"), std::string::npos) << secret.error().message;
}

TEST_F(SecretFile, NamesTheLineOfABadKey) {
  auto secret = LinkageSecret::FromFile(
      Write("# comment\nnot-hex-at-all-but-sixty-four-characters-long-xxxxxxxxxxxxxxxxxxxxxxx\n"));
  ASSERT_FALSE(secret);
  EXPECT_NE(secret.error().message.find("line 2"), std::string::npos) << secret.error().message;
  secret = LinkageSecret::FromFile(Write("abcd\n"));
  ASSERT_FALSE(secret);
  EXPECT_NE(secret.error().message.find("line 1"), std::string::npos) << secret.error().message;
  EXPECT_NE(secret.error().message.find("64 to 128"), std::string::npos) << secret.error().message;
}

TEST_F(SecretFile, RefusesNoKeyOrTwoKeys) {
  auto none = LinkageSecret::FromFile(Write("# only a comment\n"));
  ASSERT_FALSE(none);
  EXPECT_NE(none.error().message.find("kith pprl keygen"), std::string::npos);
  auto two = LinkageSecret::FromFile(Write(std::string(64, 'b') + "\n" + std::string(64, 'c') + "\n"));
  ASSERT_FALSE(two);
  EXPECT_NE(two.error().message.find("line 2"), std::string::npos) << two.error().message;
}

TEST_F(SecretFile, AMissingFileIsNotFound) {
  auto secret = LinkageSecret::FromFile((dir_ / "absent").string());
  ASSERT_FALSE(secret);
  EXPECT_EQ(secret.error().code, ErrorCode::kNotFound);
}

TEST(Secret, DerivesIndependentKeysPerPurposeAndSecret) {
  const auto a = *LinkageSecret::FromHex(std::string(64, 'a'));
  const auto b = *LinkageSecret::FromHex(std::string(64, 'b'));
  EXPECT_NE(a.Derive("nhs-number"), a.Derive("upn"));
  EXPECT_NE(a.Derive("nhs-number"), b.Derive("nhs-number"));
  EXPECT_EQ(a.Derive("nhs-number"), LinkageSecret::FromHex(std::string(64, 'a'))->Derive("nhs-number"));
  EXPECT_NE(a.KeyId(), b.KeyId());
  EXPECT_EQ(a.KeyId().size(), 16u);
  EXPECT_FALSE(LinkageSecret::FromHex(std::string(62, 'a')));
  EXPECT_FALSE(LinkageSecret::FromHex(std::string(130, 'a')));
  EXPECT_FALSE(LinkageSecret::FromHex(std::string(63, 'a') + "g"));
}

}  // namespace
}  // namespace kith::pprl
