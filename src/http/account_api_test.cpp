// Functional tests of the child's-account API through the whole request pipeline (routing,
// content-type and origin checks, sessions, CSRF, JSON), without sockets, plus the access-policy
// matrix over every account endpoint and the live-updates WebSocket endpoint.
#include "http/account_api.h"

#include <gtest/gtest.h>

#include "app/child_service.h"
#include "app/team_service.h"
#include "app/test_fixture.h"
#include "http/api.h"
#include "http/json_codec.h"
#include "http/pipeline.h"

namespace kith::http {
namespace {

struct Session {
  std::string cookie;
  std::string csrf;
};

class AccountApiTest : public app::AppFixture {
 protected:
  void SetUp() override {
    AppFixture::SetUp();
    AddUser("mgr", domain::Role::kManager, "ag-csc");
    AddUser("gp", domain::Role::kPractitioner, "ag-school");
    auth_ = std::make_unique<app::AuthService>(*ctx_, limiter_);
    children_ = std::make_unique<app::ChildService>(*ctx_);
    admin_ = std::make_unique<app::AdminService>(*ctx_);
    hub_ = std::make_unique<app::LiveHub>(
        [this](const std::string& u, const app::LiveEvent& e) { return account_->MaySee(u, e.child_id); });
    account_ = std::make_unique<app::AccountService>(*ctx_, words_, hub_.get());
    RegisterApi(router_, {*auth_, *children_, *admin_}, {});
    RegisterAccountApi(router_, {*auth_, *account_}, {});
    pipeline_ = std::make_unique<Pipeline>(router_, files_, metrics_, PipelineOptions{});
    live_ = MakeLiveEndpoint(*auth_, *hub_, {});

    domain::Child c;
    c.given_names = "Leo";
    c.family_name = "Carter";
    c.date_of_birth = Date{2025, 1, 10};
    c.sex = domain::Sex::kMale;
    c.address = "4 Mill Row";
    c.postcode = "NB1 2AB";
    auto created = children_->Create(As("sw"), c, "Referral received from the hospital");
    ASSERT_TRUE(created);
    child_ = created->child.id;
    AddToTeam(child_, "teacher", "Nursery teacher");
    for (const char* who : {"sw", "teacher", "mgr", "gp", "admin", "auditor"}) sessions_[who] = SignIn(who);
  }

  Session SignIn(const std::string& username) {
    Request q;
    q.method = "POST";
    q.path = q.target = "/api/v1/session";
    q.headers["content-type"] = "application/json";
    q.body = json{{"username", username}, {"password", kPassword}}.dump();
    q.client = "127.0.0.1";
    Response r = pipeline_->Handle(q);
    EXPECT_EQ(r.status, 201) << r.body;
    Session s;
    for (const auto& [name, value] : r.headers) {
      if (name == "Set-Cookie") s.cookie = value.substr(0, value.find(';'));
    }
    s.csrf = json::parse(r.body).value("csrf_token", "");
    return s;
  }

  Response Call(const std::string& who, const std::string& method, const std::string& target,
                const std::string& body = "", const std::string& content_type = "application/json") {
    Request q;
    q.method = method;
    q.target = target;
    EXPECT_TRUE(ParseTarget(target, &q.path, &q.query));
    q.client = "127.0.0.1";
    q.request_id = "test";
    if (!who.empty()) {
      q.headers["cookie"] = sessions_[who].cookie;
      q.headers["x-csrf-token"] = sessions_[who].csrf;
    }
    if (method != "GET") q.headers["content-type"] = content_type;
    q.body = body;
    return pipeline_->Handle(q);
  }

  json Ok(const Response& r, int status = 200) {
    EXPECT_EQ(r.status, status) << r.body;
    return r.content_type.rfind("application/json", 0) == 0 ? json::parse(r.body) : json();
  }

  std::string Base() const { return "/api/v1/children/" + child_; }

  app::WordIndex words_;
  app::MemoryRateLimiter limiter_{clock_};
  std::unique_ptr<app::AuthService> auth_;
  std::unique_ptr<app::ChildService> children_;
  std::unique_ptr<app::AdminService> admin_;
  std::unique_ptr<app::LiveHub> hub_;
  std::unique_ptr<app::AccountService> account_;
  Router router_;
  StaticFiles files_{"/nonexistent"};
  Metrics metrics_{[this] { return store_->Stats(); }};
  std::unique_ptr<Pipeline> pipeline_;
  std::unique_ptr<WebSocketEndpoint> live_;
  std::map<std::string, Session> sessions_;
  std::string child_;
};

TEST_F(AccountApiTest, ChronologyLifecycleOverHttp) {
  auto entry = Ok(Call("teacher", "POST", Base() + "/chronology",
                       R"({"occurred_on":"2026-11-10","occurred_time":"08:45","type":"incident",
                           "significance":"serious","summary":"Bruise on cheek","detail":"Said he fell."})"),
                  201);
  EXPECT_EQ(entry["agency_id"], "ag-school");
  EXPECT_EQ(entry["agency_kind"], "school");
  EXPECT_EQ(entry["occurred_time"], "08:45");
  EXPECT_EQ(entry["source"]["kind"], "practitioner");
  EXPECT_TRUE(entry["supersedes_id"].is_null());
  const std::string id = entry["id"];

  auto corrected = Ok(Call("sw", "POST", Base() + "/chronology/" + id + "/corrections",
                           R"({"summary":"Bruise on left cheek","reason":"Side of the face was not recorded"})"),
                      201);
  EXPECT_EQ(corrected["version"], 2);
  EXPECT_EQ(corrected["supersedes_id"], id);
  EXPECT_EQ(corrected["occurred_time"], "08:45");
  EXPECT_EQ(Call("sw", "POST", Base() + "/chronology/" + id + "/corrections",
                 R"({"summary":"again","reason":"A stale correction of version one"})")
                .status,
            409);
  auto history = Ok(Call("sw", "GET", Base() + "/chronology/" + std::string(corrected["id"]) + "/history"));
  ASSERT_EQ(history["versions"].size(), 2u);
  EXPECT_EQ(history["versions"][0]["summary"], "Bruise on cheek");

  Ok(Call("sw", "POST", Base() + "/chronology",
          R"({"occurred_on":"2026-10-01","type":"home_visit","significance":"routine","summary":"Visit"})"),
     201);
  auto all = Ok(Call("sw", "GET", Base() + "/chronology"));
  ASSERT_EQ(all["entries"].size(), 2u);
  EXPECT_EQ(all["entries"][0]["summary"], "Bruise on left cheek");  // newest first
  auto serious = Ok(Call("sw", "GET", Base() + "/chronology?min_significance=serious&from=2026-11-01"));
  EXPECT_EQ(serious["entries"].size(), 1u);
  EXPECT_EQ(Ok(Call("sw", "GET", Base() + "/chronology?type=home_visit"))["entries"].size(), 1u);
  EXPECT_EQ(Call("sw", "GET", Base() + "/chronology?type=picnic").status, 400);
  EXPECT_EQ(Call("sw", "GET", Base() + "/chronology?from=yesterday").status, 400);

  // Strict bodies: unknown fields, bad values, wrong content type, missing CSRF.
  auto bad =
      Call("sw", "POST", Base() + "/chronology",
           R"({"occurred_on":"2026-10-01","type":"home_visit","significance":"routine","summary":"x","mood":1})");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(json::parse(bad.body)["field"], "mood");
  EXPECT_EQ(
      Call(
          "sw", "POST", Base() + "/chronology",
          R"({"occurred_on":"2026-10-01","occurred_time":"25:00","type":"home_visit","significance":"routine","summary":"x"})")
          .status,
      400);
  EXPECT_EQ(Call("sw", "POST", Base() + "/chronology", "x", "text/plain").status, 415);
  Request no_csrf;
  no_csrf.method = "POST";
  no_csrf.target = no_csrf.path = Base() + "/chronology";
  no_csrf.headers["cookie"] = sessions_["sw"].cookie;
  no_csrf.headers["content-type"] = "application/json";
  no_csrf.body = R"({"occurred_on":"2026-10-01","type":"note","significance":"routine","summary":"x"})";
  EXPECT_EQ(pipeline_->Handle(no_csrf).status, 403);

  auto print = Call("sw", "GET", Base() + "/chronology/print");
  EXPECT_EQ(print.status, 200);
  EXPECT_EQ(print.content_type, "text/html; charset=utf-8");
  EXPECT_NE(print.body.find("Bruise on left cheek"), std::string::npos);
  EXPECT_NE(print.body.find("Earlier versions"), std::string::npos);
  EXPECT_EQ(print.body.find("<script"), std::string::npos);
  // UK local time, said as such; never an instant in UTC.
  EXPECT_TRUE(print.body.find("(GMT)") != std::string::npos || print.body.find("(BST)") != std::string::npos);
  EXPECT_EQ(print.body.find("Z</td>"), std::string::npos);
  EXPECT_EQ(print.body.find("Z."), std::string::npos);
}

TEST_F(AccountApiTest, CsvImportReportsBadRowsAndKeepsGoodOnes) {
  const std::string csv =
      "date,agency,type,significance,summary\n"
      "2026-10-01,Hillside Primary,school_absence,routine,Absent\n"
      "2026-10-02,Hillside Primary,nonsense,routine,Bad type\n"
      "02/10/2026,ag-csc,home_visit,notable,\"Visit, no answer\"\n";
  auto report = Ok(Call("teacher", "POST", Base() + "/chronology/import", csv, "text/csv"));
  EXPECT_EQ(report["imported"], 2);
  EXPECT_EQ(report["rows_read"], 3);
  ASSERT_EQ(report["errors"].size(), 1u);
  EXPECT_EQ(report["errors"][0]["line"], 3);
  EXPECT_EQ(report["errors"][0]["field"], "type");
  EXPECT_EQ(Call("gp", "POST", Base() + "/chronology/import", csv, "text/csv").status, 403);
}

TEST_F(AccountApiTest, ForumWheelWordsSeriesFeedAndAlertsOverHttp) {
  auto created = Ok(Call("teacher", "POST", Base() + "/forum",
                         R"({"category":"concern","title":"Hungry","body":"Arrived hungry again. @sw please call."})"),
                    201);
  const std::string thread = created["thread"]["id"];
  EXPECT_EQ(created["posts"][0]["mentions"], json::array({"u-sw"}));
  auto post = Ok(Call("sw", "POST", Base() + "/forum/" + thread + "/posts", R"({"body":"Calling today."})"), 201);
  auto edited = Ok(Call("sw", "PUT", Base() + "/forum/" + thread + "/posts/" + std::string(post["id"]),
                        R"({"body":"Called: no answer."})"));
  EXPECT_EQ(edited["versions"], 2);
  EXPECT_FALSE(edited["edited_at"].is_null());
  auto hist =
      Ok(Call("teacher", "GET", Base() + "/forum/" + thread + "/posts/" + std::string(post["id"]) + "/history"));
  EXPECT_EQ(hist["versions"][0]["body"], "Calling today.");
  auto promoted = Ok(Call("sw", "POST", Base() + "/forum/" + thread + "/promote",
                          R"({"occurred_on":"2026-11-17","type":"incident","significance":"notable"})"),
                     201);
  EXPECT_EQ(promoted["source"]["kind"], "forum");
  EXPECT_EQ(promoted["source"]["thread_id"], thread);
  auto threads = Ok(Call("sw", "GET", Base() + "/forum"));
  EXPECT_EQ(threads["threads"][0]["promoted_entry_id"], promoted["id"]);

  auto person =
      Ok(Call("teacher", "POST", Base() + "/wheel/people",
              R"({"name":"Jason Kerr","relationship":"parents_partner","lives_with_child":true,"since":"2026-10-01"})"),
         201);
  EXPECT_EQ(person["category"], "household");
  EXPECT_EQ(person["verified"], false);
  EXPECT_EQ(Call("teacher", "POST", Base() + "/wheel/people",
                 R"({"name":"X","relationship":"uncle_bob","lives_with_child":false})")
                .status,
            400);
  // An update that leaves a field out is refused rather than clearing it (issue 14 review: a
  // partner's "lives with the child" and the note about him were wiped by an omitted field).
  const std::string person_path = Base() + "/wheel/people/" + person["id"].get<std::string>();
  auto partial = Call("teacher", "PUT", person_path, R"({"name":"Jason Kerr","relationship":"parents_partner"})");
  EXPECT_EQ(partial.status, 400);
  EXPECT_EQ(json::parse(partial.body)["field"], "lives_with_child");
  auto wheel = Ok(Call("sw", "GET", Base() + "/wheel"));
  EXPECT_EQ(wheel["child"]["name"], "Leo Carter");
  for (const auto& p : wheel["people"]) {
    if (p["id"] == person["id"]) {
      EXPECT_EQ(p["lives_with_child"], true);
    }
  }
  bool flagged = false;
  for (const auto& f : wheel["findings"]) {
    if (f["kind"] == "unverified_adult") {
      flagged = true;
      EXPECT_EQ(f["severity"], "serious");
      EXPECT_EQ(f["person_ids"][0], person["id"]);
    }
  }
  EXPECT_TRUE(flagged);
  auto types = Ok(Call("gp", "GET", "/api/v1/relationship-types"));
  EXPECT_EQ(types["types"].size(), domain::AllRelationshipTypes().size());

  auto cloud = Ok(Call("sw", "GET", Base() + "/word-cloud?n=5"));
  ASSERT_FALSE(cloud["terms"].empty());
  EXPECT_LE(cloud["terms"].size(), 5u);
  EXPECT_EQ(cloud["terms"][0]["weight"], 1.0);
  EXPECT_EQ(Call("sw", "GET", Base() + "/word-cloud?n=0").status, 400);

  auto series = Ok(Call("sw", "GET", Base() + "/contact-series?granularity=week"));
  EXPECT_EQ(series["granularity"], "week");
  EXPECT_EQ(series["agencies"].size(), 1u);
  EXPECT_EQ(series["agencies"][0]["counts"].size(), series["buckets"].size());
  EXPECT_EQ(Call("sw", "GET", Base() + "/contact-series?granularity=daily").status, 400);

  auto feed = Ok(Call("teacher", "GET", "/api/v1/feed?limit=50"));
  EXPECT_FALSE(feed["items"].empty());
  auto alerts = Ok(Call("sw", "GET", "/api/v1/alerts"));
  ASSERT_FALSE(alerts["alerts"].empty());
  const std::string alert = alerts["alerts"][0]["id"];
  EXPECT_EQ(Call("teacher", "POST", "/api/v1/alerts/" + alert + "/read", "{}").status, 404);
  EXPECT_EQ(Call("sw", "POST", "/api/v1/alerts/" + alert + "/read", "{}").status, 204);
  auto summary = Ok(Call("sw", "GET", Base() + "/summary"));
  EXPECT_TRUE(summary.contains("latest"));
  EXPECT_TRUE(summary.contains("findings"));
}

// Every account endpoint against every kind of caller. Team members read and write; a manager
// supervising a member of their agency reads but does not write; a practitioner off the team and
// auditors get 403; no session gets 401, and so does an administrator who has not yet enrolled
// the second factor their role requires.
TEST_F(AccountApiTest, AccessPolicyMatrixCoversEveryAccountEndpoint) {
  auto entry = Ok(Call("sw", "POST", Base() + "/chronology",
                       R"({"occurred_on":"2026-11-10","type":"note","significance":"routine","summary":"Note"})"),
                  201);
  auto thread = Ok(Call("sw", "POST", Base() + "/forum", R"({"category":"question","title":"Q","body":"Body"})"), 201);
  const std::string e = entry["id"], t = thread["thread"]["id"], p = thread["posts"][0]["id"];
  auto person = Ok(Call("sw", "POST", Base() + "/wheel/people",
                        R"({"name":"Gran","relationship":"grandparent","lives_with_child":false})"),
                   201);
  const std::string w = person["id"];

  struct Case {
    std::string method, path, body;
    bool write;
    std::string content_type = "application/json";
  };
  const std::string b = Base();
  const std::vector<Case> cases = {
      {"GET", b + "/chronology", "", false},
      {"POST", b + "/chronology",
       R"({"occurred_on":"2026-11-11","type":"note","significance":"routine","summary":"N"})", true},
      {"POST", b + "/chronology/{e}/corrections", R"({"summary":"N2","reason":"Matrix correction reason"})", true},
      {"GET", b + "/chronology/{e}/history", "", false},
      {"POST", b + "/chronology/import", "date,agency,type,significance,summary\n2026-10-01,ag-csc,note,routine,N\n",
       true, "text/csv"},
      {"GET", b + "/chronology/print", "", false},
      {"GET", b + "/contact-series", "", false},
      {"GET", b + "/forum", "", false},
      {"POST", b + "/forum", R"({"category":"progress","title":"T","body":"B"})", true},
      {"GET", b + "/forum/{t}", "", false},
      {"POST", b + "/forum/{t}/posts", R"({"body":"Reply"})", true},
      {"PUT", b + "/forum/{t}/posts/{p}", R"({"body":"Edited"})", true},
      {"GET", b + "/forum/{t}/posts/{p}/history", "", false},
      {"POST", b + "/forum/{t}/promote", R"({"occurred_on":"2026-11-11","type":"note","significance":"routine"})",
       true},
      {"GET", b + "/word-cloud", "", false},
      {"GET", b + "/wheel", "", false},
      {"POST", b + "/wheel/people", R"({"name":"Aunt","relationship":"aunt_uncle","lives_with_child":false})", true},
      {"PUT", b + "/wheel/people/{w}", R"({"name":"Gran","relationship":"grandparent","lives_with_child":true,"since":null,"date_of_birth":null,"adult":true,"notes":""})",
       true},
      {"GET", b + "/summary", "", false},
  };
  auto expand = [&](std::string path) {
    for (auto [key, value] :
         std::vector<std::pair<std::string, std::string>>{{"{e}", e}, {"{t}", t}, {"{p}", p}, {"{w}", w}}) {
      for (size_t at; (at = path.find(key)) != std::string::npos;) path.replace(at, key.size(), value);
    }
    return path;
  };
  for (const auto& c : cases) {
    const std::string path = expand(c.path);
    SCOPED_TRACE(c.method + " " + path);
    EXPECT_EQ(Call("", c.method, path, c.body, c.content_type).status, 401);
    EXPECT_EQ(Call("admin", c.method, path, c.body, c.content_type).status, 401);
    for (const char* who : {"gp", "auditor"}) {
      EXPECT_EQ(Call(who, c.method, path, c.body, c.content_type).status, 403) << who;
    }
    EXPECT_EQ(Call("mgr", c.method, path, c.body, c.content_type).status, c.write ? 403 : 200) << "mgr";
    const int member = Call("sw", c.method, path, c.body, c.content_type).status;
    EXPECT_TRUE(member >= 200 && member < 300) << "sw got " << member;
    EXPECT_EQ(
        Call("sw", c.method, "/api/v1/children/KNOSUCHCHILD" + path.substr(b.size()), c.body, c.content_type).status,
        404);
  }
  // The caller's own feed (practitioners) and alerts (all staff: administrators and auditors are
  // alerted of changes to accounts).
  for (const char* path : {"/api/v1/feed", "/api/v1/alerts"}) {
    EXPECT_EQ(Call("", "GET", path).status, 401);
    EXPECT_EQ(Call("admin", "GET", path).status, 401);  // no second factor yet
    EXPECT_EQ(Call("auditor", "GET", path).status, std::string_view(path) == "/api/v1/alerts" ? 200 : 403);
    EXPECT_EQ(Call("gp", "GET", path).status, 200);
  }
  // Every refusal was audited.
  const auto denied = store_->ReadValue([&](storage::Repositories& r) {
    int n = 0;
    for (const auto& a : r.Audit().ForChild(child_, 5000)) n += a.outcome == domain::AuditOutcome::kDenied;
    return n;
  });
  EXPECT_GE(denied, static_cast<int>(cases.size()) * 2);
}

// The WebSocket endpoint: refused without a session or from another origin; once open, each
// message is checked against the subscriber's current access to the child.
TEST_F(AccountApiTest, LiveEndpointAuthenticatesAndFiltersEveryMessage) {
  auto upgrade = [&](const std::string& who, const std::string& origin) {
    Request q;
    q.method = "GET";
    q.target = q.path = "/api/v1/live";
    q.headers["host"] = "kith.example";
    if (!origin.empty()) q.headers["origin"] = origin;
    if (!who.empty()) q.headers["cookie"] = sessions_[who].cookie;
    return q;
  };
  std::vector<std::string> sw_out, teacher_out, gp_out;
  auto refused = live_->Open(upgrade("", "http://kith.example"), [](std::string) {}, [](std::string) {});
  ASSERT_TRUE(std::holds_alternative<Response>(refused));
  EXPECT_EQ(std::get<Response>(refused).status, 401);
  auto cross = live_->Open(upgrade("sw", "https://evil.example"), [](std::string) {}, [](std::string) {});
  ASSERT_TRUE(std::holds_alternative<Response>(cross));
  EXPECT_EQ(std::get<Response>(cross).status, 403);
  auto auditor = live_->Open(upgrade("auditor", "http://kith.example"), [](std::string) {}, [](std::string) {});
  ASSERT_TRUE(std::holds_alternative<Response>(auditor));
  EXPECT_EQ(std::get<Response>(auditor).status, 403);

  auto sw = live_->Open(upgrade("sw", "http://kith.example"), [&](std::string m) { sw_out.push_back(m); }, [](std::string) {});
  auto teacher =
      live_->Open(upgrade("teacher", "http://kith.example"), [&](std::string m) { teacher_out.push_back(m); }, [](std::string) {});
  auto gp = live_->Open(upgrade("gp", "http://kith.example"), [&](std::string m) { gp_out.push_back(m); }, [](std::string) {});
  ASSERT_TRUE(std::holds_alternative<std::unique_ptr<WebSocketSession>>(sw));
  ASSERT_TRUE(std::holds_alternative<std::unique_ptr<WebSocketSession>>(gp));
  EXPECT_EQ(hub_->subscribers(), 3u);

  Ok(Call("sw", "POST", Base() + "/chronology",
          R"({"occurred_on":"2026-11-10","type":"note","significance":"routine","summary":"Live note"})"),
     201);
  ASSERT_FALSE(sw_out.empty());
  auto first = json::parse(sw_out[0]);
  EXPECT_EQ(first["type"], "feed");
  EXPECT_EQ(first["item"]["child_id"], child_);
  EXPECT_EQ(first["item"]["summary"], "New entry: Live note");
  EXPECT_EQ(json::parse(sw_out.back())["type"], "child_updated");
  EXPECT_EQ(teacher_out.size(), sw_out.size());
  EXPECT_TRUE(gp_out.empty());

  // Leaves the team: the next message is not sent to them.
  ASSERT_TRUE(app::TeamService(*ctx_).Leave(As("teacher"), child_, "Moved to another nursery now"));
  const size_t before = teacher_out.size();
  Ok(Call("sw", "POST", Base() + "/chronology",
          R"({"occurred_on":"2026-11-10","type":"note","significance":"routine","summary":"After leaving"})"),
     201);
  EXPECT_EQ(teacher_out.size(), before);

  std::get<std::unique_ptr<WebSocketSession>>(sw)->OnText(R"({"type":"ping"})");
  EXPECT_EQ(json::parse(sw_out.back())["type"], "pong");
  sw = Response{};  // closing the connection unsubscribes
  EXPECT_EQ(hub_->subscribers(), 2u);
}

// Issue 14, item 4: a connection whose session has ended is closed through the server's close
// callback and gets nothing more, whether a message would go to it or only the hub revalidates.
TEST_F(AccountApiTest, LiveConnectionIsClosedOnceItsSessionEnds) {
  const auto upgrade = [&](const std::string& who) {
    Request q;
    q.method = "GET";
    q.path = "/api/v1/live";
    q.headers["host"] = "kith.example";
    q.headers["origin"] = "http://kith.example";
    q.headers["cookie"] = sessions_[who].cookie;
    return q;
  };
  std::vector<std::string> sw_out, teacher_out, sw_closed, teacher_closed;
  auto sw = live_->Open(upgrade("sw"), [&](std::string m) { sw_out.push_back(m); },
                        [&](std::string reason) { sw_closed.push_back(reason); });
  auto teacher = live_->Open(upgrade("teacher"), [&](std::string m) { teacher_out.push_back(m); },
                             [&](std::string reason) { teacher_closed.push_back(reason); });
  ASSERT_TRUE(std::holds_alternative<std::unique_ptr<WebSocketSession>>(sw));
  ASSERT_TRUE(std::holds_alternative<std::unique_ptr<WebSocketSession>>(teacher));
  EXPECT_EQ(hub_->Revalidate(), 0);

  // The teacher signs out; the social worker writes: the teacher's connection is closed, not sent to.
  Ok(Call("teacher", "DELETE", "/api/v1/session", ""), 204);
  Ok(Call("sw", "POST", Base() + "/chronology",
          R"({"occurred_on":"2026-11-10","type":"note","significance":"routine","summary":"After sign-out"})"),
     201);
  EXPECT_FALSE(sw_out.empty());
  EXPECT_TRUE(teacher_out.empty());
  EXPECT_EQ(teacher_closed, std::vector<std::string>{"signed out"});
  EXPECT_TRUE(sw_closed.empty());

  // The social worker signs out and nothing is published: revalidation closes the connection.
  Ok(Call("sw", "DELETE", "/api/v1/session", ""), 204);
  EXPECT_EQ(hub_->Revalidate(), 1);
  EXPECT_EQ(sw_closed, std::vector<std::string>{"signed out"});
  EXPECT_EQ(hub_->subscribers(), 0u);
}

}  // namespace
}  // namespace kith::http
