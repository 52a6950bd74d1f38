#include "storage/sqlite/index_repositories.h"

#include <string_view>

#include "storage/documents.h"
#include "storage/sqlite/sqlite_repositories.h"

namespace kith::storage::sqlite {
namespace {

// Runs an insert; a uniqueness violation becomes kConflict with `conflict` as its message.
Status RunInsert(Statement& s, const std::string& conflict) {
  try {
    s.Run();
  } catch (const StorageError& e) {
    if (std::string_view(e.what()).find("UNIQUE constraint failed") != std::string_view::npos) {
      return Error::Conflict(conflict);
    }
    throw;
  }
  return Ok{};
}

constexpr std::string_view kSourceColumns =
    "id, source, record_id, content_hash, child_id, given_name, family_name, date_of_birth, sex, postcode,"
    " address, nhs_number, upn, attributes, imported_at, updated_at";

class SqliteSourceRecords final : public SourceRecordRepository {
 public:
  explicit SqliteSourceRecords(Connection& db) : db_(db) {}

  Status Insert(const SourceRecord& r) override {
    static const std::string kSql = "INSERT INTO source_records(" + std::string(kSourceColumns) +
                                    ") VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16)";
    auto s = db_.Prepare(kSql);
    Bind(s, r);
    return RunInsert(s, "source record " + r.source + "/" + r.record_id + " already exists");
  }

  Status Update(const SourceRecord& r) override {
    auto s = db_.Prepare(
        "UPDATE source_records SET content_hash=?4, child_id=?5, given_name=?6, family_name=?7,"
        " date_of_birth=?8, sex=?9, postcode=?10, address=?11, nhs_number=?12, upn=?13, attributes=?14,"
        " imported_at=?15, updated_at=?16 WHERE id=?1");  // ?2 and ?3 (source, record_id) never change
    Bind(s, r);
    s.Run();
    if (db_.Changes() == 0) return Error::NotFound("no such source record");
    return Ok{};
  }

  std::optional<SourceRecord> Get(const std::string& id) override {
    static const std::string kSql = "SELECT " + std::string(kSourceColumns) + " FROM source_records WHERE id=?";
    auto s = db_.Prepare(kSql);
    s.Bind(1, id);
    if (!s.Step()) return std::nullopt;
    return Read(s);
  }

  std::optional<SourceRecord> Find(const std::string& source, const std::string& record_id) override {
    static const std::string kSql =
        "SELECT " + std::string(kSourceColumns) + " FROM source_records WHERE source=? AND record_id=?";
    auto s = db_.Prepare(kSql);
    s.Bind(1, source).Bind(2, record_id);
    if (!s.Step()) return std::nullopt;
    return Read(s);
  }

  std::vector<SourceRecord> ForChild(const std::string& child_id) override {
    static const std::string kSql =
        "SELECT " + std::string(kSourceColumns) + " FROM source_records WHERE child_id=? ORDER BY imported_at, id";
    auto s = db_.Prepare(kSql);
    s.Bind(1, child_id);
    std::vector<SourceRecord> out;
    while (s.Step()) out.push_back(Read(s));
    return out;
  }

 private:
  static void Bind(Statement& s, const SourceRecord& r) {
    s.Bind(1, r.id).Bind(2, r.source).Bind(3, r.record_id).Bind(4, r.content_hash);
    if (r.child_id.empty()) {
      s.BindNull(5);
    } else {
      s.Bind(5, r.child_id);
    }
    s.Bind(6, r.given_name).Bind(7, r.family_name).Bind(8, r.date_of_birth).Bind(9, r.sex).Bind(10, r.postcode);
    s.Bind(11, r.address).Bind(12, r.nhs_number).Bind(13, r.upn).Bind(14, r.attributes);
    s.Bind(15, ToMicros(r.imported_at)).Bind(16, ToMicros(r.updated_at));
  }

  static SourceRecord Read(const Statement& s) {
    SourceRecord r;
    r.id = s.Text(0);
    r.source = s.Text(1);
    r.record_id = s.Text(2);
    r.content_hash = s.Text(3);
    r.child_id = s.Text(4);
    r.given_name = s.Text(5);
    r.family_name = s.Text(6);
    r.date_of_birth = s.Text(7);
    r.sex = s.Text(8);
    r.postcode = s.Text(9);
    r.address = s.Text(10);
    r.nhs_number = s.Text(11);
    r.upn = s.Text(12);
    r.attributes = s.Text(13);
    r.imported_at = FromMicros(s.Int(14));
    r.updated_at = FromMicros(s.Int(15));
    return r;
  }

  Connection& db_;
};

constexpr std::string_view kReviewColumns =
    "id, authority_id, source_record_id, status, created_at, decided_by, decided_at, decided_child_id, reason";

class SqliteReviews final : public ReviewRepository {
 public:
  explicit SqliteReviews(Connection& db) : db_(db) {}

  Status Insert(const ReviewItem& item) override {
    static const std::string kSql =
        "INSERT INTO review_items(" + std::string(kReviewColumns) + ") VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)";
    auto s = db_.Prepare(kSql);
    s.Bind(1, item.id).Bind(2, item.authority_id).Bind(3, item.source_record_id).Bind(4, ToText(item.status));
    s.Bind(5, ToMicros(item.created_at)).Bind(6, item.decided_by);
    if (item.decided_at) {
      s.Bind(7, ToMicros(*item.decided_at));
    } else {
      s.BindNull(7);
    }
    s.Bind(8, item.decided_child_id).Bind(9, item.reason);
    if (auto st = RunInsert(s, "review item " + item.id + " already exists"); !st) return st;
    for (size_t i = 0; i < item.candidates.size(); ++i) {
      auto c = db_.Prepare(
          "INSERT INTO review_candidates(review_id, position, child_id, probability, weight, evidence)"
          " VALUES (?1,?2,?3,?4,?5,?6)");
      const auto& cand = item.candidates[i];
      c.Bind(1, item.id).Bind(2, static_cast<int64_t>(i)).Bind(3, cand.child_id);
      c.BindReal(4, cand.probability).BindReal(5, cand.weight).Bind(6, cand.evidence);
      c.Run();
    }
    return Ok{};
  }

  std::optional<ReviewItem> Get(const std::string& id) override {
    static const std::string kSql = "SELECT " + std::string(kReviewColumns) + " FROM review_items WHERE id=?";
    auto s = db_.Prepare(kSql);
    s.Bind(1, id);
    if (!s.Step()) return std::nullopt;
    ReviewItem item = Read(s);
    ReadCandidates(item);
    return item;
  }

  std::vector<ReviewItem> Open(const std::string& authority_id, int limit) override {
    static const std::string kSql = "SELECT " + std::string(kReviewColumns) +
                                    " FROM review_items WHERE authority_id=? AND status='open'"
                                    " ORDER BY created_at, id LIMIT ?";
    auto s = db_.Prepare(kSql);
    s.Bind(1, authority_id).Bind(2, limit);
    std::vector<ReviewItem> out;
    while (s.Step()) out.push_back(Read(s));
    for (auto& item : out) ReadCandidates(item);
    return out;
  }

  Status Decide(const ReviewItem& d) override {
    auto s = db_.Prepare(
        "UPDATE review_items SET status=?2, decided_by=?3, decided_at=?4, decided_child_id=?5, reason=?6"
        " WHERE id=?1 AND status='open'");
    s.Bind(1, d.id).Bind(2, ToText(d.status)).Bind(3, d.decided_by);
    if (d.decided_at) {
      s.Bind(4, ToMicros(*d.decided_at));
    } else {
      s.BindNull(4);
    }
    s.Bind(5, d.decided_child_id).Bind(6, d.reason);
    s.Run();
    if (db_.Changes() > 0) return Ok{};
    auto exists = db_.Prepare("SELECT 1 FROM review_items WHERE id=?");
    exists.Bind(1, d.id);
    return exists.Step() ? Error::Conflict("this review was already decided") : Error::NotFound("no such review");
  }

 private:
  static ReviewItem Read(const Statement& s) {
    ReviewItem item;
    item.id = s.Text(0);
    item.authority_id = s.Text(1);
    item.source_record_id = s.Text(2);
    item.status = ParseReviewStatus(s.Text(3));
    item.created_at = FromMicros(s.Int(4));
    item.decided_by = s.Text(5);
    if (auto at = s.OptionalInt(6)) item.decided_at = FromMicros(*at);
    item.decided_child_id = s.Text(7);
    item.reason = s.Text(8);
    return item;
  }

  void ReadCandidates(ReviewItem& item) {
    auto s = db_.Prepare(
        "SELECT child_id, probability, weight, evidence FROM review_candidates WHERE review_id=? ORDER BY position");
    s.Bind(1, item.id);
    while (s.Step()) item.candidates.push_back({s.Text(0), s.Real(1), s.Real(2), s.Text(3)});
  }

  Connection& db_;
};

constexpr std::string_view kMergeColumns =
    "id, survivor_id, merged_id, moved_source_records, merged_by, merged_at, reason, unmerged_by, unmerged_at,"
    " unmerge_reason";

class SqliteMerges final : public MergeRepository {
 public:
  SqliteMerges(Connection& db, WriteEffects* effects) : db_(db), changed_(effects) {}

  Status Insert(const ChildMerge& m) override {
    if (changed_) changed_->records = true;
    static const std::string kSql =
        "INSERT INTO child_merges(" + std::string(kMergeColumns) + ") VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)";
    auto s = db_.Prepare(kSql);
    s.Bind(1, m.id).Bind(2, m.survivor_id).Bind(3, m.merged_id).Bind(4, JoinLines(m.moved_source_records));
    s.Bind(5, m.merged_by).Bind(6, ToMicros(m.merged_at)).Bind(7, m.reason).Bind(8, m.unmerged_by);
    if (m.unmerged_at) {
      s.Bind(9, ToMicros(*m.unmerged_at));
    } else {
      s.BindNull(9);
    }
    s.Bind(10, m.unmerge_reason);
    return RunInsert(s, "that child is already merged into another");
  }

  std::optional<ChildMerge> Get(const std::string& id) override {
    static const std::string kSql = "SELECT " + std::string(kMergeColumns) + " FROM child_merges WHERE id=?";
    auto s = db_.Prepare(kSql);
    s.Bind(1, id);
    if (!s.Step()) return std::nullopt;
    return Read(s);
  }

  std::optional<ChildMerge> MergedAway(const std::string& child_id) override {
    static const std::string kSql =
        "SELECT " + std::string(kMergeColumns) + " FROM child_merges WHERE merged_id=? AND unmerged_at IS NULL";
    auto s = db_.Prepare(kSql);
    s.Bind(1, child_id);
    if (!s.Step()) return std::nullopt;
    return Read(s);
  }

  std::vector<ChildMerge> ForChild(const std::string& child_id) override {
    static const std::string kSql = "SELECT " + std::string(kMergeColumns) +
                                    " FROM child_merges WHERE survivor_id=?1 OR merged_id=?1"
                                    " ORDER BY merged_at DESC, id DESC";
    auto s = db_.Prepare(kSql);
    s.Bind(1, child_id);
    std::vector<ChildMerge> out;
    while (s.Step()) out.push_back(Read(s));
    return out;
  }

  Status Undo(const ChildMerge& m) override {
    if (changed_) changed_->records = true;
    auto s = db_.Prepare(
        "UPDATE child_merges SET unmerged_by=?2, unmerged_at=?3, unmerge_reason=?4 WHERE id=?1 AND unmerged_at IS "
        "NULL");
    s.Bind(1, m.id).Bind(2, m.unmerged_by);
    if (m.unmerged_at) {
      s.Bind(3, ToMicros(*m.unmerged_at));
    } else {
      s.BindNull(3);
    }
    s.Bind(4, m.unmerge_reason);
    s.Run();
    if (db_.Changes() > 0) return Ok{};
    return Get(m.id) ? Error::Conflict("this merge was already undone") : Error::NotFound("no such merge");
  }

 private:
  static ChildMerge Read(const Statement& s) {
    ChildMerge m;
    m.id = s.Text(0);
    m.survivor_id = s.Text(1);
    m.merged_id = s.Text(2);
    m.moved_source_records = SplitLines(s.Text(3));
    m.merged_by = s.Text(4);
    m.merged_at = FromMicros(s.Int(5));
    m.reason = s.Text(6);
    m.unmerged_by = s.Text(7);
    if (auto at = s.OptionalInt(8)) m.unmerged_at = FromMicros(*at);
    m.unmerge_reason = s.Text(9);
    return m;
  }

  Connection& db_;
  WriteEffects* changed_;
};

class Bundle final : public IndexRepositories {
 public:
  Bundle(Connection& db, WriteEffects* effects) : sources_(db), reviews_(db), merges_(db, effects) {}
  SourceRecordRepository& SourceRecords() override { return sources_; }
  ReviewRepository& Reviews() override { return reviews_; }
  MergeRepository& Merges() override { return merges_; }

 private:
  SqliteSourceRecords sources_;
  SqliteReviews reviews_;
  SqliteMerges merges_;
};

}  // namespace

std::unique_ptr<IndexRepositories> MakeIndexRepositories(Connection& connection, WriteEffects* effects) {
  return std::make_unique<Bundle>(connection, effects);
}

}  // namespace kith::storage::sqlite
