#include "storage/sqlite/misuse_repositories.h"

#include <nlohmann/json.hpp>

#include "storage/documents.h"
#include "storage/sqlite/values.h"

namespace kith::storage::sqlite {
namespace {

class SqlitePractitionerHomes final : public PractitionerHomeRepository {
 public:
  explicit SqlitePractitionerHomes(Connection& db) : db_(db) {}

  void Set(const PractitionerHome& h) override {
    auto s = db_.Prepare(
        "INSERT INTO practitioner_homes(user_id, address, postcode, other_surnames, updated_by, updated_at)"
        " VALUES (?1,?2,?3,?4,?5,?6) ON CONFLICT(user_id) DO UPDATE SET address=?2, postcode=?3,"
        " other_surnames=?4, updated_by=?5, updated_at=?6");
    s.Bind(1, h.user_id).Bind(2, h.address).Bind(3, h.postcode).Bind(4, nlohmann::json(h.other_surnames).dump());
    s.Bind(5, h.updated_by).Bind(6, ToMicros(h.updated_at)).Run();
  }

  std::optional<PractitionerHome> Get(const std::string& user_id) override {
    auto s = db_.Prepare(
        "SELECT user_id, address, postcode, other_surnames, updated_by, updated_at FROM practitioner_homes"
        " WHERE user_id=?");
    s.Bind(1, user_id);
    if (!s.Step()) return std::nullopt;
    PractitionerHome h{s.Text(0), s.Text(1), s.Text(2), {}, s.Text(4), FromMicros(s.Int(5))};
    for (const auto& n : nlohmann::json::parse(s.Text(3))) h.other_surnames.push_back(n.get<std::string>());
    return h;
  }

 private:
  Connection& db_;
};

constexpr std::string_view kFlagColumns =
    "id, authority_id, kind, user_id, child_id, day, explanation, seqs, found_at, reviewed_at, reviewed_by,"
    " review_note";

StoredMisuseFlag ReadFlag(const Statement& s) {
  StoredMisuseFlag f;
  f.flag.id = s.Text(0);
  f.authority_id = s.Text(1);
  const auto kind = domain::ParseMisuseKind(s.Text(2));
  if (!kind) throw StorageError("misuse flag " + f.flag.id + " has an unknown kind " + s.Text(2));
  f.flag.kind = *kind;
  f.flag.user_id = s.Text(3);
  f.flag.child_id = s.Text(4);
  f.flag.day = *Date::Parse(s.Text(5));
  f.flag.explanation = s.Text(6);
  f.flag.records = DecodeAuditRefs(s.Text(7));
  f.found_at = FromMicros(s.Int(8));
  f.reviewed_at = OptionalTime(s, 9);
  f.reviewed_by = s.Text(10);
  f.review_note = s.Text(11);
  return f;
}

class SqliteMisuseFlags final : public MisuseFlagRepository {
 public:
  explicit SqliteMisuseFlags(Connection& db) : db_(db) {}

  int Add(const std::vector<StoredMisuseFlag>& flags) override {
    static const std::string kSql = "INSERT OR IGNORE INTO misuse_flags(" + std::string(kFlagColumns) +
                                    ") VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,NULL,'','')";
    int added = 0;
    for (const auto& f : flags) {
      auto s = db_.Prepare(kSql);
      s.Bind(1, f.flag.id).Bind(2, f.authority_id).Bind(3, domain::ToString(f.flag.kind)).Bind(4, f.flag.user_id);
      s.Bind(5, f.flag.child_id).Bind(6, f.flag.day.ToString()).Bind(7, f.flag.explanation);
      s.Bind(8, EncodeAuditRefs(f.flag.records)).Bind(9, ToMicros(f.found_at)).Run();
      added += static_cast<int>(db_.Changes());
    }
    return added;
  }

  std::optional<StoredMisuseFlag> Get(const std::string& id) override {
    static const std::string kSql = "SELECT " + std::string(kFlagColumns) + " FROM misuse_flags WHERE id=?";
    auto s = db_.Prepare(kSql);
    s.Bind(1, id);
    if (!s.Step()) return std::nullopt;
    return ReadFlag(s);
  }

  std::vector<StoredMisuseFlag> ForAuthority(const std::string& authority_id, const Date& from, const Date& to,
                                             bool include_reviewed, int limit) override {
    static const std::string kSql = "SELECT " + std::string(kFlagColumns) +
                                    " FROM misuse_flags WHERE authority_id=?1 AND day>=?2 AND day<=?3"
                                    " AND (?4 OR reviewed_at IS NULL) ORDER BY day DESC, kind, user_id, id LIMIT ?5";
    auto s = db_.Prepare(kSql);
    s.Bind(1, authority_id).Bind(2, from.ToString()).Bind(3, to.ToString()).Bind(4, include_reviewed).Bind(5, limit);
    std::vector<StoredMisuseFlag> out;
    while (s.Step()) out.push_back(ReadFlag(s));
    return out;
  }

  Status Review(const std::string& id, const std::string& reviewed_by, TimePoint at, const std::string& note) override {
    const auto flag = Get(id);
    if (!flag) return Error::NotFound("There is no such flag.");
    if (flag->reviewed_at) return Error::Conflict("This flag was reviewed already.");
    auto s = db_.Prepare("UPDATE misuse_flags SET reviewed_at=?2, reviewed_by=?3, review_note=?4 WHERE id=?1");
    s.Bind(1, id).Bind(2, ToMicros(at)).Bind(3, reviewed_by).Bind(4, note).Run();
    return Ok{};
  }

 private:
  Connection& db_;
};

class SqliteJobClaims final : public JobClaimRepository {
 public:
  explicit SqliteJobClaims(Connection& db) : db_(db) {}

  bool Claim(const std::string& job, const std::string& holder, TimePoint now, TimePoint stale_before) override {
    // One statement: the insert, or the take-over of a stale unfinished claim.
    auto s = db_.Prepare(
        "INSERT INTO job_claims(job, holder, claimed_at, finished_at) VALUES (?1, ?2, ?3, NULL)"
        " ON CONFLICT(job) DO UPDATE SET holder=?2, claimed_at=?3"
        " WHERE finished_at IS NULL AND claimed_at<=?4");
    s.Bind(1, job).Bind(2, holder).Bind(3, ToMicros(now)).Bind(4, ToMicros(stale_before)).Run();
    return db_.Changes() > 0;
  }

  bool Lease(const std::string& job, const std::string& holder, TimePoint now, TimePoint stale_before) override {
    auto s = db_.Prepare(
        "INSERT INTO job_claims(job, holder, claimed_at, finished_at) VALUES (?1, ?2, ?3, NULL)"
        " ON CONFLICT(job) DO UPDATE SET holder=?2, claimed_at=?3"
        " WHERE finished_at IS NULL AND (holder=?2 OR claimed_at<=?4)");
    s.Bind(1, job).Bind(2, holder).Bind(3, ToMicros(now)).Bind(4, ToMicros(stale_before)).Run();
    return db_.Changes() > 0;
  }

  void Release(const std::string& job, const std::string& holder) override {
    auto s = db_.Prepare("DELETE FROM job_claims WHERE job=?1 AND holder=?2 AND finished_at IS NULL");
    s.Bind(1, job).Bind(2, holder).Run();
  }

  Status Finish(const std::string& job, const std::string& holder, TimePoint at) override {
    auto s = db_.Prepare("UPDATE job_claims SET finished_at=?3 WHERE job=?1 AND holder=?2");
    s.Bind(1, job).Bind(2, holder).Bind(3, ToMicros(at)).Run();
    if (db_.Changes() == 0) return Error::NotFound("The job is not held by this holder.");
    return Ok{};
  }

 private:
  Connection& db_;
};

}  // namespace

std::unique_ptr<PractitionerHomeRepository> MakePractitionerHomeRepository(Connection& connection) {
  return std::make_unique<SqlitePractitionerHomes>(connection);
}
std::unique_ptr<MisuseFlagRepository> MakeMisuseFlagRepository(Connection& connection) {
  return std::make_unique<SqliteMisuseFlags>(connection);
}
std::unique_ptr<JobClaimRepository> MakeJobClaimRepository(Connection& connection) {
  return std::make_unique<SqliteJobClaims>(connection);
}

}  // namespace kith::storage::sqlite
