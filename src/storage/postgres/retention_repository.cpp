// Rules per authority, legal holds and the facts retention needs, on PostgreSQL (the SQLite
// version: storage/sqlite/retention_repository.cpp).
#include "storage/postgres/repositories.h"

namespace kith::storage::postgres {
namespace {

using domain::LegalHold;

constexpr std::string_view kHoldColumns =
    "id, child_id, authority_id, kind, reason, starts_on, ends_on, placed_by, placed_at, released_on, released_by,"
    " release_reason";

Date RequiredDate(const Rows& s, int col, const std::string& what) {
  auto d = s.OptionalDate(col);
  if (!d) throw StorageError(what + " has no date in column " + std::to_string(col));
  return *d;
}

LegalHold ReadHold(const Rows& s) {
  LegalHold h;
  h.id = s.Text(0);
  h.child_id = s.Text(1);
  h.authority_id = s.Text(2);
  const auto kind = domain::ParseLegalHoldKind(s.Text(3));
  if (!kind) throw StorageError("legal hold " + h.id + " has an unknown kind " + s.Text(3));
  h.kind = *kind;
  h.reason = s.Text(4);
  h.starts_on = RequiredDate(s, 5, "legal hold " + h.id);
  h.ends_on = RequiredDate(s, 6, "legal hold " + h.id);
  h.placed_by = s.Text(7);
  h.placed_at = s.Time(8);
  h.released_on = s.OptionalDate(9);
  h.released_by = s.Text(10);
  h.release_reason = s.Text(11);
  return h;
}

class PgRetention final : public RetentionRepository {
 public:
  explicit PgRetention(Connection& db) : db_(db) {}

  std::optional<StoredRetentionRules> GetRules(const std::string& authority_id) override {
    auto s = db_.Prepare(
                    "SELECT archive_age_years, extended_archive_age_years, purge_after_archive_years,"
                    " purge_after_death_years, remove_unused_after_months, updated_by, updated_at, version"
                    " FROM retention_rules WHERE authority_id=$1")
                 .Bind(authority_id)
                 .Run();
    if (!s.Next()) return std::nullopt;
    StoredRetentionRules r;
    r.authority_id = authority_id;
    r.rules = {static_cast<int>(s.Int(0)), static_cast<int>(s.Int(1)), static_cast<int>(s.Int(2)),
               static_cast<int>(s.Int(3)), static_cast<int>(s.Int(4))};
    r.updated_by = s.Text(5);
    r.updated_at = s.Time(6);
    r.version = s.Int(7);
    return r;
  }

  Status PutRules(const StoredRetentionRules& r, int64_t expected_version) override {
    auto s = db_.Prepare(
        expected_version == 0
            ? "INSERT INTO retention_rules(authority_id, archive_age_years, extended_archive_age_years,"
              " purge_after_archive_years, purge_after_death_years, remove_unused_after_months, updated_by,"
              " updated_at, version) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,1) ON CONFLICT(authority_id) DO NOTHING"
            : "UPDATE retention_rules SET archive_age_years=$2, extended_archive_age_years=$3,"
              " purge_after_archive_years=$4, purge_after_death_years=$5, remove_unused_after_months=$6,"
              " updated_by=$7, updated_at=$8, version=version+1 WHERE authority_id=$1 AND version=$9");
    s.Bind(r.authority_id).Bind(r.rules.archive_age_years).Bind(r.rules.extended_archive_age_years);
    s.Bind(r.rules.purge_after_archive_years).Bind(r.rules.purge_after_death_years);
    s.Bind(r.rules.remove_unused_after_months).Bind(r.updated_by).Bind(r.updated_at);
    if (expected_version != 0) s.Bind(expected_version);
    if (s.Run().affected() == 0) return Error::Conflict("the retention rules were changed by someone else; reload them");
    return Ok{};
  }

  Status InsertHold(const LegalHold& h) override {
    static const std::string kSql = "INSERT INTO legal_holds(" + std::string(kHoldColumns) +
                                    ") VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12) ON CONFLICT DO NOTHING";
    auto s = db_.Prepare(kSql);
    s.Bind(h.id).Bind(h.child_id).Bind(h.authority_id).Bind(domain::ToString(h.kind)).Bind(h.reason);
    s.Bind(h.starts_on).Bind(h.ends_on).Bind(h.placed_by).Bind(h.placed_at).Bind(h.released_on);
    s.Bind(h.released_by).Bind(h.release_reason);
    return InsertOrConflict(s, "legal hold " + h.id);
  }

  std::optional<LegalHold> GetHold(const std::string& id) override {
    static const std::string kSql = "SELECT " + std::string(kHoldColumns) + " FROM legal_holds WHERE id=$1";
    auto s = db_.Prepare(kSql).Bind(id).Run();
    if (!s.Next()) return std::nullopt;
    return ReadHold(s);
  }

  Status ReleaseHold(const LegalHold& h) override {
    if (!h.released_on) return Error::Invalid("released_on", "a release needs its day");
    auto s = db_.Prepare(
                    "UPDATE legal_holds SET released_on=$2, released_by=$3, release_reason=$4"
                    " WHERE id=$1 AND released_on IS NULL")
                 .Bind(h.id)
                 .Bind(*h.released_on)
                 .Bind(h.released_by)
                 .Bind(h.release_reason)
                 .Run();
    if (s.affected() == 1) return Ok{};
    return GetHold(h.id) ? Error::Conflict("this hold was released already") : Error::NotFound("no such hold");
  }

  std::vector<LegalHold> HoldsProtecting(const std::string& child_id) override {
    static const std::string kSql =
        "WITH RECURSIVE protected(id) AS (SELECT $1::text COLLATE \"C\" UNION SELECT m.merged_id FROM child_merges m"
        " JOIN protected p ON m.survivor_id = p.id WHERE m.unmerged_at IS NULL)"
        " SELECT " + std::string(kHoldColumns) +
        " FROM legal_holds WHERE child_id IN (SELECT id FROM protected) ORDER BY starts_on, id";
    auto s = db_.Prepare(kSql).Bind(child_id).Run();
    std::vector<LegalHold> out;
    while (s.Next()) out.push_back(ReadHold(s));
    return out;
  }

  std::vector<LegalHold> InForce(const std::string& authority_id, const Date& day, int limit) override {
    static const std::string kSql = "SELECT " + std::string(kHoldColumns) +
                                    " FROM legal_holds WHERE authority_id=$1 AND starts_on<=$2 AND ends_on>=$2"
                                    " AND (released_on IS NULL OR released_on>$2) ORDER BY ends_on, id LIMIT $3";
    auto s = db_.Prepare(kSql).Bind(authority_id).Bind(day).Bind(limit).Run();
    std::vector<LegalHold> out;
    while (s.Next()) out.push_back(ReadHold(s));
    return out;
  }

  std::vector<domain::RetentionFacts> Facts(const std::string& authority_id, const std::string& after_id, int limit,
                                            const Date& today) override {
    auto s = db_.Prepare(
                    "SELECT c.id, c.date_of_birth, c.care_leaver, c.special_educational_needs, c.date_of_death,"
                    " c.created_at, (SELECT max(end_date) FROM child_services v WHERE v.child_id = c.id),"
                    " EXISTS (SELECT 1 FROM child_services v WHERE v.child_id = c.id"
                    "   AND (v.end_date IS NULL OR v.end_date >= $4))"
                    "  OR EXISTS (SELECT 1 FROM team_members t WHERE t.child_id = c.id),"
                    " EXISTS (SELECT 1 FROM team_members t WHERE t.child_id = c.id)"
                    "  OR EXISTS (SELECT 1 FROM team_events e WHERE e.child_id = c.id)"
                    " FROM children c WHERE c.authority_id = $1 AND c.id > $2"
                    " AND NOT EXISTS (SELECT 1 FROM child_merges m WHERE m.merged_id = c.id AND m.unmerged_at IS NULL)"
                    " ORDER BY c.id LIMIT $3")
                 .Bind(authority_id)
                 .Bind(after_id)
                 .Bind(limit)
                 .Bind(today)
                 .Run();
    std::vector<domain::RetentionFacts> out;
    while (s.Next()) {
      domain::RetentionFacts f;
      f.child_id = s.Text(0);
      f.date_of_birth = s.OptionalDate(1);
      f.care_leaver = s.Bool(2);
      f.special_educational_needs = s.Bool(3);
      f.date_of_death = s.OptionalDate(4);
      f.created_on = Date::FromTime(s.Time(5));
      f.last_service_on = s.OptionalDate(6);
      f.involved_now = s.Bool(7);
      f.ever_had_team = s.Bool(8);
      out.push_back(std::move(f));
    }
    if (!out.empty() && AnyHolds()) {
      for (auto& f : out) f.holds = HoldsProtecting(f.child_id);
    }
    return out;
  }

 private:
  bool AnyHolds() {
    auto s = db_.Prepare("SELECT EXISTS (SELECT 1 FROM legal_holds)").Run();
    s.Next();
    return s.Bool(0);
  }

  Connection& db_;
};

}  // namespace

std::unique_ptr<RetentionRepository> MakeRetention(Connection& c) { return std::make_unique<PgRetention>(c); }

}  // namespace kith::storage::postgres
