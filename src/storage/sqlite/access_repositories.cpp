#include "storage/sqlite/access_repositories.h"

#include <string_view>

#include "storage/sqlite/values.h"

namespace kith::storage::sqlite {
namespace {

using domain::BreakGlass;
using domain::JoinRequest;

constexpr std::string_view kBreakGlassColumns =
    "id, child_id, authority_id, user_id, reason_code, reason, starts_at, ends_at, ended_early_at, ended_by,"
    " reviewed_at, reviewed_by, review_note, justified";

class SqliteBreakGlass final : public BreakGlassRepository {
 public:
  explicit SqliteBreakGlass(Connection& db) : db_(db) {}

  Status Insert(const BreakGlass& g) override {
    if (Get(g.id)) return Error::Conflict("a break-glass with this id exists");
    static const std::string kSql = "INSERT INTO break_glass(" + std::string(kBreakGlassColumns) +
                                    ") VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14)";
    auto s = db_.Prepare(kSql);
    s.Bind(1, g.id).Bind(2, g.child_id).Bind(3, g.authority_id).Bind(4, g.user_id);
    s.Bind(5, domain::ToString(g.reason_code)).Bind(6, g.reason);
    s.Bind(7, ToMicros(g.starts_at)).Bind(8, ToMicros(g.ends_at));
    BindReview(s, g);
    s.Run();
    return Ok{};
  }

  std::optional<BreakGlass> Get(const std::string& id) override {
    static const std::string kSql = "SELECT " + std::string(kBreakGlassColumns) + " FROM break_glass WHERE id=?";
    auto s = db_.Prepare(kSql);
    s.Bind(1, id);
    if (!s.Step()) return std::nullopt;
    return Read(s);
  }

  std::optional<BreakGlass> ActiveFor(const std::string& user_id, const std::string& child_id, TimePoint now) override {
    static const std::string kSql = "SELECT " + std::string(kBreakGlassColumns) +
                                    " FROM break_glass WHERE user_id=?1 AND child_id=?2 AND starts_at<=?3"
                                    " AND ends_at>?3 AND ended_early_at IS NULL ORDER BY ends_at DESC LIMIT 1";
    auto s = db_.Prepare(kSql);
    s.Bind(1, user_id).Bind(2, child_id).Bind(3, ToMicros(now));
    if (!s.Step()) return std::nullopt;
    return Read(s);
  }

  std::vector<BreakGlass> ForAuthority(const std::string& authority_id, TimePoint since, int limit) override {
    static const std::string kSql = "SELECT " + std::string(kBreakGlassColumns) +
                                    " FROM break_glass WHERE authority_id=?1 AND (reviewed_at IS NULL"
                                    " OR coalesce(ended_early_at, ends_at)>=?2) ORDER BY starts_at DESC, id DESC"
                                    " LIMIT ?3";
    auto s = db_.Prepare(kSql);
    s.Bind(1, authority_id).Bind(2, ToMicros(since)).Bind(3, limit);
    std::vector<BreakGlass> out;
    while (s.Step()) out.push_back(Read(s));
    return out;
  }

  Status UpdateReview(const BreakGlass& g) override {
    auto s = db_.Prepare(
        "UPDATE break_glass SET ended_early_at=?9, ended_by=?10, reviewed_at=?11, reviewed_by=?12,"
        " review_note=?13, justified=?14 WHERE id=?1");
    s.Bind(1, g.id);
    BindReview(s, g);
    s.Run();
    if (db_.Changes() == 0) return Error::NotFound("no such break-glass");
    return Ok{};
  }

 private:
  // Binds the columns a review changes, ?9..?14.
  static void BindReview(Statement& s, const BreakGlass& g) {
    BindOptionalTime(s, 9, g.ended_early_at);
    s.Bind(10, g.ended_by);
    BindOptionalTime(s, 11, g.reviewed_at);
    s.Bind(12, g.reviewed_by).Bind(13, g.review_note);
    if (g.justified) {
      s.Bind(14, *g.justified);
    } else {
      s.BindNull(14);
    }
  }

  static BreakGlass Read(const Statement& s) {
    BreakGlass g;
    g.id = s.Text(0);
    g.child_id = s.Text(1);
    g.authority_id = s.Text(2);
    g.user_id = s.Text(3);
    // Stored values are always ones ToString wrote.
    g.reason_code = domain::ParseBreakGlassReason(s.Text(4)).value_or(domain::BreakGlassReason::kImmediateRisk);
    g.reason = s.Text(5);
    g.starts_at = FromMicros(s.Int(6));
    g.ends_at = FromMicros(s.Int(7));
    g.ended_early_at = OptionalTime(s, 8);
    g.ended_by = s.Text(9);
    g.reviewed_at = OptionalTime(s, 10);
    g.reviewed_by = s.Text(11);
    g.review_note = s.Text(12);
    if (!s.IsNull(13)) g.justified = s.Bool(13);
    return g;
  }

  Connection& db_;
};

constexpr std::string_view kJoinColumns =
    "id, child_id, authority_id, user_id, role, reason, created_at, status, automatic, decided_by, decided_at,"
    " decision_reason, escalated_at";

class SqliteJoinRequests final : public JoinRequestRepository {
 public:
  explicit SqliteJoinRequests(Connection& db) : db_(db) {}

  Status Insert(const JoinRequest& r) override {
    if (Get(r.id)) return Error::Conflict("a request to join with this id exists");
    static const std::string kSql = "INSERT INTO join_requests(" + std::string(kJoinColumns) +
                                    ") VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13)";
    auto s = db_.Prepare(kSql);
    s.Bind(1, r.id).Bind(2, r.child_id).Bind(3, r.authority_id).Bind(4, r.user_id).Bind(5, r.role).Bind(6, r.reason);
    s.Bind(7, ToMicros(r.created_at)).Bind(9, r.automatic);
    BindDecision(s, r);
    s.Run();
    return Ok{};
  }

  std::optional<JoinRequest> Get(const std::string& id) override {
    static const std::string kSql = "SELECT " + std::string(kJoinColumns) + " FROM join_requests WHERE id=?";
    auto s = db_.Prepare(kSql);
    s.Bind(1, id);
    if (!s.Step()) return std::nullopt;
    return Read(s);
  }

  std::vector<JoinRequest> ForChild(const std::string& child_id, int limit) override {
    static const std::string kSql = "SELECT " + std::string(kJoinColumns) +
                                    " FROM join_requests WHERE child_id=?1 ORDER BY created_at DESC, id DESC LIMIT ?2";
    return List(kSql, child_id, limit);
  }

  std::vector<JoinRequest> ForUser(const std::string& user_id, int limit) override {
    static const std::string kSql = "SELECT " + std::string(kJoinColumns) +
                                    " FROM join_requests WHERE user_id=?1 ORDER BY created_at DESC, id DESC LIMIT ?2";
    return List(kSql, user_id, limit);
  }

  std::vector<JoinRequest> PendingInAuthority(const std::string& authority_id, int limit) override {
    static const std::string kSql = "SELECT " + std::string(kJoinColumns) +
                                    " FROM join_requests WHERE authority_id=?1 AND status='pending'"
                                    " ORDER BY created_at, id LIMIT ?2";
    return List(kSql, authority_id, limit);
  }

  std::vector<JoinRequest> DueForEscalation(TimePoint made_by, int limit) override {
    auto s = db_.Prepare("SELECT " + std::string(kJoinColumns) +
                         " FROM join_requests WHERE status='pending' AND escalated_at IS NULL AND created_at<=?1"
                         " ORDER BY created_at, id LIMIT ?2");
    s.Bind(1, ToMicros(made_by)).Bind(2, limit);
    std::vector<JoinRequest> out;
    while (s.Step()) out.push_back(Read(s));
    return out;
  }

  Status Update(const JoinRequest& r) override {
    auto check = db_.Prepare("SELECT status FROM join_requests WHERE id=?1");
    check.Bind(1, r.id);
    if (!check.Step()) return Error::NotFound("no such request to join");
    if (check.Text(0) != "pending") return Error::Conflict("the request is no longer pending");
    auto s = db_.Prepare(
        "UPDATE join_requests SET status=?8, decided_by=?10, decided_at=?11, decision_reason=?12, escalated_at=?13"
        " WHERE id=?1 AND status='pending'");
    s.Bind(1, r.id);
    BindDecision(s, r);
    s.Run();
    return Ok{};
  }

 private:
  // Binds the columns a decision or an escalation changes: ?8 and ?10..?13.
  static void BindDecision(Statement& s, const JoinRequest& r) {
    s.Bind(8, domain::ToString(r.status)).Bind(10, r.decided_by);
    BindOptionalTime(s, 11, r.decided_at);
    s.Bind(12, r.decision_reason);
    BindOptionalTime(s, 13, r.escalated_at);
  }

  std::vector<JoinRequest> List(const std::string& sql, const std::string& key, int limit) {
    auto s = db_.Prepare(sql);
    s.Bind(1, key).Bind(2, limit);
    std::vector<JoinRequest> out;
    while (s.Step()) out.push_back(Read(s));
    return out;
  }

  static JoinRequest Read(const Statement& s) {
    JoinRequest r;
    r.id = s.Text(0);
    r.child_id = s.Text(1);
    r.authority_id = s.Text(2);
    r.user_id = s.Text(3);
    r.role = s.Text(4);
    r.reason = s.Text(5);
    r.created_at = FromMicros(s.Int(6));
    // Stored values are always ones ToString wrote.
    r.status = domain::ParseJoinRequestStatus(s.Text(7)).value_or(domain::JoinRequestStatus::kPending);
    r.automatic = s.Bool(8);
    r.decided_by = s.Text(9);
    r.decided_at = OptionalTime(s, 10);
    r.decision_reason = s.Text(11);
    r.escalated_at = OptionalTime(s, 12);
    return r;
  }

  Connection& db_;
};

}  // namespace

std::unique_ptr<BreakGlassRepository> MakeBreakGlassRepository(Connection& connection) {
  return std::make_unique<SqliteBreakGlass>(connection);
}

std::unique_ptr<JoinRequestRepository> MakeJoinRequestRepository(Connection& connection) {
  return std::make_unique<SqliteJoinRequests>(connection);
}

}  // namespace kith::storage::sqlite
