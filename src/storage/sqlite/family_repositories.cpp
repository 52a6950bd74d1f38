// The SQLite FamilyRepository (tables of migration 5; see docs/data-model.md).
#include "storage/sqlite/account_repositories.h"

namespace kith::storage::sqlite {
namespace {

using domain::Visibility;

void BindTextOrNull(Statement& s, int pos, const std::string& text) {
  if (text.empty()) {
    s.BindNull(pos);
  } else {
    s.Bind(pos, text);
  }
}

std::optional<int64_t> Micros(const std::optional<TimePoint>& t) {
  return t ? std::optional<int64_t>(ToMicros(*t)) : std::nullopt;
}

std::optional<TimePoint> Time(const Statement& s, int col) {
  if (s.IsNull(col)) return std::nullopt;
  return FromMicros(s.Int(col));
}

constexpr std::string_view kVisibilityColumns =
    "subject_id, child_id, subject_kind, visibility, reason, reason_text, review, set_by, set_at, reviewed_by,"
    " reviewed_at, set_by_agency_id";

VisibilityRow ReadVisibility(const Statement& s) {
  VisibilityRow v;
  v.subject_id = s.Text(0);
  v.child_id = s.Text(1);
  v.subject_kind = s.Text(2);
  v.record.visibility = domain::ParseVisibility(s.Text(3)).value_or(Visibility::kTeam);  // fail closed
  if (!s.IsNull(4)) v.record.reason = domain::ParseRestrictionReason(s.Text(4));
  v.record.reason_text = s.Text(5);
  v.record.review = domain::ParseRestrictionReview(s.Text(6)).value_or(domain::RestrictionReview::kNone);
  v.set_by = s.Text(7);
  v.set_at = FromMicros(s.Int(8));
  v.reviewed_by = s.Text(9);
  v.reviewed_at = Time(s, 10);
  v.set_by_agency_id = s.Text(11);
  return v;
}

constexpr std::string_view kReleaseColumns =
    "id, request_id, child_id, subject_id, agency_id, requested_by, requested_at, reason, status, decided_by,"
    " decided_at, decision_reason";

ReleaseRequest ReadRelease(const Statement& s) {
  ReleaseRequest r;
  r.id = s.Text(0);
  r.request_id = s.Text(1);
  r.child_id = s.Text(2);
  r.subject_id = s.Text(3);
  r.agency_id = s.Text(4);
  r.requested_by = s.Text(5);
  r.requested_at = FromMicros(s.Int(6));
  r.reason = s.Text(7);
  // An unknown status is no agreement: fail closed.
  r.status = domain::ParseReleaseStatus(s.Text(8)).value_or(domain::ReleaseStatus::kDeclined);
  r.decided_by = s.Text(9);
  r.decided_at = Time(s, 10);
  r.decision_reason = s.Text(11);
  return r;
}

constexpr std::string_view kInvitationColumns =
    "id, code_hash, child_id, relation, name, wheel_person_id, invited_by, created_at, expires_at, redeemed_at,"
    " redeemed_by, failed_checks, revoked_at";

FamilyInvitation ReadInvitation(const Statement& s) {
  FamilyInvitation i;
  i.id = s.Text(0);
  i.code_hash = s.Text(1);
  i.child_id = s.Text(2);
  i.relation = domain::ParseFamilyRelation(s.Text(3)).value_or(domain::FamilyRelation::kParentCarer);
  i.name = s.Text(4);
  i.wheel_person_id = s.Text(5);
  i.invited_by = s.Text(6);
  i.created_at = FromMicros(s.Int(7));
  i.expires_at = FromMicros(s.Int(8));
  i.redeemed_at = Time(s, 9);
  i.redeemed_by = s.Text(10);
  i.failed_checks = static_cast<int>(s.Int(11));
  i.revoked_at = Time(s, 12);
  return i;
}

FamilyLinkRow ReadLink(const Statement& s) {
  return {s.Text(0), s.Text(1), domain::ParseFamilyRelation(s.Text(2)).value_or(domain::FamilyRelation::kParentCarer),
          FromMicros(s.Int(3)), s.Text(4)};
}

class SqliteFamily final : public FamilyRepository {
 public:
  explicit SqliteFamily(Connection& db) : db_(db) {}

  void SetVisibility(const VisibilityRow& v) override {
    auto s = db_.Prepare("INSERT OR REPLACE INTO family_visibility (" + std::string(kVisibilityColumns) +
                         ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?)");
    s.Bind(1, v.subject_id).Bind(2, v.child_id).Bind(3, v.subject_kind).Bind(4, domain::ToString(v.record.visibility));
    if (v.record.reason) {
      s.Bind(5, domain::ToString(*v.record.reason));
    } else {
      s.BindNull(5);
    }
    s.Bind(6, v.record.reason_text).Bind(7, domain::ToString(v.record.review)).Bind(8, v.set_by);
    s.Bind(9, ToMicros(v.set_at));
    BindTextOrNull(s, 10, v.reviewed_by);
    s.Bind(11, Micros(v.reviewed_at)).Bind(12, v.set_by_agency_id);
    s.Run();
  }

  std::optional<VisibilityRow> Visibility(const std::string& subject_id) override {
    auto s = db_.Prepare("SELECT " + std::string(kVisibilityColumns) + " FROM family_visibility WHERE subject_id=?");
    s.Bind(1, subject_id);
    if (!s.Step()) return std::nullopt;
    return ReadVisibility(s);
  }

  std::vector<VisibilityRow> VisibilityForChild(const std::string& child_id) override {
    auto s = db_.Prepare("SELECT " + std::string(kVisibilityColumns) +
                         " FROM family_visibility WHERE child_id=? ORDER BY subject_id");
    s.Bind(1, child_id);
    std::vector<VisibilityRow> out;
    while (s.Step()) out.push_back(ReadVisibility(s));
    return out;
  }

  std::vector<std::pair<std::string, domain::Visibility>> Defaults(const std::string& authority_id) override {
    auto s =
        db_.Prepare("SELECT subject_type, visibility FROM family_defaults WHERE authority_id=? ORDER BY subject_type");
    s.Bind(1, authority_id);
    std::vector<std::pair<std::string, domain::Visibility>> out;
    while (s.Step()) out.emplace_back(s.Text(0), domain::ParseVisibility(s.Text(1)).value_or(Visibility::kTeam));
    return out;
  }

  void SetDefault(const std::string& authority_id, const std::string& subject_type,
                  domain::Visibility visibility) override {
    auto s =
        db_.Prepare("INSERT OR REPLACE INTO family_defaults (authority_id, subject_type, visibility) VALUES (?,?,?)");
    s.Bind(1, authority_id).Bind(2, subject_type).Bind(3, domain::ToString(visibility));
    s.Run();
  }

  std::optional<int> YoungPersonMinAge(const std::string& authority_id) override {
    auto s = db_.Prepare("SELECT young_person_min_age FROM family_settings WHERE authority_id=?");
    s.Bind(1, authority_id);
    if (!s.Step()) return std::nullopt;
    return static_cast<int>(s.Int(0));
  }

  void SetYoungPersonMinAge(const std::string& authority_id, int age) override {
    auto s = db_.Prepare("INSERT OR REPLACE INTO family_settings (authority_id, young_person_min_age) VALUES (?,?)");
    s.Bind(1, authority_id).Bind(2, age);
    s.Run();
  }

  Status InsertInvitation(const FamilyInvitation& i) override {
    auto s = db_.Prepare("INSERT INTO family_invitations (" + std::string(kInvitationColumns) +
                         ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)");
    s.Bind(1, i.id).Bind(2, i.code_hash).Bind(3, i.child_id).Bind(4, domain::ToString(i.relation)).Bind(5, i.name);
    BindTextOrNull(s, 6, i.wheel_person_id);
    s.Bind(7, i.invited_by).Bind(8, ToMicros(i.created_at)).Bind(9, ToMicros(i.expires_at));
    s.Bind(10, Micros(i.redeemed_at));
    BindTextOrNull(s, 11, i.redeemed_by);
    s.Bind(12, i.failed_checks).Bind(13, Micros(i.revoked_at));
    return InsertOrConflict(db_, s, "invitation " + i.id);
  }

  std::optional<FamilyInvitation> InvitationByCodeHash(const std::string& code_hash) override {
    auto s = db_.Prepare("SELECT " + std::string(kInvitationColumns) + " FROM family_invitations WHERE code_hash=?");
    s.Bind(1, code_hash);
    if (!s.Step()) return std::nullopt;
    return ReadInvitation(s);
  }

  Status UpdateInvitation(const FamilyInvitation& i) override {
    auto s = db_.Prepare(
        "UPDATE family_invitations SET redeemed_at=?, redeemed_by=?, failed_checks=?, revoked_at=? WHERE id=?");
    s.Bind(1, Micros(i.redeemed_at));
    BindTextOrNull(s, 2, i.redeemed_by);
    s.Bind(3, i.failed_checks).Bind(4, Micros(i.revoked_at)).Bind(5, i.id);
    s.Run();
    if (db_.Changes() == 0) return Error::NotFound("no such invitation");
    return Ok{};
  }

  std::vector<FamilyInvitation> InvitationsForChild(const std::string& child_id) override {
    auto s = db_.Prepare("SELECT " + std::string(kInvitationColumns) +
                         " FROM family_invitations WHERE child_id=? ORDER BY created_at DESC, id DESC");
    s.Bind(1, child_id);
    std::vector<FamilyInvitation> out;
    while (s.Step()) out.push_back(ReadInvitation(s));
    return out;
  }

  Status Link(const FamilyLinkRow& l) override {
    auto s = db_.Prepare(
        "INSERT INTO family_links (user_id, child_id, relation, linked_at, invitation_id) VALUES (?,?,?,?,?)");
    s.Bind(1, l.user_id).Bind(2, l.child_id).Bind(3, domain::ToString(l.relation)).Bind(4, ToMicros(l.linked_at));
    s.Bind(5, l.invitation_id);
    return InsertOrConflict(db_, s, "link");
  }

  std::vector<FamilyLinkRow> LinksOf(const std::string& user_id) override { return Links("user_id", user_id); }

  std::vector<FamilyLinkRow> LinksToChild(const std::string& child_id) override { return Links("child_id", child_id); }

  Status InsertEntry(const FamilyEntry& e) override {
    auto s = db_.Prepare(
        "INSERT INTO family_entries (id, child_id, author_id, kind, about_entry_id, text, created_at)"
        " VALUES (?,?,?,?,?,?,?)");
    s.Bind(1, e.id).Bind(2, e.child_id).Bind(3, e.author_id).Bind(4, domain::ToString(e.kind));
    BindTextOrNull(s, 5, e.about_entry_id);
    s.Bind(6, e.text).Bind(7, ToMicros(e.created_at));
    return InsertOrConflict(db_, s, "family entry " + e.id);
  }

  std::vector<FamilyEntry> Entries(const std::string& child_id) override {
    auto s = db_.Prepare(
        "SELECT id, child_id, author_id, kind, about_entry_id, text, created_at FROM family_entries"
        " WHERE child_id=? ORDER BY created_at DESC, id DESC");
    s.Bind(1, child_id);
    std::vector<FamilyEntry> out;
    while (s.Step()) {
      out.push_back({s.Text(0), s.Text(1), s.Text(2),
                     domain::ParseFamilyEntryKind(s.Text(3)).value_or(domain::FamilyEntryKind::kThoughts), s.Text(4),
                     s.Text(5), FromMicros(s.Int(6))});
    }
    return out;
  }

  std::vector<std::string> ChildrenWithEntries() override {
    auto s = db_.Prepare("SELECT DISTINCT child_id FROM family_entries ORDER BY child_id");
    std::vector<std::string> out;
    while (s.Step()) out.push_back(s.Text(0));
    return out;
  }

  Status InsertReleaseRequest(const ReleaseRequest& r) override {
    auto s = db_.Prepare("INSERT INTO family_release_requests (" + std::string(kReleaseColumns) +
                         ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?)");
    s.Bind(1, r.id).Bind(2, r.request_id).Bind(3, r.child_id).Bind(4, r.subject_id).Bind(5, r.agency_id);
    s.Bind(6, r.requested_by).Bind(7, ToMicros(r.requested_at)).Bind(8, r.reason).Bind(9, domain::ToString(r.status));
    s.Bind(10, r.decided_by).Bind(11, Micros(r.decided_at)).Bind(12, r.decision_reason);
    return InsertOrConflict(db_, s, "release request " + r.id);
  }

  Status UpdateReleaseRequest(const ReleaseRequest& r) override {
    auto s = db_.Prepare(
        "UPDATE family_release_requests SET status=?, decided_by=?, decided_at=?, decision_reason=? WHERE id=?");
    s.Bind(1, domain::ToString(r.status)).Bind(2, r.decided_by).Bind(3, Micros(r.decided_at));
    s.Bind(4, r.decision_reason).Bind(5, r.id);
    s.Run();
    if (db_.Changes() == 0) return Error::NotFound("no such release request");
    return Ok{};
  }

  std::vector<ReleaseRequest> ReleaseRequests(const std::string& child_id) override {
    auto s = db_.Prepare("SELECT " + std::string(kReleaseColumns) +
                         " FROM family_release_requests WHERE child_id=? ORDER BY requested_at DESC, id DESC");
    s.Bind(1, child_id);
    std::vector<ReleaseRequest> out;
    while (s.Step()) out.push_back(ReadRelease(s));
    return out;
  }

 private:
  std::vector<FamilyLinkRow> Links(std::string_view column, const std::string& value) {
    auto s = db_.Prepare("SELECT user_id, child_id, relation, linked_at, invitation_id FROM family_links WHERE " +
                         std::string(column) + "=? ORDER BY linked_at, user_id, child_id");
    s.Bind(1, value);
    std::vector<FamilyLinkRow> out;
    while (s.Step()) out.push_back(ReadLink(s));
    return out;
  }

  Connection& db_;
};

}  // namespace

std::unique_ptr<FamilyRepository> MakeFamilyRepository(Connection& connection) {
  return std::make_unique<SqliteFamily>(connection);
}

}  // namespace kith::storage::sqlite
