// Use cases on children: the index record, the child's account, the shield and signposting (the
// team around the child is TeamService's). Every act goes through the ChildGate
// (child_gate.h): decided, and audited with the actor, what they did, why they were allowed or
// refused and any reason they stated; the audit record of a change is written in the same
// transaction as the change.
// Thread safety: safe from any thread.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/account_cache.h"
#include "app/child_gate.h"
#include "app/child_observer.h"
#include "app/context.h"
#include "app/principal.h"
#include "common/result.h"
#include "domain/break_glass.h"
#include "domain/child.h"
#include "domain/organisation.h"
#include "domain/team.h"

namespace kith::app {

// The child's account as a team member sees it.
struct ChildAccount {
  domain::Child child;
  std::vector<MemberView> team;
  std::vector<domain::Agency> agencies;  // every agency the record refers to
  std::string access;                    // why the caller may see it ("team member", "break-glass")
  // The caller's break-glass in force, when that is what lets them see it (read-only).
  std::optional<domain::BreakGlass> break_glass;
};

// A change to the index record: only the fields given change, an omitted field keeps its value.
// The shield is not changed here (ChildService::SetShield): `shielded`, if given, must be the
// current value.
struct ChildChanges {
  int64_t version = 0;  // the version the caller saw
  std::optional<std::string> given_names, family_name, address, postcode, nhs_number, upn, school_agency_id,
      gp_agency_id;
  std::optional<std::vector<std::string>> other_names;
  std::optional<std::optional<Date>> date_of_birth;  // set to nullopt to clear
  std::optional<std::optional<Date>> date_of_death;  // likewise (a death recorded in error)
  std::optional<domain::Sex> sex;
  std::optional<std::vector<domain::Carer>> carers;
  std::optional<std::vector<domain::ServiceInvolvement>> services;
  std::optional<bool> early_help_assessment, child_protection_plan, looked_after;
  // Retention (domain/retention.h): archived at the authority's extended age.
  std::optional<bool> care_leaver, special_educational_needs;
  std::optional<bool> shielded;

  // The record with these changes made (the version too).
  domain::Child AppliedTo(domain::Child child) const;
  // The names of the fields given, for the audit record.
  std::vector<std::string> Given() const;
};

struct ServiceView {
  domain::ServiceInvolvement service;
  std::optional<domain::Agency> agency;  // none when withheld (Signposting::withheld)
  // The kind of the service's agency ("School", "GP practice"), also when the agency is withheld.
  std::optional<domain::AgencyKind> agency_kind;
};

// What any practitioner may see of any child: never case content.
struct Signposting {
  std::string child_id;
  std::string given_names;
  std::string family_name;
  std::optional<Date> date_of_birth;
  domain::Sex sex = domain::Sex::kNotKnown;
  bool shielded = false;
  std::string address;   // empty when shielded
  std::string postcode;  // empty when shielded
  bool early_help_assessment = false;
  // Whether anyone leads; the lead professional's details are empty when withheld.
  bool has_lead_professional = false;
  std::optional<MemberView> lead_professional;
  // Everyone on the team (the lead included) and how to reach them; empty when withheld.
  std::vector<MemberView> practitioners;
  std::vector<ServiceView> services;  // current services only
  // A shielded child without the caller's break-glass in force: the services' agencies and the
  // lead professional are withheld too (a school's or a GP practice's address tells where the
  // child lives); contact goes through the broker.
  bool withheld = false;
  // For shielded children: the named contact broker, the authority's children's social care
  // (the first such agency by name), and what to tell the practitioner ("Contact through ...").
  std::optional<domain::Agency> contact_broker;
  std::string contact_through;
  // The caller's break-glass in force (BreakGlassService): the address, postcode and carers'
  // contacts of a shielded child are shown while it lasts.
  std::optional<domain::BreakGlass> break_glass;
  std::vector<domain::Carer> carers;  // only under break-glass
};

// A record of a child's audit trail with the name of whoever acted (records hold ids only).
struct AuditEntryView {
  domain::AuditRecord record;
  std::string actor_name;  // empty for no or an unknown user
};

struct ChildSummary {
  std::string child_id;
  std::string given_names;
  std::string family_name;
  std::optional<Date> date_of_birth;
  std::string my_role;
  bool i_am_lead = false;
  domain::ChildFlags flags;
};

class ChildService {
 public:
  // `observer`, when set, is told about every record created or updated (after it is durable).
  explicit ChildService(Context& context, ChildObserver* observer = nullptr) : ctx_(context), observer_(observer) {}

  // Creates a child in the caller's authority; the caller joins the team with their job title
  // as role and `reason` as the reason. Errors: kForbidden, kInvalidInput (field named).
  Result<ChildAccount> Create(const Principal& p, domain::Child child, const std::string& reason);

  // The account of a child: for the team, a manager supervising a member (not of a shielded
  // child) and break-glass in force (read-only), from the account cache when nothing it shows
  // has changed since it was last read. Errors: kNotFound, kForbidden.
  Result<ChildAccount> Account(const Principal& p, const std::string& child_id);

  // Changes the fields of the index record given in `changes` if `changes.version` is current
  // (team members). Errors: kNotFound, kForbidden, kInvalidInput (including a `shielded` that
  // differs from the record's: use SetShield), kConflict (stale version).
  Result<ChildAccount> Update(const Principal& p, const std::string& child_id, const ChildChanges& changes);

  // Shields or unshields the child, an explicit act of a team member with a reason
  // (10..500 characters); the lead professional and the authority's managers are alerted, and
  // when shielding, told of family accounts linked to the child. Errors: kNotFound,
  // kForbidden, kInvalidInput (reason), kConflict (already so).
  Result<ChildAccount> SetShield(const Principal& p, const std::string& child_id, bool shielded,
                                 const std::string& reason);

  // Signposting for any practitioner, with a stated reason. Errors: kNotFound, kForbidden,
  // kInvalidInput (reason).
  Result<Signposting> Signpost(const Principal& p, const std::string& child_id, const std::string& reason);

  // The children whose teams the caller is on.
  Result<std::vector<ChildSummary>> MyChildren(const Principal& p);

  // Who has looked at or changed this child's record, newest first. Errors: kNotFound,
  // kForbidden (only auditors of the authority and the lead professional).
  Result<std::vector<AuditEntryView>> AuditTrail(const Principal& p, const std::string& child_id, int limit);

 private:
  Context& ctx_;
  ChildGate gate_{ctx_};
  ChildObserver* observer_;
  AccountCache accounts_;
};

}  // namespace kith::app
