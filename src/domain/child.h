// The child index record: ContactPoint's minimum data set, and its validation.
// Plain values; pure functions; safe from any thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/date.h"
#include "common/result.h"

namespace kith::domain {

enum class Sex { kFemale, kMale, kIndeterminate, kNotKnown };
std::string_view ToString(Sex sex);
std::optional<Sex> ParseSex(std::string_view text);

struct Carer {
  std::string name;
  std::string relationship;  // "Mother", "Foster carer", ...
  bool parental_responsibility = false;
  std::string phone;
  std::string email;
  std::string address;  // empty when the carer lives with the child
};

struct ServiceInvolvement {
  std::string agency_id;
  std::string description;  // "Year 4", "Child in need plan", "Registered patient"
  Date start;
  std::optional<Date> end;  // none while the service is involved
  bool IsCurrent(const Date& today) const { return start <= today && (!end || *end >= today); }
};

struct ChildFlags {
  bool early_help_assessment = false;
  bool child_protection_plan = false;
  bool looked_after = false;
  // Retention (domain/retention.h): these young people's accounts are archived at the
  // authority's extended age (25 by default), not at 18.
  bool care_leaver = false;
  bool special_educational_needs = false;
};

struct Child {
  std::string id;  // the Kith id, "K" + 16 base-32 characters
  std::string authority_id;
  std::string given_names;
  std::string family_name;
  std::vector<std::string> other_names;  // former names and aliases, as written
  std::optional<Date> date_of_birth;
  // Recorded when the child has died: the account is archived on that day and purged by the
  // authority's rule for deaths (domain/retention.h).
  std::optional<Date> date_of_death;
  Sex sex = Sex::kNotKnown;
  std::string address;
  std::string postcode;
  std::string nhs_number;  // ten digits, or empty
  std::string upn;         // thirteen characters, or empty
  std::vector<Carer> carers;
  std::string school_agency_id;  // empty when none is known
  std::string gp_agency_id;      // empty when none is known
  std::vector<ServiceInvolvement> services;
  // Agencies of the school, the GP practice or a service above whose involvement was recorded by
  // someone who may not decide who joins the team (docs/access.md, "Joining is a request"): their
  // staff's requests to join wait for a decision, as anyone's, until whoever decides joins sends
  // the record's involvement again (InvolvementAfterChange). Sorted, no repeats.
  std::vector<std::string> unconfirmed_agencies;
  ChildFlags flags;
  // Shielded: address and contacts are hidden from everyone outside the team, and the child
  // is found only by an exact name and date of birth (e.g. a family fleeing domestic abuse).
  bool shielded = false;
  TimePoint created_at;
  TimePoint updated_at;
  int64_t version = 0;

  std::string FullName() const { return given_names + " " + family_name; }
};

// Validates and normalises a child record in place (trims names, upper-cases and spaces the
// postcode, strips spaces from NHS number and UPN). The first problem found is returned with
// the field it concerns; nothing is changed when the record is invalid.
Status NormaliseChild(Child& child, const Date& today);

// Every agency the record names as involved: its school, its GP practice and the agency of every
// service, current or ended. Sorted, no repeats.
std::vector<std::string> InvolvedAgencies(const Child& child);

// Which involvement fields a change sends (a field sent unchanged counts: sending is confirming).
struct NamedInvolvement {
  bool school = false;
  bool gp = false;
  bool services = false;
  static NamedInvolvement All() { return {true, true, true}; }
};

// The unconfirmed agencies of `after`, a change of `before` made by someone of `actor_agency`:
// * agencies no longer named are dropped;
// * an agency in a field the change sends is confirmed when the author may decide who joins the
//   team (`may_decide_join`: the lead professional, a manager of the authority, the duty team of a
//   child without a lead), or when it is the author's own agency (a practitioner may record and
//   confirm their own agency's work): sending it is confirming it. Only the fields sent confirm:
//   a lead who changes the school does not thereby confirm a GP practice a team member named;
// * otherwise an agency newly named is unconfirmed, and one unconfirmed stays so.
// Why: being named as involved lets an agency's staff join at once; a team member must not be
// able to open the team to another agency by typing its name (docs/access.md).
std::vector<std::string> InvolvementAfterChange(const Child& before, const Child& after,
                                                const std::string& actor_agency, bool may_decide_join,
                                                NamedInvolvement named);
// * when the author may decide who joins the team (`may_decide_join`: the lead professional, a
//   manager of the authority, the duty team of a child without a lead) and the change names the
//   involvement (`names_involvement`: school, GP practice or services sent), none is unconfirmed:
//   sending it is confirming it;
// * otherwise an agency newly named is unconfirmed, and one unconfirmed stays so, unless it is
//   the author's own and the change names the involvement (a practitioner may record and confirm
//   their own agency's work).
// Why: being named as involved lets an agency's staff join at once; a team member must not be
// able to open the team to another agency by typing its name (docs/access.md).
std::vector<std::string> InvolvementAfterChange(const Child& before, const Child& after,
                                                const std::string& actor_agency, bool may_decide_join,
                                                bool names_involvement);

// "sw1a1aa" -> "SW1A 1AA"; empty if the text is not a UK postcode in shape.
std::string NormalisePostcode(std::string_view text);

}  // namespace kith::domain
