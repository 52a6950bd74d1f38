// Idempotency keys and shield overrides on PostgreSQL.
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

using domain::ShieldOverride;

constexpr std::string_view kShieldColumns =
    "id, child_id, authority_id, user_id, reason_code, reason, starts_at, ends_at, ended_early_at, ended_by,"
    " reviewed_at, reviewed_by, review_note";

class PgShieldOverrides final : public ShieldOverrideRepository {
 public:
  explicit PgShieldOverrides(Connection& db) : db_(db) {}

  Status Insert(const ShieldOverride& o) override {
    static const std::string kSql = "INSERT INTO shield_overrides(" + std::string(kShieldColumns) +
                                    ") VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13) ON CONFLICT DO NOTHING";
    auto s = db_.Prepare(kSql);
    s.Bind(o.id).Bind(o.child_id).Bind(o.authority_id).Bind(o.user_id).Bind(domain::ToString(o.reason_code));
    s.Bind(o.reason).Bind(o.starts_at).Bind(o.ends_at);
    BindReview(s, o);
    if (s.Run().affected() == 0) return Error::Conflict("a shield override with this id exists");
    return Ok{};
  }

  std::optional<ShieldOverride> Get(const std::string& id) override {
    static const std::string kSql = "SELECT " + std::string(kShieldColumns) + " FROM shield_overrides WHERE id=$1";
    auto s = db_.Prepare(kSql).Bind(id).Run();
    if (!s.Next()) return std::nullopt;
    return Read(s);
  }

  std::optional<ShieldOverride> ActiveFor(const std::string& user_id, const std::string& child_id,
                                          TimePoint now) override {
    static const std::string kSql = "SELECT " + std::string(kShieldColumns) +
                                    " FROM shield_overrides WHERE user_id=$1 AND child_id=$2 AND starts_at<=$3"
                                    " AND ends_at>$3 AND ended_early_at IS NULL ORDER BY ends_at DESC LIMIT 1";
    auto s = db_.Prepare(kSql).Bind(user_id).Bind(child_id).Bind(now).Run();
    if (!s.Next()) return std::nullopt;
    return Read(s);
  }

  std::vector<ShieldOverride> ForAuthority(const std::string& authority_id, TimePoint since, int limit) override {
    static const std::string kSql = "SELECT " + std::string(kShieldColumns) +
                                    " FROM shield_overrides WHERE authority_id=$1 AND (reviewed_at IS NULL"
                                    " OR coalesce(ended_early_at, ends_at)>=$2) ORDER BY starts_at DESC, id DESC"
                                    " LIMIT $3";
    auto s = db_.Prepare(kSql).Bind(authority_id).Bind(since).Bind(limit).Run();
    std::vector<ShieldOverride> out;
    while (s.Next()) out.push_back(Read(s));
    return out;
  }

  Status UpdateReview(const ShieldOverride& o) override {
    auto s = db_.Prepare(
        "UPDATE shield_overrides SET ended_early_at=$2, ended_by=$3, reviewed_at=$4, reviewed_by=$5,"
        " review_note=$6 WHERE id=$1");
    s.Bind(o.id);
    BindReview(s, o);
    if (s.Run().affected() == 0) return Error::NotFound("no such shield override");
    return Ok{};
  }

 private:
  // Binds the columns a review changes, in column order.
  static void BindReview(Statement& s, const ShieldOverride& o) {
    s.Bind(o.ended_early_at).Bind(o.ended_by).Bind(o.reviewed_at).Bind(o.reviewed_by).Bind(o.review_note);
  }

  static ShieldOverride Read(const Rows& s) {
    ShieldOverride o;
    o.id = s.Text(0);
    o.child_id = s.Text(1);
    o.authority_id = s.Text(2);
    o.user_id = s.Text(3);
    // Stored values are always ones ToString wrote.
    o.reason_code = domain::ParseOverrideReason(s.Text(4)).value_or(domain::OverrideReason::kImmediateRisk);
    o.reason = s.Text(5);
    o.starts_at = s.Time(6);
    o.ends_at = s.Time(7);
    o.ended_early_at = s.OptionalTime(8);
    o.ended_by = s.Text(9);
    o.reviewed_at = s.OptionalTime(10);
    o.reviewed_by = s.Text(11);
    o.review_note = s.Text(12);
    return o;
  }

  Connection& db_;
};

}  // namespace

std::unique_ptr<IdempotencyRepository> MakeIdempotency(Connection& c) { return std::make_unique<PgIdempotency>(c); }
std::unique_ptr<ShieldOverrideRepository> MakeShieldOverrides(Connection& c) {
  return std::make_unique<PgShieldOverrides>(c);
}

}  // namespace kith::storage::postgres
