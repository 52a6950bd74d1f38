// Agency contact over time: how often each agency saw the child, and all agencies together, per
// UK-local week (Monday to Sunday) or calendar month, with every empty bucket present so a line
// graph shows the gaps, the bucket still under way marked as such (it is not a drop), and flags
// for the three patterns serious case reviews keep finding: a rise in contact too large to be
// chance given the child's own history, a long gap, and an agency that stopped seeing the child.
//
// Bucket boundaries are UK local midnights (Europe/London, see uk_time.h), so a week containing
// a clock change is 167 or 169 hours long and an event at 00:30 BST belongs to the UK date it
// happened on, not the UTC date.
//
// Thread safety: all functions are pure and safe to call from any thread.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/date.h"
#include "common/result.h"
#include "domain/account/chronology.h"

namespace kith::domain {

struct ContactEvent {
  std::string agency_id;
  TimePoint at;
};

// One event per entry, at OccurredInstant (entries without a time count on their UK date).
std::vector<ContactEvent> ContactEventsFrom(std::span<const ChronologyEntry> entries);

enum class Granularity { kAuto, kWeek, kMonth };
std::string_view ToString(Granularity granularity);  // "auto", "week", "month"

struct SeriesOptions {
  // The UK dates covered, inclusive, widened to whole buckets (the Monday before `from`, or
  // the 1st of its month) so no bucket is partly counted. Absent `from`: the earliest event's
  // date. Absent `to`: `today`. Events outside the widened range are not counted.
  std::optional<Date> from;
  std::optional<Date> to;
  Granularity granularity = Granularity::kAuto;
  // kAuto chooses weeks when the range spans at most this many weeks, months beyond.
  int max_auto_weeks = 26;

  // Sudden rise, on all agencies together: the child's own history is the mean of up to
  // rise_baseline_buckets complete buckets before this one (at least rise_min_history of them,
  // inside the range), taken as a Poisson rate no lower than rise_min_rate; the bucket is
  // flagged when a count at least as high would happen by chance with probability below
  // rise_p. The bucket under way counts what it has so far against a whole bucket's rate (so it
  // is flagged only when it is already remarkable).
  int rise_baseline_buckets = 6;
  int rise_min_history = 3;
  double rise_min_rate = 0.5;
  double rise_p = 0.01;

  // Long gap: at least this many consecutive empty buckets between two buckets with contact.
  // Zero picks the default for the granularity: 4 weeks or 2 months.
  int gap_min_buckets = 0;

  // Stopped: no contact for the last stop_silent_weeks weeks up to `today`, after contact in at
  // least stop_regular_min_weeks distinct weeks of the stop_regular_window_weeks weeks before
  // the last contact. Computed on weeks whatever the bucket size, so it reads the same in both.
  int stop_silent_weeks = 6;
  int stop_regular_window_weeks = 8;
  int stop_regular_min_weeks = 3;
};

struct Bucket {
  Date start;            // UK date of the first day (a Monday, or the 1st of a month)
  Date end;              // UK date of the day after the last day (exclusive)
  TimePoint start_at;    // UK midnight at `start`, as an instant
  TimePoint end_at;      // UK midnight at `end`, as an instant
  bool partial = false;  // not over yet (it holds days after `today`): its count is so far
};

struct AgencySeries {
  std::string agency_id;
  std::vector<int> counts;           // one per bucket, zero buckets included
  int total = 0;                     // contacts inside the range
  std::optional<Date> last_contact;  // UK date of the agency's latest event, in range or not
};

enum class ContactFlagKind { kSuddenRise, kLongGap, kStoppedSeeing };
// Stable codes: "sudden_rise", "long_gap", "stopped_seeing".
std::string_view ToString(ContactFlagKind kind);

struct ContactFlag {
  ContactFlagKind kind;
  std::string agency_id;  // empty for a flag on all agencies together (sudden rise)
  size_t bucket = 0;  // index of the bucket the flag points at (the rise, or the first empty
                      // bucket of a gap or of the silence)
  Date bucket_start;
  int count = 0;                     // sudden rise: contacts in the bucket
  double baseline = 0;               // sudden rise: the rate expected; stopped: contact weeks in the window
  double p_value = 1;                // sudden rise: P(at least `count` | baseline), Poisson
  int empty_buckets = 0;             // long gap: length; stopped: silent weeks so far
  std::optional<Date> last_contact;  // stopped: UK date of the last contact
  std::string explanation;           // one sentence for the practitioner, with the numbers
};

struct ContactSeries {
  Granularity granularity = Granularity::kWeek;  // never kAuto: what was chosen
  std::vector<Bucket> buckets;
  std::vector<int> totals;             // all agencies together, one per bucket
  std::vector<AgencySeries> agencies;  // every agency in the input, ordered by id
  std::vector<ContactFlag> flags;      // by agency (all agencies first), then bucket
};

// P(X >= k) for X ~ Poisson(rate), rate > 0: the chance of at least k contacts in a bucket
// whose expected count is `rate`.
double PoissonUpperTail(int k, double rate);

// Fails (Error::Invalid "from"/"to") when the range is empty or reversed, or longer than 50
// years (guarding against a malformed date producing millions of buckets). No events yields a
// series with buckets and no agencies.
Result<ContactSeries> ComputeContactSeries(std::span<const ContactEvent> events, const Date& today,
                                           const SeriesOptions& options = {});

// The Monday on or before `date`.
Date WeekStart(const Date& date);

}  // namespace kith::domain
