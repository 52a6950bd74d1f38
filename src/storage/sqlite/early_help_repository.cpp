#include "storage/sqlite/early_help_repository.h"

#include "storage/documents.h"
#include "storage/sqlite/values.h"

namespace kith::storage::sqlite {
namespace {

namespace eh = domain::early_help;

constexpr std::string_view kAssessmentSelect =
    "SELECT id, child_id, stage, lead_user_id, opened_at, opened_by, closed_at, closed_by, outcome, closure_summary,"
    " revision FROM early_help_assessments";

class SqliteEarlyHelp final : public EarlyHelpRepository {
 public:
  explicit SqliteEarlyHelp(Connection& db) : db_(db) {}

  Status Insert(const eh::Assessment& a) override {
    auto s = db_.Prepare(
        "INSERT INTO early_help_assessments (id, child_id, stage, lead_user_id, opened_at, opened_by, closed_at,"
        " closed_by, outcome, closure_summary, revision) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)"
        " ON CONFLICT (id) DO NOTHING");
    s.Bind(1, a.id).Bind(2, a.child_id);
    BindSummary(s, a, 3);
    s.Bind(5, ToMicros(a.opened_at)).Bind(6, a.opened_by);
    s.Run();
    if (db_.Changes() == 0) return Error::Conflict("an assessment with this id already exists");
    StoreParts(a);
    return Ok{};
  }

  Status Update(const eh::Assessment& a) override {
    auto s = db_.Prepare(
        "UPDATE early_help_assessments SET stage = ?3, lead_user_id = ?4, closed_at = ?7, closed_by = ?8,"
        " outcome = ?9, closure_summary = ?10, revision = revision + 1 WHERE id = ?1 AND revision = ?2");
    s.Bind(1, a.id).Bind(2, a.revision);
    BindSummary(s, a, 3);
    s.Run();
    if (db_.Changes() == 0) {
      auto exists = db_.Prepare("SELECT 1 FROM early_help_assessments WHERE id = ?");
      exists.Bind(1, a.id);
      if (!exists.Step()) return Error::NotFound("There is no such early help assessment.");
      return Error::Conflict("The assessment has changed since you loaded it; reload and try again.");
    }
    StoreParts(a);
    return Ok{};
  }

  std::optional<eh::Assessment> Get(const std::string& id) override {
    static const std::string kSql = std::string(kAssessmentSelect) + " WHERE id = ?";
    auto s = db_.Prepare(kSql);
    s.Bind(1, id);
    if (!s.Step()) return std::nullopt;
    auto a = ReadSummary(s);
    LoadParts(a);
    return a;
  }

  std::vector<eh::Assessment> ForChild(const std::string& child_id) override {
    std::vector<eh::Assessment> out;
    {
      static const std::string kSql =
          std::string(kAssessmentSelect) + " WHERE child_id = ? ORDER BY opened_at DESC, id DESC";
      auto s = db_.Prepare(kSql);
      s.Bind(1, child_id);
      while (s.Step()) out.push_back(ReadSummary(s));
    }
    for (auto& a : out) LoadParts(a);
    return out;
  }

  std::vector<std::string> WithUnalertedOverdueActions(const Date& today) override {
    auto s = db_.Prepare(
        "SELECT DISTINCT x.assessment_id FROM early_help_actions x"
        " JOIN early_help_assessments a ON a.id = x.assessment_id"
        " WHERE x.overdue_alerted_on IS NULL AND x.status IN ('not_started', 'in_progress') AND x.due_on < ?"
        " AND a.stage != 'closed' ORDER BY x.assessment_id");
    s.Bind(1, today.ToString());
    std::vector<std::string> out;
    while (s.Step()) out.push_back(s.Text(0));
    return out;
  }

 private:
  // Binds stage, lead, closed_at, closed_by, outcome and closure_summary at `first`, first+1,
  // first+4 .. first+7 (the two positions between are the opening fields, fixed at insert).
  static void BindSummary(Statement& s, const eh::Assessment& a, int first) {
    s.Bind(first, eh::ToString(a.stage)).Bind(first + 1, a.lead_id);
    BindOptionalTime(s, first + 4, a.closed_at);
    s.Bind(first + 5, a.closed_by);
    if (a.outcome) {
      s.Bind(first + 6, eh::ToString(*a.outcome));
    } else {
      s.BindNull(first + 6);
    }
    s.Bind(first + 7, a.closure_summary);
  }

  static eh::Assessment ReadSummary(const Statement& s) {
    eh::Assessment a;
    a.id = s.Text(0);
    a.child_id = s.Text(1);
    a.stage = eh::ParseStage(s.Text(2)).value_or(eh::Stage::kDraft);
    a.lead_id = s.Text(3);
    a.opened_at = FromMicros(s.Int(4));
    a.opened_by = s.Text(5);
    a.closed_at = OptionalTime(s, 6);
    a.closed_by = s.Text(7);
    if (!s.IsNull(8)) a.outcome = eh::ParseOutcome(s.Text(8));
    a.closure_summary = s.Text(9);
    a.revision = s.Int(10);
    return a;
  }

  void StoreParts(const eh::Assessment& a) {
    for (const auto& v : a.versions) {
      auto s = db_.Prepare(
          "INSERT INTO early_help_versions (assessment_id, number, content, locked, created_at, created_by,"
          " completed_at, completed_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
          " ON CONFLICT (assessment_id, number) DO UPDATE SET content = excluded.content, locked = excluded.locked,"
          " completed_at = excluded.completed_at, completed_by = excluded.completed_by"
          " WHERE early_help_versions.locked = 0");
      s.Bind(1, a.id).Bind(2, v.number).Bind(3, EncodeContent(v.content)).Bind(4, v.locked);
      s.Bind(5, ToMicros(v.created_at)).Bind(6, v.created_by);
      BindOptionalTime(s, 7, v.completed_at);
      s.Bind(8, v.completed_by);
      s.Run();
    }
    for (size_t i = 0; i < a.lead_history.size(); ++i) {
      const auto& l = a.lead_history[i];
      auto s = db_.Prepare(
          "INSERT INTO early_help_lead_changes (assessment_id, seq, user_id, by_user_id, reason, at)"
          " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING");
      s.Bind(1, a.id).Bind(2, static_cast<int64_t>(i)).Bind(3, l.user_id).Bind(4, l.by).Bind(5, l.reason);
      s.Bind(6, ToMicros(l.at));
      s.Run();
    }
    for (size_t i = 0; i < a.meetings.size(); ++i) {
      const auto& m = a.meetings[i];
      auto s = db_.Prepare(
          "INSERT INTO early_help_meetings (id, assessment_id, seq, held_on, attendees, decisions, recorded_by,"
          " recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING");
      s.Bind(1, m.id).Bind(2, a.id).Bind(3, static_cast<int64_t>(i)).Bind(4, m.held_on.ToString());
      s.Bind(5, EncodeIds(m.attendees)).Bind(6, m.decisions).Bind(7, m.recorded_by).Bind(8, ToMicros(m.recorded_at));
      s.Run();
    }
    for (size_t i = 0; i < a.actions.size(); ++i) {
      const auto& x = a.actions[i];
      auto s = db_.Prepare(
          "INSERT INTO early_help_actions (id, assessment_id, seq, description, owner_id, due_on, status, need_id,"
          " meeting_id, created_at, updated_at, overdue_alerted_on) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
          " ON CONFLICT (id) DO UPDATE SET description = excluded.description, owner_id = excluded.owner_id,"
          " due_on = excluded.due_on, status = excluded.status, need_id = excluded.need_id,"
          " updated_at = excluded.updated_at, overdue_alerted_on = excluded.overdue_alerted_on");
      s.Bind(1, x.id).Bind(2, a.id).Bind(3, static_cast<int64_t>(i)).Bind(4, x.description).Bind(5, x.owner_id);
      s.Bind(6, x.due_on.ToString()).Bind(7, eh::ToString(x.status)).Bind(8, x.need_id).Bind(9, x.meeting_id);
      s.Bind(10, ToMicros(x.created_at)).Bind(11, ToMicros(x.updated_at));
      BindOptionalDate(s, 12, x.overdue_alerted_on);
      s.Run();
    }
    for (size_t i = 0; i < a.reviews.size(); ++i) {
      const auto& r = a.reviews[i];
      auto s = db_.Prepare(
          "INSERT INTO early_help_reviews (id, assessment_id, seq, held_on, progress, version_reviewed, summary,"
          " recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING");
      s.Bind(1, r.id).Bind(2, a.id).Bind(3, static_cast<int64_t>(i)).Bind(4, r.held_on.ToString());
      s.Bind(5, EncodeProgress(r.progress)).Bind(6, r.version_reviewed).Bind(7, r.summary).Bind(8, r.recorded_by);
      s.Bind(9, ToMicros(r.recorded_at));
      s.Run();
    }
  }

  void LoadParts(eh::Assessment& a) {
    {
      auto s = db_.Prepare(
          "SELECT number, content, locked, created_at, created_by, completed_at, completed_by"
          " FROM early_help_versions WHERE assessment_id = ? ORDER BY number");
      s.Bind(1, a.id);
      while (s.Step()) {
        a.versions.push_back({static_cast<int>(s.Int(0)), DecodeContent(s.Text(1)), s.Bool(2), FromMicros(s.Int(3)),
                              s.Text(4), OptionalTime(s, 5), s.Text(6)});
      }
    }
    {
      auto s = db_.Prepare(
          "SELECT user_id, by_user_id, reason, at FROM early_help_lead_changes WHERE assessment_id = ? ORDER BY seq");
      s.Bind(1, a.id);
      while (s.Step()) a.lead_history.push_back({s.Text(0), s.Text(1), s.Text(2), FromMicros(s.Int(3))});
    }
    {
      auto s = db_.Prepare(
          "SELECT id, held_on, attendees, decisions, recorded_by, recorded_at FROM early_help_meetings"
          " WHERE assessment_id = ? ORDER BY seq");
      s.Bind(1, a.id);
      while (s.Step()) {
        a.meetings.push_back({s.Text(0), Date::Parse(s.Text(1)).value_or(Date{}), DecodeIds(s.Text(2)), s.Text(3),
                              s.Text(4), FromMicros(s.Int(5))});
      }
    }
    {
      auto s = db_.Prepare(
          "SELECT id, description, owner_id, due_on, status, need_id, meeting_id, created_at, updated_at,"
          " overdue_alerted_on FROM early_help_actions WHERE assessment_id = ? ORDER BY seq");
      s.Bind(1, a.id);
      while (s.Step()) {
        a.actions.push_back({s.Text(0), s.Text(1), s.Text(2), Date::Parse(s.Text(3)).value_or(Date{}),
                             eh::ParseActionStatus(s.Text(4)).value_or(eh::ActionStatus::kNotStarted), s.Text(5),
                             s.Text(6), FromMicros(s.Int(7)), FromMicros(s.Int(8)), OptionalDate(s, 9)});
      }
    }
    {
      auto s = db_.Prepare(
          "SELECT id, held_on, progress, version_reviewed, summary, recorded_by, recorded_at FROM early_help_reviews"
          " WHERE assessment_id = ? ORDER BY seq");
      s.Bind(1, a.id);
      while (s.Step()) {
        a.reviews.push_back({s.Text(0), Date::Parse(s.Text(1)).value_or(Date{}), DecodeProgress(s.Text(2)),
                             static_cast<int>(s.Int(3)), s.Text(4), s.Text(5), FromMicros(s.Int(6))});
      }
    }
  }

  Connection& db_;
};

}  // namespace

std::unique_ptr<EarlyHelpRepository> MakeEarlyHelpRepository(Connection& connection) {
  return std::make_unique<SqliteEarlyHelp>(connection);
}

}  // namespace kith::storage::sqlite
