#include "domain/organisation.h"

#include <array>
#include <utility>

namespace kith::domain {
namespace {

struct KindInfo {
  AgencyKind kind;
  std::string_view code;
  std::string_view display;
};

constexpr std::array kKinds = {
    KindInfo{AgencyKind::kChildrensSocialCare, "childrens_social_care", "Children's social care"},
    KindInfo{AgencyKind::kSchool, "school", "School"},
    KindInfo{AgencyKind::kGpPractice, "gp_practice", "GP practice"},
    KindInfo{AgencyKind::kHealthVisiting, "health_visiting", "Health visiting"},
    KindInfo{AgencyKind::kSchoolNursing, "school_nursing", "School nursing"},
    KindInfo{AgencyKind::kMidwifery, "midwifery", "Midwifery"},
    KindInfo{AgencyKind::kHospital, "hospital", "Hospital"},
    KindInfo{AgencyKind::kPolice, "police", "Police"},
    KindInfo{AgencyKind::kEarlyYears, "early_years", "Early years"},
    KindInfo{AgencyKind::kYouthService, "youth_service", "Youth service"},
    KindInfo{AgencyKind::kHousing, "housing", "Housing"},
    KindInfo{AgencyKind::kVoluntarySector, "voluntary_sector", "Voluntary sector"},
    KindInfo{AgencyKind::kCamhs, "camhs", "Child and adolescent mental health"},
    KindInfo{AgencyKind::kProbation, "probation", "Probation"},
};

const KindInfo& Info(AgencyKind kind) {
  for (const auto& k : kKinds) {
    if (k.kind == kind) return k;
  }
  return kKinds.back();
}

}  // namespace

std::string_view ToString(AgencyKind kind) { return Info(kind).code; }
std::string_view DisplayName(AgencyKind kind) { return Info(kind).display; }

std::optional<AgencyKind> ParseAgencyKind(std::string_view text) {
  for (const auto& k : kKinds) {
    if (k.code == text) return k.kind;
  }
  return std::nullopt;
}

const std::vector<AgencyKind>& AllAgencyKinds() {
  static const std::vector<AgencyKind> kAll = [] {
    std::vector<AgencyKind> all;
    for (const auto& k : kKinds) all.push_back(k.kind);
    return all;
  }();
  return kAll;
}

}  // namespace kith::domain
