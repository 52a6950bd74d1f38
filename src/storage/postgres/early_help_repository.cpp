// The early help assessment on PostgreSQL (the tables of migration 1; docs/data-model.md).
#include "storage/documents.h"
#include "storage/postgres/repositories.h"

namespace kith::storage::postgres {
namespace {

namespace eh = domain::early_help;

constexpr std::string_view kAssessmentSelect =
    "SELECT id, child_id, stage, lead_user_id, opened_at, opened_by, closed_at, closed_by, outcome, closure_summary,"
    " revision FROM early_help_assessments";

class PgEarlyHelp final : public EarlyHelpRepository {
 public:
  explicit PgEarlyHelp(Connection& db) : db_(db) {}

  Status Insert(const eh::Assessment& a) override {
    auto s = db_.Prepare(
        "INSERT INTO early_help_assessments (id, child_id, opened_at, opened_by, stage, lead_user_id, closed_at,"
        " closed_by, outcome, closure_summary, revision) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1)"
        " ON CONFLICT (id) DO NOTHING");
    s.Bind(a.id).Bind(a.child_id).Bind(a.opened_at).Bind(a.opened_by);
    BindSummary(s, a);
    if (s.Run().affected() == 0) return Error::Conflict("an assessment with this id already exists");
    StoreParts(a);
    return Ok{};
  }

  Status Update(const eh::Assessment& a) override {
    auto s = db_.Prepare(
        "UPDATE early_help_assessments SET stage = $3, lead_user_id = $4, closed_at = $5, closed_by = $6,"
        " outcome = $7, closure_summary = $8, revision = revision + 1 WHERE id = $1 AND revision = $2");
    s.Bind(a.id).Bind(a.revision);
    BindSummary(s, a);
    if (s.Run().affected() == 0) {
      if (!db_.Prepare("SELECT 1 FROM early_help_assessments WHERE id = $1").Bind(a.id).Run().Next()) {
        return Error::NotFound("There is no such early help assessment.");
      }
      return Error::Conflict("The assessment has changed since you loaded it; reload and try again.");
    }
    StoreParts(a);
    return Ok{};
  }

  std::optional<eh::Assessment> Get(const std::string& id) override {
    static const std::string kSql = std::string(kAssessmentSelect) + " WHERE id = $1";
    auto s = db_.Prepare(kSql).Bind(id).Run();
    if (!s.Next()) return std::nullopt;
    auto a = ReadSummary(s);
    LoadParts(a);
    return a;
  }

  std::vector<eh::Assessment> ForChild(const std::string& child_id) override {
    static const std::string kSql =
        std::string(kAssessmentSelect) + " WHERE child_id = $1 ORDER BY opened_at DESC, id DESC";
    auto s = db_.Prepare(kSql).Bind(child_id).Run();
    std::vector<eh::Assessment> out;
    while (s.Next()) out.push_back(ReadSummary(s));
    for (auto& a : out) LoadParts(a);
    return out;
  }

  std::vector<std::string> WithUnalertedOverdueActions(const Date& today) override {
    auto s = db_.Prepare(
                    "SELECT DISTINCT x.assessment_id FROM early_help_actions x"
                    " JOIN early_help_assessments a ON a.id = x.assessment_id"
                    " WHERE x.overdue_alerted_on IS NULL AND x.status IN ('not_started', 'in_progress')"
                    " AND x.due_on < $1 AND a.stage <> 'closed' ORDER BY x.assessment_id")
                 .Bind(today)
                 .Run();
    std::vector<std::string> out;
    while (s.Next()) out.push_back(s.Text(0));
    return out;
  }

 private:
  // Binds stage, lead, closed_at, closed_by, outcome and closure_summary: the fields that change.
  static void BindSummary(Statement& s, const eh::Assessment& a) {
    s.Bind(eh::ToString(a.stage)).Bind(a.lead_id).Bind(a.closed_at).Bind(a.closed_by);
    if (a.outcome) {
      s.Bind(eh::ToString(*a.outcome));
    } else {
      s.BindNull();
    }
    s.Bind(a.closure_summary);
  }

  static eh::Assessment ReadSummary(const Rows& s) {
    eh::Assessment a;
    a.id = s.Text(0);
    a.child_id = s.Text(1);
    a.stage = eh::ParseStage(s.Text(2)).value_or(eh::Stage::kDraft);
    a.lead_id = s.Text(3);
    a.opened_at = s.Time(4);
    a.opened_by = s.Text(5);
    a.closed_at = s.OptionalTime(6);
    a.closed_by = s.Text(7);
    if (!s.IsNull(8)) a.outcome = eh::ParseOutcome(s.Text(8));
    a.closure_summary = s.Text(9);
    a.revision = s.Int(10);
    return a;
  }

  void StoreParts(const eh::Assessment& a) {
    for (const auto& v : a.versions) {
      db_.Prepare(
             "INSERT INTO early_help_versions AS v (assessment_id, number, content, locked, created_at, created_by,"
             " completed_at, completed_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
             " ON CONFLICT (assessment_id, number) DO UPDATE SET content = excluded.content, locked = excluded.locked,"
             " completed_at = excluded.completed_at, completed_by = excluded.completed_by WHERE NOT v.locked")
          .Bind(a.id)
          .Bind(v.number)
          .Bind(EncodeContent(v.content))
          .Bind(v.locked)
          .Bind(v.created_at)
          .Bind(v.created_by)
          .Bind(v.completed_at)
          .Bind(v.completed_by)
          .Run();
    }
    for (size_t i = 0; i < a.lead_history.size(); ++i) {
      const auto& l = a.lead_history[i];
      db_.Prepare(
             "INSERT INTO early_help_lead_changes (assessment_id, seq, user_id, by_user_id, reason, at)"
             " VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING")
          .Bind(a.id)
          .Bind(static_cast<int64_t>(i))
          .Bind(l.user_id)
          .Bind(l.by)
          .Bind(l.reason)
          .Bind(l.at)
          .Run();
    }
    for (size_t i = 0; i < a.meetings.size(); ++i) {
      const auto& m = a.meetings[i];
      db_.Prepare(
             "INSERT INTO early_help_meetings (id, assessment_id, seq, held_on, attendees, decisions, recorded_by,"
             " recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING")
          .Bind(m.id)
          .Bind(a.id)
          .Bind(static_cast<int64_t>(i))
          .Bind(m.held_on)
          .Bind(EncodeIds(m.attendees))
          .Bind(m.decisions)
          .Bind(m.recorded_by)
          .Bind(m.recorded_at)
          .Run();
    }
    for (size_t i = 0; i < a.actions.size(); ++i) {
      const auto& x = a.actions[i];
      db_.Prepare(
             "INSERT INTO early_help_actions (id, assessment_id, seq, description, owner_id, due_on, status, need_id,"
             " meeting_id, created_at, updated_at, overdue_alerted_on)"
             " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
             " ON CONFLICT (id) DO UPDATE SET description = excluded.description, owner_id = excluded.owner_id,"
             " due_on = excluded.due_on, status = excluded.status, need_id = excluded.need_id,"
             " updated_at = excluded.updated_at, overdue_alerted_on = excluded.overdue_alerted_on")
          .Bind(x.id)
          .Bind(a.id)
          .Bind(static_cast<int64_t>(i))
          .Bind(x.description)
          .Bind(x.owner_id)
          .Bind(x.due_on)
          .Bind(eh::ToString(x.status))
          .Bind(x.need_id)
          .Bind(x.meeting_id)
          .Bind(x.created_at)
          .Bind(x.updated_at)
          .Bind(x.overdue_alerted_on)
          .Run();
    }
    for (size_t i = 0; i < a.reviews.size(); ++i) {
      const auto& r = a.reviews[i];
      db_.Prepare(
             "INSERT INTO early_help_reviews (id, assessment_id, seq, held_on, progress, version_reviewed, summary,"
             " recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING")
          .Bind(r.id)
          .Bind(a.id)
          .Bind(static_cast<int64_t>(i))
          .Bind(r.held_on)
          .Bind(EncodeProgress(r.progress))
          .Bind(r.version_reviewed)
          .Bind(r.summary)
          .Bind(r.recorded_by)
          .Bind(r.recorded_at)
          .Run();
    }
  }

  void LoadParts(eh::Assessment& a) {
    {
      auto s = db_.Prepare(
                      "SELECT number, content, locked, created_at, created_by, completed_at, completed_by"
                      " FROM early_help_versions WHERE assessment_id = $1 ORDER BY number")
                   .Bind(a.id)
                   .Run();
      while (s.Next()) {
        a.versions.push_back({static_cast<int>(s.Int(0)), DecodeContent(s.Text(1)), s.Bool(2), s.Time(3), s.Text(4),
                              s.OptionalTime(5), s.Text(6)});
      }
    }
    {
      auto s = db_.Prepare(
                      "SELECT user_id, by_user_id, reason, at FROM early_help_lead_changes WHERE assessment_id = $1"
                      " ORDER BY seq")
                   .Bind(a.id)
                   .Run();
      while (s.Next()) a.lead_history.push_back({s.Text(0), s.Text(1), s.Text(2), s.Time(3)});
    }
    {
      auto s = db_.Prepare(
                      "SELECT id, held_on, attendees, decisions, recorded_by, recorded_at FROM early_help_meetings"
                      " WHERE assessment_id = $1 ORDER BY seq")
                   .Bind(a.id)
                   .Run();
      while (s.Next()) {
        a.meetings.push_back({s.Text(0), s.DateValue(1), DecodeIds(s.Text(2)), s.Text(3), s.Text(4), s.Time(5)});
      }
    }
    {
      auto s = db_.Prepare(
                      "SELECT id, description, owner_id, due_on, status, need_id, meeting_id, created_at, updated_at,"
                      " overdue_alerted_on FROM early_help_actions WHERE assessment_id = $1 ORDER BY seq")
                   .Bind(a.id)
                   .Run();
      while (s.Next()) {
        a.actions.push_back({s.Text(0), s.Text(1), s.Text(2), s.DateValue(3),
                             eh::ParseActionStatus(s.Text(4)).value_or(eh::ActionStatus::kNotStarted), s.Text(5),
                             s.Text(6), s.Time(7), s.Time(8), s.OptionalDate(9)});
      }
    }
    {
      auto s = db_.Prepare(
                      "SELECT id, held_on, progress, version_reviewed, summary, recorded_by, recorded_at"
                      " FROM early_help_reviews WHERE assessment_id = $1 ORDER BY seq")
                   .Bind(a.id)
                   .Run();
      while (s.Next()) {
        a.reviews.push_back({s.Text(0), s.DateValue(1), DecodeProgress(s.Text(2)), static_cast<int>(s.Int(3)),
                             s.Text(4), s.Text(5), s.Time(6)});
      }
    }
  }

  Connection& db_;
};

}  // namespace

std::unique_ptr<EarlyHelpRepository> MakeEarlyHelp(Connection& c) { return std::make_unique<PgEarlyHelp>(c); }

}  // namespace kith::storage::postgres
