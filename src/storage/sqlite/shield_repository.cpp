#include "storage/sqlite/shield_repository.h"

#include <string_view>

#include "storage/sqlite/values.h"

namespace kith::storage::sqlite {
namespace {

using domain::ShieldOverride;

constexpr std::string_view kColumns =
    "id, child_id, authority_id, user_id, reason_code, reason, starts_at, ends_at, ended_early_at, ended_by,"
    " reviewed_at, reviewed_by, review_note";

class SqliteShieldOverrides final : public ShieldOverrideRepository {
 public:
  explicit SqliteShieldOverrides(Connection& db) : db_(db) {}

  Status Insert(const ShieldOverride& o) override {
    if (Get(o.id)) return Error::Conflict("a shield override with this id exists");
    static const std::string kSql = "INSERT INTO shield_overrides(" + std::string(kColumns) +
                                    ") VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13)";
    auto s = db_.Prepare(kSql);
    s.Bind(1, o.id).Bind(2, o.child_id).Bind(3, o.authority_id).Bind(4, o.user_id);
    s.Bind(5, domain::ToString(o.reason_code)).Bind(6, o.reason);
    s.Bind(7, ToMicros(o.starts_at)).Bind(8, ToMicros(o.ends_at));
    BindReview(s, o);
    s.Run();
    return Ok{};
  }

  std::optional<ShieldOverride> Get(const std::string& id) override {
    static const std::string kSql = "SELECT " + std::string(kColumns) + " FROM shield_overrides WHERE id=?";
    auto s = db_.Prepare(kSql);
    s.Bind(1, id);
    if (!s.Step()) return std::nullopt;
    return Read(s);
  }

  std::optional<ShieldOverride> ActiveFor(const std::string& user_id, const std::string& child_id,
                                          TimePoint now) override {
    static const std::string kSql = "SELECT " + std::string(kColumns) +
                                    " FROM shield_overrides WHERE user_id=?1 AND child_id=?2 AND starts_at<=?3"
                                    " AND ends_at>?3 AND ended_early_at IS NULL ORDER BY ends_at DESC LIMIT 1";
    auto s = db_.Prepare(kSql);
    s.Bind(1, user_id).Bind(2, child_id).Bind(3, ToMicros(now));
    if (!s.Step()) return std::nullopt;
    return Read(s);
  }

  std::vector<ShieldOverride> ForAuthority(const std::string& authority_id, TimePoint since, int limit) override {
    static const std::string kSql = "SELECT " + std::string(kColumns) +
                                    " FROM shield_overrides WHERE authority_id=?1 AND (reviewed_at IS NULL"
                                    " OR coalesce(ended_early_at, ends_at)>=?2) ORDER BY starts_at DESC, id DESC"
                                    " LIMIT ?3";
    auto s = db_.Prepare(kSql);
    s.Bind(1, authority_id).Bind(2, ToMicros(since)).Bind(3, limit);
    std::vector<ShieldOverride> out;
    while (s.Step()) out.push_back(Read(s));
    return out;
  }

  Status UpdateReview(const ShieldOverride& o) override {
    auto s = db_.Prepare(
        "UPDATE shield_overrides SET ended_early_at=?9, ended_by=?10, reviewed_at=?11, reviewed_by=?12,"
        " review_note=?13 WHERE id=?1");
    s.Bind(1, o.id);
    BindReview(s, o);
    s.Run();
    if (db_.Changes() == 0) return Error::NotFound("no such shield override");
    return Ok{};
  }

 private:
  // Binds the columns a review changes, ?9..?13.
  static void BindReview(Statement& s, const ShieldOverride& o) {
    BindOptionalTime(s, 9, o.ended_early_at);
    s.Bind(10, o.ended_by);
    BindOptionalTime(s, 11, o.reviewed_at);
    s.Bind(12, o.reviewed_by).Bind(13, o.review_note);
  }

  static ShieldOverride Read(const Statement& s) {
    ShieldOverride o;
    o.id = s.Text(0);
    o.child_id = s.Text(1);
    o.authority_id = s.Text(2);
    o.user_id = s.Text(3);
    // Stored values are always ones ToString wrote.
    o.reason_code = domain::ParseOverrideReason(s.Text(4)).value_or(domain::OverrideReason::kImmediateRisk);
    o.reason = s.Text(5);
    o.starts_at = FromMicros(s.Int(6));
    o.ends_at = FromMicros(s.Int(7));
    o.ended_early_at = OptionalTime(s, 8);
    o.ended_by = s.Text(9);
    o.reviewed_at = OptionalTime(s, 10);
    o.reviewed_by = s.Text(11);
    o.review_note = s.Text(12);
    return o;
  }

  Connection& db_;
};

}  // namespace

std::unique_ptr<ShieldOverrideRepository> MakeShieldOverrideRepository(Connection& connection) {
  return std::make_unique<SqliteShieldOverrides>(connection);
}

}  // namespace kith::storage::sqlite
