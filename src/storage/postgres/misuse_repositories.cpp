// Practitioners' homes, the misuse report's flags and claims on once-per-cluster jobs on
// PostgreSQL (the SQLite versions: storage/sqlite/misuse_repositories.cpp).
#include "storage/documents.h"
#include "storage/postgres/repositories.h"

namespace kith::storage::postgres {
namespace {

class PgPractitionerHomes final : public PractitionerHomeRepository {
 public:
  explicit PgPractitionerHomes(Connection& db) : db_(db) {}

  void Set(const PractitionerHome& h) override {
    db_.Prepare(
           "INSERT INTO practitioner_homes(user_id, address, postcode, other_surnames, updated_by, updated_at)"
           " VALUES ($1,$2,$3,$4,$5,$6) ON CONFLICT(user_id) DO UPDATE SET address=$2, postcode=$3,"
           " other_surnames=$4, updated_by=$5, updated_at=$6")
        .Bind(h.user_id)
        .Bind(h.address)
        .Bind(h.postcode)
        .Bind(EncodeIds(h.other_surnames))
        .Bind(h.updated_by)
        .Bind(h.updated_at)
        .Run();
  }

  std::optional<PractitionerHome> Get(const std::string& user_id) override {
    auto s = db_.Prepare(
                    "SELECT user_id, address, postcode, other_surnames, updated_by, updated_at FROM practitioner_homes"
                    " WHERE user_id=$1")
                 .Bind(user_id)
                 .Run();
    if (!s.Next()) return std::nullopt;
    return PractitionerHome{s.Text(0), s.Text(1), s.Text(2), DecodeIds(s.Text(3)), s.Text(4), s.Time(5)};
  }

 private:
  Connection& db_;
};

constexpr std::string_view kFlagColumns =
    "id, authority_id, kind, user_id, child_id, day, explanation, seqs, found_at, reviewed_at, reviewed_by,"
    " review_note";

StoredMisuseFlag ReadFlag(const Rows& s) {
  StoredMisuseFlag f;
  f.flag.id = s.Text(0);
  f.authority_id = s.Text(1);
  const auto kind = domain::ParseMisuseKind(s.Text(2));
  if (!kind) throw StorageError("misuse flag " + f.flag.id + " has an unknown kind " + s.Text(2));
  f.flag.kind = *kind;
  f.flag.user_id = s.Text(3);
  f.flag.child_id = s.Text(4);
  const auto day = Date::Parse(s.Text(5));
  if (!day) throw StorageError("misuse flag " + f.flag.id + " has a malformed day " + s.Text(5));
  f.flag.day = *day;
  f.flag.explanation = s.Text(6);
  f.flag.records = DecodeAuditRefs(s.Text(7));
  f.found_at = s.Time(8);
  f.reviewed_at = s.OptionalTime(9);
  f.reviewed_by = s.Text(10);
  f.review_note = s.Text(11);
  return f;
}

class PgMisuseFlags final : public MisuseFlagRepository {
 public:
  explicit PgMisuseFlags(Connection& db) : db_(db) {}

  int Add(const std::vector<StoredMisuseFlag>& flags) override {
    static const std::string kSql = "INSERT INTO misuse_flags(" + std::string(kFlagColumns) +
                                    ") VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,NULL,'','') ON CONFLICT DO NOTHING";
    int added = 0;
    for (const auto& f : flags) {
      added += static_cast<int>(db_.Prepare(kSql)
                                    .Bind(f.flag.id)
                                    .Bind(f.authority_id)
                                    .Bind(domain::ToString(f.flag.kind))
                                    .Bind(f.flag.user_id)
                                    .Bind(f.flag.child_id)
                                    .Bind(f.flag.day.ToString())
                                    .Bind(f.flag.explanation)
                                    .Bind(EncodeAuditRefs(f.flag.records))
                                    .Bind(f.found_at)
                                    .Run()
                                    .affected());
    }
    return added;
  }

  std::optional<StoredMisuseFlag> Get(const std::string& id) override {
    static const std::string kSql = "SELECT " + std::string(kFlagColumns) + " FROM misuse_flags WHERE id=$1";
    auto s = db_.Prepare(kSql).Bind(id).Run();
    if (!s.Next()) return std::nullopt;
    return ReadFlag(s);
  }

  std::vector<StoredMisuseFlag> ForAuthority(const std::string& authority_id, const Date& from, const Date& to,
                                             bool include_reviewed, int limit) override {
    static const std::string kSql = "SELECT " + std::string(kFlagColumns) +
                                    " FROM misuse_flags WHERE authority_id=$1 AND day>=$2 AND day<=$3"
                                    " AND ($4 OR reviewed_at IS NULL) ORDER BY day DESC, kind, user_id, id LIMIT $5";
    auto s = db_.Prepare(kSql)
                 .Bind(authority_id)
                 .Bind(from.ToString())
                 .Bind(to.ToString())
                 .Bind(include_reviewed)
                 .Bind(limit)
                 .Run();
    std::vector<StoredMisuseFlag> out;
    while (s.Next()) out.push_back(ReadFlag(s));
    return out;
  }

  Status Review(const std::string& id, const std::string& reviewed_by, TimePoint at, const std::string& note) override {
    auto s = db_.Prepare("SELECT reviewed_at IS NOT NULL FROM misuse_flags WHERE id=$1 FOR UPDATE").Bind(id).Run();
    if (!s.Next()) return Error::NotFound("There is no such flag.");
    if (s.Bool(0)) return Error::Conflict("This flag was reviewed already.");
    db_.Prepare("UPDATE misuse_flags SET reviewed_at=$2, reviewed_by=$3, review_note=$4 WHERE id=$1")
        .Bind(id)
        .Bind(at)
        .Bind(reviewed_by)
        .Bind(note)
        .Run();
    return Ok{};
  }

 private:
  Connection& db_;
};

class PgJobClaims final : public JobClaimRepository {
 public:
  explicit PgJobClaims(Connection& db) : db_(db) {}

  bool Claim(const std::string& job, const std::string& holder, TimePoint now, TimePoint stale_before) override {
    // One statement: the insert, or the take-over of a stale unfinished claim.
    return db_.Prepare(
                  "INSERT INTO job_claims(job, holder, claimed_at, finished_at) VALUES ($1, $2, $3, NULL)"
                  " ON CONFLICT(job) DO UPDATE SET holder=$2, claimed_at=$3"
                  " WHERE job_claims.finished_at IS NULL AND job_claims.claimed_at<=$4")
               .Bind(job)
               .Bind(holder)
               .Bind(now)
               .Bind(stale_before)
               .Run()
               .affected() > 0;
  }

  Status Finish(const std::string& job, const std::string& holder, TimePoint at) override {
    auto s = db_.Prepare("UPDATE job_claims SET finished_at=$3 WHERE job=$1 AND holder=$2")
                 .Bind(job)
                 .Bind(holder)
                 .Bind(at)
                 .Run();
    if (s.affected() == 0) return Error::NotFound("The job is not held by this holder.");
    return Ok{};
  }

  void Release(const std::string& job, const std::string& holder) override {
    db_.Prepare("DELETE FROM job_claims WHERE job=$1 AND holder=$2 AND finished_at IS NULL").Bind(job).Bind(holder).Run();
  }

  bool Lease(const std::string& job, const std::string& holder, TimePoint now, TimePoint stale_before) override {
    return db_.Prepare(
                  "INSERT INTO job_claims(job, holder, claimed_at, finished_at) VALUES ($1, $2, $3, NULL)"
                  " ON CONFLICT(job) DO UPDATE SET holder=$2, claimed_at=$3"
                  " WHERE job_claims.finished_at IS NULL AND (job_claims.holder=$2 OR job_claims.claimed_at<=$4)")
               .Bind(job)
               .Bind(holder)
               .Bind(now)
               .Bind(stale_before)
               .Run()
               .affected() > 0;
  }

 private:
  Connection& db_;
};

}  // namespace

std::unique_ptr<PractitionerHomeRepository> MakePractitionerHomes(Connection& c) {
  return std::make_unique<PgPractitionerHomes>(c);
}
std::unique_ptr<MisuseFlagRepository> MakeMisuseFlags(Connection& c) { return std::make_unique<PgMisuseFlags>(c); }
std::unique_ptr<JobClaimRepository> MakeJobClaims(Connection& c) { return std::make_unique<PgJobClaims>(c); }

}  // namespace kith::storage::postgres
