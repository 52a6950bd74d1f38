#include "server/config.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace kith::server {
namespace {

TEST(ConfigTest, DefaultsFileThenEnvironment) {
  const auto path = std::filesystem::temp_directory_path() / "kith-config-test.conf";
  {
    std::ofstream out(path);
    out << "# comment\nport = 9000\ndata = /tmp/kith-a\nlog_level = warn  # trailing comment\n";
  }
  auto c = LoadConfig(path.string(), {{"KITH_DATA", "/tmp/kith-b"}, {"KITH_THREADS", "4"}});
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->port, 9000);
  EXPECT_EQ(c->data_dir, "/tmp/kith-b");
  EXPECT_EQ(c->threads, 4);
  EXPECT_EQ(c->log_level, "warn");
  EXPECT_EQ(c->DatabasePath(), "/tmp/kith-b/kith.db");
  auto d = LoadConfig("", {});
  ASSERT_TRUE(d);
  EXPECT_EQ(d->port, 8080);
  EXPECT_EQ(d->data_dir, "./var");
  std::filesystem::remove(path);
}

TEST(ConfigTest, AuditCheckpointsLiveUnderTheDataDirectoryUnlessPlacedElsewhere) {
  auto d = LoadConfig("", {{"KITH_DATA", "/srv/kith"}});
  ASSERT_TRUE(d);
  EXPECT_EQ(d->AuditCheckpointDir(), "/srv/kith/audit-checkpoints");
  EXPECT_EQ(d->AuditSigningKeyPath(), "/srv/kith/audit-signing.key");
  EXPECT_EQ(d->audit_checkpoint_url, "");
  auto e = LoadConfig("", {{"KITH_AUDIT_CHECKPOINT_DIR", "/mnt/worm/kith"},
                           {"KITH_AUDIT_SIGNING_KEY", "/etc/kith/audit.key"},
                           {"KITH_AUDIT_CHECKPOINT_URL", "https://audit.example.org/kith"}});
  ASSERT_TRUE(e);
  EXPECT_EQ(e->AuditCheckpointDir(), "/mnt/worm/kith");
  EXPECT_EQ(e->AuditSigningKeyPath(), "/etc/kith/audit.key");
  EXPECT_EQ(e->audit_checkpoint_url, "https://audit.example.org/kith");
  auto bad = LoadConfig("", {{"KITH_AUDIT_CHECKPOINT_URL", "ftp://x"}});
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("http:// or https://"), std::string::npos);
}

TEST(ConfigTest, DatabaseUrlSelectsPostgresAndIsNeverEchoed) {
  EXPECT_EQ(LoadConfig("", {})->database_url, "");  // the embedded database, as before
  auto c =
      LoadConfig("", {{"KITH_DATABASE_URL", "postgresql://kith_app:pw@db1,db2/kith?target_session_attrs=read-write"}});
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->database_url, "postgresql://kith_app:pw@db1,db2/kith?target_session_attrs=read-write");
  auto bad = LoadConfig("", {{"KITH_DATABASE_URL", "mysql://root:s3cret@db/kith"}});
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("KITH_DATABASE_URL"), std::string::npos);
  EXPECT_EQ(bad.error().message.find("s3cret"), std::string::npos) << bad.error().message;
}

TEST(ConfigTest, ErrorsSayWhereAndWhat) {
  auto bad_env = LoadConfig("", {{"KITH_PORT", "80a"}});
  ASSERT_FALSE(bad_env);
  EXPECT_NE(bad_env.error().message.find("KITH_PORT"), std::string::npos);
  auto missing = LoadConfig("/nonexistent/kith.conf", {});
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("/nonexistent/kith.conf"), std::string::npos);
  const auto path = std::filesystem::temp_directory_path() / "kith-config-bad.conf";
  {
    std::ofstream out(path);
    out << "port = 1\ncolour = blue\n";
  }
  auto unknown = LoadConfig(path.string(), {});
  ASSERT_FALSE(unknown);
  EXPECT_NE(unknown.error().message.find(":2: unknown setting 'colour'"), std::string::npos);
  std::filesystem::remove(path);
}

TEST(ConfigTest, TrustedProxiesAndConnectionLimits) {
  auto c = LoadConfig("", {{"KITH_TRUSTED_PROXIES", "10.0.0.5, 2001:db8::/32"},
                           {"KITH_MAX_CONNECTIONS", "100"},
                           {"KITH_MAX_CONNECTIONS_PER_ADDRESS", "8"},
                           {"KITH_HEADER_TIMEOUT", "2"}});
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->trusted_proxies.ToString(), "10.0.0.5/32, 2001:db8::/32");
  EXPECT_EQ(c->max_connections, 100);
  EXPECT_EQ(c->max_connections_per_address, 8);
  EXPECT_EQ(c->header_timeout_seconds, 2);
  auto d = LoadConfig("", {});
  ASSERT_TRUE(d);
  EXPECT_TRUE(d->trusted_proxies.empty()) << "nobody's X-Forwarded-For is believed unless configured";
  auto bad = LoadConfig("", {{"KITH_TRUSTED_PROXIES", "10.0.0.0/8, the-proxy"}});
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("KITH_TRUSTED_PROXIES"), std::string::npos) << bad.error().message;
  EXPECT_NE(bad.error().message.find("'the-proxy'"), std::string::npos) << bad.error().message;
}

TEST(ConfigTest, TheTestClockIsNotAProductSetting) {
  const auto path = std::filesystem::temp_directory_path() / "kith-config-test-clock.conf";
  {
    std::ofstream out(path);
    out << "test_clock = true\n";
  }
  auto c = LoadConfig(path.string(), {});
  ASSERT_FALSE(c);
  EXPECT_NE(c.error().message.find("unknown setting 'test_clock'"), std::string::npos);
  std::filesystem::remove(path);
}

TEST(ConfigTest, HubSettingsComeTogether) {
  const std::map<std::string, std::string> all = {{"KITH_HUB_URL", "http://127.0.0.1:8090"},
                                                  {"KITH_HUB_KEY_FILE", "/etc/kith/hub.key"},
                                                  {"KITH_LINKAGE_SECRET_FILE", "/etc/kith/linkage.secret"},
                                                  {"KITH_HUB_AUTHORITY", "LA1"},
                                                  {"KITH_HUB_INTERVAL", "5"}};
  auto config = LoadConfig("", all);
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->hub_url, "http://127.0.0.1:8090");
  EXPECT_EQ(config->hub_interval, 5);
  auto partial = all;
  partial.erase("KITH_LINKAGE_SECRET_FILE");
  auto refused = LoadConfig("", partial);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("together"), std::string::npos);
  EXPECT_TRUE(LoadConfig("", {}));
}

}  // namespace
}  // namespace kith::server
