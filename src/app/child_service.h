// Use cases on children: the index record, the child's account, signposting and the team
// around the child. Every read and write of child data, and every refusal, is audited with the
// actor, what they did, why they were allowed or refused and any reason they stated; the audit
// record of a change is written in the same transaction as the change.
// Thread safety: safe from any thread.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/account_cache.h"
#include "app/child_observer.h"
#include "app/context.h"
#include "app/principal.h"
#include "common/result.h"
#include "domain/child.h"
#include "domain/organisation.h"
#include "domain/shield.h"
#include "domain/team.h"

namespace kith::app {

// A team member with what others need to reach them.
using MemberView = storage::TeamMemberDetail;

// The child's account as a team member sees it.
struct ChildAccount {
  domain::Child child;
  std::vector<MemberView> team;
  std::vector<domain::Agency> agencies;  // every agency the record refers to
  std::string access;                    // why the caller may see it ("team member")
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
  // A shielded child without the caller's shield override in force: the services' agencies and
  // the lead professional are withheld too (a school's or a GP practice's address tells where
  // the child lives); contact goes through the broker.
  bool withheld = false;
  // For shielded children: the named contact broker, the authority's children's social care
  // (the first such agency by name), and what to tell the practitioner ("Contact through ...").
  std::optional<domain::Agency> contact_broker;
  std::string contact_through;
  // The caller's shield override in force (ShieldService): the address, postcode and carers'
  // contacts of a shielded child are shown while it lasts.
  std::optional<domain::ShieldOverride> shield_override;
  std::vector<domain::Carer> carers;  // only under a shield override
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

  // The account of a child whose team the caller is on, from the account cache when nothing it
  // shows has changed since it was last read. Errors: kNotFound, kForbidden.
  Result<ChildAccount> Account(const Principal& p, const std::string& child_id);

  // Replaces the editable fields of the index record if `changes.version` is current.
  // Errors: kNotFound, kForbidden, kInvalidInput, kConflict (stale version).
  Result<ChildAccount> Update(const Principal& p, const std::string& child_id, domain::Child changes);

  // Signposting for any practitioner, with a stated reason. Errors: kNotFound, kForbidden,
  // kInvalidInput (reason).
  Result<Signposting> Signpost(const Principal& p, const std::string& child_id, const std::string& reason);

  // The children whose teams the caller is on.
  Result<std::vector<ChildSummary>> MyChildren(const Principal& p);

  Result<ChildAccount> Join(const Principal& p, const std::string& child_id, const std::string& role,
                            const std::string& reason);
  Status Leave(const Principal& p, const std::string& child_id, const std::string& reason);
  Result<ChildAccount> ChangeLead(const Principal& p, const std::string& child_id, const std::string& to_user_id,
                                  const std::string& reason);

  // Who has looked at or changed this child's record, newest first. Errors: kNotFound,
  // kForbidden (only auditors of the authority and the lead professional).
  Result<std::vector<AuditEntryView>> AuditTrail(const Principal& p, const std::string& child_id, int limit);

 private:
  Context& ctx_;
  ChildObserver* observer_;
  AccountCache accounts_;
};

}  // namespace kith::app
