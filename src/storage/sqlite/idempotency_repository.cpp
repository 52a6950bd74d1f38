#include "storage/sqlite/idempotency_repository.h"

namespace kith::storage::sqlite {
namespace {

class SqliteIdempotency final : public IdempotencyRepository {
 public:
  explicit SqliteIdempotency(Connection& db) : db_(db) {}

  Status Begin(const IdempotencyRecord& r) override {
    // An expired record is as good as absent; the sweep may not have reached it yet.
    auto gone = db_.Prepare("DELETE FROM idempotency_keys WHERE scope=? AND key=? AND expires_at<=?");
    gone.Bind(1, r.scope).Bind(2, r.key).Bind(3, ToMicros(r.created_at)).Run();
    auto s = db_.Prepare(
        "INSERT INTO idempotency_keys(scope, key, fingerprint, method, target, created_at, expires_at, status,"
        " content_type, body) VALUES (?,?,?,?,?,?,?,?,?,?) ON CONFLICT(scope, key) DO NOTHING");
    s.Bind(1, r.scope).Bind(2, r.key).Bind(3, r.fingerprint).Bind(4, r.method).Bind(5, r.target);
    s.Bind(6, ToMicros(r.created_at)).Bind(7, ToMicros(r.expires_at));
    if (r.status) {
      s.Bind(8, *r.status);
    } else {
      s.BindNull(8);
    }
    s.Bind(9, r.content_type).Bind(10, r.body).Run();
    if (db_.Changes() == 0) return Error::Conflict("The idempotency key is already in use.");
    return Ok{};
  }

  std::optional<IdempotencyRecord> Get(const std::string& scope, const std::string& key, TimePoint now) override {
    auto s = db_.Prepare(
        "SELECT fingerprint, method, target, created_at, expires_at, status, content_type, body"
        " FROM idempotency_keys WHERE scope=? AND key=? AND expires_at>?");
    s.Bind(1, scope).Bind(2, key).Bind(3, ToMicros(now));
    if (!s.Step()) return std::nullopt;
    IdempotencyRecord r{scope, key, s.Text(0), s.Text(1), s.Text(2), FromMicros(s.Int(3)), FromMicros(s.Int(4))};
    if (!s.IsNull(5)) r.status = static_cast<int>(s.Int(5));
    r.content_type = s.Text(6);
    r.body = s.Text(7);
    return r;
  }

  Status Complete(const std::string& scope, const std::string& key, int status, const std::string& content_type,
                  const std::string& body) override {
    auto s = db_.Prepare("UPDATE idempotency_keys SET status=?, content_type=?, body=? WHERE scope=? AND key=?");
    s.Bind(1, status).Bind(2, content_type).Bind(3, body).Bind(4, scope).Bind(5, key).Run();
    if (db_.Changes() == 0) return Error::NotFound("There is no such idempotency key.");
    return Ok{};
  }

  void Remove(const std::string& scope, const std::string& key) override {
    db_.Prepare("DELETE FROM idempotency_keys WHERE scope=? AND key=?").Bind(1, scope).Bind(2, key).Run();
  }

  int64_t DeleteExpired(TimePoint now) override {
    db_.Prepare("DELETE FROM idempotency_keys WHERE expires_at<=?").Bind(1, ToMicros(now)).Run();
    return db_.Changes();
  }

 private:
  Connection& db_;
};

}  // namespace

std::unique_ptr<IdempotencyRepository> MakeIdempotencyRepository(Connection& connection) {
  return std::make_unique<SqliteIdempotency>(connection);
}

}  // namespace kith::storage::sqlite
