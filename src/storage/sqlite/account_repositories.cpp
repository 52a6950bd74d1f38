#include "storage/sqlite/account_repositories.h"

#include <sqlite3.h>

#include "storage/sqlite/values.h"

namespace kith::storage::sqlite {

// Checked by the extended result code rather than the message text, which SQLite may word
// differently.
Status InsertOrConflict(Connection& db, Statement& stmt, const std::string& what) {
  try {
    stmt.Run();
  } catch (const StorageError&) {
    const int code = sqlite3_extended_errcode(db.raw());
    if (code == SQLITE_CONSTRAINT_UNIQUE || code == SQLITE_CONSTRAINT_PRIMARYKEY) {
      return Error::Conflict(what + " already exists");
    }
    throw;
  }
  return Ok{};
}

namespace {

using domain::ChronologyEntry;

void BindOptionalText(Statement& s, int pos, const std::string& text) {
  if (text.empty()) {
    s.BindNull(pos);
  } else {
    s.Bind(pos, text);
  }
}

std::optional<domain::TimeOfDay> TimeOfDayFromSeconds(std::optional<int64_t> seconds) {
  if (!seconds) return std::nullopt;
  const int v = static_cast<int>(*seconds);
  return domain::TimeOfDay{v / 3600, (v / 60) % 60, v % 60};
}

// --- Chronology -------------------------------------------------------------------------------

constexpr std::string_view kEntryColumns =
    "e.id, e.child_id, e.lineage_id, e.version, e.supersedes_id, e.occurred_on, e.occurred_time, e.agency_id,"
    " e.agency_kind, e.author_id, e.type, e.significance, e.summary, e.detail, e.recorded_at,"
    " e.correction_reason, e.source_thread_id";

constexpr std::string_view kNotSuperseded =
    " NOT EXISTS (SELECT 1 FROM chronology_entries s WHERE s.supersedes_id = e.id)";

// Newest first; a date-only entry sorts before timed ones of its day in chronological order,
// so after them here.
constexpr std::string_view kNewestFirst =
    " ORDER BY e.occurred_on DESC, coalesce(e.occurred_time, -1) DESC, e.recorded_at DESC, e.id DESC";

StoredEntry ReadEntry(const Statement& s) {
  StoredEntry out;
  ChronologyEntry& e = out.entry;
  e.id = s.Text(0);
  e.child_id = s.Text(1);
  e.lineage_id = s.Text(2);
  e.version = static_cast<int>(s.Int(3));
  e.supersedes_id = s.Text(4);
  e.occurred_on = Date::Parse(s.Text(5)).value_or(Date{});
  e.occurred_time = TimeOfDayFromSeconds(s.OptionalInt(6));
  e.agency_id = s.Text(7);
  e.agency_kind = domain::ParseAgencyKind(s.Text(8)).value_or(domain::AgencyKind::kVoluntarySector);
  e.author_id = s.Text(9);
  e.type = domain::ParseEntryType(s.Text(10)).value_or(domain::EntryType::kOther);
  e.significance = domain::ParseSignificance(s.Text(11)).value_or(domain::Significance::kRoutine);
  e.summary = s.Text(12);
  e.detail = s.Text(13);
  e.recorded_at = FromMicros(s.Int(14));
  e.correction_reason = s.Text(15);
  out.source_thread_id = s.Text(16);
  return out;
}

class SqliteChronology final : public ChronologyRepository {
 public:
  explicit SqliteChronology(Connection& db) : db_(db) {}

  Status Insert(const StoredEntry& entry) override { return Write(entry); }

  Status InsertCorrection(const StoredEntry& entry) override {
    if (entry.entry.supersedes_id.empty())
      return Error::Invalid("supersedes_id", "a correction names what it corrects");
    if (!Get(entry.entry.supersedes_id)) return Error::NotFound("no such chronology entry");
    if (IsSuperseded(entry.entry.supersedes_id)) {
      return Error::Conflict("the entry has already been corrected; reload and correct the latest version");
    }
    return Write(entry);
  }

  std::optional<StoredEntry> Get(const std::string& id) override {
    auto s = db_.Prepare("SELECT " + std::string(kEntryColumns) + " FROM chronology_entries e WHERE e.id=?");
    s.Bind(1, id);
    if (!s.Step()) return std::nullopt;
    return ReadEntry(s);
  }

  bool IsSuperseded(const std::string& id) override {
    auto s = db_.Prepare("SELECT 1 FROM chronology_entries WHERE supersedes_id=?");
    s.Bind(1, id);
    return s.Step();
  }

  std::vector<StoredEntry> Current(const std::string& child_id, int limit) override {
    auto s = db_.Prepare("SELECT " + std::string(kEntryColumns) + " FROM chronology_entries e WHERE e.child_id=? AND" +
                         std::string(kNotSuperseded) + std::string(kNewestFirst) + " LIMIT ?");
    s.Bind(1, child_id).Bind(2, limit > 0 ? limit : -1);
    std::vector<StoredEntry> out;
    while (s.Step()) out.push_back(ReadEntry(s));
    return out;
  }

  std::vector<StoredEntry> Versions(const std::string& lineage_id) override {
    auto s = db_.Prepare("SELECT " + std::string(kEntryColumns) +
                         " FROM chronology_entries e WHERE e.lineage_id=? ORDER BY e.version, e.recorded_at");
    s.Bind(1, lineage_id);
    std::vector<StoredEntry> out;
    while (s.Step()) out.push_back(ReadEntry(s));
    return out;
  }

  std::vector<ContactRow> Contacts(const std::string& child_id) override {
    auto s = db_.Prepare(
        "SELECT e.agency_id, e.occurred_on, e.occurred_time FROM chronology_entries e"
        " WHERE e.child_id=? AND" +
        std::string(kNotSuperseded));
    s.Bind(1, child_id);
    std::vector<ContactRow> out;
    while (s.Step()) {
      out.push_back({s.Text(0), Date::Parse(s.Text(1)).value_or(Date{}), TimeOfDayFromSeconds(s.OptionalInt(2))});
    }
    return out;
  }

  std::optional<Date> LastContactOn(const std::string& child_id, const Date& on) override {
    // Walks the newest-first index and stops at the first current version.
    auto s = db_.Prepare(
        "SELECT e.occurred_on FROM chronology_entries e WHERE e.child_id=? AND e.occurred_on<=?"
        " AND" +
        std::string(kNotSuperseded) + std::string(kNewestFirst) + " LIMIT 1");
    s.Bind(1, child_id).Bind(2, on.ToString());
    if (!s.Step()) return std::nullopt;
    return Date::Parse(s.Text(0));
  }

  std::vector<std::string> ChildrenWithEntries() override {
    auto s = db_.Prepare("SELECT DISTINCT child_id FROM chronology_entries ORDER BY child_id");
    std::vector<std::string> out;
    while (s.Step()) out.push_back(s.Text(0));
    return out;
  }

 private:
  Status Write(const StoredEntry& stored) {
    const ChronologyEntry& e = stored.entry;
    auto s = db_.Prepare(
        "INSERT INTO chronology_entries(id, child_id, lineage_id, version, supersedes_id, occurred_on, occurred_time,"
        " agency_id, agency_kind, author_id, type, significance, summary, detail, recorded_at, correction_reason,"
        " source_thread_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    s.Bind(1, e.id).Bind(2, e.child_id).Bind(3, e.lineage_id.empty() ? e.id : e.lineage_id).Bind(4, e.version);
    BindOptionalText(s, 5, e.supersedes_id);
    s.Bind(6, e.occurred_on.ToString());
    if (e.occurred_time) {
      s.Bind(7, static_cast<int64_t>(e.occurred_time->SecondsSinceMidnight()));
    } else {
      s.BindNull(7);
    }
    s.Bind(8, e.agency_id).Bind(9, domain::ToString(e.agency_kind)).Bind(10, e.author_id);
    s.Bind(11, domain::ToString(e.type)).Bind(12, domain::ToString(e.significance)).Bind(13, e.summary);
    s.Bind(14, e.detail).Bind(15, ToMicros(e.recorded_at)).Bind(16, e.correction_reason);
    s.Bind(17, stored.source_thread_id);
    // A second correction of the same version collides on UNIQUE(supersedes_id): kConflict.
    return InsertOrConflict(db_, s, "a correction of this version or the entry");
  }

  Connection& db_;
};

// --- Forum ------------------------------------------------------------------------------------

class SqliteForum final : public ForumRepository {
 public:
  explicit SqliteForum(Connection& db) : db_(db) {}

  Status InsertThread(const ForumThread& t) override {
    auto s = db_.Prepare(
        "INSERT INTO forum_threads(id, child_id, category, title, author_id, created_at, promoted_entry_id)"
        " VALUES (?,?,?,?,?,?,?)");
    s.Bind(1, t.id).Bind(2, t.child_id).Bind(3, t.category).Bind(4, t.title).Bind(5, t.author_id);
    s.Bind(6, ToMicros(t.created_at));
    BindOptionalText(s, 7, t.promoted_entry_id);
    return InsertOrConflict(db_, s, "forum thread " + t.id);
  }

  std::optional<ForumThread> GetThread(const std::string& id) override {
    static const std::string kSql = std::string(kThreadSelect) + " WHERE t.id=?";
    auto s = db_.Prepare(kSql);
    s.Bind(1, id);
    if (!s.Step()) return std::nullopt;
    return ReadThread(s);
  }

  std::vector<ForumThread> Threads(const std::string& child_id) override {
    auto s = db_.Prepare(std::string(kThreadSelect) +
                         " WHERE t.child_id=? ORDER BY coalesce(last_post_at, t.created_at) DESC, t.id DESC");
    s.Bind(1, child_id);
    std::vector<ForumThread> out;
    while (s.Step()) out.push_back(ReadThread(s));
    return out;
  }

  Status SetPromoted(const std::string& thread_id, const std::string& entry_id) override {
    auto s = db_.Prepare("UPDATE forum_threads SET promoted_entry_id=? WHERE id=? AND promoted_entry_id IS NULL");
    s.Bind(1, entry_id).Bind(2, thread_id).Run();
    if (db_.Changes() == 1) return Ok{};
    return GetThread(thread_id) ? Error::Conflict("this thread has already been promoted to the chronology")
                                : Error::NotFound("no such thread");
  }

  Status InsertPost(const ForumPost& p) override {
    auto s = db_.Prepare(
        "INSERT INTO forum_posts(id, thread_id, child_id, author_id, body, created_at, edited_at, version, reply_to)"
        " VALUES (?,?,?,?,?,?,NULL,1,?)");
    s.Bind(1, p.id).Bind(2, p.thread_id).Bind(3, p.child_id).Bind(4, p.author_id).Bind(5, p.body);
    s.Bind(6, ToMicros(p.created_at));
    BindOptionalText(s, 7, p.reply_to);
    if (auto st = InsertOrConflict(db_, s, "forum post " + p.id); !st) return st;
    WriteMentions(p.id, p.mentions);
    return Ok{};
  }

  std::optional<ForumPost> GetPost(const std::string& id) override {
    static const std::string kSql = std::string(kPostSelect) + " WHERE id=?";
    auto s = db_.Prepare(kSql);
    s.Bind(1, id);
    if (!s.Step()) return std::nullopt;
    ForumPost p = ReadPost(s);
    p.mentions = Mentions(p.id);
    return p;
  }

  std::vector<ForumPost> Posts(const std::string& thread_id) override {
    static const std::string kSql = std::string(kPostSelect) + " WHERE thread_id=? ORDER BY created_at, id";
    auto s = db_.Prepare(kSql);
    s.Bind(1, thread_id);
    std::vector<ForumPost> out;
    while (s.Step()) out.push_back(ReadPost(s));
    for (auto& p : out) p.mentions = Mentions(p.id);
    return out;
  }

  Status EditPost(const std::string& post_id, int expected_version, const std::string& body,
                  const std::vector<std::string>& mentions, TimePoint at) override {
    auto current = GetPost(post_id);
    if (!current) return Error::NotFound("no such post");
    if (current->version != expected_version) {
      return Error::Conflict("the post was edited meanwhile; reload and try again");
    }
    auto keep = db_.Prepare("INSERT INTO forum_post_versions(post_id, version, body, at) VALUES (?,?,?,?)");
    keep.Bind(1, post_id).Bind(2, current->version).Bind(3, current->body);
    keep.Bind(4, ToMicros(current->edited_at.value_or(current->created_at))).Run();
    auto s = db_.Prepare("UPDATE forum_posts SET body=?, edited_at=?, version=version+1 WHERE id=? AND version=?");
    s.Bind(1, body).Bind(2, ToMicros(at)).Bind(3, post_id).Bind(4, expected_version).Run();
    auto clear = db_.Prepare("DELETE FROM forum_mentions WHERE post_id=?");
    clear.Bind(1, post_id).Run();
    WriteMentions(post_id, mentions);
    return Ok{};
  }

  std::vector<PostVersion> History(const std::string& post_id) override {
    std::vector<PostVersion> out;
    auto s = db_.Prepare("SELECT version, body, at FROM forum_post_versions WHERE post_id=? ORDER BY version");
    s.Bind(1, post_id);
    while (s.Step()) out.push_back({static_cast<int>(s.Int(0)), s.Text(1), FromMicros(s.Int(2))});
    if (auto p = GetPost(post_id)) out.push_back({p->version, p->body, p->edited_at.value_or(p->created_at)});
    return out;
  }

  std::vector<std::pair<std::string, std::string>> PostTexts(const std::string& child_id) override {
    auto s = db_.Prepare("SELECT id, body FROM forum_posts WHERE child_id=? ORDER BY id");
    s.Bind(1, child_id);
    std::vector<std::pair<std::string, std::string>> out;
    while (s.Step()) out.emplace_back(s.Text(0), s.Text(1));
    return out;
  }

  std::vector<std::string> ChildrenWithPosts() override {
    auto s = db_.Prepare("SELECT DISTINCT child_id FROM forum_posts ORDER BY child_id");
    std::vector<std::string> out;
    while (s.Step()) out.push_back(s.Text(0));
    return out;
  }

 private:
  static constexpr std::string_view kThreadSelect =
      "SELECT t.id, t.child_id, t.category, t.title, t.author_id, t.created_at, t.promoted_entry_id,"
      " (SELECT count(*) FROM forum_posts p WHERE p.thread_id=t.id) AS post_count,"
      " (SELECT max(p.created_at) FROM forum_posts p WHERE p.thread_id=t.id) AS last_post_at"
      " FROM forum_threads t";
  static constexpr std::string_view kPostSelect =
      "SELECT id, thread_id, child_id, author_id, body, created_at, edited_at, version, reply_to FROM forum_posts";

  static ForumThread ReadThread(const Statement& s) {
    ForumThread t;
    t.id = s.Text(0);
    t.child_id = s.Text(1);
    t.category = s.Text(2);
    t.title = s.Text(3);
    t.author_id = s.Text(4);
    t.created_at = FromMicros(s.Int(5));
    t.promoted_entry_id = s.Text(6);
    t.post_count = static_cast<int>(s.Int(7));
    t.last_post_at = OptionalTime(s, 8);
    return t;
  }

  static ForumPost ReadPost(const Statement& s) {
    ForumPost p;
    p.id = s.Text(0);
    p.thread_id = s.Text(1);
    p.child_id = s.Text(2);
    p.author_id = s.Text(3);
    p.body = s.Text(4);
    p.created_at = FromMicros(s.Int(5));
    p.edited_at = OptionalTime(s, 6);
    p.version = static_cast<int>(s.Int(7));
    p.reply_to = s.Text(8);
    return p;
  }

  std::vector<std::string> Mentions(const std::string& post_id) {
    auto s = db_.Prepare("SELECT user_id FROM forum_mentions WHERE post_id=? ORDER BY position");
    s.Bind(1, post_id);
    std::vector<std::string> out;
    while (s.Step()) out.push_back(s.Text(0));
    return out;
  }

  void WriteMentions(const std::string& post_id, const std::vector<std::string>& mentions) {
    for (size_t i = 0; i < mentions.size(); ++i) {
      auto s = db_.Prepare("INSERT INTO forum_mentions(post_id, position, user_id) VALUES (?,?,?)");
      s.Bind(1, post_id).Bind(2, static_cast<int64_t>(i)).Bind(3, mentions[i]).Run();
    }
  }

  Connection& db_;
};

// --- Wheel ------------------------------------------------------------------------------------

class SqliteWheel final : public WheelRepository {
 public:
  explicit SqliteWheel(Connection& db) : db_(db) {}

  Status Insert(const StoredPerson& p) override {
    auto s = db_.Prepare(
        "INSERT INTO wheel_people(id, child_id, name, relationship, lives_with_child, since, date_of_birth, adult,"
        " verified, verified_by_agency_id, notes, created_by, created_at, updated_at, version)"
        " VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,1)");
    Bind(s, p);
    return InsertOrConflict(db_, s, "person " + p.id);
  }

  Status Update(const StoredPerson& p) override {
    auto s = db_.Prepare(
        "UPDATE wheel_people SET child_id=?2, name=?3, relationship=?4, lives_with_child=?5, since=?6,"
        " date_of_birth=?7, adult=?8, verified=?9, verified_by_agency_id=?10, notes=?11, created_by=?12,"
        " created_at=?13, updated_at=?14, version=version+1 WHERE id=?1 AND version=?15");
    Bind(s, p);
    s.Bind(15, p.version).Run();
    if (db_.Changes() == 1) return Ok{};
    return Get(p.id) ? Error::Conflict("the person was changed by someone else; reload and try again")
                     : Error::NotFound("no such person");
  }

  std::optional<StoredPerson> Get(const std::string& id) override {
    static const std::string kSql = std::string(kSelect) + " WHERE id=?";
    auto s = db_.Prepare(kSql);
    s.Bind(1, id);
    if (!s.Step()) return std::nullopt;
    return Read(s);
  }

  std::vector<StoredPerson> ForChild(const std::string& child_id) override {
    static const std::string kSql = std::string(kSelect) + " WHERE child_id=? ORDER BY created_at, id";
    auto s = db_.Prepare(kSql);
    s.Bind(1, child_id);
    std::vector<StoredPerson> out;
    while (s.Step()) out.push_back(Read(s));
    return out;
  }

 private:
  static constexpr std::string_view kSelect =
      "SELECT id, child_id, name, relationship, lives_with_child, since, date_of_birth, adult, verified,"
      " verified_by_agency_id, notes, created_by, created_at, updated_at, version FROM wheel_people";

  static void Bind(Statement& s, const StoredPerson& p) {
    s.Bind(1, p.id).Bind(2, p.child_id).Bind(3, p.name).Bind(4, domain::ToString(p.relationship));
    s.Bind(5, p.lives_with_child);
    BindOptionalDate(s, 6, p.since);
    BindOptionalDate(s, 7, p.date_of_birth);
    if (p.adult) {
      s.Bind(8, *p.adult);
    } else {
      s.BindNull(8);
    }
    s.Bind(9, p.verified);
    BindOptionalText(s, 10, p.verified_by_agency_id);
    s.Bind(11, p.notes).Bind(12, p.created_by).Bind(13, ToMicros(p.created_at)).Bind(14, ToMicros(p.updated_at));
  }

  static StoredPerson Read(const Statement& s) {
    StoredPerson p;
    p.id = s.Text(0);
    p.child_id = s.Text(1);
    p.name = s.Text(2);
    p.relationship = domain::ParseRelationshipType(s.Text(3)).value_or(domain::RelationshipType::kUnknown);
    p.lives_with_child = s.Bool(4);
    p.since = OptionalDate(s, 5);
    p.date_of_birth = OptionalDate(s, 6);
    if (!s.IsNull(7)) p.adult = s.Bool(7);
    p.verified = s.Bool(8);
    p.verified_by_agency_id = s.Text(9);
    p.notes = s.Text(10);
    p.created_by = s.Text(11);
    p.created_at = FromMicros(s.Int(12));
    p.updated_at = FromMicros(s.Int(13));
    p.version = s.Int(14);
    return p;
  }

  Connection& db_;
};

// --- Word statistics --------------------------------------------------------------------------

// The document count lives in the row whose term is '' (no real term is empty).
class SqliteWordStats final : public WordStatsRepository {
 public:
  explicit SqliteWordStats(Connection& db) : db_(db) {}

  void Apply(const std::vector<std::string>& appeared, const std::vector<std::string>& disappeared,
             int documents) override {
    for (const auto& term : appeared) Add(term, 1);
    for (const auto& term : disappeared) Add(term, -1);
    if (documents != 0) Add("", documents);
  }

  int64_t Documents() override {
    auto s = db_.Prepare("SELECT df FROM word_document_frequency WHERE term=''");
    return s.Step() ? s.Int(0) : 0;
  }

  void ForEach(const std::function<void(const std::string&, int64_t)>& fn) override {
    auto s = db_.Prepare("SELECT term, df FROM word_document_frequency WHERE term<>'' ORDER BY term");
    while (s.Step()) fn(s.Text(0), s.Int(1));
  }

  void Clear() override { db_.Exec("DELETE FROM word_document_frequency"); }

  int64_t ChildVersion(const std::string& child_id) override {
    auto s = db_.Prepare("SELECT version FROM word_child_versions WHERE child_id=?");
    s.Bind(1, child_id);
    return s.Step() ? s.Int(0) : 0;
  }

  int64_t TouchChild(const std::string& child_id) override {
    auto s = db_.Prepare(
        "INSERT INTO word_child_versions(child_id, version) VALUES (?1, 1)"
        " ON CONFLICT(child_id) DO UPDATE SET version = version + 1 RETURNING version");
    s.Bind(1, child_id);
    s.Step();
    return s.Int(0);
  }

 private:
  void Add(const std::string& term, int64_t by) {
    auto s = db_.Prepare(
        "INSERT INTO word_document_frequency(term, df) VALUES (?1, ?2)"
        " ON CONFLICT(term) DO UPDATE SET df = df + ?2");
    s.Bind(1, term).Bind(2, by).Run();
    if (by < 0) {
      auto d = db_.Prepare("DELETE FROM word_document_frequency WHERE term=? AND df<=0");
      d.Bind(1, term).Run();
    }
  }

  Connection& db_;
};

// --- Feed and alerts --------------------------------------------------------------------------

class SqliteFeed final : public FeedRepository {
 public:
  explicit SqliteFeed(Connection& db) : db_(db) {}

  void Append(const FeedItem& f) override {
    auto s = db_.Prepare(
        "INSERT INTO feed_items(id, at, child_id, kind, summary, actor_id, significance, subject_id, recipient_id)"
        " VALUES (?,?,?,?,?,?,?,?,?)");
    s.Bind(1, f.id).Bind(2, ToMicros(f.at)).Bind(3, f.child_id).Bind(4, f.kind).Bind(5, f.summary);
    s.Bind(6, f.actor_id).Bind(7, f.significance).Bind(8, f.subject_id).Bind(9, f.recipient_id).Run();
  }

  std::vector<FeedItem> ForUser(const std::string& user_id, int limit) override {
    auto s = db_.Prepare(
        "SELECT id, at, child_id, kind, summary, actor_id, significance, subject_id, recipient_id, role FROM ("
        " SELECT f.id, f.at, f.child_id, f.kind, f.summary, f.actor_id, f.significance, f.subject_id,"
        "  f.recipient_id, '' AS role FROM feed_items f"
        "  WHERE f.child_id IN (SELECT child_id FROM team_members WHERE user_id=?1)"
        "  AND (f.recipient_id='' OR f.recipient_id=?1)"
        " UNION ALL"
        " SELECT 'team-' || e.id, e.at, e.child_id, 'team_change', e.kind, e.by_user_id, '', e.user_id, '', e.role"
        "  FROM team_events e WHERE e.child_id IN (SELECT child_id FROM team_members WHERE user_id=?1)"
        ") ORDER BY at DESC, id DESC LIMIT ?2");
    s.Bind(1, user_id).Bind(2, limit);
    std::vector<FeedItem> out;
    while (s.Step()) {
      out.push_back({s.Text(0), FromMicros(s.Int(1)), s.Text(2), s.Text(3), s.Text(4), s.Text(5), s.Text(6), s.Text(7),
                     s.Text(8), s.Text(9)});
    }
    return out;
  }

  void InsertAlert(const Alert& a) override {
    auto s = db_.Prepare(
        "INSERT INTO alerts(id, user_id, child_id, at, kind, summary, subject_id, read_at) VALUES (?,?,?,?,?,?,?,?)");
    s.Bind(1, a.id).Bind(2, a.user_id).Bind(4, ToMicros(a.at)).Bind(5, a.kind);
    if (a.child_id.empty()) {
      s.BindNull(3);  // an alert about no child (a change to the user's account)
    } else {
      s.Bind(3, a.child_id);
    }
    s.Bind(6, a.summary).Bind(7, a.subject_id);
    if (a.read_at) {
      s.Bind(8, ToMicros(*a.read_at));
    } else {
      s.BindNull(8);
    }
    s.Run();
  }

  std::vector<Alert> Alerts(const std::string& user_id, int limit) override {
    auto s = db_.Prepare(
        "SELECT id, user_id, child_id, at, kind, summary, subject_id, read_at FROM alerts WHERE user_id=?"
        " ORDER BY at DESC, id DESC LIMIT ?");
    s.Bind(1, user_id).Bind(2, limit);
    std::vector<Alert> out;
    while (s.Step()) {
      out.push_back(
          {s.Text(0), s.Text(1), s.Text(2), FromMicros(s.Int(3)), s.Text(4), s.Text(5), s.Text(6), OptionalTime(s, 7)});
    }
    return out;
  }

  Status MarkRead(const std::string& alert_id, const std::string& user_id, TimePoint at) override {
    auto s = db_.Prepare("UPDATE alerts SET read_at=coalesce(read_at, ?) WHERE id=? AND user_id=?");
    s.Bind(1, ToMicros(at)).Bind(2, alert_id).Bind(3, user_id).Run();
    if (db_.Changes() == 0) return Error::NotFound("no such alert");
    return Ok{};
  }

 private:
  Connection& db_;
};

class Account final : public AccountRepositories {
 public:
  explicit Account(Connection& db) : chronology_(db), forum_(db), wheel_(db), words_(db), feed_(db) {}
  ChronologyRepository& Chronology() override { return chronology_; }
  ForumRepository& Forum() override { return forum_; }
  WheelRepository& Wheel() override { return wheel_; }
  WordStatsRepository& WordStats() override { return words_; }
  FeedRepository& Feed() override { return feed_; }

 private:
  SqliteChronology chronology_;
  SqliteForum forum_;
  SqliteWheel wheel_;
  SqliteWordStats words_;
  SqliteFeed feed_;
};

}  // namespace

std::unique_ptr<AccountRepositories> MakeAccountRepositories(Connection& connection) {
  return std::make_unique<Account>(connection);
}

}  // namespace kith::storage::sqlite
