// Local authorities, agencies, users, children, teams, sessions and the audit log on
// PostgreSQL, and the bundle of every repository of a connection.
#include <algorithm>

#include "domain/audit.h"
#include "storage/documents.h"
#include "storage/postgres/repositories.h"

namespace kith::storage::postgres {

Status InsertOrConflict(Statement& insert, const std::string& what) {
  if (insert.Run().affected() == 0) return Error::Conflict(what + " already exists");
  return Ok{};
}

namespace {

using domain::Agency;
using domain::AuditRecord;
using domain::Child;
using domain::LocalAuthority;
using domain::User;

// An agency from the seven columns id, authority_id, name, kind, phone, email, address starting
// at column `first`.
Agency ReadAgency(const Rows& s, int first) {
  Agency a{s.Text(first),     s.Text(first + 1), s.Text(first + 2), domain::AgencyKind::kVoluntarySector,
           s.Text(first + 4), s.Text(first + 5), s.Text(first + 6)};
  if (auto kind = domain::ParseAgencyKind(s.Text(first + 3))) a.kind = *kind;
  return a;
}

class PgAuthorities final : public AuthorityRepository {
 public:
  PgAuthorities(Connection& db, TransactionState& state) : db_(db), state_(state) {}

  Status Insert(const LocalAuthority& a) override {
    state_.identity_changed = true;
    auto s = db_.Prepare(
        "INSERT INTO authorities(id, code, name, require_second_factor) VALUES ($1,$2,$3,$4) ON CONFLICT DO NOTHING");
    s.Bind(a.id).Bind(a.code).Bind(a.name).Bind(a.require_second_factor);
    return InsertOrConflict(s, "local authority " + a.code);
  }

  void Update(const LocalAuthority& a) override {
    state_.identity_changed = true;
    db_.Prepare("UPDATE authorities SET code=$1, name=$2, require_second_factor=$3 WHERE id=$4")
        .Bind(a.code)
        .Bind(a.name)
        .Bind(a.require_second_factor)
        .Bind(a.id)
        .Run();
  }

  std::optional<LocalAuthority> Get(const std::string& id) override {
    auto s = db_.Prepare("SELECT id, code, name, require_second_factor FROM authorities WHERE id=$1").Bind(id).Run();
    if (!s.Next()) return std::nullopt;
    return Read(s);
  }

  std::vector<LocalAuthority> List() override {
    auto s = db_.Prepare("SELECT id, code, name, require_second_factor FROM authorities ORDER BY name").Run();
    std::vector<LocalAuthority> out;
    while (s.Next()) out.push_back(Read(s));
    return out;
  }

 private:
  static LocalAuthority Read(const Rows& s) { return {s.Text(0), s.Text(1), s.Text(2), s.Bool(3)}; }
  Connection& db_;
  TransactionState& state_;
};

class PgAgencies final : public AgencyRepository {
 public:
  PgAgencies(Connection& db, TransactionState& state) : db_(db), state_(state) {}

  Status Insert(const Agency& a) override {
    state_.records_changed = true;
    auto s = db_.Prepare(
        "INSERT INTO agencies(id, authority_id, name, kind, phone, email, address) VALUES ($1,$2,$3,$4,$5,$6,$7)"
        " ON CONFLICT DO NOTHING");
    Bind(s, a);
    return InsertOrConflict(s, "agency " + a.id);
  }

  Status Update(const Agency& a) override {
    state_.records_changed = true;
    auto s = db_.Prepare(
        "UPDATE agencies SET authority_id=$2, name=$3, kind=$4, phone=$5, email=$6, address=$7 WHERE id=$1");
    Bind(s, a);
    if (s.Run().affected() == 0) return Error::NotFound("no such agency");
    return Ok{};
  }

  std::optional<Agency> Get(const std::string& id) override {
    static const std::string kSql = std::string(kSelect) + " WHERE id=$1";
    auto s = db_.Prepare(kSql).Bind(id).Run();
    if (!s.Next()) return std::nullopt;
    return ReadAgency(s, 0);
  }

  std::vector<Agency> ListByAuthority(const std::string& authority_id) override {
    static const std::string kSql = std::string(kSelect) + " WHERE authority_id=$1 ORDER BY name";
    auto s = db_.Prepare(kSql).Bind(authority_id).Run();
    std::vector<Agency> out;
    while (s.Next()) out.push_back(ReadAgency(s, 0));
    return out;
  }

 private:
  static constexpr std::string_view kSelect =
      "SELECT id, authority_id, name, kind, phone, email, address FROM agencies";

  static void Bind(Statement& s, const Agency& a) {
    s.Bind(a.id).Bind(a.authority_id).Bind(a.name).Bind(domain::ToString(a.kind));
    s.Bind(a.phone).Bind(a.email).Bind(a.address);
  }

  Connection& db_;
  TransactionState& state_;
};

class PgUsers final : public UserRepository {
 public:
  PgUsers(Connection& db, TransactionState& state) : db_(db), state_(state) {}

  Status Insert(const User& u) override {
    Changed();
    auto s = db_.Prepare(
        "INSERT INTO users(id, username, display_name, job_title, email, phone, role, authority_id, agency_id,"
        " active, password_hash, totp_secret, totp_enrolled, failed_logins, locked_until, last_login_at,"
        " index_steward, information_governance, totp_last_step, version)"
        " VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,1) ON CONFLICT DO NOTHING");
    Bind(s, u);
    s.Bind(u.totp_last_step);
    return InsertOrConflict(s, "user " + u.username);
  }

  Status Update(const User& u) override {
    Changed();
    // Checked first: a violated constraint would abort the whole transaction.
    auto taken = db_.Prepare("SELECT 1 FROM users WHERE username=$1 AND id<>$2").Bind(u.username).Bind(u.id).Run();
    if (taken.Next()) return Error::Conflict("user " + u.username + " already exists");
    auto s = db_.Prepare(
        "UPDATE users SET username=$2, display_name=$3, job_title=$4, email=$5, phone=$6, role=$7,"
        " authority_id=$8, agency_id=$9, active=$10, password_hash=$11, totp_secret=$12, totp_enrolled=$13,"
        " failed_logins=$14, locked_until=$15, last_login_at=$16, index_steward=$17, information_governance=$18,"
        " version=version+1 WHERE id=$1 AND version=$19");
    Bind(s, u);
    s.Bind(u.version);
    if (s.Run().affected() == 1) return Ok{};
    return Get(u.id) ? Error::Conflict("the user was changed by someone else; reload and try again")
                     : Error::NotFound("no such user");
  }

  Status RecordSignIn(const User& u) override {
    Changed();
    auto s = db_.Prepare(
        "UPDATE users SET failed_logins=$2, locked_until=$3, last_login_at=$4, totp_last_step=$5 WHERE id=$1");
    s.Bind(u.id).Bind(u.failed_logins).Bind(u.locked_until).Bind(u.last_login_at).Bind(u.totp_last_step);
    if (s.Run().affected() == 0) return Error::NotFound("no such user");
    return Ok{};
  }

  std::optional<User> Get(const std::string& id) override {
    static const std::string kSql = std::string(kSelect) + " WHERE id=$1";
    return One(kSql, id);
  }
  std::optional<User> GetByUsername(const std::string& username) override {
    static const std::string kSql = std::string(kSelect) + " WHERE username=$1";
    return One(kSql, username);
  }

  std::vector<User> ListByAuthority(const std::string& authority_id) override {
    static const std::string kSql = std::string(kSelect) + " WHERE authority_id=$1 ORDER BY username";
    auto s = db_.Prepare(kSql).Bind(authority_id).Run();
    std::vector<User> out;
    while (s.Next()) out.push_back(Read(s));
    return out;
  }

 private:
  static constexpr std::string_view kSelect =
      "SELECT id, username, display_name, job_title, email, phone, role, authority_id, agency_id, active,"
      " password_hash, totp_secret, totp_enrolled, failed_logins, locked_until, last_login_at, version,"
      " totp_last_step, index_steward, information_governance FROM users";

  // Users are who sessions belong to and who an account's team shows.
  void Changed() {
    state_.identity_changed = true;
    state_.records_changed = true;
  }

  std::optional<User> One(const std::string& sql, const std::string& value) {
    auto s = db_.Prepare(sql).Bind(value).Run();
    if (!s.Next()) return std::nullopt;
    return Read(s);
  }

  // Binds $1 .. $18.
  static void Bind(Statement& s, const User& u) {
    s.Bind(u.id).Bind(u.username).Bind(u.display_name).Bind(u.job_title).Bind(u.email);
    s.Bind(u.phone).Bind(domain::ToString(u.role));
    s.BindTextOrNull(u.authority_id).BindTextOrNull(u.agency_id);
    s.Bind(u.active).Bind(u.password_hash).Bind(u.totp_secret).Bind(u.totp_enrolled);
    s.Bind(u.failed_logins).Bind(u.locked_until).Bind(u.last_login_at).Bind(u.index_steward);
    s.Bind(u.information_governance);
  }

  static User Read(const Rows& s) {
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
    u.locked_until = s.OptionalTime(14);
    u.last_login_at = s.OptionalTime(15);
    u.version = s.Int(16);
    u.totp_last_step = s.Int(17);
    u.index_steward = s.Bool(18);
    u.information_governance = s.Bool(19);
    return u;
  }

  Connection& db_;
  TransactionState& state_;
};

class PgChildren final : public ChildRepository {
 public:
  PgChildren(Connection& db, TransactionState& state) : db_(db), state_(state) {}

  Status Insert(const Child& c) override {
    state_.records_changed = true;
    auto s = db_.Prepare(
        "INSERT INTO children(id, authority_id, given_names, family_name, date_of_birth, sex, address, postcode,"
        " nhs_number, upn, school_agency_id, gp_agency_id, early_help_assessment, child_protection_plan,"
        " looked_after, shielded, created_at, updated_at, care_leaver, special_educational_needs, date_of_death,"
        " version, changed_xid)"
        " VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21,1,"
        " pg_current_xact_id()::text::bigint) ON CONFLICT DO NOTHING");
    Bind(s, c);
    if (auto st = InsertOrConflict(s, "child " + c.id); !st) return st;
    WriteLists(c);
    return Ok{};
  }

  Status Update(const Child& c) override {
    state_.records_changed = true;
    auto s = db_.Prepare(
        "UPDATE children SET authority_id=$2, given_names=$3, family_name=$4, date_of_birth=$5, sex=$6,"
        " address=$7, postcode=$8, nhs_number=$9, upn=$10, school_agency_id=$11, gp_agency_id=$12,"
        " early_help_assessment=$13, child_protection_plan=$14, looked_after=$15, shielded=$16,"
        " created_at=$17, updated_at=$18, care_leaver=$19, special_educational_needs=$20, date_of_death=$21,"
        " version=version+1, changed_xid=pg_current_xact_id()::text::bigint WHERE id=$1 AND version=$22");
    Bind(s, c);
    s.Bind(c.version);
    if (s.Run().affected() == 0) {
      auto exists = db_.Prepare("SELECT 1 FROM children WHERE id=$1").Bind(c.id).Run();
      return exists.Next() ? Error::Conflict("the record was changed by someone else; reload and try again")
                           : Error::NotFound("no such child");
    }
    db_.Prepare("DELETE FROM child_other_names WHERE child_id=$1").Bind(c.id).Run();
    db_.Prepare("DELETE FROM child_carers WHERE child_id=$1").Bind(c.id).Run();
    db_.Prepare("DELETE FROM child_services WHERE child_id=$1").Bind(c.id).Run();
    db_.Prepare("DELETE FROM child_unconfirmed_agencies WHERE child_id=$1").Bind(c.id).Run();
    WriteLists(c);
    return Ok{};
  }

  std::optional<Child> Get(const std::string& id) override {
    static const std::string kSql = std::string(kSelect) + " WHERE id=$1";
    auto s = db_.Prepare(kSql).Bind(id).Run();
    if (!s.Next()) return std::nullopt;
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
    static const std::string kSql = std::string(kSelect) + " WHERE authority_id=$1 AND id>$2 ORDER BY id LIMIT $3";
    auto s = db_.Prepare(kSql).Bind(authority_id).Bind(after_id).Bind(limit).Run();
    std::vector<Child> out;
    out.reserve(static_cast<size_t>(s.size()));
    while (s.Next()) out.push_back(Read(s));
    return out;
  }

  int64_t Count() override {
    auto s = db_.Prepare("SELECT count(*) FROM children").Run();
    s.Next();
    return s.Int(0);
  }

  // Writes run concurrently, so no sequence number gives the commit order. Each stored row keeps
  // the id of the transaction that stored it (changed_xid), and a cursor is the oldest
  // transaction still running when it was read (the snapshot's xmin): every write not visible to
  // that read has an id at or above it, so "changed_xid >= cursor" finds it next time.
  int64_t ChangeCursor() override {
    auto s = db_.Prepare("SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint").Run();
    s.Next();
    return s.Int(0);
  }

  ChildChanges ChangedSince(int64_t cursor) override {
    static const std::string kSql = std::string(kSelect) + " WHERE changed_xid>=$1";
    ChildChanges out;
    out.next_cursor = std::max(cursor, ChangeCursor());  // the same snapshot as the rows below
    auto s = db_.Prepare(kSql).Bind(cursor).Run();
    out.records.reserve(static_cast<size_t>(s.size()));
    while (s.Next()) out.records.push_back(Read(s));
    return out;
  }

 private:
  static constexpr std::string_view kSelect =
      "SELECT id, authority_id, given_names, family_name, date_of_birth, sex, address, postcode, nhs_number,"
      " upn, school_agency_id, gp_agency_id, early_help_assessment, child_protection_plan, looked_after,"
      " shielded, created_at, updated_at, version, care_leaver, special_educational_needs, date_of_death"
      " FROM children";

  // Binds $1 .. $21.
  static void Bind(Statement& s, const Child& c) {
    s.Bind(c.id).Bind(c.authority_id).Bind(c.given_names).Bind(c.family_name).Bind(c.date_of_birth);
    s.Bind(domain::ToString(c.sex)).Bind(c.address).Bind(c.postcode).Bind(c.nhs_number).Bind(c.upn);
    s.BindTextOrNull(c.school_agency_id).BindTextOrNull(c.gp_agency_id);
    s.Bind(c.flags.early_help_assessment).Bind(c.flags.child_protection_plan).Bind(c.flags.looked_after);
    s.Bind(c.shielded).Bind(c.created_at).Bind(c.updated_at);
    s.Bind(c.flags.care_leaver).Bind(c.flags.special_educational_needs).Bind(c.date_of_death);
  }

  static Child Read(const Rows& s) {
    Child c;
    c.id = s.Text(0);
    c.authority_id = s.Text(1);
    c.given_names = s.Text(2);
    c.family_name = s.Text(3);
    c.date_of_birth = s.OptionalDate(4);
    c.sex = domain::ParseSex(s.Text(5)).value_or(domain::Sex::kNotKnown);
    c.address = s.Text(6);
    c.postcode = s.Text(7);
    c.nhs_number = s.Text(8);
    c.upn = s.Text(9);
    c.school_agency_id = s.Text(10);
    c.gp_agency_id = s.Text(11);
    c.flags.early_help_assessment = s.Bool(12);
    c.flags.child_protection_plan = s.Bool(13);
    c.flags.looked_after = s.Bool(14);
    c.shielded = s.Bool(15);
    c.created_at = s.Time(16);
    c.updated_at = s.Time(17);
    c.version = s.Int(18);
    c.flags.care_leaver = s.Bool(19);
    c.flags.special_educational_needs = s.Bool(20);
    c.date_of_death = s.OptionalDate(21);
    return c;
  }

  void WriteLists(const Child& c) {
    for (size_t i = 0; i < c.other_names.size(); ++i) {
      db_.Prepare("INSERT INTO child_other_names(child_id, position, name) VALUES ($1,$2,$3)")
          .Bind(c.id)
          .Bind(static_cast<int64_t>(i))
          .Bind(c.other_names[i])
          .Run();
    }
    for (size_t i = 0; i < c.carers.size(); ++i) {
      const auto& k = c.carers[i];
      db_.Prepare(
             "INSERT INTO child_carers(child_id, position, name, relationship, parental_responsibility, phone,"
             " email, address) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)")
          .Bind(c.id)
          .Bind(static_cast<int64_t>(i))
          .Bind(k.name)
          .Bind(k.relationship)
          .Bind(k.parental_responsibility)
          .Bind(k.phone)
          .Bind(k.email)
          .Bind(k.address)
          .Run();
    }
    for (size_t i = 0; i < c.services.size(); ++i) {
      const auto& v = c.services[i];
      db_.Prepare(
             "INSERT INTO child_services(child_id, position, agency_id, description, start_date, end_date)"
             " VALUES ($1,$2,$3,$4,$5,$6)")
          .Bind(c.id)
          .Bind(static_cast<int64_t>(i))
          .Bind(v.agency_id)
          .Bind(v.description)
          .Bind(v.start)
          .Bind(v.end)
          .Run();
    }
    for (const auto& agency : c.unconfirmed_agencies) {
      db_.Prepare("INSERT INTO child_unconfirmed_agencies(child_id, agency_id) VALUES ($1,$2)")
          .Bind(c.id)
          .Bind(agency)
          .Run();
    }
  }

  void ReadLists(Child& c) {
    auto names = db_.Prepare("SELECT name FROM child_other_names WHERE child_id=$1 ORDER BY position").Bind(c.id).Run();
    while (names.Next()) c.other_names.push_back(names.Text(0));
    auto carers = db_.Prepare(
                         "SELECT name, relationship, parental_responsibility, phone, email, address FROM child_carers"
                         " WHERE child_id=$1 ORDER BY position")
                      .Bind(c.id)
                      .Run();
    while (carers.Next()) {
      c.carers.push_back(
          {carers.Text(0), carers.Text(1), carers.Bool(2), carers.Text(3), carers.Text(4), carers.Text(5)});
    }
    auto services = db_.Prepare(
                           "SELECT agency_id, description, start_date, end_date FROM child_services WHERE child_id=$1"
                           " ORDER BY position")
                        .Bind(c.id)
                        .Run();
    while (services.Next()) {
      domain::ServiceInvolvement v;
      v.agency_id = services.Text(0);
      v.description = services.Text(1);
      v.start = services.DateValue(2);
      v.end = services.OptionalDate(3);
      c.services.push_back(std::move(v));
    }
    auto unconfirmed = db_.Prepare(
                              "SELECT agency_id FROM child_unconfirmed_agencies WHERE child_id=$1 ORDER BY agency_id")
                           .Bind(c.id)
                           .Run();
    while (unconfirmed.Next()) c.unconfirmed_agencies.push_back(unconfirmed.Text(0));
  }

  Connection& db_;
  TransactionState& state_;
};

class PgTeams final : public TeamRepository {
 public:
  PgTeams(Connection& db, TransactionState& state) : db_(db), state_(state) {}

  domain::Team Members(const std::string& child_id) override {
    auto s = db_.Prepare(
                    "SELECT child_id, user_id, role, reason, joined_at, lead FROM team_members WHERE child_id=$1"
                    " ORDER BY joined_at, user_id")
                 .Bind(child_id)
                 .Run();
    domain::Team team;
    while (s.Next()) team.push_back({s.Text(0), s.Text(1), s.Text(2), s.Text(3), s.Time(4), s.Bool(5)});
    return team;
  }

  std::vector<TeamMemberDetail> MembersWithPeople(const std::string& child_id) override {
    auto s = db_.Prepare(
                    "SELECT t.child_id, t.user_id, t.role, t.reason, t.joined_at, t.lead,"
                    " u.display_name, u.job_title, u.email, u.phone,"
                    " a.id, a.authority_id, a.name, a.kind, a.phone, a.email, a.address"
                    " FROM team_members t LEFT JOIN users u ON u.id=t.user_id LEFT JOIN agencies a ON a.id=u.agency_id"
                    " WHERE t.child_id=$1 ORDER BY t.joined_at, t.user_id")
                 .Bind(child_id)
                 .Run();
    std::vector<TeamMemberDetail> team;
    while (s.Next()) {
      TeamMemberDetail d{{s.Text(0), s.Text(1), s.Text(2), s.Text(3), s.Time(4), s.Bool(5)},
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
    auto s =
        db_.Prepare("SELECT child_id FROM team_members WHERE user_id=$1 ORDER BY joined_at DESC").Bind(user_id).Run();
    std::vector<std::string> out;
    while (s.Next()) out.push_back(s.Text(0));
    return out;
  }

  void AddMember(const domain::TeamMember& m) override {
    state_.records_changed = true;
    db_.Prepare("INSERT INTO team_members(child_id, user_id, role, reason, joined_at, lead) VALUES ($1,$2,$3,$4,$5,$6)")
        .Bind(m.child_id)
        .Bind(m.user_id)
        .Bind(m.role)
        .Bind(m.reason)
        .Bind(m.joined_at)
        .Bind(m.lead)
        .Run();
  }

  void RemoveMember(const std::string& child_id, const std::string& user_id) override {
    state_.records_changed = true;
    db_.Prepare("DELETE FROM team_members WHERE child_id=$1 AND user_id=$2").Bind(child_id).Bind(user_id).Run();
  }

  void SetLead(const std::string& child_id, const std::string& user_id, bool lead) override {
    state_.records_changed = true;
    db_.Prepare("UPDATE team_members SET lead=$1 WHERE child_id=$2 AND user_id=$3")
        .Bind(lead)
        .Bind(child_id)
        .Bind(user_id)
        .Run();
  }

  void AppendEvent(const TeamEvent& e) override {
    db_.Prepare(
           "INSERT INTO team_events(child_id, user_id, kind, role, reason, by_user_id, at) VALUES"
           " ($1,$2,$3,$4,$5,$6,$7)")
        .Bind(e.child_id)
        .Bind(e.user_id)
        .Bind(e.kind)
        .Bind(e.role)
        .Bind(e.reason)
        .Bind(e.by_user_id)
        .Bind(e.at)
        .Run();
  }

  std::vector<TeamEvent> History(const std::string& child_id) override {
    auto s = db_.Prepare(
                    "SELECT child_id, user_id, kind, role, reason, by_user_id, at FROM team_events WHERE child_id=$1"
                    " ORDER BY id")
                 .Bind(child_id)
                 .Run();
    std::vector<TeamEvent> out;
    while (s.Next()) out.push_back({s.Text(0), s.Text(1), s.Text(2), s.Text(3), s.Text(4), s.Text(5), s.Time(6)});
    return out;
  }

 private:
  Connection& db_;
  TransactionState& state_;
};

class PgSessions final : public SessionRepository {
 public:
  PgSessions(Connection& db, TransactionState& state) : db_(db), state_(state) {}

  void Insert(const SessionRecord& r) override {
    state_.identity_changed = true;
    auto s = db_.Prepare(
        "INSERT INTO sessions(token_hash, user_id, csrf_token, created_at, last_seen_at, second_factor_done,"
        " client, pending_totp_secret) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)");
    Bind(s, r);
    s.Run();
  }

  std::optional<SessionRecord> Get(const std::string& token_hash) override {
    auto s = db_.Prepare(
                    "SELECT token_hash, user_id, csrf_token, created_at, last_seen_at, second_factor_done, client,"
                    " pending_totp_secret FROM sessions WHERE token_hash=$1")
                 .Bind(token_hash)
                 .Run();
    if (!s.Next()) return std::nullopt;
    return SessionRecord{s.Text(0), s.Text(1), s.Text(2), s.Time(3), s.Time(4), s.Bool(5), s.Text(6), s.Text(7)};
  }

  void Update(const SessionRecord& r) override {
    state_.identity_changed = true;
    auto s = db_.Prepare(
        "UPDATE sessions SET user_id=$2, csrf_token=$3, created_at=$4, last_seen_at=greatest(last_seen_at, $5),"
        " second_factor_done=$6, client=$7, pending_totp_secret=$8 WHERE token_hash=$1");
    Bind(s, r);
    s.Run();
  }

  void Touch(const std::string& token_hash, TimePoint now) override {
    db_.Prepare("UPDATE sessions SET last_seen_at=$2 WHERE token_hash=$1 AND last_seen_at<$2")
        .Bind(token_hash)
        .Bind(now)
        .Run();
  }

  void Delete(const std::string& token_hash) override {
    state_.identity_changed = true;
    db_.Prepare("DELETE FROM sessions WHERE token_hash=$1").Bind(token_hash).Run();
  }

  void DeleteForUser(const std::string& user_id) override {
    state_.identity_changed = true;
    db_.Prepare("DELETE FROM sessions WHERE user_id=$1").Bind(user_id).Run();
  }

  int64_t DeleteExpired(TimePoint idle_before, TimePoint created_before) override {
    state_.identity_changed = true;
    return db_.Prepare("DELETE FROM sessions WHERE last_seen_at<$1 OR created_at<$2")
        .Bind(idle_before)
        .Bind(created_before)
        .Run()
        .affected();
  }

  std::vector<TimePoint> RateEvents(const std::string& key, TimePoint now) override {
    auto s = db_.Prepare("SELECT at FROM rate_events WHERE key=$1 AND expires>$2 ORDER BY at, id")
                 .Bind(key)
                 .Bind(now)
                 .Run();
    std::vector<TimePoint> out;
    while (s.Next()) out.push_back(s.Time(0));
    return out;
  }

  void AddRateEvent(const std::string& key, TimePoint at, TimePoint expires, int keep) override {
    db_.Prepare("INSERT INTO rate_events(key, at, expires) VALUES ($1,$2,$3)").Bind(key).Bind(at).Bind(expires).Run();
    db_.Prepare(
           "DELETE FROM rate_events WHERE key=$1 AND (expires<=$2 OR id NOT IN"
           " (SELECT id FROM rate_events WHERE key=$1 ORDER BY at DESC, id DESC LIMIT $3))")
        .Bind(key)
        .Bind(at)
        .Bind(static_cast<int64_t>(std::max(keep, 1)))
        .Run();
  }

  void ForgetRateEvents(const std::string& key) override {
    db_.Prepare("DELETE FROM rate_events WHERE key=$1").Bind(key).Run();
  }

  void ForgetRateEventsWithPrefix(const std::string& prefix) override {
    db_.Prepare("DELETE FROM rate_events WHERE starts_with(key, $1)").Bind(prefix).Run();
  }

  int64_t ForgetExpiredRateEvents(TimePoint now) override {
    return db_.Prepare("DELETE FROM rate_events WHERE expires<=$1").Bind(now).Run().affected();
  }

 private:
  static void Bind(Statement& s, const SessionRecord& r) {
    s.Bind(r.token_hash).Bind(r.user_id).Bind(r.csrf_token).Bind(r.created_at).Bind(r.last_seen_at);
    s.Bind(r.second_factor_done).Bind(r.client).Bind(r.pending_totp_secret);
  }

  Connection& db_;
  TransactionState& state_;
};

constexpr std::string_view kAuditSelect =
    "SELECT chain, seq, at, actor_id, actor_role, authority_id, action, child_id, target_id, reason, outcome, why,"
    " detail, client, prev_hash, hash, found_children FROM audit_log";

AuditRecord ReadAudit(const Rows& s) {
  AuditRecord r;
  r.chain = s.Int(0);
  r.seq = s.Int(1);
  r.at = s.Time(2);
  r.actor_id = s.Text(3);
  r.actor_role = s.Text(4);
  r.authority_id = s.Text(5);
  r.action = s.Text(6);
  r.child_id = s.Text(7);
  r.target_id = s.Text(8);
  r.reason = s.Text(9);
  const std::string outcome = s.Text(10);
  r.outcome = outcome == "allowed"  ? domain::AuditOutcome::kAllowed
              : outcome == "denied" ? domain::AuditOutcome::kDenied
                                    : domain::AuditOutcome::kFailed;
  r.why = s.Text(11);
  r.detail = s.Text(12);
  r.client = s.Text(13);
  r.prev_hash = s.Text(14);
  r.hash = s.Text(15);
  r.found_children = DecodeFoundChildren(s.Text(16));
  return r;
}

// Appends to the chain this connection owns (its head kept in TransactionState by the store,
// which puts it back when a transaction is undone).
class PgAudit final : public AuditLog {
 public:
  PgAudit(Connection& db, TransactionState& state) : db_(db), state_(state) {}

  AuditRecord Append(AuditRecord r) override {
    if (!state_.writable) throw StorageError("audit records can only be appended in a write transaction");
    domain::SealAuditRecord(r, state_.chain, state_.head_seq + 1, state_.head_hash);
    db_.Prepare(
           "INSERT INTO audit_log(chain, seq, at, actor_id, actor_role, authority_id, action, child_id, target_id,"
           " reason, outcome, why, detail, client, prev_hash, hash, found_children)"
           " VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17)")
        .Bind(r.chain)
        .Bind(r.seq)
        .Bind(r.at)
        .Bind(r.actor_id)
        .Bind(r.actor_role)
        .Bind(r.authority_id)
        .Bind(r.action)
        .Bind(r.child_id)
        .Bind(r.target_id)
        .Bind(r.reason)
        .Bind(domain::ToString(r.outcome))
        .Bind(r.why)
        .Bind(r.detail)
        .Bind(r.client)
        .Bind(r.prev_hash)
        .Bind(r.hash)
        .Bind(EncodeFoundChildren(r.found_children))
        .Run();
    for (const auto& child_id : r.found_children) {
      db_.Prepare("INSERT INTO audit_found(child_id, chain, seq) VALUES ($1,$2,$3) ON CONFLICT DO NOTHING")
          .Bind(child_id)
          .Bind(r.chain)
          .Bind(r.seq)
          .Run();
    }
    state_.head_seq = r.seq;
    state_.head_hash = r.hash;
    return r;
  }

  std::vector<AuditRecord> ForChild(const std::string& child_id, int limit) override {
    // Its own records and the searches that found it (audit_found), by time and append order.
    static const std::string kSql = std::string(kAuditSelect) +
                                    " WHERE id IN (SELECT id FROM audit_log WHERE child_id=$1 AND child_id<>''"
                                    " UNION SELECT a.id FROM audit_found f JOIN audit_log a"
                                    " ON a.chain=f.chain AND a.seq=f.seq WHERE f.child_id=$1)"
                                    " ORDER BY at DESC, id DESC LIMIT $2";
    auto s = db_.Prepare(kSql).Bind(child_id).Bind(limit).Run();
    std::vector<AuditRecord> out;
    while (s.Next()) out.push_back(ReadAudit(s));
    return out;
  }

  std::vector<AuditRecord> Range(int64_t chain, int64_t after_seq, int limit) override {
    static const std::string kSql = std::string(kAuditSelect) + " WHERE chain=$1 AND seq>$2 ORDER BY seq LIMIT $3";
    auto s = db_.Prepare(kSql).Bind(chain).Bind(after_seq).Bind(limit).Run();
    std::vector<AuditRecord> out;
    out.reserve(static_cast<size_t>(s.size()));
    while (s.Next()) out.push_back(ReadAudit(s));
    return out;
  }

  std::vector<AuditChainHead> Heads() override {
    // One index probe per chain (a loose index scan): the log may hold billions of records.
    auto s = db_.Prepare(
                    "WITH RECURSIVE chains(chain) AS ("
                    " SELECT min(chain) FROM audit_log"
                    " UNION ALL SELECT (SELECT min(a.chain) FROM audit_log a WHERE a.chain > c.chain)"
                    "  FROM chains c WHERE c.chain IS NOT NULL)"
                    " SELECT h.chain, h.seq, h.hash FROM chains c CROSS JOIN LATERAL"
                    " (SELECT chain, seq, hash FROM audit_log a WHERE a.chain = c.chain ORDER BY seq DESC LIMIT 1) h"
                    " WHERE c.chain IS NOT NULL ORDER BY h.chain")
                 .Run();
    std::vector<AuditChainHead> out;
    while (s.Next()) out.push_back({s.Int(0), s.Int(1), s.Text(2)});
    return out;
  }

  std::optional<AuditRecord> NewestCheckpointRecord() override {
    // Index audit_checkpoints (migration 11). One checkpointer signs at a time, a minute apart,
    // so the nodes' clocks order its records.
    static const std::string kSql = std::string(kAuditSelect) +
                                    " WHERE action='audit.checkpoint' ORDER BY at DESC, chain DESC, seq DESC LIMIT 1";
    auto rows = db_.Prepare(kSql).Run();
    if (!rows.Next()) return std::nullopt;
    return ReadAudit(rows);
  }

  std::vector<AuditRecord> Find(const AuditQuery& q) override {
    // Only the filters asked for are in the statement, so each combination has its own plan
    // (and its own prepared statement). Newest first: at, then chain, then seq.
    std::string sql = std::string(kAuditSelect) + " WHERE true";
    int n = 0;
    auto param = [&n] { return "$" + std::to_string(++n); };
    if (!q.authority_id.empty()) sql += " AND authority_id=" + param();
    if (!q.actor_id.empty()) sql += " AND actor_id=" + param();
    if (!q.child_id.empty()) {
      const std::string p = param();
      sql += " AND (child_id=" + p + " AND child_id<>'' OR (chain, seq) IN (SELECT chain, seq FROM audit_found"
             " WHERE child_id=" + p + "))";
    }
    if (q.from) sql += " AND at>=" + param();
    if (q.to) sql += " AND at<" + param();
    if (q.before_at) {
      const std::string at = param(), chain = param(), seq = param();
      sql += " AND (at, chain, seq) < (" + at + ", " + chain + "::integer, " + seq + "::bigint)";
    }
    sql += " ORDER BY at DESC, chain DESC, seq DESC LIMIT " + param();
    auto s = db_.Prepare(sql);
    if (!q.authority_id.empty()) s.Bind(q.authority_id);
    if (!q.actor_id.empty()) s.Bind(q.actor_id);
    if (!q.child_id.empty()) s.Bind(q.child_id);
    if (q.from) s.Bind(*q.from);
    if (q.to) s.Bind(*q.to);
    if (q.before_at) s.Bind(*q.before_at).Bind(q.before_chain).Bind(q.before_seq);
    s.Bind(q.limit);
    auto rows = s.Run();
    std::vector<AuditRecord> out;
    while (rows.Next()) out.push_back(ReadAudit(rows));
    return out;
  }

  void Scan(const std::string& authority_id, TimePoint from, TimePoint to,
            const std::function<void(const AuditRecord&)>& fn) override {
    // In pages by (at, chain, seq), so that a report over millions of records never holds them
    // all: libpq reads a whole result into memory.
    constexpr int kPage = 10'000;
    static const std::string kFirst = std::string(kAuditSelect) +
                                      " WHERE authority_id=$1 AND at>=$2 AND at<$3 ORDER BY at, chain, seq LIMIT $4";
    static const std::string kNext = std::string(kAuditSelect) +
                                     " WHERE authority_id=$1 AND at<$3 AND (at, chain, seq) > ($2, $5::integer,"
                                     " $6::bigint) ORDER BY at, chain, seq LIMIT $4";
    std::optional<AuditRecord> last;
    for (;;) {
      auto s = db_.Prepare(last ? kNext : kFirst);
      s.Bind(authority_id).Bind(last ? last->at : from).Bind(to).Bind(kPage);
      if (last) s.Bind(last->chain).Bind(last->seq);
      auto rows = s.Run();
      int got = 0;
      while (rows.Next()) {
        last = ReadAudit(rows);
        fn(*last);
        ++got;
      }
      if (got < kPage) return;
    }
  }

 private:
  Connection& db_;
  TransactionState& state_;
};

class Bundle final : public Repositories {
 public:
  Bundle(Connection& db, TransactionState& state)
      : authorities_(db, state),
        agencies_(db, state),
        users_(db, state),
        children_(db, state),
        teams_(db, state),
        sessions_(db, state),
        audit_(db, state),
        chronology_(MakeChronology(db)),
        forum_(MakeForum(db)),
        wheel_(MakeWheel(db)),
        words_(MakeWordStats(db)),
        feed_(MakeFeed(db)),
        sources_(MakeSourceRecords(db)),
        reviews_(MakeReviews(db)),
        merges_(MakeMerges(db, state)),
        early_help_(MakeEarlyHelp(db)),
        family_(MakeFamily(db)),
        idempotency_(MakeIdempotency(db)),
        break_glass_(MakeBreakGlass(db)),
        join_requests_(MakeJoinRequests(db)),
        practitioner_homes_(MakePractitionerHomes(db)),
        misuse_flags_(MakeMisuseFlags(db)),
        job_claims_(MakeJobClaims(db)),
        retention_(MakeRetention(db)),
        import_jobs_(MakeImportJobs(db)) {}

  AuthorityRepository& Authorities() override { return authorities_; }
  AgencyRepository& Agencies() override { return agencies_; }
  UserRepository& Users() override { return users_; }
  ChildRepository& Children() override { return children_; }
  TeamRepository& Teams() override { return teams_; }
  SessionRepository& Sessions() override { return sessions_; }
  AuditLog& Audit() override { return audit_; }
  ChronologyRepository& Chronology() override { return *chronology_; }
  ForumRepository& Forum() override { return *forum_; }
  WheelRepository& Wheel() override { return *wheel_; }
  WordStatsRepository& WordStats() override { return *words_; }
  FeedRepository& Feed() override { return *feed_; }
  SourceRecordRepository& SourceRecords() override { return *sources_; }
  ReviewRepository& Reviews() override { return *reviews_; }
  MergeRepository& Merges() override { return *merges_; }
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
  PgAuthorities authorities_;
  PgAgencies agencies_;
  PgUsers users_;
  PgChildren children_;
  PgTeams teams_;
  PgSessions sessions_;
  PgAudit audit_;
  std::unique_ptr<ChronologyRepository> chronology_;
  std::unique_ptr<ForumRepository> forum_;
  std::unique_ptr<WheelRepository> wheel_;
  std::unique_ptr<WordStatsRepository> words_;
  std::unique_ptr<FeedRepository> feed_;
  std::unique_ptr<SourceRecordRepository> sources_;
  std::unique_ptr<ReviewRepository> reviews_;
  std::unique_ptr<MergeRepository> merges_;
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

std::unique_ptr<Repositories> MakeRepositories(Connection& connection, TransactionState& state) {
  return std::make_unique<Bundle>(connection, state);
}

}  // namespace kith::storage::postgres
