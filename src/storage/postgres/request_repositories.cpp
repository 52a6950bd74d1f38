// Idempotency keys, break-glass and requests to join a team on PostgreSQL.
#include "storage/postgres/repositories.h"

namespace kith::storage::postgres {
namespace {

class PgIdempotency final : public IdempotencyRepository {
 public:
  explicit PgIdempotency(Connection& db) : db_(db) {}

  Status Begin(const IdempotencyRecord& r) override {
    // An expired record is as good as absent; the sweep may not have reached it yet.
    db_.Prepare("DELETE FROM idempotency_keys WHERE scope=$1 AND key=$2 AND expires_at<=$3")
        .Bind(r.scope)
        .Bind(r.key)
        .Bind(r.created_at)
        .Run();
    auto s = db_.Prepare(
                    "INSERT INTO idempotency_keys(scope, key, fingerprint, method, target, created_at, expires_at,"
                    " status, content_type, body) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10) ON CONFLICT DO NOTHING")
                 .Bind(r.scope)
                 .Bind(r.key)
                 .Bind(r.fingerprint)
                 .Bind(r.method)
                 .Bind(r.target)
                 .Bind(r.created_at)
                 .Bind(r.expires_at)
                 .Bind(r.status)
                 .Bind(r.content_type)
                 .Bind(r.body)
                 .Run();
    if (s.affected() == 0) return Error::Conflict("The idempotency key is already in use.");
    return Ok{};
  }

  std::optional<IdempotencyRecord> Get(const std::string& scope, const std::string& key, TimePoint now) override {
    auto s = db_.Prepare(
                    "SELECT fingerprint, method, target, created_at, expires_at, status, content_type, body"
                    " FROM idempotency_keys WHERE scope=$1 AND key=$2 AND expires_at>$3")
                 .Bind(scope)
                 .Bind(key)
                 .Bind(now)
                 .Run();
    if (!s.Next()) return std::nullopt;
    IdempotencyRecord r{scope, key, s.Text(0), s.Text(1), s.Text(2), s.Time(3), s.Time(4)};
    if (!s.IsNull(5)) r.status = static_cast<int>(s.Int(5));
    r.content_type = s.Text(6);
    r.body = s.Text(7);
    return r;
  }

  Status Complete(const std::string& scope, const std::string& key, int status, const std::string& content_type,
                  const std::string& body) override {
    auto s = db_.Prepare("UPDATE idempotency_keys SET status=$1, content_type=$2, body=$3 WHERE scope=$4 AND key=$5")
                 .Bind(status)
                 .Bind(content_type)
                 .Bind(body)
                 .Bind(scope)
                 .Bind(key)
                 .Run();
    if (s.affected() == 0) return Error::NotFound("There is no such idempotency key.");
    return Ok{};
  }

  void Remove(const std::string& scope, const std::string& key) override {
    db_.Prepare("DELETE FROM idempotency_keys WHERE scope=$1 AND key=$2").Bind(scope).Bind(key).Run();
  }

  int64_t DeleteExpired(TimePoint now) override {
    return db_.Prepare("DELETE FROM idempotency_keys WHERE expires_at<=$1").Bind(now).Run().affected();
  }

 private:
  Connection& db_;
};

using domain::BreakGlass;
using domain::JoinRequest;

constexpr std::string_view kBreakGlassColumns =
    "id, child_id, authority_id, user_id, reason_code, reason, starts_at, ends_at, ended_early_at, ended_by,"
    " reviewed_at, reviewed_by, review_note, justified";

class PgBreakGlass final : public BreakGlassRepository {
 public:
  explicit PgBreakGlass(Connection& db) : db_(db) {}

  Status Insert(const BreakGlass& g) override {
    static const std::string kSql = "INSERT INTO break_glass(" + std::string(kBreakGlassColumns) +
                                    ") VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14) ON CONFLICT DO NOTHING";
    auto s = db_.Prepare(kSql);
    s.Bind(g.id).Bind(g.child_id).Bind(g.authority_id).Bind(g.user_id).Bind(domain::ToString(g.reason_code));
    s.Bind(g.reason).Bind(g.starts_at).Bind(g.ends_at);
    BindReview(s, g);
    if (s.Run().affected() == 0) return Error::Conflict("a break-glass with this id exists");
    return Ok{};
  }

  std::optional<BreakGlass> Get(const std::string& id) override {
    static const std::string kSql = "SELECT " + std::string(kBreakGlassColumns) + " FROM break_glass WHERE id=$1";
    auto s = db_.Prepare(kSql).Bind(id).Run();
    if (!s.Next()) return std::nullopt;
    return Read(s);
  }

  std::optional<BreakGlass> ActiveFor(const std::string& user_id, const std::string& child_id, TimePoint now) override {
    static const std::string kSql = "SELECT " + std::string(kBreakGlassColumns) +
                                    " FROM break_glass WHERE user_id=$1 AND child_id=$2 AND starts_at<=$3"
                                    " AND ends_at>$3 AND ended_early_at IS NULL ORDER BY ends_at DESC LIMIT 1";
    auto s = db_.Prepare(kSql).Bind(user_id).Bind(child_id).Bind(now).Run();
    if (!s.Next()) return std::nullopt;
    return Read(s);
  }

  std::vector<BreakGlass> ForAuthority(const std::string& authority_id, TimePoint since, int limit) override {
    static const std::string kSql = "SELECT " + std::string(kBreakGlassColumns) +
                                    " FROM break_glass WHERE authority_id=$1 AND (reviewed_at IS NULL"
                                    " OR coalesce(ended_early_at, ends_at)>=$2) ORDER BY starts_at DESC, id DESC"
                                    " LIMIT $3";
    auto s = db_.Prepare(kSql).Bind(authority_id).Bind(since).Bind(limit).Run();
    std::vector<BreakGlass> out;
    while (s.Next()) out.push_back(Read(s));
    return out;
  }

  Status UpdateReview(const BreakGlass& g) override {
    auto s = db_.Prepare(
        "UPDATE break_glass SET ended_early_at=$2, ended_by=$3, reviewed_at=$4, reviewed_by=$5,"
        " review_note=$6, justified=$7 WHERE id=$1");
    s.Bind(g.id);
    BindReview(s, g);
    if (s.Run().affected() == 0) return Error::NotFound("no such break-glass");
    return Ok{};
  }

 private:
  // Binds the columns a review changes, in column order.
  static void BindReview(Statement& s, const BreakGlass& g) {
    s.Bind(g.ended_early_at).Bind(g.ended_by).Bind(g.reviewed_at).Bind(g.reviewed_by).Bind(g.review_note);
    s.Bind(g.justified);
  }

  static BreakGlass Read(const Rows& s) {
    BreakGlass g;
    g.id = s.Text(0);
    g.child_id = s.Text(1);
    g.authority_id = s.Text(2);
    g.user_id = s.Text(3);
    // Stored values are always ones ToString wrote.
    g.reason_code = domain::ParseBreakGlassReason(s.Text(4)).value_or(domain::BreakGlassReason::kImmediateRisk);
    g.reason = s.Text(5);
    g.starts_at = s.Time(6);
    g.ends_at = s.Time(7);
    g.ended_early_at = s.OptionalTime(8);
    g.ended_by = s.Text(9);
    g.reviewed_at = s.OptionalTime(10);
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

class PgJoinRequests final : public JoinRequestRepository {
 public:
  explicit PgJoinRequests(Connection& db) : db_(db) {}

  Status Insert(const JoinRequest& r) override {
    static const std::string kSql = "INSERT INTO join_requests(" + std::string(kJoinColumns) +
                                    ") VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13) ON CONFLICT DO NOTHING";
    auto s = db_.Prepare(kSql);
    s.Bind(r.id).Bind(r.child_id).Bind(r.authority_id).Bind(r.user_id).Bind(r.role).Bind(r.reason);
    s.Bind(r.created_at).Bind(domain::ToString(r.status)).Bind(r.automatic);
    BindDecision(s, r);
    if (s.Run().affected() == 0) return Error::Conflict("a request to join with this id exists");
    return Ok{};
  }

  std::optional<JoinRequest> Get(const std::string& id) override {
    static const std::string kSql = "SELECT " + std::string(kJoinColumns) + " FROM join_requests WHERE id=$1";
    auto s = db_.Prepare(kSql).Bind(id).Run();
    if (!s.Next()) return std::nullopt;
    return Read(s);
  }

  std::vector<JoinRequest> ForChild(const std::string& child_id, int limit) override {
    static const std::string kSql = "SELECT " + std::string(kJoinColumns) +
                                    " FROM join_requests WHERE child_id=$1 ORDER BY created_at DESC, id DESC LIMIT $2";
    return List(kSql, child_id, limit);
  }

  std::vector<JoinRequest> ForUser(const std::string& user_id, int limit) override {
    static const std::string kSql = "SELECT " + std::string(kJoinColumns) +
                                    " FROM join_requests WHERE user_id=$1 ORDER BY created_at DESC, id DESC LIMIT $2";
    return List(kSql, user_id, limit);
  }

  std::vector<JoinRequest> PendingInAuthority(const std::string& authority_id, int limit) override {
    static const std::string kSql = "SELECT " + std::string(kJoinColumns) +
                                    " FROM join_requests WHERE authority_id=$1 AND status='pending'"
                                    " ORDER BY created_at, id LIMIT $2";
    return List(kSql, authority_id, limit);
  }

  std::vector<JoinRequest> DueForEscalation(TimePoint made_by, int limit) override {
    static const std::string kSql = "SELECT " + std::string(kJoinColumns) +
                                    " FROM join_requests WHERE status='pending' AND escalated_at IS NULL"
                                    " AND created_at<=$1 ORDER BY created_at, id LIMIT $2";
    auto s = db_.Prepare(kSql).Bind(made_by).Bind(limit).Run();
    std::vector<JoinRequest> out;
    while (s.Next()) out.push_back(Read(s));
    return out;
  }

  Status Update(const JoinRequest& r) override {
    auto s = db_.Prepare(
        "UPDATE join_requests SET decided_by=$2, decided_at=$3, decision_reason=$4, escalated_at=$5, status=$6"
        " WHERE id=$1 AND status='pending'");
    s.Bind(r.id);
    BindDecision(s, r);
    s.Bind(domain::ToString(r.status));
    if (s.Run().affected() == 1) return Ok{};
    return Get(r.id) ? Error::Conflict("the request is no longer pending") : Error::NotFound("no such request to join");
  }

 private:
  // Binds decided_by, decided_at, decision_reason and escalated_at, in column order.
  static void BindDecision(Statement& s, const JoinRequest& r) {
    s.Bind(r.decided_by).Bind(r.decided_at).Bind(r.decision_reason).Bind(r.escalated_at);
  }

  std::vector<JoinRequest> List(const std::string& sql, const std::string& key, int limit) {
    auto s = db_.Prepare(sql).Bind(key).Bind(limit).Run();
    std::vector<JoinRequest> out;
    while (s.Next()) out.push_back(Read(s));
    return out;
  }

  static JoinRequest Read(const Rows& s) {
    JoinRequest r;
    r.id = s.Text(0);
    r.child_id = s.Text(1);
    r.authority_id = s.Text(2);
    r.user_id = s.Text(3);
    r.role = s.Text(4);
    r.reason = s.Text(5);
    r.created_at = s.Time(6);
    // Stored values are always ones ToString wrote.
    r.status = domain::ParseJoinRequestStatus(s.Text(7)).value_or(domain::JoinRequestStatus::kPending);
    r.automatic = s.Bool(8);
    r.decided_by = s.Text(9);
    r.decided_at = s.OptionalTime(10);
    r.decision_reason = s.Text(11);
    r.escalated_at = s.OptionalTime(12);
    return r;
  }

  Connection& db_;
};

}  // namespace

std::unique_ptr<IdempotencyRepository> MakeIdempotency(Connection& c) { return std::make_unique<PgIdempotency>(c); }
std::unique_ptr<BreakGlassRepository> MakeBreakGlass(Connection& c) { return std::make_unique<PgBreakGlass>(c); }
std::unique_ptr<JoinRequestRepository> MakeJoinRequests(Connection& c) {
  return std::make_unique<PgJoinRequests>(c);
}

}  // namespace kith::storage::postgres
