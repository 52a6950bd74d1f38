// The family portal on PostgreSQL (the tables of migrations 1 and 2; docs/data-model.md).
#include "storage/postgres/repositories.h"

namespace kith::storage::postgres {
namespace {

using domain::Visibility;

constexpr std::string_view kVisibilityColumns =
    "subject_id, child_id, subject_kind, visibility, reason, reason_text, review, set_by, set_at, reviewed_by,"
    " reviewed_at, set_by_agency_id";

VisibilityRow ReadVisibility(const Rows& s) {
  VisibilityRow v;
  v.subject_id = s.Text(0);
  v.child_id = s.Text(1);
  v.subject_kind = s.Text(2);
  v.record.visibility = domain::ParseVisibility(s.Text(3)).value_or(Visibility::kTeam);  // fail closed
  if (!s.IsNull(4)) v.record.reason = domain::ParseRestrictionReason(s.Text(4));
  v.record.reason_text = s.Text(5);
  v.record.review = domain::ParseRestrictionReview(s.Text(6)).value_or(domain::RestrictionReview::kNone);
  v.set_by = s.Text(7);
  v.set_at = s.Time(8);
  v.reviewed_by = s.Text(9);
  v.reviewed_at = s.OptionalTime(10);
  v.set_by_agency_id = s.Text(11);
  return v;
}

constexpr std::string_view kReleaseColumns =
    "id, request_id, child_id, subject_id, agency_id, requested_by, requested_at, reason, status, decided_by,"
    " decided_at, decision_reason";

ReleaseRequest ReadRelease(const Rows& s) {
  ReleaseRequest r;
  r.id = s.Text(0);
  r.request_id = s.Text(1);
  r.child_id = s.Text(2);
  r.subject_id = s.Text(3);
  r.agency_id = s.Text(4);
  r.requested_by = s.Text(5);
  r.requested_at = s.Time(6);
  r.reason = s.Text(7);
  // An unknown status is no agreement: fail closed.
  r.status = domain::ParseReleaseStatus(s.Text(8)).value_or(domain::ReleaseStatus::kDeclined);
  r.decided_by = s.Text(9);
  r.decided_at = s.OptionalTime(10);
  r.decision_reason = s.Text(11);
  return r;
}

constexpr std::string_view kInvitationColumns =
    "id, code_hash, child_id, relation, name, wheel_person_id, invited_by, created_at, expires_at, redeemed_at,"
    " redeemed_by, failed_checks, revoked_at";

FamilyInvitation ReadInvitation(const Rows& s) {
  FamilyInvitation i;
  i.id = s.Text(0);
  i.code_hash = s.Text(1);
  i.child_id = s.Text(2);
  i.relation = domain::ParseFamilyRelation(s.Text(3)).value_or(domain::FamilyRelation::kParentCarer);
  i.name = s.Text(4);
  i.wheel_person_id = s.Text(5);
  i.invited_by = s.Text(6);
  i.created_at = s.Time(7);
  i.expires_at = s.Time(8);
  i.redeemed_at = s.OptionalTime(9);
  i.redeemed_by = s.Text(10);
  i.failed_checks = static_cast<int>(s.Int(11));
  i.revoked_at = s.OptionalTime(12);
  return i;
}

FamilyLinkRow ReadLink(const Rows& s) {
  return {s.Text(0), s.Text(1), domain::ParseFamilyRelation(s.Text(2)).value_or(domain::FamilyRelation::kParentCarer),
          s.Time(3), s.Text(4)};
}

class PgFamily final : public FamilyRepository {
 public:
  explicit PgFamily(Connection& db) : db_(db) {}

  void SetVisibility(const VisibilityRow& v) override {
    static const std::string kSql = "INSERT INTO family_visibility (" + std::string(kVisibilityColumns) +
                                    ") VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12) ON CONFLICT (subject_id) DO UPDATE"
                                    " SET child_id=excluded.child_id, subject_kind=excluded.subject_kind,"
                                    " visibility=excluded.visibility, reason=excluded.reason,"
                                    " reason_text=excluded.reason_text, review=excluded.review,"
                                    " set_by=excluded.set_by, set_at=excluded.set_at,"
                                    " reviewed_by=excluded.reviewed_by, reviewed_at=excluded.reviewed_at,"
                                    " set_by_agency_id=excluded.set_by_agency_id";
    auto s = db_.Prepare(kSql);
    s.Bind(v.subject_id).Bind(v.child_id).Bind(v.subject_kind).Bind(domain::ToString(v.record.visibility));
    if (v.record.reason) {
      s.Bind(domain::ToString(*v.record.reason));
    } else {
      s.BindNull();
    }
    s.Bind(v.record.reason_text).Bind(domain::ToString(v.record.review)).Bind(v.set_by).Bind(v.set_at);
    s.BindTextOrNull(v.reviewed_by).Bind(v.reviewed_at).Bind(v.set_by_agency_id);
    s.Run();
  }

  std::optional<VisibilityRow> Visibility(const std::string& subject_id) override {
    static const std::string kSql =
        "SELECT " + std::string(kVisibilityColumns) + " FROM family_visibility WHERE subject_id=$1";
    auto s = db_.Prepare(kSql).Bind(subject_id).Run();
    if (!s.Next()) return std::nullopt;
    return ReadVisibility(s);
  }

  std::vector<VisibilityRow> VisibilityForChild(const std::string& child_id) override {
    static const std::string kSql =
        "SELECT " + std::string(kVisibilityColumns) + " FROM family_visibility WHERE child_id=$1 ORDER BY subject_id";
    auto s = db_.Prepare(kSql).Bind(child_id).Run();
    std::vector<VisibilityRow> out;
    while (s.Next()) out.push_back(ReadVisibility(s));
    return out;
  }

  std::vector<std::pair<std::string, domain::Visibility>> Defaults(const std::string& authority_id) override {
    auto s =
        db_.Prepare("SELECT subject_type, visibility FROM family_defaults WHERE authority_id=$1 ORDER BY subject_type")
            .Bind(authority_id)
            .Run();
    std::vector<std::pair<std::string, domain::Visibility>> out;
    while (s.Next()) out.emplace_back(s.Text(0), domain::ParseVisibility(s.Text(1)).value_or(Visibility::kTeam));
    return out;
  }

  void SetDefault(const std::string& authority_id, const std::string& subject_type,
                  domain::Visibility visibility) override {
    db_.Prepare(
           "INSERT INTO family_defaults (authority_id, subject_type, visibility) VALUES ($1,$2,$3)"
           " ON CONFLICT (authority_id, subject_type) DO UPDATE SET visibility=excluded.visibility")
        .Bind(authority_id)
        .Bind(subject_type)
        .Bind(domain::ToString(visibility))
        .Run();
  }

  std::optional<int> YoungPersonMinAge(const std::string& authority_id) override {
    auto s =
        db_.Prepare("SELECT young_person_min_age FROM family_settings WHERE authority_id=$1").Bind(authority_id).Run();
    if (!s.Next()) return std::nullopt;
    return static_cast<int>(s.Int(0));
  }

  void SetYoungPersonMinAge(const std::string& authority_id, int age) override {
    db_.Prepare(
           "INSERT INTO family_settings (authority_id, young_person_min_age) VALUES ($1,$2)"
           " ON CONFLICT (authority_id) DO UPDATE SET young_person_min_age=excluded.young_person_min_age")
        .Bind(authority_id)
        .Bind(age)
        .Run();
  }

  Status InsertInvitation(const FamilyInvitation& i) override {
    static const std::string kSql = "INSERT INTO family_invitations (" + std::string(kInvitationColumns) +
                                    ") VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13) ON CONFLICT DO NOTHING";
    auto s = db_.Prepare(kSql);
    s.Bind(i.id).Bind(i.code_hash).Bind(i.child_id).Bind(domain::ToString(i.relation)).Bind(i.name);
    s.BindTextOrNull(i.wheel_person_id).Bind(i.invited_by).Bind(i.created_at).Bind(i.expires_at);
    s.Bind(i.redeemed_at).BindTextOrNull(i.redeemed_by).Bind(i.failed_checks).Bind(i.revoked_at);
    return InsertOrConflict(s, "invitation " + i.id);
  }

  std::optional<FamilyInvitation> InvitationByCodeHash(const std::string& code_hash) override {
    static const std::string kSql =
        "SELECT " + std::string(kInvitationColumns) + " FROM family_invitations WHERE code_hash=$1";
    auto s = db_.Prepare(kSql).Bind(code_hash).Run();
    if (!s.Next()) return std::nullopt;
    return ReadInvitation(s);
  }

  Status UpdateInvitation(const FamilyInvitation& i) override {
    auto s = db_.Prepare(
                    "UPDATE family_invitations SET redeemed_at=$1, redeemed_by=$2, failed_checks=$3, revoked_at=$4"
                    " WHERE id=$5")
                 .Bind(i.redeemed_at)
                 .BindTextOrNull(i.redeemed_by)
                 .Bind(i.failed_checks)
                 .Bind(i.revoked_at)
                 .Bind(i.id)
                 .Run();
    if (s.affected() == 0) return Error::NotFound("no such invitation");
    return Ok{};
  }

  std::vector<FamilyInvitation> InvitationsForChild(const std::string& child_id) override {
    static const std::string kSql = "SELECT " + std::string(kInvitationColumns) +
                                    " FROM family_invitations WHERE child_id=$1 ORDER BY created_at DESC, id DESC";
    auto s = db_.Prepare(kSql).Bind(child_id).Run();
    std::vector<FamilyInvitation> out;
    while (s.Next()) out.push_back(ReadInvitation(s));
    return out;
  }

  Status Link(const FamilyLinkRow& l) override {
    auto s = db_.Prepare(
        "INSERT INTO family_links (user_id, child_id, relation, linked_at, invitation_id) VALUES ($1,$2,$3,$4,$5)"
        " ON CONFLICT DO NOTHING");
    s.Bind(l.user_id).Bind(l.child_id).Bind(domain::ToString(l.relation)).Bind(l.linked_at).Bind(l.invitation_id);
    return InsertOrConflict(s, "link");
  }

  std::vector<FamilyLinkRow> LinksOf(const std::string& user_id) override {
    return Links(
        "SELECT user_id, child_id, relation, linked_at, invitation_id FROM family_links WHERE user_id=$1"
        " ORDER BY linked_at, user_id, child_id",
        user_id);
  }

  std::vector<FamilyLinkRow> LinksToChild(const std::string& child_id) override {
    return Links(
        "SELECT user_id, child_id, relation, linked_at, invitation_id FROM family_links WHERE child_id=$1"
        " ORDER BY linked_at, user_id, child_id",
        child_id);
  }

  Status InsertEntry(const FamilyEntry& e) override {
    auto s = db_.Prepare(
        "INSERT INTO family_entries (id, child_id, author_id, kind, about_entry_id, text, created_at)"
        " VALUES ($1,$2,$3,$4,$5,$6,$7) ON CONFLICT DO NOTHING");
    s.Bind(e.id).Bind(e.child_id).Bind(e.author_id).Bind(domain::ToString(e.kind)).BindTextOrNull(e.about_entry_id);
    s.Bind(e.text).Bind(e.created_at);
    return InsertOrConflict(s, "family entry " + e.id);
  }

  std::vector<FamilyEntry> Entries(const std::string& child_id) override {
    auto s = db_.Prepare(
                    "SELECT id, child_id, author_id, kind, about_entry_id, text, created_at FROM family_entries"
                    " WHERE child_id=$1 ORDER BY created_at DESC, id DESC")
                 .Bind(child_id)
                 .Run();
    std::vector<FamilyEntry> out;
    while (s.Next()) {
      out.push_back({s.Text(0), s.Text(1), s.Text(2),
                     domain::ParseFamilyEntryKind(s.Text(3)).value_or(domain::FamilyEntryKind::kThoughts), s.Text(4),
                     s.Text(5), s.Time(6)});
    }
    return out;
  }

  std::vector<std::string> ChildrenWithEntries() override {
    auto s = db_.Prepare("SELECT DISTINCT child_id FROM family_entries ORDER BY child_id").Run();
    std::vector<std::string> out;
    while (s.Next()) out.push_back(s.Text(0));
    return out;
  }

  Status InsertReleaseRequest(const ReleaseRequest& r) override {
    static const std::string kSql = "INSERT INTO family_release_requests (" + std::string(kReleaseColumns) +
                                    ") VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12) ON CONFLICT DO NOTHING";
    auto s = db_.Prepare(kSql);
    s.Bind(r.id).Bind(r.request_id).Bind(r.child_id).Bind(r.subject_id).Bind(r.agency_id).Bind(r.requested_by);
    s.Bind(r.requested_at).Bind(r.reason).Bind(domain::ToString(r.status)).Bind(r.decided_by).Bind(r.decided_at);
    s.Bind(r.decision_reason);
    return InsertOrConflict(s, "release request " + r.id);
  }

  Status UpdateReleaseRequest(const ReleaseRequest& r) override {
    auto s = db_.Prepare(
                    "UPDATE family_release_requests SET status=$1, decided_by=$2, decided_at=$3, decision_reason=$4"
                    " WHERE id=$5")
                 .Bind(domain::ToString(r.status))
                 .Bind(r.decided_by)
                 .Bind(r.decided_at)
                 .Bind(r.decision_reason)
                 .Bind(r.id)
                 .Run();
    if (s.affected() == 0) return Error::NotFound("no such release request");
    return Ok{};
  }

  std::vector<ReleaseRequest> ReleaseRequests(const std::string& child_id) override {
    static const std::string kSql = "SELECT " + std::string(kReleaseColumns) +
                                    " FROM family_release_requests WHERE child_id=$1"
                                    " ORDER BY requested_at DESC, id DESC";
    auto s = db_.Prepare(kSql).Bind(child_id).Run();
    std::vector<ReleaseRequest> out;
    while (s.Next()) out.push_back(ReadRelease(s));
    return out;
  }

 private:
  std::vector<FamilyLinkRow> Links(std::string_view sql, const std::string& value) {
    auto s = db_.Prepare(sql).Bind(value).Run();
    std::vector<FamilyLinkRow> out;
    while (s.Next()) out.push_back(ReadLink(s));
    return out;
  }

  Connection& db_;
};

}  // namespace

std::unique_ptr<FamilyRepository> MakeFamily(Connection& c) { return std::make_unique<PgFamily>(c); }

}  // namespace kith::storage::postgres
