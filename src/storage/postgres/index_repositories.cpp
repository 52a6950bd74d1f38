// The national index on PostgreSQL: source records, the clerical review queue and merges.
#include "storage/documents.h"
#include "storage/postgres/repositories.h"

namespace kith::storage::postgres {
namespace {

constexpr std::string_view kSourceColumns =
    "id, source, record_id, content_hash, child_id, given_name, family_name, date_of_birth, sex, postcode,"
    " address, nhs_number, upn, attributes, imported_at, updated_at";

class PgSourceRecords final : public SourceRecordRepository {
 public:
  explicit PgSourceRecords(Connection& db) : db_(db) {}

  Status Insert(const SourceRecord& r) override {
    static const std::string kSql = "INSERT INTO source_records(" + std::string(kSourceColumns) +
                                    ") VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16)"
                                    " ON CONFLICT DO NOTHING";
    auto s = db_.Prepare(kSql);
    Bind(s, r);
    if (s.Run().affected() == 0) {
      return Error::Conflict("source record " + r.source + "/" + r.record_id + " already exists");
    }
    return Ok{};
  }

  Status Update(const SourceRecord& r) override {
    // Source and record id never change.
    auto s = db_.Prepare(
        "UPDATE source_records SET content_hash=$2, child_id=$3, given_name=$4, family_name=$5,"
        " date_of_birth=$6, sex=$7, postcode=$8, address=$9, nhs_number=$10, upn=$11, attributes=$12,"
        " imported_at=$13, updated_at=$14 WHERE id=$1");
    s.Bind(r.id);
    BindContent(s, r);
    if (s.Run().affected() == 0) return Error::NotFound("no such source record");
    return Ok{};
  }

  std::optional<SourceRecord> Get(const std::string& id) override {
    static const std::string kSql = "SELECT " + std::string(kSourceColumns) + " FROM source_records WHERE id=$1";
    auto s = db_.Prepare(kSql).Bind(id).Run();
    if (!s.Next()) return std::nullopt;
    return Read(s);
  }

  std::optional<SourceRecord> Find(const std::string& source, const std::string& record_id) override {
    static const std::string kSql =
        "SELECT " + std::string(kSourceColumns) + " FROM source_records WHERE source=$1 AND record_id=$2";
    auto s = db_.Prepare(kSql).Bind(source).Bind(record_id).Run();
    if (!s.Next()) return std::nullopt;
    return Read(s);
  }

  std::vector<SourceRecord> ForChild(const std::string& child_id) override {
    static const std::string kSql =
        "SELECT " + std::string(kSourceColumns) + " FROM source_records WHERE child_id=$1 ORDER BY imported_at, id";
    auto s = db_.Prepare(kSql).Bind(child_id).Run();
    std::vector<SourceRecord> out;
    while (s.Next()) out.push_back(Read(s));
    return out;
  }

 private:
  static void Bind(Statement& s, const SourceRecord& r) {
    s.Bind(r.id).Bind(r.source).Bind(r.record_id);
    BindContent(s, r);
  }

  // Everything after id, source and record_id, in column order.
  static void BindContent(Statement& s, const SourceRecord& r) {
    s.Bind(r.content_hash).BindTextOrNull(r.child_id);
    s.Bind(r.given_name).Bind(r.family_name).Bind(r.date_of_birth).Bind(r.sex).Bind(r.postcode);
    s.Bind(r.address).Bind(r.nhs_number).Bind(r.upn).Bind(r.attributes).Bind(r.imported_at).Bind(r.updated_at);
  }

  static SourceRecord Read(const Rows& s) {
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
    r.imported_at = s.Time(14);
    r.updated_at = s.Time(15);
    return r;
  }

  Connection& db_;
};

constexpr std::string_view kReviewColumns =
    "id, authority_id, source_record_id, status, created_at, decided_by, decided_at, decided_child_id, reason";

class PgReviews final : public ReviewRepository {
 public:
  explicit PgReviews(Connection& db) : db_(db) {}

  Status Insert(const ReviewItem& item) override {
    static const std::string kSql = "INSERT INTO review_items(" + std::string(kReviewColumns) +
                                    ") VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) ON CONFLICT DO NOTHING";
    auto s = db_.Prepare(kSql);
    s.Bind(item.id).Bind(item.authority_id).Bind(item.source_record_id).Bind(ToText(item.status));
    s.Bind(item.created_at).Bind(item.decided_by).Bind(item.decided_at).Bind(item.decided_child_id).Bind(item.reason);
    if (s.Run().affected() == 0) return Error::Conflict("review item " + item.id + " already exists");
    for (size_t i = 0; i < item.candidates.size(); ++i) {
      const auto& c = item.candidates[i];
      db_.Prepare(
             "INSERT INTO review_candidates(review_id, position, child_id, probability, weight, evidence)"
             " VALUES ($1,$2,$3,$4,$5,$6)")
          .Bind(item.id)
          .Bind(static_cast<int64_t>(i))
          .Bind(c.child_id)
          .Bind(c.probability)
          .Bind(c.weight)
          .Bind(c.evidence)
          .Run();
    }
    return Ok{};
  }

  std::optional<ReviewItem> Get(const std::string& id) override {
    static const std::string kSql = "SELECT " + std::string(kReviewColumns) + " FROM review_items WHERE id=$1";
    auto s = db_.Prepare(kSql).Bind(id).Run();
    if (!s.Next()) return std::nullopt;
    ReviewItem item = Read(s);
    ReadCandidates(item);
    return item;
  }

  std::vector<ReviewItem> Open(const std::string& authority_id, int limit) override {
    static const std::string kSql = "SELECT " + std::string(kReviewColumns) +
                                    " FROM review_items WHERE authority_id=$1 AND status='open'"
                                    " ORDER BY created_at, id LIMIT $2";
    auto s = db_.Prepare(kSql).Bind(authority_id).Bind(limit).Run();
    std::vector<ReviewItem> out;
    while (s.Next()) out.push_back(Read(s));
    for (auto& item : out) ReadCandidates(item);
    return out;
  }

  Status Decide(const ReviewItem& d) override {
    auto s = db_.Prepare(
                    "UPDATE review_items SET status=$2, decided_by=$3, decided_at=$4, decided_child_id=$5, reason=$6"
                    " WHERE id=$1 AND status='open'")
                 .Bind(d.id)
                 .Bind(ToText(d.status))
                 .Bind(d.decided_by)
                 .Bind(d.decided_at)
                 .Bind(d.decided_child_id)
                 .Bind(d.reason)
                 .Run();
    if (s.affected() > 0) return Ok{};
    return db_.Prepare("SELECT 1 FROM review_items WHERE id=$1").Bind(d.id).Run().Next()
               ? Error::Conflict("this review was already decided")
               : Error::NotFound("no such review");
  }

 private:
  static ReviewItem Read(const Rows& s) {
    ReviewItem item;
    item.id = s.Text(0);
    item.authority_id = s.Text(1);
    item.source_record_id = s.Text(2);
    item.status = ParseReviewStatus(s.Text(3));
    item.created_at = s.Time(4);
    item.decided_by = s.Text(5);
    item.decided_at = s.OptionalTime(6);
    item.decided_child_id = s.Text(7);
    item.reason = s.Text(8);
    return item;
  }

  void ReadCandidates(ReviewItem& item) {
    auto s = db_.Prepare(
                    "SELECT child_id, probability, weight, evidence FROM review_candidates WHERE review_id=$1"
                    " ORDER BY position")
                 .Bind(item.id)
                 .Run();
    while (s.Next()) item.candidates.push_back({s.Text(0), s.Real(1), s.Real(2), s.Text(3)});
  }

  Connection& db_;
};

constexpr std::string_view kMergeColumns =
    "id, survivor_id, merged_id, moved_source_records, merged_by, merged_at, reason, unmerged_by, unmerged_at,"
    " unmerge_reason";

class PgMerges final : public MergeRepository {
 public:
  PgMerges(Connection& db, TransactionState& state) : db_(db), state_(state) {}

  Status Insert(const ChildMerge& m) override {
    state_.records_changed = true;
    static const std::string kSql = "INSERT INTO child_merges(" + std::string(kMergeColumns) +
                                    ") VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10) ON CONFLICT DO NOTHING";
    auto s = db_.Prepare(kSql);
    s.Bind(m.id).Bind(m.survivor_id).Bind(m.merged_id).Bind(JoinLines(m.moved_source_records)).Bind(m.merged_by);
    s.Bind(m.merged_at).Bind(m.reason).Bind(m.unmerged_by).Bind(m.unmerged_at).Bind(m.unmerge_reason);
    if (s.Run().affected() == 0) return Error::Conflict("that child is already merged into another");
    return Ok{};
  }

  std::optional<ChildMerge> Get(const std::string& id) override {
    static const std::string kSql = "SELECT " + std::string(kMergeColumns) + " FROM child_merges WHERE id=$1";
    auto s = db_.Prepare(kSql).Bind(id).Run();
    if (!s.Next()) return std::nullopt;
    return Read(s);
  }

  std::optional<ChildMerge> MergedAway(const std::string& child_id) override {
    static const std::string kSql =
        "SELECT " + std::string(kMergeColumns) + " FROM child_merges WHERE merged_id=$1 AND unmerged_at IS NULL";
    auto s = db_.Prepare(kSql).Bind(child_id).Run();
    if (!s.Next()) return std::nullopt;
    return Read(s);
  }

  std::vector<ChildMerge> ForChild(const std::string& child_id) override {
    static const std::string kSql = "SELECT " + std::string(kMergeColumns) +
                                    " FROM child_merges WHERE survivor_id=$1 OR merged_id=$1"
                                    " ORDER BY merged_at DESC, id DESC";
    auto s = db_.Prepare(kSql).Bind(child_id).Run();
    std::vector<ChildMerge> out;
    while (s.Next()) out.push_back(Read(s));
    return out;
  }

  Status Undo(const ChildMerge& m) override {
    state_.records_changed = true;
    auto s = db_.Prepare(
                    "UPDATE child_merges SET unmerged_by=$2, unmerged_at=$3, unmerge_reason=$4"
                    " WHERE id=$1 AND unmerged_at IS NULL")
                 .Bind(m.id)
                 .Bind(m.unmerged_by)
                 .Bind(m.unmerged_at)
                 .Bind(m.unmerge_reason)
                 .Run();
    if (s.affected() > 0) return Ok{};
    return Get(m.id) ? Error::Conflict("this merge was already undone") : Error::NotFound("no such merge");
  }

 private:
  static ChildMerge Read(const Rows& s) {
    ChildMerge m;
    m.id = s.Text(0);
    m.survivor_id = s.Text(1);
    m.merged_id = s.Text(2);
    m.moved_source_records = SplitLines(s.Text(3));
    m.merged_by = s.Text(4);
    m.merged_at = s.Time(5);
    m.reason = s.Text(6);
    m.unmerged_by = s.Text(7);
    m.unmerged_at = s.OptionalTime(8);
    m.unmerge_reason = s.Text(9);
    return m;
  }

  Connection& db_;
  TransactionState& state_;
};

}  // namespace

std::unique_ptr<SourceRecordRepository> MakeSourceRecords(Connection& c) {
  return std::make_unique<PgSourceRecords>(c);
}
std::unique_ptr<ReviewRepository> MakeReviews(Connection& c) { return std::make_unique<PgReviews>(c); }
std::unique_ptr<MergeRepository> MakeMerges(Connection& c, TransactionState& state) {
  return std::make_unique<PgMerges>(c, state);
}

}  // namespace kith::storage::postgres
