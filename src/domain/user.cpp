#include "domain/user.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace kith::domain {
namespace {

struct RoleInfo {
  Role role;
  std::string_view code;
};

constexpr std::array kRoles = {
    RoleInfo{Role::kPractitioner, "practitioner"},      RoleInfo{Role::kManager, "manager"},
    RoleInfo{Role::kAuthorityAdmin, "authority_admin"}, RoleInfo{Role::kAuditor, "auditor"},
    RoleInfo{Role::kNationalAdmin, "national_admin"},   RoleInfo{Role::kFamily, "family"},
};

// Passwords of twelve or more characters that appear in public breach corpora most often,
// compared case-insensitively. A short list, because length already removes most weak
// choices; repeated and sequential characters are refused separately.
constexpr std::array<std::string_view, 40> kCommonPasswords = {
    "password1234",   "password12345", "password123456", "passwordpassword", "qwertyuiop12", "qwertyuiop123",
    "qwertyuiopasdf", "qwerty123456",  "1q2w3e4r5t6y",   "1qaz2wsx3edc",     "123456789012", "1234567890123",
    "12345678910",    "123456789abc",  "abc123456789",   "iloveyou1234",     "letmein12345", "welcome12345",
    "welcome123456",  "changeme1234",  "administrator",  "administrator1",   "trustno11234", "football1234",
    "baseball1234",   "sunshine1234",  "princess1234",   "monkey123456",     "dragon123456", "superman1234",
    "password!234",   "p@ssw0rd1234",  "p@ssword1234",   "passw0rd1234",     "qazwsxedcrfv", "asdfghjkl123",
    "zxcvbnm12345",   "letmeinplease", "opensesame12",   "kith-password",
};

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// True when the text uses at most three distinct characters ("abababababab"), or when every
// character is one more or one less than the one before it, wrapping 9 to 0 ("123456789012").
bool IsRunOrRepeat(std::string_view s) {
  std::string distinct;
  bool ascending = true, descending = true;
  for (size_t i = 0; i < s.size(); ++i) {
    if (distinct.find(s[i]) == std::string::npos) distinct.push_back(s[i]);
    if (i == 0) continue;
    const bool wrap_up = s[i - 1] == '9' && s[i] == '0';
    const bool wrap_down = s[i - 1] == '0' && s[i] == '9';
    ascending &= s[i] == s[i - 1] + 1 || wrap_up;
    descending &= s[i] == s[i - 1] - 1 || wrap_down;
  }
  return distinct.size() <= 3 || ascending || descending;
}

}  // namespace

std::string_view ToString(Role role) {
  for (const auto& r : kRoles) {
    if (r.role == role) return r.code;
  }
  return "practitioner";
}

std::optional<Role> ParseRole(std::string_view text) {
  for (const auto& r : kRoles) {
    if (r.code == text) return r.role;
  }
  return std::nullopt;
}

bool WorksWithChildren(Role role) { return role == Role::kPractitioner || role == Role::kManager; }

bool IsAdministrator(Role role) { return role == Role::kAuthorityAdmin || role == Role::kNationalAdmin; }

bool IsStaffRole(Role role) { return role != Role::kFamily; }

Status ValidateUsername(std::string_view username) {
  const bool shape_ok = username.size() >= 3 && username.size() <= 64 &&
                        std::islower(static_cast<unsigned char>(username[0])) &&
                        std::all_of(username.begin(), username.end(), [](unsigned char c) {
                          return std::islower(c) || std::isdigit(c) || c == '.' || c == '_' || c == '-';
                        });
  if (!shape_ok) {
    return Error::Invalid("username",
                          "Usernames are 3 to 64 characters of lower-case letters, digits, '.', "
                          "'_' or '-', starting with a letter.");
  }
  return Ok{};
}

Status ValidatePassword(std::string_view password, std::string_view username) {
  if (password.size() < 12) {
    return Error::Invalid("password", "The password must be at least 12 characters long.");
  }
  if (password.size() > 128) {
    return Error::Invalid("password", "The password must be at most 128 characters long.");
  }
  const std::string lower = Lower(password);
  if (std::find(kCommonPasswords.begin(), kCommonPasswords.end(), lower) != kCommonPasswords.end() ||
      IsRunOrRepeat(lower)) {
    return Error::Invalid("password",
                          "That password is too common and easy to guess; choose another, for "
                          "example three or four unrelated words.");
  }
  if (!username.empty() && lower.find(Lower(username)) != std::string::npos) {
    return Error::Invalid("password", "The password must not contain the username.");
  }
  return Ok{};
}

}  // namespace kith::domain
