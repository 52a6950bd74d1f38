// Users: practitioners, managers, administrators and auditors, each in one agency of one
// local authority; national administrators belong to no authority.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/result.h"

namespace kith::domain {

enum class Role {
  kPractitioner,    // works with children; may join a child's team
  kManager,         // a practitioner who also supervises a team
  kAuthorityAdmin,  // manages users and agencies of one local authority; no case content
  kAuditor,         // reads the audit trail of one local authority; no case content
  kNationalAdmin,   // manages local authorities; no case content
  // A parent, carer or young person using the family portal (issue 5): a distinct kind of
  // principal, created only by redeeming an invitation, never on a team, granted nothing by
  // the practitioners' access policy; see domain/account/family.h.
  kFamily,
};

std::string_view ToString(Role role);
std::optional<Role> ParseRole(std::string_view text);
// Practitioners and managers work with children; the other roles never see case content.
bool WorksWithChildren(Role role);
bool IsAdministrator(Role role);
// Roles an administrator may give a user (every role but kFamily).
bool IsStaffRole(Role role);

struct User {
  std::string id;
  std::string username;
  std::string display_name;
  std::string job_title;  // "Class teacher", "Health visitor", ...
  std::string email;
  std::string phone;
  Role role = Role::kPractitioner;
  std::string authority_id;
  std::string agency_id;  // empty for national administrators
  bool active = true;
  // Index steward of the authority (docs/adr/0010-index-steward-permission.md): granted and
  // taken away by an authority administrator; imports source feeds, decides clerical reviews
  // and merges children of the national index. Counts only for practitioners and managers.
  bool index_steward = false;
  // Information governance of the authority: answers subject-access requests, which export
  // everything held about a child. Granted and taken away by an authority administrator, never
  // to administrators (who never read case content) and never by anyone to themselves.
  bool information_governance = false;

  // Credentials and sign-in state; never leave the app layer.
  std::string password_hash;  // argon2id, libsodium's encoded string
  std::string totp_secret;    // base-32; empty when none enrolled
  bool totp_enrolled = false;
  int failed_logins = 0;
  std::optional<TimePoint> locked_until;
  std::optional<TimePoint> last_login_at;
  int64_t totp_last_step = 0;  // the newest TOTP time step accepted; older or equal are refused
  int64_t version = 0;
};

// Checks a username's shape: 3..64 of [a-z0-9._-], starting with a letter.
Status ValidateUsername(std::string_view username);

// Password rules (ASVS 2.1): at least 12 and at most 128 characters, not a common password,
// not containing the username. The message says which rule failed.
Status ValidatePassword(std::string_view password, std::string_view username);

}  // namespace kith::domain
