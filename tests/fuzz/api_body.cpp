// The body of every state-changing API route, through the product's request pipeline and the
// routes Serve registers (server/root.cpp: the same Register*Api calls), over a throwaway SQLite
// store: each handler decodes its own body, so each is fuzzed where it is decoded.
//
// Input: one byte choosing the route (the table below: method, path with ids of the fixture's
// own records, the user signed in, the content type), then the body.
//
// Invariants: the pipeline answers every request (no exception escapes), never with a 5xx; an
// answer with a JSON content type is JSON; a body refused as malformed (400, 413, 415, 422) adds
// at most the failed act's own audit record (outcome "failed", by the user who sent it) and
// nothing else to the audit log. Every change Kith makes is audited in its transaction, so the
// log standing still apart from that record means the store's audited state did too. (A refused
// act is audited: app::ChildGate::Failed records an act that the access policy allowed and the
// use case then refused, e.g. a join decision whose body is invalid.)
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/account_service.h"
#include "app/admin_service.h"
#include "app/audit_service.h"
#include "app/auth_service.h"
#include "app/break_glass_service.h"
#include "app/caseload.h"
#include "app/child_service.h"
#include "app/early_help_service.h"
#include "app/family_service.h"
#include "app/import_jobs.h"
#include "app/live_hub.h"
#include "app/merge_service.h"
#include "app/misuse_service.h"
#include "app/rate_limiter.h"
#include "app/retention_service.h"
#include "app/review_service.h"
#include "app/search_service.h"
#include "app/team_service.h"
#include "app/word_index.h"
#include "common/log.h"
#include "http/access_api.h"
#include "http/account_api.h"
#include "http/api.h"
#include "http/audit_api.h"
#include "http/early_help_api.h"
#include "http/family_api.h"
#include "http/import_api.h"
#include "http/index_api.h"
#include "http/oversight_api.h"
#include "http/pipeline.h"
#include "http/retention_api.h"
#include "http/search_api.h"
#include "storage/sqlite/sqlite_store.h"

using namespace kith;
using nlohmann::json;

namespace {

constexpr const char* kPassword = "a long and unusual passphrase";

void Check(bool ok, const char* what) {
  if (!ok) {
    fprintf(stderr, "api_body: invariant broken: %s\n", what);
    std::abort();
  }
}

struct Session {
  std::string cookie;
  std::string csrf;
};

// One node as Serve wires it (without the background threads, the live relay and the hub).
class World {
 public:
  World()
      : dir_(std::filesystem::temp_directory_path() / ("kith-fuzz-api-" + std::to_string(::getpid()))),
        store_(Open(dir_)),
        ctx_{*store_, clock_, random_, hasher_, app::Policy{}},
        limiter_(clock_),
        auth_(ctx_, limiter_),
        index_(app::BuildSearchIndex(*store_, [](size_t) {})),
        search_(ctx_, *index_),
        children_(ctx_, &search_),
        admin_(ctx_, &auth_),
        reviews_(ctx_, &search_),
        merges_(ctx_),
        team_(ctx_),
        break_glass_(ctx_),
        audit_(ctx_),
        misuse_(ctx_),
        caseloads_(ctx_),
        retention_(ctx_),
        imports_(ctx_, &search_),
        hub_([this](const std::string& u, const app::LiveEvent& e) {
          return account_->MaySee(u, e.child_id) || family_->MaySeeLive(u, e);
        }),
        metrics_([this] { return store_->Stats(); }),
        files_(http::StaticFiles::None()) {
    account_ = std::make_unique<app::AccountService>(ctx_, words_, &hub_);
    early_help_ = std::make_unique<app::EarlyHelpService>(ctx_, words_, &hub_);
    family_ = std::make_unique<app::FamilyService>(ctx_, words_, &hub_);
    http::RegisterApi(router_, {auth_, children_, admin_}, {});
    http::RegisterAccountApi(router_, {auth_, *account_}, {});
    http::RegisterSearchApi(router_, {auth_, search_}, {});
    http::RegisterIndexApi(router_, {auth_, reviews_, merges_}, {});
    http::RegisterAccessApi(router_, {auth_, children_, team_, break_glass_}, {});
    http::RegisterImportApi(router_, {auth_, imports_}, {});
    http::RegisterEarlyHelpApi(router_, {auth_, *early_help_}, {});
    http::RegisterFamilyApi(router_, {auth_, *family_}, {});
    http::RegisterAuditApi(router_, {auth_, audit_, misuse_}, {});
    http::RegisterOversightApi(router_, {auth_, caseloads_}, {});
    http::RegisterRetentionApi(router_, {auth_, retention_}, {});
    pipeline_ = std::make_unique<http::Pipeline>(router_, files_, metrics_, http::PipelineOptions{});
    log::SetLevel(log::Level::kError);  // a line per request would drown the findings
    Populate();
  }

  ~World() { std::filesystem::remove_all(dir_); }

  http::Response Send(const std::string& who, const std::string& method, const std::string& target,
                       const std::string& body, const std::string& content_type) {
    http::Request q;
    q.method = method;
    q.target = target;
    q.client = "127.0.0.1";
    q.request_id = "fuzz";
    q.body = body;
    q.headers["content-type"] = content_type;
    if (!who.empty()) {
      const Session& s = sessions_.at(who);
      q.headers["cookie"] = s.cookie;
      q.headers["x-csrf-token"] = s.csrf;
    }
    return pipeline_->Handle(q);
  }

  // Imports run on ImportJobs' own thread and audit as they go: settled before and after each
  // input, so that what the input's request wrote is told apart.
  void WaitIdle() { imports_.WaitIdle(); }

  std::vector<domain::AuditChainHead> Heads() {
    return store_->ReadValue([](storage::Repositories& r) { return r.Audit().Heads(); });
  }

  // The records appended to the log since `before` (at most `limit` of them).
  std::vector<domain::AuditRecord> AddedSince(const std::vector<domain::AuditChainHead>& before, int limit) {
    return store_->ReadValue([&](storage::Repositories& r) {
      std::vector<domain::AuditRecord> added;
      for (const auto& head : r.Audit().Heads()) {
        int64_t seq = 0;
        for (const auto& b : before) {
          if (b.chain == head.chain) seq = b.seq;
        }
        for (auto& record : r.Audit().Range(head.chain, seq, limit)) added.push_back(std::move(record));
      }
      return added;
    });
  }

  // The fixture's records, by placeholder: {child}, {entry}, {thread}, ...
  std::string Expand(std::string path) const {
    for (const auto& [name, value] : ids_) {
      for (size_t at; (at = path.find(name)) != std::string::npos;) path.replace(at, name.size(), value);
    }
    return path;
  }

 private:
  static std::unique_ptr<storage::Store> Open(const std::filesystem::path& dir) {
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    return storage::OpenSqliteStore({.path = (dir / "kith.db").string(), .readers = 2});
  }

  void AddUser(const std::string& name, domain::Role role, const std::string& agency, bool steward = false) {
    domain::User u;
    u.id = "u-" + name;
    u.username = name;
    u.display_name = name;
    u.job_title = "Job of " + name;
    u.role = role;
    u.authority_id = "la1";
    u.agency_id = agency;
    u.index_steward = steward;
    u.password_hash = hasher_.Hash(kPassword);
    store_->Write([&](storage::Repositories& r) { return static_cast<bool>(r.Users().Insert(u)); });
  }

  void Populate() {
    store_->Write([&](storage::Repositories& r) {
      (void)r.Authorities().Insert({"la1", "E1", "Northbrook", false});
      (void)r.Agencies().Insert({"ag-csc", "la1", "Northbrook Children's Services",
                                 domain::AgencyKind::kChildrensSocialCare, "01632 960000", "", ""});
      (void)r.Agencies().Insert(
          {"ag-school", "la1", "Hillside Primary", domain::AgencyKind::kSchool, "01632 960001", "", ""});
      return true;
    });
    AddUser("sw", domain::Role::kPractitioner, "ag-csc", true);
    AddUser("teacher", domain::Role::kPractitioner, "ag-school");
    AddUser("mgr", domain::Role::kManager, "ag-csc");
    AddUser("admin", domain::Role::kAuthorityAdmin, "ag-csc");
    AddUser("auditor", domain::Role::kAuditor, "ag-csc");
    for (const char* who : {"sw", "teacher", "mgr", "admin", "auditor"}) SignIn(who);

    // A child on sw's team, with an entry, a thread and a request to join from the teacher.
    http::Response c = Send("sw", "POST", "/api/v1/children",
                            json{{"given_names", "Leo"}, {"family_name", "Carter"}, {"date_of_birth", "2019-05-01"},
                                 {"reason", "Referral received"}}.dump(),
                            "application/json");
    Check(c.status / 100 == 2, "the fixture's child");
    ids_["{child}"] = json::parse(c.body).at("child").at("id").get<std::string>();
    ids_["{user}"] = "u-teacher";
    ids_["{agency}"] = "ag-school";
    const auto made = [&](const std::string& who, const std::string& path, const json& body,
                          const char* pointer) -> std::string {
      http::Response r = Send(who, "POST", Expand(path), body.dump(), "application/json");
      if (r.status >= 300) return "X0000000000000000";
      const json j = json::parse(r.body, nullptr, false);
      const json* v = &j;
      for (const char* p = pointer; *p;) {
        const char* end = std::strchr(p, '/');
        const std::string key = end ? std::string(p, end) : std::string(p);
        if (!v->is_object() || !v->contains(key)) return "X0000000000000000";
        v = &(*v)[key];
        p = end ? end + 1 : p + key.size();
      }
      return v->is_string() ? v->get<std::string>() : "X0000000000000000";
    };
    ids_["{entry}"] = made("sw", "/api/v1/children/{child}/chronology",
                           {{"occurred_on", "2026-01-05"}, {"type", "note"}, {"significance", "routine"},
                            {"summary", "Seen at home"}},
                           "entry/id");
    ids_["{thread}"] = made("sw", "/api/v1/children/{child}/forum",
                            {{"category", "observation"}, {"title", "Sleep"}, {"body", "Tired in the mornings"}},
                            "thread/id");
    ids_["{request}"] = made("teacher", "/api/v1/children/{child}/team",
                             {{"role", "Class teacher"}, {"reason", "Leo is in my class"}}, "id");
    ids_["{assessment}"] = made("sw", "/api/v1/children/{child}/early-help", {{"reason", "Early help"}}, "id");
  }

  void SignIn(const std::string& who) {
    http::Response r = Send("", "POST", "/api/v1/session", json{{"username", who}, {"password", kPassword}}.dump(),
                            "application/json");
    Check(r.status / 100 == 2, "signing in");
    Session s;
    for (const auto& [name, value] : r.headers) {
      if (name == "Set-Cookie") s.cookie = value.substr(0, value.find(';'));
    }
    s.csrf = json::parse(r.body).value("csrf_token", "");
    sessions_[who] = s;
  }

  std::filesystem::path dir_;
  ManualClock clock_{FromMicros(1'795'000'000'000'000)};
  SeededRandom random_{42};
  app::PasswordHasher hasher_{app::HashCost::kMinimum};
  std::unique_ptr<storage::Store> store_;
  app::Context ctx_;
  app::MemoryRateLimiter limiter_;
  app::AuthService auth_;
  std::unique_ptr<linkage::SearchIndex> index_;
  app::SearchService search_;
  app::ChildService children_;
  app::AdminService admin_;
  app::ReviewService reviews_;
  app::MergeService merges_;
  app::TeamService team_;
  app::BreakGlassService break_glass_;
  app::AuditService audit_;
  app::MisuseService misuse_;
  app::CaseloadService caseloads_;
  app::RetentionAdmin retention_;
  app::ImportJobs imports_;
  app::WordIndex words_;
  app::LiveHub hub_;
  std::unique_ptr<app::AccountService> account_;
  std::unique_ptr<app::EarlyHelpService> early_help_;
  std::unique_ptr<app::FamilyService> family_;
  http::Metrics metrics_;
  http::StaticFiles files_;
  http::Router router_;
  std::unique_ptr<http::Pipeline> pipeline_;
  std::map<std::string, Session> sessions_;
  std::map<std::string, std::string> ids_;
};

struct Route {
  const char* method;
  const char* path;
  const char* who;
  const char* content_type = "application/json";
};

// Every state-changing route of docs/openapi.yaml but sign-out and the test clock.
const Route kRoutes[] = {
    {"POST", "/api/v1/session", ""},
    {"POST", "/api/v1/session/second-factor", "sw"},
    {"POST", "/api/v1/me/second-factor/enrolment", "sw"},
    {"POST", "/api/v1/me/second-factor/enrolment/confirm", "sw"},
    {"POST", "/api/v1/children", "sw"},
    {"PUT", "/api/v1/children/{child}", "sw"},
    {"POST", "/api/v1/children/{child}/signposting", "sw"},
    {"POST", "/api/v1/children/{child}/shield", "mgr"},
    {"POST", "/api/v1/children/{child}/break-glass", "teacher"},
    {"POST", "/api/v1/break-glass/X0000000000000000/review", "mgr"},
    {"POST", "/api/v1/search", "sw"},
    {"POST", "/api/v1/index/reviews/X0000000000000000/decision", "sw"},
    {"POST", "/api/v1/index/merges", "sw"},
    {"POST", "/api/v1/index/merges/X0000000000000000/undo", "sw"},
    {"POST", "/api/v1/index/imports?source=Fuzz", "sw", "text/csv"},
    {"POST", "/api/v1/index/imports/X0000000000000000/parts", "sw", "text/csv"},
    {"POST", "/api/v1/children/{child}/team", "mgr"},
    {"POST", "/api/v1/children/{child}/join-requests/{request}/decision", "sw"},
    {"POST", "/api/v1/children/{child}/join-requests/{request}/withdraw", "teacher"},
    {"POST", "/api/v1/children/{child}/team/leave", "sw"},
    {"POST", "/api/v1/children/{child}/lead", "mgr"},
    {"POST", "/api/v1/audit/children/find", "auditor"},
    {"POST", "/api/v1/audit/users/find", "auditor"},
    {"POST", "/api/v1/audit/misuse/runs", "auditor"},
    {"POST", "/api/v1/audit/misuse/X0000000000000000/review", "auditor"},
    {"POST", "/api/v1/children/{child}/chronology", "sw"},
    {"POST", "/api/v1/children/{child}/chronology/{entry}/corrections", "sw"},
    {"POST", "/api/v1/children/{child}/chronology/import", "sw", "text/csv"},
    {"POST", "/api/v1/children/{child}/forum", "sw"},
    {"POST", "/api/v1/children/{child}/forum/{thread}/posts", "sw"},
    {"PUT", "/api/v1/children/{child}/forum/{thread}/posts/X0000000000000000", "sw"},
    {"POST", "/api/v1/children/{child}/forum/{thread}/promote", "sw"},
    {"POST", "/api/v1/children/{child}/wheel/people", "sw"},
    {"PUT", "/api/v1/children/{child}/wheel/people/X0000000000000000", "sw"},
    {"POST", "/api/v1/children/{child}/early-help", "sw"},
    {"PUT", "/api/v1/children/{child}/early-help/{assessment}/draft", "sw"},
    {"POST", "/api/v1/children/{child}/early-help/{assessment}/complete", "sw"},
    {"POST", "/api/v1/children/{child}/early-help/{assessment}/versions", "sw"},
    {"POST", "/api/v1/children/{child}/early-help/{assessment}/meetings", "sw"},
    {"POST", "/api/v1/children/{child}/early-help/{assessment}/actions", "sw"},
    {"PUT", "/api/v1/children/{child}/early-help/{assessment}/actions/X0000000000000000/status", "sw"},
    {"POST", "/api/v1/children/{child}/early-help/{assessment}/reviews", "sw"},
    {"POST", "/api/v1/children/{child}/early-help/{assessment}/close", "sw"},
    {"POST", "/api/v1/children/{child}/early-help/{assessment}/lead", "sw"},
    {"POST", "/api/v1/alerts/X0000000000000000/read", "sw"},
    {"POST", "/api/v1/children/{child}/family/invitations", "sw"},
    {"POST", "/api/v1/children/{child}/family/invitations/X0000000000000000/cancel", "sw"},
    {"POST", "/api/v1/children/{child}/family/members/{user}/suspend", "sw"},
    {"POST", "/api/v1/children/{child}/family/members/{user}/reinstate", "sw"},
    {"PUT", "/api/v1/children/{child}/visibility/{user}", "sw"},
    {"POST", "/api/v1/children/{child}/restrictions/{user}/review", "mgr"},
    {"POST", "/api/v1/children/{child}/visibility/{user}/release", "sw"},
    {"POST", "/api/v1/children/{child}/visibility/{user}/release/decision", "mgr"},
    {"POST", "/api/v1/children/{child}/subject-access", "sw"},
    {"PUT", "/api/v1/authority/family-settings", "admin"},
    {"POST", "/api/v1/family/redeem", ""},
    {"POST", "/api/v1/family/links", "sw"},
    {"POST", "/api/v1/family/children/{child}/entries", "sw"},
    {"POST", "/api/v1/authorities", "admin"},
    {"POST", "/api/v1/agencies", "admin"},
    {"PUT", "/api/v1/agencies/{agency}", "admin"},
    {"POST", "/api/v1/users", "admin"},
    {"PATCH", "/api/v1/users/{user}", "admin"},
    {"PUT", "/api/v1/users/{user}/home", "admin"},
    {"PUT", "/api/v1/authorities/la1/retention-rules", "admin"},
    {"POST", "/api/v1/children/{child}/legal-holds", "admin"},
    {"POST", "/api/v1/legal-holds/X0000000000000000/release", "admin"},
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static World* world = new World;  // one store for the run: a fresh one per input would cost ~50 ms
  if (size == 0) return 0;
  const Route& route = kRoutes[data[0] % std::size(kRoutes)];
  const std::string body(reinterpret_cast<const char*>(data) + 1, size - 1);
  world->WaitIdle();
  const auto before = world->Heads();
  http::Response r;
  try {
    r = world->Send(route.who, route.method, world->Expand(route.path), body, route.content_type);
  } catch (...) {
    Check(false, "an exception escaped the pipeline");
  }
  if (r.status >= 500) fprintf(stderr, "api_body: %s %s answered %d: %s\n", route.method, route.path, r.status, r.body.c_str());
  Check(r.status < 500, "a 5xx");
  if (r.content_type.find("json") != std::string::npos) {
    Check(!json::parse(r.body, nullptr, false).is_discarded(), "a JSON answer that is not JSON");
  }
  if (r.status == 400 || r.status == 413 || r.status == 415 || r.status == 422) {
    world->WaitIdle();
    const auto added = world->AddedSince(before, 2);
    const std::string actor = *route.who ? "u-" + std::string(route.who) : "";
    if (added.size() > 1 ||
        (added.size() == 1 && (added[0].outcome != domain::AuditOutcome::kFailed || added[0].actor_id != actor))) {
      for (const auto& a : added) {
        fprintf(stderr, "api_body: %s %s answered %d and audited %s by '%s', outcome %d\n", route.method, route.path,
                r.status, a.action.c_str(), a.actor_id.c_str(), static_cast<int>(a.outcome));
      }
    }
    Check(added.size() <= 1, "a body refused as malformed added more than one audit record");
    Check(added.empty() || added[0].outcome == domain::AuditOutcome::kFailed,
          "a body refused as malformed added an audit record of an act that did not fail");
    Check(added.empty() || added[0].actor_id == actor,
          "a body refused as malformed added an audit record of someone else's act");
  }
  return 0;
}
