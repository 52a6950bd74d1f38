// Alerts the lead professional to the agency-contact flags the team should act on (issue 15): a
// sudden rise in contact across agencies (judged against the child's own history, see
// domain/account/contact_series.h) in the latest complete period or the one under way, and an
// agency that stopped seeing the child. Each flag alerts once: the alert's subject names the flag
// ("contact/sudden_rise/all/2026-10-01"), and an alert with that subject for the child is not
// made again.
//
// A new entry checks for rises just after it is written (AlertContactRises: a snapshot read of
// the child's entries, and a write only when an alert is due; at most once every few seconds per
// child and node, AccountService::kRiseCheckInterval). Not inside the entry's own write:
// there, reading every current entry of the child made concurrent serialisable writes conflict
// (on PostgreSQL, past its predicate-lock limits, writes to any child), and each retry cost more
// as the child's record grew (docs/BENCHMARKS.md, "Soak", run 5);
// stopping is about time passing, so ContactAlerts::Sweep checks every child with entries once a
// UK day (the server's periodic sweep calls it every minute; it does the work once per day).
// Thread safety: AlertContactFlags runs inside the caller's transaction; ContactAlerts is safe
// from any thread.
#pragma once

#include <mutex>
#include <string>
#include <vector>

#include "app/context.h"
#include "common/date.h"
#include "domain/account/contact_series.h"
#include "storage/repositories.h"

namespace kith::app {

// The child's current entries as contact events (UK local time, or UK noon when only the date is
// known).
std::vector<domain::ContactEvent> ContactEventsOf(storage::Repositories& r, const std::string& child_id);

struct FlagAlertScope {
  bool rises = false;    // sudden rises in the latest complete period or the one under way
  bool stopped = false;  // agencies that stopped seeing the child
};

// The flags in `scope` the child's lead professional has not been alerted to (none without a
// lead); `lead_id`, if given, receives the lead's user id.
std::vector<domain::ContactFlag> ContactFlagsToAlert(storage::Repositories& r, const std::string& child_id,
                                                    const Date& today, FlagAlertScope scope, std::string* lead_id);

// Within the caller's transaction: alerts the child's lead professional to each flag in `scope`
// not alerted before. Nothing without a lead. Returns the number of alerts made; audits them.
int AlertContactFlags(storage::Repositories& r, Random& random, const std::string& child_id, const Date& today,
                      TimePoint now, FlagAlertScope scope);

// After an entry's write has committed, in transactions of its own: alerts the lead to sudden
// rises (AlertContactFlags), writing only if one is due. A storage failure is logged, never
// thrown (the entry is stored; the child's next entry checks again). Returns the alerts made.
int AlertContactRises(Context& ctx, const std::string& child_id, const Date& today, TimePoint now);

class ContactAlerts {
 public:
  explicit ContactAlerts(Context& context) : ctx_(context) {}
  // Checks every child with entries for agencies that stopped seeing them, once per UK day (a
  // second call the same day does nothing). Returns the number of alerts made.
  int Sweep();

 private:
  Context& ctx_;
  std::mutex mutex_;
  Date last_day_{};
};

}  // namespace kith::app
