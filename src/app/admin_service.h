// Administration: users and agencies of a local authority (authority administrators), local
// authorities (national administrators), and the agency directory every user may read.
// Administrators never see case content through these use cases. Every change is audited;
// nobody changes their own role or permissions; a new account, and a change of someone else's
// role, password, second factor or permissions, is alerted to the other administrators and
// auditors of the authority (and a change to the person too).
// Thread safety: safe from any thread.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/auth_service.h"
#include "app/context.h"
#include "app/principal.h"
#include "common/result.h"
#include "domain/organisation.h"
#include "domain/user.h"

namespace kith::app {

struct NewUser {
  std::string username;
  std::string display_name;
  std::string job_title;
  std::string email;
  std::string phone;
  domain::Role role = domain::Role::kPractitioner;
  std::string authority_id;  // defaults to the administrator's own
  std::string agency_id;
  std::string password;
};

// Fields left empty are not changed.
struct UserChanges {
  int64_t version = 0;  // the version the administrator saw
  std::optional<std::string> display_name, job_title, email, phone, agency_id, password;
  std::optional<domain::Role> role;
  std::optional<bool> active;
  // Grants (true) or takes away (false) the index steward permission; practitioners and
  // managers only (docs/adr/0010-index-steward-permission.md).
  std::optional<bool> index_steward;
  // Grants or takes away the information-governance permission (subject-access exports);
  // staff other than administrators only.
  std::optional<bool> information_governance;
  bool unlock = false;      // clear a lockout
  bool reset_totp = false;  // remove the second factor so the user enrols again
};

class AdminService {
 public:
  // `auth`, if given, forgets a user's failed sign-ins when an administrator unlocks them.
  explicit AdminService(Context& context, AuthService* auth = nullptr) : ctx_(context), auth_(auth) {}

  Result<std::vector<domain::User>> ListUsers(const Principal& p, const std::string& authority_id);
  Result<domain::User> GetUser(const Principal& p, const std::string& user_id);
  // Errors: kForbidden, kInvalidInput (field named), kConflict (username taken).
  Result<domain::User> CreateUser(const Principal& p, NewUser user);
  // Errors: kForbidden, kNotFound, kInvalidInput, kConflict (stale version).
  Result<domain::User> UpdateUser(const Principal& p, const std::string& user_id, const UserChanges& changes);

  // The agency directory of an authority: any signed-in user may read it.
  Result<std::vector<domain::Agency>> ListAgencies(const Principal& p, const std::string& authority_id);
  Result<domain::Agency> CreateAgency(const Principal& p, domain::Agency agency);
  Result<domain::Agency> UpdateAgency(const Principal& p, domain::Agency agency);

  Result<std::vector<domain::LocalAuthority>> ListAuthorities(const Principal& p);
  // National administrators only.
  Result<domain::LocalAuthority> CreateAuthority(const Principal& p, domain::LocalAuthority authority);

 private:
  // Records a refusal (`why`) of `audit_action` on `target` and returns kForbidden with `message`.
  Error Refuse(const Principal& p, const std::string& audit_action, const std::string& target, std::string_view why,
               std::string message);
  Status Allow(const Principal& p, domain::AuthorityAction action, const std::string& authority_id,
               const std::string& audit_action);
  // The user `user_id` if the caller administers its authority; otherwise nullopt with
  // `refusal` set (kForbidden for non-administrators, kNotFound otherwise).
  std::optional<domain::User> FindManagedUser(const Principal& p, const std::string& user_id,
                                              const std::string& audit_action, Status& refusal);
  void Audit(const Principal& p, storage::Repositories& r, const std::string& action, const std::string& target,
             const std::string& detail);
  // Alerts a change of role, password, second factor or permission of `after` (by `p`).
  void AlertSensitiveChange(const Principal& p, storage::Repositories& r, const domain::User& before,
                            const domain::User& after, const UserChanges& c);
  // Alerts `what` was done to `account` to the other administrators and auditors of its
  // authority, and to the person too if `tell_the_person`.
  void AlertAccountChange(const Principal& p, storage::Repositories& r, const domain::User& account,
                          const std::string& what, bool tell_the_person);
  Context& ctx_;
  AuthService* auth_;
};

}  // namespace kith::app
