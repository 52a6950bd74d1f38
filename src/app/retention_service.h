// Retention by rule (issue 18; ADR 0020, docs/retention.md): what is due for the children of an
// authority on a day, under its rules (stored, or the defaults), with the holds protecting each;
// and the administrators' use cases: reading and changing the rules, placing and releasing legal
// holds. Archive and purge are not built yet, so nothing here changes a child's record.
// Thread safety: safe from any thread (each call uses its own transactions).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "app/context.h"
#include "app/principal.h"
#include "common/date.h"
#include "common/result.h"
#include "domain/retention.h"
#include "storage/store.h"

namespace kith::app {

// One child with a step due (or held back by a hold) on the as-of day.
struct DueChild {
  std::string authority_id;
  std::string child_id;
  domain::RetentionAssessment assessment;
};

struct RetentionListing {
  Date as_of;
  int64_t checked = 0;              // children looked at (records merged into another are not)
  std::vector<DueChild> due;        // a step due on as_of, in authority then child id order
  std::vector<DueChild> held;       // a purge or removal that would be due but for a hold
  std::vector<std::string> no_date;  // children with no date of birth, no death, and a case: no rule applies
};

// Called after each page of children with the authority and how many of its children were
// checked so far.
using RetentionProgress = std::function<void(const std::string& authority_id, int64_t checked)>;

// The authority's rules as stored, or the defaults when it has set none.
domain::RetentionRules RulesOf(storage::Repositories& r, const std::string& authority_id);

// What is due on `as_of` for the children of `authority_id`, or of every authority when it is
// empty. Reads pages of `page_size` children, each page in its own read transaction (a child
// changed between pages is seen as it is when its page is read).
RetentionListing ListDue(storage::Store& store, const std::string& authority_id, const Date& as_of,
                         const RetentionProgress& progress = {}, int page_size = 500);

// What falls due for the children of one authority from `from` to `until` (both included), as
// domain::Assess sees it on `from`: each child whose next step falls on or before `until` (a step
// already due is listed too), and each child whose purge or removal would fall in that time but
// for a hold in force (listed with its date under the hold and the holds). The same assessment
// as ListDue, looking ahead.
struct RetentionOutlook {
  Date from;
  Date until;
  int64_t checked = 0;          // children looked at (records merged into another are not)
  std::vector<DueChild> steps;  // by the day the step falls due, then child id; at most `limit`
  int64_t more = 0;             // steps left out beyond `limit`
  int64_t no_date = 0;          // children with no date of birth, no death, and a case: no rule applies
};

RetentionOutlook ListUpcoming(storage::Store& store, const std::string& authority_id, const Date& from,
                              const Date& until, size_t limit, int page_size = 500);

// How far ahead administrators may look (days), and how many steps one answer lists.
inline constexpr int kMaxOutlookDays = 366;
inline constexpr size_t kMaxOutlookSteps = 1000;

// The administrators' side of retention. Every use case is for administrators of the authority
// (domain::AuthorityAction::kManageUsers: authority administrators of their own, national
// administrators of any) and is audited, refusals included; a child of another authority, or none,
// answers as missing so that ids cannot be probed. Administrators see ids, rules and holds, never
// case content.
class RetentionAdmin {
 public:
  explicit RetentionAdmin(Context& context) : ctx_(context) {}

  // The authority's rules: stored, or the defaults with version 0. Audited (retention.rules.read).
  Result<storage::StoredRetentionRules> GetRules(const Principal& p, const std::string& authority_id);
  // Replaces the authority's rules if `version` is the one the administrator saw (0: none stored).
  // Errors: kForbidden; kInvalidInput (the field named, domain::ValidateRetentionRules); kConflict
  // (changed meanwhile, or rules that would bring a held child's purge or removal inside its hold:
  // domain::CheckRuleChange, naming the child and the hold). Audited (retention.rules.update, with
  // the rules before and after).
  Result<storage::StoredRetentionRules> PutRules(const Principal& p, const std::string& authority_id,
                                                 const domain::RetentionRules& rules, int64_t version);
  // Places a hold on a child of the administrator's authority from today to `ends_on`.
  // Errors: kForbidden, kNotFound (no such child for this caller), kInvalidInput ("kind",
  // "reason", "ends_on"). Audited (retention.hold.place) against the child.
  Result<domain::LegalHold> PlaceHold(const Principal& p, const std::string& child_id, std::string_view kind,
                                      std::string_view reason, const Date& ends_on);
  // Releases a hold in force, today, with a reason. Errors: kForbidden, kNotFound, kInvalidInput
  // ("reason"), kConflict (released already or ended). Audited (retention.hold.release).
  Result<domain::LegalHold> ReleaseHold(const Principal& p, const std::string& hold_id, std::string_view reason);
  // The authority's holds in force today, by end date (at most 1,000). Errors: kForbidden,
  // kNotFound (no such authority). Audited (retention.hold.list).
  Result<std::vector<domain::LegalHold>> HoldsInForce(const Principal& p, const std::string& authority_id);
  // What falls due for the authority's children from today to `days` ahead (ListUpcoming).
  // Errors: kForbidden, kNotFound (no such authority), kInvalidInput ("days": 1..kMaxOutlookDays).
  // Audited (retention.due.read, with the counts). Reads every child of the authority.
  Result<RetentionOutlook> Upcoming(const Principal& p, const std::string& authority_id, int days);

 private:
  Status Allow(const Principal& p, const std::string& authority_id, const std::string& audit_action,
               const std::string& target);
  void Audit(storage::Repositories& r, const Principal& p, const std::string& action, const std::string& target,
             const std::string& child_id, const std::string& detail);
  // Records an allowed act that failed (a missing child or hold, bad input, a conflict), with the
  // error, and answers the error: an administrator probing ids is on the record.
  Error Failed(const Principal& p, const std::string& action, const std::string& target,
               const std::string& child_id, Error error);

  Context& ctx_;
};

}  // namespace kith::app
