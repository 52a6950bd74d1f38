// Local authorities and the agencies in them.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kith::domain {

struct LocalAuthority {
  std::string id;
  std::string code;  // the ONS-style short code, e.g. "E09000099"
  std::string name;
  // Whether every user in this authority must enrol a second factor (administrators always must).
  bool require_second_factor = false;
};

enum class AgencyKind {
  kChildrensSocialCare,
  kSchool,
  kGpPractice,
  kHealthVisiting,
  kSchoolNursing,
  kMidwifery,
  kHospital,
  kPolice,
  kEarlyYears,
  kYouthService,
  kHousing,
  kVoluntarySector,
  kCamhs,
  kProbation,
};

std::string_view ToString(AgencyKind kind);
std::optional<AgencyKind> ParseAgencyKind(std::string_view text);
const std::vector<AgencyKind>& AllAgencyKinds();
// "Children's social care", "School", ... for display.
std::string_view DisplayName(AgencyKind kind);

struct Agency {
  std::string id;
  std::string authority_id;
  std::string name;
  AgencyKind kind = AgencyKind::kVoluntarySector;
  std::string phone;
  std::string email;
  std::string address;
};

}  // namespace kith::domain
