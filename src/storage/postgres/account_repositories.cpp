// The child's account on PostgreSQL: chronology, forum, wheel, word statistics, feed and alerts.
#include "storage/postgres/repositories.h"

namespace kith::storage::postgres {
namespace {

using domain::ChronologyEntry;

std::optional<domain::TimeOfDay> TimeOfDayOf(std::optional<int64_t> seconds) {
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

// Newest first; a date-only entry sorts before timed ones of its day in chronological order, so
// after them here (the chronology_newest_first index).
constexpr std::string_view kNewestFirst =
    " ORDER BY e.occurred_on DESC, e.occurred_time DESC NULLS LAST, e.recorded_at DESC, e.id DESC";

StoredEntry ReadEntry(const Rows& s) {
  StoredEntry out;
  ChronologyEntry& e = out.entry;
  e.id = s.Text(0);
  e.child_id = s.Text(1);
  e.lineage_id = s.Text(2);
  e.version = static_cast<int>(s.Int(3));
  e.supersedes_id = s.Text(4);
  e.occurred_on = s.DateValue(5);
  e.occurred_time = TimeOfDayOf(s.OptionalSecondsOfDay(6));
  e.agency_id = s.Text(7);
  e.agency_kind = domain::ParseAgencyKind(s.Text(8)).value_or(domain::AgencyKind::kVoluntarySector);
  e.author_id = s.Text(9);
  e.type = domain::ParseEntryType(s.Text(10)).value_or(domain::EntryType::kOther);
  e.significance = domain::ParseSignificance(s.Text(11)).value_or(domain::Significance::kRoutine);
  e.summary = s.Text(12);
  e.detail = s.Text(13);
  e.recorded_at = s.Time(14);
  e.correction_reason = s.Text(15);
  out.source_thread_id = s.Text(16);
  return out;
}

class PgChronology final : public ChronologyRepository {
 public:
  explicit PgChronology(Connection& db) : db_(db) {}

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
    static const std::string kSql = "SELECT " + std::string(kEntryColumns) + " FROM chronology_entries e WHERE e.id=$1";
    auto s = db_.Prepare(kSql).Bind(id).Run();
    if (!s.Next()) return std::nullopt;
    return ReadEntry(s);
  }

  bool IsSuperseded(const std::string& id) override {
    return db_.Prepare("SELECT 1 FROM chronology_entries WHERE supersedes_id=$1").Bind(id).Run().Next();
  }

  std::vector<StoredEntry> Current(const std::string& child_id, int limit) override {
    static const std::string kSql = "SELECT " + std::string(kEntryColumns) +
                                    " FROM chronology_entries e WHERE e.child_id=$1 AND" + std::string(kNotSuperseded) +
                                    std::string(kNewestFirst) + " LIMIT $2";
    auto s = db_.Prepare(kSql).Bind(child_id).Bind(limit > 0 ? static_cast<int64_t>(limit) : INT64_MAX).Run();
    std::vector<StoredEntry> out;
    while (s.Next()) out.push_back(ReadEntry(s));
    return out;
  }

  std::vector<StoredEntry> Versions(const std::string& lineage_id) override {
    static const std::string kSql =
        "SELECT " + std::string(kEntryColumns) +
        " FROM chronology_entries e WHERE e.lineage_id=$1 ORDER BY e.version, e.recorded_at";
    auto s = db_.Prepare(kSql).Bind(lineage_id).Run();
    std::vector<StoredEntry> out;
    while (s.Next()) out.push_back(ReadEntry(s));
    return out;
  }

  std::vector<ContactRow> Contacts(const std::string& child_id) override {
    static const std::string kSql =
        "SELECT e.agency_id, e.occurred_on, e.occurred_time FROM chronology_entries e WHERE e.child_id=$1 AND" +
        std::string(kNotSuperseded);
    auto s = db_.Prepare(kSql).Bind(child_id).Run();
    std::vector<ContactRow> out;
    while (s.Next()) out.push_back({s.Text(0), s.DateValue(1), TimeOfDayOf(s.OptionalSecondsOfDay(2))});
    return out;
  }

  std::optional<Date> LastContactOn(const std::string& child_id, const Date& on) override {
    static const std::string kSql =
        "SELECT e.occurred_on FROM chronology_entries e WHERE e.child_id=$1 AND e.occurred_on<=$2 AND" +
        std::string(kNotSuperseded) + std::string(kNewestFirst) + " LIMIT 1";
    auto s = db_.Prepare(kSql).Bind(child_id).Bind(on).Run();
    if (!s.Next()) return std::nullopt;
    return s.OptionalDate(0);
  }

  std::vector<std::string> ChildrenWithEntries() override {
    auto s = db_.Prepare("SELECT DISTINCT child_id FROM chronology_entries ORDER BY child_id").Run();
    std::vector<std::string> out;
    while (s.Next()) out.push_back(s.Text(0));
    return out;
  }

 private:
  Status Write(const StoredEntry& stored) {
    const ChronologyEntry& e = stored.entry;
    auto s = db_.Prepare(
        "INSERT INTO chronology_entries(id, child_id, lineage_id, version, supersedes_id, occurred_on, occurred_time,"
        " agency_id, agency_kind, author_id, type, significance, summary, detail, recorded_at, correction_reason,"
        " source_thread_id) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17)"
        " ON CONFLICT DO NOTHING");
    s.Bind(e.id).Bind(e.child_id).Bind(e.lineage_id.empty() ? e.id : e.lineage_id).Bind(e.version);
    s.BindTextOrNull(e.supersedes_id).Bind(e.occurred_on);
    if (e.occurred_time) {
      s.BindSecondsOfDay(e.occurred_time->SecondsSinceMidnight());
    } else {
      s.BindNull();
    }
    s.Bind(e.agency_id).Bind(domain::ToString(e.agency_kind)).Bind(e.author_id);
    s.Bind(domain::ToString(e.type)).Bind(domain::ToString(e.significance)).Bind(e.summary);
    s.Bind(e.detail).Bind(e.recorded_at).Bind(e.correction_reason).Bind(stored.source_thread_id);
    // A second correction of the same version collides on UNIQUE(supersedes_id): kConflict.
    return InsertOrConflict(s, "a correction of this version or the entry");
  }

  Connection& db_;
};

// --- Forum ------------------------------------------------------------------------------------

class PgForum final : public ForumRepository {
 public:
  explicit PgForum(Connection& db) : db_(db) {}

  Status InsertThread(const ForumThread& t) override {
    auto s = db_.Prepare(
        "INSERT INTO forum_threads(id, child_id, category, title, author_id, created_at, promoted_entry_id)"
        " VALUES ($1,$2,$3,$4,$5,$6,$7) ON CONFLICT DO NOTHING");
    s.Bind(t.id).Bind(t.child_id).Bind(t.category).Bind(t.title).Bind(t.author_id).Bind(t.created_at);
    s.BindTextOrNull(t.promoted_entry_id);
    return InsertOrConflict(s, "forum thread " + t.id);
  }

  std::optional<ForumThread> GetThread(const std::string& id) override {
    static const std::string kSql = std::string(kThreadSelect) + " WHERE t.id=$1";
    auto s = db_.Prepare(kSql).Bind(id).Run();
    if (!s.Next()) return std::nullopt;
    return ReadThread(s);
  }

  std::vector<ForumThread> Threads(const std::string& child_id) override {
    static const std::string kSql = "SELECT * FROM (" + std::string(kThreadSelect) +
                                    " WHERE t.child_id=$1) threads"
                                    " ORDER BY coalesce(last_post_at, created_at) DESC, id DESC";
    auto s = db_.Prepare(kSql).Bind(child_id).Run();
    std::vector<ForumThread> out;
    while (s.Next()) out.push_back(ReadThread(s));
    return out;
  }

  Status SetPromoted(const std::string& thread_id, const std::string& entry_id) override {
    auto s = db_.Prepare("UPDATE forum_threads SET promoted_entry_id=$1 WHERE id=$2 AND promoted_entry_id IS NULL")
                 .Bind(entry_id)
                 .Bind(thread_id)
                 .Run();
    if (s.affected() == 1) return Ok{};
    return GetThread(thread_id) ? Error::Conflict("this thread has already been promoted to the chronology")
                                : Error::NotFound("no such thread");
  }

  Status InsertPost(const ForumPost& p) override {
    auto s = db_.Prepare(
        "INSERT INTO forum_posts(id, thread_id, child_id, author_id, body, created_at, edited_at, version, reply_to)"
        " VALUES ($1,$2,$3,$4,$5,$6,NULL,1,$7) ON CONFLICT DO NOTHING");
    s.Bind(p.id).Bind(p.thread_id).Bind(p.child_id).Bind(p.author_id).Bind(p.body).Bind(p.created_at);
    s.BindTextOrNull(p.reply_to);
    if (auto st = InsertOrConflict(s, "forum post " + p.id); !st) return st;
    WriteMentions(p.id, p.mentions);
    return Ok{};
  }

  std::optional<ForumPost> GetPost(const std::string& id) override {
    static const std::string kSql = std::string(kPostSelect) + " WHERE id=$1";
    auto s = db_.Prepare(kSql).Bind(id).Run();
    if (!s.Next()) return std::nullopt;
    ForumPost p = ReadPost(s);
    p.mentions = Mentions(p.id);
    return p;
  }

  std::vector<ForumPost> Posts(const std::string& thread_id) override {
    static const std::string kSql = std::string(kPostSelect) + " WHERE thread_id=$1 ORDER BY created_at, id";
    auto s = db_.Prepare(kSql).Bind(thread_id).Run();
    std::vector<ForumPost> out;
    while (s.Next()) out.push_back(ReadPost(s));
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
    db_.Prepare("INSERT INTO forum_post_versions(post_id, version, body, at) VALUES ($1,$2,$3,$4)")
        .Bind(post_id)
        .Bind(current->version)
        .Bind(current->body)
        .Bind(current->edited_at.value_or(current->created_at))
        .Run();
    db_.Prepare("UPDATE forum_posts SET body=$1, edited_at=$2, version=version+1 WHERE id=$3 AND version=$4")
        .Bind(body)
        .Bind(at)
        .Bind(post_id)
        .Bind(expected_version)
        .Run();
    db_.Prepare("DELETE FROM forum_mentions WHERE post_id=$1").Bind(post_id).Run();
    WriteMentions(post_id, mentions);
    return Ok{};
  }

  std::vector<PostVersion> History(const std::string& post_id) override {
    std::vector<PostVersion> out;
    auto s = db_.Prepare("SELECT version, body, at FROM forum_post_versions WHERE post_id=$1 ORDER BY version")
                 .Bind(post_id)
                 .Run();
    while (s.Next()) out.push_back({static_cast<int>(s.Int(0)), s.Text(1), s.Time(2)});
    if (auto p = GetPost(post_id)) out.push_back({p->version, p->body, p->edited_at.value_or(p->created_at)});
    return out;
  }

  std::vector<std::pair<std::string, std::string>> PostTexts(const std::string& child_id) override {
    auto s = db_.Prepare("SELECT id, body FROM forum_posts WHERE child_id=$1 ORDER BY id").Bind(child_id).Run();
    std::vector<std::pair<std::string, std::string>> out;
    while (s.Next()) out.emplace_back(s.Text(0), s.Text(1));
    return out;
  }

  std::vector<std::string> ChildrenWithPosts() override {
    auto s = db_.Prepare("SELECT DISTINCT child_id FROM forum_posts ORDER BY child_id").Run();
    std::vector<std::string> out;
    while (s.Next()) out.push_back(s.Text(0));
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

  static ForumThread ReadThread(const Rows& s) {
    ForumThread t;
    t.id = s.Text(0);
    t.child_id = s.Text(1);
    t.category = s.Text(2);
    t.title = s.Text(3);
    t.author_id = s.Text(4);
    t.created_at = s.Time(5);
    t.promoted_entry_id = s.Text(6);
    t.post_count = static_cast<int>(s.Int(7));
    t.last_post_at = s.OptionalTime(8);
    return t;
  }

  static ForumPost ReadPost(const Rows& s) {
    ForumPost p;
    p.id = s.Text(0);
    p.thread_id = s.Text(1);
    p.child_id = s.Text(2);
    p.author_id = s.Text(3);
    p.body = s.Text(4);
    p.created_at = s.Time(5);
    p.edited_at = s.OptionalTime(6);
    p.version = static_cast<int>(s.Int(7));
    p.reply_to = s.Text(8);
    return p;
  }

  std::vector<std::string> Mentions(const std::string& post_id) {
    auto s = db_.Prepare("SELECT user_id FROM forum_mentions WHERE post_id=$1 ORDER BY position").Bind(post_id).Run();
    std::vector<std::string> out;
    while (s.Next()) out.push_back(s.Text(0));
    return out;
  }

  void WriteMentions(const std::string& post_id, const std::vector<std::string>& mentions) {
    for (size_t i = 0; i < mentions.size(); ++i) {
      db_.Prepare("INSERT INTO forum_mentions(post_id, position, user_id) VALUES ($1,$2,$3)")
          .Bind(post_id)
          .Bind(static_cast<int64_t>(i))
          .Bind(mentions[i])
          .Run();
    }
  }

  Connection& db_;
};

// --- Wheel ------------------------------------------------------------------------------------

class PgWheel final : public WheelRepository {
 public:
  explicit PgWheel(Connection& db) : db_(db) {}

  Status Insert(const StoredPerson& p) override {
    auto s = db_.Prepare(
        "INSERT INTO wheel_people(id, child_id, name, relationship, lives_with_child, since, date_of_birth, adult,"
        " verified, verified_by_agency_id, notes, created_by, created_at, updated_at, version)"
        " VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,1) ON CONFLICT DO NOTHING");
    Bind(s, p);
    return InsertOrConflict(s, "person " + p.id);
  }

  Status Update(const StoredPerson& p) override {
    auto s = db_.Prepare(
        "UPDATE wheel_people SET child_id=$2, name=$3, relationship=$4, lives_with_child=$5, since=$6,"
        " date_of_birth=$7, adult=$8, verified=$9, verified_by_agency_id=$10, notes=$11, created_by=$12,"
        " created_at=$13, updated_at=$14, version=version+1 WHERE id=$1 AND version=$15");
    Bind(s, p);
    s.Bind(p.version);
    if (s.Run().affected() == 1) return Ok{};
    return Get(p.id) ? Error::Conflict("the person was changed by someone else; reload and try again")
                     : Error::NotFound("no such person");
  }

  std::optional<StoredPerson> Get(const std::string& id) override {
    static const std::string kSql = std::string(kSelect) + " WHERE id=$1";
    auto s = db_.Prepare(kSql).Bind(id).Run();
    if (!s.Next()) return std::nullopt;
    return Read(s);
  }

  std::vector<StoredPerson> ForChild(const std::string& child_id) override {
    static const std::string kSql = std::string(kSelect) + " WHERE child_id=$1 ORDER BY created_at, id";
    auto s = db_.Prepare(kSql).Bind(child_id).Run();
    std::vector<StoredPerson> out;
    while (s.Next()) out.push_back(Read(s));
    return out;
  }

 private:
  static constexpr std::string_view kSelect =
      "SELECT id, child_id, name, relationship, lives_with_child, since, date_of_birth, adult, verified,"
      " verified_by_agency_id, notes, created_by, created_at, updated_at, version FROM wheel_people";

  // Binds $1 .. $14.
  static void Bind(Statement& s, const StoredPerson& p) {
    s.Bind(p.id).Bind(p.child_id).Bind(p.name).Bind(domain::ToString(p.relationship)).Bind(p.lives_with_child);
    s.Bind(p.since).Bind(p.date_of_birth).Bind(p.adult).Bind(p.verified).BindTextOrNull(p.verified_by_agency_id);
    s.Bind(p.notes).Bind(p.created_by).Bind(p.created_at).Bind(p.updated_at);
  }

  static StoredPerson Read(const Rows& s) {
    StoredPerson p;
    p.id = s.Text(0);
    p.child_id = s.Text(1);
    p.name = s.Text(2);
    p.relationship = domain::ParseRelationshipType(s.Text(3)).value_or(domain::RelationshipType::kUnknown);
    p.lives_with_child = s.Bool(4);
    p.since = s.OptionalDate(5);
    p.date_of_birth = s.OptionalDate(6);
    if (!s.IsNull(7)) p.adult = s.Bool(7);
    p.verified = s.Bool(8);
    p.verified_by_agency_id = s.Text(9);
    p.notes = s.Text(10);
    p.created_by = s.Text(11);
    p.created_at = s.Time(12);
    p.updated_at = s.Time(13);
    p.version = s.Int(14);
    return p;
  }

  Connection& db_;
};

// --- Word statistics --------------------------------------------------------------------------

// The document count lives in the row whose term is '' (no real term is empty).
class PgWordStats final : public WordStatsRepository {
 public:
  explicit PgWordStats(Connection& db) : db_(db) {}

  void Apply(const std::vector<std::string>& appeared, const std::vector<std::string>& disappeared,
             int documents) override {
    for (const auto& term : appeared) Add(term, 1);
    for (const auto& term : disappeared) Add(term, -1);
    if (documents != 0) Add("", documents);
  }

  int64_t Documents() override {
    auto s = db_.Prepare("SELECT df FROM word_document_frequency WHERE term=''").Run();
    return s.Next() ? s.Int(0) : 0;
  }

  void ForEach(const std::function<void(const std::string&, int64_t)>& fn) override {
    auto s = db_.Prepare("SELECT term, df FROM word_document_frequency WHERE term<>'' ORDER BY term").Run();
    while (s.Next()) fn(s.Text(0), s.Int(1));
  }

  void Clear() override { db_.Prepare("DELETE FROM word_document_frequency").Run(); }

  int64_t ChildVersion(const std::string& child_id) override {
    auto s = db_.Prepare("SELECT version FROM word_child_versions WHERE child_id=$1").Bind(child_id).Run();
    return s.Next() ? s.Int(0) : 0;
  }

  int64_t TouchChild(const std::string& child_id) override {
    auto s = db_.Prepare(
                    "INSERT INTO word_child_versions AS w (child_id, version) VALUES ($1, 1)"
                    " ON CONFLICT (child_id) DO UPDATE SET version = w.version + 1 RETURNING version")
                 .Bind(child_id)
                 .Run();
    s.Next();
    return s.Int(0);
  }

 private:
  void Add(const std::string& term, int64_t by) {
    db_.Prepare(
           "INSERT INTO word_document_frequency AS w (term, df) VALUES ($1, $2)"
           " ON CONFLICT (term) DO UPDATE SET df = w.df + excluded.df")
        .Bind(term)
        .Bind(by)
        .Run();
    if (by < 0) db_.Prepare("DELETE FROM word_document_frequency WHERE term=$1 AND df<=0").Bind(term).Run();
  }

  Connection& db_;
};

// --- Feed and alerts --------------------------------------------------------------------------

class PgFeed final : public FeedRepository {
 public:
  explicit PgFeed(Connection& db) : db_(db) {}

  void Append(const FeedItem& f) override {
    db_.Prepare(
           "INSERT INTO feed_items(id, at, child_id, kind, summary, actor_id, significance, subject_id, recipient_id)"
           " VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)")
        .Bind(f.id)
        .Bind(f.at)
        .Bind(f.child_id)
        .Bind(f.kind)
        .Bind(f.summary)
        .Bind(f.actor_id)
        .Bind(f.significance)
        .Bind(f.subject_id)
        .Bind(f.recipient_id)
        .Run();
  }

  std::vector<FeedItem> ForUser(const std::string& user_id, int limit) override {
    auto s =
        db_.Prepare(
               "SELECT id, at, child_id, kind, summary, actor_id, significance, subject_id, recipient_id, role FROM ("
               " SELECT f.id, f.at, f.child_id, f.kind, f.summary, f.actor_id, f.significance, f.subject_id,"
               "  f.recipient_id, '' AS role FROM feed_items f"
               "  WHERE f.child_id IN (SELECT child_id FROM team_members WHERE user_id=$1)"
               "  AND (f.recipient_id='' OR f.recipient_id=$1)"
               " UNION ALL"
               " SELECT 'team-' || e.id, e.at, e.child_id, 'team_change', e.kind, e.by_user_id, '', e.user_id, '',"
               "  e.role FROM team_events e WHERE e.child_id IN (SELECT child_id FROM team_members WHERE user_id=$1)"
               ") items ORDER BY at DESC, id COLLATE \"C\" DESC LIMIT $2")
            .Bind(user_id)
            .Bind(limit)
            .Run();
    std::vector<FeedItem> out;
    while (s.Next()) {
      out.push_back({s.Text(0), s.Time(1), s.Text(2), s.Text(3), s.Text(4), s.Text(5), s.Text(6), s.Text(7), s.Text(8),
                     s.Text(9)});
    }
    return out;
  }

  void InsertAlert(const Alert& a) override {
    db_.Prepare(
           "INSERT INTO alerts(id, user_id, child_id, at, kind, summary, subject_id, read_at)"
           " VALUES ($1,$2,$3,$4,$5,$6,$7,$8)")
        .Bind(a.id)
        .Bind(a.user_id)
        .BindTextOrNull(a.child_id)  // none: an alert about the user's account
        .Bind(a.at)
        .Bind(a.kind)
        .Bind(a.summary)
        .Bind(a.subject_id)
        .Bind(a.read_at)
        .Run();
  }

  std::vector<Alert> Alerts(const std::string& user_id, int limit) override {
    auto s = db_.Prepare(
                    "SELECT id, user_id, child_id, at, kind, summary, subject_id, read_at FROM alerts WHERE user_id=$1"
                    " ORDER BY at DESC, id DESC LIMIT $2")
                 .Bind(user_id)
                 .Bind(limit)
                 .Run();
    std::vector<Alert> out;
    while (s.Next()) {
      out.push_back({s.Text(0), s.Text(1), s.Text(2), s.Time(3), s.Text(4), s.Text(5), s.Text(6), s.OptionalTime(7)});
    }
    return out;
  }

  Status MarkRead(const std::string& alert_id, const std::string& user_id, TimePoint at) override {
    auto s = db_.Prepare("UPDATE alerts SET read_at=coalesce(read_at, $1) WHERE id=$2 AND user_id=$3")
                 .Bind(at)
                 .Bind(alert_id)
                 .Bind(user_id)
                 .Run();
    if (s.affected() == 0) return Error::NotFound("no such alert");
    return Ok{};
  }

 private:
  Connection& db_;
};

}  // namespace

std::unique_ptr<ChronologyRepository> MakeChronology(Connection& c) { return std::make_unique<PgChronology>(c); }
std::unique_ptr<ForumRepository> MakeForum(Connection& c) { return std::make_unique<PgForum>(c); }
std::unique_ptr<WheelRepository> MakeWheel(Connection& c) { return std::make_unique<PgWheel>(c); }
std::unique_ptr<WordStatsRepository> MakeWordStats(Connection& c) { return std::make_unique<PgWordStats>(c); }
std::unique_ptr<FeedRepository> MakeFeed(Connection& c) { return std::make_unique<PgFeed>(c); }

}  // namespace kith::storage::postgres
