// Index imports through the server on PostgreSQL (the SQLite version:
// storage/sqlite/import_job_repository.cpp). Writes are serialisable, so a part checked against
// the job's size, or a job claimed, cannot race another node's.
#include "storage/import_jobs.h"
#include "storage/postgres/repositories.h"

namespace kith::storage::postgres {
namespace {

constexpr std::string_view kColumns =
    "id, authority_id, created_by, client, source, filename, state, bytes_received, parts, stage, stage_fraction,"
    " summary, error, runner, attempts, created_at, last_part_at, started_at, finished_at";

StoredImportJob ReadJob(const Rows& s) {
  StoredImportJob j;
  j.id = s.Text(0);
  j.authority_id = s.Text(1);
  j.created_by = s.Text(2);
  j.client = s.Text(3);
  j.source = s.Text(4);
  j.filename = s.Text(5);
  const auto state = ParseImportJobState(s.Text(6));
  if (!state) throw StorageError("import " + j.id + " has an unknown state " + s.Text(6));
  j.state = *state;
  j.bytes_received = s.Int(7);
  j.parts = s.Int(8);
  j.stage = s.Text(9);
  j.stage_fraction = s.Real(10);
  j.summary = s.Text(11);
  j.error = s.Text(12);
  j.runner = s.Text(13);
  j.attempts = static_cast<int>(s.Int(14));
  j.created_at = s.Time(15);
  j.last_part_at = s.Time(16);
  j.started_at = s.OptionalTime(17);
  j.finished_at = s.OptionalTime(18);
  return j;
}

class PgImportJobs final : public ImportJobRepository {
 public:
  explicit PgImportJobs(Connection& db) : db_(db) {}

  Status Insert(const StoredImportJob& j, const std::string& first_part) override {
    static const std::string kSql =
        "INSERT INTO import_jobs(" + std::string(kColumns) +
        ") VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19) ON CONFLICT DO NOTHING";
    auto insert = db_.Prepare(kSql);
    insert.Bind(j.id)
        .Bind(j.authority_id)
        .Bind(j.created_by)
        .Bind(j.client)
        .Bind(j.source)
        .Bind(j.filename)
        .Bind(StateName(j.state))
        .Bind(j.bytes_received)
        .Bind(j.parts)
        .Bind(j.stage)
        .Bind(j.stage_fraction)
        .Bind(j.summary)
        .Bind(j.error)
        .Bind(j.runner)
        .Bind(j.attempts)
        .Bind(j.created_at)
        .Bind(j.last_part_at)
        .Bind(j.started_at)
        .Bind(j.finished_at);
    if (auto s = InsertOrConflict(insert, "An import with this id"); !s) return s;
    AddPart(j.id, 0, first_part);
    return Ok{};
  }

  std::optional<StoredImportJob> Get(const std::string& id) override {
    static const std::string kSql = "SELECT " + std::string(kColumns) + " FROM import_jobs WHERE id=$1";
    auto s = db_.Prepare(kSql).Bind(id).Run();
    if (!s.Next()) return std::nullopt;
    return ReadJob(s);
  }

  std::vector<StoredImportJob> ListByAuthority(const std::string& authority_id, int limit) override {
    static const std::string kSql =
        "SELECT " + std::string(kColumns) + " FROM import_jobs WHERE authority_id=$1 ORDER BY seq DESC LIMIT $2";
    auto s = db_.Prepare(kSql).Bind(authority_id).Bind(limit).Run();
    std::vector<StoredImportJob> out;
    while (s.Next()) out.push_back(ReadJob(s));
    return out;
  }

  int64_t CountUnfinished(const std::string& authority_id) override {
    auto s = db_.Prepare(
                    "SELECT count(*) FROM import_jobs WHERE authority_id=$1 AND state IN ('receiving', 'queued')")
                 .Bind(authority_id)
                 .Run();
    s.Next();
    return s.Int(0);
  }

  Status AppendPart(const std::string& id, int64_t offset, const std::string& bytes, bool last, TimePoint at) override {
    const int64_t changed = db_.Prepare(
                                   "UPDATE import_jobs SET bytes_received=bytes_received+$3, parts=parts+1,"
                                   " last_part_at=$4, state=CASE WHEN $5 THEN 'queued' ELSE state END"
                                   " WHERE id=$1 AND state='receiving' AND bytes_received=$2")
                                .Bind(id)
                                .Bind(offset)
                                .Bind(static_cast<int64_t>(bytes.size()))
                                .Bind(at)
                                .Bind(last)
                                .Run()
                                .affected();
    if (changed == 0) {
      const auto job = Get(id);
      if (!job) return Error::NotFound("There is no import with that id.");
      if (job->state != ImportJobState::kReceiving) {
        return Error::Conflict("This import has all its parts already (it is " + std::string(StateName(job->state)) +
                               ").");
      }
      return Error::Conflict(OffsetRefused(offset, job->bytes_received));
    }
    AddPart(id, offset, bytes);
    return Ok{};
  }

  std::string Data(const std::string& id) override {
    auto s = db_.Prepare("SELECT bytes FROM import_parts WHERE import_id=$1 ORDER BY start_byte").Bind(id).Run();
    std::string out;
    while (s.Next()) out += s.Text(0);
    return out;
  }

  std::optional<StoredImportJob> ClaimNext(const std::string& runner, TimePoint now) override {
    static const std::string kSql =
        "UPDATE import_jobs SET state='running', runner=$1, started_at=$2, attempts=attempts+1 WHERE id="
        "(SELECT id FROM import_jobs WHERE state IN ('queued', 'running') ORDER BY seq LIMIT 1) RETURNING " +
        std::string(kColumns);
    auto s = db_.Prepare(kSql).Bind(runner).Bind(now).Run();
    if (!s.Next()) return std::nullopt;
    return ReadJob(s);
  }

  bool Progress(const std::string& id, const std::string& runner, const std::string& stage, double fraction,
                const std::string& summary) override {
    return db_.Prepare(
                  "UPDATE import_jobs SET stage=$3, stage_fraction=$4, summary=$5"
                  " WHERE id=$1 AND state='running' AND runner=$2")
               .Bind(id)
               .Bind(runner)
               .Bind(stage)
               .Bind(fraction)
               .Bind(summary)
               .Run()
               .affected() > 0;
  }

  bool Finish(const std::string& id, const std::string& runner, ImportJobState state, const std::string& summary,
              const std::string& error, TimePoint at) override {
    const int64_t changed =
        db_.Prepare(
               "UPDATE import_jobs SET state=$3, summary=CASE WHEN $4='' THEN summary ELSE $4 END, error=$5,"
               " finished_at=$6, runner='' WHERE id=$1 AND CASE WHEN $2='' THEN state IN ('receiving', 'queued')"
               " ELSE state='running' AND runner=$2 END")
            .Bind(id)
            .Bind(runner)
            .Bind(StateName(state))
            .Bind(summary)
            .Bind(error)
            .Bind(at)
            .Run()
            .affected();
    if (changed == 0) return false;
    db_.Prepare("DELETE FROM import_parts WHERE import_id=$1").Bind(id).Run();
    return true;
  }

  bool Requeue(const std::string& id, const std::string& runner) override {
    return db_.Prepare("UPDATE import_jobs SET state='queued', runner='', attempts=greatest(attempts-1, 0)"
                       " WHERE id=$1 AND state='running' AND runner=$2")
               .Bind(id)
               .Bind(runner)
               .Run()
               .affected() > 0;
  }

  int64_t FailAbandoned(TimePoint before, TimePoint at, const std::string& error) override {
    db_.Prepare(
           "DELETE FROM import_parts WHERE import_id IN"
           " (SELECT id FROM import_jobs WHERE state='receiving' AND last_part_at<=$1)")
        .Bind(before)
        .Run();
    return db_.Prepare(
                  "UPDATE import_jobs SET state='failed', error=$3, finished_at=$2"
                  " WHERE state='receiving' AND last_part_at<=$1")
        .Bind(before)
        .Bind(at)
        .Bind(error)
        .Run()
        .affected();
  }

  int64_t Prune(const std::string& authority_id, int keep) override {
    return db_.Prepare(
                  "DELETE FROM import_jobs WHERE authority_id=$1 AND state IN ('done', 'failed') AND seq NOT IN"
                  " (SELECT seq FROM import_jobs WHERE authority_id=$1 AND state IN ('done', 'failed')"
                  " ORDER BY seq DESC LIMIT $2)")
        .Bind(authority_id)
        .Bind(keep)
        .Run()
        .affected();
  }

  bool AnyToRun() override {
    auto s = db_.Prepare("SELECT EXISTS (SELECT 1 FROM import_jobs WHERE state IN ('queued', 'running'))").Run();
    s.Next();
    return s.Bool(0);
  }

  void AddRows(const std::string& import_id, const std::vector<ImportRow>& rows) override {
    for (const auto& row : rows) {
      db_.Prepare(
             "INSERT INTO import_rows(import_id, line, source, record_id, outcome, child_id, review_id)"
             " VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING")
          .Bind(import_id)
          .Bind(row.line)
          .Bind(row.source)
          .Bind(row.record_id)
          .Bind(row.outcome)
          .Bind(row.child_id)
          .Bind(row.review_id)
          .Run();
    }
  }

  std::vector<ImportRow> Rows(const std::string& import_id, const std::string& outcome, int64_t after_line,
                              int limit) override {
    auto s = db_.Prepare(
                    "SELECT line, source, record_id, outcome, child_id, review_id FROM import_rows"
                    " WHERE import_id=$1 AND line>$2 AND ($4='' OR outcome=$4) ORDER BY line LIMIT $3")
                 .Bind(import_id)
                 .Bind(after_line)
                 .Bind(limit)
                 .Bind(outcome)
                 .Run();
    std::vector<ImportRow> out;
    while (s.Next()) out.push_back({s.Int(0), s.Text(1), s.Text(2), s.Text(3), s.Text(4), s.Text(5)});
    return out;
  }

 private:
  void AddPart(const std::string& id, int64_t offset, const std::string& bytes) {
    if (bytes.empty()) return;  // an empty last part adds nothing
    db_.Prepare("INSERT INTO import_parts(import_id, start_byte, bytes) VALUES ($1, $2, $3)")
        .Bind(id)
        .Bind(offset)
        .Bind(bytes)
        .Run();
  }

  Connection& db_;
};

}  // namespace

std::unique_ptr<ImportJobRepository> MakeImportJobs(Connection& c) { return std::make_unique<PgImportJobs>(c); }

}  // namespace kith::storage::postgres
