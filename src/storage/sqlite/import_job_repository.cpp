#include "storage/sqlite/import_job_repository.h"

#include "storage/import_jobs.h"
#include "storage/sqlite/values.h"

namespace kith::storage::sqlite {
namespace {

constexpr std::string_view kColumns =
    "id, authority_id, created_by, client, source, filename, state, bytes_received, parts, stage, stage_fraction,"
    " summary, error, runner, attempts, created_at, last_part_at, started_at, finished_at";

StoredImportJob ReadJob(const Statement& s) {
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
  j.created_at = FromMicros(s.Int(15));
  j.last_part_at = FromMicros(s.Int(16));
  j.started_at = OptionalTime(s, 17);
  j.finished_at = OptionalTime(s, 18);
  return j;
}

class SqliteImportJobs final : public ImportJobRepository {
 public:
  explicit SqliteImportJobs(Connection& db) : db_(db) {}

  Status Insert(const StoredImportJob& j, const std::string& first_part) override {
    if (Get(j.id)) return Error::Conflict("An import with this id exists.");
    static const std::string kSql = "INSERT INTO import_jobs(" + std::string(kColumns) +
                                    ") VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19)";
    auto s = db_.Prepare(kSql);
    s.Bind(1, j.id).Bind(2, j.authority_id).Bind(3, j.created_by).Bind(4, j.client).Bind(5, j.source);
    s.Bind(6, j.filename).Bind(7, StateName(j.state)).Bind(8, j.bytes_received).Bind(9, j.parts).Bind(10, j.stage);
    s.BindReal(11, j.stage_fraction).Bind(12, j.summary).Bind(13, j.error).Bind(14, j.runner).Bind(15, j.attempts);
    s.Bind(16, ToMicros(j.created_at)).Bind(17, ToMicros(j.last_part_at));
    BindOptionalTime(s, 18, j.started_at);
    BindOptionalTime(s, 19, j.finished_at);
    s.Run();
    AddPart(j.id, 0, first_part);
    return Ok{};
  }

  std::optional<StoredImportJob> Get(const std::string& id) override {
    static const std::string kSql = "SELECT " + std::string(kColumns) + " FROM import_jobs WHERE id=?1";
    auto s = db_.Prepare(kSql);
    s.Bind(1, id);
    if (!s.Step()) return std::nullopt;
    return ReadJob(s);
  }

  std::vector<StoredImportJob> ListByAuthority(const std::string& authority_id, int limit) override {
    static const std::string kSql =
        "SELECT " + std::string(kColumns) + " FROM import_jobs WHERE authority_id=?1 ORDER BY seq DESC LIMIT ?2";
    auto s = db_.Prepare(kSql);
    s.Bind(1, authority_id).Bind(2, limit);
    std::vector<StoredImportJob> out;
    while (s.Step()) out.push_back(ReadJob(s));
    return out;
  }

  int64_t CountUnfinished(const std::string& authority_id) override {
    auto s = db_.Prepare(
        "SELECT count(*) FROM import_jobs WHERE authority_id=?1 AND state IN ('receiving', 'queued')");
    s.Bind(1, authority_id);
    s.Step();
    return s.Int(0);
  }

  Status AppendPart(const std::string& id, int64_t offset, const std::string& bytes, bool last, TimePoint at) override {
    auto s = db_.Prepare(
        "UPDATE import_jobs SET bytes_received=bytes_received+?3, parts=parts+1, last_part_at=?4,"
        " state=CASE WHEN ?5 THEN 'queued' ELSE state END"
        " WHERE id=?1 AND state='receiving' AND bytes_received=?2");
    s.Bind(1, id).Bind(2, offset).Bind(3, static_cast<int64_t>(bytes.size())).Bind(4, ToMicros(at)).Bind(5, last);
    s.Run();
    if (db_.Changes() == 0) return Refused(id, offset);
    AddPart(id, offset, bytes);
    return Ok{};
  }

  std::string Data(const std::string& id) override {
    auto s = db_.Prepare("SELECT bytes FROM import_parts WHERE import_id=?1 ORDER BY start_byte");
    s.Bind(1, id);
    std::string out;
    while (s.Step()) out += s.Text(0);
    return out;
  }

  std::optional<StoredImportJob> ClaimNext(const std::string& runner, TimePoint now) override {
    auto next = db_.Prepare("SELECT id FROM import_jobs WHERE state IN ('queued', 'running') ORDER BY seq LIMIT 1");
    if (!next.Step()) return std::nullopt;
    const std::string id = next.Text(0);
    auto s = db_.Prepare(
        "UPDATE import_jobs SET state='running', runner=?2, started_at=?3, attempts=attempts+1 WHERE id=?1");
    s.Bind(1, id).Bind(2, runner).Bind(3, ToMicros(now)).Run();
    return Get(id);
  }

  bool Progress(const std::string& id, const std::string& runner, const std::string& stage, double fraction,
                const std::string& summary) override {
    auto s = db_.Prepare(
        "UPDATE import_jobs SET stage=?3, stage_fraction=?4, summary=?5 WHERE id=?1 AND state='running' AND runner=?2");
    s.Bind(1, id).Bind(2, runner).Bind(3, stage).BindReal(4, fraction).Bind(5, summary).Run();
    return db_.Changes() > 0;
  }

  bool Finish(const std::string& id, const std::string& runner, ImportJobState state, const std::string& summary,
              const std::string& error, TimePoint at) override {
    auto s = db_.Prepare(
        "UPDATE import_jobs SET state=?3, summary=CASE WHEN ?4='' THEN summary ELSE ?4 END, error=?5, finished_at=?6,"
        " runner='' WHERE id=?1 AND CASE WHEN ?2='' THEN state IN ('receiving', 'queued')"
        " ELSE state='running' AND runner=?2 END");
    s.Bind(1, id).Bind(2, runner).Bind(3, StateName(state)).Bind(4, summary).Bind(5, error).Bind(6, ToMicros(at));
    s.Run();
    if (db_.Changes() == 0) return false;
    auto parts = db_.Prepare("DELETE FROM import_parts WHERE import_id=?1");
    parts.Bind(1, id).Run();
    return true;
  }

  bool Requeue(const std::string& id, const std::string& runner) override {
    auto s = db_.Prepare(
        "UPDATE import_jobs SET state='queued', runner='', attempts=max(attempts-1, 0)"
        " WHERE id=?1 AND state='running' AND runner=?2");
    s.Bind(1, id).Bind(2, runner).Run();
    return db_.Changes() > 0;
  }

  int64_t FailAbandoned(TimePoint before, TimePoint at, const std::string& error) override {
    auto parts = db_.Prepare(
        "DELETE FROM import_parts WHERE import_id IN"
        " (SELECT id FROM import_jobs WHERE state='receiving' AND last_part_at<=?1)");
    parts.Bind(1, ToMicros(before)).Run();
    auto s = db_.Prepare(
        "UPDATE import_jobs SET state='failed', error=?3, finished_at=?2 WHERE state='receiving' AND last_part_at<=?1");
    s.Bind(1, ToMicros(before)).Bind(2, ToMicros(at)).Bind(3, error).Run();
    return db_.Changes();
  }

  int64_t Prune(const std::string& authority_id, int keep) override {
    auto s = db_.Prepare(
        "DELETE FROM import_jobs WHERE authority_id=?1 AND state IN ('done', 'failed') AND seq NOT IN"
        " (SELECT seq FROM import_jobs WHERE authority_id=?1 AND state IN ('done', 'failed')"
        " ORDER BY seq DESC LIMIT ?2)");
    s.Bind(1, authority_id).Bind(2, keep).Run();
    return db_.Changes();
  }

  bool AnyToRun() override {
    auto s = db_.Prepare("SELECT EXISTS (SELECT 1 FROM import_jobs WHERE state IN ('queued', 'running'))");
    s.Step();
    return s.Bool(0);
  }

  void AddRows(const std::string& import_id, const std::vector<ImportRow>& rows) override {
    for (const auto& row : rows) {
      auto s = db_.Prepare(
          "INSERT INTO import_rows(import_id, line, source, record_id, outcome, child_id, review_id)"
          " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT DO NOTHING");
      s.Bind(1, import_id).Bind(2, row.line).Bind(3, row.source).Bind(4, row.record_id).Bind(5, row.outcome);
      s.Bind(6, row.child_id).Bind(7, row.review_id).Run();
    }
  }

  std::vector<ImportRow> Rows(const std::string& import_id, const std::string& outcome, int64_t after_line,
                              int limit) override {
    auto s = db_.Prepare(
        "SELECT line, source, record_id, outcome, child_id, review_id FROM import_rows"
        " WHERE import_id=?1 AND line>?2 AND (?4='' OR outcome=?4) ORDER BY line LIMIT ?3");
    s.Bind(1, import_id).Bind(2, after_line).Bind(3, limit).Bind(4, outcome);
    std::vector<ImportRow> out;
    while (s.Step()) out.push_back({s.Int(0), s.Text(1), s.Text(2), s.Text(3), s.Text(4), s.Text(5)});
    return out;
  }

 private:
  void AddPart(const std::string& id, int64_t offset, const std::string& bytes) {
    if (bytes.empty()) return;  // an empty last part adds nothing
    auto s = db_.Prepare("INSERT INTO import_parts(import_id, start_byte, bytes) VALUES (?1, ?2, ?3)");
    s.Bind(1, id).Bind(2, offset).BindBlob(3, bytes).Run();
  }

  Status Refused(const std::string& id, int64_t offset) {
    const auto job = Get(id);
    if (!job) return Error::NotFound("There is no import with that id.");
    if (job->state != ImportJobState::kReceiving) {
      return Error::Conflict("This import has all its parts already (it is " + std::string(StateName(job->state)) +
                             ").");
    }
    return Error::Conflict(OffsetRefused(offset, job->bytes_received));
  }

  Connection& db_;
};

}  // namespace

std::unique_ptr<ImportJobRepository> MakeImportJobRepository(Connection& connection) {
  return std::make_unique<SqliteImportJobs>(connection);
}

}  // namespace kith::storage::sqlite
