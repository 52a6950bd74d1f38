#include "domain/child.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "domain/identifiers.h"

namespace kith::domain {
namespace {

constexpr std::array<std::pair<Sex, std::string_view>, 4> kSexes = {{
    {Sex::kFemale, "female"},
    {Sex::kMale, "male"},
    {Sex::kIndeterminate, "indeterminate"},
    {Sex::kNotKnown, "not_known"},
}};

std::string Trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(first, last - first + 1));
}

bool HasControlCharacters(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](unsigned char c) { return c < 0x20 && c != '\t'; });
}

Status CheckText(std::string_view field, const std::string& value, size_t max, bool required) {
  if (required && value.empty()) return Error::Invalid(std::string(field), "This field is required.");
  if (value.size() > max) {
    return Error::Invalid(std::string(field),
                          "This field is too long (at most " + std::to_string(max) + " characters).");
  }
  if (HasControlCharacters(value)) {
    return Error::Invalid(std::string(field), "This field contains control characters.");
  }
  return Ok{};
}

bool LooksLikeEmail(std::string_view s) {
  const auto at = s.find('@');
  return at != std::string_view::npos && at > 0 && s.find('.', at) != std::string_view::npos &&
         s.find(' ') == std::string_view::npos && s.back() != '.';
}

bool LooksLikePhone(std::string_view s) {
  int digits = 0;
  for (unsigned char c : s) {
    if (std::isdigit(c)) {
      ++digits;
    } else if (c != ' ' && c != '+' && c != '-' && c != '(' && c != ')') {
      return false;
    }
  }
  return digits >= 6 && digits <= 15;
}

}  // namespace

std::string_view ToString(Sex sex) {
  for (const auto& [s, name] : kSexes) {
    if (s == sex) return name;
  }
  return "not_known";
}

std::optional<Sex> ParseSex(std::string_view text) {
  for (const auto& [s, name] : kSexes) {
    if (name == text) return s;
  }
  return std::nullopt;
}

std::string NormalisePostcode(std::string_view text) {
  std::string compact;
  for (unsigned char c : text) {
    if (c == ' ') continue;
    if (!std::isalnum(c)) return {};
    compact.push_back(static_cast<char>(std::toupper(c)));
  }
  // Outward code 2-4 characters starting with a letter; inward code a digit and two letters.
  if (compact.size() < 5 || compact.size() > 7) return {};
  const std::string inward = compact.substr(compact.size() - 3);
  const std::string outward = compact.substr(0, compact.size() - 3);
  if (!std::isdigit(static_cast<unsigned char>(inward[0])) || !std::isalpha(static_cast<unsigned char>(inward[1])) ||
      !std::isalpha(static_cast<unsigned char>(inward[2])) || !std::isalpha(static_cast<unsigned char>(outward[0]))) {
    return {};
  }
  return outward + " " + inward;
}

std::vector<std::string> InvolvedAgencies(const Child& child) {
  std::vector<std::string> out;
  if (!child.school_agency_id.empty()) out.push_back(child.school_agency_id);
  if (!child.gp_agency_id.empty()) out.push_back(child.gp_agency_id);
  for (const auto& s : child.services) out.push_back(s.agency_id);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::vector<std::string> InvolvementAfterChange(const Child& before, const Child& after,
                                                const std::string& actor_agency, bool may_decide_join,
                                                NamedInvolvement named) {
  auto sent = [&](const std::string& agency) {
    return (named.school && after.school_agency_id == agency) || (named.gp && after.gp_agency_id == agency) ||
           (named.services && std::any_of(after.services.begin(), after.services.end(),
                                          [&](const ServiceInvolvement& s) { return s.agency_id == agency; }));
  };
  const auto was = InvolvedAgencies(before);
  std::vector<std::string> out;
  for (const auto& agency : InvolvedAgencies(after)) {
    if (sent(agency) && (may_decide_join || (!actor_agency.empty() && agency == actor_agency))) continue;
    const bool newly_named = !std::binary_search(was.begin(), was.end(), agency);
    const bool was_unconfirmed =
        std::find(before.unconfirmed_agencies.begin(), before.unconfirmed_agencies.end(), agency) !=
        before.unconfirmed_agencies.end();
    if (newly_named || was_unconfirmed) out.push_back(agency);
  }
  return out;
}

Status NormaliseChild(Child& child, const Date& today) {
  Child c = child;
  c.given_names = Trim(c.given_names);
  c.family_name = Trim(c.family_name);
  c.address = Trim(c.address);
  for (auto& n : c.other_names) n = Trim(n);
  std::erase_if(c.other_names, [](const std::string& n) { return n.empty(); });

  if (auto s = CheckText("given_names", c.given_names, 100, true); !s) return s;
  if (auto s = CheckText("family_name", c.family_name, 100, true); !s) return s;
  if (auto s = CheckText("address", c.address, 300, false); !s) return s;
  if (c.other_names.size() > 20) return Error::Invalid("other_names", "At most 20 other names.");
  for (const auto& n : c.other_names) {
    if (auto s = CheckText("other_names", n, 200, false); !s) return s;
  }

  if (c.date_of_birth) {
    if (!c.date_of_birth->IsValid()) return Error::Invalid("date_of_birth", "Enter a real date of birth");
    if (*c.date_of_birth > today) {
      return Error::Invalid("date_of_birth", "The date of birth must be in the past");
    }
    if (c.date_of_birth->AgeOn(today) > 25) {
      return Error::Invalid("date_of_birth", "Kith holds children and care leavers up to 25; this person is older.");
    }
  }
  if (c.date_of_death) {
    if (!c.date_of_death->IsValid()) return Error::Invalid("date_of_death", "Enter a real date of death");
    if (*c.date_of_death > today) return Error::Invalid("date_of_death", "The date of death cannot be in the future");
    if (c.date_of_birth && *c.date_of_death < *c.date_of_birth) {
      return Error::Invalid("date_of_death", "The date of death is before the date of birth");
    }
  }

  if (!c.postcode.empty()) {
    const std::string pc = NormalisePostcode(c.postcode);
    if (pc.empty()) return Error::Invalid("postcode", "Enter a real UK postcode, like SW1A 1AA");
    c.postcode = pc;
  }
  if (!c.nhs_number.empty()) {
    const std::string nhs = NormaliseNhsNumber(c.nhs_number);
    if (nhs.empty()) {
      return Error::Invalid("nhs_number", "Not a valid NHS number: enter the 10 digits, like 943 476 5919 (the last digit is a check digit, so a typing mistake shows)");
    }
    c.nhs_number = nhs;
  }
  if (!c.upn.empty()) {
    const std::string upn = NormaliseUpn(c.upn);
    if (upn.empty()) {
      return Error::Invalid("upn", "Not a valid Unique Pupil Number: enter all 13 characters; the first is a check letter, so a typing mistake shows");
    }
    c.upn = upn;
  }

  if (c.carers.size() > 20) return Error::Invalid("carers", "At most 20 parents or carers.");
  for (auto& carer : c.carers) {
    carer.name = Trim(carer.name);
    carer.email = Trim(carer.email);
    carer.phone = Trim(carer.phone);
    if (auto s = CheckText("carers.name", carer.name, 200, true); !s) return s;
    if (auto s = CheckText("carers.relationship", carer.relationship, 100, true); !s) return s;
    if (auto s = CheckText("carers.address", carer.address, 300, false); !s) return s;
    if (!carer.email.empty() && (carer.email.size() > 254 || !LooksLikeEmail(carer.email))) {
      return Error::Invalid("carers.email", "Not an email address.");
    }
    if (!carer.phone.empty() && !LooksLikePhone(carer.phone)) {
      return Error::Invalid("carers.phone", "Not a phone number.");
    }
  }

  if (c.services.size() > 100) return Error::Invalid("services", "At most 100 services.");
  for (const auto& svc : c.services) {
    if (svc.agency_id.empty()) return Error::Invalid("services.agency_id", "Each service needs an agency.");
    if (auto s = CheckText("services.description", svc.description, 200, false); !s) return s;
    if (!svc.start.IsValid()) return Error::Invalid("services.start", "Not a real date.");
    if (svc.end && (!svc.end->IsValid() || *svc.end < svc.start)) {
      return Error::Invalid("services.end", "A service cannot end before it starts.");
    }
  }

  child = std::move(c);
  return Ok{};
}

}  // namespace kith::domain
