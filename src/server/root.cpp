#include "server/root.h"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <iostream>
#include <mutex>
#include <optional>
#include <stop_token>
#include <thread>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "app/account_service.h"
#include "app/admin_service.h"
#include "app/audit_checkpoints.h"
#include "app/audit_service.h"
#include "app/auth_service.h"
#include "app/change_follower.h"
#include "app/child_service.h"
#include "app/contact_alerts.h"
#include "app/early_help_service.h"
#include "app/family_service.h"
#include "app/idempotency_service.h"
#include "app/import_jobs.h"
#include "app/live_hub.h"
#include "app/live_relay.h"
#include "app/merge_service.h"
#include "app/misuse_service.h"
#include "app/retention_service.h"
#include "app/review_service.h"
#include "app/search_service.h"
#include "app/store_rate_limiter.h"
#include "app/sweeper.h"
#include "app/word_index.h"
#include "common/log.h"
#include "http/access_api.h"
#include "http/account_api.h"
#include "http/api.h"
#include "http/audit_api.h"
#include "http/early_help_api.h"
#include "http/family_api.h"
#include "http/idempotency.h"
#include "http/import_api.h"
#include "http/index_api.h"
#include "http/oversight_api.h"
#include "http/json_codec.h"
#include "http/pipeline.h"
#include "http/problem.h"
#include "http/retention_api.h"
#include "http/search_api.h"
#include "http/server.h"
#include "server/audit_files.h"
#include "server/db_lock.h"
#include "server/demo.h"
#include "server/hooks.h"
#include "server/hub_node.h"
#include "storage/idempotent_store.h"
#include "storage/postgres/postgres_store.h"
#include "storage/sqlite/sqlite_store.h"

namespace kith::server {
namespace {

// How often live-updates connections are checked for a fallen session (see Serve): a sign-out
// on any node closes them within a second (issue 16).
constexpr std::chrono::milliseconds kLiveRevalidation{500};

// Runs `work` on a thread of its own every `period` until the thread is stopped: at once and then
// after each period when `at_once`, else first after one period. An exception is logged as
// `failed_event` and the next round runs as usual.
std::jthread Every(std::chrono::milliseconds period, bool at_once, std::string failed_event,
                   std::function<void()> work) {
  return std::jthread([period, at_once, failed_event = std::move(failed_event),
                       work = std::move(work)](std::stop_token stop) {
    std::mutex mutex;
    std::condition_variable_any wake;
    for (bool first = true; !stop.stop_requested(); first = false) {
      if (!(first && at_once)) {
        std::unique_lock lock(mutex);
        if (wake.wait_for(lock, stop, period, [] { return false; }) || stop.stop_requested()) return;
      }
      try {
        work();
      } catch (const std::exception& e) {
        log::Error(failed_event, {{"reason", e.what()}});
      }
    }
  });
}

bool IsLoopback(const std::string& address) {
  return address == "127.0.0.1" || address == "::1" || address == "localhost";
}

// Opens the database for `kith serve`. An unreachable PostgreSQL is waited for, with a message
// each time saying what was tried and what to check: a node may start before its database.
Result<Database> OpenForServing(const Config& config) {
  const DatabaseRequest request{
      .exclusive = true,
      .in_the_way = "`kith import` (or another server)",
      // A reader (SQLite) or connection per server thread and as many again
      // (PostgreSQL: requests wait for the network, not the CPU).
      .connections = config.database_url.empty() ? config.threads : std::max(4, 2 * config.threads)};
  for (int wait_seconds = 1;; wait_seconds = std::min(wait_seconds * 2, 30)) {
    try {
      return OpenDatabase(config, request);
    } catch (const storage::StorageUnavailable& e) {
      log::Error("database.unreachable",
                 {{"reason", e.what()},
                  {"check",
                   "that PostgreSQL is running and accepts connections at that address, the user name and password "
                   "(or ~/.pgpass), and pg_hba.conf"},
                  {"retry_in_seconds", wait_seconds}});
      std::this_thread::sleep_for(std::chrono::seconds(wait_seconds));
    }
  }
}

}  // namespace

Result<Database> OpenDatabase(const Config& config, const DatabaseRequest& request) {
  Database db;
  std::unique_ptr<storage::Store> store;
  if (!config.database_url.empty()) {
    db.where = storage::RedactDatabaseUrl(config.database_url);
    store = storage::OpenPostgresStore({.url = config.database_url, .connections = request.connections});
  } else {
    const std::string path = request.sqlite_path.empty() ? config.DatabasePath() : request.sqlite_path;
    db.where = path;
    if (request.must_exist && !std::filesystem::exists(path)) {
      return Error::NotFound("there is no database at " + path +
                             "; create it with `kith migrate` and `kith authority add` first, or name it with --db");
    }
    if (request.sqlite_path.empty()) std::filesystem::create_directories(config.data_dir);
    if (request.exclusive) {
      auto lock = DatabaseLock::Acquire(path, request.in_the_way);
      if (!lock) return lock.error();
      db.lock = std::move(lock).value();
    }
    store = storage::OpenSqliteStore({.path = path, .readers = request.connections});
  }
  // Idempotency keys are recorded with each keyed request's first change (idempotent_store.h).
  db.store = std::make_unique<storage::IdempotentStore>(std::move(store));
  return db;
}

std::string MigrateDatabase(const Config& config) {
  if (!config.database_url.empty()) {
    auto [from, to] = storage::MigratePostgres(config.database_url);
    return storage::RedactDatabaseUrl(config.database_url) + ": schema version " + std::to_string(from) + " -> " +
           std::to_string(to);
  }
  std::filesystem::create_directories(config.data_dir);
  auto [from, to] = storage::MigrateSqlite(config.DatabasePath());
  return config.DatabasePath() + ": schema version " + std::to_string(from) + " -> " + std::to_string(to);
}

int Serve(const Config& config, bool demo_if_empty, ServeHooks* hooks) {
  if (hooks) {
    if (auto checked = hooks->Check(config); !checked) {
      log::Error("config.refused", {{"reason", checked.error().message}});
      return 2;
    }
  }
  // While serving, no offline tool may import into a SQLite database (server/db_lock.h).
  auto database = OpenForServing(config);
  if (!database) {
    log::Error("server.refused", {{"reason", database.error().message}});
    return 2;
  }
  std::unique_ptr<storage::Store> store = std::move(database->store);
  SystemClock system_clock;
  const Clock& clock = hooks ? hooks->ServerClock(system_clock) : system_clock;
  SystemRandom random;
  app::PasswordHasher hasher(config.fast_hashing ? app::HashCost::kMinimum : app::HashCost::kInteractive);

  // Signed audit checkpoints (docs/audit-format.md): the key is made on first start and never
  // replaced; the checkpoints live outside the database.
  auto signing_key = LoadSigningKey(config.AuditSigningKeyPath(), true, random);
  if (!signing_key) {
    log::Error("server.refused", {{"reason", signing_key.error().message}});
    return 2;
  }
  auto checkpoint_dir = CheckpointDirectory::Open(config.AuditCheckpointDir());
  std::unique_ptr<HttpCheckpointPublisher> checkpoint_endpoint;
  if (!config.audit_checkpoint_url.empty()) {
    checkpoint_endpoint = std::make_unique<HttpCheckpointPublisher>(config.audit_checkpoint_url);
  }
  // This server's name in the database's claims and leases (the nightly misuse report, the one
  // checkpointer of a cluster): unique among the servers that share the database.
  const std::string holder = config.address + ":" + std::to_string(::getpid()) + ":" + random.Hex(4);
  app::AuditCheckpointer checkpointer(*store, clock, *signing_key, checkpoint_dir, checkpoint_endpoint.get(), holder);
  if (auto problem = checkpointer.CheckNewest()) {
    log::Error("audit.checkpoint_mismatch", {{"problem", *problem}, {"what_to_do", "run `kith audit verify`"}});
  }

  if (demo_if_empty && IsEmpty(*store)) {
    auto summary = CreateDemoData(*store, hasher, clock.Now(), 2026);
    PrintDemoLogins(summary, std::cout);
  }
  // The word cloud's corpus statistics (computed here if text was stored without them).
  app::WordIndex words(512, static_cast<size_t>(config.word_index_mib) << 20);
  words.LoadCorpus(*store);

  app::Policy policy;
  policy.break_glass = {std::chrono::hours(config.break_glass_hours), std::chrono::hours(config.break_glass_max_hours)};
  policy.join_escalation = std::chrono::hours(config.join_escalation_hours);
  app::Context context{*store, clock, random, hasher, policy};
  // Rate limits and sign-in failure counts: on PostgreSQL in the database, so that every node
  // over it counts the same (app/store_rate_limiter.h); on SQLite, which one process owns, in
  // this process's memory (app/rate_limiter.h).
  std::unique_ptr<app::RateLimiter> limiter_owned;
  if (config.database_url.empty()) {
    limiter_owned = std::make_unique<app::MemoryRateLimiter>(clock);
  } else {
    limiter_owned = std::make_unique<app::StoreRateLimiter>(*store, clock);
  }
  app::RateLimiter& limiter = *limiter_owned;
  app::AuthService auth(context, limiter);
  // The search index is built before serving and kept current by the child service.
  const auto index_started = std::chrono::steady_clock::now();
  // Where the change feed stands before the index is read (ChildRepository::ChangeCursor).
  const int64_t changes_cursor =
      store->ReadValue([](storage::Repositories& r) { return r.Children().ChangeCursor(); });
  auto search_index = app::BuildSearchIndex(*store, [](size_t n) {
    log::Info("search_index.building", {{"children", n}});
  });
  log::Info("search_index.ready",
            {{"children", search_index->Size()},
             {"seconds", std::chrono::duration<double>(std::chrono::steady_clock::now() - index_started).count()}});
  app::SearchService search(context, *search_index);
  // On PostgreSQL other nodes (and `kith import`) store children too: the search index follows
  // the database's change feed, caught up once before serving (what was stored while the index
  // was built), then at once when a write to children notifies its commit, and every 250 ms
  // whatever happens. On SQLite this process is the only writer.
  std::optional<app::ChangeFollower> follower;
  if (!config.database_url.empty()) {
    follower.emplace(*store, search, changes_cursor, std::chrono::milliseconds(250),
                     storage::OpenPostgresBus(config.database_url, storage::kChildChangesChannel));
    follower->CatchUp();
    follower->Start();
  }
  // Other nodes write text too: each child's cached word index notices at its next use
  // (app/word_index.h), and the corpus statistics that weight the cloud are reloaded every ten
  // minutes.
  std::jthread corpus_refresh;
  if (!config.database_url.empty()) {
    corpus_refresh = Every(std::chrono::minutes(10), false, "word_index.corpus_refresh_failed",
                           [&words, &store] { words.RefreshCorpus(*store); });
  }
  app::ChildService children(context, &search);
  app::AdminService admin(context, &auth);
  app::ReviewService reviews(context, &search);
  app::MergeService merges(context);
  app::TeamService team(context);
  app::BreakGlassService break_glass(context);
  app::AuditService audit(context, config.audit_export_page);
  app::MisuseService misuse(context);
  app::CaseloadService caseloads(context);
  app::RetentionAdmin retention(context);
  // Source feeds imported while serving: one background worker, children indexed as stored.
  // On SQLite this is the database's only server (its lock proves it): a lease its crashed run left
  // is released at once.
  app::ImportJobs imports(context, &search, {.sole_server = config.database_url.empty()});
  app::AccountService* account_for_hub = nullptr;
  app::FamilyService* family_for_hub = nullptr;
  app::LiveHub hub(
      [&account_for_hub, &family_for_hub](const std::string& user_id, const app::LiveEvent& event) {
        return account_for_hub->MaySee(user_id, event.child_id) || family_for_hub->MaySeeLive(user_id, event);
      },
      [&account_for_hub](const app::LiveEvent& event, const std::vector<std::string>& user_ids) {
        account_for_hub->RecordLive(event, user_ids);
      });
  app::AccountService account(context, words, &hub);
  account_for_hub = &account;
  app::EarlyHelpService early_help(context, words, &hub);
  app::ContactAlerts contact_alerts(context);
  app::FamilyService family(context, words, &hub);
  family_for_hub = &family;
  // On PostgreSQL the other nodes' live updates come through the database (LISTEN/NOTIFY), and
  // this node's go to them; each node decides and audits what its own connections receive.
  std::optional<app::LiveRelay> live_relay;
  if (!config.database_url.empty()) {
    live_relay.emplace(hub, storage::OpenPostgresBus(config.database_url, "kith_live"), random.Id("N"));
    live_relay->Start();
  }

  http::Metrics metrics([&store] { return store->Stats(); }, [&hasher] { return hasher.Computations(); },
                        [&words, &auth] {
                          const auto w = words.Stats();
                          return std::vector<http::Gauge>{
                              {"kith_word_index_children", "Children with a word cloud index in memory.",
                               static_cast<double>(w.indexes)},
                              {"kith_word_index_entries", "Entries in the word cloud indexes in memory.",
                               static_cast<double>(w.entries)},
                              {"kith_word_index_bytes", "Approximate bytes of the word cloud indexes in memory.",
                               static_cast<double>(w.bytes)},
                              {"kith_word_index_max_bytes", "The bound on kith_word_index_bytes (word_index_mib).",
                               static_cast<double>(w.max_bytes)},
                              {"kith_word_index_evictions_total", "Indexes dropped to keep within the bound.",
                               static_cast<double>(w.evictions), "counter"},
                              {"kith_word_index_builds_total",
                               "Indexes built from storage (not cached, written elsewhere, or a change undone).",
                               static_cast<double>(w.builds), "counter"},
                              {"kith_session_touch_failures_total",
                               "Writes of a session's last_seen_at that failed (the requests were served).",
                               static_cast<double>(auth.TouchFailures()), "counter"},
                          };
                        });
  http::Router router;
  http::RegisterApi(router, {auth, children, admin}, {.secure_cookies = config.secure_cookies});
  http::RegisterAccountApi(router, {auth, account}, {.secure_cookies = config.secure_cookies});
  http::RegisterSearchApi(router, {auth, search}, {.secure_cookies = config.secure_cookies});
  http::RegisterIndexApi(router, {auth, reviews, merges}, {.secure_cookies = config.secure_cookies});
  http::RegisterAccessApi(router, {auth, children, team, break_glass}, {.secure_cookies = config.secure_cookies});
  http::RegisterImportApi(router, {auth, imports}, {.secure_cookies = config.secure_cookies});
  http::RegisterEarlyHelpApi(router, {auth, early_help}, {.secure_cookies = config.secure_cookies});
  http::RegisterFamilyApi(router, {auth, family}, {.secure_cookies = config.secure_cookies});
  http::RegisterAuditApi(router, {auth, audit, misuse}, {.secure_cookies = config.secure_cookies});
  http::RegisterOversightApi(router, {auth, caseloads}, {.secure_cookies = config.secure_cookies});
  http::RegisterRetentionApi(router, {auth, retention}, {.secure_cookies = config.secure_cookies});
  // Healthy or not, and nothing more: anyone may ask, so it tells nothing about what is held.
  router.Add("GET", "/healthz", [&store](const http::Request&, const http::Params&) {
    http::Response r;
    r.content_type = "application/json";
    try {
      store->ReadValue([](storage::Repositories& repos) { return repos.Audit().Heads().size(); });
      r.body = R"({"status":"ok"})";
    } catch (const std::exception& e) {
      log::Error("health.failed", {{"reason", e.what()}});
      r.status = 503;
      r.body = R"({"status":"unavailable"})";
    }
    return r;
  });
  // Metrics are for the host's own monitoring agent: other clients are told there is nothing
  // here. A reverse proxy in front of Kith must not forward /metrics.
  router.Add("GET", "/metrics", [&metrics](const http::Request& q, const http::Params&) {
    if (!IsLoopback(q.client) && q.client != "::ffff:127.0.0.1") {
      return http::ProblemResponse(404, "not_found", "Not found", "There is nothing at this address.", q.request_id);
    }
    http::Response r;
    r.content_type = "text/plain; version=0.0.4";
    r.body = metrics.Render();
    return r;
  });
  if (hooks) hooks->AddRoutes(router, auth, {.secure_cookies = config.secure_cookies});

  http::StaticFiles files(config.web_root);
  app::IdempotencyService idempotency(context);
  http::IdempotencyStep idempotency_step(
      auth, idempotency,
      {.api = {.secure_cookies = config.secure_cookies},
       .after_durable_write = hooks ? [hooks](const http::Request& q) { hooks->AfterDurableWrite(q); }
                                    : std::function<void(const http::Request&)>()});
  http::Pipeline pipeline(router, files, metrics,
                         {.tls = config.secure_cookies,
                          .idempotency = &idempotency_step,
                          .limiter = &limiter,
                          .route_limits = http::AnonymousRouteLimits()});
  http::Server server({.address = config.address,
                       .port = config.port,
                       .threads = config.threads,
                       .trusted_proxies = config.trusted_proxies,
                       .max_connections = config.max_connections,
                       .max_connections_per_address = config.max_connections_per_address,
                       .idle_timeout = std::chrono::seconds(config.idle_timeout_seconds),
                       .header_timeout = std::chrono::seconds(config.header_timeout_seconds),
                       .body_timeout = std::chrono::seconds(config.body_timeout_seconds),
                       .tls_terminated = config.secure_cookies},
                      pipeline, metrics);
  auto live = http::MakeLiveEndpoint(auth, hub, {.secure_cookies = config.secure_cookies});
  server.AddWebSocket("/api/v1/live", *live);
  // Overdue early-help actions alert their owners even when nobody opens the assessment (reads
  // sweep too, so the test clock needs no waiting). Expired idempotency keys go too, and once a
  // day agencies that stopped seeing a child alert the lead professional. One server of the
  // cluster sweeps at a time (app/sweeper.h).
  app::Sweeper sweeper(*store, clock, holder,
                       {{"early_help.overdue", [&early_help] { return int64_t{early_help.SweepOverdue()}; }},
                        {"team.join_escalations", [&team] { return int64_t{team.SweepEscalations()}; }},
                        {"idempotency.expired_keys", [&idempotency] { return idempotency.Sweep(); }},
                        {"contact.flags", [&contact_alerts] { return int64_t{contact_alerts.Sweep()}; }}});
  std::jthread sweeps = Every(std::chrono::minutes(1), true, "sweep.lease_failed", [&sweeper] { sweeper.Tick(); });
  // This node's rise checks put off (AccountService::kRiseCheckInterval), on every node.
  std::jthread rise_checks = Every(app::AccountService::kRiseCheckInterval, false, "contact.rise_check_failed",
                                   [&account] { account.CheckPendingRises(); });
  // The audit head is signed at least once a minute, and once more at shutdown (below).
  std::jthread checkpoints =
      Every(std::chrono::minutes(1), false, "audit.checkpoint_failed", [&checkpointer] { checkpointer.Checkpoint(); });
  // The nightly misuse report: every ten minutes this server offers to run the previous day's
  // reports; the database gives each to one server of the cluster (MisuseService::Nightly).
  std::jthread misuse_reports =
      Every(std::chrono::minutes(10), false, "misuse.report_failed", [&misuse, &holder] { misuse.Nightly(holder); });
  // A live-updates connection whose session has fallen (signed out, expired, user disabled) is
  // closed within kLiveRevalidation even when nothing is published to it; whether a session
  // stands is decided on the injected clock, so the test clock expires sessions too.
  std::jthread live_revalidation = Every(kLiveRevalidation, false, "live.revalidation_failed", [&hub] {
    if (int n = hub.Revalidate(); n > 0) log::Info("live.sessions_closed", {{"connections", n}});
  });
  // An authority node publishes its children's linkage tokens to the national hub, if one is named.
  auto hub_publishing = StartHubPublishing(config, *store, clock, random);
  if (!hub_publishing) {
    log::Error("config.refused", {{"reason", hub_publishing.error().message}});
    return 2;
  }
  const uint16_t port = server.Listen();
  log::Info("server.listening", {{"address", config.address},
                                 {"port", port},
                                 {"database", database->where},
                                 {"threads", config.threads},
                                 {"trusted_proxies", config.trusted_proxies.ToString()}});
  std::cout << "Kith is serving on http://" << (config.address == "0.0.0.0" ? "127.0.0.1" : config.address) << ":"
            << port << "/" << std::endl;
  server.Run();
  misuse_reports.request_stop();
  misuse_reports.join();
  sweeps.request_stop();
  sweeps.join();
  try {
    sweeper.Release();
  } catch (const std::exception& e) {
    log::Error("sweep.release_failed", {{"reason", e.what()}});
  }
  checkpoints.request_stop();
  checkpoints.join();
  try {
    checkpointer.Checkpoint();
  } catch (const std::exception& e) {
    log::Error("audit.checkpoint_failed", {{"reason", e.what()}});
  }
  try {
    checkpointer.Release();  // the next server to start signs at once
  } catch (const std::exception& e) {
    log::Error("audit.checkpointer_release_failed", {{"reason", e.what()}});
  }
  return 0;
}

}  // namespace kith::server
