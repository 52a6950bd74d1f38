#include "app/admin_service.h"

#include <nlohmann/json.hpp>

#include "app/alerts.h"
#include "domain/access_policy.h"

namespace kith::app {
namespace {

using domain::AuthorityAction;
using storage::Repositories;

Status CheckField(const char* field, const std::string& value, size_t max, bool required) {
  if (required && value.empty()) return Error::Invalid(field, "This field is required.");
  if (value.size() > max) return Error::Invalid(field, "This field is too long.");
  for (unsigned char c : value) {
    if (c < 0x20) return Error::Invalid(field, "This field contains control characters.");
  }
  return Ok{};
}

Status CheckAgency(const domain::Agency& a) {
  if (auto s = CheckField("name", a.name, 200, true); !s) return s;
  if (auto s = CheckField("phone", a.phone, 40, false); !s) return s;
  if (auto s = CheckField("email", a.email, 254, false); !s) return s;
  return CheckField("address", a.address, 300, false);
}

}  // namespace

void AdminService::Audit(const Principal& p, Repositories& r, const std::string& action, const std::string& target,
                         const std::string& detail) {
  auto a = AuditFor(p, action, ctx_.clock.Now());
  a.target_id = target;
  a.why = "administrator";
  a.detail = detail;
  r.Audit().Append(a);
}

Error AdminService::Refuse(const Principal& p, const std::string& audit_action, const std::string& target,
                           std::string_view why, std::string message) {
  auto a = AuditFor(p, audit_action, ctx_.clock.Now());
  a.outcome = domain::AuditOutcome::kDenied;
  a.why = std::string(why);
  a.target_id = target;
  ctx_.store.Write([&](Repositories& r) {
    r.Audit().Append(a);
    return true;
  });
  return Error::Forbidden(std::move(message));
}

Status AdminService::Allow(const Principal& p, AuthorityAction action, const std::string& authority_id,
                           const std::string& audit_action) {
  const auto d = domain::Decide(p.Actor(), action, authority_id);
  if (d.allowed) return Ok{};
  return Refuse(p, audit_action, authority_id, d.why, "Only administrators of this local authority can do that.");
}

Result<std::vector<domain::User>> AdminService::ListUsers(const Principal& p, const std::string& authority_id) {
  const std::string la = authority_id.empty() ? p.user.authority_id : authority_id;
  if (auto s = Allow(p, AuthorityAction::kManageUsers, la, "user.list"); !s) return s.error();
  auto users = ctx_.store.ReadValue([&](Repositories& r) { return r.Users().ListByAuthority(la); });
  // Reads of people's accounts are audited as reads of children's are (issue 14).
  ctx_.store.Write([&](Repositories& r) {
    Audit(p, r, "user.list", la, nlohmann::json{{"count", users.size()}}.dump());
    return true;
  });
  return users;
}

std::optional<domain::User> AdminService::FindManagedUser(const Principal& p, const std::string& user_id,
                                                          const std::string& audit_action, Status& refusal) {
  // The caller must administer some authority before any lookup, and a user of an authority the
  // caller does not administer answers as missing: either way ids cannot be probed.
  refusal = Allow(p, AuthorityAction::kManageUsers, p.user.authority_id, audit_action);
  if (!refusal) return std::nullopt;
  auto user = ctx_.store.ReadValue([&](Repositories& r) { return r.Users().Get(user_id); });
  if (!user || !Allow(p, AuthorityAction::kManageUsers, user->authority_id, audit_action)) {
    refusal = Error::NotFound("There is no user with that id.");
    return std::nullopt;
  }
  return user;
}

Result<domain::User> AdminService::GetUser(const Principal& p, const std::string& user_id) {
  Status refusal = Ok{};
  auto user = FindManagedUser(p, user_id, "user.read", refusal);
  if (!user) return refusal.error();
  ctx_.store.Write([&](Repositories& r) {
    Audit(p, r, "user.read", user->id, "");
    return true;
  });
  return *user;
}

Result<domain::User> AdminService::CreateUser(const Principal& p, NewUser n) {
  if (n.authority_id.empty()) n.authority_id = p.user.authority_id;
  if (auto s = Allow(p, AuthorityAction::kManageUsers, n.authority_id, "user.create"); !s) return s.error();
  if (n.role == domain::Role::kNationalAdmin && p.user.role != domain::Role::kNationalAdmin) {
    return Error::Forbidden("Only national administrators can create national administrators.");
  }
  if (!domain::IsStaffRole(n.role)) {
    return Error::Invalid("role", "Family accounts are created by invitation from the child's team.");
  }
  if (auto s = domain::ValidateUsername(n.username); !s) return s.error();
  if (auto s = domain::ValidatePassword(n.password, n.username); !s) return s.error();
  if (auto s = CheckField("display_name", n.display_name, 200, true); !s) return s.error();
  if (auto s = CheckField("job_title", n.job_title, 100, false); !s) return s.error();
  if (auto s = CheckField("email", n.email, 254, false); !s) return s.error();
  if (auto s = CheckField("phone", n.phone, 40, false); !s) return s.error();

  domain::User u;
  u.id = ctx_.random.Id("U");
  u.username = n.username;
  u.display_name = n.display_name;
  u.job_title = n.job_title;
  u.email = n.email;
  u.phone = n.phone;
  u.role = n.role;
  u.authority_id = n.authority_id;
  u.agency_id = n.agency_id;
  u.password_hash = ctx_.hasher.Hash(n.password);
  u.version = 1;
  Status outcome = Ok{};
  ctx_.store.Write([&](Repositories& r) {
    if (!u.agency_id.empty()) {
      auto agency = r.Agencies().Get(u.agency_id);
      if (!agency || agency->authority_id != u.authority_id) {
        outcome = Error::Invalid("agency_id", "Choose an agency of the user's local authority.");
        return false;
      }
    } else if (u.role != domain::Role::kNationalAdmin) {
      outcome = Error::Invalid("agency_id", "Every user except national administrators belongs to an agency.");
      return false;
    }
    outcome = r.Users().Insert(u);
    if (!outcome) return false;
    Audit(p, r, "user.create", u.id,
          nlohmann::json{{"username", u.username}, {"role", domain::ToString(u.role)}}.dump());
    // A new account is a new way in: the other administrators and the auditors see it at once.
    AlertAccountChange(p, r, u, "new " + std::string(domain::ToString(u.role)) + " account", false);
    return true;
  });
  if (!outcome) return outcome.error();
  return u;
}

Result<domain::User> AdminService::UpdateUser(const Principal& p, const std::string& user_id, const UserChanges& c) {
  Status refusal = Ok{};
  auto current = FindManagedUser(p, user_id, "user.update", refusal);
  if (!current) return refusal.error();
  // A family account is the team's to reinstate and to give a way back in: an administrator who
  // could re-enable a parent the team suspended and set its password would read the family
  // portal. Administrators may disable or unlock it only.
  if (current->role == domain::Role::kFamily && ((c.active && *c.active) || c.password || c.reset_totp)) {
    return Refuse(p, "user.update", user_id, "family account: reinstated and managed by the child's team",
                  "A family account is reinstated, and given a new password or second factor, by the child's team "
                  "(the Family tab of the child's account), not by an administrator.");
  }
  // Nobody grants themselves a role or a permission: another administrator must (no back door
  // from administering people to reading case content).
  if (user_id == p.user.id && (c.role || c.index_steward || c.information_governance)) {
    return Refuse(p, "user.update", user_id, "own role or permission",
                  "Nobody changes their own role or permissions: ask another administrator.");
  }
  domain::User u = *current;
  u.version = c.version;
  nlohmann::json changed = nlohmann::json::array();
  auto set = [&](const std::optional<std::string>& v, std::string& field, const char* name, size_t max) -> Status {
    if (!v) return Ok{};
    if (auto s = CheckField(name, *v, max, std::string_view(name) == "display_name"); !s) return s;
    field = *v;
    changed.push_back(name);
    return Ok{};
  };
  for (auto s : {set(c.display_name, u.display_name, "display_name", 200),
                 set(c.job_title, u.job_title, "job_title", 100), set(c.email, u.email, "email", 254),
                 set(c.phone, u.phone, "phone", 40), set(c.agency_id, u.agency_id, "agency_id", 64)}) {
    if (!s) return s.error();
  }
  if (c.role) {
    if (!domain::IsStaffRole(*c.role) || !domain::IsStaffRole(u.role)) {
      return Error::Invalid("role", "A family account keeps its kind; a staff account cannot become one.");
    }
    if (*c.role == domain::Role::kNationalAdmin && p.user.role != domain::Role::kNationalAdmin) {
      return Error::Forbidden("Only national administrators can appoint national administrators.");
    }
    u.role = *c.role;
    changed.push_back("role");
  }
  if (c.index_steward) {
    if (*c.index_steward && !domain::WorksWithChildren(u.role)) {
      return Error::Invalid("index_steward",
                            "Only practitioners and managers can be index stewards: the steward sees children's "
                            "identifying details, which administrators and auditors never do.");
    }
    u.index_steward = *c.index_steward;
    changed.push_back("index_steward");
  } else if (u.index_steward && !domain::WorksWithChildren(u.role)) {
    u.index_steward = false;  // a new role that does not work with children ends the grant
    changed.push_back("index_steward");
  }
  if (c.information_governance) {
    if (*c.information_governance && (domain::IsAdministrator(u.role) || !domain::IsStaffRole(u.role))) {
      return Error::Invalid("information_governance",
                            "Administrators cannot hold the information-governance permission: it exports everything "
                            "held about a child, and administrators never read case content.");
    }
    u.information_governance = *c.information_governance;
    changed.push_back("information_governance");
  } else if (u.information_governance && domain::IsAdministrator(u.role)) {
    u.information_governance = false;  // becoming an administrator ends the grant
    changed.push_back("information_governance");
  }
  if (c.active) {
    if (!*c.active && user_id == p.user.id) return Error::Conflict("You cannot disable your own account.");
    u.active = *c.active;
    changed.push_back("active");
  }
  if (c.unlock) {
    u.locked_until.reset();
    u.failed_logins = 0;
    changed.push_back("unlock");
  }
  if (c.reset_totp) {
    u.totp_enrolled = false;
    u.totp_secret.clear();
    changed.push_back("reset_totp");
  }
  if (c.password) {
    if (auto s = domain::ValidatePassword(*c.password, u.username); !s) return s.error();
    u.password_hash = ctx_.hasher.Hash(*c.password);
    changed.push_back("password");
  }
  Status outcome = Ok{};
  ctx_.store.Write([&](Repositories& r) {
    if (c.agency_id) {
      auto agency = r.Agencies().Get(u.agency_id);
      if (!agency || agency->authority_id != u.authority_id) {
        outcome = Error::Invalid("agency_id", "Choose an agency of the user's local authority.");
        return false;
      }
    }
    outcome = r.Users().Update(u);
    if (!outcome) return false;
    // A role that does not work with children (administrator, auditor) ends the person's places
    // on children's teams, lead professional included: no case content reaches them by alerts,
    // mentions or live updates either.
    nlohmann::json left = nlohmann::json::array();
    if (domain::WorksWithChildren(current->role) && !domain::WorksWithChildren(u.role)) {
      const TimePoint now = ctx_.clock.Now();
      for (const auto& child_id : r.Teams().ChildrenOf(u.id)) {
        const auto team = r.Teams().Members(child_id);
        const auto* member = domain::FindMember(team, u.id);
        if (!member) continue;
        r.Teams().RemoveMember(child_id, u.id);
        r.Teams().AppendEvent({child_id, u.id, "left", member->role,
                               "role changed to " + std::string(domain::ToString(u.role)), p.user.id, now});
        left.push_back(child_id);
        if (!member->lead) continue;
        if (auto child = r.Children().Get(child_id)) {
          AlertWatchers(r, ctx_.random, *child, Watchers::kManagers, p.user.id, "lead_left",
                        "No lead professional now: " + u.display_name +
                            " left the team on becoming " + std::string(domain::ToString(u.role)) + ".",
                        child_id, now);
        }
      }
    }
    // Disabling, a new password or a removed second factor ends the user's sessions.
    if ((c.active && !*c.active) || c.password || c.reset_totp) r.Sessions().DeleteForUser(u.id);
    nlohmann::json detail{{"changed", changed}};
    if (current->index_steward != u.index_steward) detail["index_steward"] = u.index_steward;
    if (current->information_governance != u.information_governance) {
      detail["information_governance"] = u.information_governance;
    }
    if (c.role) detail["role"] = {{"from", domain::ToString(current->role)}, {"to", domain::ToString(u.role)}};
    if (current->agency_id != u.agency_id) detail["agency"] = {{"from", current->agency_id}, {"to", u.agency_id}};
    if (!left.empty()) detail["left_teams"] = left;
    Audit(p, r, "user.update", u.id, detail.dump());
    AlertSensitiveChange(p, r, *current, u, c);
    return true;
  });
  if (!outcome) return outcome.error();
  if (c.unlock && auth_ != nullptr) auth_->ClearFailures(u.username);
  u.version += 1;
  return u;
}

void AdminService::AlertSensitiveChange(const Principal& p, Repositories& r, const domain::User& before,
                                        const domain::User& after, const UserChanges& c) {
  std::vector<std::string> what;
  if (before.role != after.role) {
    what.push_back("role changed from " + std::string(domain::ToString(before.role)) + " to " +
                   std::string(domain::ToString(after.role)));
  }
  if (before.agency_id != after.agency_id) {
    // Moving someone into a child's school or GP practice would let them join its children's
    // teams at once, as an involved agency.
    auto name = [&](const std::string& id) {
      auto agency = id.empty() ? std::nullopt : r.Agencies().Get(id);
      return agency ? agency->name : std::string("no agency");
    };
    what.push_back("agency changed from " + name(before.agency_id) + " to " + name(after.agency_id));
  }
  if (before.active != after.active) what.emplace_back(after.active ? "account enabled" : "account disabled");
  if (c.password) what.emplace_back("password set");
  if (c.reset_totp) what.emplace_back("second factor removed");
  if (before.index_steward != after.index_steward) {
    what.emplace_back(after.index_steward ? "index steward permission granted" : "index steward permission removed");
  }
  if (before.information_governance != after.information_governance) {
    what.emplace_back(after.information_governance ? "information-governance permission granted"
                                                   : "information-governance permission removed");
  }
  if (c.unlock) what.emplace_back("unlocked");
  if (what.empty()) return;
  std::string summary;
  for (size_t i = 0; i < what.size(); ++i) summary += (i ? ", " : "") + what[i];
  AlertAccountChange(p, r, after, summary, true);
  // A family account's changes reach the team of each child it is linked to.
  if (after.role != domain::Role::kFamily) return;
  const TimePoint now = ctx_.clock.Now();
  for (const auto& link : r.Family().LinksOf(after.id)) {
    if (auto child = r.Children().Get(link.child_id)) {
      AlertWatchers(r, ctx_.random, *child, Watchers::kLeadAndManagers, p.user.id, "account_change",
                    "Family account of " + after.display_name + ": " + summary +
                        " by " + p.user.display_name + ".",
                    after.id, now);
    }
  }
}

void AdminService::AlertAccountChange(const Principal& p, Repositories& r, const domain::User& account,
                                      const std::string& what, bool tell_the_person) {
  const std::string summary = "Account of " + account.display_name + " (" + account.username + "): " + what + " by " +
                              p.user.display_name + ".";
  // Every other administrator and auditor of the account's authority, so that no administrator
  // can make, take over or empower an account unseen.
  std::vector<std::string> to;
  if (tell_the_person) to.push_back(account.id);
  for (const auto& other : r.Users().ListByAuthority(account.authority_id)) {
    if (other.active && other.id != p.user.id && other.id != account.id &&
        (domain::IsAdministrator(other.role) || other.role == domain::Role::kAuditor)) {
      to.push_back(other.id);
    }
  }
  const TimePoint now = ctx_.clock.Now();
  for (const auto& id : to) {
    r.Feed().InsertAlert({ctx_.random.Id("A"), id, "", now, "account_change", summary, account.id, std::nullopt});
  }
}

Result<std::vector<domain::Agency>> AdminService::ListAgencies(const Principal& p, const std::string& authority_id) {
  const std::string la = authority_id.empty() ? p.user.authority_id : authority_id;
  if (!p.user.active) return Error::Forbidden("This account is disabled.");
  return ctx_.store.ReadValue([&](Repositories& r) { return r.Agencies().ListByAuthority(la); });
}

Result<domain::Agency> AdminService::CreateAgency(const Principal& p, domain::Agency a) {
  if (a.authority_id.empty()) a.authority_id = p.user.authority_id;
  if (auto s = Allow(p, AuthorityAction::kManageAgencies, a.authority_id, "agency.create"); !s) return s.error();
  if (auto s = CheckAgency(a); !s) return s.error();
  a.id = ctx_.random.Id("A");
  Status outcome = Ok{};
  ctx_.store.Write([&](Repositories& r) {
    if (!r.Authorities().Get(a.authority_id)) {
      outcome = Error::Invalid("authority_id", "There is no local authority with that id.");
      return false;
    }
    outcome = r.Agencies().Insert(a);
    if (!outcome) return false;
    Audit(p, r, "agency.create", a.id, nlohmann::json{{"name", a.name}}.dump());
    return true;
  });
  if (!outcome) return outcome.error();
  return a;
}

Result<domain::Agency> AdminService::UpdateAgency(const Principal& p, domain::Agency a) {
  if (auto s = Allow(p, AuthorityAction::kManageAgencies, p.user.authority_id, "agency.update"); !s) return s.error();
  auto current = ctx_.store.ReadValue([&](Repositories& r) { return r.Agencies().Get(a.id); });
  if (!current || !Allow(p, AuthorityAction::kManageAgencies, current->authority_id, "agency.update")) {
    return Error::NotFound("There is no agency with that id.");
  }
  a.authority_id = current->authority_id;
  if (auto s = CheckAgency(a); !s) return s.error();
  Status outcome = Ok{};
  ctx_.store.Write([&](Repositories& r) {
    outcome = r.Agencies().Update(a);
    if (!outcome) return false;
    nlohmann::json detail = nlohmann::json::object();
    auto diff = [&](const char* field, const std::string& before, const std::string& after) {
      if (before != after) detail[field] = {{"from", before}, {"to", after}};
    };
    diff("name", current->name, a.name);
    diff("kind", std::string(domain::ToString(current->kind)), std::string(domain::ToString(a.kind)));
    diff("phone", current->phone, a.phone);
    diff("email", current->email, a.email);
    diff("address", current->address, a.address);
    Audit(p, r, "agency.update", a.id, detail.dump());
    // The kind decides who may approve joining (children's social care is the duty team) and
    // which staff join at once: a change is seen by the authority's managers, administrators
    // and auditors.
    if (current->kind != a.kind) {
      const std::string summary = "Agency " + a.name + " changed from " + std::string(domain::ToString(current->kind)) +
                                  " to " + std::string(domain::ToString(a.kind)) + " by " + p.user.display_name + ".";
      const TimePoint now = ctx_.clock.Now();
      for (const auto& other : r.Users().ListByAuthority(a.authority_id)) {
        if (other.active && other.id != p.user.id &&
            (domain::IsAdministrator(other.role) || other.role == domain::Role::kAuditor ||
             other.role == domain::Role::kManager)) {
          r.Feed().InsertAlert({ctx_.random.Id("A"), other.id, "", now, "agency_change", summary, a.id, std::nullopt});
        }
      }
    }
    return true;
  });
  if (!outcome) return outcome.error();
  return a;
}

Result<std::vector<domain::LocalAuthority>> AdminService::ListAuthorities(const Principal& p) {
  if (!p.user.active) return Error::Forbidden("This account is disabled.");
  return ctx_.store.ReadValue([](Repositories& r) { return r.Authorities().List(); });
}

Result<domain::LocalAuthority> AdminService::CreateAuthority(const Principal& p, domain::LocalAuthority la) {
  if (p.user.role != domain::Role::kNationalAdmin || !p.user.active) {
    return Refuse(p, "authority.create", "", "not a national administrator",
                  "Only national administrators can add local authorities.");
  }
  if (auto s = CheckField("name", la.name, 200, true); !s) return s.error();
  if (auto s = CheckField("code", la.code, 20, true); !s) return s.error();
  la.id = ctx_.random.Id("L");
  Status outcome = Ok{};
  ctx_.store.Write([&](Repositories& r) {
    outcome = r.Authorities().Insert(la);
    if (!outcome) return false;
    Audit(p, r, "authority.create", la.id, nlohmann::json{{"code", la.code}}.dump());
    return true;
  });
  if (!outcome) return outcome.error();
  return la;
}

}  // namespace kith::app
