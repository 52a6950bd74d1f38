#include "storage/sqlite/sqlite_repositories.h"

#include <algorithm>

#include <sqlite3.h>

#include <nlohmann/json.hpp>

#include "storage/documents.h"
#include "storage/sqlite/access_repositories.h"
#include "storage/sqlite/account_repositories.h"
#include "storage/sqlite/early_help_repository.h"
#include "storage/sqlite/idempotency_repository.h"
#include "storage/sqlite/import_job_repository.h"
#include "storage/sqlite/index_repositories.h"
#include "storage/sqlite/misuse_repositories.h"
#include "storage/sqlite/retention_repository.h"
#include "storage/sqlite/values.h"

namespace kith::storage::sqlite {
namespace {

using domain::Agency;
using domain::AuditRecord;
using domain::Child;
using domain::LocalAuthority;
using domain::User;

bool IsUniqueViolation(const StorageError& e) {
  return std::string_view(e.what()).find("UNIQUE constraint failed") != std::string_view::npos;
}

// Runs an insert and turns a uniqueness/primary-key violation into kConflict.
Status RunInsert(Statement& stmt, std::string what) {
  try {
    stmt.Run();
  } catch (const StorageError& e) {
    if (IsUniqueViolation(e)) return Error::Conflict(what + " already exists");
    throw;
  }
  return Ok{};
}

std::optional<int64_t> Micros(const std::optional<TimePoint>& t) {
  if (!t) return std::nullopt;
  return ToMicros(*t);
}

std::optional<TimePoint> Time(const std::optional<int64_t>& us) {
  if (!us) return std::nullopt;
  return FromMicros(*us);
}

// Every mutating method of the users, sessions and authorities repositories calls this, so
// that the store can tell session caches (Store::IdentityVersion). Null on read connections.
void MarkIdentityChanged(WriteEffects* effects) {
  if (effects) effects->identity = true;
}

// Every mutating method of the children, teams, users, agencies and merges repositories calls
// this, so that the store can tell account caches (Store::RecordsVersion).
void MarkRecordsChanged(WriteEffects* effects) {
  if (effects) effects->records = true;
}

// Text columns for optional foreign keys hold NULL rather than ''.
void BindOptionalId(Statement& s, int pos, const std::string& id) {
  if (id.empty()) {
    s.BindNull(pos);
  } else {
    s.Bind(pos, id);
  }
}

// An agency from the seven columns id, authority_id, name, kind, phone, email, address starting
// at column `first`.
Agency ReadAgency(const Statement& s, int first) {
  Agency a{s.Text(first),     s.Text(first + 1), s.Text(first + 2), domain::AgencyKind::kVoluntarySector,
           s.Text(first + 4), s.Text(first + 5), s.Text(first + 6)};
  if (auto kind = domain::ParseAgencyKind(s.Text(first + 3))) a.kind = *kind;
  return a;
}

class SqliteAuthorities final : public AuthorityRepository {
 public:
  SqliteAuthorities(Connection& db, WriteEffects* effects) : db_(db), changed_(effects) {}

  Status Insert(const LocalAuthority& a) override {
    MarkIdentityChanged(changed_);
    auto s = db_.Prepare("INSERT INTO authorities(id, code, name, require_second_factor) VALUES (?,?,?,?)");
    s.Bind(1, a.id).Bind(2, a.code).Bind(3, a.name).Bind(4, a.require_second_factor);
    return RunInsert(s, "local authority " + a.code);
  }

  void Update(const LocalAuthority& a) override {
    MarkIdentityChanged(changed_);
    auto s = db_.Prepare("UPDATE authorities SET code=?, name=?, require_second_factor=? WHERE id=?");
    s.Bind(1, a.code).Bind(2, a.name).Bind(3, a.require_second_factor).Bind(4, a.id).Run();
  }

  std::optional<LocalAuthority> Get(const std::string& id) override {
    auto s = db_.Prepare("SELECT id, code, name, require_second_factor FROM authorities WHERE id=?");
    s.Bind(1, id);
    if (!s.Step()) return std::nullopt;
    return Read(s);
  }

  std::vector<LocalAuthority> List() override {
    auto s = db_.Prepare("SELECT id, code, name, require_second_factor FROM authorities ORDER BY name");
    std::vector<LocalAuthority> out;
    while (s.Step()) out.push_back(Read(s));
    return out;
  }

 private:
  static LocalAuthority Read(const Statement& s) { return {s.Text(0), s.Text(1), s.Text(2), s.Bool(3)}; }
  Connection& db_;
  WriteEffects* changed_;
};

class SqliteAgencies final : public AgencyRepository {
 public:
  SqliteAgencies(Connection& db, WriteEffects* effects) : db_(db), changed_(effects) {}

  Status Insert(const Agency& a) override {
    MarkRecordsChanged(changed_);
    auto s =
        db_.Prepare("INSERT INTO agencies(id, authority_id, name, kind, phone, email, address) VALUES (?,?,?,?,?,?,?)");
    Bind(s, a);
    return RunInsert(s, "agency " + a.id);
  }

  Status Update(const Agency& a) override {
    MarkRecordsChanged(changed_);
    auto s = db_.Prepare(
        "UPDATE agencies SET id=?1, authority_id=?2, name=?3, kind=?4, phone=?5, email=?6, address=?7 WHERE id=?1");
    Bind(s, a);
    s.Run();
    if (db_.Changes() == 0) return Error::NotFound("no such agency");
    return Ok{};
  }

  std::optional<Agency> Get(const std::string& id) override {
    static const std::string kSql = std::string(kSelect) + " WHERE id=?";
    auto s = db_.Prepare(kSql);
    s.Bind(1, id);
    if (!s.Step()) return std::nullopt;
    return Read(s);
  }

  std::vector<Agency> ListByAuthority(const std::string& authority_id) override {
    static const std::string kSql = std::string(kSelect) + " WHERE authority_id=? ORDER BY name";
    auto s = db_.Prepare(kSql);
    s.Bind(1, authority_id);
    std::vector<Agency> out;
    while (s.Step()) out.push_back(Read(s));
    return out;
  }

 private:
  static constexpr std::string_view kSelect =
      "SELECT id, authority_id, name, kind, phone, email, address FROM agencies";

  static void Bind(Statement& s, const Agency& a) {
    s.Bind(1, a.id).Bind(2, a.authority_id).Bind(3, a.name).Bind(4, domain::ToString(a.kind));
    s.Bind(5, a.phone).Bind(6, a.email).Bind(7, a.address);
  }

  static Agency Read(const Statement& s) { return ReadAgency(s, 0); }

  Connection& db_;
  WriteEffects* changed_;
};

class SqliteUsers final : public UserRepository {
 public:
  SqliteUsers(Connection& db, WriteEffects* effects) : db_(db), changed_(effects) {}

  Status Insert(const User& u) override {
    MarkIdentityChanged(changed_);
    MarkRecordsChanged(changed_);
    auto s = db_.Prepare(
        "INSERT INTO users(id, username, display_name, job_title, email, phone, role, authority_id, agency_id,"
        " active, password_hash, totp_secret, totp_enrolled, failed_logins, locked_until, last_login_at,"
        " totp_last_step, index_steward, information_governance, version)"
        " VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?18,?19,?20,1)");
    Bind(s, u);
    s.Bind(18, u.totp_last_step);
    return RunInsert(s, "user " + u.username);
  }

  Status Update(const User& u) override {
    MarkIdentityChanged(changed_);
    MarkRecordsChanged(changed_);
    auto s = db_.Prepare(
        "UPDATE users SET username=?2, display_name=?3, job_title=?4, email=?5, phone=?6, role=?7,"
        " authority_id=?8, agency_id=?9, active=?10, password_hash=?11, totp_secret=?12, totp_enrolled=?13,"
        " failed_logins=?14, locked_until=?15, last_login_at=?16, index_steward=?19,"
        " information_governance=?20, version=version+1"
        " WHERE id=?1 AND version=?17");
    Bind(s, u);
    s.Bind(17, u.version);
    try {
      s.Run();
    } catch (const StorageError& e) {
      if (IsUniqueViolation(e)) return Error::Conflict("user " + u.username + " already exists");
      throw;
    }
    if (db_.Changes() == 1) return Ok{};
    return Get(u.id) ? Error::Conflict("the user was changed by someone else; reload and try again")
                     : Error::NotFound("no such user");
  }

  Status RecordSignIn(const User& u) override {
    MarkIdentityChanged(changed_);
    MarkRecordsChanged(changed_);
    auto s = db_.Prepare(
        "UPDATE users SET failed_logins=?2, locked_until=?3, last_login_at=?4, totp_last_step=?5 WHERE id=?1");
    s.Bind(1, u.id).Bind(2, u.failed_logins).Bind(3, Micros(u.locked_until)).Bind(4, Micros(u.last_login_at));
    s.Bind(5, u.totp_last_step).Run();
    if (db_.Changes() == 0) return Error::NotFound("no such user");
    return Ok{};
  }

  std::optional<User> Get(const std::string& id) override {
    static const std::string kSql = std::string(kSelect) + " WHERE id=?";
    return One(kSql, id);
  }
  std::optional<User> GetByUsername(const std::string& username) override {
    static const std::string kSql = std::string(kSelect) + " WHERE username=?";
    return One(kSql, username);
  }

  std::vector<User> ListByAuthority(const std::string& authority_id) override {
    static const std::string kSql = std::string(kSelect) + " WHERE authority_id=? ORDER BY username";
    auto s = db_.Prepare(kSql);
    s.Bind(1, authority_id);
    std::vector<User> out;
    while (s.Step()) out.push_back(Read(s));
    return out;
  }

 private:
  static constexpr std::string_view kSelect =
      "SELECT id, username, display_name, job_title, email, phone, role, authority_id, agency_id, active,"
      " password_hash, totp_secret, totp_enrolled, failed_logins, locked_until, last_login_at, version,"
      " totp_last_step, index_steward, information_governance FROM users";

  std::optional<User> One(const std::string& sql, const std::string& value) {
    auto s = db_.Prepare(sql);
    s.Bind(1, value);
    if (!s.Step()) return std::nullopt;
    return Read(s);
  }

  static void Bind(Statement& s, const User& u) {
    s.Bind(1, u.id).Bind(2, u.username).Bind(3, u.display_name).Bind(4, u.job_title).Bind(5, u.email);
    s.Bind(6, u.phone).Bind(7, domain::ToString(u.role));
    BindOptionalId(s, 8, u.authority_id);
    BindOptionalId(s, 9, u.agency_id);
    s.Bind(10, u.active).Bind(11, u.password_hash).Bind(12, u.totp_secret).Bind(13, u.totp_enrolled);
    s.Bind(14, u.failed_logins).Bind(15, Micros(u.locked_until)).Bind(16, Micros(u.last_login_at));
    s.Bind(19, u.index_steward).Bind(20, u.information_governance);
  }

  static User Read(const Statement& s) {
    User u;
    u.id = s.Text(0);
    u.username = s.Text(1);
    u.display_name = s.Text(2);
    u.job_title = s.Text(3);
    u.email = s.Text(4);
    u.phone = s.Text(5);
    u.role = domain::ParseRole(s.Text(6)).value_or(domain::Role::kPractitioner);
    u.authority_id = s.Text(7);
    u.agency_id = s.Text(8);
    u.active = s.Bool(9);
    u.password_hash = s.Text(10);
    u.totp_secret = s.Text(11);
    u.totp_enrolled = s.Bool(12);
    u.failed_logins = static_cast<int>(s.Int(13));
    u.locked_until = Time(s.OptionalInt(14));
    u.last_login_at = Time(s.OptionalInt(15));
    u.version = s.Int(16);
    u.totp_last_step = s.Int(17);
    u.index_steward = s.Bool(18);
    u.information_governance = s.Bool(19);
    return u;
  }

  Connection& db_;
  WriteEffects* changed_;
};

class SqliteChildren final : public ChildRepository {
 public:
  SqliteChildren(Connection& db, WriteEffects* effects) : db_(db), changed_(effects) {}

  Status Insert(const Child& c) override {
    MarkRecordsChanged(changed_);
    auto s = db_.Prepare(
        "INSERT INTO children(id, authority_id, given_names, family_name, date_of_birth, sex, address, postcode,"
        " nhs_number, upn, school_agency_id, gp_agency_id, early_help_assessment, child_protection_plan,"
        " looked_after, shielded, created_at, updated_at, care_leaver, special_educational_needs, date_of_death,"
        " version, change_seq)"
        " VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?20,?21,?22,1,"
        " (SELECT coalesce(max(change_seq), 0) + 1 FROM children))");
    Bind(s, c);
    if (auto st = RunInsert(s, "child " + c.id); !st) return st;
    WriteLists(c);
    return Ok{};
  }

  Status Update(const Child& c) override {
    MarkRecordsChanged(changed_);
    auto s = db_.Prepare(
        "UPDATE children SET authority_id=?2, given_names=?3, family_name=?4, date_of_birth=?5, sex=?6,"
        " address=?7, postcode=?8, nhs_number=?9, upn=?10, school_agency_id=?11, gp_agency_id=?12,"
        " early_help_assessment=?13, child_protection_plan=?14, looked_after=?15, shielded=?16,"
        " created_at=?17, updated_at=?18, care_leaver=?20, special_educational_needs=?21, date_of_death=?22,"
        " version=version+1,"
        " change_seq=(SELECT coalesce(max(change_seq), 0) + 1 FROM children) WHERE id=?1 AND version=?19");
    Bind(s, c);
    s.Bind(19, c.version).Run();
    if (db_.Changes() == 0) {
      auto exists = db_.Prepare("SELECT 1 FROM children WHERE id=?");
      exists.Bind(1, c.id);
      return exists.Step() ? Error::Conflict("the record was changed by someone else; reload and try again")
                           : Error::NotFound("no such child");
    }
    for (const char* table : {"child_other_names", "child_carers", "child_services", "child_unconfirmed_agencies"}) {
      auto del = db_.Prepare(std::string("DELETE FROM ") + table + " WHERE child_id=?");
      del.Bind(1, c.id).Run();
    }
    WriteLists(c);
    return Ok{};
  }

  std::optional<Child> Get(const std::string& id) override {
    static const std::string kSql = std::string(kSelect) + " WHERE id=?";
    auto s = db_.Prepare(kSql);
    s.Bind(1, id);
    if (!s.Step()) return std::nullopt;
    Child c = Read(s);
    ReadLists(c);
    return c;
  }

  std::vector<Child> ListByAuthority(const std::string& authority_id, const std::string& after_id, int limit) override {
    auto out = ListRecordsByAuthority(authority_id, after_id, limit);
    for (auto& c : out) ReadLists(c);
    return out;
  }

  std::vector<Child> ListRecordsByAuthority(const std::string& authority_id, const std::string& after_id,
                                            int limit) override {
    static const std::string kSql = std::string(kSelect) + " WHERE authority_id=? AND id>? ORDER BY id LIMIT ?";
    auto s = db_.Prepare(kSql);
    s.Bind(1, authority_id).Bind(2, after_id).Bind(3, limit);
    std::vector<Child> out;
    while (s.Step()) out.push_back(Read(s));
    return out;
  }

  int64_t Count() override {
    auto s = db_.Prepare("SELECT count(*) FROM children");
    s.Step();
    return s.Int(0);
  }

  // One writer: each stored row takes the next change_seq, so the sequence is the commit order
  // and the cursor is the highest seen.
  int64_t ChangeCursor() override {
    auto s = db_.Prepare("SELECT coalesce(max(change_seq), 0) FROM children");
    s.Step();
    return s.Int(0);
  }

  ChildChanges ChangedSince(int64_t cursor) override {
    static const std::string kSql = std::string(kSelect) + " WHERE change_seq>? ORDER BY change_seq";
    static const std::string kSeq = "SELECT coalesce(max(change_seq), 0) FROM children";
    ChildChanges out;
    auto seq = db_.Prepare(kSeq);
    seq.Step();
    out.next_cursor = std::max(cursor, seq.Int(0));
    auto s = db_.Prepare(kSql);
    s.Bind(1, cursor);
    while (s.Step()) out.records.push_back(Read(s));
    return out;
  }

 private:
  static constexpr std::string_view kSelect =
      "SELECT id, authority_id, given_names, family_name, date_of_birth, sex, address, postcode, nhs_number,"
      " upn, school_agency_id, gp_agency_id, early_help_assessment, child_protection_plan, looked_after,"
      " shielded, created_at, updated_at, version, care_leaver, special_educational_needs, date_of_death"
      " FROM children";

  // Binds ?1 .. ?18 and ?20 .. ?22 (?19 is the expected version of an update).
  static void Bind(Statement& s, const Child& c) {
    s.Bind(1, c.id).Bind(2, c.authority_id).Bind(3, c.given_names).Bind(4, c.family_name);
    if (c.date_of_birth) {
      s.Bind(5, c.date_of_birth->ToString());
    } else {
      s.BindNull(5);
    }
    s.Bind(6, domain::ToString(c.sex)).Bind(7, c.address).Bind(8, c.postcode).Bind(9, c.nhs_number);
    s.Bind(10, c.upn);
    BindOptionalId(s, 11, c.school_agency_id);
    BindOptionalId(s, 12, c.gp_agency_id);
    s.Bind(13, c.flags.early_help_assessment).Bind(14, c.flags.child_protection_plan);
    s.Bind(15, c.flags.looked_after).Bind(16, c.shielded);
    s.Bind(17, ToMicros(c.created_at)).Bind(18, ToMicros(c.updated_at));
    s.Bind(20, c.flags.care_leaver).Bind(21, c.flags.special_educational_needs);
    BindOptionalDate(s, 22, c.date_of_death);
  }

  static Child Read(const Statement& s) {
    Child c;
    c.id = s.Text(0);
    c.authority_id = s.Text(1);
    c.given_names = s.Text(2);
    c.family_name = s.Text(3);
    if (!s.IsNull(4)) c.date_of_birth = Date::Parse(s.Text(4));
    c.sex = domain::ParseSex(s.Text(5)).value_or(domain::Sex::kNotKnown);
    c.address = s.Text(6);
    c.postcode = s.Text(7);
    c.nhs_number = s.Text(8);
    c.upn = s.Text(9);
    c.school_agency_id = s.Text(10);
    c.gp_agency_id = s.Text(11);
    c.flags = {s.Bool(12), s.Bool(13), s.Bool(14)};
    c.shielded = s.Bool(15);
    c.created_at = FromMicros(s.Int(16));
    c.updated_at = FromMicros(s.Int(17));
    c.version = s.Int(18);
    c.flags.care_leaver = s.Bool(19);
    c.flags.special_educational_needs = s.Bool(20);
    c.date_of_death = OptionalDate(s, 21);
    return c;
  }

  void WriteLists(const Child& c) {
    for (size_t i = 0; i < c.other_names.size(); ++i) {
      auto s = db_.Prepare("INSERT INTO child_other_names(child_id, position, name) VALUES (?,?,?)");
      s.Bind(1, c.id).Bind(2, static_cast<int64_t>(i)).Bind(3, c.other_names[i]).Run();
    }
    for (size_t i = 0; i < c.carers.size(); ++i) {
      const auto& k = c.carers[i];
      auto s = db_.Prepare(
          "INSERT INTO child_carers(child_id, position, name, relationship, parental_responsibility, phone,"
          " email, address) VALUES (?,?,?,?,?,?,?,?)");
      s.Bind(1, c.id).Bind(2, static_cast<int64_t>(i)).Bind(3, k.name).Bind(4, k.relationship);
      s.Bind(5, k.parental_responsibility).Bind(6, k.phone).Bind(7, k.email).Bind(8, k.address).Run();
    }
    for (size_t i = 0; i < c.services.size(); ++i) {
      const auto& v = c.services[i];
      auto s = db_.Prepare(
          "INSERT INTO child_services(child_id, position, agency_id, description, start_date, end_date)"
          " VALUES (?,?,?,?,?,?)");
      s.Bind(1, c.id).Bind(2, static_cast<int64_t>(i)).Bind(3, v.agency_id).Bind(4, v.description);
      s.Bind(5, v.start.ToString());
      if (v.end) {
        s.Bind(6, v.end->ToString());
      } else {
        s.BindNull(6);
      }
      s.Run();
    }
    for (const auto& agency : c.unconfirmed_agencies) {
      auto s = db_.Prepare("INSERT INTO child_unconfirmed_agencies(child_id, agency_id) VALUES (?,?)");
      s.Bind(1, c.id).Bind(2, agency).Run();
    }
  }

  void ReadLists(Child& c) {
    auto names = db_.Prepare("SELECT name FROM child_other_names WHERE child_id=? ORDER BY position");
    names.Bind(1, c.id);
    while (names.Step()) c.other_names.push_back(names.Text(0));
    auto carers = db_.Prepare(
        "SELECT name, relationship, parental_responsibility, phone, email, address FROM child_carers"
        " WHERE child_id=? ORDER BY position");
    carers.Bind(1, c.id);
    while (carers.Step()) {
      c.carers.push_back(
          {carers.Text(0), carers.Text(1), carers.Bool(2), carers.Text(3), carers.Text(4), carers.Text(5)});
    }
    auto services = db_.Prepare(
        "SELECT agency_id, description, start_date, end_date FROM child_services WHERE child_id=? ORDER BY position");
    services.Bind(1, c.id);
    while (services.Step()) {
      domain::ServiceInvolvement v;
      v.agency_id = services.Text(0);
      v.description = services.Text(1);
      v.start = Date::Parse(services.Text(2)).value_or(Date{});
      if (!services.IsNull(3)) v.end = Date::Parse(services.Text(3));
      c.services.push_back(std::move(v));
    }
    auto unconfirmed =
        db_.Prepare("SELECT agency_id FROM child_unconfirmed_agencies WHERE child_id=? ORDER BY agency_id");
    unconfirmed.Bind(1, c.id);
    while (unconfirmed.Step()) c.unconfirmed_agencies.push_back(unconfirmed.Text(0));
  }

  Connection& db_;
  WriteEffects* changed_;
};

class SqliteTeams final : public TeamRepository {
 public:
  SqliteTeams(Connection& db, WriteEffects* effects) : db_(db), changed_(effects) {}

  domain::Team Members(const std::string& child_id) override {
    auto s = db_.Prepare(
        "SELECT child_id, user_id, role, reason, joined_at, lead FROM team_members WHERE child_id=?"
        " ORDER BY joined_at, user_id");
    s.Bind(1, child_id);
    domain::Team team;
    while (s.Step()) {
      team.push_back({s.Text(0), s.Text(1), s.Text(2), s.Text(3), FromMicros(s.Int(4)), s.Bool(5)});
    }
    return team;
  }

  std::vector<TeamMemberDetail> MembersWithPeople(const std::string& child_id) override {
    auto s = db_.Prepare(
        "SELECT t.child_id, t.user_id, t.role, t.reason, t.joined_at, t.lead,"
        " u.display_name, u.job_title, u.email, u.phone,"
        " a.id, a.authority_id, a.name, a.kind, a.phone, a.email, a.address"
        " FROM team_members t LEFT JOIN users u ON u.id=t.user_id LEFT JOIN agencies a ON a.id=u.agency_id"
        " WHERE t.child_id=? ORDER BY t.joined_at, t.user_id");
    s.Bind(1, child_id);
    std::vector<TeamMemberDetail> team;
    while (s.Step()) {
      TeamMemberDetail d{{s.Text(0), s.Text(1), s.Text(2), s.Text(3), FromMicros(s.Int(4)), s.Bool(5)},
                         s.Text(6),
                         s.Text(7),
                         s.Text(8),
                         s.Text(9),
                         std::nullopt};
      if (!s.IsNull(10)) d.agency = ReadAgency(s, 10);
      team.push_back(std::move(d));
    }
    return team;
  }

  std::vector<std::string> ChildrenOf(const std::string& user_id) override {
    auto s = db_.Prepare("SELECT child_id FROM team_members WHERE user_id=? ORDER BY joined_at DESC");
    s.Bind(1, user_id);
    std::vector<std::string> out;
    while (s.Step()) out.push_back(s.Text(0));
    return out;
  }

  void AddMember(const domain::TeamMember& m) override {
    MarkRecordsChanged(changed_);
    auto s =
        db_.Prepare("INSERT INTO team_members(child_id, user_id, role, reason, joined_at, lead) VALUES (?,?,?,?,?,?)");
    s.Bind(1, m.child_id).Bind(2, m.user_id).Bind(3, m.role).Bind(4, m.reason);
    s.Bind(5, ToMicros(m.joined_at)).Bind(6, m.lead).Run();
  }

  void RemoveMember(const std::string& child_id, const std::string& user_id) override {
    MarkRecordsChanged(changed_);
    auto s = db_.Prepare("DELETE FROM team_members WHERE child_id=? AND user_id=?");
    s.Bind(1, child_id).Bind(2, user_id).Run();
  }

  void SetLead(const std::string& child_id, const std::string& user_id, bool lead) override {
    MarkRecordsChanged(changed_);
    auto s = db_.Prepare("UPDATE team_members SET lead=? WHERE child_id=? AND user_id=?");
    s.Bind(1, lead).Bind(2, child_id).Bind(3, user_id).Run();
  }

  void AppendEvent(const TeamEvent& e) override {
    auto s = db_.Prepare(
        "INSERT INTO team_events(child_id, user_id, kind, role, reason, by_user_id, at) VALUES (?,?,?,?,?,?,?)");
    s.Bind(1, e.child_id).Bind(2, e.user_id).Bind(3, e.kind).Bind(4, e.role).Bind(5, e.reason);
    s.Bind(6, e.by_user_id).Bind(7, ToMicros(e.at)).Run();
  }

  std::vector<TeamEvent> History(const std::string& child_id) override {
    auto s = db_.Prepare(
        "SELECT child_id, user_id, kind, role, reason, by_user_id, at FROM team_events WHERE child_id=? ORDER BY id");
    s.Bind(1, child_id);
    std::vector<TeamEvent> out;
    while (s.Step()) {
      out.push_back({s.Text(0), s.Text(1), s.Text(2), s.Text(3), s.Text(4), s.Text(5), FromMicros(s.Int(6))});
    }
    return out;
  }

 private:
  Connection& db_;
  WriteEffects* changed_;
};

class SqliteSessions final : public SessionRepository {
 public:
  SqliteSessions(Connection& db, WriteEffects* effects) : db_(db), changed_(effects) {}

  void Insert(const SessionRecord& r) override {
    MarkIdentityChanged(changed_);
    auto s = db_.Prepare(
        "INSERT INTO sessions(token_hash, user_id, csrf_token, created_at, last_seen_at, second_factor_done,"
        " client, pending_totp_secret) VALUES (?,?,?,?,?,?,?,?)");
    Bind(s, r);
    s.Run();
  }

  std::optional<SessionRecord> Get(const std::string& token_hash) override {
    auto s = db_.Prepare(
        "SELECT token_hash, user_id, csrf_token, created_at, last_seen_at, second_factor_done, client,"
        " pending_totp_secret FROM sessions WHERE token_hash=?");
    s.Bind(1, token_hash);
    if (!s.Step()) return std::nullopt;
    return SessionRecord{s.Text(0), s.Text(1), s.Text(2), FromMicros(s.Int(3)), FromMicros(s.Int(4)),
                         s.Bool(5), s.Text(6), s.Text(7)};
  }

  void Update(const SessionRecord& r) override {
    MarkIdentityChanged(changed_);
    auto s = db_.Prepare(
        "UPDATE sessions SET token_hash=?1, user_id=?2, csrf_token=?3, created_at=?4, last_seen_at=max(last_seen_at, ?5),"
        " second_factor_done=?6, client=?7, pending_totp_secret=?8 WHERE token_hash=?1");
    Bind(s, r);
    s.Run();
  }

  void Touch(const std::string& token_hash, TimePoint now) override {
    auto s = db_.Prepare("UPDATE sessions SET last_seen_at=?2 WHERE token_hash=?1 AND last_seen_at<?2");
    s.Bind(1, token_hash).Bind(2, ToMicros(now)).Run();
  }

  void Delete(const std::string& token_hash) override {
    MarkIdentityChanged(changed_);
    auto s = db_.Prepare("DELETE FROM sessions WHERE token_hash=?");
    s.Bind(1, token_hash).Run();
  }

  void DeleteForUser(const std::string& user_id) override {
    MarkIdentityChanged(changed_);
    auto s = db_.Prepare("DELETE FROM sessions WHERE user_id=?");
    s.Bind(1, user_id).Run();
  }

  int64_t DeleteExpired(TimePoint idle_before, TimePoint created_before) override {
    MarkIdentityChanged(changed_);
    auto s = db_.Prepare("DELETE FROM sessions WHERE last_seen_at<? OR created_at<?");
    s.Bind(1, ToMicros(idle_before)).Bind(2, ToMicros(created_before)).Run();
    return db_.Changes();
  }

  std::vector<TimePoint> RateEvents(const std::string& key, TimePoint now) override {
    auto s = db_.Prepare("SELECT at FROM rate_events WHERE key=? AND expires>? ORDER BY at, id");
    s.Bind(1, key).Bind(2, ToMicros(now));
    std::vector<TimePoint> out;
    while (s.Step()) out.push_back(FromMicros(s.Int(0)));
    return out;
  }

  void AddRateEvent(const std::string& key, TimePoint at, TimePoint expires, int keep) override {
    db_.Prepare("INSERT INTO rate_events(key, at, expires) VALUES (?,?,?)")
        .Bind(1, key)
        .Bind(2, ToMicros(at))
        .Bind(3, ToMicros(expires))
        .Run();
    db_.Prepare(
           "DELETE FROM rate_events WHERE key=?1 AND (expires<=?2 OR id NOT IN"
           " (SELECT id FROM rate_events WHERE key=?1 ORDER BY at DESC, id DESC LIMIT ?3))")
        .Bind(1, key)
        .Bind(2, ToMicros(at))
        .Bind(3, static_cast<int64_t>(std::max(keep, 1)))
        .Run();
  }

  void ForgetRateEvents(const std::string& key) override {
    db_.Prepare("DELETE FROM rate_events WHERE key=?").Bind(1, key).Run();
  }

  void ForgetRateEventsWithPrefix(const std::string& prefix) override {
    db_.Prepare("DELETE FROM rate_events WHERE substr(key, 1, length(?1))=?1").Bind(1, prefix).Run();
  }

  int64_t ForgetExpiredRateEvents(TimePoint now) override {
    db_.Prepare("DELETE FROM rate_events WHERE expires<=?").Bind(1, ToMicros(now)).Run();
    return db_.Changes();
  }

 private:
  static void Bind(Statement& s, const SessionRecord& r) {
    s.Bind(1, r.token_hash).Bind(2, r.user_id).Bind(3, r.csrf_token).Bind(4, ToMicros(r.created_at));
    s.Bind(5, ToMicros(r.last_seen_at)).Bind(6, r.second_factor_done).Bind(7, r.client);
    s.Bind(8, r.pending_totp_secret);
  }

  Connection& db_;
  WriteEffects* changed_;
};

constexpr std::string_view kAuditColumns =
    "seq, at, actor_id, actor_role, authority_id, action, child_id, target_id, reason, outcome, why,"
    " detail, client, prev_hash, hash, found_children";
const std::string kAuditSelect = "SELECT " + std::string(kAuditColumns) + " FROM audit_log";

AuditRecord ReadAudit(const Statement& s) {
  AuditRecord r;
  r.seq = s.Int(0);
  r.at = FromMicros(s.Int(1));
  r.actor_id = s.Text(2);
  r.actor_role = s.Text(3);
  r.authority_id = s.Text(4);
  r.action = s.Text(5);
  r.child_id = s.Text(6);
  r.target_id = s.Text(7);
  r.reason = s.Text(8);
  const std::string outcome = s.Text(9);
  r.outcome = outcome == "allowed"  ? domain::AuditOutcome::kAllowed
              : outcome == "denied" ? domain::AuditOutcome::kDenied
                                    : domain::AuditOutcome::kFailed;
  r.why = s.Text(10);
  r.detail = s.Text(11);
  r.client = s.Text(12);
  r.prev_hash = s.Text(13);
  r.hash = s.Text(14);
  r.found_children = DecodeFoundChildren(s.Text(15));
  return r;
}

class SqliteAudit final : public AuditLog {
 public:
  SqliteAudit(Connection& db, AuditHead* head) : db_(db), head_(head) {}

  AuditRecord Append(AuditRecord r) override {
    if (!head_) throw StorageError("audit records can only be appended in a write transaction");
    domain::SealAuditRecord(r, 0, head_->seq + 1, head_->hash);
    auto s = db_.Prepare(
        "INSERT INTO audit_log(seq, at, actor_id, actor_role, authority_id, action, child_id, target_id, reason,"
        " outcome, why, detail, client, prev_hash, hash, found_children) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    s.Bind(1, r.seq).Bind(2, ToMicros(r.at)).Bind(3, r.actor_id).Bind(4, r.actor_role).Bind(5, r.authority_id);
    s.Bind(6, r.action).Bind(7, r.child_id).Bind(8, r.target_id).Bind(9, r.reason);
    s.Bind(10, domain::ToString(r.outcome)).Bind(11, r.why).Bind(12, r.detail).Bind(13, r.client);
    s.Bind(14, r.prev_hash).Bind(15, r.hash).Bind(16, EncodeFoundChildren(r.found_children)).Run();
    for (const auto& child_id : r.found_children) {
      auto f = db_.Prepare("INSERT OR IGNORE INTO audit_found(child_id, seq) VALUES (?, ?)");
      f.Bind(1, child_id).Bind(2, r.seq).Run();
    }
    head_->seq = r.seq;
    head_->hash = r.hash;
    return r;
  }

  std::vector<AuditRecord> ForChild(const std::string& child_id, int limit) override {
    static const std::string kSql = kAuditSelect +
                                    " WHERE seq IN (SELECT seq FROM audit_log WHERE child_id=?1 AND child_id<>''"
                                    " UNION ALL SELECT seq FROM audit_found WHERE child_id=?1)"
                                    " ORDER BY seq DESC LIMIT ?2";
    auto s = db_.Prepare(kSql);
    s.Bind(1, child_id).Bind(2, limit);
    std::vector<AuditRecord> out;
    while (s.Step()) out.push_back(ReadAudit(s));
    return out;
  }

  // SQLite has one writer, hence one chain: chain 0.
  std::vector<AuditRecord> Range(int64_t chain, int64_t after_seq, int limit) override {
    if (chain != 0) return {};
    static const std::string kSql = std::string(kAuditSelect) + " WHERE seq>? ORDER BY seq LIMIT ?";
    auto s = db_.Prepare(kSql);
    s.Bind(1, after_seq).Bind(2, limit);
    std::vector<AuditRecord> out;
    while (s.Step()) out.push_back(ReadAudit(s));
    return out;
  }

  std::vector<AuditChainHead> Heads() override {
    const AuditHead head = LoadAuditHead(db_);
    if (head.seq == 0) return {};
    return {{0, head.seq, head.hash}};
  }

  std::optional<AuditRecord> NewestCheckpointRecord() override {
    // One chain: the newest is the last appended (index audit_checkpoints, migration 22).
    static const std::string kSql = kAuditSelect + " WHERE action='audit.checkpoint' ORDER BY seq DESC LIMIT 1";
    auto s = db_.Prepare(kSql);
    if (!s.Step()) return std::nullopt;
    return ReadAudit(s);
  }

  std::vector<AuditRecord> Find(const AuditQuery& q) override {
    // Only the filters asked for are in the statement, so each combination has its own plan
    // (and its own cached statement).
    std::string sql = kAuditSelect + " WHERE 1";
    if (!q.authority_id.empty()) sql += " AND authority_id=?1";
    if (!q.actor_id.empty()) sql += " AND actor_id=?2";
    if (!q.child_id.empty()) {
      sql +=
          " AND seq IN (SELECT seq FROM audit_log WHERE child_id=?3 AND child_id<>''"
          " UNION ALL SELECT seq FROM audit_found WHERE child_id=?3)";
    }
    if (q.from) sql += " AND at>=?4";
    if (q.to) sql += " AND at<?5";
    // One chain (0): (at, 0, seq) before (before_at, before_chain, before_seq).
    if (q.before_at) sql += " AND (at<?6 OR (at=?6 AND (?9>0 OR seq<?7)))";
    sql += " ORDER BY at DESC, seq DESC LIMIT ?8";
    auto s = db_.Prepare(sql);
    if (!q.authority_id.empty()) s.Bind(1, q.authority_id);
    if (!q.actor_id.empty()) s.Bind(2, q.actor_id);
    if (!q.child_id.empty()) s.Bind(3, q.child_id);
    if (q.from) s.Bind(4, ToMicros(*q.from));
    if (q.to) s.Bind(5, ToMicros(*q.to));
    if (q.before_at) s.Bind(6, ToMicros(*q.before_at)).Bind(7, q.before_seq).Bind(9, q.before_chain);
    s.Bind(8, q.limit);
    std::vector<AuditRecord> out;
    while (s.Step()) out.push_back(ReadAudit(s));
    return out;
  }

  void Scan(const std::string& authority_id, TimePoint from, TimePoint to,
            const std::function<void(const AuditRecord&)>& fn) override {
    static const std::string kSql = kAuditSelect + " WHERE authority_id=? AND at>=? AND at<? ORDER BY at, seq";
    auto s = db_.Prepare(kSql);
    s.Bind(1, authority_id).Bind(2, ToMicros(from)).Bind(3, ToMicros(to));
    while (s.Step()) fn(ReadAudit(s));
  }

 private:
  Connection& db_;
  AuditHead* head_;
};

class Bundle final : public Repositories {
 public:
  Bundle(Connection& db, AuditHead* head, WriteEffects* effects)
      : authorities_(db, effects),
        agencies_(db, effects),
        users_(db, effects),
        children_(db, effects),
        teams_(db, effects),
        sessions_(db, effects),
        audit_(db, head),
        account_(MakeAccountRepositories(db)),
        index_(MakeIndexRepositories(db, effects)),
        early_help_(MakeEarlyHelpRepository(db)),
        family_(MakeFamilyRepository(db)),
        idempotency_(MakeIdempotencyRepository(db)),
        break_glass_(MakeBreakGlassRepository(db)),
        join_requests_(MakeJoinRequestRepository(db)),
        practitioner_homes_(MakePractitionerHomeRepository(db)),
        misuse_flags_(MakeMisuseFlagRepository(db)),
        job_claims_(MakeJobClaimRepository(db)),
        retention_(MakeRetentionRepository(db)),
        import_jobs_(MakeImportJobRepository(db)) {}

  AuthorityRepository& Authorities() override { return authorities_; }
  AgencyRepository& Agencies() override { return agencies_; }
  UserRepository& Users() override { return users_; }
  ChildRepository& Children() override { return children_; }
  TeamRepository& Teams() override { return teams_; }
  SessionRepository& Sessions() override { return sessions_; }
  AuditLog& Audit() override { return audit_; }
  ChronologyRepository& Chronology() override { return account_->Chronology(); }
  ForumRepository& Forum() override { return account_->Forum(); }
  WheelRepository& Wheel() override { return account_->Wheel(); }
  WordStatsRepository& WordStats() override { return account_->WordStats(); }
  FeedRepository& Feed() override { return account_->Feed(); }
  SourceRecordRepository& SourceRecords() override { return index_->SourceRecords(); }
  ReviewRepository& Reviews() override { return index_->Reviews(); }
  MergeRepository& Merges() override { return index_->Merges(); }
  EarlyHelpRepository& EarlyHelp() override { return *early_help_; }
  FamilyRepository& Family() override { return *family_; }
  IdempotencyRepository& Idempotency() override { return *idempotency_; }
  BreakGlassRepository& BreakGlass() override { return *break_glass_; }
  JoinRequestRepository& JoinRequests() override { return *join_requests_; }
  PractitionerHomeRepository& PractitionerHomes() override { return *practitioner_homes_; }
  MisuseFlagRepository& MisuseFlags() override { return *misuse_flags_; }
  JobClaimRepository& JobClaims() override { return *job_claims_; }
  RetentionRepository& Retention() override { return *retention_; }
  ImportJobRepository& ImportJobs() override { return *import_jobs_; }

 private:
  SqliteAuthorities authorities_;
  SqliteAgencies agencies_;
  SqliteUsers users_;
  SqliteChildren children_;
  SqliteTeams teams_;
  SqliteSessions sessions_;
  SqliteAudit audit_;
  std::unique_ptr<AccountRepositories> account_;
  std::unique_ptr<IndexRepositories> index_;
  std::unique_ptr<EarlyHelpRepository> early_help_;
  std::unique_ptr<FamilyRepository> family_;
  std::unique_ptr<IdempotencyRepository> idempotency_;
  std::unique_ptr<BreakGlassRepository> break_glass_;
  std::unique_ptr<JoinRequestRepository> join_requests_;
  std::unique_ptr<PractitionerHomeRepository> practitioner_homes_;
  std::unique_ptr<MisuseFlagRepository> misuse_flags_;
  std::unique_ptr<JobClaimRepository> job_claims_;
  std::unique_ptr<RetentionRepository> retention_;
  std::unique_ptr<ImportJobRepository> import_jobs_;
};

}  // namespace

AuditHead LoadAuditHead(Connection& connection) {
  auto s = connection.Prepare("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1");
  if (!s.Step()) return {0, std::string(domain::kGenesisHash)};
  return {s.Int(0), s.Text(1)};
}

std::unique_ptr<Repositories> MakeRepositories(Connection& connection, AuditHead* head, WriteEffects* effects) {
  return std::make_unique<Bundle>(connection, head, effects);
}

}  // namespace kith::storage::sqlite
