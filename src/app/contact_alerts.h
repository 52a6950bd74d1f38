// Alerts the lead professional to the agency-contact flags the team should act on (issue 15): a
// sudden rise in contact across agencies (judged against the child's own history, see
// domain/account/contact_series.h) in the latest complete period or the one under way, and an
// agency that stopped seeing the child. Each flag alerts once: the alert's subject names the flag
// ("contact/sudden_rise/all/2026-10-01"), and an alert with that subject for the child is not
// made again.
//
// A new entry checks for rises as it is written (AlertContactFlags inside its transaction);
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

// Within the caller's transaction: alerts the child's lead professional to each flag in `scope`
// not alerted before. Nothing without a lead. Returns the number of alerts made; audits them.
int AlertContactFlags(storage::Repositories& r, Random& random, const std::string& child_id, const Date& today,
                      TimePoint now, FlagAlertScope scope);

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
