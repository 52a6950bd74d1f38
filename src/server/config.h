// Configuration: defaults, then a config file (KITH_CONFIG or --config), then environment
// variables, each overriding the one before.
//
// The file has one `key = value` per line; '#' starts a comment. Keys and their environment
// variables:
//   port            KITH_PORT             8080
//   address         KITH_ADDRESS          127.0.0.1
//   data            KITH_DATA             ./var      (directory of the embedded database)
//   database_url    KITH_DATABASE_URL     (unset)    (PostgreSQL instead: a libpq connection URI)
//   web_root        KITH_WEB_ROOT         ./web/dist
//   threads         KITH_THREADS          cores      (server threads, at least 2)
//   log_level       KITH_LOG_LEVEL        info       (debug, info, warn, error)
//   secure_cookies  KITH_SECURE_COOKIES   false      (true behind a TLS-terminating proxy)
//   fast_hashing    KITH_FAST_HASHING     false      (tests only: minimal argon2id cost)
//   trusted_proxies KITH_TRUSTED_PROXIES  (none)     (addresses and ranges whose X-Forwarded-For is believed)
//   max_connections KITH_MAX_CONNECTIONS  4096       (open connections at once)
//   max_connections_per_address  KITH_MAX_CONNECTIONS_PER_ADDRESS  256  (from one client address)
//   idle_timeout    KITH_IDLE_TIMEOUT     30         (seconds a connection may wait between requests)
//   header_timeout  KITH_HEADER_TIMEOUT   10         (seconds to send a request's head)
//   body_timeout    KITH_BODY_TIMEOUT     60         (seconds to send a body, or to read a response)
//   break_glass_hours      KITH_BREAK_GLASS_HOURS      4   (break-glass lasts this long by default)
//   break_glass_max_hours  KITH_BREAK_GLASS_MAX_HOURS  12  (and at most this long; 1..72)
//   join_escalation_hours  KITH_JOIN_ESCALATION_HOURS  24  (an undecided request to join is escalated)
//   word_index_mib  KITH_WORD_INDEX_MIB   32         (the word cloud indexes kept in memory, 0..65536)
//   audit_checkpoint_dir  KITH_AUDIT_CHECKPOINT_DIR  <data>/audit-checkpoints  (signed checkpoints)
//   audit_signing_key     KITH_AUDIT_SIGNING_KEY     <data>/audit-signing.key   (their Ed25519 key)
//   audit_checkpoint_url  KITH_AUDIT_CHECKPOINT_URL  none  (an endpoint that keeps a copy of each)
//   audit_export_page     KITH_AUDIT_EXPORT_PAGE     1000  (records the CSV export reads and sends at a time, 1..10000)
// The national hub (docs/hub.md), all four or none:
//   hub_url              KITH_HUB_URL              (none)  http://HOST:PORT of the hub
//   hub_key_file         KITH_HUB_KEY_FILE         (none)  this node's signing key (kith hub keygen)
//   linkage_secret_file  KITH_LINKAGE_SECRET_FILE  (none)  the authorities' secret (kith pprl keygen)
//   hub_authority        KITH_HUB_AUTHORITY        (none)  the local authority id whose children are published
//   hub_interval         KITH_HUB_INTERVAL         10      seconds between checks for changes to publish
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <thread>

#include "common/result.h"
#include "http/client_address.h"

namespace kith::server {

struct Config {
  uint16_t port = 8080;
  std::string address = "127.0.0.1";
  std::string data_dir = "./var";
  // A libpq connection URI ("postgresql://kith_node@db1,db2/kith?target_session_attrs=read-write"):
  // the national back end. Empty: the embedded SQLite database in data_dir.
  std::string database_url;
  std::string web_root = "./web/dist";
  // Each thread serves many connections, their requests on fibers (http/fiber.h), and has one
  // database reader. One per core keeps the CPUs busy without switching between threads.
  int threads = static_cast<int>(std::max(2u, std::thread::hardware_concurrency()));
  std::string log_level = "info";
  bool secure_cookies = false;
  bool fast_hashing = false;
  http::TrustedProxies trusted_proxies;
  int max_connections = 4096;
  int max_connections_per_address = 256;
  int idle_timeout_seconds = 30;
  int header_timeout_seconds = 10;
  int body_timeout_seconds = 60;
  int break_glass_hours = 4;
  int break_glass_max_hours = 12;
  int join_escalation_hours = 24;
  int word_index_mib = 32;  // app::WordIndex's max_cached_bytes, in MiB
  // Signed audit checkpoints (docs/audit-format.md): empty paths mean the defaults under data_dir.
  std::string audit_checkpoint_dir;
  std::string audit_signing_key;
  std::string audit_checkpoint_url;  // http:// or https://; empty: no external copy
  int audit_export_page = 1000;      // app::AuditService's export_page
  std::string hub_url;
  std::string hub_key_file;
  std::string linkage_secret_file;
  std::string hub_authority;
  int hub_interval = 10;

  std::string DatabasePath() const { return data_dir + "/kith.db"; }
  std::string AuditCheckpointDir() const {
    return audit_checkpoint_dir.empty() ? data_dir + "/audit-checkpoints" : audit_checkpoint_dir;
  }
  std::string AuditSigningKeyPath() const {
    return audit_signing_key.empty() ? data_dir + "/audit-signing.key" : audit_signing_key;
  }
};

// Loads the configuration. `file` may be empty (then KITH_CONFIG is used if set). `env` is the
// environment to read (injected for tests). Errors name the file, line or variable at fault.
Result<Config> LoadConfig(const std::string& file, const std::map<std::string, std::string>& env);

// The process environment as a map.
std::map<std::string, std::string> ProcessEnvironment();

}  // namespace kith::server
